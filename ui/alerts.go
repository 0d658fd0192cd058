package ui

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/alerts"
)

// alertSavedMsg reports the rules file written after :alert add or rm.
type alertSavedMsg struct {
	text string
	err  error
}

// Bell is the terminal bell, written when an alert asks for it.
const Bell = "\a"

// DesktopNotice is the escape sequence that asks the terminal for a
// desktop notification: OSC 777 (urxvt, foot, VTE terminals) when osc is
// "777", else OSC 9 (iTerm2, WezTerm, Windows Terminal, kitty, Ghostty).
// Title and body are sanitised and lose the separators the sequence uses.
func DesktopNotice(osc, title, body string) string {
	clean := func(s string) string { return strings.ReplaceAll(model.Sanitize(s), ";", ",") }
	if osc == "777" {
		return "\x1b]777;notify;" + clean(title) + ";" + clean(body) + "\x1b\\"
	}
	return "\x1b]9;" + clean(title) + ": " + clean(body) + "\x1b\\"
}

// alerted delivers a batch's alerts on the screen: the newest in the
// status bar, the bell and the desktop notification when a rule asks.
func (m *Model) alerted(evs []model.AlertEvent) tea.Cmd {
	if len(evs) == 0 || m.deps.Offline {
		return nil
	}
	last := evs[len(evs)-1]
	title, body := last.In(m.c.Lang)
	text := "⚑ " + model.Sanitize(title) + " — " + model.Sanitize(body)
	if len(evs) > 1 {
		text += m.c.F(i18n.AlertsMore, len(evs)-1)
	}
	m.notice = NoticeMsg{Text: text}
	var raw strings.Builder
	bell := false
	for _, a := range evs {
		for _, d := range a.Deliver {
			switch d {
			case model.DeliverBell:
				bell = true
			case model.DeliverDesktop:
				t, b := a.In(m.c.Lang)
				raw.WriteString(DesktopNotice(m.deps.DesktopOSC, t, b))
			}
		}
	}
	if bell {
		raw.WriteString(Bell)
	}
	if raw.Len() == 0 {
		return nil
	}
	return tea.Raw(raw.String())
}

// execAlert runs :alert add RULE, :alert rm N.
func (m *Model) execAlert(line string, args []string) tea.Cmd {
	const usage = ":alert add 600111 > 55 · :alert rm N · :alerts lists them"
	if len(args) < 2 {
		return m.fail(":alert: %s", usage)
	}
	book := m.mkt.Alerts.Book
	if book == nil {
		return m.fail(":alert: rules are evaluated while rareterm polls, not in offline review (:alerts shows what fired)")
	}
	switch args[1] {
	case "add":
		text := strings.TrimSpace(line)
		text = strings.TrimSpace(strings.TrimPrefix(text, args[0]))
		text = strings.TrimSpace(strings.TrimPrefix(text, args[1]))
		if text == "" {
			return m.fail(":alert add needs a rule, e.g. :alert add 600111 > 55 (TARGET [METRIC] OP VALUE)")
		}
		r, err := book.Add(text)
		if err != nil {
			return m.fail(":alert add %s: %v", model.Sanitize(text), err)
		}
		m.mkt.Alerts.Refresh()
		n := len(m.mkt.Alerts.States)
		return tea.Batch(m.updateTop(common.RefreshMsg{}), m.saveAlert(fmt.Sprintf("alert %d added: %s", n, r.Text), r.Text, false))
	case "rm", "remove", "del":
		if len(args) != 3 {
			return m.fail(":alert rm takes the rule's number, e.g. :alert rm 2 (:alerts lists them)")
		}
		n, err := strconv.Atoi(args[2])
		if err != nil {
			return m.fail(":alert rm %s: want the rule's number (:alerts lists them)", model.Sanitize(args[2]))
		}
		return m.removeAlert(n)
	}
	return m.fail(":alert %s: %s", model.Sanitize(args[1]), usage)
}

func (m *Model) removeAlert(n int) tea.Cmd {
	book := m.mkt.Alerts.Book
	if book == nil {
		return m.fail(":alert rm: no rules are evaluated in offline review")
	}
	r, err := book.Remove(n)
	if err != nil {
		return m.fail(":alert rm %d: %v", n, err)
	}
	m.mkt.Alerts.Refresh()
	return tea.Batch(m.updateTop(common.RefreshMsg{}), m.saveAlert(fmt.Sprintf("alert %d removed: %s", n, r.Text), r.Text, true))
}

// saveAlert writes the change to the rules file in a command.
func (m *Model) saveAlert(text, rule string, remove bool) tea.Cmd {
	save := m.deps.SaveAlert
	if remove {
		save = m.deps.DropAlert
	}
	if save == nil {
		m.notice = NoticeMsg{Text: text + " (for this session: no rules file)"}
		return nil
	}
	where := "config file"
	if m.deps.Demo {
		where = "demo rules"
	}
	return func() tea.Msg {
		if err := save(rule); err != nil {
			return alertSavedMsg{err: fmt.Errorf("%s (for this session only: %v)", text, err)}
		}
		return alertSavedMsg{text: text + " (saved to the " + where + ")"}
	}
}

// alertsScreen opens the alerts view.
func (m *Model) alertsScreen() tea.Cmd {
	m.mkt.Alerts.Refresh()
	return m.push(alerts.New(m.c))
}
