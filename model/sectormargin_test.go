package model

import (
	"math"
	"testing"
	"time"
)

type day struct{ time.Time }

// Worked by hand. 2026's first trading day is Monday 5 January (1 and 2
// January are the New Year holiday).
//
//	name  base (01-05)  day before  latest (03-10)  change since 01-05
//	A        100          112          115          +15%   >10%
//	B        200          251          250          +25%   >10% >20%
//	C         50           54           54           +8%
//	D          —           28           30          no base (first day 03-02)
//
// Total 449; the day's change (115−112)+(250−251)+(54−54)+(30−28) = +4;
// start 350 over A, B, C, whose latest sum to 419: +19.714…%; >10%: A, B;
// >20%: B.
func TestComputeSectorMarginByHand(t *testing.T) {
	mk := func(code string, pts ...any) []MarginDay {
		var out []MarginDay
		for i := 0; i+1 < len(pts); i += 2 {
			out = append(out, MarginDay{Symbol: code, Name: code, Date: pts[i].(day).Time, FinBalance: pts[i+1].(float64)})
		}
		return out
	}
	dec31 := day{Date(2025, 12, 31)}
	jan5 := day{Date(2026, 1, 5)}
	jan6 := day{Date(2026, 1, 6)}
	mar2 := day{Date(2026, 3, 2)}
	mar9 := day{Date(2026, 3, 9)}
	mar10 := day{Date(2026, 3, 10)}
	margin := map[string][]MarginDay{
		"A": mk("A", dec31, 90.0, jan5, 100.0, jan6, 101.0, mar9, 112.0, mar10, 115.0),
		"B": mk("B", jan5, 200.0, mar9, 251.0, mar10, 250.0),
		"C": mk("C", dec31, 10.0, jan5, 50.0, mar9, 54.0, mar10, 54.0),
		"D": mk("D", mar2, 20.0, mar9, 28.0, mar10, 30.0),
		"E": nil, // in the sector, no margin financing
	}
	s := ComputeSectorMargin([]string{"A", "B", "C", "D", "E", "A"}, margin, time.Time{})
	if s.Names != 4 || s.Total != 449 || s.DayDelta != 4 || !s.HasDay {
		t.Errorf("names %d total %v day %v", s.Names, s.Total, s.DayDelta)
	}
	if !s.YearDay.Equal(Date(2026, 1, 5)) || !s.Date.Equal(Date(2026, 3, 10)) {
		t.Errorf("year day %v date %v", s.YearDay, s.Date)
	}
	if s.Start != 350 || s.Now != 419 || s.NoBase != 1 {
		t.Errorf("start %v now %v nobase %d", s.Start, s.Now, s.NoBase)
	}
	if math.Abs(s.YTDPct()-(419.0/350-1)*100) > 1e-9 {
		t.Errorf("ytd %v", s.YTDPct())
	}
	if len(s.Over10) != 2 || s.Over10[0].Code != "B" || s.Over10[1].Code != "A" || len(s.Over20) != 1 || s.Over20[0].Code != "B" {
		t.Errorf("over10 %+v over20 %+v", s.Over10, s.Over20)
	}
	// As of 9 March: A +12%, B +25.5%, C +8%.
	s = ComputeSectorMargin([]string{"A", "B", "C", "D"}, margin, Date(2026, 3, 9))
	if s.Total != 112+251+54+28 || len(s.Over10) != 2 || len(s.Over20) != 1 {
		t.Errorf("as of 03-09: total %v over10 %d over20 %d", s.Total, len(s.Over10), len(s.Over20))
	}
	if s := ComputeSectorMargin(nil, margin, time.Time{}); s.Names != 0 || Known(s.YTDPct()) {
		t.Errorf("empty sector %+v", s)
	}
}
