package demo

import (
	"context"
	"math"

	"github.com/rareterm/rareterm/model"
)

// Contract quarters: the reference history ends at 2026Q1 (REFERENCE.md
// §4); the demo market announces the quarters after it, up to the current
// one once its tenth day has come, priced from its own previous quarter's
// oxide prices by a rule of the shape the companies describe (PrNd oxide,
// La oxide and a processing term) with a small deterministic error, so the
// contract estimate has something to fit and to be judged against.

// lastReferenceQuarter is the newest quarter REFERENCE.md gives a price for.
var lastReferenceQuarter = model.Quarter{Year: 2026, Q: 1}

// ContractQuarters returns the simulated quarters after the reference
// history up to now, oldest first, with source "demo".
func (m *Market) ContractQuarters(ctx context.Context) ([]model.ContractQuarter, error) {
	prices, err := m.Elements(ctx)
	if err != nil {
		return nil, err
	}
	series := map[model.ElementID]model.Series{}
	for _, p := range prices {
		series[p.Element] = append(series[p.Element], p)
	}
	now := m.now()
	today := model.Day(now)
	var out []model.ContractQuarter
	for q := lastReferenceQuarter.Next(); !today.Before(q.AnnounceBy()); q = q.Next() {
		price, ok := m.contractPrice(series, q)
		if !ok {
			break
		}
		out = append(out, model.ContractQuarter{Quarter: q, Price: price, BasisREO: 50, Source: SourceName,
			Note: "simulated by the demo market"})
	}
	return out, nil
}

// contractPrice is the demo's price of quarter q (元/吨 at REO 50%), from
// the previous quarter's average PrNd and La oxide prices; false when that
// quarter has no prices.
func (m *Market) contractPrice(series map[model.ElementID]model.Series, q model.Quarter) (float64, bool) {
	prnd := model.QuarterAverage(series[model.PrNdOxide], q.Prev())
	la := model.QuarterAverage(series[model.LaOxide], q.Prev())
	if prnd.Days == 0 || la.Days == 0 {
		return 0, false
	}
	// Prices in 万元/吨.
	price := 380*prnd.Avg + 900*la.Avg + 1800
	price *= 1 + 0.012*norm(hash(m.factor, sFactor, int64(q.Index()), 7))
	return math.Round(price), true
}

// ContractPrice is the demo's price of quarter q, as its announcement
// gives it.
//
// A quarter's price depends only on the previous quarter's prices, so once
// that quarter is over it is kept: the notices poll asks for the current
// quarter's price every few seconds, and working it out again copies and
// groups every element price of the simulated history.
func (m *Market) ContractPrice(ctx context.Context, q model.Quarter) (float64, bool) {
	m.mu.Lock()
	price, ok := m.cprices[q]
	m.mu.Unlock()
	if ok {
		return price, !math.IsNaN(price)
	}
	prices, err := m.Elements(ctx)
	if err != nil {
		return 0, false
	}
	series := map[model.ElementID]model.Series{}
	for _, p := range prices {
		series[p.Element] = append(series[p.Element], p)
	}
	price, ok = m.contractPrice(series, q)
	if q.Prev().Index() < model.QuarterOf(m.now()).Index() {
		// Kept whether or not there is a price: a quarter the history
		// cannot price now never will be (NaN marks it).
		m.mu.Lock()
		m.cprices[q] = price
		if !ok {
			m.cprices[q] = math.NaN()
		}
		m.mu.Unlock()
	}
	return price, ok
}
