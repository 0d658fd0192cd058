package widgets

import (
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"
)

// Ink is an inline style: the escape sequences lipgloss would put around a
// single-line string, worked out once, so styling a table cell is a string
// concatenation instead of a full lipgloss render (the dashboard styles
// hundreds of cells a frame).
type Ink struct{ pre, post string }

// inkOf captures st's prefix and suffix by rendering a sentinel.
func inkOf(st lipgloss.Style) Ink {
	const sentinel = "\ue000"
	r := st.Render(sentinel)
	i := strings.Index(r, sentinel)
	if i < 0 {
		return Ink{}
	}
	return Ink{pre: r[:i], post: r[i+len(sentinel):]}
}

// Render styles a single-line string.
func (k Ink) Render(s string) string {
	if k.pre == "" && k.post == "" {
		return s
	}
	return k.pre + s + k.post
}

// Styles is every style the screen uses, built once from the theme and the
// up/down colour convention and handed to each view.
type Styles struct {
	Up, Down, Flat  Ink
	Dim             Ink // stale values, placeholders
	Bold            Ink
	Title           Ink // panel titles
	TitleFocused    Ink
	Border          Ink // panel frame
	BorderFocused   Ink
	Selected        Ink // selected row in the focused panel
	SelectedBlurred Ink // selected row elsewhere
	Header          Ink
	Demo            Ink // the DEMO badge
	AsOf            Ink // the AS OF badge
	OK, Warn, Bad   Ink // feed health dots
	Key, KeyDesc    Ink // help
	Error           Ink
	Chart           Ink
	MA              [3]Ink // MA5, MA10, MA20 on a K-line

	// The help bubble takes lipgloss styles.
	HelpKey, HelpDesc lipgloss.Style
}

// Lines styles every line of a multi-line string.
func (k Ink) Lines(s string) string {
	if k.pre == "" && k.post == "" {
		return s
	}
	ls := strings.Split(s, "\n")
	for i, l := range ls {
		ls[i] = k.pre + l + k.post
	}
	return strings.Join(ls, "\n")
}

// styleSet is Styles as lipgloss styles, before they are turned into inks.
type styleSet struct {
	Up, Down, Flat, Dim, Bold, Title, TitleFocused, Border, BorderFocused lipgloss.Style
	Selected, SelectedBlurred, Header, Demo, AsOf, OK, Warn, Bad          lipgloss.Style
	Key, KeyDesc, Error, Chart                                            lipgloss.Style
	MA                                                                    [3]lipgloss.Style
}

// NewStyles builds the styles. western flips the colour convention (green
// up, red down); noColor leaves out every colour and keeps only attributes.
func NewStyles(western, noColor bool) Styles {
	red, green := lipgloss.Color("#ef4444"), lipgloss.Color("#22c55e")
	up, down := red, green
	if western {
		up, down = green, red
	}
	accent := lipgloss.Color("#60a5fa")
	muted := lipgloss.Color("#6b7280")
	amber := lipgloss.Color("#f59e0b")
	fg := func(c color.Color) lipgloss.Style {
		if noColor {
			return lipgloss.NewStyle()
		}
		return lipgloss.NewStyle().Foreground(c)
	}
	s := styleSet{
		Up:            fg(up),
		Down:          fg(down),
		Flat:          lipgloss.NewStyle(),
		Dim:           lipgloss.NewStyle().Faint(true),
		Bold:          lipgloss.NewStyle().Bold(true),
		Title:         lipgloss.NewStyle().Bold(true),
		TitleFocused:  fg(accent).Bold(true),
		Border:        fg(muted),
		BorderFocused: fg(accent),
		Header:        lipgloss.NewStyle().Bold(true),
		Demo:          lipgloss.NewStyle().Bold(true).Reverse(true),
		AsOf:          lipgloss.NewStyle().Bold(true).Reverse(true),
		OK:            fg(green),
		Warn:          fg(amber),
		Bad:           fg(red).Bold(true),
		Key:           fg(accent).Bold(true),
		KeyDesc:       fg(muted),
		Error:         fg(red).Bold(true),
		Chart:         fg(accent),
		MA:            [3]lipgloss.Style{fg(amber), fg(lipgloss.Color("#d946ef")), fg(lipgloss.Color("#2dd4bf"))},
	}
	if noColor {
		s.Selected = lipgloss.NewStyle().Reverse(true)
		s.SelectedBlurred = lipgloss.NewStyle().Underline(true)
		s.Demo = lipgloss.NewStyle().Reverse(true)
		s.Dim = lipgloss.NewStyle().Faint(true)
		s.Bad = lipgloss.NewStyle().Bold(true)
		s.Error = lipgloss.NewStyle().Bold(true)
	} else {
		s.Selected = lipgloss.NewStyle().Background(lipgloss.Color("#1e3a5f")).Bold(true)
		s.SelectedBlurred = lipgloss.NewStyle().Background(lipgloss.Color("#27272a"))
		s.Demo = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#000000")).Background(amber)
		s.AsOf = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#000000")).Background(accent)
	}
	return Styles{
		Up: inkOf(s.Up), Down: inkOf(s.Down), Flat: inkOf(s.Flat), Dim: inkOf(s.Dim), Bold: inkOf(s.Bold),
		Title: inkOf(s.Title), TitleFocused: inkOf(s.TitleFocused), Border: inkOf(s.Border), BorderFocused: inkOf(s.BorderFocused),
		Selected: inkOf(s.Selected), SelectedBlurred: inkOf(s.SelectedBlurred), Header: inkOf(s.Header), Demo: inkOf(s.Demo),
		AsOf: inkOf(s.AsOf), OK: inkOf(s.OK), Warn: inkOf(s.Warn), Bad: inkOf(s.Bad), Key: inkOf(s.Key), KeyDesc: inkOf(s.KeyDesc),
		Error: inkOf(s.Error), Chart: inkOf(s.Chart), MA: [3]Ink{inkOf(s.MA[0]), inkOf(s.MA[1]), inkOf(s.MA[2])},
		HelpKey: s.Key, HelpDesc: s.KeyDesc,
	}
}

// Move picks the style for a signed change.
func (s Styles) Move(v float64) Ink {
	switch {
	case v > 0:
		return s.Up
	case v < 0:
		return s.Down
	}
	return s.Flat
}
