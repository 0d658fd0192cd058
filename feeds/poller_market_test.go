package feeds

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

type fakeUniverse struct {
	mu    sync.Mutex
	segs  map[string]int // segment → rows
	fail  map[string]int // "seg/pn" → failures left
	calls []string
}

func (f *fakeUniverse) Name() string       { return "fake" }
func (f *fakeUniverse) Segments() []string { return []string{"A", "HK", "ETF"} }
func (f *fakeUniverse) UniversePage(_ context.Context, seg string, pn int) ([]model.Symbol, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := fmt.Sprintf("%s/%d", seg, pn)
	f.calls = append(f.calls, k)
	if f.fail[k] > 0 {
		f.fail[k]--
		return nil, 0, errors.New("reset by peer")
	}
	n := f.segs[seg]
	var out []model.Symbol
	for i := (pn - 1) * 100; i < min(pn*100, n); i++ {
		s := model.Symbol{Code: fmt.Sprintf("6%05d", i), Market: model.MarketSSE, Name: "样本"}
		if seg == "HK" {
			s = model.Symbol{Code: fmt.Sprintf("%05d", i), Market: model.MarketHKEX, Name: "港股"}
		}
		out = append(out, s)
	}
	return out, n, nil
}

type memMarket struct {
	mu      sync.Mutex
	uni     model.Universe
	hasUni  bool
	ladders map[time.Time]model.Ladder
	sector  []string
	secDay  time.Time
}

func (m *memMarket) Universe() (model.Universe, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.uni, m.hasUni, nil
}
func (m *memMarket) SaveUniverse(u model.Universe) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.uni, m.hasUni = u, true
	return nil
}
func (m *memMarket) SaveLadder(l model.Ladder) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ladders == nil {
		m.ladders = map[time.Time]model.Ladder{}
	}
	m.ladders[l.Day] = l
	return nil
}
func (m *memMarket) LadderAsOf(t time.Time) (model.Ladder, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var best model.Ladder
	for d, l := range m.ladders {
		if !d.After(model.Day(t)) && len(l.Rows) > 0 && d.After(best.Day) {
			best = l
		}
	}
	return best, len(best.Rows) > 0, nil
}
func (m *memMarket) Sector() ([]string, time.Time, bool, error) {
	return m.sector, m.secDay, len(m.sector) > 0, nil
}
func (m *memMarket) SaveSector(d time.Time, c []string, _ string) error {
	m.sector, m.secDay = c, d
	return nil
}

func TestFetchUniverseWalksEverySegment(t *testing.T) {
	src := &fakeUniverse{segs: map[string]int{"A": 250, "HK": 40}, fail: map[string]int{"A/2": 1}}
	mp := NewMarketPoller(MarketConfig{Universe: src, PageGap: time.Millisecond})
	u, err := mp.FetchUniverse(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Symbols) != 290 {
		t.Errorf("%d symbols", len(u.Symbols))
	}
	want := []string{"A/1", "A/2", "A/2", "A/3", "HK/1", "ETF/1"}
	if fmt.Sprint(src.calls) != fmt.Sprint(want) {
		t.Errorf("pages %v, want %v", src.calls, want)
	}
	// A list far shorter than the cached one is not taken.
	if _, err := mp.FetchUniverse(context.Background(), 1000); err == nil {
		t.Error("a truncated universe replaced the cached one")
	}
	// A page that keeps failing fails the walk.
	src.fail["A/1"] = 3
	if _, err := mp.FetchUniverse(context.Background(), 0); err == nil {
		t.Error("a failing page passed")
	}
}

func TestUniverseRefreshedOncePerTradingDay(t *testing.T) {
	now := time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST) // a Friday session
	src := &fakeUniverse{segs: map[string]int{"A": 120}}
	st := &memMarket{uni: model.Universe{Day: model.Date(2026, 1, 8), Symbols: []model.Symbol{{Code: "600519", Name: "贵州茅台"}}}, hasUni: true}
	var got []MarketUpdate
	mp := NewMarketPoller(MarketConfig{Universe: src, Store: st, PageGap: time.Millisecond, Now: func() time.Time { return now },
		Out: func(u MarketUpdate) { got = append(got, u) }})
	step := mp.universeOnce()
	step(context.Background())
	if len(got) != 1 || len(got[0].Universe.Symbols) != 120 {
		t.Fatalf("updates %d", len(got))
	}
	if !st.uni.Day.Equal(model.Date(2026, 1, 9)) || len(st.uni.Symbols) != 120 {
		t.Errorf("stored %v %d", st.uni.Day, len(st.uni.Symbols))
	}
	calls := len(src.calls)
	now = now.Add(5 * time.Hour) // same day: nothing to fetch
	step(context.Background())
	now = time.Date(2026, 1, 10, 10, 0, 0, 0, model.CST) // Saturday: Friday's list still stands
	step(context.Background())
	if len(src.calls) != calls {
		t.Errorf("refetched within the trading day: %v", src.calls)
	}
	now = time.Date(2026, 1, 12, 9, 31, 0, 0, model.CST) // Monday's session
	step(context.Background())
	if len(src.calls) == calls {
		t.Error("a new trading day did not refresh the universe")
	}
}

type fakeLadder struct {
	pools map[time.Time]model.Ladder
	asked []time.Time
	err   error
}

func (f *fakeLadder) Name() string { return "fake" }
func (f *fakeLadder) Ladder(_ context.Context, d time.Time) (model.Ladder, error) {
	f.asked = append(f.asked, d)
	if f.err != nil {
		return model.Ladder{}, f.err
	}
	l, ok := f.pools[d]
	if !ok {
		l = model.Ladder{Day: d}
	}
	return l, nil
}

func TestLadderShowsTheLastDayWithAPool(t *testing.T) {
	mon, fri := model.Date(2026, 1, 12), model.Date(2026, 1, 9)
	now := mon.Add(9*time.Hour + 31*time.Minute) // Monday, no limit-up yet
	src := &fakeLadder{pools: map[time.Time]model.Ladder{fri: {Day: fri, Rows: []model.LimitUp{{Code: "000795", Height: 2}}}}}
	st := &memMarket{}
	var shown []model.Ladder
	mp := NewMarketPoller(MarketConfig{Ladder: src, Store: st, Now: func() time.Time { return now },
		Out: func(u MarketUpdate) { shown = append(shown, *u.Ladder) }})
	if w := mp.ladderOnce(context.Background()); w != time.Minute {
		t.Errorf("cadence in session %v", w)
	}
	if len(shown) != 1 || !shown[0].Day.Equal(fri) || len(shown[0].Rows) != 1 {
		t.Fatalf("shown %+v", shown)
	}
	if _, ok := st.ladders[fri]; !ok {
		t.Error("Friday's pool was not cached")
	}
	// With the feed failing, the cached pool is shown with its day.
	src.err = errors.New("dial tcp: no route")
	shown = nil
	mp.ladderOnce(context.Background())
	if len(shown) != 1 || !shown[0].Day.Equal(fri) {
		t.Errorf("offline shown %+v", shown)
	}
	// After the close, the next look is at the next session's auction.
	src.err = nil
	now = mon.Add(20 * time.Hour)
	if w := mp.ladderWait(now); w > 30*time.Minute {
		t.Errorf("closed cadence %v", w)
	}
	now = time.Date(2026, 1, 13, 9, 0, 0, 0, model.CST)
	if w := mp.ladderWait(now); w != 25*time.Minute+30*time.Second {
		t.Errorf("before the open %v", w)
	}
}

type fakeMembers struct{ calls int }

func (f *fakeMembers) Name() string { return "fake" }
func (f *fakeMembers) Boards(context.Context, []string) ([]model.BoardMove, error) {
	return nil, nil
}
func (f *fakeMembers) Constituents(_ context.Context, code string) ([]model.Quote, error) {
	f.calls++
	return []model.Quote{{Symbol: "600111"}, {Symbol: "000831"}, {Symbol: "516150"}, {Symbol: "600111"}}, nil
}

func TestSectorRefreshedMonthly(t *testing.T) {
	now := time.Date(2026, 2, 3, 10, 0, 0, 0, model.CST)
	st := &memMarket{sector: []string{"600111"}, secDay: model.Date(2026, 1, 5)}
	mem := &fakeMembers{}
	p := NewPoller(PollerConfig{})
	var got [][]string
	mp := NewMarketPoller(MarketConfig{Members: mem, Store: st, Poller: p, Now: func() time.Time { return now },
		Out: func(u MarketUpdate) { got = append(got, u.Sector) }})
	mp.sectorOnce(context.Background())
	if mem.calls != 1 || fmt.Sprint(st.sector) != "[000831 600111]" {
		t.Fatalf("calls %d stored %v", mem.calls, st.sector)
	}
	if len(got) != 2 || fmt.Sprint(got[1]) != "[000831 600111]" {
		t.Errorf("updates %v", got)
	}
	if l := p.marginList(nil); len(l) != 2 {
		t.Errorf("margin list %v", l)
	}
	mp.sectorOnce(context.Background()) // same month: the cached list stands
	if mem.calls != 1 {
		t.Error("refetched within the month")
	}
	// A configured list is used as it is.
	mp = NewMarketPoller(MarketConfig{Sector: []string{"600392"}, Members: mem, Poller: p, Out: func(u MarketUpdate) { got = append(got, u.Sector) }})
	mp.sectorOnce(context.Background())
	if mem.calls != 1 || fmt.Sprint(got[len(got)-1]) != "[600392]" {
		t.Errorf("configured sector: %v", got)
	}
}

func TestMarketPollerShowsTheCacheFirstAndWaitsToFetch(t *testing.T) {
	now := time.Date(2026, 1, 12, 10, 0, 0, 0, model.CST)
	src := &fakeUniverse{segs: map[string]int{"A": 120}}
	st := &memMarket{uni: model.Universe{Day: model.Date(2026, 1, 9), Symbols: []model.Symbol{{Code: "600519", Name: "贵州茅台"}}}, hasUni: true,
		sector: []string{"600111"}, secDay: model.Date(2026, 1, 5)}
	got := make(chan MarketUpdate, 10)
	mp := NewMarketPoller(MarketConfig{Universe: src, Store: st, Delay: time.Hour, Now: func() time.Time { return now },
		Out: func(u MarketUpdate) { got <- u }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { mp.Run(ctx); close(done) }()
	for _, want := range []string{"universe", "sector"} {
		select {
		case u := <-got:
			if (want == "universe") != (u.Universe != nil) {
				t.Errorf("update %+v, want the cached %s", u, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("the cached %s never came", want)
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return when cancelled")
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	if len(src.calls) != 0 {
		t.Errorf("fetched before the delay: %v", src.calls)
	}
}

type fakeFlows struct{ fail map[string]bool }

func (f *fakeFlows) Name() string { return "fake" }
func (f *fakeFlows) FundFlowDays(_ context.Context, sym model.Symbol, n int) (model.ETFFlow, error) {
	if f.fail[sym.Code] {
		return model.ETFFlow{}, errors.New("timeout")
	}
	return model.ETFFlow{Code: sym.Code, Days: []model.FlowDay{{Date: model.Date(2026, 1, 9), Flow: model.Flow{Main: 8.1e6}}}}, nil
}

type memFlows struct{ saved map[string]model.ETFFlow }

func (m *memFlows) SaveETFFlow(f model.ETFFlow) error {
	if m.saved == nil {
		m.saved = map[string]model.ETFFlow{}
	}
	m.saved[f.Code] = f
	return nil
}
func (m *memFlows) ETFFlows() (map[string]model.ETFFlow, error) { return m.saved, nil }

func TestETFFlowsFetchedAndKept(t *testing.T) {
	st := &memFlows{}
	var got []MarketUpdate
	now := time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)
	mp := NewMarketPoller(MarketConfig{Flows: &fakeFlows{fail: map[string]bool{"159713": true}}, FlowStore: st, Now: func() time.Time { return now },
		ETFs: []model.Symbol{{Code: "516150", Market: model.MarketSSE, Name: "稀土ETF"}, {Code: "159713", Market: model.MarketSZSE}},
		Out:  func(u MarketUpdate) { got = append(got, u) }})
	if w := mp.flowOnce(context.Background()); w != 2*time.Minute {
		t.Errorf("after a failure the next try is in %v", w)
	}
	if len(got) != 1 || len(got[0].ETFFlows) != 1 || got[0].ETFFlows["516150"].Name != "稀土ETF" {
		t.Errorf("updates %+v", got)
	}
	if _, ok := st.saved["516150"]; !ok || len(st.saved) != 1 {
		t.Errorf("saved %v", st.saved)
	}
	mp.cfg.Flows = &fakeFlows{}
	if w := mp.flowOnce(context.Background()); w != 10*time.Minute {
		t.Errorf("in session the cadence is %v", w)
	}
}

// A symbol opened off the watchlist is backfilled first and quoted with the
// watchlist.
func TestWantedSymbolIsBackfilledFirstAndQuoted(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	q := &fakeQuotes{name: "eastmoney", price: 10}
	hist := &fakeHistory{reqs: map[string]time.Time{}}
	mg := &fakeMargin{}
	var got []model.Batch
	watch := []model.Symbol{{Code: "600111", Market: model.MarketSSE}, {Code: "600010", Market: model.MarketSSE}, {Code: "000831", Market: model.MarketSZSE}, {Code: "600392", Market: model.MarketSSE}}
	p := NewPoller(PollerConfig{Quotes: []QuoteSource{q}, History: hist, Margin: mg, Watchlist: watch, AlwaysOpen: true, BackfillPerCycle: 1,
		Now: c.Now, Rand: func() float64 { return 0.5 }, Out: func(b model.Batch) { got = append(got, b) }})
	p.Want(model.Symbol{Code: "600519", Market: model.MarketSSE, Name: "贵州茅台"})
	p.Want(model.Symbol{Code: "BK0578", Market: model.MarketBoard}) // a board is not a ticker
	b, err := p.Cycle(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := hist.reqs["600519"]; !ok || len(hist.reqs) != 1 {
		t.Errorf("the first backfill went to %v, want 600519 alone", hist.reqs)
	}
	quoted := map[string]bool{}
	for _, x := range b.Quotes {
		quoted[x.Symbol] = true
	}
	if !quoted["600519"] || !quoted["600111"] || quoted["BK0578"] {
		t.Errorf("quoted %v", quoted)
	}
	if !slices.Contains(mg.syms, "600519") {
		t.Errorf("margin asked for %v", mg.syms)
	}
}

// Outside the session the ladder and the ETF flows cannot change: a failure
// waits as long as a success would, not two minutes.
func TestMarketFeedsFailingOutsideTheSessionWaitTheirClosedCadence(t *testing.T) {
	now := time.Date(2026, 1, 10, 10, 0, 0, 0, model.CST) // a Saturday
	mp := NewMarketPoller(MarketConfig{Ladder: &fakeLadder{err: errors.New("dial tcp: connection refused")},
		Flows: &fakeFlows{fail: map[string]bool{"516150": true}}, ETFs: []model.Symbol{{Code: "516150", Market: model.MarketSSE}},
		Now: func() time.Time { return now }, Out: func(MarketUpdate) {}})
	if w, want := mp.ladderOnce(context.Background()), mp.ladderWait(now); w != want || w <= 2*time.Minute {
		t.Errorf("a failing ladder waits %v on a Saturday, want its closed cadence %v", w, want)
	}
	if w := mp.flowOnce(context.Background()); w != time.Hour {
		t.Errorf("failing flows wait %v on a Saturday, want an hour", w)
	}
	// In the session a failure is tried again soon.
	now = time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)
	if w := mp.ladderOnce(context.Background()); w != 2*time.Minute {
		t.Errorf("a failing ladder waits %v in the session, want 2m", w)
	}
}
