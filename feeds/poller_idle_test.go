package feeds

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

func (p *Poller) dueAt(k Kind) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.due[k]
}

func TestQuotesBeatSlowlyWhileNothingTrades(t *testing.T) {
	if model.IsTradingDay(model.ExchangeA, model.Date(2026, 10, 1)) || model.IsTradingDay(model.ExchangeHK, model.Date(2026, 10, 1)) {
		t.Fatal("the test assumes 2026-10-01 (National Day) is a holiday on both exchanges")
	}
	cases := []struct {
		name string
		now  time.Time
		want time.Time
	}{
		{"trading", time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST), time.Date(2026, 1, 9, 10, 0, 5, 0, model.CST)},
		{"saturday", time.Date(2026, 1, 10, 10, 0, 0, 0, model.CST), time.Date(2026, 1, 10, 10, 5, 0, 0, model.CST)},
		{"holiday", time.Date(2026, 10, 1, 10, 0, 0, 0, model.CST), time.Date(2026, 10, 1, 10, 5, 0, 0, model.CST)},
		{"lunch", time.Date(2026, 1, 9, 12, 10, 0, 0, model.CST), time.Date(2026, 1, 9, 12, 15, 0, 0, model.CST)},
		// The heartbeat never runs past the open: the first quote of the
		// session is polled at 09:30 and 13:00, not up to 5 minutes late.
		{"before the open", time.Date(2026, 1, 12, 9, 27, 0, 0, model.CST), time.Date(2026, 1, 12, 9, 30, 0, 0, model.CST)},
		{"end of lunch", time.Date(2026, 1, 9, 12, 58, 30, 0, model.CST), time.Date(2026, 1, 9, 13, 0, 0, 0, model.CST)},
		{"friday night", time.Date(2026, 1, 9, 23, 58, 0, 0, model.CST), time.Date(2026, 1, 10, 0, 3, 0, 0, model.CST)},
	}
	for _, tc := range cases {
		c := &clock{t: tc.now}
		q := &fakeQuotes{name: "q", price: 1}
		p := NewPoller(PollerConfig{Quotes: []QuoteSource{q}, Watchlist: syms, Now: c.Now, Cadence: DefaultCadence, Out: func(model.Batch) {}})
		if _, err := p.Cycle(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := p.dueAt(KindQuotes); !got.Equal(tc.want) {
			t.Errorf("%s: next quote poll at %v, want %v", tc.name, got.In(model.CST), tc.want)
		}
		// Nothing is polled before then.
		c.Add(tc.want.Sub(tc.now) - time.Second)
		p.Cycle(context.Background())
		c.Add(time.Second)
		p.Cycle(context.Background())
		if q.n() != 2 {
			t.Errorf("%s: %d quote polls over the wait, want 2 (the first, then one at %v)", tc.name, q.n(), tc.want.In(model.CST))
		}
	}
}

func TestDemoMarketKeepsTradingCadence(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 10, 3, 0, 0, 0, model.CST)} // a Saturday night
	p, _, _ := newTestPoller(c, &fakeQuotes{name: "q", price: 1})
	p.cfg.Cadence = Cadence{QuotesOpen: 2 * time.Second, QuotesClosed: 2 * time.Second, History: time.Second, Margin: time.Hour}
	p.Cycle(context.Background())
	if got, want := p.dueAt(KindQuotes), c.Now().Add(2*time.Second); !got.Equal(want) {
		t.Errorf("demo quotes next at %v, want %v", got, want)
	}
}

func TestHistoryAndMarginOnADailySchedule(t *testing.T) {
	now := time.Date(2026, 1, 9, 16, 0, 0, 0, model.CST) // Friday, after the close
	c := &clock{t: now}
	h := &fakeHistory{reqs: map[string]time.Time{}}
	mg := &fakeMargin{}
	last := cached{"600111": model.Date(2026, 1, 8), "06680": model.Date(2026, 1, 8), "516150": model.Date(2026, 1, 8)}
	p := NewPoller(PollerConfig{
		History: h, Margin: mg, Watchlist: syms, Now: c.Now, Cadence: DefaultCadence, Cached: last, Out: func(model.Batch) {},
	})
	p.Cycle(context.Background())
	if got, want := p.dueAt(KindMargin), time.Date(2026, 1, 12, 9, 0, 0, 0, model.CST); !got.Equal(want) {
		t.Errorf("margin next at %v, want Monday 09:00 (%v)", got.In(model.CST), want)
	}
	if got, want := p.dueAt(KindHistory), time.Date(2026, 1, 12, 9, 0, 0, 0, model.CST); !got.Equal(want) {
		t.Errorf("history next at %v, want Monday 09:00 (%v)", got.In(model.CST), want)
	}
	if len(h.reqs) != 0 {
		t.Errorf("up-to-date symbols were fetched: %v", h.reqs)
	}
	// Monday's run finds Friday's bar missing and fetches the gap.
	c.Add(time.Date(2026, 1, 12, 9, 0, 0, 0, model.CST).Sub(now))
	p.Cycle(context.Background())
	if got := h.reqs["600111"]; !got.Equal(model.Date(2026, 1, 8)) {
		t.Errorf("the daily run fetched 600111 from %v, want from the last cached bar 2026-01-08", got)
	}
}

func TestEmptyBatchesStayInThePoller(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	h := &fakeHistory{reqs: map[string]time.Time{}}
	var out []model.Batch
	last := cached{"600111": model.Date(2026, 1, 8), "06680": model.Date(2026, 1, 8), "516150": model.Date(2026, 1, 8)}
	p := NewPoller(PollerConfig{
		History: h, Watchlist: syms, Now: c.Now, AlwaysOpen: true, Cached: last,
		Cadence: Cadence{History: time.Second}, Out: func(b model.Batch) { out = append(out, b) },
	})
	p.Cycle(context.Background()) // the history feed's health appears: sent
	if len(out) != 1 {
		t.Fatalf("%d batches sent by the first cycle, want 1", len(out))
	}
	for range 5 {
		c.Add(time.Second)
		p.Cycle(context.Background())
	}
	if len(out) != 1 {
		t.Errorf("%d batches sent, want 1: cycles with nothing in them and unchanged health reached the screen", len(out))
	}

	// A change of health alone is still sent.
	q := &fakeQuotes{name: "q"}
	q.setFail(errors.New("HTTP 502"))
	out = nil
	p2 := NewPoller(PollerConfig{Quotes: []QuoteSource{q}, Watchlist: syms, Now: c.Now, AlwaysOpen: true, Rand: func() float64 { return 0.5 }, Out: func(b model.Batch) { out = append(out, b) }})
	for range 2 {
		p2.Cycle(context.Background())
		c.Add(time.Hour)
	}
	if len(out) != 2 {
		t.Fatalf("%d batches sent for two failing polls, want 2 (health alone changed)", len(out))
	}
	if h := healthOf(out[1].Health, "q", "quotes"); h.Failures != 2 {
		t.Errorf("the second batch shows %d failures, want 2", h.Failures)
	}
}

// The demo market never closes, so its history has no next session to wait
// for: once every symbol is backfilled it rests instead of looking again each
// second, and a new symbol makes it due at once.
func TestAlwaysOpenHistoryRestsOnceBackfilled(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 10, 3, 0, 0, 0, model.CST)}
	h := &fakeHistory{reqs: map[string]time.Time{}}
	p := NewPoller(PollerConfig{
		History: h, Watchlist: syms, Now: c.Now, AlwaysOpen: true, BackfillPerCycle: 5,
		Cadence: Cadence{History: time.Second}, Out: func(model.Batch) {},
	})
	p.Cycle(context.Background())
	if len(h.reqs) != len(syms) {
		t.Fatalf("backfilled %d symbols, want %d", len(h.reqs), len(syms))
	}
	if got, want := p.dueAt(KindHistory), c.Now().Add(time.Hour); got.Before(want) {
		t.Errorf("history next at %v once backfilled, want an hour later (%v) or more", got, want)
	}
	for range 10 {
		c.Add(time.Second)
		p.Cycle(context.Background())
	}
	if len(h.reqs) != len(syms) {
		t.Errorf("%d symbols fetched after the backfill, want none more", len(h.reqs)-len(syms))
	}
	p.SetWatchlist(append(syms[:len(syms):len(syms)], model.Symbol{Code: "600010", Market: model.MarketSSE}))
	p.Cycle(context.Background())
	if _, ok := h.reqs["600010"]; !ok {
		t.Error("a symbol added to the watchlist was not backfilled at once")
	}
}

// failingHistory refuses every request, counting them.
type failingHistory struct{ calls int }

func (f *failingHistory) Name() string { return "hist" }
func (f *failingHistory) Bars(context.Context, model.Symbol, model.Interval, time.Time, time.Time) ([]model.Bar, error) {
	f.calls++
	return nil, errors.New("dial tcp: connection refused")
}

// While no market trades a failing feed backs off further with each failure
// (history looked again every 30 s, quotes every 30 s to 5 min), quotes no
// further than their closed heartbeat and never past the next open; the
// status bar still shows the failure.
func TestFailingFeedsBackOffWhileNothingTrades(t *testing.T) {
	start := time.Date(2026, 1, 10, 10, 0, 0, 0, model.CST) // a Saturday
	c := &clock{t: start}
	q := &fakeQuotes{name: "q"}
	q.setFail(errors.New("dial tcp: connection refused"))
	h := &failingHistory{}
	var last model.Batch
	p := NewPoller(PollerConfig{
		Quotes: []QuoteSource{q}, History: h, Watchlist: syms, Now: c.Now, Cadence: DefaultCadence,
		BackfillPerCycle: 5, Rand: func() float64 { return 0.5 }, Out: func(b model.Batch) { last = b },
	})
	gaps := map[Kind][]time.Duration{}
	prev := map[Kind]time.Time{}
	for c.Now().Before(start.Add(2 * time.Hour)) {
		if _, err := p.Cycle(context.Background()); err != nil {
			t.Fatal(err)
		}
		next := start.Add(24 * time.Hour)
		for _, k := range []Kind{KindQuotes, KindHistory} {
			due := p.dueAt(k)
			if due.After(c.Now()) && !prev[k].Equal(due) {
				gaps[k] = append(gaps[k], due.Sub(c.Now()))
				prev[k] = due
			}
			if due.Before(next) {
				next = due
			}
		}
		c.Add(next.Sub(c.Now()))
	}
	for _, k := range []Kind{KindQuotes, KindHistory} {
		g := gaps[k]
		for i := 1; i < len(g); i++ {
			if g[i] < g[i-1] {
				t.Errorf("%s: retry %d waits %v, less than the one before (%v): %v", k, i+1, g[i], g[i-1], g)
			}
		}
		if len(g) < 2 || g[0] >= time.Minute || g[len(g)-1] < 5*time.Minute {
			t.Errorf("%s: retries wait %v, want from under a minute growing to 5 minutes or more", k, g)
		}
	}
	if g := gaps[KindQuotes]; g[len(g)-1] != DefaultCadence.QuotesClosed {
		t.Errorf("quotes: the last retry waits %v, want the closed heartbeat %v", g[len(g)-1], DefaultCadence.QuotesClosed)
	}
	// Two hours of failing: a few tries of each, where 30-second retries
	// made 240.
	if h.calls > 12 || q.n() > 35 {
		t.Errorf("in two hours of failing: %d history requests, %d quote requests", h.calls, q.n())
	}
	if hh := healthOf(last.Health, "q", "quotes"); hh.State != model.FeedFailing {
		t.Errorf("the quote feed's health is %+v, want failing", hh)
	}

	// Close to the open a failing quote feed is tried at the open.
	c.t = time.Date(2026, 1, 12, 8, 58, 0, 0, model.CST) // Monday; HK's pre-opening is at 09:00
	p.Cycle(context.Background())
	if got, want := p.dueAt(KindQuotes), time.Date(2026, 1, 12, 9, 0, 0, 0, model.CST); !got.Equal(want) {
		t.Errorf("before the open a failing quote feed is tried at %v, want the open %v", got.In(model.CST), want)
	}
}

// Polls fall on multiples of their cadence, so kinds of 2 and 4 seconds and
// the screen's clock (on the second) wake the process together; a run that
// ends just after a beat waits one cadence, and none waits less than half.
func TestPollsFallOnTheBeatOfTheirCadence(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 10, 3, 0, 0, 13e6, model.CST)} // 13 ms past a beat
	p, _, _ := newTestPoller(c, &fakeQuotes{name: "q", price: 1})
	p.cfg.Boards = &fakeBoards{}
	p.cfg.Cadence = Cadence{QuotesOpen: 2 * time.Second, QuotesClosed: 2 * time.Second, Boards: 4 * time.Second, Margin: time.Hour}
	p.Cycle(context.Background())
	if got, want := p.dueAt(KindQuotes), time.Date(2026, 1, 10, 3, 0, 2, 0, model.CST); !got.Equal(want) {
		t.Errorf("quotes next at %v, want the beat %v", got, want)
	}
	if got, want := p.dueAt(KindBoards), time.Date(2026, 1, 10, 3, 0, 4, 0, model.CST); !got.Equal(want) {
		t.Errorf("boards next at %v, want the beat %v", got, want)
	}
	for _, tc := range []struct{ now, want time.Duration }{
		{0, 2 * time.Second}, {time.Second, 4 * time.Second}, {1900 * time.Millisecond, 4 * time.Second}, {900 * time.Millisecond, 2 * time.Second},
	} {
		base := time.Date(2026, 1, 10, 3, 0, 0, 0, model.CST)
		if got := onBeat(base.Add(tc.now), 2*time.Second); !got.Equal(base.Add(tc.want)) {
			t.Errorf("onBeat(+%v, 2s) = +%v, want +%v", tc.now, got.Sub(base), tc.want)
		}
	}
	// A cadence of minutes is left as it was: one cadence later.
	at := time.Date(2026, 1, 10, 3, 1, 7, 0, model.CST)
	if got := onBeat(at, 5*time.Minute); !got.Equal(at.Add(5 * time.Minute)) {
		t.Errorf("onBeat(03:01:07, 5m) = %v, want 5 minutes later", got)
	}
}
