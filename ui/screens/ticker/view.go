package ticker

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/guptarohit/asciigraph"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/widgets"
)

// refresh renders the body into the cache, clamping the scroll first.
func (s *Screen) refresh() {
	w, h := s.W, s.H
	if w <= 0 || h <= 0 {
		s.Cache = ""
		return
	}
	out := s.lines(w, h)
	// Scroll: keep the header and tabs, scroll the rest.
	body := out[2:]
	s.scroll = max(0, min(s.scroll, max(len(body)-(h-2), 0)))
	body = body[s.scroll:]
	s.Cache = widgets.Box(widgets.Clip(strings.Join(append(out[:2:2], body...), "\n"), w, h), w, h)
}

// dailyBars returns the ticker's daily bars: loaded from the cache, else
// those in the snapshot.
func (s *Screen) dailyBars() []model.Bar {
	if len(s.daily) > 0 {
		return s.daily
	}
	return s.C.Market.St.Daily[s.code]
}

// Series returns the chart's points and their times for a range.
func (s *Screen) Series(rng int) ([]float64, []time.Time) {
	mk := s.C.Market
	code := s.code
	q, hasQ := mk.St.Quotes[code]
	if rng <= widgets.Range5D {
		days := 1
		if rng == widgets.Range5D {
			days = 5
		}
		var qs []model.Quote
		seen := map[int64]bool{}
		for _, src := range [][]model.Quote{s.quotes, mk.Trail[code]} {
			for _, x := range src {
				if !seen[x.Time.UnixNano()] {
					seen[x.Time.UnixNano()] = true
					qs = append(qs, x)
				}
			}
		}
		for _, b := range s.minutes {
			if b.Symbol == code && !seen[b.Time.UnixNano()] {
				seen[b.Time.UnixNano()] = true
				qs = append(qs, model.Quote{Time: b.Time, Last: b.Close})
			}
		}
		sort.Slice(qs, func(i, j int) bool { return qs[i].Time.Before(qs[j].Time) })
		if len(qs) > 0 {
			sym, _ := mk.Symbol(code)
			x := model.ExchangeOf(sym.Market)
			start := model.Day(qs[len(qs)-1].Time)
			for i := 1; i < days; i++ {
				start = model.PrevTradingDay(x, start)
			}
			var pts []float64
			var ts []time.Time
			for _, x := range qs {
				if !x.Time.Before(start) && model.Known(x.Last) {
					pts = append(pts, x.Last)
					ts = append(ts, x.Time)
				}
			}
			if len(pts) >= 2 || rng == widgets.Range1D {
				return pts, ts
			}
		}
		if rng == widgets.Range1D {
			return nil, nil
		}
	}
	bars := s.dailyBars()
	n := len(bars)
	keep := n
	switch rng {
	case widgets.Range5D:
		keep = 5
	case widgets.Range1M:
		keep = 22
	case widgets.Range6M:
		keep = 125
	case widgets.Range1Y:
		keep = 250
	}
	keep = min(keep, n)
	pts := make([]float64, 0, keep+1)
	ts := make([]time.Time, 0, keep+1)
	for _, b := range bars[n-keep:] {
		pts = append(pts, b.Close)
		ts = append(ts, b.Time)
	}
	if hasQ && model.Known(q.Last) && (len(ts) == 0 || model.Day(q.Time).After(ts[len(ts)-1])) {
		pts = append(pts, q.Last)
		ts = append(ts, model.Day(q.Time))
	}
	return pts, ts
}

// lines draws the ticker detail: header line, range tabs, chart and key
// stats, margin financing, and the boards the stock belongs to.
func (s *Screen) lines(w, h int) []string {
	st, mk, code := s.C.Styles, s.C.Market, s.code
	sym, _ := mk.Symbol(code)
	q, hasQ := mk.St.Quotes[code]
	name := sym.Name
	if hasQ && q.Name != "" {
		name = q.Name
	}
	var out []string

	head := st.Bold.Render(code+" "+name) + "  " + st.Dim.Render(sym.Market.String())
	if hasQ {
		chg := q.ChangePct()
		mv := st.Move(chg)
		head += "  " + mv.Render(widgets.Price(q.Last)) + "  " + mv.Render(widgets.SignedNum(q.Change())+" "+widgets.SignedPct(chg, 2))
		head += "  " + st.Dim.Render(q.Time.In(model.CST).Format("2006-01-02 15:04:05")+" "+q.Source)
		if mk.QuoteStale(code) {
			head += " " + st.Warn.Render("stale")
		}
	} else {
		head += "  " + st.Dim.Render("no quote cached yet")
	}
	out = append(out, head)

	ov := "overlay: none"
	if id := overlays[s.overlay]; id != "" {
		ov = "overlay: " + model.ElementName(id) + " (rebased)"
	}
	status := ""
	switch {
	case s.loading:
		status = st.Dim.Render("  loading history…")
	case s.err != "":
		status = st.Error.Render("  " + s.err)
	}
	out = append(out, widgets.RangeTabs(st, s.rng)+"  "+st.Dim.Render(ov)+status)

	stats := s.statLines(sym, q, hasQ)
	chartH := max(6, h*45/100)
	pts, ts := s.Series(s.rng)
	if w >= 100 {
		sw := 34
		cw := w - sw - 2
		chart := strings.Split(s.chart(pts, ts, cw, chartH), "\n")
		for i := 0; i < max(chartH, len(stats)); i++ {
			l, r := "", ""
			if i < len(stats) {
				l = stats[i]
			}
			if i < len(chart) {
				r = chart[i]
			}
			out = append(out, widgets.Fit(l, sw)+"  "+r)
		}
	} else {
		out = append(out, strings.Split(s.chart(pts, ts, w, chartH), "\n")...)
		// Stats in two columns.
		half := (len(stats) + 1) / 2
		cw := w / 2
		for i := 0; i < half; i++ {
			r := ""
			if i+half < len(stats) {
				r = stats[i+half]
			}
			out = append(out, widgets.Fit(stats[i], cw)+r)
		}
	}
	out = append(out, "")
	out = append(out, s.marginSection(sym, w)...)
	out = append(out, "", s.boardsLine())
	return out
}

// statLines lists the key statistics of a quote.
func (s *Screen) statLines(sym model.Symbol, q model.Quote, has bool) []string {
	st := s.C.Styles
	if !has {
		return []string{st.Dim.Render("no quote cached yet")}
	}
	hi52, lo52 := q.High52, q.Low52
	if !model.Known(hi52) || !model.Known(lo52) || hi52 == 0 {
		hi52, lo52 = model.Unknown, model.Unknown
		from := q.Time.AddDate(-1, 0, 0)
		for _, b := range s.dailyBars() {
			if b.Time.Before(from) {
				continue
			}
			if !model.Known(hi52) || b.High > hi52 {
				hi52 = b.High
			}
			if !model.Known(lo52) || b.Low < lo52 {
				lo52 = b.Low
			}
		}
	}
	limUp, limDown := widgets.Dash, widgets.Dash
	if l := sym.LimitPct(); l > 0 && model.Known(q.PrevClose) {
		limUp = widgets.Price(math.Round(q.PrevClose*(1+l/100)*100) / 100)
		limDown = widgets.Price(math.Round(q.PrevClose*(1-l/100)*100) / 100)
	}
	cur := sym.Market.Currency()
	kv := func(k, v string) string { return widgets.Fit(st.Dim.Render(k), 11) + v }
	pe := widgets.Dash
	if model.Known(q.PE) {
		pe = fmt.Sprintf("%.2f", q.PE)
	}
	turn := widgets.Dash
	if model.Known(q.TurnoverPct) {
		turn = widgets.Pct(q.TurnoverPct)
	}
	return []string{
		kv("Last", widgets.Price(q.Last)+" "+cur),
		kv("Change", st.Move(q.Change()).Render(widgets.SignedNum(q.Change())+" "+widgets.SignedPct(q.ChangePct(), 2))),
		kv("Open", widgets.Price(q.Open)),
		kv("High", widgets.Price(q.High)),
		kv("Low", widgets.Price(q.Low)),
		kv("Prev close", widgets.Price(q.PrevClose)),
		kv("Volume", widgets.Volume(q.Volume)),
		kv("Turnover", widgets.Yi(q.Amount)+" "+turn),
		kv("Mkt cap", widgets.Yi(q.MarketCap)),
		kv("Float cap", widgets.Yi(q.FloatCap)),
		kv("PE", pe),
		kv("52w high", widgets.Price(hi52)),
		kv("52w low", widgets.Price(lo52)),
		kv("Limit up", limUp),
		kv("Limit down", limDown),
	}
}

// chart draws the price series, with the overlay rebased to the series'
// first value when one is chosen.
func (s *Screen) chart(pts []float64, ts []time.Time, w, h int) string {
	st := s.C.Styles
	if len(pts) < 2 {
		msg := "no history cached for this range yet"
		if s.loading {
			msg = "loading…"
		}
		return st.Dim.Render(msg)
	}
	id := overlays[s.overlay]
	if id == "" {
		return widgets.Chart(st, pts, w, h, 2)
	}
	el := s.C.Market.St.Elements[id]
	base, ok := el.AsOf(ts[0])
	if !ok && len(el) > 0 {
		base, ok = el[0], true
	}
	if !ok || !(base.Price > 0) {
		return widgets.Chart(st, pts, w, h, 2) + "\n" + st.Dim.Render("no "+model.ElementName(id)+" prices cached")
	}
	over := make([]float64, len(ts))
	for i, t := range ts {
		p, ok := el.AsOf(t)
		if !ok {
			p = base
		}
		over[i] = pts[0] * p.Price / base.Price
	}
	lo, hi := pts[0], pts[0]
	for _, sr := range [][]float64{pts, over} {
		for _, v := range sr {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	label := max(len(fmt.Sprintf("%.2f", lo)), len(fmt.Sprintf("%.2f", hi)))
	pw := w - label - 3
	if pw < 4 || h < 3 {
		return ""
	}
	var colors []asciigraph.AnsiColor
	if !s.C.NoColor {
		colors = []asciigraph.AnsiColor{asciigraph.Default, asciigraph.Goldenrod}
	}
	g := asciigraph.PlotMany([][]float64{pts, over}, asciigraph.Height(h-2), asciigraph.Width(pw), asciigraph.Precision(2), asciigraph.SeriesColors(colors...))
	legend := st.Dim.Render("── price   ") + st.Warn.Render("── "+model.ElementName(id)+" rebased")
	return widgets.Clip(g, w, h-1) + "\n" + legend
}

func (s *Screen) marginSection(sym model.Symbol, w int) []string {
	st := s.C.Styles
	out := []string{st.Bold.Render("Margin financing (亿元)")}
	days := s.margin
	if len(days) == 0 {
		days = s.C.Market.St.Margin[s.code]
	}
	if !sym.Market.IsA() || sym.IsETF() {
		return append(out, st.Dim.Render("not a margin-financing security (A-share stocks only)"))
	}
	if len(days) == 0 {
		msg := "no margin days cached yet"
		if s.loading {
			msg = "loading…"
		}
		return append(out, st.Dim.Render(msg))
	}
	hdr := fmt.Sprintf("%-10s %9s %9s %9s %9s %7s %8s", "date", "buy", "repay", "net", "balance", "%float", "lending")
	rows := []string{st.Dim.Render(hdr)}
	start := max(len(days)-10, 0)
	for i := len(days) - 1; i >= start; i-- {
		d := days[i]
		net := fmt.Sprintf("%9s", widgets.YiPlain(d.FinNetBuy))
		rows = append(rows, fmt.Sprintf("%-10s %9s %9s %s %9s %7s %8s", d.Date.In(model.CST).Format("2006-01-02"), widgets.YiPlain(d.FinBuy), widgets.YiPlain(d.FinRepay), st.Move(d.FinNetBuy).Render(net), widgets.YiPlain(d.FinBalance), widgets.Pct(d.BalancePct), widgets.YiPlain(d.LendBalance)))
	}
	bal := make([]float64, 0, len(days))
	for _, d := range days {
		if model.Known(d.FinBalance) {
			bal = append(bal, d.FinBalance/1e8)
		}
	}
	tw := widgets.Width(hdr)
	if w >= tw+30 {
		chart := strings.Split(widgets.Chart(st, bal, w-tw-2, len(rows), 2), "\n")
		for i := range rows {
			c := ""
			if i < len(chart) {
				c = chart[i]
			}
			out = append(out, widgets.Fit(rows[i], tw)+"  "+c)
		}
		return out
	}
	return append(out, rows...)
}

func (s *Screen) boardsLine() string {
	st, snap := s.C.Styles, s.C.Market.St
	var names, codes []string
	for c := range snap.Members {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		for _, q := range snap.Members[c] {
			if q.Symbol == s.code {
				n := c
				if b, ok := snap.Boards[c]; ok && b.Name != "" {
					n = b.Name + " " + c
				}
				names = append(names, n)
				break
			}
		}
	}
	if len(names) == 0 {
		return st.Bold.Render("Boards: ") + st.Dim.Render("none cached for this symbol")
	}
	return st.Bold.Render("Boards: ") + strings.Join(names, " · ")
}
