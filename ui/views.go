package ui

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/model"
)

// viewState is the state of the element, index, contract and board views.
type viewState struct {
	rng    int    // chart range (element and index views)
	sel    int    // selected row (contract and board views)
	sortBy int    // board view: 0 change, 1 main-force flow, 2 turnover
	grade  string // contract view: the REO calculator's input
}

var boardSorts = []string{"change", "main-force flow", "turnover"}

// rangeDays maps a range to calendar days for daily series (0 = all).
func rangeDays(rng int) int {
	return [...]int{2, 7, 31, 183, 366, 0}[rng]
}

// clipDates keeps the points of the last `days` days before the last point.
func clipDates[T any](s []T, at func(T) time.Time, days int) []T {
	if days == 0 || len(s) == 0 {
		return s
	}
	from := at(s[len(s)-1]).AddDate(0, 0, -days)
	i := sort.Search(len(s), func(i int) bool { return !at(s[i]).Before(from) })
	return s[i:]
}

func ansiStrip(s string) string { return ansi.Strip(s) }

func rangeTabs(m *Model, cur int) string {
	var tabs []string
	for i, r := range rangeNames {
		if i == cur {
			tabs = append(tabs, m.styles.Selected.Render(" "+r+" "))
		} else {
			tabs = append(tabs, " "+r+" ")
		}
	}
	return strings.Join(tabs, "")
}

// rangeKey handles 1–6 and left/right for a view's range; true if used.
func (m *Model) rangeKey(msg tea.KeyPressMsg, rng *int) bool {
	switch {
	case key.Matches(msg, m.keys.Range):
		*rng = int(msg.String()[0] - '1')
	case key.Matches(msg, m.keys.RangeNext):
		*rng = min(*rng+1, len(rangeNames)-1)
	case key.Matches(msg, m.keys.RangePrev):
		*rng = max(*rng-1, 0)
	default:
		return false
	}
	return true
}

// ---- element detail ----

func (m *Model) elementView(w, h int) string {
	id := model.ElementID(m.top().symbol)
	info, _ := model.Element(id)
	s := m.st.Elements[id]
	var out []string
	out = append(out, m.styles.Bold.Render(info.Short+" "+info.Zh)+"  "+m.styles.Dim.Render("元/吨"))
	if len(s) == 0 {
		out = append(out, "", m.styles.Dim.Render("no price cached for this product yet: the element feeds have not published it, or `:price` enters one by hand"))
		return clip(strings.Join(out, "\n"), w, h)
	}
	last := s[len(s)-1]
	day, yoy := model.Unknown, model.Unknown
	if len(s) > 1 && s[len(s)-2].Price > 0 {
		day = (last.Price/s[len(s)-2].Price - 1) * 100
	}
	if y, ok := s.AsOf(last.Date.AddDate(-1, 0, 0)); ok && y.Price > 0 {
		yoy = (last.Price/y.Price - 1) * 100
	}
	rangeTxt := ""
	if model.Known(last.Low) && model.Known(last.High) {
		rangeTxt = fmt.Sprintf("  range %s–%s", thousands(last.Low, 0), thousands(last.High, 0))
	}
	out = append(out, fmt.Sprintf("%s  %s d/d  %s y/y%s  %s  source %s (%s)", m.styles.Bold.Render(thousands(last.Price, 0)),
		m.styles.move(day).Render(signedPct(day, 2)), m.styles.move(yoy).Render(signedPct(yoy, 2)), rangeTxt,
		last.Date.In(model.CST).Format("2006-01-02"), last.Source, last.OrigUnit))

	// Weight in the index and contribution to its latest move.
	w8, contrib, inBasket := 0.0, 0.0, false
	pts := m.derived.index.Points
	if len(pts) > 1 {
		for _, c := range model.Contributions(m.deps.Index, m.st.Elements, pts[len(pts)-2].Date, pts[len(pts)-1].Date) {
			if c.Element == id {
				w8, contrib, inBasket = c.Weight, c.Points, true
			}
		}
	}
	if inBasket {
		out = append(out, fmt.Sprintf("index weight %.1f%%  contribution to the latest move %s points", w8*100, m.styles.move(contrib).Render(fmt.Sprintf("%+.2f", contrib))))
	} else {
		out = append(out, m.styles.Dim.Render("not in the local index basket"))
	}
	v := m.vs()
	out = append(out, rangeTabs(m, v.rng))
	series := clipDates(s, func(p model.ElementPrice) time.Time { return p.Date }, rangeDays(v.rng))
	vals := make([]float64, 0, len(series))
	for _, p := range series {
		vals = append(vals, p.Price)
	}
	out = append(out, m.chart(vals, w, max(h-len(out)-1, 2), 0))
	return clip(strings.Join(out, "\n"), w, h)
}

// ---- index detail ----

func (m *Model) indexView(w, h int) string {
	spec := m.deps.Index
	d := m.derived
	var out []string
	out = append(out, m.styles.Bold.Render("rareterm rare-earth price index (local)"))
	out = append(out, "I_t = I_k × Σ_i w_i × p_i,t / p_i,k    fixed basket (Laspeyres), chain-linked when the basket changes")
	out = append(out, fmt.Sprintf("base %s = %s; %d basket era(s); prices carried forward between their dates", spec.BaseDate.Format("2006-01-02"), strconv.FormatFloat(spec.Base, 'f', -1, 64), len(spec.Eras)))
	if len(d.index.Points) < 2 {
		out = append(out, "", m.styles.Dim.Render("not enough element prices cached to compute the index"))
		return clip(strings.Join(out, "\n"), w, h)
	}
	pts := d.index.Points
	a, b := pts[len(pts)-2], pts[len(pts)-1]
	out = append(out, fmt.Sprintf("%s on %s, %s from %s (%s)", m.styles.Bold.Render(thousands(b.Value, 2)), b.Date.In(model.CST).Format("2006-01-02"),
		m.styles.move(b.Value-a.Value).Render(fmt.Sprintf("%+.2f", b.Value-a.Value)), thousands(a.Value, 2), a.Date.In(model.CST).Format("2006-01-02")))
	out = append(out, "")
	hdr := fmt.Sprintf("%-12s %7s %13s %13s %9s %9s", "component", "weight", "price at k", "latest", "relative", "points")
	out = append(out, m.styles.Dim.Render(hdr))
	era := spec.Eras[len(spec.Eras)-1]
	start := era.From
	if start.Before(spec.BaseDate) {
		start = spec.BaseDate
	}
	for _, c := range model.Contributions(spec, m.st.Elements, a.Date, b.Date) {
		s := m.st.Elements[c.Element]
		base, ok := s.AsOf(start)
		if !ok && len(s) > 0 {
			base = s[0]
		}
		latest, _ := s.AsOf(b.Date)
		rel := model.Unknown
		if base.Price > 0 {
			rel = latest.Price / base.Price
		}
		pt := fmt.Sprintf("%+9.2f", c.Points)
		out = append(out, fmt.Sprintf("%-12s %6.1f%% %13s %13s %9.4f %s", model.ElementName(c.Element), c.Weight*100, thousands(base.Price, 0), thousands(latest.Price, 0), rel, m.styles.move(c.Points).Render(pt)))
	}
	for _, id := range d.index.Missing {
		out = append(out, m.styles.Dim.Render(fmt.Sprintf("%-12s no price cached: left out, weights renormalised", model.ElementName(id))))
	}
	for _, id := range d.index.BaseFilled {
		out = append(out, m.styles.Dim.Render(fmt.Sprintf("%-12s first price after the era start stands in as its base", model.ElementName(id))))
	}
	out = append(out, "", rangeTabs(m, m.vs().rng))
	series := clipDates(pts, func(p model.IndexPoint) time.Time { return p.Date }, rangeDays(m.vs().rng))
	vals := make([]float64, 0, len(series))
	for _, p := range series {
		vals = append(vals, p.Value)
	}
	out = append(out, m.chart(vals, w, max(h-len(out)-1, 2), 1))
	return clip(strings.Join(out, "\n"), w, h)
}

// ---- contract detail ----

func (m *Model) contractView(w, h int) string {
	rows := m.derived.contract
	v := m.vs()
	var out []string
	out = append(out, m.styles.Bold.Render("Rare-earth concentrate: Baotou Steel (600010) → Northern Rare Earth (600111)"))
	out = append(out, m.styles.Dim.Render("元/吨, ex-VAT, dry weight, at REO 50% (51% in 2022); each 1% of REO moves the price by price ÷ basis; set quarterly"))
	if len(rows) == 0 {
		return clip(strings.Join(append(out, "", m.styles.Dim.Render("no contract quarters cached")), "\n"), w, h)
	}
	v.sel = max(0, min(v.sel, len(rows)-1))
	sel := rows[v.sel]
	// The REO calculator works on the selected quarter.
	calc := "type a REO grade (e.g. 48.5) to price concentrate at that grade"
	if v.grade != "" {
		g, err := strconv.ParseFloat(v.grade, 64)
		switch {
		case err != nil || g <= 0 || g > 100:
			calc = m.styles.Error.Render(fmt.Sprintf("REO %q: want a percentage between 0 and 100", v.grade))
		case !sel.Known:
			calc = fmt.Sprintf("REO %s%%: %s has no published price", v.grade, sel.Quarter)
		default:
			calc = fmt.Sprintf("REO %s%% in %s: %s 元/吨  (%s × %s ÷ %s)", v.grade, sel.Quarter, m.styles.Bold.Render(thousands(sel.C.PriceAtGrade(g), 2)),
				thousands(sel.C.Price, 2), v.grade, strconv.FormatFloat(sel.C.Basis(), 'f', -1, 64))
		}
	}
	out = append(out, "REO calculator › "+calc, "")
	hdr := fmt.Sprintf("%-7s %11s %9s %16s  %s", "quarter", "元/吨", "QoQ", "± per 1% REO", "source")
	out = append(out, m.styles.Dim.Render(hdr))
	body := make([]string, 0, len(rows))
	for i, r := range rows {
		var l string
		if !r.Known {
			l = fmt.Sprintf("%-7s %11s %9s %16s  %s", r.Quarter, dash, "", "", "not found in any source: never interpolated")
			if i != v.sel {
				l = m.styles.Dim.Render(l)
			}
		} else {
			qoq, note := "", ""
			if r.HasQoQ {
				qoq = signedPct(r.QoQ, 2)
			} else if i+1 < len(rows) {
				// After a gap: compare with the last published quarter, said so.
				for _, p := range rows[i+1:] {
					if p.Known && p.C.Price > 0 {
						note = fmt.Sprintf(" (%s vs %s)", signedPct((r.C.Price/p.C.Price-1)*100, 2), p.Quarter)
						break
					}
				}
			}
			step := thousands(r.C.StepPerPct(), 2)
			if r.C.Basis() != 50 {
				step += " (REO " + strconv.FormatFloat(r.C.Basis(), 'f', -1, 64) + "%)"
			}
			l = fmt.Sprintf("%-7s %11s %9s %16s  %s", r.Quarter, thousands(r.C.Price, 2), qoq, step, model.Sanitize(r.C.Source)) + m.styles.Dim.Render(note)
		}
		if i == v.sel {
			l = m.styles.Selected.Render(fit(ansiStrip(l), w))
		}
		body = append(body, l)
	}
	room := max(h-len(out), 1)
	off := 0
	if v.sel >= room {
		off = v.sel - room + 1
	}
	out = append(out, body[off:]...)
	return clip(strings.Join(out, "\n"), w, h)
}

func (m *Model) contractKey(msg tea.KeyPressMsg) bool {
	v := m.vs()
	s := msg.String()
	switch {
	case key.Matches(msg, m.keys.Down):
		v.sel++
	case key.Matches(msg, m.keys.Up):
		v.sel = max(v.sel-1, 0)
	case len(s) == 1 && (s[0] >= '0' && s[0] <= '9' || s[0] == '.'):
		if len(v.grade) < 8 {
			v.grade += s
		}
	case s == "backspace" && v.grade != "":
		v.grade = v.grade[:len(v.grade)-1]
	default:
		return false
	}
	return true
}

// ---- board detail ----

func (m *Model) boardMembers(code string) []model.Quote {
	qs := append([]model.Quote(nil), m.st.Members[code]...)
	by := m.vs().sortBy
	val := func(q model.Quote) float64 {
		var v float64
		switch by {
		case 1:
			v = q.MainNet
		case 2:
			v = q.TurnoverPct
		default:
			v = q.ChangePct()
		}
		if !model.Known(v) {
			return -1e300
		}
		return v
	}
	sort.SliceStable(qs, func(i, j int) bool { return val(qs[i]) > val(qs[j]) })
	return qs
}

func (m *Model) boardView(w, h int) string {
	code := m.top().symbol
	b, ok := m.st.Boards[code]
	var out []string
	title := code
	if ok && b.Name != "" {
		title = code + " " + b.Name
	}
	out = append(out, m.styles.Bold.Render(title))
	if ok {
		out = append(out, fmt.Sprintf("%s  %s  main-force %s  ↑%d ↓%d  lead %s %s  %s", thousands(b.Level, 2), m.styles.move(b.ChangePct).Render(signedPct(b.ChangePct, 2)),
			m.styles.move(b.MainNet).Render(signedYi(b.MainNet)), b.Up, b.Down, b.Leader, signedPct(b.LeaderPct, 2), m.styles.Dim.Render(b.Time.In(model.CST).Format("15:04:05")+" "+b.Source)))
	}
	qs := m.boardMembers(code)
	var limitUp []string
	for _, q := range qs {
		sym, _ := model.ParseSymbol(q.Symbol)
		sym.Name = q.Name
		if l := sym.LimitPct(); l > 0 && model.Known(q.PrevClose) && model.Known(q.Last) && q.Last >= model.Round2(q.PrevClose*(1+l/100))-0.001 {
			limitUp = append(limitUp, q.Name)
		}
	}
	if len(limitUp) > 0 {
		out = append(out, m.styles.Up.Render("涨停 limit-up: "+strings.Join(limitUp, " ")))
	} else {
		out = append(out, m.styles.Dim.Render("no constituent at its limit-up"))
	}
	out = append(out, m.styles.Dim.Render("sorted by "+boardSorts[m.vs().sortBy]+" (s cycles) · enter opens a ticker"))
	if len(qs) == 0 {
		out = append(out, m.styles.Dim.Render("constituents not cached yet (the board feed refreshes them every minute)"))
		return clip(strings.Join(out, "\n"), w, h)
	}
	cols := []col{{6, false, 0, false}, {8, false, 0, false}, {8, true, 0, false}, {8, true, 0, false}, {10, true, 1, false}, {8, true, 2, false}, {9, true, 3, false}}
	show := pickCols(cols, w)
	hdr := row(cols, show, []string{"code", "name", "last", "chg%", "main net", "turn%", "amount"})
	out = append(out, m.styles.Dim.Render(hdr))
	v := m.vs()
	v.sel = max(0, min(v.sel, len(qs)-1))
	room := max(h-len(out), 1)
	off := 0
	if v.sel >= room {
		off = v.sel - room + 1
	}
	for i := off; i < len(qs); i++ {
		q := qs[i]
		plain := []string{q.Symbol, q.Name, price(q.Last), signedPct(q.ChangePct(), 2), signedYi(q.MainNet), pct(q.TurnoverPct), yi(q.Amount)}
		if i == v.sel {
			out = append(out, m.styles.Selected.Render(row(cols, show, plain)))
			continue
		}
		styled := append([]string(nil), plain...)
		styled[3] = m.styles.move(q.ChangePct()).Render(plain[3])
		styled[4] = m.styles.move(q.MainNet).Render(plain[4])
		out = append(out, row(cols, show, styled))
	}
	return clip(strings.Join(out, "\n"), w, h)
}

func (m *Model) boardKey(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	v := m.vs()
	switch {
	case key.Matches(msg, m.keys.Down):
		v.sel++
	case key.Matches(msg, m.keys.Up):
		v.sel = max(v.sel-1, 0)
	case key.Matches(msg, m.keys.Sort):
		v.sortBy = (v.sortBy + 1) % len(boardSorts)
	case key.Matches(msg, m.keys.Open):
		qs := m.boardMembers(m.top().symbol)
		if v.sel < len(qs) {
			return true, m.openTicker(qs[v.sel].Symbol, m.top().symbol)
		}
	default:
		return false, nil
	}
	return true, nil
}
