package demo

import (
	"math"
	"slices"
	"sort"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Stock prices are built in three levels, each a pure function of the seed:
//
//  1. the day: open, high, low, close and volume, the close following a
//     mean-reverting (Ornstein–Uhlenbeck) log walk around the instrument's
//     reference level, stepped once per trading day from the epoch and
//     clipped to the price limit;
//  2. the session minutes: a price path pinned to that open, high, low and
//     close (it touches the high and the low and never leaves them), and the
//     day's volume spread over a U-shaped profile;
//  3. the 2-second ticks inside one minute: a walk from the minute's opening
//     price to its closing price with a tick or two of trade-to-trade noise,
//     folded back inside the day's high and low.
//
// The live day is stretched over the whole calendar day: session minute k of
// n is reached at k/n of the day, so the demo trades whenever it runs. A
// historical bar is exactly the live day's final state, whenever it is asked.

const (
	ticksPerDay = 86400 / 2 // 2-second slots in a day
	kappa       = 0.03      // daily mean reversion of the log price
	jumpProb    = 0.015     // chance of a news day
)

// daily is one day's first-level figures.
type daily struct {
	dn                           int64
	prev, open, high, low, close float64
	volume                       int64 // shares, a multiple of 100
}

// stepDay computes the day dn that follows a close of prev.
func (m *Market) stepDay(in *instrument, dn int64, prev float64) daily {
	x := math.Log(prev)
	f := norm(hash(m.factor, sFactor, dn, 0))
	eps := in.beta*f + math.Sqrt(1-in.beta*in.beta)*norm(hash(in.base, sClose, dn, 0))
	if unit(hash(in.base, sJump, dn, 0)) < jumpProb {
		eps += 3 * norm(hash(in.base, sJumpSize, dn, 0))
	}
	xc := x + kappa*(in.meanLog(dn)-x) + in.sigma*eps
	lo, hi := in.limits(prev)
	c := clamp(in.round(math.Exp(xc)), lo, hi)
	o := clamp(in.round(math.Exp(x+0.3*(xc-x)+0.35*in.sigma*norm(hash(in.base, sOpen, dn, 0)))), lo, hi)
	top, bot := math.Max(o, c), math.Min(o, c)
	h := clamp(in.round(top*math.Exp(0.45*in.sigma*math.Abs(norm(hash(in.base, sHigh, dn, 0))))), top, hi)
	l := clamp(in.round(bot*math.Exp(-0.45*in.sigma*math.Abs(norm(hash(in.base, sLow, dn, 0))))), lo, bot)
	turn := in.turn * math.Exp(0.35*norm(hash(in.base, sVolume, dn, 0))) * (1 + 8*math.Abs(math.Log(c/prev)))
	lots := max(int64(in.float*turn/100/100), 1)
	return daily{dn: dn, prev: prev, open: o, high: h, low: l, close: c, volume: lots * 100}
}

// initClose is the close before the epoch, where every walk starts.
func (m *Market) initClose(in *instrument) float64 {
	return in.round(math.Exp(in.meanLog(-1) + 0.05*norm(hash(in.base, sInit, 0, 0))))
}

// sessionLen is the number of session minutes of exchange x on day d (for a
// day the exchange does not trade, the usual number).
func sessionLen(x model.Exchange, d time.Time) int {
	if x != model.ExchangeHK {
		return 240
	}
	if model.IsTradingDay(x, d) && model.PhaseAt(x, d.Add(12*time.Hour+30*time.Minute)) == model.AfterClose {
		return 150 // a half day: morning only
	}
	return 330
}

// minuteTime stamps session minute k of day d (the start of the minute).
func minuteTime(x model.Exchange, d time.Time, k int) time.Time {
	morning := 120
	if x == model.ExchangeHK {
		morning = 150
	}
	if k < morning {
		return d.Add(9*time.Hour + 30*time.Minute + time.Duration(k)*time.Minute)
	}
	return d.Add(13*time.Hour + time.Duration(k-morning)*time.Minute)
}

// segStart is the first tick (slot of the day) of session minute k of n.
func segStart(k, n int) int { return (k*ticksPerDay + n - 1) / n }

// minutePath holds a day's second level: boundary prices p[0..n] (p[0] the
// open, p[n] the close, p[k] the price at the end of minute k-1), and the
// cumulative volume and amount at each boundary. A minute's shares trade at
// its opening price: the amount needs no tick-level path, so a historical
// bar costs one pass over the minutes, and the amount only ever grows.
type minutePath struct {
	p    []float64
	cumV []int64
	cumA []float64
	w    []float64 // scratch
}

func newMinutePath(n int) *minutePath {
	return &minutePath{p: make([]float64, n+1), cumV: make([]int64, n+1), cumA: make([]float64, n+1), w: make([]float64, n+1)}
}

// fill computes the minute path of day d over n session minutes. The path
// touches the day's high and low at two pinned minutes and stays between them.
func (m *Market) fill(in *instrument, d daily, n int, mp *minutePath) {
	p, w := mp.p[:n+1], mp.w[:n+1]
	dn := d.dn
	scale := 1 / math.Sqrt(float64(n))
	w[0] = 0
	key := keyOf(in.base, sPath, dn)
	for k := 1; k <= n; k++ {
		w[k] = w[k-1] + norm(mix(key+uint64(k)))*scale
	}
	u1 := unit(hash(in.base, sPin, dn, 1))
	u2 := unit(hash(in.base, sPin, dn, 2))
	u3 := unit(hash(in.base, sPin, dn, 3))
	a := 1 + int(float64(n-3)*(0.05+0.4*u1))
	b := a + 1 + int(float64(n-a-2)*(0.1+0.8*u2))
	highFirst := u3 < 0.7
	if d.close >= d.open {
		highFirst = u3 < 0.3
	}
	va, vb := d.low, d.high
	if highFirst {
		va, vb = d.high, d.low
	}
	pins := [4]struct {
		k int
		v float64
	}{{0, d.open}, {a, va}, {b, vb}, {n, d.close}}
	// Intraday moves are small: the path is drawn in price, not log price.
	amp := math.Min(0.8*in.sigma*d.open, 0.7*(d.high-d.low))
	for s := 0; s < 3; s++ {
		k0, k1 := pins[s].k, pins[s+1].k
		v0, v1 := pins[s].v, pins[s+1].v
		span := float64(k1 - k0)
		for k := k0 + 1; k < k1; k++ {
			t := float64(k-k0) / span
			v := v0 + t*(v1-v0) + amp*(w[k]-w[k0]-t*(w[k1]-w[k0]))
			p[k] = clamp(in.round(fold(v, d.low, d.high)), d.low, d.high)
		}
		p[k0] = v0
	}
	p[n] = d.close

	// Volume: a U-shaped profile with noise, cumulated in lots.
	cw := w // reuse the scratch for the cumulative weights
	cw[0] = 0
	key = keyOf(in.base, sProfile, dn)
	for k := 0; k < n; k++ {
		t := (float64(k) + 0.5) / float64(n)
		shape := (1 + 1.5*(2*t-1)*(2*t-1)) * (0.6 + 0.8*unit(mix(key+uint64(k))))
		cw[k+1] = cw[k] + shape
	}
	lots := d.volume / 100
	mp.cumV[0], mp.cumA[0] = 0, 0
	for k := 1; k <= n; k++ {
		v := d.volume
		if k < n {
			v = int64(float64(lots)*cw[k]/cw[n]) * 100
		}
		mp.cumV[k] = v
		mp.cumA[k] = mp.cumA[k-1] + float64(v-mp.cumV[k-1])*p[k-1]
	}
}

// series is the cached daily history of one instrument: one dayBar for
// each of the exchange's trading days from the epoch through day number
// `through`.
type series struct {
	sym     string
	days    []dayBar
	through int64
	last    float64 // the close after `through`
	init    float64 // the close before the epoch
}

// dayBar is a trading day of a series: a daily bar without what every bar
// of the series shares (symbol, interval, source) and with its day as a
// day number, 56 bytes where a model.Bar takes 128. The cache holds about
// 500 a symbol for as long as the demo runs; bar rebuilds the Bar.
type dayBar struct {
	dn                                     int64
	open, high, low, close, volume, amount float64
}

// dayTime is the start of day number dn.
func dayTime(dn int64) time.Time { return epoch.AddDate(0, 0, int(dn)) }

// bar is the daily bar of the series' i-th day.
func (s *series) bar(i int) model.Bar {
	d := &s.days[i]
	return model.Bar{
		Symbol: s.sym, Interval: model.Daily, Time: dayTime(d.dn),
		Open: d.open, High: d.high, Low: d.low, Close: d.close,
		Volume: d.volume, Amount: d.amount, Source: SourceName,
	}
}

// prevClose is the close before the series' i-th day.
func (s *series) prevClose(i int) float64 {
	if i > 0 {
		return s.days[i-1].close
	}
	return s.init
}

// history returns the instrument's history extended through day number upTo.
func (m *Market) history(in *instrument, upTo int64) *series {
	s := m.hist[in.sym.Code]
	if s == nil {
		c := m.initClose(in)
		s = &series{sym: in.sym.Code, through: -1, last: c, init: c}
		m.hist[in.sym.Code] = s
	}
	if upTo <= s.through {
		return s
	}
	mp := newMinutePath(330) // the longest session
	for dn := s.through + 1; dn <= upTo; dn++ {
		day := dayTime(dn)
		if !model.IsTradingDay(in.x, day) {
			continue
		}
		d := m.stepDay(in, dn, s.last)
		n := sessionLen(in.x, day)
		m.fill(in, d, n, mp)
		s.days = append(s.days, dayBar{dn: dn, open: d.open, high: d.high, low: d.low, close: d.close,
			volume: float64(d.volume), amount: mp.cumA[n]})
		s.last = d.close
	}
	s.days = slices.Clip(s.days) // kept for the run: no room left over from append
	s.through = upTo
	return s
}

// before returns the number of days before t (days[:i] are the history as
// of t's day).
func (s *series) before(t time.Time) int {
	return sort.Search(len(s.days), func(i int) bool { return !dayTime(s.days[i].dn).Before(t) })
}

// plan is the live day of one instrument: its first and second levels, with
// running extremes, and the 52-week range of the history before it.
type plan struct {
	day        time.Time
	d          daily
	n          int
	mp         *minutePath
	hi52, lo52 float64

	// Extremes of the ticks of minutes [0, k), filled lazily up to `done`:
	// runHi[k], runLo[k] include the open; segHi[k], segLo[k] are minute k's.
	done         int
	runHi, runLo []float64
	segHi, segLo []float64
	scratch      []float64
}

// livePlan returns the plan of day `today` (00:00 CST) for in.
func (m *Market) livePlan(in *instrument, today time.Time) *plan {
	if pl := m.plans[in.sym.Code]; pl != nil && pl.day.Equal(today) {
		return pl
	}
	dn := dayNum(today)
	s := m.history(in, dn-1)
	i := s.before(today)
	pl := &plan{day: today, d: m.stepDay(in, dn, s.prevClose(i)), n: sessionLen(in.x, today)}
	pl.mp = newMinutePath(pl.n)
	m.fill(in, pl.d, pl.n, pl.mp)
	pl.runHi, pl.runLo = make([]float64, pl.n+1), make([]float64, pl.n+1)
	pl.segHi, pl.segLo = make([]float64, pl.n), make([]float64, pl.n)
	pl.runHi[0], pl.runLo[0] = pl.d.open, pl.d.open
	pl.hi52, pl.lo52 = math.Inf(-1), math.Inf(1)
	yearAgo := today.AddDate(-1, 0, 0)
	for j := i - 1; j >= 0 && !dayTime(s.days[j].dn).Before(yearAgo); j-- {
		pl.hi52 = math.Max(pl.hi52, s.days[j].high)
		pl.lo52 = math.Min(pl.lo52, s.days[j].low)
	}
	m.plans[in.sym.Code] = pl
	return pl
}

// extremesBefore makes runHi[k] and runLo[k] (the extremes of the day's
// ticks before minute k, and the open) available.
func (m *Market) extremesBefore(in *instrument, pl *plan, k int) {
	for ; pl.done < k; pl.done++ {
		s := pl.done
		x := m.ticks(in, pl, s, &pl.scratch)
		hi, lo := math.Inf(-1), math.Inf(1)
		for _, v := range x {
			hi, lo = math.Max(hi, v), math.Min(lo, v)
		}
		pl.segHi[s], pl.segLo[s] = hi, lo
		pl.runHi[s+1], pl.runLo[s+1] = math.Max(pl.runHi[s], hi), math.Min(pl.runLo[s], lo)
	}
}

// ticks computes the third level of minute k: the price at each of its
// ticks, a walk from the minute's opening price to its closing price
// (reached on the last tick) that may stray a little either side, within
// the day's low and high. buf is reused when large enough.
func (m *Market) ticks(in *instrument, pl *plan, k int, buf *[]float64) []float64 {
	start, end := segStart(k, pl.n), segStart(k+1, pl.n)
	l := end - start
	if cap(*buf) < 2*(l+1) {
		*buf = make([]float64, 2*(l+1))
	}
	w, x := (*buf)[:l+1], (*buf)[l+1:2*l+1]
	scale := 1 / math.Sqrt(float64(l))
	w[0] = 0
	key := keyOf(in.base, sTick, pl.d.dn)
	for i := 1; i <= l; i++ {
		w[i] = w[i-1] + norm(mix(key+uint64(start+i)))*scale
	}
	p0, p1 := pl.mp.p[k], pl.mp.p[k+1]
	amp := 0.5 * math.Abs(p1-p0)
	// Trade-to-trade noise: an AR(1) of a tick or two, so the price moves
	// from one 2-second slot to the next even when the minute goes nowhere.
	const rho = 0.85
	noise := math.Max(0.6*in.tickMilli(p0)/1000, 0.0003*p0) * math.Sqrt(1-rho*rho)
	e := 0.0
	key = keyOf(in.base, sTickNoise, pl.d.dn)
	for i := 0; i < l-1; i++ {
		t := float64(i+1) / float64(l)
		e = rho*e + noise*norm(mix(key+uint64(start+i)))
		v := p0 + t*(p1-p0) + amp*(w[i+1]-t*w[l]) + e
		x[i] = clamp(in.round(fold(v, pl.d.low, pl.d.high)), pl.d.low, pl.d.high)
	}
	x[l-1] = p1
	return x
}

// fold reflects v into [lo, hi], so a walk that reaches a bound turns back
// instead of sticking to it.
func fold(v, lo, hi float64) float64 {
	if v >= lo && v <= hi {
		return v
	}
	w := hi - lo
	if !(w > 0) {
		return lo
	}
	u := math.Mod(v-lo, 2*w)
	if u < 0 {
		u += 2 * w
	}
	if u > w {
		u = 2*w - u
	}
	return lo + u
}

// segment is minute k of a live day at tick resolution, with the running
// extremes inside the minute.
type segment struct {
	pl     *plan
	k      int
	start  int // first tick of the minute
	x      []float64
	hi, lo []float64 // max/min of x[0..i]
}

func (m *Market) segmentOf(in *instrument, pl *plan, k int) *segment {
	if sg := m.segs[in.sym.Code]; sg != nil && sg.pl == pl && sg.k == k {
		return sg
	}
	var buf []float64
	x := m.ticks(in, pl, k, &buf)
	sg := &segment{pl: pl, k: k, start: segStart(k, pl.n), x: x,
		hi: make([]float64, len(x)), lo: make([]float64, len(x))}
	hi, lo := math.Inf(-1), math.Inf(1)
	for i, v := range x {
		hi, lo = math.Max(hi, v), math.Min(lo, v)
		sg.hi[i], sg.lo[i] = hi, lo
	}
	m.segs[in.sym.Code] = sg
	return sg
}

// tickState is an instrument's live state at one 2-second slot.
type tickState struct {
	pl                *plan
	sg                *segment
	k, i              int // session minute, tick within it
	slot              int // tick of the day
	last, high, low   float64
	volume, minuteVol int64
	amount            float64
}

// tickAt returns the live state of in at time now.
func (m *Market) tickAt(in *instrument, now time.Time) tickState {
	today := model.Day(now)
	slot := int((now.Unix() - today.Unix()) / 2)
	slot = min(max(slot, 0), ticksPerDay-1)
	pl := m.livePlan(in, today)
	k := slot * pl.n / ticksPerDay
	m.extremesBefore(in, pl, k)
	sg := m.segmentOf(in, pl, k)
	i := slot - sg.start
	ts := tickState{pl: pl, sg: sg, k: k, i: i, slot: slot, last: sg.x[i]}
	ts.high = math.Max(pl.runHi[k], sg.hi[i])
	ts.low = math.Min(pl.runLo[k], sg.lo[i])
	// Shares trade a few at a time inside the minute; whole minutes trade lots.
	ts.minuteVol = (pl.mp.cumV[k+1] - pl.mp.cumV[k]) * int64(i+1) / int64(len(sg.x))
	ts.volume = pl.mp.cumV[k] + ts.minuteVol
	ts.amount = pl.mp.cumA[k] + float64(ts.minuteVol)*pl.mp.p[k]
	return ts
}

// quote builds the live quote of in at now.
func (m *Market) quote(in *instrument, now time.Time) model.Quote {
	ts := m.tickAt(in, now)
	d := ts.pl.d
	ret := ts.last/d.prev - 1
	frac := 0.04*norm(hash(in.base, sFlowDay, d.dn, 0)) + 1.5*ret + 0.01*norm(hash(in.base, sFlowTick, d.dn, int64(ts.slot)))
	return model.Quote{
		Symbol:      in.sym.Code,
		Name:        in.sym.Name,
		Time:        now,
		Last:        ts.last,
		PrevClose:   d.prev,
		Open:        d.open,
		High:        ts.high,
		Low:         ts.low,
		Volume:      float64(ts.volume),
		Amount:      ts.amount,
		TurnoverPct: float64(ts.volume) / in.float * 100,
		MarketCap:   ts.last * in.shares,
		FloatCap:    ts.last * in.float,
		PE:          model.Round2(ts.last / in.eps),
		MainNet:     math.Round(ts.amount * clamp(frac, -0.3, 0.3)),
		High52:      math.Max(ts.pl.hi52, ts.high),
		Low52:       math.Min(ts.pl.lo52, ts.low),
		Source:      SourceName,
	}
}

// liveBar is today's daily bar so far.
func (m *Market) liveBar(in *instrument, now time.Time) model.Bar {
	ts := m.tickAt(in, now)
	return model.Bar{
		Symbol: in.sym.Code, Interval: model.Daily, Time: ts.pl.day,
		Open: ts.pl.d.open, High: ts.high, Low: ts.low, Close: ts.last,
		Volume: float64(ts.volume), Amount: ts.amount, Source: SourceName,
	}
}

// minuteBars are today's session-minute bars up to the current one (which
// is partial). Their volumes add up to the quote's volume.
func (m *Market) minuteBars(in *instrument, now time.Time) []model.Bar {
	ts := m.tickAt(in, now)
	pl := ts.pl
	p, cv := pl.mp.p, pl.mp.cumV
	out := make([]model.Bar, 0, ts.k+1)
	for k := 0; k <= ts.k; k++ {
		var o, c, hi, lo float64
		var v int64
		if k < ts.k {
			o, c, v = p[k], p[k+1], cv[k+1]-cv[k]
			hi, lo = math.Max(o, pl.segHi[k]), math.Min(o, pl.segLo[k])
		} else {
			o, c, v = p[k], ts.last, ts.minuteVol
			hi, lo = math.Max(o, ts.sg.hi[ts.i]), math.Min(o, ts.sg.lo[ts.i])
		}
		out = append(out, model.Bar{
			Symbol: in.sym.Code, Interval: model.Minute, Time: minuteTime(in.x, pl.day, k),
			Open: o, High: hi, Low: lo, Close: c,
			Volume: float64(v), Amount: float64(v) * o, Source: SourceName,
		})
	}
	return out
}
