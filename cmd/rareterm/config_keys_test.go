package main

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/rareterm/rareterm/ui"
)

func TestConfigKeysRemap(t *testing.T) {
	src := "colors = \"chinese\"\n\n[keys]\nquit = [\"x\", \"ctrl+c\"]\nhelp = \"f1\"\n"
	c, err := parseConfig("c.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []ui.KeyBinding{{Action: "quit", Keys: []string{"x", "ctrl+c"}}, {Action: "help", Keys: []string{"f1"}}}
	if len(c.Keys) != 2 || c.Keys[0].Action != want[0].Action || strings.Join(c.Keys[0].Keys, ",") != "x,ctrl+c" || c.Keys[1].Keys[0] != "f1" {
		t.Errorf("keys %+v, want %+v", c.Keys, want)
	}
	// q is free again: it may go to another action.
	if _, err := parseConfig("c.toml", []byte("[keys]\nquit = [\"x\"]\nsort = [\"q\"]\n")); err != nil {
		t.Errorf("q freed by quit: %v", err)
	}
}

func TestConfigKeysErrorsNameFileLineAndKey(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"[keys]\nfrobnicate = [\"z\"]\n", "config c.toml:2: keys.frobnicate: unknown action (known: add, back,"},
		{"[keys]\nquit = [\"x\"]\n\nhelp = [\"x\"]\n", `config c.toml:4: keys.help: key "x" is also bound to quit`},
		{"[keys]\nsort = [\"a\"]\n", `config c.toml:2: keys.sort: key "a" is also bound to add`},
		{"[keys]\nrange = [\"1\", \"2\"]\n", "config c.toml:2: keys.range: wants six keys"},
		{"[keys]\nquit = []\n", "config c.toml:2: keys.quit: no keys given"},
		{"[keys]\nquit = 5\n", "config c.toml:2: keys.quit: want a list of key names"},
	} {
		_, err := parseConfig("c.toml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.src, err, c.want)
		}
	}
}

// The remapped keys reach the screen: the footer and the help show them,
// and they act.
func TestConfigKeysReachTheScreen(t *testing.T) {
	c, err := parseConfig("c.toml", []byte("[keys]\nsearch = [\"ctrl+f\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ui.CheckKeys(c.Keys); err != nil {
		t.Fatal(err)
	}
	m := ui.New(ui.Deps{Keys: c.Keys})
	m.Update(teaSize(200, 30))
	if s := m.View().Content; !strings.Contains(s, "ctrl+f") {
		t.Errorf("the footer does not show the remapped search key:\n%s", s)
	}
}

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
