package store

import (
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

// tq is a quote with the fields Retain reads.
func tq(sym string, t time.Time, last, vol, amt float64, src string) model.Quote {
	q := quote(sym, t, last)
	q.Volume, q.Amount, q.Source = vol, amt, src
	return q
}

func TestRetainFoldsQuotesIntoMinuteBars(t *testing.T) {
	db := newDB(t)
	// day0 is Monday 2026-01-05. Quotes of day0 and of day0+1; now is
	// day0+31 noon, 30 days kept: the cutoff is day0+1 00:00, so day0 is
	// folded and day0+1 is kept.
	old := []model.Quote{
		// 09:30 — first minute of the day: volume is the cumulative figure.
		tq("600111", at(0, 9, 30, 5), 10.00, 1000, 10000, "eastmoney"),
		tq("600111", at(0, 9, 30, 35), 10.50, 1500, 15200, "eastmoney"),
		tq("600111", at(0, 9, 30, 55), 10.20, 1800, 18260, "eastmoney"),
		// 09:31 — 2100 - 1800 = 300 shares, 21290 - 18260 = 3030 yuan.
		tq("600111", at(0, 9, 31, 10), 10.10, 2000, 19270, "eastmoney"),
		tq("600111", at(0, 9, 31, 50), 10.30, 2100, 21290, "eastmoney"),
		// 09:32 — a failover to a source whose cumulative volume is lower:
		// 2050 - 2100 < 0 is clamped to 0; amount 21800 - 21290 = 510.
		tq("600111", at(0, 9, 32, 0), 10.40, 2050, 21800, "sina"),
		// 09:33 — no volume known: the bar's volume is unknown, and the
		// next minute's difference is taken from 09:32's 2050.
		tq("600111", at(0, 9, 33, 20), 10.25, nan, nan, "sina"),
		// 09:34 — 2350 - 2050 = 300; 24800 - 21800 = 3000.
		tq("600111", at(0, 9, 34, 0), 10.35, 2350, 24800, "sina"),
		// another symbol, one quote
		tq("000831", at(0, 14, 59, 59), 45.62, 321056, 1464877312, "eastmoney"),
	}
	recent := []model.Quote{tq("600111", at(1, 9, 30, 5), 11, 500, 5500, "eastmoney")}
	daily := []model.Bar{dailyBar("600111", day0, 10.35)}
	if err := db.Append(model.Batch{Quotes: append(old, recent...), Bars: daily}); err != nil {
		t.Fatal(err)
	}

	now := at(31, 12, 0, 0)
	rep, err := db.Retain(now, 30)
	if err != nil {
		t.Fatal(err)
	}
	if want := day0.AddDate(0, 0, 1); !rep.Cutoff.Equal(want) {
		t.Errorf("cutoff %v, want %v", rep.Cutoff, want)
	}
	if rep.Quotes != 9 || rep.Bars != 6 || rep.Symbols != 2 || rep.Kept != 0 {
		t.Errorf("report %+v, want 9 quotes folded into 6 bars for 2 symbols", rep)
	}

	bars, err := db.Bars("600111", model.Minute, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Bar{
		{Time: at(0, 9, 30, 0), Open: 10, High: 10.5, Low: 10, Close: 10.2, Volume: 1800, Amount: 18260, Source: "eastmoney"},
		{Time: at(0, 9, 31, 0), Open: 10.1, High: 10.3, Low: 10.1, Close: 10.3, Volume: 300, Amount: 3030, Source: "eastmoney"},
		{Time: at(0, 9, 32, 0), Open: 10.4, High: 10.4, Low: 10.4, Close: 10.4, Volume: 0, Amount: 510, Source: "sina"},
		{Time: at(0, 9, 33, 0), Open: 10.25, High: 10.25, Low: 10.25, Close: 10.25, Volume: nan, Amount: nan, Source: "sina"},
		{Time: at(0, 9, 34, 0), Open: 10.35, High: 10.35, Low: 10.35, Close: 10.35, Volume: 300, Amount: 3000, Source: "sina"},
	}
	for i := range want {
		want[i].Symbol, want[i].Interval = "600111", model.Minute
	}
	if len(bars) != len(want) {
		t.Fatalf("%d bars, want %d: %+v", len(bars), len(want), bars)
	}
	for i := range want {
		if !same(bars[i], want[i]) {
			t.Errorf("bar %d:\n got %+v\nwant %+v", i, bars[i], want[i])
		}
	}
	other, _ := db.Bars("000831", model.Minute, time.Time{}, time.Time{})
	if len(other) != 1 || other[0].Volume != 321056 || other[0].Amount != 1464877312 || !other[0].Time.Equal(at(0, 14, 59, 0)) {
		t.Errorf("000831: %+v", other)
	}

	// The folded quotes are gone, the recent one and the daily bar stay.
	qs, _ := db.Quotes("600111", time.Time{}, time.Time{})
	if len(qs) != 1 || qs[0].Last != 11 {
		t.Errorf("quotes left: %+v", qs)
	}
	if _, _, ok, _ := db.FirstLast("quotes", "000831"); ok {
		t.Error("000831's quotes were not deleted")
	}
	if d, _ := db.Bars("600111", model.Daily, time.Time{}, time.Time{}); len(d) != 1 {
		t.Errorf("daily bars: %d", len(d))
	}

	// Again: nothing to do.
	rep, err = db.Retain(now, 30)
	if err != nil || rep.Quotes != 0 || rep.Bars != 0 {
		t.Errorf("second Retain: %+v %v", rep, err)
	}
	if _, err := db.Retain(now, 0); err == nil {
		t.Error("0 days accepted")
	}
}

func TestRetainMixedSourcesAndExistingBars(t *testing.T) {
	db := newDB(t)
	feedBar := model.Bar{Symbol: "600111", Interval: model.Minute, Time: at(0, 10, 1, 0), Open: 1, High: 1, Low: 1, Close: 1,
		Volume: 7, Amount: 7, Source: "eastmoney kline 1m"}
	qs := []model.Quote{
		tq("600111", at(0, 10, 0, 10), 20, 100, 2000, "eastmoney"),
		tq("600111", at(0, 10, 0, 40), 21, 150, 3050, "sina"),
		tq("600111", at(0, 10, 1, 10), 22, 200, 4150, "sina"),
		tq("600111", at(0, 10, 2, 10), 23, 260, 5530, "sina"),
	}
	if err := db.Append(model.Batch{Quotes: qs, Bars: []model.Bar{feedBar}}); err != nil {
		t.Fatal(err)
	}
	rep, err := db.Retain(at(40, 0, 0, 0), 30)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Quotes != 4 || rep.Bars != 2 || rep.Kept != 1 {
		t.Errorf("report %+v", rep)
	}
	bars, _ := db.Bars("600111", model.Minute, time.Time{}, time.Time{})
	if len(bars) != 3 {
		t.Fatalf("%+v", bars)
	}
	if bars[0].Source != "eastmoney+sina" || bars[0].Volume != 150 || bars[0].Open != 20 || bars[0].Close != 21 {
		t.Errorf("mixed-source minute: %+v", bars[0])
	}
	if !same(bars[1], feedBar) {
		t.Errorf("the feed's bar was replaced: %+v", bars[1])
	}
	// 10:02: the difference from 10:01's last quote (200), although 10:01's
	// bar is the feed's own.
	if bars[2].Volume != 60 || bars[2].Amount != 1380 {
		t.Errorf("10:02 bar %+v", bars[2])
	}
}

func TestRetainInChunksOfWholeDays(t *testing.T) {
	defer func(n int) { retainChunk = n }(retainChunk)
	retainChunk = 5
	db := newDB(t)
	var qs []model.Quote
	for d := range 4 {
		for i := range 4 { // 4 quotes a day, one a minute, cumulative 100, 200, 300, 400
			qs = append(qs, tq("600111", at(d, 10, i, 0), float64(10+d), float64(100*(i+1)), float64(1000*(i+1)), "eastmoney"))
		}
	}
	if err := db.Append(model.Batch{Quotes: qs}); err != nil {
		t.Fatal(err)
	}
	rep, err := db.Retain(at(33, 0, 0, 0), 30) // cutoff day0+3: days 0, 1, 2 folded
	if err != nil {
		t.Fatal(err)
	}
	if rep.Quotes != 12 || rep.Bars != 12 {
		t.Errorf("report %+v", rep)
	}
	bars, _ := db.Bars("600111", model.Minute, time.Time{}, time.Time{})
	for i, b := range bars {
		// Every day restarts its cumulative figures: 100 in each minute.
		if b.Volume != 100 || b.Amount != 1000 || b.Close != float64(10+i/4) {
			t.Errorf("bar %d: %+v", i, b)
		}
	}
	left, _ := db.Quotes("600111", time.Time{}, time.Time{})
	if len(left) != 4 || !model.Day(left[0].Time).Equal(day0.AddDate(0, 0, 3)) {
		t.Errorf("%d quotes left", len(left))
	}
}
