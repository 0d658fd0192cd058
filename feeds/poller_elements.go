package feeds

import (
	"math"
	"time"

	"github.com/rareterm/rareterm/model"
)

// elemSeen is what an element source last gave for one element: enough to
// tell a response that repeats its history from one that changes it.
type elemSeen struct {
	older  uint64    // a hash of the prices dated before the newest day
	newest time.Time // the newest day
	last   uint64    // a hash of the newest day's prices
}

// elementWindow tells whether src is asked for a window of its prices, and
// from which day: an ElementWindowSource whose whole history this run has
// read once.
func (p *Poller) elementWindow(src ElementSource) (since time.Time, ok bool) {
	if _, can := src.(ElementWindowSource); !can {
		return time.Time{}, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	since, ok = p.elemSince[src.Name()]
	return since, ok
}

// noteElementWindow moves a windowed source's window to end at the newest
// price it gave (vetted): ElementWindow days before it.
func (p *Poller) noteElementWindow(src ElementSource, es []model.ElementPrice) {
	if _, can := src.(ElementWindowSource); !can || len(es) == 0 {
		return
	}
	var newest time.Time
	for _, e := range es {
		if e.Date.After(newest) {
			newest = e.Date
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.elemSince == nil {
		p.elemSince = map[string]time.Time{}
	}
	if since := model.Day(newest).AddDate(0, 0, -ElementWindow); since.After(p.elemSince[src.Name()]) {
		p.elemSince[src.Name()] = since
	}
}

// newElements keeps, of a source's response, the prices that are not what
// the same source gave last time. A source that answers with its whole
// history (the demo market, a vendor's file) sends it once; after that a
// poll brings the newest day's price when it moved, and an element whose
// older prices changed (a correction, or a new day making yesterday's
// price final) is sent whole again.
func (p *Poller) newElements(src string, es []model.ElementPrice) []model.ElementPrice {
	type acc struct {
		newest        time.Time
		older, latest uint64
	}
	byElem := map[model.ElementID]*acc{}
	for _, e := range es {
		a := byElem[e.Element]
		if a == nil {
			a = &acc{}
			byElem[e.Element] = a
		}
		if e.Date.After(a.newest) {
			a.newest = e.Date
		}
	}
	for _, e := range es {
		a := byElem[e.Element]
		h := priceHash(e)
		if e.Date.Equal(a.newest) {
			a.latest = a.latest*31 + h
		} else {
			a.older = a.older*31 + h
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.elemSeen == nil {
		p.elemSeen = map[string]elemSeen{}
	}
	whole := map[model.ElementID]bool{}
	latest := map[model.ElementID]bool{}
	for id, a := range byElem {
		k := src + "\x00" + string(id)
		was, ok := p.elemSeen[k]
		switch {
		case !ok || was.older != a.older || !was.newest.Equal(a.newest):
			whole[id] = true
		case was.last != a.latest:
			latest[id] = true
		}
		p.elemSeen[k] = elemSeen{older: a.older, newest: a.newest, last: a.latest}
	}
	out := es[:0:0]
	for _, e := range es {
		if whole[e.Element] || (latest[e.Element] && e.Date.Equal(byElem[e.Element].newest)) {
			out = append(out, e)
		}
	}
	return out
}

// priceHash hashes every field of a price (FNV-1a, without allocating: a
// poll hashes every price a source gives).
func priceHash(e model.ElementPrice) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	put := func(v uint64) {
		for i := 0; i < 8; i++ {
			h = (h ^ uint64(byte(v>>(8*i)))) * prime
		}
	}
	str := func(s string) {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * prime
		}
		h = (h ^ 0) * prime
	}
	put(uint64(e.Date.UnixNano()))
	put(math.Float64bits(e.Price))
	put(math.Float64bits(e.Low))
	put(math.Float64bits(e.High))
	str(string(e.Element))
	str(e.Source)
	str(e.OrigUnit)
	return h
}
