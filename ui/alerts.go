package ui

import (
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
		text += m.c.F(i18n.AlertMore, len(evs)-1)
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
	usage := i18n.AlertUsage
	if len(args) < 2 {
		return m.fail(i18n.AlertErrUsage, usage)
	}
	book := m.mkt.Alerts.Book
	if book == nil {
		return m.fail(i18n.AlertOffline)
	}
	switch args[1] {
	case "add":
		text := strings.TrimSpace(line)
		text = strings.TrimSpace(strings.TrimPrefix(text, args[0]))
		text = strings.TrimSpace(strings.TrimPrefix(text, args[1]))
		if text == "" {
			return m.fail(i18n.AlertAddNeeds)
		}
		// An engine without rules gets the screen's market with its first
		// rule, not with a line that is no rule.
		if _, perr := model.ParseAlertRule(text); perr == nil {
			if s, ok := book.(common.AlertSeeder); ok && !s.Seeded() {
				s.Seed(m.mkt.St.Clone(), m.mkt.Seq)
			}
		}
		r, err := book.Add(text)
		if err != nil {
			return m.fail(i18n.AlertAddErr, model.Sanitize(text), err)
		}
		m.mkt.Alerts.Refresh()
		n := len(m.mkt.Alerts.States)
		return tea.Batch(m.updateTop(common.RefreshMsg{}), m.saveAlert(m.c.F(i18n.AlertAdded, n, r.Text), r.Text, false))
	case "rm", "remove", "del":
		if len(args) != 3 {
			return m.fail(i18n.AlertRmArgs)
		}
		n, err := strconv.Atoi(args[2])
		if err != nil {
			return m.fail(i18n.AlertRmBad, model.Sanitize(args[2]))
		}
		return m.removeAlert(n)
	}
	return m.fail(i18n.AlertUnknownSub, model.Sanitize(args[1]), usage)
}

func (m *Model) removeAlert(n int) tea.Cmd {
	book := m.mkt.Alerts.Book
	if book == nil {
		return m.fail(i18n.AlertRmOffline)
	}
	r, err := book.Remove(n)
	if err != nil {
		return m.fail(i18n.AlertRmErr, n, err)
	}
	m.mkt.Alerts.Refresh()
	return tea.Batch(m.updateTop(common.RefreshMsg{}), m.saveAlert(m.c.F(i18n.AlertRemoved, n, r.Text), r.Text, true))
}

// saveAlert writes the change to the rules file in a command.
func (m *Model) saveAlert(text, rule string, remove bool) tea.Cmd {
	save := m.deps.SaveAlert
	if remove {
		save = m.deps.DropAlert
	}
	if save == nil {
		m.say(i18n.AlertSessionOnly, text)
		return nil
	}
	where := m.c.T(i18n.AlertWhereConfig)
	if m.deps.Demo {
		where = m.c.T(i18n.AlertWhereDemo)
	}
	saved := m.c.F(i18n.AlertSavedTo, text, where)
	return func() tea.Msg {
		if err := save(rule); err != nil {
			return alertSavedMsg{err: i18n.Errorf(i18n.AlertSaveFailed, text, err)}
		}
		return alertSavedMsg{text: saved}
	}
}

// alertsScreen opens the alerts view.
func (m *Model) alertsScreen() tea.Cmd {
	m.mkt.Alerts.Refresh()
	return m.push(alerts.New(m.c))
}
