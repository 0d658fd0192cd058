// Package ticker is the detail view of one stock, ETF or HK share: its
// quote; the session chart (分时) for 1D and 5D and candles (K线) with
// volume, moving averages and a crosshair for the longer ranges, with an
// element overlay; the five-level order book and fund flow by order size;
// key statistics, margin financing and the boards it belongs to.
package ticker

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/notices"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Overlays cycled by `o`: an element price rebased to the chart's start.
var overlays = []model.ElementID{"", model.PrNdOxide, model.NdMetal, model.DyOxide, model.TbOxide}

// Screen is one ticker's detail view. Everything it shows that is not the
// shared market — tab, range, period, crosshair, overlay, scroll, the
// history it loaded — is its own, so a ticker below another on the stack
// keeps it.
type Screen struct {
	common.Base
	code, from string

	tab     int
	rng     int
	period  model.Period
	cursor  int // the crosshair: an index into the bars shown, −1 hidden
	layout  widgets.KLineLayout
	overlay int
	scroll  int
	loading bool
	err     string
	daily   []model.Bar
	quotes  []model.Quote // recent intraday quotes
	minutes []model.Bar   // recent 1-minute bars (intraday quotes folded by retention)
	margin  []model.MarginDay
	cached  common.DetailData // sessions and fund flow read from the cache
	notices []model.Notice    // the latest announcements, from the cache
}

// LoadedMsg is the reply of a history load, addressed to the screen that
// asked.
type LoadedMsg struct {
	To      int
	Daily   []model.Bar
	Quotes  []model.Quote
	Minutes []model.Bar
	Margin  []model.MarginDay
	Detail  model.Detail   // cached sessions and fund flow
	Notices []model.Notice // the latest announcements (公告 tab)
	Err     error
}

// ScreenID routes the reply.
func (m LoadedMsg) ScreenID() int { return m.To }

// New opens code; from is the breadcrumb of where it was opened.
func New(c common.Common, code, from string) *Screen {
	s := &Screen{Base: common.NewBase(c), code: code, from: from, rng: widgets.Range1Y, cursor: -1}
	s.loading = c.History != nil
	return s
}

// Code is the symbol shown.
func (s *Screen) Code() string { return s.code }

// Range is the chart's range.
func (s *Screen) Range() int { return s.rng }

// Tab is the tab shown (an index into Tabs).
func (s *Screen) Tab() int { return s.tab }

// Cursor is the crosshair's bar (an index into the bars shown), −1 hidden.
func (s *Screen) Cursor() int { return s.cursor }

// Period is the K-line's candle period.
func (s *Screen) Period() model.Period { return s.period }

// DetailSymbol is the security the poller fetches the book, minutes and
// fund flow of while this view is on top.
func (s *Screen) DetailSymbol() (model.Symbol, bool) {
	sym, ok := s.C.Market.Symbol(s.code)
	if !ok {
		var err error
		if sym, err = model.ParseSymbol(s.code); err != nil {
			return model.Symbol{}, false
		}
	}
	return sym, true
}

// Init loads the ticker's history from the cache, off the UI goroutine.
func (s *Screen) Init() tea.Cmd {
	if s.C.History == nil {
		return nil
	}
	// Offline, the history ends at the cursor: nothing after it is shown.
	h, id, code, now := s.C.History, s.ID(), s.code, s.C.Market.RefTime()
	asOf := s.C.Market.AsOf
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
		if msg.Margin, err = h.Margin(code, now.AddDate(-1, 0, 0), now); err != nil {
			msg.Err = err
			return msg
		}
		if msg.Detail, err = readDetail(h, code, now, asOf); err != nil {
			msg.Err = err
			return msg
		}
		if r, ok := h.(common.NoticeReader); ok {
			var at time.Time // live: every cached notice
			if !asOf.IsZero() {
				at = now
			}
			msg.Notices, msg.Err = r.Notices(code, at, maxNotices)
		}
		return msg
	}
}

// readDetail reads the cached sessions and fund flow of code: up to now,
// or in offline review up to the end of the cursor's day.
func readDetail(h common.HistoryReader, code string, now, asOf time.Time) (model.Detail, error) {
	d := model.Detail{Symbol: code}
	dr, ok := h.(common.DetailReader)
	if !ok {
		return d, nil
	}
	to := now
	if !asOf.IsZero() {
		to = model.Day(asOf).Add(24*time.Hour - time.Nanosecond)
	}
	var err error
	if d.Sessions, err = dr.Sessions(code, model.Day(to).AddDate(0, 0, -10), to); err != nil {
		return d, err
	}
	ft, ok, err := dr.FlowToday(code, to)
	if err != nil {
		return d, err
	}
	if ok {
		d.Flow = &ft
	}
	d.FlowDays, err = dr.FlowDays(code, model.Day(to).AddDate(0, 0, -60), to)
	return d, err
}

// DetailLoadedMsg is the reply of a reload of the cached sessions and fund
// flow (offline review moved to another date).
type DetailLoadedMsg struct {
	To     int
	Detail model.Detail
	Err    error
}

// ScreenID routes the reply.
func (m DetailLoadedMsg) ScreenID() int { return m.To }

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
	s.cursor = -1
	s.refresh()
}

// kline reports whether the chart tab shows candles (1M and longer).
func (s *Screen) kline() bool { return s.tabs()[s.tab].chart && s.rng >= widgets.Range1M }

// TakesKey claims the keys the crosshair uses while a K-line is shown:
// ←/→ and h/l move it, esc (back) hides it instead of going back.
func (s *Screen) TakesKey(msg tea.KeyPressMsg) bool {
	k := s.C.Keys
	if !s.kline() {
		return false
	}
	if key.Matches(msg, k.RangeNext, k.RangePrev) {
		return true
	}
	return s.cursor >= 0 && key.Matches(msg, k.Back)
}

// Update handles keys, the wheel, its history reply and refreshes.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	k := s.C.Keys
	switch msg := msg.(type) {
	case LoadedMsg:
		s.loading = false
		if msg.Err != nil {
			s.err = model.Sanitize(i18n.Say(s.C.Lang, msg.Err))
		}
		s.daily, s.quotes, s.minutes, s.margin = msg.Daily, msg.Quotes, msg.Minutes, msg.Margin
		s.cached = common.DetailData{}
		s.cached.Merge(msg.Detail)
		s.notices = msg.Notices
	case common.RefreshMsg:
		if msg.Reset {
			// The offline cursor moved: read the history, the cached
			// minutes and flows as of the new date.
			s.daily, s.quotes, s.minutes, s.margin = nil, nil, nil, nil
			s.cached = common.DetailData{}
			s.loading = s.C.History != nil
			s.refresh()
			return s, s.Init()
		} else if len(s.daily) == 0 && !s.loading && s.C.History != nil {
			// Opened before its history was cached (a symbol off the
			// watchlist, being backfilled): read the cache again.
			s.loading = true
			return s, s.Init()
		}
	case DetailLoadedMsg:
		if msg.Err != nil {
			s.err = model.Sanitize(i18n.Say(s.C.Lang, msg.Err))
		}
		s.cached = common.DetailData{}
		s.cached.Merge(msg.Detail)
	case common.WheelMsg:
		if msg.Up {
			s.scroll--
		} else {
			s.scroll++
		}
	case tea.KeyPressMsg:
		switch {
		case s.kline() && s.cursor >= 0 && key.Matches(msg, k.Back):
			s.cursor = -1
		case s.kline() && key.Matches(msg, k.RangeNext, k.RangePrev):
			s.moveCursor(key.Matches(msg, k.RangeNext))
		case key.Matches(msg, k.Range):
			s.rng = max(k.RangeIndex(msg.String()), 0)
			s.cursor = -1
		case key.Matches(msg, k.RangeNext):
			s.rng = min(s.rng+1, len(widgets.RangeNames)-1)
		case key.Matches(msg, k.RangePrev):
			s.rng = max(s.rng-1, 0)
		case key.Matches(msg, k.Period):
			s.period = (s.period + 1) % 3
			s.cursor = -1
		case key.Matches(msg, k.Next):
			s.tab = (s.tab + 1) % len(s.tabs())
			s.scroll = 0
		case key.Matches(msg, k.Prev):
			s.tab = (s.tab + len(s.tabs()) - 1) % len(s.tabs())
			s.scroll = 0
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
		case key.Matches(msg, k.Open) && s.tabs()[s.tab].notices,
			key.Matches(msg, k.Notices):
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

// moveCursor shows the crosshair on the newest bar, or moves it one bar.
func (s *Screen) moveCursor(right bool) {
	n := s.layout.N
	if n <= 0 {
		return
	}
	switch {
	case s.cursor < 0:
		s.cursor = n - 1
	case right:
		s.cursor = min(s.cursor+1, n-1)
	default:
		s.cursor = max(s.cursor-1, 0)
	}
}

// ShortHelp is the footer.
func (s *Screen) ShortHelp() []key.Binding {
	k, l := s.C.Keys, s.C.Lang
	if s.kline() {
		return []key.Binding{k.Range, crosshairKey(k, l), k.Period, tabsKey(k, l), k.Back, k.Help}
	}
	return []key.Binding{k.Range, k.RangeNext, tabsKey(k, l), k.Notices, k.Add, k.Back, k.Help, k.Quit}
}

// crosshairKey describes ←/→ h/l while a K-line is shown.
func crosshairKey(k *common.KeyMap, l i18n.Lang) key.Binding {
	keys := append(append([]string(nil), k.RangePrev.Keys()...), k.RangeNext.Keys()...)
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k.RangePrev.Help().Key+" "+k.RangeNext.Help().Key, i18n.KeyCrosshair.In(l)))
}

// tabsKey describes tab and shift+tab in the ticker view.
func tabsKey(k *common.KeyMap, l i18n.Lang) key.Binding {
	return key.NewBinding(key.WithKeys(append(k.Next.Keys(), k.Prev.Keys()...)...), key.WithHelp(k.Next.Help().Key, i18n.KeyNextTab.In(l)))
}

// FullHelp is the screen's group in the help screen.
func (s *Screen) FullHelp() [][]key.Binding { return FullHelp(s.C.Keys, s.C.Lang) }

// FullHelp lists every key of a ticker view, described in l.
func FullHelp(k *common.KeyMap, l i18n.Lang) [][]key.Binding {
	tabs := key.NewBinding(key.WithKeys(append(k.Next.Keys(), k.Prev.Keys()...)...), key.WithHelp(k.Next.Help().Key+"/"+k.Prev.Help().Key, i18n.KeyTabs.In(l)))
	hide := key.NewBinding(key.WithKeys(k.Back.Keys()...), key.WithHelp(k.Back.Help().Key, i18n.KeyHideCross.In(l)))
	return [][]key.Binding{{k.Range, k.RangeNext, k.RangePrev, crosshairKey(k, l), hide, k.Period}, {tabs, k.Overlay, k.Notices, k.Up, k.Down, k.Add, k.Remove}}
}

// Export gives the daily bars for :export.
func (s *Screen) Export() (string, [][]string) {
	rows := [][]string{{"date", "open", "high", "low", "close", "volume", "amount", "source"}}
	for _, b := range s.dailyBars() {
		rows = append(rows, []string{widgets.CSVDay(b.Time), widgets.CSVNum(b.Open), widgets.CSVNum(b.High), widgets.CSVNum(b.Low), widgets.CSVNum(b.Close), widgets.CSVNum(b.Volume), widgets.CSVNum(b.Amount), b.Source})
	}
	return "bars-" + s.code, rows
}
