package widgets

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/model"
)

func TestFeedStatus(t *testing.T) {
	st := NewStyles(false, true)
	now := time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)
	ok := []model.FeedHealth{
		{Feed: "eastmoney", Kind: "quotes", State: model.FeedOK, LastOK: now.Add(-2 * time.Second), Cadence: 5 * time.Second},
		{Feed: "sina", Kind: "quotes", State: model.FeedStandby},
	}
	got := ansi.Strip(strings.Join(FeedStatus(st, ok, now), "  "))
	if got != "● eastmoney 2s  ○ sina standby" {
		t.Errorf("healthy feeds: %q", got)
	}
	down := []model.FeedHealth{{Feed: "eastmoney", State: model.FeedFailing, Failures: 3, LastErr: "HTTP 500"}, {Feed: "store", State: model.FeedOK}}
	got = ansi.Strip(strings.Join(FeedStatus(st, down, now), "  "))
	if !strings.HasPrefix(got, "OFFLINE no feed answers") || !strings.Contains(got, "✗ eastmoney failing×3 HTTP 500") {
		t.Errorf("failing feeds: %q", got)
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
