package model

import (
	"math"
	"sort"
	"time"

	"github.com/rareterm/rareterm/i18n"
)

// The concentrate contract price of each quarter is set in its first ten
// days from the previous quarter's oxide prices; the formula is unpublished
// (REFERENCE.md §4: lanthanum oxide, PrNd oxide and a processing term). The
// estimate here is an ordinary least-squares fit, over the cached history,
// of each quarter's price (元/吨 at REO 50%) on the previous quarter's
// average PrNd oxide price (万元/吨) — and, optionally, La oxide's — with a
// band from the leave-one-out back-test.

// MinEstimatePairs is the fewest paired quarters the estimate is made from.
const MinEstimatePairs = 6

// minQuarterDays is the fewest priced days a quarter's average needs.
const minQuarterDays = 5

// EstimateBasis is the REO grade the estimate is stated at.
const EstimateBasis = 50.0

// EstimateSpec chooses the regressors.
type EstimateSpec struct {
	WithLa bool // add La oxide's average as a second regressor
}

// QuarterAvg is a product's average price over a quarter.
type QuarterAvg struct {
	Quarter Quarter
	Avg     float64 // 万元/吨
	Days    int
	Source  string // the source most of the days came from
}

// BacktestRow is one past quarter of the leave-one-out back-test: its
// price estimated by a fit on every other paired quarter.
type BacktestRow struct {
	Quarter  Quarter
	X        []float64 // the regressors (万元/吨): PrNd oxide [, La oxide] of the quarter before
	Actual   float64   // 元/吨 at REO 50%
	Estimate float64
	Err      float64 // Estimate − Actual
	ErrPct   float64 // Err / Actual × 100
}

// ContractEstimate is the fit and its estimate for the target quarter, or
// the reason there is none (OK false).
type ContractEstimate struct {
	OK     bool
	Reason string // why there is no estimate (in English; Why says it in either language)
	why    *i18n.Error

	Spec     EstimateSpec
	Coef     []float64 // intercept (元/吨), then 元/吨 per 万元/吨 of each regressor
	Pairs    []Quarter // the quarters the fit used, oldest first
	Source   string    // the price source the fit's regressors came from
	Backtest []BacktestRow
	RMSE     float64 // root mean square of the back-test errors, 元/吨
	MAPE     float64 // mean absolute back-test error, %

	Target   Quarter   // the quarter estimated
	From     Quarter   // the quarter whose prices feed it (Target.Prev())
	X        []float64 // its regressors so far
	Days     int       // priced days of From so far
	Estimate float64   // 元/吨 at REO 50%
	Low      float64   // Estimate − RMSE
	High     float64   // Estimate + RMSE
}

// QuarterAverage averages a series over the quarter q: the plain mean of
// the prices dated in it, in 万元/吨.
func QuarterAverage(s Series, q Quarter) QuarterAvg {
	start, end := q.Start(), q.Next().Start()
	i := sort.Search(len(s), func(i int) bool { return !s[i].Date.Before(start) })
	sum, n := 0.0, 0
	count := map[string]int{}
	for ; i < len(s) && s[i].Date.Before(end); i++ {
		if !Known(s[i].Price) || s[i].Price <= 0 {
			continue
		}
		sum += s[i].Price
		n++
		count[s[i].Source]++
	}
	a := QuarterAvg{Quarter: q, Days: n, Source: majority(count)}
	if n > 0 {
		a.Avg = sum / float64(n) / 1e4
	}
	return a
}

func majority(count map[string]int) string {
	best, bn := "", -1
	for s, n := range count {
		if n > bn || (n == bn && s < best) {
			best, bn = s, n
		}
	}
	return best
}

// EstimateTarget is the quarter an estimate is for at now: the current
// quarter while its price is unknown, else the next one.
func EstimateTarget(cs []ContractQuarter, now time.Time) Quarter {
	cur := QuarterOf(now)
	if _, ok := findQuarter(cs, cur); ok {
		return cur.Next()
	}
	return cur
}

// EstimateContract fits the model on every quarter with a known price whose
// previous quarter has prices, and estimates target from target.Prev()'s
// prices so far.
func EstimateContract(cs []ContractQuarter, prices map[ElementID]Series, target Quarter, spec EstimateSpec) ContractEstimate {
	e := ContractEstimate{Spec: spec, Target: target, From: target.Prev()}
	ids := []ElementID{PrNdOxide}
	if spec.WithLa {
		ids = append(ids, LaOxide)
	}
	s := append([]ContractQuarter(nil), cs...)
	SortQuarters(s)
	var ys []float64
	var xs [][]float64
	srcCount := map[string]int{}
	for _, c := range s {
		if c.Quarter.Index() >= target.Index() || !(c.Price > 0) {
			continue
		}
		x, src, ok := regressors(prices, ids, c.Quarter.Prev())
		if !ok {
			continue
		}
		ys = append(ys, c.Price*EstimateBasis/c.Basis())
		xs = append(xs, x)
		e.Pairs = append(e.Pairs, c.Quarter)
		srcCount[src]++
	}
	e.Source = majority(srcCount)
	if len(ys) < MinEstimatePairs {
		return e.fail(i18n.EstWhyPairs, len(ys), MinEstimatePairs, regressorNames(ids))
	}
	coef, ok := ols(xs, ys)
	if !ok {
		return e.fail(i18n.EstWhyFlat)
	}
	e.Coef = coef
	// Leave-one-out back-test.
	var sq, ap float64
	for i := range ys {
		xo := append(append([][]float64(nil), xs[:i]...), xs[i+1:]...)
		yo := append(append([]float64(nil), ys[:i]...), ys[i+1:]...)
		c, ok := ols(xo, yo)
		if !ok {
			return e.fail(i18n.EstWhyLeave, e.Pairs[i].String())
		}
		est := predict(c, xs[i])
		r := BacktestRow{Quarter: e.Pairs[i], X: xs[i], Actual: ys[i], Estimate: est, Err: est - ys[i]}
		r.ErrPct = r.Err / ys[i] * 100
		e.Backtest = append(e.Backtest, r)
		sq += r.Err * r.Err
		ap += math.Abs(r.ErrPct)
	}
	n := float64(len(ys))
	e.RMSE, e.MAPE = math.Sqrt(sq/n), ap/n
	// The target, from its previous quarter's prices so far.
	x, src, ok := regressors(prices, ids, e.From)
	e.Days = QuarterAverage(prices[PrNdOxide], e.From).Days
	if !ok {
		return e.fail(i18n.EstWhyDays, e.Days, regressorNames(ids), e.From.String(), minQuarterDays)
	}
	if src != e.Source {
		return e.fail(i18n.EstWhySource, e.From.String(), Sanitize(src), Sanitize(e.Source))
	}
	e.X = x
	e.Estimate = predict(coef, x)
	e.Low, e.High = e.Estimate-e.RMSE, e.Estimate+e.RMSE
	e.OK = true
	return e
}

// regressorNames names the regressors: PrNd oxide, and La oxide with it.
func regressorNames(ids []ElementID) i18n.Text {
	if len(ids) > 1 {
		return i18n.EstNamesBoth
	}
	return i18n.EstNamesPrNd
}

// fail is the estimate with the reason there is none.
func (e ContractEstimate) fail(t i18n.Text, args ...any) ContractEstimate {
	e.why = i18n.Errorf(t, args...)
	e.Reason = e.why.Error()
	return e
}

// Why is the reason there is no estimate, in l.
func (e ContractEstimate) Why(l i18n.Lang) string {
	if e.why == nil {
		return e.Reason
	}
	return e.why.In(l)
}

// regressors returns the quarter averages of ids over q, the source of the
// first, and whether each has enough days.
func regressors(prices map[ElementID]Series, ids []ElementID, q Quarter) ([]float64, string, bool) {
	var x []float64
	src := ""
	for i, id := range ids {
		a := QuarterAverage(prices[id], q)
		if a.Days < minQuarterDays {
			return nil, "", false
		}
		if i == 0 {
			src = a.Source
		}
		x = append(x, a.Avg)
	}
	return x, src, true
}

func predict(coef, x []float64) float64 {
	v := coef[0]
	for i, xi := range x {
		v += coef[i+1] * xi
	}
	return v
}

// ols fits y = b0 + b·x by least squares (normal equations, solved by
// Gaussian elimination with partial pivoting). False when the system is
// singular or has no more observations than coefficients.
func ols(xs [][]float64, ys []float64) ([]float64, bool) {
	if len(xs) == 0 {
		return nil, false
	}
	k := len(xs[0]) + 1
	if len(ys) <= k {
		return nil, false
	}
	a := make([][]float64, k)
	for i := range a {
		a[i] = make([]float64, k+1)
	}
	row := make([]float64, k)
	for n, x := range xs {
		row[0] = 1
		copy(row[1:], x)
		for i := 0; i < k; i++ {
			for j := 0; j < k; j++ {
				a[i][j] += row[i] * row[j]
			}
			a[i][k] += row[i] * ys[n]
		}
	}
	for c := 0; c < k; c++ {
		p := c
		for r := c + 1; r < k; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-9*math.Max(1, math.Abs(a[0][0])) {
			return nil, false
		}
		a[c], a[p] = a[p], a[c]
		for r := 0; r < k; r++ {
			if r == c {
				continue
			}
			f := a[r][c] / a[c][c]
			for j := c; j <= k; j++ {
				a[r][j] -= f * a[c][j]
			}
		}
	}
	out := make([]float64, k)
	for i := range out {
		out[i] = a[i][k] / a[i][i]
		if !Known(out[i]) {
			return nil, false
		}
	}
	return out, true
}
