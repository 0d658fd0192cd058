package dashboard

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/etfflow"
	"github.com/rareterm/rareterm/ui/screens/ladder"
	"github.com/rareterm/rareterm/ui/screens/ticker"
	"github.com/rareterm/rareterm/ui/widgets"
)

func (sc *Screen) panelTitle(p Panel, w int) string {
	c, mk := sc.C, sc.C.Market
	narrow := w < 60
	switch p {
	case Elements:
		unit := widgets.ElementUnit(c.Lang, c.Wan)
		if c.NoLiveElements {
			if narrow {
				return c.T(i18n.DashElementsNoLive)
			}
			return c.F(i18n.DashElementsNoLiveWide, unit)
		}
		return c.F(i18n.DashElementsTitle, unit)
	case Index:
		spec := mk.Index
		if narrow {
			return c.F(i18n.DashIndexTitle, strconv.FormatFloat(spec.Base, 'f', -1, 64), spec.BaseDate.Format("2006-01-02"))
		}
		return c.F(i18n.DashIndexTitleWide, strconv.FormatFloat(spec.Base, 'f', -1, 64), spec.BaseDate.Format("2006-01-02"))
	case Watch:
		return sc.name(Watch)
	case Contract:
		if narrow {
			return c.T(i18n.DashContractTitle)
		}
		return c.T(i18n.DashContractTitleWide)
	case Margin:
		return c.T(i18n.MarginFinancingYi)
	case Sector:
		return c.T(i18n.DashSectorTitle)
	case Ladder:
		l := mk.Whole.Ladder
		if len(l.Rows) == 0 {
			return i18n.LadderTitle.In(sc.C.Lang)
		}
		return i18n.LadderShort.In(sc.C.Lang) + " " + l.Day.Format("01-02") + " " + l.CountsShort()
	}
	return ""
}

// panelLines renders a panel's rows for inner width w and height h.
func (sc *Screen) panelLines(p Panel, w, h int) []widgets.Line {
	switch p {
	case Elements:
		return sc.elementLines(w)
	case Index:
		return sc.indexLines(w, h)
	case Watch:
		return sc.watchLines(w)
	case Contract:
		return sc.contractLines(w)
	case Margin:
		return sc.marginLines(w)
	case Sector:
		return sc.sectorLines(w)
	case Ladder:
		return sc.ladderLines(w)
	}
	return nil
}

// Keys of the panel lines that open a whole-market view rather than a symbol.
const (
	SectorKey = "@sector" // the margin panel's sector summary: the names, one by one
	LadderKey = "@ladder" // a ladder panel line: the ladder screen
)

// ladderLines are the ladder's rungs, highest first: each rung's label and
// count, then its names, the sector's marked.
func (sc *Screen) ladderLines(w int) []widgets.Line {
	st, mk := sc.C.Styles, sc.C.Market
	l := mk.Whole.Ladder
	if len(l.Rows) == 0 {
		return []widgets.Line{{Styled: st.Dim.Render(sc.C.T(i18n.LadderNone)), Plain: sc.C.T(i18n.LadderNone), Dim: true}}
	}
	var out []widgets.Line
	if note := ladder.DayNote(sc.C.Lang, mk); note != "" {
		out = append(out, widgets.Line{Styled: st.Warn.Render(note), Plain: note, Key: LadderKey})
	}
	for _, r := range l.Rungs() {
		label := fmt.Sprintf("%s %d", model.HeightLabel(r.Height), len(r.Rows))
		out = append(out, widgets.Line{Styled: st.Bold.Render(label), Plain: label, Key: LadderKey})
		for _, u := range r.Rows {
			mark := " "
			name := u.Name
			styled := name
			if mk.InSector(u.Code) {
				mark = ladder.SectorMark
				styled = st.Up.Render(name)
			}
			tail := fmt.Sprintf(" %s %s", u.First.Format("15:04"), u.Board)
			if u.Breaks > 0 {
				tail += fmt.Sprintf(" %s%d", sc.C.T(i18n.LadderBreaks), u.Breaks)
			}
			plain := widgets.Cut(mark+u.Code+" "+widgets.Fit(name, 8)+tail, w)
			out = append(out, widgets.Line{Styled: widgets.Cut(mark+u.Code+" "+widgets.Fit(styled, 8)+st.Dim.Render(tail), w), Plain: plain, Key: LadderKey})
		}
	}
	return out
}

func (sc *Screen) elementLines(w int) []widgets.Line {
	c, st, mk := sc.C, sc.C.Styles, sc.C.Market
	cols := []widgets.Col{widgets.NewCol(10, false, 0, false), widgets.NewCol(9, true, 0, false), widgets.NewCol(6, true, 1, false), widgets.NewCol(10, true, 2, false), widgets.NewCol(14, false, 3, true)}
	show := widgets.PickCols(cols, w)
	var out []widgets.Line
	for _, r := range mk.Derived.Elements {
		name := widgets.ElementName(c.Lang, r.ID)
		if !r.Has {
			none := widgets.Fit(name, 10) + " " + c.T(i18n.DashNoPrice)
			out = append(out, widgets.Line{Styled: st.Dim.Render(none), Plain: none, Dim: true, Key: string(r.ID)})
			continue
		}
		p := widgets.ElementPrice(r.Last.Price, c.Wan)
		day := widgets.SignedPct(r.DayPct, 1)
		yoy := c.F(i18n.DashYoY, widgets.SignedPct(r.YoYPct, 1))
		if !model.Known(r.YoYPct) {
			yoy = c.F(i18n.DashYoY, widgets.Dash)
		}
		if !model.Known(r.DayPct) {
			day = "" // no price of the previous trading day from the same source
		}
		// Stale: more than 8 days old, or no live source to refresh it. A
		// stale price carries its full date.
		stale := mk.RefTime().Sub(r.Last.Date) > 8*24*time.Hour || sc.C.NoLiveElements
		date := r.Last.Date.In(model.CST).Format("01-02")
		if stale {
			date = r.Last.Date.In(model.CST).Format("2006-01-02")
		}
		src := date + " " + ticker.SourceName(c.Lang, r.Last.Source)
		plain := []string{name, p, day, yoy, src}
		styled := []string{name, p, st.Move(r.DayPct).Render(day), st.Move(r.YoYPct).Render(yoy), st.Dim.Render(src)}
		if stale {
			styled = []string{st.Dim.Render(name), st.Dim.Render(p), st.Dim.Render(day), st.Dim.Render(yoy), st.Dim.Render(src)}
		}
		l := widgets.TableLine(cols, show, styled, plain)
		l.Key, l.Dim = string(r.ID), stale
		out = append(out, l)
	}
	return out
}

func (sc *Screen) indexLines(w, h int) []widgets.Line {
	c, st, mk := sc.C, sc.C.Styles, sc.C.Market
	d := mk.Derived
	if len(d.IndexPts) == 0 {
		msg := c.T(i18n.DashIndexNoPrices)
		if len(d.Index.Missing) > 0 {
			msg = c.T(i18n.DashIndexWaiting)
		}
		return []widgets.Line{{Styled: st.Dim.Render(msg), Plain: msg, Dim: true}}
	}
	last := d.Index.Points[len(d.Index.Points)-1]
	head := c.F(i18n.DashIndexHead, widgets.Thousands(last.Value, 2), widgets.SignedPct(d.IndexDay, 2), widgets.SignedPct(d.IndexYTD, 1), last.Date.In(model.CST).Format("2006-01-02"))
	styled := c.F(i18n.DashIndexHead, st.Bold.Render(widgets.Thousands(last.Value, 2)), st.Move(d.IndexDay).Render(widgets.SignedPct(d.IndexDay, 2)), st.Move(d.IndexYTD).Render(widgets.SignedPct(d.IndexYTD, 1)), st.Dim.Render(last.Date.In(model.CST).Format("2006-01-02")))
	out := []widgets.Line{{Styled: styled, Plain: head}}
	if len(d.Index.Missing) > 0 {
		var names []string
		for _, id := range d.Index.Missing {
			names = append(names, widgets.ElementName(c.Lang, id))
		}
		note := c.F(i18n.DashIndexPartial, strings.Join(names, ", "))
		out = append(out, widgets.Line{Styled: st.Dim.Render(note), Plain: note, Dim: true})
	}
	ch := h - len(out)
	for _, l := range strings.Split(sc.indexChart(w, ch), "\n") {
		out = append(out, widgets.Line{Styled: l, Plain: l})
	}
	return out
}

// indexChart is the index's chart at w×h, drawn again only when the series
// or the size changed (a quote redraws the body, not the index).
func (sc *Screen) indexChart(w, h int) string {
	d, c := &sc.C.Market.Derived, &sc.chart
	if c.out != "" && c.w == w && c.h == h && slices.Equal(c.pts, d.IndexPts) && slices.EqualFunc(c.ts, d.IndexTs, time.Time.Equal) {
		return c.out
	}
	sc.Charted++
	*c = chart{w: w, h: h, pts: slices.Clone(d.IndexPts), ts: slices.Clone(d.IndexTs),
		out: widgets.LineChart(sc.C.Styles, sc.C.Lang, d.IndexTs, widgets.YFormat{Dec: 0}, w, h, d.IndexPts)}
	return c.out
}

func (sc *Screen) watchLines(w int) []widgets.Line {
	c, st, mk := sc.C, sc.C.Styles, sc.C.Market
	wc := sc.watchColumns()
	names := make([]string, len(mk.Watch))
	nameW := 0
	for i, s := range mk.Watch {
		names[i] = s.Name
		if q, ok := mk.St.Quotes[s.Code]; ok && q.Name != "" {
			names[i] = q.Name
		}
		nameW = max(nameW, widgets.Width(names[i]))
	}
	cols := watchLayout(c.Lang, wc, nameW, w)
	show := widgets.PickCols(cols, w)
	var out []widgets.Line
	if len(mk.Watch) > 0 {
		heads := make([]string, len(wc))
		for i, col := range wc {
			heads[i] = c.T(col.Head)
		}
		hdr := widgets.Row(cols, show, heads)
		out = append(out, widgets.Line{Styled: st.Dim.Render(hdr), Plain: hdr, Dim: true})
	}
	for i, s := range mk.Watch {
		q, ok := mk.St.Quotes[s.Code]
		name := names[i]
		plain := make([]string, len(wc))
		styled := make([]string, len(wc))
		if !ok {
			state := c.T(i18n.DashLoading)
			if model.SummarizeHealth(mk.Health, mk.Now).QuotesDown || c.Offline {
				state = c.T(i18n.DashNoQuote)
			}
			for k, col := range wc {
				switch col.ID {
				case "code":
					plain[k], styled[k] = s.Code, s.Code
				case "name":
					plain[k], styled[k] = name, name
				case "last":
					plain[k], styled[k] = widgets.Dash, st.Dim.Render(state)
				case "chg":
					plain[k] = widgets.Dash
				}
			}
			l := widgets.TableLine(cols, show, styled, plain)
			l.Key, l.Dim = s.Code, true
			out = append(out, l)
			continue
		}
		chg := q.ChangePct()
		mv := st.Move(chg)
		stale := mk.QuoteStale(s.Code)
		for k, col := range wc {
			v := name
			if col.value != nil {
				v = col.value(c.Lang, s, q)
			}
			plain[k] = v
			switch {
			case stale:
				styled[k] = st.Dim.Render(v)
			case col.moves:
				styled[k] = mv.Render(v)
			case col.flowColor:
				styled[k] = st.Move(q.MainNet).Render(v)
			case col.ID == "market":
				styled[k] = st.Dim.Render(v)
			default:
				styled[k] = v
			}
		}
		l := widgets.TableLine(cols, show, styled, plain)
		l.Key, l.Dim = s.Code, stale
		out = append(out, l)
	}
	if len(out) == 0 {
		msg := c.T(i18n.DashWatchEmpty)
		out = append(out, widgets.Line{Styled: st.Dim.Render(msg), Plain: msg, Dim: true})
	}
	return out
}

func (sc *Screen) contractLines(w int) []widgets.Line {
	c, st, mk := sc.C, sc.C.Styles, sc.C.Market
	cols := []widgets.Col{widgets.NewCol(6, false, 0, false), widgets.NewCol(8, true, 0, false), widgets.NewCol(8, true, 1, false), widgets.NewCol(13, false, 2, false), widgets.NewCol(20, false, 3, true)}
	show := widgets.PickCols(cols, w)
	var out []widgets.Line
	if len(mk.Derived.Contract) > 0 {
		head := c.F(i18n.DashStreak, mk.Derived.StreakAt, mk.Derived.Streak)
		if gap := streakGap(c.Lang, mk.Derived.Contract, mk.Derived.StreakAt); gap != "" {
			head = gap // the quarter before is not known: no streak to count
		}
		if !mk.Derived.Contract[0].Known {
			head = c.F(i18n.CmdAsOf, head)
		}
		out = append(out, widgets.Line{Styled: st.Bold.Render(head), Plain: head})
		out = append(out, estimateLine(sc.C, mk.Derived.Estimate))
	}
	for _, r := range mk.Derived.Contract {
		q := r.Quarter.String()
		if !r.Known {
			what, style := c.T(i18n.DashNotPublished), st.Dim
			switch {
			case r.Notice != nil && !r.Notice.Parsed:
				what, style = c.T(i18n.DashNotParsed), st.Warn
			case r.Overdue:
				what, style = c.F(i18n.DashOverdue, r.Due.Format("01-02")), st.Warn
			case r.Pending:
				what = c.F(i18n.DashDueBy, r.Due.Format("01-02"))
			}
			link := ""
			if r.Notice != nil {
				link = r.Notice.Notice.Link
			}
			plain := []string{q, widgets.Dash, "", what, link}
			styled := []string{st.Dim.Render(q), st.Dim.Render(widgets.Dash), "", style.Render(what), st.Dim.Render(link)}
			l := widgets.TableLine(cols, show, styled, plain)
			l.Dim, l.Key = true, q
			out = append(out, l)
			continue
		}
		qoq := ""
		if r.HasQoQ {
			qoq = widgets.SignedPct(r.QoQ, 2)
		}
		step := "±" + widgets.Thousands(r.C.StepPerPct(), 2) + "/1%"
		if r.C.Basis() != 50 {
			step += " @" + strconv.FormatFloat(r.C.Basis(), 'f', 0, 64)
		}
		cs := ticker.SourceName(c.Lang, r.C.Source)
		src, styledSrc := cs, st.Dim.Render(cs)
		if r.New {
			// Priced by a notice of the last ten days.
			src, styledSrc = c.T(i18n.AnnNew)+" "+src, st.Up.Render(c.T(i18n.AnnNew)+" ")+styledSrc
		}
		plain := []string{q, widgets.Thousands(r.C.Price, 0), qoq, step, src}
		styled := []string{q, st.Bold.Render(widgets.Thousands(r.C.Price, 0)), st.Move(r.QoQ).Render(qoq), step, styledSrc}
		l := widgets.TableLine(cols, show, styled, plain)
		l.Key = q
		out = append(out, l)
	}
	if len(out) == 0 {
		msg := c.T(i18n.DashNoContract)
		out = append(out, widgets.Line{Styled: st.Dim.Render(msg), Plain: msg, Dim: true})
	}
	return out
}

func (sc *Screen) marginLines(w int) []widgets.Line {
	c, st, mk := sc.C, sc.C.Styles, sc.C.Market
	var out []widgets.Line
	s := mk.Derived.Sector
	if s.Names > 0 {
		day := widgets.Dash
		if s.HasDay {
			day = widgets.SignedYi(s.DayDelta)
		}
		head := sc.C.F(i18n.SectorHead, s.Names, widgets.YiPlain(s.Total), day)
		styledHead := sc.C.F(i18n.SectorHead, s.Names, st.Bold.Render(widgets.YiPlain(s.Total)), st.Move(s.DayDelta).Render(day))
		out = append(out, widgets.Line{Styled: styledHead, Plain: head})
		if g := s.YTDPct(); model.Known(g) {
			tail := sc.C.F(i18n.SectorYTD, s.YearDay.Format("01-02"), widgets.SignedPct(g, 1), len(s.Over10), len(s.Over20))
			out = append(out, widgets.Line{Styled: st.Move(g).Render(tail), Plain: tail})
		}
	}
	cols := []widgets.Col{widgets.NewCol(6, false, 0, false), widgets.NewCol(8, false, 0, false), widgets.NewCol(7, true, 0, false), widgets.NewCol(6, true, 1, false), widgets.NewCol(6, true, 0, false), widgets.NewCol(6, true, 2, false), widgets.NewCol(5, true, 3, false)}
	show := widgets.PickCols(cols, w)
	hdr := widgets.Row(cols, show, []string{c.T(i18n.WordCode), c.T(i18n.WordName), c.T(i18n.ColBalance), c.T(i18n.ColBuy), c.T(i18n.ColNet), c.F(i18n.ColFloatPct), c.T(i18n.WordDate)})
	out = append(out, widgets.Line{Styled: st.Dim.Render(hdr), Plain: hdr, Dim: true})
	for _, r := range mk.Derived.Margin {
		name := r.Sym.Name
		if q, ok := mk.St.Quotes[r.Sym.Code]; ok && q.Name != "" {
			name = q.Name
		}
		if !r.Has {
			plain := []string{r.Sym.Code, name, widgets.Dash, "", "", "", ""}
			styled := []string{r.Sym.Code, name, st.Dim.Render(widgets.Dash), "", "", "", ""}
			l := widgets.TableLine(cols, show, styled, plain)
			l.Key, l.Dim = r.Sym.Code, true
			out = append(out, l)
			continue
		}
		d := r.Last
		bal := widgets.YiPlain(d.FinBalance)
		buy := widgets.YiPlain(d.FinBuy)
		net := widgets.YiPlain(d.FinNetBuy)
		pc := widgets.Pct(d.BalancePct)
		date := d.Date.In(model.CST).Format("01-02")
		plain := []string{r.Sym.Code, name, bal, buy, net, pc, date}
		styled := []string{r.Sym.Code, name, bal, buy, st.Move(d.FinNetBuy).Render(net), pc, st.Dim.Render(date)}
		l := widgets.TableLine(cols, show, styled, plain)
		l.Key = r.Sym.Code
		out = append(out, l)
	}
	if len(s.Growth) > 0 {
		names := sc.C.F(i18n.SectorNames, s.YearDay.Format("01-02"), len(s.Over20), len(s.Over10), len(s.Growth))
		out = append(out, widgets.Line{Styled: st.Bold.Render("▸ ") + names, Plain: "▸ " + names, Key: SectorKey})
	}
	for _, code := range mk.Boards {
		days := mk.St.Sector[code]
		if len(days) == 0 {
			continue
		}
		d := days[len(days)-1]
		name := d.Name
		if b, ok := mk.St.Boards[code]; ok && b.Name != "" {
			name = b.Name
		}
		plain := []string{code, name, widgets.YiPlain(d.FinBalance), widgets.YiPlain(d.FinBuy), widgets.YiPlain(d.FinNetBuy), widgets.Pct(d.BalancePct), d.Date.In(model.CST).Format("01-02")}
		styled := append([]string(nil), plain...)
		styled[4] = st.Move(d.FinNetBuy).Render(plain[4])
		styled[6] = st.Dim.Render(plain[6])
		l := widgets.TableLine(cols, show, styled, plain)
		l.Key = code
		out = append(out, l)
	}
	if len(out) == 0 {
		msg := c.T(i18n.DashNoMargin)
		out = append(out, widgets.Line{Styled: st.Dim.Render(msg), Plain: msg, Dim: true})
	}
	return out
}

func (sc *Screen) sectorLines(w int) []widgets.Line {
	c, st, mk := sc.C, sc.C.Styles, sc.C.Market
	cols := []widgets.Col{widgets.NewCol(8, false, 0, false), widgets.NewCol(7, true, 0, false), widgets.NewCol(14, true, 1, false), widgets.NewCol(14, false, 2, false), widgets.NewCol(9, false, 3, false), widgets.NewCol(7, false, 4, true)}
	show := widgets.PickCols(cols, w)
	var out []widgets.Line
	if len(mk.Derived.Boards) == 0 {
		msg := c.T(i18n.DashNoBoards)
		if mk.Offline {
			msg = c.F(i18n.DashNoBoardsAsOf, mk.AsOf.Format("2006-01-02"))
		}
		out = append(out, widgets.Line{Styled: st.Dim.Render(msg), Plain: msg, Dim: true})
	}
	for _, b := range mk.Derived.Boards {
		main := c.F(i18n.DashMain, widgets.SignedYi(b.MainNet))
		lead := ""
		if b.Leader != "" {
			lead = c.F(i18n.DashLead, b.Leader)
		}
		breadth := fmt.Sprintf("↑%d ↓%d", b.Up, b.Down)
		lim := ""
		if b.LimitUp > 0 {
			lim = c.F(i18n.DashLimitUps, b.LimitUp)
		}
		plain := []string{b.Name, widgets.SignedPct(b.ChangePct, 2), main, lead, breadth, lim}
		styled := []string{b.Name, st.Move(b.ChangePct).Render(plain[1]), st.Move(b.MainNet).Render(main), lead, st.Dim.Render(breadth), st.Up.Render(lim)}
		l := widgets.TableLine(cols, show, styled, plain)
		l.Key = b.Code
		out = append(out, l)
	}
	// Sector ETF flows: the configured ETFs and the watchlist's.
	for _, code := range mk.FlowETFs() {
		q, hasQ := mk.St.Quotes[code]
		_, hasF := mk.Whole.Flows[code]
		if !hasQ && !hasF {
			continue
		}
		name := q.Name
		if sym, ok := mk.Symbol(code); name == "" && ok {
			name = sym.Name
		}
		if name == "" {
			name = mk.Whole.Flows[code].Name
		}
		chg := model.Unknown
		if hasQ {
			chg = q.ChangePct()
		}
		today, five, _, tv, fv := etfflow.Summary(mk, code)
		plain := []string{name, widgets.SignedPct(chg, 2), sc.C.T(i18n.WordToday) + " " + today, sc.C.T(i18n.Flow5DShort) + " " + five, "ETF", code}
		styled := []string{name, st.Move(chg).Render(plain[1]), st.Move(tv).Render(plain[2]), st.Move(fv).Render(plain[3]), st.Dim.Render(plain[4]), st.Dim.Render(code)}
		l := widgets.TableLine(cols, show, styled, plain)
		l.Key = code
		out = append(out, l)
	}
	if len(out) == 0 {
		msg := c.T(i18n.DashNoBoardData)
		out = append(out, widgets.Line{Styled: st.Dim.Render(msg), Plain: msg, Dim: true})
	}
	return out
}

// streakGap describes the newest known quarter against the previous known
// one when the quarter just before it is a gap ("2026Q4: +14.93% vs
// 2026Q1, 2 quarters not found"); "" when there is no gap.
func streakGap(l i18n.Lang, rows []model.QuarterRow, at model.Quarter) string {
	for i, r := range rows {
		if r.Quarter != at || !r.Known {
			continue
		}
		if i+1 >= len(rows) || rows[i+1].Known {
			return ""
		}
		for j := i + 1; j < len(rows); j++ {
			if p := rows[j]; p.Known && p.C.Price > 0 {
				return i18n.DashStreakGap.F(l, at, widgets.SignedPct((r.C.Price/p.C.Price-1)*100, 2), p.Quarter, j-i-1)
			}
		}
		return i18n.DashStreakNoPrev.F(l, at)
	}
	return ""
}

// estimateLine is the contract panel's estimate of the next quarter: the
// figure with its leave-one-out band, labelled an estimate; or why there
// is none. The contract view (enter on a quarter) shows its working.
func estimateLine(c common.Common, e model.ContractEstimate) widgets.Line {
	st := c.Styles
	q := e.Target.String()
	if !e.OK {
		why, _, _ := strings.Cut(e.Reason, " (")
		if c.Zh() {
			why = c.T(i18n.DashEstNoFit) // the model gives its reason in English only
		}
		plain := c.F(i18n.DashEstNone, q, why)
		return widgets.Line{Styled: st.Dim.Render(plain), Plain: plain, Dim: true}
	}
	fig := widgets.Thousands(e.Estimate, 0)
	band := " ±" + widgets.Thousands(e.RMSE, 0)
	tail := c.F(i18n.DashEstTail, e.From, e.Days)
	return widgets.Line{Styled: q + " " + st.Bold.Render("~"+fig) + band + st.Dim.Render(tail), Plain: q + " ~" + fig + band + tail}
}
