package main

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/demo"
	"github.com/rareterm/rareterm/feeds/eastmoney"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
	"github.com/rareterm/rareterm/ui"
)

func keys(m *ui.Model, ks ...tea.KeyPressMsg) {
	for _, k := range ks {
		m.Update(k)
	}
}

var (
	keyTab   = tea.KeyPressMsg{Code: tea.KeyTab}
	keyEnter = tea.KeyPressMsg{Code: tea.KeyEnter}
	keyLeft  = tea.KeyPressMsg{Code: tea.KeyLeft}
)

func keyText(s string) tea.KeyPressMsg { return tea.KeyPressMsg{Code: rune(s[0]), Text: s} }

// The ticker detail of the live program against a server speaking the
// real wire formats: opening 600111 has the poller fetch its book,
// minutes and fund flow; 分时 shows the session frame and the previous
// close, the book 卖1/买1 (Ask 1/Bid 1), the flow its split; 1M shows
// candles with the MA legend and the crosshair line; the cache keeps the
// minutes and the flow.
func TestLiveTickerDetail(t *testing.T) {
	bodies := map[string]string{
		"/api/qt/ulist.np/get":             "eastmoney/testdata/ulist.json",
		"/api/qt/stock/kline/get":          "eastmoney/testdata/kline.json",
		"/api/qt/stock/get":                "eastmoney/testdata/book.json",
		"/api/qt/stock/trends2/get":        "eastmoney/testdata/trends2.json",
		"/api/qt/stock/fflow/kline/get":    "eastmoney/testdata/fflow_kline.json",
		"/api/qt/stock/fflow/daykline/get": "eastmoney/testdata/fflow_daykline.json",
	}
	var hmu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hmu.Lock()
		hits[r.URL.Path]++
		hmu.Unlock()
		f, ok := bodies[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(fixture(t, f))
	}))
	defer srv.Close()
	cfg := liveTestConfig(t, srv.URL)
	db, err := store.Open(filepath.Join(t.TempDir(), "rareterm.db"), store.Options{Mode: "live"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mu sync.Mutex
	now := time.Date(2026, 1, 9, 15, 30, 0, 0, model.CST) // after the close: the whole session is in
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }

	var p *feeds.Poller
	m := ui.New(ui.Deps{Watchlist: cfg.Watchlist, Boards: cfg.Boards, NoColor: true, Now: clock,
		OnDetail: func(s *model.Symbol) { p.SetDetail(s) }})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	pc, err := liveSources(cfg, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	pc.Watchlist, pc.BoardList, pc.Now = cfg.Watchlist, nil, clock
	pc.Cached = storeCache{db}
	pc.Sink = db.Append
	pc.Out = func(b model.Batch) { m.Update(ui.BatchMsg{Batch: b}) }
	p = feeds.NewPoller(pc)
	ctx := context.Background()
	if _, err := p.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	if hits["/api/qt/stock/get"] != 0 {
		t.Fatal("the book was asked for before any detail was open")
	}
	keys(m, keyTab, keyTab, keyEnter, keyText("1")) // 600111, 1D
	if _, err := p.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	s := screen(m)
	for _, want := range []string{"09:30", "11:30/13:00", "15:00", "┄", "prev close 48.73", "avg 49.33", "Ask 1      49.42", "Bid 1      49.41", "main       +3.12亿"} {
		if !strings.Contains(s, want) {
			t.Errorf("1D lacks %q:\n%s", want, s)
		}
	}
	keys(m, keyText("3"), keyLeft) // 1M candles, the crosshair on the newest
	s = screen(m)
	for _, want := range []string{"MA5", "MA10", "MA20", "2026-01-09  O 48.90  H 49.88  L 48.60  C 49.41"} {
		if !strings.Contains(s, want) {
			t.Errorf("1M lacks %q:\n%s", want, s)
		}
	}
	keys(m, keyTab, keyTab) // the fund flow tab
	s = screen(m)
	for _, want := range []string{"+3.12亿", "+2.14亿", "-1.11亿", "-2.01亿", "01-09"} {
		if !strings.Contains(s, want) {
			t.Errorf("fund flow lacks %q:\n%s", want, s)
		}
	}
	ss, err := db.Sessions("600111", time.Time{}, time.Time{})
	if err != nil || len(ss) != 1 || len(ss[0].Ticks) != 241 {
		t.Errorf("cached sessions: %v %d", err, len(ss))
	}
	fd, _ := db.FlowDays("600111", time.Time{}, time.Time{})
	if len(fd) != 1 || fd[0].Flow.Main != 312456789 {
		t.Errorf("cached flow days: %+v", fd)
	}
}

// The demo market drives the same views: a simulated book, five sessions
// with their day marks, candles and flows.
func TestDemoTickerDetail(t *testing.T) {
	now := time.Date(2026, 1, 9, 14, 0, 0, 0, model.CST)
	clock := func() time.Time { return now }
	pc := demoSources(1, demo.WithClock(clock))
	var p *feeds.Poller
	watch := []model.Symbol{{Code: "600111", Market: model.MarketSSE, Name: "北方稀土"}}
	m := ui.New(ui.Deps{Watchlist: watch, NoColor: true, Demo: true, Now: clock, OnDetail: func(s *model.Symbol) { p.SetDetail(s) }})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	pc.Watchlist, pc.Now = watch, clock
	pc.Out = func(b model.Batch) { m.Update(ui.BatchMsg{Batch: b}) }
	p = feeds.NewPoller(pc)
	ctx := context.Background()
	for i := 0; i < 3; i++ { // quotes, and the year of daily bars
		if _, err := p.Cycle(ctx); err != nil {
			t.Fatal(err)
		}
	}
	keys(m, keyTab, keyTab, keyEnter, keyText("2"))
	if _, err := p.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	s := screen(m)
	for _, want := range []string{"01-05", "01-06", "01-07", "01-08", "01-09", "┊", "Ask 1", "Bid 1", "main"} {
		if !strings.Contains(s, want) {
			t.Errorf("demo 5D lacks %q:\n%s", want, s)
		}
	}
	keys(m, keyText("5"))
	s = screen(m)
	if !strings.Contains(s, "MA20") || !strings.Contains(s, "┃") && !strings.Contains(s, "█") {
		t.Errorf("demo 1Y has no candles:\n%s", s)
	}
}

// Offline review shows the cached minutes and fund flow of the day under
// the cursor.
func TestOfflineReviewShowsCachedDetail(t *testing.T) {
	sym := model.Symbol{Code: "600111", Market: model.MarketSSE}
	body := func(name string) []byte { return fixture(t, "eastmoney/testdata/"+name) }
	tr, err := eastmoneyParseTrends(body("trends2.json"), sym)
	if err != nil {
		t.Fatal(err)
	}
	fd, err := eastmoneyParseFlowDays(body("fflow_daykline.json"), sym)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "rareterm.db")
	db, err := store.Open(path, store.Options{Mode: "live"})
	if err != nil {
		t.Fatal(err)
	}
	day := model.Date(2026, 1, 9)
	if err := db.Append(model.Batch{At: day, Quotes: []model.Quote{{Symbol: "600111", Time: day.Add(15 * time.Hour), Last: 49.41, PrevClose: 48.73, Source: "eastmoney"}},
		Detail: []model.Detail{{Symbol: "600111", Sessions: tr, FlowDays: fd}}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	snap, err := ro.Snapshot(day.Add(24*time.Hour-time.Second), []string{"600111"}, 400)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 12, 20, 0, 0, 0, model.CST)
	m := ui.New(ui.Deps{Snapshot: snap, Watchlist: []model.Symbol{sym}, History: ro, Offline: true, AsOf: day, NoColor: true, Now: func() time.Time { return now }})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	for _, k := range []tea.KeyPressMsg{keyTab, keyTab, keyEnter, keyText("1")} {
		_, cmd := m.Update(k)
		runCmd(m, cmd, 0)
	}
	s := screen(m)
	for _, want := range []string{"11:30/13:00", "prev close 48.73", "avg 49.33", "order book: live only"} {
		if !strings.Contains(s, want) {
			t.Errorf("offline 1D lacks %q:\n%s", want, s)
		}
	}
	keys(m, keyTab, keyTab)
	if s := screen(m); !strings.Contains(s, "+3.12亿") || !strings.Contains(s, "01-09") {
		t.Errorf("offline fund flow:\n%s", s)
	}
}

func eastmoneyParseTrends(b []byte, s model.Symbol) ([]model.Session, error) {
	p, err := eastmoney.ParseTrends(b, s)
	return p.Rows, err
}

func eastmoneyParseFlowDays(b []byte, s model.Symbol) ([]model.FlowDay, error) {
	p, err := eastmoney.ParseFlowDays(b, s)
	return p.Rows, err
}
