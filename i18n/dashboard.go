package i18n

// The dashboard: its panels' names and titles, the rows and column headers
// of each panel, and their empty states.
var (

	// Panel names, as in the tab strip and the breadcrumbs.
	DashPanelElements = m("Elements", "稀土价格")
	DashPanelIndex    = m("Index", "价格指数")
	DashPanelWatch    = m("Watchlist", "自选")
	DashPanelContract = m("Contract", "关联交易价")
	DashPanelMargin   = m("Margin", "融资融券")
	DashPanelSector   = m("Sectors", "板块")
	DashPanelLadder   = m("Ladder", "涨停梯队")

	// Panel titles.
	DashElementsTitle      = m("Elements %s", "稀土价格 %s")
	DashElementsNoLive     = m("Elements: no live source", "稀土价格: 无实时来源")
	DashElementsNoLiveWide = m("Elements %s · no live source: see [feeds.prices] in the config", "稀土价格 %s · 无实时来源: 见配置中的 [feeds.prices]")
	DashIndexTitle         = m("RE index %s@%s", "稀土指数 %s@%s")
	DashIndexTitleWide     = m("RE index (local, base %s @ %s)", "稀土价格指数 (本地计算, 基期 %[2]s = %[1]s)")
	DashContractTitle      = m("Contract 包钢→北方 REO50", "关联交易价 包钢→北方 REO50")
	DashContractTitleWide  = m("Contract 包钢→北方 (REO 50%, ex-VAT)", "精矿关联交易价格 包钢→北方 (REO 50%, 不含税)")
	MarginFinancingYi      = m("Margin financing (亿元)", "融资融券 (亿元)")
	DashSectorTitle        = m("Sector moves", "板块涨跌")

	// Elements panel.
	DashNoPrice = m("no price cached", "暂无价格")
	DashYoY     = m("%s y/y", "同比%s")

	// Index panel.
	DashIndexNoPrices = m("no element prices cached yet", "暂无稀土价格缓存")
	DashIndexWaiting  = m("waiting for prices of the basket", "等待指数成分品种的价格")
	DashIndexHead     = m("%s  %s d/d  %s ytd  %s", "%s  日涨跌 %s  年初至今 %s  %s")
	DashIndexPartial  = m("partial: no price for %s", "不完整: 缺 %s 价格")

	// Watchlist panel: the column headers beyond the common words, and the
	// states of a row without a quote.
	ColMainNet     = m("main net", "主力净流入")
	ColPE          = m("PE", "市盈率")
	ColMarket      = m("mkt", "市场")
	ColTurnover    = m("turn%", "换手率")
	ColMktCap      = m("mkt cap", "总市值")
	ColOpen        = m("open", "开盘")
	ColHigh        = m("high", "最高")
	ColLow         = m("low", "最低")
	ColPrev        = m("prev", "昨收")
	DashPEValue    = m("PE %s", "%s")
	DashLoading    = m("loading", "加载中")
	DashNoQuote    = m("no quote", "无行情")
	DashWatchEmpty = m("the watchlist is empty: add symbols in the config", "自选为空: 请在配置中添加代码")

	// Markets, as the watchlist, search and the ticker's header name them.
	MarketSSE   = m("SSE", "沪")
	MarketSZSE  = m("SZSE", "深")
	MarketBSE   = m("BSE", "京")
	MarketHKEX  = m("HKEX", "港")
	MarketBoard = m("BOARD", "板块")

	// Contract panel.
	DashStreak       = m("%s: %d consecutive increases", "%s: 连续 %d 个季度上涨")
	DashStreakGap    = m("%s: %s vs %s, %d not found", "%[1]s: 较 %[3]s %[2]s, 中间 %[4]d 个季度缺失")
	DashStreakNoPrev = m("%s: the quarter before not found", "%s: 上一季度缺失")
	DashNotPublished = m("not published", "未公布")
	DashNotParsed    = m("announced, price not parsed", "已公告 未解析")
	DashOverdue      = m("overdue %s", "逾期 %s")
	DashDueBy        = m("due by %s", "%s 前公布")
	DashNoContract   = m("no contract quarters cached", "暂无关联交易价格缓存")
	DashEstNone      = m("%s est. — %s", "%s 预估 — %s")
	DashEstNoFit     = m("not enough data to fit", "数据不足, 无法拟合")
	DashEstTail      = m(" estimate (REO50, %s avg, %dd)", " 预估 (REO50, %s 均价, %d 日)")

	// Margin panel.
	ColBalance   = m("balance", "余额")
	ColBuy       = m("buy", "买入")
	ColNet       = m("net", "净买入")
	ColFloatPct  = m("%%float", "占流通") // a format: say it with F
	DashNoMargin = m("no margin data cached yet", "暂无融资融券数据缓存")

	// Sector panel.
	DashNoBoards     = m("no board moves cached yet", "暂无板块行情缓存")
	DashNoBoardsAsOf = m("no board moves cached on or before %s", "%s 及之前无板块行情缓存")
	DashMain         = m("main %s", "主力 %s")
	DashLead         = m("lead %s", "领涨 %s")
	DashLimitUps     = m("涨停 %d", "涨停 %d")
	DashNoBoardData  = m("no board data cached yet", "暂无板块数据缓存")
)

// Sources that are words rather than a feed's name.
var (
	SourceManual = m("manual", "手工录入")
	SourceDemo   = m("demo", "演示")
)
