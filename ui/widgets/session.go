package widgets

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// SessionSpec is what a session chart (分时) draws: one day (1D) or up to
// five (5D) of minute data on the exchange's fixed session frame.
type SessionSpec struct {
	Frame    model.Frame
	Sessions []model.Session // oldest first
	Dec      int             // price decimals
	Lang     i18n.Lang       // the language of its notes
}

// SessionCols is the number of columns a day takes in a plot of pw
// columns showing days days.
func SessionCols(pw, days int) int { return max(pw/max(days, 1), 1) }

// SlotCol is the column of a frame slot in a day of dayW columns: the
// open at 0, the close at dayW−1, the lunch break at no column at all.
func SlotCol(slot, minutes, dayW int) int {
	if minutes <= 0 || dayW <= 1 {
		return 0
	}
	return int(math.Round(float64(slot) * float64(dayW-1) / float64(minutes)))
}

// sessionTicks are the x labels of one day on a frame: the open, each
// whole hour, the join of the sessions (11:30/13:00) and the close.
func sessionTicks(f model.Frame) []struct {
	slot int
	text string
} {
	var out []struct {
		slot int
		text string
	}
	hm := func(m int) string {
		return strconv.Itoa(m/60/10) + strconv.Itoa(m/60%10) + ":" + strconv.Itoa(m%60/10) + strconv.Itoa(m%10)
	}
	off := 0
	for i, s := range f.Sessions {
		n := s[1] - s[0]
		for m := s[0]; m <= s[1]; m++ {
			switch {
			case i > 0 && m == s[0]:
				out[len(out)-1].text = hm(f.Sessions[i-1][1]) + "/" + hm(m)
			case m == s[0] || m == s[1] || (m%60 == 30 && i == 0 && m < s[1]):
				out = append(out, struct {
					slot int
					text string
				}{off + m - s[0], hm(m)})
			case m%60 == 0 && i > 0:
				out = append(out, struct {
					slot int
					text string
				}{off + m - s[0], hm(m)})
			}
		}
		off += n
	}
	return out
}

// SessionChart draws the session chart in w×h cells: the price (the
// chart's ink) and the running average price 均价 (amber) across the fixed
// frame, the day's untraded part left empty; a dashed line at the previous
// close, the middle of a y-axis symmetric around it with prices on the
// left and % from it on the right; volume bars under it, red or green by
// the minute's move; the times (1D) or the days, MM-DD, with their
// boundaries (5D) underneath.
func SessionChart(st Styles, sp SessionSpec, w, h int) string {
	if w < 24 || h < 5 {
		return ""
	}
	days := len(sp.Sessions)
	if days == 0 || sp.Frame.Minutes() == 0 {
		return st.Dim.Render(i18n.ChartNoMinutes.In(sp.Lang))
	}
	pc := sp.Sessions[0].PrevClose
	if !model.Known(pc) || pc <= 0 {
		for _, s := range sp.Sessions {
			if len(s.Ticks) > 0 {
				pc = s.Ticks[0].Open
				break
			}
		}
	}
	if !model.Known(pc) || pc <= 0 {
		return st.Dim.Render(i18n.ChartNoPrevClose.In(sp.Lang))
	}
	dev := 0.0
	for _, s := range sp.Sessions {
		for _, t := range s.Ticks {
			for _, v := range []float64{t.Close, t.Avg, t.High, t.Low} {
				if model.Known(v) && v > 0 {
					dev = max(dev, math.Abs(v-pc))
				}
			}
		}
	}
	vh := 0
	if h >= 9 {
		vh = max(2, h/5)
	}
	ph := h - 1 - vh
	if ph%2 == 0 { // an odd number of rows puts the previous close on the middle one
		ph--
		vh++
	}
	mid := (ph - 1) / 2
	nh := max(1, min(4, mid/2))
	if mid == 0 {
		nh = 1
	}
	u := math.Pow10(-sp.Dec)
	// A step of at least the last decimal and 0.01% of the previous
	// close: no two price labels and no two % labels are alike.
	least := max(u, math.Ceil(pc*1e-4/u-1e-9)*u)
	stepV := max(math.Ceil(dev/float64(nh)/u-1e-9)*u, least)
	D := stepV * float64(nh)
	sc := YScale{Lo: pc - D, Hi: pc + D, Rows: ph}
	pStep := stepV / pc * 100
	pdec := 2
	for pdec < 4 && pStep*math.Pow10(pdec) < 1 { // fine enough that no two labels are alike
		pdec++
	}
	left := make([]string, ph)
	right := make([]string, ph)
	lw, rw := 0, 0
	for j := -nh; j <= nh; j++ {
		v := pc + stepV*float64(j)
		r := sc.Row(v)
		left[r] = Thousands(v, sp.Dec)
		p := float64(j) * pStep
		right[r] = strconv.FormatFloat(p, 'f', pdec, 64) + "%"
		if j > 0 {
			right[r] = "+" + right[r]
		}
		lw, rw = max(lw, len(left[r])), max(rw, len(right[r]))
	}
	pw := w - lw - rw - 4
	if pw < 8 {
		return ""
	}
	const (
		inkPrice = iota + 1
		inkAvg
		inkDim
		inkUp
		inkDown
	)
	c := NewCanvas(pw, ph+vh, st.Chart, st.Warn, st.Dim, st.Up, st.Down)
	dayW := SessionCols(pw, days)
	minutes := sp.Frame.Minutes()
	closes := make([]float64, pw)
	avgs := make([]float64, pw)
	vols := make([]float64, pw)
	for i := range closes {
		closes[i], avgs[i] = math.NaN(), math.NaN()
	}
	for d, s := range sp.Sessions {
		x0 := d * dayW
		last := -1
		for _, t := range s.Ticks {
			slot, ok := sp.Frame.Slot(t.Time)
			if !ok {
				continue
			}
			x := x0 + SlotCol(slot, minutes, dayW)
			if x >= pw {
				continue
			}
			// Columns the minutes skipped (a wide chart) carry the last price.
			for k := last + 1; last >= 0 && k < x; k++ {
				closes[k], avgs[k] = closes[last], avgs[last]
			}
			if model.Known(t.Close) && t.Close > 0 {
				closes[x] = t.Close
			}
			if model.Known(t.Avg) && t.Avg > 0 {
				avgs[x] = t.Avg
			}
			if model.Known(t.Volume) {
				vols[x] += t.Volume
			}
			last = x
		}
	}
	// The previous close, dashed; day boundaries (5D), dotted.
	for x := 0; x < pw; x++ {
		c.Set(x, sc.Row(pc), '┄', inkDim)
	}
	if days > 1 {
		for d := 1; d < days; d++ {
			for y := 0; y < ph+vh; y++ {
				c.Set(d*dayW-1, y, '┊', inkDim)
			}
		}
	}
	rowOf := sc.Row
	for d := 0; d < days; d++ { // each day a line of its own, no stroke across the night
		a, b := d*dayW, min((d+1)*dayW, pw)
		c.Line(avgs[a:b], a, rowOf, inkAvg)
		c.Line(closes[a:b], a, rowOf, inkPrice)
	}
	if vh > 0 {
		top := 0.0
		for _, v := range vols {
			top = max(top, v)
		}
		prev := pc
		for x, v := range vols {
			if v > 0 && top > 0 {
				k := uint8(inkUp)
				if model.Known(closes[x]) && closes[x] < prev {
					k = inkDown
				}
				c.Bar(x, ph, vh, v/top, k)
			}
			if model.Known(closes[x]) {
				prev = closes[x]
			}
		}
	}
	plot := c.Lines()
	out := make([]string, 0, h)
	for y := 0; y < ph+vh; y++ {
		l, r := "", ""
		la, ra := " │", "│ "
		if y < ph {
			l, r = left[y], right[y]
			if l != "" {
				la, ra = " ┤", "├ "
			}
		}
		rs := st.Move(0).Render(r)
		if strings.HasPrefix(r, "+") {
			rs = st.Up.Render(r)
		} else if strings.HasPrefix(r, "-") {
			rs = st.Down.Render(r)
		}
		out = append(out, FitRight(l, lw)+st.Dim.Render(la)+plot[y]+st.Dim.Render(ra)+rs)
	}
	out = append(out, strings.Repeat(" ", lw+2)+st.Dim.Render(strings.TrimRight(sessionAxis(sp, pw, dayW), " ")))
	return strings.Join(out, "\n")
}

// sessionAxis is the label row: the session's times for one day, the
// days' dates (MM-DD) centred on each day for several.
func sessionAxis(sp SessionSpec, pw, dayW int) string {
	var labels []XLabel
	if len(sp.Sessions) == 1 {
		for _, t := range sessionTicks(sp.Frame) {
			labels = append(labels, XLabel{Col: SlotCol(t.slot, sp.Frame.Minutes(), dayW), Text: t.text})
		}
		return placeSessionLabels(labels, pw)
	}
	for d, s := range sp.Sessions {
		labels = append(labels, XLabel{Col: d*dayW + dayW/2, Text: s.Day.In(model.CST).Format("01-02")})
	}
	return PlaceLabels(labels, pw)
}

// placeSessionLabels keeps the open, the join and the close first, then
// the hours that still fit.
func placeSessionLabels(labels []XLabel, w int) string {
	if len(labels) == 0 {
		return ""
	}
	must := map[int]bool{0: true, len(labels) - 1: true}
	for i, l := range labels {
		if strings.Contains(l.Text, "/") {
			must[i] = true
		}
	}
	row := PlaceLabels(pick(labels, must), w)
	all := PlaceLabels(labels, w)
	if len(strings.Fields(all)) >= len(strings.Fields(row)) && containsAll(all, labels, must) {
		return all
	}
	return row
}

func pick(labels []XLabel, keep map[int]bool) []XLabel {
	var out []XLabel
	for i, l := range labels {
		if keep[i] {
			out = append(out, l)
		}
	}
	return out
}

func containsAll(row string, labels []XLabel, keep map[int]bool) bool {
	for i := range keep {
		if !strings.Contains(row, labels[i].Text) {
			return false
		}
	}
	return true
}

// SessionTime is a time on a day, for tests and the demo: hh:mm CST.
func SessionTime(day time.Time, hh, mm int) time.Time {
	d := model.Day(day)
	return time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, model.CST)
}

// PhaseLabel is the market clock's word for phase p on exchange x in l:
// the auctions in the exchange's own words (集合竞价, 开市前竞价 …), the
// rest as the desk says them.
func PhaseLabel(l i18n.Lang, p model.Phase, x model.Exchange) string {
	var t i18n.Text
	switch {
	case p == model.Auction && x == model.ExchangeA:
		t = i18n.PhaseAuctionA
	case p == model.CloseAuction && x == model.ExchangeA:
		t = i18n.PhaseCloseAuctionA
	case p == model.Auction:
		t = i18n.PhaseAuctionHK
	case p == model.CloseAuction:
		t = i18n.PhaseCloseAuctionHK
	case p == model.PreOpen:
		t = i18n.PhasePreOpen
	case p == model.Open:
		t = i18n.PhaseOpen
	case p == model.Lunch:
		t = i18n.PhaseLunch
	case p == model.AfterClose:
		t = i18n.PhaseAfterClose
	default:
		t = i18n.PhaseClosed
	}
	return t.In(l)
}
