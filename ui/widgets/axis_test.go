package widgets

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// The y labels of the ticker in the issue: a HK-style price near 1.94 that
// barely moves. Two decimals used to print 1.94 three times.
func TestYTicksNeverRepeatOnAFlatPrice(t *testing.T) {
	_, ticks := YTicks(1.9395, 1.9412, 10, YFormat{Dec: 3})
	if len(ticks) < 2 {
		t.Fatalf("ticks = %v", ticks)
	}
	for _, tk := range ticks {
		if strings.Count(tk.Label, ".") != 1 || len(tk.Label[strings.Index(tk.Label, ".")+1:]) != 3 {
			t.Fatalf("label %q: want 3 decimals", tk.Label)
		}
	}
	_, ticks = YTicks(677170, 684990, 8, YFormat{Dec: 0})
	for _, tk := range ticks {
		if strings.Contains(tk.Label, ".") {
			t.Fatalf("元/吨 label %q has decimals", tk.Label)
		}
	}
	_, ticks = YTicks(0, 3.2e8, 8, YFormat{Big: true})
	if !strings.HasSuffix(ticks[0].Label, "亿") {
		t.Fatalf("top label %q: want 亿", ticks[0].Label)
	}
	_, ticks = YTicks(0, 52000, 8, YFormat{Big: true})
	if !strings.HasSuffix(ticks[0].Label, "万") {
		t.Fatalf("top label %q: want 万", ticks[0].Label)
	}
}

// Property: over random series and sizes, a chart's y labels never
// repeat, lie on distinct rows, and the x-axis carries at least three
// distinct, non-overlapping labels; nothing is wider than asked.
func TestAxesPropertyRandomSeriesAndSizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	steps := []time.Duration{time.Minute, time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}
	st := NewStyles(false, true)
	start := time.Date(2026, 1, 5, 9, 30, 0, 0, model.CST)
	for iter := 0; iter < 1500; iter++ {
		n := 3 + rng.IntN(400)
		step := steps[rng.IntN(len(steps))]
		if step == time.Minute {
			n = min(n, 240) // one session
		}
		w, h := 40+rng.IntN(200), 4+rng.IntN(56)
		f := YFormat{Dec: rng.IntN(4)}
		if rng.IntN(4) == 0 {
			f = YFormat{Big: true}
		}
		base := math.Pow(10, float64(rng.IntN(10)-1))
		spread := base * []float64{0, 1e-6, 1e-3, 0.05, 1, 10}[rng.IntN(6)]
		vals := make([]float64, n)
		ts := make([]time.Time, n)
		for i := range vals {
			vals[i] = base + spread*rng.Float64()
			ts[i] = start.Add(time.Duration(i) * step)
		}
		out := ansi.Strip(LineChart(st, i18n.EN, ts, f, w, h, vals))
		lines := strings.Split(out, "\n")
		if len(lines) > h {
			t.Fatalf("iter %d: %d lines for h=%d", iter, len(lines), h)
		}
		for _, l := range lines {
			if Width(l) > w {
				t.Fatalf("iter %d: line %q wider than %d", iter, l, w)
			}
		}
		// y labels: the text before the axis glyph.
		seen := map[string]bool{}
		count := 0
		for _, l := range lines[:len(lines)-1] {
			i := strings.Index(l, "┤")
			if i < 0 {
				continue
			}
			lab := strings.TrimSpace(l[:i])
			if seen[lab] {
				t.Fatalf("iter %d (base %g spread %g, %+v, h %d): y label %q repeats:\n%s", iter, base, spread, f, h, lab, out)
			}
			seen[lab] = true
			count++
		}
		if count < 2 {
			t.Fatalf("iter %d: %d y labels:\n%s", iter, count, out)
		}
		// x labels: the last line, split on runs of spaces.
		xs := strings.Fields(strings.ReplaceAll(lines[len(lines)-1], "│", ""))
		if TimeFormat(ts[0], ts[n-1]) == "01-02 15:04" {
			var joined []string
			for i := 0; i+1 < len(xs); i += 2 {
				joined = append(joined, xs[i]+" "+xs[i+1])
			}
			xs = joined
		}
		layout := TimeFormat(ts[0], ts[n-1])
		if len(xs) < 3 && w-12 >= 3*(len(layout)+1) {
			t.Fatalf("iter %d: x labels %q (w %d, n %d, step %v)", iter, xs, w, n, step)
		}
		xseen := map[string]bool{}
		for _, x := range xs {
			if xseen[x] {
				t.Fatalf("iter %d: x label %q repeats: %q", iter, x, xs)
			}
			xseen[x] = true
		}
	}
}

func TestTimeFormatBySpan(t *testing.T) {
	d := time.Date(2026, 3, 2, 9, 30, 0, 0, model.CST)
	for _, c := range []struct {
		to   time.Time
		want string
	}{
		{d.Add(5 * time.Hour), "15:04"},
		{d.AddDate(0, 0, 2), "01-02 15:04"},
		{d.AddDate(0, 1, 0), "01-02"},
		{d.AddDate(1, 0, 0), "2006-01"},
	} {
		if got := TimeFormat(d, c.to); got != c.want {
			t.Errorf("%v: %q, want %q", c.to, got, c.want)
		}
	}
}

func TestPlaceLabelsNeverOverlap(t *testing.T) {
	row := PlaceLabels([]XLabel{{0, "01-05"}, {3, "01-06"}, {9, "01-07"}, {19, "01-08"}}, 20)
	if got := strings.Fields(row); len(got) != 3 || got[0] != "01-05" || got[2] != "01-08" {
		t.Fatalf("row %q", row)
	}
}

// yLabels are the labels left of the axis glyph on every line of a chart,
// and right of the right-hand one.
func yLabels(out string) (left, right []string) {
	for _, l := range strings.Split(out, "\n") {
		if i := strings.Index(l, "┤"); i >= 0 {
			left = append(left, strings.TrimSpace(l[:i]))
		}
		if i := strings.Index(l, "├"); i >= 0 {
			right = append(right, strings.TrimSpace(l[i+len("├"):]))
		}
	}
	return left, right
}

func repeats(labels []string) string {
	seen := map[string]bool{}
	for _, l := range labels {
		if seen[l] {
			return l
		}
		seen[l] = true
	}
	return ""
}

// The same property for the session chart and the K-line: random prices
// of every level and spread, random sizes, no repeated label on either
// axis, the open and close of the session always labelled.
func TestSessionAndKLineAxesProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	st := NewStyles(false, true)
	f := model.SessionFrame(model.ExchangeA)
	for iter := 0; iter < 400; iter++ {
		base := math.Pow(10, float64(rng.IntN(6)-1))
		spread := base * []float64{0, 1e-4, 1e-2, 0.1}[rng.IntN(4)]
		dec := 2 + rng.IntN(2)
		w, h := 30+rng.IntN(200), 8+rng.IntN(50)
		s := model.Session{Day: testDay, PrevClose: model.RoundTo(base, dec)}
		var bars []model.Bar
		for i := 0; i <= rng.IntN(241); i++ {
			m := f.SlotTime(i)
			p := model.RoundTo(base+spread*(rng.Float64()-0.5), dec)
			s.Ticks = append(s.Ticks, model.Tick{Time: SessionTime(testDay, m/60, m%60), Close: p, Avg: p, Volume: rng.Float64() * 1e6})
			bars = append(bars, model.Bar{Time: testDay.AddDate(0, 0, i), Open: p, Close: p * (1 + 0.01*(rng.Float64()-0.5)), High: p * 1.01, Low: p * 0.99, Volume: rng.Float64() * 1e8})
		}
		out := ansi.Strip(SessionChart(st, SessionSpec{Frame: f, Sessions: []model.Session{s}, Dec: dec}, w, h))
		left, right := yLabels(out)
		if r := repeats(left) + repeats(right); r != "" || len(left) < 3 {
			t.Fatalf("iter %d: session labels %q %q (repeat %q):\n%s", iter, left, right, r, out)
		}
		lines := strings.Split(out, "\n")
		if axis := lines[len(lines)-1]; !strings.Contains(axis, "09:30") || !strings.Contains(axis, "15:00") {
			t.Fatalf("iter %d: session axis %q", iter, axis)
		}
		k, _ := KLine(st, KLineSpec{Bars: bars, Dec: dec, Cursor: -1}, w, h)
		k = ansi.Strip(k)
		left, _ = yLabels(k)
		if r := repeats(left); r != "" || len(left) < 2 {
			t.Fatalf("iter %d: K-line labels %q (repeat %q):\n%s", iter, left, r, k)
		}
		for _, l := range strings.Split(k, "\n") {
			if Width(l) > w {
				t.Fatalf("iter %d: K-line line wider than %d: %q", iter, w, l)
			}
		}
	}
}
