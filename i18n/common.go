package i18n

// Words shared by many views. A view whose label is one of these uses it
// rather than defining it again.
var (
	WordCode   = m("code", "代码")
	WordName   = m("name", "名称")
	WordLast   = m("last", "最新")
	WordChgPct = m("chg%", "涨跌幅")
	WordChange = m("change", "涨跌")
	WordAmount = m("amount", "成交额")
	WordDate   = m("date", "日期")
	WordSource = m("source", "来源")
	WordPrice  = m("price", "价格")
	WordStale  = m("stale", "过时")
	WordDemo   = m("DEMO", "DEMO 演示")
	WordToday  = m("today", "今日")
	WordBoard  = m("board", "板块")
	WordNone   = m("none", "无")
	WordBack   = m("back", "返回")
	WordOpen   = m("open", "打开")
	WordQuit   = m("quit", "退出")
	WordHelp   = m("help", "帮助")

	// Units of element prices.
	UnitYuanPerTon = m("元/吨", "元/吨")
	UnitWanPerTon  = m("万元/吨", "万元/吨")
)
