package eastmoney

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

func TestParseFundFlowDays(t *testing.T) {
	f, dropped, err := ParseFundFlowDays(fixture(t, "fflow_daykline.json"))
	if err != nil || len(dropped) != 0 || len(f.Days) != 1 || f.Name != "北方稀土" {
		t.Fatal(f, dropped, err)
	}
	d := f.Days[0]
	if !d.Date.Equal(model.Date(2026, 1, 9)) || d.Flow.Main != 312456789 || d.Flow.Super != 213691357 || d.Close != 49.41 || d.ChangePct != 1.4 {
		t.Errorf("%+v", d)
	}
	// The REAL 13-column line, a bad line and a day out of order.
	body := `{"rc":0,"data":{"code":"516150","name":"稀土ETF","klines":["2026-01-08,1000.0,1,2,3,4,5,6,7,8,9,1.5,0.1","2026-07-10,-5088655104.0,4058282752.0,1030372352.0,-1231041536.0,-3857613568.0,-16.81,13.40,3.40,-4.07,-12.74,7.59,-6.87","2026-07-09,1,2,3,4,5","x,1,2,3,4,5","2026-07-11,-,1,2,3,4",7]}}`
	f, dropped, err = ParseFundFlowDays([]byte(body))
	if err != nil || len(f.Days) != 2 || len(dropped) != 4 || f.Days[1].Close != 7.59 {
		t.Errorf("%+v %v %v", f.Days, dropped, err)
	}
	if got := f.NetN(2); got != 1000-5088655104 {
		t.Errorf("2-day net %v", got)
	}
	if model.Known(f.NetN(5)) {
		t.Error("a 5-day net from 2 days")
	}
	if f, _, err := ParseFundFlowDays([]byte(`{"rc":102,"data":null}`)); err != nil || len(f.Days) != 0 {
		t.Errorf("no data: %v %v", f, err)
	}
}

func TestFundFlowRequest(t *testing.T) {
	f, c := newFake(t, func(w http.ResponseWriter, r *http.Request) { w.Write(fixture(t, "fflow_daykline.json")) })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	fl, err := c.FundFlowDays(ctx, model.Symbol{Code: "516150", Market: model.MarketSSE}, 30)
	if err != nil || len(fl.Days) != 1 {
		t.Fatal(fl, err)
	}
	u := f.requests()[0]
	if u.Path != "/his/api/qt/stock/fflow/daykline/get" || u.Query().Get("secid") != "1.516150" || u.Query().Get("lmt") != "30" {
		t.Errorf("request %v", u)
	}
}
