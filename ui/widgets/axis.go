package widgets

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// YFormat says how a y-axis writes its figures: prices in the instrument's
// decimals (3 for HK shares and ETFs, 2 for A-shares, 0 for 元/吨), or,
// with Big, volumes and amounts in 万 and 亿 once they are that large.
type YFormat struct {
	Dec int
	Big bool
}

// AxisTick is one labelled row of a y-axis.
type AxisTick struct {
	Row   int
	Value float64
	Label string
}

// YScale maps values onto rows 0 (top, Hi) … Rows−1 (bottom, Lo).
type YScale struct {
	Lo, Hi float64
	Rows   int
}

// Row is the row of v, clamped to the scale.
func (s YScale) Row(v float64) int {
	if s.Rows <= 1 || s.Hi <= s.Lo {
		return max(s.Rows-1, 0)
	}
	r := int(math.Round((s.Hi - v) / (s.Hi - s.Lo) * float64(s.Rows-1)))
	return max(0, min(r, s.Rows-1))
}

// Frac is v's height in the scale, 0 at Lo and 1 at Hi.
func (s YScale) Frac(v float64) float64 {
	if s.Hi <= s.Lo {
		return 0
	}
	return max(0, min((v-s.Lo)/(s.Hi-s.Lo), 1))
}

// niceStep is the smallest of 1, 2, 5 × 10^k at least raw, and its k.
func niceStep(raw float64) (float64, int) {
	if !(raw > 0) || math.IsInf(raw, 0) {
		return 1, 0
	}
	k := int(math.Floor(math.Log10(raw)))
	for {
		p := math.Pow10(k)
		for _, m := range []float64{1, 2, 5} {
			if m*p >= raw*(1-1e-9) {
				return m * p, k
			}
		}
		k++
	}
}

// floorQ and ceilQ round a quotient of a value by a step, forgiving the
// last digits a division leaves (1e7 / 0.1 is 99999999.99999999).
func floorQ(q float64) float64 { return math.Floor(q + 1e-9 + 1e-12*math.Abs(q)) }
func ceilQ(q float64) float64  { return math.Ceil(q - 1e-9 - 1e-12*math.Abs(q)) }

// YTicks lays out a y-axis over [lo, hi] on rows rows: a scale widened to
// whole steps of 1, 2 or 5 × 10^k, and a label on each step, no two on one
// row and no two alike. A price step is never finer than the instrument's
// last decimal, so its labels never repeat (1.94, 1.94, 1.94).
func YTicks(lo, hi float64, rows int, f YFormat) (YScale, []AxisTick) {
	if rows < 1 {
		return YScale{Lo: lo, Hi: hi}, nil
	}
	if !model.Known(lo) || !model.Known(hi) {
		lo, hi = 0, 1
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	minStep := math.Pow10(-f.Dec)
	if f.Big {
		minStep = 1
	}
	// The scale is the data's own range when at least two steps fall in
	// it (no room is lost to rounding the ends out); otherwise it widens
	// to the steps around the data. A label every other row at most.
	inside := func(step float64) int {
		return int(floorQ(hi/step)-ceilQ(lo/step)) + 1
	}
	most := max((rows+1)/2, 2)
	step, k := niceStep(max((hi-lo)/float64(most), minStep))
	if step < minStep {
		step, k = minStep, -f.Dec
	}
	for inside(step) > most {
		step, k = niceStep(step * 1.01)
	}
	for inside(step) < 2 && step > minStep*(1+1e-9) {
		finer, fk := niceStep(step * 0.99 / 2.5) // the next nice step down
		if finer < minStep {
			finer, fk = minStep, -f.Dec
		}
		step, k = finer, fk
	}
	a, b := lo, hi
	if inside(step) < 2 || hi <= lo {
		a = floorQ(lo/step) * step
		b = ceilQ(hi/step) * step
		if b <= a {
			b = a + step
		}
	}
	sc := YScale{Lo: a, Hi: b, Rows: rows}
	unit, suffix := 1.0, ""
	if f.Big {
		top := max(math.Abs(a), math.Abs(b))
		switch {
		case top >= 1e8:
			unit, suffix = 1e8, "亿"
		case top >= 1e4:
			unit, suffix = 1e4, "万"
		}
	}
	dec := f.Dec
	if f.Big {
		dec = max(0, -(k - int(math.Round(math.Log10(unit)))))
	}
	var ticks []AxisTick
	lastRow, lastLabel := -1, ""
	first, last := ceilQ(a/step), floorQ(b/step)
	for i := last; i >= first; i-- {
		v := i * step
		r := sc.Row(v)
		var lab string
		if f.Big {
			lab = strconv.FormatFloat(v/unit, 'f', dec, 64)
			if lab != "0" && strings.TrimLeft(lab, "-0.") != "" {
				lab += suffix
			} else {
				lab = "0"
			}
		} else {
			lab = Thousands(v, dec)
		}
		if r == lastRow || lab == lastLabel {
			continue
		}
		ticks = append(ticks, AxisTick{Row: r, Value: v, Label: lab})
		lastRow, lastLabel = r, lab
	}
	return sc, ticks
}

// TimeFormat picks the x-axis format for a span: HH:MM within a day,
// MM-DD HH:MM within three days, MM-DD within about six months, YYYY-MM
// beyond.
func TimeFormat(from, to time.Time) string {
	from, to = from.In(model.CST), to.In(model.CST)
	span := to.Sub(from)
	switch {
	case model.Day(from).Equal(model.Day(to)):
		return "15:04"
	case span < 3*24*time.Hour:
		return "01-02 15:04"
	case span <= 190*24*time.Hour:
		return "01-02"
	}
	return "2006-01"
}

// XLabel is a label under one column of a chart.
type XLabel struct {
	Col  int
	Text string
}

// PlaceLabels spreads labels over w columns: each label is centred on its
// column (kept inside the row), dropped when it would touch the label
// before it or repeat its text. The last label is kept over the ones
// before it that it would touch (but not over the first).
func PlaceLabels(labels []XLabel, w int) string {
	type placed struct {
		start int
		text  []rune
	}
	var kept []placed
	for i, l := range labels {
		txt := []rune(l.Text)
		lw := len(txt)
		if lw > w {
			continue
		}
		start := max(0, min(l.Col-lw/2, w-lw))
		if n := len(kept); n > 0 && string(kept[n-1].text) == l.Text {
			continue
		}
		if i == len(labels)-1 {
			for len(kept) > 1 && kept[len(kept)-1].start+len(kept[len(kept)-1].text) >= start {
				kept = kept[:len(kept)-1]
			}
		}
		if n := len(kept); n > 0 && kept[n-1].start+len(kept[n-1].text) >= start {
			continue
		}
		kept = append(kept, placed{start, txt})
	}
	row := []rune(strings.Repeat(" ", max(w, 0)))
	for _, p := range kept {
		copy(row[p.start:], p.text)
	}
	return string(row)
}

// TimeAxis writes the x-axis labels of a chart whose columns show the
// times ts (one per column, oldest first) in w cells: at least three
// labels when they fit and the times differ, evenly spread, never
// overlapping, never repeated, in the format the span calls for.
func TimeAxis(ts []time.Time, w int) string {
	if len(ts) == 0 || w <= 0 {
		return ""
	}
	layout := TimeFormat(ts[0], ts[len(ts)-1])
	lw := len(layout)
	n := max(min((w+2)/(lw+3), 8), 3)
	cols := len(ts)
	var labels []XLabel
	prev := ""
	for i := 0; i < n; i++ {
		c := 0
		if n > 1 {
			c = int(math.Round(float64(i) * float64(cols-1) / float64(n-1)))
		}
		txt := ts[c].In(model.CST).Format(layout)
		if txt == prev {
			continue
		}
		prev = txt
		labels = append(labels, XLabel{Col: c, Text: txt})
	}
	return strings.TrimRight(PlaceLabels(labels, w), " ")
}

// Resample maps n points onto cols columns: each column's value is
// interpolated between its two nearest points (NaN stays NaN), each
// column's time is its nearest point's.
func Resample(vals []float64, ts []time.Time, cols int) ([]float64, []time.Time) {
	n := len(vals)
	if n == 0 || cols <= 0 {
		return nil, nil
	}
	out := make([]float64, cols)
	var ot []time.Time
	if len(ts) == n {
		ot = make([]time.Time, cols)
	}
	for j := range out {
		f := 0.0
		if cols > 1 {
			f = float64(j) * float64(n-1) / float64(cols-1)
		}
		i := int(f)
		if i >= n-1 {
			out[j] = vals[n-1]
		} else {
			a, b := vals[i], vals[i+1]
			out[j] = a + (b-a)*(f-float64(i))
			if !model.Known(a) || !model.Known(b) {
				out[j] = math.NaN()
			}
		}
		if ot != nil {
			ot[j] = ts[min(int(math.Round(f)), n-1)]
		}
	}
	return out, ot
}

// LineChart draws one or more series over time in w×h cells: a y-axis of
// figures in f's format on the left, the lines (the first in the chart's
// ink, a second in amber), and a row of dates or times under them. ts
// may be nil (no x-axis). Fewer than two known points draw a note.
func LineChart(st Styles, l i18n.Lang, ts []time.Time, f YFormat, w, h int, series ...[]float64) string {
	if w < 12 || h < 2 || len(series) == 0 {
		return ""
	}
	lo, hi, known := math.Inf(1), math.Inf(-1), 0
	for _, s := range series {
		for _, v := range s {
			if model.Known(v) {
				lo, hi = min(lo, v), max(hi, v)
				known++
			}
		}
	}
	if known < 2 || len(series[0]) < 2 {
		return st.Dim.Render(i18n.ChartNoHistory.In(l))
	}
	rows := h
	if ts != nil && h >= 3 {
		rows = h - 1
	}
	sc, ticks := YTicks(lo, hi, rows, f)
	lw := 0
	for _, t := range ticks {
		lw = max(lw, Width(t.Label))
	}
	pw := w - lw - 2
	if pw < 4 {
		return ""
	}
	c := NewCanvas(pw, rows, st.Chart, st.Warn)
	var cts []time.Time
	for i, s := range series {
		var sts []time.Time
		if i == 0 {
			sts = ts
		}
		vals, rt := Resample(s, sts, pw)
		if i == 0 {
			cts = rt
		}
		c.Line(vals, 0, sc.Row, uint8(min(i+1, 2)))
	}
	plot := c.Lines()
	labels := make([]string, rows)
	for _, t := range ticks {
		labels[t.Row] = t.Label
	}
	out := make([]string, 0, h)
	for y := 0; y < rows; y++ {
		axis := " │"
		if labels[y] != "" {
			axis = " ┤"
		}
		out = append(out, FitRight(labels[y], lw)+st.Dim.Render(axis)+plot[y])
	}
	if len(out) < h && len(cts) > 0 {
		out = append(out, strings.Repeat(" ", lw+2)+st.Dim.Render(TimeAxis(cts, pw)))
	}
	return strings.Join(out, "\n")
}
