package ui

import (
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/health"
	"github.com/rareterm/rareterm/ui/screens/search"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Update handles a message. It never blocks. The root keeps the global
// keys, the market and the stack; everything else goes to a screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		if msg.Width == m.width && msg.Height == m.height {
			return m, nil // the size it has (a terminal reports it more than once)
		}
		m.width, m.height = msg.Width, msg.Height
		m.cmd.SetWidth(msg.Width)
		for _, s := range m.stack {
			s.SetSize(m.width, m.bodyHeight())
		}
	case tickMsg:
		if msg.seq != m.tickSeq {
			return m, nil // replaced by an earlier wake-up
		}
		m.due = time.Time{}
		prev := m.mkt.Now
		m.mkt.Now = m.deps.Now()
		if model.Day(prev) != model.Day(m.mkt.Now) {
			// A new day can make a quarter's announcement overdue.
			m.mkt.Recompute(model.Changes{Contract: true})
		}
		// The header and status bar show the clock; the body is
		// redrawn only when a value turned stale.
		next := m.schedule()
		if m.mkt.StaleCrossed(prev, m.mkt.Now) {
			return m, tea.Batch(m.updateTop(common.RefreshMsg{}), next)
		}
		return m, next
	case BatchMsg:
		prev := m.mkt.Now
		health := len(msg.Batch.Health) > 0 && !slices.Equal(m.mkt.Health, msg.Batch.Health)
		m.mkt.Now = m.deps.Now()
		ch := m.mkt.Apply(msg.Batch)
		if text := common.AnnouncedText(m.c.Lang, m.c.Wan, msg.Batch); text != "" {
			m.notice = NoticeMsg{Text: text}
		}
		refresh := common.RefreshMsg{Batch: batchChange(msg.Batch, ch, health)}
		if !prev.Truncate(time.Minute).Equal(m.mkt.Now.Truncate(time.Minute)) {
			refresh.Batch = nil // whatever shows the time of day is redrawn each minute
		}
		// New quotes and health move the next staleness threshold.
		return m, tea.Batch(m.updateTop(refresh), m.schedule(), m.alerted(msg.Batch.Alerts))
	case MarketMsg:
		return m, m.applyMarket(msg)
	case NoticeMsg:
		m.notice = msg
	case common.PushMsg:
		return m, m.push(msg.Screen)
	case common.ReplaceMsg:
		m.stack = m.stack[:max(len(m.stack)-1, 1)]
		return m, m.push(msg.Screen)
	case common.PopMsg:
		return m, m.pop()
	case common.WatchMsg:
		if msg.Remove {
			return m, m.removeFromWatchlist(msg.Code)
		}
		return m, m.addToWatchlist(msg.Code)
	case watchlistMsg:
		m.notice = NoticeMsg{Text: msg.text}
		if msg.err != nil {
			m.notice = NoticeMsg{Text: i18n.Say(m.c.Lang, msg.err), Error: true}
		}
	case savedMsg:
		m.notice = NoticeMsg{Text: msg.text}
		if msg.err != nil {
			m.fail(i18n.CmdPriceNotStored, msg.err)
		}
	case alertSavedMsg:
		m.notice = NoticeMsg{Text: msg.text}
		if msg.err != nil {
			m.notice = NoticeMsg{Text: i18n.Say(m.c.Lang, msg.err), Error: true}
		}
	case common.RemoveAlertMsg:
		return m, m.removeAlert(msg.N)
	case exportMsg:
		m.exported(msg)
	case snapshotMsg:
		return m, m.applySnapshot(msg)
	case common.Routed:
		return m, m.route(msg)
	case tea.MouseWheelMsg:
		mm := msg.Mouse()
		if mm.Button == tea.MouseWheelUp || mm.Button == tea.MouseWheelDown {
			return m, m.updateTop(common.WheelMsg{X: mm.X, Y: mm.Y - 1, Up: mm.Button == tea.MouseWheelUp})
		}
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	default:
		// Anything else (a paste, a text field's own messages) goes to
		// the input that has the keys.
		if m.cmd.Active() {
			_, _, cmd := m.cmd.Update(msg)
			return m, cmd
		}
		return m, m.updateTop(msg)
	}
	return m, nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	// The command line takes every key while it is open.
	if m.cmd.Active() {
		line, run, cmd := m.cmd.Update(msg)
		if run {
			return tea.Batch(cmd, m.execute(line))
		}
		return cmd
	}
	// A screen with a text field (or a calculator) takes its keys first.
	if t, ok := m.Top().(common.KeyTaker); ok && t.TakesKey(msg) {
		return m.updateTop(msg)
	}
	switch {
	case key.Matches(msg, k.Search):
		return m.push(search.New(m.c))
	case key.Matches(msg, k.Command):
		m.cmd.Open("")
		return nil
	case key.Matches(msg, k.Price):
		prefill := `price `
		if p, ok := m.Top().(common.PricePrefiller); ok {
			product := p.PriceProduct()
			if id, ok := model.LookupElement(product); ok {
				product = widgets.ElementName(m.c.Lang, id) // :price reads either name
			}
			prefill += `"` + product + `" `
		}
		m.cmd.Open(prefill)
		return nil
	case m.deps.Offline && key.Matches(msg, k.GotoDate):
		m.cmd.Open("goto ")
		return nil
	case m.deps.Offline && key.Matches(msg, k.DayBack, k.DayFwd, k.WeekBack, k.WeekFwd):
		return m.stepCursor(msg)
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		return m.push(m.helpScreen())
	case key.Matches(msg, k.Health):
		return m.push(health.New(m.c))
	case key.Matches(msg, k.Back):
		return m.pop()
	}
	return m.updateTop(msg)
}

// stepCursor moves the offline date cursor a trading day or a week.
func (m *Model) stepCursor(msg tea.KeyPressMsg) tea.Cmd {
	d := model.Day(m.mkt.AsOf)
	if m.mkt.AsOf.IsZero() {
		d = model.Day(m.mkt.Now)
	}
	switch {
	case key.Matches(msg, m.keys.DayBack):
		d = model.PrevTradingDay(model.ExchangeA, d)
	case key.Matches(msg, m.keys.DayFwd):
		d = model.NextTradingDay(model.ExchangeA, d)
	case key.Matches(msg, m.keys.WeekBack):
		d = d.AddDate(0, 0, -7)
	case key.Matches(msg, m.keys.WeekFwd):
		d = d.AddDate(0, 0, 7)
	}
	if today := model.Day(m.mkt.Now); d.After(today) {
		d = today
	}
	return m.gotoDate(d)
}

// batchChange says what a batch changed, for a screen that redraws only what
// depends on it; nil (redraw everything) when the batch carries anything
// besides market series, constituents, names and health.
func batchChange(b model.Batch, ch model.Changes, health bool) *common.BatchChange {
	if len(b.Notices) > 0 || len(b.Concentrates) > 0 || len(b.Detail) > 0 || len(b.Alerts) > 0 {
		return nil
	}
	return &common.BatchChange{Changes: ch, Members: len(b.Members) > 0, Names: len(b.Symbols) > 0, Health: health}
}
