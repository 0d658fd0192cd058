package model

import (
	"sort"
	"strings"
	"time"
)

// Universe is every listed symbol rareterm knows of (A shares of Shanghai,
// Shenzhen and Beijing, Hong Kong main-board shares, listed ETFs), as
// fetched on Day.
type Universe struct {
	Day     time.Time // the trading day of the fetch (midnight CST); zero: never fetched
	Symbols []Symbol
	Source  string
}

// SymbolIndex answers searches over a set of symbols. It is built once per
// set (the universe changes once a day) and read by the search screen on
// every keystroke.
type SymbolIndex struct {
	entries []indexEntry
}

type indexEntry struct {
	sym   Symbol
	code  string // lower-case
	name  string // NormalizeName
	en    string // lower-case
	spell Spelling
}

// SearchHit is one ranked match.
type SearchHit struct {
	Sym      Symbol
	Initials string // the initials of the name's primary reading
	Score    int
}

// NewSymbolIndex builds the index; a code listed twice keeps its first
// entry.
func NewSymbolIndex(syms []Symbol) *SymbolIndex {
	ix := &SymbolIndex{entries: make([]indexEntry, 0, len(syms))}
	seen := make(map[string]bool, len(syms))
	for _, s := range syms {
		if s.Code == "" || seen[s.Code] {
			continue
		}
		seen[s.Code] = true
		ix.entries = append(ix.entries, indexEntry{
			sym: s, code: strings.ToLower(s.Code), name: NormalizeName(s.Name),
			en: strings.ToLower(s.NameEn), spell: Spell(s.Name),
		})
	}
	return ix
}

// Len is the number of symbols indexed.
func (ix *SymbolIndex) Len() int { return len(ix.entries) }

// Scores of a match, best first: an exact code, then a code prefix, then
// the name, its pinyin and its English name.
const (
	scoreCode          = 1000
	scoreName          = 960
	scoreCodePrefix    = 900
	scoreNamePrefix    = 860
	scoreInitials      = 850 // the whole name's initials
	scoreInitialPrefix = 820
	scoreFullPrefix    = 810
	scoreEnPrefix      = 780
	scoreNameContains  = 700
	scoreInitialInside = 660
	scoreFullInside    = 650
	scoreEnContains    = 600
	scoreCodeContains  = 500
	otherReading       = 15 // a reading other than the name's own costs this much
)

// Score ranks how well q (lower-cased, trimmed) matches the entry; 0 is no
// match.
func (e *indexEntry) score(q, qen string, ascii bool) int {
	best := 0
	up := func(s int) {
		if s > best {
			best = s
		}
	}
	switch {
	case e.code == q:
		return scoreCode
	case strings.HasPrefix(e.code, q):
		up(scoreCodePrefix - len(e.code))
	case strings.Contains(e.code, q):
		up(scoreCodeContains - len(e.code))
	}
	if e.name != "" {
		switch {
		case e.name == q:
			return scoreName
		case strings.HasPrefix(e.name, q):
			up(scoreNamePrefix - len(e.name))
		case strings.Contains(e.name, q):
			up(scoreNameContains - len(e.name))
		}
	}
	if e.en != "" {
		switch {
		case strings.HasPrefix(e.en, qen):
			up(scoreEnPrefix - len(e.en)/4)
		case strings.Contains(e.en, qen):
			up(scoreEnContains - len(e.en)/4)
		}
	}
	if !ascii || best >= scoreInitials || allDigits(q) {
		return best // digits are codes: names hold none worth reading as pinyin
	}
	if at, pri := e.spell.MatchInitials(q); at >= 0 {
		s := scoreInitialInside - at
		if at == 0 {
			s = scoreInitialPrefix
			if len(q) == len(e.spell) {
				s = scoreInitials
			}
		}
		if !pri {
			s -= otherReading
		}
		up(s - len(e.spell))
	}
	if len(q) > 1 && best < scoreFullPrefix {
		if at, pri := e.spell.MatchFull(q); at >= 0 {
			s := scoreFullInside - at
			if at == 0 {
				s = scoreFullPrefix
			}
			if !pri {
				s -= otherReading
			}
			up(s - len(e.spell))
		}
	}
	return best
}

// Search returns the symbols matching q, best first, at most limit (all
// when limit ≤ 0). Ties go to the shorter code, then the code's order. An
// empty query matches every symbol.
func (ix *SymbolIndex) Search(q string, limit int) []SearchHit {
	qen := strings.ToLower(strings.TrimSpace(q)) // English keeps its spaces
	q = NormalizeName(qen)
	ascii := isASCIIQuery(q)
	type scored struct {
		i, score int
	}
	var found []scored
	for i := range ix.entries {
		s := 1
		if q != "" {
			s = ix.entries[i].score(q, qen, ascii)
		}
		if s > 0 {
			found = append(found, scored{i, s})
		}
	}
	if limit > 0 && len(found) > 2*limit {
		// Keep the best limit scores (and their ties) before sorting:
		// scores are small whole numbers, so a count finds the cut.
		var count [scoreCode + 1]int
		for _, f := range found {
			count[min(max(f.score, 0), scoreCode)]++
		}
		cut, n := 0, 0
		for sc := scoreCode; sc >= 0; sc-- {
			n += count[sc]
			if n >= limit {
				cut = sc
				break
			}
		}
		kept := found[:0]
		for _, f := range found {
			if f.score >= cut {
				kept = append(kept, f)
			}
		}
		found = kept
	}
	sort.Slice(found, func(a, b int) bool {
		x, y := found[a], found[b]
		if x.score != y.score {
			return x.score > y.score
		}
		cx, cy := ix.entries[x.i].code, ix.entries[y.i].code
		if len(cx) != len(cy) {
			return len(cx) > len(cy) // six-digit A shares before five-digit HK codes
		}
		return cx < cy
	})
	if limit > 0 && len(found) > limit {
		found = found[:limit]
	}
	out := make([]SearchHit, len(found))
	for k, f := range found {
		e := &ix.entries[f.i]
		out[k] = SearchHit{Sym: e.sym, Initials: e.spell.Initials(), Score: f.score}
	}
	return out
}
