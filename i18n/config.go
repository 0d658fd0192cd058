package i18n

// The config file's errors: where (file, line, key) and what is wrong.
var (
	// ConfigErrKeyLine and the three below are a bad setting's place:
	// the file, its line when known, the key when known, then the problem.
	ConfigErrKeyLine = m("config %[1]s:%[2]d: %[3]s: %[4]v", "配置文件 %[1]s 第 %[2]d 行，%[3]s: %[4]v")
	ConfigErrLine    = m("config %[1]s:%[2]d: %[3]v", "配置文件 %[1]s 第 %[2]d 行: %[3]v")
	ConfigErrKey     = m("config %s: %s: %v", "配置文件 %s，%s: %v")
	ConfigErrFile    = m("config %s: %v", "配置文件 %s: %v")

	ConfigTableNotClosed = m("the table header [%s is not closed: want [%s]", "表头 [%s 没有闭合: 应为 [%s]")
	ConfigTOMLTypes      = m("incompatible types: TOML value has type %s; destination has type %s", "类型不符: TOML 值的类型为 %s，此处应为 %s")
	ConfigTOMLNoValue    = m("expected value but found %s instead", "此处应有一个值，实为 %s")
	ConfigTOMLNewline    = m("strings cannot contain newlines", "字符串不能包含换行")
	ConfigTOMLTwice      = m("Key '%s' has already been defined.", "键 '%s' 已定义过。")
	ConfigUnknownKey     = m("unknown key (see the README for the keys rareterm reads)", "未知的键（rareterm 读取的键见 README）")
	ConfigColors         = m("want \"chinese\" (red up) or \"western\" (green up), got %q", "应为 \"chinese\"（红涨绿跌）或 \"western\"（绿涨红跌），实为 %q")
	ConfigLang           = m("want \"en\" or \"zh\", got %q", "应为 \"en\" 或 \"zh\"，实为 %q")
	ConfigUnitsElements  = m("want \"yuan\" (元/吨) or \"wan\" (万元/吨), got %q", "应为 \"yuan\"（元/吨）或 \"wan\"（万元/吨），实为 %q")
	ConfigNotWatchCode   = m("%q is not a stock, ETF or HK code", "%q 不是股票、ETF 或港股代码")
	ConfigNotBoardCode   = m("%q is not a board code (BKnnnn)", "%q 不是板块代码（BKnnnn）")
	ConfigPositive       = m("must be positive, got %v", "须为正数，实为 %v")
	ConfigUnknownElement = m("unknown element (known: %s)", "未知的稀土品种（可选: %s）")
	ConfigNotURL         = m("%q is not an http(s) URL", "%q 不是 http(s) 网址")
	ConfigRate           = m("want a rate between 0 and 50 requests a second, got %v", "应为每秒 0 到 50 次请求，实为 %v")
	ConfigItem           = m("%q: %v", "网址 %q: %v")
	ConfigVendorFormat   = m("want \"csv\" or \"json\", got %q", "应为 \"csv\" 或 \"json\"，实为 %q")
	ConfigDuration       = m("want a duration such as \"5s\" or \"1h\", got %q", "应为时长，如 \"5s\" 或 \"1h\"，实为 %q")
	ConfigBelowMinimum   = m("%v is below the polite minimum of %v", "%v 低于对数据源友好的最小间隔 %v")
	ConfigAtLeastOne     = m("must be at least 1, got %d", "至少为 1，实为 %d")
	ConfigBackfillDays   = m("want 1 to 3660, got %d", "应为 1 到 3660，实为 %d")
	ConfigWatchlistWrite = m("the new watchlist would not parse: %v", "新的自选列表无法解析: %v")

	// [[alerts]] and [contract].
	ConfigAlertUnknownKey   = m("unknown key (alerts take rule, deliver, webhook, command, session, hysteresis, cooldown)", "未知的键（预警可用 rule、deliver、webhook、command、session、hysteresis、cooldown）")
	ConfigAlertNoRule       = m("every [[alerts]] needs a rule, e.g. rule = \"600111 > 55\"", "每个 [[alerts]] 都需要一条规则，如 rule = \"600111 > 55\"")
	ConfigAlertDeliver      = m("%q: want status, bell, desktop, command or webhook", "%q: 应为 status、bell、desktop、command 或 webhook")
	ConfigAlertNeedsWebhook = m("webhook delivery needs webhook = \"http://…\"", "webhook 推送需要 webhook = \"http://…\"")
	ConfigAlertCommand      = m("want the program and its arguments, e.g. [\"notify-send\", \"{title}\", \"{body}\"]", "应为程序及其参数，如 [\"notify-send\", \"{title}\", \"{body}\"]")
	ConfigControlChars      = m("holds control characters", "含有控制字符")
	ConfigAlertNeedsCommand = m("command delivery needs command = [\"program\", \"{title}\", …]", "command 推送需要 command = [\"program\", \"{title}\", …]")
	ConfigAlertSession      = m("want \"any\" (also outside trading hours) or \"trading\", got %q", "应为 \"any\"（非交易时段也预警）或 \"trading\"，实为 %q")
	ConfigAlertHysteresis   = m("want a number ≥ 0 in the metric's units", "应为 ≥ 0 的数，单位同指标")
	ConfigAlertCooldown     = m("want a duration such as \"30s\", \"5m\" or \"1h\", got %q", "应为时长，如 \"30s\"、\"5m\" 或 \"1h\"，实为 %q")
	ConfigAlertsWrite       = m("the new alerts would not parse: %v", "新的预警规则无法解析: %v")
	ConfigContractKey       = m("unknown key (contract takes estimate_with_la)", "未知的键（contract 只有 estimate_with_la）")
	ConfigBool              = m("want true or false, got %v", "应为 true 或 false，实为 %v")

	// [elements.bands].
	ConfigBandShape  = m("want [min, max] in 元/吨, e.g. %s = [200000, 2000000]", "应为 [下限, 上限]，单位元/吨，如 %s = [200000, 2000000]")
	ConfigBandValues = m("want [min, max] in 元/吨, got %v", "应为 [下限, 上限]，单位元/吨，实为 %v")
	ConfigBandOrder  = m("want 0 < min < max, both finite, got [%v, %v]", "应为有限数且 0 < 下限 < 上限，实为 [%v, %v]")

	// [calendar].
	ConfigCalendarKey   = m("unknown key (want closures, open_days, hk_closures or hk_open_days)", "未知的键（应为 closures、open_days、hk_closures 或 hk_open_days）")
	ConfigCalendarList  = m(`want a list of dates, e.g. %s = ["2027-02-15"]`, `应为日期列表，如 %s = ["2027-02-15"]`)
	ConfigCalendarDate  = m("want dates as \"YYYY-MM-DD\" strings, got %v", "日期应写作 \"YYYY-MM-DD\" 字符串，实为 %v")
	ConfigCalendarWeek  = m("%s is a %s: the exchanges never trade on weekends", "%s 是%s: 交易所周末从不交易")
	ConfigSaturday      = m("Saturday", "星期六")
	ConfigSunday        = m("Sunday", "星期日")
	ConfigChartsLang    = m("want \"en\" or \"zh\", got %v", "应为 \"en\" 或 \"zh\"，实为 %v")
	ConfigChartsUnknown = m("unknown key (known: language)", "未知的键（可用: language）")

	// [desk].
	ConfigWantString        = m("want a string", "应为字符串")
	ConfigDeskHours         = m("want whole hours from 1 to 8784", "应为 1 到 8784 的整小时数")
	ConfigDeskMB            = m("want megabytes from 1 to 1048576", "应为 1 到 1048576 的兆字节数")
	ConfigDeskUnknown       = m("unknown key (want listen, window_hours, max_mb, token, user, password, creds, nkey_seed, tls_cert, tls_key, tls_ca, server_name, cluster, cluster_listen, routes or replicas)", "未知的键（应为 listen、window_hours、max_mb、token、user、password、creds、nkey_seed、tls_cert、tls_key、tls_ca、server_name、cluster、cluster_listen、routes 或 replicas）")
	ConfigDeskHostName      = m("[desk] server_name: set one (the host name %q will not do)", "[desk] server_name: 请设置（主机名 %q 不可用）")
	ConfigDeskRoutes        = m("want a list of route URLs, e.g. [\"nats-route://desk-b:6222\"]", "应为路由地址列表，如 [\"nats-route://desk-b:6222\"]")
	ConfigDeskRoute         = m("route %q: want nats-route://host:port", "路由 %q: 应为 nats-route://host:port")
	ConfigDeskReplicas      = m("want a number of copies from 1 to 5", "应为 1 到 5 的副本数")
	ConfigDeskName          = m("want letters, digits, '-', '_' or '.' (at most 64)", "应为字母、数字、'-'、'_' 或 '.'（至多 64 个）")
	ConfigDeskClusterListen = m("want host:port, e.g. \"0.0.0.0:6222\"", "应为 host:port，如 \"0.0.0.0:6222\"")
	ConfigDeskNeedsListen   = m("a cluster needs cluster_listen, the address the other nodes' routes reach", "集群需要 cluster_listen，即其他节点的路由连接的地址")
	ConfigDeskNeedsName     = m("set cluster, the cluster's name, too", "还须设置 cluster（集群名称）")
	ConfigDeskRoutesAlone   = m("set cluster and cluster_listen too", "还须设置 cluster 与 cluster_listen")
	ConfigDeskReplicasAlone = m("more than one copy needs a cluster (cluster, cluster_listen, routes)", "多于一个副本需要集群（cluster、cluster_listen、routes）")
	ConfigDeskTLSPair       = m("tls_cert and tls_key go together", "tls_cert 与 tls_key 须同时设置")
	ConfigDeskCert          = m("[desk] tls_cert/tls_key: %v", "[desk] tls_cert/tls_key: %v")
	ConfigDeskCA            = m("[desk] tls_ca: %v", "[desk] tls_ca: %v")
	ConfigDeskNoCA          = m("[desk] tls_ca: no certificate in %s", "[desk] tls_ca: %s 中没有证书")
	ConfigDeskNkey          = m("[desk] nkey_seed: %v", "[desk] nkey_seed: %v")

	// [keys].
	ConfigKeyList = m("want a list of key names such as [\"q\", \"ctrl+c\"], got %v", "应为按键名列表，如 [\"q\", \"ctrl+c\"]，实为 %v")

	// [margin], [etf], [watchlist] columns, push2ex_url.
	ConfigSectorList    = m("want a list of A-share codes, e.g. [\"600111\", \"000831\"]", "应为 A 股代码列表，如 [\"600111\", \"000831\"]")
	ConfigNotAShare     = m("%q is not an A-share stock code", "%q 不是 A 股股票代码")
	ConfigMarginUnknown = m("unknown key (margin takes sector and board)", "未知的键（margin 可用 sector 和 board）")
	ConfigETFUnknown    = m("unknown key (etf takes symbols)", "未知的键（etf 只有 symbols）")
	ConfigETFList       = m("want a list of ETF codes, e.g. [\"516150\"]", "应为 ETF 代码列表，如 [\"516150\"]")
	ConfigNotETF        = m("%q is not an ETF code", "%q 不是 ETF 代码")
	ConfigNoColumns     = m("name at least one column (%s)", "至少写一列（%s）")
	ConfigBadColumn     = m("%q is not a column, or named twice (columns: %s)", "%q 不是列名，或写了两次（可用列: %s）")
)
