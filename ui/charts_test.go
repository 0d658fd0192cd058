package ui

import (
	"context"
	"fmt"
	"github.com/rareterm/rareterm/i18n"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/rareterm/rareterm/feeds/demo"
	"github.com/rareterm/rareterm/feeds/eastmoney"
	"github.com/rareterm/rareterm/model"
)

// wireDetail is 600111's detail in the wire formats of the feed samples
// (the day of the fixture's quotes): its order book, the session of
// 2026-01-09 and four sessions before it (the same minutes, a little
// lower each day back), today's fund flow per minute and a month of daily
// flow.
func wireDetail(t testing.TB) model.Detail {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile("../feeds/eastmoney/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	sym := model.Symbol{Code: "600111", Market: model.MarketSSE}
	book, err := eastmoney.ParseBook(read("book.json"), sym)
	if err != nil {
		t.Fatal(err)
	}
	book.Time = fixtureNow
	tr, err := eastmoney.ParseTrends(read("trends2.json"), sym)
	if err != nil || len(tr.Rows) != 1 {
		t.Fatalf("trends2: %v", err)
	}
	today := tr.Rows[0]
	// Up to 10:31, the fixture's clock: the rest of the day is not traded yet.
	var ticks []model.Tick
	for _, tk := range today.Ticks {
		if !tk.Time.After(fixtureNow) {
			ticks = append(ticks, tk)
		}
	}
	today.Ticks = ticks
	var ss []model.Session
	day := today.Day
	for k := 4; k >= 1; k-- {
		d := day
		for i := 0; i < k; i++ {
			d = model.PrevTradingDay(model.ExchangeA, d)
		}
		f := 1 - 0.01*float64(k)
		s := model.Session{Symbol: "600111", Day: d, PrevClose: model.RoundTo(48.73*(f-0.004), 2), Source: "eastmoney"}
		for _, tk := range tr.Rows[0].Ticks {
			tk.Time = d.Add(tk.Time.Sub(day))
			tk.Open, tk.Close, tk.High, tk.Low, tk.Avg = model.RoundTo(tk.Open*f, 2), model.RoundTo(tk.Close*f, 2), model.RoundTo(tk.High*f, 2), model.RoundTo(tk.Low*f, 2), model.RoundTo(tk.Avg*f, 3)
			s.Ticks = append(s.Ticks, tk)
		}
		ss = append(ss, s)
	}
	ss = append(ss, today)
	fm, err := eastmoney.ParseFlowMinutes(read("fflow_kline.json"), sym)
	if err != nil {
		t.Fatal(err)
	}
	var fticks []model.FlowTick
	for _, x := range fm.Rows {
		if !x.Time.After(fixtureNow) {
			fticks = append(fticks, x)
		}
	}
	fd, err := eastmoney.ParseFlowDays(read("fflow_daykline.json"), sym)
	if err != nil || len(fd.Rows) != 1 {
		t.Fatal(err)
	}
	// Twenty sessions before it, each a fraction of the sample day's.
	var days []model.FlowDay
	d := fd.Rows[0].Date
	for k := 20; k >= 1; k-- {
		x := fd.Rows[0]
		x.Date = d
		for i := 0; i < k; i++ {
			x.Date = model.PrevTradingDay(model.ExchangeA, x.Date)
		}
		s := float64((k*37)%11-5) / 5
		x.Flow = model.Flow{Main: x.Flow.Main * s, Super: x.Flow.Super * s, Large: x.Flow.Large * s, Medium: x.Flow.Medium * s, Small: x.Flow.Small * s}
		days = append(days, x)
	}
	days = append(days, fd.Rows[0])
	return model.Detail{Symbol: "600111", Book: &book, Sessions: ss, Flow: &model.FlowToday{Symbol: "600111", Day: day, Ticks: fticks, Source: "eastmoney"}, FlowDays: days}
}

// boardDetail is BK0578's session and fund flow from the demo market.
func boardDetail(t testing.TB) model.Detail {
	t.Helper()
	mk := demo.New(1, demo.WithClock(func() time.Time { return fixtureNow }))
	sym := model.Symbol{Code: "BK0578", Market: model.MarketBoard}
	ss, err := mk.Sessions(context.Background(), sym, 1)
	if err != nil {
		t.Fatal(err)
	}
	ft, err := mk.FlowToday(context.Background(), sym)
	if err != nil {
		t.Fatal(err)
	}
	return model.Detail{Symbol: "BK0578", Sessions: ss, Flow: &ft}
}

// detailModel is the fixture with 600111's and BK0578's detail delivered
// by the poller.
func detailModel(t testing.TB, w, h int) *Model {
	m := sized(fixtureModel(false), w, h)
	send(m, BatchMsg{Batch: model.Batch{At: fixtureNow, Detail: []model.Detail{wireDetail(t), boardDetail(t)}}})
	return m
}

// The charts of the ticker view, each at 80×24 and 160×48.
var chartViews = map[string][]string{
	"ticker_1d":        {"tab", "tab", "enter", "1"},
	"ticker_5d":        {"tab", "tab", "enter", "2"},
	"ticker_kline_1m":  {"tab", "tab", "enter", "3"},
	"ticker_kline_1y":  {"tab", "tab", "enter"},
	"ticker_kline_wk":  {"tab", "tab", "enter", "6", "K"},
	"ticker_crosshair": {"tab", "tab", "enter", "3", "left", "left"},
	"ticker_book":      {"tab", "tab", "enter", "tab"},
	"ticker_flow":      {"tab", "tab", "enter", "tab", "tab"},
	"board_detail":     {"tab", "tab", "tab", "tab", "tab", "enter"},
}

func TestChartGoldens(t *testing.T) {
	for _, name := range names(chartViews) {
		for _, sz := range [][2]int{{80, 24}, {160, 48}} {
			t.Run(fmt.Sprintf("%s/%dx%d", name, sz[0], sz[1]), func(t *testing.T) {
				m := detailModel(t, sz[0], sz[1])
				press(m, chartViews[name]...)
				s := screenText(m)
				checkFits(t, name, s, sz[0], sz[1])
				golden.RequireEqual(t, s)
			})
		}
	}
}

// The crosshair as a trader uses it, in a running program: on the 1M
// candles, ← shows it on the newest bar and moves it back, l moves it
// forward, the line gives the bar's date and figures; esc hides it and
// stays on the ticker, a second esc goes back; a range key hides it too.
func TestTeatestCrosshair(t *testing.T) {
	m := detailModel(t, 160, 48)
	v := observe(m)
	tm := teatest.NewTestModel(t, v, teatest.WithInitialTermSize(160, 48))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("3")
	v.waitFor(t, "MA20")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyLeft}) // the newest bar: today's live quote
	v.waitFor(t, "2026-01-09  O 48.90  H 49.88  L 48.60  C 49.41")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyLeft})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyLeft})
	tm.Type("l")
	v.waitFor(t, "2026-01-08  O ")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape}) // hides the crosshair, stays
	v.waitFor(t, "公告    1D  5D  1M")
	waitGone(t, v, "2026-01-08  O ")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyRight})
	v.waitFor(t, "2026-01-09  O ")
	tm.Type("4") // a range key hides it as well
	waitGone(t, v, "2026-01-09  O ")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	v.waitFor(t, "Elements 元/吨")
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(30*time.Second))
	fm := tm.FinalModel(t).(*observed).m
	if len(fm.stack) != 1 {
		t.Fatalf("stack %s, want the dashboard", fm.breadcrumbs())
	}
}

func waitGone(t *testing.T, v *observed, s string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for strings.Contains(v.screen.Load().(string), s) {
		if time.Now().After(deadline) {
			t.Fatalf("%q still on screen:\n%s", s, v.screen.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The poller is told of the ticker on top, and of none when it is left;
// a view opened over it (help) is not a detail.
func TestDetailFollowsTheTopScreen(t *testing.T) {
	var told []string
	m := fixtureModel(false)
	m.deps.OnDetail = func(s *model.Symbol) {
		if s == nil {
			told = append(told, "none")
		} else {
			told = append(told, s.Code)
		}
	}
	sized(m, 160, 48)
	press(m, "tab", "tab", "enter", "3", "?", "?", "esc", "down", "enter")
	if got := strings.Join(told, " "); got != "600111 none 600111 none 600010" {
		t.Fatalf("told %q", got)
	}
}

// No chart view overflows any terminal from 20×5 to 240×70.
func TestChartViewsNeverOverflow(t *testing.T) {
	for _, name := range names(chartViews) {
		for w := 20; w <= 240; w += 22 {
			m := detailModel(t, w, 5)
			press(m, chartViews[name]...)
			for h := 5; h <= 70; h += 13 {
				sized(m, w, h)
				checkFits(t, fmt.Sprintf("%s at %dx%d", name, w, h), screenText(m), w, h)
			}
		}
	}
}

var _ = context.Background

// The order book's labels follow the language setting: 卖5 … 买5 in
// Chinese, Ask 5 … Bid 5 in English.
func TestOrderBookFollowsLanguage(t *testing.T) {
	for _, zh := range []bool{false, true} {
		m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Health: fixtureHealth(), NoColor: true, Lang: map[bool]i18n.Lang{true: i18n.ZH}[zh],
			Now: func() time.Time { return fixtureNow }})
		sized(m, 160, 48)
		send(m, BatchMsg{Batch: model.Batch{At: fixtureNow, Detail: []model.Detail{wireDetail(t)}}})
		press(m, "tab", "tab", "enter", "1")
		s := screenText(m)
		want := []string{"Ask 5      49.46", "Ask 1      49.42", "Bid 1      49.41", "Bid 5      49.37", "lim up 53.60"}
		if zh {
			want = []string{"卖5      49.46", "卖1      49.42", "买1      49.41", "买5      49.37", "涨停   53.60", "超大单"}
		}
		for _, w := range want {
			if !strings.Contains(s, w) {
				t.Errorf("zh=%v: screen lacks %q:\n%s", zh, w, s)
			}
		}
	}
}
