package eastmoney

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

func TestBarsDaily(t *testing.T) {
	f, c := newFake(t, file(t, "kline.json"))
	bars, err := c.Bars(context.Background(), sym(t, "600111"), model.Daily, model.Date(2026, 1, 7), model.Date(2026, 1, 9))
	if err != nil {
		t.Fatal(err)
	}
	r := f.requests()[0]
	q := r.Query()
	if r.Path != "/his/api/qt/stock/kline/get" || q.Get("secid") != "1.600111" || q.Get("klt") != "101" ||
		q.Get("fqt") != "1" || q.Get("beg") != "20260107" || q.Get("end") != "20260109" {
		t.Fatalf("request %s", r)
	}
	if len(bars) != 3 {
		t.Fatalf("%d bars", len(bars))
	}
	b := bars[2]
	if !b.Time.Equal(model.Date(2026, 1, 9)) || b.Symbol != "600111" || b.Interval != model.Daily || b.Source != "eastmoney" {
		t.Fatalf("bar %+v", b)
	}
	eq(t, "close", b.Close, 49.41) // column 2: close comes before high
	eq(t, "high", b.High, 49.88)
	eq(t, "open", b.Open, 48.9)
	eq(t, "low", b.Low, 48.6)
	eq(t, "volume", b.Volume, 98765400)
	eq(t, "amount", b.Amount, 4872345678)
	eq(t, "first close", bars[0].Close, 48.12)
	if !bars[0].Time.Equal(model.Date(2026, 1, 7)) {
		t.Errorf("first bar %v", bars[0].Time)
	}
}

func TestBarsRangeFilter(t *testing.T) {
	_, c := newFake(t, file(t, "kline.json"))
	// The server ignores beg/end; the client still keeps only [from, to].
	from := time.Date(2026, 1, 8, 14, 0, 0, 0, model.CST)
	bars, err := c.Bars(context.Background(), sym(t, "600111"), model.Daily, from, model.Date(2026, 1, 8))
	if err != nil {
		t.Fatal(err)
	}
	if len(bars) != 1 || bars[0].Close != 48.73 {
		t.Fatalf("bars %+v", bars)
	}
}

func TestBarsEmptyIsNotAnError(t *testing.T) {
	for _, name := range []string{"kline_rc100.json", "kline_nulldata.json"} {
		_, c := newFake(t, file(t, name))
		bars, err := c.Bars(context.Background(), sym(t, "600111"), model.Daily, time.Time{}, time.Time{})
		if err != nil || len(bars) != 0 {
			t.Errorf("%s: %v, %v", name, bars, err)
		}
	}
}

func TestBarsBadLines(t *testing.T) {
	f, c := newFake(t, file(t, "kline_bad.json"))
	bars, err := c.Bars(context.Background(), sym(t, "600111"), model.Daily, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(bars) != 2 || bars[0].Close != 48.12 || bars[1].Close != 49.41 {
		t.Fatalf("kept %+v", bars)
	}
	d := f.dropped()
	want := []string{"line 1", "close missing", "line 2", "line 3", "high 47.1 below low 49.95", "line 4", "not a string", "line 5", "line 6"}
	all := strings.Join(d, "\n")
	if len(d) != 6 {
		t.Fatalf("dropped %d, want 6:\n%s", len(d), all)
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("drops do not mention %q:\n%s", w, all)
		}
	}
}

func TestBarsHKJSONP(t *testing.T) {
	f, c := newFake(t, file(t, "kline_hk.json"))
	bars, err := c.Bars(context.Background(), sym(t, "06680"), model.Daily, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.requests()[0].Query().Get("secid"); got != "116.06680" {
		t.Errorf("secid %q", got)
	}
	if len(bars) != 2 || bars[1].Symbol != "06680" {
		t.Fatalf("bars %+v", bars)
	}
	eq(t, "HK close", bars[1].Close, 20.4)
	eq(t, "HK volume stays in shares", bars[1].Volume, 6052000)
}

func TestBarsMinute(t *testing.T) {
	f, c := newFake(t, file(t, "kline_minute.json"))
	bars, err := c.Bars(context.Background(), sym(t, "600111"), model.Minute, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.requests()[0].Query().Get("klt"); got != "1" {
		t.Errorf("klt %q", got)
	}
	if len(bars) != 3 {
		t.Fatalf("%d bars", len(bars))
	}
	// Stamped "09:31" (end of the minute) → starts 09:30.
	if want := time.Date(2026, 1, 9, 9, 30, 0, 0, model.CST); !bars[0].Time.Equal(want) || bars[0].Interval != model.Minute {
		t.Errorf("first minute %v, want %v", bars[0].Time, want)
	}
	if want := time.Date(2026, 1, 9, 14, 59, 0, 0, model.CST); !bars[2].Time.Equal(want) {
		t.Errorf("last minute %v, want %v", bars[2].Time, want)
	}
	eq(t, "minute volume", bars[0].Volume, 1234500)
	// An exact range applies to minute bars.
	bars, _ = c.Bars(context.Background(), sym(t, "600111"), model.Minute,
		time.Date(2026, 1, 9, 9, 31, 0, 0, model.CST), time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST))
	if len(bars) != 1 || bars[0].Close != 49.1 {
		t.Errorf("minute range: %+v", bars)
	}
}

func TestBarsBadInterval(t *testing.T) {
	_, c := newFake(t, file(t, "kline.json"))
	if _, err := c.Bars(context.Background(), sym(t, "600111"), "5m", time.Time{}, time.Time{}); err == nil {
		t.Fatal("want an error for an unsupported interval")
	}
}
