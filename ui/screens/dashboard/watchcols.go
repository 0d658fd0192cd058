package dashboard

import (
	"strconv"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/screens/ticker"
	"github.com/rareterm/rareterm/ui/widgets"
)

// WatchColumn is one column the watchlist can show: its config id, its
// header (a message of the catalogue), its width and how it drops out on a
// narrow panel (higher prio drops first).
type WatchColumn struct {
	ID        string
	Head      i18n.Text
	W         int
	Right     bool
	Prio      int
	value     func(l i18n.Lang, s model.Symbol, q model.Quote) string
	moves     bool // drawn in the up/down colour of the day's change
	flowColor bool // drawn in the colour of its own sign
}

// WatchColumns are the columns, by id.
var WatchColumns = []WatchColumn{
	{ID: "code", Head: i18n.WordCode, W: 6, value: func(_ i18n.Lang, s model.Symbol, _ model.Quote) string { return s.Code }},
	{ID: "name", Head: i18n.WordName, W: 8},
	{ID: "last", Head: i18n.WordLast, W: 8, Right: true, moves: true, value: func(_ i18n.Lang, _ model.Symbol, q model.Quote) string { return widgets.Price(q.Last) }},
	{ID: "chg", Head: i18n.WordChgPct, W: 7, Right: true, moves: true, value: func(_ i18n.Lang, _ model.Symbol, q model.Quote) string { return widgets.SignedPct(q.ChangePct(), 2) }},
	{ID: "amount", Head: i18n.WordAmount, W: 8, Right: true, Prio: 2, value: func(_ i18n.Lang, _ model.Symbol, q model.Quote) string { return widgets.Yi(q.Amount) }},
	{ID: "main", Head: i18n.ColMainNet, W: 8, Right: true, Prio: 3, flowColor: true, value: func(_ i18n.Lang, _ model.Symbol, q model.Quote) string { return widgets.SignedYi(q.MainNet) }},
	{ID: "pe", Head: i18n.ColPE, W: 8, Right: true, Prio: 4, value: func(l i18n.Lang, _ model.Symbol, q model.Quote) string {
		if !model.Known(q.PE) {
			return widgets.Dash
		}
		return i18n.DashPEValue.F(l, strconv.FormatFloat(q.PE, 'f', 1, 64))
	}},
	{ID: "market", Head: i18n.ColMarket, W: 5, Prio: 5, value: func(l i18n.Lang, s model.Symbol, _ model.Quote) string { return ticker.Listing(l, s) }},
	{ID: "turnover", Head: i18n.ColTurnover, W: 6, Right: true, Prio: 4, value: func(_ i18n.Lang, _ model.Symbol, q model.Quote) string { return widgets.Pct(q.TurnoverPct) }},
	{ID: "mcap", Head: i18n.ColMktCap, W: 8, Right: true, Prio: 4, value: func(_ i18n.Lang, _ model.Symbol, q model.Quote) string { return widgets.Yi(q.MarketCap) }},
	{ID: "open", Head: i18n.ColOpen, W: 8, Right: true, Prio: 4, value: func(_ i18n.Lang, _ model.Symbol, q model.Quote) string { return widgets.Price(q.Open) }},
	{ID: "high", Head: i18n.ColHigh, W: 8, Right: true, Prio: 4, value: func(_ i18n.Lang, _ model.Symbol, q model.Quote) string { return widgets.Price(q.High) }},
	{ID: "low", Head: i18n.ColLow, W: 8, Right: true, Prio: 4, value: func(_ i18n.Lang, _ model.Symbol, q model.Quote) string { return widgets.Price(q.Low) }},
	{ID: "prev", Head: i18n.ColPrev, W: 8, Right: true, Prio: 4, value: func(_ i18n.Lang, _ model.Symbol, q model.Quote) string { return widgets.Price(q.PrevClose) }},
}

// DefaultWatchColumns are the columns shown when the config names none.
var DefaultWatchColumns = []string{"code", "name", "last", "chg", "amount", "main", "pe", "market"}

// WatchColumnIDs lists the column ids, for the config's error message.
func WatchColumnIDs() []string {
	out := make([]string, len(WatchColumns))
	for i, c := range WatchColumns {
		out[i] = c.ID
	}
	return out
}

// LookupWatchColumn finds a column by id.
func LookupWatchColumn(id string) (WatchColumn, bool) {
	for _, c := range WatchColumns {
		if c.ID == id {
			return c, true
		}
	}
	return WatchColumn{}, false
}

// watchColumns are the columns in use, in order.
func (sc *Screen) watchColumns() []WatchColumn {
	ids := sc.C.Market.Whole.WatchCols
	if len(ids) == 0 {
		ids = DefaultWatchColumns
	}
	var out []WatchColumn
	for _, id := range ids {
		if c, ok := LookupWatchColumn(id); ok {
			out = append(out, c)
		}
	}
	return out
}

// watchLayout picks the columns for inner width w: names at their full
// display width when every column of prio ≤ 1 still fits, else cut to 8
// cells; the column after the name (or the last) takes what is left over.
// A column is never narrower than its header in l.
func watchLayout(l i18n.Lang, cols []WatchColumn, nameW, w int) []widgets.Col {
	build := func(nw int) []widgets.Col {
		out := make([]widgets.Col, len(cols))
		for i, c := range cols {
			width := max(c.W, widgets.Width(c.Head.In(l)))
			if c.ID == "name" {
				width = nw
			}
			out[i] = widgets.NewCol(width, c.Right, c.Prio, i == len(cols)-1)
		}
		return out
	}
	full := build(max(nameW, 8))
	need, n := 0, 0
	for _, c := range full {
		if c.Prio <= 1 {
			need += c.W
			n++
		}
	}
	if need+max(n-1, 0) > w {
		return build(8)
	}
	return full
}
