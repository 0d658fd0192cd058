package demo

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

// The simulated detail of a security keeps the invariants of the real
// feeds: a book with ask 1 above bid 1 inside the limit prices and 外盘 +
// 内盘 = the day's volume; five sessions, today's so far with minutes
// adding up to the quote's volume; fund flow whose four sizes net to zero
// with main = super-large + large.
func TestDetailInvariants(t *testing.T) {
	now := time.Date(2026, 1, 9, 14, 0, 0, 0, model.CST) // the demo day runs over the calendar day: 58% traded
	m := New(7, fixed(now))
	ctx := context.Background()
	for _, code := range []string{"600111", "06680", "516150"} {
		sym, _ := model.ParseSymbol(code)
		q, err := m.Quotes(ctx, []model.Symbol{sym})
		if err != nil || len(q) != 1 {
			t.Fatal(err)
		}
		b, err := m.Book(ctx, sym)
		if err != nil {
			t.Fatal(err)
		}
		if !(b.Asks[0].Price > b.Bids[0].Price) || b.Bids[0].Price != q[0].Last {
			t.Errorf("%s: ask1 %v bid1 %v last %v", code, b.Asks[0].Price, b.Bids[0].Price, q[0].Last)
		}
		for i := 1; i < 5; i++ {
			if model.Known(b.Asks[i].Price) && !(b.Asks[i].Price > b.Asks[i-1].Price) {
				t.Errorf("%s: asks out of order %+v", code, b.Asks)
			}
		}
		if sym.Market != model.MarketHKEX {
			if !(b.LimitDown < b.Bids[4].Price && b.Asks[0].Price <= b.LimitUp) {
				t.Errorf("%s: book outside the limits %v–%v", code, b.LimitDown, b.LimitUp)
			}
			if b.Outer+b.Inner != math.Round(q[0].Volume/100) {
				t.Errorf("%s: outer %v + inner %v ≠ %v lots", code, b.Outer, b.Inner, q[0].Volume/100)
			}
		}
		ss, err := m.Sessions(ctx, sym, 5)
		if err != nil || len(ss) != 5 {
			t.Fatalf("%s: %d sessions, %v", code, len(ss), err)
		}
		today := ss[4]
		if !today.Day.Equal(model.Day(now)) || today.PrevClose != q[0].PrevClose {
			t.Errorf("%s: today %v prev %v, quote prev %v", code, today.Day, today.PrevClose, q[0].PrevClose)
		}
		vol := 0.0
		for _, tk := range today.Ticks {
			vol += tk.Volume
		}
		if vol != q[0].Volume {
			t.Errorf("%s: minutes add to %v, the quote says %v", code, vol, q[0].Volume)
		}
		f := model.SessionFrame(model.ExchangeOf(sym.Market))
		for _, s := range ss {
			for _, tk := range s.Ticks {
				if _, ok := f.Slot(tk.Time); !ok {
					t.Fatalf("%s: minute %v off the session frame", code, tk.Time)
				}
			}
			if s.PrevClose <= 0 {
				t.Fatalf("%s: no previous close on %v", code, s.Day)
			}
		}
		for i := 1; i < 5; i++ {
			prev := ss[i-1].Ticks
			if ss[i].PrevClose != prev[len(prev)-1].Close {
				t.Errorf("%s: %v's previous close %v, the day before closed %v", code, ss[i].Day, ss[i].PrevClose, prev[len(prev)-1].Close)
			}
		}
		if sym.Market == model.MarketHKEX {
			continue
		}
		ft, err := m.FlowToday(ctx, sym)
		if err != nil || len(ft.Ticks) == 0 {
			t.Fatal(err)
		}
		fd, err := m.FlowDays(ctx, sym, 20)
		if err != nil || len(fd) != 20 || !fd[19].Date.Before(model.Day(now)) {
			t.Fatalf("%s: %d flow days, %v", code, len(fd), err)
		}
		for _, fl := range append([]model.Flow{ft.Ticks[len(ft.Ticks)-1].Flow}, fd[0].Flow, fd[19].Flow) {
			if fl.Main != fl.Super+fl.Large || fl.Main+fl.Medium+fl.Small != 0 {
				t.Errorf("%s: flow %+v does not net to zero", code, fl)
			}
		}
	}
}

// The same seed and clock give the same detail.
func TestDetailDeterministic(t *testing.T) {
	now := time.Date(2026, 1, 9, 11, 0, 0, 0, model.CST)
	sym := model.Symbol{Code: "600111", Market: model.MarketSSE}
	a, _ := New(3, fixed(now)).Book(context.Background(), sym)
	b, _ := New(3, fixed(now)).Book(context.Background(), sym)
	if a != b {
		t.Fatalf("%+v\n%+v", a, b)
	}
}

// A board's detail: its level minute by minute ending at its live level,
// and its members' fund flow scaled up, still netting to zero.
func TestBoardDetail(t *testing.T) {
	now := time.Date(2026, 1, 9, 14, 0, 0, 0, model.CST)
	m := New(7, fixed(now))
	ctx := context.Background()
	sym := model.Symbol{Code: "BK0578", Market: model.MarketBoard}
	ss, err := m.Sessions(ctx, sym, 5)
	if err != nil || len(ss) != 1 || len(ss[0].Ticks) == 0 {
		t.Fatalf("%v %+v", err, ss)
	}
	bm, _ := m.Boards(ctx, []string{"BK0578"})
	last := ss[0].Ticks[len(ss[0].Ticks)-1]
	if last.Close != bm[0].Level {
		t.Errorf("last minute %v, live level %v", last.Close, bm[0].Level)
	}
	ft, err := m.FlowToday(ctx, sym)
	if err != nil || len(ft.Ticks) != len(ss[0].Ticks) {
		t.Fatalf("%v: %d flow minutes for %d level minutes", err, len(ft.Ticks), len(ss[0].Ticks))
	}
	fd, err := m.FlowDays(ctx, sym, 10)
	if err != nil || len(fd) != 10 {
		t.Fatalf("%v %d", err, len(fd))
	}
	for _, f := range []model.Flow{ft.Ticks[len(ft.Ticks)-1].Flow, fd[9].Flow} {
		if f.Main != f.Super+f.Large || f.Main+f.Medium+f.Small != 0 {
			t.Errorf("board flow %+v", f)
		}
	}
	if _, err := m.Book(ctx, sym); err == nil {
		t.Error("a board has no order book")
	}
}
