package main

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

// damagedDB writes a few days of quotes, bars, margin and element prices
// into a new database, compacts it (no free pages left, so every page with
// a sound header is in use), then overwrites 64 bytes of a branch page
// (branch) or of the middle leaf page. It returns the damaged file.
func damagedDB(t *testing.T, dir, name string, branch bool) string {
	t.Helper()
	path := filepath.Join(dir, name)
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	syms := []string{"600111", "000831", "600010", "600392"}
	for d := range 5 {
		day := model.Date(2026, 1, 5).AddDate(0, 0, d)
		var b model.Batch
		for i, s := range syms {
			for m := range 240 {
				b.Quotes = append(b.Quotes, model.Quote{Symbol: s, Name: "北方稀土", Time: day.Add(9*time.Hour + 30*time.Minute + time.Duration(m)*time.Minute),
					Last: 40 + float64(i), PrevClose: 40, Open: 40, High: 41, Low: 39, Volume: 1e6, Amount: 4e7, Source: "eastmoney"})
			}
			b.Bars = append(b.Bars, model.Bar{Symbol: s, Interval: model.Daily, Time: day, Open: 40, High: 41, Low: 39, Close: 40, Volume: 1e6, Amount: 4e7, Source: "eastmoney"})
			b.Margin = append(b.Margin, model.MarginDay{Symbol: s, Date: day, FinBalance: 2e9, FinBuy: 1e8, FinRepay: 1e8, Source: "eastmoney"})
		}
		b.Elements = append(b.Elements, model.ElementPrice{Element: model.PrNdOxide, Date: day, Price: 560000, Source: "test"})
		if err := db.Append(b); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if _, _, err := store.CompactFile(path, time.Second); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const ps = 4096
	var pages []int
	for id := 2; id < len(data)/ps; id++ {
		h := data[id*ps:]
		flags := binary.LittleEndian.Uint16(h[8:])
		if binary.LittleEndian.Uint64(h) == uint64(id) && ((branch && flags == 0x01) || (!branch && flags == 0x02)) {
			pages = append(pages, id)
		}
	}
	if len(pages) == 0 {
		t.Fatal("no page to damage")
	}
	off := pages[len(pages)/2]*ps + 8
	for i := range 64 {
		data[off+i] = byte(0xa7 ^ i*37)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func wantPlainDamage(t *testing.T, what string, code int, stderr, path string) {
	t.Helper()
	if code != 1 || !strings.Contains(stderr, "database damaged: "+path+" (page ") ||
		!strings.Contains(stderr, "rareterm db salvage") || strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
		t.Errorf("%s: exit %d, stderr:\n%s", what, code, stderr)
	}
}

// Every command that opens a damaged file says so plainly: readers refuse
// with exit 1, writers move it aside and start a new database, compact
// refuses, salvage copies what it can.
func TestDamagedDatabaseCommands(t *testing.T) {
	for _, branch := range []bool{false, true} {
		dir := t.TempDir()
		path := damagedDB(t, dir, "rareterm.db", branch)
		orig, _ := os.ReadFile(path)
		cfg := filepath.Join(dir, "none.toml")

		code, _, errOut := rt(t, "db", "stats", "--db", path)
		wantPlainDamage(t, "db stats", code, errOut, path)
		code, _, errOut = rt(t, "db", "check", "--db", path)
		wantPlainDamage(t, "db check", code, errOut, path)
		code, _, errOut = rt(t, "db", "compact", "--db", path)
		wantPlainDamage(t, "db compact", code, errOut, path)
		code, out, errOut := rt(t, "export", "--series", "quotes", "--db", path)
		wantPlainDamage(t, "export", code, errOut, path)
		if out != "" {
			t.Errorf("export wrote %d bytes", len(out))
		}
		code, _, errOut = rt(t, "--offline", "--db", path, "--config", cfg)
		wantPlainDamage(t, "dashboard --offline", code, errOut, path)
		if now, _ := os.ReadFile(path); string(now) != string(orig) {
			t.Fatal("a reader changed the damaged file")
		}

		salvaged := filepath.Join(dir, "copy.db")
		code, out, errOut = rt(t, "db", "salvage", "--db", path, "--out", salvaged)
		if code != 0 || !strings.Contains(out, "salvaged "+path+" into "+salvaged) || !strings.Contains(out, "lost") {
			t.Errorf("salvage: exit %d\n%s\n%s", code, out, errOut)
		}
		if code, out, _ := rt(t, "db", "stats", "--db", salvaged); code != 0 || !strings.Contains(out, "quotes") {
			t.Errorf("stats of the salvaged copy: %d\n%s", code, out)
		}
		if now, _ := os.ReadFile(path); string(now) != string(orig) {
			t.Fatal("salvage changed the damaged file")
		}

		// A writer moves it aside, keeps its bytes and starts afresh.
		code, _, errOut = rt(t, "collect", "--once", "--demo", "--db", damagedDB(t, dir, "demo.db", branch), "--config", cfg)
		if code != 0 || !strings.Contains(errOut, "database damaged") || !strings.Contains(errOut, "moved it aside to") {
			t.Errorf("collect: exit %d\n%s", code, errOut)
		}
		aside, _ := filepath.Glob(filepath.Join(dir, "demo.db"+store.DamagedSuffix+"*"))
		if len(aside) != 1 {
			t.Fatalf("moved aside: %v", aside)
		}
		db, err := store.Open(filepath.Join(dir, "demo.db"), store.Options{Mode: store.ModeDemo, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := db.LatestQuote("600111"); !ok {
			t.Error("nothing collected into the new demo.db")
		}
		db.Close()
	}
}
