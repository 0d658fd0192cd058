package ui

import (
	"charm.land/bubbles/v2/key"
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
func CheckKeys(bs []KeyBinding) error { return common.DefaultKeyMap().Remap(bs) }

// helpScreen builds the `?` screen: every screen's keys, one group each,
// from the key maps the screens use.
func (m *Model) helpScreen() common.Screen {
	k := m.keys
	sections := []help.Section{
		{Title: "Everywhere", Keys: [][]key.Binding{{k.Search, k.Command, k.Price, k.Health}, {k.Back, k.Help, k.Quit}}},
		{Title: "Dashboard", Keys: dashboard.FullHelp(k)},
		{Title: "Ticker", Keys: ticker.FullHelp(k)},
		{Title: "Element and index", Keys: element.FullHelp(k)},
		{Title: "Contract", Keys: contract.FullHelp(k, m.c.Lang)},
		{Title: "Board", Keys: board.FullHelp(k)},
		{Title: "Search", Keys: search.FullHelp(k)},
		{Title: "Alerts (:alerts)", Keys: alerts.FullHelp(k, m.c.Lang)},
		// The whole-market views share their keys: one group.
		{Title: "Ladder (:ladder), sector margin (:margin), ETF flow", Keys: ladder.FullHelp(k)},
		{Title: "Command line", Keys: m.cmd.Keys().FullHelp()},
	}
	if m.deps.Offline {
		sections = append(sections, help.Section{Title: "Offline review", Keys: [][]key.Binding{{k.DayBack, k.DayFwd, k.WeekBack, k.WeekFwd, k.GotoDate}}})
	}
	return help.New(m.c, sections, "Colours: "+m.colourNote())
}

func (m *Model) colourNote() string {
	if m.deps.NoColor {
		return "off (NO_COLOR)"
	}
	if m.deps.Western {
		return "green up, red down (colors = \"western\")"
	}
	return "red up, green down (the Chinese convention)"
}
