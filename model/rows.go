package model

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxNameRunes is the longest name kept from a feed: longer names are cut
// (a real Chinese short name has 4 to 8 characters, an English one a few
// words).
const MaxNameRunes = 64

// CleanName sanitises a name from a feed and cuts it to MaxNameRunes runes.
// Only the first few KiB are looked at, so a hostile 70 KB name costs
// little.
func CleanName(s string) string {
	const look = MaxNameRunes * 16
	if len(s) > look {
		s = s[:look]
	}
	s = Sanitize(s)
	if utf8.RuneCountInString(s) <= MaxNameRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxNameRunes {
			return strings.TrimSpace(s[:i])
		}
		n++
	}
	return s
}

// EarliestRowTime is the earliest time a row from a feed may carry: nothing
// rareterm shows (quotes, bars, margin days, element prices) predates it.
var EarliestRowTime = time.Date(1990, 1, 1, 0, 0, 0, 0, CST)

// MaxRowAhead is how far past the present a row's time may be (clock skew
// and a next-day date stamped in another zone); anything later is a broken
// field, never a real figure.
const MaxRowAhead = 48 * time.Hour

// CheckRowTime reports why t cannot be a row's time at now: zero, before
// EarliestRowTime, or more than MaxRowAhead after now. Every time it
// accepts lies in the range the store can key (1970–2262).
func CheckRowTime(t, now time.Time) error {
	switch {
	case t.IsZero():
		return fmt.Errorf("no time")
	case t.Before(EarliestRowTime):
		return fmt.Errorf("time %s before %s", t.Format(time.RFC3339), EarliestRowTime.Format("2006-01-02"))
	case t.After(now.Add(MaxRowAhead)):
		return fmt.Errorf("time %s in the future", t.Format(time.RFC3339))
	}
	return nil
}

// CheckFinite reports the first of the named values that is ±Inf. NaN is
// Unknown (a figure the feed did not give) and passes.
func CheckFinite(names []string, vals ...float64) error {
	for i, v := range vals {
		if math.IsInf(v, 0) {
			name := "value"
			if i < len(names) {
				name = names[i]
			}
			return fmt.Errorf("%s is %v", name, v)
		}
	}
	return nil
}
