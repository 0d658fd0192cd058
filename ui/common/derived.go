package common

import (
	"sort"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Derived holds the figures computed from the snapshot when it changes, so
// View only formats.
type Derived struct {
	Elements []ElementRow
	Index    model.IndexResult
	IndexPts []float64   // chart series
	IndexTs  []time.Time // its dates
	IndexDay float64     // latest day-on-day change %
	IndexYTD float64
	Contract []model.QuarterRow
	Streak   int           // consecutive increases ending at StreakAt
	StreakAt model.Quarter // the newest known quarter
	Margin   []MarginRow
	Sector   MarginSummary
	Boards   []model.BoardMove
}

// ElementRow is one line of the element panel.
type ElementRow struct {
	ID     model.ElementID
	Last   model.ElementPrice
	Has    bool
	DayPct float64
	YoYPct float64
}

// MarginRow is one stock of the margin panel.
type MarginRow struct {
	Sym  model.Symbol
	Last model.MarginDay
	Has  bool
}

// MarginSummary is the sector view of margin financing, as the daily reports
// put it: total financing balance across the names, its change since the
// start of the year, and how many names added more than 10% and 20%.
type MarginSummary struct {
	Total, Start float64
	Names        int
	Over10       int
	Over20       int
	Date         time.Time
}

// Recompute refreshes the derived figures the changes touch.
func (m *Market) Recompute(ch model.Changes) {
	d := &m.Derived
	if ch.Elements {
		d.Elements = d.Elements[:0]
		for _, id := range model.DashboardElements {
			s := m.St.Elements[id]
			r := ElementRow{ID: id, DayPct: model.Unknown, YoYPct: model.Unknown}
			if n := len(s); n > 0 {
				r.Last, r.Has = s[n-1], true
				if n > 1 && s[n-2].Price > 0 {
					r.DayPct = (r.Last.Price/s[n-2].Price - 1) * 100
				}
				if y, ok := s.AsOf(r.Last.Date.AddDate(-1, 0, 0)); ok && y.Price > 0 {
					r.YoYPct = (r.Last.Price/y.Price - 1) * 100
				}
			}
			d.Elements = append(d.Elements, r)
		}
		spec := m.Index
		if len(spec.Eras) == 0 {
			spec = model.IndexSpec{Base: 1000, BaseDate: model.DefaultBaseDate, Eras: []model.IndexEra{{From: model.DefaultBaseDate, Weights: model.DefaultBasket}}}
			m.Index = spec
		}
		d.Index = model.ComputeIndex(spec, m.St.Elements)
		d.IndexPts, d.IndexTs = d.IndexPts[:0], d.IndexTs[:0]
		for _, p := range d.Index.Points {
			d.IndexPts = append(d.IndexPts, p.Value)
			d.IndexTs = append(d.IndexTs, p.Date)
		}
		d.IndexDay, d.IndexYTD = model.Unknown, model.Unknown
		if n := len(d.Index.Points); n > 1 {
			last := d.Index.Points[n-1]
			d.IndexDay = (last.Value/d.Index.Points[n-2].Value - 1) * 100
			yStart := model.Date(last.Date.In(model.CST).Year(), 1, 1)
			for i := n - 1; i >= 0; i-- {
				if d.Index.Points[i].Date.Before(yStart) {
					d.IndexYTD = (last.Value/d.Index.Points[i].Value - 1) * 100
					break
				}
			}
		}
	}
	if ch.Contract {
		d.Contract = model.QuarterRows(m.St.Contract, m.RefTime())
		d.Streak, d.StreakAt = 0, model.Quarter{}
		if lk, ok := model.LastKnown(d.Contract); ok {
			d.StreakAt = lk.Quarter
			d.Streak = model.Streak(m.St.Contract, lk.Quarter)
		}
	}
	if ch.Margin { // margin days and the watchlist; quotes do not enter these figures
		d.Margin = d.Margin[:0]
		sum := MarginSummary{}
		for _, s := range m.Watch {
			if !s.Market.IsA() || s.IsETF() {
				continue
			}
			days := m.St.Margin[s.Code]
			r := MarginRow{Sym: s}
			if n := len(days); n > 0 {
				r.Last, r.Has = days[n-1], true
				sum.Total += r.Last.FinBalance
				sum.Names++
				if r.Last.Date.After(sum.Date) {
					sum.Date = r.Last.Date
				}
				yStart := model.Date(r.Last.Date.In(model.CST).Year(), 1, 1)
				if base, ok := lastBefore(days, yStart); ok && base.FinBalance > 0 {
					sum.Start += base.FinBalance
					g := (r.Last.FinBalance/base.FinBalance - 1) * 100
					if g > 10 {
						sum.Over10++
					}
					if g > 20 {
						sum.Over20++
					}
				}
			}
			d.Margin = append(d.Margin, r)
		}
		d.Sector = sum
	}
	if ch.Boards {
		d.Boards = d.Boards[:0]
		seen := map[string]bool{}
		for _, code := range m.Boards {
			if b, ok := m.St.Boards[code]; ok {
				d.Boards = append(d.Boards, b)
				seen[code] = true
			}
		}
		var rest []model.BoardMove
		for code, b := range m.St.Boards {
			if !seen[code] {
				rest = append(rest, b)
			}
		}
		sort.Slice(rest, func(i, j int) bool { return rest[i].Code < rest[j].Code })
		d.Boards = append(d.Boards, rest...)
	}
}

// lastBefore returns the last margin day strictly before t.
func lastBefore(days []model.MarginDay, t time.Time) (model.MarginDay, bool) {
	i := sort.Search(len(days), func(i int) bool { return !days[i].Date.Before(t) })
	if i == 0 {
		return model.MarginDay{}, false
	}
	return days[i-1], true
}
