package main

import (
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/rareterm/rareterm/i18n"
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
		return cal, &ConfigError{Path: path, Key: calendarTable, Msg: err}
	}
	targets := map[string]*[]time.Time{
		"closures": &cal.Closures, "open_days": &cal.OpenDays,
		"hk_closures": &cal.HKClosures, "hk_open_days": &cal.HKOpenDays,
	}
	for k, v := range f.Calendar {
		key := calendarTable + "." + k
		bad := func(t i18n.Text, args ...any) error {
			return &ConfigError{Path: path, Key: key, Line: keyLine(data, key), Msg: configMsg(t, args...)}
		}
		dst, ok := targets[k]
		if !ok {
			return cal, bad(i18n.ConfigCalendarKey)
		}
		list, ok := v.([]any)
		if !ok {
			return cal, bad(i18n.ConfigCalendarList, k)
		}
		for _, x := range list {
			s, ok := x.(string)
			if !ok {
				return cal, bad(i18n.ConfigCalendarDate, x)
			}
			d, err := model.ParseDay(s)
			if err != nil {
				return cal, &ConfigError{Path: path, Key: key, Line: keyLine(data, key), Msg: err}
			}
			if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
				return cal, bad(i18n.ConfigCalendarWeek, s, weekend(wd))
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

// weekend is a Saturday or Sunday said in either language.
type weekend time.Weekday

func (w weekend) In(l i18n.Lang) string {
	if time.Weekday(w) == time.Sunday {
		return i18n.ConfigSunday.In(l)
	}
	return i18n.ConfigSaturday.In(l)
}
