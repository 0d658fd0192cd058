// Package etfflow is an ETF's fund flow as the news reports it: today's net
// inflow, the five-day net, the share count change where a feed gives it,
// and the daily series.
package etfflow

import (
	"fmt"
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

// KeyMap is the view's keys.
type KeyMap struct {
	Up, Down, Open, Back key.Binding
}

// Keys builds the view's keys from the shared map.
func Keys(k *common.KeyMap) KeyMap {
	return KeyMap{Up: k.Up, Down: k.Down, Open: k.Open, Back: k.Back}
}

// Screen is one ETF's flow view.
type Screen struct {
	common.Base
	keys       KeyMap
	code, from string
	off        int // rows scrolled in the daily table
}

// New opens the view of code.
func New(c common.Common, code, from string) *Screen {
	return &Screen{Base: common.NewBase(c), keys: Keys(c.Keys), code: code, from: from}
}

// Init does nothing.
func (s *Screen) Init() tea.Cmd { return nil }

// Code is the ETF shown.
func (s *Screen) Code() string { return s.code }

// Title is the breadcrumb.
func (s *Screen) Title() string {
	t := s.code + " " + s.C.T(i18n.FlowTitle)
	if s.from != "" {
		return s.from + " › " + t
	}
	return t
}

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) {
	s.W, s.H = w, h
	s.refresh()
}

// Update scrolls the table and opens the ticker.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	k := s.keys
	switch msg := msg.(type) {
	case common.RefreshMsg:
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Down):
			s.off++
		case key.Matches(msg, k.Up):
			s.off--
		case key.Matches(msg, k.Open):
			s.C.Push(ticker.New(s.C, s.code, s.C.T(i18n.FlowTitle)))
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
	k := s.keys
	return []key.Binding{k.Down, k.Up, k.Open, k.Back}
}

// FullHelp is the screen's group in the help screen.
func (s *Screen) FullHelp() [][]key.Binding { return FullHelp(s.C.Keys) }

// FullHelp lists every key of the view.
func FullHelp(c *common.KeyMap) [][]key.Binding {
	k := Keys(c)
	return [][]key.Binding{{k.Up, k.Down, k.Open, k.Back}}
}

// Export gives the daily series.
func (s *Screen) Export() (string, [][]string) {
	f := widgets.CSVNum
	fl := s.C.Market.Whole.Flows[s.code]
	rows := [][]string{{"date", "main_net", "super", "large", "medium", "small", "close", "change_pct", "source"}}
	for _, d := range fl.Days {
		rows = append(rows, []string{d.Date.Format("2006-01-02"), f(d.Flow.Main), f(d.Flow.Super), f(d.Flow.Large), f(d.Flow.Medium), f(d.Flow.Small), f(d.Close), f(d.ChangePct), fl.Source})
	}
	return "etf-flow-" + s.code, rows
}

func (s *Screen) refresh() { s.Cache = widgets.Box(s.render(s.W, s.H), s.W, s.H) }

// Summary is today's net, the five-day net and the share change of an ETF,
// as one line's cells: today's figure is the live quote's when there is
// one, else the newest day's.
func Summary(mk *common.Market, code string) (today, five, shares string, todayV, fiveV float64) {
	fl := mk.Whole.Flows[code]
	todayV, fiveV = model.Unknown, fl.NetN(5)
	if q, ok := mk.St.Quotes[code]; ok && model.Known(q.MainNet) {
		todayV = q.MainNet
	} else if d, ok := fl.Today(); ok {
		todayV = d.Flow.Main
	}
	shares = widgets.Dash // no feed at hand publishes an ETF's share count
	return widgets.SignedYi(todayV), widgets.SignedYi(fiveV), shares, todayV, fiveV
}

func (s *Screen) render(w, h int) string {
	st, mk := s.C.Styles, s.C.Market
	fl := mk.Whole.Flows[s.code]
	name := fl.Name
	if sym, ok := mk.Symbol(s.code); ok && sym.Name != "" {
		name = sym.Name
	}
	c := s.C
	out := []string{st.Bold.Render(s.code + " " + name + " · " + c.T(i18n.FlowTitle))}
	today, five, shares, tv, fv := Summary(mk, s.code)
	out = append(out, fmt.Sprintf("%s %s   %s %s   %s %s", c.T(i18n.WordToday), st.Move(tv).Render(today), c.T(i18n.Flow5D), st.Move(fv).Render(five),
		c.T(i18n.FlowShares), st.Dim.Render(shares)))
	if len(fl.Days) == 0 {
		out = append(out, st.Dim.Render(c.T(i18n.FlowNone)))
		return widgets.Clip(strings.Join(out, "\n"), w, h)
	}
	pts := make([]float64, 0, len(fl.Days))
	ts := make([]time.Time, 0, len(fl.Days))
	cum := 0.0
	for _, d := range fl.Days {
		cum += d.Flow.Main
		pts = append(pts, cum)
		ts = append(ts, d.Date)
	}
	chartH := min(max((h-4)/2, 0), 12)
	if chartH >= 3 {
		out = append(out, st.Dim.Render(c.F(i18n.FlowCum, fl.Days[0].Date.Format("2006-01-02"))))
		out = append(out, strings.Split(widgets.LineChart(st, s.C.Lang, ts, widgets.YFormat{Big: true}, w, chartH, pts), "\n")...)
	}
	cols := []widgets.Col{widgets.NewCol(10, false, 0, false), widgets.NewCol(9, true, 0, false), widgets.NewCol(9, true, 2, false),
		widgets.NewCol(9, true, 2, false), widgets.NewCol(9, true, 3, false), widgets.NewCol(9, true, 3, false), widgets.NewCol(7, true, 1, false)}
	show := widgets.PickCols(cols, w)
	out = append(out, st.Dim.Render(widgets.Row(cols, show, strings.Split(c.T(i18n.FlowCols), "|"))))
	room := max(h-len(out), 1)
	n := len(fl.Days)
	s.off = max(0, min(s.off, n-room))
	for i := n - 1 - s.off; i >= 0 && len(out) < h; i-- {
		d := fl.Days[i]
		plain := []string{d.Date.Format("2006-01-02"), widgets.SignedYi(d.Flow.Main), widgets.SignedYi(d.Flow.Super), widgets.SignedYi(d.Flow.Large),
			widgets.SignedYi(d.Flow.Medium), widgets.SignedYi(d.Flow.Small), widgets.SignedPct(d.ChangePct, 2)}
		styled := append([]string(nil), plain...)
		styled[1] = st.Move(d.Flow.Main).Render(plain[1])
		styled[6] = st.Move(d.ChangePct).Render(plain[6])
		out = append(out, widgets.Row(cols, show, styled))
	}
	return widgets.Clip(strings.Join(out, "\n"), w, h)
}
