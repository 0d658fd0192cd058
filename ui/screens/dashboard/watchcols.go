package dashboard

import (
	"strconv"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/widgets"
)

// WatchColumn is one column the watchlist can show: its config id, its
// header (English and Chinese, for the message catalogue), its width and
// how it drops out on a narrow panel (higher prio drops first).
type WatchColumn struct {
	ID        string
	Head      string
	HeadZh    string
	W         int
	Right     bool
	Prio      int
	value     func(s model.Symbol, q model.Quote) string
	moves     bool // drawn in the up/down colour of the day's change
	flowColor bool // drawn in the colour of its own sign
}

// WatchColumns are the columns, by id.
var WatchColumns = []WatchColumn{
	{ID: "code", Head: "code", HeadZh: "代码", W: 6, value: func(s model.Symbol, _ model.Quote) string { return s.Code }},
	{ID: "name", Head: "name", HeadZh: "名称", W: 8},
	{ID: "last", Head: "last", HeadZh: "最新", W: 8, Right: true, moves: true, value: func(_ model.Symbol, q model.Quote) string { return widgets.Price(q.Last) }},
	{ID: "chg", Head: "chg%", HeadZh: "涨跌幅", W: 7, Right: true, moves: true, value: func(_ model.Symbol, q model.Quote) string { return widgets.SignedPct(q.ChangePct(), 2) }},
	{ID: "amount", Head: "amount", HeadZh: "成交额", W: 8, Right: true, Prio: 2, value: func(_ model.Symbol, q model.Quote) string { return widgets.Yi(q.Amount) }},
	{ID: "main", Head: "main net", HeadZh: "主力净流入", W: 8, Right: true, Prio: 3, flowColor: true, value: func(_ model.Symbol, q model.Quote) string { return widgets.SignedYi(q.MainNet) }},
	{ID: "pe", Head: "PE", HeadZh: "市盈率", W: 8, Right: true, Prio: 4, value: func(_ model.Symbol, q model.Quote) string {
		if !model.Known(q.PE) {
			return widgets.Dash
		}
		return "PE " + strconv.FormatFloat(q.PE, 'f', 1, 64)
	}},
	{ID: "market", Head: "mkt", HeadZh: "市场", W: 5, Prio: 5, value: func(s model.Symbol, _ model.Quote) string {
		if s.IsETF() {
			return "ETF"
		}
		return s.Market.String()
	}},
	{ID: "turnover", Head: "turn%", HeadZh: "换手率", W: 6, Right: true, Prio: 4, value: func(_ model.Symbol, q model.Quote) string { return widgets.Pct(q.TurnoverPct) }},
	{ID: "mcap", Head: "mkt cap", HeadZh: "总市值", W: 8, Right: true, Prio: 4, value: func(_ model.Symbol, q model.Quote) string { return widgets.Yi(q.MarketCap) }},
	{ID: "open", Head: "open", HeadZh: "今开", W: 8, Right: true, Prio: 4, value: func(_ model.Symbol, q model.Quote) string { return widgets.Price(q.Open) }},
	{ID: "high", Head: "high", HeadZh: "最高", W: 8, Right: true, Prio: 4, value: func(_ model.Symbol, q model.Quote) string { return widgets.Price(q.High) }},
	{ID: "low", Head: "low", HeadZh: "最低", W: 8, Right: true, Prio: 4, value: func(_ model.Symbol, q model.Quote) string { return widgets.Price(q.Low) }},
	{ID: "prev", Head: "prev", HeadZh: "昨收", W: 8, Right: true, Prio: 4, value: func(_ model.Symbol, q model.Quote) string { return widgets.Price(q.PrevClose) }},
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
func watchLayout(cols []WatchColumn, nameW, w int) []widgets.Col {
	build := func(nw int) []widgets.Col {
		out := make([]widgets.Col, len(cols))
		for i, c := range cols {
			width := c.W
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
