// Package index is the detail view of the local rare-earth price index:
// its formula, the basket's contributions to the latest move and a chart.
package index

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/element"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Screen is the index view.
type Screen struct {
	common.Base
	from string
	rng  int
}

// New opens the index view.
func New(c common.Common, from string) *Screen {
	return &Screen{Base: common.NewBase(c), from: from, rng: widgets.RangeAll}
}

// Init does nothing: the index is derived from the snapshot.
func (s *Screen) Init() tea.Cmd { return nil }

// Title is the breadcrumb.
func (s *Screen) Title() string { return s.C.T(i18n.IndexTitle) }

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) { s.W, s.H = w, h; s.refresh() }

// SetRange sets the chart range (:range).
func (s *Screen) SetRange(r int) { s.rng = r; s.refresh() }

// Update handles the range keys and refreshes.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.RefreshMsg:
	case tea.KeyPressMsg:
		if !element.RangeKey(s.C.Keys, msg, &s.rng) {
			return s, nil
		}
	default:
		return s, nil
	}
	s.refresh()
	return s, nil
}

// ShortHelp is the footer.
func (s *Screen) ShortHelp() []key.Binding { return element.ChartShortHelp(s.C.Keys) }

// FullHelp is the screen's group in the help screen.
func (s *Screen) FullHelp() [][]key.Binding { return element.FullHelp(s.C.Keys) }

// Export gives the index series.
func (s *Screen) Export() (string, [][]string) { return "index", Rows(s.C.Market) }

// Rows is the index series as a table.
func Rows(mk *common.Market) [][]string {
	rows := [][]string{{"date", "index"}}
	for _, p := range mk.Derived.Index.Points {
		rows = append(rows, []string{widgets.CSVDay(p.Date), widgets.CSVNum(p.Value)})
	}
	return rows
}

func (s *Screen) refresh() { s.Cache = widgets.Box(s.render(s.W, s.H), s.W, s.H) }

func (s *Screen) render(w, h int) string {
	st, mk, c := s.C.Styles, s.C.Market, s.C
	spec, d := mk.Index, mk.Derived
	var out []string
	out = append(out, st.Bold.Render(c.T(i18n.IndexHead)))
	out = append(out, c.T(i18n.IndexFormula))
	out = append(out, c.F(i18n.IndexBase, spec.BaseDate.Format("2006-01-02"), strconv.FormatFloat(spec.Base, 'f', -1, 64), len(spec.Eras)))
	if len(d.Index.Points) < 2 {
		out = append(out, "", st.Dim.Render(c.T(i18n.IndexTooFew)))
		return widgets.Clip(strings.Join(out, "\n"), w, h)
	}
	pts := d.Index.Points
	a, b := pts[len(pts)-2], pts[len(pts)-1]
	out = append(out, c.F(i18n.IndexLatest, st.Bold.Render(widgets.Thousands(b.Value, 2)), b.Date.In(model.CST).Format("2006-01-02"),
		st.Move(b.Value-a.Value).Render(fmt.Sprintf("%+.2f", b.Value-a.Value)), widgets.Thousands(a.Value, 2), a.Date.In(model.CST).Format("2006-01-02")))
	out = append(out, "")
	hdr := left(c.T(i18n.IndexColComp), 12) + " " + right(c.T(i18n.IndexColWeight), 7) + " " + right(c.T(i18n.IndexColBase), 13) + " " + right(c.T(i18n.RootLatest), 13) + " " +
		right(c.T(i18n.IndexColRel), 9) + " " + right(c.T(i18n.IndexColPoints), 9) + "  " + left(c.T(i18n.WordDate), 10) + " " + c.T(i18n.WordSource)
	out = append(out, st.Dim.Render(hdr))
	era := spec.Eras[len(spec.Eras)-1]
	start := era.From
	if start.Before(spec.BaseDate) {
		start = spec.BaseDate
	}
	days := map[string][]string{} // latest price date → components
	for _, c := range model.Contributions(spec, mk.St.Elements, a.Date, b.Date) {
		series := mk.St.Elements[c.Element]
		base, ok := series.AsOf(start)
		if !ok && len(series) > 0 {
			base = series[0]
		}
		latest, _ := series.AsOf(b.Date)
		rel := model.Unknown
		if base.Price > 0 {
			rel = latest.Price / base.Price
		}
		pt := fmt.Sprintf("%+9.2f", c.Points)
		when, src := widgets.Dash, ""
		if !latest.Date.IsZero() {
			when, src = latest.Date.In(model.CST).Format("2006-01-02"), model.Sanitize(latest.Source)
			days[when] = append(days[when], widgets.ElementName(s.C.Lang, c.Element))
		}
		out = append(out, left(widgets.ElementName(s.C.Lang, c.Element), 12)+fmt.Sprintf(" %6.1f%% ", c.Weight*100)+right(widgets.ElementPrice(base.Price, s.C.Wan), 13)+" "+
			right(widgets.ElementPrice(latest.Price, s.C.Wan), 13)+fmt.Sprintf(" %9.4f %s  %-10s %s", rel, st.Move(c.Points).Render(pt), when, st.Dim.Render(src)))
	}
	if len(days) > 1 {
		// The index carries each price forward: say so when the latest
		// prices are not all of one day.
		var parts []string
		for _, d := range slices.Sorted(maps.Keys(days)) {
			parts = append(parts, d+": "+strings.Join(days[d], ", "))
		}
		out = append(out, st.Warn.Render(widgets.Fit(c.F(i18n.IndexMixedDays, strings.Join(parts, "; ")), w)))
	}
	for _, id := range d.Index.Missing {
		out = append(out, st.Dim.Render(left(widgets.ElementName(c.Lang, id), 12)+" "+c.T(i18n.IndexMissing)))
	}
	for _, id := range d.Index.BaseFilled {
		out = append(out, st.Dim.Render(left(widgets.ElementName(c.Lang, id), 12)+" "+c.T(i18n.IndexBaseFill)))
	}
	out = append(out, "", widgets.RangeTabs(st, s.C.Lang, s.rng))
	series := widgets.ClipDates(pts, func(p model.IndexPoint) time.Time { return p.Date }, widgets.RangeDays(s.rng))
	vals := make([]float64, 0, len(series))
	ts := make([]time.Time, 0, len(series))
	for _, p := range series {
		vals = append(vals, p.Value)
		ts = append(ts, p.Date)
	}
	out = append(out, widgets.LineChart(st, s.C.Lang, ts, widgets.YFormat{Dec: 1}, w, max(h-len(out)-1, 2), vals))
	return widgets.Clip(strings.Join(out, "\n"), w, h)
}

// left pads s with spaces to w cells (a Chinese character is two); right
// pads it on the left. A wider s is kept whole, as fmt's widths keep it.
func left(s string, w int) string  { return s + strings.Repeat(" ", max(0, w-widgets.Width(s))) }
func right(s string, w int) string { return strings.Repeat(" ", max(0, w-widgets.Width(s))) + s }
