package store

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rareterm/rareterm/model"
)

func TestExportFormats(t *testing.T) {
	db := newDB(t)
	q := quote("600111", at(0, 10, 0, 0), 49.41) // FloatCap and PE unknown
	b := model.Batch{
		Quotes: []model.Quote{q, quote("000831", at(0, 10, 0, 0), 45.62)},
		Bars: []model.Bar{dailyBar("600111", day0, 49.41),
			{Symbol: "600111", Interval: model.Minute, Time: at(0, 10, 0, 0), Open: 1, High: 2, Low: 0.5, Close: 1.5, Volume: 100, Amount: nan, Source: "quotes"}},
		Margin: []model.MarginDay{marginDay("600111", day0, 1e10)},
		Boards: []model.BoardMove{boardMove("BK0578", at(0, 10, 0, 0), 2187.35)},
	}
	if err := db.Append(b); err != nil {
		t.Fatal(err)
	}
	export := func(series, sym, format string, from, to time.Time) string {
		t.Helper()
		var buf bytes.Buffer
		if err := db.Export(series, sym, from, to, &buf, format); err != nil {
			t.Fatalf("%s: %v", series, err)
		}
		return buf.String()
	}

	got := export("quotes", "600111", "csv", time.Time{}, time.Time{})
	want := "symbol,time,name,last,prev_close,open,high,low,volume,amount,turnover_pct,market_cap,float_cap,pe,main_net,high52,low52,source\n" +
		"600111,2026-01-05T10:00:00+08:00,北方稀土,49.41,48.73,48.9,49.88,48.6,98765432,4872345678,2.73,178589645775,,,312456789,61.69,21.05,eastmoney\n"
	if got != want {
		t.Errorf("quotes csv:\n%s\nwant\n%s", got, want)
	}

	got = export("bars", "", "csv", time.Time{}, time.Time{})
	want = "symbol,interval,time,open,high,low,close,volume,amount,source\n" +
		"600111,1d,2026-01-05,48.41,50.41,47.41,49.41,1000000,,eastmoney kline\n" +
		"600111,1m,2026-01-05T10:00:00+08:00,1,2,0.5,1.5,100,,quotes\n"
	if got != want {
		t.Errorf("bars csv:\n%s\nwant\n%s", got, want)
	}

	got = export("margin", "", "csv", time.Time{}, time.Time{})
	if !strings.Contains(got, "600111,2026-01-05,中国稀土,10000000000,210000000,234000000,-24414200,,2213000000,4.14,,eastmoney RPTA_WEB_RZRQ_GGMX\n") {
		t.Errorf("margin csv:\n%s", got)
	}
	got = export("boards", "BK0578", "csv", time.Time{}, time.Time{})
	if !strings.HasSuffix(got, "BK0578,2026-01-05T10:00:00+08:00,稀土永磁,2187.35,2.84,1523456789,,142,21,3,中科三环,000970,10.02,-1,eastmoney clist\n") {
		t.Errorf("boards csv:\n%s", got)
	}

	// JSON: valid, NaN as null, numbers as numbers.
	var rows []map[string]any
	if err := json.Unmarshal([]byte(export("quotes", "", "json", time.Time{}, time.Time{})), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1]["symbol"] != "600111" || rows[1]["float_cap"] != nil || rows[1]["last"] != 49.41 ||
		rows[1]["source"] != "eastmoney" || rows[0]["symbol"] != "000831" {
		t.Errorf("quotes json: %v", rows)
	}
	if err := json.Unmarshal([]byte(export("boards", "", "json", time.Time{}, time.Time{})), &rows); err != nil || rows[0]["up"] != 142.0 {
		t.Errorf("boards json: %v %v", rows, err)
	}
	if got := export("quotes", "nosuch", "json", time.Time{}, time.Time{}); got != "[]\n" {
		t.Errorf("empty json %q", got)
	}

	// Range bounds are inclusive.
	if got := export("quotes", "", "csv", at(0, 10, 0, 0), at(0, 10, 0, 0)); strings.Count(got, "\n") != 3 {
		t.Errorf("inclusive bounds:\n%s", got)
	}
	if got := export("quotes", "", "csv", at(0, 10, 0, 1), time.Time{}); strings.Count(got, "\n") != 1 {
		t.Errorf("after the last:\n%s", got)
	}

	var sink bytes.Buffer
	for _, bad := range []struct{ series, sym, format string }{{"ticks", "", "csv"}, {"quotes", "", "xml"}, {"contract", "600111", "csv"}, {"elements", "unobtainium", "csv"}} {
		if err := db.Export(bad.series, bad.sym, time.Time{}, time.Time{}, &sink, bad.format); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// TestExportImportRoundTrip: elements and contract exported from one
// database and imported into a fresh one are equal, value for value.
func TestExportImportRoundTrip(t *testing.T) {
	src := openAt(t, filepath.Join(t.TempDir(), "src.db"), Options{}) // with the reference data
	extra := model.Batch{
		Elements: []model.ElementPrice{
			{Element: model.PrNdOxide, Date: model.Date(2026, 2, 2), Price: 624900.37, Low: nan, High: nan, Source: "vendor, \"quoted\"", OrigUnit: "万元/吨"},
			{Element: model.TbMetal, Date: model.Date(2026, 2, 2), Price: 7800000.0 / 3, Low: 2500000.1, High: 2700000, Source: "odd figures", OrigUnit: ""},
			{Element: model.DyOxide, Date: model.Date(2026, 2, 3).Add(9 * time.Hour), Price: 1410000, Low: nan, High: nan, Source: "timed", OrigUnit: "元/kg"},
		},
		Contract: []model.ContractQuarter{{Quarter: model.Quarter{Year: 2026, Q: 2}, Price: 27123.45, BasisREO: 50, Source: "manual", Note: "line one,\nline two"}},
	}
	if err := src.Append(extra); err != nil {
		t.Fatal(err)
	}
	dst := newDB(t) // no reference data
	for _, series := range []string{"elements", "contract"} {
		var buf bytes.Buffer
		if err := src.Export(series, "", time.Time{}, time.Time{}, &buf, "csv"); err != nil {
			t.Fatal(err)
		}
		b, err := ParseCSV(&buf)
		if err != nil {
			t.Fatalf("%s: %v\n%s", series, err, buf.String())
		}
		rep, err := dst.Import(b)
		if err != nil {
			t.Fatal(err)
		}
		if rep.New != rep.Rows || rep.Rows == 0 {
			t.Errorf("%s: %+v", series, rep)
		}
	}
	wantC, _ := src.Contract()
	gotC, _ := dst.Contract()
	if !same(gotC, wantC) || len(gotC) != 15 {
		t.Errorf("contract differs:\n got %+v\nwant %+v", gotC, wantC)
	}
	ids, _ := src.ElementIDs()
	n := 0
	for _, id := range ids {
		want, _ := src.ElementSeries(id, time.Time{}, time.Time{})
		got, _ := dst.ElementSeries(id, time.Time{}, time.Time{})
		if !same(got, want) {
			t.Errorf("%s differs:\n got %+v\nwant %+v", id, got, want)
		}
		n += len(got)
	}
	if n != 24 {
		t.Errorf("%d element prices", n)
	}
}

func TestImportAllOrNone(t *testing.T) {
	db := newDB(t)
	file := "date,element,price,low,high,unit,source\n" +
		"2026-01-16,氧化镨钕,68.25,,,万元/吨,good row\n" + // line 2
		"# a comment, line 3\n" +
		"2026-01-17,氧化镨钕,68.5,,,万元/吨,good row\n" + // line 4
		"2026-01-18,氧化钇,1,,,元/吨,unknown element\n" + // line 5
		"2026-01-19,氧化镨钕,-3,,,元/吨,\n" + // line 6: two problems
		"2026-01-20,氧化镨钕,5,,,USD/lb,bad unit\n" // line 7
	_, err := ParseCSV(strings.NewReader(file))
	var errs CSVErrors
	if !errors.As(err, &errs) {
		t.Fatalf("error %v (%T), want CSVErrors", err, err)
	}
	want := []RowError{
		{Line: 5, Column: "element"},
		{Line: 6, Column: "price", Reason: `want a positive number, got "-3"`},
		{Line: 6, Column: "source", Reason: "empty: every figure needs its source"},
		{Line: 7, Column: "unit"},
	}
	if len(errs) != len(want) {
		t.Fatalf("%d errors, want %d: %v", len(errs), len(want), errs)
	}
	for i, w := range want {
		e := errs[i]
		if e.Line != w.Line || e.Column != w.Column || (w.Reason != "" && e.Reason != w.Reason) || e.Reason == "" {
			t.Errorf("error %d: %+v, want %+v", i, e, w)
		}
	}
	if !strings.Contains(errs[0].Error(), "line 5: column element: unknown element \"氧化钇\"") {
		t.Errorf("message %q", errs[0].Error())
	}
	// Nothing was written: the caller never got a batch to import.
	if ids, _ := db.ElementIDs(); len(ids) != 0 {
		t.Errorf("written: %v", ids)
	}

	// Header problems are named too.
	_, err = ParseCSV(strings.NewReader("date,element\n2026-01-16,氧化钕\n"))
	if !errors.As(err, &errs) || len(errs) != 2 || errs[0].Column != "price" || errs[1].Column != "source" || errs[0].Line != 1 {
		t.Errorf("missing columns: %v", err)
	}
	_, err = ParseCSV(strings.NewReader("# comment\nquarter,price,source\n2026Q1,1,a,extra\n2026Q2,\"1,a\n"))
	if !errors.As(err, &errs) || errs[0].Line != 4 {
		t.Errorf("syntax error: %v", err)
	}
	_, err = ParseCSV(strings.NewReader("quarter,price,source\n2026Q1,27000,a,extra\n2026Q1,27000,a\n"))
	if !errors.As(err, &errs) || len(errs) != 2 || errs[0].Line != 2 || errs[0].Column != "" || errs[1].Line != 3 || errs[1].Column != "quarter" {
		t.Errorf("field count and duplicate: %v", err)
	}

	// A batch that fails inside the transaction writes nothing either.
	good, err := ParseCSV(strings.NewReader("date,element,price,source\n2026-01-16,氧化钕,540000,a\n2026-01-17,氧化钕,545000,a\n"))
	if err != nil {
		t.Fatal(err)
	}
	bad := good
	bad.Elements = append(bad.Elements, model.ElementPrice{Element: model.NdOxide, Price: 540000, Low: nan, High: nan, Source: "zero date"})
	if _, err := db.Import(bad); err == nil {
		t.Error("a batch with an unstorable date imported")
	}
	if ids, _ := db.ElementIDs(); len(ids) != 0 {
		t.Errorf("written: %v", ids)
	}
}

func TestReimportAddsNothing(t *testing.T) {
	db := newDB(t)
	file := "quarter,price,basis_reo,source,note\n2025Q4,26205,50,udn.com,\n2026Q1,26834,50,articles/001,\n"
	imp := func(s string) ImportReport {
		t.Helper()
		b, err := ParseCSV(strings.NewReader(s))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := db.Import(b)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	if rep := imp(file); rep != (ImportReport{Rows: 2, New: 2}) {
		t.Errorf("first import %+v", rep)
	}
	if rep := imp(file); rep != (ImportReport{Rows: 2, Unchanged: 2}) {
		t.Errorf("second import %+v", rep)
	}
	if rep := imp(strings.Replace(file, "26834", "26835", 1) + "2026Q2,27000,50,manual,\n"); rep != (ImportReport{Rows: 3, New: 1, Changed: 1, Unchanged: 1}) {
		t.Errorf("third import %+v", rep)
	}
	cs, _ := db.Contract()
	if len(cs) != 3 || cs[1].Price != 26835 {
		t.Errorf("%+v", cs)
	}
}

func TestExportCSVIsPlainCSV(t *testing.T) {
	db := openAt(t, filepath.Join(t.TempDir(), "r.db"), Options{})
	var buf bytes.Buffer
	if err := db.Export("elements", "氧化镨钕", time.Time{}, time.Time{}, &buf, "csv"); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || recs[0][0] != "date" { // header + the 4 PrNd oxide reference points
		t.Errorf("%v", recs)
	}
	for _, r := range recs[1:] {
		if r[1] != "prnd_oxide" || r[5] != "元/吨" || r[7] == "" {
			t.Errorf("row %v", r)
		}
	}
}

// Absurd figures are refused by the import, with the band named, and the
// index inputs are left as they were.
func TestImportRefusesAbsurdFigures(t *testing.T) {
	db := newDB(t)
	if _, err := db.Import(model.Batch{Elements: []model.ElementPrice{{Element: model.PrNdOxide, Date: model.Date(2026, 1, 16), Price: 682500, Low: nan, High: nan, Source: "a"}}}); err != nil {
		t.Fatal(err)
	}
	before, _ := db.ElementSeries(model.PrNdOxide, time.Time{}, time.Time{})
	for _, c := range []struct{ file, want string }{
		{"date,element,price,source\n2026-01-17,prnd_oxide,1e308,x\n", "line 2: column price: PrNd oxide price 1e+308 元/吨 is outside its plausible band [80,000, 5,500,000] 元/吨"},
		{"date,element,price,unit,source\n2026-01-17,prnd_oxide,1e308,万元/吨,x\n", "1e308 万元/吨: PrNd oxide price +Inf is not a number"},
		{"date,element,price,source\n2026-01-17,prnd_oxide,Inf,x\n", "want a positive number"},
		{"date,element,price,source\n2026-01-17,prnd_oxide,NaN,x\n", "want a positive number"},
		{"date,element,price,low,high,source\n2026-01-17,prnd_oxide,682500,1,1e300,x\n", "column low: PrNd oxide low 1 元/吨 is outside"},
		{"quarter,price,source\n2026Q1,700000,x\n", "line 2: column price: 700000 元/吨 is outside the contract's plausible band [3,000, 200,000] 元/吨"},
		{"quarter,element,price,source\n2026Q1,prnd_oxide,700000,x\n", "line 1: the header names both a quarter column"},
	} {
		_, err := ParseCSV(strings.NewReader(c.file))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v\nwant %q", c.file, err, c.want)
		}
	}
	// Configured bands replace the defaults.
	if _, err := ParseCSVBands(strings.NewReader("date,element,price,source\n2026-01-17,prnd_oxide,100000,x\n"), model.Bands{model.PrNdOxide: {Min: 200000, Max: 2000000}}); err == nil || !strings.Contains(err.Error(), "[200,000, 2,000,000]") {
		t.Errorf("configured band: %v", err)
	}
	// A batch built by hand is checked by Import itself.
	for _, b := range []model.Batch{
		{Elements: []model.ElementPrice{{Element: model.PrNdOxide, Date: model.Date(2026, 1, 17), Price: math.Inf(1), Low: nan, High: nan, Source: "x"}}},
		{Contract: []model.ContractQuarter{{Quarter: model.Quarter{Year: 2026, Q: 1}, Price: 700000, BasisREO: 50, Source: "x"}}},
	} {
		if _, err := db.Import(b); err == nil {
			t.Errorf("imported %+v", b)
		}
	}
	// Manual entry goes through the same check.
	if err := db.SaveElementPrices([]model.ElementPrice{{Element: model.PrNdOxide, Date: model.Date(2026, 1, 18), Price: 1e308, Low: nan, High: nan, Source: "manual"}}, nil); err == nil || !strings.Contains(err.Error(), "[80,000, 5,500,000]") {
		t.Errorf("manual 1e308: %v", err)
	}
	if err := db.SaveElementPrices([]model.ElementPrice{{Element: model.PrNdOxide, Date: model.Date(2026, 1, 18), Price: 690000, Low: nan, High: nan, Source: "manual"}}, nil); err != nil {
		t.Errorf("manual 690000: %v", err)
	}
	after, _ := db.ElementSeries(model.PrNdOxide, time.Time{}, model.Date(2026, 1, 17))
	if !same(before, after) {
		t.Errorf("stored series changed: %v -> %v", before, after)
	}
}

// hostile holds what a terminal would execute: OSC 0 (title), OSC 52
// (clipboard write), CSI, NUL, DEL, a C1 CSI, a zero-width joiner and a
// bidi override.
const hostile = "\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x00\x7f\u009b31m\u200d\u202e"

// clean fails the test when out holds a control character (other than a
// line break), an invisible format character or invalid UTF-8.
func clean(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: invalid UTF-8", what)
	}
	for i, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r <= 0x9f) || unicode.Is(unicode.Cf, r) {
			t.Errorf("%s: %U at byte %d: %q", what, r, i, out[max(0, i-20):min(len(out), i+20)])
			return
		}
	}
}

func TestImportSanitisesText(t *testing.T) {
	db := newDB(t)
	b, err := ParseCSV(strings.NewReader("date,element,price,unit,orig_unit,source\n" +
		"2026-02-02,\"\x1b[31m氧化镨钕\u200d\",690000,\"元/吨\x00\",\"万元/吨" + hostile + "\",\"SMM " + hostile + "daily\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(b); err != nil {
		t.Fatal(err)
	}
	s, _ := db.ElementSeries(model.PrNdOxide, time.Time{}, time.Time{})
	if len(s) != 1 || s[0].Source != "SMM daily" || s[0].OrigUnit != "万元/吨" {
		t.Fatalf("stored %+v", s)
	}
	b, err = ParseCSV(strings.NewReader("quarter,price,source,note\n" +
		"2026Q2,27100,\"" + hostile + "announcement\",\"line one" + hostile + "\nline two\x1b]52;c;eA==\x07\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(b); err != nil {
		t.Fatal(err)
	}
	cs, _ := db.Contract()
	if len(cs) != 1 || cs[0].Source != "announcement" || cs[0].Note != "line one\nline two" {
		t.Fatalf("stored %+v", cs)
	}

	// Control characters in a figure refuse the row, line and column named.
	for _, c := range []struct{ file, want string }{
		{"date,element,price,source\n2026-02-03,prnd_oxide,\"69\x1b[31m0000\",x\n", "line 2: column price: holds control characters (ESC)"},
		{"date,element,price,source\n2026-02-03\x00,prnd_oxide,690000,x\n", "line 2: column date: holds control characters (NUL)"},
		{"date,element,price,low,source\n2026-02-03,prnd_oxide,690000,\"680000\u200b\",x\n", "line 2: column low: holds control characters (U+200B)"},
		{"quarter,price,basis_reo,source\n2026Q3,27000,\"50\u009b\",x\n", "line 2: column basis_reo: holds control characters (U+009B)"},
	} {
		_, err := ParseCSV(strings.NewReader(c.file))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v\nwant %q", c.file, err, c.want)
		}
	}
}

// Whatever the file holds, an export carries no control character.
func TestExportNeverEmitsControls(t *testing.T) {
	db := newDB(t)
	d := model.Date(2026, 2, 2)
	q := quote("600111", d.Add(10*time.Hour), 50.46)
	q.Name, q.Source = "北方稀土"+hostile, hostile+"eastmoney"
	bar := dailyBar("600111", d, 50.46)
	bar.Source = hostile
	m := marginDay("600111", d, 21e8)
	m.Name, m.Source = hostile+"中国稀土", "x"+hostile
	bm := boardMove("BK0578", d.Add(15*time.Hour), 1000)
	bm.Name, bm.Leader, bm.LeaderCode, bm.Source = "稀土永磁"+hostile, hostile, "000970"+hostile, hostile
	// Written directly, past import's sanitising, as an older version or
	// another program might have.
	if err := db.Append(model.Batch{
		Quotes: []model.Quote{q}, Bars: []model.Bar{bar}, Margin: []model.MarginDay{m}, Boards: []model.BoardMove{bm},
		Elements: []model.ElementPrice{{Element: model.PrNdOxide, Date: d, Price: 690000, Low: nan, High: nan, Source: "SMM" + hostile, OrigUnit: hostile}},
		Contract: []model.ContractQuarter{{Quarter: model.Quarter{Year: 2026, Q: 2}, Price: 27100, BasisREO: 50, Source: hostile, Note: "a" + hostile + "\nb"}},
	}); err != nil {
		t.Fatal(err)
	}
	for _, series := range ExportSeries {
		for _, format := range []string{"csv", "json"} {
			var buf bytes.Buffer
			if err := db.Export(series, "", time.Time{}, time.Time{}, &buf, format); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if !strings.Contains(out, "2026") {
				t.Errorf("%s %s: no rows:\n%s", series, format, out)
			}
			clean(t, series+" "+format, out)
			if strings.Contains(out, "pwned") || strings.Contains(out, "cm0gLXJmIH4") {
				t.Errorf("%s %s: an escape's payload got out:\n%s", series, format, out)
			}
		}
	}
}
