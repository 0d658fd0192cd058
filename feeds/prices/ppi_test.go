package prices

import (
	"bytes"
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func eq(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.IsNaN(want) && math.IsNaN(got) {
		return
	}
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

type drops struct {
	mu  sync.Mutex
	all []string
}

func (d *drops) add(m string) { d.mu.Lock(); d.all = append(d.all, m); d.mu.Unlock() }
func (d *drops) text() string { d.mu.Lock(); defer d.mu.Unlock(); return strings.Join(d.all, "\n") }

// ppiServer serves the 100ppi fixtures at their real paths; the Dy/Tb page
// goes out GBK-encoded with no charset header (the page's <meta> says gbk).
func ppiServer(t *testing.T, override map[string]http.HandlerFunc) *httptest.Server {
	pages := map[string]struct{ file, ct string }{
		"/news/detail-20240105-3051612.html": {"ppi_light.html", "text/html; charset=utf-8"},
		"/news/detail-20260129-5252885.html": {"ppi_dytb.html", "text/html"},
		"/news/wanyuan.html":                 {"ppi_wanyuan.html", "text/html; charset=UTF-8"},
		"/news/notable.html":                 {"ppi_notable.html", "text/html; charset=UTF-8"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := override[r.URL.Path]; ok {
			h(w, r)
			return
		}
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", p.ct)
		w.Write(fixture(t, p.file))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newPPI(srv *httptest.Server, d *drops, timeout time.Duration, paths ...string) *PPI {
	var urls []string
	for _, p := range paths {
		urls = append(urls, srv.URL+p)
	}
	if timeout == 0 {
		timeout = 2 * time.Second
	}
	return NewPPI(PPIConfig{URLs: urls, HTTP: httpx.New(httpx.Options{Timeout: timeout}), OnDrop: d.add})
}

func byElement(ps []model.ElementPrice) map[model.ElementID]model.ElementPrice {
	m := map[model.ElementID]model.ElementPrice{}
	for _, p := range ps {
		m[p.Element] = p
	}
	return m
}

func TestPPI(t *testing.T) {
	srv := ppiServer(t, nil)
	d := &drops{}
	p := newPPI(srv, d, 0, "/news/detail-20240105-3051612.html", "/news/detail-20260129-5252885.html")
	if p.Name() != "100ppi" {
		t.Errorf("name %q", p.Name())
	}
	ps, err := p.Elements(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 10 {
		t.Fatalf("%d prices, want 6 light + 4 Dy/Tb:\n%+v", len(ps), ps)
	}
	by := byElement(ps)
	for _, p := range ps {
		if p.Source != "100ppi" || p.OrigUnit != "元/吨" {
			t.Errorf("%s: source %q unit %q", p.Element, p.Source, p.OrigUnit)
		}
	}
	tb := by[model.TbOxide]
	if !tb.Date.Equal(model.Date(2026, 1, 29)) {
		t.Errorf("Tb oxide date %v", tb.Date)
	}
	eq(t, "氧化铽", tb.Price, 6400000)
	eq(t, "氧化铽 low", tb.Low, 6350000)
	eq(t, "氧化铽 high", tb.High, 6450000)
	eq(t, "氧化镝", by[model.DyOxide].Price, 1410000)
	eq(t, "氧化镝 low (&ndash;)", by[model.DyOxide].Low, 1405000)
	eq(t, "金属镝", by[model.DyMetal].Price, 1975000)
	eq(t, "金属镝 low (no range)", by[model.DyMetal].Low, model.Unknown)
	eq(t, "金属铽", by[model.TbMetal].Price, 7800000)

	nd := by[model.NdOxide]
	if !nd.Date.Equal(model.Date(2024, 1, 5)) {
		t.Errorf("Nd oxide date %v", nd.Date)
	}
	eq(t, "氧化钕", nd.Price, 432500)
	eq(t, "氧化钕 low", nd.Low, 430000)
	eq(t, "氧化钕 high", nd.High, 435000)
	eq(t, "氧化镨 (span, bold, spaces)", by[model.PrOxide].Price, 435000)
	eq(t, "镨钕氧化物 (no </tr>)", by[model.PrNdOxide].Price, 422500)
	eq(t, "金属钕 (no </td>)", by[model.NdMetal].Price, 550000)
	eq(t, "金属镨", by[model.PrMetal].Price, 585000)
	eq(t, "镨钕金属", by[model.PrNdMetal].Price, 522500)

	if got := d.text(); !strings.Contains(got, "镝铁合金") || !strings.Contains(got, "not a tracked product") || len(d.all) != 1 {
		t.Errorf("drops:\n%s", got)
	}
}

func TestPPIUnitsDateInPageAndBadRows(t *testing.T) {
	d := &drops{}
	ps, err := newPPI(ppiServer(t, nil), d, 0, "/news/wanyuan.html").Elements(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 3 {
		t.Fatalf("%d prices: %+v", len(ps), ps)
	}
	by := byElement(ps)
	prnd := by[model.PrNdOxide]
	if !prnd.Date.Equal(model.Date(2026, 1, 9)) || prnd.OrigUnit != "万元/吨" {
		t.Errorf("PrNd oxide %+v", prnd)
	}
	eq(t, "PrNd oxide (62.49 万元/吨)", prnd.Price, 624900)
	eq(t, "PrNd oxide low", prnd.Low, 620000)
	eq(t, "PrNd metal (full-width ～)", by[model.PrNdMetal].Price, 760700)
	eq(t, "Pr oxide (mid of the range)", by[model.PrOxide].Price, 625000)
	got := d.text()
	for _, want := range []string{`氧化钕): bad range "abc"`, `氧化镝): bad average "面议"`, "氧化铽): price 700 outside its range 640–650", "金属钕): price 0 is not positive"} {
		if !strings.Contains(got, want) {
			t.Errorf("drops do not mention %q:\n%s", want, got)
		}
	}
}

func TestPPIFaults(t *testing.T) {
	huge := bytes.Repeat([]byte("<p>x</p>"), 1<<17)
	srv := ppiServer(t, map[string]http.HandlerFunc{
		"/500": func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) },
		"/429": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "60")
			http.Error(w, "later", 429)
		},
		"/slow": func(w http.ResponseWriter, r *http.Request) { time.Sleep(time.Second) },
		"/huge": func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < 50; i++ {
				if _, err := w.Write(huge); err != nil {
					return
				}
			}
		},
	})
	// One good page is enough; the failure is reported.
	d := &drops{}
	ps, err := newPPI(srv, d, 0, "/500", "/news/detail-20260129-5252885.html").Elements(context.Background())
	if err != nil || len(ps) != 4 || !strings.Contains(d.text(), "HTTP 500") {
		t.Fatalf("one page failing: %d prices, %v, drops:\n%s", len(ps), err, d.text())
	}
	// Every page failing is an error that carries each cause.
	_, err = newPPI(srv, &drops{}, 200*time.Millisecond, "/429", "/slow", "/news/notable.html").Elements(context.Background())
	var se *httpx.StatusError
	if !errors.As(err, &se) || se.Code != 429 || se.RetryAfter != time.Minute {
		t.Fatalf("429 not carried: %v", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no price table") {
		t.Fatalf("causes: %v", err)
	}
	if _, err := newPPI(srv, &drops{}, 10*time.Second, "/huge").Elements(context.Background()); !errors.Is(err, httpx.ErrTooLarge) {
		t.Fatalf("50 MB page: %v", err)
	}
	if _, err := NewPPI(PPIConfig{}).Elements(context.Background()); err == nil {
		t.Fatal("no URLs: want an error")
	}
}

func TestPageDate(t *testing.T) {
	for _, tc := range []struct{ url, text, want string }{
		{"https://www.100ppi.com/news/detail-20260129-5252885.html", "2025-01-01", "2026-01-29"},
		{"https://x/y.html", "发布时间：2024-01-05 16:02", "2024-01-05"},
		{"", "2026年1月9日", "2026-01-09"},
		{"", "2026/1/9 and 2025-01-01", "2026-01-09"},
		{"detail-20261399", "2026-13-01 then 2026.02.03", "2026-02-03"},
	} {
		got, err := PageDate(tc.url, tc.text)
		if err != nil || got.Format("2006-01-02") != tc.want {
			t.Errorf("PageDate(%q, %q) = %v %v, want %s", tc.url, tc.text, got, err, tc.want)
		}
	}
	if _, err := PageDate("x", "no date here"); err == nil {
		t.Error("want an error")
	}
}

func TestScanHTML(t *testing.T) {
	doc := scanHTML(`<table><tr><td>a &amp; b</td><td>&#27687;&#x5316;<br/>x</td></tr><tr><th colspan=2>c` +
		`<table><tr><td>inner</td></tr></table></th></tr></table><td>orphan`)
	var got []string
	for _, r := range doc.rows {
		got = append(got, strings.Join(r.cells, "|")+"@"+string(rune('0'+r.table)))
	}
	if s := strings.Join(got, " / "); s != "a & b|氧化 x@1 / c@1 / inner@2 / orphan@0" {
		t.Errorf("rows: %s", s)
	}
	if !strings.Contains(doc.text, "a & b") || !strings.Contains(doc.text, "orphan") {
		t.Errorf("text %q", doc.text)
	}
}

func TestParseRangeAndNum(t *testing.T) {
	for in, want := range map[string][2]float64{
		"1,405,000–1,415,000": {1405000, 1415000},
		"430000-435000":       {430000, 435000},
		" 62.0 ～ 63.0 ":       {62, 63},
		"620000~630000":       {620000, 630000},
		"1405000—1415000":     {1405000, 1415000},
		"640至650":             {640, 650},
	} {
		lo, hi, ok := parseRange(in)
		if !ok || lo != want[0] || hi != want[1] {
			t.Errorf("parseRange(%q) = %v %v %v", in, lo, hi, ok)
		}
	}
	for _, in := range []string{"", "-", "432500", "abc-def"} {
		if _, _, ok := parseRange(in); ok {
			t.Errorf("parseRange(%q): want not ok", in)
		}
	}
	for in, want := range map[string]float64{"6,400,000": 6400000, "１２３": 123, "-25,000": -25000, "6400000元/吨": 6400000, " 62.49 ": 62.49} {
		if got := parseNum(in); got != want {
			t.Errorf("parseNum(%q) = %v, want %v", in, got, want)
		}
	}
	for _, in := range []string{"", "-", "面议", "NaN", "Inf"} {
		if got := parseNum(in); !math.IsNaN(got) {
			t.Errorf("parseNum(%q) = %v, want NaN", in, got)
		}
	}
}

func FuzzParsePPI(f *testing.F) {
	for _, n := range []string{"ppi_light.html", "ppi_dytb_utf8.html", "ppi_dytb.html", "ppi_wanyuan.html", "ppi_notable.html"} {
		f.Add(fixture(f, n))
	}
	f.Add([]byte("<table><tr><td>产品<td>均价<tr><td>氧化铽<td>1"))
	f.Add([]byte("<!--"))
	f.Add([]byte("<script>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, _, err := ParsePPI(b, "https://www.100ppi.com/news/detail-20260129-1.html")
		if err != nil && len(ps) > 0 {
			t.Fatal("prices with an error")
		}
		for _, p := range ps {
			if !(p.Price > 0) || math.IsInf(p.Price, 0) || p.Date.IsZero() || p.Element == "" {
				t.Fatalf("accepted %+v", p)
			}
			if model.Known(p.Low) && (p.Price < p.Low || p.Price > p.High) {
				t.Fatalf("price outside its range: %+v", p)
			}
		}
	})
}
