package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/rareterm/rareterm/model"
)

// Calendar holds the config's corrections to the trading calendars:
//
//	[calendar]
//	closures = ["2027-02-15"]       # A-share days shut (a notice the tables or rules lack)
//	open_days = []                  # A-share days that trade although a rule shuts them
//	hk_closures = ["2027-09-13"]    # HKEX days shut (a typhoon signal, a new holiday)
//	hk_open_days = []
type Calendar struct {
	Closures, OpenDays     []time.Time
	HKClosures, HKOpenDays []time.Time
}

const calendarTable = "calendar"

// Apply installs the corrections in the model's calendars.
func (c Calendar) Apply() {
	model.SetCalendarCorrections(model.ExchangeA, c.Closures, c.OpenDays)
	model.SetCalendarCorrections(model.ExchangeHK, c.HKClosures, c.HKOpenDays)
}

// parseCalendar reads [calendar]. A key it does not know, or a value that is
// not a list of YYYY-MM-DD dates, is an error naming the key and its line.
func parseCalendar(path string, data []byte) (Calendar, error) {
	var cal Calendar
	var f struct {
		Calendar map[string]any `toml:"calendar"`
	}
	if _, err := toml.Decode(string(data), &f); err != nil {
		return cal, &ConfigError{Path: path, Key: calendarTable, Msg: err.Error()}
	}
	targets := map[string]*[]time.Time{
		"closures": &cal.Closures, "open_days": &cal.OpenDays,
		"hk_closures": &cal.HKClosures, "hk_open_days": &cal.HKOpenDays,
	}
	for k, v := range f.Calendar {
		key := calendarTable + "." + k
		bad := func(format string, args ...any) error {
			return &ConfigError{Path: path, Key: key, Line: keyLine(data, key), Msg: fmt.Sprintf(format, args...)}
		}
		dst, ok := targets[k]
		if !ok {
			return cal, bad("unknown key (want closures, open_days, hk_closures or hk_open_days)")
		}
		list, ok := v.([]any)
		if !ok {
			return cal, bad(`want a list of dates, e.g. %s = ["2027-02-15"]`, k)
		}
		for _, x := range list {
			s, ok := x.(string)
			if !ok {
				return cal, bad("want dates as \"YYYY-MM-DD\" strings, got %v", x)
			}
			d, err := model.ParseDay(s)
			if err != nil {
				return cal, bad("%v", err)
			}
			if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
				return cal, bad("%s is a %s: the exchanges never trade on weekends", s, wd)
			}
			*dst = append(*dst, d)
		}
	}
	return cal, nil
}

// isCalendarKey reports whether an undecoded config key belongs to
// [calendar] (read by parseCalendar).
func isCalendarKey(k string) bool {
	return k == calendarTable || strings.HasPrefix(k, calendarTable+".")
}
