// Package help is the `?` screen: the full help of bubbles/help, one group
// per screen, built from the key maps the screens use.
package help

import (
	"strings"

	bhelp "charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Section is one screen's keys in the help.
type Section struct {
	Title string
	Keys  [][]key.Binding
}

// Screen is the help view.
type Screen struct {
	common.Base
	sections []Section
	note     string
	scroll   int
}

// New opens the help with the given sections and a closing note.
func New(c common.Common, sections []Section, note string) *Screen {
	return &Screen{Base: common.NewBase(c), sections: sections, note: note}
}

// TakesKey claims the key that opened the screen: pressed again, it
// closes it.
func (s *Screen) TakesKey(msg tea.KeyPressMsg) bool { return key.Matches(msg, s.C.Keys.Help) }

// Init does nothing.
func (s *Screen) Init() tea.Cmd { return nil }

// Title is the breadcrumb.
func (s *Screen) Title() string { return s.C.T(i18n.HelpTitle) }

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) {
	s.W, s.H = w, h
	s.refresh()
}

// Update scrolls.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	k := s.C.Keys
	switch msg := msg.(type) {
	case common.RefreshMsg:
	case common.WheelMsg:
		if msg.Up {
			s.scroll--
		} else {
			s.scroll++
		}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Help):
			s.C.Pop()
			return s, nil
		case key.Matches(msg, k.Down):
			s.scroll++
		case key.Matches(msg, k.Up):
			s.scroll--
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
	return []key.Binding{k.Down, k.Help, k.Back, k.Quit}
}

// FullHelp is every section's keys.
func (s *Screen) FullHelp() [][]key.Binding {
	var out [][]key.Binding
	for _, sec := range s.sections {
		out = append(out, sec.Keys...)
	}
	return out
}

func (s *Screen) refresh() {
	st := s.C.Styles
	h := bhelp.New()
	h.Styles.FullKey = st.HelpKey
	h.Styles.FullDesc = st.HelpDesc
	h.Styles.FullSeparator = st.HelpDesc
	h.FullSeparator = "    "
	lines := []string{st.Bold.Render(s.C.T(i18n.HelpKeys))}
	for _, sec := range s.sections {
		lines = append(lines, "", st.Bold.Render(sec.Title))
		// Groups side by side as far as the width allows, then on below.
		var row [][]key.Binding
		flush := func() {
			if len(row) > 0 {
				for _, l := range strings.Split(h.FullHelpView(row), "\n") {
					lines = append(lines, "  "+l)
				}
			}
			row = nil
		}
		for _, g := range sec.Keys {
			if len(row) > 0 && blockWidth(h.FullHelpView(append(row[:len(row):len(row)], g))) > s.W-2 {
				flush()
			}
			row = append(row, g)
		}
		flush()
	}
	lines = append(lines, "", st.Dim.Render(s.note))
	s.scroll = max(0, min(s.scroll, len(lines)-s.H))
	s.Cache = widgets.Box(widgets.Clip(strings.Join(lines[s.scroll:], "\n"), s.W, s.H), s.W, s.H)
}

// blockWidth is the width of the widest line of s.
func blockWidth(s string) int {
	w := 0
	for _, l := range strings.Split(s, "\n") {
		w = max(w, widgets.Width(l))
	}
	return w
}
