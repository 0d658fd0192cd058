package dashboard

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/widgets"
)

func (sc *Screen) panelTitle(p Panel, w int) string {
	mk := sc.C.Market
	narrow := w < 60
	switch p {
	case Elements:
		return "Elements 元/吨"
	case Index:
		spec := mk.Index
		if narrow {
			return fmt.Sprintf("RE index %s@%s", strconv.FormatFloat(spec.Base, 'f', -1, 64), spec.BaseDate.Format("2006-01-02"))
		}
		return fmt.Sprintf("RE index (local, base %s @ %s)", strconv.FormatFloat(spec.Base, 'f', -1, 64), spec.BaseDate.Format("2006-01-02"))
	case Watch:
		return "Watchlist"
	case Contract:
		if narrow {
			return "Contract 包钢→北方 REO50"
		}
		return "Contract 包钢→北方 (REO 50%, ex-VAT)"
	case Margin:
		return "Margin financing (亿元)"
	case Sector:
		return "Sector moves"
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
	}
	return nil
}

func (sc *Screen) elementLines(w int) []widgets.Line {
	st, mk := sc.C.Styles, sc.C.Market
	cols := []widgets.Col{widgets.NewCol(10, false, 0, false), widgets.NewCol(9, true, 0, false), widgets.NewCol(6, true, 1, false), widgets.NewCol(10, true, 2, false), widgets.NewCol(14, false, 3, true)}
	show := widgets.PickCols(cols, w)
	var out []widgets.Line
	for _, r := range mk.Derived.Elements {
		name := model.ElementName(r.ID)
		if !r.Has {
			out = append(out, widgets.Line{Styled: st.Dim.Render(widgets.Fit(name, 10) + " no price cached"), Plain: widgets.Fit(name, 10) + " no price cached", Dim: true, Key: string(r.ID)})
			continue
		}
		p := widgets.Thousands(r.Last.Price, 0)
		day := widgets.SignedPct(r.DayPct, 1)
		yoy := widgets.SignedPct(r.YoYPct, 1) + " y/y"
		if !model.Known(r.YoYPct) {
			yoy = widgets.Dash + " y/y"
		}
		src := fmt.Sprintf("%s %s", r.Last.Date.In(model.CST).Format("01-02"), r.Last.Source)
		plain := []string{name, p, day, yoy, src}
		styled := []string{name, p, st.Move(r.DayPct).Render(day), st.Move(r.YoYPct).Render(yoy), st.Dim.Render(src)}
		stale := mk.RefTime().Sub(r.Last.Date) > 8*24*time.Hour
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
	st, mk := sc.C.Styles, sc.C.Market
	d := mk.Derived
	if len(d.IndexPts) == 0 {
		msg := "no element prices cached yet"
		if len(d.Index.Missing) > 0 {
			msg = "waiting for prices of the basket"
		}
		return []widgets.Line{{Styled: st.Dim.Render(msg), Plain: msg, Dim: true}}
	}
	last := d.Index.Points[len(d.Index.Points)-1]
	head := fmt.Sprintf("%s  %s d/d  %s ytd  %s", widgets.Thousands(last.Value, 2), widgets.SignedPct(d.IndexDay, 2), widgets.SignedPct(d.IndexYTD, 1), last.Date.In(model.CST).Format("2006-01-02"))
	styled := fmt.Sprintf("%s  %s d/d  %s ytd  %s", st.Bold.Render(widgets.Thousands(last.Value, 2)), st.Move(d.IndexDay).Render(widgets.SignedPct(d.IndexDay, 2)), st.Move(d.IndexYTD).Render(widgets.SignedPct(d.IndexYTD, 1)), st.Dim.Render(last.Date.In(model.CST).Format("2006-01-02")))
	out := []widgets.Line{{Styled: styled, Plain: head}}
	if len(d.Index.Missing) > 0 {
		var names []string
		for _, id := range d.Index.Missing {
			names = append(names, model.ElementName(id))
		}
		note := "partial: no price for " + strings.Join(names, ", ")
		out = append(out, widgets.Line{Styled: st.Dim.Render(note), Plain: note, Dim: true})
	}
	ch := h - len(out)
	for _, l := range strings.Split(widgets.LineChart(st, d.IndexTs, widgets.YFormat{Dec: 0}, w, ch, d.IndexPts), "\n") {
		out = append(out, widgets.Line{Styled: l, Plain: l})
	}
	return out
}

func (sc *Screen) watchLines(w int) []widgets.Line {
	st, mk := sc.C.Styles, sc.C.Market
	cols := []widgets.Col{widgets.NewCol(6, false, 0, false), widgets.NewCol(8, false, 0, false), widgets.NewCol(8, true, 0, false), widgets.NewCol(7, true, 0, false), widgets.NewCol(8, true, 2, false), widgets.NewCol(8, true, 3, false), widgets.NewCol(8, true, 4, false), widgets.NewCol(5, false, 5, true)}
	show := widgets.PickCols(cols, w)
	var out []widgets.Line
	for _, s := range mk.Watch {
		q, ok := mk.St.Quotes[s.Code]
		name := s.Name
		if ok && q.Name != "" {
			name = q.Name
		}
		if !ok {
			state := "loading"
			if model.SummarizeHealth(mk.Health, mk.Now).QuotesDown || sc.C.Offline {
				state = "no quote"
			}
			plain := []string{s.Code, name, widgets.Dash, widgets.Dash, "", "", "", ""}
			styled := []string{s.Code, name, st.Dim.Render(state), "", "", "", "", ""}
			l := widgets.TableLine(cols, show, styled, plain)
			l.Key, l.Dim = s.Code, true
			out = append(out, l)
			continue
		}
		chg := q.ChangePct()
		pe := widgets.Dash
		if model.Known(q.PE) {
			pe = "PE " + strconv.FormatFloat(q.PE, 'f', 1, 64)
		}
		mkt := s.Market.String()
		if s.IsETF() {
			mkt = "ETF"
		}
		plain := []string{s.Code, name, widgets.Price(q.Last), widgets.SignedPct(chg, 2), widgets.Yi(q.Amount), widgets.SignedYi(q.MainNet), pe, mkt}
		mv := st.Move(chg)
		stale := mk.QuoteStale(s.Code)
		styled := []string{s.Code, name, mv.Render(widgets.Price(q.Last)), mv.Render(widgets.SignedPct(chg, 2)), widgets.Yi(q.Amount), st.Move(q.MainNet).Render(widgets.SignedYi(q.MainNet)), pe, st.Dim.Render(mkt)}
		if stale {
			for i := range styled {
				styled[i] = st.Dim.Render(plain[i])
			}
		}
		l := widgets.TableLine(cols, show, styled, plain)
		l.Key, l.Dim = s.Code, stale
		out = append(out, l)
	}
	if len(out) == 0 {
		msg := "the watchlist is empty: add symbols in the config"
		out = append(out, widgets.Line{Styled: st.Dim.Render(msg), Plain: msg, Dim: true})
	}
	return out
}

func (sc *Screen) contractLines(w int) []widgets.Line {
	st, mk := sc.C.Styles, sc.C.Market
	cols := []widgets.Col{widgets.NewCol(6, false, 0, false), widgets.NewCol(8, true, 0, false), widgets.NewCol(8, true, 1, false), widgets.NewCol(13, false, 2, false), widgets.NewCol(20, false, 3, true)}
	show := widgets.PickCols(cols, w)
	var out []widgets.Line
	if len(mk.Derived.Contract) > 0 {
		head := fmt.Sprintf("%s: %d consecutive increases", mk.Derived.StreakAt, mk.Derived.Streak)
		if !mk.Derived.Contract[0].Known {
			head = fmt.Sprintf("as of %s: %d consecutive increases", mk.Derived.StreakAt, mk.Derived.Streak)
		}
		out = append(out, widgets.Line{Styled: st.Bold.Render(head), Plain: head})
	}
	for _, r := range mk.Derived.Contract {
		q := r.Quarter.String()
		if !r.Known {
			what, style := "not published", st.Dim
			switch {
			case r.Overdue:
				what, style = "overdue "+r.Due.Format("01-02"), st.Warn
			case r.Pending:
				what = "due by " + r.Due.Format("01-02")
			}
			plain := []string{q, widgets.Dash, "", what, ""}
			styled := []string{st.Dim.Render(q), st.Dim.Render(widgets.Dash), "", style.Render(what), ""}
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
		src := r.C.Source
		plain := []string{q, widgets.Thousands(r.C.Price, 0), qoq, step, src}
		styled := []string{q, st.Bold.Render(widgets.Thousands(r.C.Price, 0)), st.Move(r.QoQ).Render(qoq), step, st.Dim.Render(src)}
		l := widgets.TableLine(cols, show, styled, plain)
		l.Key = q
		out = append(out, l)
	}
	if len(out) == 0 {
		msg := "no contract quarters cached"
		out = append(out, widgets.Line{Styled: st.Dim.Render(msg), Plain: msg, Dim: true})
	}
	return out
}

func (sc *Screen) marginLines(w int) []widgets.Line {
	st, mk := sc.C.Styles, sc.C.Market
	var out []widgets.Line
	s := mk.Derived.Sector
	if s.Names > 0 {
		head := fmt.Sprintf("Σ %d names bal %s", s.Names, widgets.YiPlain(s.Total))
		styledHead := fmt.Sprintf("Σ %d names bal %s", s.Names, st.Bold.Render(widgets.YiPlain(s.Total)))
		if s.Start > 0 {
			g := (s.Total/s.Start - 1) * 100
			tail := fmt.Sprintf("  ytd %s  >10%%: %d  >20%%: %d", widgets.SignedPct(g, 1), s.Over10, s.Over20)
			head += tail
			styledHead += st.Move(g).Render(tail)
		}
		out = append(out, widgets.Line{Styled: styledHead, Plain: head})
	}
	cols := []widgets.Col{widgets.NewCol(6, false, 0, false), widgets.NewCol(8, false, 0, false), widgets.NewCol(7, true, 0, false), widgets.NewCol(6, true, 1, false), widgets.NewCol(6, true, 0, false), widgets.NewCol(6, true, 2, false), widgets.NewCol(5, true, 3, false)}
	show := widgets.PickCols(cols, w)
	hdr := widgets.Row(cols, show, []string{"code", "name", "balance", "buy", "net", "%float", "date"})
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
		msg := "no margin data cached yet"
		out = append(out, widgets.Line{Styled: st.Dim.Render(msg), Plain: msg, Dim: true})
	}
	return out
}

func (sc *Screen) sectorLines(w int) []widgets.Line {
	st, mk := sc.C.Styles, sc.C.Market
	cols := []widgets.Col{widgets.NewCol(8, false, 0, false), widgets.NewCol(7, true, 0, false), widgets.NewCol(14, true, 1, false), widgets.NewCol(14, false, 2, false), widgets.NewCol(9, false, 3, false), widgets.NewCol(7, false, 4, true)}
	show := widgets.PickCols(cols, w)
	var out []widgets.Line
	for _, b := range mk.Derived.Boards {
		main := "main " + widgets.SignedYi(b.MainNet)
		lead := ""
		if b.Leader != "" {
			lead = "lead " + b.Leader
		}
		breadth := fmt.Sprintf("↑%d ↓%d", b.Up, b.Down)
		lim := ""
		if b.LimitUp > 0 {
			lim = fmt.Sprintf("涨停 %d", b.LimitUp)
		}
		plain := []string{b.Name, widgets.SignedPct(b.ChangePct, 2), main, lead, breadth, lim}
		styled := []string{b.Name, st.Move(b.ChangePct).Render(plain[1]), st.Move(b.MainNet).Render(main), lead, st.Dim.Render(breadth), st.Up.Render(lim)}
		l := widgets.TableLine(cols, show, styled, plain)
		l.Key = b.Code
		out = append(out, l)
	}
	// Sector ETF flows: every ETF on the watchlist.
	for _, s := range mk.Watch {
		if !s.IsETF() {
			continue
		}
		q, ok := mk.St.Quotes[s.Code]
		if !ok {
			continue
		}
		name := q.Name
		if name == "" {
			name = s.Name
		}
		flow := "flow " + widgets.SignedYi(q.MainNet)
		plain := []string{name, widgets.SignedPct(q.ChangePct(), 2), flow, "ETF " + s.Code, "", ""}
		styled := []string{name, st.Move(q.ChangePct()).Render(plain[1]), st.Move(q.MainNet).Render(flow), st.Dim.Render(plain[3]), "", ""}
		l := widgets.TableLine(cols, show, styled, plain)
		l.Key = s.Code
		out = append(out, l)
	}
	if len(out) == 0 {
		msg := "no board data cached yet"
		out = append(out, widgets.Line{Styled: st.Dim.Render(msg), Plain: msg, Dim: true})
	}
	return out
}
