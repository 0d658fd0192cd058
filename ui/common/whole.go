package common

import (
	"slices"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Whole is the whole market beyond the watchlist: the symbol universe and
// its search index, the limit-up ladder on show, and the sector's names.
type Whole struct {
	Universe  model.Universe
	Index     *model.SymbolIndex // over the universe; nil until one arrives
	byCode    map[string]model.Symbol
	Ladder    model.Ladder
	HasLadder bool
	Sector    []string  // the sector's codes (config, or the board's constituents); empty: the watchlist
	SectorDay time.Time // when the constituents were fetched (zero: configured)
	WatchCols []string  // the watchlist's columns by id (empty: the default set)
	ETFs      []string  // the ETFs whose flows the sector panel shows (besides the watchlist's)
	Flows     map[string]model.ETFFlow
}

// SetFlows merges refreshed ETF flows.
func (m *Market) SetFlows(fs map[string]model.ETFFlow) {
	if m.Whole.Flows == nil {
		m.Whole.Flows = map[string]model.ETFFlow{}
	}
	for k, f := range fs {
		m.Whole.Flows[k] = f
	}
}

// FlowETFs are the ETFs of the sector panel: the configured ones, then the
// watchlist's, each once.
func (m *Market) FlowETFs() []string {
	out := append([]string(nil), m.Whole.ETFs...)
	for _, s := range m.Watch {
		if s.IsETF() && !slices.Contains(out, s.Code) {
			out = append(out, s.Code)
		}
	}
	return out
}

// SetUniverse installs a universe and its index (built off the UI
// goroutine: ~7,000 names take a few tens of ms).
func (m *Market) SetUniverse(u model.Universe, ix *model.SymbolIndex) {
	m.Whole.Universe, m.Whole.Index = u, ix
	m.Whole.byCode = make(map[string]model.Symbol, len(u.Symbols))
	for _, s := range u.Symbols {
		m.Whole.byCode[s.Code] = s
	}
	m.Recompute(model.Changes{Margin: true})
}

// SetLadder installs the ladder on show.
func (m *Market) SetLadder(l model.Ladder) {
	m.Whole.Ladder, m.Whole.HasLadder = l, true
}

// ReplaceLadder shows the ladder read as of the offline cursor (nil: none
// cached as of then).
func (m *Market) ReplaceLadder(l *model.Ladder) {
	if l == nil {
		m.Whole.Ladder, m.Whole.HasLadder = model.Ladder{}, false
		return
	}
	m.SetLadder(*l)
}

// SetSector sets the sector's codes and recomputes the margin figures.
func (m *Market) SetSector(codes []string, day time.Time) {
	m.Whole.Sector, m.Whole.SectorDay = append([]string(nil), codes...), day
	m.Recompute(model.Changes{Margin: true})
}

// InSector reports whether code is one of the sector's names (the
// watchlist's when no sector list is known).
func (m *Market) InSector(code string) bool {
	if len(m.Whole.Sector) > 0 {
		return slices.Contains(m.Whole.Sector, code)
	}
	return m.InWatchlist(code)
}

// sectorSymbols are the names the margin figures sum: the sector's, else
// the watchlist's A-share stocks.
func (m *Market) sectorSymbols() []model.Symbol {
	var out []model.Symbol
	if len(m.Whole.Sector) > 0 {
		for _, c := range m.Whole.Sector {
			if s, ok := m.Symbol(c); ok && s.Market.IsA() && !s.IsETF() {
				out = append(out, m.Enrich(s))
			}
		}
		return out
	}
	for _, s := range m.Watch {
		if s.Market.IsA() && !s.IsETF() {
			out = append(out, s)
		}
	}
	return out
}

// universeSymbol finds a code in the universe.
func (m *Market) universeSymbol(code string) (model.Symbol, bool) {
	s, ok := m.Whole.byCode[code]
	return s, ok
}
