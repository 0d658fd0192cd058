package i18n

// The whole-market views: the limit-up ladder, the sector's margin, the
// symbol universe and an ETF's fund flow.
var (
	// The limit-up ladder.
	LadderTitle  = m("涨停 Ladder", "涨停梯队")
	LadderShort  = m("涨停", "涨停")
	LadderScreen = m("Limit-up ladder 涨停", "涨停梯队 · 连板")
	LadderNone   = m("no limit-up pool cached yet", "尚无涨停池缓存")
	LadderAsOf   = m("no pool for %s yet: showing %s", "%s 尚无涨停池: 显示 %s")
	LadderStocks = m("%d stocks", "%d 只")
	LadderHint   = m("sector names marked ★", "★ 为稀土板块个股")
	LadderFirst  = m("first", "首次封板")
	LadderLast   = m("last", "最后封板")
	LadderBreaks = m("炸板", "炸板")
	LadderSealed = m("sealed", "封单额")

	// The sector's margin financing.
	SectorMargin   = m("Sector margin 融资余额", "稀土板块融资余额")
	SectorHead     = m("Σ %d names bal %s  day %s", "Σ %d 只 余额 %s  日变动 %s")
	SectorYTD      = m("since %s %s  >10%%: %d  >20%%: %d", "%s 以来 %s  >10%%: %d  >20%%: %d")
	SectorNoBase   = m("%d without a balance on %s", "%d 只在 %s 无融资余额")
	SectorNames    = m("names up since %s: %d over 20%%, %d over 10%%, of %d with a base", "%s 以来增幅: %d 只超 20%%, %d 只超 10%%, 共 %d 只")
	SectorCols     = m("code|name|%s|latest|change", "代码|名称|%s|最新|涨跌")
	BoardMargin    = m("board %s financing balance %s–%s (亿元), now %s", "板块 %s 融资余额 %s–%s (亿元), 最新 %s")
	SectorNone     = m("no margin days cached for the sector's names yet", "稀土板块个股尚无融资融券数据缓存")
	SectorOf       = m("the sector (%d names, %s)", "稀土板块 (%d 只, %s)")
	SectorOfConfig = m("the sector (%d names, configured)", "稀土板块 (%d 只, 自定义)")
	SectorOfWatch  = m("the watchlist's A shares", "自选 A 股")
	UniverseOf     = m("%d symbols as of %s", "%d 只证券, 截至 %s")
	UniverseNone   = m("only cached symbols (the full list arrives with the first refresh)", "仅含已缓存证券 (首次刷新后载入全部证券)")
	FlowTitle      = m("ETF flow 资金流向", "ETF 资金流向")
	Flow5D         = m("5-day", "5日")
	Flow5DShort    = m("5d", "5日")
	FlowShares     = m("shares Δ", "份额变动")
	FlowNone       = m("no daily fund flow cached yet", "尚无每日资金流向缓存")
	FlowCum        = m("cumulative main-force net since %s (亿元)", "%s 以来主力累计净流入 (亿元)")
	FlowCols       = m("date|main net|super|large|medium|small|chg%", "日期|主力净额|超大单|大单|中单|小单|涨跌幅")
)
