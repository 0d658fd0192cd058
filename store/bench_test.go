package store

import (
	"encoding/json"
	"fmt"
	"math"
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
		if len(s.Daily) != 50 || len(s.Margin["600000"]) < MarginDays || len(s.Margin["600000"]) > MarginDays+1 {
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

// ---- binary vs JSON value encoding ----

// The JSON alternative to the binary codec: the same fields as the value
// (symbol and time live in the key in both), NaN as null (encoding/json
// refuses NaN), through pointer fields.
type jsonQuote struct {
	Name        string   `json:"name"`
	Source      string   `json:"source"`
	Last        *float64 `json:"last"`
	PrevClose   *float64 `json:"prev_close"`
	Open        *float64 `json:"open"`
	High        *float64 `json:"high"`
	Low         *float64 `json:"low"`
	Volume      *float64 `json:"volume"`
	Amount      *float64 `json:"amount"`
	TurnoverPct *float64 `json:"turnover_pct"`
	MarketCap   *float64 `json:"market_cap"`
	FloatCap    *float64 `json:"float_cap"`
	PE          *float64 `json:"pe"`
	MainNet     *float64 `json:"main_net"`
	High52      *float64 `json:"high52"`
	Low52       *float64 `json:"low52"`
}

type jsonBar struct {
	Source string   `json:"source"`
	Open   *float64 `json:"open"`
	High   *float64 `json:"high"`
	Low    *float64 `json:"low"`
	Close  *float64 `json:"close"`
	Volume *float64 `json:"volume"`
	Amount *float64 `json:"amount"`
}

func jf(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

func fj(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func toJSONQuote(q *model.Quote) jsonQuote {
	return jsonQuote{Name: q.Name, Source: q.Source, Last: jf(q.Last), PrevClose: jf(q.PrevClose), Open: jf(q.Open),
		High: jf(q.High), Low: jf(q.Low), Volume: jf(q.Volume), Amount: jf(q.Amount), TurnoverPct: jf(q.TurnoverPct),
		MarketCap: jf(q.MarketCap), FloatCap: jf(q.FloatCap), PE: jf(q.PE), MainNet: jf(q.MainNet), High52: jf(q.High52), Low52: jf(q.Low52)}
}

func fromJSONQuote(j *jsonQuote, q *model.Quote) {
	q.Name, q.Source = j.Name, j.Source
	q.Last, q.PrevClose, q.Open, q.High, q.Low = fj(j.Last), fj(j.PrevClose), fj(j.Open), fj(j.High), fj(j.Low)
	q.Volume, q.Amount, q.TurnoverPct, q.MarketCap, q.FloatCap = fj(j.Volume), fj(j.Amount), fj(j.TurnoverPct), fj(j.MarketCap), fj(j.FloatCap)
	q.PE, q.MainNet, q.High52, q.Low52 = fj(j.PE), fj(j.MainNet), fj(j.High52), fj(j.Low52)
}

// BenchmarkCodec encodes and decodes one value per op, binary (the stored
// format) against JSON; bytes/value is the encoded size.
func BenchmarkCodec(b *testing.B) {
	q := quote("600111", at(0, 10, 0, 0), 49.41)
	r := dailyBar("600111", day0, 49.41)
	b.Run("quote/binary", func(b *testing.B) {
		b.ReportAllocs()
		e := &encoder{}
		in := newInterner()
		var out model.Quote
		for b.Loop() {
			e.b = e.b[:0]
			encodeQuote(e, &q)
			if err := decodeQuote(e.b, in, &out); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(e.b)), "bytes/value")
	})
	b.Run("quote/json", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		var out model.Quote
		for b.Loop() {
			data, err := json.Marshal(toJSONQuote(&q))
			if err != nil {
				b.Fatal(err)
			}
			var j jsonQuote
			if err := json.Unmarshal(data, &j); err != nil {
				b.Fatal(err)
			}
			fromJSONQuote(&j, &out)
			n = len(data)
		}
		b.ReportMetric(float64(n), "bytes/value")
	})
	b.Run("bar/binary", func(b *testing.B) {
		b.ReportAllocs()
		e := &encoder{}
		in := newInterner()
		var out model.Bar
		for b.Loop() {
			e.b = e.b[:0]
			encodeBar(e, &r)
			if err := decodeBar(e.b, in, &out); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(e.b)), "bytes/value")
	})
	b.Run("bar/json", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		var out model.Bar
		for b.Loop() {
			data, err := json.Marshal(jsonBar{Source: r.Source, Open: jf(r.Open), High: jf(r.High), Low: jf(r.Low), Close: jf(r.Close), Volume: jf(r.Volume), Amount: jf(r.Amount)})
			if err != nil {
				b.Fatal(err)
			}
			var j jsonBar
			if err := json.Unmarshal(data, &j); err != nil {
				b.Fatal(err)
			}
			out = model.Bar{Source: j.Source, Open: fj(j.Open), High: fj(j.High), Low: fj(j.Low), Close: fj(j.Close), Volume: fj(j.Volume), Amount: fj(j.Amount)}
			n = len(data)
		}
		_ = out
		b.ReportMetric(float64(n), "bytes/value")
	})
}

// ---- the as-of snapshot of every panel ----

// fullYearDB is yearDB with every panel filled for 2025: 50 symbols with a
// daily bar, margin day and a quote every 5 minutes of each weekday's
// session; three boards with a move every 5 minutes, sector margin and
// constituents (50 quotes) twice a day; every element product daily; the
// reference contract.
func fullYearDB(b *testing.B) (*DB, []string) {
	db := openAt(b, filepath.Join(benchDir(b), "full.db"), Options{})
	syms := benchSymbols(50)
	boards := []string{"BK0578", "BK1027", "BK0479"}
	from, to := model.Date(2025, 1, 2), model.Date(2025, 12, 31)
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		var batch model.Batch
		for _, s := range syms {
			batch.Bars = append(batch.Bars, dailyBar(s, d, 50))
			batch.Margin = append(batch.Margin, marginDay(s, d, 1e9))
			for m := 0; m < 240; m += 5 {
				batch.Quotes = append(batch.Quotes, quote(s, d.Add(9*time.Hour+30*time.Minute+time.Duration(m)*time.Minute), 50))
			}
		}
		for _, bk := range boards {
			batch.Margin = append(batch.Margin, marginDay(bk, d, 3e10))
			for m := 0; m < 240; m += 5 {
				batch.Boards = append(batch.Boards, boardMove(bk, d.Add(9*time.Hour+30*time.Minute+time.Duration(m)*time.Minute), 2000))
			}
		}
		for _, e := range model.Elements {
			batch.Elements = append(batch.Elements, model.ElementPrice{Element: e.ID, Date: d, Price: 500000, Low: nan, High: nan, Source: "bench", OrigUnit: "元/吨"})
		}
		if err := db.Append(batch); err != nil {
			b.Fatal(err)
		}
		for _, hh := range []time.Duration{10 * time.Hour, 14 * time.Hour} {
			mb := model.Batch{At: d.Add(hh), Members: map[string][]model.Quote{}}
			for _, bk := range boards {
				for _, s := range syms {
					mb.Members[bk] = append(mb.Members[bk], quote(s, d.Add(hh), 50))
				}
			}
			if err := db.Append(mb); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := db.SetIndexEras([]model.IndexEra{{From: model.DefaultBaseDate, Weights: model.DefaultBasket}}); err != nil {
		b.Fatal(err)
	}
	return db, syms
}

// BenchmarkSnapshotAsOfAllPanels: what the offline cursor costs per step —
// every panel as of a mid-year morning, 400 days of daily bars per symbol
// (the dashboard's window). Budget: < 5 ms.
func BenchmarkSnapshotAsOfAllPanels(b *testing.B) {
	db, syms := fullYearDB(b)
	asOf := model.Date(2025, 9, 15).Add(11*time.Hour + 7*time.Minute)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for b.Loop() {
		s, err := db.Snapshot(asOf, syms, 400)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Quotes) != 50 || len(s.Daily["600049"]) < 180 || len(s.Margin["600049"]) < MarginDays || len(s.Margin["600049"]) > MarginDays+1 ||
			len(s.Boards) != 3 || len(s.Sector) != 3 || len(s.Members["BK0578"]) != 50 || len(s.Elements) != len(model.Elements) {
			b.Fatalf("snapshot: %d quotes, %d bars, %d boards, %d sector, %d members, %d elements", len(s.Quotes),
				len(s.Daily["600049"]), len(s.Boards), len(s.Sector), len(s.Members["BK0578"]), len(s.Elements))
		}
		if q := s.Quotes["600049"]; !q.Time.Equal(model.Date(2025, 9, 15).Add(11*time.Hour + 5*time.Minute)) {
			b.Fatalf("as-of quote at %v", q.Time)
		}
	}
}

// ---- bytes on disk per symbol-year ----

// BenchmarkBytesPerSymbolYear measures the file growth per symbol for a
// year of daily bars and margin days plus one day of 5-second quotes (4 h
// of sessions: 2,880 quotes), written as the poller writes them (backfill in
// one batch per symbol, quotes one poll of every symbol per batch, grouped
// 60 polls to an Append to keep the benchmark short), and the same after
// CompactFile. A second figure adds what retention leaves of a year of
// quotes: 240 one-minute bars a day.
func BenchmarkBytesPerSymbolYear(b *testing.B) {
	const nsym = 10
	syms := benchSymbols(nsym)
	days := func() []time.Time {
		var out []time.Time
		for d := model.Date(2025, 1, 2); d.Year() == 2025; d = d.AddDate(0, 0, 1) {
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				out = append(out, d)
			}
		}
		return out
	}()
	// used is the file up to its highest page: bbolt preallocates the
	// file in steps (powers of two, then 16 MB), which the file size shows
	// and this does not.
	used := func(path string) int64 {
		db, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		st, err := db.Stats()
		if err != nil {
			b.Fatal(err)
		}
		return st.Used
	}
	build := func(minuteBars bool) (grown, compacted int64) {
		dir := benchDir(b)
		path := filepath.Join(dir, "size.db")
		db, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
		if _, _, err := CompactFile(path, 0); err != nil {
			b.Fatal(err)
		}
		empty := used(path)
		db, err = Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range syms {
			var batch model.Batch
			for _, d := range days {
				batch.Bars = append(batch.Bars, dailyBar(s, d, 50))
				batch.Margin = append(batch.Margin, marginDay(s, d, 1e9))
			}
			if err := db.Append(batch); err != nil {
				b.Fatal(err)
			}
		}
		if minuteBars {
			for _, d := range days {
				var batch model.Batch
				for _, s := range syms {
					for m := range 240 {
						t := d.Add(9*time.Hour + 30*time.Minute + time.Duration(m)*time.Minute)
						batch.Bars = append(batch.Bars, model.Bar{Symbol: s, Interval: model.Minute, Time: t, Open: 50.01, High: 50.1, Low: 49.9,
							Close: 50.02, Volume: 12300, Amount: 615246, Source: "eastmoney"})
					}
				}
				if err := db.Append(batch); err != nil {
					b.Fatal(err)
				}
			}
		}
		t0 := model.Date(2026, 1, 5).Add(9*time.Hour + 30*time.Minute)
		for i := 0; i < 2880; i += 60 {
			var batch model.Batch
			for j := i; j < i+60; j++ {
				for _, s := range syms {
					q := quote(s, t0.Add(time.Duration(j)*5*time.Second), 50+float64(j%100)/100)
					q.Volume, q.Amount = float64(1000*j), float64(50000*j)
					batch.Quotes = append(batch.Quotes, q)
				}
			}
			if err := db.Append(batch); err != nil {
				b.Fatal(err)
			}
		}
		db.Close()
		grown = used(path) - empty
		if _, _, err := CompactFile(path, 0); err != nil {
			b.Fatal(err)
		}
		return grown, used(path) - empty
	}
	var grown, compacted, grown1m, compacted1m int64
	for b.Loop() {
		grown, compacted = build(false)
		grown1m, compacted1m = build(true)
	}
	b.ReportMetric(float64(grown)/nsym, "bytes/symbol-year")
	b.ReportMetric(float64(compacted)/nsym, "compacted-bytes/symbol-year")
	b.ReportMetric(float64(grown1m)/nsym, "bytes/symbol-year+1m")
	b.ReportMetric(float64(compacted1m)/nsym, "compacted-bytes/symbol-year+1m")
}
