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
	"github.com/rareterm/rareterm/ui/screens/board"
	"github.com/rareterm/rareterm/ui/screens/contract"
	"github.com/rareterm/rareterm/ui/screens/dashboard"
	"github.com/rareterm/rareterm/ui/screens/element"
	"github.com/rareterm/rareterm/ui/screens/search"
	"github.com/rareterm/rareterm/ui/screens/ticker"
	"github.com/rareterm/rareterm/ui/widgets"
)

// views opens each screen from the dashboard.
var views = map[string][]string{
	"dashboard": {},
	"ticker":    {"tab", "tab", "enter"},
	"element":   {"enter"},
	"index":     {"tab", "enter"},
	"contract":  {"tab", "tab", "tab", "enter"},
	"board":     {"tab", "tab", "tab", "tab", "tab", "enter"},
	"search":    {"/", "b", "f", "x", "t"},
	"help":      {"?"},
	"health":    {"F"},
	"ladder":    {":", "l", "a", "d", "d", "e", "r", "enter"},
	"margin":    {":", "m", "a", "r", "g", "i", "n", "enter"},
	"etfflow":   {"tab", "tab", "tab", "tab", "tab", "end", "enter"},
}

func TestEveryPanelRowOpensAView(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	d := dash(m)
	want := map[dashboard.Panel]string{dashboard.Elements: "*element.Screen", dashboard.Index: "*index.Screen", dashboard.Watch: "*ticker.Screen",
		dashboard.Contract: "*contract.Screen", dashboard.Margin: "*ticker.Screen", dashboard.Sector: "*board.Screen", dashboard.Ladder: "*ladder.Screen"}
	for p := dashboard.Panel(0); p < dashboard.NumPanels; p++ {
		d.SetFocus(p)
		rows := d.Rows(p)
		for i := range rows {
			if rows[i].Key == "" {
				continue // a header or summary line
			}
			d.Select(p, i)
			press(m, "enter")
			got := kind(m)
			switch {
			case p == dashboard.Margin && rows[i].Key == dashboard.SectorKey:
				if got != "*sectormargin.Screen" {
					t.Errorf("margin sector row opened %v", got)
				}
			case p == dashboard.Margin && strings.HasPrefix(rows[i].Key, "BK"):
				if got != "*board.Screen" {
					t.Errorf("margin board row %s opened %v", rows[i].Key, got)
				}
			case p == dashboard.Sector && !strings.HasPrefix(rows[i].Key, "BK"):
				if got != "*etfflow.Screen" {
					t.Errorf("sector ETF row %s opened %v", rows[i].Key, got)
				}
			case got != want[p]:
				t.Errorf("%s row %d (%s) opened %v, want %v", dashboard.PanelNames[p], i, rows[i].Key, got, want[p])
			}
			press(m, "esc")
			if len(m.stack) != 1 {
				t.Fatalf("esc from %s did not return", dashboard.PanelNames[p])
			}
		}
	}
}

func openSearch(m *Model, q string) *search.Screen {
	press(m, "/")
	s := m.Top().(*search.Screen)
	s.SetQuery(q)
	return s
}

func TestSearchFindsByPinyinCodeAndEnglish(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	m.mkt.St.Symbols["600392"] = model.Symbol{Code: "600392", Market: model.MarketSSE, Name: "盛和资源", NameEn: "Shenghe Resources"}
	s := openSearch(m, "")
	for q, want := range map[string]string{"bfxt": "600111", "6000": "600010", "shenghe": "600392", "zgxt": "000831", "稀土": "000831", "bk0578": "BK0578"} {
		s.SetQuery(q)
		found := false
		for _, h := range s.Hits() {
			if h.Sym.Code == want {
				found = true
			}
		}
		if !found {
			t.Errorf("search %q did not find %s: %+v", q, want, s.Hits())
		}
	}
	s.SetQuery("bfxt")
	if s.Hits()[0].Sym.Code != "600111" {
		t.Errorf("bfxt ranks %s first", s.Hits()[0].Sym.Code)
	}
	s.SetQuery("zzzzqqq")
	if len(s.Hits()) != 0 {
		t.Errorf("nonsense matched %v", s.Hits())
	}
}

func TestSearchAddRemoveWatchlist(t *testing.T) {
	var saved []string
	m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Now: func() time.Time { return fixtureNow },
		SaveWatchlist: func(c []string) error { saved = c; return nil }})
	sized(m, 120, 40)
	m.mkt.St.Symbols["600392"] = model.Symbol{Code: "600392", Market: model.MarketSSE, Name: "盛和资源"}
	press(m, "/", "s", "h", "z", "y", "tab", "a")
	if !m.mkt.InWatchlist("600392") {
		t.Fatal("a in the search list did not add 600392")
	}
	if len(saved) != len(fixtureWatch)+1 || saved[len(saved)-1] != "600392" {
		t.Errorf("saved %v", saved)
	}
	if !strings.Contains(m.notice.Text, "saved to the config") {
		t.Errorf("notice %q", m.notice.Text)
	}
	press(m, "d")
	if m.mkt.InWatchlist("600392") {
		t.Fatal("d did not remove 600392")
	}
}

func TestCommandLine(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	run := func(line string) {
		m.cmd.Open(line)
		send(m, keyMsg("enter"))
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
	if r := top[*ticker.Screen](t, m).Range(); r != widgets.Range6M {
		t.Errorf(":range 6m left range %d", r)
	}
	press(m, "esc")

	// Manual price: 68.25 万元/吨 = 682,500 元/吨, source manual.
	var stored []model.ElementPrice
	m.deps.SavePrices = func(p []model.ElementPrice) error { stored = p; return nil }
	run(`price "PrNd oxide" 68.25 万元/吨`)
	s := m.mkt.St.Elements[model.PrNdOxide]
	last := s[len(s)-1]
	if last.Price != 682500 || last.Source != "manual" || !last.Date.Equal(model.Day(fixtureNow)) {
		t.Errorf("manual price %+v", last)
	}
	if len(stored) != 1 || stored[0].Price != 682500 {
		t.Errorf("stored %+v", stored)
	}
	if !strings.Contains(screenText(m), "682,500") {
		t.Error("the manual price is not on the dashboard")
	}
	run(`price "unobtanium" 5`)
	if !m.notice.Error || !strings.Contains(m.notice.Text, "unknown product") {
		t.Errorf("bad product: %+v", m.notice)
	}
	run(`price "PrNd oxide" -5`)
	if !m.notice.Error {
		t.Error("a negative price was accepted")
	}

	// History: up recalls the previous line, down comes back to a new one.
	m.cmd.Open("")
	press(m, "up")
	if m.cmd.Value() != `price "PrNd oxide" -5` {
		t.Errorf("history recalled %q", m.cmd.Value())
	}
	press(m, "up")
	if m.cmd.Value() != `price "unobtanium" 5` {
		t.Errorf("second up recalled %q", m.cmd.Value())
	}
	press(m, "down", "down")
	if m.cmd.Value() != "" {
		t.Errorf("down past the newest left %q", m.cmd.Value())
	}
	press(m, "esc")
	if m.cmd.Active() {
		t.Error("esc did not close the command line")
	}
}

// The command line is a bubbles text field: the cursor moves, a word is
// deleted, a paste is inserted (and cleaned).
func TestCommandLineEditing(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	press(m, ":")
	for _, r := range "add 600392" {
		press(m, string(r))
	}
	send(m, tea.KeyPressMsg{Code: 'w', Mod: tea.ModCtrl}) // ctrl+w: delete a word
	if m.cmd.Value() != "add " {
		t.Fatalf("ctrl+w left %q", m.cmd.Value())
	}
	send(m, tea.PasteMsg{Content: "600259\x1b[31m"})
	if m.cmd.Value() != "add 600259[31m" && m.cmd.Value() != "add 600259" {
		t.Fatalf("paste gave %q", m.cmd.Value())
	}
	if strings.Contains(m.cmd.Value(), "\x1b") {
		t.Fatal("an escape character was pasted into the command line")
	}
	m.cmd.Open("add 600259")
	press(m, "left", "left", "left", "left", "left", "left", "backspace")
	if m.cmd.Value() != "add600259" {
		t.Fatalf("left×6 then backspace gave %q", m.cmd.Value())
	}
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
		if got := m.cmd.Complete(in); got != want {
			t.Errorf("complete(%q) = %q, want %q", in, got, want)
		}
	}
	m.cmd.Open("ra")
	press(m, "tab")
	if m.cmd.Value() != "range " {
		t.Errorf("tab completed to %q", m.cmd.Value())
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
	send(m, msg)
	if !strings.Contains(m.notice.Text, msg.path) {
		t.Errorf("the path is not shown: %q", m.notice.Text)
	}
	// Help is not exportable: :export under it writes the screen below.
	os.Remove(msg.path)
	press(m, "?")
	under := m.export()().(exportMsg)
	if under.err != nil || !strings.Contains(under.path, "rareterm-contract-") {
		t.Errorf("export under the help: %+v", under)
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
	b := top[*board.Screen](t, m)
	order := func() string {
		var c []string
		for _, q := range b.Members() {
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
	if tk := top[*ticker.Screen](t, m); tk.Code() != "600111" {
		t.Errorf("enter in the board opened %s", tk.Code())
	}
	press(m, "esc")
	if b2 := top[*board.Screen](t, m); b2 != b || b.SortBy() != 1 {
		t.Errorf("back to the board lost its state: sort %d", b.SortBy())
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
	press(m, "[")
	if len(asked) != 1 || !model.Day(asked[0]).Equal(model.Date(2026, 1, 8)) {
		t.Fatalf("[ asked for %v, want 2026-01-08", asked)
	}
	s := screenText(m)
	if !strings.Contains(s, "AS OF 2026-01-08 Thu") || !strings.Contains(s, "40.01") {
		t.Errorf("after [: %s", s)
	}
	press(m, "{")
	if !model.Day(asked[1]).Equal(model.Date(2026, 1, 1)) {
		t.Errorf("{ asked for %v, want a week back", asked[1])
	}
	// A stale reply (an older request) is dropped.
	send(m, snapshotMsg{id: m.reqID - 1, asOf: model.Date(2020, 1, 1), snap: model.NewSnapshot()})
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
			press(m, k)
			checkFits(t, fmt.Sprintf("run %d key %d (%s)", run, i, k), screenText(m), 100, 30)
		}
	}
}

// A whole-program flow: search → open → change range → back → quit.
func TestTeatestSearchFlow(t *testing.T) {
	v := observe(fixtureModel(false))
	tm := teatest.NewTestModel(t, v, teatest.WithInitialTermSize(120, 40))
	tm.Type("/bfxt")
	v.waitFor(t, "bfxt")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("3")
	v.waitFor(t, "Limit up")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(30*time.Second))
	final := tm.FinalModel(t).(*observed).m
	if len(final.stack) != 1 {
		t.Errorf("ended on %s, want the dashboard", final.breadcrumbs())
	}
}

func TestTeatestTabEnterEscQuit(t *testing.T) {
	v := observe(fixtureModel(true))
	tm := teatest.NewTestModel(t, v, teatest.WithInitialTermSize(160, 48))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	v.waitFor(t, "52w high")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(30*time.Second))
	if got := tm.FinalModel(t).(*observed).m; len(got.stack) != 1 || dash(got).Focus() != dashboard.Watch {
		t.Errorf("final state: %s focus %v", got.breadcrumbs(), dash(got).Focus())
	}
}

func TestTypedSpacesReachTheCommandLine(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	press(m, ":", "a", "d", "d", "space", "6", "0", "0", "3", "9", "2")
	if m.cmd.Value() != "add 600392" {
		t.Fatalf("typed %q", m.cmd.Value())
	}
	press(m, "enter")
	if !m.mkt.InWatchlist("600392") {
		t.Error(":add 600392 typed key by key did not add it")
	}
}

func TestPriceKeyPrefillsTheCommand(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	press(m, "enter", "p") // the PrNd oxide element view
	top[*element.Screen](t, m)
	if !m.cmd.Active() || m.cmd.Value() != `price "PrNd oxide" ` {
		t.Fatalf("p opened %v %q", m.cmd.Active(), m.cmd.Value())
	}
	// Control and bidi characters in a key's text never reach the input.
	send(m, tea.KeyPressMsg{Code: 'x', Text: "\x07\u202e"})
	for _, r := range "690000" {
		press(m, string(r))
	}
	if m.cmd.Value() != `price "PrNd oxide" 690000` {
		t.Fatalf("typed %q", m.cmd.Value())
	}
	press(m, "enter")
	s := m.mkt.St.Elements[model.PrNdOxide]
	if last := s[len(s)-1]; last.Price != 690000 || last.Source != "manual" {
		t.Errorf("p then 690000: %+v", last)
	}
}

func TestIntradayRangesUseMinuteBarsAndQuotes(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	press(m, "tab", "tab", "enter")
	tk := top[*ticker.Screen](t, m)
	day := model.Day(fixtureNow)
	var mins []model.Bar
	for i := 0; i < 30; i++ { // 09:30–09:59, folded from yesterday's and today's quotes
		mins = append(mins, model.Bar{Symbol: "600111", Interval: model.Minute, Time: day.Add(9*time.Hour + time.Duration(30+i)*time.Minute), Close: 49 + float64(i)/100})
	}
	q := model.Quote{Symbol: "600111", Time: fixtureNow, Last: 49.41}
	send(m, ticker.LoadedMsg{To: tk.ID(), Minutes: mins, Quotes: []model.Quote{q}})
	press(m, "1")
	pts, ts := tk.Series(widgets.Range1D)
	if len(pts) != 31 || pts[0] != 49 || pts[30] != 49.41 || !ts[30].Equal(fixtureNow) {
		t.Fatalf("1D series: %d points %v", len(pts), pts)
	}
	if s := screenText(m); strings.Contains(s, "no history cached") {
		t.Error("1D with minute bars says there is no history")
	}
}

func TestCommandErrorVisibleAt80Columns(t *testing.T) {
	m := sized(fixtureModel(true), 80, 24)
	m.cmd.Open("frob")
	send(m, keyMsg("enter"))
	lines := strings.Split(screenText(m), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, "unknown command :frob") {
		t.Errorf("status bar at 80 columns: %q", last)
	}
}

func TestSelectionSkipsSummaryAndHeaderLines(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	d := dash(m)
	d.SetFocus(dashboard.Margin)
	rows := d.Rows(dashboard.Margin)
	if rows[0].Key != "" || rows[1].Key != "" || rows[2].Key != "" {
		t.Fatalf("fixture: the margin panel should start with the two summary lines and the header: %+v", rows[:3])
	}
	press(m, "enter") // without moving: the first stock, not the summary line
	if tk := top[*ticker.Screen](t, m); tk.Code() != "600111" {
		t.Fatalf("enter on a fresh margin panel opened %s", tk.Code())
	}
	press(m, "esc", "up", "up")
	if got := d.Selected(dashboard.Margin); rows[got].Key != "600111" || got != 3 {
		t.Errorf("up from the first stock moved the selection to row %d", got)
	}
	press(m, "down")
	if rows[d.Selected(dashboard.Margin)].Key != "600010" {
		t.Errorf("down selects %q, want 600010", rows[d.Selected(dashboard.Margin)].Key)
	}
}

// An absurd manual price never reaches the screen: it is refused before it
// is drawn, with the product's band in the message.
func TestManualPriceOutsideItsBandIsRefused(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	before := m.mkt.St.Elements[model.PrNdOxide]
	for _, v := range []string{"1e308", "Inf", "50"} {
		press(m, ":")
		for _, r := range `price "PrNd oxide" ` + v {
			press(m, string(r))
		}
		press(m, "enter")
		if got := m.mkt.St.Elements[model.PrNdOxide]; len(got) != len(before) || got[len(got)-1].Source != before[len(before)-1].Source {
			t.Errorf(":price %s changed the series: %+v", v, got[len(got)-1])
		}
		if !m.notice.Error || (v != "Inf" && !strings.Contains(m.notice.Text, "80,000")) {
			t.Errorf(":price %s: notice %+v, want the band named", v, m.notice)
		}
	}
}

// The contract table runs to the current quarter: quarters after the last
// known one are due in their first ten days and overdue after them, and
// the streak is dated. The first day past the window turns a due quarter
// overdue on the clock alone.
func TestContractRunsToTheCurrentQuarter(t *testing.T) {
	now := time.Date(2026, 10, 10, 23, 59, 30, 0, model.CST)
	m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Health: fixtureHealth(), NoColor: true,
		Now: func() time.Time { return now }})
	sized(m, 160, 48)
	s := screenText(m)
	for _, want := range []string{"as of 2026Q1: 6 consecutive increases", "2026Q4", "due by 10-10", "2026Q3", "overdue 07-10"} {
		if !strings.Contains(s, want) {
			t.Errorf("dashboard lacks %q:\n%s", want, s)
		}
	}
	now = now.Add(time.Minute) // 2026-10-11 00:00:30
	send(m, tickMsg{seq: m.tickSeq})
	if s := screenText(m); !strings.Contains(s, "overdue 10-10") {
		t.Errorf("2026Q4 not overdue the day after its window:\n%s", s)
	}
	press(m, "tab", "tab", "tab", "enter")
	top[*contract.Screen](t, m)
	if s := screenText(m); !strings.Contains(s, "2026Q4") || !strings.Contains(s, "overdue: the announcement was due by 2026-10-10") {
		t.Errorf("contract view:\n%s", s)
	}
}

// :price reads its product however it is typed: quoted, half-quoted (as
// the p prefill once left it), bare, with full-width quotes, or pasted with
// the colon; none is an "unclosed quote".
func TestPriceCommandReadsTheProductAsTyped(t *testing.T) {
	for _, line := range []string{
		`price "PrNd oxide" 682500`, `price "PrNd oxide 682500`, `price PrNd oxide 682500`,
		`price “PrNd oxide” 682500`, `:price "PrNd oxide" 682500`, `price 氧化镨钕 68.25 万元/吨`,
	} {
		m := sized(fixtureModel(false), 120, 40)
		press(m, ":")
		send(m, tea.PasteMsg{Content: line})
		press(m, "enter")
		s := m.mkt.St.Elements[model.PrNdOxide]
		if last := s[len(s)-1]; last.Price != 682500 || last.Source != model.ManualSource || m.notice.Error {
			t.Errorf("%s: %+v, notice %q", line, last, m.notice.Text)
		}
	}
	// From the dashboard, p opens an unquoted prefill.
	m := sized(fixtureModel(false), 120, 40)
	press(m, "p")
	if m.cmd.Value() != "price " {
		t.Errorf("prefill %q", m.cmd.Value())
	}
}
