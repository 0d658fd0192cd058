// Package dashboard is the first screen: six panels (elements, the local
// index, the watchlist, the contract, margin financing, sector moves) in a
// grid, or one at a time with a tab strip on a small terminal.
package dashboard

import (
	"slices"
	"strings"
	"time"

	"github.com/rareterm/rareterm/i18n"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/contract"
	"github.com/rareterm/rareterm/ui/screens/element"
	"github.com/rareterm/rareterm/ui/screens/etfflow"
	"github.com/rareterm/rareterm/ui/screens/index"
	"github.com/rareterm/rareterm/ui/screens/ladder"
	"github.com/rareterm/rareterm/ui/screens/open"
	"github.com/rareterm/rareterm/ui/screens/sectormargin"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Panel names a dashboard panel.
type Panel int

// The panels, in tab order.
const (
	Elements Panel = iota
	Index
	Watch
	Contract
	Margin
	Sector
	Ladder // the limit-up ladder: a third column where the width allows
	NumPanels
)

// panelNames are the panels' names, as in the tab strip and breadcrumbs.
var panelNames = [NumPanels]i18n.Text{i18n.DashPanelElements, i18n.DashPanelIndex, i18n.DashPanelWatch,
	i18n.DashPanelContract, i18n.DashPanelMargin, i18n.DashPanelSector, i18n.DashPanelLadder}

// PanelNames are the panels' English names (the goldens' file names).
var PanelNames = func() (out [NumPanels]string) {
	for p, t := range panelNames {
		out[p] = t.In(i18n.EN)
	}
	return out
}()

// name is panel p's name in the screen's language.
func (s *Screen) name(p Panel) string { return s.C.T(panelNames[p]) }

// selectable reports whether a panel has rows to select.
func selectable(p Panel) bool { return p != Index }

// rect is a panel's place in the body.
type rect struct{ x, y, w, h int }

// Screen is the dashboard.
type Screen struct {
	common.Base
	focus Panel
	sel   [NumPanels]int
	off   [NumPanels]int
	// Renders counts body renders (the idle screen must not re-render).
	Renders int
	// Framed counts, per panel, the frames drawn anew: a panel whose
	// rows, title, selection and size are those of its last frame reuses
	// that frame (a quote moves the watchlist, not the element prices).
	Framed [NumPanels]int
	frames [NumPanels]framed
	// Computed counts, per panel, the times its rows were worked out.
	Computed [NumPanels]int
	// only, during a refresh for a batch, marks the panels that show what
	// it changed; the others reuse their frames without computing rows.
	only *[NumPanels]bool
	// Charted counts the index charts drawn anew (indexChart).
	Charted int
	chart   chart
}

// chart is the index panel's last chart and what it was drawn from.
type chart struct {
	w, h int
	pts  []float64
	ts   []time.Time
	out  string
}

// framed is a panel's last frame and what it was drawn from.
type framed struct {
	panel widgets.Panel
	w, h  int
	out   string
}

// same reports whether the frame was drawn from panel p at w×h.
func (f *framed) same(p widgets.Panel, w, h int) bool {
	return f.out != "" && f.w == w && f.h == h && f.panel.Title == p.Title && f.panel.Sel == p.Sel &&
		f.panel.Off == p.Off && f.panel.Focused == p.Focused && f.panel.Selectable == p.Selectable &&
		slices.Equal(f.panel.Lines, p.Lines)
}

// New builds the dashboard.
func New(c common.Common) *Screen { return &Screen{Base: common.NewBase(c)} }

// Init does nothing.
func (s *Screen) Init() tea.Cmd { return nil }

// Title is the breadcrumb.
func (s *Screen) Title() string { return s.C.T(i18n.HelpDashboard) }

// Focus is the focused panel.
func (s *Screen) Focus() Panel { return s.focus }

// SetFocus focuses panel p.
func (s *Screen) SetFocus(p Panel) {
	s.focus = p
	s.refresh()
}

// Selected is the row selected in panel p (moved to a row with a key).
func (s *Screen) Selected(p Panel) int { return widgets.KeyedRow(s.Rows(p), s.sel[p], 1) }

// Select selects row i of panel p.
func (s *Screen) Select(p Panel, i int) {
	s.sel[p] = i
	s.refresh()
}

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) {
	s.W, s.H = w, h
	s.refresh()
}

// Update handles the panel keys, the wheel and refreshes.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	k := s.C.Keys
	switch msg := msg.(type) {
	case common.RefreshMsg:
		s.sel[Watch] = min(s.sel[Watch], max(len(s.C.Market.Watch)-1, 0))
		if msg.Batch != nil {
			// Only new data: the panels that do not show it keep their
			// frames (every other change, a key or a resize, redraws all).
			s.only = affected(msg.Batch)
			s.refresh()
			s.only = nil
			return s, nil
		}
	case common.WheelMsg:
		s.wheel(msg)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Next):
			s.focus = s.step(1)
		case key.Matches(msg, k.Prev):
			s.focus = s.step(-1)
		case key.Matches(msg, k.Up):
			s.moveSel(s.focus, -1)
		case key.Matches(msg, k.Down):
			s.moveSel(s.focus, 1)
		case key.Matches(msg, k.PageUp):
			s.moveSel(s.focus, -s.pageRows())
		case key.Matches(msg, k.PageDown):
			s.moveSel(s.focus, s.pageRows())
		case key.Matches(msg, k.Top):
			s.moveSel(s.focus, -1<<20)
		case key.Matches(msg, k.Bottom):
			s.moveSel(s.focus, 1<<20)
		case key.Matches(msg, k.Open):
			s.openSelected()
			return s, nil
		default:
			return s, nil
		}
	default:
		return s, nil
	}
	s.refresh()
	return s, nil
}

// ShortHelp is the footer.
func (s *Screen) ShortHelp() []key.Binding {
	k := s.C.Keys
	return []key.Binding{k.Next, k.Down, k.Open, k.Search, k.Command, k.Health, k.Help, k.Quit}
}

// FullHelp is the screen's group in the help screen.
func (s *Screen) FullHelp() [][]key.Binding { return FullHelp(s.C.Keys) }

// FullHelp lists every key of the dashboard.
func FullHelp(k *common.KeyMap) [][]key.Binding {
	return [][]key.Binding{{k.Next, k.Prev, k.Up, k.Down}, {k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open}}
}

// step is the next shown panel in direction dir from the focused one.
func (s *Screen) step(dir int) Panel {
	rects, _ := layout(s.W, s.H)
	p := s.focus
	for range NumPanels {
		p = (p + NumPanels + Panel(dir)) % NumPanels
		if rects[p].w > 0 {
			return p
		}
	}
	return s.focus
}

// LadderMinWidth is the narrowest body that shows the ladder panel beside
// the grid (narrower grids reach the ladder by :ladder).
const LadderMinWidth = 180

// layout places the panels in the body area. Wide screens get a 2×3 grid,
// and the ladder as a third column from LadderMinWidth; narrow or short
// ones show the focused panel alone, with a tab strip.
func layout(w, h int) (rects [NumPanels]rect, single bool) {
	if w < 70 || h < 14 {
		for i := range rects {
			rects[i] = rect{0, 0, w, h}
		}
		return rects, true
	}
	if w >= LadderMinWidth {
		lw := max(w/5, 34)
		w -= lw
		rects[Ladder] = rect{w, 0, lw, h}
	}
	left := w / 2
	right := w - left
	r1 := max(4, h*30/100)
	r2 := max(4, h*38/100)
	r3 := h - r1 - r2
	rects[Elements] = rect{0, 0, left, r1}
	rects[Index] = rect{left, 0, right, r1}
	rects[Watch] = rect{0, r1, left, r2}
	rects[Contract] = rect{left, r1, right, r2}
	rects[Margin] = rect{0, r1 + r2, left, r3}
	rects[Sector] = rect{left, r1 + r2, right, r3}
	return rects, false
}

// panelRect is where panel p is drawn (single mode leaves a line for tabs).
func (s *Screen) panelRect(p Panel) rect {
	rects, single := layout(s.W, s.H)
	r := rects[p]
	if single {
		r.h--
	}
	return r
}

// Rows are panel p's rows at the current size.
func (s *Screen) Rows(p Panel) []widgets.Line {
	r := s.panelRect(p)
	return s.panelLines(p, max(r.w-2, 1), max(r.h-2, 1))
}

func (s *Screen) pageRows() int { return max(s.panelRect(s.focus).h-3, 1) }

// moveSel moves panel p's selection by n rows and scrolls it into view.
// The selection only rests on rows that open something: summary and header
// lines are stepped over.
func (s *Screen) moveSel(p Panel, n int) {
	if !selectable(p) {
		return
	}
	rows := s.Rows(p)
	if len(rows) == 0 {
		return
	}
	dir := 1
	if n < 0 {
		dir = -1
	}
	sel := widgets.KeyedRow(rows, widgets.KeyedRow(rows, s.sel[p], 1)+n, dir)
	s.sel[p] = sel
	vis := max(s.panelRect(p).h-2, 1)
	if sel < s.off[p] {
		s.off[p] = sel
	}
	if sel >= s.off[p]+vis {
		s.off[p] = sel - vis + 1
	}
	s.off[p] = max(0, min(s.off[p], max(len(rows)-vis, 0)))
}

// wheel scrolls the panel under the pointer (or the focused one).
func (s *Screen) wheel(msg common.WheelMsg) {
	rects, single := layout(s.W, s.H)
	if !single {
		for p := Panel(0); p < NumPanels; p++ {
			r := rects[p]
			if msg.X >= r.x && msg.X < r.x+r.w && msg.Y >= r.y && msg.Y < r.y+r.h {
				s.focus = p
			}
		}
	}
	if msg.Up {
		s.moveSel(s.focus, -1)
	} else {
		s.moveSel(s.focus, 1)
	}
}

// openSelected opens the detail view of the focused panel's selected row.
func (s *Screen) openSelected() {
	p := s.focus
	if p == Index { // the whole panel is one chart: it opens the index view
		s.C.Push(index.New(s.C, s.name(p)))
		return
	}
	rows := s.Rows(p)
	if len(rows) == 0 {
		return
	}
	code := rows[widgets.KeyedRow(rows, s.sel[p], 1)].Key
	if code == "" && p != Contract {
		return
	}
	switch {
	case p == Ladder:
		s.C.Push(ladder.New(s.C, s.name(p)))
		return
	case p == Margin && code == SectorKey:
		s.C.Push(sectormargin.New(s.C, s.name(p)))
		return
	case p == Sector && !strings.HasPrefix(code, "BK"):
		s.C.Push(etfflow.New(s.C, code, s.name(p)))
		return
	}
	switch p {
	case Elements:
		s.C.Push(element.New(s.C, model.ElementID(code), s.name(p)))
	case Contract:
		s.C.Push(contract.New(s.C, code))
	default:
		s.C.Push(open.Symbol(s.C, code, s.name(p)))
	}
}

// refresh renders the body into the cache.
func (s *Screen) refresh() {
	s.Renders++
	s.Cache = s.render(s.W, s.H)
}

func (s *Screen) render(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	rects, single := layout(w, h)
	if single {
		return s.tabStrip(w) + "\n" + s.frame(s.focus, rect{0, 0, w, h - 1})
	}
	var rows []string
	for _, pair := range [][2]Panel{{Elements, Index}, {Watch, Contract}, {Margin, Sector}} {
		a := strings.Split(s.frame(pair[0], rects[pair[0]]), "\n")
		b := strings.Split(s.frame(pair[1], rects[pair[1]]), "\n")
		for i := range a {
			rows = append(rows, a[i]+b[i])
		}
	}
	if r := rects[Ladder]; r.w > 0 {
		col := strings.Split(s.frame(Ladder, r), "\n")
		for i := range rows {
			if i < len(col) {
				rows[i] += col[i]
			}
		}
	}
	return strings.Join(rows, "\n")
}

func (s *Screen) tabStrip(w int) string {
	st := s.C.Styles
	var parts []string
	for p := Panel(0); p < NumPanels; p++ {
		if p == s.focus {
			parts = append(parts, st.TitleFocused.Render("["+s.name(p)+"]"))
		} else {
			parts = append(parts, st.Dim.Render(s.name(p)))
		}
	}
	return widgets.Fit(strings.Join(parts, " "), w)
}

// Frame draws panel p in r (exported for the panel goldens).
func (s *Screen) Frame(p Panel) string { return s.frame(p, s.panelRect(p)) }

// affected are the panels that show what a batch changed.
func affected(b *common.BatchChange) *[NumPanels]bool {
	var a [NumPanels]bool
	a[Elements] = b.Elements
	a[Index] = b.Elements
	a[Watch] = b.Quotes || b.Bars || b.Margin || b.Names || b.Health
	a[Contract] = b.Contract || b.Elements
	a[Margin] = b.Margin || b.Quotes || b.Members || b.Names
	a[Sector] = b.Boards || b.Members || b.Quotes || b.Names
	a[Ladder] = b.Members || b.Names
	return &a
}

func (s *Screen) frame(p Panel, r rect) string {
	if f := &s.frames[p]; s.only != nil && !s.only[p] && f.out != "" && f.w == r.w && f.h == r.h {
		return f.out // the batch changed nothing this panel shows
	}
	iw, ih := max(r.w-2, 1), max(r.h-2, 1)
	s.Computed[p]++
	panel := widgets.Panel{
		Title: s.panelTitle(p, iw), Lines: s.panelLines(p, iw, ih), Sel: s.sel[p], Off: s.off[p],
		Focused: p == s.focus, Selectable: selectable(p),
	}
	f := &s.frames[p]
	if f.same(panel, r.w, r.h) {
		return f.out
	}
	s.Framed[p]++
	*f = framed{panel: panel, w: r.w, h: r.h, out: widgets.Frame(s.C.Styles, panel, r.w, r.h)}
	return f.out
}
