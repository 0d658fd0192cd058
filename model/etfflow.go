package model

// ETFFlow is an ETF's daily fund flow, oldest first.
type ETFFlow struct {
	Code   string
	Name   string
	Days   []FlowDay
	Source string
}

// Today is the newest day's main-force net inflow (Unknown without days).
func (f ETFFlow) Today() (FlowDay, bool) {
	if len(f.Days) == 0 {
		return FlowDay{}, false
	}
	return f.Days[len(f.Days)-1], true
}

// NetN sums the main-force net inflow of the last n days (Unknown when
// fewer than n days are known).
func (f ETFFlow) NetN(n int) float64 {
	if n <= 0 || len(f.Days) < n {
		return Unknown
	}
	s := 0.0
	for _, d := range f.Days[len(f.Days)-n:] {
		if !Known(d.Flow.Main) {
			return Unknown
		}
		s += d.Flow.Main
	}
	return s
}
