package eastmoney

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

func TestQuotes(t *testing.T) {
	f, c := newFake(t, file(t, "ulist.json"))
	qs, err := c.Quotes(context.Background(), syms(t, "600111", "000831", "06680", "516150", "600111"))
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want one for all secids", len(reqs))
	}
	q := reqs[0].Query()
	if reqs[0].Path != "/api/qt/ulist.np/get" || q.Get("secids") != "1.600111,0.000831,116.06680,1.516150" ||
		q.Get("fltt") != "2" || q.Get("invt") != "2" || !strings.Contains(q.Get("fields"), "f124") {
		t.Fatalf("request %s", reqs[0])
	}
	if len(qs) != 4 {
		t.Fatalf("%d quotes, want 4", len(qs))
	}
	by := map[string]model.Quote{}
	for _, q := range qs {
		by[q.Symbol] = q
		if q.Source != "eastmoney" {
			t.Errorf("%s: source %q", q.Symbol, q.Source)
		}
	}
	a := by["600111"]
	if a.Name != "北方稀土" || !a.Time.Equal(time.Unix(1767946441, 0)) || a.Time.Location() != model.CST {
		t.Errorf("600111 name %q time %v", a.Name, a.Time)
	}
	eq(t, "600111 last", a.Last, 49.41)
	eq(t, "600111 prev", a.PrevClose, 48.73)
	eq(t, "600111 open", a.Open, 48.9)
	eq(t, "600111 high", a.High, 49.88)
	eq(t, "600111 low", a.Low, 48.6)
	eq(t, "600111 volume (shares from 987654 手)", a.Volume, 98765400)
	eq(t, "600111 amount", a.Amount, 4872345678)
	eq(t, "600111 turnover", a.TurnoverPct, 2.73)
	eq(t, "600111 market cap", a.MarketCap, 178589645775)
	eq(t, "600111 float cap", a.FloatCap, 178589645775)
	eq(t, "600111 main net", a.MainNet, 312456789)
	eq(t, "600111 high52", a.High52, model.Unknown)

	hk := by["06680"]
	eq(t, "06680 last", hk.Last, 20.4)
	eq(t, "06680 volume (already shares)", hk.Volume, 6052000)
	eq(t, "06680 main net (-)", hk.MainNet, model.Unknown)
	eq(t, "06680 float cap", hk.FloatCap, 4569600000)

	etf := by["516150"]
	eq(t, "516150 last", etf.Last, 1.527)
	eq(t, "516150 volume", etf.Volume, 412345600)
	eq(t, "516150 turnover (-)", etf.TurnoverPct, model.Unknown)
	eq(t, "516150 market cap (-)", etf.MarketCap, model.Unknown)
	eq(t, "516150 float cap (-)", etf.FloatCap, model.Unknown)

	eq(t, "000831 volume", by["000831"].Volume, 32105600)
	eq(t, "000831 main net", by["000831"].MainNet, -45123000)
	if d := f.dropped(); len(d) != 0 {
		t.Errorf("dropped %v", d)
	}
}

func TestQuotesChunksOf100(t *testing.T) {
	f, c := newFake(t, file(t, "ulist.json"))
	var ss []model.Symbol
	for i := 0; i < 250; i++ {
		ss = append(ss, model.Symbol{Code: fmt.Sprintf("600%03d", i), Market: model.MarketSSE})
	}
	if _, err := c.Quotes(context.Background(), ss); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for i, want := range []int{100, 100, 50} {
		got := strings.Split(reqs[i].Query().Get("secids"), ",")
		if len(got) != want {
			t.Errorf("request %d: %d secids, want %d", i, len(got), want)
		}
	}
	if s := reqs[2].Query().Get("secids"); !strings.HasPrefix(s, "1.600200,") {
		t.Errorf("third chunk starts %q", s[:20])
	}
}

// data.diff as an object keyed "0".."10", with "-" fields, an escape-laden
// name, string numbers and every kind of bad row.
func TestQuotesObjectDiffAndValidation(t *testing.T) {
	f, c := newFake(t, file(t, "ulist_object.json"))
	qs, err := c.Quotes(context.Background(), syms(t, "600111"))
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, q := range qs {
		codes = append(codes, q.Symbol)
	}
	if got := strings.Join(codes, " "); got != "600111 516150 01208 300748 000970" {
		t.Fatalf("kept %s", got)
	}
	if qs[0].Name != "北方稀土" {
		t.Errorf("escape sequences not stripped: %q", qs[0].Name)
	}
	etf := qs[1]
	eq(t, "etf last", etf.Last, 1.527)
	eq(t, "etf prev", etf.PrevClose, 1.498)
	for name, v := range map[string]float64{"open": etf.Open, "high": etf.High, "low": etf.Low, "volume": etf.Volume,
		"amount": etf.Amount, "pe": etf.PE, "main net (null)": etf.MainNet} {
		eq(t, "etf "+name, v, model.Unknown)
	}
	hk := qs[2]
	eq(t, "01208 last (+150% is possible in HK)", hk.Last, 2.5)
	eq(t, "01208 volume", hk.Volume, 1000000)
	s := qs[4]
	eq(t, "000970 last from a string", s.Last, 28.9)
	eq(t, "000970 volume from a string", s.Volume, 234567800)
	if !s.Time.Equal(time.Unix(1767946441, 0)) {
		t.Errorf("000970 time %v", s.Time)
	}

	d := f.dropped()
	if len(d) != 6 {
		t.Fatalf("dropped %d rows, want 6:\n%s", len(d), strings.Join(d, "\n"))
	}
	for i, want := range []string{"600010 包钢股份): last price missing", "600392", "600259", "02600", "not an object", "no code"} {
		if !strings.Contains(d[i], want) || !strings.HasPrefix(d[i], "eastmoney: quotes row ") {
			t.Errorf("drop %d = %q, want it to mention %q", i, d[i], want)
		}
	}
	if !strings.Contains(d[2], "absurd move +100.00%") {
		t.Errorf("absurd A-share move: %q", d[2])
	}
}

func TestQuotesJSONP(t *testing.T) {
	_, c := newFake(t, file(t, "ulist_jsonp.txt"))
	qs, err := c.Quotes(context.Background(), syms(t, "600111"))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 4 || qs[0].Last != 49.41 {
		t.Fatalf("JSONP body: %d quotes", len(qs))
	}
}

func TestQuotesEmptyAndAllDropped(t *testing.T) {
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"rc":0,"rt":11,"data":null}`)
	})
	qs, err := c.Quotes(context.Background(), syms(t, "600111"))
	if err != nil || len(qs) != 0 {
		t.Fatalf("data null: %v %v", qs, err)
	}
	_, c = newFake(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"rc":0,"data":{"total":2,"diff":[{"f12":"600111","f13":1,"f2":"-"},{"f12":"000831","f13":0,"f2":0}]}}`)
	})
	if _, err := c.Quotes(context.Background(), syms(t, "600111", "000831")); err == nil || !strings.Contains(err.Error(), "all 2 rows dropped") {
		t.Fatalf("all rows placeholders: %v", err)
	}
	_, c = newFake(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"rc":102,"data":null}`)
	})
	if _, err := c.Quotes(context.Background(), syms(t, "600111")); err == nil || !strings.Contains(err.Error(), "rc=102") {
		t.Fatalf("rc 102: %v", err)
	}
	// No request at all for nothing to ask.
	f, c := newFake(t, file(t, "ulist.json"))
	if qs, err := c.Quotes(context.Background(), nil); err != nil || qs != nil || len(f.requests()) != 0 {
		t.Fatalf("empty watchlist: %v %v, %d requests", qs, err, len(f.requests()))
	}
}

func TestSecID(t *testing.T) {
	for in, want := range map[model.Symbol]string{
		{Code: "600111", Market: model.MarketSSE}:   "1.600111",
		{Code: "516150", Market: model.MarketSSE}:   "1.516150",
		{Code: "000831", Market: model.MarketSZSE}:  "0.000831",
		{Code: "430047", Market: model.MarketBSE}:   "0.430047",
		{Code: "06680", Market: model.MarketHKEX}:   "116.06680",
		{Code: "BK0578", Market: model.MarketBoard}: "90.BK0578",
		{Code: "300748"}: "0.300748",
		{Code: "00769"}:  "116.00769",
	} {
		got, err := SecID(in)
		if err != nil || got != want {
			t.Errorf("SecID(%v) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := SecID(model.Symbol{Code: "xyz"}); err == nil {
		t.Error("SecID(xyz): want an error")
	}
}

func TestNormBoard(t *testing.T) {
	for in, want := range map[string]string{"BK0478": "BK0478", "478": "BK0478", "0478": "BK0478", "bk1027": "BK1027", "90.BK0578": "BK0578", " 1027 ": "BK1027"} {
		if got, ok := NormBoard(in); !ok || got != want {
			t.Errorf("NormBoard(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "BK", "BK12345", "BKx1", "-", "１２３"} {
		if got, ok := NormBoard(bad); ok {
			t.Errorf("NormBoard(%q) = %q, want rejection", bad, got)
		}
	}
}

// One bad row never drops the answer: a ulist body (the real wire format)
// with rows whose f124 is "-", 0 or far in the future, a price of "-" and a
// 72 KB name gives every other row, each bad one dropped with a message
// naming the symbol and the field, and the long name cut.
func TestQuotesOneBadRowKeepsTheRest(t *testing.T) {
	f, c := newFake(t, file(t, "ulist_badrows.json"))
	qs, err := c.Quotes(context.Background(), syms(t, "600111", "000831", "06680", "600392", "600259", "516150", "300748", "000970"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]model.Quote{}
	for _, q := range qs {
		got[q.Symbol] = q
	}
	if len(got) != 4 || got["600111"].Last != 49.41 || got["06680"].Last != 20.4 || got["516150"].Last != 1.527 {
		t.Fatalf("kept %v, want 600111 06680 516150 000970", qs)
	}
	if n := len([]rune(got["000970"].Name)); n != model.MaxNameRunes || got["000970"].Time.IsZero() {
		t.Errorf("000970: name of %d runes, time %v", n, got["000970"].Time)
	}
	drops := strings.Join(f.dropped(), "\n")
	for _, want := range []string{"000831 中国稀土): bad time f124 \"-\"", "600392 盛和资源): bad time f124 0", "600259 广晟有色): bad time f124 32503680000", "300748 金力永磁): last price missing"} {
		if !strings.Contains(drops, want) {
			t.Errorf("no drop message with %q in:\n%s", want, drops)
		}
	}
}
