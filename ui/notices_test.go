package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/screens/notices"
	"github.com/rareterm/rareterm/ui/screens/ticker"
)

// noticeHistory is a cache with announcements and no bars.
type noticeHistory struct {
	items map[string][]model.Notice
	texts map[string]string
}

func (h noticeHistory) Bars(string, model.Interval, time.Time, time.Time) ([]model.Bar, error) {
	return nil, nil
}
func (h noticeHistory) Quotes(string, time.Time, time.Time) ([]model.Quote, error) { return nil, nil }
func (h noticeHistory) Margin(string, time.Time, time.Time) ([]model.MarginDay, error) {
	return nil, nil
}
func (h noticeHistory) Notices(code string, asOf time.Time, n int) ([]model.Notice, error) {
	var out []model.Notice
	for _, x := range h.items[code] {
		if asOf.IsZero() || !x.Date.After(asOf) {
			out = append(out, x)
		}
	}
	return out, nil
}
func (h noticeHistory) NoticeText(id string) (string, bool, error) {
	t, ok := h.texts[id]
	return t, ok, nil
}

func noticeModel(offline bool, fetch func(context.Context, string) (string, error)) *Model {
	hist := noticeHistory{
		items: map[string][]model.Notice{"600111": {
			{ID: "AN202601091820417356", Codes: []string{"600111"}, Title: "北方稀土:关于2026年第一季度稀土精矿交易价格的公告", Date: model.Date(2026, 1, 10), Category: "日常关联交易", Link: "https://data.eastmoney.com/notices/detail/600111/AN202601091820417356.html", Source: "eastmoney"},
			{ID: "AN202601061819978830", Codes: []string{"600111"}, Title: "北方稀土:关于为子公司提供担保的进展公告", Date: model.Date(2026, 1, 7), Category: "担保事项", Source: "eastmoney"},
		}},
		texts: map[string]string{"AN202601091820417356": "2026年第一季度稀土精矿交易价格调整为不含税26,834元/吨（干量，REO=50%）。\n\x1b[2J第二段" + strings.Repeat("稀土", 400)},
	}
	m := New(Deps{
		Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Boards: []string{"BK0578"}, Health: fixtureHealth(),
		NoColor: true, Now: func() time.Time { return fixtureNow }, History: hist, NoticeText: fetch,
		Offline: offline, AsOf: model.Date(2026, 1, 8),
	})
	return m
}

func TestTickerAnnouncementsListAndPager(t *testing.T) {
	fetched := 0
	m := sized(noticeModel(false, func(ctx context.Context, id string) (string, error) {
		fetched++
		if id == "AN202601061819978830" {
			return "担保进展的正文", nil
		}
		return "", errors.New("unexpected id " + id)
	}), 100, 30)
	press(m, "tab", "tab", "enter")
	top[*ticker.Screen](t, m)
	press(m, "n")
	top[*notices.Screen](t, m)
	s := screenText(m)
	i, j := strings.Index(s, "2026-01-10"), strings.Index(s, "2026-01-07")
	if i < 0 || j < 0 || i > j || !strings.Contains(s, "600111 北方稀土 公告") {
		t.Fatalf("the list, newest first:\n%s", s)
	}
	// The concentrate notice's text is in the cache: no fetch.
	press(m, "enter")
	top[*notices.Pager](t, m)
	s = screenText(m)
	if !strings.Contains(s, "不含税26,834元/吨") || !strings.Contains(s, "from cache") || strings.Contains(s, "\x1b[2J") || fetched != 0 {
		t.Fatalf("pager (fetched %d):\n%q", fetched, s)
	}
	if !strings.Contains(s, "lines 1–") {
		t.Errorf("no position line:\n%s", s)
	}
	press(m, "G")
	if !strings.Contains(screenText(m), "稀土稀土") {
		t.Errorf("end of the text:\n%s", screenText(m))
	}
	checkFits(t, "pager", m.View().Content, 100, 30)
	// The other notice's text comes from the feed.
	press(m, "esc", "down", "enter")
	if s := screenText(m); !strings.Contains(s, "担保进展的正文") || fetched != 1 {
		t.Fatalf("fetched %d:\n%s", fetched, s)
	}
	press(m, "esc", "esc")
	top[*ticker.Screen](t, m)
	// The ticker's 公告 tab lists them too; enter opens the list.
	press(m, "tab", "tab", "tab")
	if s := screenText(m); !strings.Contains(s, "2026-01-10  北方稀土:关于2026年第一季度稀土精矿交易价格的公告") {
		t.Fatalf("the 公告 tab:\n%s", s)
	}
	press(m, "enter")
	top[*notices.Screen](t, m)
}

func TestAnnouncementsOfflineTrueToTheCursor(t *testing.T) {
	m := sized(noticeModel(true, nil), 100, 30)
	press(m, "tab", "tab", "enter", "n")
	s := screenText(m)
	if strings.Contains(s, "2026-01-10") || !strings.Contains(s, "2026-01-07") || !strings.Contains(s, "as of 2026-01-08") {
		t.Fatalf("offline at 01-08 the list must stop at the cursor:\n%s", s)
	}
	// No text cached and no feed offline: said, with the link.
	press(m, "enter")
	if s := screenText(m); !strings.Contains(s, "not cached") {
		t.Errorf("pager offline:\n%s", s)
	}
}

// With no live element source, the panel says so, draws its prices stale
// with full dates and shows no d/d between a reference value and another;
// the index view says when its components are from different days.
func TestElementPricesSayWhereTheyComeFrom(t *testing.T) {
	snap := fixtureSnapshot()
	// Nd oxide's latest price is a week older than the others'.
	nd := snap.Elements[model.NdOxide]
	snap.Elements[model.NdOxide] = nd[:len(nd)-1]
	m := New(Deps{Snapshot: snap, Watchlist: fixtureWatch, Boards: []string{"BK0578"}, Health: fixtureHealth(),
		NoColor: true, Now: func() time.Time { return fixtureNow }, NoLiveElements: true})
	sized(m, 160, 48)
	s := screenText(m)
	if !strings.Contains(s, "no live source: see [feeds.prices] in the config") {
		t.Errorf("title:\n%s", s)
	}
	if !strings.Contains(s, "2026-01-08 fixture") || strings.Contains(s, " 01-08 fixture") {
		t.Errorf("stale prices carry full dates:\n%s", s)
	}
	if strings.Contains(s, "d/d") && strings.Contains(s, "+0.2%") {
		t.Errorf("a week's change shown as d/d:\n%s", s)
	}
	press(m, "tab") // the index panel
	press(m, "enter")
	s = screenText(m)
	if !strings.Contains(s, "components from different days") {
		t.Errorf("index view:\n%s", s)
	}
}
