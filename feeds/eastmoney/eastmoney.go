// Package eastmoney is the Eastmoney provider: batched quotes (push2
// ulist.np), daily and minute history (push2his kline), per-stock and
// per-board margin financing (datacenter RPTA_WEB_RZRQ_GGMX and
// RPTA_WEB_BKJYMXN), and board moves and constituents (ulist.np / clist).
//
// The parsers (ParseQuotes, ParseKline, ParseMargin, ParseSectorMargin,
// ParseBoards) are pure functions from a response body to model values; the
// Client only builds URLs, fetches through httpx and hands bodies to them.
//
// Dropped rows: a row that is malformed or fails validation (no last price,
// a price of zero or below, an absurd move, a bad date) is left out of the
// result and reported, one message per row, to Config.OnDrop. The parsers
// also return the messages in Parsed.Dropped.
package eastmoney

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

// Source is the Source string on every value this provider returns.
const Source = "eastmoney"

// Default base URLs.
const (
	DefaultPush2URL      = "https://push2.eastmoney.com"
	DefaultPush2HisURL   = "https://push2his.eastmoney.com"
	DefaultDatacenterURL = "https://datacenter-web.eastmoney.com"
)

// Config configures a Client. Zero fields take the defaults.
type Config struct {
	Push2URL      string // quotes, boards, constituents
	Push2HisURL   string // kline history
	DatacenterURL string // margin reports
	AnoticeURL    string // announcement lists
	CnoticeURL    string // announcement texts
	Push2exURL    string // limit-up pools

	// HTTP is the client used for every request. nil builds one with a 10 s
	// timeout and a polite per-host limit (1 request/s, burst 3): Eastmoney
	// bans addresses that hammer it.
	HTTP *httpx.Client

	// BoardsViaClist makes Boards page through the full concept and industry
	// board lists (clist/get) instead of asking for the requested boards in
	// one ulist.np request. See Boards.
	BoardsViaClist bool

	// OnDrop, when set, is called once for every row dropped as malformed or
	// implausible, with a message naming the endpoint, the row and the
	// reason. It is called synchronously from the goroutine making the
	// request.
	OnDrop func(msg string)
}

// Client is the Eastmoney provider. It implements feeds.QuoteSource,
// feeds.HistorySource, feeds.MarginSource and feeds.BoardSource, and is safe
// for concurrent use.
type Client struct {
	cfg  Config
	http *httpx.Client
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	cfg.Push2URL = base(cfg.Push2URL, DefaultPush2URL)
	cfg.Push2HisURL = base(cfg.Push2HisURL, DefaultPush2HisURL)
	cfg.DatacenterURL = base(cfg.DatacenterURL, DefaultDatacenterURL)
	cfg.AnoticeURL = base(cfg.AnoticeURL, DefaultAnoticeURL)
	cfg.CnoticeURL = base(cfg.CnoticeURL, DefaultCnoticeURL)
	cfg.Push2exURL = base(cfg.Push2exURL, DefaultPush2exURL)
	hc := cfg.HTTP
	if hc == nil {
		hc = httpx.New(httpx.Options{Timeout: 10 * time.Second, RatePerSec: 1, Burst: 3})
	}
	return &Client{cfg: cfg, http: hc}
}

func base(u, def string) string {
	if u = strings.TrimSpace(u); u == "" {
		u = def
	}
	return strings.TrimRight(u, "/")
}

// Name returns "eastmoney".
func (c *Client) Name() string { return Source }

// Referers the Eastmoney web pages send; harmless, and they make the
// requests look like the pages' own.
const (
	quoteReferer = "https://quote.eastmoney.com/"
	dataReferer  = "https://data.eastmoney.com/"
)

func (c *Client) get(ctx context.Context, u, referer string) ([]byte, error) {
	b, err := c.http.Get(ctx, u, map[string]string{"Referer": referer})
	if err != nil {
		return nil, fmt.Errorf("eastmoney: %w", err)
	}
	return b, nil
}

func (c *Client) report(dropped []string) {
	if c.cfg.OnDrop == nil {
		return
	}
	for _, d := range dropped {
		c.cfg.OnDrop("eastmoney: " + d)
	}
}

// encode builds a query string in the given key order (url.Values sorts,
// which makes URLs hard to compare with the documented ones). raw values are
// appended as they are (already encoded).
func encode(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv[i]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv[i+1]))
	}
	return b.String()
}

// SecID returns the Eastmoney secid of a symbol: 1.xxxxxx for Shanghai
// (stocks and ETFs), 0.xxxxxx for Shenzhen and Beijing, 116.xxxxx for Hong
// Kong, 90.BKxxxx for boards. A symbol without a market is inferred from its
// code.
func SecID(s model.Symbol) (string, error) {
	if s.Market == model.MarketUnknown {
		p, err := model.ParseSymbol(s.Code)
		if err != nil {
			return "", err
		}
		s = p
	}
	switch s.Market {
	case model.MarketSSE:
		return "1." + s.Code, nil
	case model.MarketSZSE, model.MarketBSE:
		return "0." + s.Code, nil
	case model.MarketHKEX:
		return "116." + s.Code, nil
	case model.MarketBoard:
		code, ok := NormBoard(s.Code)
		if !ok {
			return "", fmt.Errorf("board code %q: want BKnnnn", s.Code)
		}
		return "90." + code, nil
	}
	return "", fmt.Errorf("symbol %q: unknown market", s.Code)
}

// NormBoard normalises a board code to the push2 form "BK0478". It accepts
// "BK0478", "bk0478", "90.BK0478", "0478" and "478" (the datacenter's
// BOARD_CODE form).
func NormBoard(s string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(s))
	c = strings.TrimPrefix(c, "90.")
	c = strings.TrimPrefix(c, "BK")
	if len(c) == 0 || len(c) > 4 {
		return "", false
	}
	for _, r := range c {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return "BK" + strings.Repeat("0", 4-len(c)) + c, true
}

// isHK reports whether an Eastmoney market number is a Hong Kong market.
func isHK(market int) bool { return market == 116 || market == 128 }

// lotFactor converts a volume field to shares: A-shares, ETFs and boards
// report 手 (lots of 100 shares); Hong Kong reports shares.
func lotFactor(market int, code string) float64 {
	switch {
	case isHK(market):
		return 1
	case market < 0 && len(code) == 5: // market unknown: a 5-digit code is HK
		return 1
	}
	return 100
}

// unixCST converts Unix seconds to a CST time; unknown or zero gives the zero time.
func unixCST(v float64) time.Time {
	if !model.Known(v) || v <= 0 || v > 1e11 {
		return time.Time{}
	}
	return time.Unix(int64(v), 0).In(model.CST)
}
