package ui

import "charm.land/bubbles/v2/key"

// KeyMap is every binding; the help screen is built from it.
type KeyMap struct {
	Next, Prev       key.Binding
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	Open, Back       key.Binding
	Help, Quit       key.Binding
	Health           key.Binding
	RangeNext        key.Binding
	RangePrev        key.Binding
	Range            key.Binding // 1–6 in a detail view
	Overlay          key.Binding
	DayBack, DayFwd  key.Binding
	WeekBack         key.Binding
	WeekFwd          key.Binding
	GotoDate         key.Binding
	Search           key.Binding
	Command          key.Binding
	Sort             key.Binding
	Add, Remove      key.Binding
	Price            key.Binding
}

// DefaultKeyMap returns the standard bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next panel")),
		Prev:      key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous panel")),
		Up:        key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:       key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "first row")),
		Bottom:    key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "last row")),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open detail")),
		Back:      key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "back")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Health:    key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "feed health")),
		RangeNext: key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "longer range")),
		RangePrev: key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "shorter range")),
		Range:     key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6"), key.WithHelp("1–6", "1D 5D 1M 6M 1Y ALL")),
		Overlay:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "element overlay")),
		DayBack:   key.NewBinding(key.WithKeys("["), key.WithHelp("[", "day back")),
		DayFwd:    key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "day forward")),
		WeekBack:  key.NewBinding(key.WithKeys("{"), key.WithHelp("{", "week back")),
		WeekFwd:   key.NewBinding(key.WithKeys("}"), key.WithHelp("}", "week forward")),
		GotoDate:  key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "go to date")),
		Search:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search symbols")),
		Command:   key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command line")),
		Sort:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort (board view)")),
		Add:       key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add ticker to watchlist")),
		Remove:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "remove ticker from watchlist")),
		Price:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "enter an element price by hand")),
	}
}

// dashboardHelp is the footer's short help on the dashboard.
func (k KeyMap) dashboardHelp() []key.Binding {
	return []key.Binding{k.Next, k.Down, k.Open, k.Search, k.Command, k.Health, k.Help, k.Quit}
}

// detailHelp is the footer's short help in a detail view.
func (k KeyMap) detailHelp() []key.Binding {
	return []key.Binding{k.Range, k.RangeNext, k.Overlay, k.Add, k.Back, k.Help, k.Quit}
}

// chartHelp is the footer of the element and index views.
func (k KeyMap) chartHelp() []key.Binding {
	return []key.Binding{k.Range, k.RangeNext, k.Back, k.Command, k.Help, k.Quit}
}

// contractHelp is the footer of the contract view.
func (k KeyMap) contractHelp() []key.Binding {
	return []key.Binding{k.Down, key.NewBinding(key.WithKeys("0"), key.WithHelp("0-9 .", "REO grade")), k.Back, k.Help, k.Quit}
}

// boardHelp is the footer of the board view.
func (k KeyMap) boardHelp() []key.Binding {
	return []key.Binding{k.Down, k.Sort, k.Open, k.Back, k.Help, k.Quit}
}

// fullHelp groups every binding for the help screen.
func (k KeyMap) fullHelp(offline bool) [][]key.Binding {
	groups := [][]key.Binding{
		{k.Next, k.Prev, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Back, k.Search, k.Command, k.Price, k.Health, k.Help, k.Quit},
		{k.Range, k.RangeNext, k.RangePrev, k.Overlay, k.Add, k.Remove, k.Sort},
	}
	if offline {
		groups = append(groups, []key.Binding{k.DayBack, k.DayFwd, k.WeekBack, k.WeekFwd, k.GotoDate})
	}
	return groups
}
