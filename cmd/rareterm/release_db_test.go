package main

import (
	"testing"
	"time"
)

// The database's pages are given back after the first commit and then
// after a commit at least every releaseDBEvery, not after every commit.
func TestDatabasePagesAreGivenBackAtMostEvery30s(t *testing.T) {
	now := time.Date(2026, 1, 12, 10, 0, 0, 0, time.UTC)
	var at []time.Duration
	start := now
	r := &dbReleaser{every: releaseDBEvery, now: func() time.Time { return now }, release: func() error { at = append(at, now.Sub(start)); return nil }}
	for range 61 { // two minutes of the demo's commits, one every 2 s
		if err := r.afterCommit(); err != nil {
			t.Fatal(err)
		}
		now = now.Add(2 * time.Second)
	}
	want := []time.Duration{0, 30 * time.Second, 60 * time.Second, 90 * time.Second, 120 * time.Second}
	if len(at) != len(want) {
		t.Fatalf("released at %v, want %v", at, want)
	}
	for i := range want {
		if at[i] != want[i] {
			t.Fatalf("released at %v, want %v", at, want)
		}
	}
}
