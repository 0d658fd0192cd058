package contract

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/widgets"
)

// estimateKey toggles between the quarters and the estimate with its
// back-test.
var estimateKey = key.NewBinding(key.WithKeys("e"), key.WithHelp("e", i18n.EstimateKeyHelp.In(i18n.EN)))

// EstimateKey is the binding that shows the estimate, its help in l.
func EstimateKey(l i18n.Lang) key.Binding {
	return key.NewBinding(key.WithKeys(estimateKey.Keys()...), key.WithHelp("e", i18n.EstimateKeyHelp.In(l)))
}

// renderEstimate is the estimate of the next quarter: the figure, its
// band, the model and its coefficients, what it is computed from, and the
// leave-one-out back-test of every paired quarter.
func (s *Screen) renderEstimate(w, h int) string {
	st, c := s.C.Styles, s.C
	e := s.C.Market.Derived.Estimate
	out := []string{
		st.Bold.Render(c.F(i18n.EstTitle, e.Target)) + st.Dim.Render(c.T(i18n.EstNotPrice)),
		st.Dim.Render(c.F(i18n.EstTerms)),
		st.Dim.Render(c.F(i18n.EstFit, regressors(e.Spec))),
		"",
	}
	switch len(e.Coef) {
	case 2:
		out = append(out, c.F(i18n.EstModel2,
			widgets.Thousands(e.Coef[0], 0), widgets.Thousands(e.Coef[1], 2)))
	case 3:
		out = append(out, c.F(i18n.EstModel3,
			widgets.Thousands(e.Coef[0], 0), widgets.Thousands(e.Coef[1], 2), widgets.Thousands(e.Coef[2], 2)))
	}
	if len(e.Pairs) > 0 {
		out = append(out, c.F(i18n.EstFitOn, len(e.Pairs), e.Pairs[0], e.Pairs[len(e.Pairs)-1], model.Sanitize(e.Source)))
	}
	if e.OK {
		out = append(out,
			c.F(i18n.EstBand,
				e.Target, st.Bold.Render(widgets.Thousands(e.Estimate, 0)), widgets.Thousands(e.RMSE, 0),
				widgets.Thousands(e.Low, 0), widgets.Thousands(e.High, 0), e.MAPE),
			c.F(i18n.EstSoFar, e.From, averages(c.Lang, e.X), e.Days, e.From))
	} else {
		out = append(out, st.Warn.Render(c.F(i18n.EstNone, e.Why(c.Lang))))
	}
	if len(e.Backtest) > 0 {
		out = append(out, "", st.Bold.Render(c.T(i18n.EstBacktest))+st.Dim.Render(c.T(i18n.EstBacktestOf)))
		la := ""
		if e.Spec.WithLa {
			la = " " + right(c.T(i18n.EstColLa), 9)
		}
		out = append(out, st.Dim.Render(left(c.T(i18n.ContractColQuarter), 7)+" "+right(c.T(i18n.EstColPrNd), 12)+la+" "+right(c.T(i18n.EstColActual), 9)+" "+
			right(c.T(i18n.EstColEst), 9)+" "+right(c.T(i18n.EstColErr), 9)+" "+right(c.T(i18n.EstColErrPct), 8)))
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

func regressors(spec model.EstimateSpec) i18n.Text {
	if spec.WithLa {
		return i18n.EstRegBoth
	}
	return i18n.EstRegPrNd
}

func averages(l i18n.Lang, x []float64) string {
	out := i18n.EstAvgPrNd.F(l, x[0])
	if len(x) > 1 {
		out += i18n.EstAvgLa.F(l, x[1])
	}
	return out
}
