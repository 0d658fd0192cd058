package model

import "time"

// DayChange is the day-on-day change in percent of s's price at i: against
// the price of the previous trading day from the same source. Anything else
// (a gap of more than a trading day, a price from another source) has no
// day change: Unknown.
func DayChange(s Series, i int) float64 {
	if i <= 0 || i >= len(s) {
		return Unknown
	}
	cur, prev := s[i], s[i-1]
	if prev.Source != cur.Source || !(prev.Price > 0) {
		return Unknown
	}
	if !Day(prev.Date).Equal(PrevTradingDay(ExchangeA, Day(cur.Date))) {
		return Unknown
	}
	return (cur.Price/prev.Price - 1) * 100
}

// yearWindow is how far from exactly a year earlier a price may be for a
// year-on-year change.
const yearWindow = 5 * 24 * time.Hour

// YearChange is the change in percent of s's price at i against the price
// from the same source nearest to a year earlier, within five days of it;
// Unknown when there is none.
func YearChange(s Series, i int) float64 {
	if i < 0 || i >= len(s) {
		return Unknown
	}
	cur := s[i]
	target := cur.Date.AddDate(-1, 0, 0)
	best, bestGap := -1, yearWindow+time.Nanosecond
	for j := 0; j < i; j++ {
		p := s[j]
		if p.Source != cur.Source || !(p.Price > 0) {
			continue
		}
		gap := p.Date.Sub(target)
		if gap < 0 {
			gap = -gap
		}
		if gap < bestGap {
			best, bestGap = j, gap
		}
	}
	if best < 0 {
		return Unknown
	}
	return (cur.Price/s[best].Price - 1) * 100
}
