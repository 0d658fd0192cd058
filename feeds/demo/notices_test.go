package demo

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/feeds/eastmoney"
	"github.com/rareterm/rareterm/model"
)

func TestDemoAnnouncesTheQuarterOnce(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, model.CST)
	clock := now
	m := New(1, WithClock(func() time.Time { return clock }))
	ns, err := m.Notices(context.Background(), model.ContractIssuers, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if _, ok := eastmoney.ConcentrateQuarter(n.Title); ok {
			t.Fatalf("announced before its delay: %+v", n)
		}
	}
	clock = now.Add(NoticeDelay)
	ns, _ = m.Notices(context.Background(), model.ContractIssuers, time.Time{}, time.Time{})
	var found *model.Notice
	for i, n := range ns {
		if q, ok := eastmoney.ConcentrateQuarter(n.Title); ok && q == (model.Quarter{Year: 2026, Q: 4}) {
			found = &ns[i]
		}
	}
	if found == nil {
		t.Fatalf("no 2026Q4 notice among %d", len(ns))
	}
	c, ok, err := m.Concentrate(context.Background(), *found)
	if err != nil || !ok || !c.Parsed {
		t.Fatalf("Concentrate: %v %v %+v", ok, err, c)
	}
	// The text reads back, through the parser the live feed uses, to the
	// same figures.
	back := eastmoney.ParseConcentrate(*found, c.Text)
	if !back.Parsed || back.Price != c.Price || back.Step != c.Step || back.BasisREO != 50 {
		t.Errorf("the demo text parses to %+v, want %v / %v", back, c.Price, c.Step)
	}
	if c.Price < 15000 || c.Price > 60000 || !strings.Contains(c.Notice.Title, "模拟") {
		t.Errorf("implausible demo notice %+v", c)
	}
	// Routine notices: the first trading day of each month, per code.
	var routine int
	for _, n := range ns {
		if strings.Contains(n.Title, "经营情况") {
			routine++
		}
	}
	if routine < 6 {
		t.Errorf("%d routine notices over six months for two codes", routine)
	}
}

// The notices poll asks for the current quarter's contract price every few
// seconds: once the previous quarter is over the price is kept, the same as
// worked out afresh, and asking again copies no history.
func TestContractPriceIsKeptOnceItsQuarterIsPriced(t *testing.T) {
	now := time.Date(2026, 8, 20, 10, 0, 0, 0, model.CST)
	q := model.QuarterOf(now)
	m := New(1, fixed(now))
	first, ok := m.ContractPrice(context.Background(), q)
	if !ok {
		t.Fatal("no price for the current quarter")
	}
	fresh, _ := New(1, fixed(now)).ContractPrice(context.Background(), q)
	again, _ := m.ContractPrice(context.Background(), q)
	if first != fresh || again != fresh {
		t.Fatalf("prices %v, again %v, fresh %v", first, again, fresh)
	}
	if allocs := testing.AllocsPerRun(5, func() { m.ContractPrice(context.Background(), q) }); allocs > 0 {
		t.Errorf("asking again allocates %v times: the history is grouped again", allocs)
	}
	// A quarter the history cannot price (before it starts) is not worked
	// out again either.
	old := model.Quarter{Year: 2020, Q: 1}
	if _, ok := m.ContractPrice(context.Background(), old); ok {
		t.Fatalf("a price for %v, before the simulated history", old)
	}
	if allocs := testing.AllocsPerRun(5, func() { m.ContractPrice(context.Background(), old) }); allocs > 0 {
		t.Errorf("asking again for %v allocates %v times", old, allocs)
	}
	delete(m.cprices, old)
	// The next quarter is priced from this one, not yet over: not kept.
	if _, ok := m.ContractPrice(context.Background(), q.Next()); ok {
		if len(m.cprices) != 1 {
			t.Errorf("kept %v, want only %v", m.cprices, q)
		}
	}
}

// The margin series worked out for a request are not kept between the
// hourly requests, and working them out again gives the same days.
func TestMarginSeriesAreNotKeptBetweenRequests(t *testing.T) {
	now := time.Date(2026, 8, 20, 10, 0, 0, 0, model.CST)
	m := New(1, fixed(now))
	first, err := m.Margin(context.Background(), model.Symbol{Code: "600111", Market: model.MarketSSE}, 60)
	if err != nil || len(first) != 60 {
		t.Fatalf("%d days, %v", len(first), err)
	}
	sector, err := m.SectorMargin(context.Background(), nil)
	if err != nil || len(sector) == 0 {
		t.Fatalf("sector: %d days, %v", len(sector), err)
	}
	if len(m.margins) != 0 {
		t.Errorf("%d margin series kept after the requests, want none", len(m.margins))
	}
	again, _ := m.Margin(context.Background(), model.Symbol{Code: "600111", Market: model.MarketSSE}, 60)
	if !reflect.DeepEqual(first, again) {
		t.Error("the margin days differ when worked out again")
	}
}
