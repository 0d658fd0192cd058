// Package element is the detail view of one element product: its latest
// price, its weight in the local index and a chart over a chosen range.
package element

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Screen is one element's view.
type Screen struct {
	common.Base
	id   model.ElementID
	from string
	rng  int
}

// New opens the view of element id.
func New(c common.Common, id model.ElementID, from string) *Screen {
	return &Screen{Base: common.NewBase(c), id: id, from: from, rng: widgets.Range1Y}
}

// Init does nothing: the element series is in the snapshot.
func (s *Screen) Init() tea.Cmd { return nil }

// Title is the breadcrumb.
func (s *Screen) Title() string { return s.from + " › " + widgets.ElementName(s.C.Lang, s.id) }

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) { s.W, s.H = w, h; s.refresh() }

// SetRange sets the chart range (:range).
func (s *Screen) SetRange(r int) { s.rng = r; s.refresh() }

// Range is the chart's range.
func (s *Screen) Range() int { return s.rng }

// PriceProduct is what `p` prefills: this element.
func (s *Screen) PriceProduct() string { return model.ElementName(s.id) }

// Update handles the range keys and refreshes.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.RefreshMsg:
	case tea.KeyPressMsg:
		if !RangeKey(s.C.Keys, msg, &s.rng) {
			return s, nil
		}
	default:
		return s, nil
	}
	s.refresh()
	return s, nil
}

// RangeKey handles 1–6 and left/right for a chart's range; true if used.
func RangeKey(k *common.KeyMap, msg tea.KeyPressMsg, rng *int) bool {
	switch {
	case key.Matches(msg, k.Range):
		*rng = max(k.RangeIndex(msg.String()), 0)
	case key.Matches(msg, k.RangeNext):
		*rng = min(*rng+1, len(widgets.RangeNames)-1)
	case key.Matches(msg, k.RangePrev):
		*rng = max(*rng-1, 0)
	default:
		return false
	}
	return true
}

// ShortHelp is the footer.
func (s *Screen) ShortHelp() []key.Binding { return ChartShortHelp(s.C.Keys) }

// ChartShortHelp is the footer of the element and index views.
func ChartShortHelp(k *common.KeyMap) []key.Binding {
	return []key.Binding{k.Range, k.RangeNext, k.Back, k.Command, k.Help, k.Quit}
}

// FullHelp is the screen's group in the help screen.
func (s *Screen) FullHelp() [][]key.Binding { return FullHelp(s.C.Keys) }

// FullHelp lists every key of a chart view.
func FullHelp(k *common.KeyMap) [][]key.Binding {
	return [][]key.Binding{{k.Range, k.RangeNext, k.RangePrev, k.Price}}
}

// Export gives the element's price series.
func (s *Screen) Export() (string, [][]string) {
	rows := [][]string{{"date", "element", "price_yuan_per_t", "low", "high", "source", "orig_unit"}}
	for _, p := range s.C.Market.St.Elements[s.id] {
		rows = append(rows, []string{widgets.CSVDay(p.Date), string(p.Element), widgets.CSVNum(p.Price), widgets.CSVNum(p.Low), widgets.CSVNum(p.High), p.Source, p.OrigUnit})
	}
	return "element-" + string(s.id), rows
}

func (s *Screen) refresh() {
	s.Cache = widgets.Box(s.render(s.W, s.H), s.W, s.H)
}

func (s *Screen) render(w, h int) string {
	st, mk, c := s.C.Styles, s.C.Market, s.C
	info, _ := model.Element(s.id)
	series := mk.St.Elements[s.id]
	var out []string
	name := info.Short + " " + info.Zh
	if c.Zh() {
		name = info.Zh
	}
	out = append(out, st.Bold.Render(name)+"  "+st.Dim.Render(widgets.ElementUnit(c.Lang, c.Wan)))
	if len(series) == 0 {
		out = append(out, "", st.Dim.Render(c.T(i18n.ElementNone)))
		return widgets.Clip(strings.Join(out, "\n"), w, h)
	}
	last := series[len(series)-1]
	// Within one source only, at the right distance (see model.DayChange).
	day, yoy := model.DayChange(series, len(series)-1), model.YearChange(series, len(series)-1)
	rangeTxt := ""
	if model.Known(last.Low) && model.Known(last.High) {
		rangeTxt = c.F(i18n.ElementRange, widgets.ElementPrice(last.Low, c.Wan), widgets.ElementPrice(last.High, c.Wan))
	}
	out = append(out, c.F(i18n.ElementLine, st.Bold.Render(widgets.ElementPrice(last.Price, c.Wan)),
		st.Move(day).Render(widgets.SignedPct(day, 2)), st.Move(yoy).Render(widgets.SignedPct(yoy, 2)), rangeTxt,
		last.Date.In(model.CST).Format("2006-01-02"), last.Source, last.OrigUnit))

	// Weight in the index and contribution to its latest move.
	w8, contrib, inBasket := 0.0, 0.0, false
	pts := mk.Derived.Index.Points
	if len(pts) > 1 {
		for _, c := range model.Contributions(mk.Index, mk.St.Elements, pts[len(pts)-2].Date, pts[len(pts)-1].Date) {
			if c.Element == s.id {
				w8, contrib, inBasket = c.Weight, c.Points, true
			}
		}
	}
	if inBasket {
		out = append(out, c.F(i18n.ElementWeight, w8*100, st.Move(contrib).Render(fmt.Sprintf("%+.2f", contrib))))
	} else {
		out = append(out, st.Dim.Render(c.T(i18n.ElementNoBasket)))
	}
	out = append(out, widgets.RangeTabs(st, s.C.Lang, s.rng))
	clipped := widgets.ClipDates(series, func(p model.ElementPrice) time.Time { return p.Date }, widgets.RangeDays(s.rng))
	vals := make([]float64, 0, len(clipped))
	ts := make([]time.Time, 0, len(clipped))
	yf, scale := widgets.YFormat{Dec: 0}, 1.0
	if c.Wan {
		yf, scale = widgets.YFormat{Dec: 2}, 1e4 // the axis in 万元/吨, as the unit says
	}
	for _, p := range clipped {
		vals = append(vals, p.Price/scale)
		ts = append(ts, p.Date)
	}
	out = append(out, widgets.LineChart(st, s.C.Lang, ts, yf, w, max(h-len(out)-1, 2), vals))
	return widgets.Clip(strings.Join(out, "\n"), w, h)
}
