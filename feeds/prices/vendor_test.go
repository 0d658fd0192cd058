package prices

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var cnMapping = Mapping{Date: "日期", Element: "品名", Price: "均价", Low: "最低", High: "最高", Unit: "单位", Source: "smm"}

func TestVendorCSVFile(t *testing.T) {
	d := &drops{}
	v := NewVendor(VendorConfig{Location: "testdata/vendor.csv", Mapping: cnMapping, OnDrop: d.add})
	if v.Name() != "smm" {
		t.Errorf("name %q", v.Name())
	}
	ps, err := v.Elements(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 4 {
		t.Fatalf("%d prices: %+v\ndrops:\n%s", len(ps), ps, d.text())
	}
	prnd := ps[0]
	if prnd.Element != model.PrNdOxide || !prnd.Date.Equal(model.Date(2026, 1, 9)) || prnd.Source != "smm" || prnd.OrigUnit != "万元/吨" {
		t.Errorf("row 1: %+v", prnd)
	}
	eq(t, "PrNd oxide 62.49 万元/吨", prnd.Price, 624900)
	eq(t, "PrNd oxide low", prnd.Low, 622000)
	eq(t, "PrNd oxide high", prnd.High, 628000)
	tb := ps[1]
	if tb.Element != model.TbOxide || tb.OrigUnit != "元/kg" {
		t.Errorf("row 2: %+v", tb)
	}
	eq(t, `Tb oxide "6,400" 元/kg`, tb.Price, 6400000)
	eq(t, "Tb oxide low", tb.Low, 6350000)
	eq(t, "PrNd metal (YYYY/MM/DD)", ps[2].Price, 760700)
	eq(t, "PrNd metal low (empty)", ps[2].Low, model.Unknown)
	ce := ps[3]
	if ce.Element != model.CeOxide || ce.OrigUnit != "元/吨" || !ce.Date.Equal(model.Date(2026, 1, 9)) {
		t.Errorf("Ce oxide (default unit, YYYYMMDD): %+v", ce)
	}
	eq(t, "Ce oxide mid of low and high", ce.Price, 10000)

	want := []string{
		`line 7, column "均价": "abc" is not a number`,
		`line 8, column "品名": unknown product "钐钴"`,
		`line 9, column "日期": bad date "09/01/2026"`,
		`line 10, column "单位": unknown price unit "美元/kg"`,
		`line 12, column "均价": no price (and no low and high)`,
		`line 13, column "均价" (missing: the line has 2 fields): no price`,
		`line 14, column "均价": bad range 560000–540000`,
	}
	if len(d.all) != len(want) {
		t.Errorf("%d drops, want %d:\n%s", len(d.all), len(want), d.text())
	}
	for _, w := range want {
		if !strings.Contains(d.text(), w) {
			t.Errorf("drops do not contain %q:\n%s", w, d.text())
		}
	}
	if !strings.HasPrefix(d.all[0], "smm: testdata/vendor.csv: line ") {
		t.Errorf("drop does not name the source and file: %q", d.all[0])
	}
}

func TestVendorJSONOverHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(fixture(t, "vendor.json"))
	}))
	defer srv.Close()
	d := &drops{}
	v := NewVendor(VendorConfig{Location: srv.URL + "/prices?day=today", Format: "json", OnDrop: d.add,
		Mapping: Mapping{Date: "Date", Element: "Element", Price: "Price", Low: "Low", High: "High", Unit: "Unit"}})
	if v.Name() != "vendor" {
		t.Errorf("default name %q", v.Name())
	}
	ps, err := v.Elements(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 {
		t.Fatalf("%d prices: %+v\n%s", len(ps), ps, d.text())
	}
	eq(t, "PrNd oxide", ps[0].Price, 624900)
	if ps[1].Element != model.TbOxide || !ps[1].Date.Equal(model.Date(2026, 1, 9)) || ps[1].Source != "vendor" {
		t.Errorf("Tb: %+v", ps[1])
	}
	eq(t, "Tb oxide 640 万元/吨", ps[1].Price, 6400000)
	eq(t, "Tb oxide high", ps[1].High, 6450000)
	for _, w := range []string{
		`record 3 (line 4), key "Price": no price`, // "N/A" is blank; a multi-line record is named by its first line
		`record 4 (line 9), key "Price": price -5 is not positive`,
		`record 5 (line 10): not an object`,
		`record 6 (line 11), key "Date": bad date ""`,
	} {
		if !strings.Contains(d.text(), w) {
			t.Errorf("drops do not contain %q:\n%s", w, d.text())
		}
	}
}

func TestVendorDefaultsInferenceAndGBK(t *testing.T) {
	dir := t.TempDir()
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("日期,品名,均价\n2026-01-09,氧化铽,6400000\n"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "export")
	if err := os.WriteFile(path, gbk, 0o644); err != nil {
		t.Fatal(err)
	}
	ps, err := NewVendor(VendorConfig{Location: "file://" + path, Mapping: Mapping{Date: "日期", Element: "品名", Price: "均价"}}).Elements(context.Background())
	if err != nil || len(ps) != 1 || ps[0].Element != model.TbOxide || ps[0].Price != 6400000 {
		t.Fatalf("GBK CSV without extension: %+v %v", ps, err)
	}
	ps, err = NewVendor(VendorConfig{Location: "testdata/vendor_plain.csv"}).Elements(context.Background())
	if err != nil || len(ps) != 2 || ps[1].Element != model.DyOxide || ps[1].Price != 1410000 {
		t.Fatalf("default mapping with a BOM: %+v %v", ps, err)
	}
	js := filepath.Join(dir, "p.data")
	os.WriteFile(js, []byte(` [{"date":"2026-01-09","element":"la_oxide","price":"4,000"}]`), 0o644)
	ps, err = NewVendor(VendorConfig{Location: js}).Elements(context.Background())
	if err != nil || len(ps) != 1 || ps[0].Price != 4000 {
		t.Fatalf("JSON sniffed from '[': %+v %v", ps, err)
	}
}

func TestVendorErrors(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		cfg  VendorConfig
		want string
	}{
		"no location":      {VendorConfig{}, "no location"},
		"missing file":     {VendorConfig{Location: "testdata/nope.csv"}, "no such file"},
		"missing column":   {VendorConfig{Location: "testdata/vendor.csv"}, `header has no column ["date" "element" "price"]`},
		"bad default unit": {VendorConfig{Location: "testdata/vendor_plain.csv", Mapping: Mapping{DefaultUnit: "lb"}}, "default unit"},
		"json not array":   {VendorConfig{Location: "testdata/vendor_plain.csv", Format: "json"}, "bad JSON"},
	} {
		_, err := NewVendor(tc.cfg).Elements(ctx)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	// A local file is bounded like a download.
	big := filepath.Join(t.TempDir(), "big.csv")
	os.WriteFile(big, []byte(strings.Repeat("x", 2048)), 0o644)
	_, err := NewVendor(VendorConfig{Location: big, HTTP: httpx.New(httpx.Options{MaxBody: 1024})}).Elements(ctx)
	if !errors.Is(err, httpx.ErrTooLarge) {
		t.Errorf("big file: %v", err)
	}
	// HTTP faults come through typed.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			time.Sleep(500 * time.Millisecond)
			return
		}
		w.Header().Set("Retry-After", "5")
		http.Error(w, "slow down", 429)
	}))
	defer srv.Close()
	_, err = NewVendor(VendorConfig{Location: srv.URL + "/p.csv"}).Elements(ctx)
	var se *httpx.StatusError
	if !errors.As(err, &se) || se.RetryAfter != 5*time.Second {
		t.Errorf("429: %v", err)
	}
	_, err = NewVendor(VendorConfig{Location: srv.URL + "/slow", HTTP: httpx.New(httpx.Options{Timeout: 100 * time.Millisecond})}).Elements(ctx)
	if err == nil {
		t.Error("slow: want a timeout")
	}
}

func FuzzParseVendorCSV(f *testing.F) {
	for _, n := range []string{"vendor.csv", "vendor_plain.csv", "vendor.json"} {
		f.Add(fixture(f, n))
	}
	f.Add([]byte("date,element,price\n\"2026-01-09,氧化铽,1\n"))
	f.Add([]byte("date,element,low,high\n2026-01-09,Tb oxide,2,1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, m := range []Mapping{cnMapping, {}} {
			ps, _, _ := ParseVendorCSV(b, m)
			qs, _, _ := ParseVendorJSON(b, m)
			for _, p := range append(ps, qs...) {
				if !(p.Price > 0) || math.IsInf(p.Price, 0) || p.Date.IsZero() || p.Element == "" || p.OrigUnit == "" {
					t.Fatalf("accepted %+v", p)
				}
			}
		}
	})
}

var (
	_ feeds.ElementSource = (*Vendor)(nil)
	_ feeds.ElementSource = (*PPI)(nil)
)
