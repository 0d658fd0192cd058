package demo

import (
	"context"
	"errors"
	"math"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/model"
)

// A Saturday (a weekend: the demo still trades) well over a year after the epoch.
var saturday = time.Date(2026, 11, 21, 10, 31, 4, 0, model.CST)

func fixed(t time.Time) Option { return WithClock(func() time.Time { return t }) }

// clock is a settable clock for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var ctx = context.Background()

// everything is all a market says at its clock, in one comparable value.
type everything struct {
	Quotes   []model.Quote
	Daily    map[string][]model.Bar
	Minute   map[string][]model.Bar
	Elements []model.ElementPrice
	Margin   map[string][]model.MarginDay
	Sector   []model.MarginDay
	Boards   []model.BoardMove
	Members  map[string][]model.Quote
}

func collect(t *testing.T, m *Market, reverse bool) everything {
	t.Helper()
	var e everything
	e.Daily, e.Minute, e.Margin, e.Members = map[string][]model.Bar{}, map[string][]model.Bar{}, map[string][]model.MarginDay{}, map[string][]model.Quote{}
	syms := Symbols()
	if reverse {
		for i, j := 0, len(syms)-1; i < j; i, j = i+1, j-1 {
			syms[i], syms[j] = syms[j], syms[i]
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	steps := []func(){
		func() {
			for _, b := range Boards() {
				qs, err := m.Constituents(ctx, b.Code)
				must(err)
				e.Members[b.Code] = qs
				md, err := m.Margin(ctx, model.Symbol{Code: b.Code, Market: model.MarketBoard}, 30)
				must(err)
				e.Margin[b.Code] = md
			}
			var err error
			e.Boards, err = m.Boards(ctx, nil)
			must(err)
			e.Sector, err = m.SectorMargin(ctx, nil)
			must(err)
		},
		func() {
			for _, s := range syms {
				md, err := m.Margin(ctx, s, 60)
				must(err)
				e.Margin[s.Code] = md
			}
		},
		func() {
			var err error
			e.Elements, err = m.Elements(ctx)
			must(err)
		},
		func() {
			for _, s := range syms {
				bs, err := m.Bars(ctx, s, model.Daily, time.Time{}, time.Time{})
				must(err)
				e.Daily[s.Code] = bs
				bs, err = m.Bars(ctx, s, model.Minute, time.Time{}, time.Time{})
				must(err)
				e.Minute[s.Code] = bs
			}
		},
		func() {
			var err error
			e.Quotes, err = m.Quotes(ctx, Symbols())
			must(err)
		},
	}
	if reverse {
		for i := len(steps) - 1; i >= 0; i-- {
			steps[i]()
		}
	} else {
		for _, f := range steps {
			f()
		}
	}
	return e
}

func TestInterfaces(t *testing.T) {
	m := New(1)
	var _ feeds.QuoteSource = m
	var _ feeds.HistorySource = m
	var _ feeds.MarginSource = m
	var _ feeds.BoardSource = m
	var _ feeds.ElementWindowSource = m
	if m.Name() != "demo" {
		t.Errorf("Name() = %q", m.Name())
	}
	want := map[string]string{
		"600111": "北方稀土", "600010": "包钢股份", "000831": "中国稀土", "600392": "盛和资源", "600259": "广晟有色",
		"300748": "金力永磁", "000970": "中科三环", "600549": "厦门钨业", "002645": "华宏科技", "300631": "久吾高科",
		"06680": "金力永磁", "00769": "中国稀土控股", "01208": "五矿资源", "02600": "中国铝业", "516150": "稀土ETF嘉实",
	}
	syms := m.Symbols()
	if len(syms) != len(want) {
		t.Fatalf("%d symbols, want %d", len(syms), len(want))
	}
	for _, s := range syms {
		p, err := model.ParseSymbol(s.Code)
		if err != nil || p.Market != s.Market {
			t.Errorf("%s: market %v, ParseSymbol says %v (%v)", s.Code, s.Market, p.Market, err)
		}
		if want[s.Code] != s.Name || s.NameEn == "" {
			t.Errorf("%s: names %q / %q, want %q", s.Code, s.Name, s.NameEn, want[s.Code])
		}
	}
	boards := map[string]string{"BK0578": "稀土永磁", "BK1027": "小金属", "BK0479": "钢铁行业", "BK0478": "有色金属"}
	bs := Boards()
	if len(bs) != len(boards) {
		t.Fatalf("%d boards", len(bs))
	}
	for _, b := range bs {
		if boards[b.Code] != b.Name {
			t.Errorf("board %s %q", b.Code, b.Name)
		}
	}
	// The tables are never shared with callers.
	syms[0].Name = "x"
	if m.Symbols()[0].Name == "x" {
		t.Error("Symbols returns the internal table")
	}
}

func TestDeterministic(t *testing.T) {
	a := collect(t, New(7, fixed(saturday)), false)
	b := collect(t, New(7, fixed(saturday)), false)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two markets with the same seed and clock differ")
	}
	c := collect(t, New(8, fixed(saturday)), false)
	if reflect.DeepEqual(a.Quotes, c.Quotes) || reflect.DeepEqual(a.Daily, c.Daily) ||
		reflect.DeepEqual(a.Elements, c.Elements) || reflect.DeepEqual(a.Margin, c.Margin) {
		t.Fatal("a different seed gives the same series")
	}
	for i := range a.Quotes {
		if a.Quotes[i].Last == c.Quotes[i].Last && a.Quotes[i].Volume == c.Quotes[i].Volume {
			t.Errorf("%s: seeds 7 and 8 give the same quote", a.Quotes[i].Symbol)
		}
	}
}

func TestCallOrderIndependent(t *testing.T) {
	want := collect(t, New(3, fixed(saturday)), false)

	// Asked in reverse order, after the caches ran 40 days ahead and the
	// clock came back.
	var c clock
	c.set(saturday.AddDate(0, 0, 40))
	m := New(3, WithClock(c.now))
	collect(t, m, false)
	c.set(saturday)
	if got := collect(t, m, true); !reflect.DeepEqual(got, want) {
		t.Fatal("the series depends on the order of calls")
	}

	// Grown a day at a time from a clock a year back.
	c.set(saturday.AddDate(-1, 0, 0))
	m = New(3, WithClock(c.now))
	for d := c.now(); d.Before(saturday); d = d.AddDate(0, 0, 9) {
		c.set(d)
		if _, err := m.Quotes(ctx, Symbols()[:3]); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Margin(ctx, model.Symbol{Code: "BK0578"}, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Elements(ctx); err != nil {
			t.Fatal(err)
		}
	}
	c.set(saturday)
	if got := collect(t, m, false); !reflect.DeepEqual(got, want) {
		t.Fatal("the series depends on how the caches grew")
	}
}

func quotesAt(t *testing.T, m *Market, c *clock, at time.Time) []model.Quote {
	t.Helper()
	c.set(at)
	qs, err := m.Quotes(ctx, Symbols())
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != len(Symbols()) {
		t.Fatalf("%d quotes", len(qs))
	}
	return qs
}

func withoutTime(qs []model.Quote) []model.Quote {
	out := append([]model.Quote(nil), qs...)
	for i := range out {
		out[i].Time = time.Time{}
	}
	return out
}

// liveMoves checks the quotes at `start` move from slot to slot and stay put
// within one.
func liveMoves(t *testing.T, start time.Time) {
	t.Helper()
	var c clock
	m := New(11, WithClock(c.now))
	start = start.Truncate(2 * time.Second)
	a := quotesAt(t, m, &c, start)
	b := quotesAt(t, m, &c, start.Add(1999*time.Millisecond))
	if !reflect.DeepEqual(withoutTime(a), withoutTime(b)) {
		t.Error("quotes change within one 2-second slot")
	}
	if !b[0].Time.Equal(start.Add(1999 * time.Millisecond)) {
		t.Errorf("quote time %v, want the clock", b[0].Time)
	}
	moved := map[string]int{}
	prev := a
	const slots = 60
	for s := 1; s <= slots; s++ {
		q := quotesAt(t, m, &c, start.Add(time.Duration(s)*2*time.Second))
		for i := range q {
			if q[i].Volume <= prev[i].Volume || q[i].Amount <= prev[i].Amount {
				t.Errorf("%s: volume/amount did not grow from slot to slot: %v → %v", q[i].Symbol, prev[i].Volume, q[i].Volume)
			}
			if q[i].Last != prev[i].Last {
				moved[q[i].Symbol]++
			}
			if q[i].High < prev[i].High || q[i].Low > prev[i].Low {
				t.Errorf("%s: running high/low went back", q[i].Symbol)
			}
		}
		prev = q
	}
	if moved["600111"] < slots/4 {
		t.Errorf("600111's last price moved in only %d of %d slots", moved["600111"], slots)
	}
	if len(moved) < len(a)/2 {
		t.Errorf("only %d of %d last prices moved over %d slots: %v", len(moved), len(a), slots, moved)
	}
}

func TestQuotesMove(t *testing.T) {
	t.Run("trading day", func(t *testing.T) { liveMoves(t, time.Date(2026, 11, 19, 10, 0, 0, 0, model.CST)) })
	t.Run("weekend", func(t *testing.T) { liveMoves(t, saturday) })
	t.Run("holiday night", func(t *testing.T) { liveMoves(t, time.Date(2026, 10, 1, 23, 0, 0, 0, model.CST)) })
}

func TestQuoteFields(t *testing.T) {
	m := New(5, fixed(saturday))
	qs, err := m.Quotes(ctx, append(Symbols(), model.Symbol{Code: "600519"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != len(Symbols()) {
		t.Fatalf("%d quotes: an unknown symbol should be left out", len(qs))
	}
	for _, q := range qs {
		v := reflect.ValueOf(q)
		for i := 0; i < v.NumField(); i++ {
			if f, ok := v.Field(i).Interface().(float64); ok && !model.Known(f) {
				t.Errorf("%s: %s unknown", q.Symbol, v.Type().Field(i).Name)
			}
		}
		if q.Name == "" || q.Source != "demo" || !q.Time.Equal(saturday) {
			t.Errorf("%s: name %q source %q time %v", q.Symbol, q.Name, q.Source, q.Time)
		}
		if !(q.Low <= q.Last && q.Last <= q.High && q.Low <= q.Open && q.Open <= q.High) {
			t.Errorf("%s: last %v open %v outside [%v, %v]", q.Symbol, q.Last, q.Open, q.Low, q.High)
		}
		if !(q.High52 >= q.High && q.Low52 <= q.Low && q.Low52 > 0) {
			t.Errorf("%s: 52-week range [%v, %v] vs day [%v, %v]", q.Symbol, q.Low52, q.High52, q.Low, q.High)
		}
		if avg := q.Amount / q.Volume; avg < q.Low*(1-1e-9) || avg > q.High*(1+1e-9) {
			t.Errorf("%s: average price %v outside [%v, %v]", q.Symbol, avg, q.Low, q.High)
		}
		if !(q.Volume > 0 && q.TurnoverPct > 0 && q.MarketCap >= q.FloatCap && q.FloatCap > 0 && q.PE > 0) {
			t.Errorf("%s: volume %v turnover %v caps %v/%v PE %v", q.Symbol, q.Volume, q.TurnoverPct, q.MarketCap, q.FloatCap, q.PE)
		}
		if math.Abs(q.MainNet) > q.Amount {
			t.Errorf("%s: main net %v beyond the amount %v", q.Symbol, q.MainNet, q.Amount)
		}
		bars, err := m.Bars(ctx, model.Symbol{Code: q.Symbol}, model.Daily, saturday.AddDate(0, 0, -10), saturday)
		if err != nil || len(bars) < 2 {
			t.Fatalf("%s: %d bars, %v", q.Symbol, len(bars), err)
		}
		live, prev := bars[len(bars)-1], bars[len(bars)-2]
		if q.PrevClose != prev.Close {
			t.Errorf("%s: prev close %v, last bar closed at %v", q.Symbol, q.PrevClose, prev.Close)
		}
		if live.Close != q.Last || live.Open != q.Open || live.High != q.High || live.Low != q.Low || live.Volume != q.Volume || live.Amount != q.Amount {
			t.Errorf("%s: live bar %+v disagrees with the quote %+v", q.Symbol, live, q)
		}
	}
}

// checkBars checks OHLC, amount and limit invariants on a daily series.
func checkBars(t *testing.T, m *Market, sym model.Symbol, bars []model.Bar, today time.Time) {
	t.Helper()
	in := m.byCode[sym.Code]
	x := model.ExchangeOf(sym.Market)
	prev := m.initClose(in)
	for i, b := range bars {
		if b.Symbol != sym.Code || b.Interval != model.Daily || b.Source != "demo" {
			t.Fatalf("%s: bar %+v", sym.Code, b)
		}
		if !(b.Low <= b.Open && b.Open <= b.High && b.Low <= b.Close && b.Close <= b.High && b.Low > 0) {
			t.Errorf("%s %s: OHLC %v %v %v %v", sym.Code, b.Time.Format(time.DateOnly), b.Open, b.High, b.Low, b.Close)
		}
		if b.Volume <= 0 || (i < len(bars)-1 && math.Mod(b.Volume, 100) != 0) { // whole lots, but for the live day
			t.Errorf("%s %s: volume %v", sym.Code, b.Time.Format(time.DateOnly), b.Volume)
		}
		if avg := b.Amount / b.Volume; avg < b.Low*(1-1e-9) || avg > b.High*(1+1e-9) {
			t.Errorf("%s %s: amount/volume %v outside [%v, %v]", sym.Code, b.Time.Format(time.DateOnly), avg, b.Low, b.High)
		}
		limit := sym.LimitPct() / 100
		if x == model.ExchangeHK {
			limit = 0.15
		}
		halfTick := 0.0051 / prev
		for _, v := range []float64{b.High, b.Low, b.Close, b.Open} {
			if math.Abs(v/prev-1) > limit+halfTick {
				t.Errorf("%s %s: %v is %.2f%% from the previous close %v, limit %v%%", sym.Code, b.Time.Format(time.DateOnly), v, (v/prev-1)*100, prev, limit*100)
			}
		}
		if i == len(bars)-1 {
			if !b.Time.Equal(today) {
				t.Errorf("%s: the last bar is %v, want the live day %v", sym.Code, b.Time, today)
			}
		} else if !model.IsTradingDay(x, b.Time) || !b.Time.Equal(model.Day(b.Time)) {
			t.Errorf("%s: a bar on %v, not a trading day at 00:00 CST", sym.Code, b.Time)
		}
		if i > 0 && !b.Time.After(bars[i-1].Time) {
			t.Errorf("%s: bars out of order at %v", sym.Code, b.Time)
		}
		prev = b.Close
	}
}

func TestDailyBars(t *testing.T) {
	today := model.Day(saturday)
	for _, seed := range []int64{1, 2} {
		m := New(seed, fixed(saturday))
		for _, s := range Symbols() {
			bars, err := m.Bars(ctx, s, model.Daily, time.Time{}, saturday)
			if err != nil {
				t.Fatal(err)
			}
			if !bars[0].Time.Equal(Epoch()) {
				t.Errorf("%s: history starts %v, want the epoch", s.Code, bars[0].Time)
			}
			if n := len(model.TradingDays(model.ExchangeOf(s.Market), Epoch(), today.AddDate(0, 0, -1))); len(bars) != n+1 {
				t.Errorf("%s: %d bars, want %d trading days and today", s.Code, len(bars), n)
			}
			checkBars(t, m, s, bars, today)
		}
	}
}

func TestHistoryFromFirstFrame(t *testing.T) {
	// A year after the epoch, the first call already has a year of days.
	now := time.Date(2026, 1, 5, 9, 31, 0, 0, model.CST)
	m := New(1, fixed(now))
	bars, err := m.Bars(ctx, model.Symbol{Code: "600111"}, model.Daily, now.AddDate(-1, 0, 0), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(bars) < 240 || bars[0].Time.After(model.Date(2025, 1, 6)) {
		t.Errorf("%d bars from %v", len(bars), bars[0].Time)
	}
	// Ranges clip to [epoch, today].
	bars, _ = m.Bars(ctx, model.Symbol{Code: "600111"}, model.Daily, model.Date(2020, 1, 1), model.Date(2030, 1, 1))
	if !bars[0].Time.Equal(Epoch()) || !bars[len(bars)-1].Time.Equal(model.Day(now)) {
		t.Errorf("clipped range %v … %v", bars[0].Time, bars[len(bars)-1].Time)
	}
	bars, _ = m.Bars(ctx, model.Symbol{Code: "600111"}, model.Daily, model.Date(2025, 3, 3), model.Date(2025, 3, 7))
	if len(bars) != 5 || !bars[0].Time.Equal(model.Date(2025, 3, 3)) || !bars[4].Time.Equal(model.Date(2025, 3, 7)) {
		t.Errorf("a week: %d bars", len(bars))
	}
	if _, err := m.Bars(ctx, model.Symbol{Code: "600519"}, model.Daily, time.Time{}, time.Time{}); !errors.Is(err, ErrUnknownSymbol) {
		t.Errorf("unknown symbol: %v", err)
	}
	if _, err := m.Bars(ctx, model.Symbol{Code: "600111"}, "1w", time.Time{}, time.Time{}); err == nil {
		t.Error("weekly bars: no error")
	}
}

// A day's live session ends exactly on the bar history keeps for it.
func TestLiveDayBecomesHistory(t *testing.T) {
	var c clock
	m := New(4, WithClock(c.now))
	day := model.Date(2026, 11, 19) // a Thursday, trading in Shanghai and Hong Kong
	c.set(day.Add(24*time.Hour - time.Second))
	live := map[string]model.Bar{}
	for _, s := range Symbols() {
		bars, err := m.Bars(ctx, s, model.Daily, day, day)
		if err != nil || len(bars) != 1 {
			t.Fatalf("%s: %v %v", s.Code, bars, err)
		}
		live[s.Code] = bars[0]
	}
	es, _ := m.Elements(ctx)
	liveElem := map[model.ElementID]model.ElementPrice{}
	for _, e := range es {
		if e.Date.Equal(day) {
			liveElem[e.Element] = e
		}
	}
	c.set(saturday)
	for _, s := range Symbols() {
		bars, _ := m.Bars(ctx, s, model.Daily, day, day)
		if len(bars) != 1 || !reflect.DeepEqual(bars[0], live[s.Code]) {
			t.Errorf("%s: history %+v, live session ended on %+v", s.Code, bars, live[s.Code])
		}
	}
	es, _ = m.Elements(ctx)
	n := 0
	for _, e := range es {
		if e.Date.Equal(day) {
			n++
			if !reflect.DeepEqual(e, liveElem[e.Element]) {
				t.Errorf("%s: history %+v, live day ended on %+v", e.Element, e, liveElem[e.Element])
			}
		}
	}
	if n != len(model.Elements) {
		t.Errorf("%d element prices on %v", n, day)
	}
}

func TestWeekendIsLive(t *testing.T) {
	m := New(9, fixed(saturday))
	friday := model.Date(2026, 11, 20)
	for _, s := range Symbols() {
		bars, _ := m.Bars(ctx, s, model.Daily, friday.AddDate(0, 0, -2), saturday)
		if len(bars) != 4 || !bars[2].Time.Equal(friday) || !bars[3].Time.Equal(model.Day(saturday)) {
			t.Errorf("%s: %d bars ending %v", s.Code, len(bars), bars[len(bars)-1].Time)
		}
	}
	// Minute bars: today's so far, their volumes adding up to the quote's.
	for _, s := range Symbols() {
		q, _ := m.Quotes(ctx, []model.Symbol{s})
		mb, err := m.Bars(ctx, s, model.Minute, model.Day(saturday), saturday)
		if err != nil || len(mb) == 0 {
			t.Fatalf("%s: %d minute bars, %v", s.Code, len(mb), err)
		}
		n := 240
		if s.Market == model.MarketHKEX {
			n = 330
		}
		secs := saturday.Sub(model.Day(saturday)).Seconds()
		if want := int(secs/2)*n/ticksPerDay + 1; len(mb) != want {
			t.Errorf("%s: %d minute bars, want %d", s.Code, len(mb), want)
		}
		var vol float64
		hi, lo := math.Inf(-1), math.Inf(1)
		for i, b := range mb {
			vol += b.Volume
			hi, lo = math.Max(hi, b.High), math.Min(lo, b.Low)
			if !(b.Low <= b.Open && b.Open <= b.High && b.Low <= b.Close && b.Close <= b.High) {
				t.Errorf("%s %v: minute OHLC %v %v %v %v", s.Code, b.Time, b.Open, b.High, b.Low, b.Close)
			}
			if b.Volume > 0 {
				if avg := b.Amount / b.Volume; avg < b.Low*(1-1e-9) || avg > b.High*(1+1e-9) {
					t.Errorf("%s %v: minute average %v outside [%v, %v]", s.Code, b.Time, avg, b.Low, b.High)
				}
			}
			if i > 0 && (!b.Time.After(mb[i-1].Time) || b.Open != mb[i-1].Close) {
				t.Errorf("%s: minute %v does not follow %v", s.Code, b.Time, mb[i-1].Time)
			}
			if ph := model.PhaseAt(model.ExchangeOf(s.Market), b.Time.AddDate(0, 0, -2)); ph != model.Open { // Thursday's session
				t.Errorf("%s: minute bar at %v is outside the session", s.Code, b.Time.Format("15:04"))
			}
		}
		if vol != q[0].Volume || hi != q[0].High || lo != q[0].Low || mb[len(mb)-1].Close != q[0].Last || mb[0].Open != q[0].Open {
			t.Errorf("%s: minute bars (vol %v, %v–%v) disagree with the quote %+v", s.Code, vol, lo, hi, q[0])
		}
	}
}

func TestLevelsSane(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		m := New(seed, fixed(saturday))
		for _, s := range Symbols() {
			in := m.byCode[s.Code]
			lo, hi := in.ref/3, in.ref*3
			if s.Code == "600111" {
				lo, hi = 20, 100
			}
			bars, _ := m.Bars(ctx, s, model.Daily, time.Time{}, time.Time{})
			for _, b := range bars {
				if b.Low < lo || b.High > hi {
					t.Errorf("seed %d %s %s: %v–%v outside [%v, %v]", seed, s.Code, b.Time.Format(time.DateOnly), b.Low, b.High, lo, hi)
					break
				}
			}
		}
		es, _ := m.Elements(ctx)
		for _, e := range es {
			p := m.products[elementIndex(e.Element)]
			ref := math.Exp(p.curve.at(dayNum(e.Date)))
			if e.Price < ref*0.8 || e.Price > ref*1.25 {
				t.Errorf("seed %d %s %s: %v, reference %v", seed, e.Element, e.Date.Format(time.DateOnly), e.Price, ref)
			}
		}
	}
	// Spot levels from REFERENCE.md §2, seed 1.
	m := New(1, fixed(saturday))
	es, _ := m.Elements(ctx)
	spots := []struct {
		id     model.ElementID
		day    time.Time
		lo, hi float64
	}{
		{model.LaOxide, Epoch(), 3400, 4600},
		{model.PrNdOxide, Epoch(), 400000, 500000},
		{model.PrNdOxide, model.Date(2026, 1, 16), 610000, 760000},
		{model.PrNdMetal, Epoch(), 490000, 610000},
		{model.PrNdMetal, model.Date(2026, 1, 16), 740000, 900000},
		{model.DyOxide, model.Date(2026, 1, 29), 1250000, 1600000},
		{model.TbOxide, model.Date(2026, 1, 29), 5700000, 7100000},
		{model.TbMetal, model.Date(2026, 1, 29), 7000000, 8600000},
	}
	for _, sp := range spots {
		found := false
		for _, e := range es {
			if e.Element == sp.id && e.Date.Equal(sp.day) {
				found = true
				if e.Price < sp.lo || e.Price > sp.hi {
					t.Errorf("%s on %s: %v, want %v–%v", sp.id, sp.day.Format(time.DateOnly), e.Price, sp.lo, sp.hi)
				}
			}
		}
		if !found {
			t.Errorf("no %s price on %v", sp.id, sp.day)
		}
	}
}

func elementIndex(id model.ElementID) int {
	for i, p := range productTable {
		if p.id == id {
			return i
		}
	}
	return -1
}

// A window of the prices is the whole history's tail from the window's
// first day, on any day of the week and at any time of it.
func TestElementsSinceIsTheHistorysTail(t *testing.T) {
	var c clock
	for _, now := range []time.Time{saturday, saturday.Add(-36 * time.Hour), saturday.Add(-12*time.Hour - time.Second)} {
		c.set(now)
		m := New(2, WithClock(c.now))
		all, err := m.Elements(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, back := range []int{0, 1, 7, 400} {
			since := model.Day(now).AddDate(0, 0, -back).Add(5 * time.Hour) // any time of the day
			got, err := m.ElementsSince(ctx, since)
			if err != nil {
				t.Fatal(err)
			}
			var want []model.ElementPrice
			for _, e := range all {
				if !e.Date.Before(model.Day(since)) {
					want = append(want, e)
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%v, since %v: %d prices, want the %d of the history from that day", now, since, len(got), len(want))
			}
		}
	}
}

func TestElements(t *testing.T) {
	var c clock
	c.set(saturday)
	m := New(2, WithClock(c.now))
	es, err := m.Elements(ctx)
	if err != nil {
		t.Fatal(err)
	}
	today := model.Day(saturday)
	by := map[model.ElementID][]model.ElementPrice{}
	for _, e := range es {
		by[e.Element] = append(by[e.Element], e)
		if e.Source != "demo" || e.OrigUnit != "元/吨" {
			t.Fatalf("%+v", e)
		}
		if math.Abs(e.Low/e.Price-0.995) > 2e-4 || math.Abs(e.High/e.Price-1.005) > 2e-4 {
			t.Errorf("%s %v: range %v–%v around %v", e.Element, e.Date, e.Low, e.High, e.Price)
		}
	}
	weekdays := 0
	for d := Epoch(); d.Before(today); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			weekdays++
		}
	}
	for _, info := range model.Elements {
		s := by[info.ID]
		if len(s) != weekdays+1 {
			t.Errorf("%s: %d prices, want %d weekdays and today", info.ID, len(s), weekdays)
			continue
		}
		if !s[0].Date.Equal(Epoch()) || !s[len(s)-1].Date.Equal(today) {
			t.Errorf("%s: %v … %v", info.ID, s[0].Date, s[len(s)-1].Date)
		}
		for i, e := range s[:len(s)-1] {
			if wd := e.Date.Weekday(); wd == time.Saturday || wd == time.Sunday || (i > 0 && !e.Date.After(s[i-1].Date)) {
				t.Errorf("%s: a price on %v", info.ID, e.Date)
			}
		}
	}
	// Today's price moves from slot to slot, and holds within one.
	price := func(at time.Time) map[model.ElementID]float64 {
		c.set(at)
		es, _ := m.Elements(ctx)
		out := map[model.ElementID]float64{}
		for _, e := range es {
			if e.Date.Equal(today) {
				out[e.Element] = e.Price
			}
		}
		return out
	}
	t0 := saturday.Truncate(2 * time.Second)
	if !reflect.DeepEqual(price(t0), price(t0.Add(time.Second))) {
		t.Error("element prices change within a slot")
	}
	moved := 0
	for i := 1; i <= 10; i++ {
		a, b := price(t0.Add(time.Duration(2*i-2)*time.Second)), price(t0.Add(time.Duration(2*i)*time.Second))
		for id := range a {
			if a[id] != b[id] {
				moved++
			}
		}
	}
	if moved < 10*len(model.Elements)/2 {
		t.Errorf("element prices moved %d times in 10 slots × %d products", moved, len(model.Elements))
	}
}

func TestMargin(t *testing.T) {
	m := New(6, fixed(saturday))
	today := model.Day(saturday)
	check := func(code string, ds []model.MarginDay, perShare float64) {
		t.Helper()
		for i, d := range ds {
			if d.Symbol != code || d.Source != "demo" || d.Name == "" {
				t.Fatalf("%+v", d)
			}
			if d.FinNetBuy != d.FinBuy-d.FinRepay {
				t.Errorf("%s %v: net %v != buy %v − repay %v", code, d.Date, d.FinNetBuy, d.FinBuy, d.FinRepay)
			}
			if d.Total != d.FinBalance+d.LendBalance {
				t.Errorf("%s %v: total %v != %v + %v", code, d.Date, d.Total, d.FinBalance, d.LendBalance)
			}
			if i > 0 && d.FinBalance != ds[i-1].FinBalance+d.FinNetBuy {
				t.Errorf("%s %v: balance %v != %v + %v", code, d.Date, d.FinBalance, ds[i-1].FinBalance, d.FinNetBuy)
			}
			if math.Abs(d.BalancePct-d.FinBalance/d.FloatCap*100) > 1e-12*d.BalancePct {
				t.Errorf("%s %v: balance %% %v", code, d.Date, d.BalancePct)
			}
			if d.FinBuy < 0 || d.FinRepay < 0 || d.LendBalance < 0 || d.FinBalance <= 0 || d.BalancePct <= 0 || d.BalancePct > 20 {
				t.Errorf("%s %v: %+v", code, d.Date, d)
			}
			for _, v := range []float64{d.FinBalance, d.FinBuy, d.FinRepay, d.LendBalance} {
				if v != math.Round(v) {
					t.Errorf("%s %v: %v is not whole yuan", code, d.Date, v)
				}
			}
			if !model.IsTradingDay(model.ExchangeA, d.Date) || !d.Date.Before(today) || (i > 0 && !d.Date.After(ds[i-1].Date)) {
				t.Errorf("%s: a margin day on %v", code, d.Date)
			}
		}
	}
	for _, s := range Symbols() {
		ds, err := m.Margin(ctx, s, 250)
		if err != nil {
			t.Fatal(err)
		}
		if s.Market == model.MarketHKEX {
			if ds != nil {
				t.Errorf("%s: HK margin %v", s.Code, ds)
			}
			continue
		}
		if len(ds) != 250 || !ds[249].Date.Equal(model.Date(2026, 11, 20)) {
			t.Fatalf("%s: %d days ending %v", s.Code, len(ds), ds[len(ds)-1].Date)
		}
		check(s.Code, ds, 0)
		// FloatCap is that day's close times the float.
		bars, _ := m.Bars(ctx, s, model.Daily, ds[0].Date, ds[len(ds)-1].Date)
		for i := range ds {
			if !bars[i].Time.Equal(ds[i].Date) || ds[i].FloatCap != bars[i].Close*m.byCode[s.Code].float {
				t.Errorf("%s %v: float cap %v, close %v", s.Code, ds[i].Date, ds[i].FloatCap, bars[i].Close)
			}
		}
	}
	last, _ := m.Margin(ctx, model.Symbol{Code: "000831"}, 1)
	if b := last[0].FinBalance; b < 1.5e9 || b > 3e9 || last[0].BalancePct < 2.5 || last[0].BalancePct > 7 {
		t.Errorf("000831: balance %v (%v%%), want near 21.98 亿 and ~4%%", b, last[0].BalancePct)
	}
	sector, err := m.SectorMargin(ctx, []string{"BK0578", "BK9999", "BK0479"})
	if err != nil || len(sector) != 2 || sector[0].Symbol != "BK0578" || sector[1].Symbol != "BK0479" {
		t.Fatalf("sector margin %v %v", sector, err)
	}
	for _, b := range Boards() {
		ds, err := m.Margin(ctx, model.Symbol{Code: b.Code, Market: model.MarketBoard}, 300)
		if err != nil || len(ds) != 300 {
			t.Fatalf("%s: %d days, %v", b.Code, len(ds), err)
		}
		check(b.Code, ds, 0)
		if ds[0].Name != b.Name {
			t.Errorf("%s named %q", b.Code, ds[0].Name)
		}
		// A board holds more than its listed members.
		var members float64
		for _, c := range m.byBoard[b.Code].members {
			md, _ := m.Margin(ctx, model.Symbol{Code: c}, 1)
			members += md[0].FinBalance
		}
		if got := ds[len(ds)-1]; got.FinBalance <= members {
			t.Errorf("%s: board balance %v ≤ its members' %v", b.Code, got.FinBalance, members)
		}
		if b.Code == "BK0578" {
			if tot := ds[len(ds)-1].Total; tot < 2.4e10 || tot > 4.0e10 {
				t.Errorf("稀土永磁 total %v, want near 313.53 亿", tot)
			}
			if !reflect.DeepEqual(ds[len(ds)-1], sector[0]) {
				t.Error("SectorMargin disagrees with Margin for BK0578")
			}
		}
	}
	if _, err := m.Margin(ctx, model.Symbol{Code: "600519"}, 5); !errors.Is(err, ErrUnknownSymbol) {
		t.Errorf("unknown symbol: %v", err)
	}
	all, _ := m.Margin(ctx, model.Symbol{Code: "600111"}, 0)
	if !all[0].Date.Equal(Epoch()) {
		t.Errorf("days ≤ 0: history from %v", all[0].Date)
	}
}

func TestBoards(t *testing.T) {
	m := New(12, fixed(saturday))
	want := map[string][]string{
		"BK0578": {"600111", "000831", "600392", "600259", "300748", "000970", "002645", "300631"},
		"BK1027": {"000831", "600111", "600392", "600549"},
		"BK0479": {"600010"},
		"BK0478": {"600111", "000831", "600392", "600259", "600549", "600010"},
	}
	bms, err := m.Boards(ctx, []string{"BK0578", "BK1027", "BK0479", "BK0478", "BK0001"})
	if err != nil || len(bms) != 4 {
		t.Fatalf("%d boards, %v", len(bms), err)
	}
	for _, bm := range bms {
		qs, err := m.Constituents(ctx, bm.Code)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		best := math.Inf(-1)
		var leader string
		up, down, flat := 0, 0, 0
		for _, q := range qs {
			codes = append(codes, q.Symbol)
			if p := q.ChangePct(); p > best {
				best, leader = p, q.Symbol
			}
			switch {
			case q.Last > q.PrevClose:
				up++
			case q.Last < q.PrevClose:
				down++
			default:
				flat++
			}
		}
		if !reflect.DeepEqual(codes, want[bm.Code]) {
			t.Errorf("%s constituents %v, want %v", bm.Code, codes, want[bm.Code])
		}
		if bm.Up != up || bm.Down != down || bm.Flat != flat || bm.LeaderCode != leader || bm.Leader == "" {
			t.Errorf("%s: %+v, want up/down/flat %d/%d/%d leader %s", bm.Code, bm, up, down, flat, leader)
		}
		if bm.LimitUp < 0 || bm.LimitUp > len(qs) || !(bm.Level > 100) || math.Abs(bm.ChangePct) > 20 || !model.Known(bm.MainNet) || bm.Turnover <= 0 {
			t.Errorf("%s: %+v", bm.Code, bm)
		}
		if !bm.Time.Equal(saturday) || bm.Source != "demo" {
			t.Errorf("%s: time %v source %q", bm.Code, bm.Time, bm.Source)
		}
	}
	if _, err := m.Constituents(ctx, "BK0001"); !errors.Is(err, ErrUnknownBoard) {
		t.Errorf("unknown board: %v", err)
	}
	// Board levels move with the clock.
	later := New(12, fixed(saturday.Add(2*time.Minute)))
	bl, _ := later.Boards(ctx, []string{"BK0578"})
	if bl[0].Level == bms[0].Level && bl[0].MainNet == bms[0].MainNet {
		t.Error("BK0578 did not move in two minutes")
	}
}

// Limit-up days happen, and a limit-up close counts on the board.
func TestLimitUp(t *testing.T) {
	m := New(1, fixed(saturday))
	var limitDays int
	for _, s := range Symbols()[:10] {
		bars, _ := m.Bars(ctx, s, model.Daily, time.Time{}, time.Time{})
		in := m.byCode[s.Code]
		for i := 1; i < len(bars); i++ {
			if _, hi := in.limits(bars[i-1].Close); bars[i].Close == hi {
				limitDays++
			}
		}
	}
	if limitDays == 0 || limitDays > 200 {
		t.Errorf("%d limit-up closes over the A-shares' history", limitDays)
	}
}

func TestCancelled(t *testing.T) {
	m := New(1, fixed(saturday))
	c, cancel := context.WithCancel(ctx)
	cancel()
	s := Symbols()[0]
	errs := []error{}
	_, err := m.Quotes(c, Symbols())
	errs = append(errs, err)
	_, err = m.Bars(c, s, model.Daily, time.Time{}, time.Time{})
	errs = append(errs, err)
	_, err = m.Margin(c, s, 5)
	errs = append(errs, err)
	_, err = m.SectorMargin(c, nil)
	errs = append(errs, err)
	_, err = m.Boards(c, nil)
	errs = append(errs, err)
	_, err = m.Constituents(c, "BK0578")
	errs = append(errs, err)
	_, err = m.Elements(c)
	errs = append(errs, err)
	for i, err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("call %d: %v", i, err)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	var c clock
	c.set(saturday)
	m := New(21, WithClock(c.now))
	ref := New(21, fixed(saturday))
	want, _ := ref.Quotes(ctx, Symbols())
	var wg sync.WaitGroup
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				switch (g + i) % 4 {
				case 0:
					qs, _ := m.Quotes(ctx, Symbols())
					if !reflect.DeepEqual(qs, want) {
						t.Error("concurrent quotes differ")
					}
				case 1:
					m.Bars(ctx, Symbols()[g], model.Minute, time.Time{}, time.Time{})
				case 2:
					m.Margin(ctx, model.Symbol{Code: "BK0578"}, 10)
				case 3:
					m.Elements(ctx)
				}
			}
		}(g)
	}
	wg.Wait()
}

func BenchmarkQuotes(b *testing.B) {
	var c clock
	c.set(saturday)
	m := New(1, WithClock(c.now))
	syms := Symbols()
	if _, err := m.Quotes(ctx, syms); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	t := saturday
	for i := 0; i < b.N; i++ {
		t = t.Add(2 * time.Second) // a new slot every call
		c.set(t)
		if _, err := m.Quotes(ctx, syms); err != nil {
			b.Fatal(err)
		}
	}
}

// The cached history of a run (every symbol's daily bars and every
// product's element prices since the epoch) is held in a compact form, not
// as the model values the feeds hand out: the demo keeps it for as long as
// it runs.
func TestHistoryCacheIsHeldCompact(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, model.CST) // about two years after the epoch
	heap := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := heap()
	m := New(3, fixed(now))
	upTo := dayNum(now) - 1
	days, prices := 0, 0
	m.mu.Lock()
	for _, in := range m.insts {
		days += len(m.history(in, upTo).days)
	}
	for _, p := range m.products {
		prices += len(m.elemHistory(p, upTo).dns)
	}
	m.mu.Unlock()
	held := int64(heap()) - int64(before)
	runtime.KeepAlive(m)
	// As model values (a 128-byte Bar; a 96-byte ElementPrice and the
	// walk's state) the history would take days*128 + prices*104.
	asValues := int64(days*128 + prices*104)
	t.Logf("%d daily bars and %d element prices: %d bytes held (as model values: %d)", days, prices, held, asValues)
	// About 0.36 of it (0.54 MB for these two years); the old cache took
	// 1.2 times it (1.8 MB). Half leaves room for the runtime's own
	// allocations between the two readings.
	if held > asValues/2 {
		t.Errorf("the market holds %d bytes for its history, want at most %d (half of it as model values)", held, asValues/2)
	}
	// What is held is what the feeds hand out.
	bars, err := m.Bars(ctx, m.Symbols()[0], model.Daily, time.Time{}, time.Time{})
	if err != nil || len(bars) == 0 || bars[0].Time != epoch || bars[0].Source != SourceName || bars[0].Interval != model.Daily {
		t.Errorf("first daily bar %+v (%v), want one on the epoch from the demo", bars[0], err)
	}
}
