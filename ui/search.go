package ui

import (
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/model"
)

// searchState is the `/` overlay: a query, its ranked hits, and whether
// keys go to the query or act on the list (a, d, enter).
type searchState struct {
	active bool
	query  string
	sel    int
	list   bool // tab moves from typing to acting on the results
	hits   []searchHit
}

type searchHit struct {
	sym      model.Symbol
	initials string
	score    int
}

// searchCandidates is every symbol the screen knows: the watchlist, the
// cache's symbol table, quotes, board constituents and the boards.
func (m *Model) searchCandidates() []model.Symbol {
	seen := map[string]bool{}
	var out []model.Symbol
	addSym := func(s model.Symbol) {
		if s.Code == "" || seen[s.Code] {
			return
		}
		seen[s.Code] = true
		out = append(out, s)
	}
	for _, s := range m.watch {
		addSym(m.enrich(s))
	}
	for _, s := range m.st.Symbols {
		addSym(m.enrich(s))
	}
	for code, q := range m.st.Quotes {
		if s, err := model.ParseSymbol(code); err == nil {
			s.Name = q.Name
			addSym(m.enrich(s))
		}
	}
	for _, qs := range m.st.Members {
		for _, q := range qs {
			if s, err := model.ParseSymbol(q.Symbol); err == nil {
				s.Name = q.Name
				addSym(m.enrich(s))
			}
		}
	}
	for code, b := range m.st.Boards {
		addSym(model.Symbol{Code: code, Market: model.MarketBoard, Name: b.Name})
	}
	return out
}

// enrich fills a symbol's names from the cache when it lacks them.
func (m *Model) enrich(s model.Symbol) model.Symbol {
	if k, ok := m.st.Symbols[s.Code]; ok {
		if s.Name == "" {
			s.Name = k.Name
		}
		if s.NameEn == "" {
			s.NameEn = k.NameEn
		}
	}
	if s.Name == "" {
		if q, ok := m.st.Quotes[s.Code]; ok {
			s.Name = q.Name
		}
	}
	return s
}

// matchScore ranks how well q matches target: a prefix beats a substring,
// which beats a subsequence; 0 means no match.
func matchScore(q, target string) int {
	if q == "" || target == "" {
		return 0
	}
	t := strings.ToLower(target)
	switch {
	case t == q:
		return 1000
	case strings.HasPrefix(t, q):
		return 800 - len(t)
	case strings.Contains(t, q):
		return 600 - len(t)
	}
	// Subsequence, scored by how tightly it fits.
	qi, first, last := 0, -1, -1
	qr := []rune(q)
	for i, r := range []rune(t) {
		if qi < len(qr) && r == qr[qi] {
			if first < 0 {
				first = i
			}
			last = i
			qi++
		}
	}
	if qi < len(qr) {
		return 0
	}
	return 400 - (last - first) - first
}

// runSearch ranks every candidate against the query.
func (m *Model) runSearch() {
	s := &m.search
	q := strings.ToLower(strings.TrimSpace(s.query))
	s.hits = s.hits[:0]
	for _, sym := range m.searchCandidates() {
		ini := pinyinInitials(sym.Name)
		h := searchHit{sym: sym, initials: ini}
		if q == "" {
			h.score = 1
		} else {
			h.score = max(matchScore(q, sym.Code), matchScore(q, sym.Name), matchScore(q, sym.NameEn), matchScore(q, ini))
		}
		if h.score > 0 {
			s.hits = append(s.hits, h)
		}
	}
	sort.SliceStable(s.hits, func(i, j int) bool {
		if s.hits[i].score != s.hits[j].score {
			return s.hits[i].score > s.hits[j].score
		}
		return s.hits[i].sym.Code < s.hits[j].sym.Code
	})
	s.sel = max(0, min(s.sel, len(s.hits)-1))
}

func (m *Model) openSearch() {
	m.search = searchState{active: true}
	m.runSearch()
	m.bodyDirty = true
}

func (m *Model) searchKey(msg tea.KeyPressMsg) tea.Cmd {
	s := &m.search
	m.bodyDirty = true
	k := msg.String()
	switch k {
	case "esc":
		s.active = false
		return nil
	case "enter":
		if s.sel < len(s.hits) {
			sym := s.hits[s.sel].sym
			s.active = false
			return m.openSymbol(sym.Code, "Search")
		}
		return nil
	case "up", "ctrl+p":
		s.sel = max(s.sel-1, 0)
		return nil
	case "down", "ctrl+n":
		s.sel = min(s.sel+1, max(len(s.hits)-1, 0))
		return nil
	case "tab":
		s.list = !s.list
		return nil
	}
	if s.list {
		switch k {
		case "j":
			s.sel = min(s.sel+1, max(len(s.hits)-1, 0))
		case "k":
			s.sel = max(s.sel-1, 0)
		case "a":
			if s.sel < len(s.hits) {
				return m.addToWatchlist(s.hits[s.sel].sym.Code)
			}
		case "d":
			if s.sel < len(s.hits) {
				return m.removeFromWatchlist(s.hits[s.sel].sym.Code)
			}
		case "/":
			s.list = false
		}
		return nil
	}
	switch {
	case k == "backspace":
		if r := []rune(s.query); len(r) > 0 {
			s.query = string(r[:len(r)-1])
		}
	case k == "ctrl+u":
		s.query = ""
	case typed(msg) != "":
		s.query += typed(msg)
	default:
		return nil
	}
	s.sel = 0
	m.runSearch()
	return nil
}

// openSymbol opens the right view for a code: a board or a ticker.
func (m *Model) openSymbol(code, from string) tea.Cmd {
	sym, err := model.ParseSymbol(code)
	if err == nil && sym.Market == model.MarketBoard {
		m.push(screen{kind: screenBoard, symbol: sym.Code, from: from})
		return nil
	}
	return m.openTicker(code, from)
}

func (m *Model) inWatchlist(code string) bool {
	for _, s := range m.watch {
		if s.Code == code {
			return true
		}
	}
	return false
}

// searchView draws the overlay in place of the body.
func (m *Model) searchView(w, h int) string {
	s := &m.search
	var out []string
	cursor := "█"
	mode := "type to search by code, name, English name or pinyin initials (bfxt) · ↑↓ select · enter open · tab: act on the list (a add, d remove) · esc close"
	if s.list {
		cursor = ""
		mode = "j/k select · enter open · a add to the watchlist · d remove · / or tab back to the query · esc close"
	}
	out = append(out, m.styles.Bold.Render("Search ")+"/ "+s.query+cursor)
	out = append(out, m.styles.Dim.Render(mode), "")
	if len(s.hits) == 0 {
		out = append(out, m.styles.Dim.Render("no symbol matches "+fmt.Sprintf("%q", s.query)))
		return clip(strings.Join(out, "\n"), w, h)
	}
	room := max(h-len(out), 1)
	off := 0
	if s.sel >= room {
		off = s.sel - room + 1
	}
	for i := off; i < len(s.hits) && i < off+room; i++ {
		hit := s.hits[i]
		mark := " "
		if m.inWatchlist(hit.sym.Code) {
			mark = "★"
		}
		mkt := hit.sym.Market.String()
		if hit.sym.IsETF() {
			mkt = "ETF"
		}
		l := fmt.Sprintf("%s %s %s %s %s %s", mark, fit(hit.sym.Code, 7), fit(hit.sym.Name, 14), fit(mkt, 5), fit(hit.initials, 8), hit.sym.NameEn)
		if i == s.sel {
			l = m.styles.Selected.Render(fit(l, w))
		}
		out = append(out, l)
	}
	return clip(strings.Join(out, "\n"), w, h)
}
