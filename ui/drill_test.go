package ui

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/rareterm/rareterm/model"
)

// views opens each detail view from the dashboard.
var views = map[string][]string{
	"ticker":   {"tab", "tab", "enter"},
	"element":  {"enter"},
	"index":    {"tab", "enter"},
	"contract": {"tab", "tab", "tab", "enter"},
	"board":    {"tab", "tab", "tab", "tab", "tab", "enter"},
	"search":   {"/", "b", "f", "x", "t"},
	"help":     {"?"},
	"health":   {"F"},
}

func TestDetailViewGoldens(t *testing.T) {
	for name, keys := range views {
		for _, sz := range [][2]int{{120, 40}, {80, 24}} {
			m := sized(fixtureModel(false), sz[0], sz[1])
			press(m, keys...)
			s := screenText(m)
			checkFits(t, name, s, sz[0], sz[1])
			golden(t, fmt.Sprintf("view_%s_%dx%d", name, sz[0], sz[1]), s)
		}
	}
}

func TestEveryViewFitsEverySize(t *testing.T) {
	for name, keys := range views {
		for w := 20; w <= 240; w += 13 {
			for h := 5; h <= 70; h += 9 {
				m := sized(fixtureModel(true), w, h)
				press(m, keys...)
				checkFits(t, fmt.Sprintf("%s at %dx%d", name, w, h), screenText(m), w, h)
			}
		}
	}
}

func TestEveryPanelRowOpensAView(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	want := map[panelID]screenKind{pElements: screenElement, pIndex: screenIndex, pWatch: screenTicker, pContract: screenContract, pMargin: screenTicker, pSector: screenBoard}
	for p := panelID(0); p < numPanels; p++ {
		m.focus = p
		rows := m.panelRows(p)
		for i := range rows {
			if rows[i].key == "" {
				continue // a header or summary line
			}
			m.sel[p] = i
			press(m, "enter")
			got := m.top().kind
			if p == pMargin && strings.HasPrefix(rows[i].key, "BK") {
				if got != screenBoard {
					t.Errorf("margin board row %s opened %v", rows[i].key, got)
				}
			} else if p == pSector && !strings.HasPrefix(rows[i].key, "BK") {
				if got != screenTicker {
					t.Errorf("sector ETF row %s opened %v", rows[i].key, got)
				}
			} else if got != want[p] {
				t.Errorf("%s row %d (%s) opened %v, want %v", panelNames[p], i, rows[i].key, got, want[p])
			}
			press(m, "esc")
			if m.top().kind != screenDashboard {
				t.Fatalf("esc from %s did not return", panelNames[p])
			}
		}
	}
}

func TestSearchFindsByPinyinCodeAndEnglish(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	m.st.Symbols["600392"] = model.Symbol{Code: "600392", Market: model.MarketSSE, Name: "盛和资源", NameEn: "Shenghe Resources"}
	for q, want := range map[string]string{"bfxt": "600111", "6000": "600010", "shenghe": "600392", "zgxt": "000831", "稀土": "000831", "bk0578": "BK0578"} {
		m.search = searchState{active: true, query: q}
		m.runSearch()
		found := false
		for _, h := range m.search.hits {
			if h.sym.Code == want {
				found = true
			}
		}
		if !found {
			t.Errorf("search %q did not find %s: %+v", q, want, m.search.hits)
		}
	}
	m.search = searchState{active: true, query: "bfxt"}
	m.runSearch()
	if m.search.hits[0].sym.Code != "600111" {
		t.Errorf("bfxt ranks %s first", m.search.hits[0].sym.Code)
	}
	m.search = searchState{active: true, query: "zzzzqqq"}
	m.runSearch()
	if len(m.search.hits) != 0 {
		t.Errorf("nonsense matched %v", m.search.hits)
	}
}

func TestSearchAddRemoveWatchlist(t *testing.T) {
	var saved []string
	m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Now: func() time.Time { return fixtureNow },
		SaveWatchlist: func(c []string) error { saved = c; return nil }})
	sized(m, 120, 40)
	m.st.Symbols["600392"] = model.Symbol{Code: "600392", Market: model.MarketSSE, Name: "盛和资源"}
	press(m, "/", "s", "h", "z", "y", "tab", "a")
	if !m.inWatchlist("600392") {
		t.Fatal("a in the search list did not add 600392")
	}
	press(m, "d")
	if m.inWatchlist("600392") {
		t.Fatal("d did not remove 600392")
	}
	// The save runs as a command: Update returns it, the program would run it.
	cmd := m.addToWatchlist("600392")
	msg := cmd()
	m.Update(msg)
	if len(saved) != len(fixtureWatch)+1 || saved[len(saved)-1] != "600392" {
		t.Errorf("saved %v", saved)
	}
	if !strings.Contains(m.notice.Text, "watchlist saved") {
		t.Errorf("notice %q", m.notice.Text)
	}
}

func TestCommandLine(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	run := func(line string) tea.Cmd {
		m.openCmdline(line)
		_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
		return cmd
	}
	run("frobnicate")
	if !m.notice.Error || !strings.Contains(m.notice.Text, "unknown command :frobnicate") || !strings.Contains(m.notice.Text, ":add CODE") {
		t.Errorf("bad command notice: %+v", m.notice)
	}
	run("add 12")
	if !m.notice.Error || !strings.Contains(m.notice.Text, "not a stock") {
		t.Errorf(":add 12 notice: %+v", m.notice)
	}
	run("goto 2025-10-10")
	if !strings.Contains(m.notice.Text, "offline") {
		t.Errorf(":goto outside offline: %+v", m.notice)
	}
	run("range 6m")
	if !strings.Contains(m.notice.Text, "chart view") {
		t.Errorf(":range on the dashboard: %+v", m.notice)
	}
	press(m, "tab", "tab", "enter")
	run("range 6m")
	if m.detail.rng != range6M {
		t.Errorf(":range 6m left range %d", m.detail.rng)
	}
	press(m, "esc")

	// Manual price: 68.25 万元/吨 = 682,500 元/吨, source manual.
	var stored []model.ElementPrice
	m.deps.SavePrices = func(p []model.ElementPrice) error { stored = p; return nil }
	cmd := run(`price "PrNd oxide" 68.25 万元/吨`)
	if cmd == nil {
		t.Fatal(":price returned no store command")
	}
	m.Update(cmd())
	s := m.st.Elements[model.PrNdOxide]
	last := s[len(s)-1]
	if last.Price != 682500 || last.Source != "manual" || !last.Date.Equal(model.Day(fixtureNow)) {
		t.Errorf("manual price %+v", last)
	}
	if len(stored) != 1 || stored[0].Price != 682500 {
		t.Errorf("stored %+v", stored)
	}
	run(`price "unobtanium" 5`)
	if !m.notice.Error || !strings.Contains(m.notice.Text, "unknown product") {
		t.Errorf("bad product: %+v", m.notice)
	}
	run(`price "PrNd oxide" -5`)
	if !m.notice.Error {
		t.Error("a negative price was accepted")
	}

	// History: up recalls the previous line.
	m.openCmdline("")
	press(m, "up")
	if m.cmd.input != `price "PrNd oxide" -5` {
		t.Errorf("history recalled %q", m.cmd.input)
	}
	press(m, "esc")
}

func TestCommandCompletion(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	for in, want := range map[string]string{
		"ad":           "add ",
		"ra":           "range ",
		"range 6":      "range 6m ",
		"add 60001":    "add 600010 ",
		"price PrNd":   "price PrNd", // PrNd oxide and PrNd metal: ambiguous, left as typed
		"price \"Tb o": "price \"Tb oxide\" ",
		"price la":     "price \"La oxide\" ",
		"frob":         "frob",
	} {
		if got := m.complete(in); got != want {
			t.Errorf("complete(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExportWritesCSV(t *testing.T) {
	dir := t.TempDir()
	m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Now: func() time.Time { return fixtureNow }, ExportDir: dir})
	sized(m, 120, 40)
	press(m, "tab", "tab", "tab", "enter") // contract view
	msg := m.export()().(exportMsg)
	if msg.err != nil {
		t.Fatal(msg.err)
	}
	b, err := os.ReadFile(msg.path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 15 || rows[0][0] != "quarter" || rows[14][0] != "2026Q1" || rows[14][1] != "26834" || rows[14][3] != "536.68" {
		t.Errorf("contract export: %v", rows)
	}
	m.Update(msg)
	if !strings.Contains(m.notice.Text, msg.path) {
		t.Errorf("the path is not shown: %q", m.notice.Text)
	}
}

func TestContractCalculatorAndBoardSort(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	press(m, "tab", "tab", "tab", "enter", "4", "8", ".", "5")
	if s := screenText(m); !strings.Contains(s, "REO 48.5% in 2026Q1: 26,028.98") {
		t.Errorf("calculator: %s", s)
	}
	press(m, "backspace", "backspace", "backspace", "backspace", "1", "0", "1")
	if s := screenText(m); !strings.Contains(s, "want a percentage between 0 and 100") {
		t.Error("REO 101 was accepted")
	}
	press(m, "esc", "tab", "tab", "enter") // sector panel → BK0578
	if m.top().kind != screenBoard {
		t.Fatalf("opened %v", m.top().kind)
	}
	order := func() string {
		var c []string
		for _, q := range m.boardMembers("BK0578") {
			c = append(c, q.Symbol)
		}
		return strings.Join(c, ",")
	}
	if got := order(); got != "300748,000831,600111" { // change: +4.00, +1.65, +1.40
		t.Errorf("by change: %s", got)
	}
	press(m, "s")
	if got := order(); got != "600111,300748,000831" { // main-force: +3.12亿, +812万, −4512万
		t.Errorf("by main-force flow: %s", got)
	}
	press(m, "enter")
	if m.top().kind != screenTicker || m.top().symbol != "600111" {
		t.Errorf("enter in the board opened %+v", m.top())
	}
	press(m, "esc")
	if m.top().kind != screenBoard || m.vs().sortBy != 1 {
		t.Errorf("back to the board lost its state: %+v", m.top())
	}
}

func TestOfflineCursor(t *testing.T) {
	var asked []time.Time
	m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Offline: true, AsOf: model.Date(2026, 1, 9),
		Now: func() time.Time { return fixtureNow },
		SnapshotAt: func(t time.Time) (model.Snapshot, error) {
			asked = append(asked, t)
			s := fixtureSnapshot()
			q := s.Quotes["600111"]
			q.Last = 40.01
			s.Quotes["600111"] = q
			return s, nil
		}})
	sized(m, 160, 48)
	if !strings.Contains(screenText(m), "AS OF 2026-01-09 Fri") {
		t.Fatal("the header does not say AS OF")
	}
	_, cmd := m.Update(tea.KeyPressMsg{Code: '[', Text: "["})
	m.Update(cmd())
	if len(asked) != 1 || !model.Day(asked[0]).Equal(model.Date(2026, 1, 8)) {
		t.Fatalf("[ asked for %v, want 2026-01-08", asked)
	}
	s := screenText(m)
	if !strings.Contains(s, "AS OF 2026-01-08 Thu") || !strings.Contains(s, "40.01") {
		t.Errorf("after [: %s", s)
	}
	_, cmd = m.Update(tea.KeyPressMsg{Code: '{', Text: "{"})
	m.Update(cmd())
	if !model.Day(asked[1]).Equal(model.Date(2026, 1, 1)) {
		t.Errorf("{ asked for %v, want a week back", asked[1])
	}
	// A stale reply (an older request) is dropped.
	m.Update(snapshotMsg{id: m.reqID - 1, asOf: model.Date(2020, 1, 1), snap: model.NewSnapshot()})
	if strings.Contains(screenText(m), "2020-01-01") {
		t.Error("a superseded snapshot reply was applied")
	}
}

func TestNoKeySequenceBreaksTheScreen(t *testing.T) {
	keys := []string{"tab", "shift+tab", "enter", "esc", "down", "up", "left", "right", "1", "6", "o", "s", "a", "d", "?", "F", "/", "x", ":", "[", "G", "backspace"}
	seed := uint64(7)
	for run := 0; run < 40; run++ {
		m := sized(fixtureModel(true), 100, 30)
		for i := 0; i < 60; i++ {
			seed = seed*6364136223846793005 + 1442695040888963407
			k := keys[int(seed>>33)%len(keys)]
			if k == "q" {
				continue
			}
			press(m, k)
			checkFits(t, fmt.Sprintf("run %d key %d (%s)", run, i, k), screenText(m), 100, 30)
		}
	}
}

// A whole-program flow: search → open → change range → back → quit.
func TestTeatestSearchFlow(t *testing.T) {
	m := fixtureModel(false)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	tm.Type("/bfxt")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("bfxt")) }, teatest.WithDuration(3*time.Second))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("3")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Limit up")) }, teatest.WithDuration(3*time.Second))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
	final := tm.FinalModel(t).(*Model)
	if final.top().kind != screenDashboard {
		t.Errorf("ended on %v, want the dashboard", final.top().kind)
	}
	if final.detail.symbol != "600111" || final.detail.rng != range1M {
		t.Errorf("the flow opened %s at range %d, want 600111 at 1M", final.detail.symbol, final.detail.rng)
	}
}

func TestTeatestTabEnterEscQuit(t *testing.T) {
	tm := teatest.NewTestModel(t, fixtureModel(true), teatest.WithInitialTermSize(160, 48))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("52w high")) }, teatest.WithDuration(3*time.Second))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
	if got := tm.FinalModel(t).(*Model); got.top().kind != screenDashboard || got.focus != pWatch {
		t.Errorf("final state: screen %v focus %v", got.top().kind, got.focus)
	}
}

func TestTypedSpacesReachTheCommandLine(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	press(m, ":", "a", "d", "d", "space", "6", "0", "0", "3", "9", "2")
	if m.cmd.input != "add 600392" {
		t.Fatalf("typed %q", m.cmd.input)
	}
	press(m, "enter")
	if !m.inWatchlist("600392") {
		t.Error(":add 600392 typed key by key did not add it")
	}
}

func TestPriceKeyPrefillsTheCommand(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	press(m, "enter", "p") // the PrNd oxide element view
	if !m.cmd.active || m.cmd.input != `price "PrNd oxide" ` {
		t.Fatalf("p opened %+v", m.cmd)
	}
	// Control and bidi characters in a key's text never reach the input.
	m.Update(tea.KeyPressMsg{Code: 'x', Text: "\x07\u202e"})
	for _, r := range "690000" {
		press(m, string(r))
	}
	press(m, "enter")
	s := m.st.Elements[model.PrNdOxide]
	if last := s[len(s)-1]; last.Price != 690000 || last.Source != "manual" {
		t.Errorf("p then 690000: %+v", last)
	}
}

func TestIntradayRangesUseMinuteBarsAndQuotes(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	press(m, "tab", "tab", "enter")
	day := model.Day(fixtureNow)
	var mins []model.Bar
	for i := 0; i < 30; i++ { // 09:30–09:59, folded from yesterday's and today's quotes
		mins = append(mins, model.Bar{Symbol: "600111", Interval: model.Minute, Time: day.Add(9*time.Hour + time.Duration(30+i)*time.Minute), Close: 49 + float64(i)/100})
	}
	q := model.Quote{Symbol: "600111", Time: fixtureNow, Last: 49.41}
	m.Update(detailMsg{id: m.detail.id, symbol: "600111", minutes: mins, quotes: []model.Quote{q}})
	press(m, "1")
	pts, ts := m.rangeSeries("600111", range1D)
	if len(pts) != 31 || pts[0] != 49 || pts[30] != 49.41 || !ts[30].Equal(fixtureNow) {
		t.Fatalf("1D series: %d points %v", len(pts), pts)
	}
	if s := screenText(m); strings.Contains(s, "no history cached") {
		t.Error("1D with minute bars says there is no history")
	}
}

func TestCommandErrorVisibleAt80Columns(t *testing.T) {
	m := sized(fixtureModel(true), 80, 24)
	m.openCmdline("frob")
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	lines := strings.Split(screenText(m), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, "unknown command :frob") {
		t.Errorf("status bar at 80 columns: %q", last)
	}
}

func TestSelectionSkipsSummaryAndHeaderLines(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	m.focus = pMargin
	rows := m.panelRows(pMargin)
	if rows[0].key != "" || rows[1].key != "" {
		t.Fatalf("fixture: the margin panel should start with the summary and the header: %+v", rows[:2])
	}
	press(m, "enter") // without moving: the first stock, not the summary line
	if m.top().kind != screenTicker || m.top().symbol != "600111" {
		t.Fatalf("enter on a fresh margin panel opened %+v", m.top())
	}
	press(m, "esc", "up", "up")
	if got := keyedRow(rows, m.sel[pMargin], 1); rows[got].key != "600111" || m.sel[pMargin] != 2 {
		t.Errorf("up from the first stock moved the selection to row %d", m.sel[pMargin])
	}
	press(m, "down")
	if rows[m.sel[pMargin]].key != "600010" {
		t.Errorf("down selects %q, want 600010", rows[m.sel[pMargin]].key)
	}
}
