package board

import (
	"strings"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/widgets"
)

// DetailSymbol is the board: while its view is on top the poller fetches
// its session's minutes and its fund flow.
func (s *Screen) DetailSymbol() (model.Symbol, bool) {
	return model.Symbol{Code: s.code, Market: model.MarketBoard}, true
}

// detailLines is the board's session chart (分时 of its level) with
// today's net inflow by order size beside it (or under it when narrow),
// once the feed has brought them; nothing when the screen is too short.
func (s *Screen) detailLines(w, h int) []string {
	st := s.C.Styles
	d := s.C.Market.Detail[s.code]
	if d == nil || h < 24 || (len(d.Sessions) == 0 && d.Flow == nil) {
		return nil
	}
	var split []string
	if d.Flow != nil && len(d.Flow.Ticks) > 0 {
		split = append([]string{st.Bold.Render(s.C.T(i18n.NetInflowToday))}, widgets.FlowBars(st, d.Flow.Ticks[len(d.Flow.Ticks)-1].Flow, s.C.Lang, 32)...)
	}
	side := 0
	if w >= 110 && len(split) > 0 {
		side = 32
	}
	cw := w
	if side > 0 {
		cw = w - side - 2
	}
	var chart []string
	if len(d.Sessions) > 0 {
		ss := model.LastSessions(d.Sessions, 1)
		ch := min(14, max(8, h/3))
		chart = strings.Split(widgets.SessionChart(st, widgets.SessionSpec{Frame: model.SessionFrame(model.ExchangeA), Sessions: ss, Dec: 2, Lang: s.C.Lang}, cw, ch), "\n")
	}
	var out []string
	if side == 0 {
		return append(chart, split...)
	}
	for i := 0; i < max(len(chart), len(split)); i++ {
		l, r := "", ""
		if i < len(chart) {
			l = chart[i]
		}
		if i < len(split) {
			r = split[i]
		}
		out = append(out, widgets.Fit(l, cw)+"  "+r)
	}
	return out
}
