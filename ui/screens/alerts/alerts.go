// Package alerts is the alerts view: every rule with its state (armed,
// when it last fired, what re-arms it) and the log of what fired when.
// Offline review shows what fired on the cursor's day.
package alerts

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/widgets"
)

// KeyMap is the alerts view's keys, taken from the program's key map
// (so [keys] remaps them).
type KeyMap struct {
	Up, Down key.Binding
	Remove   key.Binding // remove the selected rule
	Back     key.Binding
}

// DefaultKeyMap builds the view's keys from the program's, their help in l.
func DefaultKeyMap(k *common.KeyMap, l i18n.Lang) KeyMap {
	return KeyMap{
		Up: k.Up, Down: k.Down, Back: k.Back,
		Remove: key.NewBinding(key.WithKeys(k.Remove.Keys()...), key.WithHelp(k.Remove.Help().Key, i18n.AlertsRemove.In(l))),
	}
}

// ShortHelp is the footer's part.
func (km KeyMap) ShortHelp() []key.Binding { return []key.Binding{km.Down, km.Remove, km.Back} }

// FullHelp is the help screen's group.
func (km KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{km.Up, km.Down, km.Remove, km.Back}}
}

// FullHelp lists the view's keys for the help screen.
func FullHelp(k *common.KeyMap, l i18n.Lang) [][]key.Binding { return DefaultKeyMap(k, l).FullHelp() }

// Screen is the alerts view.
type Screen struct {
	common.Base
	keys KeyMap
	sel  int
}

// New opens the alerts view.
func New(c common.Common) *Screen {
	s := &Screen{Base: common.NewBase(c), keys: DefaultKeyMap(c.Keys, c.Lang)}
	return s
}

// Init does nothing: the states are in memory.
func (s *Screen) Init() tea.Cmd { return nil }

// Title is the breadcrumb.
func (s *Screen) Title() string { return s.C.T(i18n.AlertsTitle) }

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) {
	s.W, s.H = w, h
	s.refresh()
}

// Update moves the selection and removes a rule.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.RefreshMsg:
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, s.keys.Down):
			s.sel++
		case key.Matches(msg, s.keys.Up):
			s.sel--
		case key.Matches(msg, s.keys.Remove):
			if n := len(s.C.Market.Alerts.States); n > 0 && !s.C.Offline {
				s.C.Post(common.RemoveAlertMsg{N: s.sel + 1})
			}
		default:
			return s, nil
		}
	default:
		return s, nil
	}
	s.refresh()
	return s, nil
}

// TakesKey claims the remove key before the global bindings.
func (s *Screen) TakesKey(msg tea.KeyPressMsg) bool { return key.Matches(msg, s.keys.Remove) }

// ShortHelp is the footer.
func (s *Screen) ShortHelp() []key.Binding {
	return append(s.keys.ShortHelp(), s.C.Keys.Help, s.C.Keys.Quit)
}

// FullHelp is the screen's group in the help screen.
func (s *Screen) FullHelp() [][]key.Binding { return s.keys.FullHelp() }

func (s *Screen) refresh() {
	s.sel = max(0, min(s.sel, len(s.C.Market.Alerts.States)-1))
	s.Cache = widgets.Box(s.render(s.W, s.H), s.W, s.H)
}

func clock(t time.Time) string { return t.Format("01-02 15:04:05") }

func (s *Screen) render(w, h int) string {
	st, mk, c := s.C.Styles, s.C.Market, s.C
	a := mk.Alerts
	var out []string
	if s.C.Offline {
		day := model.Day(mk.RefTime())
		out = append(out, st.Bold.Render(c.F(i18n.AlertsFiredOn, day.Format("2006-01-02"))), st.Dim.Render(c.T(i18n.AlertsOffline)), "")
		var n int
		for i := len(a.Log) - 1; i >= 0; i-- {
			if model.Day(a.Log[i].At).Equal(day) {
				out = append(out, logLine(c.Lang, a.Log[i]))
				n++
			}
		}
		if n == 0 {
			out = append(out, st.Dim.Render(c.T(i18n.AlertsNoneDay)))
		}
		return widgets.Clip(strings.Join(out, "\n"), w, h)
	}
	out = append(out, st.Bold.Render(c.F(i18n.AlertsRules, len(a.States)))+st.Dim.Render(c.T(i18n.AlertsUsage)))
	if len(a.States) == 0 {
		out = append(out, "", st.Dim.Render(c.T(i18n.AlertsNoRules)))
	} else {
		hdr := "  #  " + left(c.T(i18n.AlertsColRule), 26) + " " + left(c.T(i18n.HealthState), 8) + " " + right(c.T(i18n.AlertsColValue), 10) + "  " +
			left(c.T(i18n.AlertsColFired), 14) + " " + c.T(i18n.AlertsColRearm)
		out = append(out, "", st.Dim.Render(widgets.Cut(hdr, w)))
		for i, r := range a.States {
			l := " " + stateLine(c.Lang, i+1, r, mk.Now)
			if i == s.sel {
				l = st.Selected.Render(widgets.Fit(ansi.Strip(l), w))
			} else if !r.Armed {
				l = st.Warn.Render(widgets.Cut(l, w))
			}
			out = append(out, l)
		}
		if sel := a.States[s.sel].Rule; len(sel.Deliver) > 0 {
			d := c.F(i18n.AlertsDelivers, deliveries(c.Lang, sel.Deliver))
			if sel.Webhook != "" {
				d += " → " + model.Sanitize(sel.Webhook)
			}
			if len(sel.Command) > 0 {
				d += c.F(i18n.AlertsRuns, model.Sanitize(sel.Command[0]))
			}
			if sel.AnyTime {
				d += c.T(i18n.AlertsAnyTime)
			}
			out = append(out, st.Dim.Render(" "+d))
		}
	}
	out = append(out, "", st.Bold.Render(c.T(i18n.AlertsFired))+st.Dim.Render(c.T(i18n.AlertsNewest)))
	if len(a.Log) == 0 {
		out = append(out, st.Dim.Render(c.T(i18n.AlertsNoneYet)))
	}
	for i := len(a.Log) - 1; i >= 0 && len(out) < h; i-- {
		out = append(out, logLine(c.Lang, a.Log[i]))
	}
	return widgets.Clip(strings.Join(out, "\n"), w, h)
}

func logLine(l i18n.Lang, e model.AlertEvent) string {
	title, body := e.In(l)
	return " " + e.At.In(model.CST).Format("2006-01-02 15:04:05") + "  " + model.Sanitize(title) + " — " + model.Sanitize(body)
}

// left pads s with spaces to w cells (a Chinese character is two); right
// pads it on the left. A wider s is kept whole, as fmt's widths keep it.
func left(s string, w int) string  { return s + strings.Repeat(" ", max(0, w-widgets.Width(s))) }
func right(s string, w int) string { return strings.Repeat(" ", max(0, w-widgets.Width(s))) + s }

// stateLine is one rule of the table: number, rule, state, the last
// value seen, when it last fired and what re-arms it.
func stateLine(l i18n.Lang, n int, r model.AlertState, now time.Time) string {
	state := i18n.AlertArmed.In(l)
	var rearm []string
	if !r.Armed {
		state = i18n.AlertFiredState.In(l)
		switch {
		case r.Rule.Event():
			rearm = append(rearm, i18n.AlertRearmClear.In(l))
		case model.Known(r.RearmBelow):
			rearm = append(rearm, i18n.AlertRearmBelow.F(l, model.FormatAlertValueIn(l, r.Rule.Metric, r.RearmBelow)))
		case model.Known(r.RearmAbove):
			rearm = append(rearm, i18n.AlertRearmAbove.F(l, model.FormatAlertValueIn(l, r.Rule.Metric, r.RearmAbove)))
		}
	}
	if r.CoolUntil.After(now) {
		if r.Armed {
			state = i18n.AlertCooling.In(l)
		}
		rearm = append(rearm, i18n.AlertRearmAfter.F(l, r.CoolUntil.In(model.CST).Format("15:04:05")))
	}
	if r.Rule.Target == model.TargetContract {
		state, rearm = i18n.AlertWatching.In(l), nil
	}
	fired := widgets.Dash
	if !r.FiredAt.IsZero() {
		fired = clock(r.FiredAt.In(model.CST))
	}
	val := widgets.Dash
	if model.Known(r.Value) && !r.Rule.Event() && r.Rule.Target != model.TargetContract {
		val = model.FormatAlertValueIn(l, r.Rule.Metric, r.Value)
	}
	re := widgets.Dash
	if len(rearm) > 0 {
		re = strings.Join(rearm, " · ")
	}
	return fmt.Sprintf("%2d  %s %s %s  %s %s", n, widgets.Fit(r.Rule.Text, 26), widgets.Fit(state, 8), widgets.FitRight(val, 10), widgets.Fit(fired, 14), re)
}

// deliveryText names the ways an alert is delivered; a webhook is a webhook
// in either language.
var deliveryText = map[string]i18n.Text{
	model.DeliverStatus: i18n.DeliverStatus, model.DeliverBell: i18n.DeliverBell,
	model.DeliverDesktop: i18n.DeliverDesktop, model.DeliverCommand: i18n.DeliverCommand,
}

// deliveries lists a rule's deliveries in l.
func deliveries(l i18n.Lang, ds []string) string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d
		if t, ok := deliveryText[d]; ok {
			out[i] = t.In(l)
		}
	}
	return strings.Join(out, " ")
}
