package model

import (
	"sort"
	"time"
)

// SectorMargin is margin financing over a sector's names as the daily
// reports put it: the total financing balance, its change on the latest
// day and since the year's first trading day, and the names whose balance
// rose more than 10% and 20% since then.
type SectorMargin struct {
	Names    int       // names with a balance
	Total    float64   // Σ latest financing balance, 元
	Date     time.Time // the newest day among the names
	DayDelta float64   // Σ (latest − the day before), over names with both
	HasDay   bool
	YearDay  time.Time // the year's first trading day
	Start    float64   // Σ balance on YearDay, over names with one
	Now      float64   // Σ latest balance of those same names
	NoBase   int       // names without a balance on YearDay (listed or margin-eligible later)
	Growth   []NameGrowth
	Over10   []NameGrowth // growth > 10%, highest first
	Over20   []NameGrowth // growth > 20%, highest first
}

// NameGrowth is one name's balance since the year's first trading day.
type NameGrowth struct {
	Code       string
	Name       string
	Base, Last float64
	Pct        float64
}

// YTDPct is the change of the names' total since the year's first trading
// day (Unknown without a base).
func (s SectorMargin) YTDPct() float64 {
	if s.Start <= 0 {
		return Unknown
	}
	return (s.Now/s.Start - 1) * 100
}

// yearBaseSlack is how far after the year's first trading day a name's
// first day may fall and still serve as its base (a day the feed missed).
const yearBaseSlack = 5 * 24 * time.Hour

// ComputeSectorMargin sums the latest margin day at or before asOf (zero:
// the latest of all) of every code. The year is that of the newest day
// among the names; a name's base is its balance on the year's first trading
// day (or, if that day is missing, the first day within five days after).
func ComputeSectorMargin(codes []string, margin map[string][]MarginDay, asOf time.Time) SectorMargin {
	var s SectorMargin
	type cur struct {
		days []MarginDay
		i    int // index of the latest day
	}
	var names []cur
	seen := map[string]bool{}
	for _, c := range codes {
		if seen[c] {
			continue
		}
		seen[c] = true
		days := margin[c]
		i := len(days) - 1
		if !asOf.IsZero() {
			i = sort.Search(len(days), func(k int) bool { return days[k].Date.After(asOf) }) - 1
		}
		if i < 0 || !(days[i].FinBalance > 0) {
			continue
		}
		names = append(names, cur{days, i})
		if days[i].Date.After(s.Date) {
			s.Date = days[i].Date
		}
	}
	if len(names) == 0 {
		return s
	}
	y := s.Date.In(CST).Year()
	if ds := TradingDays(ExchangeA, Date(y, 1, 1), Date(y, 1, 31)); len(ds) > 0 {
		s.YearDay = ds[0]
	} else {
		s.YearDay = Date(y, 1, 1)
	}
	for _, n := range names {
		last := n.days[n.i]
		s.Names++
		s.Total += last.FinBalance
		if n.i > 0 && n.days[n.i-1].FinBalance > 0 {
			s.DayDelta += last.FinBalance - n.days[n.i-1].FinBalance
			s.HasDay = true
		}
		k := sort.Search(n.i+1, func(k int) bool { return !n.days[k].Date.Before(s.YearDay) })
		if k > n.i || n.days[k].Date.Sub(s.YearDay) > yearBaseSlack || !(n.days[k].FinBalance > 0) || n.days[k].Date.In(CST).Year() != y {
			s.NoBase++
			continue
		}
		base := n.days[k].FinBalance
		s.Start += base
		s.Now += last.FinBalance
		g := NameGrowth{Code: last.Symbol, Name: last.Name, Base: base, Last: last.FinBalance, Pct: (last.FinBalance/base - 1) * 100}
		s.Growth = append(s.Growth, g)
	}
	sort.SliceStable(s.Growth, func(i, j int) bool { return s.Growth[i].Pct > s.Growth[j].Pct })
	for _, g := range s.Growth {
		if g.Pct > 10 {
			s.Over10 = append(s.Over10, g)
		}
		if g.Pct > 20 {
			s.Over20 = append(s.Over20, g)
		}
	}
	return s
}
