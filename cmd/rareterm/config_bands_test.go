package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

func TestConfigBands(t *testing.T) {
	c, err := parseConfig("x.toml", []byte("colors = \"western\"\n\n[elements.bands]\nprnd_oxide = [200000, 2000000.5]\n\"Tb oxide\" = [1e6, 1e8]\n"))
	if err != nil {
		t.Fatal(err)
	}
	def := model.DefaultBands()
	if c.Bands[model.PrNdOxide] != (model.Band{Min: 200000, Max: 2000000.5}) || c.Bands[model.TbOxide] != (model.Band{Min: 1e6, Max: 1e8}) ||
		c.Bands[model.LaOxide] != def[model.LaOxide] {
		t.Errorf("bands: %v", c.Bands)
	}
	if d, _ := parseConfig("x.toml", []byte("colors = \"western\"\n")); d.Bands[model.PrNdOxide] != def[model.PrNdOxide] {
		t.Errorf("default bands: %v", d.Bands)
	}
	for _, c := range []struct{ file, want string }{
		{"[elements.bands]\nprnd_oxide = [200000]\n", "config x.toml:2: elements.bands.prnd_oxide: want [min, max]"},
		{"colors = \"western\"\n[elements.bands]\nfoo_oxide = [1, 2]\n", "config x.toml:3: elements.bands.foo_oxide: unknown element"},
		{"[elements.bands]\nprnd_oxide = [2000000, 200000]\n", "config x.toml:2: elements.bands.prnd_oxide: want 0 < min < max"},
		{"[elements.bands]\nprnd_oxide = [0, 200000]\n", "x.toml:2: elements.bands.prnd_oxide: want 0 < min < max"},
		{"[elements.bands]\nprnd_oxide = [1, inf]\n", "x.toml:2: elements.bands.prnd_oxide: want 0 < min < max"},
		{"[elements.bands]\nprnd_oxide = [\"a\", 2]\n", "x.toml:2: elements.bands.prnd_oxide: want [min, max]"},
		{"[elements]\nfoo = 1\n", "config x.toml:2: elements.foo: unknown key"},
		// An unknown key after a band is still found.
		{"[elements.bands]\nprnd_oxide = [1, 2]\n[index]\nnosuch = 1\n", "index.nosuch: unknown key"},
	} {
		if _, err := parseConfig("x.toml", []byte(c.file)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v\nwant %q", c.file, err, c.want)
		}
	}
}

// The dashboard's manual entry (:price) refuses an absurd figure with the
// band in the message, and stores a plausible one.
func TestManualPriceRefusesAbsurdFigures(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "rareterm.db"), store.Options{NoReference: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	save := savePrices(db, DefaultConfig().Bands)
	p := model.ElementPrice{Element: model.PrNdOxide, Date: model.Date(2026, 2, 2), Price: 1e308, Low: math.NaN(), High: math.NaN(), Source: "manual", OrigUnit: "元/吨"}
	if err := save([]model.ElementPrice{p}); err == nil || !strings.Contains(err.Error(), "PrNd oxide price 1e+308 元/吨 is outside its plausible band [80,000, 5,500,000] 元/吨") {
		t.Errorf("1e308: %v", err)
	}
	p.Price = math.Inf(1)
	if err := save([]model.ElementPrice{p}); err == nil {
		t.Error("+Inf stored")
	}
	if s, _ := db.ElementSeries(model.PrNdOxide, time.Time{}, time.Time{}); len(s) != 0 {
		t.Errorf("stored: %v", s)
	}
	p.Price = 690000
	if err := save([]model.ElementPrice{p}); err != nil {
		t.Error(err)
	}
	// A configured band is the one applied.
	narrow := savePrices(db, model.Bands{model.PrNdOxide: {Min: 700000, Max: 800000}})
	if err := narrow([]model.ElementPrice{p}); err == nil || !strings.Contains(err.Error(), "[700,000, 800,000]") {
		t.Errorf("configured band: %v", err)
	}
}

// Import refuses 1e308 (the index is left as it was), a mixed header, and
// applies the configured bands.
func TestImportRefusesAbsurdFigures(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "rareterm.db")
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("date,element,price,source\n2026-02-02,prnd_oxide,690000,SMM\n"), 0o600)
	if code, _, errOut := rt(t, "import", "--db", dbPath, "--config", filepath.Join(dir, "none.toml"), good); code != 0 {
		t.Fatalf("good file: %d %s", code, errOut)
	}
	snapshot := func() []byte { b, _ := os.ReadFile(dbPath); return b }
	before := snapshot()
	for _, c := range []struct{ file, want string }{
		{"date,element,price,source\n2026-02-03,prnd_oxide,1e308,SMM\n", ":2: column price: PrNd oxide price 1e+308 元/吨 is outside its plausible band [80,000, 5,500,000] 元/吨"},
		{"date,element,price,unit,source\n2026-02-03,prnd_oxide,1e308,万元/吨,SMM\n", ":2: column price: 1e308 万元/吨: PrNd oxide price +Inf is not a number"},
		{"quarter,element,price,source\n2026Q1,prnd_oxide,700000,x\n", ":1: the header names both a quarter column (contract quarters) and an element column"},
		{"quarter,price,source\n2026Q1,700000,x\n", ":2: column price: 700000 元/吨 is outside the contract's plausible band"},
	} {
		f := filepath.Join(dir, "bad.csv")
		os.WriteFile(f, []byte(c.file), 0o600)
		code, _, errOut := rt(t, "import", "--db", dbPath, "--config", filepath.Join(dir, "none.toml"), f)
		if code != 1 || !strings.Contains(errOut, f+c.want) || !strings.Contains(errOut, "nothing imported") {
			t.Errorf("%q: exit %d\n%s\nwant %q", c.file, code, errOut, c.want)
		}
	}
	if string(snapshot()) != string(before) {
		t.Error("a refused import changed the database")
	}
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[elements.bands]\nprnd_oxide = [700000, 800000]\n"), 0o600)
	if code, _, errOut := rt(t, "import", "--db", dbPath, "--config", cfg, good); code != 1 || !strings.Contains(errOut, "[700,000, 800,000]") {
		t.Errorf("configured band: %d %s", code, errOut)
	}
}

// Hostile text in an imported file is stored clean, and neither the
// import's messages nor the export carry a control character.
func TestImportExportHostileText(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "rareterm.db")
	cfg := filepath.Join(dir, "none.toml")
	const esc = "\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x00\x1b[2J"
	f := filepath.Join(dir, "p.csv")
	os.WriteFile(f, []byte("date,element,price,source\n2026-02-02,\"氧化镨钕"+esc+"\",690000,\"SMM"+esc+"\"\n"), 0o600)
	if code, _, errOut := rt(t, "import", "--db", dbPath, "--config", cfg, f); code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	os.WriteFile(f, []byte("date,element,price,source\n2026-02-03,bogus"+esc+",\"69"+esc+"\",x\n"), 0o600)
	code, _, errOut := rt(t, "import", "--db", dbPath, "--config", cfg, f)
	if code != 1 || !strings.Contains(errOut, "column price: holds control characters (ESC, BEL, NUL)") {
		t.Errorf("import of a hostile figure: %d %q", code, errOut)
	}
	for _, format := range []string{"csv", "json"} {
		code, out, errOut := rt(t, "export", "--series", "elements", "--format", format, "--db", dbPath)
		if code != 0 || !strings.Contains(out, "SMM") {
			t.Fatalf("export: %d %s", code, errOut)
		}
		for _, s := range []string{out, errOut} {
			if strings.ContainsAny(s, "\x1b\x00\x07\u009b") || strings.Contains(s, "pwned") {
				t.Errorf("export %s: %q", format, s)
			}
		}
	}
}
