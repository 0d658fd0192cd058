package model

import (
	"testing"
	"time"
)

// at returns h:m on the given CST day.
func at(y int, mo time.Month, d, h, m int) time.Time { return time.Date(y, mo, d, h, m, 0, 0, CST) }

func TestCSTIsUTCPlus8(t *testing.T) {
	_, off := at(2026, 1, 9, 9, 30).Zone()
	_, offSummer := at(2026, 7, 9, 9, 30).Zone()
	if off != 8*3600 || offSummer != 8*3600 {
		t.Fatalf("CST offsets %d/%d, want 28800 all year", off, offSummer)
	}
}

func TestPhaseAt(t *testing.T) {
	// 2026-01-09 is a Friday and a trading day on both exchanges.
	fri := func(h, m int) time.Time { return at(2026, 1, 9, h, m) }
	tests := []struct {
		name string
		x    Exchange
		t    time.Time
		want Phase
	}{
		{"A 09:29 pre-open", ExchangeA, fri(9, 29), PreOpen},
		{"A 00:00 pre-open", ExchangeA, fri(0, 0), PreOpen},
		{"A 09:30 open", ExchangeA, fri(9, 30), Open},
		{"A 11:29 open", ExchangeA, fri(11, 29), Open},
		{"A 11:30 lunch", ExchangeA, fri(11, 30), Lunch},
		{"A 12:59 lunch", ExchangeA, fri(12, 59), Lunch},
		{"A 13:00 open", ExchangeA, fri(13, 0), Open},
		{"A 14:56 open", ExchangeA, fri(14, 56), Open},
		{"A 14:57 closing auction", ExchangeA, fri(14, 57), CloseAuction},
		{"A 14:59 closing auction", ExchangeA, fri(14, 59), CloseAuction},
		{"A 09:14 pre-open", ExchangeA, fri(9, 14), PreOpen},
		{"A 09:15 auction", ExchangeA, fri(9, 15), Auction},
		{"A 09:24 auction", ExchangeA, fri(9, 24), Auction},
		{"A 09:25 pause", ExchangeA, fri(9, 25), PreOpen},
		{"A 15:00 after close", ExchangeA, fri(15, 0), AfterClose},
		{"A 23:59 after close", ExchangeA, fri(23, 59), AfterClose},
		{"HK 08:59 pre-open", ExchangeHK, fri(8, 59), PreOpen},
		{"HK 09:00 pre-opening session", ExchangeHK, fri(9, 0), Auction},
		{"HK 09:29 pre-opening session", ExchangeHK, fri(9, 29), Auction},
		{"HK 09:30 open", ExchangeHK, fri(9, 30), Open},
		{"HK 11:30 still open", ExchangeHK, fri(11, 30), Open},
		{"HK 11:59 open", ExchangeHK, fri(11, 59), Open},
		{"HK 12:00 lunch", ExchangeHK, fri(12, 0), Lunch},
		{"HK 12:59 lunch", ExchangeHK, fri(12, 59), Lunch},
		{"HK 13:00 open", ExchangeHK, fri(13, 0), Open},
		{"HK 15:00 still open", ExchangeHK, fri(15, 0), Open},
		{"HK 15:59 open", ExchangeHK, fri(15, 59), Open},
		{"HK 16:00 closing auction", ExchangeHK, fri(16, 0), CloseAuction},
		{"HK 16:09 closing auction", ExchangeHK, fri(16, 9), CloseAuction},
		{"HK 16:10 after close", ExchangeHK, fri(16, 10), AfterClose},
		// 2026-01-10 is a Saturday.
		{"A Saturday", ExchangeA, at(2026, 1, 10, 10, 0), Closed},
		{"HK Saturday", ExchangeHK, at(2026, 1, 10, 10, 0), Closed},
		{"A Sunday", ExchangeA, at(2026, 1, 11, 10, 0), Closed},
		// National Day 2026-10-01, a Thursday: both shut.
		{"A National Day", ExchangeA, at(2026, 10, 1, 10, 0), Closed},
		{"HK National Day", ExchangeHK, at(2026, 10, 1, 10, 0), Closed},
		// 2026-10-02: A still on holiday, HK trading.
		{"A 2026-10-02", ExchangeA, at(2026, 10, 2, 10, 0), Closed},
		{"HK 2026-10-02", ExchangeHK, at(2026, 10, 2, 10, 0), Open},
		// 2026-02-16 (Mon), Lunar New Year's Eve: A shut, HK a morning-only half day.
		{"A 2026-02-16", ExchangeA, at(2026, 2, 16, 10, 0), Closed},
		{"HK half day 08:59", ExchangeHK, at(2026, 2, 16, 8, 59), PreOpen},
		{"HK half day 09:00", ExchangeHK, at(2026, 2, 16, 9, 0), Auction},
		{"HK half day 10:00", ExchangeHK, at(2026, 2, 16, 10, 0), Open},
		{"HK half day 11:59", ExchangeHK, at(2026, 2, 16, 11, 59), Open},
		{"HK half day 12:00", ExchangeHK, at(2026, 2, 16, 12, 0), CloseAuction},
		{"HK half day 12:10", ExchangeHK, at(2026, 2, 16, 12, 10), AfterClose},
		{"HK half day 12:30", ExchangeHK, at(2026, 2, 16, 12, 30), AfterClose},
		{"HK half day 14:00", ExchangeHK, at(2026, 2, 16, 14, 0), AfterClose},
		// The same instants given in UTC: 01:30Z = 09:30 CST, 01:29Z = 09:29.
		{"A 01:30 UTC", ExchangeA, time.Date(2026, 1, 9, 1, 30, 0, 0, time.UTC), Open},
		{"A 01:29 UTC", ExchangeA, time.Date(2026, 1, 9, 1, 29, 0, 0, time.UTC), PreOpen},
		{"A 07:00 UTC", ExchangeA, time.Date(2026, 1, 9, 7, 0, 0, 0, time.UTC), AfterClose},
		{"HK 07:59 UTC", ExchangeHK, time.Date(2026, 1, 9, 7, 59, 0, 0, time.UTC), Open},
		// 2026-01-09 17:00Z is Saturday 01:00 CST: the CST day decides.
		{"A Fri 17:00 UTC = Sat CST", ExchangeA, time.Date(2026, 1, 9, 17, 0, 0, 0, time.UTC), Closed},
		// 2026-01-11 (Sun) 18:00Z is Monday 02:00 CST.
		{"A Sun 18:00 UTC = Mon CST", ExchangeA, time.Date(2026, 1, 11, 18, 0, 0, 0, time.UTC), PreOpen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PhaseAt(tt.x, tt.t); got != tt.want {
				t.Errorf("PhaseAt(%v) = %v (%d), want %v (%d)", tt.t, got, got, tt.want, tt.want)
			}
		})
	}
}

func TestPhaseString(t *testing.T) {
	want := map[Phase]string{Closed: "closed", PreOpen: "pre-open", Open: "open", Lunch: "lunch", AfterClose: "closed", Auction: "auction", CloseAuction: "closing auction"}
	for p, s := range want {
		if p.String() != s {
			t.Errorf("%d.String() = %q, want %q", p, p.String(), s)
		}
		if p.IsOpen() != (p == Open) {
			t.Errorf("%v.IsOpen() = %v", p, p.IsOpen())
		}
	}
}

func TestAnyOpen(t *testing.T) {
	tests := []struct {
		t    time.Time
		want bool
	}{
		{at(2026, 1, 9, 10, 0), true},   // both open
		{at(2026, 1, 9, 11, 45), true},  // A at lunch, HK open
		{at(2026, 1, 9, 12, 30), false}, // both at lunch
		{at(2026, 1, 9, 15, 30), true},  // A closed, HK open
		{at(2026, 1, 9, 16, 0), false},  // both closed
		{at(2026, 2, 16, 10, 0), true},  // A holiday, HK half day
		{at(2026, 10, 1, 10, 0), false}, // both on holiday
	}
	for _, tt := range tests {
		if got := AnyOpen(tt.t); got != tt.want {
			t.Errorf("AnyOpen(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}

func TestExchangeOf(t *testing.T) {
	for m, want := range map[Market]Exchange{
		MarketSSE: ExchangeA, MarketSZSE: ExchangeA, MarketBSE: ExchangeA, MarketBoard: ExchangeA, MarketHKEX: ExchangeHK,
	} {
		if got := ExchangeOf(m); got != want {
			t.Errorf("ExchangeOf(%v) = %v, want %v", m, got, want)
		}
	}
}

func TestPrevNextTradingDay(t *testing.T) {
	tests := []struct {
		name     string
		x        Exchange
		from     time.Time
		prev     time.Time
		next     time.Time
		fromIsTD bool
	}{
		// Spring Festival 2026: A shut 02-16 … 02-20 and 02-23.
		{"A after Spring Festival", ExchangeA, at(2026, 2, 24, 10, 0), Date(2026, 2, 13), Date(2026, 2, 25), true},
		{"A inside Spring Festival", ExchangeA, at(2026, 2, 18, 10, 0), Date(2026, 2, 13), Date(2026, 2, 24), false},
		{"A before Spring Festival", ExchangeA, at(2026, 2, 13, 16, 0), Date(2026, 2, 12), Date(2026, 2, 24), true},
		// HK: 02-16 half day trades, 02-17 … 02-19 shut, 02-20 trades.
		{"HK Spring Festival", ExchangeHK, at(2026, 2, 20, 10, 0), Date(2026, 2, 16), Date(2026, 2, 23), true},
		{"HK before Spring Festival", ExchangeHK, at(2026, 2, 13, 10, 0), Date(2026, 2, 12), Date(2026, 2, 16), true},
		// Weekend and New Year: 2026-01-05 (Mon) back to 2025-12-31 for A (01-01, 01-02 shut);
		// HK trades 01-02.
		{"A over New Year", ExchangeA, at(2026, 1, 5, 10, 0), Date(2025, 12, 31), Date(2026, 1, 6), true},
		{"HK over New Year", ExchangeHK, at(2026, 1, 5, 10, 0), Date(2026, 1, 2), Date(2026, 1, 6), true},
		// National Day: A shut 10-01, 10-02, 10-05 … 10-07.
		{"A National Day", ExchangeA, at(2026, 10, 1, 10, 0), Date(2026, 9, 30), Date(2026, 10, 8), false},
		// Mid-Autumn 2026-09-25 (Fri): prev of Monday 09-28 is 09-24.
		{"A Mid-Autumn", ExchangeA, at(2026, 9, 28, 10, 0), Date(2026, 9, 24), Date(2026, 9, 29), true},
		// UTC input late on 2026-02-23 is 02-24 CST.
		{"A UTC crossing midnight", ExchangeA, time.Date(2026, 2, 23, 17, 0, 0, 0, time.UTC), Date(2026, 2, 13), Date(2026, 2, 25), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PrevTradingDay(tt.x, tt.from); !got.Equal(tt.prev) {
				t.Errorf("PrevTradingDay = %v, want %v", got, tt.prev)
			}
			if got := NextTradingDay(tt.x, tt.from); !got.Equal(tt.next) {
				t.Errorf("NextTradingDay = %v, want %v", got, tt.next)
			}
			if got := IsTradingDay(tt.x, tt.from); got != tt.fromIsTD {
				t.Errorf("IsTradingDay = %v, want %v", got, tt.fromIsTD)
			}
		})
	}
}

func TestTradingDays(t *testing.T) {
	tests := []struct {
		name     string
		x        Exchange
		from, to time.Time
		want     []time.Time
	}{
		{"A plain week", ExchangeA, Date(2026, 1, 5), Date(2026, 1, 11),
			[]time.Time{Date(2026, 1, 5), Date(2026, 1, 6), Date(2026, 1, 7), Date(2026, 1, 8), Date(2026, 1, 9)}},
		{"A New Year week", ExchangeA, Date(2025, 12, 29), Date(2026, 1, 4),
			[]time.Time{Date(2025, 12, 29), Date(2025, 12, 30), Date(2025, 12, 31)}},
		{"HK New Year week", ExchangeHK, Date(2025, 12, 29), Date(2026, 1, 4),
			[]time.Time{Date(2025, 12, 29), Date(2025, 12, 30), Date(2025, 12, 31), Date(2026, 1, 2)}},
		{"A Spring Festival week", ExchangeA, Date(2026, 2, 16), Date(2026, 2, 22), nil},
		{"HK Spring Festival week", ExchangeHK, Date(2026, 2, 16), Date(2026, 2, 22),
			[]time.Time{Date(2026, 2, 16), Date(2026, 2, 20)}},
		// Bounds are inclusive, and times of day on them do not matter.
		{"A inclusive bounds", ExchangeA, at(2026, 1, 6, 15, 30), at(2026, 1, 8, 9, 0),
			[]time.Time{Date(2026, 1, 6), Date(2026, 1, 7), Date(2026, 1, 8)}},
		{"A reversed range", ExchangeA, Date(2026, 1, 9), Date(2026, 1, 5), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TradingDays(tt.x, tt.from, tt.to)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d days %v, want %d %v", len(got), got, len(tt.want), tt.want)
			}
			for i := range got {
				if !got[i].Equal(tt.want[i]) || got[i].Location() != CST {
					t.Errorf("day %d = %v, want %v CST", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestLastSessionDay(t *testing.T) {
	tests := []struct {
		name string
		x    Exchange
		t    time.Time
		want time.Time
	}{
		{"pre-open is yesterday's session", ExchangeA, at(2026, 1, 9, 9, 0), Date(2026, 1, 8)},
		{"at the open is today", ExchangeA, at(2026, 1, 9, 9, 30), Date(2026, 1, 9)},
		{"after close is today", ExchangeA, at(2026, 1, 9, 20, 0), Date(2026, 1, 9)},
		{"Saturday is Friday", ExchangeA, at(2026, 1, 10, 12, 0), Date(2026, 1, 9)},
		{"Monday pre-open is Friday", ExchangeA, at(2026, 1, 12, 8, 0), Date(2026, 1, 9)},
		{"A holiday is before it", ExchangeA, at(2026, 2, 16, 10, 0), Date(2026, 2, 13)},
		{"HK half day", ExchangeHK, at(2026, 2, 16, 14, 0), Date(2026, 2, 16)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LastSessionDay(tt.x, tt.t); !got.Equal(tt.want) {
				t.Errorf("LastSessionDay(%v) = %v, want %v", tt.t, got, tt.want)
			}
		})
	}
}

func TestDay(t *testing.T) {
	tests := []struct {
		in   time.Time
		want time.Time
	}{
		{at(2026, 1, 9, 23, 59), Date(2026, 1, 9)},
		{time.Date(2026, 1, 8, 16, 0, 0, 0, time.UTC), Date(2026, 1, 9)},                       // 00:00 CST on the 9th
		{time.Date(2026, 1, 8, 15, 59, 0, 0, time.UTC), Date(2026, 1, 8)},                      // 23:59 CST on the 8th
		{time.Date(2026, 1, 9, 9, 30, 0, 0, time.FixedZone("EST", -5*3600)), Date(2026, 1, 9)}, // 22:30 CST
	}
	for _, tt := range tests {
		got := Day(tt.in)
		if !got.Equal(tt.want) || got.Location() != CST {
			t.Errorf("Day(%v) = %v, want %v CST", tt.in, got, tt.want)
		}
	}
}

func TestParseDay(t *testing.T) {
	want := Date(2026, 1, 9)
	for _, in := range []string{"2026-01-09", "20260109", "2026/01/09"} {
		got, err := ParseDay(in)
		if err != nil {
			t.Errorf("ParseDay(%q): %v", in, err)
			continue
		}
		if !got.Equal(want) || got.Location() != CST {
			t.Errorf("ParseDay(%q) = %v, want %v CST", in, got, want)
		}
	}
	// The CST day, not the UTC one: 2026-01-09 00:00 CST is 2026-01-08 16:00 UTC.
	if got, _ := ParseDay("2026-01-09"); got.UTC() != time.Date(2026, 1, 8, 16, 0, 0, 0, time.UTC) {
		t.Errorf("ParseDay is not at CST midnight: %v", got.UTC())
	}
	for _, in := range []string{"", "2026-13-01", "2026-02-30", "09/01/2026", "2026-1-9", "2026.01.09", "yesterday", "2026-01-09T00:00:00Z"} {
		if got, err := ParseDay(in); err == nil {
			t.Errorf("ParseDay(%q) = %v, want an error", in, got)
		}
	}
}

// The holiday tables are typed by hand; a date that does not parse, falls
// on a weekend or is both a half day and a holiday is a typo.
func TestHolidayTablesAreWellFormed(t *testing.T) {
	check := func(name string, set map[string]bool) {
		for d := range set {
			day, err := time.ParseInLocation("2006-01-02", d, CST)
			if err != nil {
				t.Errorf("%s: %q does not parse", name, d)
				continue
			}
			if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Errorf("%s: %s is a %v", name, d, wd)
			}
		}
	}
	check("holidaysA", holidaysA)
	check("holidaysHK", holidaysHK)
	check("halfDaysHK", halfDaysHK)
	for d := range halfDaysHK {
		if holidaysHK[d] {
			t.Errorf("%s is both an HK half day and an HK holiday", d)
		}
	}
	// Shut weekdays per year, counted by hand from the notices:
	// A 2025: New Year 1, Spring Festival 6 (01-28…01-31, 02-03, 02-04), Qingming 1,
	//   Labour Day 3, Dragon Boat 1, National Day/Mid-Autumn 6 = 18.
	// A 2026: New Year 2, Spring Festival 6, Qingming 1, Labour Day 3, Dragon Boat 1,
	//   Mid-Autumn 1, National Day 5 = 19.
	// HK 2025: 01-01, LNY 3, Ching Ming, Good Friday, Easter Monday, Labour Day, Buddha,
	//   07-01, 10-01, Mid-Autumn+1, Chung Yeung, Christmas 2 = 15 (Tuen Ng fell on a Saturday).
	// HK 2026: 01-01, LNY 3, Good Friday, Easter Monday, Ching Ming (in lieu, 04-07),
	//   Labour Day, Buddha (in lieu), Tuen Ng, 07-01, 10-01, Chung Yeung (in lieu),
	//   Christmas = 14 (Mid-Autumn+1 and Boxing Day fall on Saturdays).
	count := func(set map[string]bool, year string) int {
		n := 0
		for d := range set {
			if d[:4] == year {
				n++
			}
		}
		return n
	}
	for _, tt := range []struct {
		name string
		set  map[string]bool
		year string
		want int
	}{
		{"A 2025", holidaysA, "2025", 18},
		{"A 2026", holidaysA, "2026", 19},
		{"HK 2025", holidaysHK, "2025", 15},
		{"HK 2026", holidaysHK, "2026", 14},
	} {
		if got := count(tt.set, tt.year); got != tt.want {
			t.Errorf("%s: %d holidays, want %d", tt.name, got, tt.want)
		}
	}
}

func TestAuctionLabelsAndLive(t *testing.T) {
	fri := func(h, m int) time.Time { return at(2026, 1, 9, h, m) }
	if got := Auction.Label(ExchangeA); got != "集合竞价" {
		t.Errorf("A auction label %q", got)
	}
	if got := CloseAuction.Label(ExchangeHK); got != "收市竞价" {
		t.Errorf("HK closing auction label %q", got)
	}
	if got := Open.Label(ExchangeA); got != "open" {
		t.Errorf("open label %q", got)
	}
	for _, c := range []struct {
		t    time.Time
		want bool
	}{
		{fri(9, 10), true},   // HK pre-opening, orders still in
		{fri(9, 22), true},   // A auction
		{fri(9, 27), false},  // A pause, HK blocking period
		{fri(14, 58), true},  // A closing auction
		{fri(16, 5), true},   // HK closing auction
		{fri(16, 10), false}, // both done
		{fri(8, 59), false},
	} {
		if got := AnyLive(c.t); got != c.want {
			t.Errorf("AnyLive(%v) = %v, want %v", c.t.Format("15:04"), got, c.want)
		}
	}
}
