// Package contract is the detail view of the concentrate contract between
// Baotou Steel and Northern Rare Earth: every quarter, and a calculator
// that prices concentrate at a typed REO grade.
package contract

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Screen is the contract view.
type Screen struct {
	common.Base
	sel   int    // selected quarter
	grade string // the REO calculator's input
	est   bool   // showing the estimate and its back-test
}

// New opens the contract view with the quarter q selected ("" for the
// latest).
func New(c common.Common, q string) *Screen {
	s := &Screen{Base: common.NewBase(c)}
	for i, r := range c.Market.Derived.Contract {
		if r.Quarter.String() == q {
			s.sel = i
		}
	}
	return s
}

// Init does nothing: the contract is in the snapshot.
func (s *Screen) Init() tea.Cmd { return nil }

// Title is the breadcrumb.
func (s *Screen) Title() string { return s.C.T(i18n.ContractTitle) }

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) {
	s.W, s.H = w, h
	s.refresh()
}

// TakesKey claims the calculator's keys before the global ones: digits,
// the point, and backspace while a grade is typed.
func (s *Screen) TakesKey(msg tea.KeyPressMsg) bool {
	return key.Matches(msg, s.C.Keys.Grade) || (msg.String() == "backspace" && s.grade != "") || key.Matches(msg, estimateKey)
}

// Update moves the selection and edits the grade.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	k := s.C.Keys
	switch msg := msg.(type) {
	case common.RefreshMsg:
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Grade):
			if len(s.grade) < 8 {
				s.grade += msg.String()
			}
		case msg.String() == "backspace" && s.grade != "":
			s.grade = s.grade[:len(s.grade)-1]
		case key.Matches(msg, estimateKey):
			s.est = !s.est
		case key.Matches(msg, k.Down):
			s.sel++
		case key.Matches(msg, k.Up):
			s.sel--
		default:
			return s, nil
		}
	default:
		return s, nil
	}
	s.refresh()
	return s, nil
}

// ShortHelp is the footer.
func (s *Screen) ShortHelp() []key.Binding {
	k := s.C.Keys
	return []key.Binding{k.Down, k.Grade, EstimateKey(s.C.Lang), k.Back, k.Help, k.Quit}
}

// FullHelp is the screen's group in the help screen.
func (s *Screen) FullHelp() [][]key.Binding { return FullHelp(s.C.Keys, s.C.Lang) }

// FullHelp lists every key of the contract view.
func FullHelp(k *common.KeyMap, l i18n.Lang) [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Grade, EstimateKey(l)}}
}

// Export gives every quarter.
func (s *Screen) Export() (string, [][]string) { return "contract", Rows(s.C.Market.St.Contract) }

// Rows is the contract as a table.
func Rows(cs []model.ContractQuarter) [][]string {
	rows := [][]string{{"quarter", "price_yuan_per_t", "basis_reo_pct", "step_per_pct", "source"}}
	for _, c := range cs {
		rows = append(rows, []string{c.Quarter.String(), strconv.FormatFloat(c.Price, 'f', -1, 64), strconv.FormatFloat(c.Basis(), 'f', -1, 64), strconv.FormatFloat(model.Round2(c.StepPerPct()), 'f', 2, 64), c.Source})
	}
	return rows
}

func (s *Screen) refresh() {
	s.sel = max(0, min(s.sel, len(s.C.Market.Derived.Contract)-1))
	if s.est {
		s.Cache = widgets.Box(s.renderEstimate(s.W, s.H), s.W, s.H)
		return
	}
	s.Cache = widgets.Box(s.render(s.W, s.H), s.W, s.H)
}

func (s *Screen) render(w, h int) string {
	st, c := s.C.Styles, s.C
	rows := s.C.Market.Derived.Contract
	var out []string
	out = append(out, st.Bold.Render(c.T(i18n.ContractHead)))
	out = append(out, st.Dim.Render(c.F(i18n.ContractTerms)))
	if len(rows) == 0 {
		return widgets.Clip(strings.Join(append(out, "", st.Dim.Render(c.T(i18n.ContractNone))), "\n"), w, h)
	}
	sel := rows[s.sel]
	// The REO calculator works on the selected quarter.
	calc := c.T(i18n.ContractCalcHint)
	if s.grade != "" {
		g, err := strconv.ParseFloat(s.grade, 64)
		switch {
		case err != nil || g <= 0 || g > 100:
			calc = st.Error.Render(c.F(i18n.ContractCalcBad, s.grade))
		case !sel.Known:
			calc = c.F(i18n.ContractCalcNone, s.grade, sel.Quarter)
		default:
			calc = c.F(i18n.ContractCalcPrice, s.grade, sel.Quarter, st.Bold.Render(widgets.Thousands(sel.C.PriceAtGrade(g), 2)),
				widgets.Thousands(sel.C.Price, 2), s.grade, strconv.FormatFloat(sel.C.Basis(), 'f', -1, 64))
		}
	}
	out = append(out, c.T(i18n.ContractCalc)+calc)
	out = append(out, quarterNotes(c, sel, w)...)
	if e := s.C.Market.Derived.Estimate; e.OK {
		out = append(out, c.F(i18n.ContractEstLine,
			e.Target, widgets.Thousands(e.Estimate, 0), widgets.Thousands(e.RMSE, 0), e.From), "")
	} else {
		out = append(out, st.Dim.Render(c.F(i18n.ContractEstNone, e.Target, e.Why(c.Lang))), "")
	}
	hdr := row(c.T(i18n.ContractColQuarter), "元/吨", c.T(i18n.ContractColQoQ), c.F(i18n.ContractColStep), c.T(i18n.WordSource))
	out = append(out, st.Dim.Render(hdr))
	body := make([]string, 0, len(rows))
	for i, r := range rows {
		var l string
		if !r.Known {
			what := c.T(i18n.ContractNotFound)
			switch {
			case r.Notice != nil && !r.Notice.Parsed:
				what = c.F(i18n.ContractUnparsed, r.Notice.Notice.Date.Format("2006-01-02"), reasonIn(c.Lang, r.Notice.Reason))
			case r.Overdue:
				what = c.F(i18n.ContractOverdue, r.Due.Format("2006-01-02"))
			case r.Pending:
				what = c.F(i18n.ContractDue, r.Due.Format("2006-01-02"))
			}
			l = row(r.Quarter.String(), widgets.Dash, "", "", what)
			switch {
			case i == s.sel:
			case r.Overdue, r.Notice != nil:
				l = st.Warn.Render(l)
			default:
				l = st.Dim.Render(l)
			}
		} else {
			qoq, note := "", ""
			if r.HasQoQ {
				qoq = widgets.SignedPct(r.QoQ, 2)
			} else if i+1 < len(rows) {
				// After a gap: compare with the last published quarter, said so.
				for _, p := range rows[i+1:] {
					if p.Known && p.C.Price > 0 {
						note = c.F(i18n.ContractVs, widgets.SignedPct((r.C.Price/p.C.Price-1)*100, 2), p.Quarter)
						break
					}
				}
			}
			step := widgets.Thousands(r.C.StepPerPct(), 2)
			if r.C.Basis() != 50 {
				step += " (REO " + strconv.FormatFloat(r.C.Basis(), 'f', -1, 64) + "%)"
			}
			src := model.Sanitize(r.C.Source)
			if r.New {
				src = c.T(i18n.ContractNew) + src
			}
			l = row(r.Quarter.String(), widgets.Thousands(r.C.Price, 2), qoq, step, src) + st.Dim.Render(note)
		}
		if i == s.sel {
			l = st.Selected.Render(widgets.Fit(ansi.Strip(l), w))
		}
		body = append(body, l)
	}
	// The prices over time, under the table, when there is room for both.
	var chart []string
	if room := h - len(out) - len(body) - 1; room >= 8 {
		var ts []time.Time
		var vals []float64
		for i := len(rows) - 1; i >= 0; i-- { // oldest first
			if r := rows[i]; r.Known {
				ts = append(ts, model.Date(r.Quarter.Year, time.Month((r.Quarter.Q-1)*3+1), 1))
				vals = append(vals, r.C.Price)
			}
		}
		if len(vals) >= 2 {
			chart = append([]string{""}, strings.Split(widgets.LineChart(st, s.C.Lang, ts, widgets.YFormat{Dec: 0}, w, min(room, 16), vals), "\n")...)
		}
	}
	off := widgets.ScrollOff(s.sel, h-len(out)-len(chart))
	out = append(out, body[off:]...)
	out = append(out, chart...)
	return widgets.Clip(strings.Join(out, "\n"), w, h)
}

// quarterNotes are the selected quarter's note and notice: a refused
// proposal, the notice its price came from (title, date, link), or the
// notice whose price could not be read.
func quarterNotes(c common.Common, r model.QuarterRow, w int) []string {
	st := c.Styles
	var out []string
	if r.Known && r.C.Note != "" {
		out = append(out, st.Dim.Render(widgets.Fit(c.F(i18n.ContractNote, r.Quarter.String(), model.Sanitize(r.C.Note)), w)))
	}
	if n := r.Notice; n != nil {
		what := c.T(i18n.ContractNotice)
		if !n.Parsed {
			what = c.F(i18n.ContractNoticeBad, reasonIn(c.Lang, n.Reason))
		} else if n.Proposed {
			what = c.T(i18n.ContractProposed)
		}
		line := fmt.Sprintf("%s %s: %s (%s) %s", r.Quarter, what, n.Notice.Title, n.Notice.Date.Format("2006-01-02"), n.Notice.Link)
		out = append(out, st.Dim.Render(widgets.Fit(model.Sanitize(line), w)))
	}
	return out
}

// row is one line of the quarters' table, aligned by display width (a
// Chinese header is two cells a character); a cell wider than its column
// is kept whole, as fmt's widths keep it.
func row(quarter, price, qoq, step, what string) string {
	return left(quarter, 7) + " " + right(price, 11) + " " + right(qoq, 9) + " " + right(step, 16) + "  " + what
}

// left pads s with spaces to w cells; right pads it on the left.
func left(s string, w int) string  { return s + strings.Repeat(" ", max(0, w-widgets.Width(s))) }
func right(s string, w int) string { return strings.Repeat(" ", max(0, w-widgets.Width(s))) + s }
