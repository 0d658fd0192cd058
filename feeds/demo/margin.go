package demo

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Margin financing: each eligible A-share's financing balance mean-reverts
// towards a target that follows the sector's trend and the stock's price;
// financing buys are a share of the day's turnover and repayments make up
// the difference. All amounts are whole yuan, so the identities hold
// exactly: FinNetBuy = FinBuy − FinRepay, FinBalance(t) = FinBalance(t−1) +
// FinNetBuy(t), Total = FinBalance + LendBalance. A board's days are the sum
// of its members' plus a "rest of the board" component that stands for the
// securities the demo does not list, scaled so the whole board's balance
// sits near its reference (稀土永磁 ≈ 313.53 亿, REFERENCE.md §5).

// marginSeries caches a stock's or a board's margin days (one per A-share
// trading day from the epoch).
type marginSeries struct {
	days    []model.MarginDay
	through int64
	bal     float64 // financing balance after the last day
	// for a board: the rest-of-board component's state
	restBal, restRatio float64
}

type marginIn struct {
	dn                      int64
	close, floatCap, amount float64
	rel                     float64 // close relative to its mean level
	ret                     float64 // the day's return
}

// marginStep computes one day's financing from the previous balance.
func marginStep(base uint64, ref float64, bal float64, in marginIn) (buy, repay, newBal, lend float64) {
	target := ref * math.Exp(marginTrend.at(in.dn)) * math.Pow(in.rel, 0.7)
	net := math.Round(0.06*(target-bal) + bal*(0.004*norm(hash(base, sMarginNet, in.dn, 0))+0.3*in.ret))
	if bal+net < 0.2*target {
		net = math.Round(0.2*target - bal)
	}
	buy = math.Round(in.amount * 0.085 * math.Exp(0.2*norm(hash(base, sMarginBuy, in.dn, 0))))
	if net > 0 && buy < net/0.85 {
		buy = math.Ceil(net / 0.85)
	}
	repay = buy - net
	newBal = bal + net
	lend = math.Round(newBal * 0.007 * math.Exp(0.3*norm(hash(base, sMarginLend, in.dn, 0))))
	return buy, repay, newBal, lend
}

func initBalance(base uint64, ref float64) float64 {
	return math.Round(ref * math.Exp(marginTrend.at(-1)+0.03*norm(hash(base, sInit, 1, 0))))
}

func marginDay(code, name string, day time.Time, buy, repay, bal, lend, floatCap float64) model.MarginDay {
	return model.MarginDay{
		Symbol: code, Name: name, Date: day,
		FinBalance: bal, FinBuy: buy, FinRepay: repay, FinNetBuy: buy - repay,
		LendBalance: lend, Total: bal + lend,
		BalancePct: bal / floatCap * 100, FloatCap: floatCap,
		Source: SourceName,
	}
}

// stockMargin returns in's margin days through day number upTo.
func (m *Market) stockMargin(in *instrument, upTo int64) *marginSeries {
	ms := m.margins[in.sym.Code]
	if ms == nil {
		ms = &marginSeries{through: -1, bal: initBalance(in.base, in.margin)}
		m.margins[in.sym.Code] = ms
	}
	if upTo <= ms.through {
		return ms
	}
	s := m.history(in, upTo)
	for i := len(ms.days); i < len(s.days); i++ {
		b := s.bar(i)
		dn := dayNum(b.Time)
		if dn > upTo {
			break
		}
		prev := s.prevClose(i)
		fc := b.Close * in.float
		buy, repay, bal, lend := marginStep(in.base, in.margin, ms.bal, marginIn{
			dn: dn, close: b.Close, floatCap: fc, amount: b.Amount,
			rel: b.Close / math.Exp(in.meanLog(dn)), ret: b.Close/prev - 1,
		})
		ms.days = append(ms.days, marginDay(in.sym.Code, in.sym.Name, b.Time, buy, repay, bal, lend, fc))
		ms.bal = bal
	}
	ms.through = upTo
	return ms
}

// boardMargin returns a board's margin days through day number upTo: the
// sum of its members' and the rest-of-board component's.
func (m *Market) boardMargin(b *board, upTo int64) *marginSeries {
	members := make([]*instrument, len(b.members))
	var refBal, refCap float64
	for i, c := range b.members {
		members[i] = m.byCode[c]
		refBal += members[i].margin
		refCap += members[i].float * members[i].ref
	}
	restRef := b.margin - refBal
	restCap := restRef / 0.035 // the rest's float cap at reference prices (3.5% financed)
	ms := m.margins[b.code]
	if ms == nil {
		var init float64
		for _, in := range members {
			init += in.float * m.initClose(in)
		}
		ms = &marginSeries{through: -1, restBal: initBalance(b.key, restRef), restRatio: init / refCap}
		m.margins[b.code] = ms
	}
	if upTo <= ms.through {
		return ms
	}
	series := make([]*marginSeries, len(members))
	for i, in := range members {
		series[i] = m.stockMargin(in, upTo)
	}
	for j := len(ms.days); j < len(series[0].days); j++ {
		day := series[0].days[j].Date
		dn := dayNum(day)
		if dn > upTo {
			break
		}
		var sum model.MarginDay
		var capNow, capMean, amount float64
		for i, in := range members {
			d := series[i].days[j]
			sum.FinBalance += d.FinBalance
			sum.FinBuy += d.FinBuy
			sum.FinRepay += d.FinRepay
			sum.LendBalance += d.LendBalance
			sum.FloatCap += d.FloatCap
			capNow += d.FloatCap
			capMean += in.float * math.Exp(in.meanLog(dn))
			amount += m.hist[in.sym.Code].days[j].amount
		}
		ratio := capNow / refCap
		fc := restCap * ratio
		buy, repay, bal, lend := marginStep(b.key, restRef, ms.restBal, marginIn{
			dn: dn, close: ratio, floatCap: fc, amount: amount / capNow * fc,
			rel: capNow / capMean, ret: ratio/ms.restRatio - 1,
		})
		ms.restBal, ms.restRatio = bal, ratio
		ms.days = append(ms.days, marginDay(b.code, b.name, day,
			sum.FinBuy+buy, sum.FinRepay+repay, sum.FinBalance+bal, sum.LendBalance+lend, sum.FloatCap+fc))
	}
	ms.through = upTo
	return ms
}

// window returns the last n days dated before today (all of them for n ≤ 0).
func window(days []model.MarginDay, today time.Time, n int) []model.MarginDay {
	end := sort.Search(len(days), func(i int) bool { return !days[i].Date.Before(today) })
	start := 0
	if n > 0 && end > n {
		start = end - n
	}
	if end == start {
		return nil
	}
	return append([]model.MarginDay(nil), days[start:end]...)
}

// dropMargins forgets the margin series worked out for a request. Margin
// is asked for about once an hour, and a series from the epoch for every
// stock and board held between the requests was the largest thing the
// dashboard kept (1.7 MB); it is made again from the daily bars in about a
// millisecond. Called with m.mu held.
func (m *Market) dropMargins() { clear(m.margins) }

// Margin returns the last `days` trading days of margin financing before
// today, oldest first (every day since the epoch for days ≤ 0), for an
// A-share or the ETF, or for a board (a BKnnnn code). Hong Kong shares have
// none: nil, nil.
func (m *Market) Margin(ctx context.Context, sym model.Symbol, days int) ([]model.MarginDay, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	today := model.Day(m.now())
	code := strings.ToUpper(strings.TrimSpace(sym.Code))
	m.mu.Lock()
	defer m.mu.Unlock()
	defer m.dropMargins()
	if b := m.byBoard[code]; b != nil {
		return window(m.boardMargin(b, dayNum(today)-1).days, today, days), nil
	}
	in := m.byCode[code]
	if in == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownSymbol, sym.Code)
	}
	if in.margin == 0 {
		return nil, nil
	}
	return window(m.stockMargin(in, dayNum(today)-1).days, today, days), nil
}

// SectorMargin returns each requested board's latest margin day (the last
// trading day before today), in the order asked; unknown boards are left
// out, and no codes means every demo board.
func (m *Market) SectorMargin(ctx context.Context, boards []string) ([]model.MarginDay, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	today := model.Day(m.now())
	if len(boards) == 0 {
		for _, b := range boardTable {
			boards = append(boards, b.code)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	defer m.dropMargins()
	var out []model.MarginDay
	for _, c := range boards {
		b := m.byBoard[strings.ToUpper(strings.TrimSpace(c))]
		if b == nil {
			continue
		}
		out = append(out, window(m.boardMargin(b, dayNum(today)-1).days, today, 1)...)
	}
	return out, nil
}
