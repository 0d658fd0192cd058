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
	// Estimate is next quarter's contract price estimated from the cached
	// oxide prices (model.EstimateContract), or why there is none.
	Estimate model.ContractEstimate
	Margin   []MarginRow
	Sector   model.SectorMargin // over the sector's names (the watchlist's without a sector list)
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

// Recompute refreshes the derived figures the changes touch.
func (m *Market) Recompute(ch model.Changes) {
	d := &m.Derived
	if ch.Elements {
		d.Elements = d.Elements[:0]
		for _, id := range model.DashboardElements {
			s := m.St.Elements[id]
			r := ElementRow{ID: id, DayPct: model.Unknown, YoYPct: model.Unknown}
			if n := len(s); n > 0 {
				// Changes only within one source and at the right
				// distance: never between a reference value and a feed's,
				// or across a gap.
				r.Last, r.Has = s[n-1], true
				r.DayPct, r.YoYPct = model.DayChange(s, n-1), model.YearChange(s, n-1)
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
		model.AttachNotices(d.Contract, m.St.Concentrates, m.RefTime())
		d.Streak, d.StreakAt = 0, model.Quarter{}
		if lk, ok := model.LastKnown(d.Contract); ok {
			d.StreakAt = lk.Quarter
			d.Streak = model.Streak(m.St.Contract, lk.Quarter)
		}
	}
	if ch.Contract || ch.Elements {
		d.Estimate = model.EstimateContract(m.St.Contract, m.St.Elements, model.EstimateTarget(m.St.Contract, m.RefTime()), m.Estimate)
	}
	if ch.Margin { // margin days, the watchlist and the sector; quotes do not enter these figures
		d.Margin = d.Margin[:0]
		syms := m.sectorSymbols()
		codes := make([]string, 0, len(syms))
		for _, s := range syms {
			codes = append(codes, s.Code)
			r := MarginRow{Sym: s}
			if days := m.St.Margin[s.Code]; len(days) > 0 {
				r.Last, r.Has = days[len(days)-1], true
			}
			d.Margin = append(d.Margin, r)
		}
		d.Sector = model.ComputeSectorMargin(codes, m.St.Margin, time.Time{})
		for _, list := range [][]model.NameGrowth{d.Sector.Growth, d.Sector.Over10, d.Sector.Over20} {
			for i := range list {
				if s, ok := m.Symbol(list[i].Code); ok && s.Name != "" {
					list[i].Name = s.Name
				}
			}
		}
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
