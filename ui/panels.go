package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/guptarohit/asciigraph"
	"github.com/rareterm/rareterm/model"
)

type panelID int

const (
	pElements panelID = iota
	pIndex
	pWatch
	pContract
	pMargin
	pSector
	numPanels
)

var panelNames = [numPanels]string{"Elements", "Index", "Watchlist", "Contract", "Margin", "Sectors"}

// line is one rendered row: styled for normal display, plain for the
// selection highlight (which restyles the whole row).
type line struct {
	styled, plain string
	key           string // what enter opens (a symbol code), if anything
	dim           bool
}

// col is one table column.
type col struct {
	w     int
	right bool
	prio  int  // lower survives longer when the panel is narrow
	flex  bool // takes the width left over
}

// pickCols chooses the columns that fit avail cells (one space between),
// dropping the highest prio first, and widens the flexible column into what
// is left. It returns the width of each column, 0 for a hidden one.
func pickCols(cols []col, avail int) []int {
	show := fitCols(cols, avail)
	ws := make([]int, len(cols))
	used, n := 0, 0
	for i, c := range cols {
		if show[i] {
			ws[i] = c.w
			used += c.w
			n++
		}
	}
	used += max(n-1, 0)
	for i, c := range cols {
		if show[i] && c.flex && avail > used {
			ws[i] += avail - used
			break
		}
	}
	return ws
}

func fitCols(cols []col, avail int) []bool {
	show := make([]bool, len(cols))
	for i := range show {
		show[i] = true
	}
	total := func() int {
		t := 0
		n := 0
		for i, c := range cols {
			if show[i] {
				t += c.w
				n++
			}
		}
		return t + max(n-1, 0)
	}
	for total() > avail {
		worst, wp := -1, -1
		for i, c := range cols {
			if show[i] && c.prio > wp {
				worst, wp = i, c.prio
			}
		}
		if wp <= 0 {
			break
		}
		show[worst] = false
	}
	return show
}

// row lays cells out in the chosen column widths.
func row(cols []col, show []int, cells []string) string {
	var b strings.Builder
	first := true
	for i, c := range cols {
		if show[i] == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		if c.right {
			b.WriteString(fitRight(cells[i], show[i]))
		} else {
			b.WriteString(fit(cells[i], show[i]))
		}
	}
	return b.String()
}

// tableLine renders styled and plain rows together.
func (m *Model) tableLine(cols []col, show []int, styled, plain []string) line {
	return line{styled: row(cols, show, styled), plain: row(cols, show, plain)}
}

func (m *Model) panelTitle(p panelID, w int) string {
	narrow := w < 60
	switch p {
	case pElements:
		return "Elements 元/吨"
	case pIndex:
		spec := m.deps.Index
		if narrow {
			return fmt.Sprintf("RE index %s@%s", strconv.FormatFloat(spec.Base, 'f', -1, 64), spec.BaseDate.Format("2006-01-02"))
		}
		return fmt.Sprintf("RE index (local, base %s @ %s)", strconv.FormatFloat(spec.Base, 'f', -1, 64), spec.BaseDate.Format("2006-01-02"))
	case pWatch:
		return "Watchlist"
	case pContract:
		if narrow {
			return "Contract 包钢→北方 REO50"
		}
		return "Contract 包钢→北方 (REO 50%, ex-VAT)"
	case pMargin:
		return "Margin financing (亿元)"
	case pSector:
		return "Sector moves"
	}
	return ""
}

// panelLines renders a panel's rows for inner width w and height h.
func (m *Model) panelLines(p panelID, w, h int) []line {
	switch p {
	case pElements:
		return m.elementLines(w)
	case pIndex:
		return m.indexLines(w, h)
	case pWatch:
		return m.watchLines(w)
	case pContract:
		return m.contractLines(w)
	case pMargin:
		return m.marginLines(w)
	case pSector:
		return m.sectorLines(w)
	}
	return nil
}

// selectable reports whether a panel has rows to select.
func selectable(p panelID) bool { return p != pIndex }

func (m *Model) elementLines(w int) []line {
	cols := []col{{10, false, 0, false}, {9, true, 0, false}, {6, true, 1, false}, {10, true, 2, false}, {14, false, 3, true}}
	show := pickCols(cols, w)
	var out []line
	for _, r := range m.derived.elements {
		name := model.ElementName(r.id)
		if !r.has {
			out = append(out, line{styled: m.styles.Dim.Render(fit(name, 10) + " no price cached"), plain: fit(name, 10) + " no price cached", dim: true, key: string(r.id)})
			continue
		}
		p := thousands(r.last.Price, 0)
		day := signedPct(r.dayPct, 1)
		yoy := signedPct(r.yoyPct, 1) + " y/y"
		if !model.Known(r.yoyPct) {
			yoy = dash + " y/y"
		}
		src := fmt.Sprintf("%s %s", r.last.Date.In(model.CST).Format("01-02"), r.last.Source)
		plain := []string{name, p, day, yoy, src}
		styled := []string{name, p, m.styles.move(r.dayPct).Render(day), m.styles.move(r.yoyPct).Render(yoy), m.styles.Dim.Render(src)}
		stale := m.refTime().Sub(r.last.Date) > 8*24*time.Hour
		if stale {
			styled = []string{m.styles.Dim.Render(name), m.styles.Dim.Render(p), m.styles.Dim.Render(day), m.styles.Dim.Render(yoy), m.styles.Dim.Render(src)}
		}
		l := m.tableLine(cols, show, styled, plain)
		l.key, l.dim = string(r.id), stale
		out = append(out, l)
	}
	return out
}

func (m *Model) indexLines(w, h int) []line {
	d := m.derived
	if len(d.indexPts) == 0 {
		msg := "no element prices cached yet"
		if len(d.index.Missing) > 0 {
			msg = "waiting for prices of the basket"
		}
		return []line{{styled: m.styles.Dim.Render(msg), plain: msg, dim: true}}
	}
	last := d.index.Points[len(d.index.Points)-1]
	head := fmt.Sprintf("%s  %s d/d  %s ytd  %s", thousands(last.Value, 2), signedPct(d.indexDay, 2), signedPct(d.indexYTD, 1), last.Date.In(model.CST).Format("2006-01-02"))
	styled := fmt.Sprintf("%s  %s d/d  %s ytd  %s", m.styles.Bold.Render(thousands(last.Value, 2)), m.styles.move(d.indexDay).Render(signedPct(d.indexDay, 2)), m.styles.move(d.indexYTD).Render(signedPct(d.indexYTD, 1)), m.styles.Dim.Render(last.Date.In(model.CST).Format("2006-01-02")))
	out := []line{{styled: styled, plain: head}}
	if len(d.index.Missing) > 0 {
		var names []string
		for _, id := range d.index.Missing {
			names = append(names, model.ElementName(id))
		}
		note := "partial: no price for " + strings.Join(names, ", ")
		out = append(out, line{styled: m.styles.Dim.Render(note), plain: note, dim: true})
	}
	ch := h - len(out)
	for _, l := range strings.Split(m.chart(d.indexPts, w, ch, 0), "\n") {
		out = append(out, line{styled: l, plain: l})
	}
	return out
}

// chart plots a series into w×h cells, or a placeholder when there are
// fewer than two points or no room (asciigraph panics on an empty series).
func (m *Model) chart(pts []float64, w, h int, prec uint) string {
	if h < 2 || w < 12 {
		return ""
	}
	if len(pts) < 2 {
		return m.styles.Dim.Render("not enough history to draw")
	}
	lo, hi := pts[0], pts[0]
	for _, v := range pts {
		lo, hi = min(lo, v), max(hi, v)
	}
	label := max(len(strconv.FormatFloat(lo, 'f', int(prec), 64)), len(strconv.FormatFloat(hi, 'f', int(prec), 64)))
	pw := w - label - 3
	if pw < 4 {
		return ""
	}
	g := asciigraph.Plot(pts, asciigraph.Height(h-1), asciigraph.Width(pw), asciigraph.Precision(prec))
	return m.styles.Chart.Lines(clip(g, w, h))
}

func (m *Model) watchLines(w int) []line {
	cols := []col{{6, false, 0, false}, {8, false, 0, false}, {8, true, 0, false}, {7, true, 0, false}, {8, true, 2, false}, {8, true, 3, false}, {8, true, 4, false}, {5, false, 5, true}}
	show := pickCols(cols, w)
	var out []line
	for _, s := range m.watch {
		q, ok := m.st.Quotes[s.Code]
		name := s.Name
		if ok && q.Name != "" {
			name = q.Name
		}
		if !ok {
			state := "loading"
			if m.noFeedAnswers() || m.deps.Offline {
				state = "no quote"
			}
			plain := []string{s.Code, name, dash, dash, "", "", "", ""}
			styled := []string{s.Code, name, m.styles.Dim.Render(state), "", "", "", "", ""}
			l := m.tableLine(cols, show, styled, plain)
			l.key, l.dim = s.Code, true
			out = append(out, l)
			continue
		}
		chg := q.ChangePct()
		pe := dash
		if model.Known(q.PE) {
			pe = "PE " + strconv.FormatFloat(q.PE, 'f', 1, 64)
		}
		mkt := s.Market.String()
		if s.IsETF() {
			mkt = "ETF"
		}
		plain := []string{s.Code, name, price(q.Last), signedPct(chg, 2), yi(q.Amount), signedYi(q.MainNet), pe, mkt}
		st := m.styles.move(chg)
		stale := m.quoteStale(s.Code)
		styled := []string{s.Code, name, st.Render(price(q.Last)), st.Render(signedPct(chg, 2)), yi(q.Amount), m.styles.move(q.MainNet).Render(signedYi(q.MainNet)), pe, m.styles.Dim.Render(mkt)}
		if stale {
			for i := range styled {
				styled[i] = m.styles.Dim.Render(plain[i])
			}
		}
		l := m.tableLine(cols, show, styled, plain)
		l.key, l.dim = s.Code, stale
		out = append(out, l)
	}
	if len(out) == 0 {
		msg := "the watchlist is empty: add symbols in the config"
		out = append(out, line{styled: m.styles.Dim.Render(msg), plain: msg, dim: true})
	}
	return out
}

// quoteStale reports whether a quote is older than its feed's cadence allows.
func (m *Model) quoteStale(code string) bool {
	if m.deps.Offline {
		return false // offline review shows the market as of a date: nothing is expected to refresh
	}
	seen, ok := m.seenAt[code]
	if !ok {
		return true // only cached, not refreshed since start
	}
	return m.now.Sub(seen) > m.staleAfter()
}

// staleAfter is how old a quote may be before it is drawn stale: three
// cadences of the quote feed in use (a minute when none is known).
func (m *Model) staleAfter() time.Duration {
	cad := time.Minute
	for _, h := range m.health {
		if h.Kind == "quotes" && h.State == model.FeedOK && h.Cadence > 0 {
			cad = h.Cadence
			break
		}
	}
	return 3 * cad
}

func (m *Model) contractLines(w int) []line {
	cols := []col{{6, false, 0, false}, {8, true, 0, false}, {8, true, 1, false}, {13, false, 2, false}, {20, false, 3, true}}
	show := pickCols(cols, w)
	var out []line
	if len(m.derived.contract) > 0 {
		latest := m.derived.contract[0]
		head := fmt.Sprintf("%s: %d consecutive increases", latest.Quarter, m.derived.streak)
		out = append(out, line{styled: m.styles.Bold.Render(head), plain: head})
	}
	for _, r := range m.derived.contract {
		q := r.Quarter.String()
		if !r.Known {
			plain := []string{q, dash, "", "not published", ""}
			styled := []string{m.styles.Dim.Render(q), m.styles.Dim.Render(dash), "", m.styles.Dim.Render("not published"), ""}
			l := m.tableLine(cols, show, styled, plain)
			l.dim, l.key = true, q
			out = append(out, l)
			continue
		}
		qoq := ""
		if r.HasQoQ {
			qoq = signedPct(r.QoQ, 2)
		}
		step := "±" + thousands(r.C.StepPerPct(), 2) + "/1%"
		if r.C.Basis() != 50 {
			step += " @" + strconv.FormatFloat(r.C.Basis(), 'f', 0, 64)
		}
		src := r.C.Source
		plain := []string{q, thousands(r.C.Price, 0), qoq, step, src}
		styled := []string{q, m.styles.Bold.Render(thousands(r.C.Price, 0)), m.styles.move(r.QoQ).Render(qoq), step, m.styles.Dim.Render(src)}
		l := m.tableLine(cols, show, styled, plain)
		l.key = q
		out = append(out, l)
	}
	if len(out) == 0 {
		msg := "no contract quarters cached"
		out = append(out, line{styled: m.styles.Dim.Render(msg), plain: msg, dim: true})
	}
	return out
}

func (m *Model) marginLines(w int) []line {
	var out []line
	s := m.derived.sector
	if s.names > 0 {
		head := fmt.Sprintf("Σ %d names bal %s", s.names, yiPlain(s.total))
		styledHead := fmt.Sprintf("Σ %d names bal %s", s.names, m.styles.Bold.Render(yiPlain(s.total)))
		if s.start > 0 {
			g := (s.total/s.start - 1) * 100
			tail := fmt.Sprintf("  ytd %s  >10%%: %d  >20%%: %d", signedPct(g, 1), s.over10, s.over20)
			head += tail
			styledHead += m.styles.move(g).Render(tail)
		}
		out = append(out, line{styled: styledHead, plain: head})
	}
	cols := []col{{6, false, 0, false}, {8, false, 0, false}, {7, true, 0, false}, {6, true, 1, false}, {6, true, 0, false}, {6, true, 2, false}, {5, true, 3, false}}
	show := pickCols(cols, w)
	hdr := row(cols, show, []string{"code", "name", "balance", "buy", "net", "%float", "date"})
	out = append(out, line{styled: m.styles.Dim.Render(hdr), plain: hdr, dim: true})
	for _, r := range m.derived.margin {
		name := r.sym.Name
		if q, ok := m.st.Quotes[r.sym.Code]; ok && q.Name != "" {
			name = q.Name
		}
		if !r.has {
			plain := []string{r.sym.Code, name, dash, "", "", "", ""}
			styled := []string{r.sym.Code, name, m.styles.Dim.Render(dash), "", "", "", ""}
			l := m.tableLine(cols, show, styled, plain)
			l.key, l.dim = r.sym.Code, true
			out = append(out, l)
			continue
		}
		d := r.last
		bal := yiPlain(d.FinBalance)
		buy := yiPlain(d.FinBuy)
		net := yiPlain(d.FinNetBuy)
		pc := pct(d.BalancePct)
		date := d.Date.In(model.CST).Format("01-02")
		plain := []string{r.sym.Code, name, bal, buy, net, pc, date}
		styled := []string{r.sym.Code, name, bal, buy, m.styles.move(d.FinNetBuy).Render(net), pc, m.styles.Dim.Render(date)}
		l := m.tableLine(cols, show, styled, plain)
		l.key = r.sym.Code
		out = append(out, l)
	}
	for _, code := range m.deps.Boards {
		days := m.st.Sector[code]
		if len(days) == 0 {
			continue
		}
		d := days[len(days)-1]
		name := d.Name
		if b, ok := m.st.Boards[code]; ok && b.Name != "" {
			name = b.Name
		}
		plain := []string{code, name, yiPlain(d.FinBalance), yiPlain(d.FinBuy), yiPlain(d.FinNetBuy), pct(d.BalancePct), d.Date.In(model.CST).Format("01-02")}
		styled := append([]string(nil), plain...)
		styled[4] = m.styles.move(d.FinNetBuy).Render(plain[4])
		styled[6] = m.styles.Dim.Render(plain[6])
		l := m.tableLine(cols, show, styled, plain)
		l.key = code
		out = append(out, l)
	}
	if len(out) == 0 {
		msg := "no margin data cached yet"
		out = append(out, line{styled: m.styles.Dim.Render(msg), plain: msg, dim: true})
	}
	return out
}

func (m *Model) sectorLines(w int) []line {
	cols := []col{{8, false, 0, false}, {7, true, 0, false}, {14, true, 1, false}, {14, false, 2, false}, {9, false, 3, false}, {7, false, 4, true}}
	show := pickCols(cols, w)
	var out []line
	for _, b := range m.derived.boards {
		main := "main " + signedYi(b.MainNet)
		lead := ""
		if b.Leader != "" {
			lead = "lead " + b.Leader
		}
		breadth := fmt.Sprintf("↑%d ↓%d", b.Up, b.Down)
		lim := ""
		if b.LimitUp > 0 {
			lim = fmt.Sprintf("涨停 %d", b.LimitUp)
		}
		plain := []string{b.Name, signedPct(b.ChangePct, 2), main, lead, breadth, lim}
		styled := []string{b.Name, m.styles.move(b.ChangePct).Render(plain[1]), m.styles.move(b.MainNet).Render(main), lead, m.styles.Dim.Render(breadth), m.styles.Up.Render(lim)}
		l := m.tableLine(cols, show, styled, plain)
		l.key = b.Code
		out = append(out, l)
	}
	// Sector ETF flows: every ETF on the watchlist.
	for _, s := range m.watch {
		if !s.IsETF() {
			continue
		}
		q, ok := m.st.Quotes[s.Code]
		if !ok {
			continue
		}
		name := q.Name
		if name == "" {
			name = s.Name
		}
		flow := "flow " + signedYi(q.MainNet)
		plain := []string{name, signedPct(q.ChangePct(), 2), flow, "ETF " + s.Code, "", ""}
		styled := []string{name, m.styles.move(q.ChangePct()).Render(plain[1]), m.styles.move(q.MainNet).Render(flow), m.styles.Dim.Render(plain[3]), "", ""}
		l := m.tableLine(cols, show, styled, plain)
		l.key = s.Code
		out = append(out, l)
	}
	if len(out) == 0 {
		msg := "no board data cached yet"
		out = append(out, line{styled: m.styles.Dim.Render(msg), plain: msg, dim: true})
	}
	return out
}
