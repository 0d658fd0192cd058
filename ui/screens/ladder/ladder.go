// Package ladder is the limit-up ladder (涨停 / 连板): the day's
// limit-up stocks grouped by height, highest first, each with its first and
// last seal time, the times its seal broke (炸板), its board and the money
// sealed at the limit; the sector's names are marked.
package ladder

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/ticker"
	"github.com/rareterm/rareterm/ui/widgets"
)

// KeyMap is the view's keys: a list's.
type KeyMap = common.ListKeys

// Keys builds the view's keys from the shared map (remapping follows).
func Keys(k *common.KeyMap) KeyMap { return k.List() }

// Screen is the ladder view.
type Screen struct {
	common.Base
	keys KeyMap
	from string
	sel  int // index into Stocks()
}

// New opens the ladder; from is the breadcrumb of where it was opened.
func New(c common.Common, from string) *Screen {
	s := &Screen{Base: common.NewBase(c), keys: Keys(c.Keys), from: from}
	return s
}

// Init does nothing: the ladder arrives from the market poller.
func (s *Screen) Init() tea.Cmd { return nil }

// Title is the breadcrumb.
func (s *Screen) Title() string {
	if s.from != "" {
		return s.from + " › " + s.C.T(i18n.LadderScreen)
	}
	return s.C.T(i18n.LadderScreen)
}

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) {
	s.W, s.H = w, h
	s.refresh()
}

// Stocks is every stock of the ladder in the order shown.
func (s *Screen) Stocks() []model.LimitUp {
	var out []model.LimitUp
	for _, r := range s.C.Market.Whole.Ladder.Rungs() {
		out = append(out, r.Rows...)
	}
	return out
}

// Selected is the selected stock's index.
func (s *Screen) Selected() int { return s.sel }

// Update moves the selection and opens a stock.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	k := s.keys
	switch msg := msg.(type) {
	case common.RefreshMsg:
	case tea.KeyPressMsg:
		n := len(s.Stocks())
		switch {
		case k.Select(msg, &s.sel, n):
		case key.Matches(msg, k.Open):
			if st := s.Stocks(); s.sel < len(st) {
				s.C.Push(ticker.New(s.C, st[s.sel].Code, s.C.T(i18n.LadderScreen)))
			}
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
func (s *Screen) ShortHelp() []key.Binding { return s.keys.ShortHelp() }

// FullHelp is the screen's group in the help screen.
func (s *Screen) FullHelp() [][]key.Binding { return FullHelp(s.C.Keys) }

// FullHelp lists every key of the ladder.
func FullHelp(c *common.KeyMap) [][]key.Binding {
	return Keys(c).FullHelp()
}

// Export gives the ladder in the order shown.
func (s *Screen) Export() (string, [][]string) {
	f := widgets.CSVNum
	rows := [][]string{{"day", "height", "code", "name", "first", "last", "breaks", "board", "sealed", "price", "change_pct", "source"}}
	l := s.C.Market.Whole.Ladder
	for _, r := range s.Stocks() {
		rows = append(rows, []string{l.Day.Format("2006-01-02"), fmt.Sprint(r.Height), r.Code, r.Name, clock(r.First), clock(r.Last),
			fmt.Sprint(r.Breaks), r.Board, f(r.Sealed), f(r.Price), f(r.ChangePct), l.Source})
	}
	return "ladder-" + l.Day.Format("20060102"), rows
}

func clock(t interface{ Format(string) string }) string { return t.Format("15:04:05") }

func (s *Screen) refresh() {
	n := len(s.Stocks())
	s.sel = max(0, min(s.sel, n-1))
	s.Cache = widgets.Box(s.render(s.W, s.H), s.W, s.H)
}

// SectorMark marks the sector's names in the ladder.
const SectorMark = "★"

// DayNote says, in l, which day the ladder is of when that is not the
// latest session ("no pool for 01-12 yet: showing 01-09"), else "".
func DayNote(l i18n.Lang, mk *common.Market) string {
	ld := mk.Whole.Ladder
	if ld.Day.IsZero() {
		return ""
	}
	latest := model.LastSessionDay(model.ExchangeA, mk.RefTime())
	if mk.Offline || !ld.Day.Before(latest) {
		return ""
	}
	return i18n.LadderAsOf.F(l, latest.Format("01-02"), ld.Day.Format("01-02"))
}

func (s *Screen) render(w, h int) string {
	st, mk := s.C.Styles, s.C.Market
	l := mk.Whole.Ladder
	var out []string
	if !mk.Whole.HasLadder || len(l.Rows) == 0 {
		out = append(out, st.Bold.Render(s.C.T(i18n.LadderScreen)), st.Dim.Render(s.C.T(i18n.LadderNone)))
		return widgets.Clip(strings.Join(out, "\n"), w, h)
	}
	head := s.C.T(i18n.LadderScreen) + "  " + l.Day.Format("2006-01-02") + "  " + s.C.F(i18n.LadderStocks, len(l.Rows))
	out = append(out, st.Bold.Render(head))
	sub := l.Counts() + " · " + s.C.T(i18n.LadderHint)
	if note := DayNote(s.C.Lang, mk); note != "" {
		out = append(out, st.Warn.Render(note))
	}
	out = append(out, st.Dim.Render(sub))
	cols := []widgets.Col{widgets.NewCol(1, false, 0, false), widgets.NewCol(6, false, 0, false), widgets.NewCol(8, false, 0, false),
		widgets.NewCol(8, false, 1, false), widgets.NewCol(8, false, 3, false), widgets.NewCol(4, true, 2, false),
		widgets.NewCol(9, true, 2, false), widgets.NewCol(7, true, 4, false), widgets.NewCol(7, true, 5, false), widgets.NewCol(10, false, 3, true)}
	show := widgets.PickCols(cols, w)
	c := s.C
	hdr := widgets.Row(cols, show, []string{"", c.T(i18n.WordCode), c.T(i18n.WordName), c.T(i18n.LadderFirst), c.T(i18n.LadderLast),
		c.T(i18n.LadderBreaks), c.T(i18n.LadderSealed), c.T(i18n.WordLast), c.T(i18n.WordChgPct), c.T(i18n.WordBoard)})
	out = append(out, st.Dim.Render(hdr))
	// Lines: a rung's label, then its stocks; the selection counts stocks.
	type line struct {
		text  string
		stock int // -1 for a rung label
	}
	var lines []line
	i := 0
	for _, r := range l.Rungs() {
		lines = append(lines, line{st.Bold.Render(fmt.Sprintf("%s (%d)", model.HeightLabel(r.Height), len(r.Rows))), -1})
		for _, u := range r.Rows {
			mark := ""
			if mk.InSector(u.Code) {
				mark = SectorMark
			}
			plain := []string{mark, u.Code, u.Name, clock(u.First), clock(u.Last), fmt.Sprint(u.Breaks), widgets.Yi(u.Sealed),
				widgets.Price(u.Price), widgets.SignedPct(u.ChangePct, 2), u.Board}
			var text string
			if i == s.sel {
				text = st.Selected.Render(widgets.Row(cols, show, plain))
			} else {
				styled := append([]string(nil), plain...)
				if mark != "" {
					styled[0], styled[2] = st.Up.Render(mark), st.Up.Render(u.Name)
				}
				if u.Breaks > 0 {
					styled[5] = st.Warn.Render(plain[5])
				}
				styled[8] = st.Move(u.ChangePct).Render(plain[8])
				text = widgets.Row(cols, show, styled)
			}
			lines = append(lines, line{text, i})
			i++
		}
	}
	room := max(h-len(out), 1)
	selLine := 0
	for k, ln := range lines {
		if ln.stock == s.sel {
			selLine = k
		}
	}
	off := widgets.ScrollOff(selLine, room)
	for k := off; k < len(lines) && k < off+room; k++ {
		out = append(out, lines[k].text)
	}
	return widgets.Clip(strings.Join(out, "\n"), w, h)
}
