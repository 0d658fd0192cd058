package feeds

import (
	"context"
	"errors"
	"sort"
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

// detailState is a security whose detail is polled, and when its slower
// parts were last fetched.
type detailState struct {
	sym       *model.Symbol
	minutesAt time.Time // sessions and today's flow
	daysAt    time.Time // daily flow
	fullDays  bool      // the five sessions of 5D are in

	// Leases only (terminals attached to a collector): until when the
	// lease holds, when it was last asked for, and when it was last served.
	until, asked, served time.Time
}

// MaxDetailLeases bounds the details a collector polls for attached
// terminals at once: a ninth security asked for while eight leases hold is
// refused until one expires.
const MaxDetailLeases = 8

// DefaultDetailPerCycle is how many leased details one detail cycle serves
// (PollerConfig.DetailPerCycle): the others wait their turn, so eight
// leases cost the host no more requests a cycle than two.
const DefaultDetailPerCycle = 2

// ErrDetailFull is LeaseDetail's answer when MaxDetailLeases hold.
var ErrDetailFull = errors.New("the collector already polls the details of 8 securities for terminals")

// SetDetail tells the poller which security's detail view is open (nil:
// none). While one is open its order book is fetched at the quote interval
// (one request a cycle, for that symbol only), its minutes and today's
// fund flow on opening and then each minute, its daily fund flow on
// opening; while none is (and no lease holds), the detail kind makes no
// request at all.
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

// LeaseDetail polls sym's detail for a terminal attached to this poller's
// collector until ttl has passed; asking again renews the lease. Up to
// MaxDetailLeases securities are leased at once; each detail cycle serves
// DetailPerCycle of them, the least recently served first (a security
// never served yet first of all, the most recently asked of those first),
// so their requests take turns under the host's rate limiter. A lease that
// is not renewed is dropped: its security is not asked for again.
func (p *Poller) LeaseDetail(sym model.Symbol, ttl time.Duration) error {
	now := p.cfg.Now()
	p.mu.Lock()
	p.dropExpiredLocked(now)
	for i := range p.leases {
		if l := &p.leases[i]; l.sym.Code == sym.Code {
			if u := now.Add(ttl); u.After(l.until) {
				l.until = u
			}
			l.asked = now
			p.mu.Unlock()
			return nil
		}
	}
	if len(p.leases) >= MaxDetailLeases {
		p.mu.Unlock()
		return ErrDetailFull
	}
	s := sym
	p.leases = append(p.leases, detailState{sym: &s, until: now.Add(ttl), asked: now})
	p.due[KindDetail] = time.Time{}
	p.mu.Unlock()
	p.Nudge()
	return nil
}

// Leased returns the codes whose detail is leased now, most recently asked
// first.
func (p *Poller) Leased() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dropExpiredLocked(p.cfg.Now())
	ls := append([]detailState(nil), p.leases...)
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].asked.After(ls[j].asked) })
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.sym.Code
	}
	return out
}

func (p *Poller) dropExpiredLocked(now time.Time) {
	kept := p.leases[:0]
	for _, l := range p.leases {
		if now.Before(l.until) {
			kept = append(kept, l)
		}
	}
	clear(p.leases[len(kept):])
	p.leases = kept
}

// detailTurn is the details one cycle serves: the open one, then up to
// DetailPerCycle leases (least recently served first; never served first
// of all, most recently asked first among equals). Called with p.mu held.
func (p *Poller) detailTurnLocked(now time.Time) []detailState {
	p.dropExpiredLocked(now)
	var out []detailState
	if p.det.sym != nil {
		out = append(out, p.det)
	}
	ls := append([]detailState(nil), p.leases...)
	sort.SliceStable(ls, func(i, j int) bool {
		if !ls[i].served.Equal(ls[j].served) {
			return ls[i].served.Before(ls[j].served)
		}
		return ls[i].asked.After(ls[j].asked)
	})
	n := p.cfg.DetailPerCycle
	for _, l := range ls {
		if n == 0 {
			break
		}
		if p.det.sym != nil && p.det.sym.Code == l.sym.Code {
			continue // the open one is served anyway
		}
		out = append(out, l)
		n--
	}
	for i := range p.leases {
		for _, o := range out {
			if p.leases[i].sym.Code == o.sym.Code {
				p.leases[i].served = now
			}
		}
	}
	return out
}

// hasDetailLocked says whether any detail is open or leased.
func (p *Poller) hasDetailLocked() bool {
	return p.det.sym != nil || len(p.leases) > 0
}

// updateDetail applies f to every slot (open or leased) of code.
func (p *Poller) updateDetail(code string, f func(*detailState)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.det.sym != nil && p.det.sym.Code == code {
		f(&p.det)
	}
	for i := range p.leases {
		if p.leases[i].sym.Code == code {
			f(&p.leases[i])
		}
	}
}

// pollDetail runs one detail cycle over the details whose turn it is.
func (p *Poller) pollDetail(ctx context.Context, merge func(func(*model.Batch))) error {
	now := p.cfg.Now()
	p.mu.Lock()
	turn := p.detailTurnLocked(now)
	p.mu.Unlock()
	var firstErr error
	failed, slowDown := 0, false
	for _, st := range turn {
		err := p.pollOneDetail(ctx, st, now, merge)
		if err == nil {
			continue
		}
		failed++
		if firstErr == nil {
			firstErr = err
		}
		var ra RetryAfterer
		slowDown = slowDown || (errors.As(err, &ra) && ra.RetryAfter() > 0)
	}
	// One security that fails (a code the feed does not know) does not
	// hold up the others: the kind backs off when all of them failed, or
	// when the host asked to be left alone (Retry-After).
	if failed == len(turn) || slowDown {
		return firstErr
	}
	return nil
}

// pollOneDetail fetches one security's detail.
func (p *Poller) pollOneDetail(ctx context.Context, st detailState, now time.Time, merge func(func(*model.Batch))) error {
	src := p.cfg.Detail
	sym := *st.sym
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
			p.updateDetail(sym.Code, func(s *detailState) { s.minutesAt, s.fullDays = now, true })
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
			p.updateDetail(sym.Code, func(s *detailState) { s.daysAt = now })
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
