package model

import (
	"math"
	"sort"
	"time"
)

// Tick is one minute of a session chart (分时): the minute's prices, its
// volume (shares) and amount, and the running average price since the open
// (均价). Time is the end of the minute; 09:30 is the opening auction.
type Tick struct {
	Time   time.Time
	Open   float64
	Close  float64
	High   float64
	Low    float64
	Volume float64
	Amount float64
	Avg    float64
}

// Session is one trading day of minute data against the previous close.
type Session struct {
	Symbol    string
	Day       time.Time // 00:00 CST of the trading day
	PrevClose float64
	Ticks     []Tick // oldest first
	Source    string
}

// Level is one price level of an order book: price and volume (lots, 手,
// for A-shares).
type Level struct {
	Price, Volume float64
}

// Book is the five-level order book (五档) of one security and the
// figures shown beside it. Asks[0] is 卖1, Bids[0] is 买1. Unknown figures
// are NaN; an empty level has an unknown price.
type Book struct {
	Symbol    string
	Time      time.Time
	Decimals  int // price decimals the feed gives (2 A-shares, 3 HK and ETFs)
	Asks      [5]Level
	Bids      [5]Level
	Last      float64
	PrevClose float64
	Avg       float64 // 均价
	Outer     float64 // 外盘, lots
	Inner     float64 // 内盘, lots
	VolRatio  float64 // 量比
	LimitUp   float64 // 涨停
	LimitDown float64 // 跌停
	Source    string
}

// Spread is 卖1 − 买1, NaN when either side is empty.
func (b Book) Spread() float64 {
	if !Known(b.Asks[0].Price) || !Known(b.Bids[0].Price) || b.Asks[0].Price <= 0 || b.Bids[0].Price <= 0 {
		return Unknown
	}
	return b.Asks[0].Price - b.Bids[0].Price
}

// Flow is net inflow by order size, in yuan: main force (主力 = super-large
// + large), super-large (超大单), large (大单), medium (中单) and small
// (小单) orders.
type Flow struct {
	Main, Super, Large, Medium, Small float64
}

// FlowDay is one day's fund flow by order size.
type FlowDay struct {
	Symbol    string
	Date      time.Time // 00:00 CST
	Flow      Flow
	Close     float64
	ChangePct float64
	Source    string
}

// FlowTick is the flow cumulated since the open, at the end of a minute.
type FlowTick struct {
	Time time.Time
	Flow Flow
}

// FlowToday is today's fund flow of one security, minute by minute.
type FlowToday struct {
	Symbol string
	Day    time.Time
	Ticks  []FlowTick // cumulative, oldest first
	Source string
}

// Detail is what the feeds bring for the one security whose detail view
// is open: its order book, its sessions of minute data (1 to 5, oldest
// first), today's fund flow and the daily fund flow. A nil or empty part
// was not fetched this time.
type Detail struct {
	Symbol   string
	Book     *Book
	Sessions []Session
	Flow     *FlowToday
	FlowDays []FlowDay
}

// PriceDecimals is how many decimals an instrument's price is quoted in:
// 3 for Hong Kong shares and ETFs, 2 for A-shares and boards.
func PriceDecimals(s Symbol) int {
	if s.Market == MarketHKEX || s.IsETF() {
		return 3
	}
	return 2
}

// Frame is the fixed x-axis of a session chart: the trading sessions of a
// day in minutes after midnight CST. The sessions join: the last minute of
// the morning and the first of the afternoon share a slot, so the lunch
// break takes no room.
type Frame struct {
	Sessions [][2]int
}

// SessionFrame is the frame of an exchange's normal day: A-shares
// 09:30–11:30 and 13:00–15:00, HK 09:30–12:00 and 13:00–16:00.
func SessionFrame(x Exchange) Frame {
	if x == ExchangeHK {
		return Frame{Sessions: [][2]int{{9*60 + 30, 12 * 60}, {13 * 60, 16 * 60}}}
	}
	return Frame{Sessions: [][2]int{{9*60 + 30, 11*60 + 30}, {13 * 60, 15 * 60}}}
}

// Minutes is the frame's length in traded minutes (240 for A-shares, 330
// for HK); slots run 0..Minutes.
func (f Frame) Minutes() int {
	n := 0
	for _, s := range f.Sessions {
		n += s[1] - s[0]
	}
	return n
}

// Slot places a time of day on the frame: 0 at the open, Minutes() at the
// close. A time in the lunch break takes the slot of the morning's end (the
// same as the afternoon's start); before the open, 0; after the close,
// Minutes(). ok is false outside the sessions (break, before, after).
func (f Frame) Slot(t time.Time) (slot int, ok bool) {
	t = t.In(CST)
	m := t.Hour()*60 + t.Minute()
	off := 0
	for _, s := range f.Sessions {
		if m < s[0] {
			return off, false
		}
		if m <= s[1] {
			return off + m - s[0], true
		}
		off += s[1] - s[0]
	}
	return off, false
}

// SlotTime is the time of day (minutes after midnight) at a slot; at a join
// it is the morning's end.
func (f Frame) SlotTime(slot int) int {
	off := 0
	for _, s := range f.Sessions {
		n := s[1] - s[0]
		if slot <= off+n {
			return s[0] + slot - off
		}
		off += n
	}
	if len(f.Sessions) == 0 {
		return 0
	}
	return f.Sessions[len(f.Sessions)-1][1]
}

// MA is the simple moving average of n closes ending at each bar; NaN for
// the first n−1 bars.
func MA(closes []float64, n int) []float64 {
	out := make([]float64, len(closes))
	if n <= 0 {
		for i := range out {
			out[i] = Unknown
		}
		return out
	}
	sum := 0.0
	for i, c := range closes {
		sum += c
		if i >= n {
			sum -= closes[i-n]
		}
		if i >= n-1 {
			out[i] = sum / float64(n)
		} else {
			out[i] = Unknown
		}
	}
	return out
}

// Period is a candle period: 日K, 周K, 月K.
type Period int

const (
	PeriodDay Period = iota
	PeriodWeek
	PeriodMonth
)

// Resample folds daily bars (oldest first) into weekly (ISO weeks) or
// monthly bars: the first open, the highest high, the lowest low, the last
// close, summed volume and amount, stamped with the period's last day.
func Resample(bars []Bar, p Period) []Bar {
	if p == PeriodDay || len(bars) == 0 {
		return bars
	}
	keyOf := func(t time.Time) int {
		t = t.In(CST)
		if p == PeriodWeek {
			y, w := t.ISOWeek()
			return y*100 + w
		}
		return t.Year()*100 + int(t.Month())
	}
	var out []Bar
	cur := -1
	for _, b := range bars {
		k := keyOf(b.Time)
		if k != cur || len(out) == 0 {
			cur = k
			out = append(out, b)
			continue
		}
		o := &out[len(out)-1]
		o.Time = b.Time
		if Known(b.High) && (!Known(o.High) || b.High > o.High) {
			o.High = b.High
		}
		if Known(b.Low) && (!Known(o.Low) || b.Low < o.Low) {
			o.Low = b.Low
		}
		o.Close = b.Close
		o.Volume = addKnown(o.Volume, b.Volume)
		o.Amount = addKnown(o.Amount, b.Amount)
	}
	return out
}

func addKnown(a, b float64) float64 {
	switch {
	case !Known(a):
		return b
	case !Known(b):
		return a
	}
	return a + b
}

// LastSessions returns the newest n sessions of ss (sorted by day, one per
// day: a later one for the same day replaces an earlier one).
func LastSessions(ss []Session, n int) []Session {
	byDay := map[int64]Session{}
	for _, s := range ss {
		byDay[Day(s.Day).Unix()] = s
	}
	out := make([]Session, 0, len(byDay))
	for _, s := range byDay {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Day.Before(out[j].Day) })
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return out
}

// RoundTo rounds v half away from zero to d decimals.
func RoundTo(v float64, d int) float64 {
	p := math.Pow10(d)
	return math.Round(v*p) / p
}
