// Package model holds rareterm's domain types and the pure functions over
// them: symbols, quotes, bars, element prices, contract quarters, margin
// days, board moves, the trading calendar, the contract and index maths and
// the market snapshot the screen is drawn from. It does no I/O and imports
// nothing outside the standard library.
package model

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rareterm/rareterm/i18n"
)

// Market is the exchange (or pseudo-exchange) an instrument trades on.
type Market int

const (
	MarketUnknown Market = iota
	MarketSSE            // Shanghai Stock Exchange (and SSE ETFs)
	MarketSZSE           // Shenzhen Stock Exchange
	MarketBSE            // Beijing Stock Exchange
	MarketHKEX           // Hong Kong
	MarketBoard          // an Eastmoney sector board (BKxxxx)
)

func (m Market) String() string {
	switch m {
	case MarketSSE:
		return "SSE"
	case MarketSZSE:
		return "SZSE"
	case MarketBSE:
		return "BSE"
	case MarketHKEX:
		return "HKEX"
	case MarketBoard:
		return "BOARD"
	}
	return "?"
}

// IsA reports whether the market is a mainland A-share exchange.
func (m Market) IsA() bool { return m == MarketSSE || m == MarketSZSE || m == MarketBSE }

// Currency returns the trading currency of the market.
func (m Market) Currency() string {
	if m == MarketHKEX {
		return "HKD"
	}
	return "CNY"
}

// Symbol identifies an instrument. Code is the exchange code as users type it:
// six digits for A-shares and ETFs, five for Hong Kong, BKxxxx for boards.
type Symbol struct {
	Code   string
	Market Market
	Name   string // Chinese short name, as the feed returns it
	NameEn string
}

// ParseSymbol turns a user-typed code into a Symbol, inferring the market:
// 5 digits → HKEX; 6 digits starting 5, 6, 7 or 9 → SSE; 43/83/87/92 → BSE;
// other 6 digits → SZSE; BKnnnn → board. Prefixes "sh", "sz", "bj", "hk" and
// "rt_hk" are accepted.
func ParseSymbol(s string) (Symbol, error) {
	c := strings.ToUpper(strings.TrimSpace(s))
	var forced Market
	switch {
	case strings.HasPrefix(c, "RT_HK"):
		c, forced = c[5:], MarketHKEX
	case strings.HasPrefix(c, "HK"):
		c, forced = c[2:], MarketHKEX
	case strings.HasPrefix(c, "SH"):
		c, forced = c[2:], MarketSSE
	case strings.HasPrefix(c, "SZ"):
		c, forced = c[2:], MarketSZSE
	case strings.HasPrefix(c, "BJ"):
		c, forced = c[2:], MarketBSE
	}
	if strings.HasPrefix(c, "BK") && len(c) == 6 && allDigits(c[2:]) && forced == MarketUnknown {
		return Symbol{Code: c, Market: MarketBoard}, nil
	}
	if !allDigits(c) {
		return Symbol{}, i18n.Errorf(i18n.ModelBadSymbol, s)
	}
	switch len(c) {
	case 5:
		if forced != MarketUnknown && forced != MarketHKEX {
			return Symbol{}, i18n.Errorf(i18n.ModelSymbolHK, s)
		}
		return Symbol{Code: c, Market: MarketHKEX}, nil
	case 6:
		if forced == MarketHKEX {
			return Symbol{}, fmt.Errorf("symbol %q: Hong Kong codes have 5 digits", s)
		}
		m := forced
		if m == MarketUnknown {
			switch {
			// BSE first: its 92xxxx codes would otherwise fall to the SSE '9' rule.
			case strings.HasPrefix(c, "43") || strings.HasPrefix(c, "83") || strings.HasPrefix(c, "87") || strings.HasPrefix(c, "92"):
				m = MarketBSE
			case c[0] == '5' || c[0] == '6' || c[0] == '7' || c[0] == '9':
				m = MarketSSE
			default:
				m = MarketSZSE
			}
		}
		return Symbol{Code: c, Market: m}, nil
	}
	return Symbol{}, i18n.Errorf(i18n.ModelBadSymbol, s)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// IsETF reports whether an SSE/SZSE code is an exchange-traded fund.
func (s Symbol) IsETF() bool {
	if s.Code == "" {
		return false
	}
	return (s.Market == MarketSSE && s.Code[0] == '5') || (s.Market == MarketSZSE && strings.HasPrefix(s.Code, "15"))
}

// LimitPct returns the daily price limit in percent for an A-share, or 0
// where none applies (HK, boards).
func (s Symbol) LimitPct() float64 {
	if !s.Market.IsA() {
		return 0
	}
	if s.Market == MarketBSE {
		return 30
	}
	for _, p := range []string{"300", "301", "302", "688", "689"} {
		if strings.HasPrefix(s.Code, p) {
			return 20 // ChiNext and STAR, ST names included
		}
	}
	if strings.Contains(s.Name, "ST") {
		return 5
	}
	return 10
}

// Unknown is the value of a figure a feed did not supply ("-", null).
var Unknown = math.NaN()

// Known reports whether v holds a real figure.
func Known(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Quote is a snapshot of one instrument. Amounts are in the trading currency,
// volume in shares. Unknown figures are NaN.
type Quote struct {
	Symbol      string
	Name        string
	Time        time.Time // the exchange's timestamp of the quote
	Last        float64
	PrevClose   float64
	Open        float64
	High        float64
	Low         float64
	Volume      float64 // shares
	Amount      float64 // turnover in currency units
	TurnoverPct float64 // turnover rate, % of float
	MarketCap   float64
	FloatCap    float64
	PE          float64
	MainNet     float64 // main-force net inflow
	High52      float64
	Low52       float64
	Source      string
}

// Change is Last − PrevClose, NaN when either is unknown.
func (q Quote) Change() float64 {
	if !Known(q.Last) || !Known(q.PrevClose) {
		return Unknown
	}
	return q.Last - q.PrevClose
}

// ChangePct is the change in percent of the previous close.
func (q Quote) ChangePct() float64 {
	if !Known(q.Last) || !Known(q.PrevClose) || q.PrevClose == 0 {
		return Unknown
	}
	return (q.Last/q.PrevClose - 1) * 100
}

// Interval of a bar.
type Interval string

const (
	Daily  Interval = "1d"
	Minute Interval = "1m"
)

// Bar is an OHLC bar. Daily bars are stamped at 00:00 Asia/Shanghai of the
// trading day; minute bars at the start of their minute.
type Bar struct {
	Symbol   string
	Interval Interval
	Time     time.Time
	Open     float64
	High     float64
	Low      float64
	Close    float64
	Volume   float64 // shares
	Amount   float64
	Source   string
}

// ElementPrice is one dated price of a rare-earth product in 元/吨.
type ElementPrice struct {
	Element  ElementID
	Date     time.Time // the trading day, 00:00 Asia/Shanghai
	Price    float64   // 元/吨 (mid or average)
	Low      float64   // range low, NaN if none
	High     float64   // range high, NaN if none
	Source   string
	OrigUnit string // the unit the source quoted, e.g. "元/吨", "万元/吨", "元/kg"
}

// MarginDay is one day of margin financing (融资融券) for a stock or a board.
// Amounts in yuan.
type MarginDay struct {
	Symbol      string // stock code, or board code for sector margin
	Name        string
	Date        time.Time
	FinBalance  float64 // 融资余额
	FinBuy      float64 // 融资买入额
	FinRepay    float64 // 融资偿还额
	FinNetBuy   float64 // 融资净买入额 = buy − repay
	LendBalance float64 // 融券余额
	Total       float64 // 融资融券余额 = financing + lending balance
	BalancePct  float64 // financing balance as % of float market cap
	FloatCap    float64
	Source      string
}

// BoardMove is a sector board's state: level, change, fund flow, breadth.
type BoardMove struct {
	Code       string
	Name       string
	Time       time.Time
	Level      float64
	ChangePct  float64
	MainNet    float64 // main-force net inflow, yuan
	Turnover   float64 // %
	Up, Down   int
	Flat       int
	Leader     string
	LeaderCode string
	LeaderPct  float64
	LimitUp    int // constituents at the daily limit, when known (-1 unknown)
	Source     string
}

// Round2 rounds to two decimals, half away from zero.
func Round2(v float64) float64 { return math.Round(v*100) / 100 }

// QuoteFromBar is the quote a daily bar stands for on a past date: its
// close as the last price, the previous bar's close (Unknown when there is
// none) as the previous close, stamped at the A-share close of the bar's
// day. Figures a bar does not carry are Unknown; the source says it is the
// day's bar.
func QuoteFromBar(sym, name string, b Bar, prevClose float64) Quote {
	return Quote{
		Symbol: sym, Name: name, Time: Day(b.Time).Add(15 * time.Hour),
		Last: b.Close, PrevClose: prevClose, Open: b.Open, High: b.High, Low: b.Low,
		Volume: b.Volume, Amount: b.Amount, TurnoverPct: Unknown, MarketCap: Unknown, FloatCap: Unknown,
		PE: Unknown, MainNet: Unknown, High52: Unknown, Low52: Unknown,
		Source: b.Source + " daily bar",
	}
}
