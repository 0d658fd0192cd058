package ui

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/screens/search"
	"github.com/rareterm/rareterm/ui/screens/ticker"
	"github.com/rareterm/rareterm/ui/widgets"
)

// intraday is a morning of one-minute quotes from base up by a cent a minute.
func intraday(code string, base float64) []model.Quote {
	day := model.Day(fixtureNow)
	var qs []model.Quote
	for i := 0; i < 30; i++ {
		qs = append(qs, model.Quote{Symbol: code, Time: day.Add(9*time.Hour + time.Duration(30+i)*time.Minute), Last: base + float64(i)/100})
	}
	return qs
}

// history serves each symbol's intraday quotes, as the store would.
type history struct{ quotes map[string][]model.Quote }

func (h history) Bars(string, model.Interval, time.Time, time.Time) ([]model.Bar, error) {
	return nil, nil
}

func (h history) Quotes(sym string, _, _ time.Time) ([]model.Quote, error) {
	return h.quotes[sym], nil
}

func (h history) Margin(string, time.Time, time.Time) ([]model.MarginDay, error) { return nil, nil }

// navModel is the fixture with a cache that has intraday quotes of
// 600111 and 000831.
func navModel() *Model {
	m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Boards: []string{"BK0578", "BK1027", "BK0479"}, Health: fixtureHealth(),
		NoColor: true, Now: func() time.Time { return fixtureNow },
		History: history{quotes: map[string][]model.Quote{"600111": intraday("600111", 49), "000831": intraday("000831", 45)}}})
	for _, w := range fixtureWatch {
		m.mkt.SeenAt[w.Code] = fixtureNow
	}
	return m
}

func closes(qs []model.Quote) []float64 {
	var out []float64
	for _, q := range qs {
		out = append(out, q.Last)
	}
	return out
}

// Open 600111 and choose 1D, search and open 000831 and choose 1M, esc:
// 600111 is back with its own range and its own intraday series.
func TestTeatestBackToATickerKeepsItsRangeAndSeries(t *testing.T) {
	v := observe(navModel())
	tm := teatest.NewTestModel(t, v, teatest.WithInitialTermSize(160, 48))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter}) // 600111, its history loads
	tm.Type("1")
	// 49.29 is the top of 600111's intraday chart: its history is in.
	v.waitFor(t, "49.29")
	tm.Type("/000831")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter}) // 000831 replaces the search
	tm.Type("3")
	v.waitFor(t, "000831 中国稀土  SZSE")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	v.waitFor(t, "Watchlist › 600111 北方稀土")
	v.waitFor(t, "49.29")
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(30*time.Second))

	m := tm.FinalModel(t).(*observed).m
	if len(m.stack) != 2 {
		t.Fatalf("stack %s, want the dashboard and 600111", m.breadcrumbs())
	}
	a := top[*ticker.Screen](t, m)
	if a.Code() != "600111" || a.Range() != widgets.Range1D {
		t.Fatalf("back on %s at range %s, want 600111 at 1D", a.Code(), widgets.RangeNames[a.Range()])
	}
	pts, _ := a.Series(a.Range())
	if want := closes(intraday("600111", 49)); !reflect.DeepEqual(pts, want) {
		t.Errorf("600111's 1D series is %v, want its own %v", pts, want)
	}
	s := screenText(m)
	if !strings.Contains(s, "Watchlist › 600111 北方稀土") || strings.Contains(s, "000831 中国稀土") {
		t.Errorf("the screen after esc:\n%s", s)
	}
}

// A reply for a screen the user has left never lands in the one below.
func TestLateReplyForALeftScreenIsDropped(t *testing.T) {
	m := sized(navModel(), 160, 48)
	press(m, "tab", "tab", "enter", "1") // 600111 at 1D, history loaded
	a := top[*ticker.Screen](t, m)
	press(m, "/")
	m.Top().(*search.Screen).SetQuery("000831")
	_, load := m.Update(keyMsg("enter")) // 000831 pushed; its load not run yet
	b := top[*ticker.Screen](t, m)
	if b.Code() != "000831" || load == nil {
		t.Fatalf("opened %s, load %v", b.Code(), load)
	}
	press(m, "3", "esc")
	if m.Top() != a {
		t.Fatalf("esc went to %s", m.breadcrumbs())
	}
	before, view := state(m), screenText(m)
	drain(m, load, 0) // 000831's history, late
	if state(m) != before || screenText(m) != view {
		t.Error("a reply for 000831 changed 600111's screen")
	}
	pts, _ := a.Series(widgets.Range1D)
	if !reflect.DeepEqual(pts, closes(intraday("600111", 49))) {
		t.Errorf("600111's series after 000831's late reply: %v", pts)
	}
}

// state is everything the root and its screens hold, as text.
func state(m *Model) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%+v\n%+v\n", *m, *m.mkt)
	for _, s := range m.stack {
		fmt.Fprintf(&b, "%+v\n", reflect.Indirect(reflect.ValueOf(s)).Interface())
	}
	return b.String()
}

// View reads state only: twice on the same model gives the same output,
// leaves every field as it was and reads no clock.
func TestViewIsPure(t *testing.T) {
	for name, keys := range views {
		for _, sz := range [][2]int{{160, 48}, {80, 24}, {30, 8}} {
			m := sized(fixtureModel(false), sz[0], sz[1])
			press(m, keys...)
			press(m, "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down")
			clock := 0
			m.deps.Now = func() time.Time { clock++; return fixtureNow }
			before := state(m)
			v1 := m.View().Content
			v2 := m.View().Content
			if v1 != v2 {
				t.Errorf("%s %v: two Views differ", name, sz)
			}
			if after := state(m); after != before {
				t.Errorf("%s %v: View changed the model", name, sz)
			}
			if clock != 0 {
				t.Errorf("%s %v: View read the clock %d times", name, sz, clock)
			}
		}
	}
}

// The root only routes: its files stay short and nothing in ui/ switches
// on a kind of screen.
func TestRootStaysThin(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(b, []byte("\n")); n >= 400 {
			t.Errorf("%s has %d lines", f, n)
		}
	}
	_ = filepath.Walk(".", func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "nav_test.go") {
			return err
		}
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, []byte("screen"+"Kind")) {
			t.Errorf("%s switches on a kind of screen", p)
		}
		if strings.Contains(p, string(filepath.Separator)) && bytes.Contains(b, []byte(`"github.com/rareterm/rareterm/ui"`)) {
			t.Errorf("%s imports the root ui package", p)
		}
		return nil
	})
}
