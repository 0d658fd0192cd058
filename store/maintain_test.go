package store

import (
	"bytes"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/model"
)

// fillAndPrune writes a few thousand quotes and prunes most of them, leaving
// free pages behind.
func fillAndPrune(t *testing.T, db *DB) {
	t.Helper()
	for d := range 5 {
		var b model.Batch
		for i := range 1000 {
			b.Quotes = append(b.Quotes, quote([]string{"600111", "000831"}[i%2], at(d, 9, 30, i), float64(i)))
		}
		if err := db.Append(b); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Prune("quotes", at(4, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
}

func TestCompactFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fillAndPrune(t, db)
	wantQuotes, _ := db.Quotes("600111", time.Time{}, time.Time{})
	wantContract, _ := db.Contract()

	// Held open: the compaction waits for the lock, then gives up.
	start := time.Now()
	if _, _, err := CompactFile(path, 200*time.Millisecond); !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), path) {
		t.Errorf("compacting an open database: %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
	db.Close()

	before, after, err := CompactFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if before <= after || after != fi.Size() || fi.Mode().Perm() != 0o600 {
		t.Errorf("before %d after %d, file %d %v", before, after, fi.Size(), fi.Mode())
	}
	t.Logf("compacted %d -> %d bytes", before, after)
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*compact*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	db = openAt(t, path, Options{})
	gotQuotes, _ := db.Quotes("600111", time.Time{}, time.Time{})
	gotContract, _ := db.Contract()
	if !same(gotQuotes, wantQuotes) || !same(gotContract, wantContract) || len(gotQuotes) != 500 {
		t.Errorf("data changed by the compaction: %d quotes", len(gotQuotes))
	}
	if err := db.Check(); err != nil {
		t.Error(err)
	}
	// Still writable with the usual settings.
	if err := db.Append(model.Batch{Quotes: []model.Quote{quote("600111", at(9, 10, 0, 0), 1)}}); err != nil {
		t.Error(err)
	}
}

func TestCompactFileRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "notes.txt")
	content := []byte(strings.Repeat("not a database\n", 1000))
	os.WriteFile(junk, content, 0o644)
	if _, _, err := CompactFile(junk, 0); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("junk: %v", err)
	}
	if got, _ := os.ReadFile(junk); !bytes.Equal(got, content) {
		t.Error("junk file changed")
	}
	foreign := filepath.Join(dir, "foreign.db")
	bdb, _ := bolt.Open(foreign, 0o600, nil)
	bdb.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("theirs")); return err })
	bdb.Close()
	if _, _, err := CompactFile(foreign, 0); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("foreign bbolt file: %v", err)
	}
	if _, _, err := CompactFile(filepath.Join(dir, "missing.db"), 0); err == nil {
		t.Error("missing file compacted")
	}
	if files, _ := os.ReadDir(dir); len(files) != 2 {
		t.Errorf("files left in the directory: %d", len(files))
	}
}

// TestOpenAfterReplace: a process waiting for the lock while the file is
// replaced (as CompactFile does) opens the new file, not the unlinked one.
func TestOpenAfterReplace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rareterm.db")
	holder, err := Open(path, Options{NoReference: true})
	if err != nil {
		t.Fatal(err)
	}
	next := filepath.Join(dir, "next.db")
	nd, err := Open(next, Options{NoReference: true})
	if err != nil {
		t.Fatal(err)
	}
	nd.Append(model.Batch{Quotes: []model.Quote{quote("600111", at(0, 10, 0, 0), 42)}})
	nd.Close()

	type res struct {
		db  *DB
		err error
	}
	ch := make(chan res, 1)
	go func() {
		db, err := Open(path, Options{Timeout: 5 * time.Second, NoReference: true})
		ch <- res{db, err}
	}()
	time.Sleep(300 * time.Millisecond) // the waiter has the old file open and waits for its lock
	if err := os.Rename(next, path); err != nil {
		t.Fatal(err)
	}
	holder.Close()
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	t.Cleanup(func() { checkAndClose(t, r.db) })
	if q, ok, _ := r.db.LatestQuote("600111"); !ok || q.Last != 42 {
		t.Errorf("opened the replaced file: %v %v", q.Last, ok)
	}
}

func TestStats(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	db := openAt(t, path, Options{})
	b := model.Batch{
		Quotes: []model.Quote{quote("600111", at(0, 9, 30, 0), 1), quote("600111", at(2, 15, 0, 0), 2), quote("000831", at(1, 10, 0, 0), 3)},
		Bars:   []model.Bar{dailyBar("600111", day0, 1)},
	}
	if err := db.Append(b); err != nil {
		t.Fatal(err)
	}
	st, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if st.FileSize != fi.Size() || st.PageSize <= 0 || st.Mode != ModeLive || st.Schema != SchemaVersion {
		t.Errorf("%+v", st)
	}
	by := map[string]BucketStats{}
	for _, b := range st.Buckets {
		by[b.Name] = b
	}
	if len(st.Buckets) != len(topBuckets) {
		t.Errorf("%d buckets", len(st.Buckets))
	}
	q := by["quotes"]
	if q.Series != 2 || q.Records != 3 || !q.First.Equal(at(0, 9, 30, 0)) || !q.Last.Equal(at(2, 15, 0, 0)) || q.Bytes <= 0 || q.InUse <= 0 {
		t.Errorf("quotes %+v", q)
	}
	c := by["contract"]
	if c.Series != 0 || c.Records != 14 || !c.First.Equal(model.Date(2022, 1, 1)) || !c.Last.Equal(model.Date(2026, 1, 1)) {
		t.Errorf("contract %+v", c)
	}
	if e := by["elements"]; e.Records != 21 || e.Series == 0 {
		t.Errorf("elements %+v", e)
	}
	if by["bars_1d"].Records != 1 || by["bars_1m"].Records != 0 {
		t.Errorf("bars %+v %+v", by["bars_1d"], by["bars_1m"])
	}
}

func TestOpenOrMoveAside(t *testing.T) {
	dir := t.TempDir()
	garbage := make([]byte, 20000)
	rand.Read(garbage)

	t.Run("damaged file moved aside", func(t *testing.T) {
		path := filepath.Join(dir, "rareterm.db")
		os.WriteFile(path, garbage, 0o600)
		db, msg, err := OpenOrMoveAside(path, Options{NoReference: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { checkAndClose(t, db) })
		moved, _ := filepath.Glob(path + DamagedSuffix + "*")
		if len(moved) != 1 {
			t.Fatalf("moved files: %v", moved)
		}
		if got, _ := os.ReadFile(moved[0]); !bytes.Equal(got, garbage) {
			t.Error("the moved file's bytes differ from the original")
		}
		name := filepath.Base(moved[0])
		if _, err := time.Parse("20060102-150405", strings.TrimPrefix(name, "rareterm.db"+DamagedSuffix)); err != nil {
			t.Errorf("name %s: %v", name, err)
		}
		if !strings.Contains(msg.Error(), moved[0]) || !strings.Contains(msg.Error(), "not a rareterm database") || !strings.Contains(msg.Error(), "new database") {
			t.Errorf("message %v", msg)
		}
		if err := db.Append(model.Batch{Quotes: []model.Quote{quote("600111", at(0, 10, 0, 0), 1)}}); err != nil {
			t.Error(err)
		}
	})

	t.Run("a second damaged file in the same second gets its own name", func(t *testing.T) {
		sub := t.TempDir()
		path := filepath.Join(sub, "x.db")
		for i := range 2 {
			os.WriteFile(path, garbage[:5000+i], 0o600)
			// The same clock reading twice.
			if _, err := moveAside(path, mustStat(t, path), 0, time.Date(2026, 1, 2, 3, 4, 5, 0, time.Local)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := os.Stat(path + ".damaged-20260102-030405"); err != nil {
			t.Error(err)
		}
		if fi, err := os.Stat(path + ".damaged-20260102-030405-1"); err != nil || fi.Size() != 5001 {
			t.Error(err)
		}
	})

	leftAlone := func(t *testing.T, path string, opt Options) {
		t.Helper()
		before, _ := os.ReadFile(path)
		db, msg, err := OpenOrMoveAside(path, opt)
		if err == nil {
			db.Close()
			t.Fatal("opened")
		}
		if msg != nil {
			t.Errorf("message %v", msg)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
			t.Error("file changed")
		}
		if moved, _ := filepath.Glob(path + DamagedSuffix + "*"); len(moved) != 0 {
			t.Errorf("moved: %v", moved)
		}
	}
	t.Run("read-only: not moved", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ro.db")
		os.WriteFile(path, garbage, 0o600)
		leftAlone(t, path, Options{ReadOnly: true})
	})
	t.Run("another program's bbolt file: not moved", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "foreign.db")
		bdb, _ := bolt.Open(path, 0o600, nil)
		bdb.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("theirs")); return err })
		bdb.Close()
		leftAlone(t, path, Options{})
	})
	t.Run("a directory: not moved", func(t *testing.T) {
		path := t.TempDir()
		if _, _, err := OpenOrMoveAside(path, Options{}); err == nil {
			t.Fatal("opened a directory")
		}
		if _, err := os.Stat(path); err != nil {
			t.Error(err)
		}
	})
	t.Run("a sound database in use: not moved", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "busy.db")
		openAt(t, path, Options{NoReference: true})
		_, _, err := OpenOrMoveAside(path, Options{Timeout: 100 * time.Millisecond, NoReference: true})
		if !errors.Is(err, ErrInUse) {
			t.Errorf("%v", err)
		}
	})
}

func mustStat(t *testing.T, path string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}

// TestWriteErrorsAreReturned: a failing write reaches the caller (the
// poller turns it into the "store" feed's failure in the status bar).
func TestWriteErrorsAreReturned(t *testing.T) {
	b := model.Batch{Quotes: []model.Quote{quote("600111", at(0, 10, 0, 0), 1)}}

	path := filepath.Join(t.TempDir(), "closed.db")
	db, err := Open(path, Options{NoReference: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := db.Append(b); err == nil {
		t.Error("Append on a closed database returned nil")
	}
	if _, err := db.Import(b); err == nil {
		t.Error("Import on a closed database returned nil")
	}
	if _, err := db.Retain(at(40, 0, 0, 0), 30); err == nil {
		t.Error("Retain on a closed database returned nil")
	}

	db = newDB(t)
	injected := errors.New("no space left on device (injected)")
	db.putHook = func(int) error { return injected }
	err = db.Append(b)
	db.putHook = nil
	if !errors.Is(err, injected) {
		t.Errorf("Append: %v, want the injected error", err)
	}
	if _, ok, _ := db.LatestQuote("600111"); ok {
		t.Error("the failed batch was written")
	}

	ro := openAt(t, path, Options{ReadOnly: true})
	if err := ro.Append(b); err == nil {
		t.Error("Append to a read-only database returned nil")
	}
}

// TestSnapshotEdges: as-of on the edges of the data, for every panel.
func TestSnapshotEdges(t *testing.T) {
	db := newDB(t)
	t1, t2 := at(0, 10, 0, 0), at(1, 10, 0, 0)
	b := model.Batch{
		Quotes: []model.Quote{quote("600111", t1, 1), quote("600111", t2, 2)},
		Bars:   []model.Bar{dailyBar("600111", day0, 1), dailyBar("600111", day0.AddDate(0, 0, 1), 2)},
		Margin: []model.MarginDay{marginDay("600111", day0, 1), marginDay("600111", day0.AddDate(0, 0, 1), 2),
			marginDay("BK0578", day0, 10), marginDay("BK0578", day0.AddDate(0, 0, 1), 20)},
		Boards:   []model.BoardMove{boardMove("BK0578", t1, 100), boardMove("BK0578", t2, 200)},
		Elements: []model.ElementPrice{{Element: model.NdOxide, Date: day0, Price: 1, Low: nan, High: nan, Source: "x"}, {Element: model.NdOxide, Date: day0.AddDate(0, 0, 1), Price: 2, Low: nan, High: nan, Source: "x"}},
		Contract: []model.ContractQuarter{{Quarter: model.Quarter{Year: 2026, Q: 1}, Price: 1, BasisREO: 50, Source: "x"}},
	}
	if err := db.Append(b); err != nil {
		t.Fatal(err)
	}
	for i, tm := range []time.Time{t1, t2} {
		if err := db.Append(model.Batch{At: tm, Members: map[string][]model.Quote{"BK0578": {quote("600111", tm, float64(i+1))}}}); err != nil {
			t.Fatal(err)
		}
	}
	type want struct {
		quote, bars, margin, sector, board, member, elements, contract float64 // the newest value seen; 0 none
		nbars                                                          int
	}
	newest := func(t *testing.T, s model.Snapshot) want {
		var w want
		w.quote = s.Quotes["600111"].Last
		if d := s.Daily["600111"]; len(d) > 0 {
			w.bars, w.nbars = d[len(d)-1].Close, len(d)
		}
		if m := s.Margin["600111"]; len(m) > 0 {
			w.margin = m[len(m)-1].FinBalance
		}
		if m := s.Sector["BK0578"]; len(m) > 0 {
			w.sector = m[len(m)-1].FinBalance
		}
		w.board = s.Boards["BK0578"].Level
		if m := s.Members["BK0578"]; len(m) > 0 {
			w.member = m[0].Last
		}
		if e := s.Elements[model.NdOxide]; len(e) > 0 {
			w.elements = e[len(e)-1].Price
		}
		if len(s.Contract) > 0 {
			w.contract = s.Contract[len(s.Contract)-1].Price
		}
		return w
	}
	cases := []struct {
		name string
		asOf time.Time
		want want
	}{
		{"before the first value", day0.Add(-time.Nanosecond), want{contract: 1}},
		{"on the first day's 00:00 (daily values stamped then)", day0, want{bars: 1, nbars: 1, margin: 1, sector: 10, elements: 1, contract: 1}},
		{"exactly on the first quote", t1, want{quote: 1, bars: 1, nbars: 1, margin: 1, sector: 10, board: 100, member: 1, elements: 1, contract: 1}},
		{"a nanosecond before the second quote", t2.Add(-time.Nanosecond), want{quote: 1, bars: 2, nbars: 2, margin: 2, sector: 20, board: 100, member: 1, elements: 2, contract: 1}},
		{"exactly on the second quote", t2, want{quote: 2, bars: 2, nbars: 2, margin: 2, sector: 20, board: 200, member: 2, elements: 2, contract: 1}},
		{"long after the last", at(400, 0, 0, 0), want{quote: 2, bars: 0, nbars: 0, margin: 2, sector: 20, board: 200, member: 2, elements: 2, contract: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := db.Snapshot(c.asOf, []string{"600111"}, 30)
			if err != nil {
				t.Fatal(err)
			}
			if got := newest(t, s); got != c.want {
				t.Errorf("as of %v:\n got %+v\nwant %+v", c.asOf, got, c.want)
			}
		})
	}
}

// A compaction gives back the room bbolt's power-of-two sizing holds: the
// copy ends at its last page, and reopens and grows as usual.
func TestCompactShrinksToTheLastPage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	db, err := Open(path, Options{NoReference: true})
	if err != nil {
		t.Fatal(err)
	}
	var b model.Batch
	for i := range 3000 {
		b.Quotes = append(b.Quotes, quote("600111", at(9, 9, 30, 0).Add(time.Duration(i)*time.Second), 50+float64(i%100)/100))
	}
	if err := db.Append(b); err != nil {
		t.Fatal(err)
	}
	st, err := db.Stats()
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	fi, _ := os.Stat(path)
	t.Logf("file %d, used %d, free %d", fi.Size(), st.Used, st.FreeBytes)
	before, after, err := CompactFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if after >= before || after > st.Used {
		t.Errorf("compacted %d -> %d bytes; %d were used", before, after, st.Used)
	}
	db = openAt(t, path, Options{NoReference: true})
	if qs, _ := db.Quotes("600111", time.Time{}, time.Time{}); len(qs) != 3000 {
		t.Errorf("%d quotes after the compaction", len(qs))
	}
	if err := db.Append(model.Batch{Quotes: []model.Quote{quote("600111", at(10, 9, 30, 0), 1)}}); err != nil {
		t.Error(err)
	}
}
