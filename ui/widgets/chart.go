package widgets

import (
	"sort"
	"strings"
	"time"

	"github.com/rareterm/rareterm/i18n"
)

// RangeNames are the chart ranges, chosen with 1–6.
var RangeNames = []string{"1D", "5D", "1M", "6M", "1Y", "ALL"}

// The chart ranges.
const (
	Range1D = iota
	Range5D
	Range1M
	Range6M
	Range1Y
	RangeAll
)

// RangeTabs draws the range tabs in l with cur highlighted.
func RangeTabs(st Styles, l i18n.Lang, cur int) string {
	var tabs []string
	for i := range RangeNames {
		r := i18n.Ranges[i].In(l)
		if i == cur {
			tabs = append(tabs, st.Selected.Render(" "+r+" "))
		} else {
			tabs = append(tabs, " "+r+" ")
		}
	}
	return strings.Join(tabs, "")
}

// RangeDays maps a range to calendar days for daily series (0 = all).
func RangeDays(rng int) int {
	return [...]int{2, 7, 31, 183, 366, 0}[rng]
}

// ClipDates keeps the points of the last `days` days before the last point.
func ClipDates[T any](s []T, at func(T) time.Time, days int) []T {
	if days == 0 || len(s) == 0 {
		return s
	}
	from := at(s[len(s)-1]).AddDate(0, 0, -days)
	i := sort.Search(len(s), func(i int) bool { return !at(s[i]).Before(from) })
	return s[i:]
}
