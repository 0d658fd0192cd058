package common

import (
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/i18n"
)

// KeyMap is every binding of the program. Each screen's key map picks its
// bindings from here, so a binding's keys and help text are written once,
// and the `[keys]` section of the config remaps them by action name.
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
	Range            key.Binding // six keys: 1D 5D 1M 6M 1Y ALL
	Overlay          key.Binding
	Period           key.Binding // 日K 周K 月K on a K-line
	DayBack, DayFwd  key.Binding
	WeekBack         key.Binding
	WeekFwd          key.Binding
	GotoDate         key.Binding
	Search           key.Binding
	Command          key.Binding
	Sort             key.Binding
	Add, Remove      key.Binding
	Price            key.Binding
	Grade            key.Binding // the contract view's REO calculator
	SearchList       key.Binding // search: between the query and the list
	Notices          key.Binding // a ticker's announcements (公告)
}

// DefaultKeyMap returns the standard bindings, their help in l.
func DefaultKeyMap(l i18n.Lang) *KeyMap {
	h := func(k string, t i18n.Text) key.BindingOpt { return key.WithHelp(k, t.In(l)) }
	return &KeyMap{
		Next:       key.NewBinding(key.WithKeys("tab"), h("tab", i18n.KeyNextPanel)),
		Prev:       key.NewBinding(key.WithKeys("shift+tab"), h("shift+tab", i18n.KeyPrevPanel)),
		Up:         key.NewBinding(key.WithKeys("k", "up"), h("↑/k", i18n.KeyUp)),
		Down:       key.NewBinding(key.WithKeys("j", "down"), h("↓/j", i18n.KeyDown)),
		PageUp:     key.NewBinding(key.WithKeys("pgup", "ctrl+u"), h("pgup", i18n.KeyPageUp)),
		PageDown:   key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), h("pgdn", i18n.KeyPageDown)),
		Top:        key.NewBinding(key.WithKeys("home"), h("home", i18n.KeyFirstRow)),
		Bottom:     key.NewBinding(key.WithKeys("end", "G"), h("end/G", i18n.KeyLastRow)),
		Open:       key.NewBinding(key.WithKeys("enter"), h("enter", i18n.KeyOpenDetail)),
		Back:       key.NewBinding(key.WithKeys("esc", "backspace"), h("esc", i18n.WordBack)),
		Help:       key.NewBinding(key.WithKeys("?"), h("?", i18n.WordHelp)),
		Quit:       key.NewBinding(key.WithKeys("q", "ctrl+c"), h("q", i18n.WordQuit)),
		Health:     key.NewBinding(key.WithKeys("F"), h("F", i18n.KeyFeedHealth)),
		RangeNext:  key.NewBinding(key.WithKeys("right", "l"), h("→/l", i18n.KeyLonger)),
		RangePrev:  key.NewBinding(key.WithKeys("left", "h"), h("←/h", i18n.KeyShorter)),
		Range:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6"), h("1–6", i18n.KeyRanges)),
		Overlay:    key.NewBinding(key.WithKeys("o"), h("o", i18n.KeyOverlay)),
		Period:     key.NewBinding(key.WithKeys("f8", "K"), h("F8/K", i18n.KeyPeriods)),
		DayBack:    key.NewBinding(key.WithKeys("["), h("[", i18n.KeyDayBack)),
		DayFwd:     key.NewBinding(key.WithKeys("]"), h("]", i18n.KeyDayFwd)),
		WeekBack:   key.NewBinding(key.WithKeys("{"), h("{", i18n.KeyWeekBack)),
		WeekFwd:    key.NewBinding(key.WithKeys("}"), h("}", i18n.KeyWeekFwd)),
		GotoDate:   key.NewBinding(key.WithKeys("g"), h("g", i18n.KeyGotoDate)),
		Search:     key.NewBinding(key.WithKeys("/"), h("/", i18n.KeySearch)),
		Command:    key.NewBinding(key.WithKeys(":"), h(":", i18n.KeyCommand)),
		Sort:       key.NewBinding(key.WithKeys("s"), h("s", i18n.KeySort)),
		Add:        key.NewBinding(key.WithKeys("a"), h("a", i18n.KeyAdd)),
		Remove:     key.NewBinding(key.WithKeys("d"), h("d", i18n.KeyRemove)),
		Price:      key.NewBinding(key.WithKeys("p"), h("p", i18n.KeyPrice)),
		Grade:      key.NewBinding(key.WithKeys("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "."), h("0-9 .", i18n.KeyGrade)),
		SearchList: key.NewBinding(key.WithKeys("tab"), h("tab", i18n.KeyQueryList)),
		Notices:    key.NewBinding(key.WithKeys("n"), h("n", i18n.KeyNotices)),
	}
}

// actions names the bindings the config may remap, by action name.
func (k *KeyMap) actions() map[string]*key.Binding {
	return map[string]*key.Binding{
		"next_panel": &k.Next, "prev_panel": &k.Prev, "up": &k.Up, "down": &k.Down,
		"page_up": &k.PageUp, "page_down": &k.PageDown, "top": &k.Top, "bottom": &k.Bottom,
		"open": &k.Open, "back": &k.Back, "help": &k.Help, "quit": &k.Quit, "health": &k.Health,
		"range_next": &k.RangeNext, "range_prev": &k.RangePrev, "range": &k.Range, "overlay": &k.Overlay, "period": &k.Period,
		"day_back": &k.DayBack, "day_forward": &k.DayFwd, "week_back": &k.WeekBack, "week_forward": &k.WeekFwd,
		"goto_date": &k.GotoDate, "search": &k.Search, "command": &k.Command, "sort": &k.Sort,
		"add": &k.Add, "remove": &k.Remove, "price": &k.Price, "notices": &k.Notices,
	}
}

// Actions lists the action names `[keys]` accepts, sorted.
func Actions() []string {
	var out []string
	for a := range DefaultKeyMap(i18n.EN).actions() {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// KeyError is a bad `[keys]` entry: the action it is about and, for a
// clash, the key. Msg is the problem in English; In says it in either
// language.
type KeyError struct {
	Action string
	Key    string
	Msg    string
	text   i18n.Text
	args   []any
}

func keyError(action, k string, t i18n.Text, args ...any) *KeyError {
	return &KeyError{Action: action, Key: k, Msg: t.F(i18n.EN, args...), text: t, args: args}
}

func (e *KeyError) Error() string { return e.In(i18n.EN) }

// In is the error in l.
func (e *KeyError) In(l i18n.Lang) string {
	msg := e.Msg
	if e.text != (i18n.Text{}) {
		msg = e.text.F(l, e.args...)
	}
	return e.Action + ": " + msg
}

// Binding is one `[keys]` entry: an action and the keys it takes.
type Binding struct {
	Action string
	Keys   []string
}

// Remap applies the bindings in order. An unknown action, an empty key
// list, a range without six keys, or a key that ends up on two actions is
// an error naming the action (and the key).
func (k *KeyMap) Remap(bs []Binding) error {
	acts := k.actions()
	for _, b := range bs {
		kb, ok := acts[b.Action]
		if !ok {
			return keyError(b.Action, "", i18n.KeyErrUnknown, strings.Join(Actions(), ", "))
		}
		if len(b.Keys) == 0 {
			return keyError(b.Action, "", i18n.KeyErrNoKeys)
		}
		for _, s := range b.Keys {
			if strings.TrimSpace(s) == "" {
				return keyError(b.Action, "", i18n.KeyErrEmpty)
			}
		}
		text := strings.Join(b.Keys, "/")
		if b.Action == "range" {
			if len(b.Keys) != 6 {
				return keyError(b.Action, "", i18n.KeyErrSixKeys, len(b.Keys))
			}
			text = strings.Join(b.Keys, "")
		}
		*kb = key.NewBinding(key.WithKeys(b.Keys...), key.WithHelp(text, kb.Help().Desc))
	}
	// A key on two actions is a clash (the dashboard would not know which).
	// The remapped actions are checked last, in the order given, so a
	// clash names the later entry.
	remapped := map[string]bool{}
	var names []string
	for _, b := range bs {
		if !remapped[b.Action] {
			remapped[b.Action] = true
			names = append(names, b.Action)
		}
	}
	var rest []string
	for _, a := range Actions() {
		if !remapped[a] {
			rest = append(rest, a)
		}
	}
	names = append(rest, names...)
	seen := map[string]string{}
	for _, a := range names {
		for _, s := range acts[a].Keys() {
			if other, ok := seen[s]; ok && other != a {
				return keyError(a, s, i18n.KeyErrClash, s, other)
			}
			seen[s] = a
		}
	}
	return nil
}

// RangeIndex is the range a key of the Range binding chooses, or -1.
func (k *KeyMap) RangeIndex(s string) int {
	for i, r := range k.Range.Keys() {
		if r == s {
			return i
		}
	}
	return -1
}

// Select moves a list's selection for the list keys — down, up, top,
// bottom — over n rows, and reports whether msg was one of them. The
// screen clamps sel when it renders.
func Select(msg tea.KeyPressMsg, sel *int, n int, down, up, top, bottom key.Binding) bool {
	switch {
	case key.Matches(msg, down):
		*sel++
	case key.Matches(msg, up):
		*sel--
	case key.Matches(msg, top):
		*sel = 0
	case key.Matches(msg, bottom):
		*sel = n - 1
	default:
		return false
	}
	return true
}

// ListKeys are the keys of a list view whose rows open a detail: the
// ladder, the sector margin names.
type ListKeys struct {
	Up, Down, Top, Bottom, Open, Back key.Binding
}

// List picks a list view's keys from the map (remapping follows).
func (k *KeyMap) List() ListKeys {
	return ListKeys{Up: k.Up, Down: k.Down, Top: k.Top, Bottom: k.Bottom, Open: k.Open, Back: k.Back}
}

// Select moves sel over n rows for a list key (see Select).
func (l ListKeys) Select(msg tea.KeyPressMsg, sel *int, n int) bool {
	return Select(msg, sel, n, l.Down, l.Up, l.Top, l.Bottom)
}

// ShortHelp is a list view's footer.
func (l ListKeys) ShortHelp() []key.Binding { return []key.Binding{l.Down, l.Up, l.Open, l.Back} }

// FullHelp is a list view's group in the help screen.
func (l ListKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{l.Up, l.Down, l.Top, l.Bottom, l.Open, l.Back}}
}
