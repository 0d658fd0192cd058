package contract

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/widgets"
)

// estimateKey toggles between the quarters and the estimate with its
// back-test.
var estimateKey = key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "estimate & back-test"))

// EstimateKey is the binding that shows the estimate (for the help screen).
func EstimateKey() key.Binding { return estimateKey }

// renderEstimate is the estimate of the next quarter: the figure, its
// band, the model and its coefficients, what it is computed from, and the
// leave-one-out back-test of every paired quarter.
func (s *Screen) renderEstimate(w, h int) string {
	st := s.C.Styles
	e := s.C.Market.Derived.Estimate
	out := []string{
		st.Bold.Render(fmt.Sprintf("Estimate of the %s contract price", e.Target)) + st.Dim.Render("  an estimate, not a published price · e: back to the quarters"),
		st.Dim.Render("元/吨 at REO 50%, ex-VAT, dry weight. The formula is unpublished (it uses La oxide, PrNd oxide and a processing term):"),
		st.Dim.Render("this is a least-squares fit of each quarter's price on the previous quarter's average " + regressors(e.Spec) + " (万元/吨)."),
		"",
	}
	switch len(e.Coef) {
	case 2:
		out = append(out, fmt.Sprintf("model: price = %s + %s × PrNd oxide avg of the quarter before (万元/吨)",
			widgets.Thousands(e.Coef[0], 0), widgets.Thousands(e.Coef[1], 2)))
	case 3:
		out = append(out, fmt.Sprintf("model: price = %s + %s × PrNd oxide avg + %s × La oxide avg, of the quarter before (万元/吨)",
			widgets.Thousands(e.Coef[0], 0), widgets.Thousands(e.Coef[1], 2), widgets.Thousands(e.Coef[2], 2)))
	}
	if len(e.Pairs) > 0 {
		out = append(out, fmt.Sprintf("fit on %d quarters, %s–%s; prices from %s", len(e.Pairs), e.Pairs[0], e.Pairs[len(e.Pairs)-1], model.Sanitize(e.Source)))
	}
	if e.OK {
		out = append(out,
			fmt.Sprintf("%s: %s 元/吨  band ±%s (%s–%s), the back-test's root-mean-square error; mean abs error %.1f%%",
				e.Target, st.Bold.Render(widgets.Thousands(e.Estimate, 0)), widgets.Thousands(e.RMSE, 0),
				widgets.Thousands(e.Low, 0), widgets.Thousands(e.High, 0), e.MAPE),
			fmt.Sprintf("from %s so far: %s 万元/吨 over %d days; it moves daily until %s ends", e.From, averages(e.X), e.Days, e.From))
	} else {
		out = append(out, st.Warn.Render("no estimate: "+e.Reason))
	}
	if len(e.Backtest) > 0 {
		out = append(out, "", st.Bold.Render("Back-test")+st.Dim.Render(" (each quarter estimated by a fit on all the others)"))
		la := ""
		if e.Spec.WithLa {
			la = fmt.Sprintf(" %9s", "La before")
		}
		out = append(out, st.Dim.Render(fmt.Sprintf("%-7s %12s%s %9s %9s %9s %8s", "quarter", "PrNd before", la, "actual", "estimate", "error", "error%")))
		for i := len(e.Backtest) - 1; i >= 0; i-- {
			r := e.Backtest[i]
			x := fmt.Sprintf("%12.2f", r.X[0])
			if len(r.X) > 1 {
				x += fmt.Sprintf(" %9.2f", r.X[1])
			}
			out = append(out, fmt.Sprintf("%-7s %s %9s %9s %9s %8s", r.Quarter, x, widgets.Thousands(r.Actual, 0),
				widgets.Thousands(r.Estimate, 0), signed(r.Err), widgets.SignedPct(r.ErrPct, 1)))
		}
	}
	return widgets.Clip(strings.Join(out, "\n"), w, h)
}

func signed(v float64) string {
	if v >= 0.5 {
		return "+" + widgets.Thousands(v, 0)
	}
	return widgets.Thousands(v, 0)
}

func regressors(spec model.EstimateSpec) string {
	if spec.WithLa {
		return "PrNd oxide and La oxide prices"
	}
	return "PrNd oxide price"
}

func averages(x []float64) string {
	out := fmt.Sprintf("PrNd oxide avg %.2f", x[0])
	if len(x) > 1 {
		out += fmt.Sprintf(", La oxide avg %.3f", x[1])
	}
	return out
}
