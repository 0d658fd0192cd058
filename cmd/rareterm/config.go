package main

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/eastmoney"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui"
)

// Config is the user's configuration, defaults filled in.
type Config struct {
	Path      string
	Colors    string // "chinese" (red up) or "western" (green up)
	Watchlist []model.Symbol
	Boards    []string
	Index     model.IndexSpec // one era: the basket in the file
	Eastmoney struct {
		Push2URL, Push2HisURL, DatacenterURL string
		AnoticeURL, CnoticeURL               string  // announcement lists and texts
		RatePerSec                           float64 // requests per second per host
	}
	Sina struct {
		URL        string
		Enabled    bool
		RatePerSec float64
	}
	Prices struct {
		PPIURLs []string
		Vendor  VendorConfig
	}
	Cadence       feeds.Cadence
	Timeouts      feeds.Timeouts
	RetentionDays int
	BackfillDays  int
	Keys          []ui.KeyBinding // [keys]: remapped bindings, in file order
	// Bands are the plausible price bands of the products ([elements.bands]).
	Bands model.Bands
	// Calendar corrects the exchanges' trading calendars ([calendar]).
	Calendar Calendar
	// Alerts are the [[alerts]] rules (config_alerts.go).
	Alerts []model.AlertRule
	// Estimate chooses the contract estimate's regressors ([contract]).
	Estimate model.EstimateSpec
	// Market is the sector list and the limit-up pool's host (config_market.go).
	Market MarketConfig
	// Lang is the labels' language ("en" or "zh"; "" when the file does not
	// say: --lang or the locale decides).
	Lang string
	// ElementsWan shows element prices in 万元/吨 ([units] elements = "wan").
	ElementsWan bool
	// Charts is the older place of the language ([charts] language).
	Charts Charts
	// Desk is how terminals share one collector ([desk]).
	Desk DeskConfig
}

// VendorConfig points the vendor element-price adapter at a URL or a file.
type VendorConfig struct {
	URL         string
	Format      string // csv or json
	Name        string
	Date        string
	Element     string
	Price       string
	Low         string
	High        string
	Unit        string
	DefaultUnit string
}

// The file's shape. Durations are strings ("5s", "1h").
type fileConfig struct {
	Colors string `toml:"colors"`
	Lang   string `toml:"lang"`
	Units  struct {
		Elements string `toml:"elements"`
	} `toml:"units"`
	Watchlist struct {
		Symbols []string `toml:"symbols"`
		Boards  []string `toml:"boards"`
	} `toml:"watchlist"`
	Index struct {
		Base     float64            `toml:"base"`
		BaseDate string             `toml:"base_date"`
		Weights  map[string]float64 `toml:"weights"`
	} `toml:"index"`
	Feeds struct {
		Eastmoney struct {
			Push2URL      string   `toml:"push2_url"`
			Push2HisURL   string   `toml:"push2his_url"`
			DatacenterURL string   `toml:"datacenter_url"`
			AnoticeURL    string   `toml:"anotice_url"`
			CnoticeURL    string   `toml:"cnotice_url"`
			RatePerSec    *float64 `toml:"requests_per_sec"`
		} `toml:"eastmoney"`
		Sina struct {
			URL        string   `toml:"url"`
			Enabled    *bool    `toml:"enabled"`
			RatePerSec *float64 `toml:"requests_per_sec"`
		} `toml:"sina"`
		Prices struct {
			PPIURLs []string `toml:"ppi_urls"`
			Vendor  struct {
				URL         string `toml:"url"`
				Format      string `toml:"format"`
				Name        string `toml:"name"`
				Date        string `toml:"date"`
				Element     string `toml:"element"`
				Price       string `toml:"price"`
				Low         string `toml:"low"`
				High        string `toml:"high"`
				Unit        string `toml:"unit"`
				DefaultUnit string `toml:"default_unit"`
			} `toml:"vendor"`
		} `toml:"prices"`
	} `toml:"feeds"`
	Poll struct {
		QuotesOpen   string `toml:"quotes_open"`
		QuotesClosed string `toml:"quotes_closed"`
		Boards       string `toml:"boards"`
		Members      string `toml:"members"`
		Margin       string `toml:"margin"`
		Elements     string `toml:"elements"`
		History      string `toml:"history"`
	} `toml:"poll"`
	Timeouts struct {
		Quotes   string `toml:"quotes"`
		History  string `toml:"history"`
		Margin   string `toml:"margin"`
		Boards   string `toml:"boards"`
		Elements string `toml:"elements"`
	} `toml:"timeouts"`
	History struct {
		RetentionDays *int `toml:"retention_days"`
		BackfillDays  *int `toml:"backfill_days"`
	} `toml:"history"`
	Keys map[string]any `toml:"keys"`
}

// DefaultWatchlist is REFERENCE.md's instrument list.
var DefaultWatchlist = []string{"600111", "600010", "000831", "600392", "600259", "300748", "000970", "600549", "002645", "300631", "06680", "00769", "01208", "02600", "516150"}

// DefaultBoards are the sector boards shown by default.
var DefaultBoards = []string{"BK0578", "BK1027", "BK0479"}

// ConfigError names the key and the line of a bad setting.
type ConfigError struct {
	Path string
	Key  string
	Line int
	// Msg is what is wrong: a catalogue message (i18n.Error), or the TOML
	// parser's own words.
	Msg error
}

func (e *ConfigError) Error() string { return e.In(i18n.EN) }

// In is the error in l, the file, line and key as they are.
func (e *ConfigError) In(l i18n.Lang) string {
	switch {
	case e.Line > 0 && e.Key != "":
		return i18n.ConfigErrKeyLine.F(l, e.Path, e.Line, e.Key, e.Msg)
	case e.Line > 0:
		return i18n.ConfigErrLine.F(l, e.Path, e.Line, e.Msg)
	case e.Key != "":
		return i18n.ConfigErrKey.F(l, e.Path, e.Key, e.Msg)
	}
	return i18n.ConfigErrFile.F(l, e.Path, e.Msg)
}

// Unwrap is the problem itself.
func (e *ConfigError) Unwrap() error { return e.Msg }

// configMsg is a ConfigError's Msg from the catalogue.
func configMsg(t i18n.Text, args ...any) error { return i18n.Errorf(t, args...) }

// plainMsg is a ConfigError's Msg in the words of a library (the TOML
// parser), which has them in English only: the commonest are said from the
// catalogue, in either language.
func plainMsg(s string) error {
	for _, t := range tomlMessages {
		if m := t.re.FindStringSubmatch(s); m != nil {
			args := make([]any, len(m)-1)
			for i, a := range m[1:] {
				args[i] = a
			}
			return configMsg(t.text, args...)
		}
	}
	return errors.New(s)
}

// tomlMessages are the TOML parser's commonest complaints; each pattern
// matches the catalogue's English text exactly.
var tomlMessages = []struct {
	re   *regexp.Regexp
	text i18n.Text
}{
	{regexp.MustCompile(`^incompatible types: TOML value has type (\S+); destination has type (\S+)$`), i18n.ConfigTOMLTypes},
	{regexp.MustCompile(`^expected value but found (.+) instead$`), i18n.ConfigTOMLNoValue},
	{regexp.MustCompile(`^strings cannot contain newlines$`), i18n.ConfigTOMLNewline},
	{regexp.MustCompile(`^Key '(.+)' has already been defined\.$`), i18n.ConfigTOMLTwice},
}

// DefaultConfig returns the configuration used when there is no file.
func DefaultConfig() Config {
	var c Config
	c.Colors = "chinese"
	for _, s := range DefaultWatchlist {
		sym, _ := model.ParseSymbol(s)
		c.Watchlist = append(c.Watchlist, sym)
	}
	c.Boards = append([]string(nil), DefaultBoards...)
	c.Index = model.IndexSpec{Base: 1000, BaseDate: model.DefaultBaseDate,
		Eras: []model.IndexEra{{From: model.DefaultBaseDate, Weights: append([]model.IndexWeight(nil), model.DefaultBasket...)}}}
	c.Eastmoney.Push2URL = "https://push2.eastmoney.com"
	c.Eastmoney.Push2HisURL = "https://push2his.eastmoney.com"
	c.Eastmoney.DatacenterURL = "https://datacenter-web.eastmoney.com"
	c.Eastmoney.AnoticeURL = eastmoney.DefaultAnoticeURL
	c.Eastmoney.CnoticeURL = eastmoney.DefaultCnoticeURL
	c.Eastmoney.RatePerSec = 1
	c.Sina.URL = "https://hq.sinajs.cn"
	c.Sina.Enabled = true
	c.Sina.RatePerSec = 1
	c.Prices.Vendor.Format = "csv"
	c.Prices.Vendor.Name = "vendor"
	c.Cadence = feeds.DefaultCadence
	c.Timeouts = feeds.DefaultTimeouts
	c.RetentionDays = 30
	c.BackfillDays = 366
	c.Bands = model.DefaultBands()
	c.Market = defaultMarket()
	return c
}

// LoadConfig reads the file at path. A missing file gives the defaults; an
// unknown key or a bad value is an error naming the key and its line.
func LoadConfig(path string) (Config, error) {
	c := DefaultConfig()
	c.Path = path
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, i18n.Errorf(i18n.ConfigErrFile, path, err)
	}
	return parseConfig(path, data)
}

func parseConfig(path string, data []byte) (Config, error) {
	c := DefaultConfig()
	c.Path = path
	var f fileConfig
	md, err := toml.NewDecoder(strings.NewReader(string(data))).Decode(&f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return c, parseErrorAt(path, data, pe)
		}
		if m := tomlErrRe.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return c, &ConfigError{Path: path, Key: m[2], Line: line, Msg: plainMsg(m[3])}
		}
		return c, &ConfigError{Path: path, Msg: err}
	}
	bad := func(key string, t i18n.Text, args ...any) error {
		return &ConfigError{Path: path, Key: key, Line: keyLine(data, key), Msg: configMsg(t, args...)}
	}
	// badErr is a bad setting whose problem is an error of its own.
	badErr := func(key string, err error) error {
		return &ConfigError{Path: path, Key: key, Line: keyLine(data, key), Msg: err}
	}
	// badItem is for one element of a list: the line of that element, which
	// in a multi-line array is not the key's.
	badItem := func(key, item string, t i18n.Text, args ...any) error {
		return &ConfigError{Path: path, Key: key, Line: itemLine(data, key, item), Msg: configMsg(t, args...)}
	}
	for _, u := range md.Undecoded() {
		k := u.String()
		if strings.HasPrefix(k, "index.weights.") || isBandKey(k) || isCalendarKey(k) || isAlertKey(k) || isEstimateKey(k) || isMarketKey(k) || isChartsKey(k) || isDeskKey(k) {
			continue // free maps; checked below
		}
		return c, bad(k, i18n.ConfigUnknownKey)
	}

	switch f.Colors {
	case "":
	case "chinese", "western":
		c.Colors = f.Colors
	default:
		return c, bad("colors", i18n.ConfigColors, f.Colors)
	}
	if md.IsDefined("lang") {
		l, ok := i18n.Parse(f.Lang)
		if !ok || (f.Lang != "en" && f.Lang != "zh") {
			return c, bad("lang", i18n.ConfigLang, f.Lang)
		}
		c.Lang = l.String()
	}
	switch f.Units.Elements {
	case "", "yuan":
	case "wan":
		c.ElementsWan = true
	default:
		return c, bad("units.elements", i18n.ConfigUnitsElements, f.Units.Elements)
	}
	if md.IsDefined("watchlist", "symbols") {
		c.Watchlist = nil
		seen := map[string]bool{}
		for _, s := range f.Watchlist.Symbols {
			sym, err := model.ParseSymbol(s)
			if err != nil || sym.Market == model.MarketBoard {
				return c, badItem("watchlist.symbols", s, i18n.ConfigNotWatchCode, s)
			}
			if !seen[sym.Code] {
				seen[sym.Code] = true
				c.Watchlist = append(c.Watchlist, sym)
			}
		}
	}
	if md.IsDefined("watchlist", "boards") {
		c.Boards = nil
		for _, s := range f.Watchlist.Boards {
			sym, err := model.ParseSymbol(s)
			if err != nil || sym.Market != model.MarketBoard {
				return c, badItem("watchlist.boards", s, i18n.ConfigNotBoardCode, s)
			}
			c.Boards = append(c.Boards, sym.Code)
		}
	}
	if md.IsDefined("index", "base") {
		if !(f.Index.Base > 0) {
			return c, bad("index.base", i18n.ConfigPositive, f.Index.Base)
		}
		c.Index.Base = f.Index.Base
	}
	if f.Index.BaseDate != "" {
		d, err := model.ParseDay(f.Index.BaseDate)
		if err != nil {
			return c, badErr("index.base_date", err)
		}
		c.Index.BaseDate = d
		c.Index.Eras[0].From = d
	}
	if len(f.Index.Weights) > 0 {
		var ws []model.IndexWeight
		names := make([]string, 0, len(f.Index.Weights))
		for k := range f.Index.Weights {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			id, ok := model.LookupElement(k)
			if !ok {
				return c, bad("index.weights."+k, i18n.ConfigUnknownElement, knownElements())
			}
			ws = append(ws, model.IndexWeight{Element: id, Weight: f.Index.Weights[k]})
		}
		if err := model.ValidateWeights(ws); err != nil {
			return c, badErr("index.weights", err)
		}
		c.Index.Eras[0].Weights = ws
	}

	for _, u := range []struct {
		key string
		val string
		dst *string
	}{
		{"feeds.eastmoney.push2_url", f.Feeds.Eastmoney.Push2URL, &c.Eastmoney.Push2URL},
		{"feeds.eastmoney.push2his_url", f.Feeds.Eastmoney.Push2HisURL, &c.Eastmoney.Push2HisURL},
		{"feeds.eastmoney.datacenter_url", f.Feeds.Eastmoney.DatacenterURL, &c.Eastmoney.DatacenterURL},
		{"feeds.eastmoney.anotice_url", f.Feeds.Eastmoney.AnoticeURL, &c.Eastmoney.AnoticeURL},
		{"feeds.eastmoney.cnotice_url", f.Feeds.Eastmoney.CnoticeURL, &c.Eastmoney.CnoticeURL},
		{"feeds.sina.url", f.Feeds.Sina.URL, &c.Sina.URL},
	} {
		if u.val == "" {
			continue
		}
		if err := checkURL(u.val); err != nil {
			return c, badErr(u.key, err)
		}
		*u.dst = strings.TrimRight(u.val, "/")
	}
	if f.Feeds.Sina.Enabled != nil {
		c.Sina.Enabled = *f.Feeds.Sina.Enabled
	}
	for _, r := range []struct {
		key string
		v   *float64
		dst *float64
	}{{"feeds.eastmoney.requests_per_sec", f.Feeds.Eastmoney.RatePerSec, &c.Eastmoney.RatePerSec}, {"feeds.sina.requests_per_sec", f.Feeds.Sina.RatePerSec, &c.Sina.RatePerSec}} {
		if r.v == nil {
			continue
		}
		if !(*r.v > 0) || *r.v > 50 {
			return c, bad(r.key, i18n.ConfigRate, *r.v)
		}
		*r.dst = *r.v
	}
	for _, u := range f.Feeds.Prices.PPIURLs {
		if err := checkURL(u); err != nil {
			return c, badItem("feeds.prices.ppi_urls", u, i18n.ConfigItem, u, err)
		}
	}
	c.Prices.PPIURLs = f.Feeds.Prices.PPIURLs
	v := f.Feeds.Prices.Vendor
	c.Prices.Vendor = VendorConfig{URL: v.URL, Format: v.Format, Name: v.Name, Date: v.Date, Element: v.Element, Price: v.Price, Low: v.Low, High: v.High, Unit: v.Unit, DefaultUnit: v.DefaultUnit}
	if c.Prices.Vendor.Format == "" {
		c.Prices.Vendor.Format = "csv"
	}
	if c.Prices.Vendor.Name == "" {
		c.Prices.Vendor.Name = "vendor"
	}
	if c.Prices.Vendor.Format != "csv" && c.Prices.Vendor.Format != "json" {
		return c, bad("feeds.prices.vendor.format", i18n.ConfigVendorFormat, v.Format)
	}
	// Column names left out take the adapter's defaults (date, element,
	// price, low, high, unit), as the README documents.
	if v.DefaultUnit != "" {
		if _, err := model.ToYuanPerTon(1, v.DefaultUnit); err != nil {
			return c, badErr("feeds.prices.vendor.default_unit", err)
		}
	}

	durs := []struct {
		key string
		val string
		dst *time.Duration
		min time.Duration
	}{
		{"poll.quotes_open", f.Poll.QuotesOpen, &c.Cadence.QuotesOpen, time.Second},
		{"poll.quotes_closed", f.Poll.QuotesClosed, &c.Cadence.QuotesClosed, 5 * time.Second},
		{"poll.boards", f.Poll.Boards, &c.Cadence.Boards, 2 * time.Second},
		{"poll.members", f.Poll.Members, &c.Cadence.Members, 10 * time.Second},
		{"poll.margin", f.Poll.Margin, &c.Cadence.Margin, time.Minute},
		{"poll.elements", f.Poll.Elements, &c.Cadence.Elements, time.Minute},
		{"poll.history", f.Poll.History, &c.Cadence.History, 5 * time.Second},
		{"timeouts.quotes", f.Timeouts.Quotes, &c.Timeouts.Quotes, 100 * time.Millisecond},
		{"timeouts.history", f.Timeouts.History, &c.Timeouts.History, 100 * time.Millisecond},
		{"timeouts.margin", f.Timeouts.Margin, &c.Timeouts.Margin, 100 * time.Millisecond},
		{"timeouts.boards", f.Timeouts.Boards, &c.Timeouts.Boards, 100 * time.Millisecond},
		{"timeouts.elements", f.Timeouts.Elements, &c.Timeouts.Elements, 100 * time.Millisecond},
	}
	for _, d := range durs {
		if d.val == "" {
			continue
		}
		v, err := time.ParseDuration(d.val)
		if err != nil {
			return c, bad(d.key, i18n.ConfigDuration, d.val)
		}
		if v < d.min {
			return c, bad(d.key, i18n.ConfigBelowMinimum, v, d.min)
		}
		*d.dst = v
	}
	if r := f.History.RetentionDays; r != nil {
		if *r < 1 {
			return c, bad("history.retention_days", i18n.ConfigAtLeastOne, *r)
		}
		c.RetentionDays = *r
	}
	if r := f.History.BackfillDays; r != nil {
		if *r < 1 || *r > 3660 {
			return c, bad("history.backfill_days", i18n.ConfigBackfillDays, *r)
		}
		c.BackfillDays = *r
	}
	if c.Keys, err = parseKeys(path, data, f.Keys); err != nil {
		return c, err
	}
	if c.Bands, err = parseBands(path, data); err != nil {
		return c, err
	}
	if c.Calendar, err = parseCalendar(path, data); err != nil {
		return c, err
	}
	if c.Alerts, err = parseAlerts(path, data); err != nil {
		return c, err
	}
	if c.Market, err = parseMarket(path, data); err != nil {
		return c, err
	}
	if c.Charts, err = parseCharts(path, data); err != nil {
		return c, err
	}
	if c.Lang == "" {
		c.Lang = c.Charts.Language // the older key, when lang is not set
	}
	if c.Desk, err = parseDesk(path, data); err != nil {
		return c, err
	}
	if c.Estimate, err = parseEstimate(path, data); err != nil {
		return c, err
	}
	return c, nil
}

func knownElements() string {
	var ids []string
	for _, e := range model.Elements {
		ids = append(ids, string(e.ID))
	}
	return strings.Join(ids, ", ")
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return i18n.Errorf(i18n.ConfigNotURL, s)
	}
	return nil
}

var (
	tomlErrRe = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]+)"\): (.*)$`)
	tableRe   = regexp.MustCompile(`^\s*\[\s*([A-Za-z0-9_.\-" ]+?)\s*\]\s*(#.*)?$`)
	keyRe     = regexp.MustCompile(`^\s*("?[A-Za-z0-9_\-]+"?(?:\s*\.\s*"?[A-Za-z0-9_\-]+"?)*)\s*=`)
	openRe    = regexp.MustCompile(`^\s*\[\s*([^\]#]*?)\s*(#.*)?$`)
)

// parseErrorAt turns a TOML syntax error into a ConfigError. Its line is
// counted from the error's byte offset: the parser's own line number is one
// too far when the offending character is the newline that ends the line (an
// unclosed "[watchlist" header was reported on the line after it).
func parseErrorAt(path string, data []byte, pe toml.ParseError) *ConfigError {
	e := &ConfigError{Path: path, Key: pe.LastKey, Line: pe.Position.Line, Msg: plainMsg(pe.Message)}
	if off := pe.Position.Start; off >= 0 && off <= len(data) {
		e.Line = 1 + strings.Count(string(data[:off]), "\n")
		if off == len(data) && off > 0 && data[off-1] == '\n' {
			e.Line-- // the end of the file: the last line
		}
	}
	if strings.HasPrefix(pe.Message, "expected '.' or ']' to end table name") {
		lines := strings.Split(string(data), "\n")
		if e.Line >= 1 && e.Line <= len(lines) {
			if m := openRe.FindStringSubmatch(lines[e.Line-1]); m != nil {
				e.Key = normKey(m[1])
				e.Msg = configMsg(i18n.ConfigTableNotClosed, strings.TrimSpace(m[1]), e.Key)
			}
		}
	}
	return e
}

// normKey removes quotes and blanks from a dotted key or table name.
func normKey(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(k, " ", ""), "\t", ""), `"`, "")
}

// keyLine finds the line on which a dotted key is set, following [table]
// headers and dotted keys; 0 when it cannot be found.
func keyLine(data []byte, dotted string) int {
	table := ""
	for i, l := range strings.Split(string(data), "\n") {
		if m := tableRe.FindStringSubmatch(l); m != nil {
			table = normKey(m[1])
			if table == dotted {
				return i + 1
			}
			continue
		}
		if m := keyRe.FindStringSubmatch(l); m != nil {
			full := normKey(m[1])
			if table != "" {
				full = table + "." + full
			}
			if full == dotted {
				return i + 1
			}
		}
	}
	return 0
}

// itemLine finds the line of one string element of the list set at dotted:
// the key's line, or a later one in a multi-line array, up to the next key
// or table.
func itemLine(data []byte, dotted, item string) int {
	at := keyLine(data, dotted)
	if at == 0 {
		return 0
	}
	lines := strings.Split(string(data), "\n")
	for i := at - 1; i < len(lines); i++ {
		l := lines[i]
		if i > at-1 && (tableRe.MatchString(l) || keyRe.MatchString(l)) {
			break
		}
		if strings.Contains(l, strconv.Quote(item)) || strings.Contains(l, "'"+item+"'") {
			return i + 1
		}
	}
	return at
}

// Paths: the contract locations.

func configPath() string {
	if d := os.Getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "rareterm", "config.toml")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".config", "rareterm", "config.toml")
}

func dataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "rareterm")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".local", "share", "rareterm")
}

func liveDBPath() string { return filepath.Join(dataDir(), "rareterm.db") }

// demoDBPath is demo.db beside the live database (or beside --db).
func demoDBPath(live string) string { return filepath.Join(filepath.Dir(live), "demo.db") }

// SaveWatchlist rewrites `symbols` in the [watchlist] table of the config
// file and nothing else: comments, other keys and their order stay as the
// user wrote them. A missing file or table is created. The file is replaced
// atomically and re-read to make sure it still parses.
func SaveWatchlist(path string, codes []string) error {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	out := setWatchlistSymbols(string(data), codes)
	if _, err := parseConfig(path, []byte(out)); err != nil {
		return i18n.Errorf(i18n.ConfigWatchlistWrite, err)
	}
	return replaceConfig(path, out)
}

// replaceConfig writes out as the config file at path: to a file beside
// it, synced, then renamed over it, keeping its mode (0600 for a new one).
func replaceConfig(path, out string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	mode := os.FileMode(0o600)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.toml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(out); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// setWatchlistSymbols replaces (or adds) the symbols line of [watchlist].
// A one-line value stays on one line; a value spread over several lines
// stays one code a line, each code keeping its comments (those on its line
// and those on the lines above it). A comment after the closing bracket is
// kept.
func setWatchlistSymbols(src string, codes []string) string {
	quoted := make([]string, len(codes))
	for i, c := range codes {
		quoted[i] = strconv.Quote(c)
	}
	value := "symbols = [" + strings.Join(quoted, ", ") + "]"
	lines := strings.Split(src, "\n")
	table, start := "", -1
	for i, l := range lines {
		if m := tableRe.FindStringSubmatch(l); m != nil {
			if table == "watchlist" {
				// [watchlist] ended without a symbols key: add it at the table's end.
				return strings.Join(insertLine(lines, lastContent(lines, i)+1, value), "\n")
			}
			table = strings.ReplaceAll(m[1], " ", "")
			if table == "watchlist" {
				start = i
			}
			continue
		}
		if table != "watchlist" {
			continue
		}
		if m := keyRe.FindStringSubmatch(l); m != nil && strings.Trim(m[1], `"`) == "symbols" {
			end, comment := i, ""
			// Find the closing bracket, outside strings.
			depth, inStr := 0, false
		scan:
			for j := i; j < len(lines); j++ {
				for k, r := range lines[j] {
					switch {
					case r == '"':
						inStr = !inStr
					case inStr:
					case r == '[':
						depth++
					case r == ']':
						depth--
						if depth == 0 {
							end = j
							rest := lines[j][k+1:]
							if c := strings.Index(rest, "#"); c >= 0 {
								comment = "  " + strings.TrimSpace(rest[c:])
							}
							break scan
						}
					case r == '#':
						continue scan
					}
				}
			}
			indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
			out := append([]string{}, lines[:i]...)
			if end > i {
				out = append(out, multiLineSymbols(lines[i:end+1], codes, indent, comment)...)
			} else {
				out = append(out, indent+value+comment)
			}
			return strings.Join(append(out, lines[end+1:]...), "\n")
		}
	}
	if start >= 0 {
		return strings.Join(insertLine(lines, lastContent(lines, len(lines))+1, value), "\n")
	}
	// No [watchlist] table: append one.
	s := strings.TrimRight(src, "\n")
	if s != "" {
		s += "\n\n"
	}
	return s + "[watchlist]\n" + value + "\n"
}

// lastContent is the index of the last non-blank line before end.
func lastContent(lines []string, end int) int {
	for i := end - 1; i >= 0; i-- {
		if strings.TrimSpace(lines[i]) != "" {
			return i
		}
	}
	return -1
}

func insertLine(lines []string, at int, l string) []string {
	out := append([]string{}, lines[:at]...)
	out = append(out, l)
	return append(out, lines[at:]...)
}

var codeOnLine = regexp.MustCompile(`^\s*"([^"]*)"\s*,?\s*(#.*)?$`)

// multiLineSymbols writes codes as a symbols array one code a line, in the
// layout of block (the old array's lines): each code that was there keeps
// its trailing comment and the comment lines above it; comments before the
// closing bracket stay at the end; the opening line keeps its comment.
func multiLineSymbols(block []string, codes []string, indent, after string) []string {
	head := indent + "symbols = ["
	if c := strings.Index(block[0], "#"); c >= 0 && !strings.Contains(block[0][:c], "]") {
		head += "  " + strings.TrimSpace(block[0][c:])
	}
	item := indent + "  "
	trailing := map[string]string{}
	leading := map[string][]string{}
	var pending []string
	for _, l := range block[1 : len(block)-1] {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
		case strings.HasPrefix(t, "#"):
			pending = append(pending, l)
		default:
			m := codeOnLine.FindStringSubmatch(l)
			if m == nil {
				continue // a line with several codes: its codes are rewritten below
			}
			if c := m[2]; c != "" {
				trailing[m[1]] = "  " + c
			}
			leading[m[1]] = pending
			pending = nil
			if ws := l[:len(l)-len(strings.TrimLeft(l, " \t"))]; ws != "" {
				item = ws
			}
		}
	}
	out := []string{head}
	for _, c := range codes {
		out = append(out, leading[c]...)
		out = append(out, item+strconv.Quote(c)+","+trailing[c])
	}
	out = append(out, pending...)
	return append(out, indent+"]"+after)
}
