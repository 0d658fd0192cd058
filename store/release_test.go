//go:build linux

package store

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

// mappedKB is the resident size of this process's mappings of path, from
// /proc/self/smaps.
func mappedKB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	kb, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			in = len(fields) >= 6 && fields[len(fields)-1] == path
			continue
		}
		if in && fields[0] == "Rss:" {
			n, _ := strconv.Atoi(fields[1])
			kb += n
		}
	}
	return kb
}

// Opening a file read-write reads all of it through bbolt's mapping;
// ReleaseMapped drops those pages from the process, and every value reads
// back the same afterwards.
func TestReleaseMappedDropsReadPages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	db := openAt(t, path, Options{NoReference: true})
	day := time.Date(2026, 1, 5, 9, 30, 0, 0, model.CST)
	var want []model.Quote
	for batch := range 20 {
		var b model.Batch
		for i := range 1000 {
			q := model.Quote{Symbol: "600111", Name: "北方稀土", Time: day.Add(time.Duration(batch*1000+i) * time.Second),
				Last: 40 + float64(i%100)/10, Volume: float64(i), Source: fmt.Sprintf("test %d", i%7)}
			b.Quotes = append(b.Quotes, q)
		}
		want = append(want, b.Quotes...)
		if err := db.Append(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openAt(t, path, Options{NoReference: true})
	before := mappedKB(t, path)
	if before < 512 {
		t.Fatalf("only %d KB of the file resident after the open: the test would prove nothing", before)
	}
	if err := db.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	after := mappedKB(t, path)
	t.Logf("resident pages of the file: %d KB after the open, %d KB after ReleaseMapped", before, after)
	if after > before/10 {
		t.Errorf("%d KB still resident after ReleaseMapped, want at most a tenth of %d KB", after, before)
	}
	got, err := db.Quotes("600111", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if !same(got, want) {
		t.Errorf("the quotes read back differ after ReleaseMapped (%d read, %d written)", len(got), len(want))
	}
	// Writing goes on as before.
	if err := db.Append(model.Batch{Quotes: want[:1]}); err != nil {
		t.Fatal(err)
	}
}

// A commit copies the pages it changes into free pages. In a file whose
// pruning left thousands of them, small commits (the demo market's 15
// quotes every 2 s) must cycle through the lowest free pages, which stay
// mapped, and not take free pages from all over the file: each of those is
// a page fault on the next read, and resident until the next ReleaseMapped.
func TestSmallCommitsReuseTheSamePages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	db := openAt(t, path, Options{NoReference: true, Mode: ModeDemo})
	syms := []string{"600111", "600392", "000831", "600259", "000970", "600366", "300748", "600549", "002600", "000795", "300127", "600010", "688077", "002057", "600206"}
	day := time.Date(2026, 1, 5, 9, 30, 0, 0, model.CST)
	// A day of 2-second quotes for every symbol, then prune all but the
	// last hour: about 4,000 free pages.
	for batch := range 36 {
		var b model.Batch
		for i := range 400 {
			at := day.Add(time.Duration(batch*400+i) * 2 * time.Second)
			for _, s := range syms {
				b.Quotes = append(b.Quotes, model.Quote{Symbol: s, Name: "北方稀土", Time: at, Last: 40, PrevClose: 39, Volume: 1e6, Amount: 4e7, Source: ModeDemo})
			}
		}
		if err := db.Append(b); err != nil {
			t.Fatal(err)
		}
	}
	last := day.Add(36 * 400 * 2 * time.Second)
	if _, err := db.Prune("quotes", last.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	st := db.bolt.Stats()
	free := st.FreePageN + st.PendingPageN
	if free < 1000 {
		t.Fatalf("only %d free pages after pruning: the test needs a fragmented file", free)
	}
	if err := db.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	commit := func(from, to int) {
		for i := from; i < to; i++ {
			var b model.Batch
			for _, s := range syms {
				b.Quotes = append(b.Quotes, model.Quote{Symbol: s, Name: "北方稀土", Time: last.Add(time.Duration(i) * 2 * time.Second), Last: 40, PrevClose: 39, Volume: 1e6, Amount: 4e7, Source: ModeDemo})
			}
			if err := db.Append(b); err != nil {
				t.Fatal(err)
			}
		}
	}
	commit(0, 200)
	kb := mappedKB(t, path)
	t.Logf("%d free pages; resident after 200 commits: %d KB", free, kb)
	// The last leaves and branches of 15 buckets, copied back and forth
	// among the lowest free pages, and the leaves the new quotes fill:
	// 2.8 MB. Taken from the hashmap freelist, in map order, they were
	// 5.2 MB.
	if kb > 4096 {
		t.Errorf("200 small commits left %d KB of the file resident, want under 4 MB", kb)
	}
}
