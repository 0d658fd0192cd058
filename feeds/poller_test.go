package feeds

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fakeQuotes struct {
	name  string
	mu    sync.Mutex
	fail  error
	calls int
	price float64
}

func (f *fakeQuotes) Name() string { return f.name }
func (f *fakeQuotes) Quotes(ctx context.Context, syms []model.Symbol) ([]model.Quote, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.fail != nil {
		return nil, f.fail
	}
	var out []model.Quote
	for _, s := range syms {
		out = append(out, model.Quote{Symbol: s.Code, Name: s.Name, Time: quoteTime, Last: f.price, Source: f.name})
	}
	return out, nil
}

// quoteTime stamps the fakes' quotes: the exchange time of a quote.
var quoteTime = time.Date(2026, 1, 9, 9, 30, 0, 0, model.CST)

func (f *fakeQuotes) setFail(err error) { f.mu.Lock(); f.fail = err; f.mu.Unlock() }
func (f *fakeQuotes) n() int            { f.mu.Lock(); defer f.mu.Unlock(); return f.calls }

type retryErr struct{ d time.Duration }

func (e retryErr) Error() string             { return "HTTP 429" }
func (e retryErr) RetryAfter() time.Duration { return e.d }

type fakeHistory struct {
	mu      sync.Mutex
	reqs    map[string]time.Time
	minutes map[string]time.Time
}

func (f *fakeHistory) Name() string { return "hist" }
func (f *fakeHistory) Bars(ctx context.Context, s model.Symbol, iv model.Interval, from, to time.Time) ([]model.Bar, error) {
	f.mu.Lock()
	if iv == model.Minute {
		if f.minutes == nil {
			f.minutes = map[string]time.Time{}
		}
		f.minutes[s.Code] = from
	} else {
		f.reqs[s.Code] = from
	}
	f.mu.Unlock()
	return []model.Bar{{Symbol: s.Code, Interval: iv, Time: model.Day(to), Close: 1, Source: "hist"}}, nil
}

type fakeMargin struct {
	mu   sync.Mutex
	syms []string
}

func (f *fakeMargin) Name() string { return "margin" }
func (f *fakeMargin) Margin(ctx context.Context, s model.Symbol, days int) ([]model.MarginDay, error) {
	f.mu.Lock()
	f.syms = append(f.syms, s.Code)
	f.mu.Unlock()
	return []model.MarginDay{{Symbol: s.Code, Date: model.Date(2026, 1, 8), FinBalance: 1}}, nil
}
func (f *fakeMargin) SectorMargin(ctx context.Context, boards []string) ([]model.MarginDay, error) {
	return []model.MarginDay{{Symbol: "BK0578", Date: model.Date(2026, 1, 8), FinBalance: 2}}, nil
}

type cached map[string]time.Time

func (c cached) LastDaily(s string) (time.Time, bool)  { t, ok := c[s]; return t, ok }
func (c cached) LastMargin(s string) (time.Time, bool) { return time.Time{}, false }

var syms = []model.Symbol{
	{Code: "600111", Market: model.MarketSSE}, {Code: "06680", Market: model.MarketHKEX}, {Code: "516150", Market: model.MarketSSE},
}

var named = []model.Symbol{{Code: "600111", Market: model.MarketSSE, Name: "北方稀土"}, syms[1], syms[2]}

func newTestPoller(c *clock, qs ...QuoteSource) (*Poller, *[]model.Batch, *int) {
	var batches []model.Batch
	sinks := 0
	p := NewPoller(PollerConfig{
		Quotes: qs, Watchlist: syms, AlwaysOpen: true,
		Now: c.Now, Rand: func() float64 { return 0.5 },
		Sink: func(model.Batch) error { sinks++; return nil },
		Out:  func(b model.Batch) { batches = append(batches, b) },
	})
	return p, &batches, &sinks
}

func healthOf(hs []model.FeedHealth, feed, kind string) model.FeedHealth {
	for _, h := range hs {
		if h.Feed == feed && h.Kind == kind {
			return h
		}
	}
	return model.FeedHealth{}
}

func TestFailoverAndRecovery(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	em := &fakeQuotes{name: "eastmoney", price: 49.41}
	sina := &fakeQuotes{name: "sina", price: 49.40}
	p, batches, _ := newTestPoller(c, em, sina)
	ctx := context.Background()

	b, _ := p.Cycle(ctx)
	if len(b.Quotes) != 3 || b.Quotes[0].Source != "eastmoney" {
		t.Fatalf("healthy cycle: %+v", b.Quotes)
	}
	if len(b.Symbols) != 0 {
		t.Errorf("quotes without names recorded symbols: %+v", b.Symbols)
	}
	if h := healthOf(b.Health, "sina", "quotes"); h.State != model.FeedStandby {
		t.Errorf("sina should be on standby, is %v", h.State)
	}

	// Eastmoney fails: Sina answers in the same cycle, and the status says so.
	em.setFail(errors.New("HTTP 500"))
	c.Add(5 * time.Second)
	b, _ = p.Cycle(ctx)
	if len(b.Quotes) != 3 || b.Quotes[0].Source != "sina" {
		t.Fatalf("failover cycle quotes: %+v", b.Quotes)
	}
	if h := healthOf(b.Health, "eastmoney", "quotes"); h.State != model.FeedFailing || h.Failures != 1 || h.LastErr != "HTTP 500" {
		t.Errorf("eastmoney health after a failure: %+v", h)
	}
	if h := healthOf(b.Health, "sina", "quotes"); h.State != model.FeedOK {
		t.Errorf("sina health: %+v", h)
	}

	// While Eastmoney backs off, the next cycle goes straight to Sina.
	calls := em.n()
	c.Add(100 * time.Millisecond)
	p.due[KindQuotes] = time.Time{}
	b, _ = p.Cycle(ctx)
	if em.n() != calls {
		t.Error("eastmoney was asked again during its backoff")
	}
	if len(b.Quotes) == 0 || b.Quotes[0].Source != "sina" {
		t.Fatal("sina did not keep the quotes flowing")
	}

	// Eastmoney recovers: after its backoff it takes back over.
	em.setFail(nil)
	c.Add(time.Minute)
	b, _ = p.Cycle(ctx)
	if len(b.Quotes) == 0 || b.Quotes[0].Source != "eastmoney" {
		t.Fatalf("eastmoney did not take back over: %+v", b.Quotes)
	}
	if h := healthOf(b.Health, "eastmoney", "quotes"); h.State != model.FeedOK || h.Failures != 0 {
		t.Errorf("eastmoney health after recovery: %+v", h)
	}
	if h := healthOf(b.Health, "sina", "quotes"); h.State != model.FeedStandby {
		t.Errorf("sina should be back on standby: %+v", h)
	}
	if len(*batches) != 4 {
		t.Errorf("%d batches sent, want 4", len(*batches))
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	em := &fakeQuotes{name: "eastmoney", fail: retryErr{90 * time.Second}}
	p, _, _ := newTestPoller(c, em)
	p.Cycle(context.Background())
	if got := p.due[KindQuotes].Sub(c.Now()); got < 90*time.Second {
		t.Fatalf("next quotes poll in %v, want at least the Retry-After of 90s", got)
	}
	if got := p.quoteBack["eastmoney"].Sub(c.Now()); got < 90*time.Second {
		t.Fatalf("eastmoney retried after %v, before its Retry-After", got)
	}
}

func TestOneSinkPerCycleAndStoreErrors(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	em := &fakeQuotes{name: "eastmoney", price: 1}
	mg := &fakeMargin{}
	sinks := 0
	var out []model.Batch
	p := NewPoller(PollerConfig{
		Quotes: []QuoteSource{em}, Margin: mg, Watchlist: named, BoardList: []string{"BK0578"}, AlwaysOpen: true, Now: c.Now,
		Sink: func(model.Batch) error { sinks++; return errors.New("write /db: no space left on device") },
		Out:  func(b model.Batch) { out = append(out, b) },
	})
	p.Cycle(context.Background())
	if sinks != 1 {
		t.Fatalf("%d sink calls for one cycle, want 1", sinks)
	}
	if len(out) != 1 || len(out[0].Quotes) != 3 || len(out[0].Margin) != 2 {
		t.Fatalf("the batch must reach the screen even when the write fails: %+v", out)
	}
	if h := healthOf(out[0].Health, "store", "write"); h.State != model.FeedFailing || h.LastErr == "" {
		t.Errorf("store failure not reported: %+v", h)
	}
	// The names the feed returned are recorded for search.
	if len(out[0].Symbols) != 1 || out[0].Symbols[0].Code != "600111" || out[0].Symbols[0].Name != "北方稀土" {
		t.Errorf("learned symbols: %+v", out[0].Symbols)
	}
	// Margin financing is asked for A-share stocks only, not HK or ETFs.
	if len(mg.syms) != 1 || mg.syms[0] != "600111" {
		t.Errorf("margin asked for %v, want [600111]", mg.syms)
	}
}

func TestBackfillFromCache(t *testing.T) {
	now := time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)
	c := &clock{t: now}
	h := &fakeHistory{reqs: map[string]time.Time{}}
	p := NewPoller(PollerConfig{
		History: h, Watchlist: syms, Now: c.Now, HistoryDays: 366, BackfillPerCycle: 10,
		Cached: cached{
			"600111": model.Date(2026, 1, 8), // up to date: the previous trading day
			"516150": model.Date(2025, 12, 20),
		},
	})
	p.Cycle(context.Background())
	if _, asked := h.reqs["600111"]; asked {
		t.Error("an up-to-date symbol was backfilled")
	}
	if got := h.reqs["516150"]; !got.Equal(model.Date(2025, 12, 20)) {
		t.Errorf("gap fill from %v, want from the last cached bar 2025-12-20", got)
	}
	if got := h.reqs["06680"]; !got.Equal(model.Date(2025, 1, 8)) {
		t.Errorf("first backfill from %v, want a year back (2025-01-08)", got)
	}
	// With the daily bars comes the last session's 1-minute history.
	if got := h.minutes["06680"]; !got.Equal(model.Date(2026, 1, 9)) {
		t.Errorf("minute backfill from %v, want the session of 2026-01-09", got)
	}
	// Done once per run.
	delete(h.reqs, "06680")
	c.Add(time.Minute)
	p.Cycle(context.Background())
	if _, asked := h.reqs["06680"]; asked {
		t.Error("a backfilled symbol was asked again")
	}
}

func TestCadenceFollowsSession(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 10, 10, 0, 0, 0, model.CST)} // Saturday
	p := NewPoller(PollerConfig{Quotes: []QuoteSource{&fakeQuotes{name: "q", price: 1}}, Watchlist: syms, Now: c.Now})
	if got := p.cadence(KindQuotes, c.Now()); got != DefaultCadence.QuotesClosed {
		t.Errorf("weekend cadence %v, want %v", got, DefaultCadence.QuotesClosed)
	}
	if got := p.cadence(KindQuotes, time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)); got != DefaultCadence.QuotesOpen {
		t.Errorf("trading cadence %v, want %v", got, DefaultCadence.QuotesOpen)
	}
	if got := p.cadence(KindQuotes, time.Date(2026, 1, 9, 12, 0, 0, 0, model.CST)); got != DefaultCadence.QuotesClosed {
		t.Errorf("lunch cadence %v, want %v", got, DefaultCadence.QuotesClosed)
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	em := &fakeQuotes{name: "eastmoney", price: 1}
	p, _, _ := newTestPoller(c, em)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not stop after cancel")
	}
	if em.n() == 0 {
		t.Error("Run never polled")
	}
}

type slowMargin struct{ fakeMargin }

func (s *slowMargin) Margin(ctx context.Context, sym model.Symbol, days int) ([]model.MarginDay, error) {
	<-ctx.Done() // hangs until its deadline, like a dead host
	return nil, ctx.Err()
}

func TestSlowKindDoesNotDelayQuotes(t *testing.T) {
	em := &fakeQuotes{name: "eastmoney", price: 1}
	got := make(chan model.Batch, 16)
	p := NewPoller(PollerConfig{
		Quotes: []QuoteSource{em}, Margin: &slowMargin{}, Watchlist: syms, AlwaysOpen: true,
		Timeouts: Timeouts{Quotes: time.Second, Margin: 5 * time.Second, History: time.Second, Boards: time.Second, Elements: time.Second},
		Out:      func(b model.Batch) { got <- b },
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.Run(ctx)
	select {
	case b := <-got:
		if len(b.Quotes) != 3 {
			t.Fatalf("first batch: %+v", b)
		}
	case <-time.After(time.Second):
		t.Fatal("quotes waited for the hanging margin request")
	}
}

// gateQuotes blocks every request until released (or its context ends).
type gateQuotes struct {
	started chan struct{}
	release chan struct{}
}

func (g *gateQuotes) Name() string { return "gate" }
func (g *gateQuotes) Quotes(ctx context.Context, syms []model.Symbol) ([]model.Quote, error) {
	g.started <- struct{}{}
	select {
	case <-g.release:
		return []model.Quote{{Symbol: syms[0].Code, Time: quoteTime, Last: 1, Source: "gate"}}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func TestRunUntilFinishesTheBatchInHand(t *testing.T) {
	for _, abortToo := range []bool{false, true} {
		g := &gateQuotes{started: make(chan struct{}, 1), release: make(chan struct{})}
		var mu sync.Mutex
		var written []model.Batch
		p := NewPoller(PollerConfig{
			Quotes: []QuoteSource{g}, Watchlist: syms, AlwaysOpen: true,
			Timeouts: Timeouts{Quotes: 5 * time.Second, History: time.Second, Margin: time.Second, Boards: time.Second, Elements: time.Second},
			Sink:     func(b model.Batch) error { mu.Lock(); written = append(written, b); mu.Unlock(); return nil },
		})
		stop, stopNow := context.WithCancel(context.Background())
		abort, abortNow := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { p.RunUntil(stop, abort); close(done) }()
		<-g.started
		stopNow() // a request is in flight
		if abortToo {
			abortNow()
		} else {
			time.Sleep(50 * time.Millisecond)
			close(g.release)
		}
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			t.Fatal("RunUntil did not return")
		}
		mu.Lock()
		n := len(written)
		mu.Unlock()
		if !abortToo && (n != 1 || len(written[0].Quotes) != 1) {
			t.Errorf("stop with a request in flight: %d batches written %+v, want its batch", n, written)
		}
		if abortToo && n != 0 {
			t.Errorf("abort: %d batches written, want none", n)
		}
		abortNow()
	}
}
