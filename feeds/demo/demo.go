// Package demo is rareterm's simulated market: a deterministic, seeded
// stand-in for every feed, used by `rareterm --demo` and by tests.
//
// Every figure is a pure function of the seed, the instrument and a day,
// minute or 2-second tick index (hashed with splitmix64; there is no shared
// random generator), computed forward from the epoch 2025-01-02. The same
// seed gives the same series whenever it runs and in whatever order it is
// asked; caches only remember what was already computed.
//
// Daily closes follow a mean-reverting log walk around reference levels
// from domain/REFERENCE.md, within each stock's daily price limit, on the
// trading days of its exchange. The demo market trades whenever the program
// runs: the live day, today, is a session even on a weekend or a holiday,
// stretched over the whole calendar day (session minute k of n is reached at
// k/n of the day, so minute bars carry session times such as 10:05 while the
// clock may say 02:00), and it comes after the last historical bar. The live
// price moves every 2 seconds, from today's open towards today's close; a
// day that becomes history keeps exactly the bar its live session ended on.
// Margin figures are end-of-day data: they end at the last trading day
// before today.
package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/model"
)

// SourceName is the Source of every value the demo market produces.
const SourceName = model.DemoSource

// ErrUnknownSymbol is returned for a symbol the demo market does not list.
var ErrUnknownSymbol = errors.New("demo: not a demo-market symbol")

// ErrUnknownBoard is returned for a board the demo market does not list.
var ErrUnknownBoard = errors.New("demo: not a demo-market board")

var (
	_ feeds.QuoteSource   = (*Market)(nil)
	_ feeds.HistorySource = (*Market)(nil)
	_ feeds.MarginSource  = (*Market)(nil)
	_ feeds.BoardSource   = (*Market)(nil)
	_ feeds.ElementSource = (*Market)(nil)
	_ feeds.NoticeSource  = (*Market)(nil)
)

// Market is a simulated market. It is safe for concurrent use; it starts no
// goroutines and does no I/O.
type Market struct {
	clock    func() time.Time
	born     time.Time // when the market was made (the announcement follows it)
	factor   uint64    // key of the common sector factor
	insts    []*instrument
	byCode   map[string]*instrument
	boards   []*board
	byBoard  map[string]*board
	products []*product

	mu      sync.Mutex // guards the caches below; every entry is a pure function of the seed
	hist    map[string]*series
	plans   map[string]*plan
	segs    map[string]*segment
	elems   map[model.ElementID]*elemSeries
	eplans  map[model.ElementID]*elemPlan
	margins map[string]*marginSeries
	cprices map[model.Quarter]float64 // the contract price of quarters whose previous quarter is over
}

// Option configures a Market.
type Option func(*Market)

// WithClock sets the clock the market reads "now" from (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(m *Market) {
		if now != nil {
			m.clock = now
		}
	}
}

// New returns the simulated market for seed.
func New(seed int64, opts ...Option) *Market {
	m := &Market{
		clock:   time.Now,
		factor:  baseKey(seed, "sector factor"),
		byCode:  map[string]*instrument{},
		byBoard: map[string]*board{},
		hist:    map[string]*series{},
		plans:   map[string]*plan{},
		segs:    map[string]*segment{},
		elems:   map[model.ElementID]*elemSeries{},
		eplans:  map[model.ElementID]*elemPlan{},
		margins: map[string]*marginSeries{},
		cprices: map[model.Quarter]float64{},
	}
	for _, o := range opts {
		o(m)
	}
	m.born = m.clock()
	for i := range instrumentTable {
		in := instrumentTable[i] // a copy: the table stays untouched
		in.x = model.ExchangeOf(in.sym.Market)
		in.etf = in.sym.IsETF()
		in.limit = in.sym.LimitPct() / 100
		if in.x == model.ExchangeHK {
			in.limit = 0.15
		}
		in.base = baseKey(seed, "stock "+in.sym.Code)
		m.insts = append(m.insts, &in)
		m.byCode[in.sym.Code] = &in
	}
	for i := range boardTable {
		b := boardTable[i]
		b.members = append([]string(nil), b.members...)
		b.key = baseKey(seed, "board "+b.code)
		m.boards = append(m.boards, &b)
		m.byBoard[b.code] = &b
	}
	for i := range productTable {
		p := productTable[i]
		p.base = baseKey(seed, "element "+string(p.id))
		m.products = append(m.products, &p)
	}
	return m
}

// Name is the feed name, "demo".
func (m *Market) Name() string { return SourceName }

// Symbols returns the demo watchlist with Chinese and English names.
func (m *Market) Symbols() []model.Symbol { return Symbols() }

func (m *Market) now() time.Time { return m.clock() }

func (m *Market) lookup(sym model.Symbol) *instrument {
	return m.byCode[strings.ToUpper(strings.TrimSpace(sym.Code))]
}

// Quotes returns the live quote of every requested symbol the demo market
// lists, in the order asked; other symbols are left out.
func (m *Market) Quotes(ctx context.Context, syms []model.Symbol) ([]model.Quote, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]model.Quote, 0, len(syms))
	for _, s := range syms {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if in := m.lookup(s); in != nil {
			out = append(out, m.quote(in, now))
		}
	}
	return out, nil
}

// Bars returns daily bars in [from, to] clipped to [epoch, today], today's
// live bar last; or, for model.Minute, today's session-minute bars so far
// when [from, to] reaches today (a zero from or to is unbounded).
func (m *Market) Bars(ctx context.Context, sym model.Symbol, iv model.Interval, from, to time.Time) ([]model.Bar, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in := m.lookup(sym)
	if in == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownSymbol, sym.Code)
	}
	now := m.now()
	today := model.Day(now)
	lo := epoch
	if !from.IsZero() && model.Day(from).After(lo) {
		lo = model.Day(from)
	}
	hi := today
	if !to.IsZero() && to.Before(hi) {
		hi = to
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	switch iv {
	case model.Daily:
		if hi.Before(lo) {
			return nil, nil
		}
		s := m.history(in, dayNum(today)-1)
		var out []model.Bar
		for i, end := s.before(lo), s.before(today); i < end; i++ {
			b := s.bar(i)
			if b.Time.After(hi) {
				break
			}
			out = append(out, b)
		}
		if !today.Before(lo) && !today.After(hi) {
			out = append(out, m.liveBar(in, now))
		}
		return out, nil
	case model.Minute:
		if today.Before(lo) || today.After(hi) {
			return nil, nil
		}
		return m.minuteBars(in, now), nil
	}
	return nil, fmt.Errorf("demo: unsupported interval %q", iv)
}
