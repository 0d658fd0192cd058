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
	"github.com/rareterm/rareterm/store"
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
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("saved to the config")) }, teatest.WithDuration(30*time.Second)) // a deadline, for a loaded machine
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

// In --demo the watchlist keys save to the demo database, never to the
// config file; the next demo run starts from that list.
func TestDemoWatchlistNeverWritesTheConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	src := "[watchlist]\nsymbols = [\"600111\", \"000831\"]\n"
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(filepath.Join(dir, "demo.db"), store.Options{Mode: store.ModeDemo})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	save := watchlistSaver(true, false, path, db)
	if save == nil {
		t.Fatal("no saver in the demo")
	}
	if err := save([]string{"600111", "000831", "600392"}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != src {
		t.Errorf("the demo wrote the config:\n%s", b)
	}
	if codes, ok, err := db.Watchlist(); err != nil || !ok || strings.Join(codes, ",") != "600111,000831,600392" {
		t.Errorf("demo watchlist: %v %v %v", codes, ok, err)
	}
	if watchlistSaver(false, true, path, db) != nil {
		t.Error("offline review saves a watchlist")
	}
}

// :add and :rm keep the comments of a multi-line symbols array.
func TestWatchlistEditKeepsCommentsInAMultiLineArray(t *testing.T) {
	src := `# desk
[watchlist]
symbols = [  # the names we trade
  # upstream
  "600111",  # 北方稀土, the buyer
  "600010",  # 包钢股份, the seller
  # magnets
  "300748",
  # more to come
]  # end
boards = ["BK0578"]
`
	got := setWatchlistSymbols(src, []string{"600111", "300748", "000831"})
	want := `# desk
[watchlist]
symbols = [  # the names we trade
  # upstream
  "600111",  # 北方稀土, the buyer
  # magnets
  "300748",
  "000831",
  # more to come
]  # end
boards = ["BK0578"]
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if _, err := parseConfig("x.toml", []byte(got)); err != nil {
		t.Errorf("the result does not parse: %v", err)
	}
	// A one-line array stays on one line.
	one := "[watchlist]\nsymbols = [\"600111\"]  # core\n"
	if got := setWatchlistSymbols(one, []string{"600111", "000831"}); got != "[watchlist]\nsymbols = [\"600111\", \"000831\"]  # core\n" {
		t.Errorf("one line: %q", got)
	}
}
