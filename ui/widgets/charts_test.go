package widgets

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/model"
)

var testDay = model.Date(2026, time.January, 9)

// plotCol finds the column of the plot area (after the y-axis glyph) of
// every line; the axis glyph is at the same place on each.
func plotStart(t *testing.T, lines []string) int {
	t.Helper()
	for _, l := range lines {
		if i := strings.IndexAny(l, "┤"); i >= 0 {
			return len([]rune(l[:i])) + 1
		}
	}
	t.Fatal("no y-axis")
	return 0
}

// A session chart of w plot columns puts 10:30 at column round(60 ×
// (w−1) / 240) and 11:30 and 13:00 in one column: no column is spent on
// the lunch break.
func TestSessionFramePlacement(t *testing.T) {
	st := NewStyles(false, true)
	f := model.SessionFrame(model.ExchangeA)
	for _, w := range []int{80, 121, 160} {
		// A flat session at the previous close, and one minute far above it
		// at the time under test: that column is where the spike lands.
		for _, c := range []struct {
			hh, mm int
		}{{10, 30}, {11, 30}, {13, 0}, {9, 30}, {15, 0}} {
			s := model.Session{Day: testDay, PrevClose: 10}
			s.Ticks = append(s.Ticks, model.Tick{Time: SessionTime(testDay, c.hh, c.mm), Close: 11, Avg: math.NaN()})
			lines := strings.Split(ansi.Strip(SessionChart(st, SessionSpec{Frame: f, Sessions: []model.Session{s}, Dec: 2}, w, 20)), "\n")
			x0 := plotStart(t, lines)
			top := []rune(lines[0])
			spike := -1
			for x := x0; x < len(top); x++ {
				if top[x] == '─' {
					spike = x - x0
					break
				}
			}
			slot, _ := f.Slot(SessionTime(testDay, c.hh, c.mm))
			// The plot's width: from the left axis to the right one.
			right := strings.LastIndex(lines[0], "├")
			plotW := len([]rune(lines[0][:right])) - x0
			want := SlotCol(slot, 240, plotW)
			if spike != want {
				t.Errorf("w=%d: %02d:%02d at column %d, want %d (slot %d)", w, c.hh, c.mm, spike, want, slot)
			}
			if c.hh == 10 && c.mm == 30 && want != int(math.Round(60*float64(plotW-1)/240)) {
				t.Errorf("w=%d: 10:30 at %d", w, want)
			}
		}
		// 11:30 and 13:00 share a column.
		if SlotCol(120, 240, w) != SlotCol(func() int { s, _ := f.Slot(SessionTime(testDay, 13, 0)); return s }(), 240, w) {
			t.Errorf("w=%d: 11:30 and 13:00 in different columns", w)
		}
		// and 13:01 is the very next column or the same: nothing between.
		if d := SlotCol(121, 240, w) - SlotCol(120, 240, w); d > 1 && w < 240 {
			t.Errorf("w=%d: a gap of %d columns after the join", w, d)
		}
	}
}

// Labels under the session: the open, the join and the close at least.
func TestSessionAxisLabels(t *testing.T) {
	st := NewStyles(false, true)
	s := model.Session{Day: testDay, PrevClose: 10, Ticks: []model.Tick{{Time: SessionTime(testDay, 9, 31), Close: 10.1, Avg: 10.1}, {Time: SessionTime(testDay, 9, 32), Close: 10.05, Avg: 10.07}}}
	for _, x := range []model.Exchange{model.ExchangeA, model.ExchangeHK} {
		out := ansi.Strip(SessionChart(st, SessionSpec{Frame: model.SessionFrame(x), Sessions: []model.Session{s}, Dec: 3}, 60, 12))
		lines := strings.Split(out, "\n")
		axis := lines[len(lines)-1]
		join, end := "11:30/13:00", "15:00"
		if x == model.ExchangeHK {
			join, end = "12:00/13:00", "16:00"
		}
		for _, want := range []string{"09:30", join, end} {
			if !strings.Contains(axis, want) {
				t.Errorf("exchange %d: axis %q lacks %s", x, axis, want)
			}
		}
		// Left price and right % labels are symmetric around the close.
		var left, right []string
		for _, l := range lines[:len(lines)-1] {
			if i := strings.Index(l, "┤"); i >= 0 {
				left = append(left, strings.TrimSpace(l[:i]))
				right = append(right, strings.TrimSpace(l[strings.Index(l, "├")+len("├"):]))
			}
		}
		n := len(left)
		if n%2 != 1 || left[n/2] != "10.000" || right[n/2] != "0.00%" {
			t.Fatalf("labels %q %q: want the previous close in the middle", left, right)
		}
		for i := 0; i < n/2; i++ {
			if strings.TrimPrefix(right[i], "+") != strings.TrimPrefix(right[n-1-i], "-") {
				t.Errorf("%% labels not symmetric: %q", right)
			}
		}
	}
}

// Candles and averages from a small fixture, worked by hand: closes
// 10, 11, 12, 13, 14, 15 give MA5 = (11+12+13+14+15)/5 = 13.00 at the last
// bar and (10+11+12+13+14)/5 = 12.00 at the one before; MA10 and MA20 are
// not known yet. The crosshair on bar 4 reads its own figures: open 13.50,
// high 14.20, low 13.40, close 14.00, +7.69% on 13.00 (14/13 − 1), volume
// 400 股, amount 5,600.
func TestKLineCandlesAndMAByHand(t *testing.T) {
	st := NewStyles(false, true)
	var bars []model.Bar
	for i, c := range []float64{10, 11, 12, 13, 14, 15} {
		o := c - 0.5
		bars = append(bars, model.Bar{Time: testDay.AddDate(0, 0, i), Open: o, Close: c, High: c + 0.2, Low: o - 0.1, Volume: float64(100 * i), Amount: float64(100*i) * c})
	}
	out, lay := KLine(st, KLineSpec{Bars: bars, Dec: 2, Cursor: -1}, 60, 20)
	out = ansi.Strip(out)
	if lay.First != 0 || lay.N != 6 {
		t.Fatalf("layout %+v", lay)
	}
	if !strings.Contains(out, "MA5 13.00") || !strings.Contains(out, "MA10 —") || !strings.Contains(out, "MA20 —") {
		t.Fatalf("legend:\n%s", out)
	}
	out, _ = KLine(st, KLineSpec{Bars: bars, Dec: 2, Cursor: 4}, 90, 20)
	out = ansi.Strip(out)
	lines := strings.Split(out, "\n")
	if !strings.Contains(lines[0], "MA5 12.00") {
		t.Errorf("legend at the crosshair: %q", lines[0])
	}
	want := "2026-01-13  O 13.50  H 14.20  L 13.40  C 14.00 +7.69%  V 400股  A 5600"
	if got := lines[len(lines)-1]; got != want {
		t.Errorf("crosshair line\n got %q\nwant %q", got, want)
	}
	// Every candle is an up candle: its body (┃) spans its open to its
	// close, its wick (│) reaches the high and the low, in its column.
	x0 := plotStart(t, lines[1:])
	_, cw := KLineVisible(6, 0, len([]rune(lines[1]))-x0)
	vh := max(2, (20-2-1)/4)                                         // the volume pane
	sc, _ := YTicks(9.4, 15.2, len(lines)-1-vh-1-1, YFormat{Dec: 2}) // legend, volume, dates, crosshair
	for j, b := range bars {
		col := x0 + j*cw
		var runes []rune
		for _, l := range lines[1 : 1+sc.Rows] {
			r := []rune(l)
			if col < len(r) {
				runes = append(runes, r[col])
			}
		}
		top := strings.IndexAny(string(runes), "│┃┿━")
		body := strings.Count(string(runes), "┃")
		if got := sc.Row(b.High); len([]rune(string(runes)[:top])) != got {
			t.Errorf("bar %d: wick top at row %d, want %d (high %v)", j, len([]rune(string(runes)[:top])), got, b.High)
		}
		if want := sc.Row(b.Open) - sc.Row(b.Close) + 1; body != want && want > 1 {
			t.Errorf("bar %d: body of %d rows, want %d", j, body, want)
		}
	}
}

// A crosshair beyond the bars shown is clamped to the last one.
func TestKLineCursorClamped(t *testing.T) {
	st := NewStyles(false, true)
	bars := []model.Bar{{Time: testDay, Open: 1, High: 2, Low: 0.5, Close: 1.5, Volume: 1}, {Time: testDay.AddDate(0, 0, 1), Open: 1.5, High: 1.6, Low: 1.2, Close: 1.3, Volume: 2}}
	out, _ := KLine(st, KLineSpec{Bars: bars, Dec: 2, Cursor: 9}, 40, 12)
	if !strings.Contains(ansi.Strip(out), "2026-01-10") {
		t.Fatalf("crosshair not on the last bar:\n%s", ansi.Strip(out))
	}
}

// 250 candles with volume and three averages at 160×48: the budget is
// 2 ms a frame.
func BenchmarkKLine250(b *testing.B) {
	st := NewStyles(false, false)
	var bars []model.Bar
	p := 48.0
	for i := 0; i < 270; i++ {
		o := p
		p *= 1 + 0.02*math.Sin(float64(i)*1.7)
		bars = append(bars, model.Bar{Time: testDay.AddDate(0, 0, i-270), Open: o, Close: p, High: max(o, p) * 1.01, Low: min(o, p) * 0.99, Volume: 1e6 + float64(i%5)*3e5, Amount: 5e7})
	}
	b.ReportAllocs()
	for b.Loop() {
		KLine(st, KLineSpec{Bars: bars, Show: 250, Dec: 2, Cursor: 120}, 160, 48)
	}
}

// The 1D session chart of a full day at 160×48.
func BenchmarkSessionChart(b *testing.B) {
	st := NewStyles(false, false)
	f := model.SessionFrame(model.ExchangeA)
	s := model.Session{Day: testDay, PrevClose: 48.73}
	for i := 0; i <= 240; i++ {
		m := f.SlotTime(i)
		p := 48.9 + 0.5*math.Sin(float64(i)/30)
		s.Ticks = append(s.Ticks, model.Tick{Time: SessionTime(testDay, m/60, m%60), Close: p, Avg: p, Volume: 1000})
	}
	for b.Loop() {
		SessionChart(st, SessionSpec{Frame: f, Sessions: []model.Session{s}, Dec: 2}, 128, 26)
	}
}
