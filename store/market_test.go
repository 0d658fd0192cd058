package store

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

func TestUniverseRoundTrip(t *testing.T) {
	db := newDB(t)
	if _, ok, err := db.Universe(); ok || err != nil {
		t.Fatalf("empty database has a universe: %v %v", ok, err)
	}
	u := model.Universe{Day: model.Date(2026, 1, 9), Source: "eastmoney", Symbols: []model.Symbol{
		{Code: "600519", Market: model.MarketSSE, Name: "贵州茅台"},
		{Code: "03988", Market: model.MarketHKEX, Name: "中国银行", NameEn: "BANK OF CHINA"},
		{Code: "920001", Market: model.MarketBSE, Name: "x\x1b[2Jy"},
	}}
	if err := db.SaveUniverse(u); err != nil {
		t.Fatal(err)
	}
	u.Symbols[0].Name = "changed after the write"
	got, ok, err := db.Universe()
	if !ok || err != nil || !got.Day.Equal(u.Day) || got.Source != "eastmoney" || len(got.Symbols) != 3 {
		t.Fatalf("%+v %v %v", got, ok, err)
	}
	if got.Symbols[0].Name != "贵州茅台" || got.Symbols[1] != (model.Symbol{Code: "03988", Market: model.MarketHKEX, Name: "中国银行", NameEn: "BANK OF CHINA"}) {
		t.Errorf("symbols %+v", got.Symbols)
	}
	if got.Symbols[2].Name != "xy" {
		t.Errorf("hostile name stored as %q", got.Symbols[2].Name)
	}
}

func TestLadderAsOf(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l.db")
	db, err := Open(path, Options{NoReference: true})
	if err != nil {
		t.Fatal(err)
	}
	d8, d9, d12 := model.Date(2026, 1, 8), model.Date(2026, 1, 9), model.Date(2026, 1, 12)
	for _, l := range []model.Ladder{
		{Day: d8, Rows: []model.LimitUp{{Code: "000795", Height: 1}}},
		{Day: d9, Rows: []model.LimitUp{{Code: "000795", Height: 2}, {Code: "600980", Height: 1}}},
		{Day: d12}, // a day polled before its first limit-up
	} {
		if err := db.SaveLadder(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openAt(t, path, Options{ReadOnly: true})
	for _, c := range []struct {
		at   model.Ladder
		want int
	}{{model.Ladder{Day: d12}, 2}, {model.Ladder{Day: d9.Add(15 * 3600e9)}, 2}, {model.Ladder{Day: d8}, 1}} {
		l, ok, err := db.LadderAsOf(c.at.Day)
		if !ok || err != nil || len(l.Rows) != c.want {
			t.Errorf("as of %v: %+v %v %v", c.at.Day, l, ok, err)
		}
	}
	if l, ok, _ := db.LadderAsOf(d12); !l.Day.Equal(d9) || !ok {
		t.Errorf("as of the 12th: day %v", l.Day)
	}
	if _, ok, _ := db.LadderAsOf(model.Date(2026, 1, 7)); ok {
		t.Error("a ladder before the first day")
	}
	if err := db.SaveLadder(model.Ladder{Day: d9}); err == nil {
		t.Error("a read-only database took a write")
	}
}

func TestSectorRoundTrip(t *testing.T) {
	db := newDB(t)
	if err := db.SaveSector(model.Date(2026, 1, 2), []string{"600111", "000831"}, "eastmoney"); err != nil {
		t.Fatal(err)
	}
	codes, day, ok, err := db.Sector()
	if !ok || err != nil || len(codes) != 2 || codes[1] != "000831" || !day.Equal(model.Date(2026, 1, 2)) {
		t.Errorf("%v %v %v %v", codes, day, ok, err)
	}
}

func TestSnapshotKeepsTheYearsFirstMarginDay(t *testing.T) {
	db := newDB(t)
	day := func(d time.Time, bal float64) model.MarginDay {
		return model.MarginDay{Symbol: "600111", Date: d, FinBalance: bal, Source: "test"}
	}
	b := model.Batch{Margin: []model.MarginDay{day(model.Date(2025, 12, 31), 90), day(model.Date(2026, 1, 5), 100), day(model.Date(2026, 1, 6), 101)}}
	for _, d := range model.TradingDays(model.ExchangeA, model.Date(2026, 3, 1), model.Date(2026, 7, 1)) {
		b.Margin = append(b.Margin, day(d, 120))
	}
	if err := db.Append(b); err != nil {
		t.Fatal(err)
	}
	snap, err := db.Snapshot(time.Time{}, []string{"600111"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	ms := snap.Margin["600111"]
	if len(ms) != MarginDays+2 || !ms[0].Date.Equal(model.Date(2025, 12, 31)) || !ms[1].Date.Equal(model.Date(2026, 1, 5)) || ms[1].FinBalance != 100 {
		t.Fatalf("%d days, first %v %v", len(ms), ms[0].Date, ms[1].Date)
	}
	s := model.ComputeSectorMargin([]string{"600111"}, snap.Margin, time.Time{})
	if s.Start != 100 || len(s.Over10) != 1 || len(s.Over20) != 0 {
		t.Errorf("sector from the snapshot: %+v", s)
	}
}

func TestETFFlowRoundTrip(t *testing.T) {
	db := newDB(t)
	f := model.ETFFlow{Code: "516150", Name: "稀土ETF", Source: "eastmoney", Days: []model.FlowDay{{Date: model.Date(2026, 1, 8), Flow: model.Flow{Main: -5e6}}, {Date: model.Date(2026, 1, 9), Flow: model.Flow{Main: 8.1e6}}}}
	if err := db.SaveETFFlow(f); err != nil {
		t.Fatal(err)
	}
	got, err := db.ETFFlows()
	if err != nil || len(got) != 1 || len(got["516150"].Days) != 2 || got["516150"].Days[1].Flow.Main != 8.1e6 || !got["516150"].Days[1].Date.Equal(model.Date(2026, 1, 9)) {
		t.Errorf("%+v %v", got, err)
	}
}
