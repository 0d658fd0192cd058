package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/demo"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
	"github.com/rareterm/rareterm/ui"
)

// soakClock is the simulated clock of a soak: the demo market, the poller
// and the screen all read it, and the soak moves it forward a poll step
// between cycles, so a trading day of batches takes minutes.
type soakClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *soakClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *soakClock) advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// soakSample is one row of the soak's table.
type soakSample struct {
	real      time.Duration
	sim       time.Time
	batches   int
	quotes    int
	heap      uint64 // live heap after a GC
	sys       uint64 // memory obtained from the OS
	routines  int
	fds       int
	dbBytes   int64 // the file
	used      int64 // the file up to its highest page
	free      int64 // free pages inside it
	kept      int   // intraday quotes held
	bars1m    int   // 1-minute bars held
	retainMsg string
}

func openFDs() int {
	es, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(es)
}

// TestSoak runs the demo market through the poller, the store (one
// transaction per batch, retention at every simulated midnight) and the
// dashboard's model for RARETERM_SOAK (a duration, e.g. 30m) of real time,
// on a simulated clock that moves 5 s per cycle, and prints heap,
// goroutines, open files and the database's size at intervals
// (RARETERM_SOAK_EVERY, default a thirtieth of the run). scripts/soak runs it.
func TestSoak(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("RARETERM_SOAK"))
	if err != nil || d <= 0 {
		t.Skip("set RARETERM_SOAK=30m (scripts/soak) to run the soak")
	}
	every := d / 30
	if e, err := time.ParseDuration(os.Getenv("RARETERM_SOAK_EVERY")); err == nil && e > 0 {
		every = e
	}
	const (
		step      = 5 * time.Second // the live quote cadence while a market trades
		retainFor = 2               // days of intraday quotes kept (the default is 30)
	)
	dir := t.TempDir()
	if keep := os.Getenv("RARETERM_SOAK_DIR"); keep != "" {
		dir = keep
	}
	path := filepath.Join(dir, "soak.db")
	db, err := store.Open(path, store.Options{Mode: store.ModeDemo})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	clock := &soakClock{t: model.Day(time.Now()).AddDate(0, 0, -60).Add(9 * time.Hour)}
	pcfg := demoSources(1, demo.WithClock(clock.Now))
	watch := demo.Symbols()
	pcfg.Watchlist = watch
	pcfg.BoardList = DefaultBoards
	pcfg.HistoryDays = 366
	pcfg.Cached = storeCache{db}
	pcfg.Now = clock.Now
	pcfg.Sink = db.Append
	var batches []model.Batch
	pcfg.Out = func(b model.Batch) { batches = append(batches, b) }
	poller := feeds.NewPoller(pcfg)

	snap, err := db.Snapshot(time.Time{}, codes(watch), 400)
	if err != nil {
		t.Fatal(err)
	}
	var m tea.Model = ui.New(ui.Deps{Snapshot: snap, Watchlist: watch, Boards: DefaultBoards, Index: DefaultConfig().Index,
		History: db, Demo: true, NoColor: true, Now: clock.Now})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})

	var (
		samples []soakSample
		nBatch  int
		nQuotes int
		lastMsg string
	)
	sample := func(start time.Time) {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		st, err := db.Stats()
		if err != nil {
			t.Fatal(err)
		}
		s := soakSample{real: time.Since(start).Round(time.Second), sim: clock.Now(), batches: nBatch, quotes: nQuotes,
			heap: ms.HeapAlloc, sys: ms.Sys, routines: runtime.NumGoroutine(), fds: openFDs(),
			dbBytes: st.FileSize, used: st.Used, free: st.FreeBytes, retainMsg: lastMsg}
		for _, b := range st.Buckets {
			switch b.Name {
			case "quotes":
				s.kept = b.Records
			case "bars_1m":
				s.bars1m = b.Records
			}
		}
		samples = append(samples, s)
		lastMsg = ""
		const mib = 1 << 20
		fmt.Printf("%8s  %s  %8d  %9d  %8.1f  %8.1f  %5d  %4d  %8.2f  %8.2f  %8.2f  %9d  %9d  %s\n", s.real, s.sim.In(model.CST).Format("01-02 15:04"),
			s.batches, s.quotes, float64(s.heap)/mib, float64(s.sys)/mib, s.routines, s.fds,
			float64(s.dbBytes)/mib, float64(s.used)/mib, float64(s.free)/mib, s.kept, s.bars1m, s.retainMsg)
	}
	fmt.Printf("soak: %s of real time, a %s step per cycle, intraday quotes kept %d days, database %s\n", d, step, retainFor, path)
	fmt.Printf("%8s  %-11s  %8s  %9s  %8s  %8s  %5s  %4s  %8s  %8s  %8s  %9s  %9s\n", "real", "simulated", "batches", "quotes",
		"heap MiB", "sys MiB", "gorou", "fds", "file MiB", "used MiB", "free MiB", "quotes", "1m bars")

	ctx := context.Background()
	start := time.Now()
	day := model.Day(clock.Now())
	next := start
	for time.Since(start) < d {
		if time.Now().After(next) || len(samples) == 0 {
			sample(start)
			next = next.Add(every)
		}
		now := clock.advance(step)
		if dd := model.Day(now); !dd.Equal(day) {
			day = dd
			msg, err := retain(db, retainFor, now)
			if err != nil {
				t.Fatalf("retention at %s: %v", now, err)
			}
			lastMsg = ""
			if msg != nil {
				lastMsg = msg.String()
			}
		}
		if _, err := poller.Cycle(ctx); err != nil {
			t.Fatalf("cycle at %s: %v", now, err)
		}
		for _, b := range batches {
			nBatch++
			nQuotes += len(b.Quotes)
			m, _ = m.Update(ui.BatchMsg{Batch: b}) // the commands it returns are I/O the screen would run; dropped here
			if nBatch%20 == 0 {
				_ = m.View()
			}
		}
		batches = batches[:0]
	}
	sample(start)
	if st, err := db.Stats(); err == nil {
		fmt.Printf("\n%-10s %10s %10s\n", "bucket", "records", "MiB")
		for _, b := range st.Buckets {
			fmt.Printf("%-10s %10d %10.2f\n", b.Name, b.Records, float64(b.InUse)/(1<<20))
		}
	}
	if p := os.Getenv("RARETERM_SOAK_HEAPPROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		if err := pprof.WriteHeapProfile(f); err != nil {
			t.Error(err)
		}
		f.Close()
	}
	runtime.KeepAlive(m)
	runtime.KeepAlive(poller)
	if err := db.Check(); err != nil {
		t.Error(err)
	}
	first, last := samples[1%len(samples)], samples[len(samples)-1]
	t.Logf("goroutines %d → %d, open files %d → %d, heap %.1f → %.1f MiB, database %.2f → %.2f MiB over %s simulated",
		first.routines, last.routines, first.fds, last.fds, float64(first.heap)/(1<<20), float64(last.heap)/(1<<20),
		float64(first.dbBytes)/(1<<20), float64(last.dbBytes)/(1<<20), last.sim.Sub(first.sim).Round(time.Hour))
}
