package widgets

import (
	"math"
	"strings"
	"time"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// MAPeriods are the moving averages a K-line draws.
var MAPeriods = [3]int{5, 10, 20}

// maRunes tell the averages apart without colour.
var maRunes = [3]rune{'·', '∘', '•'}

// KLineSpec is what a K-line chart draws.
type KLineSpec struct {
	Bars   []model.Bar // every bar known, oldest first (the averages need the ones before the window)
	Show   int         // how many of the newest bars the range asks for (0: all)
	Dec    int         // price decimals
	Cursor int         // the crosshair: an index into the bars shown, −1 for none
	Lang   i18n.Lang   // the language of its labels
	// Overlay is a second series aligned with Bars (NaN where unknown),
	// drawn as a line behind the candles; nil for none.
	Overlay []float64
}

// KLineLayout is where a K-line put its bars: the first shown (an index
// into Bars) and how many, so a crosshair can be moved along them.
type KLineLayout struct {
	First, N int
}

// KLineVisible is how many bars a K-line of width w shows, and the width
// each takes: a bar and, when there is room, up to three columns of gap.
func KLineVisible(n, show, w int) (vis, cw int) {
	if show <= 0 || show > n {
		show = n
	}
	vis = min(show, max(w, 0))
	if vis == 0 {
		return 0, 1
	}
	return vis, max(1, min(w/vis, 4))
}

// KLine draws candles in w×h cells: a legend line with the moving
// averages' values (at the crosshair, else at the last bar), the candles
// (up and down in the configured colours) with MA5, MA10 and MA20 over
// them and prices on the left, a volume pane, dates under it, and, with a
// crosshair, a line giving its bar's date, open, high, low, close, change,
// volume and amount.
func KLine(st Styles, sp KLineSpec, w, h int) (string, KLineLayout) {
	if w < 24 || h < 6 {
		return "", KLineLayout{}
	}
	if len(sp.Bars) == 0 {
		return st.Dim.Render(i18n.ChartNoBars.In(sp.Lang)), KLineLayout{}
	}
	closes := make([]float64, len(sp.Bars))
	for i, b := range sp.Bars {
		closes[i] = b.Close
	}
	var mas [3][]float64
	for k, n := range MAPeriods {
		mas[k] = model.MA(closes, n)
	}
	// Width of the price labels first: the plot width depends on it.
	lo, hi := math.Inf(1), math.Inf(-1)
	vis, cw := KLineVisible(len(sp.Bars), sp.Show, w-12)
	first := len(sp.Bars) - vis
	for i := first; i < len(sp.Bars); i++ {
		b := sp.Bars[i]
		ov := math.NaN()
		if i < len(sp.Overlay) {
			ov = sp.Overlay[i]
		}
		for _, v := range []float64{b.High, b.Low, b.Open, b.Close, mas[0][i], mas[1][i], mas[2][i], ov} {
			if model.Known(v) && v > 0 {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 0) {
		return st.Dim.Render(i18n.ChartNoPrices.In(sp.Lang)), KLineLayout{}
	}
	cur := sp.Cursor
	if cur >= vis {
		cur = vis - 1
	}
	info := 0
	if cur >= 0 {
		info = 1
	}
	vh := max(2, (h-2-info)/4)
	ph := h - 2 - info - vh // legend, price, volume, dates, info
	if ph < 3 {
		vh, ph = 0, h-2-info
	}
	sc, ticks := YTicks(lo, hi, ph, YFormat{Dec: sp.Dec})
	lw := 0
	for _, t := range ticks {
		lw = max(lw, len(t.Label))
	}
	top := 0.0
	for i := first; i < len(sp.Bars); i++ {
		if v := sp.Bars[i].Volume; model.Known(v) {
			top = max(top, v)
		}
	}
	volLabel := BigNum(top)
	lw = max(lw, Width(volLabel))
	pw := w - lw - 2
	vis2, cw2 := KLineVisible(len(sp.Bars), sp.Show, pw)
	if vis2 != vis || cw2 != cw { // the labels took more room than guessed
		vis, cw = vis2, cw2
		first = len(sp.Bars) - vis
		if cur >= vis {
			cur = vis - 1
		}
	}
	const (
		inkUp = iota + 1
		inkDown
		inkMA0
		inkMA1
		inkMA2
		inkDim
		inkOverlay
	)
	c := NewCanvas(pw, ph+vh, st.Up, st.Down, st.MA[0], st.MA[1], st.MA[2], st.Dim, st.Chart)
	if len(sp.Overlay) == len(sp.Bars) {
		ov := make([]float64, 0, vis*cw)
		for j := 0; j < vis; j++ {
			for d := 0; d < cw; d++ {
				ov = append(ov, sp.Overlay[first+j])
			}
		}
		c.Line(ov, 0, sc.Row, inkOverlay) // the candles are drawn over it
	}
	cts := make([]time.Time, 0, pw)
	for j := 0; j < vis; j++ {
		i := first + j
		b := sp.Bars[i]
		x := j * cw
		for k := 0; k < cw; k++ {
			cts = append(cts, b.Time)
		}
		up := !(b.Close < b.Open)
		ink := uint8(inkUp)
		if !up {
			ink = inkDown
		}
		if !model.Known(b.High) || !model.Known(b.Low) || !model.Known(b.Open) || !model.Known(b.Close) {
			continue
		}
		hr, lr := sc.Row(b.High), sc.Row(b.Low)
		or, cr := sc.Row(b.Open), sc.Row(b.Close)
		bt, bb := min(or, cr), max(or, cr)
		for y := hr; y <= lr; y++ {
			c.Set(x, y, '│', ink)
		}
		body := '█'
		if up {
			body = '┃'
		}
		if bt == bb {
			r := '━'
			if hr < bt || lr > bb {
				r = '┿'
			}
			c.Set(x, bt, r, ink)
		} else {
			for y := bt; y <= bb; y++ {
				c.Set(x, y, body, ink)
			}
		}
		if vh > 0 && top > 0 && model.Known(b.Volume) {
			c.Bar(x, ph, vh, b.Volume/top, ink)
		}
	}
	for len(cts) < pw && len(cts) > 0 {
		cts = append(cts, cts[len(cts)-1])
	}
	// The averages go over the gaps and round the candles, never over them.
	for k := range mas {
		for j := 0; j < vis; j++ {
			i := first + j
			for d := 0; d < cw; d++ {
				v := mas[k][i]
				if d > 0 {
					if i+1 >= len(sp.Bars) {
						continue
					}
					v = (v + mas[k][i+1]) / 2
				}
				if !model.Known(v) {
					continue
				}
				x, y := j*cw+d, sc.Row(v)
				if c.Empty(x, y) {
					c.Set(x, y, maRunes[k], uint8(inkMA0+k))
				}
			}
		}
	}
	if cur >= 0 {
		x := cur * cw
		for y := 0; y < ph+vh; y++ {
			if c.Empty(x, y) {
				c.Set(x, y, '┆', inkDim)
			}
		}
	}
	// Legend: the averages at the crosshair, else at the last bar.
	at := len(sp.Bars) - 1
	if cur >= 0 {
		at = first + cur
	}
	var legend []string
	for k, n := range MAPeriods {
		legend = append(legend, st.MA[k].Render(string(maRunes[k])+"MA"+itoa(n)+" "+Thousands(mas[k][at], sp.Dec)))
	}
	out := []string{Cut(strings.Join(legend, "  "), w)}
	labels := make([]string, ph)
	for _, t := range ticks {
		labels[t.Row] = t.Label
	}
	plot := c.Lines()
	for y := 0; y < ph+vh; y++ {
		l, axis := "", " │"
		if y < ph && labels[y] != "" {
			l, axis = labels[y], " ┤"
		}
		if y == ph {
			l, axis = volLabel, " ┤"
		}
		out = append(out, FitRight(l, lw)+st.Dim.Render(axis)+plot[y])
	}
	out = append(out, strings.Repeat(" ", lw+2)+st.Dim.Render(TimeAxis(cts, pw)))
	if cur >= 0 {
		out = append(out, Cut(Crosshair(st, sp.Bars, first+cur, sp.Dec, sp.Lang), w))
	}
	return strings.Join(out, "\n"), KLineLayout{First: first, N: vis}
}

// Crosshair is the line describing bar i: date, open, high, low, close,
// change from the bar before, volume and amount.
func Crosshair(st Styles, bars []model.Bar, i, dec int, l i18n.Lang) string {
	if i < 0 || i >= len(bars) {
		return ""
	}
	b := bars[i]
	chg := model.Unknown
	if i > 0 && bars[i-1].Close > 0 {
		chg = (b.Close/bars[i-1].Close - 1) * 100
	}
	var names [6]string
	for k, t := range [...]i18n.Text{i18n.CrossOpen, i18n.CrossHigh, i18n.CrossLow, i18n.CrossClose, i18n.CrossVolume, i18n.CrossAmount} {
		names[k] = t.In(l)
	}
	p := func(v float64) string { return Thousands(v, dec) }
	return st.Bold.Render(b.Time.In(model.CST).Format("2006-01-02")) + "  " +
		names[0] + " " + p(b.Open) + "  " + names[1] + " " + p(b.High) + "  " + names[2] + " " + p(b.Low) + "  " +
		names[3] + " " + st.Move(chg).Render(p(b.Close)+" "+SignedPct(chg, 2)) + "  " +
		names[4] + " " + Volume(b.Volume) + "  " + names[5] + " " + Yi(b.Amount)
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
