// Package health is the feed health screen: every feed's state, last
// success, latency, failures and last error.
package health

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Screen is the feed health view.
type Screen struct {
	common.Base
}

// New opens the feed health view.
func New(c common.Common) *Screen { return &Screen{Base: common.NewBase(c)} }

// TakesKey claims the key that opened the screen: pressed again, it
// closes it.
func (s *Screen) TakesKey(msg tea.KeyPressMsg) bool { return key.Matches(msg, s.C.Keys.Health) }

// Init does nothing.
func (s *Screen) Init() tea.Cmd { return nil }

// Title is the breadcrumb.
func (s *Screen) Title() string { return s.C.T(i18n.HealthTitle) }

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) {
	s.W, s.H = w, h
	s.refresh()
}

// Update re-renders on a refresh.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.RefreshMsg:
		s.refresh()
	case tea.KeyPressMsg:
		if key.Matches(msg, s.C.Keys.Health) {
			s.C.Pop()
		}
	}
	return s, nil
}

// ShortHelp is the footer.
func (s *Screen) ShortHelp() []key.Binding {
	k := s.C.Keys
	return []key.Binding{k.Health, k.Back, k.Help, k.Quit}
}

// FullHelp is the screen's group in the help screen.
func (s *Screen) FullHelp() [][]key.Binding { return [][]key.Binding{{s.C.Keys.Health, s.C.Keys.Back}} }

func (s *Screen) refresh() { s.Cache = widgets.Box(s.render(s.W, s.H), s.W, s.H) }

func (s *Screen) render(w, h int) string {
	st, mk, l := s.C.Styles, s.C.Market, s.C.Lang
	var b strings.Builder
	b.WriteString(st.Bold.Render(s.C.T(i18n.HealthTitle)) + "\n\n")
	for _, line := range widgets.HealthLines(st, l, model.SummarizeHealth(mk.Health, mk.Now), mk.Now) {
		b.WriteString("  " + line + "\n")
	}
	b.WriteString("\n")
	// Columns by display width: a Chinese heading is two cells a character.
	b.WriteString(" ")
	for _, c := range healthCols {
		b.WriteString(" " + widgets.Fit(c.t.In(l), c.w))
	}
	b.WriteString(" " + s.C.T(i18n.HealthLastErr) + "\n")
	for _, hl := range mk.Health {
		last := s.C.T(i18n.HealthNever)
		if !hl.LastOK.IsZero() {
			last = s.C.F(i18n.HealthAgo, widgets.Age(l, mk.Now.Sub(hl.LastOK)))
		}
		lat := widgets.Dash
		if hl.Latency > 0 {
			lat = widgets.Latency(l, hl.Latency)
		}
		next := widgets.Dash
		if !hl.NextTry.IsZero() {
			next = s.C.F(i18n.HealthIn, widgets.Age(l, hl.NextTry.Sub(mk.Now)))
		}
		raw, stale := widgets.KindState(l, hl, mk.Now)
		state := widgets.Fit(raw, 8)
		var styled string
		switch {
		case stale:
			styled = st.Warn.Render(state)
		case hl.State == model.FeedOK:
			styled = st.OK.Render(state)
		case hl.State == model.FeedFailing:
			styled = st.Bad.Render(state)
		default:
			styled = st.Dim.Render(state)
		}
		b.WriteString(fmt.Sprintf("  %s %s %s %s %s %s %s %s\n", widgets.Fit(hl.Feed, 10), widgets.Fit(kindWord(l, hl.Kind), 14), styled, widgets.Fit(last, 9), widgets.Fit(lat, 8), widgets.Fit(fmt.Sprint(hl.Failures), 6), widgets.Fit(next, 9), model.Sanitize(hl.LastErr)))
	}
	if len(mk.Health) == 0 {
		b.WriteString(st.Dim.Render("  "+s.C.T(i18n.HealthNoFeeds)) + "\n")
	}
	return widgets.Clip(b.String(), w, h)
}

// healthCols are the health table's columns before the last error, with
// their widths in cells.
var healthCols = []struct {
	t i18n.Text
	w int
}{
	{i18n.HealthFeed, 10}, {i18n.HealthKind, 14}, {i18n.HealthState, 8}, {i18n.HealthLastOK, 9},
	{i18n.HealthLatency, 8}, {i18n.HealthFails, 6}, {i18n.HealthNextTry, 9},
}

// kindWord is a feed's kind of data in l (quotes 行情, margin 融资融券 …);
// a kind without a word is shown as it is.
func kindWord(l i18n.Lang, kind string) string {
	if t, ok := kindWords[kind]; ok {
		return t.In(l)
	}
	return model.Sanitize(kind)
}

var kindWords = map[string]i18n.Text{
	"quotes": i18n.HealthKindQuotes, "history": i18n.HealthKindHistory, "margin": i18n.HealthKindMargin,
	"boards": i18n.HealthKindBoards, "elements": i18n.HealthKindElements, "notices": i18n.HealthKindNotices,
	"detail": i18n.HealthKindDetail, "universe": i18n.HealthKindUniverse, "ladder": i18n.HealthKindLadder,
	"sector": i18n.HealthKindSector, "etf flow": i18n.HealthKindETFFlow, "bus": i18n.HealthKindBus,
	"write": i18n.HealthKindWrite,
}
