// Package health is the feed health screen: every feed's state, last
// success, latency, failures and last error.
package health

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
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
func (s *Screen) Title() string { return "Feed health" }

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
	st, mk := s.C.Styles, s.C.Market
	var b strings.Builder
	b.WriteString(st.Bold.Render("Feed health") + "\n\n")
	for _, l := range widgets.HealthLines(st, model.SummarizeHealth(mk.Health, mk.Now), mk.Now) {
		b.WriteString("  " + l + "\n")
	}
	b.WriteString("\n")
	b.WriteString(fmt.Sprintf("  %-10s %-14s %-8s %-9s %-8s %-6s %-9s %s\n", "feed", "kind", "state", "last ok", "latency", "fails", "next try", "last error"))
	for _, hl := range mk.Health {
		last := "never"
		if !hl.LastOK.IsZero() {
			last = widgets.Age(mk.Now.Sub(hl.LastOK)) + " ago"
		}
		lat := widgets.Dash
		if hl.Latency > 0 {
			lat = hl.Latency.Round(time.Millisecond).String()
		}
		next := widgets.Dash
		if !hl.NextTry.IsZero() {
			next = "in " + widgets.Age(hl.NextTry.Sub(mk.Now))
		}
		raw := widgets.KindState(hl, mk.Now)
		state := widgets.Fit(raw, 8)
		var styled string
		switch {
		case raw == "stale":
			styled = st.Warn.Render(state)
		case hl.State == model.FeedOK:
			styled = st.OK.Render(state)
		case hl.State == model.FeedFailing:
			styled = st.Bad.Render(state)
		default:
			styled = st.Dim.Render(state)
		}
		b.WriteString(fmt.Sprintf("  %s %s %s %s %s %s %s %s\n", widgets.Fit(hl.Feed, 10), widgets.Fit(hl.Kind, 14), styled, widgets.Fit(last, 9), widgets.Fit(lat, 8), widgets.Fit(fmt.Sprint(hl.Failures), 6), widgets.Fit(next, 9), model.Sanitize(hl.LastErr)))
	}
	if len(mk.Health) == 0 {
		b.WriteString(st.Dim.Render("  no feed has been polled yet") + "\n")
	}
	return widgets.Clip(b.String(), w, h)
}
