package store

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

func detailFixture() model.Detail {
	day := model.Date(2026, time.January, 9)
	tick := func(hh, mm int, c, avg float64) model.Tick {
		return model.Tick{Time: day.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute), Open: c, Close: c, High: c, Low: c, Volume: 100, Amount: 100 * c, Avg: avg}
	}
	return model.Detail{
		Symbol: "600111",
		Book:   &model.Book{Symbol: "600111", Last: 49.41},
		Sessions: []model.Session{
			{Symbol: "600111", Day: day.AddDate(0, 0, -1), PrevClose: 48.5, Ticks: []model.Tick{tick(9, 30, 48.6, 48.6)}, Source: "eastmoney"},
			{Symbol: "600111", Day: day, PrevClose: 48.73, Ticks: []model.Tick{tick(9, 30, 48.9, 48.9), tick(9, 31, 48.93, math.NaN())}, Source: "eastmoney"},
		},
		Flow: &model.FlowToday{Symbol: "600111", Day: day, Ticks: []model.FlowTick{
			{Time: day.Add(9*time.Hour + 31*time.Minute), Flow: model.Flow{Main: 1, Super: 2, Large: -1, Medium: 3, Small: -4}},
			{Time: day.Add(15 * time.Hour), Flow: model.Flow{Main: 312456789, Super: 213691357, Large: 98765432, Medium: -111222222, Small: -201234567}},
		}, Source: "eastmoney"},
		FlowDays: []model.FlowDay{{Symbol: "600111", Date: day, Flow: model.Flow{Main: 312456789, Super: 213691357, Large: 98765432, Medium: -111222222, Small: -201234567}, Close: 49.41, ChangePct: 1.4, Source: "eastmoney"}},
	}
}

// Sessions and fund flow go in with the batch, in its one transaction,
// and come back as they were (an unknown average stays unknown), after a
// reopen and read-only.
func TestDetailRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.db")
	db := openAt(t, path, Options{})
	d := detailFixture()
	if err := db.Append(model.Batch{Seq: 1, At: d.Sessions[1].Day, Detail: []model.Detail{d}}); err != nil {
		t.Fatal(err)
	}
	checkAndClose(t, db)
	db = openAt(t, path, Options{ReadOnly: true})
	defer db.Close()
	ss, err := db.Sessions("600111", time.Time{}, time.Time{})
	if err != nil || len(ss) != 2 {
		t.Fatalf("sessions %v %d", err, len(ss))
	}
	if !same(ss[1].Ticks, d.Sessions[1].Ticks) || ss[1].PrevClose != 48.73 || !ss[1].Day.Equal(d.Sessions[1].Day) {
		t.Fatalf("session back as %+v", ss[1])
	}
	if !math.IsNaN(ss[1].Ticks[1].Avg) {
		t.Fatalf("unknown average back as %v", ss[1].Ticks[1].Avg)
	}
	only, _ := db.Sessions("600111", d.Sessions[1].Day.Add(10*time.Hour), time.Time{})
	if len(only) != 1 {
		t.Fatalf("from a time of the day: %d sessions, want that day's", len(only))
	}
	ft, ok, err := db.FlowToday("600111", time.Time{})
	if err != nil || !ok || !same(ft.Ticks, d.Flow.Ticks) {
		t.Fatalf("flow today %v %v %+v", err, ok, ft)
	}
	// As of 10:00 the day's flow stops at what was known then.
	ft, ok, _ = db.FlowToday("600111", d.Flow.Day.Add(10*time.Hour))
	if !ok || len(ft.Ticks) != 1 {
		t.Fatalf("flow as of 10:00: %d ticks", len(ft.Ticks))
	}
	fd, err := db.FlowDays("600111", time.Time{}, time.Time{})
	if err != nil || !same(fd, d.FlowDays) {
		t.Fatalf("flow days %v %+v", err, fd)
	}
}

// A detail that cannot be stored (a day outside the storable range) fails
// the whole batch: nothing of it is written.
func TestDetailBadDayFailsTheBatch(t *testing.T) {
	db := newDB(t)
	d := detailFixture()
	d.FlowDays[0].Date = time.Date(1960, 1, 1, 0, 0, 0, 0, model.CST)
	q := quote("600111", at(0, 10, 0, 0), 49)
	if err := db.Append(model.Batch{Seq: 1, Quotes: []model.Quote{q}, Detail: []model.Detail{d}}); err == nil {
		t.Fatal("want an error")
	}
	if qs, _ := db.Quotes("600111", time.Time{}, time.Time{}); len(qs) != 0 {
		t.Fatalf("%d quotes written from a failed batch", len(qs))
	}
}
