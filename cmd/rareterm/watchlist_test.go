package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui"
)

// runWatchlistCommand starts the program on the config at path, types a
// command line, waits until the save is reported, and quits.
func runWatchlistCommand(t *testing.T, path, line string) {
	t.Helper()
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	m := ui.New(ui.Deps{
		Watchlist: cfg.Watchlist, NoColor: true,
		Now:           func() time.Time { return time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST) },
		SaveWatchlist: func(codes []string) error { return SaveWatchlist(path, codes) },
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	tm.Type(":" + line)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("watchlist saved")) }, teatest.WithDuration(30*time.Second)) // a deadline, for a loaded machine
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(30*time.Second))
}

func watchCodes(t *testing.T, path string) string {
	t.Helper()
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	var c []string
	for _, s := range cfg.Watchlist {
		c = append(c, s.Code)
	}
	return strings.Join(c, ",")
}

func TestWatchlistEditsSurviveRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	src := "# desk config\ncolors = \"western\"  # green up\n\n[watchlist]\n# core names\nsymbols = [\"600111\", \"000831\"]\nboards = [\"BK0578\"]\n"
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	runWatchlistCommand(t, path, "add 600392")
	if got := watchCodes(t, path); got != "600111,000831,600392" {
		t.Fatalf("after :add and a restart the watchlist is %s", got)
	}
	runWatchlistCommand(t, path, "rm 000831")
	if got := watchCodes(t, path); got != "600111,600392" {
		t.Fatalf("after :rm and a restart the watchlist is %s", got)
	}
	b, _ := os.ReadFile(path)
	for _, keep := range []string{"# desk config", "colors = \"western\"  # green up", "# core names", "boards = [\"BK0578\"]"} {
		if !strings.Contains(string(b), keep) {
			t.Errorf("the config lost %q:\n%s", keep, b)
		}
	}
}
