package i18n

// The widgets' words: the status bar's feed dots, the feed health summary,
// the market clock's phases, the order book and fund flows, the charts'
// notes and ranges, ages and weekdays.
var (
	// The status bar and the feed health summary.
	FeedOffline       = m("OFFLINE %s", "离线 %s")
	FeedOfflineNote   = m("no quote feed answers: showing cached data", "行情源均无响应: 显示缓存数据")
	FeedStoreFailing  = m("✗ store failing: %s", "✗ 数据库写入失败: %s")
	FeedRetryIn       = m(", retry in %s", ", %s后重试")
	FeedBatchesWait   = m(" (%d batches waiting)", " (%d 批待写)")
	FeedBackfillStall = m("backfill stalled %s: %s", "回补停滞 %s: %s")
	FeedFailingN      = m(" failing×%d", " 失败×%d")
	FeedStandby       = m("standby", "备用")
	FeedOfflineWord   = m("offline", "离线")
	FeedWaiting       = m("waiting", "等待")
	FeedOK            = m("ok", "正常")
	FeedFailing       = m("failing", "失败")

	HealthOfflineFor    = m("%s for %s: no quote feed answers; the screen shows cached data", "%s %s: 行情源均无响应; 显示缓存数据")
	HealthOfflineWord   = m("OFFLINE", "离线")
	HealthQuotesFrom    = m("%s from %s", "%s 来自 %s")
	HealthNoQuotes      = m("quotes: no quote feed has answered yet", "行情: 尚无行情源响应")
	HealthStoreFailing  = m("store failing", "数据库写入失败")
	HealthStoreSince    = m("%s ×%d since %s: %s", "%s ×%d 自 %s: %s")
	HealthRetryIn       = m("; retry in %s", "; %s后重试")
	HealthBatchesWait   = m("; %d batches waiting", "; %d 批待写")
	HealthStoreWord     = m("store", "数据库")
	HealthLastWrite     = m("%s last write %s ago", "%s 上次写入 %s前")
	HealthBackfillStall = m("backfill stalled", "回补停滞")
	HealthStalledFor    = m("%s for %s: %d symbols waiting (%s)", "%s %s: %d 只证券待回补 (%s)")
	HealthBackfillToGo  = m("backfill: %d symbols to go (%s)", "回补: 尚余 %d 只证券 (%s)")
	HealthCalendar      = m("calendar", "交易日历")

	// Ages: 2s, 5m, 3h, 2d.
	AgeSeconds     = m("%ds", "%d秒")
	AgeMinutes     = m("%dm", "%d分")
	AgeHours       = m("%dh", "%d小时")
	AgeDays        = m("%dd", "%d天")
	AgeUnderMinute = m("<1m", "<1分")

	// Latencies: 120ms, 1.5s.
	LatencyMs  = m("%dms", "%d毫秒")
	LatencySec = m("%ss", "%s秒")

	// The market clock's phases.
	PhasePreOpen        = m("pre-open", "盘前")
	PhaseOpen           = m("open", "交易中")
	PhaseLunch          = m("lunch", "午间休市")
	PhaseClosed         = m("closed", "休市")
	PhaseAfterClose     = m("closed", "已收盘")
	PhaseAuctionA       = m("集合竞价", "集合竞价")
	PhaseCloseAuctionA  = m("尾盘集合竞价", "尾盘集合竞价")
	PhaseAuctionHK      = m("开市前竞价", "开市前竞价")
	PhaseCloseAuctionHK = m("收市竞价", "收市竞价")

	// Weekdays, Sunday first, as the header dates them.
	Weekdays = [7]Text{
		m("Sun", "周日"), m("Mon", "周一"), m("Tue", "周二"), m("Wed", "周三"),
		m("Thu", "周四"), m("Fri", "周五"), m("Sat", "周六"),
	}

	// The order book (五档).
	BookWaiting = m("order book: waiting for the feed", "五档: 等待行情")
	BookTitle   = m("Order book (lots)", "五档 (手)")
	BookAsk     = m("Ask ", "卖")
	BookBid     = m("Bid ", "买")
	BookSpread  = m("spread", "价差")
	BookOuter   = m("outer", "外盘")
	BookInner   = m("inner", "内盘")
	BookVolRat  = m("vol r.", "量比")
	BookLimUp   = m("lim up", "涨停")
	BookLimDown = m("lim dn", "跌停")

	// Fund flows by order size.
	FlowMain    = m("main", "主力")
	FlowSuper   = m("super-lg", "超大单")
	FlowLarge   = m("large", "大单")
	FlowMedium  = m("medium", "中单")
	FlowSmall   = m("small", "小单")
	FlowNoToday = m("no fund flow today yet", "今日暂无资金流向")
	FlowNoDaily = m("no daily fund flow cached yet", "暂无资金流向")
	FlowNDays   = m("%dd", "%d日")

	// Charts.
	ChartNoHistory   = m("not enough history to draw", "历史数据不足, 无法绘图")
	ChartNoBars      = m("no daily bars cached yet", "暂无日K数据")
	ChartNoPrices    = m("no prices in these bars", "这些K线没有价格")
	ChartNoMinutes   = m("no minute data cached for this session yet", "暂无本交易时段的分时数据")
	ChartNoPrevClose = m("no previous close to draw the session against", "无昨收, 无法绘制分时")
	// The crosshair's open, high, low, close, volume, amount.
	CrossOpen   = m("O", "开")
	CrossHigh   = m("H", "高")
	CrossLow    = m("L", "低")
	CrossClose  = m("C", "收")
	CrossVolume = m("V", "量")
	CrossAmount = m("A", "额")
	// The chart ranges, chosen with 1–6.
	Ranges = [6]Text{m("1D", "1日"), m("5D", "5日"), m("1M", "1月"), m("6M", "6月"), m("1Y", "1年"), m("ALL", "全部")}
)
