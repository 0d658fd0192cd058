package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/dashboard"
	"github.com/rareterm/rareterm/ui/screens/help"
	"github.com/rareterm/rareterm/ui/screens/ticker"
	"github.com/rareterm/rareterm/ui/widgets"
)

func TestPanelsShowFigures(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	s := screenText(m)
	for _, want := range []string{
		"600111", "北方稀土", "49.41", "+1.40%", // (49.41/48.73−1) = 1.3954%
		"2026Q1", "26,834", "+2.40%", "±536.68/1%", // contract and its REO step
		"2026Q1: 6 consecutive increases",
		"2023Q4", "not published",
		"稀土永磁", "+2.84%", "lead 中科三环",
		"A股 open 10:31:05 CST", "港股 open",
		"● eastmoney 2s", "○ sina standby",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(s, "DEMO") {
		t.Error("DEMO badge shown outside demo mode")
	}
	if !strings.Contains(screenText(sized(fixtureModel(true), 160, 48)), "DEMO") {
		t.Error("no DEMO badge in demo mode")
	}
}

func TestCJKColumnsAlign(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	text := ansi.Strip(dash(m).Frame(dashboard.Watch))
	// The price column must end at the same cell on every quoted row,
	// whatever the width of the name.
	col := -1
	for _, l := range strings.Split(text, "\n") {
		for _, p := range []string{"49.41", "2.000", "45.62", "31.20", "20.40", "1.527"} {
			if i := strings.Index(l, p); i >= 0 {
				end := ansi.StringWidth(l[:i]) + len(p)
				if col == -1 {
					col = end
				} else if end != col {
					t.Errorf("price %s ends at cell %d, others at %d:\n%s", p, end, col, text)
				}
			}
		}
	}
	if col == -1 {
		t.Fatal("no prices found in the watchlist panel")
	}
}

func TestTabEnterEscFlow(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	press(m, "tab", "tab") // elements → index → watchlist
	if dash(m).Focus() != dashboard.Watch {
		t.Fatalf("focus = %v, want watchlist", dash(m).Focus())
	}
	press(m, "down", "enter")
	if tk := top[*ticker.Screen](t, m); tk.Code() != "600010" {
		t.Fatalf("enter opened %s, want the ticker 600010", tk.Code())
	}
	s := screenText(m)
	for _, want := range []string{"600010 包钢股份", "Limit up", "2.18", "Margin financing", "Boards: 钢铁行业 BK0479", "1Y"} {
		if !strings.Contains(s, want) {
			t.Errorf("ticker view lacks %q", want)
		}
	}
	press(m, "esc")
	if len(m.stack) != 1 {
		t.Fatal("esc did not go back to the dashboard")
	}
	press(m, "shift+tab")
	if dash(m).Focus() != dashboard.Index {
		t.Fatalf("shift+tab: focus = %v, want index", dash(m).Focus())
	}
}

func TestRangesAndOverlay(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	press(m, "tab", "tab", "enter")
	tk := top[*ticker.Screen](t, m)
	if tk.Range() != widgets.Range1Y {
		t.Fatalf("default range %d, want 1Y", tk.Range())
	}
	press(m, "3")
	pts, _ := tk.Series(tk.Range())
	if len(pts) != 23 { // 22 daily closes plus today's live quote
		t.Errorf("1M range has %d points, want 23", len(pts))
	}
	if pts[len(pts)-1] != 49.41 {
		t.Errorf("the last point is %v, want the live 49.41", pts[len(pts)-1])
	}
	press(m, "right") // on candles, → shows the crosshair on the last bar
	if tk.Range() != widgets.Range1M || tk.Cursor() < 0 {
		t.Errorf("right on 1M: range %d cursor %d, want 1M with the crosshair", tk.Range(), tk.Cursor())
	}
	press(m, "4")
	if tk.Range() != widgets.Range6M || tk.Cursor() != -1 {
		t.Errorf("4: range %d cursor %d, want 6M without the crosshair", tk.Range(), tk.Cursor())
	}
	press(m, "o")
	if !strings.Contains(screenText(m), "PrNd oxide rebased") {
		t.Error("overlay legend missing after o")
	}
	press(m, "1")
	if !strings.Contains(screenText(m), "no history cached for this range yet") {
		t.Error("1D without intraday quotes should say so")
	}
}

func TestUnfocusedSelectionIsMarked(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48) // NO_COLOR: the blurred selection is underlined
	press(m, "tab", "tab", "down", "tab")    // select 600010 in the watchlist, move on
	text := dash(m).Frame(dashboard.Watch)
	var marked string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, "\x1b[4m") || strings.Contains(l, "\x1b[4;4m") { // underline
			marked += ansi.Strip(l)
		}
	}
	if !strings.Contains(marked, "600010") || strings.Contains(marked, "600111") {
		t.Errorf("the unfocused watchlist marks %q, want the 600010 row only", marked)
	}
}

func TestColoursFollowConvention(t *testing.T) {
	up := func(western bool) string {
		m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Western: western, Now: func() time.Time { return fixtureNow }})
		return m.c.Styles.Up.Render("x")
	}
	chinese, western := up(false), up(true)
	if chinese == western {
		t.Fatal("colors = western does not change the up colour")
	}
	if !strings.Contains(chinese, "239;68;68") { // #ef4444, red
		t.Errorf("Chinese convention: up should be red, got %q", chinese)
	}
	m := New(Deps{NoColor: true, Now: func() time.Time { return fixtureNow }})
	if s := m.c.Styles.Up.Render("x"); s != "x" {
		t.Errorf("NO_COLOR: up style still colours: %q", s)
	}
}

func TestBatchUpdatesScreenAndStaleness(t *testing.T) {
	now := fixtureNow
	m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Now: func() time.Time { return now }, NoColor: true})
	sized(m, 160, 48)
	q := m.mkt.St.Quotes["600111"]
	q.Last, q.Time = 50.46, now.Add(time.Second)
	send(m, BatchMsg{Batch: model.Batch{At: now, Quotes: []model.Quote{q}, Health: fixtureHealth()}})
	if !strings.Contains(screenText(m), "50.46") {
		t.Fatal("a new quote did not reach the screen")
	}
	if m.mkt.QuoteStale("600111") {
		t.Fatal("a quote that just arrived is stale")
	}
	now = now.Add(time.Minute) // 12 cadences later
	send(m, tickMsg{seq: m.tickSeq})
	if !m.mkt.QuoteStale("600111") {
		t.Fatal("a minute-old quote on a 5-s feed is not stale")
	}
}

func TestFailingFeedKeepsLastData(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	h := fixtureHealth()
	h[0].State, h[0].Failures, h[0].LastErr = model.FeedFailing, 3, "eastmoney: HTTP 500\x1b[31m"
	send(m, BatchMsg{Batch: model.Batch{At: fixtureNow, Health: h}})
	s := screenText(m)
	if !strings.Contains(s, "✗ eastmoney failing×3") {
		t.Errorf("status bar does not say the feed fails:\n%s", s)
	}
	if strings.Contains(m.View().Content, "\x1b[31m") {
		t.Error("an escape sequence from an error reached the screen")
	}
	if !strings.Contains(s, "49.41") {
		t.Error("the last good quote left the screen")
	}
}

// The status bar and the feed health view read one health model: with
// both quote feeds down they both say OFFLINE, however well history and
// margin answered, and a store that cannot write shows in red in both.
func TestStatusBarAndHealthViewAgree(t *testing.T) {
	m := sized(fixtureModel(false), 200, 48)
	h := []model.FeedHealth{
		{Feed: "eastmoney", Kind: "quotes", State: model.FeedFailing, Failures: 4, LastErr: "HTTP 502", FailingSince: fixtureNow.Add(-3 * time.Minute)},
		{Feed: "eastmoney", Kind: "history", State: model.FeedOK, LastOK: fixtureNow.Add(-time.Minute)},
		{Feed: "eastmoney", Kind: "margin", State: model.FeedOK, LastOK: fixtureNow.Add(-time.Minute), Cadence: time.Hour},
		{Feed: "sina", Kind: "quotes", State: model.FeedFailing, Failures: 2, LastErr: "timeout", FailingSince: fixtureNow.Add(-3 * time.Minute)},
		{Feed: model.StoreFeed, Kind: model.KindWrite, State: model.FeedFailing, Failures: 1, LastErr: "no space left on device", FailingSince: fixtureNow, NextTry: fixtureNow.Add(2 * time.Second)},
	}
	send(m, BatchMsg{Batch: model.Batch{At: fixtureNow, Health: h}})
	bar := screenText(m)
	if !strings.Contains(bar, "OFFLINE 3m") || !strings.Contains(bar, "store failing: no space left on device") {
		t.Errorf("status bar:\n%s", bar)
	}
	press(m, "F")
	view := screenText(m)
	if !strings.Contains(view, "OFFLINE for 3m") || !strings.Contains(view, "store failing ×1") {
		t.Errorf("feed health view:\n%s", view)
	}
	// The next good answer heals the feed in both at once.
	h[0] = model.FeedHealth{Feed: "eastmoney", Kind: "quotes", State: model.FeedOK, LastOK: fixtureNow, Cadence: 5 * time.Second}
	send(m, BatchMsg{Batch: model.Batch{At: fixtureNow, Health: h}})
	if view := screenText(m); strings.Contains(view, "OFFLINE") || !strings.Contains(view, "quotes from eastmoney") {
		t.Errorf("after recovery:\n%s", view)
	}
}

func TestHelpListsEveryBinding(t *testing.T) {
	m := sized(fixtureModel(false), 200, 70)
	press(m, "?")
	hs := top[*help.Screen](t, m)
	s := screenText(m)
	for _, g := range hs.FullHelp() {
		for _, b := range g {
			if !strings.Contains(s, b.Help().Desc) {
				t.Errorf("help lacks %q", b.Help().Desc)
			}
		}
	}
	for _, sec := range []string{"Everywhere", "Dashboard", "Ticker", "Element and index", "Contract", "Board", "Search", "Command line"} {
		if !strings.Contains(s, sec) {
			t.Errorf("help has no %q group", sec)
		}
	}
	press(m, "?")
	if len(m.stack) != 1 {
		t.Error("? did not close the help")
	}
}

// The footer is the active screen's short help, from its key map.
func TestFooterIsTheScreensShortHelp(t *testing.T) {
	m := sized(fixtureModel(false), 200, 40)
	press(m, "tab", "tab", "enter")
	s := screenText(m)
	foot := s[strings.LastIndex(s, "\n")+1:]
	for _, b := range m.Top().ShortHelp() {
		if !strings.Contains(foot, b.Help().Key+" "+b.Help().Desc) {
			t.Errorf("footer lacks %q: %q", b.Help().Key+" "+b.Help().Desc, foot)
		}
	}
}

func BenchmarkDashboardView(b *testing.B) {
	m := sized(fixtureModel(false), 160, 48)
	for b.Loop() {
		m.updateTop(common.RefreshMsg{}) // measure a full render, not the cache
		_ = m.View()
	}
}

func BenchmarkDashboardViewColour(b *testing.B) {
	m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Boards: []string{"BK0578", "BK1027", "BK0479"}, Health: fixtureHealth(), Now: func() time.Time { return fixtureNow }})
	sized(m, 160, 48)
	for b.Loop() {
		m.updateTop(common.RefreshMsg{})
		_ = m.View()
	}
}

func BenchmarkDashboardViewCached(b *testing.B) {
	m := sized(fixtureModel(false), 160, 48)
	for b.Loop() {
		_ = m.View()
	}
}

func TestClockRedrawsTheBodyOnlyWhenSomethingTurnsStale(t *testing.T) {
	now := fixtureNow
	m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Health: fixtureHealth(), NoColor: true, Now: func() time.Time { return now }})
	sized(m, 160, 48)
	m.mkt.SeenAt["600111"] = fixtureNow // cadence 5 s: stale after 5 s + 30 s (model.StaleAfter)
	renders := dash(m).Renders
	now = now.Add(time.Second)
	send(m, tickMsg{seq: m.tickSeq})
	if dash(m).Renders != renders {
		t.Error("a tick with nothing turning stale redraws the body")
	}
	now = fixtureNow.Add(36 * time.Second)
	send(m, tickMsg{seq: m.tickSeq})
	if dash(m).Renders != renders+1 {
		t.Error("the tick on which 600111 turned stale did not redraw the body")
	}
	now = now.Add(time.Second)
	send(m, tickMsg{seq: m.tickSeq})
	if dash(m).Renders != renders+1 {
		t.Error("an already stale quote redraws the body every second")
	}
	// The header's clock still moves: it is drawn every frame.
	if !strings.Contains(screenText(m), "10:31:42 CST") {
		t.Error("the status bar clock did not advance")
	}
}

var _ tea.Model = (*Model)(nil)
