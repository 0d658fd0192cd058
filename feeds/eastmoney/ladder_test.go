package eastmoney

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

func TestParseLadderSample(t *testing.T) {
	l, dropped, err := ParseLadder(fixture(t, "zt_pool.json"), model.Date(2026, 1, 9))
	if err != nil || len(dropped) != 0 {
		t.Fatal(err, dropped)
	}
	if !l.Day.Equal(model.Date(2026, 1, 9)) || len(l.Rows) != 3 {
		t.Fatalf("day %v rows %d", l.Day, len(l.Rows))
	}
	r := l.Rows[1]
	if r.Code != "600980" || r.Market != model.MarketSSE || r.Name != "北矿科技" || r.Height != 1 || r.Breaks != 2 ||
		r.Price != 24.31 || r.Sealed != 45605560 || r.Board != "专用设备" {
		t.Errorf("row 1 = %+v", r)
	}
	if want := model.Date(2026, 1, 9).Add(10*time.Hour + 14*time.Minute + 22*time.Second); !r.First.Equal(want) {
		t.Errorf("first %v, want %v", r.First, want)
	}
	if want := model.Date(2026, 1, 9).Add(13*time.Hour + 45*time.Minute + 10*time.Second); !r.Last.Equal(want) {
		t.Errorf("last %v, want %v", r.Last, want)
	}
	rungs := l.Rungs()
	if len(rungs) != 2 || rungs[0].Height != 2 || len(rungs[1].Rows) != 2 || rungs[1].Rows[0].Code != "600980" {
		t.Errorf("rungs %+v", rungs)
	}
	if got := l.Counts(); got != "2连板 1 · 首板 2" {
		t.Errorf("counts %q", got)
	}
}

func TestParseLadderRealJSONP(t *testing.T) {
	l, _, err := ParseLadder(fixture(t, "zt_pool_real.txt"), model.Date(2024, 9, 24))
	if err != nil {
		t.Fatal(err)
	}
	if !l.Day.Equal(model.Date(2024, 9, 23)) {
		t.Errorf("day %v: qdate ignored", l.Day)
	}
	if len(l.Rows) != 3 || l.Rows[0].Height != 4 || l.Rows[0].First.Format("15:04:05") != "09:25:00" || l.Rows[2].Breaks != 2 {
		t.Errorf("rows %+v", l.Rows)
	}
}

func TestParseLadderEmptyAndBad(t *testing.T) {
	for _, body := range []string{`{"rc":102,"data":null}`, `{"rc":0,"data":{"tc":0,"qdate":20260110,"pool":[]}}`} {
		l, _, err := ParseLadder([]byte(body), model.Date(2026, 1, 10))
		if err != nil || len(l.Rows) != 0 {
			t.Errorf("%s: %v %v", body, l, err)
		}
	}
	l, dropped, err := ParseLadder([]byte(`{"rc":0,"data":{"qdate":20260109,"pool":[{"c":"000795","m":0,"lbc":0},{"c":"600111","m":1,"lbc":1,"fbt":256100},{"c":"x"},7,{"c":"600111","m":1,"lbc":1,"fbt":93000,"n":"北方稀土"}]}}`), model.Date(2026, 1, 9))
	if err != nil || len(l.Rows) != 1 || len(dropped) != 4 {
		t.Errorf("rows %+v dropped %v err %v", l.Rows, dropped, err)
	}
	if _, _, err := ParseLadder([]byte(`{"rc":5,"data":{"pool":[]}}`), time.Time{}); err == nil {
		t.Error("rc 5 with data accepted")
	}
	if _, _, err := ParseLadder([]byte(`{"data":{}}`), time.Time{}); err == nil {
		t.Error("a body without rc accepted")
	}
}

func TestLadderRequest(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		w.Write(fixture(t, "zt_pool.json"))
	}))
	defer srv.Close()
	c := New(Config{Push2exURL: srv.URL, HTTP: httpx.New(httpx.Options{Timeout: 2 * time.Second})})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l, err := c.Ladder(ctx, model.Date(2026, 1, 9))
	if err != nil || len(l.Rows) != 3 {
		t.Fatal(l, err)
	}
	if got.URL.Path != "/getTopicZTPool" || got.URL.Query().Get("date") != "20260109" || got.URL.Query().Get("sort") != "fbt:asc" {
		t.Errorf("request %v", got.URL)
	}
}
