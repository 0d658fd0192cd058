package store

import (
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

// TestRetainThinsBoardsAndMembers: board moves and constituent lists older
// than the retention keep only the last of each day; newer ones are all
// kept; a second Retain finds nothing to do.
func TestRetainThinsBoardsAndMembers(t *testing.T) {
	db := newDB(t)
	times := []time.Time{at(0, 9, 30, 0), at(0, 11, 0, 0), at(0, 14, 59, 50), at(1, 9, 30, 0), at(1, 15, 0, 0), at(31, 10, 0, 0), at(31, 10, 0, 10)}
	for i, tm := range times {
		b := model.Batch{At: tm,
			Boards:  []model.BoardMove{{Code: "BK0578", Name: "稀土永磁", Time: tm, Level: 1000 + float64(i), ChangePct: 0.1}},
			Members: map[string][]model.Quote{"BK0578": {quote("600111", tm, 50+float64(i))}}}
		if err := db.Append(b); err != nil {
			t.Fatal(err)
		}
	}
	// Cutoff day0+30: days 0 and 1 are thinned, day 31 is kept whole.
	rep, err := db.Retain(at(60, 12, 0, 0), 29)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Thinned != 6 { // 2 + 1 board moves, 2 + 1 lists
		t.Errorf("thinned %d, want 6", rep.Thinned)
	}
	moves, err := db.Boards("BK0578", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var got []time.Time
	for _, m := range moves {
		got = append(got, m.Time)
	}
	want := []time.Time{times[2], times[4], times[5], times[6]}
	if len(got) != len(want) {
		t.Fatalf("board moves at %v, want %v", got, want)
	}
	for i := range want {
		if !got[i].Equal(want[i]) {
			t.Errorf("board move %d at %v, want %v", i, got[i], want[i])
		}
	}
	// A review as of day 0 at noon now sees the previous day's close — none —
	// and as of day 0's end its last list.
	if qs, when, ok, err := db.Members("BK0578", at(0, 23, 0, 0)); err != nil || !ok || !when.Equal(times[2]) || qs[0].Last != 52 {
		t.Errorf("members as of day 0's end: %v %v %v %v", qs, when, ok, err)
	}
	if _, when, ok, _ := db.Members("BK0578", at(31, 10, 0, 5)); !ok || !when.Equal(times[5]) {
		t.Errorf("recent lists were thinned: as of day 31 10:00:05 got %v", when)
	}
	rep, err = db.Retain(at(60, 12, 0, 0), 29)
	if err != nil || rep.Thinned != 0 {
		t.Errorf("second retain: %+v %v", rep, err)
	}
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}
