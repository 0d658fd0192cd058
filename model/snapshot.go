package model

import (
	"sort"
	"time"
)

// Snapshot is the market as of one moment: what every panel draws. The store
// builds one from the database (latest, or as of a past date); the screen
// keeps one in memory and applies each poll's batch to it.
type Snapshot struct {
	AsOf     time.Time // zero for "now"
	Quotes   map[string]Quote
	Daily    map[string][]Bar // daily bars, oldest first, per symbol
	Elements map[ElementID]Series
	Contract []ContractQuarter // oldest first
	// Concentrates are the concentrate-price notices read (their text
	// left out), oldest quarter first.
	Concentrates []ConcentrateNotice
	Margin       map[string][]MarginDay // per stock, oldest first (recent days)
	Sector       map[string][]MarginDay // per board, oldest first
	Boards       map[string]BoardMove   // latest per board
	Members      map[string][]Quote     // board constituents
	Symbols      map[string]Symbol
	IndexEras    []IndexEra
}

// NewSnapshot returns an empty snapshot with its maps made.
func NewSnapshot() Snapshot {
	return Snapshot{
		Quotes:   map[string]Quote{},
		Daily:    map[string][]Bar{},
		Elements: map[ElementID]Series{},
		Margin:   map[string][]MarginDay{},
		Sector:   map[string][]MarginDay{},
		Boards:   map[string]BoardMove{},
		Members:  map[string][]Quote{},
		Symbols:  map[string]Symbol{},
	}
}

// Apply merges a batch into the snapshot: newer quotes and board moves
// replace older ones, dated series merge by date (a value for an existing
// date replaces it), contract quarters merge by quarter. It reports which
// parts changed so derived figures are recomputed only when needed.
func (s *Snapshot) Apply(b Batch) (changed Changes) {
	for _, q := range b.Quotes {
		if old, ok := s.Quotes[q.Symbol]; ok && q.Time.Before(old.Time) {
			continue
		}
		s.Quotes[q.Symbol] = q
		changed.Quotes = true
	}
	for _, bar := range b.Bars {
		if bar.Interval != Daily {
			continue
		}
		s.Daily[bar.Symbol] = mergeDated(s.Daily[bar.Symbol], bar, func(x Bar) time.Time { return x.Time })
		changed.Bars = true
	}
	for _, e := range b.Elements {
		if e.Source != ManualSource && manualOn(s.Elements[e.Element], e.Date) {
			continue // a price typed by hand stands (as in the store)
		}
		s.Elements[e.Element] = mergeDated(s.Elements[e.Element], e, func(x ElementPrice) time.Time { return x.Date })
		changed.Elements = true
	}
	for _, m := range b.Margin {
		target := s.Margin
		if sym, err := ParseSymbol(m.Symbol); err == nil && sym.Market == MarketBoard {
			target = s.Sector
		}
		target[m.Symbol] = mergeDated(target[m.Symbol], m, func(x MarginDay) time.Time { return x.Date })
		changed.Margin = true
	}
	for _, bm := range b.Boards {
		if old, ok := s.Boards[bm.Code]; ok && bm.Time.Before(old.Time) {
			continue
		}
		s.Boards[bm.Code] = bm
		changed.Boards = true
	}
	for code, qs := range b.Members {
		s.Members[code] = qs
		changed.Boards = true
	}
	for _, c := range b.Contract {
		replaced := false
		for i := range s.Contract {
			if s.Contract[i].Quarter == c.Quarter {
				s.Contract[i], replaced = c, true
			}
		}
		if !replaced {
			s.Contract = append(s.Contract, c)
			SortQuarters(s.Contract)
		}
		changed.Contract = true
	}
	for _, c := range b.Concentrates {
		c.Text = ""
		replaced := false
		for i := range s.Concentrates {
			if s.Concentrates[i].Notice.ID == c.Notice.ID {
				s.Concentrates[i], replaced = c, true
			}
		}
		if !replaced {
			s.Concentrates = append(s.Concentrates, c)
		}
		changed.Contract = true
	}
	for _, sym := range b.Symbols {
		old := s.Symbols[sym.Code]
		if sym.Name == "" {
			sym.Name = old.Name
		}
		if sym.NameEn == "" {
			sym.NameEn = old.NameEn
		}
		s.Symbols[sym.Code] = sym
	}
	return changed
}

// Changes says which parts of a snapshot a batch touched.
type Changes struct {
	Quotes, Bars, Elements, Margin, Boards, Contract bool
}

// Any reports whether anything changed.
func (c Changes) Any() bool {
	return c.Quotes || c.Bars || c.Elements || c.Margin || c.Boards || c.Contract
}

// mergeDated inserts v into a series sorted by date, replacing a value with
// the same date. Appending at the end (the usual case) is O(1).
func mergeDated[T any](s []T, v T, at func(T) time.Time) []T {
	t := at(v)
	n := len(s)
	if n == 0 || at(s[n-1]).Before(t) {
		return append(s, v)
	}
	i := sort.Search(n, func(i int) bool { return !at(s[i]).Before(t) })
	if i < n && at(s[i]).Equal(t) {
		s[i] = v
		return s
	}
	s = append(s, v)
	copy(s[i+1:], s[i:])
	s[i] = v
	return s
}

// manualOn reports whether the series holds a manual price on day d.
func manualOn(s Series, d time.Time) bool {
	i := sort.Search(len(s), func(i int) bool { return !s[i].Date.Before(d) })
	return i < len(s) && s[i].Date.Equal(d) && s[i].Source == ManualSource
}
