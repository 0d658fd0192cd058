package eastmoney

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

func TestParseUniverseSample(t *testing.T) {
	p, err := ParseUniverse(fixture(t, "universe_sh.json"), "A")
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 2291 || len(p.Rows) != 3 {
		t.Fatalf("total %d rows %d", p.Total, len(p.Rows))
	}
	want := model.Symbol{Code: "600000", Market: model.MarketSSE, Name: "浦发银行"}
	if p.Rows[0] != want {
		t.Errorf("row 0 = %+v", p.Rows[0])
	}
}

func TestParseUniverseMarkets(t *testing.T) {
	body := `{"rc":0,"data":{"total":7,"diff":[` +
		`{"f12":"000001","f13":0,"f14":"平安银行"},` +
		`{"f12":"920001","f13":0,"f14":"北交样本"},` +
		`{"f12":"688001","f13":1,"f14":"华兴源创"},` +
		`{"f12":"ABC","f13":1,"f14":"bad"},` +
		`{"f12":"600001","f13":1,"f14":""},` +
		`{"f12":"000002","f13":0,"f14":"万  科Ａ\u001b[31m"},` +
		`{"f12":"000003","f13":7,"f14":"odd"}]}}`
	p, err := ParseUniverse([]byte(body), "A")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]model.Market{}
	for _, s := range p.Rows {
		got[s.Code] = s.Market
		if strings.ContainsRune(s.Name, 0x1b) {
			t.Errorf("escape kept in %q", s.Name)
		}
	}
	want := map[string]model.Market{"000001": model.MarketSZSE, "920001": model.MarketBSE, "688001": model.MarketSSE, "000002": model.MarketSZSE}
	if len(got) != len(want) {
		t.Errorf("rows %v, dropped %v", p.Rows, p.Dropped)
	}
	for c, m := range want {
		if got[c] != m {
			t.Errorf("%s: market %v, want %v", c, got[c], m)
		}
	}
	if len(p.Dropped) != 3 {
		t.Errorf("dropped %v", p.Dropped)
	}
	hk, err := ParseUniverse([]byte(`{"rc":0,"data":{"total":2,"diff":[{"f12":"00700","f13":116,"f14":"腾讯控股"},{"f12":"03988","f13":128,"f14":"中国银行"}]}}`), "HK")
	if err != nil || len(hk.Rows) != 2 || hk.Rows[1].Market != model.MarketHKEX {
		t.Errorf("HK: %+v %v", hk.Rows, err)
	}
}

func TestUniversePageRequest(t *testing.T) {
	f, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write(fixture(t, "universe_sh.json"))
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	syms, total, err := c.UniversePage(ctx, "A", 3)
	if err != nil || total != 2291 || len(syms) != 3 {
		t.Fatalf("%v %d %v", syms, total, err)
	}
	q := f.requests()[0].Query()
	for k, v := range map[string]string{"pn": "3", "pz": "100", "po": "0", "np": "1", "fid": "f12", "fields": "f12,f13,f14", "fs": UniverseSegments[0].FS} {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if p := f.requests()[0].Path; p != "/api/qt/clist/get" {
		t.Errorf("path %s", p)
	}
}
