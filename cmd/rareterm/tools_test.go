package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

func rt(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "rareterm.db")
	bad := filepath.Join(dir, "prices.csv")
	os.WriteFile(bad, []byte("date,element,price,unit,source\n"+
		"2026-02-02,氧化镨钕,68.5,万元/吨,SMM\n"+
		"2026-02-03,氧化镨钕,abc,万元/吨,SMM\n"+
		"2026-02-31,金属铽,7800000,元/吨,\n"), 0o600)

	code, out, errOut := rt(t, "import", "--db", dbPath, bad)
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	want := bad + ":3: column price: want a positive number, got \"abc\"\n" +
		bad + ":4: column date: \"2026-02-31\": want YYYY-MM-DD\n" +
		bad + ":4: column source: empty: every figure needs its source\n" +
		"rareterm import: " + bad + ": 3 problems; nothing imported\n"
	if errOut != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, want)
	}
	if _, err := os.Stat(dbPath); err == nil {
		t.Error("a bad file created the database")
	}

	good := filepath.Join(dir, "contract.csv")
	os.WriteFile(good, []byte("quarter,price,basis_reo,source,note\n2026Q2,27100,50,manual entry,\n2026Q1,26834,50,\"articles/001, articles/004 (announced 2026-01-09)\",\n"), 0o600)
	// Flags after the file are read too.
	code, out, errOut = rt(t, "import", good, "--db", dbPath)
	if code != 0 || out != "imported 2 rows (1 new, 0 changed, 1 unchanged)\n" || errOut != "" {
		t.Fatalf("exit %d\nstdout %q\nstderr %q", code, out, errOut)
	}
	code, out, _ = rt(t, "import", "--db", dbPath, good)
	if code != 0 || out != "imported 2 rows (0 new, 0 changed, 2 unchanged)\n" {
		t.Errorf("re-import: %d %q", code, out)
	}

	for _, args := range [][]string{{"import"}, {"import", "a", "b"}, {"import", "--nosuch", good}} {
		if code, _, errOut := rt(t, args...); code != 2 || !strings.Contains(errOut, "usage: rareterm import") {
			t.Errorf("%v: exit %d\n%s", args, code, errOut)
		}
	}
	if code, _, errOut := rt(t, "import", "--db", dbPath, filepath.Join(dir, "missing.csv")); code != 1 || !strings.Contains(errOut, "missing.csv") {
		t.Errorf("missing file: %d %s", code, errOut)
	}
}

// TestExportImportCommands: what export writes for elements and contract,
// import reads into a fresh database, value for value.
func TestExportImportCommands(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	db, err := store.Open(src, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Append(model.Batch{
		Elements: []model.ElementPrice{{Element: model.PrNdOxide, Date: model.Date(2026, 2, 2), Price: 685000.5, Low: 680000, High: 690000.25, Source: "SMM, via vendor", OrigUnit: "万元/吨"}},
		Quotes:   []model.Quote{{Symbol: "600111", Time: model.Date(2026, 2, 2).Add(10 * time.Hour), Last: 49.41, PrevClose: 48.73, Open: model.Unknown, High: model.Unknown, Low: model.Unknown, Volume: 1, Amount: 2, TurnoverPct: model.Unknown, MarketCap: model.Unknown, FloatCap: model.Unknown, PE: model.Unknown, MainNet: model.Unknown, High52: model.Unknown, Low52: model.Unknown, Source: "eastmoney"}},
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "dst.db")
	for _, series := range []string{"elements", "contract"} {
		code, out, errOut := rt(t, "export", "--series", series, "--db", src)
		if code != 0 || errOut != "" {
			t.Fatalf("export %s: %d %s", series, code, errOut)
		}
		f := filepath.Join(dir, series+".csv")
		os.WriteFile(f, []byte(out), 0o600)
		code, out, errOut = rt(t, "import", "--db", dst, f)
		// dst was created with the reference data: only the extra price is new.
		if code != 0 || errOut != "" || !strings.HasPrefix(out, "imported ") {
			t.Fatalf("import %s: %d %q %q", series, code, out, errOut)
		}
	}
	a, _ := store.Open(src, store.Options{ReadOnly: true})
	defer a.Close()
	b, _ := store.Open(dst, store.Options{ReadOnly: true})
	defer b.Close()
	ca, _ := a.Contract()
	cb, _ := b.Contract()
	if len(ca) != len(cb) {
		t.Fatalf("contract %d vs %d", len(ca), len(cb))
	}
	for i := range ca {
		if ca[i] != cb[i] {
			t.Errorf("%+v != %+v", ca[i], cb[i])
		}
	}
	ids, _ := a.ElementIDs()
	for _, id := range ids {
		sa, _ := a.ElementSeries(id, time.Time{}, time.Time{})
		sb, _ := b.ElementSeries(id, time.Time{}, time.Time{})
		if len(sa) != len(sb) {
			t.Fatalf("%s: %d vs %d", id, len(sa), len(sb))
		}
		for i := range sa {
			x, y := sa[i], sb[i]
			if !x.Date.Equal(y.Date) || x.Source != y.Source || x.OrigUnit != y.OrigUnit || !eqNaN(x.Price, y.Price) || !eqNaN(x.Low, y.Low) || !eqNaN(x.High, y.High) {
				t.Errorf("%s: %+v != %+v", id, x, y)
			}
		}
	}

	// JSON to stdout, with filters; NaN as null.
	code, out, errOut := rt(t, "export", "--series", "quotes", "--symbol", "sh600111", "--from", "2026-02-02", "--to", "2026-02-02", "--format", "json", "--db", src)
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 || rows[0]["open"] != nil || rows[0]["last"] != 49.41 {
		t.Errorf("json export: %d %s %s", code, out, errOut)
	}
	code, out, _ = rt(t, "export", "--series", "quotes", "--from", "2026-02-03", "--db", src)
	if code != 0 || strings.Count(out, "\n") != 1 {
		t.Errorf("--from after the data: %q", out)
	}
	for _, args := range [][]string{
		{"export"}, {"export", "--series", "ticks"}, {"export", "--series", "quotes", "--format", "xml"},
		{"export", "--series", "quotes", "--from", "yesterday"}, {"export", "--series", "contract", "--symbol", "600111"},
		{"export", "--series", "quotes", "--from", "2026-02-03", "--to", "2026-02-02"},
	} {
		if code, _, errOut := rt(t, append(args, "--db", src)...); code != 2 || !strings.Contains(errOut, "usage: rareterm export") {
			t.Errorf("%v: exit %d\n%s", args, code, errOut)
		}
	}
	if code, _, errOut := rt(t, "export", "--series", "quotes", "--db", filepath.Join(dir, "none.db")); code != 1 || !strings.Contains(errOut, "no database") {
		t.Errorf("no database: %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("export created a database")
	}
}

func eqNaN(a, b float64) bool { return a == b || (a != a && b != b) }

func TestDBCommands(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "rareterm.db")
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var batch model.Batch
	for i := range 3000 {
		q := model.Quote{Symbol: "600111", Time: model.Date(2026, 1, 5).Add(9*time.Hour + 30*time.Minute + time.Duration(i)*5*time.Second),
			Last: 49, PrevClose: 48, Open: 48, High: 50, Low: 47, Volume: float64(i), Amount: float64(i * 49), Source: "eastmoney"}
		batch.Quotes = append(batch.Quotes, q)
	}
	db.Append(batch)
	db.Retain(model.Date(2026, 3, 1), 30) // the quotes become minute bars, the pages they used are free
	db.Close()

	code, out, errOut := rt(t, "db", "stats", "--db", dbPath)
	if code != 0 || errOut != "" {
		t.Fatalf("stats: %d %s", code, errOut)
	}
	for _, want := range []string{dbPath + ": live database, schema 2", "bars_1m      1       250      2026-01-05 09:30  2026-01-05 13:39",
		"contract     -       14       2022-01-01        2026-01-01", "free pages"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = rt(t, "db", "compact", "--db", dbPath)
	if code != 0 || !strings.Contains(out, "compacted "+dbPath) || !strings.Contains(out, "before ") || !strings.Contains(out, "after ") {
		t.Errorf("compact: %d %s %s", code, out, errOut)
	}
	if code, out, _ := rt(t, "db", "check", "--db", dbPath); code != 0 || !strings.Contains(out, "consistent") {
		t.Errorf("check: %d %s", code, out)
	}
	held, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := rt(t, "db", "compact", "--db", dbPath); code != 1 || !strings.Contains(errOut, "database in use: "+dbPath) {
		t.Errorf("compact while in use: %d %s", code, errOut)
	}
	held.Close()
	for _, args := range [][]string{{"db"}, {"db", "vacuum"}, {"db", "stats", "extra"}} {
		if code, _, errOut := rt(t, args...); code != 2 || !strings.Contains(errOut, "usage: rareterm db") {
			t.Errorf("%v: %d %s", args, code, errOut)
		}
	}
	if code, out, _ := rt(t, "help"); code != 0 || !strings.Contains(out, "collect") {
		t.Errorf("help: %d %s", code, out)
	}
	if code, _, _ := rt(t, "collect", "--help"); code != 0 {
		t.Errorf("collect --help: %d", code)
	}
	if code, _, errOut := rt(t, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown: %d %s", code, errOut)
	}
}

// Commands that read never create a database.
func TestReadingCommandsCreateNoDatabase(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "data", "rareterm.db")
	for _, args := range [][]string{
		{"db", "stats", "--db", dbPath}, {"db", "check", "--db", dbPath}, {"db", "compact", "--db", dbPath},
		{"db", "salvage", "--db", dbPath}, {"export", "--series", "contract", "--db", dbPath},
	} {
		code, _, errOut := rt(t, args...)
		if code == 0 || !strings.Contains(errOut, dbPath) {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
		if _, err := os.Stat(dbPath); err == nil {
			t.Fatalf("%v created %s", args, dbPath)
		}
	}
}
