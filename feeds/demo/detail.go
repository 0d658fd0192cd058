package demo

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Streams of the detail figures, apart from those of the rest of the market.
const (
	sBookVol uint64 = 1000 + iota
	sBookSide
	sVolRatio
	sFlowSplit
)

// Book is the simulated five-level order book of sym at the live price:
// ask 1 one tick above the last price, bid 1 at it, levels a tick apart,
// volumes drawn per level and 2-second slot; 外盘/内盘 split the day's
// volume, 量比 is drawn per day, and the limit prices are the exchange's.
func (m *Market) Book(ctx context.Context, sym model.Symbol) (model.Book, error) {
	if err := ctx.Err(); err != nil {
		return model.Book{}, err
	}
	in := m.lookup(sym)
	if in == nil {
		return model.Book{}, fmt.Errorf("%w: %q", ErrUnknownSymbol, sym.Code)
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	q := m.quote(in, now)
	ts := m.tickAt(in, now)
	dec := model.PriceDecimals(in.sym)
	b := model.Book{Symbol: in.sym.Code, Time: now, Decimals: dec, Last: q.Last, PrevClose: q.PrevClose, Source: SourceName}
	lo, hi := in.limits(q.PrevClose)
	if in.x != model.ExchangeHK {
		b.LimitUp, b.LimitDown = hi, lo
	} else {
		b.LimitUp, b.LimitDown = model.Unknown, model.Unknown
	}
	lots := q.Volume / 100
	if in.x == model.ExchangeHK {
		lots = q.Volume
	}
	if lots > 0 {
		b.Avg = model.RoundTo(q.Amount/q.Volume, dec)
	} else {
		b.Avg = model.Unknown
	}
	side := 0.5 + 0.3*(q.Last/q.PrevClose-1)/max(in.limit, 0.01) + 0.05*norm(hash(in.base, sBookSide, ts.pl.d.dn, 0))
	side = clamp(side, 0.2, 0.8)
	b.Outer = math.Round(lots * side)
	b.Inner = math.Round(lots) - b.Outer
	b.VolRatio = model.Round2(math.Exp(0.3 * norm(hash(in.base, sVolRatio, ts.pl.d.dn, 0))))
	tick := in.tickMilli(q.Last) / 1000
	base := max(100, math.Round(lots/2000))
	for i := 0; i < 5; i++ {
		ap := in.round(q.Last + float64(i+1)*tick)
		bp := in.round(q.Last - float64(i)*tick)
		av := math.Round(base * (0.3 + 1.7*unit(hash(in.base, sBookVol, int64(ts.slot), int64(2*i)))))
		bv := math.Round(base * (0.3 + 1.7*unit(hash(in.base, sBookVol, int64(ts.slot), int64(2*i+1)))))
		if in.x != model.ExchangeHK && ap > hi+1e-9 {
			ap, av = model.Unknown, model.Unknown // nothing offered above the limit
		}
		if in.x != model.ExchangeHK && bp < lo-1e-9 || bp <= 0 {
			bp, bv = model.Unknown, model.Unknown
		}
		b.Asks[i] = model.Level{Price: ap, Volume: av}
		b.Bids[i] = model.Level{Price: bp, Volume: bv}
	}
	return b, nil
}

// Sessions returns the last ndays sessions of minute data: today's so far
// (the live day) and the trading days before it, each minute stamped with
// its end (09:31 … 11:30, 13:01 …) as the real feed does, with the running
// average price.
func (m *Market) Sessions(ctx context.Context, sym model.Symbol, ndays int) ([]model.Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if b := m.boardOf(sym); b != nil {
		return []model.Session{m.boardSession(b, now)}, nil
	}
	in := m.lookup(sym)
	if in == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownSymbol, sym.Code)
	}
	return m.sessions(in, max(1, min(ndays, 5)), now), nil
}

// sessions is Sessions for one instrument; m.mu is held.
func (m *Market) sessions(in *instrument, ndays int, now time.Time) []model.Session {
	today := model.Day(now)
	s := m.history(in, dayNum(today)-1)
	end := s.before(today)
	var out []model.Session
	mp := newMinutePath(330)
	for j := max(end-(ndays-1), 0); j < end; j++ {
		bar, prev := s.bar(j), s.prevClose(j)
		d := m.stepDay(in, dayNum(bar.Time), prev)
		n := sessionLen(in.x, bar.Time)
		m.fill(in, d, n, mp)
		ses := model.Session{Symbol: in.sym.Code, Day: bar.Time, PrevClose: prev, Source: SourceName}
		for k := 0; k < n; k++ {
			v := float64(mp.cumV[k+1] - mp.cumV[k])
			t := minuteTime(in.x, bar.Time, k).Add(time.Minute)
			ses.Ticks = append(ses.Ticks, tickOf(t, mp.p[k], mp.p[k+1], v, mp.cumA[k+1], float64(mp.cumV[k+1]), in))
		}
		out = append(out, ses)
	}
	ts := m.tickAt(in, now)
	live := model.Session{Symbol: in.sym.Code, Day: today, PrevClose: ts.pl.d.prev, Source: SourceName}
	cumV, cumA := 0.0, 0.0
	for _, b := range m.minuteBars(in, now) {
		cumV += b.Volume
		cumA += b.Amount
		live.Ticks = append(live.Ticks, tickOf(b.Time.Add(time.Minute), b.Open, b.Close, b.Volume, cumA, cumV, in))
	}
	return append(out, live)
}

func tickOf(t time.Time, open, close, vol, cumA, cumV float64, in *instrument) model.Tick {
	avg := model.Unknown
	if cumV > 0 {
		avg = model.RoundTo(cumA/cumV, model.PriceDecimals(in.sym)+1)
	}
	return model.Tick{Time: t, Open: open, Close: close, High: math.Max(open, close), Low: math.Min(open, close), Volume: vol, Amount: vol * open, Avg: avg}
}

// flowSplit splits a main-force net inflow of an amount into the four
// order sizes: super-large and large make the main force, medium and
// small take the other side, so the four net to zero.
func flowSplit(in *instrument, main, amount float64, dn, k int64) model.Flow {
	u := unit(hash(in.base, sFlowSplit, dn, k))
	super := math.Round(main * (0.45 + 0.4*u))
	medium := math.Round(-main*(0.35+0.3*u) + 0.01*amount*norm(hash(in.base, sFlowSplit, dn, k+1_000_000)))
	return model.Flow{Main: main, Super: super, Large: main - super, Medium: medium, Small: -main - medium}
}

// FlowToday is today's simulated fund flow, cumulative at the end of each
// minute so far: the main force follows the day's move and its own drift,
// as the quotes' main-force figure does.
func (m *Market) FlowToday(ctx context.Context, sym model.Symbol) (model.FlowToday, error) {
	if err := ctx.Err(); err != nil {
		return model.FlowToday{}, err
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if b := m.boardOf(sym); b != nil {
		return m.boardFlowToday(b, now), nil
	}
	in := m.lookup(sym)
	if in == nil {
		return model.FlowToday{}, fmt.Errorf("%w: %q", ErrUnknownSymbol, sym.Code)
	}
	return m.flowToday(in, now), nil
}

// flowToday is FlowToday for one instrument; m.mu is held.
func (m *Market) flowToday(in *instrument, now time.Time) model.FlowToday {
	ts := m.tickAt(in, now)
	d := ts.pl.d
	out := model.FlowToday{Symbol: in.sym.Code, Day: ts.pl.day, Source: SourceName}
	cumA := 0.0
	for k, b := range m.minuteBars(in, now) {
		cumA += b.Amount
		ret := b.Close/d.prev - 1
		frac := 0.04*norm(hash(in.base, sFlowDay, d.dn, 0)) + 1.5*ret + 0.01*norm(hash(in.base, sFlowTick, d.dn, int64(k)))
		main := math.Round(cumA * clamp(frac, -0.3, 0.3))
		out.Ticks = append(out.Ticks, model.FlowTick{Time: b.Time.Add(time.Minute), Flow: flowSplit(in, main, cumA, d.dn, int64(k))})
	}
	return out
}

// FlowDays is the simulated daily fund flow of the last n trading days
// before today.
func (m *Market) FlowDays(ctx context.Context, sym model.Symbol, n int) ([]model.FlowDay, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	today := model.Day(m.now())
	m.mu.Lock()
	defer m.mu.Unlock()
	if b := m.boardOf(sym); b != nil {
		return m.boardFlowDays(b, n, today), nil
	}
	in := m.lookup(sym)
	if in == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownSymbol, sym.Code)
	}
	return m.flowDays(in, n, today), nil
}

// flowDays is FlowDays for one instrument; m.mu is held.
func (m *Market) flowDays(in *instrument, n int, today time.Time) []model.FlowDay {
	s := m.history(in, dayNum(today)-1)
	end := s.before(today)
	var out []model.FlowDay
	for j := max(end-max(n, 1), 0); j < end; j++ {
		bar, prev := s.bar(j), s.prevClose(j)
		dn := dayNum(bar.Time)
		ret := bar.Close/prev - 1
		frac := 0.04*norm(hash(in.base, sFlowDay, dn, 0)) + 1.5*ret
		main := math.Round(bar.Amount * clamp(frac, -0.3, 0.3))
		out = append(out, model.FlowDay{Symbol: in.sym.Code, Date: bar.Time, Flow: flowSplit(in, main, bar.Amount, dn, -1),
			Close: bar.Close, ChangePct: model.Round2(ret * 100), Source: SourceName})
	}
	return out
}

// boardOf is the demo board a symbol names, or nil.
func (m *Market) boardOf(sym model.Symbol) *board {
	if sym.Market != model.MarketBoard && !strings.HasPrefix(strings.ToUpper(sym.Code), "BK") {
		return nil
	}
	return m.byBoard[strings.ToUpper(strings.TrimSpace(sym.Code))]
}

// boardSession is today's session of a board: its level each minute, from
// its members' minute closes weighted by float as the live level is; the
// previous close from their previous closes.
func (m *Market) boardSession(b *board, now time.Time) model.Session {
	var refCap, prevCap float64
	var mins [][]model.Bar
	for _, c := range b.members {
		in := m.byCode[c]
		refCap += in.ref * in.float
		prevCap += m.tickAt(in, now).pl.d.prev * in.float
		mins = append(mins, m.minuteBars(in, now))
	}
	s := model.Session{Symbol: b.code, Day: model.Day(now), PrevClose: model.Round2(b.base * prevCap / refCap), Source: SourceName}
	n := len(mins[0])
	for _, ms := range mins {
		n = min(n, len(ms))
	}
	sum := 0.0
	for k := 0; k < n; k++ {
		var capNow, vol, amt float64
		for i, c := range b.members {
			in := m.byCode[c]
			capNow += mins[i][k].Close * in.float
			vol += mins[i][k].Volume
			amt += mins[i][k].Amount
		}
		lvl := model.Round2(b.base * capNow / refCap)
		sum += lvl
		s.Ticks = append(s.Ticks, model.Tick{Time: mins[0][k].Time.Add(time.Minute), Open: lvl, Close: lvl, High: lvl, Low: lvl, Volume: vol, Amount: amt, Avg: model.Round2(sum / float64(k+1))})
	}
	return s
}

// boardFlowToday is its members' flow, scaled up to stand for the board.
func (m *Market) boardFlowToday(b *board, now time.Time) model.FlowToday {
	out := model.FlowToday{Symbol: b.code, Day: model.Day(now), Source: SourceName}
	for i, c := range b.members {
		ft := m.flowToday(m.byCode[c], now)
		for k, t := range ft.Ticks {
			if i == 0 {
				out.Ticks = append(out.Ticks, model.FlowTick{Time: t.Time})
			}
			if k < len(out.Ticks) {
				addFlow(&out.Ticks[k].Flow, t.Flow, b.flowScale)
			}
		}
	}
	return out
}

// boardFlowDays is its members' daily flow, scaled up likewise.
func (m *Market) boardFlowDays(b *board, n int, today time.Time) []model.FlowDay {
	var out []model.FlowDay
	for i, c := range b.members {
		for k, d := range m.flowDays(m.byCode[c], n, today) {
			if i == 0 {
				out = append(out, model.FlowDay{Symbol: b.code, Date: d.Date, Close: model.Unknown, ChangePct: model.Unknown, Source: SourceName})
			}
			if k < len(out) {
				addFlow(&out[k].Flow, d.Flow, b.flowScale)
			}
		}
	}
	return out
}

// addFlow adds f × scale to dst, each size rounded to the yuan, keeping
// main = super-large + large and the four sizes netting to zero.
func addFlow(dst *model.Flow, f model.Flow, scale float64) {
	super, large, medium := math.Round(f.Super*scale), math.Round(f.Large*scale), math.Round(f.Medium*scale)
	dst.Super += super
	dst.Large += large
	dst.Main += super + large
	dst.Medium += medium
	dst.Small += -(super + large) - medium
}
