package ui

import (
	"sort"
	"time"

	"github.com/rareterm/rareterm/model"
)

// derived holds the figures computed from the snapshot when it changes, so
// View only formats.
type derived struct {
	elements []elementRow
	index    model.IndexResult
	indexPts []float64 // chart series
	indexDay float64   // latest day-on-day change %
	indexYTD float64
	contract []model.QuarterRow
	streak   int
	margin   []marginRow
	sector   marginSummary
	boards   []model.BoardMove
}

type elementRow struct {
	id     model.ElementID
	last   model.ElementPrice
	has    bool
	dayPct float64
	yoyPct float64
}

type marginRow struct {
	sym  model.Symbol
	last model.MarginDay
	has  bool
}

// marginSummary is the sector view of margin financing, as the daily reports
// put it: total financing balance across the names, its change since the
// start of the year, and how many names added more than 10% and 20%.
type marginSummary struct {
	total, start float64
	names        int
	over10       int
	over20       int
	date         time.Time
}

func (m *Model) recompute(ch model.Changes) {
	d := &m.derived
	if ch.Elements {
		d.elements = d.elements[:0]
		for _, id := range model.DashboardElements {
			s := m.st.Elements[id]
			r := elementRow{id: id, dayPct: model.Unknown, yoyPct: model.Unknown}
			if n := len(s); n > 0 {
				r.last, r.has = s[n-1], true
				if n > 1 && s[n-2].Price > 0 {
					r.dayPct = (r.last.Price/s[n-2].Price - 1) * 100
				}
				if y, ok := s.AsOf(r.last.Date.AddDate(-1, 0, 0)); ok && y.Price > 0 {
					r.yoyPct = (r.last.Price/y.Price - 1) * 100
				}
			}
			d.elements = append(d.elements, r)
		}
		spec := m.deps.Index
		if len(spec.Eras) == 0 {
			spec = model.IndexSpec{Base: 1000, BaseDate: model.DefaultBaseDate, Eras: []model.IndexEra{{From: model.DefaultBaseDate, Weights: model.DefaultBasket}}}
			m.deps.Index = spec
		}
		d.index = model.ComputeIndex(spec, m.st.Elements)
		d.indexPts = d.indexPts[:0]
		for _, p := range d.index.Points {
			d.indexPts = append(d.indexPts, p.Value)
		}
		d.indexDay, d.indexYTD = model.Unknown, model.Unknown
		if n := len(d.index.Points); n > 1 {
			last := d.index.Points[n-1]
			d.indexDay = (last.Value/d.index.Points[n-2].Value - 1) * 100
			yStart := model.Date(last.Date.In(model.CST).Year(), 1, 1)
			for i := n - 1; i >= 0; i-- {
				if d.index.Points[i].Date.Before(yStart) {
					d.indexYTD = (last.Value/d.index.Points[i].Value - 1) * 100
					break
				}
			}
		}
	}
	if ch.Contract {
		d.contract = model.QuarterRows(m.st.Contract)
		if len(d.contract) > 0 {
			d.streak = model.Streak(m.st.Contract, d.contract[0].Quarter)
		}
	}
	if ch.Margin { // margin days and the watchlist; quotes do not enter these figures
		d.margin = d.margin[:0]
		sum := marginSummary{}
		for _, s := range m.watch {
			if !s.Market.IsA() || s.IsETF() {
				continue
			}
			days := m.st.Margin[s.Code]
			r := marginRow{sym: s}
			if n := len(days); n > 0 {
				r.last, r.has = days[n-1], true
				sum.total += r.last.FinBalance
				sum.names++
				if r.last.Date.After(sum.date) {
					sum.date = r.last.Date
				}
				yStart := model.Date(r.last.Date.In(model.CST).Year(), 1, 1)
				if base, ok := lastBefore(days, yStart); ok && base.FinBalance > 0 {
					sum.start += base.FinBalance
					g := (r.last.FinBalance/base.FinBalance - 1) * 100
					if g > 10 {
						sum.over10++
					}
					if g > 20 {
						sum.over20++
					}
				}
			}
			d.margin = append(d.margin, r)
		}
		d.sector = sum
	}
	if ch.Boards {
		d.boards = d.boards[:0]
		seen := map[string]bool{}
		for _, code := range m.deps.Boards {
			if b, ok := m.st.Boards[code]; ok {
				d.boards = append(d.boards, b)
				seen[code] = true
			}
		}
		var rest []model.BoardMove
		for code, b := range m.st.Boards {
			if !seen[code] {
				rest = append(rest, b)
			}
		}
		sort.Slice(rest, func(i, j int) bool { return rest[i].Code < rest[j].Code })
		d.boards = append(d.boards, rest...)
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
