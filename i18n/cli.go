package i18n

// The command line: usage, flag help, and what the subcommands print.
var (
	CLIUsage = m("usage: rareterm [--demo [--seed N]] [--offline] [--connect URL] [--db PATH] [--config PATH]\n"+
		"       rareterm collect [--once] [--demo] [--serve [ADDR]]\n"+
		"       rareterm node [--listen ADDR]\n"+
		"       rareterm export --series quotes|bars|margin|elements|contract|boards [--symbol S] [--from D] [--to D] [--format csv|json]\n"+
		"       rareterm import FILE\n"+
		"       rareterm db stats|compact|check|salvage\n\n"+
		"Each subcommand takes --help. The dashboard's keys are on its ? screen.\n\n",
		"用法: rareterm [--demo [--seed N]] [--offline] [--connect URL] [--db PATH] [--config PATH] [--lang zh]\n"+
			"      rareterm collect [--once] [--demo] [--serve [ADDR]]\n"+
			"      rareterm node [--listen ADDR]\n"+
			"      rareterm export --series quotes|bars|margin|elements|contract|boards [--symbol S] [--from D] [--to D] [--format csv|json]\n"+
			"      rareterm import FILE\n"+
			"      rareterm db stats|compact|check|salvage\n\n"+
			"每个子命令都可加 --help 查看选项。看板的按键见其 ? 帮助页。\n\n")

	// Flag help. A word in `backquotes` names the flag's value.
	FlagDemo     = m("run on a simulated market (its own database, DEMO on screen)", "在模拟行情上运行（使用单独的数据库，屏幕上标有 演示）")
	FlagOffline  = m("no network: review the cached history", "不联网: 查看缓存的历史数据")
	FlagDB       = m("database `path` (default %s)", "数据库`路径`（默认 %s）")
	FlagConfig   = m("config `path` (default %s)", "配置文件`路径`（默认 %s）")
	FlagSeed     = m("seed of the simulated market (with --demo)", "模拟行情的随机种子（与 --demo 同用）")
	FlagConnect  = m("attach to the collector at `url` (nats://host:4222; a cluster's nodes comma-separated, tried in order) instead of polling", "连接 `url` 处的采集器（nats://host:4222；集群的多个节点以逗号分隔，依次尝试），不自行拉取行情")
	FlagListen   = m("where terminals connect, `ADDR` host:port (default [desk] listen, else 127.0.0.1:4222)", "终端连接的地址 `ADDR`，host:port（默认 [desk] listen，否则 127.0.0.1:4222）")
	FlagLang     = m("language of the labels: `en` or zh (default: the config's lang, else LC_ALL/LC_MESSAGES/LANG)", "界面语言: `en` 或 zh（默认: 配置的 lang，否则 LC_ALL/LC_MESSAGES/LANG）")
	FlagDemoDB   = m("use the demo database (demo.db beside the live one)", "使用演示数据库（实盘数据库旁的 demo.db）")
	FlagOnce     = m("run one cycle (every kind) and exit", "每类数据各采集一轮后退出")
	FlagServe    = m("share the batches with terminals over NATS (`ADDR` optional, default 127.0.0.1:4222)", "经 NATS 与终端共享数据批次（`ADDR` 可省略，默认 127.0.0.1:4222）")
	FlagSeries   = m("the series: %s", "数据序列: %s")
	FlagSymbol   = m("keep one symbol, board code or element", "只导出一个证券、板块代码或稀土品种")
	FlagFrom     = m("first day, YYYY-MM-DD (CST)", "起始日，YYYY-MM-DD（北京时间）")
	FlagTo       = m("last day, YYYY-MM-DD (CST), included", "截止日，YYYY-MM-DD（北京时间），含当日")
	FlagFormat   = m("csv or json", "csv 或 json")
	FlagOut      = m("salvage: the `path` of the copy (default NAME.salvaged-TIME.db beside the database)", "salvage: 副本的`路径`（默认为数据库旁的 NAME.salvaged-TIME.db）")
	FlagDefault  = m(" (default %v)", "（默认 %v）")
	FlagDefaultQ = m(" (default %q)", "（默认 %q）")

	// The flag package's complaints, as it words them in English.
	FlagUndefined  = m("flag provided but not defined: %s", "未定义的选项: %s")
	FlagBadSyntax  = m("bad flag syntax: %s", "选项写法有误: %s")
	FlagNeedsValue = m("flag needs an argument: %s", "选项需要一个值: %s")
	FlagBadValue   = m("invalid value %q for flag %s: %s", "选项 %[2]s 的值 %[1]q 无效: %[3]s")
	FlagParseError = m("parse error", "无法解析")
	FlagOutOfRange = m("value out of range", "超出范围")
	FlagBadBool    = m("invalid boolean value %q for %s: %s", "选项 %[2]s 的布尔值 %[1]q 无效: %[3]s")

	CLIUnexpected   = m("unexpected argument %q", "多余的参数 %q")
	CLIBadLang      = m("--lang: want en or zh, got %q", "--lang: 应为 en 或 zh，实为 %q")
	CLIUnknownCmd   = m("unknown command %q (try rareterm help)", "未知的命令 %q（试试 rareterm help）")
	CLICommands     = m("rareterm commands:", "rareterm 命令:")
	CLICommandsHint = m("Run rareterm COMMAND --help for a command's flags, rareterm --help for the dashboard's.", "用 rareterm 命令 --help 查看该命令的选项，用 rareterm --help 查看看板的选项。")
	CLISumCollect   = m("poll and cache with no screen (for a server or cron)", "无界面地拉取并缓存行情（用于服务器或 cron）")
	CLISumExport    = m("write a cached series as CSV or JSON to stdout", "将一个缓存的数据序列以 CSV 或 JSON 写到标准输出")
	CLISumImport    = m("load element prices or contract quarters from a CSV file, all rows or none", "从 CSV 文件导入稀土价格或精矿关联交易价格，要么全部导入，要么一行不导")
	CLISumDB        = m("stats, compact, check or salvage the database file", "统计、压缩、检查或抢救数据库文件")
	CLISumNode      = m("a node of a desk's NATS cluster, with no collector", "交易台 NATS 集群的一个节点，不运行采集器")

	// rareterm node.
	NodeUsage = m(`
usage: rareterm node [--listen ADDR] [--db PATH] [--config PATH]

A node of a desk's NATS cluster that runs no collector: the embedded NATS
server with JetStream, configured by the config's [desk] table (server_name,
cluster, cluster_listen, routes, and the listen address, token or user and
TLS its terminals use), its files beside the database path (which it does
not open). The collector's own server is the cluster's first node
(collect --serve with the same [desk] cluster keys); terminals --connect to
any node. Stops on SIGINT or SIGTERM.
`, `
用法: rareterm node [--listen ADDR] [--db PATH] [--config PATH]

交易台 NATS 集群中不运行采集器的节点: 内嵌带 JetStream 的 NATS 服务器，
由配置的 [desk] 表设定（server_name、cluster、cluster_listen、routes，
以及终端使用的 listen 地址、token 或用户与 TLS），文件放在数据库路径旁
（不打开数据库本身）。采集器自己的服务器是集群的第一个节点（collect --serve，
[desk] 集群键相同）；终端可用 --connect 连接任一节点。收到 SIGINT 或 SIGTERM 时停止。
`)
	DeskNoBook       = m("no order book for %s from the collector: %v", "采集器不提供 %s 的五档: %v")
	DeskConnectBad   = m("--connect %q: want nats://host:port, or several separated by commas", "--connect %q: 应为 nats://host:port，多个以逗号分隔")
	NodeNoCluster    = m("[desk] cluster is not set: a node joins a cluster (cluster, cluster_listen, routes)", "[desk] 未设置 cluster: 节点须加入集群（cluster、cluster_listen、routes）")
	NodeStarted      = m("node: %s of cluster %s: terminals at %s, routes at %s", "节点: %s，集群 %s: 终端连接 %s，路由 %s")
	NodeStopped      = m("node: stopped", "节点: 已停止")
	ExportBadFrom    = m("--from: %v", "--from: %v")
	ExportBadTo      = m("--to: %v", "--to: %v")
	ExportBadSymbol  = m("--symbol: %v", "--symbol: %v")
	CLILogFile       = m("log file: %v", "日志文件: %v")
	CLIReadingCache  = m("reading the cache: %v", "读取缓存: %v")
	CLIOpening       = m("opening %s: %v", "打开 %s: %v")
	CLITerminalPanic = m("internal error in the terminal library (the trace is above): %v", "终端库内部错误（调用栈见上方）: %v")
	CLIAdvice        = m("%v; run %q to recover what can be read, or move it aside", "%v；运行 %q 找回仍能读出的数据，或将该文件移走")
	CLIModeLive      = m("live", "实盘")
	CLIModeDemo      = m("demo", "演示盘")

	// Start-up notices in the dashboard's status bar.
	StartupOffline     = m("offline: cached data only", "离线: 仅有缓存数据")
	StartupAttached    = m("attached to the collector at %s", "已连接 %s 处的采集器")
	StartupDeskOffline = m("offline: the collector's history at %s", "离线: %s 处采集器的历史数据")
	StartupReviewCopy  = m("offline: a copy of the database made at %s (another rareterm is writing it)", "离线: %s 制作的数据库副本（另一个 rareterm 正在写入数据库）")
	DeskNoCollector    = m("no collector answers", "没有采集器应答")
	DeskNoCollectorAt  = m("%v at %s: %v", "%[2]s 处%[1]v: %[3]v")
	DeskOwnConnection  = m("the collector's own connection: %v", "采集器自身的连接: %v")
	DeskReadingSnap    = m("reading the collector's snapshot: %v", "读取采集器的快照: %v")
	ReviewCopyFailed   = m("no consistent copy of %s in %d tries (it is being written): %v", "%[2]d 次尝试都没能得到 %[1]s 的一致副本（它正被写入）: %[3]v")
	CLIAlertInConfig   = m("the rule is in the config file, which --demo leaves alone", "该规则在配置文件中，--demo 不会改动配置文件")

	// export
	ExportUsage = m(`
usage: rareterm export --series quotes|bars|margin|elements|contract|boards
                       [--symbol S] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                       [--format csv|json] [--demo] [--db PATH]

Writes one cached series to stdout, oldest first per symbol: CSV with a
header, or a JSON array of objects with the same keys. Unknown figures are
empty (CSV) or null (JSON); every row carries its source. --from and --to
are CST days, both included. --symbol keeps one stock, board (BKnnnn) or
element (id or name). The elements and contract CSVs are what
rareterm import reads. The database is opened read-only.`, `
用法: rareterm export --series quotes|bars|margin|elements|contract|boards
                      [--symbol S] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                      [--format csv|json] [--demo] [--db PATH] [--lang zh]

将一个缓存的数据序列写到标准输出，每个证券按时间从早到晚: CSV 带表头，
或 JSON 对象数组，键与 CSV 表头相同。未知的数字在 CSV 中为空，在 JSON
中为 null；每行都带有来源。--from 和 --to 是北京时间的日期，均含当日。
--symbol 只保留一只股票、一个板块（BKnnnn）或一个稀土品种（代号或名称）。
elements 和 contract 的 CSV 可直接由 rareterm import 读入。数据库以只读
方式打开。`)
	ExportSeriesRequired = m("--series is required", "必须给出 --series")
	ExportSeriesWant     = m("--series %q: want one of %s", "--series %q: 应为 %s 之一")
	ExportFormatWant     = m("--format %q: want csv or json", "--format %q: 应为 csv 或 json")
	ExportContractSymbol = m("--symbol does not apply to the contract series", "--symbol 不适用于 contract 序列")
	ExportFromAfterTo    = m("--from %s is after --to %s", "--from %s 晚于 --to %s")

	// import
	ImportUsage = m(`
usage: rareterm import [--db PATH] FILE

Loads element prices or contract quarters from a CSV file (FILE - reads
stdin), told apart by the header. Every row is checked first; if any is
bad, each bad row is printed as FILE:LINE: column COL: reason and nothing
is written. Otherwise every row is written in one transaction. A row equal
to what is stored is left alone, so importing a file twice adds nothing.

Element prices: date,element,price,source and optionally low,high,unit,
orig_unit. Contract quarters: quarter,price,source and optionally
basis_reo,note. A file has one kind or the other, never both columns.
Every price must be a finite number within its product's plausible band
([elements.bands] in the config; the contract's is 3,000-200,000 元/吨).
See the README for the details.`, `
用法: rareterm import [--db PATH] [--lang zh] FILE

从 CSV 文件导入稀土价格或精矿关联交易价格（FILE 为 - 时读标准输入），按表头
区分两者。先检查每一行；只要有一行有误，就逐行打印 文件:行: 列: 原因，且一行
都不写入。否则所有行在一个事务中写入。与已存数据相同的行保持不动，所以同一
文件导入两次不会多出数据。

稀土价格: date,element,price,source，可选 low,high,unit,orig_unit。
精矿关联交易价格: quarter,price,source，可选 basis_reo,note。一个文件只能是
其中一种，不能同时有两种的列。每个价格都须是有限数，且在该品种的合理区间内
（配置文件的 [elements.bands]；精矿价格为 3,000-200,000 元/吨）。
详见 README。`)
	ImportNoFile      = m("no FILE to import", "没有要导入的文件")
	ImportOneFile     = m("one FILE at a time (got %d)", "一次只能导入一个文件（给了 %d 个）")
	ImportNothing     = m("%v; nothing imported", "%v；未导入任何数据")
	ImportFileNothing = m("%s: %v; nothing imported", "%s: %v；未导入任何数据")
	ImportOneProblem  = m("%s: 1 problem; nothing imported", "%s: 1 处问题；未导入任何数据")
	ImportProblems    = m("%s: %d problems; nothing imported", "%s: %d 处问题；未导入任何数据")
	ImportRowColumn   = m("%s:%d: column %s: %v", "%s:%d: %s 列: %v")
	ImportedOne       = m("imported 1 row (%d new, %d changed, %d unchanged)", "已导入 1 行（新增 %d，变更 %d，未变 %d）")
	ImportedRows      = m("imported %d rows (%d new, %d changed, %d unchanged)", "已导入 %d 行（新增 %d，变更 %d，未变 %d）")
	ImportRowNoColumn = m("%s:%d: %v", "%s:%d: 整行: %v")

	// db
	DBUsage = m(`
usage: rareterm db stats|compact|check [--demo] [--db PATH]
       rareterm db salvage [--out PATH] [--demo] [--db PATH]

  stats     series, records, first and last times and size of every bucket,
            and the file's size
  compact   rewrite the file without its free pages (into a temporary file
            beside it, renamed over the original only once it is complete
            and checked); prints the sizes before and after. A damaged file
            is refused.
  check     a walk of every page, then bbolt's consistency check of the
            whole file
  salvage   copy every bucket and key of a damaged file that can still be
            read into a new file (--out, default NAME.salvaged-TIME.db
            beside it) and report, per bucket, what was copied and what was
            lost. The original is never modified.

The database must not be in use (a running rareterm holds it).`, `
用法: rareterm db stats|compact|check [--demo] [--db PATH] [--lang zh]
      rareterm db salvage [--out PATH] [--demo] [--db PATH] [--lang zh]

  stats     每个数据桶的序列数、记录数、最早与最晚时间和大小，以及文件大小
  compact   去掉空闲页重写文件（先写到旁边的临时文件，完整并检查无误后才
            替换原文件）；打印压缩前后的大小。损坏的文件不予压缩。
  check     逐页检查，再对整个文件做 bbolt 的一致性检查
  salvage   把损坏文件中仍能读出的每个数据桶和键复制到新文件（--out，默认
            为旁边的 NAME.salvaged-TIME.db），并按数据桶报告复制了什么、
            丢失了什么。原文件从不改动。

数据库不能正被使用（运行中的 rareterm 会占用它）。`)
	DBWantCommand      = m("want one of stats, compact, check, salvage", "应为 stats、compact、check、salvage 之一")
	DBOutSalvageOnly   = m("--out applies to salvage only", "--out 只用于 salvage")
	DBUnknownCommand   = m("unknown db command %q: want stats, compact, check or salvage", "未知的 db 命令 %q: 应为 stats、compact、check 或 salvage")
	DBCompacted        = m("compacted %s\n  before %d bytes (%s)\n  after  %d bytes (%s), %s smaller\n", "已压缩 %s\n  压缩前 %d 字节（%s）\n  压缩后 %d 字节（%s），减少 %s\n")
	DBConsistent       = m("%s: consistent\n", "%s: 一致\n")
	DBNoDatabaseAt     = m("no database at %s", "%s 处没有数据库")
	DBNoDatabaseYet    = m("no database at %s (nothing collected yet, or --db/--demo names another)", "%s 处没有数据库（尚未采集，或 --db/--demo 指向别处）")
	DBSalvaged         = m("salvaged %s into %s (%v database)\n\n", "已将 %s 抢救到 %s（%v数据库）\n\n")
	DBSalvageHeader    = m("bucket\tseries\tcopied\tunreadable values\tunreadable pages", "数据桶\t序列\t已复制\t不可读的值\t不可读的页")
	DBSalvageLost      = m("\nlost (the values on these pages, and under a lost branch page, could not be read):", "\n已丢失（这些页上的值，以及丢失的分支页之下的值，无法读出）:")
	DBSalvageMoreOne   = m("  and 1 more page\n", "  另有 1 页\n")
	DBSalvageMore      = m("  and %d more pages\n", "  另有 %d 页\n")
	DBSalvageNoLoss    = m("\nnothing lost: every page and value read", "\n没有丢失: 每一页、每个值都已读出")
	DBSalvageUse       = m("\n%s is unchanged. To use the copy: stop rareterm, move %s aside and rename %s to %s.\n", "\n%[1]s 未被改动。要使用副本: 停止 rareterm，将 %[2]s 移走，再把 %[3]s 改名为 %[4]s。\n")
	DBSalvageNothing   = m("nothing could be read from %s", "无法从 %s 读出任何数据")
	DBStatsHead        = m("%s: %v database, schema %d\n", "%s: %v数据库，结构版本 %d\n")
	DBStatsFile        = m("file %s (%d bytes): %s used, %s in free pages", "文件 %s（%d 字节）: 已用 %s，空闲页 %s")
	DBStatsCompactHint = m(" (rareterm db compact gives them back)", "（rareterm db compact 可收回）")
	DBStatsHeader      = m("bucket\tseries\trecords\tfirst\tlast\tsize", "数据桶\t序列\t记录\t最早\t最晚\t大小")

	// A recovered panic.
	CrashNoLog            = m("internal error in %s: %s (no crash log: %v)", "%s内部错误: %s（未能写崩溃日志: %v）")
	CrashWriting          = m("writing the crash log: %v", "写崩溃日志: %v")
	CrashInCommand        = m("a screen command", "界面命令")
	CrashInRetention      = m("collect's daily retention", "collect 的每日数据保留")
	CrashInCollectSignals = m("collect's signal handler", "collect 的信号处理")
	CrashInRareterm       = m("rareterm", "rareterm 主程序")
	CrashInSubscription   = m("the collector's subscription", "采集器订阅")
	CrashInReleaser       = m("the page releaser", "内存页释放")
	CrashInPoller         = m("the poller", "行情拉取")
	CrashInStart          = m("the screen's start", "界面启动")
	CrashInUpdate         = m("the screen's update", "界面更新")
	CrashInView           = m("the screen's view", "界面绘制")
	CrashInSignals        = m("the signal handler", "信号处理")
	CrashLog              = m("internal error in %s: %s; the details are in %s", "%s内部错误: %s；详情见 %s")

	// collect
	CollectUsage = m(`
usage: rareterm collect [--once] [--demo [--seed N]] [--serve [ADDR]] [--db PATH] [--config PATH]

Polls the feeds and caches every batch in the database, with no screen (for
a server or cron), on the cadences of the config's [poll] table. One line on
stderr per committed batch, and one when a feed starts or stops failing.
SIGINT or SIGTERM lets the requests in flight finish, writes their batch and
closes the database; a second signal abandons the requests in flight (what
they already returned is still written). Intraday quotes older than
history.retention_days are folded into 1-minute bars at start and daily.

With --once: one cycle of every kind, then exit 0, or 1 if every feed failed.
With --demo: the simulated market, into demo.db (never the live database).
With --serve: terminals share this collector over NATS JetStream (an
embedded server on ADDR, else [desk] listen, else 127.0.0.1:4222): every
committed batch is published, and dashboards started on this machine attach
by themselves (rareterm --connect nats://host:port from another one).`, `
用法: rareterm collect [--once] [--demo [--seed N]] [--serve [ADDR]]
                       [--db PATH] [--config PATH] [--lang zh]

无界面地按配置文件 [poll] 表的频率拉取各数据源，并把每个批次缓存到数据库
（用于服务器或 cron）。每提交一个批次，在标准错误输出一行；数据源开始或停止
失败时也各输出一行。SIGINT 或 SIGTERM 会等进行中的请求完成、写入其批次并
关闭数据库；再来一次信号则放弃进行中的请求（已返回的数据仍会写入）。
早于 history.retention_days 的盘中行情在启动时及每天并入 1 分钟 K 线。

--once: 每类数据各采集一轮后退出，成功为 0，所有数据源都失败为 1。
--demo: 模拟行情，写入 demo.db（从不写实盘数据库）。
--serve: 终端经 NATS JetStream 共享本采集器（内嵌服务器监听 ADDR，否则
[desk] listen，否则 127.0.0.1:4222）: 每个提交的批次都会发布，本机启动的
看板会自动连接（其他机器用 rareterm --connect nats://host:port）。`)
	CollectSignal       = m("collect: %v: finishing the batch in hand (again to abandon the requests in flight)", "collect: %v: 正在写完手头的批次（再发一次信号则放弃进行中的请求）")
	CollectAbandon      = m("collect: abandoning the requests in flight", "collect: 放弃进行中的请求")
	CollectAbandonAfter = m("collect: abandoning the requests still in flight after %v", "collect: %v 后放弃仍在进行的请求")
	CollectServingErr   = m("serving terminals: %v", "为终端提供服务: %v")
	CollectServing      = m("collect: serving terminals at %s", "collect: 在 %s 为终端提供服务")
	CollectAlertsLeft   = m("collect: alert deliveries still waiting after %v were abandoned", "collect: %v 后仍在等待的预警推送已放弃")
	CollectStart        = m("collect: %s (%v), %d symbols, %d boards", "collect: %s（%v），%d 个证券，%d 个板块")
	CollectStoppedEarly = m("collect: stopped before the cycle began; database closed", "collect: 本轮开始前已停止；数据库已关闭")
	CollectSignalLost   = m("stopped by a signal, and the batch was not written: %v", "被信号停止，且批次未写入: %v")
	CollectStoppedCycle = m("collect: stopped during the cycle after %d committed batches; database closed", "collect: 本轮进行中停止，已提交 %d 个批次；数据库已关闭")
	CollectNotWritten   = m("the batch was not written: %v", "批次未写入: %v")
	CollectStopped      = m("collect: stopped after %d committed batches; database closed", "collect: 已停止，共提交 %d 个批次；数据库已关闭")
	CollectAllFailed    = m("every feed failed (%s)", "所有数据源均失败（%s）")
	CollectLine         = m("collect: %v", "collect: %v")
	RetentionFolded     = m("retention: folded %d quotes before %s into %d 1-minute bars (%d symbols)", "保留期: 已将 %[2]s 之前的 %[1]d 条行情并入 %[3]d 根 1 分钟 K 线（%[4]d 个证券）")
	RetentionThinned    = m("; %d board moves and constituent lists thinned to the last of each day", "；%d 条板块行情与成分股列表精简为每日最后一条")
	RetentionFailed     = m("retention: %v", "保留期: %v")
	BatchNotWritten     = m("batch %d not written: %v", "批次 %d 未写入: %v")
	BatchCommitted      = m("batch %d committed: %d quotes, %d bars, %d margin, %d element prices, boards %d%s", "批次 %d 已提交: 行情 %d 条，K 线 %d 根，融资融券 %d 条，稀土价格 %d 条，板块 %d%s")
	BatchAlert          = m("  alert: %s — %s", "  预警: %s — %s")
	BatchFeedFailing    = m("  feed %s failing (%d in a row): %s", "  数据源 %s 失败（连续 %d 次）: %s")
	BatchFeedRecovered  = m("  feed %s recovered", "  数据源 %s 已恢复")
	BatchNotices        = m(", %d notices", "，公告 %d 条")
	BatchContractNoPx   = m(", contract %s announced, price not parsed (%s)", "，%s 季度精矿关联交易价格已公告，价格未能解析（%s）")
	BatchProposed       = m(" (proposed)", "（拟定）")
	BatchContract       = m(", contract %s %.2f 元/吨 at REO %g%%", "，%s 季度精矿关联交易价格 %.2f 元/吨（REO %g%%）")
)
