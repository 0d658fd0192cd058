package common

import (
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
)

// Printable keeps the printable characters of s (spaces included): control
// characters, bidi overrides and escape sequences never reach an input.
func Printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsPrint(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// PrintableKey is a key press with its text made Printable.
func PrintableKey(msg tea.KeyPressMsg) tea.KeyPressMsg {
	if msg.Text != "" {
		msg.Text = Printable(msg.Text)
	}
	return msg
}
