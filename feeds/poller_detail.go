package feeds

import (
	"context"
	"time"

	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

// KindDetail is the one security whose detail view is open: its order book
// at the quote interval, its minutes and fund flow once a minute.
const KindDetail Kind = "detail"

// DetailSource serves one security in detail: the five-level order book,
// the last sessions of minute data, and fund flow by order size (today per
// minute, and per day).
type DetailSource interface {
	Name() string
	Book(ctx context.Context, sym model.Symbol) (model.Book, error)
	Sessions(ctx context.Context, sym model.Symbol, ndays int) ([]model.Session, error)
	FlowToday(ctx context.Context, sym model.Symbol) (model.FlowToday, error)
	FlowDays(ctx context.Context, sym model.Symbol, n int) ([]model.FlowDay, error)
}

// DetailMinutes is how often the minutes and the fund flow of the open
// detail are fetched again (the book follows the quote interval).
const DetailMinutes = time.Minute

// DetailFlowDays is how many days of fund flow a detail asks for.
const DetailFlowDays = 20

// detailState is the security whose detail is open, and when its slower
// parts were last fetched.
type detailState struct {
	sym       *model.Symbol
	minutesAt time.Time // sessions and today's flow
	daysAt    time.Time // daily flow
	fullDays  bool      // the five sessions of 5D are in
}

// SetDetail tells the poller which security's detail view is open (nil:
// none). While one is open its order book is fetched at the quote interval
// (one request a cycle, for that symbol only), its minutes and today's
// fund flow on opening and then each minute, its daily fund flow on
// opening; while none is, the detail kind makes no request at all.
func (p *Poller) SetDetail(sym *model.Symbol) {
	p.mu.Lock()
	old := p.det.sym
	same := (old == nil && sym == nil) || (old != nil && sym != nil && old.Code == sym.Code)
	if !same {
		p.det = detailState{}
		if sym != nil {
			s := *sym
			p.det.sym = &s
		}
		p.due[KindDetail] = time.Time{}
	}
	p.mu.Unlock()
	if !same {
		p.Nudge()
	}
}

// pollDetail runs one detail cycle.
func (p *Poller) pollDetail(ctx context.Context, merge func(func(*model.Batch))) error {
	src := p.cfg.Detail
	now := p.cfg.Now()
	p.mu.Lock()
	st := p.det
	var sym model.Symbol
	if st.sym != nil {
		sym = *st.sym
	}
	p.mu.Unlock()
	if st.sym == nil {
		return nil
	}
	d := model.Detail{Symbol: sym.Code}
	timeout := p.cfg.Timeouts.Quotes
	run := func(kind string, f func(ctx context.Context) (int, error)) error {
		cctx, cancel := context.WithTimeout(httpx.WithKind(ctx, "detail"), timeout)
		start := time.Now()
		var n int
		err := p.protect(src.Name()+" "+kind, func() error {
			var err error
			n, err = f(cctx)
			return err
		})
		cancel()
		p.record(src.Name(), kind, err, time.Since(start), n, 0)
		if err != nil {
			p.cfg.Logf("%s %s %s: %v", src.Name(), kind, sym.Code, err)
		}
		return err
	}
	var firstErr error
	keep := func(err error) {
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	if sym.Market != model.MarketBoard {
		keep(run("book", func(ctx context.Context) (int, error) {
			b, err := src.Book(ctx, sym)
			if err != nil {
				return 0, err
			}
			if b.Symbol == "" || b.Symbol != sym.Code {
				b.Symbol = sym.Code
			}
			d.Book = &b
			return 1, nil
		}))
	}
	if st.minutesAt.IsZero() || now.Sub(st.minutesAt) >= DetailMinutes {
		ndays := 1
		if !st.fullDays {
			ndays = 5
		}
		errM := run("minutes", func(ctx context.Context) (int, error) {
			ss, err := src.Sessions(ctx, sym, ndays)
			if err != nil {
				return 0, err
			}
			kept := ss[:0]
			for _, s := range ss {
				s.Symbol = sym.Code
				if s.Ticks = vetTicks(s.Ticks, now); len(s.Ticks) > 0 {
					s.Day = model.Day(s.Ticks[0].Time)
					kept = append(kept, s)
				}
			}
			d.Sessions = kept
			return len(kept), nil
		})
		keep(errM)
		var errF error
		if sym.Market != model.MarketHKEX { // no fund flow is published for HK
			errF = run("fund flow", func(ctx context.Context) (int, error) {
				ft, err := src.FlowToday(ctx, sym)
				if err != nil {
					return 0, err
				}
				ft.Symbol = sym.Code
				kept := ft.Ticks[:0]
				for _, t := range ft.Ticks {
					if model.CheckRowTime(t.Time, now) == nil && model.Known(t.Flow.Main) {
						kept = append(kept, t)
					}
				}
				if ft.Ticks = kept; len(kept) > 0 {
					ft.Day = model.Day(kept[len(kept)-1].Time)
				}
				d.Flow = &ft
				return len(ft.Ticks), nil
			})
			keep(errF)
		}
		if errM == nil && errF == nil {
			p.mu.Lock()
			if p.det.sym != nil && p.det.sym.Code == sym.Code {
				p.det.minutesAt, p.det.fullDays = now, true
			}
			p.mu.Unlock()
		}
	}
	if st.daysAt.IsZero() && sym.Market != model.MarketHKEX {
		err := run("fund flow", func(ctx context.Context) (int, error) {
			fd, err := src.FlowDays(ctx, sym, DetailFlowDays)
			if err != nil {
				return 0, err
			}
			kept := fd[:0]
			for _, f := range fd {
				f.Symbol = sym.Code
				if model.CheckRowTime(f.Date, now) == nil && model.Known(f.Flow.Main) {
					kept = append(kept, f)
				}
			}
			d.FlowDays = kept
			return len(fd), nil
		})
		keep(err)
		if err == nil {
			p.mu.Lock()
			if p.det.sym != nil && p.det.sym.Code == sym.Code {
				p.det.daysAt = now
			}
			p.mu.Unlock()
		}
	}
	if d.Book != nil || len(d.Sessions) > 0 || d.Flow != nil || len(d.FlowDays) > 0 {
		merge(func(b *model.Batch) { b.Detail = append(b.Detail, d) })
	}
	return firstErr
}

// vetTicks drops minutes with no positive close or a time too far ahead.
func vetTicks(ts []model.Tick, now time.Time) []model.Tick {
	out := ts[:0]
	for _, t := range ts {
		if model.Known(t.Close) && t.Close > 0 && model.CheckRowTime(t.Time, now) == nil {
			out = append(out, t)
		}
	}
	return out
}
