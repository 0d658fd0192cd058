package model

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func keys(days []time.Time) map[string]bool {
	m := map[string]bool{}
	for _, d := range days {
		m[d.Format("2006-01-02")] = true
	}
	return m
}

func weekdaysOf(set map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k := range set {
		if d, err := ParseDay(k); err == nil && !weekend(d) {
			out[k] = true
		}
	}
	return out
}

func diffSets(t *testing.T, name string, got, want map[string]bool) {
	t.Helper()
	for k := range want {
		if !got[k] {
			t.Errorf("%s: %s is closed in the published table but not by the rules", name, k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("%s: the rules close %s, the published table does not", name, k)
		}
	}
}

// The rules must reproduce every published year they can be checked
// against: the exchanges' 2025 and 2026 notices, and the State Council's
// 2027 schedule.
func TestMainlandRulesReproducePublishedYears(t *testing.T) {
	for _, y := range []int{2025, 2026} {
		diffSets(t, "A "+strconv.Itoa(y), mainlandRules(y), tableYear(holidaysA, strconv.Itoa(y)+"-"))
	}
	diffSets(t, "A 2027", mainlandRules(2027), weekdaysOf(stateCouncil(2027)))
	// The State Council's schedule agrees with the exchanges' notices.
	for _, y := range []int{2025, 2026} {
		diffSets(t, "State Council "+strconv.Itoa(y), weekdaysOf(stateCouncil(y)), tableYear(holidaysA, strconv.Itoa(y)+"-"))
	}
}

func TestHKRulesReproducePublishedYears(t *testing.T) {
	for _, y := range []int{2025, 2026} {
		closed, half := hkRules(y)
		p := strconv.Itoa(y) + "-"
		diffSets(t, "HK "+strconv.Itoa(y), closed, tableYear(holidaysHK, p))
		diffSets(t, "HK half days "+strconv.Itoa(y), half, tableYear(halfDaysHK, p))
	}
}

func TestCalendarSources(t *testing.T) {
	cases := []struct {
		x    Exchange
		year int
		want CalendarSource
	}{
		{ExchangeA, 2025, SourceExchange},
		{ExchangeA, 2026, SourceExchange},
		{ExchangeA, 2027, SourceStateCouncil},
		{ExchangeA, 2031, SourceComputed},
		{ExchangeHK, 2026, SourceExchange},
		{ExchangeHK, 2027, SourceComputed},
	}
	for _, c := range cases {
		if got := CalendarSourceOf(c.x, c.year); got != c.want {
			t.Errorf("CalendarSourceOf(%v, %d) = %v, want %v", c.x, c.year, got, c.want)
		}
	}
	if SourceComputed.Official() || !SourceStateCouncil.Official() {
		t.Error("only computed years are unofficial")
	}
}

// 2027 worked by hand: Spring Festival falls on Saturday 6 February, so
// the exchanges shut from the eve (Friday 5 February) to Friday 12
// February; National Day shuts 1 and 4–7 October; HK closes Good Friday
// (26 March) and Easter Monday (29 March), and Ching Ming (5 April).
func TestCalendar2027(t *testing.T) {
	closedA := []string{"2027-01-01", "2027-02-05", "2027-02-08", "2027-02-12", "2027-04-05", "2027-05-03",
		"2027-05-05", "2027-06-09", "2027-09-15", "2027-10-01", "2027-10-04", "2027-10-07"}
	for _, d := range closedA {
		day, _ := ParseDay(d)
		if IsTradingDay(ExchangeA, day) {
			t.Errorf("A-shares trade on %s, a holiday", d)
		}
	}
	for _, d := range []string{"2027-02-15", "2027-10-08", "2027-05-06"} {
		day, _ := ParseDay(d)
		if !IsTradingDay(ExchangeA, day) {
			t.Errorf("A-shares shut on %s, a trading day", d)
		}
	}
	for _, d := range []string{"2027-02-08", "2027-02-09", "2027-03-26", "2027-03-29", "2027-04-05", "2027-12-27"} {
		day, _ := ParseDay(d)
		if IsTradingDay(ExchangeHK, day) {
			t.Errorf("HKEX trades on %s, a holiday", d)
		}
	}
	// Lunar New Year's eve 2027 is Friday 5 February: a morning session.
	if p := PhaseAt(ExchangeHK, time.Date(2027, 2, 5, 13, 30, 0, 0, CST)); p != AfterClose {
		t.Errorf("HK 2027-02-05 13:30 is %v, want closed after the half day", p)
	}
}

func TestCalendarCorrections(t *testing.T) {
	day := Date(2031, time.March, 11)
	if !IsTradingDay(ExchangeA, day) {
		t.Fatal("2031-03-11 should be a trading day before corrections")
	}
	holiday := Closures(ExchangeA, 2031)[0]
	SetCalendarCorrections(ExchangeA, []time.Time{day}, []time.Time{holiday})
	defer SetCalendarCorrections(ExchangeA, nil, nil)
	if IsTradingDay(ExchangeA, day) {
		t.Error("a configured closure still trades")
	}
	if !IsTradingDay(ExchangeA, holiday) {
		t.Error("a day configured open is still shut")
	}
	if len(keys(Closures(ExchangeA, 2031))) == 0 {
		t.Error("no closures computed for 2031")
	}
}

func TestEaster(t *testing.T) {
	for y, want := range map[int]string{2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2030: "2030-04-21"} {
		if got := easterSunday(y).Format("2006-01-02"); got != want {
			t.Errorf("Easter %d = %s, want %s", y, got, want)
		}
	}
}

// Every year the rules compute has the holidays' usual count of weekday
// closures, and the calendar never runs out.
func TestComputedYearsArePlausible(t *testing.T) {
	for y := 2028; y <= 2060; y++ {
		if n := len(mainlandRules(y)); n < 14 || n > 22 {
			t.Errorf("A %d: %d closures computed", y, n)
		}
		closed, half := hkRules(y)
		if n := len(closed); n < 11 || n > 17 {
			t.Errorf("HK %d: %d closures computed", y, n)
		}
		if len(half) > 3 {
			t.Errorf("HK %d: %d half days", y, len(half))
		}
	}
	d := Date(2059, time.December, 31)
	if next := NextTradingDay(ExchangeA, d); next.Sub(d) > 14*24*time.Hour {
		t.Errorf("no trading day for two weeks after %v", d)
	}
}

// Feed health warns when a calendar in use is computed, not published:
// in December 2026 next year's HK calendar is computed; the A-share one
// comes from the State Council's schedule.
func TestHealthWarnsOfComputedCalendars(t *testing.T) {
	notes := SummarizeHealth(nil, time.Date(2026, 12, 4, 10, 0, 0, 0, CST)).Calendar
	if len(notes) != 1 || !strings.HasPrefix(notes[0], "HK 2027 calendar computed") {
		t.Errorf("December 2026: %q", notes)
	}
	if notes := SummarizeHealth(nil, time.Date(2026, 6, 1, 10, 0, 0, 0, CST)).Calendar; len(notes) != 0 {
		t.Errorf("June 2026: %q", notes)
	}
	if notes := SummarizeHealth(nil, time.Date(2031, 3, 1, 10, 0, 0, 0, CST)).Calendar; len(notes) != 2 {
		t.Errorf("2031: %q", notes)
	}
}
