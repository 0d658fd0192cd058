package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

func TestConfigDefaults(t *testing.T) {
	c, err := parseConfig("c.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Watchlist) != 15 || c.Watchlist[0].Code != "600111" || c.Watchlist[10].Market != model.MarketHKEX {
		t.Errorf("default watchlist: %+v", c.Watchlist)
	}
	if c.Eastmoney.Push2URL != "https://push2.eastmoney.com" || c.Sina.URL != "https://hq.sinajs.cn" {
		t.Errorf("default hosts: %+v %+v", c.Eastmoney, c.Sina)
	}
	if err := model.ValidateWeights(c.Index.Eras[0].Weights); err != nil {
		t.Errorf("default basket: %v", err)
	}
	if c.Colors != "chinese" || c.RetentionDays != 30 {
		t.Errorf("colors %q retention %d", c.Colors, c.RetentionDays)
	}
}

func TestConfigFullFile(t *testing.T) {
	src := `# my desk
colors = "western"

[watchlist]
symbols = ["600111", "sz000831", "06680"]   # three names
boards = ["BK0578"]

[index]
base = 100
base_date = "2025-06-02"
[index.weights]
prnd_oxide = 0.6
"氧化钕" = 0.4

[feeds.eastmoney]
push2_url = "http://127.0.0.1:8080/"

[poll]
quotes_open = "3s"
margin = "12h"

[timeouts]
quotes = "2s"

[history]
retention_days = 10
`
	c, err := parseConfig("c.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.Colors != "western" || len(c.Watchlist) != 3 || c.Watchlist[1].Market != model.MarketSZSE || len(c.Boards) != 1 {
		t.Errorf("watchlist/colors: %+v %v", c.Watchlist, c.Colors)
	}
	if c.Index.Base != 100 || !c.Index.BaseDate.Equal(model.Date(2025, 6, 2)) || len(c.Index.Eras[0].Weights) != 2 {
		t.Errorf("index: %+v", c.Index)
	}
	if c.Eastmoney.Push2URL != "http://127.0.0.1:8080" || c.Eastmoney.Push2HisURL != "https://push2his.eastmoney.com" {
		t.Errorf("eastmoney urls: %+v", c.Eastmoney)
	}
	if c.Cadence.QuotesOpen != 3*time.Second || c.Cadence.Margin != 12*time.Hour || c.Timeouts.Quotes != 2*time.Second || c.RetentionDays != 10 {
		t.Errorf("durations: %+v %+v %d", c.Cadence, c.Timeouts, c.RetentionDays)
	}
}

func TestConfigErrorsNameKeyAndLine(t *testing.T) {
	for _, c := range []struct {
		src, key string
		line     int
		msg      string
	}{
		{"[watchlist]\nsymbols = [\"600111\"]\ncolours = \"x\"\n", "watchlist.colours", 3, "unknown key"},
		{"colors = \"purple\"\n", "colors", 1, "western"},
		{"\n[poll]\nquotes_open = \"fast\"\n", "poll.quotes_open", 3, "duration"},
		{"[poll]\nquotes_open = \"100ms\"\n", "poll.quotes_open", 2, "polite minimum"},
		{"[poll]\nquotes_open = 5\n", "poll.quotes_open", 2, "incompatible types"},
		{"[watchlist]\nsymbols = [\"abc\"]\n", "watchlist.symbols", 2, "not a stock"},
		{"[index.weights]\nprnd_oxide = 0.5\nnd_oxide = 0.4\n", "index.weights", 1, "sum"},
		{"[index.weights]\nunobtanium = 1\n", "index.weights.unobtanium", 2, "unknown element"},
		{"[feeds.sina]\nurl = \"ftp://x\"\n", "feeds.sina.url", 2, "http"},
		{"[index]\nbase_date = \"2025-13-40\"\n", "index.base_date", 2, "YYYY-MM-DD"},
		{"[history]\nretention_days = 0\n", "history.retention_days", 2, "at least 1"},
		// An unclosed [watchlist header: its own line, not the next one.
		{"colors = \"western\"\n\n[watchlist\nsymbols = [\"600111\"]\n", "watchlist", 3, "[watchlist is not closed: want [watchlist]"},
		{"[watchlist\n", "watchlist", 1, "not closed"},
		{"[watchlist", "watchlist", 1, "not closed"},
		{"[ feeds.sina  # fallback\nurl = \"x\"\n", "feeds.sina", 1, "not closed"},
		// A bad element of a multi-line array: the element's line.
		{"\n[watchlist]\nsymbols = [\n  \"600111\",\n  \"zz\",\n]\n", "watchlist.symbols", 5, "\"zz\" is not a stock"},
		{"[watchlist]\nboards = [\"BK0578\",\n  \"600111\"]  # boards\n", "watchlist.boards", 3, "not a board code"},
		{"[feeds.prices]\nppi_urls = [\n  \"https://a.example/x\",\n  'ftp://b'\n]\n", "feeds.prices.ppi_urls", 4, "http"},
		// Dotted keys.
		{"colors = \"chinese\"\nwatchlist.symbols = [\"abc\"]\n", "watchlist.symbols", 2, "not a stock"},
		{"[feeds]\nsina.url = \"ftp://x\"\n", "feeds.sina.url", 2, "http"},
	} {
		_, err := parseConfig("c.toml", []byte(c.src))
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%q: got %v, want a ConfigError", c.src, err)
			continue
		}
		if ce.Key != c.key || ce.Line != c.line || !strings.Contains(ce.Msg.Error(), c.msg) {
			t.Errorf("%q: got key %q line %d msg %q; want %q line %d containing %q", c.src, ce.Key, ce.Line, ce.Msg, c.key, c.line, c.msg)
		}
	}
	_, err := parseConfig("c.toml", []byte("colors = \n"))
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Line != 1 {
		t.Errorf("syntax error: %v", err)
	}
}

func TestDemoNeverOpensLiveDatabase(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data")
	o := options{demo: true}
	if got := o.dbPath(); got != "/data/rareterm/demo.db" {
		t.Errorf("demo db %q", got)
	}
	o = options{demo: true, db: "/x/rareterm.db"}
	if got := o.dbPath(); got != "/x/demo.db" {
		t.Errorf("--demo --db /x/rareterm.db opened %q, want the demo.db beside it", got)
	}
	o = options{}
	if got := o.dbPath(); got != "/data/rareterm/rareterm.db" {
		t.Errorf("live db %q", got)
	}
}

func TestSaveWatchlistKeepsTheRest(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"one line with comment", "# my desk\ncolors = \"western\"\n\n[watchlist]\n# what I trade\nsymbols = [\"600111\"]  # core\nboards = [\"BK0578\"]\n\n[poll]\nquotes_open = \"5s\"\n",
			"# my desk\ncolors = \"western\"\n\n[watchlist]\n# what I trade\nsymbols = [\"600111\", \"600392\"]  # core\nboards = [\"BK0578\"]\n\n[poll]\nquotes_open = \"5s\"\n"},
		{"multi-line array", "[watchlist]\nsymbols = [\n  \"600111\", # north\n  \"000831\",\n]\nboards = [\"BK0578\"]\n",
			"[watchlist]\nsymbols = [\n  \"600111\",  # north\n  \"600392\",\n]\nboards = [\"BK0578\"]\n"},
		{"table without symbols", "[watchlist]\nboards = [\"BK0578\"]\n\n[poll]\nboards = \"10s\"\n",
			"[watchlist]\nboards = [\"BK0578\"]\nsymbols = [\"600111\", \"600392\"]\n\n[poll]\nboards = \"10s\"\n"},
		{"no table", "colors = \"western\"\n", "colors = \"western\"\n\n[watchlist]\nsymbols = [\"600111\", \"600392\"]\n"},
		{"empty file", "", "[watchlist]\nsymbols = [\"600111\", \"600392\"]\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := t.TempDir() + "/config.toml"
			if c.src != "" {
				if err := os.WriteFile(path, []byte(c.src), 0o640); err != nil {
					t.Fatal(err)
				}
			}
			if err := SaveWatchlist(path, []string{"600111", "600392"}); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(path)
			if string(got) != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
			cfg, err := LoadConfig(path)
			if err != nil || len(cfg.Watchlist) != 2 || cfg.Watchlist[1].Code != "600392" {
				t.Errorf("reload: %v %+v", err, cfg.Watchlist)
			}
			if c.src != "" {
				if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
					t.Errorf("mode changed to %v", st.Mode().Perm())
				}
			}
		})
	}
}

func TestConfigCalendar(t *testing.T) {
	cfg, err := parseConfig("c.toml", []byte("[calendar]\nclosures = [\"2031-03-11\"]\nhk_open_days = [\"2031-12-26\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Calendar.Apply()
	defer Calendar{}.Apply()
	if model.IsTradingDay(model.ExchangeA, model.Date(2031, 3, 11)) {
		t.Error("a configured closure still trades")
	}
	if !model.IsTradingDay(model.ExchangeHK, model.Date(2031, 12, 26)) {
		t.Error("a configured HK open day is still shut")
	}
	for in, want := range map[string]string{
		"[calendar]\nclosures = \"2031-03-11\"\n":     `c.toml:2: calendar.closures: want a list of dates`,
		"[calendar]\n\nclosures = [\"11/03/2031\"]\n": `c.toml:3: calendar.closures: date "11/03/2031": want YYYY-MM-DD`,
		"[calendar]\nclosures = [\"2031-03-08\"]\n":   `c.toml:2: calendar.closures: 2031-03-08 is a Saturday`,
		"[calendar]\nholidays = [\"2031-03-11\"]\n":   `c.toml:2: calendar.holidays: unknown key`,
	} {
		if _, err := parseConfig("c.toml", []byte(in)); err == nil || !strings.HasPrefix(err.Error(), "config "+want) && !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %s", in, err, want)
		}
	}
}

func TestMarketConfig(t *testing.T) {
	c, err := parseConfig("c.toml", []byte("[margin]\nsector = [\"600111\", \"sz000831\", \"600111\"]\nboard = \"bk1027\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(c.Market.Sector) != "[600111 000831]" || c.Market.SectorBoard != "BK1027" || c.Market.Push2exURL != "https://push2ex.eastmoney.com" {
		t.Errorf("%+v", c.Market)
	}
	c, err = parseConfig("c.toml", []byte("[watchlist]\ncolumns = [\"code\", \"name\", \"chg\", \"turnover\"]\n"))
	if err != nil || fmt.Sprint(c.Market.WatchColumns) != "[code name chg turnover]" {
		t.Errorf("columns %v %v", c.Market.WatchColumns, err)
	}
	if fmt.Sprint(c.Market.ETFs) != "[516150]" {
		t.Errorf("default ETFs %v", c.Market.ETFs)
	}
	c, err = parseConfig("c.toml", []byte("[etf]\nsymbols = [\"159713\", \"sh516150\"]\n"))
	if err != nil || fmt.Sprint(c.Market.ETFs) != "[159713 516150]" {
		t.Errorf("etf.symbols %v %v", c.Market.ETFs, err)
	}
	c, err = parseConfig("c.toml", []byte("[feeds.eastmoney]\npush2_url = \"http://127.0.0.1:9/\"\n"))
	if err != nil || c.Market.Push2exURL != "http://127.0.0.1:9" {
		t.Errorf("a push2 mirror does not serve the pools: %+v %v", c.Market, err)
	}
	c, err = parseConfig("c.toml", []byte("[feeds.eastmoney]\npush2_url = \"http://127.0.0.1:9/\"\npush2ex_url = \"http://127.0.0.1:10\"\n"))
	if err != nil || c.Market.Push2exURL != "http://127.0.0.1:10" {
		t.Errorf("push2ex_url: %+v %v", c.Market, err)
	}
	for _, bad := range []struct{ body, want string }{
		{"[margin]\nsector = [\"516150\"]\n", "c.toml:2: margin.sector: \"516150\" is not an A-share stock code"},
		{"[margin]\nsector = [\"06680\"]\n", "margin.sector: \"06680\" is not an A-share stock code"},
		{"[margin]\nboard = \"600111\"\n", "margin.board"},
		{"[margin]\nsectors = []\n", "margin.sectors: unknown key"},
		{"[feeds.eastmoney]\npush2ex_url = \"ftp://x\"\n", "feeds.eastmoney.push2ex_url"},
		{"[watchlist]\ncolumns = [\"code\", \"volume\"]\n", "c.toml:2: watchlist.columns: \"volume\" is not a column"},
		{"[watchlist]\ncolumns = []\n", "watchlist.columns: name at least one column"},
		{"[etf]\nsymbols = [\"600111\"]\n", "c.toml:2: etf.symbols: \"600111\" is not an ETF code"},
	} {
		_, err := parseConfig("c.toml", []byte(bad.body))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want %q", bad.body, err, bad.want)
		}
	}
}
