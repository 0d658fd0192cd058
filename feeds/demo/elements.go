package demo

import (
	"context"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Element prices: one price per calendar weekday from the epoch, a
// mean-reverting log walk around a reference curve drawn through the levels
// of domain/REFERENCE.md §2, with the light products (Pr, Nd, PrNd) and the
// heavy ones (Dy, Tb) each sharing a common factor. Today's price moves every
// 2 seconds from the previous price towards today's.

const (
	elemKappa = 0.08
	elemSlots = 240 // segments of the live day's path
)

type product struct {
	id    model.ElementID
	curve curve
	sigma float64
	group int64 // 0 La/Ce, 1 light (Pr/Nd), 2 heavy (Dy/Tb)
	beta  float64
	base  uint64
}

var productTable = []product{
	{id: model.LaOxide, sigma: 0.006, beta: 0.3,
		curve: newCurve(anchor{"2025-01-02", 3900}, anchor{"2025-08-15", 4300}, anchor{"2026-01-16", 4000})},
	{id: model.CeOxide, sigma: 0.006, beta: 0.3,
		curve: newCurve(anchor{"2025-01-02", 7800}, anchor{"2025-08-15", 8600}, anchor{"2026-01-16", 8000})},
	{id: model.PrOxide, sigma: 0.007, group: 1, beta: 0.8,
		curve: newCurve(anchor{"2025-01-02", 455000}, anchor{"2025-08-15", 560000}, anchor{"2025-11-01", 515000}, anchor{"2026-01-16", 550000})},
	{id: model.NdOxide, sigma: 0.007, group: 1, beta: 0.8,
		curve: newCurve(anchor{"2025-01-02", 440000}, anchor{"2025-08-15", 560000}, anchor{"2025-11-01", 500000}, anchor{"2026-01-16", 530000})},
	{id: model.PrNdOxide, sigma: 0.007, group: 1, beta: 0.85,
		curve: newCurve(anchor{"2025-01-02", 450000}, anchor{"2025-08-15", 600000}, anchor{"2025-11-01", 560000}, anchor{"2026-01-16", 682500})},
	{id: model.PrNdMetal, sigma: 0.007, group: 1, beta: 0.85,
		curve: newCurve(anchor{"2025-01-02", 550000}, anchor{"2025-08-15", 735000}, anchor{"2025-11-01", 685000}, anchor{"2026-01-16", 822500})},
	{id: model.NdMetal, sigma: 0.007, group: 1, beta: 0.8,
		curve: newCurve(anchor{"2025-01-02", 550000}, anchor{"2025-08-15", 680000}, anchor{"2025-11-01", 610000}, anchor{"2026-01-16", 640000})},
	{id: model.PrMetal, sigma: 0.007, group: 1, beta: 0.8,
		curve: newCurve(anchor{"2025-01-02", 560000}, anchor{"2025-08-15", 670000}, anchor{"2026-01-16", 620000})},
	{id: model.DyOxide, sigma: 0.008, group: 2, beta: 0.7,
		curve: newCurve(anchor{"2025-01-02", 1650000}, anchor{"2025-08-15", 1600000}, anchor{"2026-01-29", 1410000})},
	{id: model.DyMetal, sigma: 0.008, group: 2, beta: 0.7,
		curve: newCurve(anchor{"2025-01-02", 2050000}, anchor{"2025-08-15", 2010000}, anchor{"2026-01-29", 1975000})},
	{id: model.TbOxide, sigma: 0.009, group: 2, beta: 0.7,
		curve: newCurve(anchor{"2025-01-02", 5900000}, anchor{"2025-08-15", 7100000}, anchor{"2025-11-01", 6700000}, anchor{"2026-01-29", 6400000})},
	{id: model.TbMetal, sigma: 0.009, group: 2, beta: 0.7,
		curve: newCurve(anchor{"2025-01-02", 7300000}, anchor{"2025-08-15", 8800000}, anchor{"2025-11-01", 8400000}, anchor{"2026-01-29", 7800000})},
}

// roundElem rounds a price as the demo quotes it: to 1 yuan under 100,000
// 元/吨, to 10 yuan above.
func roundElem(v float64) float64 {
	if v < 100000 {
		return math.Round(v)
	}
	return math.Round(v/10) * 10
}

func (m *Market) elemStep(p *product, dn int64, x float64) float64 {
	f := norm(hash(m.factor, sFactor, dn, 100+p.group))
	eps := p.beta*f + math.Sqrt(1-p.beta*p.beta)*norm(hash(p.base, sClose, dn, 0))
	return x + elemKappa*(p.curve.at(dn)-x) + p.sigma*eps
}

func (m *Market) elemPrice(p *product, day time.Time, price float64) model.ElementPrice {
	return model.ElementPrice{
		Element: p.id, Date: day, Price: price,
		Low: roundElem(price * 0.995), High: roundElem(price * 1.005),
		Source: SourceName, OrigUnit: "元/吨",
	}
}

// elemSeries caches a product's weekday prices through day number
// `through`: the day numbers and the walk's state on each, from which
// elemPrice rebuilds a price (12 bytes a day where a model.ElementPrice
// takes 96).
type elemSeries struct {
	dns     []int32
	logs    []float64 // the walk's state on each price's day
	through int64
	init    float64 // the state before the epoch
}

// price is the series' i-th price.
func (s *elemSeries) price(m *Market, p *product, i int) model.ElementPrice {
	return m.elemPrice(p, dayTime(int64(s.dns[i])), roundElem(math.Exp(s.logs[i])))
}

// before returns the number of prices dated before t.
func (s *elemSeries) before(t time.Time) int {
	return sort.Search(len(s.dns), func(i int) bool { return !dayTime(int64(s.dns[i])).Before(t) })
}

func (m *Market) elemHistory(p *product, upTo int64) *elemSeries {
	s := m.elems[p.id]
	if s == nil {
		x := p.curve.at(-1) + 0.01*norm(hash(p.base, sInit, 0, 0))
		s = &elemSeries{through: -1, init: x}
		m.elems[p.id] = s
	}
	for dn := s.through + 1; dn <= upTo; dn++ {
		if wd := dayTime(dn).Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		x := s.init
		if n := len(s.logs); n > 0 {
			x = s.logs[n-1]
		}
		x = m.elemStep(p, dn, x)
		s.logs = append(s.logs, x)
		s.dns = append(s.dns, int32(dn))
	}
	s.dns, s.logs = slices.Clip(s.dns), slices.Clip(s.logs) // kept for the run
	s.through = max(s.through, upTo)
	return s
}

// elemPlan is a product's live day: the log path at elemSlots+1 points.
type elemPlan struct {
	day time.Time
	dn  int64
	p   []float64
}

func (m *Market) elemLive(p *product, today time.Time) *elemPlan {
	if ep := m.eplans[p.id]; ep != nil && ep.day.Equal(today) {
		return ep
	}
	dn := dayNum(today)
	s := m.elemHistory(p, dn-1)
	i := s.before(today)
	x0 := s.init
	if i > 0 {
		x0 = s.logs[i-1]
	}
	x1 := m.elemStep(p, dn, x0)
	ep := &elemPlan{day: today, dn: dn, p: make([]float64, elemSlots+1)}
	w := make([]float64, elemSlots+1)
	for k := 1; k <= elemSlots; k++ {
		w[k] = w[k-1] + norm(hash(p.base, sPath, dn, int64(k)))/math.Sqrt(elemSlots)
	}
	for k := range ep.p {
		t := float64(k) / elemSlots
		ep.p[k] = x0 + t*(x1-x0) + 0.5*p.sigma*(w[k]-t*w[elemSlots])
	}
	m.eplans[p.id] = ep
	return ep
}

// elemNow is the product's live price at now; on the day's last slot it is
// exactly the price the day will keep in the history.
func (m *Market) elemNow(p *product, now time.Time) model.ElementPrice {
	today := model.Day(now)
	ep := m.elemLive(p, today)
	slot := min(max(int((now.Unix()-today.Unix())/2), 0), ticksPerDay-1)
	per := ticksPerDay / elemSlots
	k, i := slot/per, slot%per
	f := float64(i+1) / float64(per)
	lv := ep.p[k] + f*(ep.p[k+1]-ep.p[k])
	if slot < ticksPerDay-1 {
		lv += 0.00015 * norm(hash(p.base, sElemJitter, ep.dn, int64(slot)))
	}
	return m.elemPrice(p, today, roundElem(math.Exp(lv)))
}

// Elements returns every product's daily prices from the epoch to today,
// product by product in catalogue order, oldest first; today's price is
// live, whatever the day of the week.
func (m *Market) Elements(ctx context.Context) ([]model.ElementPrice, error) {
	return m.ElementsSince(ctx, time.Time{})
}

// ElementsSince is Elements without the prices dated before since's day.
func (m *Market) ElementsSince(ctx context.Context, since time.Time) ([]model.ElementPrice, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := m.now()
	today := model.Day(now)
	from := time.Time{}
	if !since.IsZero() {
		from = model.Day(since)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []model.ElementPrice
	for _, p := range m.products {
		s := m.elemHistory(p, dayNum(today)-1)
		i := s.before(today)
		lo := min(s.before(from), i)
		if out == nil {
			out = make([]model.ElementPrice, 0, len(m.products)*(i-lo+1))
		}
		for j := lo; j < i; j++ {
			out = append(out, s.price(m, p, j))
		}
		if !today.Before(epoch) && !today.Before(from) {
			out = append(out, m.elemNow(p, now))
		}
	}
	return out, nil
}
