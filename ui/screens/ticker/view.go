package ticker

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/rareterm/rareterm/i18n"
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

// lines draws the ticker detail: the quote line, the tab bar and the
// tab's own lines.
func (s *Screen) lines(w, h int) []string {
	c, st, mk, code := s.C, s.C.Styles, s.C.Market, s.code
	sym, _ := mk.Symbol(code)
	q, hasQ := mk.St.Quotes[code]
	name := sym.Name
	if hasQ && q.Name != "" {
		name = q.Name
	}
	dec := s.decimals()
	var out []string

	head := st.Bold.Render(code+" "+name) + "  " + st.Dim.Render(MarketName(c.Lang, sym.Market))
	if hasQ {
		chg := q.ChangePct()
		mv := st.Move(chg)
		head += "  " + mv.Render(widgets.Thousands(q.Last, dec)) + "  " + mv.Render(signed(q.Change(), dec)+" "+widgets.SignedPct(chg, 2))
		head += "  " + st.Dim.Render(q.Time.In(model.CST).Format("2006-01-02 15:04:05")+" "+SourceName(c.Lang, q.Source))
		if mk.QuoteStale(code) {
			head += " " + st.Warn.Render(c.T(i18n.WordStale))
		}
	} else {
		head += "  " + st.Dim.Render(c.T(i18n.TickerNoQuote))
	}
	out = append(out, head)

	t := s.tabs()[s.tab]
	bar := s.tabBar()
	if !t.chart {
		status := ""
		switch {
		case s.loading:
			status = st.Dim.Render("  " + c.T(i18n.TickerLoading))
		case s.err != "":
			status = st.Error.Render("  " + s.err)
		}
		return append(append(out, bar+status), t.lines(s, w, h-2)...)
	}
	ov := c.F(i18n.TickerOverlay, i18n.WordNone)
	if id := overlays[s.overlay]; id != "" {
		ov = c.F(i18n.TickerOverlayOn, widgets.ElementName(c.Lang, id))
	}
	status := ""
	switch {
	case s.loading:
		status = st.Dim.Render("  " + c.T(i18n.TickerLoadingHistory))
	case s.err != "":
		status = st.Error.Render("  " + s.err)
	}
	per := ""
	if s.rng >= widgets.Range1M {
		per = "  " + periodTabs(st, s.period)
	}
	out = append(out, bar+"  "+widgets.RangeTabs(st, s.C.Lang, s.rng)+per+"  "+st.Dim.Render(ov)+status)
	return append(out, t.lines(s, w, h-2)...)
}

// periodTabs draws 日K 周K 月K with the current one highlighted.
func periodTabs(st widgets.Styles, p model.Period) string {
	var parts []string
	for i, n := range []string{"日K", "周K", "月K"} {
		if model.Period(i) == p {
			parts = append(parts, st.Selected.Render(n))
		} else {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, " ")
}

func signed(v float64, dec int) string {
	if !model.Known(v) {
		return widgets.Dash
	}
	s := widgets.Thousands(v, dec)
	if v > 0 {
		s = "+" + s
	}
	return s
}

// decimals is the instrument's price decimals.
func (s *Screen) decimals() int {
	sym, ok := s.C.Market.Symbol(s.code)
	if !ok {
		sym, _ = model.ParseSymbol(s.code)
	}
	return model.PriceDecimals(sym)
}

// sideWidth is the width of the column beside the chart (the order book
// and today's flow), 0 when the screen is too narrow for it.
func sideWidth(w int) int {
	if w >= 110 {
		return widgets.BookWidth
	}
	return 0
}

// chartTab is the chart (分时 or K线) with the order book and today's
// flow beside it when the width allows, then the key statistics, margin
// financing and the boards.
func (s *Screen) chartTab(w, h int) []string {
	sym, _ := s.C.Market.Symbol(s.code)
	q, hasQ := s.C.Market.St.Quotes[s.code]
	side := sideWidth(w)
	cw := w
	if side > 0 {
		cw = w - side - 2
	}
	chartH := max(8, h*55/100)
	var chart []string
	if s.rng <= widgets.Range5D {
		chart = s.sessionLines(cw, chartH)
	} else {
		chart = s.klineLines(cw, chartH)
	}
	var out []string
	if side > 0 {
		d := s.detail()
		right := s.book(d, s.decimals(), side)
		right = append(right, "")
		right = append(right, s.splitLines(d, side)...)
		for i := 0; i < max(len(chart), len(right)); i++ {
			l, r := "", ""
			if i < len(chart) {
				l = chart[i]
			}
			if i < len(right) {
				r = right[i]
			}
			out = append(out, widgets.Fit(l, cw)+"  "+r)
		}
	} else {
		out = append(out, chart...)
	}
	stats := s.statLines(sym, q, hasQ)
	cols := 2
	if w >= 120 {
		cols = 3
	}
	per := (len(stats) + cols - 1) / cols
	colW := w / cols
	out = append(out, "")
	for i := 0; i < per; i++ {
		line := ""
		for c := 0; c < cols; c++ {
			if j := c*per + i; j < len(stats) {
				line += widgets.Fit(stats[j], colW)
			}
		}
		out = append(out, strings.TrimRight(line, " "))
	}
	out = append(out, s.boardsLine(), "")
	out = append(out, s.marginSection(sym, w)...)
	return out
}

// sessionLines is the session chart of 1D (the last session) or 5D (the
// last five), with its legend.
func (s *Screen) sessionLines(w, h int) []string {
	st := s.C.Styles
	days := 1
	if s.rng == widgets.Range5D {
		days = 5
	}
	ss := s.sessions(days)
	if len(ss) == 0 {
		msg := s.C.T(i18n.TickerNoHistory)
		if s.loading {
			msg = s.C.T(i18n.TickerLoading)
		}
		return []string{st.Dim.Render(msg)}
	}
	sym, _ := s.DetailSymbol()
	dec := s.decimals()
	last := ss[len(ss)-1]
	var lt model.Tick
	if n := len(last.Ticks); n > 0 {
		lt = last.Ticks[n-1]
	}
	c := s.C
	legend := st.Chart.Render("── "+c.T(i18n.WordPrice)+" "+widgets.Thousands(lt.Close, dec)) + "  " + st.Warn.Render("── "+c.T(i18n.TickerAvg)+" "+widgets.Thousands(lt.Avg, dec)) +
		"  " + st.Dim.Render("┄ "+c.T(i18n.TickerPrevClose)+" "+widgets.Thousands(ss[0].PrevClose, dec))
	if days > 1 {
		legend += st.Dim.Render("  ┊ " + c.T(i18n.TickerDaySep))
	}
	out := []string{widgets.Cut(legend, w)}
	g := widgets.SessionChart(st, widgets.SessionSpec{Frame: model.SessionFrame(model.ExchangeOf(sym.Market)), Sessions: ss, Dec: dec, Lang: s.C.Lang}, w, h-1)
	return append(out, strings.Split(g, "\n")...)
}

// sessions is the last n sessions of minute data: from the feed (trends2)
// when it brought them, else built from the cached minute bars and quotes.
func (s *Screen) sessions(n int) []model.Session {
	d := s.detail()
	if len(d.Sessions) > 0 {
		return model.LastSessions(d.Sessions, n)
	}
	rng := widgets.Range1D
	if n > 1 {
		rng = widgets.Range5D
	}
	pts, ts := s.Series(rng)
	if len(pts) == 0 {
		return nil
	}
	q, hasQ := s.C.Market.St.Quotes[s.code]
	var out []model.Session
	for i, p := range pts {
		day := model.Day(ts[i])
		if len(out) == 0 || !out[len(out)-1].Day.Equal(day) {
			prev := model.Unknown
			if len(out) > 0 {
				pt := out[len(out)-1].Ticks
				prev = pt[len(pt)-1].Close
			}
			out = append(out, model.Session{Symbol: s.code, Day: day, PrevClose: prev})
		}
		o := &out[len(out)-1]
		o.Ticks = append(o.Ticks, model.Tick{Time: ts[i], Open: p, Close: p, High: p, Low: p, Volume: model.Unknown, Amount: model.Unknown, Avg: model.Unknown})
	}
	if hasQ && model.Known(q.PrevClose) && model.Day(q.Time).Equal(out[len(out)-1].Day) {
		out[len(out)-1].PrevClose = q.PrevClose
	}
	if !model.Known(out[0].PrevClose) {
		for _, b := range s.dailyBars() {
			if b.Time.Before(out[0].Day) {
				out[0].PrevClose = b.Close
			}
		}
	}
	return out
}

// klineBars is the candles of the chosen period: the daily bars, today's
// live quote as the last bar when it is newer, folded into weeks or months.
func (s *Screen) klineBars() []model.Bar {
	bars := append([]model.Bar(nil), s.dailyBars()...)
	if q, ok := s.C.Market.St.Quotes[s.code]; ok && model.Known(q.Last) {
		day := model.Day(q.Time)
		if n := len(bars); n == 0 || day.After(bars[n-1].Time) {
			b := model.Bar{Symbol: s.code, Interval: model.Daily, Time: day, Open: q.Open, High: q.High, Low: q.Low, Close: q.Last, Volume: q.Volume, Amount: q.Amount, Source: q.Source}
			for _, v := range []*float64{&b.Open, &b.High, &b.Low} {
				if !model.Known(*v) || *v <= 0 {
					*v = q.Last
				}
			}
			bars = append(bars, b)
		}
	}
	return model.Resample(bars, s.period)
}

// klineShow is how many candles a range asks for in a period.
func klineShow(rng int, p model.Period) int {
	days := map[int]int{widgets.Range1M: 22, widgets.Range6M: 125, widgets.Range1Y: 250}[rng]
	switch {
	case days == 0:
		return 0
	case p == model.PeriodWeek:
		return max(days/5, 4)
	case p == model.PeriodMonth:
		return max(days/21, 3)
	}
	return days
}

// klineLines is the K-line with its legend, crosshair and overlay.
func (s *Screen) klineLines(w, h int) []string {
	st := s.C.Styles
	bars := s.klineBars()
	if len(bars) == 0 {
		msg := s.C.T(i18n.TickerNoHistory)
		if s.loading {
			msg = s.C.T(i18n.TickerLoading)
		}
		s.layout = widgets.KLineLayout{}
		return []string{st.Dim.Render(msg)}
	}
	sp := widgets.KLineSpec{Bars: bars, Show: klineShow(s.rng, s.period), Dec: s.decimals(), Cursor: s.cursor, Lang: s.C.Lang}
	var note string
	if id := overlays[s.overlay]; id != "" {
		sp.Overlay, note = s.overlaySeries(bars, sp.Show, id)
	}
	g, lay := widgets.KLine(st, sp, w, h)
	s.layout = lay
	if s.cursor >= lay.N {
		s.cursor = lay.N - 1
	}
	out := strings.Split(g, "\n")
	if want := min(max(sp.Show, 0), len(bars)); (want == 0 && lay.N < len(bars)) || (want > 0 && lay.N < want) {
		if want == 0 {
			want = len(bars)
		}
		more := s.C.F(i18n.TickerBarsFit, lay.N, want)
		if s.period != model.PeriodMonth {
			more += " · " + s.C.F(i18n.TickerLongerPeriods, s.C.Keys.Period.Help().Key)
		}
		note = strings.TrimSpace(note + "  " + st.Dim.Render(more))
	}
	if note != "" {
		out = append(out, note)
	}
	return out
}

// overlaySeries is an element's price rebased to the close of the first
// candle of the range, aligned with bars, and its legend.
func (s *Screen) overlaySeries(bars []model.Bar, show int, id model.ElementID) ([]float64, string) {
	st := s.C.Styles
	el := s.C.Market.St.Elements[id]
	first := 0
	if show > 0 && show < len(bars) {
		first = len(bars) - show
	}
	base, ok := el.AsOf(bars[first].Time)
	if !ok && len(el) > 0 {
		base, ok = el[0], true
	}
	if !ok || !(base.Price > 0) {
		return nil, st.Dim.Render(s.C.F(i18n.TickerNoOverlay, widgets.ElementName(s.C.Lang, id)))
	}
	out := make([]float64, len(bars))
	for i, b := range bars {
		out[i] = math.NaN()
		if i < first {
			continue
		}
		if p, ok := el.AsOf(b.Time); ok {
			out[i] = bars[first].Close * p.Price / base.Price
		}
	}
	return out, st.Chart.Render("── " + s.C.F(i18n.TickerRebased, widgets.ElementName(s.C.Lang, id)))
}

// statLines lists the key statistics of a quote.
func (s *Screen) statLines(sym model.Symbol, q model.Quote, has bool) []string {
	c, st := s.C, s.C.Styles
	if !has {
		return []string{st.Dim.Render(c.T(i18n.TickerNoQuote))}
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
	dec := s.decimals()
	price := func(v float64) string { return widgets.Thousands(v, dec) }
	limUp, limDown := widgets.Dash, widgets.Dash
	if l := sym.LimitPct(); l > 0 && model.Known(q.PrevClose) {
		limUp = price(model.RoundTo(q.PrevClose*(1+l/100)+1e-9, dec))
		limDown = price(model.RoundTo(q.PrevClose*(1-l/100)+1e-9, dec))
	}
	cur := sym.Market.Currency()
	kv := func(k i18n.Text, v string) string { return widgets.Fit(st.Dim.Render(c.T(k)), 11) + v }
	pe := widgets.Dash
	if model.Known(q.PE) {
		pe = fmt.Sprintf("%.2f", q.PE)
	}
	turn := widgets.Dash
	if model.Known(q.TurnoverPct) {
		turn = widgets.Pct(q.TurnoverPct)
	}
	return []string{
		kv(i18n.StatLast, price(q.Last)+" "+cur),
		kv(i18n.StatChange, st.Move(q.Change()).Render(signed(q.Change(), dec)+" "+widgets.SignedPct(q.ChangePct(), 2))),
		kv(i18n.StatOpen, price(q.Open)),
		kv(i18n.StatHigh, price(q.High)),
		kv(i18n.StatLow, price(q.Low)),
		kv(i18n.StatPrevClose, price(q.PrevClose)),
		kv(i18n.StatVolume, widgets.Volume(q.Volume)),
		kv(i18n.StatTurnover, widgets.Yi(q.Amount)+" "+turn),
		kv(i18n.StatMktCap, widgets.Yi(q.MarketCap)),
		kv(i18n.StatFloatCap, widgets.Yi(q.FloatCap)),
		kv(i18n.ColPE, pe),
		kv(i18n.Stat52High, price(hi52)),
		kv(i18n.Stat52Low, price(lo52)),
		kv(i18n.StatLimitUp, limUp),
		kv(i18n.StatLimitDown, limDown),
	}
}

func (s *Screen) marginSection(sym model.Symbol, w int) []string {
	c, st := s.C, s.C.Styles
	out := []string{st.Bold.Render(c.T(i18n.MarginFinancingYi))}
	days := s.margin
	if len(days) == 0 {
		days = s.C.Market.St.Margin[s.code]
	}
	if !sym.Market.IsA() || sym.IsETF() {
		return append(out, st.Dim.Render(c.T(i18n.TickerNotMargin)))
	}
	if len(days) == 0 {
		msg := c.T(i18n.TickerNoMargin)
		if s.loading {
			msg = c.T(i18n.TickerLoading)
		}
		return append(out, st.Dim.Render(msg))
	}
	hdr := strings.Join([]string{widgets.Fit(c.T(i18n.WordDate), 10), widgets.FitRight(c.T(i18n.ColBuy), 9), widgets.FitRight(c.T(i18n.ColRepay), 9),
		widgets.FitRight(c.T(i18n.ColNet), 9), widgets.FitRight(c.T(i18n.ColBalance), 9), widgets.FitRight(c.F(i18n.ColFloatPct), 7), widgets.FitRight(c.T(i18n.ColLending), 8)}, " ")
	rows := []string{st.Dim.Render(hdr)}
	start := max(len(days)-10, 0)
	for i := len(days) - 1; i >= start; i-- {
		d := days[i]
		net := fmt.Sprintf("%9s", widgets.YiPlain(d.FinNetBuy))
		rows = append(rows, fmt.Sprintf("%-10s %9s %9s %s %9s %7s %8s", d.Date.In(model.CST).Format("2006-01-02"), widgets.YiPlain(d.FinBuy), widgets.YiPlain(d.FinRepay), st.Move(d.FinNetBuy).Render(net), widgets.YiPlain(d.FinBalance), widgets.Pct(d.BalancePct), widgets.YiPlain(d.LendBalance)))
	}
	bal := make([]float64, 0, len(days))
	dates := make([]time.Time, 0, len(days))
	for _, d := range days {
		if model.Known(d.FinBalance) {
			bal = append(bal, d.FinBalance)
			dates = append(dates, d.Date)
		}
	}
	tw := widgets.Width(hdr)
	if w >= tw+30 {
		chart := strings.Split(widgets.LineChart(st, s.C.Lang, dates, widgets.YFormat{Big: true}, w-tw-2, max(len(rows), 4), bal), "\n")
		for i := 0; i < max(len(rows), len(chart)); i++ {
			r, c := "", ""
			if i < len(rows) {
				r = rows[i]
			}
			if i < len(chart) {
				c = chart[i]
			}
			out = append(out, widgets.Fit(r, tw)+"  "+c)
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
		return st.Bold.Render(s.C.T(i18n.TickerBoards)+" ") + st.Dim.Render(s.C.T(i18n.TickerNoBoards))
	}
	return st.Bold.Render(s.C.T(i18n.TickerBoards)+" ") + strings.Join(names, " · ")
}
