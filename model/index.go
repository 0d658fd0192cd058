package model

import (
	"math"
	"sort"
	"time"

	"github.com/rareterm/rareterm/i18n"
)

// IndexWeight is one basket component.
type IndexWeight struct {
	Element ElementID
	Weight  float64
}

// IndexEra is a basket in force from a date on. The first era starts at the
// base date; each later one is chain-linked onto the index value at its start,
// so a change of basket or weights never makes the series jump.
type IndexEra struct {
	From    time.Time
	Weights []IndexWeight
}

// IndexSpec defines rareterm's local price index:
//
//	I_t = I_k × Σ_i w_i × p_i,t / p_i,k
//
// where k is the start of the era in force at t (the base date for the first
// era, with I_k = Base), p_i,k the component's price at that start and
// Σ w_i = 1.
type IndexSpec struct {
	Base     float64
	BaseDate time.Time
	Eras     []IndexEra // oldest first; Eras[0].From is the base date
}

// DefaultBasket is the basket of the Baotou exchange index's coverage
// (La, Ce, Pr, Nd oxides and PrNd oxide), weighted towards the products that
// carry the value of the light rare-earth market.
var DefaultBasket = []IndexWeight{
	{LaOxide, 0.05}, {CeOxide, 0.05}, {PrOxide, 0.25}, {NdOxide, 0.25}, {PrNdOxide, 0.40},
}

// DefaultBaseDate is the default index base date, 2025-01-02.
var DefaultBaseDate = Date(2025, 1, 2)

// ValidateWeights checks a basket: known elements, no duplicates, positive
// weights that sum to 1 (within 1e-6).
func ValidateWeights(ws []IndexWeight) error {
	if len(ws) == 0 {
		return i18n.Errorf(i18n.ModelBasketEmpty)
	}
	seen := map[ElementID]bool{}
	sum := 0.0
	for _, w := range ws {
		if _, ok := Element(w.Element); !ok {
			return i18n.Errorf(i18n.ModelBasketUnknown, w.Element)
		}
		if seen[w.Element] {
			return i18n.Errorf(i18n.ModelBasketTwice, w.Element)
		}
		seen[w.Element] = true
		if !(w.Weight > 0) || math.IsInf(w.Weight, 0) {
			return i18n.Errorf(i18n.ModelBasketWeight, w.Element, w.Weight)
		}
		sum += w.Weight
	}
	if math.Abs(sum-1) > 1e-6 {
		return i18n.Errorf(i18n.ModelBasketSum, sum)
	}
	return nil
}

// SameWeights reports whether two baskets are identical.
func SameWeights(a, b []IndexWeight) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[ElementID]float64{}
	for _, w := range a {
		m[w.Element] = w.Weight
	}
	for _, w := range b {
		if v, ok := m[w.Element]; !ok || math.Abs(v-w.Weight) > 1e-9 {
			return false
		}
	}
	return true
}

// IndexPoint is one value of the index.
type IndexPoint struct {
	Date  time.Time
	Value float64
}

// IndexResult is the computed series plus what the reader needs to trust it.
type IndexResult struct {
	Points []IndexPoint
	// Missing lists basket elements with no cached price at all; they are
	// left out and the remaining weights renormalised.
	Missing []ElementID
	// BaseFilled lists elements with no price at or before an era's start,
	// whose first later price stands in as their base price.
	BaseFilled []ElementID
}

// Series is one element's prices, oldest first.
type Series []ElementPrice

// AsOf returns the last price at or before t.
func (s Series) AsOf(t time.Time) (ElementPrice, bool) {
	i := sort.Search(len(s), func(i int) bool { return s[i].Date.After(t) })
	if i == 0 {
		return ElementPrice{}, false
	}
	return s[i-1], true
}

// indexComp is one component of an era: weight (renormalised) and the
// price at the era's start.
type indexComp struct {
	id   ElementID
	w    float64
	base float64
}

// indexEraState is an era ready to evaluate: its start level and components.
type indexEraState struct {
	start time.Time
	level float64
	comps []indexComp
}

func (e indexEraState) eval(prices map[ElementID]Series, t time.Time) float64 {
	sum := 0.0
	for _, c := range e.comps {
		p, ok := prices[c.id].AsOf(t)
		if !ok {
			p.Price = c.base // before the component's first price: flat
		}
		sum += c.w * p.Price / c.base
	}
	return e.level * sum
}

// buildEras resolves every era's components and chain-linked start level.
func buildEras(spec IndexSpec, prices map[ElementID]Series, filled map[ElementID]bool) []indexEraState {
	var out []indexEraState
	level := spec.Base
	for k := range spec.Eras {
		st := indexEraState{start: eraStart(spec, k), level: level}
		if k > 0 && len(out[k-1].comps) > 0 {
			// Chain-link: the new basket starts at the old basket's level.
			st.level = out[k-1].eval(prices, st.start)
		}
		total := 0.0
		for _, w := range spec.Eras[k].Weights {
			s := prices[w.Element]
			if len(s) == 0 {
				continue
			}
			p, ok := s.AsOf(st.start)
			if !ok {
				p = s[0]
				if filled != nil {
					filled[w.Element] = true
				}
			}
			if !(p.Price > 0) {
				continue
			}
			st.comps = append(st.comps, indexComp{w.Element, w.Weight, p.Price})
			total += w.Weight
		}
		for i := range st.comps {
			st.comps[i].w /= total
		}
		level = st.level
		out = append(out, st)
	}
	return out
}

// eraAt returns the era in force at t.
func eraAt(eras []indexEraState, t time.Time) indexEraState {
	k := 0
	for i := range eras {
		if !t.Before(eras[i].start) {
			k = i
		}
	}
	return eras[k]
}

// ComputeIndex evaluates the index on every date on which any basket element
// has a price, from the base date on. Prices carry forward (as-of) between
// their dates.
func ComputeIndex(spec IndexSpec, prices map[ElementID]Series) IndexResult {
	var res IndexResult
	if len(spec.Eras) == 0 || !(spec.Base > 0) {
		return res
	}
	missing := map[ElementID]bool{}
	filled := map[ElementID]bool{}
	dateSet := map[int64]time.Time{}
	for _, era := range spec.Eras {
		for _, w := range era.Weights {
			s := prices[w.Element]
			if len(s) == 0 {
				missing[w.Element] = true
			}
			for _, p := range s {
				if !p.Date.Before(spec.BaseDate) {
					dateSet[p.Date.Unix()] = p.Date
				}
			}
		}
	}
	dates := make([]time.Time, 0, len(dateSet))
	for _, d := range dateSet {
		dates = append(dates, d)
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].Before(dates[j]) })
	eras := buildEras(spec, prices, filled)
	for _, d := range dates {
		e := eraAt(eras, d)
		if len(e.comps) == 0 {
			continue
		}
		res.Points = append(res.Points, IndexPoint{Date: d, Value: e.eval(prices, d)})
	}
	for id := range missing {
		res.Missing = append(res.Missing, id)
	}
	for id := range filled {
		res.BaseFilled = append(res.BaseFilled, id)
	}
	sort.Slice(res.Missing, func(i, j int) bool { return res.Missing[i] < res.Missing[j] })
	sort.Slice(res.BaseFilled, func(i, j int) bool { return res.BaseFilled[i] < res.BaseFilled[j] })
	return res
}

func eraStart(spec IndexSpec, k int) time.Time {
	if k == 0 || spec.Eras[k].From.Before(spec.BaseDate) {
		return spec.BaseDate
	}
	return spec.Eras[k].From
}

// Contribution is one component's share of an index move.
type Contribution struct {
	Element ElementID
	Weight  float64 // renormalised weight in the era in force
	Points  float64 // index points contributed between the two dates
}

// Contributions splits the index move from a to b into per-component
// index points: within one era, I_k × w_i × (p_i,b − p_i,a) / p_i,k. When
// the basket changes between a and b, the move is split at each change: the
// old basket's components contribute up to the day it ends and the new
// one's from then (the new era starts at the old basket's level, so the
// parts join). They sum to I_b − I_a. Weight is the weight in the era in
// force at b (0 for a component that left the basket).
func Contributions(spec IndexSpec, prices map[ElementID]Series, a, b time.Time) []Contribution {
	if len(spec.Eras) == 0 || !(spec.Base > 0) {
		return nil
	}
	sign := 1.0
	if a.After(b) {
		a, b, sign = b, a, -1
	}
	eras := buildEras(spec, prices, nil)
	ka, kb := eraIndex(eras, a), eraIndex(eras, b)
	var out []Contribution
	at := map[ElementID]int{}
	add := func(id ElementID) int {
		i, ok := at[id]
		if !ok {
			i = len(out)
			at[id] = i
			out = append(out, Contribution{Element: id})
		}
		return i
	}
	// The era in force at b lists its components first, in its order.
	for _, c := range eras[kb].comps {
		out[add(c.id)].Weight = c.w
	}
	from := a
	for k := ka; k <= kb; k++ {
		to := b
		if k < kb {
			to = eras[k+1].start
		}
		e := eras[k]
		for _, c := range e.comps {
			pa, oka := prices[c.id].AsOf(from)
			pb, okb := prices[c.id].AsOf(to)
			if !oka {
				pa.Price = c.base // before its first price: flat at its base
			}
			if !okb {
				pb.Price = c.base
			}
			out[add(c.id)].Points += sign * e.level * c.w * (pb.Price - pa.Price) / c.base
		}
		from = to
	}
	return out
}

// eraIndex is the index of the era in force at t.
func eraIndex(eras []indexEraState, t time.Time) int {
	k := 0
	for i := range eras {
		if !t.Before(eras[i].start) {
			k = i
		}
	}
	return k
}
