package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/model"
)

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	// A modal input takes every key.
	if m.cmd.active {
		m.bodyDirty = true
		return m.cmdKey(msg)
	}
	if m.search.active {
		return m.searchKey(msg)
	}
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	// The contract view's calculator takes digits before the global keys.
	if m.top().kind == screenContract && m.contractKey(msg) {
		m.bodyDirty = true
		return nil
	}
	switch {
	case key.Matches(msg, k.Search):
		m.openSearch()
		return nil
	case key.Matches(msg, k.Command):
		m.openCmdline("")
		return nil
	case key.Matches(msg, k.Price):
		prefill := `price "`
		if m.top().kind == screenElement {
			prefill = `price "` + model.ElementName(model.ElementID(m.top().symbol)) + `" `
		}
		m.openCmdline(prefill)
		return nil
	case m.deps.Offline && key.Matches(msg, k.GotoDate):
		m.openCmdline("goto ")
		return nil
	case m.deps.Offline && key.Matches(msg, k.DayBack, k.DayFwd, k.WeekBack, k.WeekFwd):
		return m.stepCursor(msg)
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		if m.top().kind == screenHelp {
			m.pop()
		} else {
			m.push(screen{kind: screenHelp})
		}
		return nil
	case key.Matches(msg, k.Health):
		if m.top().kind == screenHealth {
			m.pop()
		} else {
			m.push(screen{kind: screenHealth})
		}
		return nil
	case key.Matches(msg, k.Back):
		m.pop()
		return nil
	}
	switch m.top().kind {
	case screenDashboard:
		return m.dashboardKey(msg)
	case screenTicker:
		return m.tickerKey(msg)
	case screenElement, screenIndex:
		if m.rangeKey(msg, &m.vs().rng) {
			m.bodyDirty = true
		}
	case screenBoard:
		used, cmd := m.boardKey(msg)
		if used {
			m.bodyDirty = true
		}
		return cmd
	}
	return nil
}

// stepCursor moves the offline date cursor a trading day or a week.
func (m *Model) stepCursor(msg tea.KeyPressMsg) tea.Cmd {
	d := model.Day(m.asOf)
	if m.asOf.IsZero() {
		d = model.Day(m.now)
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
	if today := model.Day(m.now); d.After(today) {
		d = today
	}
	return m.gotoDate(d)
}

func (m *Model) dashboardKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	m.bodyDirty = true
	switch {
	case key.Matches(msg, k.Next):
		m.focus = (m.focus + 1) % numPanels
	case key.Matches(msg, k.Prev):
		m.focus = (m.focus + numPanels - 1) % numPanels
	case key.Matches(msg, k.Up):
		m.moveSel(-1)
	case key.Matches(msg, k.Down):
		m.moveSel(1)
	case key.Matches(msg, k.PageUp):
		m.moveSel(-m.pageRows())
	case key.Matches(msg, k.PageDown):
		m.moveSel(m.pageRows())
	case key.Matches(msg, k.Top):
		m.moveSel(-1 << 20)
	case key.Matches(msg, k.Bottom):
		m.moveSel(1 << 20)
	case key.Matches(msg, k.Open):
		return m.openSelected()
	default:
		m.bodyDirty = false
	}
	return nil
}

// panelRows is how many rows the focused panel has.
func (m *Model) panelRows(p panelID) []line {
	r := m.panelRect(p)
	return m.panelLines(p, max(r.w-2, 1), max(r.h-2, 1))
}

func (m *Model) panelRect(p panelID) rect {
	rects, single := m.layout(m.width, max(m.height-2, 0))
	r := rects[p]
	if single {
		r.h--
	}
	return r
}

func (m *Model) pageRows() int { return max(m.panelRect(m.focus).h-3, 1) }

// moveSel moves the focused panel's selection by n rows and scrolls it into
// view. The selection only rests on rows that open something: summary and
// header lines are stepped over.
func (m *Model) moveSel(n int) {
	p := m.focus
	if !selectable(p) {
		return
	}
	rows := m.panelRows(p)
	if len(rows) == 0 {
		return
	}
	dir := 1
	if n < 0 {
		dir = -1
	}
	s := keyedRow(rows, keyedRow(rows, m.sel[p], 1)+n, dir)
	m.sel[p] = s
	vis := max(m.panelRect(p).h-2, 1)
	if s < m.off[p] {
		m.off[p] = s
	}
	if s >= m.off[p]+vis {
		m.off[p] = s - vis + 1
	}
	m.off[p] = max(0, min(m.off[p], max(len(rows)-vis, 0)))
}

// keyedRow clamps i to the rows and moves it to the nearest row with a key,
// looking in direction dir first.
func keyedRow(rows []line, i, dir int) int {
	i = max(0, min(i, len(rows)-1))
	for _, d := range []int{dir, -dir} {
		for j := i; j >= 0 && j < len(rows); j += d {
			if rows[j].key != "" {
				return j
			}
		}
	}
	return i
}

// wheel scrolls the list under the pointer (or the focused one).
func (m *Model) wheel(msg tea.MouseWheelMsg) {
	if m.top().kind != screenDashboard {
		if m.top().kind == screenTicker {
			mm := msg.Mouse()
			if mm.Button == tea.MouseWheelUp {
				m.detail.scroll = max(m.detail.scroll-1, 0)
			} else if mm.Button == tea.MouseWheelDown {
				m.detail.scroll++
			}
			m.bodyDirty = true
		}
		return
	}
	mm := msg.Mouse()
	rects, single := m.layout(m.width, max(m.height-2, 0))
	if !single {
		for p := panelID(0); p < numPanels; p++ {
			r := rects[p]
			if mm.X >= r.x && mm.X < r.x+r.w && mm.Y-1 >= r.y && mm.Y-1 < r.y+r.h {
				m.focus = p
			}
		}
	}
	switch mm.Button {
	case tea.MouseWheelUp:
		m.moveSel(-1)
	case tea.MouseWheelDown:
		m.moveSel(1)
	}
	m.bodyDirty = true
}

// openSelected opens the detail view of the focused panel's selected row.
func (m *Model) openSelected() tea.Cmd {
	p := m.focus
	if p == pIndex { // the whole panel is one chart: it opens the index view
		m.push(screen{kind: screenIndex, from: panelNames[p], v: viewState{rng: rangeAll}})
		return nil
	}
	rows := m.panelRows(p)
	if len(rows) == 0 {
		return nil
	}
	code := rows[keyedRow(rows, m.sel[p], 1)].key
	switch p {
	case pElements:
		if code != "" {
			m.push(screen{kind: screenElement, symbol: code, from: panelNames[p], v: viewState{rng: range1Y}})
		}
	case pContract:
		v := viewState{}
		for i, r := range m.derived.contract {
			if r.Quarter.String() == code {
				v.sel = i
			}
		}
		m.push(screen{kind: screenContract, from: panelNames[p], v: v})
	case pWatch, pMargin, pSector:
		if code != "" {
			return m.openSymbol(code, panelNames[p])
		}
	}
	return nil
}

// symbol finds what is known about a code: the watchlist, then the cache.
func (m *Model) symbol(code string) (model.Symbol, bool) {
	for _, s := range m.watch {
		if s.Code == code {
			return s, true
		}
	}
	if s, ok := m.st.Symbols[code]; ok {
		return s, true
	}
	if q, ok := m.st.Quotes[code]; ok {
		s, err := model.ParseSymbol(code)
		if err == nil {
			s.Name = q.Name
			return s, true
		}
	}
	s, err := model.ParseSymbol(code)
	return s, err == nil
}
