package ui

import (
	"strconv"
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
	return m.header(w) + "\n" + m.Top().View() + "\n" + foot
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
// status bar every second, and the hints cost more than the rest of it.
type hintCache struct {
	key  string
	text string
}

func (c *hintCache) view(keyStyle, descStyle lipgloss.Style, room int, bindings []key.Binding) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(room))
	b.WriteString(keyStyle.Render("k")) // the styles (the colour profile may change)
	b.WriteString(descStyle.Render("d"))
	for _, k := range bindings {
		h := k.Help()
		b.WriteByte(0)
		if k.Enabled() {
			b.WriteByte(1)
		}
		b.WriteString(h.Key)
		b.WriteByte(0)
		b.WriteString(h.Desc)
	}
	if c == nil {
		c = &hintCache{}
	}
	if k := b.String(); k != c.key || c.text == "" {
		hint := help.New()
		hint.Styles.ShortKey = keyStyle
		hint.Styles.ShortDesc = descStyle
		hint.Styles.ShortSeparator = descStyle
		hint.SetWidth(room)
		c.key, c.text = k, hint.ShortHelpView(bindings)
	}
	return c.text
}
