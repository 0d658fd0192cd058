// Package ticker is the detail view of one stock, ETF or HK share: its
// quote, a chart over a chosen range with an element overlay, key
// statistics, margin financing and the boards it belongs to.
package ticker

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/notices"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Overlays cycled by `o`: an element price rebased to the chart's start.
var overlays = []model.ElementID{"", model.PrNdOxide, model.NdMetal, model.DyOxide, model.TbOxide}

// Screen is one ticker's detail view. Everything it shows that is not the
// shared market — range, overlay, scroll, the history it loaded — is its
// own, so a ticker below another on the stack keeps it.
type Screen struct {
	common.Base
	code, from string

	rng     int
	overlay int
	scroll  int
	loading bool
	err     string
	daily   []model.Bar
	quotes  []model.Quote // recent intraday quotes
	minutes []model.Bar   // recent 1-minute bars (intraday quotes folded by retention)
	margin  []model.MarginDay
}

// LoadedMsg is the reply of a history load, addressed to the screen that
// asked.
type LoadedMsg struct {
	To      int
	Daily   []model.Bar
	Quotes  []model.Quote
	Minutes []model.Bar
	Margin  []model.MarginDay
	Err     error
}

// ScreenID routes the reply.
func (m LoadedMsg) ScreenID() int { return m.To }

// New opens code; from is the breadcrumb of where it was opened.
func New(c common.Common, code, from string) *Screen {
	s := &Screen{Base: common.NewBase(c), code: code, from: from, rng: widgets.Range1Y}
	s.loading = c.History != nil
	return s
}

// Code is the symbol shown.
func (s *Screen) Code() string { return s.code }

// Range is the chart's range.
func (s *Screen) Range() int { return s.rng }

// Init loads the ticker's history from the cache, off the UI goroutine.
func (s *Screen) Init() tea.Cmd {
	if s.C.History == nil {
		return nil
	}
	// Offline, the history ends at the cursor: nothing after it is shown.
	h, id, code, now := s.C.History, s.ID(), s.code, s.C.Market.RefTime()
	return func() tea.Msg {
		msg := LoadedMsg{To: id}
		var err error
		if msg.Daily, err = h.Bars(code, model.Daily, time.Time{}, now); err != nil {
			msg.Err = err
			return msg
		}
		if msg.Quotes, err = h.Quotes(code, model.Day(now).AddDate(0, 0, -7), now); err != nil {
			msg.Err = err
			return msg
		}
		if msg.Minutes, err = h.Bars(code, model.Minute, model.Day(now).AddDate(0, 0, -7), now); err != nil {
			msg.Err = err
			return msg
		}
		msg.Margin, msg.Err = h.Margin(code, now.AddDate(-1, 0, 0), now)
		return msg
	}
}

// Title is the breadcrumb: where it was opened, the code and name.
func (s *Screen) Title() string {
	name := s.code
	if sym, ok := s.C.Market.Symbol(s.code); ok && sym.Name != "" {
		name += " " + sym.Name
	}
	if s.from != "" {
		return s.from + " › " + name
	}
	return name
}

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) {
	s.W, s.H = w, h
	s.refresh()
}

// SetRange sets the chart range (:range).
func (s *Screen) SetRange(r int) {
	s.rng = r
	s.refresh()
}

// Update handles keys, the wheel, its history reply and refreshes.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	k := s.C.Keys
	switch msg := msg.(type) {
	case LoadedMsg:
		s.loading = false
		if msg.Err != nil {
			s.err = model.Sanitize(msg.Err.Error())
		}
		s.daily, s.quotes, s.minutes, s.margin = msg.Daily, msg.Quotes, msg.Minutes, msg.Margin
	case common.RefreshMsg:
		if msg.Reset {
			// The offline cursor moved: read the history as of the new date.
			s.daily, s.quotes, s.minutes, s.margin = nil, nil, nil, nil
			s.loading = s.C.History != nil
			s.refresh()
			return s, s.Init()
		} else if len(s.daily) == 0 && !s.loading && s.C.History != nil {
			// Opened before its history was cached (a symbol off the
			// watchlist, being backfilled): read the cache again.
			s.loading = true
			return s, s.Init()
		}
	case common.WheelMsg:
		if msg.Up {
			s.scroll--
		} else {
			s.scroll++
		}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Range):
			s.rng = max(k.RangeIndex(msg.String()), 0)
		case key.Matches(msg, k.RangeNext):
			s.rng = min(s.rng+1, len(widgets.RangeNames)-1)
		case key.Matches(msg, k.RangePrev):
			s.rng = max(s.rng-1, 0)
		case key.Matches(msg, k.Overlay):
			s.overlay = (s.overlay + 1) % len(overlays)
		case key.Matches(msg, k.Down):
			s.scroll++
		case key.Matches(msg, k.Up):
			s.scroll--
		case key.Matches(msg, k.Add):
			s.C.Watch(s.code, false)
			return s, nil
		case key.Matches(msg, k.Remove):
			s.C.Watch(s.code, true)
			return s, nil
		case key.Matches(msg, k.Notices):
			s.C.Push(notices.New(s.C, s.code, s.code))
			return s, nil
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
	return []key.Binding{k.Range, k.RangeNext, k.Notices, k.Add, k.Back, k.Help, k.Quit}
}

// FullHelp is the screen's group in the help screen.
func (s *Screen) FullHelp() [][]key.Binding { return FullHelp(s.C.Keys) }

// FullHelp lists every key of a ticker view.
func FullHelp(k *common.KeyMap) [][]key.Binding {
	return [][]key.Binding{{k.Range, k.RangeNext, k.RangePrev, k.Overlay, k.Notices}, {k.Up, k.Down, k.Add, k.Remove}}
}

// Export gives the daily bars for :export.
func (s *Screen) Export() (string, [][]string) {
	rows := [][]string{{"date", "open", "high", "low", "close", "volume", "amount", "source"}}
	for _, b := range s.dailyBars() {
		rows = append(rows, []string{widgets.CSVDay(b.Time), widgets.CSVNum(b.Open), widgets.CSVNum(b.High), widgets.CSVNum(b.Low), widgets.CSVNum(b.Close), widgets.CSVNum(b.Volume), widgets.CSVNum(b.Amount), b.Source})
	}
	return "bars-" + s.code, rows
}
