package store

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Budgets (go test -bench . -run ^$ ./store):
//   - Append of a 1,000-quote batch: >= 200,000 quotes/s (fsync on);
//   - BarsMulti, one year of daily bars for 50 symbols: < 2 ms;
//   - Snapshot over one year for 50 symbols.

// benchDir is where benchmark databases live: a temp dir, or a fresh dir
// under $RARETERM_BENCH_DIR (e.g. /dev/shm, to take the disk out of the
// figures and see the CPU cost alone).
func benchDir(b *testing.B) string {
	root := os.Getenv("RARETERM_BENCH_DIR")
	if root == "" {
		return b.TempDir()
	}
	dir, err := os.MkdirTemp(root, "rareterm-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func benchSymbols(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("6%05d", i)
	}
	return out
}

func BenchmarkAppend1000Quotes(b *testing.B) {
	db := openAt(b, filepath.Join(benchDir(b), "bench.db"), Options{NoReference: true})
	syms := benchSymbols(50)
	t0 := model.Date(2026, 1, 5).Add(9*time.Hour + 30*time.Minute)
	batch := model.Batch{Quotes: make([]model.Quote, 1000)}
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; b.Loop(); i++ {
		// 20 polls of 50 symbols, 3 s apart, continuing from the last batch:
		// new keys at the end of each symbol's bucket, as in real use.
		for j := range batch.Quotes {
			q := quote(syms[j%50], t0.Add(time.Duration(i*20+j/50)*3*time.Second), 49.41)
			batch.Quotes[j] = q
		}
		if err := db.Append(batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(batch.Quotes))/b.Elapsed().Seconds(), "quotes/s")
}

// yearDB is a database with one year of daily bars (every weekday), a quote
// per day and 60+ margin days for 50 symbols, plus the reference data.
func yearDB(b *testing.B) (*DB, []string, time.Time, time.Time) {
	db := openAt(b, filepath.Join(benchDir(b), "bench.db"), Options{})
	syms := benchSymbols(50)
	from, to := model.Date(2025, 1, 2), model.Date(2025, 12, 31)
	var batch model.Batch
	for _, s := range syms {
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
				continue
			}
			batch.Bars = append(batch.Bars, dailyBar(s, d, 50))
			batch.Quotes = append(batch.Quotes, quote(s, d.Add(15*time.Hour), 50))
			batch.Margin = append(batch.Margin, marginDay(s, d, 1e9))
		}
	}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		batch.Boards = append(batch.Boards, boardMove("BK0578", d.Add(15*time.Hour), 2000))
		batch.Margin = append(batch.Margin, marginDay("BK0578", d, 3e10))
	}
	if err := db.Append(batch); err != nil {
		b.Fatal(err)
	}
	return db, syms, from, to
}

func BenchmarkBarsMultiYear50(b *testing.B) {
	db, syms, from, to := yearDB(b)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	var n int
	for b.Loop() {
		m, err := db.BarsMulti(syms, model.Daily, from, to)
		if err != nil {
			b.Fatal(err)
		}
		n = 0
		for _, bars := range m {
			n += len(bars)
		}
	}
	if n != 50*260 { // the weekdays of 2025
		b.Fatalf("read %d bars", n)
	}
	b.ReportMetric(float64(n), "bars/op")
}

func BenchmarkSnapshotYear50(b *testing.B) {
	db, syms, _, to := yearDB(b)
	asOf := to.Add(16 * time.Hour)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for b.Loop() {
		s, err := db.Snapshot(asOf, syms, 365)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Daily) != 50 || len(s.Margin["600000"]) != MarginDays {
			b.Fatalf("snapshot: %d daily, %d margin", len(s.Daily), len(s.Margin["600000"]))
		}
	}
}

func BenchmarkQuoteAsOf(b *testing.B) {
	db, _, _, _ := yearDB(b)
	t := model.Date(2025, 7, 1).Add(12 * time.Hour)
	defer reportCPU(b)()
	for b.Loop() {
		if _, ok, err := db.QuoteAsOf("600025", t); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// cpuTime is the process's user+system CPU time. The benchmarks report it
// per op beside ns/op: on a shared machine (load above the core count)
// wall time includes waiting for a CPU, CPU time does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU starts counting; call the returned func after the loop.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// BenchmarkAppendShapes: the same 1,000 quotes spread over fewer or more
// symbols. Each symbol's bucket touched costs a few pages per commit
// (copy-on-write of its last leaf and its branch), so the spread, more than
// the count, sets the cost.
func BenchmarkAppendShapes(b *testing.B) {
	for _, nsym := range []int{1, 10, 50, 200} {
		b.Run(fmt.Sprintf("%dsym", nsym), func(b *testing.B) {
			db := openAt(b, filepath.Join(benchDir(b), "bench.db"), Options{NoReference: true})
			syms := benchSymbols(nsym)
			per := 1000 / nsym
			t0 := model.Date(2026, 1, 5).Add(9*time.Hour + 30*time.Minute)
			batch := model.Batch{Quotes: make([]model.Quote, per*nsym)}
			b.ResetTimer()
			defer reportCPU(b)()
			for i := 0; b.Loop(); i++ {
				for j := range batch.Quotes {
					batch.Quotes[j] = quote(syms[j%nsym], t0.Add(time.Duration(i*per+j/nsym)*3*time.Second), 49.41)
				}
				if err := db.Append(batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(batch.Quotes))/b.Elapsed().Seconds(), "quotes/s")
		})
	}
}
