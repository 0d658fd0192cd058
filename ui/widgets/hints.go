package widgets

import (
	"strings"

	"charm.land/bubbles/v2/key"
)

// KeyHints is a one-line reminder of bindings, "key what · key what", from
// the bindings themselves so the text follows a remap.
func KeyHints(bs []key.Binding) string {
	var parts []string
	for _, b := range bs {
		if b.Enabled() {
			parts = append(parts, b.Help().Key+" "+b.Help().Desc)
		}
	}
	return strings.Join(parts, " · ")
}
