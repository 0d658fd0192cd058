package model

import (
	"strings"
	"testing"
	"time"
)

func TestSummarizeHealth(t *testing.T) {
	now := time.Date(2026, 1, 9, 10, 0, 0, 0, CST)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	ok := func(feed, kind string, last time.Duration, cad time.Duration) FeedHealth {
		return FeedHealth{Feed: feed, Kind: kind, State: FeedOK, LastOK: ago(last), LastTry: ago(last), Cadence: cad}
	}
	fail := func(feed, kind string, n int, since time.Duration, err string) FeedHealth {
		return FeedHealth{Feed: feed, Kind: kind, State: FeedFailing, Failures: n, FailingSince: ago(since), LastTry: ago(time.Second), LastErr: err, NextTry: now.Add(7 * time.Second)}
	}
	feed := func(s HealthSummary, name string) FeedSummary {
		for _, f := range s.Feeds {
			if f.Feed == name {
				return f
			}
		}
		t.Fatalf("no feed %q in %+v", name, s.Feeds)
		return FeedSummary{}
	}
	tests := []struct {
		name  string
		hs    []FeedHealth
		check func(t *testing.T, s HealthSummary)
	}{
		{"all healthy", []FeedHealth{
			ok("eastmoney", "quotes", 2*time.Second, 5*time.Second),
			ok("eastmoney", "boards", 4*time.Second, 10*time.Second),
			{Feed: "sina", Kind: "quotes", State: FeedStandby},
			ok("store", "write", 2*time.Second, 0),
		}, func(t *testing.T, s HealthSummary) {
			if s.QuotesDown || s.Store.Failing || s.Backfill.Stalled || s.QuoteFeed != "eastmoney" {
				t.Errorf("healthy summary: %+v", s)
			}
			if len(s.Feeds) != 2 {
				t.Errorf("the store is not a feed: %+v", s.Feeds)
			}
			if f := feed(s, "sina"); f.State != FeedStandby {
				t.Errorf("sina: %v, want standby", f.State)
			}
			if f := feed(s, "eastmoney"); f.State != FeedOK || f.Stale || !f.LastOK.Equal(ago(2*time.Second)) {
				t.Errorf("eastmoney: %+v", f)
			}
			if s.Line(now) != "" {
				t.Errorf("Line = %q, want empty", s.Line(now))
			}
		}},
		// A healthy Eastmoney that last answered 24–31 s ago is not stale.
		{"not stale within cadence and margin", []FeedHealth{
			ok("eastmoney", "quotes", 31*time.Second, 5*time.Second),
			ok("eastmoney", "boards", 24*time.Second, 10*time.Second),
		}, func(t *testing.T, s HealthSummary) {
			if f := feed(s, "eastmoney"); f.Stale {
				t.Errorf("stale at 24–31 s: %+v", f.StaleKinds)
			}
		}},
		{"stale past cadence and margin", []FeedHealth{
			ok("eastmoney", "quotes", 36*time.Second, 5*time.Second),
			ok("eastmoney", "history", time.Hour, 0), // one-shot: never stale
		}, func(t *testing.T, s HealthSummary) {
			if f := feed(s, "eastmoney"); !f.Stale || len(f.StaleKinds) != 1 || f.StaleKinds[0] != "quotes" {
				t.Errorf("want quotes stale: %+v", f)
			}
		}},
		// Both quote feeds down: OFFLINE, even with margin, history and
		// element prices still marked ok from earlier answers.
		{"both quote feeds down", []FeedHealth{
			fail("eastmoney", "quotes", 9, 3*time.Minute, "HTTP 502"),
			ok("eastmoney", "margin", time.Hour, 6*time.Hour),
			ok("eastmoney", "history", 2*time.Hour, 0),
			fail("sina", "quotes", 4, 2*time.Minute, "timeout"),
			ok("100ppi", "elements", 20*time.Minute, time.Hour),
		}, func(t *testing.T, s HealthSummary) {
			if !s.QuotesDown || !s.QuotesDownSince.Equal(ago(2*time.Minute)) || s.QuoteFeed != "" {
				t.Errorf("QuotesDown %v since %v feed %q, want down since the last working feed failed (2m ago)", s.QuotesDown, s.QuotesDownSince, s.QuoteFeed)
			}
			if f := feed(s, "eastmoney"); f.State != FeedFailing || f.Failures != 9 || f.LastErr != "HTTP 502" || f.FailingKind != "quotes" || !f.NextTry.Equal(now.Add(7*time.Second)) {
				t.Errorf("eastmoney: %+v", f)
			}
			if l := s.Line(now); !strings.HasPrefix(l, "OFFLINE 2m (eastmoney: HTTP 502; sina: timeout)") {
				t.Errorf("Line = %q", l)
			}
		}},
		// The fallback answering: quotes work, Eastmoney fails.
		{"fallback in use", []FeedHealth{
			fail("eastmoney", "quotes", 2, 10*time.Second, "HTTP 500"),
			ok("sina", "quotes", time.Second, 5*time.Second),
		}, func(t *testing.T, s HealthSummary) {
			if s.QuotesDown || s.QuoteFeed != "sina" {
				t.Errorf("QuotesDown %v, QuoteFeed %q", s.QuotesDown, s.QuoteFeed)
			}
			if f := feed(s, "sina"); f.State != FeedOK {
				t.Errorf("a sina that answered is ok at once: %+v", f)
			}
		}},
		{"not polled yet is not offline", []FeedHealth{
			{Feed: "eastmoney", Kind: "quotes", State: FeedIdle},
			{Feed: "sina", Kind: "quotes", State: FeedStandby},
		}, func(t *testing.T, s HealthSummary) {
			if s.QuotesDown {
				t.Error("OFFLINE before any quote feed was tried")
			}
		}},
		{"store failing", []FeedHealth{
			ok("eastmoney", "quotes", time.Second, 5*time.Second),
			{Feed: "store", Kind: "write", State: FeedFailing, Failures: 3, LastErr: "write /db: no space left on device",
				FailingSince: ago(time.Minute), NextTry: now.Add(8 * time.Second), Pending: 3, LastOK: ago(2 * time.Minute)},
		}, func(t *testing.T, s HealthSummary) {
			st := s.Store
			if !st.Failing || st.Err != "write /db: no space left on device" || st.Pending != 3 || !st.NextTry.Equal(now.Add(8*time.Second)) || st.Failures != 3 {
				t.Errorf("store: %+v", st)
			}
			if l := s.Line(now); l != "store failing: write /db: no space left on device, retry in 8s" {
				t.Errorf("Line = %q", l)
			}
		}},
		{"backfill progressing", []FeedHealth{
			{Feed: "eastmoney", Kind: "history", State: FeedOK, Pending: 4, Detail: "600111 06680 +2", Progress: ago(time.Minute)},
		}, func(t *testing.T, s HealthSummary) {
			if b := s.Backfill; b.Stalled || b.Pending != 4 || b.Waiting != "600111 06680 +2" {
				t.Errorf("backfill: %+v", b)
			}
		}},
		{"backfill stalled", []FeedHealth{
			{Feed: "eastmoney", Kind: "history", State: FeedFailing, Failures: 12, LastErr: "timeout", Pending: 4, Detail: "600111 06680 +2", Progress: ago(6 * time.Minute)},
		}, func(t *testing.T, s HealthSummary) {
			if b := s.Backfill; !b.Stalled || b.Err != "timeout" || b.Feed != "eastmoney" {
				t.Errorf("backfill: %+v", b)
			}
			if l := s.Line(now); l != "backfill stalled: 600111 06680 +2 (timeout)" {
				t.Errorf("Line = %q", l)
			}
		}},
		{"backfill done long ago", []FeedHealth{
			{Feed: "eastmoney", Kind: "history", State: FeedOK, Progress: ago(24 * time.Hour)},
		}, func(t *testing.T, s HealthSummary) {
			if b := s.Backfill; b.Stalled || b.Pending != 0 {
				t.Errorf("backfill: %+v", b)
			}
		}},
		{"hostile error text is sanitised", []FeedHealth{
			fail("eastmoney", "quotes", 1, time.Second, "bad\x1b]52;c;aGk=\x07 body"),
		}, func(t *testing.T, s HealthSummary) {
			if f := feed(s, "eastmoney"); f.LastErr != "bad body" {
				t.Errorf("LastErr = %q", f.LastErr)
			}
		}},
		{"empty", nil, func(t *testing.T, s HealthSummary) {
			if s.QuotesDown || len(s.Feeds) != 0 || s.Store.Failing {
				t.Errorf("%+v", s)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, SummarizeHealth(tt.hs, now)) })
	}
}

func TestCleanName(t *testing.T) {
	long := strings.Repeat("稀", 70<<10/3)
	if got := CleanName(long); len([]rune(got)) != MaxNameRunes {
		t.Errorf("a 70 KB name kept %d runes, want %d", len([]rune(got)), MaxNameRunes)
	}
	if got := CleanName("北方\x1b[31m稀土\u202e"); got != "北方稀土" {
		t.Errorf("CleanName = %q", got)
	}
	if got := CleanName("北方稀土"); got != "北方稀土" {
		t.Errorf("CleanName = %q", got)
	}
}

func TestCheckRowTime(t *testing.T) {
	now := time.Date(2026, 1, 9, 10, 0, 0, 0, CST)
	for _, tc := range []struct {
		t  time.Time
		ok bool
	}{
		{now, true},
		{now.Add(24 * time.Hour), true},
		{time.Time{}, false},
		{time.Unix(0, 0), false},
		{time.Date(2999, 1, 1, 0, 0, 0, 0, CST), false},
		{now.Add(MaxRowAhead + time.Minute), false},
		{EarliestRowTime, true},
	} {
		if err := CheckRowTime(tc.t, now); (err == nil) != tc.ok {
			t.Errorf("CheckRowTime(%v) = %v, want ok=%v", tc.t, err, tc.ok)
		}
	}
}
