package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/widgets"
)

// View renders the screen: header, the active screen's body (rendered by
// the screen in its Update), status bar. It reads state only.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "rareterm"
	if m.deps.Demo {
		v.WindowTitle = m.c.T(i18n.RootWindowDemo)
	}
	return v
}

// render returns the whole screen as text.
func (m *Model) render() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return ""
	}
	if h < 3 {
		return widgets.Clip(m.header(w), w, 1) + "\n" + widgets.Clip(m.statusBar(w), w, 1)
	}
	foot := m.statusBar(w)
	if m.cmd.Active() {
		foot = m.cmd.View(w)
	}
	return m.frame.join(m.header(w), m.Top().View(), foot)
}

// frameMemo keeps the last screen View joined from its header, body and
// foot. A View after a message that changed nothing drawn (a wake-up an
// earlier one replaced, a poll's health unchanged on screen, a reply that
// draws nothing) returns that string instead of copying the whole screen
// again: the body is the screen's cached string, equal to the last one by
// its pointer, and the header and foot are short.
type frameMemo struct {
	head, body, foot, text string
}

func (f *frameMemo) join(head, body, foot string) string {
	if f == nil {
		return head + "\n" + body + "\n" + foot
	}
	if f.text == "" || head != f.head || body != f.body || foot != f.foot {
		f.head, f.body, f.foot = head, body, foot
		f.text = head + "\n" + body + "\n" + foot
	}
	return f.text
}

// breadcrumbs names where the user is: every screen on the stack.
func (m *Model) breadcrumbs() string {
	parts := []string{"rareterm"}
	for _, s := range m.stack {
		parts = append(parts, s.Title())
	}
	return strings.Join(parts, " › ")
}

func (m *Model) header(w int) string {
	st := m.c.Styles
	var badges []string
	if m.deps.Demo {
		badges = append(badges, st.Demo.Render(" "+m.c.T(i18n.WordDemo)+" "))
	}
	if m.deps.Offline {
		asOf := m.c.T(i18n.RootLatest)
		if !m.mkt.AsOf.IsZero() {
			asOf = widgets.DayWeek(m.c.Lang, m.mkt.AsOf)
		}
		badges = append(badges, st.AsOf.Render(m.c.F(i18n.RootOfflineAsOf, asOf)))
	}
	left := strings.Join(badges, " ")
	if left != "" {
		left += " "
	}
	left += st.Header.Render(m.breadcrumbs())
	right := widgets.DayWeek(m.c.Lang, m.mkt.Now)
	if widgets.Width(left)+widgets.Width(right)+1 > w {
		return widgets.Fit(left, w)
	}
	return left + strings.Repeat(" ", w-widgets.Width(left)-widgets.Width(right)) + st.Dim.Render(right)
}

// statusBar shows feed health, the market sessions, and the active
// screen's short help.
func (m *Model) statusBar(w int) string {
	st := m.c.Styles
	var parts []string
	if m.deps.Demo {
		parts = append(parts, st.Demo.Render(m.c.T(i18n.WordDemo)))
	}
	// An error from the user's last action comes first, where it is not cut off.
	if m.notice.Error && m.notice.Text != "" {
		parts = append(parts, st.Error.Render(model.Sanitize(m.notice.Text)))
	}
	now := m.mkt.Now.In(model.CST)
	seconds := m.secondsClock(now)
	parts = append(parts, widgets.FeedStatus(st, m.c.Lang, model.SummarizeHealth(m.mkt.Health, m.mkt.Now), m.mkt.Now, !seconds)...)
	clock := now.Format("15:04")
	if seconds {
		clock = now.Format("15:04:05")
	}
	parts = append(parts, m.c.F(i18n.RootClockA, widgets.PhaseLabel(m.c.Lang, model.PhaseAt(model.ExchangeA, now), model.ExchangeA), clock))
	parts = append(parts, m.c.F(i18n.RootClockHK, widgets.PhaseLabel(m.c.Lang, model.PhaseAt(model.ExchangeHK, now), model.ExchangeHK)))
	if m.notice.Text != "" && !m.notice.Error {
		parts = append(parts, st.Warn.Render(model.Sanitize(m.notice.Text)))
	}
	bindings := m.Top().ShortHelp()
	if m.deps.Offline {
		bindings = append([]key.Binding{m.keys.DayBack, m.keys.DayFwd, m.keys.GotoDate}, bindings...)
	}
	s := " " + strings.Join(parts, "  ")
	if room := w - widgets.Width(s) - 2; room > 10 {
		s += "  " + m.hint.view(st.HelpKey, st.HelpDesc, room, bindings)
	}
	return widgets.Fit(s, w)
}

// hintCache keeps the status bar's key hints, drawn again only when the
// keys, their help or the room for them changed: the clock redraws the
// status bar every second, and the hints cost more than the rest of it. A
// Model's styles are made once (New), so they are not part of the key.
type hintCache struct {
	room  int
	keys  []hintKey // the bindings drawn, as drawn
	text  string
	drawn int // times the hints were drawn
}

type hintKey struct {
	key, desc string
	on        bool
}

// same reports whether bindings are drawn as c's keys were.
func (c *hintCache) same(bindings []key.Binding) bool {
	if len(bindings) != len(c.keys) {
		return false
	}
	for i, k := range bindings {
		h := k.Help()
		if c.keys[i] != (hintKey{h.Key, h.Desc, k.Enabled()}) {
			return false
		}
	}
	return true
}

func (c *hintCache) view(keyStyle, descStyle lipgloss.Style, room int, bindings []key.Binding) string {
	if c == nil {
		c = &hintCache{}
	}
	if c.text != "" && c.room == room && c.same(bindings) {
		return c.text
	}
	c.keys = c.keys[:0]
	for _, k := range bindings {
		h := k.Help()
		c.keys = append(c.keys, hintKey{h.Key, h.Desc, k.Enabled()})
	}
	hint := help.New()
	hint.Styles.ShortKey = keyStyle
	hint.Styles.ShortDesc = descStyle
	hint.Styles.ShortSeparator = descStyle
	hint.SetWidth(room)
	c.room, c.text = room, hint.ShortHelpView(bindings)
	c.drawn++
	return c.text
}
