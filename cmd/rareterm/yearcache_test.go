package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rareterm/rareterm/feeds/demo"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

// TestYearCache, run by scripts/yearcache, writes a home directory holding
// a demo database with a year of every panel's data for 50 symbols (the 15
// of the demo market and 35 more) and a config whose watchlist is those 50:
// the cache the memory goal of an idle dashboard is measured on. It does
// nothing unless RARETERM_YEARCACHE names the directory.
func TestYearCache(t *testing.T) {
	home := os.Getenv("RARETERM_YEARCACHE")
	if home == "" {
		t.Skip("RARETERM_YEARCACHE is not set")
	}
	data := filepath.Join(home, ".local", "share", "rareterm")
	conf := filepath.Join(home, ".config", "rareterm")
	for _, dir := range []string{data, conf} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(data, "demo.db")
	if _, err := os.Stat(path); err == nil {
		t.Fatalf("%s exists: give a new directory", path)
	}
	watch := demo.Symbols()
	for i := 0; len(watch) < 50; i++ {
		watch = append(watch, model.Symbol{Code: fmt.Sprintf("6011%02d", i), Market: model.MarketSSE, Name: fmt.Sprintf("稀土%02d", i)})
	}
	writeYearDB(t, path, store.Options{Mode: "demo"}, watch)
	var codes []string
	for _, s := range watch {
		codes = append(codes, fmt.Sprintf("%q", s.Code))
	}
	cfg := "[watchlist]\nsymbols = [" + strings.Join(codes, ", ") + "]\n"
	if err := os.WriteFile(filepath.Join(conf, "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d symbols, %.1f MB", path, len(watch), float64(st.Size())/1e6)
}
