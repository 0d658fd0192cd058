// Package board is the detail view of one sector board: its move, its
// limit-up constituents and every constituent, sortable.
package board

import (
	"sort"
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

var sorts = []i18n.Text{i18n.WordChange, i18n.SortMainFlow, i18n.SortTurnover}

// Screen is one board's view.
type Screen struct {
	common.Base
	code, from string
	sel        int
	sortBy     int // 0 change, 1 main-force flow, 2 turnover
}

// New opens board code; from is the breadcrumb of where it was opened.
func New(c common.Common, code, from string) *Screen {
	return &Screen{Base: common.NewBase(c), code: code, from: from}
}

// Init does nothing: constituents are in the snapshot.
func (s *Screen) Init() tea.Cmd { return nil }

// Title is the breadcrumb.
func (s *Screen) Title() string {
	name := s.code
	if b, ok := s.C.Market.St.Boards[s.code]; ok && b.Name != "" {
		name += " " + b.Name
	}
	if s.from != "" {
		return s.from + " › " + name
	}
	return name
}

// SortBy is the sort order's index.
func (s *Screen) SortBy() int { return s.sortBy }

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) {
	s.W, s.H = w, h
	s.refresh()
}

// Update moves the selection, sorts and opens a constituent.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	k := s.C.Keys
	switch msg := msg.(type) {
	case common.RefreshMsg:
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Down):
			s.sel++
		case key.Matches(msg, k.Up):
			s.sel--
		case key.Matches(msg, k.Sort):
			s.sortBy = (s.sortBy + 1) % len(sorts)
		case key.Matches(msg, k.Open):
			if qs := s.Members(); s.sel < len(qs) {
				s.C.Push(ticker.New(s.C, qs[s.sel].Symbol, s.code))
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
func (s *Screen) ShortHelp() []key.Binding {
	k := s.C.Keys
	return []key.Binding{k.Down, k.Sort, k.Open, k.Back, k.Help, k.Quit}
}

// FullHelp is the screen's group in the help screen.
func (s *Screen) FullHelp() [][]key.Binding { return FullHelp(s.C.Keys) }

// FullHelp lists every key of a board view.
func FullHelp(k *common.KeyMap) [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Sort, k.Open}}
}

// Export gives the constituents in the order shown.
func (s *Screen) Export() (string, [][]string) {
	f := widgets.CSVNum
	rows := [][]string{{"code", "name", "last", "change_pct", "main_net", "turnover_pct", "amount", "source"}}
	for _, q := range s.Members() {
		rows = append(rows, []string{q.Symbol, q.Name, f(q.Last), f(q.ChangePct()), f(q.MainNet), f(q.TurnoverPct), f(q.Amount), q.Source})
	}
	return "board-" + s.code, rows
}

// Members are the board's constituents in the chosen order.
func (s *Screen) Members() []model.Quote {
	qs := append([]model.Quote(nil), s.C.Market.St.Members[s.code]...)
	val := func(q model.Quote) float64 {
		var v float64
		switch s.sortBy {
		case 1:
			v = q.MainNet
		case 2:
			v = q.TurnoverPct
		default:
			v = q.ChangePct()
		}
		if !model.Known(v) {
			return -1e300
		}
		return v
	}
	sort.SliceStable(qs, func(i, j int) bool { return val(qs[i]) > val(qs[j]) })
	return qs
}

func (s *Screen) refresh() {
	qs := s.Members()
	s.sel = max(0, min(s.sel, len(qs)-1))
	s.Cache = widgets.Box(s.render(qs, s.W, s.H), s.W, s.H)
}

func (s *Screen) render(qs []model.Quote, w, h int) string {
	c, st := s.C, s.C.Styles
	b, ok := s.C.Market.St.Boards[s.code]
	var out []string
	title := s.code
	if ok && b.Name != "" {
		title = s.code + " " + b.Name
	}
	out = append(out, st.Bold.Render(title))
	if ok {
		out = append(out, c.F(i18n.BoardHead, widgets.Thousands(b.Level, 2), st.Move(b.ChangePct).Render(widgets.SignedPct(b.ChangePct, 2)),
			st.Move(b.MainNet).Render(widgets.SignedYi(b.MainNet)), b.Up, b.Down, b.Leader, widgets.SignedPct(b.LeaderPct, 2), st.Dim.Render(b.Time.In(model.CST).Format("15:04:05")+" "+ticker.SourceName(c.Lang, b.Source))))
	}
	var limitUp []string
	for _, q := range qs {
		sym, _ := model.ParseSymbol(q.Symbol)
		sym.Name = q.Name
		if l := sym.LimitPct(); l > 0 && model.Known(q.PrevClose) && model.Known(q.Last) && q.Last >= model.Round2(q.PrevClose*(1+l/100))-0.001 {
			limitUp = append(limitUp, q.Name)
		}
	}
	if len(limitUp) > 0 {
		out = append(out, st.Up.Render(c.F(i18n.BoardLimitUp, strings.Join(limitUp, " "))))
	} else {
		out = append(out, st.Dim.Render(c.T(i18n.BoardNoLimitUp)))
	}
	detail := s.detailLines(w, h)
	out = append(out, detail...)
	// The board's margin financing balance over time, when cached and
	// there is room.
	if days := s.C.Market.St.Sector[s.code]; len(days) >= 2 && h >= 24 && len(detail) == 0 {
		var ts []time.Time
		var bal []float64
		for _, d := range days {
			if model.Known(d.FinBalance) {
				ts = append(ts, d.Date)
				bal = append(bal, d.FinBalance)
			}
		}
		if len(bal) >= 2 {
			out = append(out, st.Dim.Render(c.T(i18n.BoardMarginChart)))
			out = append(out, strings.Split(widgets.LineChart(st, s.C.Lang, ts, widgets.YFormat{Big: true}, w, min(8, h/4), bal), "\n")...)
		}
	}
	out = append(out, st.Dim.Render(c.F(i18n.BoardSorted, sorts[s.sortBy], s.C.Keys.Sort.Help().Key, s.C.Keys.Open.Help().Key)))
	if len(qs) == 0 {
		out = append(out, st.Dim.Render(c.T(i18n.BoardNoMembers)))
		return widgets.Clip(strings.Join(out, "\n"), w, h)
	}
	cols := []widgets.Col{{W: 6}, {W: 8}, {W: 8, Right: true}, {W: 8, Right: true}, {W: 10, Right: true, Prio: 1}, {W: 8, Right: true, Prio: 2}, {W: 9, Right: true, Prio: 3}}
	show := widgets.PickCols(cols, w)
	hdr := widgets.Row(cols, show, []string{c.T(i18n.WordCode), c.T(i18n.WordName), c.T(i18n.WordLast), c.T(i18n.WordChgPct), c.T(i18n.ColMainNet), c.T(i18n.ColTurnover), c.T(i18n.WordAmount)})
	out = append(out, st.Dim.Render(hdr))
	off := widgets.ScrollOff(s.sel, h-len(out))
	for i := off; i < len(qs); i++ {
		q := qs[i]
		plain := []string{q.Symbol, q.Name, widgets.Price(q.Last), widgets.SignedPct(q.ChangePct(), 2), widgets.SignedYi(q.MainNet), widgets.Pct(q.TurnoverPct), widgets.Yi(q.Amount)}
		if i == s.sel {
			out = append(out, st.Selected.Render(widgets.Row(cols, show, plain)))
			continue
		}
		styled := append([]string(nil), plain...)
		styled[3] = st.Move(q.ChangePct()).Render(plain[3])
		styled[4] = st.Move(q.MainNet).Render(plain[4])
		out = append(out, widgets.Row(cols, show, styled))
	}
	return widgets.Clip(strings.Join(out, "\n"), w, h)
}
