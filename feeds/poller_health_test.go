package feeds

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

// failHistory fails every request while fail is set.
type failHistory struct {
	fakeHistory
	fail error
}

func (f *failHistory) Bars(ctx context.Context, s model.Symbol, iv model.Interval, from, to time.Time) ([]model.Bar, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	return f.fakeHistory.Bars(ctx, s, iv, from, to)
}

// runDue runs whatever is due at the clock's time, as Run's loops would.
func runDue(t *testing.T, p *Poller) model.Batch {
	t.Helper()
	b, err := p.Cycle(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// With both quote feeds down, the summary says OFFLINE, although the
// history and element feeds answered earlier and are still marked ok.
func TestBothQuoteFeedsDownIsOffline(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	em := &fakeQuotes{name: "eastmoney", price: 1}
	sina := &fakeQuotes{name: "sina", price: 1}
	p := NewPoller(PollerConfig{
		Quotes: []QuoteSource{em, sina}, History: &fakeHistory{reqs: map[string]time.Time{}}, Elements: []ElementSource{fakeElements{}},
		Watchlist: syms, AlwaysOpen: true, Now: c.Now, Rand: func() float64 { return 0.5 }, BackfillPerCycle: 10,
	})
	b := runDue(t, p)
	if s := model.SummarizeHealth(b.Health, c.Now()); s.QuotesDown || s.QuoteFeed != "eastmoney" {
		t.Fatalf("healthy start: %+v", s)
	}
	em.setFail(errors.New("dial tcp: network is unreachable"))
	sina.setFail(errors.New("dial tcp: network is unreachable"))
	c.Add(10 * time.Second)
	down := c.Now()
	b = runDue(t, p)
	c.Add(time.Minute)
	b = runDue(t, p)
	s := model.SummarizeHealth(b.Health, c.Now())
	if !s.QuotesDown || !s.QuotesDownSince.Equal(down) {
		t.Fatalf("both quote feeds down: QuotesDown %v since %v, want since %v; health %+v", s.QuotesDown, s.QuotesDownSince, down, b.Health)
	}
	if h := healthOf(b.Health, "hist", "history"); h.State != model.FeedOK {
		t.Fatalf("the test needs an ok history record: %+v", h)
	}
}

// A fallback that recovers after a long outage is asked again within the
// fast-kind retry cap and is healthy on that answer, not minutes later.
func TestRecoveredFallbackIsHealthyAtOnce(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	em := &fakeQuotes{name: "eastmoney", price: 1, fail: errors.New("HTTP 502")}
	sina := &fakeQuotes{name: "sina", price: 1, fail: errors.New("HTTP 503")}
	p := NewPoller(PollerConfig{Quotes: []QuoteSource{em, sina}, Watchlist: syms, AlwaysOpen: true, Now: c.Now, Rand: func() float64 { return 0.99 }})
	var b model.Batch
	for range 12 { // a long outage: the backoff has reached its cap
		if due := p.due[KindQuotes]; due.After(c.Now()) {
			c.t = due
		}
		b = runDue(t, p)
	}
	if h := healthOf(b.Health, "sina", "quotes"); h.State != model.FeedFailing || h.Failures < 10 {
		t.Fatalf("sina after the outage: %+v", h)
	}
	// Sina comes back a second after its last failed answer.
	c.Add(time.Second)
	sina.setFail(nil)
	recovered := c.Now()
	b = model.Batch{}
	for n := 0; b.Quotes == nil; n++ {
		if n > 20 {
			t.Fatal("sina never answered again")
		}
		c.t = p.due[KindQuotes]
		b = runDue(t, p)
	}
	if wait := c.Now().Sub(recovered); wait > fastRetryCap {
		t.Errorf("sina answered again only after %v", wait)
	}
	if h := healthOf(b.Health, "sina", "quotes"); h.State != model.FeedOK || h.Failures != 0 || !h.FailingSince.IsZero() {
		t.Errorf("sina after its good answer: %+v", h)
	}
	if s := model.SummarizeHealth(b.Health, c.Now()); s.QuotesDown || s.QuoteFeed != "sina" {
		t.Errorf("summary: down %v, feed %q", s.QuotesDown, s.QuoteFeed)
	}
}

// A feed fails on its failure and is ok on its next good answer.
func TestFailedThenHealedAtOnce(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	em := &fakeQuotes{name: "eastmoney", price: 1}
	p := NewPoller(PollerConfig{Quotes: []QuoteSource{em}, Watchlist: syms, AlwaysOpen: true, Now: c.Now, Rand: func() float64 { return 0.5 }})
	runDue(t, p)
	em.setFail(errors.New("HTTP 500"))
	c.Add(5 * time.Second)
	b := runDue(t, p)
	f := model.SummarizeHealth(b.Health, c.Now()).Feeds[0]
	if f.State != model.FeedFailing || f.LastErr != "HTTP 500" || !f.FailingSince.Equal(c.Now()) || !f.NextTry.After(c.Now()) {
		t.Fatalf("right after the failure: %+v", f)
	}
	em.setFail(nil)
	c.t = p.due[KindQuotes]
	b = runDue(t, p)
	if f := model.SummarizeHealth(b.Health, c.Now()).Feeds[0]; f.State != model.FeedOK || f.Stale {
		t.Fatalf("after the next good answer: %+v", f)
	}
}

func TestBackfillStallIsReported(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	h := &failHistory{fakeHistory: fakeHistory{reqs: map[string]time.Time{}}, fail: errors.New("push2his: timeout")}
	p := NewPoller(PollerConfig{History: h, Watchlist: syms, Now: c.Now, Rand: func() float64 { return 0.5 }, BackfillPerCycle: 1})
	b := runDue(t, p)
	s := model.SummarizeHealth(b.Health, c.Now())
	if s.Backfill.Pending != 3 || s.Backfill.Stalled || s.Backfill.Waiting != "600111 06680 516150" {
		t.Fatalf("backfill just begun: %+v", s.Backfill)
	}
	for c.Now().Sub(time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)) <= model.BackfillStallAfter {
		c.t = p.due[KindHistory]
		b = runDue(t, p)
	}
	s = model.SummarizeHealth(b.Health, c.Now())
	if !s.Backfill.Stalled || s.Backfill.Err != "push2his: timeout" || s.Backfill.Pending != 3 {
		t.Fatalf("backfill failing for %v: %+v", model.BackfillStallAfter, s.Backfill)
	}
	// It recovers: each symbol done is progress; then nothing waits.
	h.fail = nil
	c.t = p.due[KindHistory]
	b = runDue(t, p)
	if s := model.SummarizeHealth(b.Health, c.Now()); s.Backfill.Stalled || s.Backfill.Pending != 2 {
		t.Fatalf("after progress: %+v", s.Backfill)
	}
	for range 2 {
		c.t = p.due[KindHistory]
		b = runDue(t, p)
	}
	if s := model.SummarizeHealth(b.Health, c.Now()); s.Backfill.Pending != 0 || s.Backfill.Stalled {
		t.Fatalf("backfill done: %+v", s.Backfill)
	}
}

// The cadence in a feed's health is the one in force for its next poll: an
// answer that straddles the start of the lunch break (Hong Kong stops at
// 12:00, A shares at 11:30) carries the closed cadence, so the feed is not
// drawn stale while it waits for its next poll a minute later.
func TestHealthCadenceFollowsTheSchedule(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 11, 59, 58, 0, model.CST)}
	em := &slowQuotes{fakeQuotes: fakeQuotes{name: "eastmoney", price: 1}, c: c, took: 4 * time.Second}
	p := NewPoller(PollerConfig{Quotes: []QuoteSource{em}, Watchlist: syms, Now: c.Now})
	b := runDue(t, p)
	h := healthOf(b.Health, "eastmoney", "quotes")
	next := p.due[KindQuotes]
	if got := next.Sub(h.LastOK); got > h.Cadence {
		t.Fatalf("next poll %v after the answer, but health expects one every %v", got, h.Cadence)
	}
	if h.Stale(next.Add(-time.Second)) {
		t.Errorf("stale before its next poll: %+v", h)
	}
}

// slowQuotes moves the clock by took during each request.
type slowQuotes struct {
	fakeQuotes
	c    *clock
	took time.Duration
}

func (s *slowQuotes) Quotes(ctx context.Context, syms []model.Symbol) ([]model.Quote, error) {
	s.c.Add(s.took)
	return s.fakeQuotes.Quotes(ctx, syms)
}

// kindBoards records the data kind each request carries, and takes the
// whole boards deadline on the board list.
type kindBoards struct {
	fakeBoards
	mu    sync.Mutex
	kinds []string
	c     *clock
}

func (k *kindBoards) Boards(ctx context.Context, codes []string) ([]model.BoardMove, error) {
	k.mu.Lock()
	k.kinds = append(k.kinds, httpx.KindOf(ctx))
	k.mu.Unlock()
	dl, _ := ctx.Deadline()
	time.Sleep(time.Until(dl) - 20*time.Millisecond) // a slow board list, just within its deadline
	return k.fakeBoards.Boards(ctx, codes)
}

func (k *kindBoards) Constituents(ctx context.Context, code string) ([]model.Quote, error) {
	k.mu.Lock()
	k.kinds = append(k.kinds, httpx.KindOf(ctx))
	k.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return k.fakeBoards.Constituents(ctx, code)
}

// Requests carry their data kind (for the host's fair queue), and the
// constituents have a deadline of their own, not what the board list left.
func TestMembersHaveTheirOwnDeadlineAndKind(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	kb := &kindBoards{c: c}
	p := NewPoller(PollerConfig{
		Boards: kb, BoardList: []string{"BK0578"}, AlwaysOpen: true, Now: c.Now,
		Timeouts: Timeouts{Quotes: time.Second, History: time.Second, Margin: time.Second, Boards: 150 * time.Millisecond, Elements: time.Second},
	})
	b := runDue(t, p)
	if fmt.Sprint(kb.kinds) != "[boards members]" {
		t.Errorf("request kinds %v", kb.kinds)
	}
	if h := healthOf(b.Health, "boards", "members"); h.State != model.FeedOK || len(b.Members["BK0578"]) != 1 {
		t.Errorf("members after a slow board list: %+v", h)
	}
}
