package ticker

import (
	"strings"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/notices"
	"github.com/rareterm/rareterm/ui/widgets"
)

// tab is one tab of the ticker view: its names and what it draws under
// the header (w×h cells, as lines; the view scrolls what does not fit).
// A new tab is one more entry in tabList.
type tab struct {
	name    i18n.Text
	chart   bool // it shows the range chart: range keys, the crosshair
	notices bool // enter opens the announcements
	lines   func(s *Screen, w, h int) []string
}

var tabList = []tab{
	{name: i18n.TickerTabChart, chart: true, lines: (*Screen).chartTab},
	{name: i18n.TickerTabBook, lines: (*Screen).bookTab},
	{name: i18n.TickerTabFlow, lines: (*Screen).flowTab},
	{name: i18n.NoticesTitle, notices: true, lines: (*Screen).noticeTab},
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
	out := []string{st.Dim.Render(widgets.Fit(s.C.T(i18n.TickerNoticesHint), w))}
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
		name := s.C.T(t.name)
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
	head := s.C.T(i18n.TickerSplitHead)
	if w < 40 {
		head = s.C.T(i18n.NetInflowToday)
	}
	out := []string{st.Bold.Render(head)}
	if d.Flow == nil || len(d.Flow.Ticks) == 0 {
		msg := s.C.T(i18n.FlowNoToday)
		if sym, _ := s.DetailSymbol(); sym.Market == model.MarketHKEX {
			msg = s.C.T(i18n.TickerNoFlowHK)
		}
		return append(out, st.Dim.Render(msg))
	}
	last := d.Flow.Ticks[len(d.Flow.Ticks)-1]
	return append(out, widgets.FlowBars(st, last.Flow, s.C.Lang, w)...)
}

// flowTab is fund flow by order size: today's main-force line over the
// session, today's split, and the daily table over 5, 10 and 20 sessions.
func (s *Screen) flowTab(w, h int) []string {
	st := s.C.Styles
	sym, _ := s.DetailSymbol()
	d := s.detail()
	var out []string
	out = append(out, st.Bold.Render(s.C.T(i18n.TickerMainFlowHead)))
	var ticks []model.FlowTick
	if d.Flow != nil {
		ticks = d.Flow.Ticks
	}
	lh := max(6, h*35/100)
	out = append(out, strings.Split(widgets.FlowLine(st, s.C.Lang, model.SessionFrame(model.ExchangeOf(sym.Market)), ticks, w, lh), "\n")...)
	out = append(out, "")
	out = append(out, s.splitLines(d, min(w, 60))...)
	out = append(out, "", st.Bold.Render(s.C.T(i18n.TickerDailyFlowHead)))
	out = append(out, widgets.FlowTable(st, d.FlowDays, s.C.Lang, w, max(h-len(out), 8))...)
	return out
}

// book is the order book, or why there is none: it is live only, never
// kept for an offline review, and a board has none.
func (s *Screen) book(d common.DetailData, dec, w int) []string {
	st := s.C.Styles
	if d.Book == nil && s.C.Offline {
		msg := s.C.T(i18n.TickerBookLiveOnly)
		return []string{st.Bold.Render(s.C.T(i18n.TickerTabBook)), st.Dim.Render(widgets.Cut(msg, w))}
	}
	return widgets.OrderBook(st, d.Book, dec, s.C.Lang, w)
}
