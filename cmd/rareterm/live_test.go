package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
	"github.com/rareterm/rareterm/ui"
)

// fakeFeeds serves the real wire formats from the providers' fixtures:
// Eastmoney (push2, push2his, datacenter) and Sina, on one local server.
type fakeFeeds struct {
	*httptest.Server
	emDown atomic.Bool // Eastmoney answers 500 while set
	hits   sync.Map    // path → count
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "feeds", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newFakeFeeds(t *testing.T) *fakeFeeds {
	f := &fakeFeeds{}
	ulist := fixture(t, "eastmoney/testdata/ulist.json")
	boards := fixture(t, "eastmoney/testdata/ulist_boards.json")
	members := fixture(t, "eastmoney/testdata/clist_constituents.json")
	kline := fixture(t, "eastmoney/testdata/kline.json")
	margin := fixture(t, "eastmoney/testdata/margin.json")
	sector := fixture(t, "eastmoney/testdata/sector_005.json")
	sinaBody := fixture(t, "httpx/testdata/sina_list.gbk")
	annList := fixture(t, "eastmoney/testdata/ann_list.json")
	annText := fixture(t, "eastmoney/testdata/ann_content.json")
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := f.hits.LoadOrStore(r.URL.Path, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		if strings.HasPrefix(r.URL.Path, "/list=") {
			if r.Header.Get("Referer") == "" {
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
			w.Header().Set("Content-Type", "application/javascript; charset=GBK")
			w.Write(sinaBody)
			return
		}
		if f.emDown.Load() {
			http.Error(w, "upstream broken", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		switch r.URL.Path {
		case "/api/qt/ulist.np/get":
			if strings.Contains(r.URL.Query().Get("secids"), "90.BK") {
				w.Write(boards)
			} else {
				w.Write(ulist)
			}
		case "/api/qt/clist/get":
			w.Write(members)
		case "/api/qt/stock/kline/get":
			w.Write(kline)
		case "/api/data/v1/get":
			if strings.Contains(r.URL.Query().Get("reportName"), "BKJYMXN") {
				w.Write(sector)
			} else {
				w.Write(margin)
			}
		case "/api/security/ann":
			w.Write(annList)
		case "/api/content/ann":
			w.Write(annText)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeFeeds) count(path string) int64 {
	n, ok := f.hits.Load(path)
	if !ok {
		return 0
	}
	return n.(*atomic.Int64).Load()
}

func liveTestConfig(t *testing.T, url string) Config {
	t.Helper()
	src := fmt.Sprintf(`
[watchlist]
symbols = ["600111", "000831", "06680", "516150"]
boards = ["BK0578"]
[feeds.eastmoney]
push2_url = %[1]q
push2his_url = %[1]q
datacenter_url = %[1]q
anotice_url = %[1]q
cnotice_url = %[1]q
requests_per_sec = 50
[feeds.sina]
url = %[1]q
requests_per_sec = 50
`, url)
	cfg, err := parseConfig("test.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func screen(m tea.Model) string { return ansi.Strip(m.View().Content) }

// The live dashboard against a server speaking the real wire formats: its
// figures reach the screen and the cache; when Eastmoney fails the status
// bar says so within one cycle, the last figures stay and Sina takes over the
// quotes; when it comes back, Eastmoney takes over again with no restart.
func TestLiveFeedsFailoverAndRecovery(t *testing.T) {
	srv := newFakeFeeds(t)
	cfg := liveTestConfig(t, srv.URL)
	db, err := store.Open(filepath.Join(t.TempDir(), "rareterm.db"), store.Options{Mode: "live"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	var mu sync.Mutex
	now := time.Date(2026, 1, 9, 10, 30, 0, 0, model.CST)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }

	m := ui.New(ui.Deps{Watchlist: cfg.Watchlist, Boards: cfg.Boards, NoColor: true, Now: clock})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	pc, err := liveSources(cfg, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	pc.Watchlist, pc.BoardList, pc.Now = cfg.Watchlist, cfg.Boards, clock
	pc.Cached = storeCache{db}
	pc.Sink = db.Append
	pc.Out = func(b model.Batch) { m.Update(ui.BatchMsg{Batch: b}) }
	p := feeds.NewPoller(pc)
	ctx := context.Background()

	// 1. Healthy: the server's figures are on screen and in the cache.
	if _, err := p.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	s := screen(m)
	for _, want := range []string{"49.41", "45.62", "20.40", "1.527", "● eastmoney", "○ sina standby"} {
		if !strings.Contains(s, want) {
			t.Errorf("healthy screen lacks %q:\n%s", want, s)
		}
	}
	if q, ok, _ := db.LatestQuote("600111"); !ok || q.Last != 49.41 || q.Source != "eastmoney" {
		t.Errorf("cached 600111: %+v %v", q, ok)
	}
	if srv.count("/list=sh600111,sz000831,rt_hk06680,sh516150") != 0 {
		t.Error("sina was asked while eastmoney was healthy")
	}

	// 2. Eastmoney fails: within one cycle the status bar says so, the
	// figures stay, and Sina serves the quotes.
	srv.emDown.Store(true)
	advance(6 * time.Second)
	if _, err := p.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	s = screen(m)
	if !strings.Contains(s, "✗ eastmoney failing") {
		t.Errorf("the status bar does not report the failure:\n%s", s)
	}
	if !strings.Contains(s, "● sina") || !strings.Contains(s, "49.41") {
		t.Errorf("sina did not take over, or the figures left the screen:\n%s", s)
	}
	// Quotes are keyed by exchange time; the Sina fixture is stamped
	// 15:00:00, so it is cached beside Eastmoney's later quote.
	qs, _ := db.Quotes("600111", time.Time{}, time.Time{})
	sinaCached := false
	for _, q := range qs {
		sinaCached = sinaCached || (q.Source == "sina" && q.Last == 49.41)
	}
	if !sinaCached {
		t.Errorf("no Sina quote cached during the outage: %+v", qs)
	}

	// 3. Eastmoney recovers: after its backoff it serves again, Sina stands by.
	srv.emDown.Store(false)
	advance(10 * time.Minute)
	if _, err := p.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	s = screen(m)
	if !strings.Contains(s, "● eastmoney") || !strings.Contains(s, "○ sina standby") || strings.Contains(s, "✗ eastmoney") {
		t.Errorf("no recovery:\n%s", s)
	}
	if n := srv.count("/api/qt/ulist.np/get"); n < 4 {
		t.Errorf("eastmoney quote/board requests: %d, want it polled again after recovery", n)
	}
}

// With no network at all the dashboard still starts on cached and reference
// data and says it is offline.
func TestLiveStartsWithoutNetwork(t *testing.T) {
	srv := newFakeFeeds(t)
	url := srv.URL
	srv.Close() // nothing listens: connection refused, as with no network
	cfg := liveTestConfig(t, url)
	db, err := store.Open(filepath.Join(t.TempDir(), "rareterm.db"), store.Options{Mode: "live"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	snap, err := db.Snapshot(time.Time{}, codes(cfg.Watchlist), 400)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 9, 10, 30, 0, 0, model.CST)
	m := ui.New(ui.Deps{Snapshot: snap, Watchlist: cfg.Watchlist, Boards: cfg.Boards, NoColor: true, Now: func() time.Time { return now }})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	pc, _ := liveSources(cfg, log.New(io.Discard, "", 0))
	pc.Watchlist, pc.BoardList, pc.Now = cfg.Watchlist, cfg.Boards, func() time.Time { return now }
	pc.Sink = db.Append
	pc.Out = func(b model.Batch) { m.Update(ui.BatchMsg{Batch: b}) }
	feeds.NewPoller(pc).Cycle(context.Background())
	s := screen(m)
	for _, want := range []string{"OFFLINE", "2026Q1", "26,834", "✗ eastmoney failing"} {
		if !strings.Contains(s, want) {
			t.Errorf("offline start lacks %q:\n%s", want, s)
		}
	}
}

// A quarter announced by the feed reaches the dashboard's contract panel
// with its notice as source, marked NEW, and the status bar says so.
func TestLiveDashboardShowsAnAnnouncedQuarter(t *testing.T) {
	srv := newEMFeed(t)
	q := model.Quarter{Year: 2026, Q: 4}
	srv.announce.Store(&announcement{q: q, price: "27,512", step: "550.24", date: model.Date(2026, 10, 9)})
	cfg := liveTestConfig(t, srv.URL)
	cfg.Sina.Enabled = false
	db, err := store.Open(filepath.Join(t.TempDir(), "rareterm.db"), store.Options{Mode: "live"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	snap, err := db.Snapshot(time.Time{}, codes(cfg.Watchlist), 400)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 10, 10, 21, 0, 0, 0, model.CST)
	clock := func() time.Time { return now }
	m := ui.New(ui.Deps{Snapshot: snap, Watchlist: cfg.Watchlist, Boards: cfg.Boards, NoColor: true, Now: clock})
	m.Update(tea.WindowSizeMsg{Width: 240, Height: 60})
	before := screen(m)
	if !strings.Contains(before, "2026Q4") || strings.Contains(before, "27,512") {
		t.Fatalf("before the notice, 2026Q4 should be a gap row:\n%s", before)
	}
	pc, err := liveSources(cfg, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	pc.Watchlist, pc.BoardList, pc.Now = cfg.Watchlist, cfg.Boards, clock
	pc.Cached = storeCache{db}
	pc.Sink = db.Append
	pc.Out = func(b model.Batch) { m.Update(ui.BatchMsg{Batch: b}) }
	if _, err := feeds.NewPoller(pc).Cycle(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := screen(m)
	for _, want := range []string{"27,512", "NEW 北方稀土:关于2026年第四季度稀土精矿交易价格的公告", "NEW 2026Q4 concentrate price set: 27,512 元/吨"} {
		if !strings.Contains(s, want) {
			t.Errorf("the dashboard lacks %q:\n%s", want, s)
		}
	}
}
