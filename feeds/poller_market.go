package feeds

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

// Kinds of the whole market, polled by the MarketPoller.
const (
	KindUniverse Kind = "universe"
	KindLadder   Kind = "ladder"
	KindSector   Kind = "sector"
	KindETFFlow  Kind = "etf flow"
)

// FlowSource returns a symbol's daily fund flow (the last n days).
type FlowSource interface {
	Name() string
	FundFlowDays(ctx context.Context, sym model.Symbol, n int) (model.ETFFlow, error)
}

// FlowStore keeps the ETFs' fund flow.
type FlowStore interface {
	SaveETFFlow(model.ETFFlow) error
	ETFFlows() (map[string]model.ETFFlow, error)
}

// UniverseSource lists every symbol of the market, a page at a time.
type UniverseSource interface {
	Name() string
	Segments() []string
	UniversePage(ctx context.Context, segment string, pn int) ([]model.Symbol, int, error)
}

// LadderSource returns the limit-up pool of a trading day.
type LadderSource interface {
	Name() string
	Ladder(ctx context.Context, day time.Time) (model.Ladder, error)
}

// MarketStore is what the market poller keeps in the database.
type MarketStore interface {
	Universe() (model.Universe, bool, error)
	SaveUniverse(model.Universe) error
	SaveLadder(model.Ladder) error
	LadderAsOf(time.Time) (model.Ladder, bool, error)
	Sector() ([]string, time.Time, bool, error)
	SaveSector(time.Time, []string, string) error
}

// MarketUpdate is what the market poller hands the screen: whichever of
// the universe, the ladder to show and the sector's codes changed.
type MarketUpdate struct {
	Universe  *model.Universe
	Ladder    *model.Ladder
	Sector    []string
	SectorDay time.Time
	ETFFlows  map[string]model.ETFFlow // by code, when refreshed
}

// MarketConfig wires the market poller.
type MarketConfig struct {
	Universe UniverseSource
	Ladder   LadderSource
	Members  BoardSource // the constituents of SectorBoard
	// Sector is the configured sector (A-share codes); when empty, the
	// constituents of SectorBoard, refreshed once a month.
	Sector      []string
	SectorBoard string
	Store       MarketStore
	// Flows and ETFs: the ETFs whose daily fund flow is fetched (every
	// FlowEvery while A shares trade, hourly otherwise), kept in FlowStore.
	Flows     FlowSource
	ETFs      []model.Symbol
	FlowStore FlowStore
	FlowEvery time.Duration
	// Poller, when set, is told the sector's names so that it fetches
	// their margin history too, and shows these kinds' health.
	Poller *Poller
	// PageGap is the pause between two universe pages (default 2 s): about
	// 70 pages then take under three minutes and leave the host's rate
	// limit to the quotes.
	PageGap time.Duration
	// LadderOpen is the ladder's cadence while A shares trade (default
	// 1 min); LadderClosed otherwise (default 30 min, and never past the
	// next open).
	LadderOpen, LadderClosed time.Duration
	Timeout                  time.Duration // per request (default 10 s)
	// Delay holds the universe's and the sector's first fetch (not the
	// cached copies) this long after start, so that the watchlist's own
	// requests go first; LadderDelay likewise for the ladder.
	Delay, LadderDelay time.Duration
	AlwaysOpen         bool // the demo market
	Out                func(MarketUpdate)
	Logf               func(format string, args ...any)
	Now                func() time.Time
}

// MarketPoller refreshes the symbol universe once a trading day, the
// limit-up ladder through the session, and the sector's constituents once
// a month, each in its own loop, in the background.
type MarketPoller struct {
	cfg MarketConfig
	mu  sync.Mutex
}

// NewMarketPoller fills in defaults.
func NewMarketPoller(cfg MarketConfig) *MarketPoller {
	if cfg.PageGap <= 0 {
		cfg.PageGap = 2 * time.Second
	}
	if cfg.LadderOpen <= 0 {
		cfg.LadderOpen = time.Minute
	}
	if cfg.LadderClosed <= 0 {
		cfg.LadderClosed = 30 * time.Minute
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Out == nil {
		cfg.Out = func(MarketUpdate) {}
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.FlowEvery <= 0 {
		cfg.FlowEvery = 10 * time.Minute
	}
	if cfg.SectorBoard == "" {
		cfg.SectorBoard = "BK0578"
	}
	return &MarketPoller{cfg: cfg}
}

// Run polls until ctx is done.
func (mp *MarketPoller) Run(ctx context.Context) {
	var wg sync.WaitGroup
	type loop struct {
		run   func(context.Context) time.Duration
		delay time.Duration
	}
	var loops []loop
	if mp.cfg.Universe != nil {
		loops = append(loops, loop{mp.universeOnce(), mp.cfg.Delay})
	}
	if mp.cfg.Ladder != nil {
		loops = append(loops, loop{mp.ladderOnce, mp.cfg.LadderDelay})
	}
	if len(mp.cfg.Sector) > 0 || mp.cfg.Members != nil {
		loops = append(loops, loop{mp.sectorOnce, mp.cfg.Delay})
	}
	if mp.cfg.Flows != nil && len(mp.cfg.ETFs) > 0 {
		loops = append(loops, loop{mp.flowOnce, mp.cfg.LadderDelay})
		if mp.cfg.FlowStore != nil {
			if fs, err := mp.cfg.FlowStore.ETFFlows(); err == nil && len(fs) > 0 {
				mp.cfg.Out(MarketUpdate{ETFFlows: fs})
			}
		}
	}
	if mp.cfg.Universe != nil && mp.cfg.Store != nil {
		// The cached universe at once: search has it while the refresh waits.
		if u, ok, err := mp.cfg.Store.Universe(); err == nil && ok {
			mp.cfg.Out(MarketUpdate{Universe: &u})
		}
	}
	if len(mp.cfg.Sector) == 0 && mp.cfg.Store != nil {
		if c, d, ok, err := mp.cfg.Store.Sector(); err == nil && ok {
			mp.useSector(c, d)
		}
	}
	for _, l := range loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run := l.run
			if l.delay > 0 && !sleepCtx(ctx, l.delay) {
				return
			}
			for {
				wait := time.Minute
				func() {
					defer func() {
						if v := recover(); v != nil {
							mp.cfg.Logf("market poller: internal error: %v", v)
						}
					}()
					wait = run(ctx)
				}()
				if !sleepCtx(ctx, wait) {
					return
				}
			}
		}()
	}
	wg.Wait()
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func (mp *MarketPoller) record(feed string, k Kind, err error, latency time.Duration, rows int) {
	if mp.cfg.Poller != nil {
		mp.cfg.Poller.record(feed, string(k), err, latency, rows, 0)
	}
}

// UniverseDay is the trading day a universe fetched at now belongs to: the
// last A-share session that has begun.
func UniverseDay(now time.Time) time.Time { return model.LastSessionDay(model.ExchangeA, now) }

// universeOnce returns the universe loop's step: the cached copy first,
// then a refresh whenever the cached one is older than the current trading
// day. It returns how long to wait before looking again.
func (mp *MarketPoller) universeOnce() func(context.Context) time.Duration {
	var cached model.Universe
	loaded, fails := false, 0
	return func(ctx context.Context) time.Duration {
		if !loaded && mp.cfg.Store != nil {
			loaded = true
			if u, ok, err := mp.cfg.Store.Universe(); err != nil {
				mp.cfg.Logf("universe: cached copy: %v", err)
			} else if ok {
				cached = u // Run has shown it already
			}
		}
		now := mp.cfg.Now()
		day := UniverseDay(now)
		if !cached.Day.Before(day) && len(cached.Symbols) > 0 {
			return time.Hour
		}
		start := time.Now()
		u, err := mp.FetchUniverse(ctx, len(cached.Symbols))
		mp.record(mp.cfg.Universe.Name(), KindUniverse, err, time.Since(start), len(u.Symbols))
		if err != nil {
			fails++
			mp.cfg.Logf("universe: %v", err)
			return min(5*time.Minute<<min(fails-1, 4), time.Hour)
		}
		fails = 0
		u.Day = day
		if mp.cfg.Store != nil {
			if err := mp.cfg.Store.SaveUniverse(u); err != nil {
				mp.cfg.Logf("universe: store: %v", err)
			}
		}
		cached = u
		mp.cfg.Out(MarketUpdate{Universe: &u})
		return time.Hour
	}
}

// universeMaxPages bounds a segment's walk (12,000 rows).
const universeMaxPages = 120

// FetchUniverse walks every segment page by page, PageGap apart, each page
// tried up to three times. A walk that fails, or that brings less than half
// of the previous count (a truncated list), returns an error and nothing.
func (mp *MarketPoller) FetchUniverse(ctx context.Context, previous int) (model.Universe, error) {
	src := mp.cfg.Universe
	u := model.Universe{Source: src.Name()}
	seen := map[string]bool{}
	first := true
	for _, seg := range src.Segments() {
		got := 0 // rows of this segment so far: the walk ends at its total, whatever the page size
		for pn := 1; pn <= universeMaxPages; pn++ {
			var (
				rows  []model.Symbol
				total int
				err   error
			)
			for try := range 3 {
				if !first && !sleepCtx(ctx, mp.cfg.PageGap<<try) {
					return model.Universe{}, ctx.Err()
				}
				first = false
				cctx, cancel := context.WithTimeout(httpx.WithKind(ctx, string(KindUniverse)), mp.cfg.Timeout)
				rows, total, err = mp.page(cctx, seg, pn)
				cancel()
				if err == nil || ctx.Err() != nil {
					break
				}
			}
			if err != nil {
				return model.Universe{}, fmt.Errorf("%s page %d: %w", seg, pn, err)
			}
			for _, s := range rows {
				if !seen[s.Code] {
					seen[s.Code] = true
					u.Symbols = append(u.Symbols, s)
				}
			}
			got += len(rows)
			if len(rows) == 0 || got >= total {
				break
			}
		}
	}
	if len(u.Symbols) == 0 || len(u.Symbols) < previous/2 {
		return model.Universe{}, fmt.Errorf("universe of %d symbols (the cached one has %d): kept the cached one", len(u.Symbols), previous)
	}
	return u, nil
}

func (mp *MarketPoller) page(ctx context.Context, seg string, pn int) (rows []model.Symbol, total int, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("internal error: %v", v)
		}
	}()
	return mp.cfg.Universe.UniversePage(ctx, seg, pn)
}

// LadderDay is the day whose limit-up pool the screen shows at now: the
// last A-share session that has begun (every day, for the demo market).
func (mp *MarketPoller) LadderDay(now time.Time) time.Time {
	if mp.cfg.AlwaysOpen {
		return model.Day(now)
	}
	return model.LastSessionDay(model.ExchangeA, now)
}

// ladderOnce fetches the current day's pool and hands the screen the
// ladder to show: that day's when it has rows, else the newest cached day
// that has one (fetching the trading day before when none is cached).
func (mp *MarketPoller) ladderOnce(ctx context.Context) time.Duration {
	now := mp.cfg.Now()
	day := mp.LadderDay(now)
	src := mp.cfg.Ladder
	get := func(d time.Time) (model.Ladder, error) {
		cctx, cancel := context.WithTimeout(httpx.WithKind(ctx, string(KindLadder)), mp.cfg.Timeout)
		defer cancel()
		start := time.Now()
		l, err := mp.ladder(cctx, d)
		mp.record(src.Name(), KindLadder, err, time.Since(start), len(l.Rows))
		if err == nil && len(l.Rows) > 0 && mp.cfg.Store != nil {
			if err := mp.cfg.Store.SaveLadder(l); err != nil {
				mp.cfg.Logf("ladder: store: %v", err)
			}
		}
		return l, err
	}
	l, err := get(day)
	if err != nil {
		mp.cfg.Logf("ladder %s: %v", day.Format("2006-01-02"), err)
	}
	show := l
	if err != nil || len(l.Rows) == 0 || l.Day.After(day) {
		show = model.Ladder{}
		if mp.cfg.Store != nil {
			if c, ok, serr := mp.cfg.Store.LadderAsOf(day); serr == nil && ok {
				show = c
			}
		}
		if len(show.Rows) == 0 && err == nil {
			prev := model.PrevTradingDay(model.ExchangeA, day)
			if p, perr := get(prev); perr == nil && len(p.Rows) > 0 {
				show = p
			}
		}
	}
	if len(show.Rows) > 0 || err == nil {
		if show.Day.IsZero() {
			show.Day = day
		}
		mp.cfg.Out(MarketUpdate{Ladder: &show})
	}
	if err != nil && (mp.cfg.AlwaysOpen || model.PhaseAt(model.ExchangeA, now) == model.Open) {
		return 2 * time.Minute
	}
	// Outside the session a failure waits as long as a success: the
	// ladder cannot change before the next auction.
	return mp.ladderWait(now)
}

func (mp *MarketPoller) ladder(ctx context.Context, day time.Time) (l model.Ladder, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("internal error: %v", v)
		}
	}()
	return mp.cfg.Ladder.Ladder(ctx, day)
}

// ladderWait is the ladder's cadence: LadderOpen while A shares trade or
// auction, else LadderClosed, never past the next 09:25.
func (mp *MarketPoller) ladderWait(now time.Time) time.Duration {
	if mp.cfg.AlwaysOpen {
		return mp.cfg.LadderOpen
	}
	switch model.PhaseAt(model.ExchangeA, now) {
	case model.Open:
		return mp.cfg.LadderOpen
	}
	next := now.Add(mp.cfg.LadderClosed)
	for d := 0; d < 15; d++ {
		day := model.Day(now).AddDate(0, 0, d)
		if !model.IsTradingDay(model.ExchangeA, day) {
			continue
		}
		at := day.Add(9*time.Hour + 25*time.Minute + 30*time.Second)
		if at.After(now) {
			if at.Before(next) {
				next = at
			}
			break
		}
	}
	return next.Sub(now)
}

// sectorOnce settles the sector's codes: the configured list, else the
// board's constituents cached this month, else fetched now. It tells the
// screen and the margin poller.
func (mp *MarketPoller) sectorOnce(ctx context.Context) time.Duration {
	if len(mp.cfg.Sector) > 0 {
		mp.useSector(mp.cfg.Sector, time.Time{})
		return 24 * time.Hour * 365
	}
	now := mp.cfg.Now()
	var codes []string
	var day time.Time
	if mp.cfg.Store != nil {
		if c, d, ok, err := mp.cfg.Store.Sector(); err == nil && ok {
			codes, day = c, d
		}
	}
	fresh := len(codes) > 0 && day.Year() == now.In(model.CST).Year() && day.Month() == now.In(model.CST).Month()
	if len(codes) > 0 {
		mp.useSector(codes, day)
	}
	if fresh || mp.cfg.Members == nil {
		return 24 * time.Hour
	}
	cctx, cancel := context.WithTimeout(httpx.WithKind(ctx, string(KindSector)), mp.cfg.Timeout)
	start := time.Now()
	qs, err := mp.members(cctx)
	cancel()
	mp.record(mp.cfg.Members.Name(), KindSector, err, time.Since(start), len(qs))
	if err != nil {
		mp.cfg.Logf("sector %s: %v", mp.cfg.SectorBoard, err)
		return time.Hour
	}
	var got []string
	for _, q := range qs {
		if s, err := model.ParseSymbol(q.Symbol); err == nil && s.Market.IsA() && !s.IsETF() && !slices.Contains(got, s.Code) {
			got = append(got, s.Code)
		}
	}
	if len(got) == 0 {
		return time.Hour
	}
	slices.Sort(got)
	day = model.Day(now)
	if mp.cfg.Store != nil {
		if err := mp.cfg.Store.SaveSector(day, got, mp.cfg.Members.Name()+" "+mp.cfg.SectorBoard); err != nil {
			mp.cfg.Logf("sector: store: %v", err)
		}
	}
	mp.useSector(got, day)
	return 24 * time.Hour
}

func (mp *MarketPoller) members(ctx context.Context) (qs []model.Quote, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("internal error: %v", v)
		}
	}()
	return mp.cfg.Members.Constituents(ctx, mp.cfg.SectorBoard)
}

func (mp *MarketPoller) useSector(codes []string, day time.Time) {
	if mp.cfg.Poller != nil {
		var syms []model.Symbol
		for _, c := range codes {
			if s, err := model.ParseSymbol(c); err == nil && s.Market.IsA() {
				syms = append(syms, s)
			}
		}
		mp.cfg.Poller.SetMarginExtra(syms)
	}
	mp.cfg.Out(MarketUpdate{Sector: append([]string(nil), codes...), SectorDay: day})
}

// SetMarginExtra adds symbols whose margin history is fetched besides the
// watchlist's (the sector's names, for its margin figures).
func (p *Poller) SetMarginExtra(syms []model.Symbol) {
	p.mu.Lock()
	p.marginExtra = append([]model.Symbol(nil), syms...)
	p.due[KindMargin] = time.Time{}
	p.mu.Unlock()
	p.Nudge()
}

// marginList is the watchlist plus the extra margin symbols, each once.
func (p *Poller) marginList(watch []model.Symbol) []model.Symbol {
	p.mu.Lock()
	extra := p.marginExtra
	p.mu.Unlock()
	out := append([]model.Symbol(nil), watch...)
	for _, s := range extra {
		if !slices.ContainsFunc(out, func(w model.Symbol) bool { return w.Code == s.Code }) {
			out = append(out, s)
		}
	}
	return out
}

// flowDays is how many days of an ETF's fund flow are kept fresh.
const flowDays = 60

// flowOnce fetches every ETF's daily fund flow and hands the screen the
// ones that answered.
func (mp *MarketPoller) flowOnce(ctx context.Context) time.Duration {
	src := mp.cfg.Flows
	got := map[string]model.ETFFlow{}
	failed := false
	for _, sym := range mp.cfg.ETFs {
		cctx, cancel := context.WithTimeout(httpx.WithKind(ctx, string(KindETFFlow)), mp.cfg.Timeout)
		start := time.Now()
		f, err := mp.flow(cctx, sym)
		cancel()
		mp.record(src.Name(), KindETFFlow, err, time.Since(start), len(f.Days))
		if err != nil {
			failed = true
			mp.cfg.Logf("etf flow %s: %v", sym.Code, err)
			if ctx.Err() != nil {
				return time.Minute
			}
			continue
		}
		f.Code = sym.Code
		if f.Name == "" {
			f.Name = sym.Name
		}
		got[sym.Code] = f
		if mp.cfg.FlowStore != nil && len(f.Days) > 0 {
			if err := mp.cfg.FlowStore.SaveETFFlow(f); err != nil {
				mp.cfg.Logf("etf flow: store: %v", err)
			}
		}
	}
	if len(got) > 0 {
		mp.cfg.Out(MarketUpdate{ETFFlows: got})
	}
	live := mp.cfg.AlwaysOpen || model.Live(model.ExchangeA, mp.cfg.Now())
	switch {
	case failed && live:
		return 2 * time.Minute
	case live:
		return mp.cfg.FlowEvery
	}
	return time.Hour // also after a failure: the flows cannot change before the session
}

func (mp *MarketPoller) flow(ctx context.Context, sym model.Symbol) (f model.ETFFlow, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("internal error: %v", v)
		}
	}()
	return mp.cfg.Flows.FundFlowDays(ctx, sym, flowDays)
}

// maxWanted bounds the symbols opened off the watchlist that are polled.
const maxWanted = 16

// Want polls a symbol opened on screen though not on the watchlist: its
// quote with the watchlist's, and its history and margin backfilled first,
// at once. The newest maxWanted are kept.
func (p *Poller) Want(sym model.Symbol) {
	if sym.Code == "" || sym.Market == model.MarketBoard {
		return
	}
	p.mu.Lock()
	p.wanted = slices.DeleteFunc(p.wanted, func(w model.Symbol) bool { return w.Code == sym.Code })
	p.wanted = append(p.wanted, sym)
	if len(p.wanted) > maxWanted {
		p.wanted = p.wanted[len(p.wanted)-maxWanted:]
	}
	p.due[KindQuotes], p.due[KindHistory] = time.Time{}, time.Time{}
	if sym.Market.IsA() && !sym.IsETF() {
		p.due[KindMargin] = time.Time{}
	}
	p.mu.Unlock()
	p.Nudge()
}

// withWanted is the watchlist with the wanted symbols: after it, or before
// it (first) for the backfill, each once.
func (p *Poller) withWanted(watch []model.Symbol, first bool) []model.Symbol {
	p.mu.Lock()
	wanted := append([]model.Symbol(nil), p.wanted...)
	p.mu.Unlock()
	if len(wanted) == 0 {
		return watch
	}
	var out []model.Symbol
	seen := map[string]bool{}
	add := func(ss []model.Symbol) {
		for _, s := range ss {
			if !seen[s.Code] {
				seen[s.Code] = true
				out = append(out, s)
			}
		}
	}
	if first {
		slices.Reverse(wanted) // the newest first
		add(wanted)
		add(watch)
	} else {
		add(watch)
		add(wanted)
	}
	return out
}
