package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
	"github.com/rareterm/rareterm/ui"
)

// benchYearDB writes the last year of every panel's data for 50 symbols
// (writeYearDB) into a new live database. Returns the path and the
// watchlist.
func benchYearDB(b *testing.B) (string, []model.Symbol) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "rareterm.db")
	var watch []model.Symbol
	for i := range 50 {
		watch = append(watch, model.Symbol{Code: fmt.Sprintf("6%05d", i), Market: model.MarketSSE, Name: fmt.Sprintf("稀土%02d", i)})
	}
	writeYearDB(b, path, store.Options{}, watch)
	return path, watch
}

// writeYearDB writes the last year of every panel's data for watch into
// the database at path: per weekday a daily bar, a margin day and a quote
// every 5 minutes of a 4-hour session per symbol; three boards with a move
// every 5 minutes, sector margin and two constituent lists a day; a price a
// day for every element product; plus the reference data. Then retention
// runs, as it does at every start: the quotes older than 30 days become
// 1-minute bars.
func writeYearDB(tb testing.TB, path string, opts store.Options, watch []model.Symbol) {
	tb.Helper()
	b := tb
	db, err := store.Open(path, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	boards := []string{"BK0578", "BK1027", "BK0479"}
	nan := model.Unknown
	quote := func(s string, t time.Time, last float64) model.Quote {
		return model.Quote{Symbol: s, Name: "稀土", Time: t, Last: last, PrevClose: last - 0.3, Open: last - 0.2, High: last + 0.5,
			Low: last - 0.6, Volume: 9.8e7, Amount: 4.8e9, TurnoverPct: 2.7, MarketCap: 1.7e11, FloatCap: nan, PE: 85,
			MainNet: 3.1e8, High52: 61, Low52: 21, Source: "eastmoney"}
	}
	first := model.Batch{Symbols: watch}
	if err := db.Append(first); err != nil {
		b.Fatal(err)
	}
	today := model.Day(time.Now())
	for d := today.AddDate(-1, 0, 0); d.Before(today); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		var batch model.Batch
		px := 40 + float64(d.YearDay()%40)/4
		for _, s := range watch {
			batch.Bars = append(batch.Bars, model.Bar{Symbol: s.Code, Interval: model.Daily, Time: d, Open: px - 0.5, High: px + 1,
				Low: px - 1, Close: px, Volume: 1e7, Amount: 5e8, Source: "eastmoney kline"})
			batch.Margin = append(batch.Margin, model.MarginDay{Symbol: s.Code, Name: s.Name, Date: d, FinBalance: 1e9 + px*1e6,
				FinBuy: 2e8, FinRepay: 1.9e8, FinNetBuy: 1e7, LendBalance: 5e6, Total: 1.005e9, BalancePct: 4.1, FloatCap: 2.4e10,
				Source: "eastmoney RPTA_WEB_RZRQ_GGMX"})
			for m := 0; m < 240; m += 5 {
				batch.Quotes = append(batch.Quotes, quote(s.Code, d.Add(9*time.Hour+30*time.Minute+time.Duration(m)*time.Minute), px))
			}
		}
		for _, bk := range boards {
			batch.Margin = append(batch.Margin, model.MarginDay{Symbol: bk, Name: bk, Date: d, FinBalance: 7e10, FinBuy: 6e9,
				FinRepay: 5.6e9, FinNetBuy: 4e8, LendBalance: 3e8, Total: 7.03e10, BalancePct: 3.4, FloatCap: 2.2e12, Source: "eastmoney RPTA_WEB_BKJYMXN"})
			for m := 0; m < 240; m += 5 {
				batch.Boards = append(batch.Boards, model.BoardMove{Code: bk, Name: "稀土永磁", Time: d.Add(9*time.Hour + 30*time.Minute + time.Duration(m)*time.Minute),
					Level: 2000 + px, ChangePct: 1.2, MainNet: 1.5e9, Turnover: 2.5, Up: 100, Down: 50, Flat: 3, Leader: "北方稀土",
					LeaderCode: "600111", LeaderPct: 5, LimitUp: 2, Source: "eastmoney"})
			}
		}
		for _, e := range model.Elements {
			batch.Elements = append(batch.Elements, model.ElementPrice{Element: e.ID, Date: d, Price: 500000 + px*1000, Low: nan, High: nan,
				Source: "bench", OrigUnit: "元/吨"})
		}
		if err := db.Append(batch); err != nil {
			b.Fatal(err)
		}
		for _, hh := range []time.Duration{10 * time.Hour, 14 * time.Hour} {
			mb := model.Batch{At: d.Add(hh), Members: map[string][]model.Quote{}}
			for _, bk := range boards {
				for _, s := range watch {
					mb.Members[bk] = append(mb.Members[bk], quote(s.Code, d.Add(hh), px))
				}
			}
			if err := db.Append(mb); err != nil {
				b.Fatal(err)
			}
		}
	}
	cfg := DefaultConfig()
	if _, err := syncIndexEras(db, cfg.Index, time.Now()); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Retain(time.Now(), cfg.RetentionDays); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkColdStart: from nothing in memory to the first full frame on a
// year of data for 50 symbols, as the dashboard starts: open the database
// (read-write, with the retention pass), read the snapshot and the margin
// since last December, build the UI, lay it out at 160×48 and render it.
// Budget: < 200 ms.
func BenchmarkColdStart(b *testing.B) {
	path, watch := benchYearDB(b)
	cfg := DefaultConfig()
	b.ResetTimer()
	var frame string
	for b.Loop() {
		db, _, err := openDB(path, store.Options{Timeout: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		now := time.Now()
		if _, err := retain(db, cfg.RetentionDays, now); err != nil {
			b.Fatal(err)
		}
		snap, err := db.Snapshot(time.Time{}, codes(watch), snapshotDays)
		if err != nil {
			b.Fatal(err)
		}
		m := ui.New(ui.Deps{Snapshot: snap, Watchlist: watch, Boards: cfg.Boards, Index: cfg.Index, History: db, NoColor: true})
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
		frame = m.View().Content
		db.Close()
	}
	b.StopTimer()
	if !strings.Contains(frame, "600000") || !strings.Contains(frame, "2026Q1") {
		b.Fatalf("the first frame lacks the data:\n%s", frame)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/start")
}
