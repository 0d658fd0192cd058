package ui

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/guptarohit/asciigraph"
	"github.com/rareterm/rareterm/model"
)

// Chart ranges of the ticker detail.
var rangeNames = []string{"1D", "5D", "1M", "6M", "1Y", "ALL"}

const (
	range1D = iota
	range5D
	range1M
	range6M
	range1Y
	rangeAll
)

// Overlays cycled by `o`: an element price rebased to the chart's start.
var overlays = []model.ElementID{"", model.PrNdOxide, model.NdMetal, model.DyOxide, model.TbOxide}

// detailState is the open ticker's data, loaded from the cache by a command.
type detailState struct {
	id      int
	symbol  string
	rng     int
	overlay int
	loading bool
	err     string
	daily   []model.Bar
	quotes  []model.Quote // recent intraday quotes
	minutes []model.Bar   // recent 1-minute bars (intraday quotes folded by retention)
	margin  []model.MarginDay
	scroll  int
}

// detailMsg is the reply of a detail load; replies for a view the user has
// left are dropped by id.
type detailMsg struct {
	id      int
	symbol  string
	daily   []model.Bar
	quotes  []model.Quote
	minutes []model.Bar
	margin  []model.MarginDay
	err     error
}

func (m *Model) openTicker(code, from string) tea.Cmd {
	m.reqID++
	m.detail = detailState{id: m.reqID, symbol: code, rng: range1Y}
	m.push(screen{kind: screenTicker, symbol: code, from: from})
	if m.deps.History == nil {
		return nil
	}
	m.detail.loading = true
	return loadDetail(m.deps.History, m.reqID, code, m.now)
}

// loadDetail reads a ticker's history from the cache, off the UI goroutine.
func loadDetail(h HistoryReader, id int, code string, now time.Time) tea.Cmd {
	return func() tea.Msg {
		msg := detailMsg{id: id, symbol: code}
		var err error
		msg.daily, err = h.Bars(code, model.Daily, time.Time{}, now)
		if err != nil {
			msg.err = err
			return msg
		}
		msg.quotes, err = h.Quotes(code, model.Day(now).AddDate(0, 0, -7), now)
		if err != nil {
			msg.err = err
			return msg
		}
		msg.minutes, err = h.Bars(code, model.Minute, model.Day(now).AddDate(0, 0, -7), now)
		if err != nil {
			msg.err = err
			return msg
		}
		msg.margin, err = h.Margin(code, now.AddDate(-1, 0, 0), now)
		msg.err = err
		return msg
	}
}

func (m *Model) applyDetail(msg detailMsg) {
	if msg.id != m.detail.id || m.top().kind != screenTicker {
		return // the user has moved on
	}
	m.detail.loading = false
	if msg.err != nil {
		m.detail.err = model.Sanitize(msg.err.Error())
	}
	m.detail.daily = msg.daily
	m.detail.quotes = msg.quotes
	m.detail.minutes = msg.minutes
	m.detail.margin = msg.margin
	m.bodyDirty = true
}

func (m *Model) tickerKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	d := &m.detail
	switch {
	case key.Matches(msg, k.Range):
		d.rng = int(msg.String()[0] - '1')
	case key.Matches(msg, k.RangeNext):
		d.rng = min(d.rng+1, len(rangeNames)-1)
	case key.Matches(msg, k.RangePrev):
		d.rng = max(d.rng-1, 0)
	case key.Matches(msg, k.Overlay):
		d.overlay = (d.overlay + 1) % len(overlays)
	case key.Matches(msg, k.Down):
		d.scroll++
	case key.Matches(msg, k.Up):
		d.scroll = max(d.scroll-1, 0)
	case key.Matches(msg, k.Add):
		return m.addToWatchlist(m.top().symbol)
	case key.Matches(msg, k.Remove):
		return m.removeFromWatchlist(m.top().symbol)
	default:
		return nil
	}
	m.bodyDirty = true
	return nil
}

// dailyBars returns the ticker's daily bars: loaded from the cache, else
// those in the snapshot.
func (m *Model) dailyBars(code string) []model.Bar {
	if m.detail.symbol == code && len(m.detail.daily) > 0 {
		return m.detail.daily
	}
	return m.st.Daily[code]
}

// rangeSeries returns the chart's points and their times for the range.
func (m *Model) rangeSeries(code string, rng int) ([]float64, []time.Time) {
	q, hasQ := m.st.Quotes[code]
	if rng <= range5D {
		days := 1
		if rng == range5D {
			days = 5
		}
		var qs []model.Quote
		seen := map[int64]bool{}
		for _, src := range [][]model.Quote{m.detail.quotes, m.trail[code]} {
			for _, x := range src {
				if !seen[x.Time.UnixNano()] {
					seen[x.Time.UnixNano()] = true
					qs = append(qs, x)
				}
			}
		}
		for _, b := range m.detail.minutes {
			if b.Symbol == code && !seen[b.Time.UnixNano()] {
				seen[b.Time.UnixNano()] = true
				qs = append(qs, model.Quote{Time: b.Time, Last: b.Close})
			}
		}
		sort.Slice(qs, func(i, j int) bool { return qs[i].Time.Before(qs[j].Time) })
		if len(qs) > 0 {
			x := model.ExchangeOf(m.marketOf(code))
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
			if len(pts) >= 2 || rng == range1D {
				return pts, ts
			}
		}
		if rng == range1D {
			return nil, nil
		}
	}
	bars := m.dailyBars(code)
	n := len(bars)
	var keep int
	switch rng {
	case range5D:
		keep = 5
	case range1M:
		keep = 22
	case range6M:
		keep = 125
	case range1Y:
		keep = 250
	default:
		keep = n
	}
	if keep > n {
		keep = n
	}
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

func (m *Model) marketOf(code string) model.Market {
	s, _ := m.symbol(code)
	return s.Market
}

// tickerView draws the ticker detail: header line, range tabs, chart and
// key stats, margin financing, and the boards the stock belongs to.
func (m *Model) tickerView(w, h int) string {
	code := m.top().symbol
	sym, _ := m.symbol(code)
	q, hasQ := m.st.Quotes[code]
	name := sym.Name
	if hasQ && q.Name != "" {
		name = q.Name
	}
	var out []string

	head := m.styles.Bold.Render(code+" "+name) + "  " + m.styles.Dim.Render(sym.Market.String())
	if hasQ {
		chg := q.ChangePct()
		st := m.styles.move(chg)
		head += "  " + st.Render(price(q.Last)) + "  " + st.Render(signedNum(q.Change())+" "+signedPct(chg, 2))
		head += "  " + m.styles.Dim.Render(q.Time.In(model.CST).Format("2006-01-02 15:04:05")+" "+q.Source)
		if m.quoteStale(code) {
			head += " " + m.styles.Warn.Render("stale")
		}
	} else {
		head += "  " + m.styles.Dim.Render("no quote cached yet")
	}
	out = append(out, head)

	var tabs []string
	for i, r := range rangeNames {
		if i == m.detail.rng {
			tabs = append(tabs, m.styles.Selected.Render(" "+r+" "))
		} else {
			tabs = append(tabs, " "+r+" ")
		}
	}
	ov := "overlay: none"
	if id := overlays[m.detail.overlay]; id != "" {
		ov = "overlay: " + model.ElementName(id) + " (rebased)"
	}
	status := ""
	switch {
	case m.detail.loading:
		status = m.styles.Dim.Render("  loading history…")
	case m.detail.err != "":
		status = m.styles.Error.Render("  " + m.detail.err)
	}
	out = append(out, strings.Join(tabs, "")+"  "+m.styles.Dim.Render(ov)+status)

	stats := m.statLines(sym, q, hasQ)
	chartH := max(6, h*45/100)
	pts, ts := m.rangeSeries(code, m.detail.rng)
	if w >= 100 {
		sw := 34
		cw := w - sw - 2
		chart := strings.Split(m.detailChart(pts, ts, cw, chartH), "\n")
		for i := 0; i < max(chartH, len(stats)); i++ {
			l, r := "", ""
			if i < len(stats) {
				l = stats[i]
			}
			if i < len(chart) {
				r = chart[i]
			}
			out = append(out, fit(l, sw)+"  "+r)
		}
	} else {
		out = append(out, strings.Split(m.detailChart(pts, ts, w, chartH), "\n")...)
		// Stats in two columns.
		half := (len(stats) + 1) / 2
		cw := w / 2
		for i := 0; i < half; i++ {
			r := ""
			if i+half < len(stats) {
				r = stats[i+half]
			}
			out = append(out, fit(stats[i], cw)+r)
		}
	}

	out = append(out, "")
	out = append(out, m.marginSection(code, sym, w)...)
	out = append(out, "")
	out = append(out, m.boardsLine(code))

	// Scroll: keep the header and tabs, scroll the rest.
	body := out[2:]
	maxScroll := max(len(body)-(h-2), 0)
	if m.detail.scroll > maxScroll {
		m.detail.scroll = maxScroll
	}
	body = body[m.detail.scroll:]
	return clip(strings.Join(append(out[:2:2], body...), "\n"), w, h)
}

func signedNum(v float64) string {
	if !model.Known(v) {
		return dash
	}
	s := price(v)
	if v > 0 {
		s = "+" + s
	}
	return s
}

// statLines lists the key statistics of a quote.
func (m *Model) statLines(sym model.Symbol, q model.Quote, has bool) []string {
	if !has {
		return []string{m.styles.Dim.Render("no quote cached yet")}
	}
	hi52, lo52 := q.High52, q.Low52
	if !model.Known(hi52) || !model.Known(lo52) || hi52 == 0 {
		hi52, lo52 = model.Unknown, model.Unknown
		bars := m.dailyBars(sym.Code)
		from := q.Time.AddDate(-1, 0, 0)
		for _, b := range bars {
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
	limUp, limDown := dash, dash
	if l := sym.LimitPct(); l > 0 && model.Known(q.PrevClose) {
		limUp = price(math.Round(q.PrevClose*(1+l/100)*100) / 100)
		limDown = price(math.Round(q.PrevClose*(1-l/100)*100) / 100)
	}
	cur := sym.Market.Currency()
	kv := func(k, v string) string { return fit(m.styles.Dim.Render(k), 11) + v }
	pe := dash
	if model.Known(q.PE) {
		pe = fmt.Sprintf("%.2f", q.PE)
	}
	turn := dash
	if model.Known(q.TurnoverPct) {
		turn = pct(q.TurnoverPct)
	}
	return []string{
		kv("Last", price(q.Last)+" "+cur),
		kv("Change", m.styles.move(q.Change()).Render(signedNum(q.Change())+" "+signedPct(q.ChangePct(), 2))),
		kv("Open", price(q.Open)),
		kv("High", price(q.High)),
		kv("Low", price(q.Low)),
		kv("Prev close", price(q.PrevClose)),
		kv("Volume", volume(q.Volume)),
		kv("Turnover", yi(q.Amount)+" "+turn),
		kv("Mkt cap", yi(q.MarketCap)),
		kv("Float cap", yi(q.FloatCap)),
		kv("PE", pe),
		kv("52w high", price(hi52)),
		kv("52w low", price(lo52)),
		kv("Limit up", limUp),
		kv("Limit down", limDown),
	}
}

// detailChart draws the price series, with the overlay rebased to the
// series' first value when one is chosen.
func (m *Model) detailChart(pts []float64, ts []time.Time, w, h int) string {
	if len(pts) < 2 {
		msg := "no history cached for this range yet"
		if m.detail.loading {
			msg = "loading…"
		}
		return m.styles.Dim.Render(msg)
	}
	id := overlays[m.detail.overlay]
	if id == "" {
		return m.chart(pts, w, h, 2)
	}
	el := m.st.Elements[id]
	base, ok := el.AsOf(ts[0])
	if !ok && len(el) > 0 {
		base, ok = el[0], true
	}
	if !ok || !(base.Price > 0) {
		return m.chart(pts, w, h, 2) + "\n" + m.styles.Dim.Render("no "+model.ElementName(id)+" prices cached")
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
	for _, s := range [][]float64{pts, over} {
		for _, v := range s {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	label := max(len(fmt.Sprintf("%.2f", lo)), len(fmt.Sprintf("%.2f", hi)))
	pw := w - label - 3
	if pw < 4 || h < 3 {
		return ""
	}
	var colors []asciigraph.AnsiColor
	if !m.deps.NoColor {
		colors = []asciigraph.AnsiColor{asciigraph.Default, asciigraph.Goldenrod}
	}
	g := asciigraph.PlotMany([][]float64{pts, over}, asciigraph.Height(h-2), asciigraph.Width(pw), asciigraph.Precision(2), asciigraph.SeriesColors(colors...))
	legend := m.styles.Dim.Render("── price   ") + m.styles.Warn.Render("── "+model.ElementName(id)+" rebased")
	return clip(g, w, h-1) + "\n" + legend
}

func (m *Model) marginSection(code string, sym model.Symbol, w int) []string {
	out := []string{m.styles.Bold.Render("Margin financing (亿元)")}
	days := m.detail.margin
	if len(days) == 0 || m.detail.symbol != code {
		days = m.st.Margin[code]
	}
	if !sym.Market.IsA() || sym.IsETF() {
		return append(out, m.styles.Dim.Render("not a margin-financing security (A-share stocks only)"))
	}
	if len(days) == 0 {
		msg := "no margin days cached yet"
		if m.detail.loading {
			msg = "loading…"
		}
		return append(out, m.styles.Dim.Render(msg))
	}
	hdr := fmt.Sprintf("%-10s %9s %9s %9s %9s %7s %8s", "date", "buy", "repay", "net", "balance", "%float", "lending")
	rows := []string{m.styles.Dim.Render(hdr)}
	start := max(len(days)-10, 0)
	for i := len(days) - 1; i >= start; i-- {
		d := days[i]
		net := fmt.Sprintf("%9s", yiPlain(d.FinNetBuy))
		rows = append(rows, fmt.Sprintf("%-10s %9s %9s %s %9s %7s %8s", d.Date.In(model.CST).Format("2006-01-02"), yiPlain(d.FinBuy), yiPlain(d.FinRepay), m.styles.move(d.FinNetBuy).Render(net), yiPlain(d.FinBalance), pct(d.BalancePct), yiPlain(d.LendBalance)))
	}
	bal := make([]float64, 0, len(days))
	for _, d := range days {
		if model.Known(d.FinBalance) {
			bal = append(bal, d.FinBalance/1e8)
		}
	}
	tw := width(hdr)
	if w >= tw+30 {
		chart := strings.Split(m.chart(bal, w-tw-2, len(rows), 2), "\n")
		for i := range rows {
			c := ""
			if i < len(chart) {
				c = chart[i]
			}
			out = append(out, fit(rows[i], tw)+"  "+c)
		}
		return out
	}
	return append(out, rows...)
}

func (m *Model) boardsLine(code string) string {
	var names []string
	var codes []string
	for c := range m.st.Members {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		for _, q := range m.st.Members[c] {
			if q.Symbol == code {
				n := c
				if b, ok := m.st.Boards[c]; ok && b.Name != "" {
					n = b.Name + " " + c
				}
				names = append(names, n)
				break
			}
		}
	}
	if len(names) == 0 {
		return m.styles.Bold.Render("Boards: ") + m.styles.Dim.Render("none cached for this symbol")
	}
	return m.styles.Bold.Render("Boards: ") + strings.Join(names, " · ")
}
