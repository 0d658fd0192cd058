package feeds_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/eastmoney"
	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

// counter is an Eastmoney stand-in serving the real bodies and counting
// requests by path.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) get(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[path]
}

func newCounter(t *testing.T) (*counter, *httptest.Server) {
	raw, err := os.ReadFile("eastmoney/testdata/ulist.json")
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string][]byte{"/api/qt/ulist.np/get": raw}
	for path, f := range map[string]string{
		"/api/qt/stock/get":                    "book.json",
		"/his/api/qt/stock/trends2/get":        "trends2.json",
		"/api/qt/stock/fflow/kline/get":        "fflow_kline.json",
		"/his/api/qt/stock/fflow/daykline/get": "fflow_daykline.json",
	} {
		b, err := os.ReadFile("eastmoney/testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		bodies[path] = b
	}
	c := &counter{n: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.n[r.URL.Path]++
		if id := r.URL.Query().Get("secid"); id != "" {
			c.n[r.URL.Path+" "+id]++
		}
		c.mu.Unlock()
		b, ok := bodies[r.URL.Path]
		if r.URL.Query().Get("secid") == "0.000999" {
			ok = false // a code the feed does not serve
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return c, srv
}

// The order book costs exactly one request per quote cycle while a detail
// is open, for that one symbol, and none otherwise; the minutes and fund
// flow come on opening and then once a minute.
func TestDetailAddsOneRequestPerCycleOnlyWhileOpen(t *testing.T) {
	cnt, srv := newCounter(t)
	em := eastmoney.New(eastmoney.Config{Push2URL: srv.URL, Push2HisURL: srv.URL + "/his", HTTP: httpx.New(httpx.Options{Timeout: 2 * time.Second})})
	var mu sync.Mutex
	now := time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST) // a Friday session
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var batches []model.Batch
	watch := []model.Symbol{{Code: "600111", Market: model.MarketSSE}, {Code: "000831", Market: model.MarketSZSE}, {Code: "06680", Market: model.MarketHKEX}}
	p := feeds.NewPoller(feeds.PollerConfig{
		Quotes: []feeds.QuoteSource{em}, Detail: em, Watchlist: watch, Now: clock,
		Out: func(b model.Batch) { batches = append(batches, b) },
	})
	cycle := func(n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			if _, err := p.Cycle(context.Background()); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			now = now.Add(feeds.DefaultCadence.QuotesOpen)
			mu.Unlock()
		}
	}
	const book, quotes = "/api/qt/stock/get", "/api/qt/ulist.np/get"
	detailReqs := func() int {
		return cnt.get(book) + cnt.get("/his/api/qt/stock/trends2/get") + cnt.get("/api/qt/stock/fflow/kline/get") + cnt.get("/his/api/qt/stock/fflow/daykline/get")
	}

	cycle(4)
	if cnt.get(quotes) != 4 || detailReqs() != 0 {
		t.Fatalf("no detail open: %d quote requests, %d detail requests; want 4 and 0", cnt.get(quotes), detailReqs())
	}

	sym := watch[0]
	p.SetDetail(&sym)
	cycle(6) // 30 s
	if got := cnt.get(book); got != 6 {
		t.Fatalf("detail open for 6 cycles: %d book requests, want 6", got)
	}
	if cnt.get(quotes) != 10 {
		t.Fatalf("quote requests %d, want 10 (one a cycle, the watchlist in one)", cnt.get(quotes))
	}
	if cnt.get("/his/api/qt/stock/trends2/get") != 1 || cnt.get("/api/qt/stock/fflow/kline/get") != 1 || cnt.get("/his/api/qt/stock/fflow/daykline/get") != 1 {
		t.Fatalf("on opening: trends2 %d, fflow %d, daykline %d; want one each", cnt.get("/his/api/qt/stock/trends2/get"), cnt.get("/api/qt/stock/fflow/kline/get"), cnt.get("/his/api/qt/stock/fflow/daykline/get"))
	}
	cycle(7) // past a minute since opening
	if cnt.get(book) != 13 || cnt.get("/his/api/qt/stock/trends2/get") != 2 || cnt.get("/his/api/qt/stock/fflow/daykline/get") != 1 {
		t.Fatalf("after a minute: book %d (want 13), trends2 %d (want 2), daykline %d (want 1)", cnt.get(book), cnt.get("/his/api/qt/stock/trends2/get"), cnt.get("/his/api/qt/stock/fflow/daykline/get"))
	}

	// What arrived: the book of 600111, its session and its flows.
	var d model.Detail
	for _, b := range batches {
		for _, x := range b.Detail {
			if len(x.Sessions) > 0 {
				d = x
			}
		}
	}
	if d.Symbol != "600111" || d.Book == nil || d.Book.Bids[0].Price != 49.41 || len(d.Sessions) != 1 || len(d.Sessions[0].Ticks) != 241 || d.Flow == nil || len(d.Flow.Ticks) != 240 {
		b, _ := json.Marshal(d)
		t.Fatalf("detail batch: %s", strings.ReplaceAll(string(b)[:min(len(b), 400)], "\n", " "))
	}

	before := detailReqs()
	p.SetDetail(nil)
	cycle(5)
	if detailReqs() != before {
		t.Fatalf("detail closed: %d more detail requests, want none", detailReqs()-before)
	}
}

// Details leased by terminals take turns, a bounded number a cycle, and a
// lease that is not renewed stops its requests.
func TestDetailLeasesTakeTurnsAndExpire(t *testing.T) {
	cnt, srv := newCounter(t)
	em := eastmoney.New(eastmoney.Config{Push2URL: srv.URL, Push2HisURL: srv.URL + "/his", HTTP: httpx.New(httpx.Options{Timeout: 2 * time.Second})})
	var mu sync.Mutex
	now := time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST) // a Friday session
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var got []model.Detail
	p := feeds.NewPoller(feeds.PollerConfig{
		Detail: em, Now: clock,
		Out: func(b model.Batch) { got = append(got, b.Detail...) },
	})
	cycle := func(n int, renew ...model.Symbol) {
		t.Helper()
		for i := 0; i < n; i++ {
			for _, s := range renew {
				if err := p.LeaseDetail(s, 20*time.Second); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := p.Cycle(context.Background()); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			now = now.Add(feeds.DefaultCadence.QuotesOpen)
			mu.Unlock()
		}
	}
	const book = "/api/qt/stock/get"
	a := model.Symbol{Code: "600111", Market: model.MarketSSE}
	b := model.Symbol{Code: "000831", Market: model.MarketSZSE}
	if err := p.LeaseDetail(a, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := p.LeaseDetail(b, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	cycle(2, a) // a renewed, b not
	if cnt.get(book+" 1.600111") != 2 || cnt.get(book+" 0.000831") != 2 {
		t.Fatalf("two leases, two cycles: books %d and %d, want 2 each", cnt.get(book+" 1.600111"), cnt.get(book+" 0.000831"))
	}
	var sawA, sawB bool
	for _, d := range got {
		sawA = sawA || (d.Symbol == "600111" && d.Book != nil && len(d.Sessions) > 0)
		sawB = sawB || (d.Symbol == "000831" && d.Book != nil && len(d.Sessions) > 0)
	}
	if !sawA || !sawB {
		t.Fatalf("each lease's book and minutes reach the batch: %v %v", sawA, sawB)
	}
	cycle(6, a) // 30 s: b's lease (20 s) ran out
	bBooks := cnt.get(book + " 0.000831")
	if bBooks > 4+1 {
		t.Fatalf("b's book asked %d times in 40 s of a 20-second lease", bBooks)
	}
	cycle(6, a)
	if n := cnt.get(book + " 0.000831"); n != bBooks {
		t.Fatalf("b's lease expired, yet %d more book requests", n-bBooks)
	}
	if n := cnt.get(book + " 1.600111"); n != 14 {
		t.Fatalf("a renewed: %d book requests in 14 cycles, want 14", n)
	}
	if l := p.Leased(); len(l) != 1 || l[0] != "600111" {
		t.Fatalf("leased %v", l)
	}

	// a lapses too: no detail request at all.
	cycle(5)
	before := cnt.get(book)
	cycle(5)
	if cnt.get(book) != before || cnt.get("/his/api/qt/stock/trends2/get 1.600111") > 3 {
		t.Fatalf("no lease: %d more book requests", cnt.get(book)-before)
	}

	// Eight leases at most, served two a cycle, least recently served first.
	codes := []string{"600111", "600010", "600392", "600259", "000831", "000970", "300748", "600549"}
	path := func(c string) string {
		s, _ := model.ParseSymbol(c)
		if s.Market == model.MarketSZSE {
			return book + " 0." + c
		}
		return book + " 1." + c
	}
	base := map[string]int{}
	for _, c := range codes {
		base[c] = cnt.get(path(c))
		s, _ := model.ParseSymbol(c)
		if err := p.LeaseDetail(s, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.LeaseDetail(model.Symbol{Code: "601600", Market: model.MarketSSE}, time.Hour); err != feeds.ErrDetailFull {
		t.Fatalf("a ninth lease: %v", err)
	}
	before = cnt.get(book)
	cycle(1)
	if d := cnt.get(book) - before; d != feeds.DefaultDetailPerCycle {
		t.Fatalf("one cycle over 8 leases: %d book requests, want %d", d, feeds.DefaultDetailPerCycle)
	}
	cycle(3)
	for _, c := range codes {
		if n := cnt.get(path(c)) - base[c]; n != 1 {
			t.Errorf("after 4 cycles over 8 leases: %s book asked %d times, want once", c, n)
		}
	}
}

// A leased security the feed fails on does not slow the others down.
func TestDetailLeaseFailingDoesNotHoldUpTheOthers(t *testing.T) {
	cnt, srv := newCounter(t)
	em := eastmoney.New(eastmoney.Config{Push2URL: srv.URL, Push2HisURL: srv.URL + "/his", HTTP: httpx.New(httpx.Options{Timeout: 2 * time.Second})})
	var mu sync.Mutex
	now := time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	p := feeds.NewPoller(feeds.PollerConfig{Detail: em, Now: clock, Rand: func() float64 { return 0.99 }})
	for _, s := range []model.Symbol{{Code: "600111", Market: model.MarketSSE}, {Code: "000999", Market: model.MarketSZSE}} {
		if err := p.LeaseDetail(s, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 8; i++ {
		if _, err := p.Cycle(context.Background()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		now = now.Add(feeds.DefaultCadence.QuotesOpen)
		mu.Unlock()
	}
	if n := cnt.get("/api/qt/stock/get 1.600111"); n != 8 {
		t.Fatalf("600111's book %d times in 8 cycles beside a failing 000999, want 8", n)
	}
}
