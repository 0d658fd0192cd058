package model

import (
	"math"
	"strings"
	"testing"
	"time"
)

// The fixture: contract quarters from 2024Q2, each priced on the quarter
// before, whose PrNd oxide averages 40, 42, 44 … 万元/吨 (five days at the
// same price per quarter), plus 52 万元/吨 in the quarter after the last.
var (
	fixtureX = []float64{40, 42, 44, 46, 48, 50, 52}
	fixtureY = []float64{18000, 18600, 19000, 19800, 20100, 20900}
)

func estimateFixture(n int) ([]ContractQuarter, Series) {
	var cs []ContractQuarter
	var s Series
	q := Quarter{2024, 2}
	for i := 0; i <= n; i++ {
		from := q.Prev()
		for d := 0; d < 5; d++ {
			s = append(s, ElementPrice{Element: PrNdOxide, Date: from.Start().AddDate(0, 0, 7*d), Price: fixtureX[i] * 1e4, Source: "100ppi"})
		}
		if i < n {
			cs = append(cs, ContractQuarter{Quarter: q, Price: fixtureY[i], BasisREO: 50, Source: "reference"})
		}
		q = q.Next()
	}
	return cs, s
}

// The fit on five quarters, by hand: x̄ = 44, ȳ = 19,100, Sxx = 40,
// Sxy = 10,800, so b = 270 元/吨 per 万元/吨 and a = 19,100 − 270×44 = 7,220.
func TestOLSFiveQuarters(t *testing.T) {
	var xs [][]float64
	for _, x := range fixtureX[:5] {
		xs = append(xs, []float64{x})
	}
	c, ok := ols(xs, fixtureY[:5])
	if !ok {
		t.Fatal("no fit")
	}
	assertNear(t, "intercept", c[0], 7220, 1e-6)
	assertNear(t, "slope", c[1], 270, 1e-9)
	// Two regressors, exactly y = 1000 + 300·x1 + 2·x2.
	xs2 := [][]float64{{40, 100}, {42, 300}, {45, 200}, {50, 500}, {48, 50}}
	var ys []float64
	for _, x := range xs2 {
		ys = append(ys, 1000+300*x[0]+2*x[1])
	}
	c, ok = ols(xs2, ys)
	if !ok {
		t.Fatal("no fit with two regressors")
	}
	assertNear(t, "b0", c[0], 1000, 1e-6)
	assertNear(t, "b1", c[1], 300, 1e-8)
	assertNear(t, "b2", c[2], 2, 1e-9)
	// A regressor that never moves cannot be fitted.
	if _, ok := ols([][]float64{{5}, {5}, {5}}, []float64{1, 2, 3}); ok {
		t.Error("constant regressor fitted")
	}
}

func TestEstimateInsufficientHistory(t *testing.T) {
	cs, s := estimateFixture(5)
	e := EstimateContract(cs, map[ElementID]Series{PrNdOxide: s}, Quarter{2025, 3}, EstimateSpec{})
	if e.OK || e.Estimate != 0 || !strings.Contains(e.Reason, "5 paired quarters, 6 needed") {
		t.Fatalf("estimate %+v", e)
	}
	// A quarter whose previous quarter has no prices is not paired.
	cs = append([]ContractQuarter{{Quarter: Quarter{2023, 1}, Price: 35313}}, cs...)
	if e := EstimateContract(cs, map[ElementID]Series{PrNdOxide: s}, Quarter{2025, 3}, EstimateSpec{}); e.OK || len(e.Pairs) != 5 {
		t.Fatalf("unpaired quarter counted: %+v", e)
	}
}

// Six quarters, by hand: x̄ = 45, ȳ = 19,400, Sxx = 70, Sxy = 19,800:
// b = 282.857…, a = 6,671.43. Leaving out the last quarter gives the
// five-quarter fit (7,220 + 270x): at x = 50, 20,720 against 20,900, an
// error of −180. Leaving out the first: x̄ = 46, ȳ = 19,680, Sxx = 40,
// Sxy = 11,400, b = 285, a = 6,570: at x = 40, 17,970 against 18,000, −30.
func TestEstimateBacktest(t *testing.T) {
	cs, s := estimateFixture(6)
	prices := map[ElementID]Series{PrNdOxide: s}
	e := EstimateContract(cs, prices, Quarter{2025, 4}, EstimateSpec{})
	if !e.OK {
		t.Fatalf("no estimate: %s", e.Reason)
	}
	assertNear(t, "slope", e.Coef[1], 19800.0/70, 1e-9)
	assertNear(t, "intercept", e.Coef[0], 19400-19800.0/70*45, 1e-6)
	if len(e.Backtest) != 6 || e.Source != "100ppi" {
		t.Fatalf("backtest %+v source %q", e.Backtest, e.Source)
	}
	first, last := e.Backtest[0], e.Backtest[5]
	assertNear(t, "first LOO estimate", first.Estimate, 17970, 1e-6)
	assertNear(t, "first LOO error", first.Err, -30, 1e-6)
	assertNear(t, "first LOO error %", first.ErrPct, -30.0/18000*100, 1e-9)
	assertNear(t, "last LOO estimate", last.Estimate, 20720, 1e-6)
	assertNear(t, "last LOO error", last.Err, -180, 1e-6)
	var sq, ap float64
	for _, r := range e.Backtest {
		if !near(r.Err, r.Estimate-r.Actual, 1e-9) {
			t.Errorf("%s: err %g ≠ estimate − actual", r.Quarter, r.Err)
		}
		sq += r.Err * r.Err
		ap += math.Abs(r.ErrPct)
	}
	assertNear(t, "RMSE", e.RMSE, math.Sqrt(sq/6), 1e-9)
	assertNear(t, "MAPE", e.MAPE, ap/6, 1e-9)
	// 2025Q4 from 2025Q3's 52 万元/吨: 6,671.43 + 282.857×52 = 21,380.
	assertNear(t, "estimate", e.Estimate, 21380, 1e-6)
	assertNear(t, "band low", e.Low, 21380-e.RMSE, 1e-6)
	if e.Days != 5 || e.From != (Quarter{2025, 3}) {
		t.Errorf("from %s days %d", e.From, e.Days)
	}
	// A basis other than 50% is restated at 50% before the fit.
	cs51 := append([]ContractQuarter(nil), cs...)
	cs51[0].Price, cs51[0].BasisREO = 18000*51.0/50, 51
	e51 := EstimateContract(cs51, prices, Quarter{2025, 4}, EstimateSpec{})
	assertNear(t, "estimate at REO 51 history", e51.Estimate, 21380, 1e-6)
}

func TestEstimateSourceMismatchAndNoPricesYet(t *testing.T) {
	cs, s := estimateFixture(6)
	for i := range s[len(s)-5:] {
		s[len(s)-5+i].Source = "manual"
	}
	e := EstimateContract(cs, map[ElementID]Series{PrNdOxide: s}, Quarter{2025, 4}, EstimateSpec{})
	if e.OK || !strings.Contains(e.Reason, "2025Q3 prices come from manual, the fit's from 100ppi") {
		t.Fatalf("estimate %+v", e)
	}
	cs, s = estimateFixture(6)
	e = EstimateContract(cs, map[ElementID]Series{PrNdOxide: s[:len(s)-3]}, Quarter{2025, 4}, EstimateSpec{})
	if e.OK || !strings.Contains(e.Reason, "2 days of PrNd oxide prices in 2025Q3, 5 needed") {
		t.Fatalf("estimate %+v", e)
	}
}

func TestEstimateTarget(t *testing.T) {
	cs, _ := estimateFixture(6) // last known 2025Q3
	if q := EstimateTarget(cs, time.Date(2025, 8, 1, 0, 0, 0, 0, CST)); q != (Quarter{2025, 4}) {
		t.Errorf("known current quarter: target %s", q)
	}
	if q := EstimateTarget(cs, time.Date(2025, 10, 5, 0, 0, 0, 0, CST)); q != (Quarter{2025, 4}) {
		t.Errorf("current quarter not yet announced: target %s", q)
	}
}

// BenchmarkEstimateContract: the estimate as the screen recomputes it when
// prices arrive, on three years of daily prices and twelve quarters.
func BenchmarkEstimateContract(b *testing.B) {
	var s Series
	for d := Date(2023, 1, 2); d.Before(Date(2026, 1, 1)); d = d.AddDate(0, 0, 1) {
		s = append(s, ElementPrice{Element: PrNdOxide, Date: d, Price: 400000 + float64(d.YearDay())*500, Source: "100ppi"})
	}
	var cs []ContractQuarter
	for q := (Quarter{2023, 2}); q.Index() <= (Quarter{2025, 4}).Index(); q = q.Next() {
		cs = append(cs, ContractQuarter{Quarter: q, Price: 18000 + float64(q.Index()%7)*300, BasisREO: 50})
	}
	prices := map[ElementID]Series{PrNdOxide: s}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if e := EstimateContract(cs, prices, Quarter{2026, 1}, EstimateSpec{}); !e.OK {
			b.Fatal(e.Reason)
		}
	}
}

// With La oxide as a second regressor, on prices that follow
// price = 1,000 + 300·PrNd + 2,000·La exactly, the fit finds the
// coefficients, every back-test error is nil and the estimate exact.
func TestEstimateWithLa(t *testing.T) {
	prnd := []float64{40, 42, 45, 50, 48, 55, 60, 58}
	la := []float64{0.40, 0.38, 0.45, 0.41, 0.50, 0.39, 0.44, 0.42}
	prices := map[ElementID]Series{}
	var cs []ContractQuarter
	q := Quarter{2024, 1}
	for i := range prnd {
		for d := 0; d < 5; d++ {
			day := q.Start().AddDate(0, 0, 7*d)
			prices[PrNdOxide] = append(prices[PrNdOxide], ElementPrice{Element: PrNdOxide, Date: day, Price: prnd[i] * 1e4, Source: "100ppi"})
			prices[LaOxide] = append(prices[LaOxide], ElementPrice{Element: LaOxide, Date: day, Price: la[i] * 1e4, Source: "100ppi"})
		}
		if i < len(prnd)-1 {
			cs = append(cs, ContractQuarter{Quarter: q.Next(), Price: 1000 + 300*prnd[i] + 2000*la[i], BasisREO: 50})
		}
		q = q.Next()
	}
	e := EstimateContract(cs, prices, q, EstimateSpec{WithLa: true})
	if !e.OK || len(e.Coef) != 3 || len(e.Backtest) != 7 {
		t.Fatalf("estimate %+v", e)
	}
	assertNear(t, "b0", e.Coef[0], 1000, 1e-5)
	assertNear(t, "b PrNd", e.Coef[1], 300, 1e-7)
	assertNear(t, "b La", e.Coef[2], 2000, 1e-4)
	assertNear(t, "RMSE", e.RMSE, 0, 1e-5)
	assertNear(t, "estimate", e.Estimate, 1000+300*58+2000*0.42, 1e-5)
	// Without La the same history fits worse: the back-test says so.
	if e1 := EstimateContract(cs, prices, q, EstimateSpec{}); !e1.OK || e1.RMSE < 10 {
		t.Errorf("PrNd alone: %+v", e1)
	}
}
