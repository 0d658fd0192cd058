package model

import (
	"time"
	_ "time/tzdata" // the calendar works on machines without zoneinfo

	"github.com/rareterm/rareterm/i18n"
)

// CST is Asia/Shanghai, the clock of the SSE and SZSE. Hong Kong keeps the
// same offset (UTC+8, no daylight saving), so one location serves both.
var CST = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// tzdata is embedded; this cannot happen short of a broken build.
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// Date returns 00:00 CST on the given day.
func Date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, CST) }

// Day truncates t to 00:00 CST of its day.
func Day(t time.Time) time.Time {
	t = t.In(CST)
	return Date(t.Year(), t.Month(), t.Day())
}

// ParseDay parses YYYY-MM-DD (or YYYYMMDD) as a CST day.
func ParseDay(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "20060102", "2006/01/02"} {
		if t, err := time.ParseInLocation(layout, s, CST); err == nil {
			return t, nil
		}
	}
	return time.Time{}, i18n.Errorf(i18n.ModelBadDate, s)
}

// Exchange is a trading calendar.
type Exchange int

const (
	ExchangeA  Exchange = iota // SSE and SZSE
	ExchangeHK                 // HKEX
)

// Phase is where a market stands in its trading day.
type Phase int

const (
	Closed  Phase = iota // not a trading day, or outside its hours
	PreOpen              // a trading day before the open
	Open
	Lunch
	AfterClose // a trading day after the close
	// Auction is the opening call auction: A shares 09:15–09:25 (集合竞价;
	// 09:25–09:30 is a pause, PreOpen), HK's pre-opening session
	// 09:00–09:30.
	Auction
	// CloseAuction is the closing call auction: A shares 14:57–15:00, HK's
	// closing auction session 16:00–16:10 (12:00–12:10 on a half day).
	CloseAuction
)

func (p Phase) String() string {
	switch p {
	case PreOpen:
		return "pre-open"
	case Open:
		return "open"
	case Lunch:
		return "lunch"
	case AfterClose:
		return "closed"
	case Auction:
		return "auction"
	case CloseAuction:
		return "closing auction"
	}
	return "closed"
}

// Phase labels of the market clock where the desks' own words differ from
// String's.
const (
	LabelAuctionA       = "集合竞价"
	LabelCloseAuctionA  = "尾盘集合竞价"
	LabelAuctionHK      = "开市前竞价"
	LabelCloseAuctionHK = "收市竞价"
)

// Label is the phase as the market clock shows it on exchange x: the
// auctions in the exchange's own words, the rest as String.
func (p Phase) Label(x Exchange) string {
	switch {
	case p == Auction && x == ExchangeA:
		return LabelAuctionA
	case p == CloseAuction && x == ExchangeA:
		return LabelCloseAuctionA
	case p == Auction:
		return LabelAuctionHK
	case p == CloseAuction:
		return LabelCloseAuctionHK
	}
	return p.String()
}

// IsOpen reports whether the phase is continuous trading.
func (p Phase) IsOpen() bool { return p == Open }

// Holidays: weekdays on which the exchange is shut, as published. A-share
// dates are from the SSE/SZSE holiday notices for 2025 and 2026 (New Year,
// Spring Festival, Qingming, Labour Day, Dragon Boat, Mid-Autumn and
// National Day); HK dates from the HKEX trading calendars for 2025 and 2026.
// Other years come from the State Council's schedule or the holiday rules
// (holidays.go).
var holidaysA = dayset(
	"2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03", "2025-02-04",
	"2025-04-04", "2025-05-01", "2025-05-02", "2025-05-05", "2025-06-02",
	"2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08",
	"2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23",
	"2026-04-06", "2026-05-01", "2026-05-04", "2026-05-05", "2026-06-19", "2026-09-25",
	"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07",
)

var holidaysHK = dayset(
	"2025-01-01", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-04", "2025-04-18", "2025-04-21",
	"2025-05-01", "2025-05-05", "2025-07-01", "2025-10-01", "2025-10-07", "2025-10-29", "2025-12-25", "2025-12-26",
	"2026-01-01", "2026-02-17", "2026-02-18", "2026-02-19", "2026-04-03", "2026-04-06", "2026-04-07",
	"2026-05-01", "2026-05-25", "2026-06-19", "2026-07-01", "2026-10-01", "2026-10-19", "2026-12-25",
)

// HK half days: morning session only (eves of Lunar New Year, Christmas and New Year).
var halfDaysHK = dayset("2025-01-28", "2025-12-24", "2025-12-31", "2026-02-16", "2026-12-24", "2026-12-31")

func dayset(days ...string) map[string]bool {
	m := make(map[string]bool, len(days))
	for _, d := range days {
		m[d] = true
	}
	return m
}

// IsTradingDay reports whether the exchange trades on t's CST day.
func IsTradingDay(x Exchange, t time.Time) bool {
	t = t.In(CST)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !closedOn(x, t)
}

// session times in minutes after midnight CST.
type sessionTimes struct{ open, lunchStart, lunchEnd, close int }

func sessions(x Exchange, day time.Time) sessionTimes {
	if x == ExchangeHK {
		if halfDayHK(day.In(CST)) {
			return sessionTimes{9*60 + 30, 12 * 60, 12 * 60, 12 * 60}
		}
		return sessionTimes{9*60 + 30, 12 * 60, 13 * 60, 16 * 60}
	}
	return sessionTimes{9*60 + 30, 11*60 + 30, 13 * 60, 15 * 60}
}

// PhaseAt returns the exchange's phase at t. Sessions are half-open:
// A-shares trade [09:30, 11:30) and [13:00, 15:00), with the opening call
// auction [09:15, 09:25) and the closing one [14:57, 15:00); HK trades
// [09:30, 12:00) and [13:00, 16:00), with the pre-opening session
// [09:00, 09:30) and the closing auction [16:00, 16:10).
func PhaseAt(x Exchange, t time.Time) Phase {
	t = t.In(CST)
	if !IsTradingDay(x, t) {
		return Closed
	}
	s := sessions(x, t)
	m := t.Hour()*60 + t.Minute()
	if x == ExchangeA {
		switch {
		case m >= 9*60+15 && m < 9*60+25:
			return Auction
		case m >= s.close-3 && m < s.close:
			return CloseAuction
		}
	} else {
		switch {
		case m >= 9*60 && m < s.open:
			return Auction
		case m >= s.close && m < s.close+10:
			return CloseAuction
		}
	}
	switch {
	case m < s.open:
		return PreOpen
	case m < s.lunchStart:
		return Open
	case m < s.lunchEnd:
		return Lunch
	case m < s.close:
		return Open
	}
	return AfterClose
}

// Live reports whether prices on exchange x move at t: continuous trading,
// and the auctions while orders still change the indicative price (HK's
// pre-opening session stops taking them at 09:20).
func Live(x Exchange, t time.Time) bool {
	switch PhaseAt(x, t) {
	case Open, CloseAuction:
		return true
	case Auction:
		tc := t.In(CST)
		return x == ExchangeA || tc.Hour()*60+tc.Minute() < 9*60+20
	}
	return false
}

// AnyLive reports whether prices move on either exchange at t (AnyOpen,
// plus the auctions).
func AnyLive(t time.Time) bool { return Live(ExchangeA, t) || Live(ExchangeHK, t) }

// AnyOpen reports whether the A-share or HK market is trading at t.
func AnyOpen(t time.Time) bool {
	return PhaseAt(ExchangeA, t).IsOpen() || PhaseAt(ExchangeHK, t).IsOpen()
}

// ExchangeOf maps a market to its calendar.
func ExchangeOf(m Market) Exchange {
	if m == MarketHKEX {
		return ExchangeHK
	}
	return ExchangeA
}

// PrevTradingDay returns the trading day before t's day.
func PrevTradingDay(x Exchange, t time.Time) time.Time {
	d := Day(t).AddDate(0, 0, -1)
	for i := 0; i < 30 && !IsTradingDay(x, d); i++ {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// NextTradingDay returns the trading day after t's day.
func NextTradingDay(x Exchange, t time.Time) time.Time {
	d := Day(t).AddDate(0, 0, 1)
	for i := 0; i < 30 && !IsTradingDay(x, d); i++ {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// TradingDays lists the trading days in [from, to], oldest first.
func TradingDays(x Exchange, from, to time.Time) []time.Time {
	var out []time.Time
	for d := Day(from); !d.After(to); d = d.AddDate(0, 0, 1) {
		if IsTradingDay(x, d) {
			out = append(out, d)
		}
	}
	return out
}

// LastSessionDay returns the most recent trading day whose session has
// started by t (today if it is a trading day past the open, else the one
// before).
func LastSessionDay(x Exchange, t time.Time) time.Time {
	if IsTradingDay(x, t) && PhaseAt(x, t) != PreOpen {
		return Day(t)
	}
	return PrevTradingDay(x, t)
}
