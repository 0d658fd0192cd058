package ui

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

// offlineStore is a cache with a year of history up to 2026-01-08: daily
// bars, margin, element prices, board moves, notices, and a quarter priced
// by a notice of 2026-01-10.
func offlineStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "rareterm.db"), store.Options{NoReference: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var b model.Batch
	days := model.TradingDays(model.ExchangeA, model.Date(2025, 1, 2), model.Date(2026, 1, 8))
	for i, d := range days {
		for _, w := range fixtureWatch {
			c := 10 + float64(i%50)/10
			b.Bars = append(b.Bars, model.Bar{Symbol: w.Code, Interval: model.Daily, Time: d, Open: c, High: c, Low: c, Close: c, Volume: 1e6, Amount: 1e7, Source: "fixture"})
		}
		b.Margin = append(b.Margin, model.MarginDay{Symbol: "600111", Date: d, FinBalance: 9e9 + float64(i)*1e6, FinBuy: 1e8, FinRepay: 1e8, LendBalance: 1e7, Total: 9.1e9, BalancePct: 4, Source: "fixture"})
		b.Boards = append(b.Boards, model.BoardMove{Code: "BK0578", Name: "稀土永磁", Time: d.Add(15 * time.Hour), Level: 2000 + float64(i), ChangePct: 1, Up: 10, Down: 5, Source: "fixture"})
		for _, id := range []model.ElementID{model.PrNdOxide, model.LaOxide, model.CeOxide, model.PrOxide, model.NdOxide} {
			b.Elements = append(b.Elements, model.ElementPrice{Element: id, Date: d, Price: 500000 + float64(i*100), Low: model.Unknown, High: model.Unknown, Source: "fixture"})
		}
		if d.Day() <= 7 && model.PrevTradingDay(model.ExchangeA, d).Month() != d.Month() {
			b.Notices = append(b.Notices, model.Notice{ID: "AN" + d.Format("20060102") + "0000000001", Codes: []string{"600111"}, Title: "北方稀土:" + d.Format("2006年1月") + "经营公告", Date: d, Source: "fixture"})
		}
	}
	b.Contract = []model.ContractQuarter{
		{Quarter: model.Quarter{Year: 2025, Q: 3}, Price: 19109, BasisREO: 50, Source: "ref"},
		{Quarter: model.Quarter{Year: 2025, Q: 4}, Price: 26205, BasisREO: 50, Source: "ref"},
	}
	n := model.Notice{ID: "AN202601091820417356", Codes: []string{"600111"}, Title: "北方稀土:关于2026年第一季度稀土精矿交易价格的公告", Date: model.Date(2026, 1, 10), Source: "fixture"}
	c := model.ConcentrateNotice{Notice: n, Quarter: model.Quarter{Year: 2026, Q: 1}, Parsed: true, Price: 26834, BasisREO: 50, Step: 536.68}
	b.Concentrates = []model.ConcentrateNotice{c}
	b.Contract = append(b.Contract, c.Contract())
	b.Notices = append(b.Notices, n)
	if err := db.Append(b); err != nil {
		t.Fatal(err)
	}
	return db
}

var (
	fullDate = regexp.MustCompile(`\b(20\d\d)-(\d\d)-(\d\d)\b`)
	shortDay = regexp.MustCompile(`(?:^|[\s│])(\d\d)-(\d\d)(?:[\s│]|$)`)
	quarter  = regexp.MustCompile(`\b(20\d\d)Q([1-4])\b`)
)

// afterCursor lists what a screen shows that is dated after the cursor
// (the header's wall clock aside).
func afterCursor(screen string, cursor time.Time) []string {
	lines := strings.Split(screen, "\n")
	if len(lines) > 0 {
		lines = lines[1:]
	}
	end := cursor.Format("2006-01-02")
	var bad []string
	for _, l := range lines {
		for _, m := range fullDate.FindAllString(l, -1) {
			if m > end {
				bad = append(bad, m+" in "+strings.TrimSpace(l))
			}
		}
		for _, m := range shortDay.FindAllStringSubmatch(l, -1) {
			if md := m[1] + "-" + m[2]; md > cursor.Format("01-02") && m[1] <= "12" {
				bad = append(bad, md+" in "+strings.TrimSpace(l))
			}
		}
		for _, m := range quarter.FindAllStringSubmatch(l, -1) {
			// The estimate is of the next quarter, made at the cursor.
			next := m[0] == model.QuarterOf(cursor).Next().String() && strings.Contains(l, "est")
			if m[0] > model.QuarterOf(cursor).String() && !next {
				bad = append(bad, m[0]+" in "+strings.TrimSpace(l))
			}
		}
	}
	return bad
}

// Offline review shows, on every screen, nothing dated after the cursor,
// as the cursor moves.
func TestOfflineReviewShowsNothingAfterTheCursor(t *testing.T) {
	db := offlineStore(t)
	codes := make([]string, len(fixtureWatch))
	for i, w := range fixtureWatch {
		codes[i] = w.Code
	}
	cursor := model.Date(2025, 11, 14)
	snap, err := db.Snapshot(cursor.Add(24*time.Hour-time.Nanosecond), codes, 400)
	if err != nil {
		t.Fatal(err)
	}
	m := New(Deps{Snapshot: snap, Watchlist: fixtureWatch, Boards: []string{"BK0578"}, NoColor: true, Offline: true, AsOf: cursor,
		Now: func() time.Time { return fixtureNow }, History: db,
		SnapshotAt: func(t time.Time) (model.Snapshot, error) { return db.Snapshot(t, codes, 400) }})
	sized(m, 160, 48)

	check := func(where string) {
		t.Helper()
		s := screenText(m)
		if bad := afterCursor(s, m.mkt.AsOf); len(bad) > 0 {
			t.Errorf("%s as of %s shows later dates: %q\n%s", where, m.mkt.AsOf.Format("2006-01-02"), bad, s)
		}
	}
	visit := func() {
		t.Helper()
		check("dashboard")
		if s := screenText(m); strings.Contains(s, "no quote") {
			t.Errorf("the watchlist has no quote although daily bars are cached:\n%s", s)
		}
		for panel := 0; panel < 6; panel++ {
			press(m, "enter")
			check("panel " + string(rune('0'+panel)) + " detail " + kind(m))
			if kind(m) == "*ticker.Screen" {
				press(m, "6") // ALL
				check("ticker ALL")
				press(m, "n")
				check("ticker announcements")
				press(m, "esc")
			}
			press(m, "esc", "tab")
		}
	}
	visit()
	// The contract at 2025-11-14: 2025Q4 is the current quarter; 2026Q1,
	// priced by a notice of 2026-01-10, is not known yet.
	if s := screenText(m); strings.Contains(s, "26,834") {
		t.Errorf("a price announced after the cursor:\n%s", s)
	}
	for _, step := range []string{"]", "}", "}", "[", "{", "{", "{"} {
		press(m, step)
		visit()
	}
	// Before anything was cached: said so, not blank.
	press(m, "g")
	for _, r := range "2024-06-03" {
		press(m, string(r))
	}
	press(m, "enter")
	if s := screenText(m); !strings.Contains(s, "no board moves cached on or before 2024-06-03") {
		t.Errorf("an empty date:\n%s", s)
	}
}
