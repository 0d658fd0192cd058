package ui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/model"
)

// updating reports whether -update was given (the flag is registered by
// teatest's golden package, which this package's tests import).
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func sized(m *Model, w, h int) *Model {
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func screenText(m *Model) string { return ansi.Strip(m.View().Content) }

func press(m *Model, keys ...string) {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab}
		case "shift+tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		case "up":
			msg = tea.KeyPressMsg{Code: tea.KeyUp}
		case "left":
			msg = tea.KeyPressMsg{Code: tea.KeyLeft}
		case "right":
			msg = tea.KeyPressMsg{Code: tea.KeyRight}
		case "space":
			msg = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
		default:
			r := []rune(k)[0]
			msg = tea.KeyPressMsg{Code: r, Text: k}
		}
		m.Update(msg)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

// checkFits asserts the screen has at most h lines, none wider than w.
func checkFits(t *testing.T, label, s string, w, h int) {
	t.Helper()
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		t.Fatalf("%s: %d lines for a %d-line terminal", label, len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("%s: line %d is %d cells wide for a %d-cell terminal: %q", label, i, lw, w, l)
		}
	}
}

func TestDashboardGolden(t *testing.T) {
	for _, sz := range [][2]int{{160, 48}, {80, 24}, {120, 40}} {
		m := sized(fixtureModel(true), sz[0], sz[1])
		s := screenText(m)
		checkFits(t, "dashboard", s, sz[0], sz[1])
		golden(t, fmt.Sprintf("dashboard_%dx%d", sz[0], sz[1]), s)
	}
}

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

// Every panel's golden at both sizes, cut out of the screen.
func TestPanelGoldens(t *testing.T) {
	for _, sz := range [][2]int{{160, 48}, {80, 24}} {
		m := sized(fixtureModel(false), sz[0], sz[1])
		rects, single := m.layout(sz[0], sz[1]-2)
		if single {
			t.Fatalf("%dx%d should use the grid layout", sz[0], sz[1])
		}
		for p := panelID(0); p < numPanels; p++ {
			text := ansi.Strip(m.framePanel(p, rects[p]))
			golden(t, fmt.Sprintf("panel_%s_%dx%d", strings.ToLower(panelNames[p]), sz[0], sz[1]), text)
		}
	}
}

func TestCJKColumnsAlign(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	rects, _ := m.layout(160, 46)
	text := ansi.Strip(m.framePanel(pWatch, rects[pWatch]))
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

func TestSizeMatrixNeverOverflows(t *testing.T) {
	screens := []func(m *Model){
		func(m *Model) {},
		func(m *Model) { press(m, "tab", "tab", "enter") }, // ticker detail
		func(m *Model) { press(m, "?") },
		func(m *Model) { press(m, "F") },
		func(m *Model) { press(m, "tab", "tab", "enter", "o", "2") },
	}
	for w := 20; w <= 240; w += 11 {
		for h := 5; h <= 70; h += 7 {
			for i, setup := range screens {
				m := fixtureModel(true)
				sized(m, w, h)
				setup(m)
				s := screenText(m)
				checkFits(t, fmt.Sprintf("screen %d at %dx%d", i, w, h), s, w, h)
			}
		}
	}
}

func TestTabEnterEscFlow(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	press(m, "tab", "tab") // elements → index → watchlist
	if m.focus != pWatch {
		t.Fatalf("focus = %v, want watchlist", m.focus)
	}
	press(m, "down", "enter")
	if m.top().kind != screenTicker || m.top().symbol != "600010" {
		t.Fatalf("enter opened %+v, want the ticker 600010", m.top())
	}
	s := screenText(m)
	for _, want := range []string{"600010 包钢股份", "Limit up", "2.18", "Margin financing", "Boards: 钢铁行业 BK0479", "1Y"} {
		if !strings.Contains(s, want) {
			t.Errorf("ticker view lacks %q", want)
		}
	}
	press(m, "esc")
	if m.top().kind != screenDashboard {
		t.Fatal("esc did not go back to the dashboard")
	}
	press(m, "shift+tab")
	if m.focus != pIndex {
		t.Fatalf("shift+tab: focus = %v, want index", m.focus)
	}
}

func TestDetailGoldens(t *testing.T) {
	for _, sz := range [][2]int{{160, 48}, {80, 24}} {
		m := sized(fixtureModel(false), sz[0], sz[1])
		press(m, "tab", "tab", "enter")
		golden(t, fmt.Sprintf("ticker_%dx%d", sz[0], sz[1]), screenText(m))
	}
}

func TestRangesAndOverlay(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	press(m, "tab", "tab", "enter")
	if m.detail.rng != range1Y {
		t.Fatalf("default range %d, want 1Y", m.detail.rng)
	}
	press(m, "3")
	pts, _ := m.rangeSeries("600111", m.detail.rng)
	if len(pts) != 23 { // 22 daily closes plus today's live quote
		t.Errorf("1M range has %d points, want 23", len(pts))
	}
	if pts[len(pts)-1] != 49.41 {
		t.Errorf("the last point is %v, want the live 49.41", pts[len(pts)-1])
	}
	press(m, "right")
	if m.detail.rng != range6M {
		t.Errorf("right: range %d, want 6M", m.detail.rng)
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
	m := fixtureModel(false)
	m.styles = NewStyles(false, true) // NO_COLOR: the blurred selection is underlined
	sized(m, 160, 48)
	press(m, "tab", "tab", "down", "tab") // select 600010 in the watchlist, move on
	rects, _ := m.layout(160, 46)
	text := m.framePanel(pWatch, rects[pWatch])
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
		return m.styles.Up.Render("x")
	}
	chinese, western := up(false), up(true)
	if chinese == western {
		t.Fatal("colors = western does not change the up colour")
	}
	if !strings.Contains(chinese, "239;68;68") { // #ef4444, red
		t.Errorf("Chinese convention: up should be red, got %q", chinese)
	}
	m := New(Deps{NoColor: true, Now: func() time.Time { return fixtureNow }})
	if s := m.styles.Up.Render("x"); s != "x" {
		t.Errorf("NO_COLOR: up style still colours: %q", s)
	}
}

func TestBatchUpdatesScreenAndStaleness(t *testing.T) {
	now := fixtureNow
	m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Now: func() time.Time { return now }, NoColor: true})
	sized(m, 160, 48)
	q := m.st.Quotes["600111"]
	q.Last, q.Time = 50.46, now.Add(time.Second)
	m.Update(BatchMsg{Batch: model.Batch{At: now, Quotes: []model.Quote{q}, Health: fixtureHealth()}})
	if !strings.Contains(screenText(m), "50.46") {
		t.Fatal("a new quote did not reach the screen")
	}
	if m.quoteStale("600111") {
		t.Fatal("a quote that just arrived is stale")
	}
	now = now.Add(time.Minute) // 12 cadences later
	m.Update(tickMsg(now))
	if !m.quoteStale("600111") {
		t.Fatal("a minute-old quote on a 5-s feed is not stale")
	}
}

func TestFailingFeedKeepsLastData(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	h := fixtureHealth()
	h[0].State, h[0].Failures, h[0].LastErr = model.FeedFailing, 3, "eastmoney: HTTP 500\x1b[31m"
	m.Update(BatchMsg{Batch: model.Batch{At: fixtureNow, Health: h}})
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

func TestDetailReplyForLeftViewDropped(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	press(m, "tab", "tab", "enter")
	id := m.detail.id
	press(m, "esc")
	m.Update(detailMsg{id: id, symbol: "600111", daily: []model.Bar{{Close: 1}}})
	if len(m.detail.daily) != 0 {
		t.Fatal("a reply for a view the user left was applied")
	}
}

func TestHelpListsEveryBinding(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	press(m, "?")
	s := screenText(m)
	for _, g := range m.keys.fullHelp(false) {
		for _, b := range g {
			if !strings.Contains(s, b.Help().Desc) {
				t.Errorf("help lacks %q", b.Help().Desc)
			}
		}
	}
	press(m, "?")
	if m.top().kind != screenDashboard {
		t.Error("? did not close the help")
	}
}

func BenchmarkDashboardView(b *testing.B) {
	m := sized(fixtureModel(false), 160, 48)
	for b.Loop() {
		m.bodyDirty = true // measure a full render, not the cache
		_ = m.View()
	}
}

func BenchmarkDashboardViewColour(b *testing.B) {
	m := fixtureModel(false)
	m.styles = NewStyles(false, false)
	sized(m, 160, 48)
	for b.Loop() {
		m.bodyDirty = true
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
	m.seenAt["600111"] = fixtureNow // cadence 5 s: stale after 15 s
	m.View()
	now = now.Add(time.Second)
	m.Update(tickMsg(now))
	if m.bodyDirty {
		t.Error("a tick with nothing turning stale redraws the body")
	}
	now = fixtureNow.Add(16 * time.Second)
	m.Update(tickMsg(now))
	if !m.bodyDirty {
		t.Error("the tick on which 600111 turned stale did not redraw the body")
	}
	m.View()
	now = now.Add(time.Second)
	m.Update(tickMsg(now))
	if m.bodyDirty {
		t.Error("an already stale quote redraws the body every second")
	}
}
