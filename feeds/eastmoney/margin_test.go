package eastmoney

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/rareterm/rareterm/model"
)

func TestMargin(t *testing.T) {
	f, c := newFake(t, file(t, "margin.json"))
	days, err := c.Margin(context.Background(), sym(t, "600111"), 2)
	if err != nil {
		t.Fatal(err)
	}
	r := f.requests()[0]
	q := r.Query()
	if r.Path != "/dc/api/data/v1/get" || q.Get("reportName") != "RPTA_WEB_RZRQ_GGMX" || q.Get("filter") != `(SCODE="600111")` ||
		q.Get("sortColumns") != "DATE" || q.Get("sortTypes") != "-1" || q.Get("pageSize") != "2" {
		t.Fatalf("request %s", r)
	}
	if !strings.Contains(r.RawQuery, "filter=(SCODE=%22600111%22)") {
		t.Errorf("filter not sent in the documented form: %s", r.RawQuery)
	}
	if len(days) != 2 {
		t.Fatalf("%d days", len(days))
	}
	// Oldest first.
	if !days[0].Date.Equal(model.Date(2026, 1, 8)) || !days[1].Date.Equal(model.Date(2026, 1, 9)) {
		t.Fatalf("dates %v %v", days[0].Date, days[1].Date)
	}
	for _, d := range days {
		if d.FinNetBuy != d.FinBuy-d.FinRepay {
			t.Errorf("%s: RZJME %v != RZMRE %v − RZCHE %v", d.Date.Format("2006-01-02"), d.FinNetBuy, d.FinBuy, d.FinRepay)
		}
		if d.Symbol != "600111" || d.Name != "北方稀土" || d.Source != "eastmoney" {
			t.Errorf("row %+v", d)
		}
	}
	d := days[1]
	eq(t, "RZYE", d.FinBalance, 10523456789)
	eq(t, "RZMRE", d.FinBuy, 1234567890)
	eq(t, "RZCHE", d.FinRepay, 987654321)
	eq(t, "RZJME", d.FinNetBuy, 246913569)
	eq(t, "RQYE", d.LendBalance, 68123456)
	eq(t, "RZRQYE", d.Total, 10591580245)
	eq(t, "RZYEZB", d.BalancePct, 5.892535)
	eq(t, "SZ", d.FloatCap, 178589645775.27)
	eq(t, "RZJME 01-08", days[0].FinNetBuy, -88888889)
}

func TestMarginNotEligible(t *testing.T) {
	_, c := newFake(t, file(t, "margin_9201.json"))
	days, err := c.Margin(context.Background(), sym(t, "600259"), 30)
	if err != nil || len(days) != 0 {
		t.Fatalf("9201: %v, %v", days, err)
	}
}

func TestMarginErrorEnvelope(t *testing.T) {
	_, c := newFake(t, file(t, "margin_9501.json"))
	_, err := c.Margin(context.Background(), sym(t, "600111"), 30)
	if err == nil || !strings.Contains(err.Error(), "9501") || !strings.Contains(err.Error(), "报表配置不存在") {
		t.Fatalf("9501: %v", err)
	}
}

func TestMarginMissingFields(t *testing.T) {
	f, c := newFake(t, file(t, "margin_dash.json"))
	days, err := c.Margin(context.Background(), sym(t, "000831"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.requests()[0].Query().Get("pageSize"); got != "30" {
		t.Errorf("default pageSize %q", got)
	}
	if len(days) != 2 {
		t.Fatalf("%d days: %+v", len(days), days)
	}
	a, b := days[0], days[1] // 01-08, 01-09
	eq(t, "01-08 net buy derived from strings", a.FinNetBuy, 30000000)
	eq(t, "01-08 total derived", a.Total, 2223100000)
	eq(t, "01-09 buy (null)", b.FinBuy, model.Unknown)
	eq(t, "01-09 repay (-)", b.FinRepay, model.Unknown)
	eq(t, "01-09 net buy as sent", b.FinNetBuy, -24000000)
	eq(t, "01-09 total derived", b.Total, 2199200000)
	eq(t, "01-09 float cap (-)", b.FloatCap, model.Unknown)
	d := f.dropped()
	all := strings.Join(d, "\n")
	if len(d) != 3 || !strings.Contains(all, "not a date") || !strings.Contains(all, "no financing balance") || !strings.Contains(all, "not an object") {
		t.Fatalf("dropped:\n%s", all)
	}
}

func TestMarginHKAndBadCode(t *testing.T) {
	f, c := newFake(t, file(t, "margin.json"))
	if days, err := c.Margin(context.Background(), sym(t, "06680"), 5); err != nil || days != nil {
		t.Fatalf("HK: %v %v", days, err)
	}
	if _, err := c.Margin(context.Background(), model.Symbol{Code: `60"0)1`, Market: model.MarketSSE}, 5); err == nil {
		t.Fatal("bad code: want an error")
	}
	if n := len(f.requests()); n != 0 {
		t.Fatalf("%d requests", n)
	}
	// A row for another stock is not this stock's margin.
	days, err := c.Margin(context.Background(), sym(t, "600010"), 5)
	if err != nil || len(days) != 0 || len(f.dropped()) != 2 {
		t.Fatalf("foreign rows: %v %v %v", days, err, f.dropped())
	}
}

func TestSectorMargin(t *testing.T) {
	f, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("filter") {
		case `(BOARD_TYPE_CODE="005")`:
			file(t, "sector_005.json")(w, r)
		case `(BOARD_TYPE_CODE="006")`:
			file(t, "sector_006.json")(w, r)
		default:
			http.Error(w, "bad filter", 400)
		}
	})
	days, err := c.SectorMargin(context.Background(), []string{"BK0478", "578", "BK1027", "bk0478"})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, d := range days {
		codes = append(codes, d.Symbol)
	}
	if got := strings.Join(codes, " "); got != "BK0478 BK0578 BK1027" {
		t.Fatalf("boards %s", got)
	}
	reqs := f.requests()
	if len(reqs) != 2 || reqs[0].Query().Get("reportName") != "RPTA_WEB_BKJYMXN" {
		t.Fatalf("%d requests", len(reqs))
	}
	nf := days[0]
	if nf.Name != "有色金属" || !nf.Date.Equal(model.Date(2026, 1, 9)) || nf.Source != "eastmoney" {
		t.Errorf("BK0478 %+v", nf)
	}
	eq(t, "BK0478 balance", nf.FinBalance, 98765432100)
	eq(t, "BK0478 net buy", nf.FinNetBuy, 888888899)
	eq(t, "BK0478 net = buy − repay", nf.FinBuy-nf.FinRepay, nf.FinNetBuy)
	eq(t, "BK0478 pct", nf.BalancePct, 3.12)
	eq(t, "BK0478 total", nf.Total, 99277777778)
	eq(t, "BK0578 float cap", days[1].FloatCap, 2218646115000)
	if d := f.dropped(); len(d) != 1 || !strings.Contains(d[0], "BK-x") {
		t.Errorf("dropped %v", d)
	}

	// All found among the industries: the concept list is not fetched.
	f, c = newFake(t, file(t, "sector_005.json"))
	if days, err := c.SectorMargin(context.Background(), []string{"478", "479"}); err != nil || len(days) != 2 || len(f.requests()) != 1 {
		t.Fatalf("industries only: %v %v, %d requests", days, err, len(f.requests()))
	}
	if days, err := c.SectorMargin(context.Background(), nil); err != nil || len(days) != 0 || len(f.requests()) != 1 {
		t.Fatalf("no boards: %v %v", days, err)
	}
}
