// Package cmdline is the `:` command line: a text field with history on
// up/down and completion on tab. It is not a screen on the stack but the
// footer's input; the root runs the lines it returns.
package cmdline

import (
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Commands are the command names, for completion.
var Commands = []string{"add", "rm", "range", "goto", "price", "export", "alert", "alerts", "ladder", "margin", "q"}

// KeyMap is the command line's keys; the field's own (cursor, word
// delete, paste) are bubbles/textinput's.
type KeyMap struct {
	Run, Cancel, Complete, Older, Newer, WordBack, Paste key.Binding
}

// DefaultKeyMap returns the command line's keys, their help in l.
func DefaultKeyMap(l i18n.Lang) KeyMap {
	ti := textinput.DefaultKeyMap()
	h := func(k string, t i18n.Text) key.BindingOpt { return key.WithHelp(k, t.In(l)) }
	return KeyMap{
		Run:      key.NewBinding(key.WithKeys("enter"), h("enter", i18n.KeyRunCommand)),
		Cancel:   key.NewBinding(key.WithKeys("esc"), h("esc", i18n.KeyClose)),
		Complete: key.NewBinding(key.WithKeys("tab"), h("tab", i18n.KeyComplete)),
		Older:    key.NewBinding(key.WithKeys("up"), h("↑", i18n.KeyOlderCmd)),
		Newer:    key.NewBinding(key.WithKeys("down"), h("↓", i18n.KeyNewerCmd)),
		WordBack: key.NewBinding(key.WithKeys(ti.DeleteWordBackward.Keys()...), h("ctrl+w", i18n.KeyDeleteWord)),
		Paste:    key.NewBinding(key.WithKeys(ti.Paste.Keys()...), h("ctrl+v", i18n.KeyPaste)),
	}
}

// FullHelp lists the command line's keys for the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Run, k.Cancel, k.Complete}, {k.Older, k.Newer, k.WordBack, k.Paste}}
}

// Model is the command line.
type Model struct {
	c       common.Common
	keys    KeyMap
	input   textinput.Model
	active  bool
	history []string
	hpos    int // index into history while browsing; len(history) = new line
}

// New builds a closed command line.
func New(c common.Common) Model {
	in := textinput.New()
	in.Prompt = ":"
	st := in.Styles()
	st.Cursor.Blink = false // a blinking cursor would redraw an idle screen
	in.SetStyles(st)
	// Up, down and tab are the command line's own: history and completion.
	in.KeyMap.NextSuggestion.SetEnabled(false)
	in.KeyMap.PrevSuggestion.SetEnabled(false)
	in.KeyMap.AcceptSuggestion.SetEnabled(false)
	return Model{c: c, keys: DefaultKeyMap(c.Lang), input: in}
}

// Keys is the command line's key map.
func (m *Model) Keys() KeyMap { return m.keys }

// Active reports whether the command line is open.
func (m *Model) Active() bool { return m.active }

// Value is the text typed so far.
func (m *Model) Value() string { return m.input.Value() }

// Open shows the command line with prefill typed.
func (m *Model) Open(prefill string) {
	m.active = true
	m.input.SetValue(prefill)
	m.input.CursorEnd()
	m.input.Focus()
	m.hpos = len(m.history)
}

// Update handles a key or a paste. It returns the line to run when enter
// was pressed on a non-empty line.
func (m *Model) Update(msg tea.Msg) (line string, run bool, cmd tea.Cmd) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		m.input, cmd = m.input.Update(tea.PasteMsg{Content: common.Printable(msg.Content)})
		return "", false, cmd
	case tea.KeyPressMsg:
		k := m.keys
		switch {
		case key.Matches(msg, k.Cancel):
			m.close()
		case key.Matches(msg, k.Run):
			line := strings.TrimSpace(m.input.Value())
			m.close()
			if line == "" {
				return "", false, nil
			}
			if n := len(m.history); n == 0 || m.history[n-1] != line {
				m.history = append(m.history, line)
			}
			return line, true, nil
		case key.Matches(msg, k.Complete):
			m.input.SetValue(m.Complete(m.input.Value()))
			m.input.CursorEnd()
		case key.Matches(msg, k.Older):
			if m.hpos > 0 {
				m.hpos--
				m.input.SetValue(m.history[m.hpos])
				m.input.CursorEnd()
			}
		case key.Matches(msg, k.Newer):
			if m.hpos < len(m.history)-1 {
				m.hpos++
				m.input.SetValue(m.history[m.hpos])
			} else {
				m.hpos = len(m.history)
				m.input.SetValue("")
			}
			m.input.CursorEnd()
		default:
			m.input, cmd = m.input.Update(common.PrintableKey(msg))
		}
	}
	return "", false, cmd
}

func (m *Model) close() {
	m.active = false
	m.input.Blur()
}

// View is the input line drawn in place of the status bar.
func (m *Model) View(w int) string { return widgets.Fit(m.input.View(), w) }

// SetWidth sets the terminal's width.
func (m *Model) SetWidth(w int) { m.input.SetWidth(max(w-2, 1)) }

// Complete extends the input: a command name, a code after add/rm, an
// element after price, a range after range.
func (m *Model) Complete(in string) string {
	fields := strings.Fields(in)
	trailing := strings.HasSuffix(in, " ")
	var cands []string
	prefix := ""
	switch {
	case len(fields) == 0:
		return in
	case len(fields) == 1 && !trailing:
		cands, prefix = Commands, fields[0]
	default:
		if !trailing {
			prefix = fields[len(fields)-1]
		}
		switch fields[0] {
		case "add", "rm":
			for _, s := range m.c.Market.Candidates() {
				if s.Market != model.MarketBoard {
					cands = append(cands, s.Code)
				}
			}
		case "range":
			for _, r := range widgets.RangeNames {
				cands = append(cands, strings.ToLower(r))
			}
		case "price":
			// The product is the first argument, possibly quoted with spaces.
			rest := strings.TrimLeft(strings.TrimPrefix(in, fields[0]), " ")
			if strings.Count(rest, `"`) >= 2 || (!strings.HasPrefix(rest, `"`) && strings.Contains(rest, " ")) {
				return in // past the product
			}
			prefix = strings.ToLower(strings.TrimPrefix(rest, `"`))
			var quoted []string
			for _, e := range model.Elements {
				name := widgets.ElementName(m.c.Lang, e.ID)
				if strings.HasPrefix(strings.ToLower(name), prefix) {
					quoted = append(quoted, `"`+name+`"`)
				} else if name != e.Short && strings.HasPrefix(strings.ToLower(e.Short), prefix) {
					quoted = append(quoted, `"`+e.Short+`"`)
				}
			}
			if len(quoted) == 1 {
				return fields[0] + " " + quoted[0] + " "
			}
			return in
		}
	}
	sort.Strings(cands)
	var hits []string
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) {
			hits = append(hits, c)
		}
	}
	if len(hits) == 0 {
		return in
	}
	// Extend to the longest common prefix; a single hit completes with a space.
	lcp := hits[0]
	for _, h := range hits[1:] {
		for !strings.HasPrefix(h, lcp) {
			lcp = lcp[:len(lcp)-1]
		}
	}
	base := in
	if !trailing {
		base = strings.TrimSuffix(in, prefix)
	}
	if len(hits) == 1 {
		return base + lcp + " "
	}
	return base + lcp
}
