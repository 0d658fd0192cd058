package store

import (
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

// The snapshot's margin days are the last MarginDays, led by the last day
// before January 1 and the year's first trading day, so the margin panel's
// year-to-date figures work as of any date (offline review too) without
// reading the whole year.
func TestSnapshotMarginCarriesTheYearStartBase(t *testing.T) {
	db := newDB(t)
	var b model.Batch
	for i, d := range model.TradingDays(model.ExchangeA, model.Date(2025, 6, 2), model.Date(2026, 11, 20)) {
		b.Margin = append(b.Margin, model.MarginDay{Symbol: "600111", Date: d, FinBalance: float64(i), Source: "test"})
	}
	if err := db.Append(b); err != nil {
		t.Fatal(err)
	}
	for _, asOf := range []time.Time{time.Date(2026, 11, 20, 23, 0, 0, 0, model.CST), {}} {
		snap, err := db.Snapshot(asOf, []string{"600111"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		days := snap.Margin["600111"]
		if len(days) != MarginDays+2 {
			t.Fatalf("as of %v: %d margin days, want %d plus the two bases", asOf, len(days), MarginDays)
		}
		if !days[1].Date.Equal(model.Date(2026, 1, 5)) {
			t.Errorf("as of %v: the year's first day is %v, want 2026-01-05", asOf, days[1].Date)
		}
		if !days[0].Date.Equal(model.Date(2025, 12, 31)) {
			t.Errorf("as of %v: the base day is %v, want 2025-12-31 (the last trading day of 2025)", asOf, days[0].Date)
		}
		if !days[len(days)-1].Date.Equal(model.Date(2026, 11, 20)) || !days[2].Date.After(model.Date(2026, 8, 1)) {
			t.Errorf("as of %v: the recent days run %v..%v", asOf, days[2].Date, days[len(days)-1].Date)
		}
	}
	// Within the first 60 days of a year the recent days already reach back
	// past January 1: no separate base.
	snap, _ := db.Snapshot(time.Date(2026, 1, 20, 23, 0, 0, 0, model.CST), []string{"600111"}, 0)
	if n := len(snap.Margin["600111"]); n != MarginDays {
		t.Errorf("mid-January: %d margin days, want %d", n, MarginDays)
	}
}
