package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles is every style the screen uses, built once from the theme and the
// up/down colour convention and handed to each view.
type Styles struct {
	Up, Down, Flat  lipgloss.Style
	Dim             lipgloss.Style // stale values, placeholders
	Bold            lipgloss.Style
	Title           lipgloss.Style // panel titles
	TitleFocused    lipgloss.Style
	Border          lipgloss.Style // panel frame
	BorderFocused   lipgloss.Style
	Selected        lipgloss.Style // selected row in the focused panel
	SelectedBlurred lipgloss.Style // selected row elsewhere
	Header          lipgloss.Style
	Demo            lipgloss.Style // the DEMO badge
	AsOf            lipgloss.Style // the AS OF badge
	OK, Warn, Bad   lipgloss.Style // feed health dots
	Key, KeyDesc    lipgloss.Style // help
	Error           lipgloss.Style
	Chart           lipgloss.Style
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
	s := Styles{
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
	return s
}

// move picks the style for a signed change.
func (s Styles) move(v float64) lipgloss.Style {
	switch {
	case v > 0:
		return s.Up
	case v < 0:
		return s.Down
	}
	return s.Flat
}
