package store

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rareterm/rareterm/model"
)

func TestReferenceParses(t *testing.T) {
	contract, elements, err := Reference()
	if err != nil {
		t.Fatal(err)
	}
	if len(contract) != 14 {
		t.Errorf("%d quarters, want 14", len(contract))
	}
	for _, c := range contract {
		if c.Source == "" || !(c.Price > 0) {
			t.Errorf("%s: %+v", c.Quarter, c)
		}
		want := 50.0
		if c.Quarter == (model.Quarter{Year: 2022, Q: 1}) {
			want = 51
		}
		if c.BasisREO != want {
			t.Errorf("%s basis %v, want %v", c.Quarter, c.BasisREO, want)
		}
	}
	// The steps per 1% REO printed in REFERENCE.md §4 follow from price/basis.
	steps := map[string]float64{"2022Q1": 527.20, "2022Q3": 744.60, "2023Q1": 706.26, "2023Q2": 620.60, "2023Q3": 403.52,
		"2024Q1": 414.74, "2024Q2": 335.84, "2024Q3": 334.82, "2024Q4": 355.64, "2025Q1": 372.36, "2025Q2": 376.50,
		"2025Q3": 382.18, "2025Q4": 524.10, "2026Q1": 536.68}
	for _, c := range contract {
		if s, ok := steps[c.Quarter.String()]; !ok || math.Abs(c.StepPerPct()-s) > 0.005 {
			t.Errorf("%s step %.4f, REFERENCE.md says %v", c.Quarter, c.StepPerPct(), s)
		}
	}
	if len(elements) != 21 {
		t.Errorf("%d element points, want 21", len(elements))
	}
	for _, p := range elements {
		if p.Source == "" || p.OrigUnit == "" || !(p.Price > 0) || p.Date.Location() != model.CST || p.Date.Hour() != 0 {
			t.Errorf("%+v", p)
		}
	}
}

// referenceQuarters is REFERENCE.md §4's table: price, basis.
var referenceQuarters = map[string][2]float64{
	"2022Q1": {26887.20, 51}, "2022Q3": {37230, 50}, "2023Q1": {35313, 50}, "2023Q2": {31030, 50},
	"2023Q3": {20176, 50}, "2024Q1": {20737, 50}, "2024Q2": {16792, 50}, "2024Q3": {16741, 50},
	"2024Q4": {17782, 50}, "2025Q1": {18618, 50}, "2025Q2": {18825, 50}, "2025Q3": {19109, 50},
	"2025Q4": {26205, 50}, "2026Q1": {26834, 50},
}

// Every shipped quarter is REFERENCE.md's figure, and every figure there is
// shipped. Where the document itself is at hand (shared/ beside the
// repository), its table is read and compared too.
func TestReferenceQuartersMatchTheDocument(t *testing.T) {
	contract, _, err := Reference()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]model.ContractQuarter{}
	for _, c := range contract {
		got[c.Quarter.String()] = c
	}
	for q, want := range referenceQuarters {
		c, ok := got[q]
		if !ok || c.Price != want[0] || c.BasisREO != want[1] {
			t.Errorf("%s: shipped %+v, REFERENCE.md says %v at REO %v", q, c, want[0], want[1])
		}
	}
	if len(got) != len(referenceQuarters) {
		t.Errorf("%d quarters shipped, REFERENCE.md has %d", len(got), len(referenceQuarters))
	}
	if q3 := got["2022Q3"]; !strings.Contains(q3.Note, "39,189") || !strings.Contains(q3.Note, "refused") {
		t.Errorf("2022Q3 note should keep the refused proposal: %q", q3.Note)
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "shared", "domain", "REFERENCE.md"))
	if err != nil {
		t.Logf("REFERENCE.md not beside the repository (%v); compared with the transcribed table only", err)
		return
	}
	row := regexp.MustCompile(`(?m)^\| (20\d\dQ[1-4]) \| ([\d,.]+)`)
	n := 0
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		price, err := strconv.ParseFloat(strings.ReplaceAll(m[2], ",", ""), 64)
		if err != nil {
			t.Fatal(err)
		}
		n++
		if c, ok := got[m[1]]; !ok || c.Price != price {
			t.Errorf("REFERENCE.md: %s is %v; shipped %+v", m[1], price, c)
		}
	}
	if n != len(referenceQuarters) {
		t.Errorf("REFERENCE.md lists %d quarters, the transcribed table %d", n, len(referenceQuarters))
	}
}

func TestParseElementsCSV(t *testing.T) {
	in := "\ufeffDate, Element ,price,low,high,unit,source,extra\n" +
		"# a comment\n" +
		"2026-01-16,镨钕氧化物,68.25,,,万元/吨,first,x\n" +
		"2026-01-16,氧化镨钕,70,,,万元/吨,second (same element and date),x\n" +
		"2026-01-16,Tb oxide (99.99%),\"6,400\",6350,6450,元/kg,kg source,x\n" +
		"20260117,prnd_oxide,682500,,,,no unit,x\n"
	ps, err := ParseElementsCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 3 {
		t.Fatalf("%d points: %+v", len(ps), ps)
	}
	if p := ps[0]; p.Element != model.PrNdOxide || p.Price != 682500 || p.Source != "first" || p.OrigUnit != "万元/吨" ||
		!math.IsNaN(p.Low) || !math.IsNaN(p.High) || !p.Date.Equal(model.Date(2026, 1, 16)) {
		t.Errorf("first row: %+v", p)
	}
	if p := ps[1]; p.Element != model.TbOxide || p.Price != 6400000 || p.Low != 6350000 || p.High != 6450000 || p.OrigUnit != "元/kg" {
		t.Errorf("per-kg row: %+v", p)
	}
	if p := ps[2]; p.OrigUnit != "元/吨" || p.Price != 682500 || !p.Date.Equal(model.Date(2026, 1, 17)) {
		t.Errorf("default unit row: %+v", p)
	}

	bad := map[string]string{
		"unknown element":  "date,element,price,source\n2026-01-16,氧化钇,1,x\n",
		"bad date":         "date,element,price,source\n16/01/2026,氧化钕,1,x\n",
		"no price":         "date,element,price,source\n2026-01-16,氧化钕,,x\n",
		"negative":         "date,element,price,source\n2026-01-16,氧化钕,-1,x\n",
		"NaN":              "date,element,price,source\n2026-01-16,氧化钕,NaN,x\n",
		"no source":        "date,element,price,source\n2026-01-16,氧化钕,1,\n",
		"no source column": "date,element,price\n2026-01-16,氧化钕,1\n",
		"unknown unit":     "date,element,price,unit,source\n2026-01-16,氧化钕,1,USD/kg,x\n",
		"outside range":    "date,element,price,low,high,source\n2026-01-16,氧化钕,5,1,2,x\n",
		"ragged":           "date,element,price,source\n2026-01-16,氧化钕,1\n",
		"empty":            "",
	}
	for name, in := range bad {
		if _, err := ParseElementsCSV(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	_, err = ParseElementsCSV(strings.NewReader("date,element,price,source\n2026-01-16,氧化钕,540000,x\n2026-01-17,氧化钇,1,x\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("error should name line 3: %v", err)
	}
}

func TestParseContractCSV(t *testing.T) {
	cs, err := ParseContractCSV(strings.NewReader("quarter,price,source,basis_reo\n2026q2,\"27,000.5\",manual,\n2022-Q1,26887.2,ann,51\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Quarter != (model.Quarter{Year: 2022, Q: 1}) || cs[0].BasisREO != 51 ||
		cs[1].Price != 27000.5 || cs[1].BasisREO != 50 || cs[1].Source != "manual" {
		t.Errorf("%+v", cs)
	}
	for name, in := range map[string]string{
		"duplicate quarter": "quarter,price,source\n2026Q1,1,a\n2026Q1,2,b\n",
		"bad quarter":       "quarter,price,source\n2026Q5,1,a\n",
		"zero price":        "quarter,price,source\n2026Q1,0,a\n",
		"basis over 100":    "quarter,price,source,basis_reo\n2026Q1,1,a,150\n",
		"no source":         "quarter,price,source\n2026Q1,1,\n",
	} {
		if _, err := ParseContractCSV(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestParseCSVImportIsAllOrNothing(t *testing.T) {
	db := newDB(t)
	b, err := ParseCSV(strings.NewReader("quarter,price,source\n2026Q2,27000,manual entry\n"))
	if err != nil || len(b.Contract) != 1 {
		t.Fatalf("%+v %v", b, err)
	}
	if err := db.Append(b); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseCSV(strings.NewReader("date,element,price,source\n2026-01-16,氧化钕,540000,x\n2026-01-17,bogus,1,x\n")); err == nil {
		t.Error("a file with one bad row parsed")
	}
	if _, err := ParseCSV(strings.NewReader("a,b\n1,2\n")); err == nil {
		t.Error("a CSV of neither kind parsed")
	}
	b, err = ParseCSV(strings.NewReader("date,element,price,source\n2026-01-16,氧化钕,540000,x\n"))
	if err != nil || len(b.Elements) != 1 {
		t.Fatalf("%+v %v", b, err)
	}
}
