package model

import (
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
	"github.com/6tail/lunar-go/calendar"
)

// CalendarSource says where a year's closures come from, best first.
type CalendarSource int

const (
	// SourceExchange: the exchange's own published closure table.
	SourceExchange CalendarSource = iota
	// SourceStateCouncil: the State Council's published holiday schedule
	// (mainland only), which the exchanges follow.
	SourceStateCouncil
	// SourceComputed: derived from the holiday rules and lunar dates; a
	// notice may still move a day.
	SourceComputed
)

func (s CalendarSource) String() string {
	switch s {
	case SourceExchange:
		return "exchange notice"
	case SourceStateCouncil:
		return "State Council schedule"
	}
	return "computed from rules"
}

// Official reports whether the closures were published rather than computed.
func (s CalendarSource) Official() bool { return s != SourceComputed }

// yearCal is one exchange's closures for one year.
type yearCal struct {
	closed map[string]bool
	half   map[string]bool // HK morning-only days
	source CalendarSource
}

var calendars = struct {
	sync.RWMutex
	years map[[2]int]*yearCal // {exchange, year}
	extra map[Exchange]map[string]bool
	open  map[Exchange]map[string]bool
}{years: map[[2]int]*yearCal{}}

// SetCalendarCorrections adds closures to an exchange's calendar and marks
// days as trading days against every table and rule (the config's
// [calendar] section). It replaces earlier corrections for that exchange.
func SetCalendarCorrections(x Exchange, closed, open []time.Time) {
	calendars.Lock()
	defer calendars.Unlock()
	if calendars.extra == nil {
		calendars.extra = map[Exchange]map[string]bool{}
		calendars.open = map[Exchange]map[string]bool{}
	}
	calendars.extra[x] = daykeys(closed)
	calendars.open[x] = daykeys(open)
}

func daykeys(days []time.Time) map[string]bool {
	m := make(map[string]bool, len(days))
	for _, d := range days {
		m[d.In(CST).Format("2006-01-02")] = true
	}
	return m
}

// CalendarSourceOf says where the exchange's closures for year come from.
func CalendarSourceOf(x Exchange, year int) CalendarSource { return yearOf(x, year).source }

// Closures lists the weekdays the exchange is shut in year, oldest first.
func Closures(x Exchange, year int) []time.Time {
	yc := yearOf(x, year)
	out := make([]time.Time, 0, len(yc.closed))
	for k := range yc.closed {
		if d, err := ParseDay(k); err == nil && !weekend(d) {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

func closedOn(x Exchange, t time.Time) bool {
	key := t.Format("2006-01-02")
	calendars.RLock()
	if calendars.open[x][key] {
		calendars.RUnlock()
		return false
	}
	extra := calendars.extra[x][key]
	calendars.RUnlock()
	return extra || yearOf(x, t.Year()).closed[key]
}

func halfDayHK(t time.Time) bool { return yearOf(ExchangeHK, t.Year()).half[t.Format("2006-01-02")] }

func yearOf(x Exchange, year int) *yearCal {
	k := [2]int{int(x), year}
	calendars.RLock()
	yc := calendars.years[k]
	calendars.RUnlock()
	if yc != nil {
		return yc
	}
	yc = buildYear(x, year)
	calendars.Lock()
	if prev := calendars.years[k]; prev != nil {
		yc = prev
	} else {
		calendars.years[k] = yc
	}
	calendars.Unlock()
	return yc
}

func buildYear(x Exchange, year int) *yearCal {
	prefix := strconv.Itoa(year) + "-"
	if x == ExchangeHK {
		if t := tableYear(holidaysHK, prefix); t != nil {
			return &yearCal{closed: t, half: tableYear(halfDaysHK, prefix), source: SourceExchange}
		}
		closed, half := hkRules(year)
		return &yearCal{closed: closed, half: half, source: SourceComputed}
	}
	if t := tableYear(holidaysA, prefix); t != nil {
		return &yearCal{closed: t, source: SourceExchange}
	}
	if t := stateCouncil(year); t != nil {
		return &yearCal{closed: t, source: SourceStateCouncil}
	}
	return &yearCal{closed: mainlandRules(year), source: SourceComputed}
}

// tableYear returns the table's days of one year, or nil if the table
// does not cover it.
func tableYear(table map[string]bool, prefix string) map[string]bool {
	var out map[string]bool
	for k := range table {
		if len(k) > len(prefix) && k[:len(prefix)] == prefix {
			if out == nil {
				out = map[string]bool{}
			}
			out[k] = true
		}
	}
	return out
}

// stateCouncil reads the published holiday schedule kept by lunar-go: the
// exchanges close on its rest days (make-up working days fall on weekends,
// when the exchanges are shut anyway).
func stateCouncil(year int) map[string]bool {
	var out map[string]bool
	l := HolidayUtil.GetHolidaysByYear(year)
	for e := l.Front(); e != nil; e = e.Next() {
		h, ok := e.Value.(*HolidayUtil.Holiday)
		if !ok || h.IsWork() {
			continue
		}
		d, err := ParseDay(h.GetDay())
		if err != nil || d.Year() != year {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[d.Format("2006-01-02")] = true
	}
	return out
}

func weekend(d time.Time) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

func solarDay(s *calendar.Solar) time.Time {
	return Date(s.GetYear(), time.Month(s.GetMonth()), s.GetDay())
}

// lunarDay is the solar date of a day of the lunar calendar in lunar year y.
func lunarDay(y, month, day int) time.Time {
	return solarDay(calendar.NewLunarFromYmd(y, month, day).GetSolar())
}

// qingming is the day of the Qingming solar term in year y.
func qingming(y int) time.Time {
	if s, ok := calendar.NewSolarFromYmd(y, 4, 1).GetLunar().GetJieQiTable()["清明"]; ok && s.GetYear() == y {
		return solarDay(s)
	}
	return Date(y, time.April, 5)
}

// mainlandRules computes the exchanges' closures from the holiday rules in
// force since 2025: New Year 1 day, Spring Festival from its eve through
// the sixth day, Qingming 1, Labour Day 1–5 May, Dragon Boat 1, Mid-Autumn
// 1 (joined to National Day when it falls near 1 October), National Day
// 1–7 October. A one-day holiday on a Tuesday takes the Monday before, on a
// Thursday the Friday after, and on a weekend the Monday after, as the
// published schedules do.
func mainlandRules(y int) map[string]bool {
	closed := map[string]bool{}
	add := func(d time.Time) {
		if d.Year() == y && !weekend(d) {
			closed[d.Format("2006-01-02")] = true
		}
	}
	single := func(d time.Time) {
		switch d.Weekday() {
		case time.Tuesday:
			add(d.AddDate(0, 0, -1))
		case time.Thursday:
			add(d.AddDate(0, 0, 1))
		case time.Saturday:
			d = d.AddDate(0, 0, 2)
		case time.Sunday:
			d = d.AddDate(0, 0, 1)
		}
		add(d)
	}
	span := func(from, to time.Time) {
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			add(d)
		}
	}
	single(Date(y, time.January, 1))
	lny := lunarDay(y, 1, 1)
	span(lny.AddDate(0, 0, -1), lny.AddDate(0, 0, 6))
	single(qingming(y))
	span(Date(y, time.May, 1), Date(y, time.May, 5))
	single(lunarDay(y, 5, 5))
	natEnd := Date(y, time.October, 7)
	if ma := lunarDay(y, 8, 15); ma.Before(Date(y, time.September, 30)) || ma.After(Date(y, time.October, 8)) {
		single(ma)
	} else {
		natEnd = Date(y, time.October, 8)
	}
	span(Date(y, time.October, 1), natEnd)
	// The next year's Spring Festival can start in this year's last days.
	if eve := lunarDay(y+1, 1, 1).AddDate(0, 0, -1); eve.Year() == y {
		span(eve, Date(y, time.December, 31))
	}
	return closed
}

// hkRules computes HKEX closures from Hong Kong's general holidays: a
// holiday on a Sunday moves to the next day that is not a holiday; a
// Saturday holiday closes nothing. Half days (morning only) are the eves
// of Lunar New Year, Christmas and New Year when they are weekdays.
func hkRules(y int) (closed, half map[string]bool) {
	var days []time.Time
	days = append(days, Date(y, time.January, 1))
	lny := lunarDay(y, 1, 1)
	days = append(days, lny, lny.AddDate(0, 0, 1), lny.AddDate(0, 0, 2))
	easter := easterSunday(y)
	days = append(days, easter.AddDate(0, 0, -2), easter.AddDate(0, 0, 1))
	days = append(days, qingming(y), Date(y, time.May, 1), lunarDay(y, 4, 8), lunarDay(y, 5, 5),
		Date(y, time.July, 1), lunarDay(y, 8, 16), Date(y, time.October, 1), lunarDay(y, 9, 9),
		Date(y, time.December, 25))
	set := map[string]bool{}
	for _, d := range days {
		set[d.Format("2006-01-02")] = true
	}
	// The first weekday after Christmas (a Saturday counts as a weekday in
	// Hong Kong's holiday law; only Sunday does not).
	boxing := Date(y, time.December, 26)
	if boxing.Weekday() == time.Sunday {
		boxing = boxing.AddDate(0, 0, 1)
	}
	set[boxing.Format("2006-01-02")] = true
	days = append(days, boxing)
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	for _, d := range days {
		if d.Weekday() != time.Sunday {
			continue
		}
		s := d.AddDate(0, 0, 1)
		for set[s.Format("2006-01-02")] {
			s = s.AddDate(0, 0, 1)
		}
		set[s.Format("2006-01-02")] = true
	}
	closed = map[string]bool{}
	for k := range set {
		if d, err := ParseDay(k); err == nil && d.Year() == y && !weekend(d) {
			closed[k] = true
		}
	}
	half = map[string]bool{}
	for _, d := range []time.Time{lny.AddDate(0, 0, -1), Date(y, time.December, 24), Date(y, time.December, 31)} {
		k := d.Format("2006-01-02")
		if d.Year() == y && !weekend(d) && !closed[k] {
			half[k] = true
		}
	}
	return closed, half
}

// easterSunday is Western Easter (the anonymous Gregorian algorithm).
func easterSunday(y int) time.Time {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date(y, time.Month(month), day)
}
