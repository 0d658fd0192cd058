package model

import (
	"math"
	"testing"
	"time"
)

func TestDayAndYearChangeKeepToOneSource(t *testing.T) {
	p := func(y, m, d int, v float64, src string) ElementPrice {
		return ElementPrice{Element: PrNdOxide, Date: Date(y, time.Month(m), d), Price: v, Source: src}
	}
	s := Series{
		p(2025, 1, 8, 400000, "SMM"),
		p(2025, 1, 13, 410000, "100ppi"),
		p(2026, 1, 9, 600000, "SMM"),     // Friday
		p(2026, 1, 12, 612000, "SMM"),    // Monday: the previous trading day is Friday
		p(2026, 1, 13, 618120, "100ppi"), // another source
		p(2026, 1, 15, 620000, "100ppi"), // a day missing
	}
	cases := []struct {
		i        int
		day, yoy float64
	}{
		{2, math.NaN(), 50},          // 600000/400000 − 1 (SMM 2025-01-08, a day from a year earlier)
		{3, 2, 53},                   // 612000/600000; 612000/400000 (2025-01-08 is 4 days from 2025-01-12)
		{4, math.NaN(), 50.76},       // other source; 618120/410000 (100ppi 2025-01-13)
		{5, math.NaN(), 51.21951219}, // 01-14 missing; 620000/410000 (2 days)
	}
	for _, c := range cases {
		if got := DayChange(s, c.i); !nearOrUnknown(got, c.day, 1e-9) {
			t.Errorf("DayChange(%d) = %v, want %v", c.i, got, c.day)
		}
		if got := YearChange(s, c.i); !nearOrUnknown(got, c.yoy, 1e-2) {
			t.Errorf("YearChange(%d) = %v, want %v", c.i, got, c.yoy)
		}
	}
	// Nothing within five days of a year earlier: no y/y.
	far := Series{p(2025, 1, 1, 400000, "SMM"), p(2026, 1, 12, 600000, "SMM")}
	if got := YearChange(far, 1); Known(got) {
		t.Errorf("y/y against a price 11 days off: %v", got)
	}
}

func nearOrUnknown(a, b, eps float64) bool {
	if math.IsNaN(b) {
		return !Known(a)
	}
	return math.Abs(a-b) <= eps
}
