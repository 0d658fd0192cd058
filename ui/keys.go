package ui

import (
	"charm.land/bubbles/v2/key"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/alerts"
	"github.com/rareterm/rareterm/ui/screens/board"
	"github.com/rareterm/rareterm/ui/screens/contract"
	"github.com/rareterm/rareterm/ui/screens/dashboard"
	"github.com/rareterm/rareterm/ui/screens/element"
	"github.com/rareterm/rareterm/ui/screens/help"
	"github.com/rareterm/rareterm/ui/screens/ladder"
	"github.com/rareterm/rareterm/ui/screens/search"
	"github.com/rareterm/rareterm/ui/screens/ticker"
)

// KeyBinding is one entry of the config's [keys]: an action and its keys.
type KeyBinding = common.Binding

// KeyError is a bad [keys] entry (an unknown action, a clash).
type KeyError = common.KeyError

// KeyActions lists the actions [keys] can remap.
func KeyActions() []string { return common.Actions() }

// CheckKeys applies bindings to the default keys and reports the first
// problem: an unknown action, an empty list, or a key on two actions.
func CheckKeys(bs []KeyBinding) error { return common.DefaultKeyMap(i18n.EN).Remap(bs) }

// helpScreen builds the `?` screen: every screen's keys, one group each,
// from the key maps the screens use.
func (m *Model) helpScreen() common.Screen {
	k, t := m.keys, m.c.T
	sections := []help.Section{
		{Title: t(i18n.HelpEverywhere), Keys: [][]key.Binding{{k.Search, k.Command, k.Price, k.Health}, {k.Back, k.Help, k.Quit}}},
		{Title: t(i18n.HelpDashboard), Keys: dashboard.FullHelp(k)},
		{Title: t(i18n.HelpTicker), Keys: ticker.FullHelp(k, m.c.Lang)},
		{Title: t(i18n.HelpElementIndex), Keys: element.FullHelp(k)},
		{Title: t(i18n.ContractTitle), Keys: contract.FullHelp(k, m.c.Lang)},
		{Title: t(i18n.HelpBoard), Keys: board.FullHelp(k)},
		{Title: t(i18n.HelpSearch), Keys: search.FullHelp(k, m.c.Lang)},
		{Title: t(i18n.HelpAlerts), Keys: alerts.FullHelp(k, m.c.Lang)},
		// The whole-market views share their keys: one group.
		{Title: t(i18n.HelpWhole), Keys: ladder.FullHelp(k)},
		{Title: t(i18n.HelpCommandLine), Keys: m.cmd.Keys().FullHelp()},
	}
	if m.deps.Offline {
		sections = append(sections, help.Section{Title: t(i18n.HelpOffline), Keys: [][]key.Binding{{k.DayBack, k.DayFwd, k.WeekBack, k.WeekFwd, k.GotoDate}}})
	}
	return help.New(m.c, sections, m.c.F(i18n.HelpColours, m.colourNote()))
}

func (m *Model) colourNote() i18n.Text {
	if m.deps.NoColor {
		return i18n.HelpColoursOff
	}
	if m.deps.Western {
		return i18n.HelpColoursWest
	}
	return i18n.HelpColoursChina
}
