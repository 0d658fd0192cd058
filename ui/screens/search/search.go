// Package search is the `/` screen: a query in a text field, matched
// against every listed symbol (the universe) and every symbol the cache
// knows, by code, name, English name, pinyin initials or full pinyin (any
// reading of a polyphone), and the ranked hits to open or add to the
// watchlist.
package search

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/open"
	"github.com/rareterm/rareterm/ui/screens/ticker"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Hit is one ranked match.
type Hit struct {
	Sym      model.Symbol
	Initials string
	score    int
}

// KeyMap is the search screen's own keys (the query field takes the rest).
type KeyMap struct {
	Open, Close, Up, Down, Mode, Add, Remove, ListUp, ListDown key.Binding
}

func keyMap(k *common.KeyMap, l i18n.Lang) KeyMap {
	return KeyMap{
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", i18n.WordOpen.In(l))),
		Close:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", i18n.KeyClose.In(l))),
		Up:       key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", i18n.KeyPrevHit.In(l))),
		Down:     key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", i18n.KeyNextHit.In(l))),
		Mode:     k.SearchList,
		Add:      k.Add,
		Remove:   k.Remove,
		ListUp:   key.NewBinding(key.WithKeys("k"), key.WithHelp("k", i18n.KeyPrevHitList.In(l))),
		ListDown: key.NewBinding(key.WithKeys("j"), key.WithHelp("j", i18n.KeyNextHitList.In(l))),
	}
}

// Screen is the search view.
type Screen struct {
	common.Base
	keys  KeyMap
	input textinput.Model
	hits  []Hit
	sel   int
	list  bool               // tab moves from typing to acting on the results
	local *model.SymbolIndex // the symbols the cache knows, beside the universe
}

// maxHits bounds the hits ranked per keystroke.
const maxHits = 200

// New opens the search with an empty query.
func New(c common.Common) *Screen {
	in := textinput.New()
	in.Prompt = "/ "
	st := in.Styles()
	st.Cursor.Blink = false // a blinking cursor would redraw an idle screen
	in.SetStyles(st)
	in.Focus()
	s := &Screen{Base: common.NewBase(c), keys: keyMap(c.Keys, c.Lang), input: in, local: model.NewSymbolIndex(c.Market.Candidates())}
	s.run()
	return s
}

// Query is the text typed.
func (s *Screen) Query() string { return s.input.Value() }

// SetQuery replaces the query and ranks again.
func (s *Screen) SetQuery(q string) {
	s.input.SetValue(q)
	s.sel = 0
	s.run()
	s.refresh()
}

// Hits are the ranked matches.
func (s *Screen) Hits() []Hit { return s.hits }

// Init does nothing.
func (s *Screen) Init() tea.Cmd { return nil }

// Title is the breadcrumb.
func (s *Screen) Title() string { return s.C.T(i18n.HelpSearch) }

// TakesKey claims every key: the query is typed here.
func (s *Screen) TakesKey(tea.KeyPressMsg) bool { return true }

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) {
	s.W, s.H = w, h
	s.input.SetWidth(max(w-12, 1))
	s.refresh()
}

// Update edits the query, moves through the hits and acts on them.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	cmd := s.update(msg)
	s.refresh()
	return s, cmd
}

func (s *Screen) update(msg tea.Msg) tea.Cmd {
	k := s.keys
	switch msg := msg.(type) {
	case common.RefreshMsg:
		return nil
	case tea.PasteMsg:
		if !s.list {
			return s.edit(tea.PasteMsg{Content: common.Printable(msg.Content)})
		}
		return nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Close):
			s.C.Pop()
			return nil
		case key.Matches(msg, k.Open):
			if s.sel < len(s.hits) {
				s.C.Replace(open.Symbol(s.C, s.hits[s.sel].Sym.Code, s.Title()))
			}
			return nil
		case key.Matches(msg, k.Up):
			s.sel = max(s.sel-1, 0)
			return nil
		case key.Matches(msg, k.Down):
			s.sel = min(s.sel+1, max(len(s.hits)-1, 0))
			return nil
		case key.Matches(msg, k.Mode):
			s.list = !s.list
			return nil
		}
		if s.list {
			switch {
			case key.Matches(msg, k.ListDown):
				s.sel = min(s.sel+1, max(len(s.hits)-1, 0))
			case key.Matches(msg, k.ListUp):
				s.sel = max(s.sel-1, 0)
			case key.Matches(msg, k.Add):
				if s.sel < len(s.hits) {
					s.C.Watch(s.hits[s.sel].Sym.Code, false)
				}
			case key.Matches(msg, k.Remove):
				if s.sel < len(s.hits) {
					s.C.Watch(s.hits[s.sel].Sym.Code, true)
				}
			case msg.String() == "/":
				s.list = false
			}
			return nil
		}
		return s.edit(common.PrintableKey(msg))
	}
	return nil
}

// edit passes a key or paste to the query field and ranks again if the
// query changed.
func (s *Screen) edit(msg tea.Msg) tea.Cmd {
	before := s.input.Value()
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	if s.input.Value() != before {
		s.sel = 0
		s.run()
	}
	return cmd
}

// ShortHelp is the footer.
func (s *Screen) ShortHelp() []key.Binding {
	k := s.keys
	if s.list {
		return []key.Binding{k.ListDown, k.ListUp, k.Open, k.Add, k.Remove, k.Mode, k.Close}
	}
	return []key.Binding{k.Down, k.Up, k.Open, k.Mode, k.Close}
}

// FullHelp is the screen's group in the help screen.
func (s *Screen) FullHelp() [][]key.Binding { return FullHelp(s.C.Keys, s.C.Lang) }

// FullHelp lists every key of the search screen, described in l.
func FullHelp(c *common.KeyMap, l i18n.Lang) [][]key.Binding {
	k := keyMap(c, l)
	return [][]key.Binding{{k.Up, k.Down, k.Open, k.Close}, {k.Mode, k.ListUp, k.ListDown, k.Add, k.Remove}}
}

// run ranks the universe and the cached symbols against the query; an
// empty query lists the cached symbols only.
func (s *Screen) run() {
	q := s.input.Value()
	best := map[string]int{}
	s.hits = s.hits[:0]
	add := func(hs []model.SearchHit) {
		for _, h := range hs {
			if i, ok := best[h.Sym.Code]; ok {
				if h.Score > s.hits[i].score {
					s.hits[i].score = h.Score
				}
				continue
			}
			best[h.Sym.Code] = len(s.hits)
			s.hits = append(s.hits, Hit{Sym: s.C.Market.Enrich(h.Sym), Initials: h.Initials, score: h.Score})
		}
	}
	add(s.local.Search(q, maxHits))
	if ix := s.C.Market.Whole.Index; ix != nil && strings.TrimSpace(q) != "" {
		add(ix.Search(q, maxHits))
	}
	sort.SliceStable(s.hits, func(i, j int) bool {
		a, b := s.hits[i], s.hits[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if len(a.Sym.Code) != len(b.Sym.Code) {
			return len(a.Sym.Code) > len(b.Sym.Code)
		}
		return a.Sym.Code < b.Sym.Code
	})
	if len(s.hits) > maxHits {
		s.hits = s.hits[:maxHits]
	}
	s.sel = max(0, min(s.sel, len(s.hits)-1))
}

func (s *Screen) refresh() { s.Cache = widgets.Box(s.render(s.W, s.H), s.W, s.H) }

func (s *Screen) render(w, h int) string {
	c, st, mk := s.C, s.C.Styles, s.C.Market
	var out []string
	mode := c.F(i18n.SearchHint, widgets.KeyHints(s.ShortHelp()))
	field := s.input.View()
	if s.list {
		mode = widgets.KeyHints(s.ShortHelp())
		field = "/ " + s.input.Value()
	}
	out = append(out, st.Bold.Render(s.Title()+" ")+field)
	uni := s.C.T(i18n.UniverseNone)
	if u := mk.Whole.Universe; len(u.Symbols) > 0 {
		uni = s.C.F(i18n.UniverseOf, len(u.Symbols), u.Day.Format("2006-01-02"))
	}
	out = append(out, st.Dim.Render(mode), st.Dim.Render(uni))
	if len(s.hits) == 0 {
		out = append(out, st.Dim.Render(c.F(i18n.SearchNoMatch, s.input.Value())))
		return widgets.Clip(strings.Join(out, "\n"), w, h)
	}
	room := max(h-len(out), 1)
	off := widgets.ScrollOff(s.sel, room)
	for i := off; i < len(s.hits) && i < off+room; i++ {
		hit := s.hits[i]
		mark := " "
		if mk.InWatchlist(hit.Sym.Code) {
			mark = "★"
		}
		mkt := ticker.Listing(c.Lang, hit.Sym)
		l := fmt.Sprintf("%s %s %s %s %s %s", mark, widgets.Fit(hit.Sym.Code, 7), widgets.Fit(hit.Sym.Name, 14), widgets.Fit(mkt, 5), widgets.Fit(hit.Initials, 8), hit.Sym.NameEn)
		if i == s.sel {
			l = st.Selected.Render(widgets.Fit(l, w))
		}
		out = append(out, l)
	}
	return widgets.Clip(strings.Join(out, "\n"), w, h)
}
