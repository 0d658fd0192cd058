package ticker

import (
	"strings"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/notices"
	"github.com/rareterm/rareterm/ui/widgets"
)

// tab is one tab of the ticker view: its names and what it draws under
// the header (w×h cells, as lines; the view scrolls what does not fit).
// A new tab is one more entry in tabList.
type tab struct {
	name, zh string
	chart    bool // it shows the range chart: range keys, the crosshair
	notices  bool // enter opens the announcements
	lines    func(s *Screen, w, h int) []string
}

var tabList = []tab{
	{name: "Chart", zh: "行情", chart: true, lines: (*Screen).chartTab},
	{name: "Order book", zh: "五档", lines: (*Screen).bookTab},
	{name: "Fund flow", zh: "资金流向", lines: (*Screen).flowTab},
	{name: "公告", zh: "公告", notices: true, lines: (*Screen).noticeTab},
}

// maxNotices is how many announcements the ticker reads for its 公告 tab.
const maxNotices = 50

// noticeTab lists the latest announcements, newest first; enter (or n)
// opens them in the announcements view, where enter reads one.
func (s *Screen) noticeTab(w, h int) []string {
	st := s.C.Styles
	if len(s.notices) == 0 {
		return []string{st.Dim.Render(widgets.Fit(notices.NoneCached(s.C.Lang, s.code, s.C.Offline), w))}
	}
	out := []string{st.Dim.Render(widgets.Fit("newest first · enter: the list, and read a notice", w))}
	for _, n := range s.notices {
		if len(out) >= h {
			break
		}
		out = append(out, widgets.Fit(n.Date.Format("2006-01-02")+"  "+n.Title, w))
	}
	return out
}

func (s *Screen) tabs() []tab { return tabList }

// tabBar draws the tab names with the current one highlighted.
func (s *Screen) tabBar() string {
	st := s.C.Styles
	var parts []string
	for i, t := range s.tabs() {
		name := t.name
		if s.C.Zh() {
			name = t.zh
		}
		if i == s.tab {
			parts = append(parts, st.Selected.Render(" "+name+" "))
		} else {
			parts = append(parts, " "+name+" ")
		}
	}
	return strings.Join(parts, st.Dim.Render("│"))
}

// detail is what is known of the security in detail: the cache's
// sessions and flows, with what the feeds brought since on top.
func (s *Screen) detail() common.DetailData {
	d := common.DetailData{}
	d.Merge(model.Detail{Sessions: s.cached.Sessions, Flow: s.cached.Flow, FlowDays: s.cached.FlowDays})
	if live := s.C.Market.Detail[s.code]; live != nil {
		d.Merge(model.Detail{Book: live.Book, Sessions: live.Sessions, Flow: live.Flow, FlowDays: live.FlowDays})
	}
	return d
}

// bookTab is the order book on its own, with today's split by order size.
func (s *Screen) bookTab(w, h int) []string {
	sym, _ := s.DetailSymbol()
	d := s.detail()
	bw := min(w, 40)
	out := s.book(d, model.PriceDecimals(sym), bw)
	out = append(out, "")
	out = append(out, s.splitLines(d, bw)...)
	return out
}

// splitLines is today's net inflow by order size.
func (s *Screen) splitLines(d common.DetailData, w int) []string {
	st := s.C.Styles
	head := "Today's net inflow by order size"
	if s.C.Zh() {
		head = "今日资金流向"
	}
	if w < 40 {
		head = "Net inflow today"
		if s.C.Zh() {
			head = "今日资金"
		}
	}
	out := []string{st.Bold.Render(head)}
	if d.Flow == nil || len(d.Flow.Ticks) == 0 {
		msg := "no fund flow today yet"
		if sym, _ := s.DetailSymbol(); sym.Market == model.MarketHKEX {
			msg = "not published for HK shares"
		}
		return append(out, st.Dim.Render(msg))
	}
	last := d.Flow.Ticks[len(d.Flow.Ticks)-1]
	return append(out, widgets.FlowBars(st, last.Flow, s.C.Zh(), w)...)
}

// flowTab is fund flow by order size: today's main-force line over the
// session, today's split, and the daily table over 5, 10 and 20 sessions.
func (s *Screen) flowTab(w, h int) []string {
	st := s.C.Styles
	sym, _ := s.DetailSymbol()
	d := s.detail()
	var out []string
	head := "Main-force net inflow today (cumulative)"
	if s.C.Zh() {
		head = "今日主力净流入 (累计)"
	}
	out = append(out, st.Bold.Render(head))
	var ticks []model.FlowTick
	if d.Flow != nil {
		ticks = d.Flow.Ticks
	}
	lh := max(6, h*35/100)
	out = append(out, strings.Split(widgets.FlowLine(st, model.SessionFrame(model.ExchangeOf(sym.Market)), ticks, w, lh), "\n")...)
	out = append(out, "")
	out = append(out, s.splitLines(d, min(w, 60))...)
	out = append(out, "", st.Bold.Render(map[bool]string{false: "Daily net inflow by order size", true: "每日资金流向"}[s.C.Zh()]))
	out = append(out, widgets.FlowTable(st, d.FlowDays, s.C.Zh(), w, max(h-len(out), 8))...)
	return out
}

// book is the order book, or why there is none: it is live only, never
// kept for an offline review, and a board has none.
func (s *Screen) book(d common.DetailData, dec, w int) []string {
	st := s.C.Styles
	if d.Book == nil && s.C.Offline {
		msg := "order book: live only, not kept for review"
		if s.C.Zh() {
			msg = "五档: 仅实时行情"
		}
		return []string{st.Bold.Render(map[bool]string{false: "Order book", true: "五档"}[s.C.Zh()]), st.Dim.Render(widgets.Cut(msg, w))}
	}
	return widgets.OrderBook(st, d.Book, dec, s.C.Zh(), w)
}
