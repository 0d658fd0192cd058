package dashboard

import (
	"strconv"
	"time"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/screens/contract"
	"github.com/rareterm/rareterm/ui/screens/index"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Export gives the focused panel's data for :export.
func (s *Screen) Export() (string, [][]string) {
	mk := s.C.Market
	f, day := widgets.CSVNum, widgets.CSVDay
	switch s.focus {
	case Elements:
		rows := [][]string{{"element", "date", "price_yuan_per_t", "source"}}
		for _, r := range mk.Derived.Elements {
			if r.Has {
				rows = append(rows, []string{string(r.ID), day(r.Last.Date), f(r.Last.Price), r.Last.Source})
			}
		}
		return "elements", rows
	case Contract:
		return "contract", contract.Rows(mk.St.Contract)
	case Margin:
		rows := [][]string{{"code", "date", "fin_balance", "fin_buy", "fin_repay", "fin_net_buy", "lend_balance", "total", "balance_pct_float", "source"}}
		for _, r := range mk.Derived.Margin {
			if r.Has {
				d := r.Last
				rows = append(rows, []string{r.Sym.Code, day(d.Date), f(d.FinBalance), f(d.FinBuy), f(d.FinRepay), f(d.FinNetBuy), f(d.LendBalance), f(d.Total), f(d.BalancePct), d.Source})
			}
		}
		return "margin", rows
	case Sector:
		rows := [][]string{{"board", "name", "change_pct", "main_net", "up", "down", "leader", "source"}}
		for _, b := range mk.Derived.Boards {
			rows = append(rows, []string{b.Code, b.Name, f(b.ChangePct), f(b.MainNet), strconv.Itoa(b.Up), strconv.Itoa(b.Down), b.Leader, b.Source})
		}
		return "boards", rows
	case Index:
		return "index", index.Rows(mk)
	}
	rows := [][]string{{"code", "name", "last", "prev_close", "change_pct", "amount", "main_net", "time", "source"}}
	for _, sym := range mk.Watch {
		if q, ok := mk.St.Quotes[sym.Code]; ok {
			rows = append(rows, []string{sym.Code, q.Name, f(q.Last), f(q.PrevClose), f(q.ChangePct()), f(q.Amount), f(q.MainNet), q.Time.In(model.CST).Format(time.RFC3339), q.Source})
		}
	}
	return "watchlist", rows
}
