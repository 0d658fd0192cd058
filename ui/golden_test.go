package ui

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/rareterm/rareterm/ui/screens/dashboard"
)

// The screens with goldens and the size sweep: every view, plus the
// ticker with an overlay and the command line open.
var screens = func() map[string][]string {
	out := map[string][]string{
		"ticker_overlay": {"tab", "tab", "enter", "o", "2"},
		"cmdline":        {":", "a", "d", "d", "space", "6"},
	}
	for k, v := range views {
		out[k] = v
	}
	return out
}()

func names(m map[string][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Every screen at the four sizes people run it at, ANSI stripped; refresh
// with go test ./ui -run Golden -update.
func TestScreenGoldens(t *testing.T) {
	for _, name := range names(screens) {
		for _, sz := range [][2]int{{80, 24}, {120, 40}, {160, 48}, {200, 60}} {
			t.Run(fmt.Sprintf("%s/%dx%d", name, sz[0], sz[1]), func(t *testing.T) {
				m := sized(fixtureModel(name == "dashboard"), sz[0], sz[1])
				press(m, screens[name]...)
				s := screenText(m)
				checkFits(t, name, s, sz[0], sz[1])
				golden.RequireEqual(t, s)
			})
		}
	}
}

// Every dashboard panel, cut out of the screen (the ladder where the grid
// has room for it).
func TestPanelGoldens(t *testing.T) {
	for _, sz := range [][2]int{{160, 48}, {80, 24}, {200, 60}} {
		m := sized(fixtureModel(false), sz[0], sz[1])
		for p := dashboard.Panel(0); p < dashboard.NumPanels; p++ {
			if (p == dashboard.Ladder) != (sz[0] == 200) {
				continue
			}
			t.Run(fmt.Sprintf("%s/%dx%d", strings.ToLower(dashboard.PanelNames[p]), sz[0], sz[1]), func(t *testing.T) {
				golden.RequireEqual(t, ansi.Strip(dash(m).Frame(p)))
			})
		}
	}
}

// No screen overflows any terminal from 20×5 to 240×70.
func TestSizeSweepNeverOverflows(t *testing.T) {
	for _, name := range names(screens) {
		for w := 20; w <= 240; w += 11 {
			// Opened at the smallest height, then resized through the others.
			m := sized(fixtureModel(true), w, 5)
			press(m, screens[name]...)
			for h := 5; h <= 70; h += 7 {
				sized(m, w, h)
				checkFits(t, fmt.Sprintf("%s at %dx%d", name, w, h), screenText(m), w, h)
			}
		}
	}
}
