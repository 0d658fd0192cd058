package store

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/model"
)

func TestRoundTripEveryType(t *testing.T) {
	db := newDB(t)
	q := quote("600111", at(0, 10, 31, 5), 49.41)
	q.Last = nan // a feed that sent "-"
	bd := dailyBar("600111", day0, 49.41)
	bm := model.Bar{Symbol: "600111", Interval: model.Minute, Time: at(0, 9, 31, 0), Open: 48.9, High: 49, Low: 48.8,
		Close: 48.95, Volume: 12300, Amount: 601234.5, Source: "eastmoney 1m"}
	md := marginDay("000831", day0, 21.98e8)
	sector := marginDay("BK0578", day0, 313.53e8)
	sector.Name, sector.Source = "稀土永磁", "eastmoney RPTA_WEB_BKJYMXN"
	bmv := boardMove("BK0578", at(0, 15, 0, 0), 2187.35)
	members := []model.Quote{quote("600111", at(0, 15, 0, 0), 49.41), quote("000970", at(0, 14, 59, 57), 28.9)}
	members[1].Name, members[1].Source = "中科三环", "eastmoney clist fs=b:BK0578"
	ep := model.ElementPrice{Element: model.PrNdOxide, Date: day0, Price: 682500, Low: nan, High: nan,
		Source: "articles/002", OrigUnit: "万元/吨"}
	cq := model.ContractQuarter{Quarter: model.Quarter{Year: 2026, Q: 1}, Price: 26834, BasisREO: 50,
		Source: "articles/001", Note: "announced 2026-01-09"}
	sym := model.Symbol{Code: "06680", Market: model.MarketHKEX, Name: "金力永磁", NameEn: "JL MAG"}

	err := db.Append(model.Batch{
		Seq: 1, At: at(0, 15, 0, 1),
		Quotes: []model.Quote{q}, Bars: []model.Bar{bd, bm}, Margin: []model.MarginDay{md, sector},
		Boards: []model.BoardMove{bmv}, Members: map[string][]model.Quote{"BK0578": members},
		Elements: []model.ElementPrice{ep}, Contract: []model.ContractQuarter{cq}, Symbols: []model.Symbol{sym},
		Health: []model.FeedHealth{{Feed: "eastmoney", Kind: "quotes", State: model.FeedOK}},
	})
	if err != nil {
		t.Fatal(err)
	}

	check := func(what string, got, want any) {
		t.Helper()
		if !same(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
		}
	}
	gq, ok, err := db.LatestQuote("600111")
	if err != nil || !ok {
		t.Fatalf("LatestQuote: %v %v", ok, err)
	}
	check("quote", gq, q)
	if !math.IsNaN(gq.Last) || !math.IsNaN(gq.PE) || gq.Source != "eastmoney" {
		t.Errorf("quote NaN/source lost: %+v", gq)
	}
	if gq.Time.Location() != model.CST {
		t.Errorf("quote time in %v, want Asia/Shanghai", gq.Time.Location())
	}

	bars, err := db.Bars("600111", model.Daily, time.Time{}, time.Time{})
	if err != nil || len(bars) != 1 {
		t.Fatalf("daily bars: %v %v", bars, err)
	}
	check("daily bar", bars[0], bd)
	bars, err = db.Bars("600111", model.Minute, time.Time{}, time.Time{})
	if err != nil || len(bars) != 1 {
		t.Fatalf("minute bars: %v %v", bars, err)
	}
	check("minute bar", bars[0], bm)

	ms, err := db.Margin("000831", time.Time{}, time.Time{})
	if err != nil || len(ms) != 1 {
		t.Fatalf("margin: %v %v", ms, err)
	}
	check("margin", ms[0], md)
	ms, err = db.Margin("BK0578", time.Time{}, time.Time{})
	if err != nil || len(ms) != 1 {
		t.Fatalf("sector margin: %v %v", ms, err)
	}
	check("sector margin", ms[0], sector)

	bmvs, err := db.Boards("BK0578", time.Time{}, time.Time{})
	if err != nil || len(bmvs) != 1 {
		t.Fatalf("boards: %v %v", bmvs, err)
	}
	check("board", bmvs[0], bmv)

	gm, mat, ok, err := db.Members("BK0578", time.Time{})
	if err != nil || !ok {
		t.Fatalf("members: %v %v", ok, err)
	}
	check("members", gm, members)
	if !mat.Equal(at(0, 15, 0, 1)) {
		t.Errorf("members keyed at %v, want the batch time", mat)
	}

	es, err := db.ElementSeries(model.PrNdOxide, time.Time{}, time.Time{})
	if err != nil || len(es) != 1 {
		t.Fatalf("elements: %v %v", es, err)
	}
	check("element", es[0], ep)

	cs, err := db.Contract()
	if err != nil || len(cs) != 1 {
		t.Fatalf("contract: %v %v", cs, err)
	}
	check("contract", cs[0], cq)

	syms, err := db.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	check("symbols", syms, map[string]model.Symbol{"06680": sym})

	eras := []model.IndexEra{
		{From: model.DefaultBaseDate, Weights: model.DefaultBasket},
		{From: model.Date(2026, 1, 9), Weights: []model.IndexWeight{{Element: model.PrNdOxide, Weight: 0.6}, {Element: model.NdOxide, Weight: 0.4}}},
		{Weights: []model.IndexWeight{}}, // zero From survives as zero
	}
	if err := db.SetIndexEras(eras); err != nil {
		t.Fatal(err)
	}
	ge, err := db.IndexEras()
	if err != nil {
		t.Fatal(err)
	}
	check("index eras", ge, eras)
	if !ge[2].From.IsZero() {
		t.Errorf("zero From came back as %v", ge[2].From)
	}
	if err := db.SetIndexEras(nil); err != nil {
		t.Fatal(err)
	}
	if ge, err := db.IndexEras(); err != nil || ge != nil {
		t.Errorf("after SetIndexEras(nil): %v %v", ge, err)
	}
}

func TestRangeEdges(t *testing.T) {
	db := newDB(t)
	var bars []model.Bar
	for i := range 5 {
		bars = append(bars, dailyBar("600111", day0.AddDate(0, 0, i), float64(40+i)))
	}
	if err := db.Append(model.Batch{Bars: bars}); err != nil {
		t.Fatal(err)
	}
	d := func(i int) time.Time { return day0.AddDate(0, 0, i) }
	var zero time.Time
	cases := []struct {
		name     string
		from, to time.Time
		want     []float64 // closes
	}{
		{"inclusive both ends", d(1), d(3), []float64{41, 42, 43}},
		{"single point", d(2), d(2), []float64{42}},
		{"empty range between keys", d(2).Add(time.Hour), d(2).Add(2 * time.Hour), nil},
		{"from after to", d(3), d(1), nil},
		{"open start", zero, d(1), []float64{40, 41}},
		{"open end", d(3), zero, []float64{43, 44}},
		{"everything", zero, zero, []float64{40, 41, 42, 43, 44}},
		{"wider than the data", d(-100), d(100), []float64{40, 41, 42, 43, 44}},
		{"before the data", d(-10), d(-1), nil},
		{"after the data", d(5), d(10), nil},
		{"one ns before a key excludes it", d(1).Add(time.Nanosecond), d(3).Add(-time.Nanosecond), []float64{42}},
		{"pre-1970 to", zero, time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), nil},
		{"pre-1970 from", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), d(0), []float64{40}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := db.Bars("600111", model.Daily, c.from, c.to)
			if err != nil {
				t.Fatal(err)
			}
			var closes []float64
			for _, b := range got {
				closes = append(closes, b.Close)
			}
			if fmt.Sprint(closes) != fmt.Sprint(c.want) {
				t.Errorf("closes %v, want %v", closes, c.want)
			}
		})
	}
	if got, err := db.Bars("nosuch", model.Daily, zero, zero); err != nil || got != nil {
		t.Errorf("unknown symbol: %v %v", got, err)
	}
	if _, err := db.Bars("600111", "1w", zero, zero); err == nil {
		t.Error("unknown interval accepted")
	}
}

func TestQuoteAsOf(t *testing.T) {
	db := newDB(t)
	t1, t2, t3 := at(0, 9, 30, 0), at(0, 9, 30, 3), at(0, 9, 30, 6)
	if err := db.Append(model.Batch{Quotes: []model.Quote{quote("600111", t1, 1), quote("600111", t2, 2), quote("600111", t3, 3)}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		t    time.Time
		want float64 // 0: not found
	}{
		{"before the first", t1.Add(-time.Nanosecond), 0},
		{"exactly on the first", t1, 1},
		{"exactly on a middle one", t2, 2},
		{"just after a middle one", t2.Add(time.Nanosecond), 2},
		{"just before a middle one", t2.Add(-time.Nanosecond), 1},
		{"exactly on the last", t3, 3},
		{"after the last", t3.Add(time.Hour), 3},
		{"far future", time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), 3},
		{"pre-1970", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{"zero means latest", time.Time{}, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, ok, err := db.QuoteAsOf("600111", c.t)
			if err != nil {
				t.Fatal(err)
			}
			if c.want == 0 {
				if ok {
					t.Errorf("found %v at %v, want none", q.Last, q.Time)
				}
				return
			}
			if !ok || q.Last != c.want {
				t.Errorf("got %v (ok %v), want %v", q.Last, ok, c.want)
			}
		})
	}
	if _, ok, err := db.QuoteAsOf("nosuch", time.Time{}); ok || err != nil {
		t.Errorf("unknown symbol: %v %v", ok, err)
	}
	qs, err := db.Quotes("600111", t2, time.Time{})
	if err != nil || len(qs) != 2 || qs[0].Last != 2 || qs[1].Last != 3 {
		t.Errorf("Quotes from t2: %v %v", qs, err)
	}
}

func TestAppendOverwritesSameKey(t *testing.T) {
	db := newDB(t)
	tm := at(0, 10, 0, 0)
	for _, v := range []float64{1, 2, 2} {
		if err := db.Append(model.Batch{Quotes: []model.Quote{quote("600111", tm, v)}}); err != nil {
			t.Fatal(err)
		}
	}
	qs, err := db.Quotes("600111", time.Time{}, time.Time{})
	if err != nil || len(qs) != 1 || qs[0].Last != 2 {
		t.Errorf("after three appends at one key: %v %v", qs, err)
	}
	if err := db.Append(model.Batch{}); err != nil {
		t.Errorf("empty batch: %v", err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dir", "rareterm.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	q := quote("600111", at(0, 10, 0, 0), 49.41)
	if err := db.Append(model.Batch{Quotes: []model.Quote{q}, Contract: []model.ContractQuarter{{Quarter: model.Quarter{Year: 2026, Q: 2}, Price: 1, BasisREO: 50, Source: "test"}}}); err != nil {
		t.Fatal(err)
	}
	created, err := db.Created()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openAt(t, path, Options{})
	got, ok, err := db.LatestQuote("600111")
	if err != nil || !ok || !same(got, q) {
		t.Errorf("after reopen: %+v %v %v", got, ok, err)
	}
	cs, err := db.Contract()
	if err != nil || len(cs) != 15 {
		t.Errorf("reference plus one quarter, want 15, got %d (%v)", len(cs), err)
	}
	c2, _ := db.Created()
	if !c2.Equal(created) || db.SchemaVersion() != SchemaVersion || db.Mode() != ModeLive || db.Path() != path {
		t.Errorf("meta after reopen: created %v/%v schema %d mode %q path %q", c2, created, db.SchemaVersion(), db.Mode(), db.Path())
	}
}

// TestAppendIsOneTransaction: a batch that fails, whether in encoding or
// half-way through the writes, leaves nothing behind.
func TestAppendIsOneTransaction(t *testing.T) {
	db := newDB(t)
	before := quote("600111", at(0, 9, 0, 0), 1)
	if err := db.Append(model.Batch{Quotes: []model.Quote{before}}); err != nil {
		t.Fatal(err)
	}
	good := model.Batch{
		Quotes:   []model.Quote{quote("600111", at(0, 9, 0, 0), 99), quote("000831", at(0, 10, 0, 0), 2)},
		Bars:     []model.Bar{dailyBar("600111", day0, 3)},
		Elements: []model.ElementPrice{{Element: model.NdOxide, Date: day0, Price: 1, Low: nan, High: nan, Source: "x"}},
		Symbols:  []model.Symbol{{Code: "000831", Market: model.MarketSZSE, Name: "中国稀土"}},
	}
	nothingNew := func(t *testing.T) {
		t.Helper()
		q, _, _ := db.LatestQuote("600111")
		if q.Last != 1 {
			t.Errorf("existing quote changed to %v", q.Last)
		}
		for _, k := range []struct{ kind, sym string }{{"quotes", "000831"}, {"bars1d", "600111"}, {"elements", string(model.NdOxide)}} {
			if _, _, ok, err := db.FirstLast(k.kind, k.sym); ok || err != nil {
				t.Errorf("%s %s written by a failed batch (%v)", k.kind, k.sym, err)
			}
		}
		if s, _ := db.Symbols(); len(s) != 0 {
			t.Errorf("symbols written by a failed batch: %v", s)
		}
	}

	bad := []struct {
		name string
		mut  func(b *model.Batch)
	}{
		{"zero time", func(b *model.Batch) { b.Margin = []model.MarginDay{{Symbol: "000831", Source: "x"}} }},
		{"empty symbol", func(b *model.Batch) { b.Boards = []model.BoardMove{{Time: day0}} }},
		{"unknown interval", func(b *model.Batch) { b.Bars = append(b.Bars, model.Bar{Symbol: "600111", Interval: "5m", Time: day0}) }},
		{"bad quarter", func(b *model.Batch) { b.Contract = []model.ContractQuarter{{Quarter: model.Quarter{Year: 2026, Q: 5}}} }},
		{"over-long source", func(b *model.Batch) {
			b.Elements = append(b.Elements, model.ElementPrice{Element: model.TbOxide, Date: day0, Source: strings.Repeat("x", maxString+1)})
		}},
		{"member time pre-1970", func(b *model.Batch) {
			b.Members = map[string][]model.Quote{"BK0578": {{Symbol: "600111", Time: time.Unix(-1, 0)}}}
			b.At = day0
		}},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			b := good
			b.Quotes = append([]model.Quote(nil), good.Quotes...)
			c.mut(&b)
			if err := db.Append(b); err == nil {
				t.Fatal("Append accepted a bad batch")
			}
			nothingNew(t)
		})
	}

	t.Run("failure inside the transaction", func(t *testing.T) {
		var puts int
		db.putHook = func(i int) error {
			puts = i
			if i == 3 {
				return errors.New("disk full (injected)")
			}
			return nil
		}
		defer func() { db.putHook = nil }()
		if err := db.Append(good); err == nil || !strings.Contains(err.Error(), "injected") {
			t.Fatalf("Append: %v", err)
		}
		if puts != 3 {
			t.Fatalf("hook saw %d puts", puts)
		}
		nothingNew(t)
	})

	if err := db.Append(good); err != nil {
		t.Fatalf("the good batch alone: %v", err)
	}
	if q, _, _ := db.LatestQuote("600111"); q.Last != 99 {
		t.Errorf("good batch not written: %v", q.Last)
	}
}

func TestSecondOpenInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	openAt(t, path, Options{NoReference: true})
	timeout := 200 * time.Millisecond
	type result struct {
		err     error
		elapsed time.Duration
	}
	ch := make(chan result)
	go func() {
		start := time.Now()
		db, err := Open(path, Options{Timeout: timeout, NoReference: true})
		if err == nil {
			db.Close()
		}
		ch <- result{err, time.Since(start)}
	}()
	r := <-ch
	if !errors.Is(r.err, ErrInUse) {
		t.Fatalf("second Open: %v, want ErrInUse", r.err)
	}
	want := "database in use: " + path + " (another rareterm is running?)"
	if r.err.Error() != want {
		t.Errorf("message %q, want %q", r.err, want)
	}
	// It waited for the lock, and gave up at the timeout (the slack is for
	// a loaded machine's scheduler, not for bbolt).
	if r.elapsed < timeout/2 || r.elapsed > timeout+time.Second {
		t.Errorf("took %v with a %v timeout", r.elapsed, timeout)
	}
}

// TestSecondProcessInUse runs this test binary again as a second process
// that opens the same file with the default options: it must fail within 2s.
func TestSecondProcessInUse(t *testing.T) {
	if path := os.Getenv("RARETERM_STORE_HELPER_DB"); path != "" {
		t.Skip("helper mode")
	}
	if testing.Short() {
		t.Skip("spawns a process and waits a second")
	}
	path := filepath.Join(t.TempDir(), "rareterm.db")
	openAt(t, path, Options{NoReference: true})
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcessOpen$")
	cmd.Env = append(os.Environ(), "RARETERM_STORE_HELPER_DB="+path)
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), "HELPER: database in use: "+path) {
		t.Fatalf("second process said:\n%s", out)
	}
	// The helper times its own Open (process start-up is not the store's).
	var ms int
	if i := strings.Index(string(out), "HELPER-MS: "); i < 0 {
		t.Fatalf("no timing in:\n%s", out)
	} else if _, err := fmt.Sscan(string(out[i+len("HELPER-MS: "):]), &ms); err != nil {
		t.Fatal(err)
	}
	if ms < 800 || ms >= 2000 {
		t.Errorf("second process gave up after %d ms, want the 1s default (under 2s)", ms)
	}
}

func TestHelperProcessOpen(t *testing.T) {
	path := os.Getenv("RARETERM_STORE_HELPER_DB")
	if path == "" {
		t.Skip("only run as a helper process")
	}
	start := time.Now()
	db, err := Open(path, Options{NoReference: true})
	fmt.Println("HELPER-MS:", time.Since(start).Milliseconds())
	if err == nil {
		db.Close()
		fmt.Println("HELPER: opened")
		return
	}
	fmt.Println("HELPER:", err)
}

func TestNotDatabase(t *testing.T) {
	dir := t.TempDir()
	random := make([]byte, 16384)
	if _, err := rand.Read(random); err != nil {
		t.Fatal(err)
	}
	// A bbolt file of some other program.
	foreign := filepath.Join(dir, "foreign.db")
	bdb, err := bolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bdb.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("theirs")); return err }); err != nil {
		t.Fatal(err)
	}
	bdb.Close()
	foreignBytes, _ := os.ReadFile(foreign)

	// A bbolt header followed by nothing.
	truncated := append([]byte(nil), foreignBytes[:4096]...)

	cases := map[string][]byte{
		"random 16K":  random,
		"random 4K":   random[:4096],
		"random 100B": random[:100],
		"text":        []byte("[watchlist]\ncodes = [\"600111\"]\n"),
		"truncated":   truncated,
		"foreign":     foreignBytes,
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
			if name == "foreign" {
				path = foreign
			} else if err := os.WriteFile(path, content, 0o644); err != nil {
				t.Fatal(err)
			}
			fi0, _ := os.Stat(path)
			db, err := Open(path, Options{})
			if err == nil {
				db.Close()
				t.Fatal("opened a file that is not a rareterm database")
			}
			if !errors.Is(err, ErrNotDatabase) {
				t.Fatalf("err %v, want ErrNotDatabase", err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			got, _ := os.ReadFile(path)
			fi1, _ := os.Stat(path)
			if !bytes.Equal(got, content) || fi1.Mode() != fi0.Mode() || !fi1.ModTime().Equal(fi0.ModTime()) {
				t.Error("the file was modified")
			}
		})
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("a directory: %v", err)
	}
}

func TestFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "rareterm")
	path := filepath.Join(dir, "rareterm.db")
	openAt(t, path, Options{NoReference: true})
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", fi.Mode().Perm())
	}
	di, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", di.Mode().Perm())
	}
}

func TestModeMismatch(t *testing.T) {
	dir := t.TempDir()
	demo := filepath.Join(dir, "demo.db")
	live := filepath.Join(dir, "rareterm.db")
	for path, mode := range map[string]string{demo: ModeDemo, live: ""} {
		db, err := Open(path, Options{Mode: mode, NoReference: true})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	for _, c := range []struct {
		path, mode string
		ok         bool
	}{
		{demo, ModeLive, false}, {demo, "", false}, {demo, ModeDemo, true},
		{live, ModeDemo, false}, {live, ModeLive, true}, {live, "", true},
	} {
		db, err := Open(c.path, Options{Mode: c.mode})
		if c.ok {
			if err != nil {
				t.Errorf("%s as %q: %v", filepath.Base(c.path), c.mode, err)
				continue
			}
			db.Close()
			continue
		}
		if !errors.Is(err, ErrModeMismatch) {
			t.Errorf("%s as %q: %v, want ErrModeMismatch", filepath.Base(c.path), c.mode, err)
		}
		if err == nil {
			db.Close()
		}
	}
	if _, err := Open(filepath.Join(dir, "x.db"), Options{Mode: "paper"}); err == nil {
		t.Error("mode \"paper\" accepted")
	}
}

func TestReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	if _, err := Open(path, Options{ReadOnly: true}); err == nil {
		t.Fatal("read-only open of a missing file succeeded")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Error("read-only open created the file")
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Append(model.Batch{Quotes: []model.Quote{quote("600111", at(0, 10, 0, 0), 5)}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	r1 := openAt(t, path, Options{ReadOnly: true})
	r2 := openAt(t, path, Options{ReadOnly: true}) // shared lock: two readers at once
	for _, r := range []*DB{r1, r2} {
		if q, ok, err := r.LatestQuote("600111"); err != nil || !ok || q.Last != 5 {
			t.Errorf("read-only read: %v %v %v", q.Last, ok, err)
		}
	}
	if err := r1.Append(model.Batch{Quotes: []model.Quote{quote("600111", at(0, 11, 0, 0), 6)}}); err == nil {
		t.Error("Append on a read-only database succeeded")
	}
	if _, err := Open(path, Options{Timeout: 100 * time.Millisecond}); !errors.Is(err, ErrInUse) {
		t.Errorf("writer while readers hold the file: %v", err)
	}
}

func TestReferenceDataInNewDB(t *testing.T) {
	db := openAt(t, filepath.Join(t.TempDir(), "rareterm.db"), Options{})
	cs, err := db.Contract()
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 14 {
		t.Fatalf("%d quarters, want 14", len(cs))
	}
	last := cs[len(cs)-1]
	if last.Quarter != (model.Quarter{Year: 2026, Q: 1}) || last.Price != 26834 || last.BasisREO != 50 ||
		last.Source != "articles/001, articles/004 (announced 2026-01-09)" {
		t.Errorf("2026Q1: %+v", last)
	}
	if math.Abs(last.StepPerPct()-536.68) > 1e-9 {
		t.Errorf("2026Q1 step %v", last.StepPerPct())
	}
	first := cs[0]
	if first.Quarter != (model.Quarter{Year: 2022, Q: 1}) || first.Price != 26887.20 || first.BasisREO != 51 ||
		math.Abs(first.StepPerPct()-527.20) > 1e-9 {
		t.Errorf("2022Q1: %+v", first)
	}
	if q3 := cs[1]; q3.Quarter != (model.Quarter{Year: 2022, Q: 3}) || q3.BasisREO != 50 || q3.Price != 37230 || math.Abs(q3.StepPerPct()-744.60) > 1e-9 {
		t.Errorf("2022Q3: %+v", q3)
	}
	for _, gap := range []model.Quarter{{Year: 2022, Q: 2}, {Year: 2022, Q: 4}, {Year: 2023, Q: 4}, {Year: 2026, Q: 2}} {
		for _, c := range cs {
			if c.Quarter == gap {
				t.Errorf("%s present; no source has it", gap)
			}
		}
	}
	if n := model.Streak(cs, model.Quarter{Year: 2026, Q: 1}); n != 6 {
		t.Errorf("streak to 2026Q1 = %d, want 6 (articles/001)", n)
	}

	want := []struct {
		id        model.ElementID
		day       time.Time
		price     float64
		low, high float64
		unit, src string
	}{
		{model.PrNdOxide, model.Date(2026, 1, 16), 682500, nan, nan, "万元/吨", "articles/002"},
		{model.PrNdOxide, model.Date(2026, 1, 9), 624900, nan, nan, "万元/吨", "包头稀土产品交易所"},
		{model.PrNdMetal, model.Date(2026, 1, 9), 760700, nan, nan, "万元/吨", "包头稀土产品交易所"},
		{model.PrNdMetal, model.Date(2026, 1, 16), 822500, nan, nan, "万元/吨", "articles/002"},
		{model.NdOxide, model.Date(2024, 1, 5), 432500, 430000, 435000, "元/吨", "100ppi"},
		{model.PrNdOxide, model.Date(2024, 1, 5), 422500, 420000, 425000, "元/吨", "detail-20240105-3051612"},
		{model.PrMetal, model.Date(2024, 1, 5), 585000, 580000, 590000, "元/吨", "100ppi"},
		{model.DyOxide, model.Date(2026, 1, 29), 1410000, 1405000, 1415000, "元/吨", "detail-20260129-5252885"},
		{model.TbOxide, model.Date(2026, 1, 29), 6400000, 6350000, 6450000, "元/吨", "100ppi"},
		{model.TbMetal, model.Date(2026, 1, 29), 7800000, nan, nan, "元/吨", "100ppi"},
		{model.LaOxide, model.Date(2025, 1, 9), 3800, 3600, 4000, "yuan/mt", "SMM"},
		{model.LaOxide, model.Date(2023, 1, 1), 9800, nan, nan, "元/吨", "Northern Rare Earth"},
		{model.CeOxide, model.Date(2023, 1, 1), 9800, nan, nan, "元/吨", "fx361.cc"},
		{model.PrNdMetal, model.Date(2023, 1, 1), 787000, nan, nan, "元/吨", "挂牌价"},
	}
	for _, w := range want {
		s, err := db.ElementSeries(w.id, w.day, w.day)
		if err != nil || len(s) != 1 {
			t.Errorf("%s %s: %v %v", w.id, w.day.Format("2006-01-02"), s, err)
			continue
		}
		p := s[0]
		if p.Price != w.price || !same(p.Low, w.low) || !same(p.High, w.high) || p.OrigUnit != w.unit || !strings.Contains(p.Source, w.src) {
			t.Errorf("%s %s: %+v", w.id, w.day.Format("2006-01-02"), p)
		}
	}

	empty := openAt(t, filepath.Join(t.TempDir(), "bare.db"), Options{NoReference: true})
	if cs, _ := empty.Contract(); len(cs) != 0 {
		t.Errorf("NoReference database has %d quarters", len(cs))
	}
}

// TestReferenceOnlyIntoNewDB: reopening never reloads (or overwrites) the
// reference data.
func TestReferenceOnlyIntoNewDB(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	db, err := Open(path, Options{NoReference: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openAt(t, path, Options{})
	if cs, _ := db.Contract(); len(cs) != 0 {
		t.Errorf("reopen loaded %d quarters into an existing database", len(cs))
	}
}

func TestMutateAfterRead(t *testing.T) {
	db := newDB(t)
	var bars []model.Bar
	for i := range 3 {
		bars = append(bars, dailyBar("600111", day0.AddDate(0, 0, i), float64(10+i)))
	}
	members := []model.Quote{quote("600111", at(0, 15, 0, 0), 1)}
	if err := db.Append(model.Batch{At: at(0, 15, 0, 0), Bars: bars, Members: map[string][]model.Quote{"BK0578": members},
		Quotes: []model.Quote{quote("600111", at(0, 15, 0, 0), 7)}}); err != nil {
		t.Fatal(err)
	}
	got, _ := db.Bars("600111", model.Daily, time.Time{}, time.Time{})
	got[0].Close, got[0].Source = -1, "mutated"
	got = append(got[:1], got[2:]...)
	_ = got
	again, _ := db.Bars("600111", model.Daily, time.Time{}, time.Time{})
	if !same(again, bars) {
		t.Errorf("a mutation of a returned slice reached the database:\n%+v", again)
	}
	snap, _ := db.Snapshot(time.Time{}, []string{"600111"}, 10)
	snap.Daily["600111"][0].Close = -1
	snap.Members["BK0578"][0].Last = -1
	snap2, _ := db.Snapshot(time.Time{}, []string{"600111"}, 10)
	if snap2.Daily["600111"][0].Close != 10 || snap2.Members["BK0578"][0].Last != 1 {
		t.Error("a mutation of a snapshot reached the next snapshot")
	}

	// Nothing returned points into the memory map: the values stay intact
	// after the file is unmapped.
	q, _, _ := db.LatestQuote("600111")
	db.Close()
	if q.Name != "北方稀土" || q.Source != "eastmoney" || again[2].Source != "eastmoney kline" || snap2.Members["BK0578"][0].Name != "北方稀土" {
		t.Error("strings changed after Close")
	}
}

func TestSnapshot(t *testing.T) {
	db := openAt(t, filepath.Join(t.TempDir(), "rareterm.db"), Options{})
	var b model.Batch
	for i := range 20 { // daily bars day0 .. day0+19
		b.Bars = append(b.Bars, dailyBar("600111", day0.AddDate(0, 0, i), float64(i)))
	}
	for i := range 70 { // margin days, newest = day0+69
		b.Margin = append(b.Margin, marginDay("600111", day0.AddDate(0, 0, i), float64(i)))
		b.Margin = append(b.Margin, marginDay("BK0578", day0.AddDate(0, 0, i), float64(1000+i)))
	}
	for i := range 5 {
		b.Quotes = append(b.Quotes, quote("600111", at(i, 15, 0, 0), float64(100+i)))
		b.Boards = append(b.Boards, boardMove("BK0578", at(i, 15, 0, 0), float64(2000+i)))
	}
	b.Quotes = append(b.Quotes, quote("000831", at(0, 15, 0, 0), 45))
	b.Symbols = []model.Symbol{{Code: "600111", Market: model.MarketSSE, Name: "北方稀土"}}
	if err := db.Append(b); err != nil {
		t.Fatal(err)
	}
	for i, lvl := range []float64{1, 2} {
		if err := db.Append(model.Batch{At: at(2*i, 15, 0, 0), Members: map[string][]model.Quote{"BK0578": {quote("600111", at(2*i, 15, 0, 0), lvl)}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetIndexEras([]model.IndexEra{{From: model.DefaultBaseDate, Weights: model.DefaultBasket}}); err != nil {
		t.Fatal(err)
	}

	t.Run("latest", func(t *testing.T) {
		s, err := db.Snapshot(time.Time{}, []string{"600111", "nosuch"}, 5)
		if err != nil {
			t.Fatal(err)
		}
		if !s.AsOf.IsZero() || s.Quotes["600111"].Last != 104 || len(s.Quotes) != 1 {
			t.Errorf("quotes %v", s.Quotes)
		}
		d := s.Daily["600111"]
		if len(d) != 5 || d[0].Close != 15 || d[4].Close != 19 {
			t.Errorf("daily window ending at the newest bar: %d bars %v..", len(d), d)
		}
		// The last 60 days, led by the year's first trading day (day0,
		// 2026-01-05); there is no day before the year's start.
		m := s.Margin["600111"]
		if len(m) != MarginDays+1 || m[0].FinBalance != 0 || m[1].FinBalance != 10 || m[60].FinBalance != 69 {
			t.Errorf("margin: %d days", len(m))
		}
		sec := s.Sector["BK0578"]
		if len(sec) != SectorMarginDays || sec[59].FinBalance != 1069 || len(s.Sector) != 1 {
			t.Errorf("sector: %d days, %d boards", len(sec), len(s.Sector))
		}
		if s.Boards["BK0578"].Level != 2004 {
			t.Errorf("board %+v", s.Boards["BK0578"])
		}
		if s.Members["BK0578"][0].Last != 2 {
			t.Errorf("members %+v", s.Members)
		}
		if len(s.Contract) != 14 || len(s.Elements) == 0 || len(s.Elements[model.PrNdOxide]) != 4 {
			t.Errorf("contract %d, elements %d, prnd %d", len(s.Contract), len(s.Elements), len(s.Elements[model.PrNdOxide]))
		}
		if s.Symbols["600111"].Name != "北方稀土" || len(s.IndexEras) != 1 {
			t.Errorf("symbols %v eras %v", s.Symbols, s.IndexEras)
		}
	})

	t.Run("as of a past moment", func(t *testing.T) {
		asOf := at(2, 12, 0, 0) // day0+2 midday: before that day's 15:00 values
		s, err := db.Snapshot(asOf, []string{"600111"}, 3)
		if err != nil {
			t.Fatal(err)
		}
		if s.Quotes["600111"].Last != 101 {
			t.Errorf("quote %v, want the day before's", s.Quotes["600111"].Last)
		}
		if d := s.Daily["600111"]; len(d) != 3 || d[0].Close != 0 || d[2].Close != 2 {
			t.Errorf("daily %v", d)
		}
		if m := s.Margin["600111"]; len(m) != 3 || m[2].FinBalance != 2 {
			t.Errorf("margin %d days", len(m))
		}
		if s.Boards["BK0578"].Level != 2001 || s.Members["BK0578"][0].Last != 1 {
			t.Errorf("board %v members %v", s.Boards["BK0578"].Level, s.Members["BK0578"][0].Last)
		}
		// 2022Q1..2026Q1 minus the gaps, up to 2026Q1 (started 2026-01-01).
		if len(s.Contract) != 14 {
			t.Errorf("contract %d", len(s.Contract))
		}
		// Elements up to 2026-01-07: PrNd oxide 2023-01-01 and 2024-01-05.
		if p := s.Elements[model.PrNdOxide]; len(p) != 2 {
			t.Errorf("prnd oxide %d points", len(p))
		}
		if _, ok := s.Elements[model.DyOxide]; ok {
			t.Error("Dy oxide of 2026-01-29 leaked into a 2026-01-07 snapshot")
		}
	})

	t.Run("contract as of", func(t *testing.T) {
		s, err := db.Snapshot(model.Date(2025, 6, 1), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(s.Contract); n != 11 || s.Contract[n-1].Quarter != (model.Quarter{Year: 2025, Q: 2}) {
			t.Errorf("contract as of 2025-06-01: %d quarters", n)
		}
		s, _ = db.Snapshot(model.Date(2025, 7, 1), nil, 0)
		if s.Contract[len(s.Contract)-1].Quarter != (model.Quarter{Year: 2025, Q: 3}) {
			t.Error("2025Q3 missing on its first day")
		}
		if len(s.Daily) != 0 {
			t.Error("days=0 returned bars")
		}
		if _, ok := s.Quotes["000831"]; ok {
			t.Error("a 2026 quote in a 2025 snapshot")
		}
	})

	t.Run("nil symbols means all cached", func(t *testing.T) {
		s, err := db.Snapshot(time.Time{}, nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Quotes) != 2 {
			t.Errorf("quotes for %d symbols", len(s.Quotes))
		}
	})

	t.Run("before everything", func(t *testing.T) {
		s, err := db.Snapshot(model.Date(2020, 1, 1), []string{"600111"}, 30)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Quotes)+len(s.Daily)+len(s.Margin)+len(s.Sector)+len(s.Boards)+len(s.Members)+len(s.Elements)+len(s.Contract) != 0 {
			t.Errorf("snapshot before any data: %+v", s)
		}
	})
}

func TestFirstLastAndPrune(t *testing.T) {
	db := newDB(t)
	var b model.Batch
	for i := range 10 {
		b.Quotes = append(b.Quotes, quote("600111", at(0, 10, i, 0), float64(i)), quote("000831", at(0, 10, i, 30), float64(i)))
	}
	if err := db.Append(b); err != nil {
		t.Fatal(err)
	}
	first, last, ok, err := db.FirstLast("quotes", "600111")
	if err != nil || !ok || !first.Equal(at(0, 10, 0, 0)) || !last.Equal(at(0, 10, 9, 0)) {
		t.Errorf("FirstLast: %v %v %v %v", first, last, ok, err)
	}
	if _, _, ok, err := db.FirstLast("bars1d", "600111"); ok || err != nil {
		t.Errorf("no bars: %v %v", ok, err)
	}
	if _, _, _, err := db.FirstLast("ticks", "600111"); err == nil {
		t.Error("unknown kind accepted")
	}
	n, err := db.Prune("quotes", at(0, 10, 5, 0))
	if err != nil || n != 10 { // 0..4 for 600111 and 0..4 for 000831 (10:04:30 < 10:05)
		t.Errorf("Prune: %d %v", n, err)
	}
	first, _, _, _ = db.FirstLast("quotes", "600111")
	if !first.Equal(at(0, 10, 5, 0)) {
		t.Errorf("after prune first = %v", first)
	}
	if _, err := db.Prune("elements", at(9, 0, 0, 0)); err == nil {
		t.Error("pruned element prices")
	}
}

func TestSchemaVersions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	db, err := Open(path, Options{NoReference: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	setSchema := func(v uint64) {
		t.Helper()
		bdb, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		if err := bdb.Update(func(tx *bolt.Tx) error {
			return tx.Bucket(bMeta).Put(kSchema, binary8(v))
		}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("newer file refused", func(t *testing.T) {
		setSchema(SchemaVersion + 1)
		defer setSchema(SchemaVersion)
		if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "newer") {
			t.Errorf("Open of a newer file: %v", err)
		}
	})

	// Pretend this code is at schema 2 with a migration from 1.
	defer func(v int) { currentSchema = v; delete(migrations, SchemaVersion) }(currentSchema)
	currentSchema = SchemaVersion + 1

	t.Run("read-only cannot migrate", func(t *testing.T) {
		if _, err := Open(path, Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "migration") {
			t.Errorf("read-only Open of an old file: %v", err)
		}
	})
	t.Run("failed migration leaves the old version", func(t *testing.T) {
		migrations[SchemaVersion] = func(tx *bolt.Tx) error {
			if err := tx.Bucket(bMeta).Put([]byte("migrated"), []byte("half")); err != nil {
				return err
			}
			return errors.New("boom")
		}
		if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "boom") {
			t.Fatalf("Open: %v", err)
		}
		bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer bdb.Close()
		_ = bdb.View(func(tx *bolt.Tx) error {
			m := tx.Bucket(bMeta)
			if m.Get([]byte("migrated")) != nil || !bytes.Equal(m.Get(kSchema), binary8(SchemaVersion)) {
				t.Error("a failed migration left changes")
			}
			return nil
		})
	})
	t.Run("migration runs once, in one tx", func(t *testing.T) {
		runs := 0
		migrations[SchemaVersion] = func(tx *bolt.Tx) error {
			runs++
			return tx.Bucket(bMeta).Put([]byte("migrated"), []byte("yes"))
		}
		db := openAt(t, path, Options{})
		if db.SchemaVersion() != SchemaVersion+1 || runs != 1 {
			t.Errorf("schema %d after %d runs", db.SchemaVersion(), runs)
		}
		db.Close()
		db = openAt(t, path, Options{})
		if runs != 1 {
			t.Errorf("migration ran again on reopen (%d runs)", runs)
		}
		_ = db.bolt.View(func(tx *bolt.Tx) error {
			if string(tx.Bucket(bMeta).Get([]byte("migrated"))) != "yes" {
				t.Error("migration's write missing")
			}
			return nil
		})
	})
}

func binary8(v uint64) []byte {
	return []byte{byte(v >> 56), byte(v >> 48), byte(v >> 40), byte(v >> 32), byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

func TestConcurrentReadersAndWriter(t *testing.T) {
	db := newDB(t)
	done := make(chan error)
	go func() {
		for i := range 50 {
			b := model.Batch{At: at(0, 10, 0, i), Quotes: []model.Quote{quote("600111", at(0, 10, 0, i), float64(i))},
				Members: map[string][]model.Quote{"BK0578": {quote("600111", at(0, 10, 0, i), float64(i))}, "BK1027": {}}}
			if err := db.Append(b); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for reading := true; reading; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			reading = false
		default:
			s, err := db.Snapshot(time.Time{}, []string{"600111"}, 5)
			if err != nil {
				t.Fatal(err)
			}
			// One consistent view: the quote and the constituents come from
			// the same committed batch.
			if q, ok := s.Quotes["600111"]; ok && s.Members["BK0578"][0].Last != q.Last {
				t.Fatalf("torn snapshot: quote %v, members %v", q.Last, s.Members["BK0578"][0].Last)
			}
		}
	}
	if _, _, ok, _ := db.Members("BK1027", time.Time{}); ok {
		t.Error("an empty constituent list was stored")
	}
}

// The demo database is simulated data made again from its seed: its commits
// skip the fsyncs. The live database, and one opened as any mode, keep them
// unless the file is a demo one.
func TestOnlyTheDemoDatabaseSkipsSync(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		file, mode string
		any        bool
		noSync     bool
	}{
		{"demo.db", ModeDemo, false, true},
		{"rareterm.db", ModeLive, false, false},
		{"rareterm.db", "", true, false},
		{"demo.db", ModeLive, true, true},
	} {
		db, err := Open(filepath.Join(dir, c.file), Options{Mode: c.mode, AnyMode: c.any, NoReference: true})
		if err != nil {
			t.Fatal(err)
		}
		if db.bolt.NoSync != c.noSync {
			t.Errorf("%s opened as %q (any mode %v): NoSync %v, want %v", c.file, c.mode, c.any, db.bolt.NoSync, c.noSync)
		}
		if err := db.Append(model.Batch{At: at(0, 10, 31, 5), Quotes: []model.Quote{quote("600111", at(0, 10, 31, 5), 49.41)}}); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
}
