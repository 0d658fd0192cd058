package demo

import (
	"math"
	"time"

	"github.com/rareterm/rareterm/model"
)

// epoch is the first day of the simulated history: every series is computed
// forward from it.
var epoch = model.Date(2025, 1, 2)

// Epoch returns the first day of the simulated history, 2025-01-02 (CST).
func Epoch() time.Time { return epoch }

// dayNum is the number of calendar days from the epoch to t's CST day.
func dayNum(t time.Time) int64 { return (model.Day(t).Unix() - epoch.Unix()) / 86400 }

// anchor is a reference level on a date; levels between anchors are
// interpolated in log space and held flat outside them.
type anchor struct {
	date  string
	level float64
}

type curve struct {
	dn  []int64
	log []float64
}

func newCurve(as ...anchor) curve {
	var c curve
	for _, a := range as {
		d, err := model.ParseDay(a.date)
		if err != nil {
			panic(err)
		}
		c.dn = append(c.dn, dayNum(d))
		c.log = append(c.log, math.Log(a.level))
	}
	return c
}

// at returns the log level on day number dn.
func (c curve) at(dn int64) float64 {
	n := len(c.dn)
	if dn <= c.dn[0] {
		return c.log[0]
	}
	if dn >= c.dn[n-1] {
		return c.log[n-1]
	}
	i := 1
	for c.dn[i] < dn {
		i++
	}
	f := float64(dn-c.dn[i-1]) / float64(c.dn[i]-c.dn[i-1])
	return c.log[i-1] + f*(c.log[i]-c.log[i-1])
}

// sectorShape is the rare-earth sector's level relative to mid-January 2026:
// low at the start of 2025, a rally into October, a pull-back (the magnet
// index rose about 80% from the start of 2025; REFERENCE.md §6).
var sectorShape = newCurve(
	anchor{"2025-01-02", 0.62}, anchor{"2025-06-01", 0.78}, anchor{"2025-10-10", 1.18}, anchor{"2026-01-16", 1.0},
)

// marginTrend is the sector's financing balance relative to mid-January
// 2026 (up from 2025 into 2026; REFERENCE.md §5).
var marginTrend = newCurve(anchor{"2025-01-02", 0.78}, anchor{"2025-10-10", 0.95}, anchor{"2026-01-16", 1.0})

// instrument is one simulated security and its parameters.
type instrument struct {
	sym    model.Symbol
	ref    float64 // mean price from mid-January 2026 on, trading currency
	gamma  float64 // sensitivity of the mean to sectorShape
	sigma  float64 // daily log volatility
	beta   float64 // loading on the common sector factor
	shares float64 // total shares (fund units for the ETF)
	float  float64 // float shares
	eps    float64 // earnings per share behind PE (the tracked index's for the ETF)
	turn   float64 // typical daily turnover, % of float
	margin float64 // financing balance in mid-January 2026, yuan; 0 = no margin data

	x     model.Exchange
	limit float64 // daily move limit as a fraction (HK: a ±15% sanity cap)
	etf   bool
	base  uint64 // seed-bound hash key, set by New
}

func (in *instrument) meanLog(dn int64) float64 {
	return math.Log(in.ref) + in.gamma*sectorShape.at(dn)
}

// The default watchlist (REFERENCE.md §1). Reference levels: 600111 ≈ 47,
// 600010 ≈ 2.0, 000831 ≈ 45, 06680 ≈ 20 HKD, 516150 ≈ 1.5; share counts give
// 600111 a market cap near 170 bn and 600010 near 86 bn (§7); 000831's
// financing balance is 21.98 亿 (§5).
var instrumentTable = []instrument{
	{sym: model.Symbol{Code: "600111", Market: model.MarketSSE, Name: "北方稀土", NameEn: "China Northern Rare Earth"},
		ref: 47, gamma: 0.8, sigma: 0.028, beta: 0.75, shares: 3.6151e9, float: 3.6151e9, eps: 0.56, turn: 2.6, margin: 1.05e10},
	{sym: model.Symbol{Code: "600010", Market: model.MarketSSE, Name: "包钢股份", NameEn: "Inner Mongolia BaoTou Steel Union"},
		ref: 2.0, gamma: 0.35, sigma: 0.02, beta: 0.45, shares: 43.03e9, float: 31.6e9, eps: 0.007, turn: 1.2, margin: 3.5e9},
	{sym: model.Symbol{Code: "000831", Market: model.MarketSZSE, Name: "中国稀土", NameEn: "China Rare Earth Resources and Technology"},
		ref: 45, gamma: 0.8, sigma: 0.032, beta: 0.8, shares: 1.0613e9, float: 1.0613e9, eps: 0.24, turn: 4.5, margin: 2.198e9},
	{sym: model.Symbol{Code: "600392", Market: model.MarketSSE, Name: "盛和资源", NameEn: "Shenghe Resources"},
		ref: 16.5, gamma: 0.8, sigma: 0.032, beta: 0.8, shares: 1.7528e9, float: 1.7528e9, eps: 0.18, turn: 4.0, margin: 1.5e9},
	{sym: model.Symbol{Code: "600259", Market: model.MarketSSE, Name: "广晟有色", NameEn: "Guangsheng Nonferrous"},
		ref: 38, gamma: 0.8, sigma: 0.03, beta: 0.75, shares: 0.3364e9, float: 0.3364e9, eps: 0.25, turn: 5.0, margin: 0.75e9},
	{sym: model.Symbol{Code: "300748", Market: model.MarketSZSE, Name: "金力永磁", NameEn: "JL Mag Rare-Earth"},
		ref: 32, gamma: 0.8, sigma: 0.035, beta: 0.75, shares: 1.3717e9, float: 1.22e9, eps: 0.38, turn: 5.5, margin: 2.1e9},
	{sym: model.Symbol{Code: "000970", Market: model.MarketSZSE, Name: "中科三环", NameEn: "Zhong Ke San Huan"},
		ref: 14.5, gamma: 0.75, sigma: 0.03, beta: 0.75, shares: 1.2152e9, float: 1.2152e9, eps: 0.08, turn: 5.0, margin: 1.0e9},
	{sym: model.Symbol{Code: "600549", Market: model.MarketSSE, Name: "厦门钨业", NameEn: "Xiamen Tungsten"},
		ref: 25, gamma: 0.5, sigma: 0.025, beta: 0.5, shares: 1.5954e9, float: 1.5954e9, eps: 1.12, turn: 1.8, margin: 1.4e9},
	{sym: model.Symbol{Code: "002645", Market: model.MarketSZSE, Name: "华宏科技", NameEn: "Huahong Technology"},
		ref: 21, gamma: 0.8, sigma: 0.035, beta: 0.7, shares: 0.5836e9, float: 0.50e9, eps: 0.12, turn: 8.0, margin: 0.5e9},
	{sym: model.Symbol{Code: "300631", Market: model.MarketSZSE, Name: "久吾高科", NameEn: "Jiuwu Hi-Tech"},
		ref: 24, gamma: 0.6, sigma: 0.038, beta: 0.5, shares: 0.2768e9, float: 0.20e9, eps: 0.35, turn: 9.0, margin: 0.3e9},
	{sym: model.Symbol{Code: "06680", Market: model.MarketHKEX, Name: "金力永磁", NameEn: "JL Mag Rare-Earth (H)"},
		ref: 20, gamma: 0.7, sigma: 0.035, beta: 0.7, shares: 1.354e9, float: 0.224e9, eps: 0.36, turn: 2.5},
	{sym: model.Symbol{Code: "00769", Market: model.MarketHKEX, Name: "中国稀土控股", NameEn: "China Rare Earth Holdings"},
		ref: 0.55, gamma: 0.7, sigma: 0.035, beta: 0.6, shares: 2.36e9, float: 2.36e9, eps: 0.004, turn: 1.0},
	{sym: model.Symbol{Code: "01208", Market: model.MarketHKEX, Name: "五矿资源", NameEn: "MMG"},
		ref: 4.2, gamma: 0.4, sigma: 0.03, beta: 0.35, shares: 12.1e9, float: 12.1e9, eps: 0.15, turn: 0.8},
	{sym: model.Symbol{Code: "02600", Market: model.MarketHKEX, Name: "中国铝业", NameEn: "Aluminum Corporation of China"},
		ref: 6.3, gamma: 0.3, sigma: 0.025, beta: 0.3, shares: 17.16e9, float: 4.23e9, eps: 0.75, turn: 1.5},
	{sym: model.Symbol{Code: "516150", Market: model.MarketSSE, Name: "稀土ETF嘉实", NameEn: "Rare Earth ETF (Harvest)"},
		ref: 1.5, gamma: 0.9, sigma: 0.022, beta: 0.9, shares: 3.6e9, float: 3.6e9, eps: 0.025, turn: 6.0, margin: 0.15e9},
}

// board is a simulated sector board. Its members are watchlist stocks only;
// what the real board holds beyond them is represented by fixed scales.
type board struct {
	code, name string
	members    []string
	base       float64 // level with every member at its reference price
	margin     float64 // whole-board financing balance in mid-January 2026, yuan
	flowScale  float64 // whole-board main-force flow ÷ the members' flow
	key        uint64
}

var boardTable = []board{
	{code: "BK0578", name: "稀土永磁", members: []string{"600111", "000831", "600392", "600259", "300748", "000970", "002645", "300631"},
		base: 2187.35, margin: 3.1353e10, flowScale: 1.8},
	{code: "BK1027", name: "小金属", members: []string{"000831", "600111", "600392", "600549"},
		base: 1833.52, margin: 4.2e10, flowScale: 2.5},
	{code: "BK0479", name: "钢铁行业", members: []string{"600010"},
		base: 2351.6, margin: 2.6e10, flowScale: 6},
	{code: "BK0478", name: "有色金属", members: []string{"600111", "000831", "600392", "600259", "600549", "600010"},
		base: 5608.2, margin: 1.45e11, flowScale: 5},
}

// Symbols returns the demo watchlist (REFERENCE.md §1) in display order.
func Symbols() []model.Symbol {
	out := make([]model.Symbol, len(instrumentTable))
	for i := range instrumentTable {
		out[i] = instrumentTable[i].sym
	}
	return out
}

// Boards returns the demo boards with their codes and names only (the
// static list; Market.Boards gives their live moves).
func Boards() []model.BoardMove {
	out := make([]model.BoardMove, len(boardTable))
	for i, b := range boardTable {
		out[i] = model.BoardMove{Code: b.code, Name: b.name, LimitUp: -1, Source: SourceName}
	}
	return out
}

// tickMilli is the price tick at level v, in thousandths.
func (in *instrument) tickMilli(v float64) float64 {
	switch {
	case in.etf:
		return 1
	case in.x != model.ExchangeHK:
		return 10
	case v < 0.25:
		return 1
	case v < 0.5:
		return 5
	case v < 10:
		return 10
	case v < 20:
		return 20
	case v < 100:
		return 50
	case v < 200:
		return 100
	}
	return 200
}

// round puts a price on the tick grid. The grids meet at their boundaries,
// so round is monotone and every grid price is a fixed point.
func (in *instrument) round(v float64) float64 {
	t := in.tickMilli(v)
	return math.Round(v*1000/t) * t / 1000
}

// limits returns the lowest and highest prices allowed after prevClose: for
// A-shares the exchange's limit prices, prevClose × (1 ± limit) rounded to
// the tick; for Hong Kong, which has no limit, a ±15% sanity cap rounded
// inwards.
func (in *instrument) limits(prev float64) (lo, hi float64) {
	const nudge = 1e-9 // 45.45 × 1.1 is 49.995: the exchange rounds it up
	if in.x != model.ExchangeHK {
		return in.round(prev*(1-in.limit) + nudge), in.round(prev*(1+in.limit) + nudge)
	}
	lo, hi = prev*(1-in.limit), prev*(1+in.limit)
	tl, th := in.tickMilli(lo), in.tickMilli(hi)
	return math.Ceil(lo*1000/tl-nudge) * tl / 1000, math.Floor(hi*1000/th+nudge) * th / 1000
}
