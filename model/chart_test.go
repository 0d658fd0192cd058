package model

import (
	"math"
	"testing"
	"time"
)

// MA5 of 10,11,…,15 worked by hand: (10+11+12+13+14)/5 = 12, then 13.
func TestMAByHand(t *testing.T) {
	got := MA([]float64{10, 11, 12, 13, 14, 15}, 5)
	for i := 0; i < 4; i++ {
		if Known(got[i]) {
			t.Fatalf("MA5[%d] = %v, want unknown", i, got[i])
		}
	}
	if got[4] != 12 || got[5] != 13 {
		t.Fatalf("MA5 = %v, want 12 then 13", got[4:])
	}
	// MA3 of 1,2,4,8: (1+2+4)/3 = 2.3333, (2+4+8)/3 = 4.6667
	m3 := MA([]float64{1, 2, 4, 8}, 3)
	if math.Abs(m3[2]-7.0/3) > 1e-12 || math.Abs(m3[3]-14.0/3) > 1e-12 {
		t.Fatalf("MA3 = %v", m3)
	}
}

func TestResampleWeekAndMonth(t *testing.T) {
	mk := func(d string, o, h, l, c, v float64) Bar {
		day, _ := ParseDay(d)
		return Bar{Symbol: "600111", Interval: Daily, Time: day, Open: o, High: h, Low: l, Close: c, Volume: v, Amount: v * c}
	}
	// Thu 2026-01-29, Fri 01-30 (ISO week 5), Mon 02-02 (week 6).
	bars := []Bar{mk("2026-01-29", 10, 11, 9.5, 10.5, 100), mk("2026-01-30", 10.5, 12, 10, 11.8, 200), mk("2026-02-02", 11.8, 12.2, 11, 11.2, 50)}
	w := Resample(bars, PeriodWeek)
	if len(w) != 2 {
		t.Fatalf("weeks = %d, want 2", len(w))
	}
	if w[0].Open != 10 || w[0].High != 12 || w[0].Low != 9.5 || w[0].Close != 11.8 || w[0].Volume != 300 {
		t.Fatalf("week 5 = %+v", w[0])
	}
	if !w[0].Time.Equal(bars[1].Time) {
		t.Fatalf("week stamped %v, want its last day", w[0].Time)
	}
	m := Resample(bars, PeriodMonth)
	if len(m) != 2 || m[0].Close != 11.8 || m[1].Open != 11.8 {
		t.Fatalf("months = %+v", m)
	}
}

func TestSessionFrameSlots(t *testing.T) {
	at := func(hm string) time.Time {
		tt, _ := time.ParseInLocation("2006-01-02 15:04", "2026-01-09 "+hm, CST)
		return tt
	}
	a := SessionFrame(ExchangeA)
	if a.Minutes() != 240 {
		t.Fatalf("A minutes = %d", a.Minutes())
	}
	for hm, want := range map[string]int{"09:30": 0, "10:30": 60, "11:30": 120, "13:00": 120, "13:01": 121, "15:00": 240} {
		if got, ok := a.Slot(at(hm)); got != want || !ok {
			t.Errorf("A slot(%s) = %d %v, want %d", hm, got, ok, want)
		}
	}
	if got, ok := a.Slot(at("12:10")); got != 120 || ok {
		t.Errorf("lunch slot = %d %v, want 120 false", got, ok)
	}
	hk := SessionFrame(ExchangeHK)
	if hk.Minutes() != 330 {
		t.Fatalf("HK minutes = %d", hk.Minutes())
	}
	if got, _ := hk.Slot(at("13:00")); got != 150 {
		t.Errorf("HK 13:00 slot = %d, want 150", got)
	}
	if got, _ := hk.Slot(at("16:00")); got != 330 {
		t.Errorf("HK 16:00 slot = %d", got)
	}
	if a.SlotTime(120) != 11*60+30 || a.SlotTime(121) != 13*60+1 || a.SlotTime(240) != 15*60 {
		t.Errorf("SlotTime: %d %d %d", a.SlotTime(120), a.SlotTime(121), a.SlotTime(240))
	}
}

func TestPriceDecimals(t *testing.T) {
	for code, want := range map[string]int{"600111": 2, "06680": 3, "516150": 3, "000831": 2} {
		s, _ := ParseSymbol(code)
		if got := PriceDecimals(s); got != want {
			t.Errorf("%s: %d, want %d", code, got, want)
		}
	}
}
