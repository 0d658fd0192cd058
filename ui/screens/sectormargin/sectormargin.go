// Package sectormargin is the sector's margin financing name by name: each
// name's financing balance on the year's first trading day and now, highest
// change first, with the names over 20% and 10% marked, as the reports
// count them.
package sectormargin

import (
	"strings"
	"time"

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

// Screen is the view.
type Screen struct {
	common.Base
	keys KeyMap
	from string
	sel  int
}

// New opens the view; from is the breadcrumb of where it was opened.
func New(c common.Common, from string) *Screen {
	return &Screen{Base: common.NewBase(c), keys: Keys(c.Keys), from: from}
}

// Init does nothing.
func (s *Screen) Init() tea.Cmd { return nil }

// Title is the breadcrumb.
func (s *Screen) Title() string {
	if s.from != "" {
		return s.from + " › " + s.C.T(i18n.SectorMargin)
	}
	return s.C.T(i18n.SectorMargin)
}

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) {
	s.W, s.H = w, h
	s.refresh()
}

// Names are the names with a base, highest change first.
func (s *Screen) Names() []model.NameGrowth { return s.C.Market.Derived.Sector.Growth }

// Update moves the selection and opens a name.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	k := s.keys
	switch msg := msg.(type) {
	case common.RefreshMsg:
	case tea.KeyPressMsg:
		switch {
		case k.Select(msg, &s.sel, len(s.Names())):
		case key.Matches(msg, k.Open):
			if ns := s.Names(); s.sel < len(ns) {
				s.C.Push(ticker.New(s.C, ns[s.sel].Code, s.C.T(i18n.SectorMargin)))
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

// FullHelp lists every key of the view.
func FullHelp(c *common.KeyMap) [][]key.Binding {
	return Keys(c).FullHelp()
}

// Export gives every name with its base and latest balance.
func (s *Screen) Export() (string, [][]string) {
	f := widgets.CSVNum
	sm := s.C.Market.Derived.Sector
	rows := [][]string{{"code", "name", "base_date", "base_balance", "date", "balance", "change_pct"}}
	for _, g := range s.Names() {
		rows = append(rows, []string{g.Code, g.Name, sm.YearDay.Format("2006-01-02"), f(g.Base), sm.Date.Format("2006-01-02"), f(g.Last), f(g.Pct)})
	}
	return "sector-margin", rows
}

func (s *Screen) refresh() {
	s.sel = max(0, min(s.sel, len(s.Names())-1))
	s.Cache = widgets.Box(s.render(s.W, s.H), s.W, s.H)
}

// Of says, in l, whose names the figures sum.
func Of(l i18n.Lang, mk *common.Market) string {
	switch {
	case len(mk.Whole.Sector) > 0 && mk.Whole.SectorDay.IsZero():
		return i18n.SectorOfConfig.F(l, len(mk.Whole.Sector))
	case len(mk.Whole.Sector) > 0:
		return i18n.SectorOf.F(l, len(mk.Whole.Sector), mk.Whole.SectorDay.Format("2006-01-02"))
	}
	return i18n.SectorOfWatch.In(l)
}

// boardHistory is the first sector-panel board whose margin totals the
// feed gives day by day: its name and financing balance series (亿元).
func boardHistory(mk *common.Market) (string, []model.MarginDay) {
	for _, code := range mk.Boards {
		if days := mk.St.Sector[code]; len(days) >= 2 {
			name := days[len(days)-1].Name
			if b, ok := mk.St.Boards[code]; ok && b.Name != "" {
				name = b.Name
			}
			return code + " " + name, days
		}
	}
	return "", nil
}

func (s *Screen) render(w, h int) string {
	st, mk := s.C.Styles, s.C.Market
	sm := mk.Derived.Sector
	c := s.C
	out := []string{st.Bold.Render(c.T(i18n.SectorMargin) + " · " + Of(c.Lang, mk))}
	if name, days := boardHistory(mk); len(days) >= 2 && h >= 16 {
		pts := make([]float64, len(days))
		ts := make([]time.Time, len(days))
		for i, d := range days {
			pts[i], ts[i] = d.FinBalance, d.Date
		}
		last := days[len(days)-1]
		out = append(out, st.Dim.Render(c.F(i18n.BoardMargin, name, days[0].Date.Format("01-02"), last.Date.Format("01-02"), widgets.YiPlain(last.FinBalance))))
		out = append(out, strings.Split(widgets.LineChart(st, s.C.Lang, ts, widgets.YFormat{Big: true}, w, min(6, h/4), pts), "\n")...)
	}
	if sm.Names == 0 {
		out = append(out, st.Dim.Render(c.T(i18n.SectorNone)))
		return widgets.Clip(strings.Join(out, "\n"), w, h)
	}
	day := widgets.Dash
	if sm.HasDay {
		day = widgets.SignedYi(sm.DayDelta)
	}
	out = append(out, c.F(i18n.SectorHead, sm.Names, widgets.Yi(sm.Total), day)+"  "+st.Dim.Render(sm.Date.Format("2006-01-02")))
	ytd := c.F(i18n.SectorYTD, sm.YearDay.Format("01-02"), widgets.SignedPct(sm.YTDPct(), 1), len(sm.Over10), len(sm.Over20))
	out = append(out, st.Move(sm.YTDPct()).Render(ytd))
	if sm.NoBase > 0 {
		out = append(out, st.Dim.Render(c.F(i18n.SectorNoBase, sm.NoBase, sm.YearDay.Format("01-02"))))
	}
	cols := []widgets.Col{widgets.NewCol(3, false, 0, false), widgets.NewCol(6, false, 0, false), widgets.NewCol(8, false, 0, false),
		widgets.NewCol(9, true, 1, false), widgets.NewCol(9, true, 0, false), widgets.NewCol(8, true, 0, false)}
	show := widgets.PickCols(cols, w)
	hdr := strings.Split(c.F(i18n.SectorCols, sm.YearDay.Format("01-02")), "|")
	out = append(out, st.Dim.Render(widgets.Row(cols, show, append([]string{""}, hdr...))))
	ns := s.Names()
	room := max(h-len(out), 1)
	off := widgets.ScrollOff(s.sel, room)
	for i := off; i < len(ns) && i < off+room; i++ {
		g := ns[i]
		mark := ""
		switch {
		case g.Pct > 20:
			mark = ">20"
		case g.Pct > 10:
			mark = ">10"
		}
		plain := []string{mark, g.Code, g.Name, widgets.Yi(g.Base), widgets.Yi(g.Last), widgets.SignedPct(g.Pct, 1)}
		if i == s.sel {
			out = append(out, st.Selected.Render(widgets.Row(cols, show, plain)))
			continue
		}
		styled := append([]string(nil), plain...)
		styled[0] = st.Up.Render(mark)
		styled[5] = st.Move(g.Pct).Render(plain[5])
		out = append(out, widgets.Row(cols, show, styled))
	}
	return widgets.Clip(strings.Join(out, "\n"), w, h)
}
