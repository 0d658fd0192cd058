package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/store"
)

// A bad config key is reported in Chinese with --lang zh, naming the file,
// the line and the key; in English as before.
func TestConfigErrorInChinese(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(cfg, []byte("\n[watchlist]\nsymbols = [\"600111\"]\ncolours = \"x\"\n"), 0o600)
	code, _, errOut := rt(t, "--lang", "zh", "--config", cfg)
	want := "rareterm: 配置文件 " + cfg + " 第 4 行，watchlist.colours: 未知的键（rareterm 读取的键见 README）\n"
	if code != 1 || errOut != want {
		t.Errorf("exit %d, stderr %q\nwant %q", code, errOut, want)
	}
	code, _, errOut = rt(t, "--lang", "en", "--config", cfg)
	want = "rareterm: config " + cfg + ":4: watchlist.colours: unknown key (see the README for the keys rareterm reads)\n"
	if code != 1 || errOut != want {
		t.Errorf("exit %d, stderr %q\nwant %q", code, errOut, want)
	}

	// A value's error from the model (a date) is in Chinese too, and so is
	// a weekday.
	os.WriteFile(cfg, []byte("[index]\nbase_date = \"2025-13-40\"\n[calendar]\nclosures = [\"2027-02-13\"]\n"), 0o600)
	if _, _, errOut := rt(t, "--lang", "zh", "--config", cfg); !strings.Contains(errOut, "第 2 行，index.base_date: 日期 \"2025-13-40\": 应为 YYYY-MM-DD") {
		t.Errorf("stderr %q", errOut)
	}
	os.WriteFile(cfg, []byte("[calendar]\nclosures = [\"2027-02-13\"]\n"), 0o600)
	if _, _, errOut := rt(t, "--lang", "zh", "--config", cfg); !strings.Contains(errOut, "calendar.closures: 2027-02-13 是星期六: 交易所周末从不交易") {
		t.Errorf("stderr %q", errOut)
	}
	if _, _, errOut := rt(t, "--lang", "en", "--config", cfg); !strings.Contains(errOut, "calendar.closures: 2027-02-13 is a Saturday: the exchanges never trade on weekends") {
		t.Errorf("stderr %q", errOut)
	}
	// The TOML parser's commonest complaints, in Chinese too.
	os.WriteFile(cfg, []byte("[poll]\nquotes_open = 5\n"), 0o600)
	if _, _, errOut := rt(t, "--lang", "zh", "--config", cfg); !strings.HasSuffix(errOut, "第 2 行，poll.quotes_open: 类型不符: TOML 值的类型为 int64，此处应为 string\n") {
		t.Errorf("stderr %q", errOut)
	}
	// An alert rule that does not parse.
	os.WriteFile(cfg, []byte("[[alerts]]\nrule = \"600111 >\"\n"), 0o600)
	if _, _, errOut := rt(t, "--lang", "zh", "--config", cfg); !strings.Contains(errOut, "第 2 行，alerts.rule: ") || !strings.Contains(errOut, "之后应为 运算符 数值") {
		t.Errorf("stderr %q", errOut)
	}
}

// The config's own error is in the locale's language when --lang is not
// given (the config's lang cannot be trusted: it did not read); a config
// that reads chooses the language of what follows.
func TestCommandLineLanguageOrder(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("lang = \"zh\"\ncolors = \"purple\"\n"), 0o600)
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "C.UTF-8")
	if _, _, errOut := rt(t, "--config", cfg); !strings.HasPrefix(errOut, "rareterm: config "+cfg+":2: colors: want \"chinese\"") {
		t.Errorf("C locale: %q", errOut)
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if _, _, errOut := rt(t, "--config", cfg); !strings.HasPrefix(errOut, "rareterm: 配置文件 "+cfg+" 第 2 行，colors: 应为 \"chinese\"") {
		t.Errorf("zh locale: %q", errOut)
	}
	if _, _, errOut := rt(t, "--config", cfg, "--lang", "en"); !strings.HasPrefix(errOut, "rareterm: config ") {
		t.Errorf("--lang en over a zh locale: %q", errOut)
	}

	// A config that reads and says zh: the subcommands speak Chinese.
	t.Setenv("LANG", "C.UTF-8")
	os.WriteFile(cfg, []byte("lang = \"zh\"\n"), 0o600)
	missing := filepath.Join(dir, "none.db")
	code, _, errOut := rt(t, "db", "stats", "--config", cfg, "--db", missing)
	if code != 1 || !strings.Contains(errOut, "rareterm db stats: "+missing+" 处没有数据库（尚未采集，或 --db/--demo 指向别处）") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	// --lang beats the config.
	_, _, errOut = rt(t, "db", "stats", "--config", cfg, "--db", missing, "--lang=en")
	if !strings.Contains(errOut, "no database at "+missing) {
		t.Errorf("--lang=en: %q", errOut)
	}
	// A bad --lang is a usage error, in either language.
	code, _, errOut = rt(t, "export", "--lang", "fr", "--series", "quotes")
	if code != 2 || !strings.Contains(errOut, "rareterm export: --lang: want en or zh, got \"fr\"") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// A database held by another process: the error says so in Chinese, and it
// is still store.ErrInUse.
func TestDatabaseInUseInChinese(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	db, err := store.Open(path, store.Options{NoReference: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	code, _, errOut := rt(t, "db", "compact", "--lang", "zh", "--db", path)
	want := "rareterm db compact: 数据库正被使用: " + path + "（是否有另一个 rareterm 正在运行？）\n"
	if code != 1 || errOut != want {
		t.Errorf("exit %d, stderr %q\nwant %q", code, errOut, want)
	}
	_, _, err = store.CompactFile(path, 10*time.Millisecond)
	if !errors.Is(err, store.ErrInUse) {
		t.Errorf("errors.Is(%v, ErrInUse) is false", err)
	}
	if got := err.Error(); got != "database in use: "+path+" (another rareterm is running?)" {
		t.Errorf("English: %q", got)
	}
}

// A damaged file's advice is in Chinese, and the error still unwraps to the
// DamagedError.
func TestDamagedAdviceInChinese(t *testing.T) {
	err := withAdvice(&store.DamagedError{Path: "/data/x.db", Detail: "page 7: unreadable"})
	var de *store.DamagedError
	if !errors.As(err, &de) || !errors.Is(err, store.ErrDamaged) {
		t.Fatalf("%v does not unwrap to the DamagedError", err)
	}
	if got, want := i18n.Say(i18n.ZH, err), "数据库已损坏: /data/x.db（page 7: unreadable）；运行 \"rareterm db salvage --db /data/x.db\" 找回仍能读出的数据，或将该文件移走"; got != want {
		t.Errorf("Chinese:\n%q\nwant\n%q", got, want)
	}
	if got, want := err.Error(), "database damaged: /data/x.db (page 7: unreadable); run \"rareterm db salvage --db /data/x.db\" to recover what can be read, or move it aside"; got != want {
		t.Errorf("English:\n%q\nwant\n%q", got, want)
	}
}

// The import's row errors, FILE:LINE: column, in Chinese.
func TestImportErrorsInChinese(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "prices.csv")
	os.WriteFile(bad, []byte("date,element,price,unit,source\n"+
		"2026-02-02,氧化镨钕,68.5,万元/吨,SMM\n"+
		"2026-02-03,氧化镨钕,abc,万元/吨,SMM\n"+
		"2026-02-31,金属铽,7800000,元/吨,\n"+
		"2026-02-04,氧化镨钕,9999999,元/吨,SMM\n"), 0o600)
	code, out, errOut := rt(t, "import", "--lang", "zh", "--db", filepath.Join(dir, "x.db"), bad)
	want := bad + ":3: price 列: 应为正数，实为 \"abc\"\n" +
		bad + ":4: date 列: \"2026-02-31\": 应为 YYYY-MM-DD\n" +
		bad + ":4: source 列: 为空: 每个数字都须注明来源\n" +
		bad + ":5: price 列: 氧化镨钕价格 9,999,999 元/吨 超出其合理区间 [80,000, 5,500,000] 元/吨\n" +
		"rareterm import: " + bad + ": 4 处问题；未导入任何数据\n"
	if code != 1 || out != "" || errOut != want {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, out, errOut, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Error("a database was created")
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("date,element,price,unit,source\n2026-02-02,氧化镨钕,68.5,万元/吨,SMM\n"), 0o600)
	code, out, errOut = rt(t, "import", "--lang", "zh", "--db", filepath.Join(dir, "x.db"), good)
	if code != 0 || out != "已导入 1 行（新增 1，变更 0，未变 0）\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// Usage and flag help in Chinese: the synopsis, every flag's help, and the
// default's word; English keeps the flag package's layout.
func TestUsageInChinese(t *testing.T) {
	code, _, errOut := rt(t, "export", "--help", "--lang", "zh")
	for _, s := range []string{"用法: rareterm export --series", "  -db 路径\n    \t数据库路径（默认 ", "  -format string\n    \tcsv 或 json（默认 \"csv\"）", "  -lang en\n    \t界面语言"} {
		if code != 0 || !strings.Contains(errOut, s) {
			t.Errorf("exit %d: %q not in\n%s", code, s, errOut)
		}
	}
	code, _, errOut = rt(t, "export", "--help", "--lang", "en")
	for _, s := range []string{"usage: rareterm export --series", "  -db path\n    \tdatabase path (default ", "  -format string\n    \tcsv or json (default \"csv\")"} {
		if code != 0 || !strings.Contains(errOut, s) {
			t.Errorf("exit %d: %q not in\n%s", code, s, errOut)
		}
	}
	_, _, errOut = rt(t, "--help", "--lang=zh")
	if !strings.HasPrefix(errOut, "用法: rareterm [--demo") || !strings.Contains(errOut, "不联网: 查看缓存的历史数据") {
		t.Errorf("dashboard usage:\n%s", errOut)
	}
	code, _, errOut = rt(t, "db", "--lang", "zh")
	if code != 2 || !strings.HasPrefix(errOut, "rareterm db: 应为 stats、compact、check、salvage 之一\n用法: rareterm db") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	code, out, _ := rt(t, "help", "--lang", "zh")
	if code != 0 || !strings.Contains(out, "rareterm 命令:\n  collect  无界面地拉取") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	// The flag package's complaints, in Chinese, then the usage once.
	code, _, errOut = rt(t, "collect", "--lang", "zh", "--seed", "x")
	if code != 2 || !strings.HasPrefix(errOut, "选项 -seed 的值 \"x\" 无效: 无法解析\n用法: rareterm collect") || strings.Count(errOut, "用法") != 1 {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	code, _, errOut = rt(t, "--lang=zh", "--bogus")
	if code != 2 || !strings.HasPrefix(errOut, "未定义的选项: -bogus\n用法: rareterm [--demo") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	code, _, errOut = rt(t, "--bogus", "--lang=en")
	if code != 2 || !strings.HasPrefix(errOut, "flag provided but not defined: -bogus\nusage: rareterm [--demo") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	// The Chinese help has the English one's flags, in the same layout.
	var en, zh bytes.Buffer
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.String("format", "csv", "f")
	fs.Int64("seed", 1, "s")
	fs.Bool("once", false, "o")
	fs.SetOutput(&en)
	printDefaults(fs, i18n.EN)
	fs.SetOutput(&zh)
	printDefaults(fs, i18n.ZH)
	r := strings.NewReplacer(" (default ", "（默认 ", ")\n", "）\n")
	if got := r.Replace(en.String()); got != zh.String() {
		t.Errorf("layout:\n%s\nwant\n%s", zh.String(), got)
	}
}

// db stats in Chinese: its table aligned by display width.
func TestDBStatsInChinese(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errOut := rt(t, "db", "stats", "--lang", "zh", "--db", path)
	if code != 0 || !strings.Contains(out, ": 实盘数据库，结构版本 ") || !strings.Contains(out, "数据桶") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	lines := strings.Split(out, "\n")
	var head int
	for i, l := range lines {
		if strings.HasPrefix(l, "数据桶") {
			head = i
		}
	}
	// Every column starts at the same cell on every line of the table.
	col := func(l string, n int) int { // the cell where field n starts
		f := strings.Fields(l)
		i := strings.Index(l, " "+f[n]+" ")
		if n == len(f)-1 {
			i = strings.LastIndex(l, " "+f[n])
		}
		return lipgloss.Width(l[:i+1])
	}
	want := col(lines[head], 1)
	for _, l := range lines[head+1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if got := col(l, 1); got != want {
			t.Errorf("column 2 at cell %d, header's at %d:\n%s", got, want, out)
		}
	}
}

// A recovered panic, as the user reads it, in Chinese.
func TestCrashInChinese(t *testing.T) {
	c := &crashError{where: "the poller", value: "boom", log: "/tmp/crash-1.log"}
	if got, want := c.In(i18n.ZH), "行情拉取内部错误: boom；详情见 /tmp/crash-1.log"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got, want := c.Error(), "internal error in the poller: boom; the details are in /tmp/crash-1.log"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
