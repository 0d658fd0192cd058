package bus

import "github.com/rareterm/rareterm/model"

// What arrives from a collector is not trusted: a collector on another
// machine may be anyone's. Every string a screen may draw is sanitised
// again (model.Sanitize: no escape sequences, no control characters).

var san = model.Sanitize

func cleanQuotes(qs []model.Quote) {
	for i := range qs {
		q := &qs[i]
		q.Symbol, q.Name, q.Source = san(q.Symbol), san(q.Name), san(q.Source)
	}
}

func cleanBars(bs []model.Bar) {
	for i := range bs {
		bs[i].Symbol, bs[i].Source = san(bs[i].Symbol), san(bs[i].Source)
		bs[i].Interval = model.Interval(san(string(bs[i].Interval)))
	}
}

func cleanMargin(ms []model.MarginDay) {
	for i := range ms {
		m := &ms[i]
		m.Symbol, m.Name, m.Source = san(m.Symbol), san(m.Name), san(m.Source)
	}
}

func cleanBoards(bs []model.BoardMove) {
	for i := range bs {
		b := &bs[i]
		b.Code, b.Name, b.Leader, b.LeaderCode, b.Source = san(b.Code), san(b.Name), san(b.Leader), san(b.LeaderCode), san(b.Source)
	}
}

func cleanElements(es []model.ElementPrice) {
	for i := range es {
		e := &es[i]
		e.Element, e.Source, e.OrigUnit = model.ElementID(san(string(e.Element))), san(e.Source), san(e.OrigUnit)
	}
}

func cleanContract(cs []model.ContractQuarter) {
	for i := range cs {
		cs[i].Source, cs[i].Note = san(cs[i].Source), san(cs[i].Note)
	}
}

func cleanNotice(n *model.Notice) {
	n.ID, n.Title, n.Category, n.Link, n.Source = san(n.ID), san(n.Title), san(n.Category), san(n.Link), san(n.Source)
	for i := range n.Codes {
		n.Codes[i] = san(n.Codes[i])
	}
}

func cleanNotices(ns []model.Notice) {
	for i := range ns {
		cleanNotice(&ns[i])
	}
}

func cleanConcentrates(cs []model.ConcentrateNotice) {
	for i := range cs {
		cleanNotice(&cs[i].Notice)
		cs[i].Reason, cs[i].Text = san(cs[i].Reason), model.SanitizeLines(cs[i].Text)
	}
}

func cleanSymbols(ss []model.Symbol) {
	for i := range ss {
		ss[i].Code, ss[i].Name, ss[i].NameEn = san(ss[i].Code), san(ss[i].Name), san(ss[i].NameEn)
	}
}

func cleanHealth(hs []model.FeedHealth) {
	for i := range hs {
		h := &hs[i]
		h.Feed, h.Kind, h.LastErr, h.Detail = san(h.Feed), san(h.Kind), san(h.LastErr), san(h.Detail)
	}
}

func cleanDetail(d *model.Detail) {
	d.Symbol = san(d.Symbol)
	if d.Book != nil {
		d.Book.Symbol, d.Book.Source = san(d.Book.Symbol), san(d.Book.Source)
	}
	cleanSessions(d.Sessions)
	if d.Flow != nil {
		cleanFlowToday(d.Flow)
	}
	cleanFlowDays(d.FlowDays)
}

func cleanSessions(ss []model.Session) {
	for i := range ss {
		ss[i].Symbol, ss[i].Source = san(ss[i].Symbol), san(ss[i].Source)
	}
}

func cleanFlowToday(f *model.FlowToday) { f.Symbol, f.Source = san(f.Symbol), san(f.Source) }

func cleanFlowDays(fs []model.FlowDay) {
	for i := range fs {
		fs[i].Symbol, fs[i].Source = san(fs[i].Symbol), san(fs[i].Source)
	}
}

// cleanBatch sanitises a batch from the bus in place.
func cleanBatch(b *model.Batch) {
	cleanQuotes(b.Quotes)
	cleanBars(b.Bars)
	cleanMargin(b.Margin)
	cleanBoards(b.Boards)
	if len(b.Members) > 0 {
		m := make(map[string][]model.Quote, len(b.Members))
		for code, qs := range b.Members {
			cleanQuotes(qs)
			m[san(code)] = qs
		}
		b.Members = m
	}
	cleanElements(b.Elements)
	cleanContract(b.Contract)
	cleanSymbols(b.Symbols)
	cleanNotices(b.Notices)
	cleanConcentrates(b.Concentrates)
	for i := range b.Alerts {
		a := &b.Alerts[i]
		a.Rule, a.Title, a.Body = san(a.Rule), san(a.Title), san(a.Body)
		a.TitleZh, a.BodyZh = san(a.TitleZh), san(a.BodyZh)
		a.Command, a.Webhook = nil, "" // never from the wire
	}
	for i := range b.Detail {
		cleanDetail(&b.Detail[i])
	}
	cleanHealth(b.Health)
}

// cleanSnapshot sanitises a snapshot from the bus (through its batch form
// where it holds the same values).
func cleanSnapshot(sn *model.Snapshot) {
	quotes := make(map[string]model.Quote, len(sn.Quotes))
	for k, q := range sn.Quotes {
		qs := []model.Quote{q}
		cleanQuotes(qs)
		quotes[san(k)] = qs[0]
	}
	sn.Quotes = quotes
	daily := make(map[string][]model.Bar, len(sn.Daily))
	for k, bs := range sn.Daily {
		cleanBars(bs)
		daily[san(k)] = bs
	}
	sn.Daily = daily
	elems := make(map[model.ElementID]model.Series, len(sn.Elements))
	for k, ser := range sn.Elements {
		cleanElements(ser)
		elems[model.ElementID(san(string(k)))] = ser
	}
	sn.Elements = elems
	cleanContract(sn.Contract)
	cleanConcentrates(sn.Concentrates)
	for _, mm := range []*map[string][]model.MarginDay{&sn.Margin, &sn.Sector} {
		out := make(map[string][]model.MarginDay, len(*mm))
		for k, ms := range *mm {
			cleanMargin(ms)
			out[san(k)] = ms
		}
		*mm = out
	}
	boards := make(map[string]model.BoardMove, len(sn.Boards))
	for k, b := range sn.Boards {
		bs := []model.BoardMove{b}
		cleanBoards(bs)
		boards[san(k)] = bs[0]
	}
	sn.Boards = boards
	members := make(map[string][]model.Quote, len(sn.Members))
	for k, qs := range sn.Members {
		cleanQuotes(qs)
		members[san(k)] = qs
	}
	sn.Members = members
	syms := make(map[string]model.Symbol, len(sn.Symbols))
	for k, sym := range sn.Symbols {
		ss := []model.Symbol{sym}
		cleanSymbols(ss)
		syms[san(k)] = ss[0]
	}
	sn.Symbols = syms
}
