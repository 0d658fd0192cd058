package i18n

// The ticker view: its tabs, the quote header, the charts' legends, the key
// statistics, margin financing, the boards and the announcements tab.
var (
	// Tabs.
	TickerTabChart = m("Chart", "行情")
	TickerTabBook  = m("Order book", "五档")
	TickerTabFlow  = m("Fund flow", "资金流向")

	TickerNoticesHint = m("newest first · enter: the list, and read a notice", "最新在前 · enter: 打开公告列表, 阅读全文")

	// Fund flow and the order book.
	TickerSplitHead     = m("Today's net inflow by order size", "今日资金流向")
	NetInflowToday      = m("Net inflow today", "今日资金")
	TickerNoFlowHK      = m("not published for HK shares", "港股不公布")
	TickerMainFlowHead  = m("Main-force net inflow today (cumulative)", "今日主力净流入 (累计)")
	TickerDailyFlowHead = m("Daily net inflow by order size", "每日资金流向")
	TickerBookLiveOnly  = m("order book: live only, not kept for review", "五档: 仅实时行情, 复盘不保存")

	// The quote header and the chart tab.
	TickerNoQuote        = m("no quote cached yet", "暂无行情缓存")
	TickerLoading        = m("loading…", "加载中…")
	TickerLoadingHistory = m("loading history…", "加载历史数据中…")
	TickerOverlay        = m("overlay: %s", "叠加: %s")
	TickerOverlayOn      = m("overlay: %s (rebased)", "叠加: %s (归一)")
	TickerNoHistory      = m("no history cached for this range yet", "此区间暂无历史数据")
	TickerAvg            = m("avg", "均价")
	TickerPrevClose      = m("prev close", "昨收")
	TickerDaySep         = m("day", "日分隔")
	TickerBarsFit        = m("the last %d of %d bars fit", "仅显示最近 %d / %d 根K线")
	TickerLongerPeriods  = m("%s: longer periods", "%s: 更长周期")
	TickerNoOverlay      = m("no %s prices cached", "暂无%s价格缓存")
	TickerRebased        = m("%s rebased", "%s (归一)")

	// Key statistics.
	StatLast      = m("Last", "最新价")
	StatChange    = m("Change", "涨跌")
	StatOpen      = m("Open", "今开")
	StatHigh      = m("High", "最高")
	StatLow       = m("Low", "最低")
	StatPrevClose = m("Prev close", "昨收")
	StatVolume    = m("Volume", "成交量")
	StatTurnover  = m("Turnover", "成交/换手")
	StatMktCap    = m("Mkt cap", "总市值")
	StatFloatCap  = m("Float cap", "流通市值")
	Stat52High    = m("52w high", "52周最高")
	Stat52Low     = m("52w low", "52周最低")
	StatLimitUp   = m("Limit up", "涨停价")
	StatLimitDown = m("Limit down", "跌停价")

	// Margin financing.
	TickerNotMargin = m("not a margin-financing security (A-share stocks only)", "非融资融券标的 (仅限A股个股)")
	TickerNoMargin  = m("no margin days cached yet", "暂无融资融券数据缓存")
	ColRepay        = m("repay", "偿还")
	ColLending      = m("lending", "融券余额")

	// Boards.
	TickerBoards   = m("Boards:", "所属板块:")
	TickerNoBoards = m("none cached for this symbol", "暂无缓存")

	// Keys.
	KeyCrosshair = m("crosshair", "十字光标")
	KeyNextTab   = m("next tab", "下一标签")
	KeyTabs      = m("tabs: chart, order book, fund flow", "标签: 行情, 五档, 资金流向, 公告")
	KeyHideCross = m("hide the crosshair (K线), else back", "隐藏十字光标 (K线), 否则返回")
)
