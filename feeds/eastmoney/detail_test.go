package eastmoney

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

// The order book in the reconstructed WIRE.md body: 买1 49.41 × 512,
// 卖1 49.42 × 187, and the invariants the wire notes give.
func TestBookFromServer(t *testing.T) {
	f, c := newFake(t, file(t, "book.json"))
	b, err := c.Book(context.Background(), sym(t, "600111"))
	if err != nil {
		t.Fatal(err)
	}
	u := f.requests()[0]
	if u.Path != "/api/qt/stock/get" || u.Query().Get("secid") != "1.600111" || u.Query().Get("fltt") != "2" || !strings.Contains(u.Query().Get("fields"), "f31,f32") {
		t.Fatalf("request %s", u)
	}
	eq(t, "bid1", b.Bids[0].Price, 49.41)
	eq(t, "bid1 vol", b.Bids[0].Volume, 512)
	eq(t, "bid5", b.Bids[4].Price, 49.37)
	eq(t, "ask1", b.Asks[0].Price, 49.42)
	eq(t, "ask1 vol", b.Asks[0].Volume, 187)
	eq(t, "ask5", b.Asks[4].Price, 49.46)
	eq(t, "outer", b.Outer, 512300)
	eq(t, "inner", b.Inner, 475354)
	eq(t, "vol ratio", b.VolRatio, 1.35)
	eq(t, "limit up", b.LimitUp, 53.6)
	eq(t, "limit down", b.LimitDown, 43.86)
	eq(t, "prev close", b.PrevClose, 48.73)
	if math.Abs(b.Spread()-0.01) > 1e-9 {
		t.Fatalf("spread %v", b.Spread())
	}
	if b.Outer+b.Inner != 987654 {
		t.Fatalf("outer + inner = %v, want the volume 987654", b.Outer+b.Inner)
	}
	for i := 1; i < 5; i++ {
		if !(b.Asks[i].Price > b.Asks[i-1].Price) || !(b.Bids[i].Price < b.Bids[i-1].Price) {
			t.Fatalf("levels out of order: %+v", b)
		}
	}
}

// Without fltt the same book comes integer-scaled by 10^f59.
func TestBookIntegerScaled(t *testing.T) {
	b, err := ParseBook(fixture(t, "book_noflt.json"), sym(t, "600111"))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "bid1", b.Bids[0].Price, 49.41)
	eq(t, "ask5", b.Asks[4].Price, 49.46)
	eq(t, "limit up", b.LimitUp, 53.6)
	eq(t, "vol ratio", b.VolRatio, 1.35)
}

// An empty level ("-" or 0, a stock sealed at its limit) stays empty.
func TestBookEmptyLevels(t *testing.T) {
	body := `{"rc":0,"data":{"f39":"-","f40":"-","f37":0,"f38":0,"f19":53.6,"f20":99000,"f43":53.6,"f59":2,"f60":48.73,"f51":53.6,"f52":43.86}}`
	b, err := ParseBook([]byte(body), sym(t, "600111"))
	if err != nil {
		t.Fatal(err)
	}
	if model.Known(b.Asks[0].Price) || model.Known(b.Asks[1].Price) || model.Known(b.Spread()) {
		t.Fatalf("asks %+v spread %v", b.Asks, b.Spread())
	}
	if _, err := ParseBook([]byte(`{"rc":0,"data":null}`), sym(t, "600111")); err == nil {
		t.Fatal("data null: want an error")
	}
}

// The 241 minutes of the WIRE.md session: the 09:30 auction line, 15:00
// last, the previous close, and volumes in shares that add up to f47.
func TestSessionsFromServer(t *testing.T) {
	f, c := newFake(t, file(t, "trends2.json"))
	ss, err := c.Sessions(context.Background(), sym(t, "600111"), 5)
	if err != nil {
		t.Fatal(err)
	}
	u := f.requests()[0]
	if u.Path != "/his/api/qt/stock/trends2/get" || u.Query().Get("ndays") != "5" || u.Query().Get("secid") != "1.600111" {
		t.Fatalf("request %s", u)
	}
	if len(ss) != 1 {
		t.Fatalf("%d sessions", len(ss))
	}
	s := ss[0]
	if len(s.Ticks) != 241 || s.PrevClose != 48.73 || s.Symbol != "600111" {
		t.Fatalf("session: %d ticks, prev close %v", len(s.Ticks), s.PrevClose)
	}
	first, last := s.Ticks[0], s.Ticks[240]
	if first.Time.Format("15:04") != "09:30" || last.Time.Format("15:04") != "15:00" {
		t.Fatalf("first %v last %v", first.Time, last.Time)
	}
	eq(t, "last close", last.Close, 49.41)
	eq(t, "last avg", last.Avg, 49.333)
	vol := 0.0
	for _, tk := range s.Ticks {
		vol += tk.Volume
	}
	if vol != 987654*100 {
		t.Fatalf("volume %v shares, want 98,765,400 (f47 in lots × 100)", vol)
	}
	fr := model.SessionFrame(model.ExchangeA)
	if slot, _ := fr.Slot(last.Time); slot != 240 {
		t.Fatalf("15:00 at slot %d", slot)
	}
}

// Several days: each day has its own previous close from hisPrePrices,
// or the close of the day before.
func TestTrendsSeveralDays(t *testing.T) {
	body := `{"rc":0,"data":{"code":"600111","market":1,"preClose":47.0,"hisPrePrices":[{"date":20260108,"prePrice":47.5}],
	"trends":["2026-01-08 09:30,47.6,47.6,47.6,47.6,10,47600,47.600","2026-01-08 15:00,48.0,48.1,48.1,48.0,10,48100,47.900",
	"2026-01-09 09:30,48.2,48.2,48.2,48.2,10,48200,48.200","2026-01-09 09:31,48.2,-,48.3,48.1,10,48200,48.200","bad"]}}`
	p, err := ParseTrends([]byte(body), sym(t, "600111"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 2 || p.Rows[0].PrevClose != 47.5 || p.Rows[1].PrevClose != 48.1 {
		t.Fatalf("sessions %+v", p.Rows)
	}
	if len(p.Rows[1].Ticks) != 1 || len(p.Dropped) != 2 {
		t.Fatalf("day 2 ticks %d, dropped %q", len(p.Rows[1].Ticks), p.Dropped)
	}
}

// Today's flow per minute ends at the daily row, and the daily row keeps
// main = large + super and the four sizes netting to zero.
func TestFlowFromServer(t *testing.T) {
	f, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/fflow/kline/get"):
			file(t, "fflow_kline.json")(w, r)
		case strings.HasSuffix(r.URL.Path, "/fflow/daykline/get"):
			file(t, "fflow_daykline.json")(w, r)
		default:
			http.NotFound(w, r)
		}
	})
	today, err := c.FlowToday(context.Background(), sym(t, "600111"))
	if err != nil {
		t.Fatal(err)
	}
	days, err := c.FlowDays(context.Background(), sym(t, "600111"), 20)
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if reqs[0].Path != "/api/qt/stock/fflow/kline/get" || reqs[0].Query().Get("klt") != "1" {
		t.Fatalf("minute request %s", reqs[0])
	}
	if reqs[1].Path != "/his/api/qt/stock/fflow/daykline/get" || reqs[1].Query().Get("lmt") != "20" {
		t.Fatalf("daily request %s", reqs[1])
	}
	if len(today.Ticks) != 240 || today.Day.Format("2006-01-02") != "2026-01-09" {
		t.Fatalf("today: %d ticks on %v", len(today.Ticks), today.Day)
	}
	if len(days) != 1 {
		t.Fatalf("%d days", len(days))
	}
	d := days[0]
	if today.Ticks[239].Flow != d.Flow {
		t.Fatalf("last minute %+v, day %+v", today.Ticks[239].Flow, d.Flow)
	}
	eq(t, "main", d.Flow.Main, 312456789)
	eq(t, "super", d.Flow.Super, 213691357)
	eq(t, "large", d.Flow.Large, 98765432)
	eq(t, "medium", d.Flow.Medium, -111222222)
	eq(t, "small", d.Flow.Small, -201234567)
	eq(t, "close", d.Close, 49.41)
	if d.Flow.Main != d.Flow.Large+d.Flow.Super || math.Abs(d.Flow.Main+d.Flow.Medium+d.Flow.Small) > 10 {
		t.Fatalf("invariants broken: %+v", d.Flow)
	}
}

// The 13-column line of WIRE.md (no trailing unused fields) parses too.
func TestFlowDaysThirteenColumns(t *testing.T) {
	body := `{"rc":0,"data":{"code":"000725","klines":["2026-07-10,-5088655104.0,4058282752.0,1030372352.0,-1231041536.0,-3857613568.0,-16.81,13.40,3.40,-4.07,-12.74,7.59,-6.87"]}}`
	p, err := ParseFlowDays([]byte(body), sym(t, "000725"))
	if err != nil || len(p.Rows) != 1 {
		t.Fatalf("%v %+v", err, p)
	}
	if p.Rows[0].ChangePct != -6.87 || p.Rows[0].Date != model.Date(2026, time.July, 10) {
		t.Fatalf("%+v", p.Rows[0])
	}
}

func FuzzParseDetail(f *testing.F) {
	seed(f, append([]string{"book.json", "book_noflt.json", "trends2.json", "fflow_kline.json", "fflow_daykline.json"}, fuzzCommon...)...)
	s := model.Symbol{Code: "600111", Market: model.MarketSSE}
	f.Fuzz(func(t *testing.T, b []byte) {
		if bk, err := ParseBook(b, s); err == nil {
			if !model.Known(bk.Last) && !math.IsNaN(bk.Last) {
				t.Fatalf("book last %v", bk.Last)
			}
			for _, l := range append(bk.Asks[:], bk.Bids[:]...) {
				if model.Known(l.Price) && !(l.Price > 0) {
					t.Fatalf("level %+v", l)
				}
			}
		}
		tp, _ := ParseTrends(b, s)
		for _, ss := range tp.Rows {
			for _, tk := range ss.Ticks {
				if !(tk.Close > 0) || math.IsInf(tk.Close, 0) || tk.Time.IsZero() {
					t.Fatalf("tick %+v", tk)
				}
			}
		}
		fm, _ := ParseFlowMinutes(b, s)
		for _, x := range fm.Rows {
			if !model.Known(x.Flow.Main) || x.Time.IsZero() {
				t.Fatalf("flow tick %+v", x)
			}
		}
		fd, _ := ParseFlowDays(b, s)
		for _, x := range fd.Rows {
			if !model.Known(x.Flow.Main) || x.Date.IsZero() {
				t.Fatalf("flow day %+v", x)
			}
		}
	})
}
