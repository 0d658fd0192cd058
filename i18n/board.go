package i18n

// The board view: its move, its limit-up constituents, the sort order and
// the constituents' table.
var (
	BoardHead        = m("%s  %s  main-force %s  ↑%d ↓%d  lead %s %s  %s", "%s  %s  主力 %s  ↑%d ↓%d  领涨 %s %s  %s")
	BoardLimitUp     = m("limit-up: %s", "涨停: %s")
	BoardNoLimitUp   = m("no constituent at its limit-up", "无成分股涨停")
	BoardMarginChart = m("sector margin financing balance", "板块融资余额")
	BoardSorted      = m("sorted by %s (%s cycles) · %s opens a ticker", "按%s排序 (%s 切换) · %s 打开个股")
	BoardNoMembers   = m("constituents not cached yet (the board feed refreshes them every minute)", "成分股尚未缓存 (板块数据每分钟刷新)")
	SortMainFlow     = m("main-force flow", "主力净流入")
	SortTurnover     = m("turnover", "换手率")
)
