package model

import (
	"testing"
	"time"
)

func TestFeedHealthStale(t *testing.T) {
	now := time.Date(2026, 1, 9, 10, 0, 0, 0, CST)
	tests := []struct {
		name    string
		lastOK  time.Time
		cadence time.Duration
		want    bool
	}{
		{"fresh", now.Add(-30 * time.Second), time.Minute, false},
		// A fast feed gets StaleMargin past its cadence: quotes every 5 s and
		// boards every 10 s that last answered 24–31 s ago are not stale.
		{"5s cadence, 31s ago", now.Add(-31 * time.Second), 5 * time.Second, false},
		{"10s cadence, 24s ago", now.Add(-24 * time.Second), 10 * time.Second, false},
		{"10s cadence, 31s ago", now.Add(-31 * time.Second), 10 * time.Second, false},
		{"5s cadence, past cadence and margin", now.Add(-36 * time.Second), 5 * time.Second, true},
		{"one cadence late", now.Add(-90 * time.Second), time.Minute, false},
		{"exactly twice the cadence", now.Add(-2 * time.Minute), time.Minute, false},
		{"just past twice the cadence", now.Add(-2*time.Minute - time.Second), time.Minute, true},
		{"long ago", now.Add(-24 * time.Hour), 5 * time.Minute, true},
		{"never succeeded", time.Time{}, time.Minute, false},
		{"no cadence", now.Add(-24 * time.Hour), 0, false},
		{"negative cadence", now.Add(-24 * time.Hour), -time.Minute, false},
		// The same instant in another zone is the same age.
		{"UTC stamp", now.Add(-3 * time.Minute).UTC(), time.Minute, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := FeedHealth{Feed: "eastmoney", LastOK: tt.lastOK, Cadence: tt.cadence}
			if got := h.Stale(now); got != tt.want {
				t.Errorf("Stale = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFeedStateString(t *testing.T) {
	want := map[FeedState]string{FeedIdle: "waiting", FeedOK: "ok", FeedFailing: "failing", FeedStandby: "standby", FeedOffline: "offline"}
	for s, w := range want {
		if s.String() != w {
			t.Errorf("%d.String() = %q, want %q", s, s.String(), w)
		}
	}
}

func TestBatchEmpty(t *testing.T) {
	if !(Batch{}).Empty() {
		t.Error("zero batch is not Empty")
	}
	if !(Batch{Seq: 3, Health: []FeedHealth{{Feed: "sina"}}}).Empty() {
		t.Error("a batch with health only is not Empty")
	}
	for name, b := range map[string]Batch{
		"quotes":   {Quotes: []Quote{{Symbol: "600111"}}},
		"bars":     {Bars: []Bar{{Symbol: "600111"}}},
		"margin":   {Margin: []MarginDay{{Symbol: "000831"}}},
		"boards":   {Boards: []BoardMove{{Code: "BK0578"}}},
		"members":  {Members: map[string][]Quote{"BK0578": nil}},
		"elements": {Elements: []ElementPrice{{Element: PrNdOxide}}},
		"contract": {Contract: []ContractQuarter{{Quarter: Quarter{2026, 1}}}},
		"symbols":  {Symbols: []Symbol{{Code: "600111"}}},
	} {
		if b.Empty() {
			t.Errorf("a batch with %s is Empty", name)
		}
	}
}
