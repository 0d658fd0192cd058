package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rareterm/rareterm/bus"
	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/eastmoney"
	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
	"github.com/rareterm/rareterm/ui/common"
)

// An attached terminal's history reader is the collector's: the ticker
// view reads its cached minutes and fund flow through it.
var _ common.DetailReader = (*bus.Client)(nil)

// detailFeed is an Eastmoney stand-in serving the real quote, order book,
// minute and fund flow bodies, counting requests by path and security.
type detailFeed struct {
	mu sync.Mutex
	n  map[string]int
}

func (f *detailFeed) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n[key]
}

func newDetailFeed(t *testing.T) (*detailFeed, *httptest.Server) {
	bodies := map[string][]byte{
		"/api/qt/ulist.np/get":                 histFixture(t, "ulist.json"),
		"/api/qt/stock/get":                    histFixture(t, "book.json"),
		"/his/api/qt/stock/trends2/get":        histFixture(t, "trends2.json"),
		"/api/qt/stock/fflow/kline/get":        histFixture(t, "fflow_kline.json"),
		"/his/api/qt/stock/fflow/daykline/get": histFixture(t, "fflow_daykline.json"),
	}
	f := &detailFeed{n: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.n[r.URL.Path]++
		f.n[r.URL.Path+" "+r.URL.Query().Get("secid")]++
		f.mu.Unlock()
		b, ok := bodies[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return f, srv
}

// deskTerminal is an attached terminal without a screen: the market its
// screen reads (the ticker view draws Market.Detail), fed by the bus, and
// the lease its open ticker keeps.
type deskTerminal struct {
	mu    sync.Mutex
	mkt   *common.Market
	lease *detailLease
}

func (d *deskTerminal) detail(code string) (book, minutes bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	dd := d.mkt.Detail[code]
	return dd != nil && dd.Book != nil && dd.Book.Symbol == code, dd != nil && len(dd.Sessions) > 0 && len(dd.Sessions[0].Ticks) > 0
}

// Two terminals attached to one collector open different tickers: each
// sees its order book and minutes, polled once by the collector; a ticker
// closed stops its requests once its lease runs out.
func TestDeskTerminalsSeeTheTickersTheyOpen(t *testing.T) {
	feed, srv := newDetailFeed(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "rareterm.db")
	db, err := store.Open(dbPath, store.Options{NoReference: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	desk, err := startServing(DeskConfig{}, dbPath, "127.0.0.1:0", db, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	defer desk.close()
	em := eastmoney.New(eastmoney.Config{Push2URL: srv.URL, Push2HisURL: srv.URL + "/his", HTTP: httpx.New(httpx.Options{Timeout: 2 * time.Second})})
	fast := 150 * time.Millisecond
	poller := feeds.NewPoller(feeds.PollerConfig{
		Quotes: []feeds.QuoteSource{em}, Detail: em, AlwaysOpen: true,
		Watchlist: []model.Symbol{{Code: "600111", Market: model.MarketSSE}},
		Cadence:   feeds.Cadence{QuotesOpen: fast, QuotesClosed: fast, Boards: time.Hour, Members: time.Hour, Margin: time.Hour, Elements: time.Hour, History: time.Hour, Notices: time.Hour, NoticesSoon: time.Hour},
		Sink: func(b model.Batch) error {
			err := db.Append(b)
			desk.publish(b, err)
			return err
		},
		Logf: t.Logf,
	})
	desk.setDetail(poller.LeaseDetail)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	wg.Add(1)
	go func() { defer wg.Done(); _ = poller.Run(ctx) }()

	attach := func(code string) *deskTerminal {
		nc, cli, err := dialCollector(desk.url, DeskConfig{}, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(nc.Close)
		d := &deskTerminal{mkt: common.NewMarket(model.NewSnapshot(), nil, nil, model.IndexSpec{}, nil, time.Now())}
		sub, err := bus.NewSubscriber(nc, bus.SubscriberConfig{Codes: []string{code}, Out: func(b model.Batch) {
			d.mu.Lock()
			d.mkt.Apply(b)
			d.mu.Unlock()
		}})
		if err != nil {
			t.Fatal(err)
		}
		d.lease = newDetailLease(cli.Detail, time.Second, t.Logf)
		wg.Add(2)
		go func() { defer wg.Done(); _ = sub.Run(ctx) }()
		go func() { defer wg.Done(); d.lease.run(ctx) }()
		sym, _ := model.ParseSymbol(code)
		d.lease.set(&sym) // the ticker opens: the dashboard's OnDetail
		return d
	}
	a, b := attach("600111"), attach("000831")
	waitUntil(t, "each terminal's order book and minutes", func() bool {
		ab, am := a.detail("600111")
		bb, bm := b.detail("000831")
		return ab && am && bb && bm
	})

	// b closes its ticker: its lease lapses, and the collector stops
	// asking for 000831 while it goes on with 600111.
	b.lease.set(nil)
	waitUntil(t, "000831's lease to lapse", func() bool { return !slices.Contains(poller.Leased(), "000831") })
	const book = "/api/qt/stock/get"
	// A cycle in flight when the lease lapsed ends before the next one
	// starts: two more books of 600111 and it is over.
	a0 := feed.count(book + " 1.600111")
	waitUntil(t, "two more books of 600111", func() bool { return feed.count(book+" 1.600111") >= a0+2 })
	n0, a0 := feed.count(book+" 0.000831"), feed.count(book+" 1.600111")
	waitUntil(t, "three more books of 600111", func() bool { return feed.count(book+" 1.600111") >= a0+3 })
	if n := feed.count(book + " 0.000831"); n != n0 {
		t.Fatalf("000831 closed and its lease lapsed, yet %d more book requests", n-n0)
	}
	if l := poller.Leased(); len(l) != 1 || l[0] != "600111" {
		t.Fatalf("leased %v, want 600111 alone", l)
	}
}

// A lease the collector refuses is said once per code in the status bar,
// renewed while the ticker stays open, and not asked for once it closes.
func TestDetailLeaseRefusedIsSaidOnce(t *testing.T) {
	var mu sync.Mutex
	asks := map[string]int{}
	var notes []string
	l := newDetailLease(func(code string, _ time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		asks[code]++
		return feeds.ErrDetailFull
	}, 30*time.Millisecond, t.Logf)
	l.notify = func(err error) { mu.Lock(); notes = append(notes, err.Error()); mu.Unlock() }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); l.run(ctx) }()
	defer func() { cancel(); <-done }()
	sym := model.Symbol{Code: "600111", Market: model.MarketSSE}
	l.set(&sym)
	count := func(code string) int { mu.Lock(); defer mu.Unlock(); return asks[code] }
	waitUntil(t, "the lease renewed", func() bool { return count("600111") >= 4 })
	l.set(nil)
	n := count("600111") // an ask in flight may still count once
	other := model.Symbol{Code: "000831", Market: model.MarketSZSE}
	l.set(&other)
	waitUntil(t, "the second ticker asked for twice", func() bool { return count("000831") >= 2 })
	if m := count("600111"); m > n+1 {
		t.Fatalf("600111 closed, still asked for: %d after %d", m, n)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(notes) != 2 || !strings.Contains(notes[0], "600111") || !strings.Contains(notes[1], "000831") {
		t.Fatalf("status notes %q, want one per code", notes)
	}
}
