package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
	"github.com/rareterm/rareterm/ui"
)

// emFeed is a local server speaking Eastmoney's real wire formats (bodies
// from feeds/eastmoney/testdata), for collect: quotes change on every
// request (a new last price, a timestamp one second past the last one), so
// no two batches carry the same quote; kline serves a year of daily bars
// inside the requested beg..end; margin rows come back under the requested
// code.
type emFeed struct {
	*httptest.Server
	down      atomic.Bool  // every request answers 500 while set
	klineWait atomic.Int64 // nanoseconds each kline request takes
	klineHit  chan struct{}
	seq       atomic.Int64 // quote requests so far
	quoteAt   atomic.Int64 // when set, the Unix time every quote is stamped with
	step      atomic.Int64 // the price step per request, in thousandths (default 3)
	announce  atomic.Pointer[announcement]
	mu        sync.Mutex
	lastTS    int64
}

func histFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "feeds", "eastmoney", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var secidCode = regexp.MustCompile(`^(\d+)\.(\w+)$`)

func newEMFeed(t testing.TB) *emFeed {
	f := &emFeed{klineHit: make(chan struct{}, 100)}
	var ulist struct {
		Data struct {
			Diff []map[string]any `json:"diff"`
		} `json:"data"`
	}
	if err := json.Unmarshal(histFixture(t, "ulist.json"), &ulist); err != nil {
		t.Fatal(err)
	}
	rows := map[string]map[string]any{} // by code
	for _, r := range ulist.Data.Diff {
		rows[r["f12"].(string)] = r
	}
	boards := histFixture(t, "ulist_boards.json")
	members := histFixture(t, "clist_constituents.json")
	margin := string(histFixture(t, "margin.json"))
	sector := map[string][]byte{"005": histFixture(t, "sector_005.json"), "006": histFixture(t, "sector_006.json")}

	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.down.Load() {
			http.Error(w, "upstream broken", http.StatusInternalServerError)
			return
		}
		q := r.URL.Query()
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		switch r.URL.Path {
		case "/api/qt/ulist.np/get":
			if strings.Contains(q.Get("secids"), "90.BK") {
				w.Write(boards)
				return
			}
			w.Write(f.quotes(rows, strings.Split(q.Get("secids"), ",")))
		case "/api/qt/clist/get":
			w.Write(members)
		case "/api/qt/stock/kline/get":
			select {
			case f.klineHit <- struct{}{}:
			default:
			}
			if d := time.Duration(f.klineWait.Load()); d > 0 {
				select {
				case <-time.After(d):
				case <-r.Context().Done():
					return
				}
			}
			w.Write(kline(q.Get("secid"), q.Get("beg"), q.Get("end")))
		case "/api/data/v1/get":
			filter := q.Get("filter")
			if q.Get("reportName") == "RPTA_WEB_BKJYMXN" {
				for typ, body := range sector {
					if strings.Contains(filter, typ) {
						w.Write(body)
						return
					}
				}
				w.Write([]byte(`{"result":null,"success":false,"message":"no data","code":9201}`))
				return
			}
			code := regexp.MustCompile(`\d{6}`).FindString(filter)
			w.Write([]byte(strings.ReplaceAll(margin, `"SCODE":"600111"`, `"SCODE":"`+code+`"`)))
		case "/api/security/ann":
			w.Write(f.noticeList(t))
		case "/api/content/ann":
			w.Write(f.noticeText(t, q.Get("art_code")))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// announcement is a quarter's concentrate price the fake feed announces,
// in the real notices' words.
type announcement struct {
	q     model.Quarter
	price string // as printed, e.g. "27,512"
	step  string // e.g. "550.24"
	date  time.Time
}

var cnQuarter = [5]string{"", "一", "二", "三", "四"}

func (a *announcement) id() string { return "AN" + a.date.Format("20060102") + "1820417356" }

func (a *announcement) quarterText(q model.Quarter) string {
	return fmt.Sprintf("%d年第%s季度", q.Year, cnQuarter[q.Q])
}

// noticeList is the list fixture (600111's 2026Q1 notice and another), led
// by the announcement when one is set.
func (f *emFeed) noticeList(t testing.TB) []byte {
	body := string(histFixture(t, "ann_list.json"))
	a := f.announce.Load()
	if a == nil {
		return []byte(body)
	}
	item := regexp.MustCompile(`\{"art_code": "AN202601091820417356".*?"title_en": ""\}`).FindString(body)
	item = strings.NewReplacer("AN202601091820417356", a.id(), "2026年第一季度", a.quarterText(a.q),
		"2026-01-10 00:00:00", a.date.Format("2006-01-02")+" 00:00:00", "2026-01-09 17:38:45:116", a.date.AddDate(0, 0, -1).Format("2006-01-02")+" 17:38:45:116").Replace(item)
	return []byte(strings.Replace(body, `"list": [`, `"list": [`+item+`, `, 1))
}

// noticeText is the text fixture, reworded for the announcement when asked
// for its id.
func (f *emFeed) noticeText(t testing.TB, id string) []byte {
	body := string(histFixture(t, "ann_content.json"))
	if a := f.announce.Load(); a != nil && id == a.id() {
		body = strings.NewReplacer("AN202601091820417356", id, "2026年第一季度", a.quarterText(a.q), "2025年第四季度", a.quarterText(a.q.Prev()),
			"26,834", a.price, "536.68", a.step).Replace(body)
	}
	return []byte(body)
}

// quotes answers a ulist.np request for secids: the fixture's rows with a
// new last price and a timestamp strictly after every earlier answer's.
func (f *emFeed) quotes(rows map[string]map[string]any, secids []string) []byte {
	n := f.seq.Add(1)
	f.mu.Lock()
	ts := max(time.Now().Unix(), f.lastTS+1)
	f.lastTS = ts
	f.mu.Unlock()
	if at := f.quoteAt.Load(); at != 0 {
		ts = at
	}
	step := f.step.Load()
	if step == 0 {
		step = 3
	}
	var diff []map[string]any
	for _, id := range secids {
		m := secidCode.FindStringSubmatch(id)
		if m == nil {
			continue
		}
		base, ok := rows[m[2]]
		if !ok {
			continue
		}
		row := map[string]any{}
		for k, v := range base {
			row[k] = v
		}
		prev := base["f18"].(float64)
		row["f2"] = float64(int64(prev*1000+0.5)+(n%97)*step) / 1000
		row["f124"] = ts
		diff = append(diff, row)
	}
	b, _ := json.Marshal(map[string]any{"rc": 0, "data": map[string]any{"total": len(diff), "diff": diff}})
	return b
}

// kline is a daily kline/get body for secid: a bar every weekday of the
// last year, within beg..end (YYYYMMDD).
func kline(secid, beg, end string) []byte {
	m := secidCode.FindStringSubmatch(secid)
	if m == nil {
		return []byte(`{"rc":100,"data":null}`)
	}
	market, _ := strconv.Atoi(m[1])
	from, _ := time.ParseInLocation("20060102", beg, model.CST)
	to, _ := time.ParseInLocation("20060102", end, model.CST)
	var lines []string
	today := model.Day(time.Now())
	for d := today.AddDate(-1, 0, 0); d.Before(today); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday || d.Before(from) || d.After(to) {
			continue
		}
		c := 40 + float64(d.YearDay()%30)/10
		lines = append(lines, fmt.Sprintf("%s,%.2f,%.2f,%.2f,%.2f,812345,3912345678.00,2.50,0.20,0.08,2.25",
			d.Format("2006-01-02"), c-0.05, c, c+0.1, c-0.1))
	}
	b, _ := json.Marshal(map[string]any{"rc": 0, "data": map[string]any{"code": m[2], "market": market, "name": "x", "decimal": 2, "klines": lines}})
	return b
}

// collectConfig writes a config pointing every Eastmoney URL at url, Sina
// off, the fastest cadences the config allows.
func collectConfig(t testing.TB, dir, url string) string {
	t.Helper()
	path := filepath.Join(dir, "config.toml")
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
enabled = false
[poll]
quotes_open = "1s"
quotes_closed = "5s"
boards = "2s"
members = "10s"
margin = "1m"
history = "5s"
`, url)
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The child process: `rareterm collect` with the arguments in
// RARETERM_COLLECT_CHILD (tab-separated), reporting every committed record on
// stderr as "COMMITTED kind key time value ." lines.
func TestCollectChildProcess(t *testing.T) {
	args := os.Getenv("RARETERM_COLLECT_CHILD")
	if args == "" {
		t.Skip("only run as a child process")
	}
	collectCommitted = func(b model.Batch) {
		var buf bytes.Buffer
		for _, q := range b.Quotes {
			fmt.Fprintf(&buf, "COMMITTED Q %s %d %s .\n", q.Symbol, q.Time.UnixNano(), strconv.FormatFloat(q.Last, 'g', -1, 64))
		}
		for _, r := range b.Bars {
			fmt.Fprintf(&buf, "COMMITTED B %s %d %s .\n", r.Symbol, r.Time.UnixNano(), strconv.FormatFloat(r.Close, 'g', -1, 64))
		}
		for _, m := range b.Margin {
			fmt.Fprintf(&buf, "COMMITTED M %s %d %s .\n", m.Symbol, m.Date.UnixNano(), strconv.FormatFloat(m.FinBalance, 'g', -1, 64))
		}
		for _, m := range b.Boards {
			fmt.Fprintf(&buf, "COMMITTED K %s %d %s .\n", m.Code, m.Time.UnixNano(), strconv.FormatFloat(m.Level, 'g', -1, 64))
		}
		os.Stderr.Write(buf.Bytes())
	}
	start := time.Now()
	code := run(strings.Split(args, "\t"), os.Stdout, os.Stderr)
	fmt.Fprintf(os.Stderr, "CHILD-EXIT %d after %d ms\n", code, time.Since(start).Milliseconds())
	os.Exit(code)
}

// child starts this test binary as a rareterm process running args.
func child(t *testing.T, args ...string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCollectChildProcess$", "-test.v=false")
	cmd.Env = append(os.Environ(), "RARETERM_COLLECT_CHILD="+strings.Join(args, "\t"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	return cmd, sc
}

// record is one committed value a child reported.
type record struct {
	kind, key string
	at        int64
	value     float64
}

func parseCommitted(line string) (record, bool) {
	f := strings.Fields(line)
	if len(f) != 6 || f[0] != "COMMITTED" || f[5] != "." {
		return record{}, false // not one, or cut short by the kill
	}
	at, err1 := strconv.ParseInt(f[3], 10, 64)
	v, err2 := strconv.ParseFloat(f[4], 64)
	if err1 != nil || err2 != nil {
		return record{}, false
	}
	return record{f[1], f[2], at, v}, true
}

// verify checks that every record is in db with its value.
func verify(db *store.DB, recs map[record]bool) error {
	for r := range recs {
		t := time.Unix(0, r.at)
		var got float64
		var found bool
		switch r.kind {
		case "Q":
			q, ok, err := db.QuoteAsOf(r.key, t)
			if err != nil {
				return err
			}
			found, got = ok && q.Time.Equal(t), q.Last
		case "B":
			bs, err := db.Bars(r.key, model.Daily, t, t)
			if err != nil {
				return err
			}
			if found = len(bs) == 1; found {
				got = bs[0].Close
			}
		case "M":
			ms, err := db.Margin(r.key, t, t)
			if err != nil {
				return err
			}
			if found = len(ms) == 1; found {
				got = ms[0].FinBalance
			}
		case "K":
			ms, err := db.Boards(r.key, t, t)
			if err != nil {
				return err
			}
			if found = len(ms) == 1; found {
				got = ms[0].Level
			}
		}
		if !found || got != r.value {
			return fmt.Errorf("committed %s %s at %s = %v: found %v, value %v", r.kind, r.key, t.In(model.CST).Format(time.RFC3339), r.value, found, got)
		}
	}
	return nil
}

// TestCollectSurvivesSIGKILL: a collector fetching from a server in the real
// formats is killed with SIGKILL 20 times, restarting on the same file (a
// new file every 5 runs, so creation and the first backfill are hit more
// than once). Every kill waits for a condition, never for a time: after the
// run's first committed-batch line, each further batch line (a third of the
// time) or record line (one in 50) may trigger it, the third batch line
// always does; a random jitter of up to 150 ms then only spreads the kill
// points (the kinds commit concurrently, so kills land while other batches
// are being written).
// After each kill the file passes bbolt's consistency check and holds every
// record of every batch the child said it committed.
func TestCollectSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 20 processes")
	}
	const step = time.Minute // the deadline of each wait, for a loaded machine
	srv := newEMFeed(t)
	dir := t.TempDir()
	cfgPath := collectConfig(t, dir, srv.URL)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))

	var (
		dbPath         string
		committed      map[record]bool
		batches, total int
	)
	for run := 0; run < 20; run++ {
		if run%5 == 0 {
			dbPath = filepath.Join(dir, fmt.Sprintf("rareterm-%d.db", run/5))
			committed = map[record]bool{}
		}
		jitter := time.Duration(rng.IntN(150)) * time.Millisecond
		cmd, sc := child(t, "collect", "--db", dbPath, "--config", cfgPath)
		lines := make(chan string, 1024)
		go func() {
			defer close(lines)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		var output []string
		seenBatches := 0
		deadline := time.NewTimer(step)
		var jitterC <-chan time.Time
	reading:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("run %d: the child ended on its own:\n%s", run, strings.Join(output, "\n"))
				}
				output = append(output, l)
				kill := false
				switch {
				case strings.HasPrefix(l, "batch ") && strings.Contains(l, " committed: "):
					seenBatches++
					deadline.Reset(step)
					kill = seenBatches >= 3 || rng.IntN(3) == 0
				case strings.HasPrefix(l, "COMMITTED ") && seenBatches > 0:
					kill = rng.IntN(50) == 0
				}
				if kill && jitterC == nil {
					jitterC = time.After(jitter)
				}
			case <-jitterC:
				break reading
			case <-deadline.C:
				cmd.Process.Kill()
				t.Fatalf("run %d: no committed batch for %v; output:\n%s", run, step, strings.Join(output, "\n"))
			}
		}
		deadline.Stop()
		cmd.Process.Signal(syscall.SIGKILL)
		for l := range lines { // what the child wrote before it died
			output = append(output, l)
		}
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("run %d: the child was not killed (%v):\n%s", run, err, strings.Join(output, "\n"))
		}
		n, nb := 0, 0
		for _, l := range output {
			if r, ok := parseCommitted(l); ok {
				committed[r] = true
				n++
			}
			if strings.HasPrefix(l, "batch ") && strings.Contains(l, " committed: ") {
				nb++
			}
		}
		batches += nb
		total += n

		db, err := store.Open(dbPath, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("run %d (killed after %d batches): %v", run, nb, err)
		}
		if err := db.Check(); err != nil {
			t.Errorf("run %d (killed after %d batches): %v", run, nb, err)
		}
		if err := verify(db, committed); err != nil {
			t.Errorf("run %d (killed after %d batches): %v", run, nb, err)
		}
		db.Close()
		t.Logf("run %d: killed after %d batches, %d records reported committed (%d in this file)", run, nb, n, len(committed))
	}
	if batches < 20 || total < 20 {
		t.Errorf("only %d batches (%d records) committed in 20 runs", batches, total)
	}
	t.Logf("%d committed batches, %d records, %d quote requests", batches, total, srv.seq.Load())
}

// TestCollectThenOffline: what collect cached from the feed is what the
// offline dashboard shows, and stepping its date cursor back shows the
// figures of the day before. No network: the offline screen has no feeds.
func TestCollectThenOffline(t *testing.T) {
	srv := newEMFeed(t)
	srv.step.Store(500) // 0.50 a request: the two days' prices differ on screen
	dir := t.TempDir()
	cfgPath := collectConfig(t, dir, srv.URL)
	dbPath := filepath.Join(dir, "rareterm.db")
	now := time.Now()
	d2 := model.PrevTradingDay(model.ExchangeA, now)
	d1 := model.PrevTradingDay(model.ExchangeA, d2)
	for _, d := range []time.Time{d1, d2} { // 600111: 48.73 + 0.50, then + 1.00
		srv.quoteAt.Store(d.Add(14 * time.Hour).Unix())
		if code, _, errOut := rt(t, "collect", "--once", "--db", dbPath, "--config", cfgPath); code != 0 {
			t.Fatalf("collect: %d\n%s", code, errOut)
		}
	}
	srv.Close() // the network is gone

	cfg, err := LoadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	db, _, err := openDB(dbPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// As the dashboard does with --offline.
	watch := mergeNames(cfg.Watchlist, nil)
	snap, err := db.Snapshot(time.Time{}, codes(watch), 400)
	if err != nil {
		t.Fatal(err)
	}
	m := ui.New(ui.Deps{Snapshot: snap, Watchlist: watch, Boards: cfg.Boards, Index: cfg.Index, History: db, NoColor: true,
		Offline: true, AsOf: model.Day(now), Now: func() time.Time { return now },
		SnapshotAt: func(t time.Time) (model.Snapshot, error) { return db.Snapshot(t, codes(watch), 400) }})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	row := func() string {
		for _, l := range strings.Split(ansi.Strip(m.View().Content), "\n") {
			if strings.Contains(l, "600111") {
				return l
			}
		}
		return ""
	}
	if r := row(); !strings.Contains(r, "49.73") {
		t.Errorf("offline screen, latest: 600111 row %q, want 49.73", r)
	}
	back := func() {
		_, cmd := m.Update(tea.KeyPressMsg{Code: '[', Text: "["})
		if cmd == nil {
			t.Fatal("[ did nothing")
		}
		m.Update(cmd())
	}
	for now := model.Day(now); now.After(d2); now = model.PrevTradingDay(model.ExchangeA, now) {
		back() // to d2, from a weekend or today
	}
	if r := row(); !strings.Contains(r, "49.73") {
		t.Errorf("as of %s: 600111 row %q, want 49.73", d2.Format("2006-01-02"), r)
	}
	back()
	if r := row(); !strings.Contains(r, "49.23") {
		t.Errorf("as of %s: 600111 row %q, want the day before's 49.23\n%s", d1.Format("2006-01-02"), r, ansi.Strip(m.View().Content))
	}
}

// TestCollectStopsCleanlyOnSignal: SIGINT while a history request is in
// flight lets it finish, writes its batch, closes the database and exits 0.
func TestCollectStopsCleanlyOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			srv := newEMFeed(t)
			srv.klineWait.Store(int64(800 * time.Millisecond))
			dir := t.TempDir()
			dbPath := filepath.Join(dir, "rareterm.db")
			cmd, sc := child(t, "collect", "--db", dbPath, "--config", collectConfig(t, dir, srv.URL))
			var out []string
			done := make(chan struct{})
			go func() {
				defer close(done)
				for sc.Scan() {
					out = append(out, sc.Text())
				}
			}()
			select {
			case <-srv.klineHit: // a history request is in flight
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatal("no history request")
			}
			cmd.Process.Signal(sig) // the request stays in flight for 800 ms
			waited := make(chan error, 1)
			go func() { <-done; waited <- cmd.Wait() }()
			var err error
			select {
			case err = <-waited:
			case <-time.After(15 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the collector did not stop")
			}
			all := strings.Join(out, "\n")
			if err != nil {
				t.Fatalf("exit: %v\n%s", err, all)
			}
			// The bars of the request in flight were written after the signal.
			sigLine := strings.Index(all, "finishing the batch in hand")
			bars := regexp.MustCompile(`batch \d+ committed: 0 quotes, [1-9]\d* bars`).FindStringIndex(all)
			if sigLine < 0 || bars == nil || bars[0] < sigLine {
				t.Errorf("the history batch in flight was not written after the signal:\n%s", all)
			}
			if !strings.Contains(all, "database closed") {
				t.Errorf("no clean close:\n%s", all)
			}
			db, err := store.Open(dbPath, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Check(); err != nil {
				t.Error(err)
			}
			if _, _, ok, _ := db.FirstLast("bars1d", "600111"); !ok {
				t.Error("no bars cached")
			}
		})
	}
}

// TestCollectOnce: one cycle of every kind, exit 0; 1 when every feed fails.
func TestCollectOnce(t *testing.T) {
	srv := newEMFeed(t)
	dir := t.TempDir()
	cfgPath := collectConfig(t, dir, srv.URL)
	dbPath := filepath.Join(dir, "data", "rareterm.db")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"collect", "--once", "--db", dbPath, "--config", cfgPath}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	if !regexp.MustCompile(`batch 1 committed: 4 quotes, \d+ bars, \d+ margin, 0 element prices, boards 1(, \d+ notices)?\n`).MatchString(stderr.String()) {
		t.Errorf("progress:\n%s", stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout: %q", stdout.String())
	}
	db, err := store.Open(dbPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	q, ok, _ := db.LatestQuote("06680")
	db.Close()
	if !ok || q.Source != "eastmoney" {
		t.Errorf("06680: %+v %v", q, ok)
	}

	srv.down.Store(true)
	stderr.Reset()
	if code := run([]string{"collect", "--once", "--db", dbPath, "--config", cfgPath}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d with every feed down:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "every feed failed") || !strings.Contains(stderr.String(), "feed eastmoney quotes failing") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// TestCollectDemoNeverTouchesLive: --demo writes demo.db beside the live
// database, and the live one is not created.
func TestCollectDemoNeverTouchesLive(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "rareterm.db")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"collect", "--demo", "--once", "--db", live, "--config", filepath.Join(dir, "none.toml")}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	if _, err := os.Stat(live); err == nil {
		t.Error("the live database was created")
	}
	db, err := store.Open(filepath.Join(dir, "demo.db"), store.Options{Mode: store.ModeDemo, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, ok, _ := db.LatestQuote("600111"); !ok {
		t.Error("nothing collected into demo.db")
	}
}

// TestCollectMovesDamagedFileAside: a file that is not a database is moved
// aside (its bytes kept) with a message, and collection goes on in a new one.
func TestCollectMovesDamagedFileAside(t *testing.T) {
	srv := newEMFeed(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "rareterm.db")
	junk := bytes.Repeat([]byte("this is not a bbolt file\n"), 1000)
	os.WriteFile(dbPath, junk, 0o600)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"collect", "--once", "--db", dbPath, "--config", collectConfig(t, dir, srv.URL)}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	moved, _ := filepath.Glob(dbPath + ".damaged-*")
	if len(moved) != 1 {
		t.Fatalf("moved: %v\n%s", moved, stderr.String())
	}
	if b, _ := os.ReadFile(moved[0]); !bytes.Equal(b, junk) {
		t.Error("the damaged file's bytes were not kept")
	}
	if !strings.Contains(stderr.String(), "moved it aside to "+moved[0]) {
		t.Errorf("no message:\n%s", stderr.String())
	}
}

// TestSecondInstanceFails: a second rareterm (the dashboard, and collect) on
// a database in use fails within 2 s, saying "database in use" and the path.
func TestSecondInstanceFails(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes that wait for the lock")
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "rareterm.db")
	holder, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	cfgPath := collectConfig(t, dir, "http://127.0.0.1:1") // never reached
	for _, args := range [][]string{{"--db", dbPath, "--config", cfgPath}, {"collect", "--db", dbPath, "--config", cfgPath}} {
		t.Run(args[0], func(t *testing.T) {
			start := time.Now()
			cmd, sc := child(t, args...)
			var out []string
			for sc.Scan() {
				out = append(out, sc.Text())
			}
			err := cmd.Wait()
			wall := time.Since(start)
			all := strings.Join(out, "\n")
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Fatalf("exit %v:\n%s", err, all)
			}
			if !strings.Contains(all, "database in use: "+dbPath) {
				t.Errorf("message:\n%s", all)
			}
			var ms int
			if m := regexp.MustCompile(`CHILD-EXIT 1 after (\d+) ms`).FindStringSubmatch(all); m == nil {
				t.Fatalf("no timing:\n%s", all)
			} else {
				ms, _ = strconv.Atoi(m[1])
			}
			if ms >= 2000 {
				t.Errorf("gave up after %d ms, want under 2 s", ms)
			}
			t.Logf("gave up after %d ms (%v with process start)", ms, wall.Round(time.Millisecond))
		})
	}
}

// TestCollectReadsTheQuarterFromItsAnnouncement: a quarter the reference
// lacks, announced by the feed, is stored with its notice as source, and
// the notice's text is kept.
func TestCollectReadsTheQuarterFromItsAnnouncement(t *testing.T) {
	srv := newEMFeed(t)
	q := model.QuarterOf(time.Now())
	srv.announce.Store(&announcement{q: q, price: "27,512", step: "550.24", date: q.Start().AddDate(0, 0, 8)})
	dir := t.TempDir()
	cfgPath := collectConfig(t, dir, srv.URL)
	dbPath := filepath.Join(dir, "data", "rareterm.db")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"collect", "--once", "--db", dbPath, "--config", cfgPath}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	if want := fmt.Sprintf("contract %s 27512.00 元/吨 at REO 50%%", q); !strings.Contains(stderr.String(), want) {
		t.Errorf("progress lacks %q:\n%s", want, stderr.String())
	}
	db, err := store.Open(dbPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cs, _ := db.Contract()
	var got *model.ContractQuarter
	for i := range cs {
		if cs[i].Quarter == q {
			got = &cs[i]
		}
	}
	if got == nil || got.Price != 27512 || got.Basis() != 50 ||
		!strings.Contains(got.Source, "北方稀土:关于"+srv.announce.Load().quarterText(q)+"稀土精矿交易价格的公告") ||
		!strings.Contains(got.Source, "data.eastmoney.com/notices/detail/600111/") {
		t.Fatalf("%s stored as %+v", q, got)
	}
	ns, _ := db.Concentrates()
	var kept bool
	for _, n := range ns {
		kept = kept || (n.Quarter == q && n.Parsed && strings.Contains(n.Text, "27,512"))
	}
	if !kept {
		t.Errorf("the notice and its text were not kept: %+v", ns)
	}
	// The reference's 2026Q1 agrees with its notice: unchanged.
	for _, c := range cs {
		if c.Quarter == (model.Quarter{Year: 2026, Q: 1}) && (c.Price != 26834 || strings.Contains(c.Source, "公告")) {
			t.Errorf("2026Q1 changed: %+v", c)
		}
	}
	notices, _ := db.Notices("600111", time.Time{}, 0)
	if len(notices) < 3 {
		t.Errorf("600111's notices kept: %d", len(notices))
	}
}
