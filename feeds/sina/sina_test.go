package sina

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

	"github.com/rareterm/rareterm/feeds"
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

type fake struct {
	url   string
	mu    sync.Mutex
	paths []string
	drops []string
}

// newFake serves body like hq.sinajs.cn: 403 unless the Referer is Sina's.
func newFake(t *testing.T, contentType string, body []byte, timeout time.Duration, handle http.HandlerFunc) (*fake, *Client) {
	t.Helper()
	f := &fake{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.paths = append(f.paths, r.URL.Path)
		f.mu.Unlock()
		if !strings.HasPrefix(r.Referer(), "https://finance.sina.com.cn") {
			http.Error(w, "Forbidden", http.StatusForbidden)
			return
		}
		if handle != nil {
			handle(w, r)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	f.url = srv.URL
	if timeout == 0 {
		timeout = 2 * time.Second
	}
	c := New(Config{URL: srv.URL, HTTP: httpx.New(httpx.Options{Timeout: timeout}), OnDrop: func(m string) {
		f.mu.Lock()
		f.drops = append(f.drops, m)
		f.mu.Unlock()
	}})
	return f, c
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

var watch = []model.Symbol{
	{Code: "600111", Market: model.MarketSSE},
	{Code: "000831", Market: model.MarketSZSE},
	{Code: "06680", Market: model.MarketHKEX},
	{Code: "516150", Market: model.MarketSSE},
}

func TestQuotesGBK(t *testing.T) {
	f, c := newFake(t, "application/javascript; charset=GB18030", fixture(t, "list.gbk"), 0, nil)
	qs, err := c.Quotes(context.Background(), append(watch, model.Symbol{Code: "BK0578", Market: model.MarketBoard}))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.paths) != 1 || f.paths[0] != "/list=sh600111,sz000831,rt_hk06680,sh516150" {
		t.Fatalf("requests %v", f.paths)
	}
	if len(qs) != 4 {
		t.Fatalf("%d quotes", len(qs))
	}
	by := map[string]model.Quote{}
	for _, q := range qs {
		by[q.Symbol] = q
		if q.Source != "sina" {
			t.Errorf("%s source %q", q.Symbol, q.Source)
		}
	}
	a := by["600111"]
	if a.Name != "北方稀土" || !a.Time.Equal(time.Date(2026, 1, 9, 15, 0, 0, 0, model.CST)) {
		t.Errorf("600111 %q %v", a.Name, a.Time)
	}
	eq(t, "600111 last", a.Last, 49.41)
	eq(t, "600111 prev", a.PrevClose, 48.73)
	eq(t, "600111 open", a.Open, 48.9)
	eq(t, "600111 high", a.High, 49.88)
	eq(t, "600111 low", a.Low, 48.6)
	eq(t, "600111 volume (shares)", a.Volume, 98765432)
	eq(t, "600111 amount", a.Amount, 4872345678)
	eq(t, "600111 PE", a.PE, model.Unknown)
	if avg := a.Amount / a.Volume; avg < a.Low || avg > a.High {
		t.Errorf("amount/volume %v outside [low, high]: fields 8 and 9 swapped?", avg)
	}
	eq(t, "000831 last (no trailing comma)", by["000831"].Last, 45.62)
	if !by["000831"].Time.Equal(time.Date(2026, 1, 9, 15, 0, 3, 0, model.CST)) {
		t.Errorf("000831 time %v", by["000831"].Time)
	}
	hk := by["06680"]
	if hk.Name != "金力永磁" || !hk.Time.Equal(time.Date(2026, 1, 9, 16, 8, 15, 0, model.CST)) {
		t.Errorf("06680 %q %v", hk.Name, hk.Time)
	}
	eq(t, "06680 last", hk.Last, 20.40)
	eq(t, "06680 prev", hk.PrevClose, 19.86)
	eq(t, "06680 open", hk.Open, 20.1)
	eq(t, "06680 high", hk.High, 20.65)
	eq(t, "06680 low", hk.Low, 19.9)
	eq(t, "06680 volume", hk.Volume, 6052000)
	eq(t, "06680 amount", hk.Amount, 123456789)
	eq(t, "06680 PE", hk.PE, 35.12)
	eq(t, "06680 52w high", hk.High52, 25.8)
	eq(t, "06680 52w low", hk.Low52, 7.51)
	eq(t, "516150 last", by["516150"].Last, 1.527)
	eq(t, "516150 volume", by["516150"].Volume, 412345600)
	if len(f.drops) != 1 || !strings.Contains(f.drops[0], "BK0578") {
		t.Errorf("drops %v", f.drops)
	}
}

// Without a charset the body is taken as GB18030; a UTF-8 charset is honoured.
func TestCharsets(t *testing.T) {
	for _, tc := range []struct {
		ct, file string
	}{
		{"application/javascript", "list.gbk"},
		{"text/plain; charset=gbk", "list.gbk"},
		{"text/plain; charset=utf-8", "list.txt"},
	} {
		_, c := newFake(t, tc.ct, fixture(t, tc.file), 0, nil)
		qs, err := c.Quotes(context.Background(), watch)
		if err != nil || len(qs) != 4 || qs[0].Name != "北方稀土" || qs[2].Name != "金力永磁" {
			t.Errorf("%s %s: %v %v", tc.ct, tc.file, qs, err)
		}
	}
}

func TestEdgeLines(t *testing.T) {
	f, c := newFake(t, "application/javascript; charset=GBK", fixture(t, "edge.gbk"), 0, nil)
	qs, err := c.Quotes(context.Background(), watch)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range qs {
		got = append(got, q.Symbol+" "+q.Name)
	}
	if s := strings.Join(got, "|"); s != "600000 浦发银行|688047 龙芯中科|09992 泡泡玛特|600111 北方稀土|HSI 恒生指数" {
		t.Fatalf("kept %s", s)
	}
	eq(t, "600000 last", qs[0].Last, 6.94)
	eq(t, "600000 volume", qs[0].Volume, 40237053)
	eq(t, "688047 last (limit-up, no asks)", qs[1].Last, 119.62)
	eq(t, "09992 last", qs[2].Last, 265.6)
	eq(t, "09992 prev", qs[2].PrevClose, 266.8)
	eq(t, "HSI volume", qs[4].Volume, 0)
	all := strings.Join(f.drops, "\n")
	for _, want := range []string{"sh600010): last price 0 is not positive", "sh600259): absurd move +100.00%", "gb_amd): unsupported market",
		"sz000831): 4 fields", "sh516150): unterminated"} {
		if !strings.Contains(all, want) {
			t.Errorf("drops do not mention %q:\n%s", want, all)
		}
	}
	if len(f.drops) != 5 {
		t.Errorf("%d drops, want 5 (the empty sz160923 line is skipped silently):\n%s", len(f.drops), all)
	}
}

func TestRefererRequired(t *testing.T) {
	// The fake refuses requests without Sina's Referer: a client that did
	// not send it would fail here.
	f, c := newFake(t, "", fixture(t, "list.gbk"), 0, nil)
	if _, err := c.Quotes(context.Background(), watch); err != nil {
		t.Fatalf("with the Referer: %v", err)
	}
	// The fake does refuse a request without it.
	var se *httpx.StatusError
	if _, err := httpx.New(httpx.Options{}).Get(context.Background(), f.url+"/list=sh600111", nil); !errors.As(err, &se) || se.Code != 403 {
		t.Fatalf("the fake accepted a request without the Referer: %v", err)
	}
	// And a refusal is reported as such.
	_, c = newFake(t, "", nil, 0, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Forbidden", http.StatusForbidden)
	})
	_, err := c.Quotes(context.Background(), watch)
	if !errors.As(err, &se) || se.Code != 403 || !strings.Contains(err.Error(), "Referer was refused") {
		t.Fatalf("403: %v", err)
	}
}

func TestFaults(t *testing.T) {
	huge := bytes.Repeat([]byte("x"), 1<<20)
	for _, tc := range []struct {
		name    string
		handle  http.HandlerFunc
		timeout time.Duration
		check   func(error) bool
	}{
		{"500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", 500) }, 0, func(err error) bool {
			var se *httpx.StatusError
			return errors.As(err, &se) && se.Code == 500
		}},
		{"429", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "12")
			http.Error(w, "slow down", 429)
		}, 0, func(err error) bool {
			var se *httpx.StatusError
			return errors.As(err, &se) && se.Code == 429 && se.RetryAfter == 12*time.Second
		}},
		{"slow", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		}, 100 * time.Millisecond, func(err error) bool { return err != nil }},
		{"50 MB", func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < 50; i++ {
				if _, err := w.Write(huge); err != nil {
					return
				}
			}
		}, 0, func(err error) bool { return errors.Is(err, httpx.ErrTooLarge) }},
		{"HTML", func(w http.ResponseWriter, r *http.Request) { w.Write(fixture(t, "html.html")) }, 0,
			func(err error) bool { return err != nil && strings.Contains(err.Error(), "no quote lines") }},
		{"all placeholders", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`var hq_str_sh600111="北方稀土,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2026-01-09,09:00:00,00";`))
		}, 0, func(err error) bool { return err != nil && strings.Contains(err.Error(), "all 1 lines dropped") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c := newFake(t, "", nil, tc.timeout, tc.handle)
			start := time.Now()
			_, err := c.Quotes(context.Background(), watch)
			if !tc.check(err) {
				t.Fatalf("unexpected: %v", err)
			}
			if !strings.HasPrefix(err.Error(), "sina: ") {
				t.Errorf("error does not name the provider: %v", err)
			}
			if time.Since(start) > 3*time.Second {
				t.Errorf("took %s", time.Since(start))
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	f, c := newFake(t, "", fixture(t, "list.gbk"), 0, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Quotes(ctx, watch); !errors.Is(err, context.Canceled) {
		t.Fatalf("want Canceled, got %v", err)
	}
	if len(f.paths) != 0 {
		t.Fatal("request sent on a cancelled context")
	}
}

func TestCode(t *testing.T) {
	for in, want := range map[model.Symbol]string{
		{Code: "600111", Market: model.MarketSSE}:  "sh600111",
		{Code: "000831", Market: model.MarketSZSE}: "sz000831",
		{Code: "430047", Market: model.MarketBSE}:  "bj430047",
		{Code: "06680", Market: model.MarketHKEX}:  "rt_hk06680",
		{Code: "516150"}: "sh516150",
	} {
		if got, err := Code(in); err != nil || got != want {
			t.Errorf("Code(%v) = %q %v, want %q", in, got, err, want)
		}
	}
}

func FuzzParseSina(f *testing.F) {
	for _, n := range []string{"list.txt", "list.gbk", "edge.gbk", "html.html"} {
		f.Add(fixture(f, n))
	}
	f.Add([]byte(`var hq_str_="`))
	f.Add([]byte(`hq_str_rt_hk=",,,,,,,,,,,,,,,,,,,"`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, text := range [][]byte{b, mustDecode(b)} {
			qs, _ := ParseQuotes(text)
			for _, q := range qs {
				if !(q.Last > 0) || math.IsInf(q.Last, 0) || q.Symbol == "" || q.Time.IsZero() || q.Source != Source {
					t.Fatalf("accepted %+v", q)
				}
			}
		}
	})
}

func mustDecode(b []byte) []byte {
	d, err := Decode(b, "")
	if err != nil {
		return nil
	}
	return d
}

var _ feeds.QuoteSource = (*Client)(nil)

// One bad line never drops the answer: a far-future date, a price of "-"
// and a 72 KB name (GBK, the real wire format) leave the other lines, each
// bad one reported with its symbol, the long name cut.
func TestOneBadLineKeepsTheRest(t *testing.T) {
	f, c := newFake(t, "application/javascript; charset=GBK", fixture(t, "list_badrows.gbk"), 0, nil)
	qs, err := c.Quotes(context.Background(), watch)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]model.Quote{}
	for _, q := range qs {
		got[q.Symbol] = q
	}
	if len(got) != 2 || got["06680"].Last != 20.4 {
		t.Fatalf("kept %v, want 06680 and 516150", qs)
	}
	if n := len([]rune(got["516150"].Name)); n != model.MaxNameRunes {
		t.Errorf("516150 name of %d runes, want %d", n, model.MaxNameRunes)
	}
	all := strings.Join(f.drops, "\n")
	for _, want := range []string{"sz000831): bad date/time \"2999-01-09\"", "sh600111): last price missing"} {
		if !strings.Contains(all, want) {
			t.Errorf("drops do not mention %q:\n%s", want, all)
		}
	}
}
