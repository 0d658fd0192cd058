package widgets

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

func TestFeedStatus(t *testing.T) {
	st := NewStyles(false, true)
	now := time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)
	status := func(hs []model.FeedHealth) string {
		return ansi.Strip(strings.Join(FeedStatus(st, i18n.EN, model.SummarizeHealth(hs, now), now, false), "  "))
	}
	ok := []model.FeedHealth{
		{Feed: "eastmoney", Kind: "quotes", State: model.FeedOK, LastOK: now.Add(-2 * time.Second), Cadence: 5 * time.Second},
		{Feed: "sina", Kind: "quotes", State: model.FeedStandby},
	}
	if got := status(ok); got != "● eastmoney 2s  ○ sina standby" {
		t.Errorf("healthy feeds: %q", got)
	}
	// Redrawn once a minute, an age in seconds would stand still.
	if got := ansi.Strip(strings.Join(FeedStatus(st, i18n.EN, model.SummarizeHealth(ok, now), now, true), "  ")); got != "● eastmoney <1m  ○ sina standby" {
		t.Errorf("minute clock: %q", got)
	}
	// The OFFLINE banner likewise.
	justDown := []model.FeedHealth{{Feed: "eastmoney", Kind: "quotes", State: model.FeedFailing, Failures: 1, LastErr: "HTTP 500", FailingSince: now.Add(-39 * time.Second)}}
	if got := ansi.Strip(strings.Join(FeedStatus(st, i18n.EN, model.SummarizeHealth(justDown, now), now, true), "  ")); !strings.HasPrefix(got, "OFFLINE <1m ") {
		t.Errorf("minute clock, offline for 39 s: %q", got)
	}
	// Both quote feeds down: OFFLINE with how long, although history and
	// margin answered (they once kept the banner away).
	down := []model.FeedHealth{
		{Feed: "eastmoney", Kind: "quotes", State: model.FeedFailing, Failures: 3, LastErr: "HTTP 500", FailingSince: now.Add(-3 * time.Minute)},
		{Feed: "eastmoney", Kind: "history", State: model.FeedOK, LastOK: now.Add(-time.Hour)},
		{Feed: "sina", Kind: "quotes", State: model.FeedFailing, Failures: 2, LastErr: "timeout", FailingSince: now.Add(-2 * time.Minute)},
	}
	got := status(down)
	if !strings.HasPrefix(got, "OFFLINE 2m no quote feed answers") || !strings.Contains(got, "✗ eastmoney failing×3 HTTP 500") {
		t.Errorf("failing feeds: %q", got)
	}
	// A store that cannot write is red, with its error and retry.
	disk := append(ok[:1:1], model.FeedHealth{Feed: model.StoreFeed, Kind: model.KindWrite, State: model.FeedFailing,
		Failures: 2, LastErr: "write: no space left on device", FailingSince: now.Add(-10 * time.Second), NextTry: now.Add(8 * time.Second), Pending: 2})
	if got := status(disk); !strings.Contains(got, "✗ store failing: write: no space left on device, retry in 8s (2 batches waiting)") {
		t.Errorf("store failing: %q", got)
	}
}

func TestPickColsDropsByPriority(t *testing.T) {
	cols := []Col{NewCol(6, false, 0, false), NewCol(8, true, 2, false), NewCol(8, true, 1, false), NewCol(5, false, 3, true)}
	if ws := PickCols(cols, 40); ws[3] != 40-6-8-8-3 {
		t.Errorf("the flexible column did not take the rest: %v", ws)
	}
	if ws := PickCols(cols, 16); ws[0] != 6 || ws[1] != 0 || ws[2] != 8 || ws[3] != 0 {
		t.Errorf("16 cells: %v, want code and the prio-1 column", ws)
	}
}

func TestElementPriceUnits(t *testing.T) {
	for _, c := range []struct {
		v    float64
		wan  bool
		want string
	}{
		{549500, false, "549,500"},
		{549500, true, "54.95"},
		{7350000, true, "735.00"},
		{4000, true, "0.40"},
	} {
		if got := ElementPrice(c.v, c.wan); got != c.want {
			t.Errorf("ElementPrice(%v, %v) = %q, want %q", c.v, c.wan, got, c.want)
		}
	}
	if got := ElementName(i18n.ZH, model.PrNdOxide); got != "氧化镨钕" {
		t.Errorf("Chinese name %q", got)
	}
	if got := ElementName(i18n.EN, model.PrNdOxide); got != "PrNd oxide" {
		t.Errorf("English name %q", got)
	}
}

// Width's count of ASCII with styling is what the terminal's width
// functions count, for any input.
func FuzzWidth(f *testing.F) {
	for _, s := range []string{"", "12.34", "\x1b[31m+1.2%\x1b[0m", "\x1b[2;38;5;244m-\x1b[m", "北方稀土", "\x1b[1m北方\x1b[0m",
		"\x1b[", "\x1b[31", "\x1b]8;;http://x\x1b\\a\x1b]8;;\x1b\\", "a\tb", "\x1b[?25l", "\x1b[38:2::1:2:3m x", "e\u0301", "\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	})
}

func BenchmarkWidthStyledNumber(b *testing.B) {
	s := "\x1b[38;5;160m+12,345.67\x1b[0m"
	for b.Loop() {
		Width(s)
	}
}
