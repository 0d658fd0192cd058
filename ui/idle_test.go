package ui

import (
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/rareterm/rareterm/internal/termcost"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/dashboard"
	"github.com/rareterm/rareterm/ui/widgets"
)

// fakeClock is a clock the test moves, with the model's wake-ups on it:
// a wake-up's command returns only once the clock has reached it.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
	delays  []time.Duration // every wake-up asked for, in order
	// async: the wake-up's command waits for the clock (a running
	// program); otherwise it is nil and the test delivers the tick.
	async bool
}

type fakeWaiter struct {
	at time.Time
	ch chan struct{}
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.delays = append(c.delays, d)
	if !c.async {
		return nil
	}
	w := fakeWaiter{at: c.now.Add(d), ch: make(chan struct{})}
	c.waiters = append(c.waiters, w)
	return func() tea.Msg { <-w.ch; return fn(w.at) }
}

// Set moves the clock to t and releases the wake-ups due by then.
func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(t) {
			kept = append(kept, w)
			continue
		}
		close(w.ch)
	}
	c.waiters = kept
}

func (c *fakeClock) asked() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.delays...)
}

// Saturday: no market trades, the clock shows HH:MM.
var saturday = time.Date(2026, 1, 10, 10, 31, 5, 500_000_000, model.CST)

func idleModel(c *fakeClock, offline bool) *Model {
	health := []model.FeedHealth{{Feed: "eastmoney", Kind: "quotes", State: model.FeedOK, LastOK: c.Now(), Cadence: 5 * time.Second}}
	m := New(Deps{
		Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Health: health, NoColor: true, Offline: offline,
		Ticks: true, Now: c.Now, Tick: c.Tick,
	})
	if !offline {
		m.mkt.SeenAt["600111"] = c.Now() // stale 35 s later (a 5-s feed: model.StaleAfter)
	}
	return sized(m, 160, 48)
}

// tickDue moves the clock to the pending wake-up and delivers it.
func tickDue(t *testing.T, c *fakeClock, m *Model) {
	t.Helper()
	if m.Due().IsZero() {
		t.Fatal("no wake-up pending")
	}
	c.Set(m.Due())
	send(m, tickMsg{seq: m.tickSeq})
}

func TestOfflineWakesOnceAMinute(t *testing.T) {
	c := &fakeClock{now: saturday}
	m := idleModel(c, true)
	send(m, m.Init())
	if got := m.Due(); !got.Equal(time.Date(2026, 1, 10, 10, 32, 0, 0, model.CST)) {
		t.Fatalf("first wake-up at %v, want the next minute", got.In(model.CST))
	}
	if !strings.Contains(screenText(m), "10:31 CST") {
		t.Errorf("the offline status bar does not show HH:MM:\n%s", screenText(m))
	}
	for i := range 3 {
		tickDue(t, c, m)
		if got, want := m.Due().Sub(c.Now()), time.Minute; got != want {
			t.Fatalf("wake-up %d: the next one %v later, want %v", i, got, want)
		}
	}
	if n := len(c.asked()); n != 4 {
		t.Errorf("%d wake-ups asked for over 3 minutes, want 4", n)
	}
}

func TestClosedMarketWakesOnlyWhenSomethingChanges(t *testing.T) {
	c := &fakeClock{now: saturday}
	m := idleModel(c, false)
	send(m, m.Init())
	stale := saturday.Add(35*time.Second + time.Nanosecond) // the first moment 600111 is older than 35 s
	if got := m.Due(); !got.Equal(stale) {
		t.Fatalf("first wake-up at %v, want when 600111 turns stale (%v)", got.In(model.CST), stale.In(model.CST))
	}
	// A quote of another symbol arriving turns stale later: no new wake-up.
	c.Set(saturday.Add(10 * time.Second))
	q := m.mkt.St.Quotes["06680"]
	send(m, BatchMsg{Batch: model.Batch{At: c.Now(), Quotes: []model.Quote{q}, Health: m.mkt.Health}})
	if n := len(c.asked()); n != 1 {
		t.Errorf("%d wake-ups asked for, want 1: a later threshold replaced an earlier one", n)
	}
	renders := dash(m).Renders
	tickDue(t, c, m)
	if !m.mkt.QuoteStale("600111") || dash(m).Renders != renders+1 {
		t.Fatalf("at its threshold 600111 stale=%v, body redrawn %d times; want stale, redrawn once", m.mkt.QuoteStale("600111"), dash(m).Renders-renders)
	}
	// Then 06680's threshold, then only the minutes.
	want := []time.Time{
		saturday.Add(45*time.Second + time.Nanosecond),
		time.Date(2026, 1, 10, 10, 32, 0, 0, model.CST),
		time.Date(2026, 1, 10, 10, 33, 0, 0, model.CST),
	}
	for _, w := range want {
		if got := m.Due(); !got.Equal(w) {
			t.Fatalf("next wake-up at %v, want %v", got.In(model.CST), w.In(model.CST))
		}
		tickDue(t, c, m)
	}
}

func TestTradingClockTicksEachSecond(t *testing.T) {
	c := &fakeClock{now: fixtureNow.Add(200 * time.Millisecond)} // a Friday, 10:31, trading
	m := idleModel(c, false)
	send(m, m.Init())
	if got := m.Due().Sub(c.Now()); got != 800*time.Millisecond {
		t.Errorf("next wake-up in %v, want at the next second", got)
	}
	tickDue(t, c, m)
	if !strings.Contains(screenText(m), "10:31:06 CST") {
		t.Errorf("the trading clock does not show seconds:\n%s", screenText(m))
	}
}

// View after a message that changed nothing drawn returns the screen it
// made last, without copying it again; a change makes a new one.
func TestViewReusesAnUnchangedScreen(t *testing.T) {
	c := &fakeClock{now: fixtureNow.Add(200 * time.Millisecond)} // a Friday, 10:31:05, trading
	m := idleModel(c, false)
	send(m, m.Init())
	a := m.render()
	if b := m.render(); unsafe.StringData(a) != unsafe.StringData(b) {
		t.Error("View copied an unchanged screen")
	}
	tickDue(t, c, m)
	b := m.render()
	if b == a || !strings.Contains(b, "10:31:06 CST") {
		t.Errorf("the clock's tick did not make a new screen:\n%s", b)
	}
}

// idleView records, after each message, what the tests wait for.
type idleView struct {
	m       *Model
	screen  atomic.Value // string
	stale   atomic.Bool  // 600111 drawn stale
	renders atomic.Int64 // body redraws
	now     atomic.Int64 // the model's clock, UnixNano
}

func (o *idleView) Init() tea.Cmd { return o.m.Init() }
func (o *idleView) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := o.m.Update(msg)
	// The screen last: a test that sees a screen sees the counts that
	// go with it.
	o.stale.Store(o.m.mkt.QuoteStale("600111"))
	o.renders.Store(int64(dash(o.m).Renders))
	o.now.Store(o.m.mkt.Now.UnixNano())
	o.screen.Store(screenText(o.m))
	return o, cmd
}
func (o *idleView) View() tea.View { return o.m.View() }

func (o *idleView) waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s never happened:\n%s", what, o.screen.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// terminal replays what a program writes on a terminal model, so a test
// reads what the terminal shows (through the renderer and its frame timer,
// which stops while nothing is dirty), not what the model would draw.
type terminal struct {
	out io.Reader
	scr *termcost.Screen
}

func newTerminal(out io.Reader, w, h int) *terminal {
	scr := termcost.NewScreen(w, h)
	scr.MapNewline = true // the program's input is not a tty: a line feed also returns
	return &terminal{out: out, scr: scr}
}

// row returns the text of the first row holding s, and its index (-1 when none).
func (tt *terminal) row(s string) (string, int) {
	for y, l := range tt.scr.Lines() {
		if strings.Contains(l, s) {
			return l, y
		}
	}
	return "", -1
}

// waitUntil feeds the terminal what the program writes until ok holds.
func (tt *terminal) waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := io.Copy(tt.scr, tt.out); err != nil {
			t.Fatal(err)
		}
		if err := tt.scr.Err(); err != nil {
			t.Fatalf("the terminal model: %v", err)
		}
		if ok() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never shown on the terminal:\n%s", what, strings.Join(tt.scr.Lines(), "\n"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestTeatestIdleScreenUpdatesWhenItsDataChanges(t *testing.T) {
	c := &fakeClock{now: saturday, async: true}
	m := idleModel(c, false)
	// 600010 turns stale with 600111; unlike 600111, the watchlist's
	// selected row, it shows its staleness (dimmed) on the terminal.
	m.mkt.SeenAt["600010"] = c.Now()
	v := &idleView{m: m}
	v.screen.Store("")
	tm := teatest.NewTestModel(t, v, teatest.WithInitialTermSize(160, 48), teatest.WithProgramOptions(
		tea.WithColorProfile(colorprofile.ANSI256), tea.WithEnvironment([]string{"TERM=xterm-256color"})))
	term := newTerminal(tm.Output(), 160, 48)
	v.waitUntil(t, "the first screen", func() bool { return strings.Contains(v.screen.Load().(string), "10:31 CST") })
	term.waitUntil(t, "the first screen", func() bool { _, y := term.row("10:31 CST"); return y >= 0 })
	if row, _ := term.row("600111"); strings.Contains(row, "50.46") {
		t.Fatalf("the quote the test sends is on screen already: %q", row)
	}

	// A quote arriving, while the renderer has long stopped its frame timer.
	time.Sleep(600 * time.Millisecond) // well past the idle frames after which it stops
	q := m.mkt.St.Quotes["600111"]
	q.Last, q.Time = 50.46, c.Now()
	tm.Send(BatchMsg{Batch: model.Batch{At: c.Now(), Quotes: []model.Quote{q}, Health: m.mkt.Health}})
	v.waitUntil(t, "the new quote on screen", func() bool { return strings.Contains(v.screen.Load().(string), "50.46") })
	term.waitUntil(t, "the new quote", func() bool { row, _ := term.row("600111"); return strings.Contains(row, "50.46") })
	if _, y := term.row("600010 包钢股份"); y < 0 || strings.Contains(term.scr.Faint(y), "600010") {
		t.Fatal("600010 is not on the terminal, or drawn stale before its threshold")
	}

	// A staleness threshold passing: redrawn then, not before.
	renders := v.renders.Load()
	c.Set(saturday.Add(35 * time.Second))
	time.Sleep(20 * time.Millisecond) // nothing is due: nothing may arrive
	if v.stale.Load() || v.renders.Load() != renders {
		t.Fatal("the body changed before any threshold passed")
	}
	threshold := saturday.Add(35*time.Second + time.Nanosecond)
	c.Set(threshold)
	v.waitUntil(t, "600111 drawn stale", func() bool { return v.stale.Load() && v.renders.Load() == renders+1 })
	if got := time.Unix(0, v.now.Load()); !got.Equal(threshold) {
		t.Errorf("redrawn stale at %v, want at the threshold %v", got.In(model.CST), threshold.In(model.CST))
	}
	term.waitUntil(t, "600010 dimmed", func() bool {
		_, y := term.row("600010 包钢股份")
		return strings.Contains(term.scr.Faint(y), "600010 包钢股份")
	})

	// The clock's minute turning.
	c.Set(time.Date(2026, 1, 10, 10, 32, 0, 0, model.CST))
	v.waitUntil(t, "the status bar at 10:32", func() bool { return strings.Contains(v.screen.Load().(string), "10:32 CST") })
	term.waitUntil(t, "the status bar at 10:32", func() bool { _, y := term.row("10:32 CST"); return y >= 0 })

	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(30*time.Second))
}

// A quote for one symbol redraws the body, but of its panels only those
// whose rows changed are framed anew: the watchlist, not the element
// prices, the index or the contract. The screen is what a full render gives.
func TestAQuoteReframesOnlyThePanelsItChanges(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	d := dash(m)
	before := d.Framed
	q := m.mkt.St.Quotes["600111"]
	q.Last += 0.37
	q.Time = q.Time.Add(5 * time.Second)
	renders, charted := d.Renders, d.Charted
	send(m, BatchMsg{Batch: model.Batch{At: q.Time, Quotes: []model.Quote{q}}})
	if d.Charted != charted {
		t.Error("the index chart was drawn anew for a quote")
	}
	if d.Renders != renders+1 {
		t.Fatalf("the body was rendered %d times for a quote, want once", d.Renders-renders)
	}
	for _, p := range []dashboard.Panel{dashboard.Elements, dashboard.Index, dashboard.Contract} {
		if d.Framed[p] != before[p] {
			t.Errorf("the %s panel was framed anew for a quote of 600111", dashboard.PanelNames[p])
		}
	}
	if d.Framed[dashboard.Watch] != before[dashboard.Watch]+1 {
		t.Errorf("the watchlist was framed %d times for a quote of 600111, want once", d.Framed[dashboard.Watch]-before[dashboard.Watch])
	}
	// What the cached frames make is what drawing every panel makes.
	fresh := sized(fixtureModel(false), 160, 48)
	fresh.mkt.Apply(model.Batch{At: q.Time, Quotes: []model.Quote{q}})
	fresh.mkt.Now = m.mkt.Now
	fresh.updateTop(common.RefreshMsg{})
	if got, want := screenText(m), screenText(fresh); got != want {
		t.Errorf("the body from cached frames differs from a full render:\n%s\nwant:\n%s", got, want)
	}
}

// The status bar's key hints are drawn again when a key's help, its
// enabled state or the room changes, and otherwise reused.
func TestKeyHintsAreDrawnAgainOnlyWhenTheyChange(t *testing.T) {
	st := widgets.NewStyles(false, true)
	open := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open"))
	find := key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search"))
	c := &hintCache{}
	first := c.view(st.HelpKey, st.HelpDesc, 80, []key.Binding{open, find})
	if !strings.Contains(first, "open") || !strings.Contains(first, "search") {
		t.Fatalf("hints %q", first)
	}
	if again := c.view(st.HelpKey, st.HelpDesc, 80, []key.Binding{open, find}); again != first || c.drawn != 1 {
		t.Errorf("the same keys drawn %d times: %q", c.drawn, again)
	}
	find.SetEnabled(false)
	if got := c.view(st.HelpKey, st.HelpDesc, 80, []key.Binding{open, find}); strings.Contains(got, "search") {
		t.Errorf("a disabled key still hinted: %q", got)
	}
	find.SetEnabled(true)
	find.SetHelp("/", "find")
	if got := c.view(st.HelpKey, st.HelpDesc, 80, []key.Binding{open, find}); !strings.Contains(got, "find") {
		t.Errorf("a key's new help not drawn: %q", got)
	}
	drawn := c.drawn
	if c.view(st.HelpKey, st.HelpDesc, 40, []key.Binding{open, find}); c.drawn != drawn+1 {
		t.Errorf("hints not drawn again for new room")
	}
}
