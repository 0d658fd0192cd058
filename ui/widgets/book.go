package widgets

import (
	"math"
	"strconv"
	"strings"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// flowNames are the order sizes' names in l: main force, super-large,
// large, medium, small.
func flowNames(l i18n.Lang) [5]string {
	var out [5]string
	for k, t := range [...]i18n.Text{i18n.FlowMain, i18n.FlowSuper, i18n.FlowLarge, i18n.FlowMedium, i18n.FlowSmall} {
		out[k] = t.In(l)
	}
	return out
}

// BookWidth is the width the order book needs.
const BookWidth = 30

// OrderBook draws the five-level book (五档) in w columns: 卖5 … 卖1 above
// 买1 … 买5, each with its price (red above the previous close, green
// below, in the configured convention) and volume in lots (手), then the
// spread, 外盘 / 内盘, 量比 and the limit prices, labelled in l (English:
// Ask 5 … Bid 5).
func OrderBook(st Styles, b *model.Book, dec int, l i18n.Lang, w int) []string {
	if b == nil {
		return []string{st.Dim.Render(i18n.BookWaiting.In(l))}
	}
	if b.Decimals > 0 {
		dec = b.Decimals
	}
	ask, bid := i18n.BookAsk.In(l), i18n.BookBid.In(l)
	price := func(v float64) string {
		if !model.Known(v) || v <= 0 {
			return Dash
		}
		return strconv.FormatFloat(v, 'f', dec, 64)
	}
	vol := func(v float64) string {
		if !model.Known(v) || v <= 0 {
			return ""
		}
		return Thousands(v, 0)
	}
	lw := Width(ask + "5")
	row := func(label string, l model.Level) string {
		p := price(l.Price)
		mv := st.Flat
		if model.Known(l.Price) && l.Price > 0 && model.Known(b.PrevClose) {
			mv = st.Move(l.Price - b.PrevClose)
		}
		pw := max(w-lw-2-9, 6)
		return Fit(label, lw) + "  " + mv.Render(FitRight(p, min(pw, 9))) + FitRight(vol(l.Volume), max(w-lw-2-min(pw, 9), 0))
	}
	var out []string
	head := i18n.BookTitle.In(l)
	out = append(out, st.Bold.Render(head))
	for i := 4; i >= 0; i-- {
		out = append(out, row(ask+strconv.Itoa(i+1), b.Asks[i]))
	}
	out = append(out, st.Dim.Render(strings.Repeat("─", max(w, 0))))
	for i := 0; i < 5; i++ {
		out = append(out, row(bid+strconv.Itoa(i+1), b.Bids[i]))
	}
	kv := func(k, v string) string { return Fit(st.Dim.Render(k), 7) + v }
	var names [6]string
	for k, t := range [...]i18n.Text{i18n.BookSpread, i18n.BookOuter, i18n.BookInner, i18n.BookVolRat, i18n.BookLimUp, i18n.BookLimDown} {
		names[k] = t.In(l)
	}
	sp := b.Spread()
	spread := Dash
	if model.Known(sp) {
		spread = strconv.FormatFloat(sp, 'f', dec, 64)
		if mid := (b.Asks[0].Price + b.Bids[0].Price) / 2; mid > 0 {
			spread += " (" + strconv.FormatFloat(sp/mid*100, 'f', 2, 64) + "%)"
		}
	}
	ratio := Dash
	if model.Known(b.VolRatio) {
		ratio = strconv.FormatFloat(b.VolRatio, 'f', 2, 64)
	}
	lim := func(v float64) string {
		if !model.Known(v) || v <= 0 {
			return Dash
		}
		return price(v)
	}
	out = append(out,
		kv(names[0], spread),
		kv(names[1], st.Up.Render(BigNum(b.Outer)))+"  "+kv(names[2], st.Down.Render(BigNum(b.Inner))),
		kv(names[3], ratio),
		kv(names[4], st.Up.Render(lim(b.LimitUp)))+"  "+kv(names[5], st.Down.Render(lim(b.LimitDown))),
	)
	for i := range out {
		out[i] = Cut(out[i], w)
	}
	return out
}

// FlowBars draws a split by order size as four signed bars: 超大单, 大单,
// 中单, 小单 (super-large, large, medium, small), with main force on top,
// in 万元/亿元, each bar scaled to the largest.
func FlowBars(st Styles, f model.Flow, l i18n.Lang, w int) []string {
	names := flowNames(l)
	vals := [...]float64{f.Main, f.Super, f.Large, f.Medium, f.Small}
	top := 0.0
	for _, v := range vals {
		if model.Known(v) {
			top = max(top, math.Abs(v))
		}
	}
	nw, vw := 9, 9
	bw := max(w-nw-vw-2, 0)
	half := bw / 2
	var out []string
	for i, v := range vals {
		bar := strings.Repeat(" ", bw)
		if model.Known(v) && top > 0 && bw >= 4 {
			n := int(math.Round(math.Abs(v) / top * float64(half)))
			left, right := strings.Repeat(" ", half), strings.Repeat(" ", bw-half)
			if v >= 0 {
				right = st.Up.Render(strings.Repeat("█", n)) + strings.Repeat(" ", bw-half-n)
			} else {
				left = strings.Repeat(" ", half-n) + st.Down.Render(strings.Repeat("█", n))
			}
			bar = left + right
		}
		out = append(out, Fit(names[i], nw)+st.Move(v).Render(FitRight(SignedYi(v), vw))+"  "+bar)
	}
	return out
}

// FlowLine draws today's cumulative main-force net inflow over the session
// frame in w×h cells: figures in 万/亿 on the left, zero dashed, the times
// of the session underneath; the untraded part of the day left empty.
func FlowLine(st Styles, l i18n.Lang, f model.Frame, ticks []model.FlowTick, w, h int) string {
	if w < 20 || h < 3 {
		return ""
	}
	if len(ticks) == 0 {
		return st.Dim.Render(i18n.FlowNoToday.In(l))
	}
	lo, hi := 0.0, 0.0
	for _, t := range ticks {
		if model.Known(t.Flow.Main) {
			lo, hi = min(lo, t.Flow.Main), max(hi, t.Flow.Main)
		}
	}
	rows := h - 1
	sc, yt := YTicks(lo, hi, rows, YFormat{Big: true})
	lw := 0
	for _, t := range yt {
		lw = max(lw, Width(t.Label))
	}
	pw := w - lw - 2
	if pw < 8 {
		return ""
	}
	c := NewCanvas(pw, rows, st.Up, st.Down, st.Dim)
	vals := make([]float64, pw)
	for i := range vals {
		vals[i] = math.NaN()
	}
	last := -1
	for _, t := range ticks {
		slot, ok := f.Slot(t.Time)
		if !ok || !model.Known(t.Flow.Main) {
			continue
		}
		x := SlotCol(slot, f.Minutes(), pw)
		for k := last + 1; last >= 0 && k < x; k++ {
			vals[k] = vals[last]
		}
		vals[x] = t.Flow.Main
		last = x
	}
	for x := 0; x < pw; x++ {
		c.Set(x, sc.Row(0), '┄', 3)
	}
	ink := uint8(1)
	if last >= 0 && vals[last] < 0 {
		ink = 2
	}
	c.Line(vals, 0, sc.Row, ink)
	labels := make([]string, rows)
	for _, t := range yt {
		labels[t.Row] = t.Label
	}
	plot := c.Lines()
	out := make([]string, 0, h)
	for y := 0; y < rows; y++ {
		axis := " │"
		if labels[y] != "" {
			axis = " ┤"
		}
		out = append(out, FitRight(labels[y], lw)+st.Dim.Render(axis)+plot[y])
	}
	out = append(out, strings.Repeat(" ", lw+2)+st.Dim.Render(strings.TrimRight(sessionAxis(SessionSpec{Frame: f, Sessions: []model.Session{{}}}, pw, pw), " ")))
	return strings.Join(out, "\n")
}

// FlowTable lists the daily split by order size: the sums over the last
// 5, 10 and 20 sessions, then the newest days (as many as rows allows),
// each with a bar of its main-force net.
func FlowTable(st Styles, days []model.FlowDay, l i18n.Lang, w, rows int) []string {
	if len(days) == 0 {
		return []string{st.Dim.Render(i18n.FlowNoDaily.In(l))}
	}
	names := flowNames(l)
	const cw = 10
	head := Fit("", 6)
	for _, n := range names {
		head += FitRight(n, cw)
	}
	line := func(label string, f model.Flow) string {
		s := Fit(label, 6)
		for _, v := range [...]float64{f.Main, f.Super, f.Large, f.Medium, f.Small} {
			if v == 0 {
				v = 0 // no "-0"
			}
			s += st.Move(v).Render(FitRight(SignedYi(v), cw))
		}
		return s
	}
	out := []string{st.Dim.Render(head)}
	for _, n := range []int{5, 10, 20} {
		if len(days) < n {
			continue
		}
		var sum model.Flow
		for _, d := range days[len(days)-n:] {
			sum.Main += d.Flow.Main
			sum.Super += d.Flow.Super
			sum.Large += d.Flow.Large
			sum.Medium += d.Flow.Medium
			sum.Small += d.Flow.Small
		}
		label := i18n.FlowNDays.F(l, n)
		out = append(out, line(label, sum))
	}
	top := 0.0
	for _, d := range days {
		if model.Known(d.Flow.Main) {
			top = max(top, math.Abs(d.Flow.Main))
		}
	}
	bw := min(w-6-5*cw-1, 40)
	for i := len(days) - 1; i >= 0 && len(out) < rows; i-- {
		d := days[i]
		l := line(d.Date.In(model.CST).Format("01-02"), d.Flow)
		if bw >= 4 && top > 0 && model.Known(d.Flow.Main) {
			n := max(int(math.Round(math.Abs(d.Flow.Main)/top*float64(bw))), 1)
			l += " " + st.Move(d.Flow.Main).Render(strings.Repeat("█", min(n, bw)))
		}
		out = append(out, l)
	}
	for i := range out {
		out[i] = Cut(out[i], w)
	}
	return out
}
