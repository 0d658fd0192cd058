package eastmoney

import (
	"math"
	"testing"

	"github.com/rareterm/rareterm/model"
)

func seed(f *testing.F, names ...string) {
	for _, n := range names {
		f.Add(fixture(f, n))
	}
	f.Add([]byte(`{"rc":0,"data":{"diff":{"0":{"f2":"-"}}}}`))
	f.Add([]byte(`cb({"rc":0,"data":null});`))
	f.Add([]byte(``))
	f.Add([]byte(`<html>`))
}

var fuzzCommon = []string{"truncated.json", "html.html"}

// assertQuote checks the invariant every accepted quote keeps.
func assertQuote(t *testing.T, q model.Quote) {
	if !(q.Last > 0) || math.IsInf(q.Last, 0) {
		t.Fatalf("accepted a quote with last %v", q.Last)
	}
	if q.Source != Source || q.Symbol == "" {
		t.Fatalf("quote without source or symbol: %+v", q)
	}
}

func FuzzParseUlist(f *testing.F) {
	seed(f, append([]string{"ulist.json", "ulist_object.json", "ulist_jsonp.txt", "clist_constituents.json"}, fuzzCommon...)...)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseQuotes(b)
		if err != nil && len(p.Rows) > 0 {
			t.Fatal("rows returned with an error")
		}
		for _, q := range p.Rows {
			assertQuote(t, q)
		}
	})
}

func FuzzParseKline(f *testing.F) {
	seed(f, append([]string{"kline.json", "kline_bad.json", "kline_hk.json", "kline_minute.json", "kline_rc100.json"}, fuzzCommon...)...)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, iv := range []model.Interval{model.Daily, model.Minute} {
			p, _ := ParseKline(b, model.Symbol{Code: "600111", Market: model.MarketSSE}, iv)
			for _, bar := range p.Rows {
				if !(bar.Close > 0) || math.IsInf(bar.Close, 0) || bar.Time.IsZero() {
					t.Fatalf("accepted bar %+v", bar)
				}
			}
		}
	})
}

func FuzzParseMargin(f *testing.F) {
	seed(f, append([]string{"margin.json", "margin_9201.json", "margin_9501.json", "margin_dash.json", "sector_005.json", "sector_006.json"}, fuzzCommon...)...)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, _ := ParseMargin(b)
		s, _ := ParseSectorMargin(b)
		for _, m := range append(p.Rows, s.Rows...) {
			if m.Date.IsZero() || m.Symbol == "" || (!model.Known(m.FinBalance) && !model.Known(m.Total)) {
				t.Fatalf("accepted margin day %+v", m)
			}
		}
		for _, m := range s.Rows {
			if _, ok := NormBoard(m.Symbol); !ok || len(m.Symbol) != 6 {
				t.Fatalf("sector row with code %q", m.Symbol)
			}
		}
	})
}

func FuzzParseClist(f *testing.F) {
	seed(f, append([]string{"clist_concept.json", "clist_fundflow.json", "clist_industry.json", "clist_concept_p2.json", "ulist_boards.json", "clist_constituents.json"}, fuzzCommon...)...)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, _ := ParseBoards(b)
		for _, m := range p.Rows {
			if len(m.Code) != 6 || (!model.Known(m.Level) && !model.Known(m.ChangePct)) || m.Up < 0 || m.Down < 0 {
				t.Fatalf("accepted board %+v", m)
			}
		}
		q, _ := ParseQuotes(b)
		for _, x := range q.Rows {
			assertQuote(t, x)
		}
	})
}

func FuzzParseUniverse(f *testing.F) {
	seed(f, append([]string{"universe_sh.json", "clist_constituents.json"}, fuzzCommon...)...)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, seg := range []string{"A", "HK"} {
			p, err := ParseUniverse(b, seg)
			if err != nil && len(p.Rows) > 0 {
				t.Fatal("rows returned with an error")
			}
			for _, s := range p.Rows {
				if s.Name == "" || s.Market == model.MarketUnknown || (len(s.Code) != 5 && len(s.Code) != 6) {
					t.Fatalf("accepted %+v", s)
				}
			}
		}
	})
}

func FuzzParseLadder(f *testing.F) {
	seed(f, append([]string{"zt_pool.json", "zt_pool_real.txt", "zt_pool_empty.json"}, fuzzCommon...)...)
	f.Fuzz(func(t *testing.T, b []byte) {
		day := model.Date(2026, 1, 9)
		l, _, err := ParseLadder(b, day)
		if err != nil && len(l.Rows) > 0 {
			t.Fatal("rows returned with an error")
		}
		for _, r := range l.Rows {
			if r.Height < 1 || len(r.Code) != 6 {
				t.Fatalf("accepted %+v", r)
			}
			if !r.First.IsZero() && model.Day(r.First) != l.Day {
				t.Fatalf("seal time %v off the pool's day %v", r.First, l.Day)
			}
		}
		_ = l.Rungs()
	})
}

func FuzzParseFundFlowDays(f *testing.F) {
	seed(f, append([]string{"fflow_daykline.json"}, fuzzCommon...)...)
	f.Fuzz(func(t *testing.T, b []byte) {
		fl, _, err := ParseFundFlowDays(b)
		if err != nil && len(fl.Days) > 0 {
			t.Fatal("days returned with an error")
		}
		for i, d := range fl.Days {
			if !model.Known(d.Flow.Main) || (i > 0 && !d.Date.After(fl.Days[i-1].Date)) {
				t.Fatalf("accepted %+v", d)
			}
		}
	})
}
