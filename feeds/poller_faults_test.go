package feeds

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

// panicQuotes panics while armed, else answers like fakeQuotes.
type panicQuotes struct {
	fakeQuotes
	armed bool
}

func (f *panicQuotes) Quotes(ctx context.Context, syms []model.Symbol) ([]model.Quote, error) {
	f.mu.Lock()
	armed := f.armed
	f.mu.Unlock()
	if armed {
		var m map[string]int
		m["boom"]++ // a nil map write: a runtime panic, as a parser bug would give
	}
	return f.fakeQuotes.Quotes(ctx, syms)
}

func (f *panicQuotes) arm(on bool) { f.mu.Lock(); f.armed = on; f.mu.Unlock() }

type panics struct {
	mu    sync.Mutex
	where []string
	stack []string
}

func (p *panics) hook(where string, v any, stack []byte) {
	p.mu.Lock()
	p.where = append(p.where, where)
	p.stack = append(p.stack, string(stack))
	p.mu.Unlock()
}

func (p *panics) n() int { p.mu.Lock(); defer p.mu.Unlock(); return len(p.where) }

func TestProviderPanicBecomesFeedFailure(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	em := &panicQuotes{fakeQuotes: fakeQuotes{name: "eastmoney", price: 49.41}, armed: true}
	var hook panics
	p := NewPoller(PollerConfig{
		Quotes: []QuoteSource{em}, Watchlist: syms, AlwaysOpen: true, Now: c.Now, Rand: func() float64 { return 0.5 },
		OnPanic: hook.hook,
	})
	b, err := p.Cycle(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h := healthOf(b.Health, "eastmoney", "quotes")
	if h.State != model.FeedFailing || !strings.HasPrefix(h.LastErr, "internal error: ") || !strings.Contains(h.LastErr, "nil map") {
		t.Fatalf("a panicking provider: health %+v, want failing with internal error", h)
	}
	if h.NextTry.IsZero() || !h.NextTry.After(c.Now()) {
		t.Errorf("no retry scheduled: %+v", h)
	}
	if hook.n() != 1 || hook.where[0] != "eastmoney quotes" || !strings.Contains(hook.stack[0], "panicQuotes") {
		t.Fatalf("OnPanic got %v, stack:\n%s", hook.where, strings.Join(hook.stack, "\n"))
	}
	if got := p.due[KindQuotes].Sub(c.Now()); got < DefaultCadence.QuotesOpen {
		t.Errorf("retried after %v, want a backoff of at least the cadence", got)
	}

	// The next good answer heals it.
	em.arm(false)
	c.Add(time.Minute)
	b, _ = p.Cycle(context.Background())
	if h := healthOf(b.Health, "eastmoney", "quotes"); h.State != model.FeedOK || h.Failures != 0 || len(b.Quotes) != 3 {
		t.Fatalf("after a good answer: %+v, %d quotes", h, len(b.Quotes))
	}
}

func TestPollerKeepsRunningThroughPanics(t *testing.T) {
	em := &panicQuotes{fakeQuotes: fakeQuotes{name: "eastmoney", price: 1}, armed: true}
	var hook panics
	fast := 5 * time.Millisecond
	var mu sync.Mutex
	var last model.Batch
	p := NewPoller(PollerConfig{
		Quotes: []QuoteSource{em}, Watchlist: syms, AlwaysOpen: true,
		Cadence: Cadence{QuotesOpen: fast, QuotesClosed: fast, Boards: fast, Members: fast, Margin: fast, Elements: fast, History: fast},
		Rand:    func() float64 { return 0 }, // no backoff beyond the cadence
		OnPanic: hook.hook,
		Out:     func(b model.Batch) { mu.Lock(); last = b; mu.Unlock() },
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	waitFor(t, func() bool { return hook.n() >= 3 }, "three panics recovered")
	em.arm(false)
	waitFor(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(last.Quotes) == 3 && healthOf(last.Health, "eastmoney", "quotes").State == model.FeedOK
	}, "quotes flowing again after the provider stopped panicking")
}

// waitFor polls cond until it holds or a generous deadline passes.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestStorePanicAndFailureAreRetried(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	em := &fakeQuotes{name: "eastmoney", price: 1}
	var hook panics
	var mu sync.Mutex
	mode := "panic"
	var written []uint64
	p := NewPoller(PollerConfig{
		Quotes: []QuoteSource{em}, Watchlist: syms, AlwaysOpen: true, Now: c.Now, OnPanic: hook.hook,
		Sink: func(b model.Batch) error {
			mu.Lock()
			defer mu.Unlock()
			switch mode {
			case "panic":
				panic("store: bbolt page assertion")
			case "full":
				return errors.New("write /db: no space left on device")
			}
			written = append(written, b.Seq)
			return nil
		},
	})
	set := func(m string) { mu.Lock(); mode = m; mu.Unlock() }
	next := func(d time.Duration) model.Batch {
		c.Add(d)
		p.due[KindQuotes] = time.Time{}
		b, err := p.Cycle(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := next(0)
	st := model.SummarizeHealth(b.Health, c.Now()).Store
	if !st.Failing || !strings.Contains(st.Err, "internal error: store: bbolt page assertion") || st.Pending != 1 {
		t.Fatalf("a panic in the write: store %+v", st)
	}
	if hook.n() != 1 || hook.where[0] != "store write" {
		t.Fatalf("OnPanic: %v", hook.where)
	}
	if !st.NextTry.After(c.Now()) {
		t.Fatalf("no retry time: %+v", st)
	}

	// A full disk: the store stays failing, the batches wait; before the
	// retry time no write is tried.
	set("full")
	b = next(st.NextTry.Sub(c.Now()))
	st = model.SummarizeHealth(b.Health, c.Now()).Store
	if !st.Failing || st.Err != "write /db: no space left on device" || st.Pending != 2 || st.Failures < 2 {
		t.Fatalf("disk full: store %+v", st)
	}
	b = next(time.Millisecond)
	if st2 := model.SummarizeHealth(b.Health, c.Now()).Store; st2.Pending != 3 || st2.Failures != st.Failures {
		t.Fatalf("written before the retry time, or the batch lost: %+v (was %+v)", st2, st)
	}

	// The disk recovers: at the retry time every waiting batch is written,
	// oldest first, and the store is healthy.
	set("ok")
	b = next(storeRetryCap)
	st = model.SummarizeHealth(b.Health, c.Now()).Store
	if st.Failing || st.Pending != 0 {
		t.Fatalf("after recovery: %+v", st)
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(written) != "[1 2 3 4]" {
		t.Errorf("batches written %v, want [1 2 3 4] in order", written)
	}
}

func TestPendingBatchesAreBounded(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	em := &fakeQuotes{name: "eastmoney", price: 1}
	p := NewPoller(PollerConfig{
		Quotes: []QuoteSource{em}, Watchlist: syms, AlwaysOpen: true, Now: c.Now, MaxPending: 3,
		Sink: func(model.Batch) error { return errors.New("disk full") },
	})
	for range 10 {
		c.Add(time.Minute)
		p.Cycle(context.Background())
	}
	if st := model.SummarizeHealth(p.Health(), c.Now()).Store; st.Pending != 3 {
		t.Errorf("%d batches waiting, want the bound 3", st.Pending)
	}
}

// A batch the store refuses while newer ones are written is given up after
// a few attempts instead of holding every later batch back.
func TestPoisonBatchIsDropped(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	em := &fakeQuotes{name: "eastmoney", price: 1}
	var written []uint64
	p := NewPoller(PollerConfig{
		Quotes: []QuoteSource{em}, Watchlist: syms, AlwaysOpen: true, Now: c.Now,
		Sink: func(b model.Batch) error {
			if b.Seq == 1 {
				return errors.New("refused")
			}
			written = append(written, b.Seq)
			return nil
		},
	})
	for range 6 {
		c.Add(time.Minute)
		p.Cycle(context.Background())
	}
	if st := model.SummarizeHealth(p.Health(), c.Now()).Store; st.Failing || st.Pending != 0 {
		t.Errorf("store %+v, want healthy with nothing waiting", st)
	}
	if fmt.Sprint(written) != "[2 3 4 5 6]" {
		t.Errorf("written %v", written)
	}
}

// badQuotes answers with good quotes and one broken row of each kind.
type badQuotes struct{ fakeQuotes }

func (f *badQuotes) Quotes(ctx context.Context, syms []model.Symbol) ([]model.Quote, error) {
	qs, err := f.fakeQuotes.Quotes(ctx, syms)
	qs = append(qs,
		model.Quote{Symbol: "000831", Name: "中国稀土", Last: 45.62, Source: f.name},                                                 // no time (f124 "-")
		model.Quote{Symbol: "600392", Name: "盛和资源", Time: time.Date(2999, 1, 1, 0, 0, 0, 0, model.CST), Last: 9, Source: f.name}, // far future
		model.Quote{Symbol: "600259", Name: "广晟有色", Time: quoteTime, Last: model.Unknown, Source: f.name},                        // price "-"
		model.Quote{Symbol: "300748", Name: "金力永磁", Time: quoteTime, Last: 30, Amount: math.Inf(1), Source: f.name},              // non-finite
		model.Quote{Symbol: "000970", Name: strings.Repeat("中", 24000), Time: quoteTime, Last: 28.9, Source: f.name},             // a 72 KB name
	)
	return qs, err
}

type fakeBoards struct{}

func (fakeBoards) Name() string { return "boards" }
func (fakeBoards) Boards(ctx context.Context, codes []string) ([]model.BoardMove, error) {
	return []model.BoardMove{
		{Code: "BK0578", Name: "稀土永磁", Time: quoteTime, Level: 1200, ChangePct: 3.2, Source: "boards"},
		{Code: "BK1027", Name: "小金属", Level: 900, ChangePct: 1, Source: "boards"}, // no time: dropped alone
	}, nil
}
func (fakeBoards) Constituents(ctx context.Context, code string) ([]model.Quote, error) {
	return []model.Quote{{Symbol: "600111", Name: "北方稀土", Last: 49.41, Source: "boards"}}, nil
}

func TestBadRowsAreDroppedAloneAndTheCycleIsWritten(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "r.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	var mu sync.Mutex
	var warnings []string
	var written []model.Batch
	var sinkErr error
	p := NewPoller(PollerConfig{
		Quotes: []QuoteSource{&badQuotes{fakeQuotes{name: "eastmoney", price: 49.41}}},
		Margin: &fakeMargin{}, Boards: fakeBoards{}, History: &fakeHistory{reqs: map[string]time.Time{}},
		Watchlist: named, BoardList: []string{"BK0578", "BK1027"}, AlwaysOpen: true, Now: c.Now,
		Warnf: func(f string, a ...any) { mu.Lock(); warnings = append(warnings, fmt.Sprintf(f, a...)); mu.Unlock() },
		Sink: func(b model.Batch) error {
			err := db.Append(b)
			if err == nil {
				written = append(written, b)
			} else {
				sinkErr = err
			}
			return err
		},
	})
	b, _ := p.Cycle(context.Background())
	if sinkErr != nil {
		t.Fatalf("the batch was not written: %v", sinkErr)
	}
	if len(written) != 1 {
		t.Fatalf("%d batches written, want 1", len(written))
	}
	got := map[string]model.Quote{}
	for _, q := range b.Quotes {
		got[q.Symbol] = q
	}
	for _, code := range []string{"600111", "06680", "516150", "000970"} {
		if _, ok := got[code]; !ok {
			t.Errorf("good quote %s lost", code)
		}
	}
	for _, code := range []string{"000831", "600392", "600259", "300748"} {
		if _, ok := got[code]; ok {
			t.Errorf("bad quote %s kept", code)
		}
	}
	if n := len([]rune(got["000970"].Name)); n != model.MaxNameRunes {
		t.Errorf("the long name kept %d runes, want %d", n, model.MaxNameRunes)
	}
	if len(b.Bars) == 0 || len(b.Margin) != 2 || len(b.Boards) != 1 || len(b.Members["BK0578"]) != 1 {
		t.Errorf("the rest of the cycle was not kept: %d bars, %d margin, %d boards, members %v", len(b.Bars), len(b.Margin), len(b.Boards), b.Members)
	}
	if h := healthOf(b.Health, "eastmoney", "quotes"); h.State != model.FeedOK {
		t.Errorf("a feed with one bad row is healthy: %+v", h)
	}
	mu.Lock()
	first := append([]string(nil), warnings...)
	mu.Unlock()
	for _, want := range []string{"000831 time", "600392 time", "600259 last", "300748 number", "000970 name", "BK1027 time"} {
		found := false
		for _, w := range first {
			if strings.Contains(w, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("no warning naming %q in %q", want, first)
		}
	}

	// The next cycle drops the same rows without warning again.
	c.Add(time.Minute)
	p.due[KindQuotes], p.due[KindBoards] = time.Time{}, time.Time{}
	p.Cycle(context.Background())
	mu.Lock()
	defer mu.Unlock()
	if len(warnings) != len(first) {
		t.Errorf("warned again on the next cycle: %q", warnings[len(first):])
	}
}

type fakeElements struct{}

func (fakeElements) Name() string { return "vendor" }
func (fakeElements) Elements(ctx context.Context) ([]model.ElementPrice, error) {
	d := model.Date(2026, 1, 8)
	return []model.ElementPrice{
		{Element: "prnd_oxide", Date: d, Price: 682500, Low: model.Unknown, High: model.Unknown, Source: "vendor"},
		{Element: "tb_oxide", Date: d, Price: 1e308, Low: model.Unknown, High: model.Unknown, Source: "vendor"},
		{Element: "dy_oxide", Date: d, Price: math.Inf(1), Low: model.Unknown, High: model.Unknown, Source: "vendor"},
	}, nil
}

func TestElementCheck(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	var warnings []string
	p := NewPoller(PollerConfig{
		Elements: []ElementSource{fakeElements{}}, Now: c.Now,
		Warnf: func(f string, a ...any) { warnings = append(warnings, fmt.Sprintf(f, a...)) },
		ElementCheck: func(e model.ElementPrice) error {
			if e.Price > 1e8 {
				return fmt.Errorf("%g outside the plausible band", e.Price)
			}
			return nil
		},
	})
	b, _ := p.Cycle(context.Background())
	if len(b.Elements) != 1 || b.Elements[0].Element != "prnd_oxide" {
		t.Fatalf("elements kept: %+v", b.Elements)
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0]+warnings[1], "tb_oxide price: dropped: 1e+308 outside the plausible band") {
		t.Errorf("warnings: %q", warnings)
	}
}

// Batches waiting for the store are written when the poller stops, without
// waiting for their retry time.
func TestStopFlushesWaitingBatches(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	em := &fakeQuotes{name: "eastmoney", price: 1}
	var mu sync.Mutex
	full := true
	var written int
	p := NewPoller(PollerConfig{
		Quotes: []QuoteSource{em}, Watchlist: syms, AlwaysOpen: true, Now: c.Now,
		Sink: func(b model.Batch) error {
			mu.Lock()
			defer mu.Unlock()
			if full {
				return errors.New("disk full")
			}
			written++
			return nil
		},
	})
	p.Cycle(context.Background())
	if err := p.Flush(); err == nil || !strings.Contains(err.Error(), "1 batches not written: disk full") {
		t.Fatalf("Flush with the disk full: %v", err)
	}
	mu.Lock()
	full = false
	mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p.Run(ctx) // stops at once, flushing
	mu.Lock()
	defer mu.Unlock()
	if written != 1 {
		t.Errorf("%d batches written at stop, want 1", written)
	}
}
