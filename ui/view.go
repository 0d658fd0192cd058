package ui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/model"
)

// rect is a panel's place on the screen.
type rect struct{ x, y, w, h int }

// layout places the panels in the body area. Wide screens get a 2×3 grid;
// narrow or short ones show the focused panel alone, with a tab strip.
func (m *Model) layout(w, h int) (rects [numPanels]rect, single bool) {
	if w < 70 || h < 14 {
		for i := range rects {
			rects[i] = rect{0, 0, w, h}
		}
		return rects, true
	}
	left := w / 2
	right := w - left
	r1 := max(4, h*30/100)
	r2 := max(4, h*38/100)
	r3 := h - r1 - r2
	rects[pElements] = rect{0, 0, left, r1}
	rects[pIndex] = rect{left, 0, right, r1}
	rects[pWatch] = rect{0, r1, left, r2}
	rects[pContract] = rect{left, r1, right, r2}
	rects[pMargin] = rect{0, r1 + r2, left, r3}
	rects[pSector] = rect{left, r1 + r2, right, r3}
	return rects, false
}

// View renders the screen. It reads state only; the body is cached and
// rebuilt only after something it shows changed.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "rareterm"
	if m.deps.Demo {
		v.WindowTitle = "rareterm — DEMO"
	}
	return v
}

// render returns the whole screen as text.
func (m *Model) render() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return ""
	}
	if m.bodyDirty || m.bodyCache == "" || m.search.active {
		m.bodyCache = m.renderBody(w, max(h-2, 0))
		m.bodyDirty = false
	}
	if h < 3 {
		return clip(m.header(w), w, 1) + "\n" + clip(m.statusBar(w), w, 1)
	}
	foot := m.statusBar(w)
	if m.cmd.active {
		foot = m.cmdlineView(w)
	}
	return m.header(w) + "\n" + m.bodyCache + "\n" + foot
}

func (m *Model) renderBody(w, h int) string {
	if h <= 0 {
		return ""
	}
	if m.search.active {
		return box(m.searchView(w, h), w, h)
	}
	switch m.top().kind {
	case screenTicker:
		return box(m.tickerView(w, h), w, h)
	case screenElement:
		return box(m.elementView(w, h), w, h)
	case screenIndex:
		return box(m.indexView(w, h), w, h)
	case screenContract:
		return box(m.contractView(w, h), w, h)
	case screenBoard:
		return box(m.boardView(w, h), w, h)
	case screenHelp:
		return box(m.helpView(w, h), w, h)
	case screenHealth:
		return box(m.healthView(w, h), w, h)
	}
	return m.dashboard(w, h)
}

func (m *Model) dashboard(w, h int) string {
	rects, single := m.layout(w, h)
	if single {
		tabs := m.tabStrip(w)
		r := rect{0, 0, w, h - 1}
		return tabs + "\n" + m.framePanel(m.focus, r)
	}
	// Compose rows of panels side by side.
	var rows []string
	for _, pair := range [][2]panelID{{pElements, pIndex}, {pWatch, pContract}, {pMargin, pSector}} {
		a := strings.Split(m.framePanel(pair[0], rects[pair[0]]), "\n")
		b := strings.Split(m.framePanel(pair[1], rects[pair[1]]), "\n")
		for i := range a {
			rows = append(rows, a[i]+b[i])
		}
	}
	return strings.Join(rows, "\n")
}

func (m *Model) tabStrip(w int) string {
	var parts []string
	for p := panelID(0); p < numPanels; p++ {
		name := panelNames[p]
		if p == m.focus {
			parts = append(parts, m.styles.TitleFocused.Render("["+name+"]"))
		} else {
			parts = append(parts, m.styles.Dim.Render(name))
		}
	}
	return fit(strings.Join(parts, " "), w)
}

// framePanel draws panel p in r: a border with the title in the top edge,
// its rows scrolled to keep the selection visible.
func (m *Model) framePanel(p panelID, r rect) string {
	if r.w < 2 || r.h < 2 {
		return box("", r.w, r.h)
	}
	iw, ih := r.w-2, r.h-2
	focused := p == m.focus && m.top().kind == screenDashboard
	bs, ts := m.styles.Border, m.styles.Title
	if focused {
		bs, ts = m.styles.BorderFocused, m.styles.TitleFocused
	}
	title := m.panelTitle(p, iw)
	if t := iw - 2; t > 0 {
		title = fit(title, min(width(title), t))
	} else {
		title = ""
	}
	top := bs.Render("┌") + " "
	rest := iw - 1
	if title != "" {
		top += ts.Render(title) + " "
		rest -= width(title) + 1
	}
	if rest < 0 {
		rest = 0
	}
	top = clip(top+bs.Render(strings.Repeat("─", rest)+"┐"), r.w, 1)

	lines := m.panelLines(p, iw, ih)
	sel, off := keyedRow(lines, m.sel[p], 1), m.off[p]
	bar := bs.Render("│")
	body := make([]string, ih)
	for i := 0; i < ih; i++ {
		idx := off + i
		var s string
		if idx < len(lines) {
			l := lines[idx]
			switch {
			case selectable(p) && idx == sel && focused:
				s = m.styles.Selected.Render(fit(l.plain, iw))
			case selectable(p) && idx == sel:
				// Where an unfocused panel's selection stands, shown faintly.
				s = m.styles.SelectedBlurred.Render(fit(l.plain, iw))
			default:
				s = fit(l.styled, iw)
			}
		} else {
			s = strings.Repeat(" ", iw)
		}
		body[i] = bar + s + bar
	}
	// A scroll hint in the bottom edge when rows are hidden.
	bottom := strings.Repeat("─", iw)
	if len(lines) > ih && ih > 0 && iw > 12 {
		hint := fmt.Sprintf(" %d/%d ", min(sel+1, len(lines)), len(lines))
		bottom = strings.Repeat("─", iw-width(hint)-1) + hint + "─"
	}
	out := []string{top}
	out = append(out, body...)
	out = append(out, bs.Render("└"+bottom+"┘"))
	return strings.Join(out, "\n")
}

// breadcrumbs names where the user is.
func (m *Model) breadcrumbs() string {
	parts := []string{"rareterm"}
	for _, s := range m.stack {
		switch s.kind {
		case screenDashboard:
			parts = append(parts, "Dashboard")
		case screenTicker:
			name := s.symbol
			if sym, ok := m.symbol(s.symbol); ok && sym.Name != "" {
				name += " " + sym.Name
			}
			if s.from != "" {
				parts = append(parts, s.from)
			}
			parts = append(parts, name)
		case screenHelp:
			parts = append(parts, "Help")
		case screenHealth:
			parts = append(parts, "Feed health")
		case screenElement:
			parts = append(parts, s.from, model.ElementName(model.ElementID(s.symbol)))
		case screenIndex:
			parts = append(parts, "RE index")
		case screenContract:
			parts = append(parts, "Contract")
		case screenBoard:
			name := s.symbol
			if b, ok := m.st.Boards[s.symbol]; ok && b.Name != "" {
				name += " " + b.Name
			}
			if s.from != "" {
				parts = append(parts, s.from)
			}
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, " › ")
}

func (m *Model) header(w int) string {
	var badges []string
	if m.deps.Demo {
		badges = append(badges, m.styles.Demo.Render(" DEMO "))
	}
	if m.deps.Offline {
		asOf := "latest"
		if !m.asOf.IsZero() {
			asOf = m.asOf.In(model.CST).Format("2006-01-02 Mon")
		}
		badges = append(badges, m.styles.AsOf.Render(" OFFLINE · AS OF "+asOf+" "))
	}
	left := strings.Join(badges, " ")
	if left != "" {
		left += " "
	}
	left += m.styles.Header.Render(m.breadcrumbs())
	right := m.now.In(model.CST).Format("2006-01-02 Mon")
	if width(left)+width(right)+1 > w {
		return fit(left, w)
	}
	return left + strings.Repeat(" ", w-width(left)-width(right)) + m.styles.Dim.Render(right)
}

// statusBar shows feed health, the market sessions, and help hints.
func (m *Model) statusBar(w int) string {
	var parts []string
	if m.deps.Demo {
		parts = append(parts, m.styles.Demo.Render("DEMO"))
	}
	// An error from the user's last action comes first, where it is not cut off.
	if m.notice.Error && m.notice.Text != "" {
		parts = append(parts, m.styles.Error.Render(model.Sanitize(m.notice.Text)))
	}
	if m.noFeedAnswers() {
		parts = append(parts, m.styles.Bad.Render("OFFLINE")+" no feed answers: showing cached data")
	}
	parts = append(parts, m.feedDots()...)
	now := m.now.In(model.CST)
	parts = append(parts, fmt.Sprintf("A股 %s %s CST", model.PhaseAt(model.ExchangeA, now), now.Format("15:04:05")))
	parts = append(parts, fmt.Sprintf("港股 %s", model.PhaseAt(model.ExchangeHK, now)))
	if m.notice.Text != "" && !m.notice.Error {
		parts = append(parts, m.styles.Warn.Render(model.Sanitize(m.notice.Text)))
	}
	hint := help.New()
	hint.Styles.ShortKey = m.styles.HelpKey
	hint.Styles.ShortDesc = m.styles.HelpDesc
	hint.Styles.ShortSeparator = m.styles.HelpDesc
	var bindings []key.Binding
	switch m.top().kind {
	case screenTicker:
		bindings = m.keys.detailHelp()
	case screenElement, screenIndex:
		bindings = m.keys.chartHelp()
	case screenContract:
		bindings = m.keys.contractHelp()
	case screenBoard:
		bindings = m.keys.boardHelp()
	default:
		bindings = m.keys.dashboardHelp()
	}
	if m.deps.Offline {
		bindings = append([]key.Binding{m.keys.DayBack, m.keys.DayFwd, m.keys.GotoDate}, bindings...)
	}
	s := " " + strings.Join(parts, "  ")
	if room := w - width(s) - 2; room > 10 {
		hint.SetWidth(room)
		s += "  " + hint.ShortHelpView(bindings)
	}
	return fit(s, w)
}

// feedDots summarises each feed: ● ok (age of the last success),
// ○ standby or waiting, ✗ failing with the count and the last error.
func (m *Model) feedDots() []string {
	type agg struct {
		state    model.FeedState
		lastOK   time.Time
		failures int
		err      string
		stale    bool
	}
	feeds := map[string]*agg{}
	var order []string
	for _, h := range m.health {
		a, ok := feeds[h.Feed]
		if !ok {
			a = &agg{state: h.State}
			feeds[h.Feed] = a
			order = append(order, h.Feed)
		}
		if h.State == model.FeedFailing {
			a.state = model.FeedFailing
			if h.Failures > a.failures {
				a.failures, a.err = h.Failures, h.LastErr
			}
		} else if h.State == model.FeedOK && a.state != model.FeedFailing {
			a.state = model.FeedOK
		}
		if h.LastOK.After(a.lastOK) {
			a.lastOK = h.LastOK
		}
		if h.Stale(m.now) {
			a.stale = true
		}
	}
	sort.Strings(order)
	var out []string
	for _, name := range order {
		a := feeds[name]
		switch a.state {
		case model.FeedOK:
			st := m.styles.OK
			if a.stale {
				st = m.styles.Warn
			}
			out = append(out, st.Render("●")+" "+name+" "+age(m.now.Sub(a.lastOK)))
		case model.FeedFailing:
			msg := model.Sanitize(a.err)
			if width(msg) > 40 {
				msg = fit(msg, 40)
			}
			out = append(out, m.styles.Bad.Render("✗")+" "+name+m.styles.Bad.Render(fmt.Sprintf(" failing×%d", a.failures))+" "+m.styles.Dim.Render(msg))
		case model.FeedStandby:
			out = append(out, m.styles.Dim.Render("○ "+name+" standby"))
		case model.FeedOffline:
			out = append(out, m.styles.Dim.Render("○ "+name+" offline"))
		default:
			out = append(out, m.styles.Dim.Render("○ "+name+" waiting"))
		}
	}
	return out
}

// noFeedAnswers reports whether every feed that has been tried is failing:
// the network is gone (or every source is down).
func (m *Model) noFeedAnswers() bool {
	failing := 0
	for _, h := range m.health {
		if h.Feed == "store" {
			continue
		}
		if h.State == model.FeedOK {
			return false
		}
		if h.State == model.FeedFailing {
			failing++
		}
	}
	return failing > 0
}

// age formats a duration compactly: 2s, 5m, 3h, 2d.
func age(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

func (m *Model) helpView(w, h int) string {
	var b strings.Builder
	b.WriteString(m.styles.Bold.Render("Keys") + "\n\n")
	for _, g := range m.keys.fullHelp(m.deps.Offline) {
		for _, k := range g {
			hk := k.Help()
			b.WriteString("  " + fit(m.styles.Key.Render(hk.Key), 12) + " " + hk.Desc + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString(m.styles.Dim.Render("Colours: " + m.colourNote()))
	return clip(b.String(), w, h)
}

func (m *Model) colourNote() string {
	if m.deps.NoColor {
		return "off (NO_COLOR)"
	}
	if m.deps.Western {
		return "green up, red down (colors = \"western\")"
	}
	return "red up, green down (the Chinese convention)"
}

func (m *Model) healthView(w, h int) string {
	var b strings.Builder
	b.WriteString(m.styles.Bold.Render("Feed health") + "\n\n")
	b.WriteString(fmt.Sprintf("  %-10s %-14s %-8s %-9s %-8s %-6s %s\n", "feed", "kind", "state", "last ok", "latency", "fails", "last error"))
	for _, hl := range m.health {
		last := "never"
		if !hl.LastOK.IsZero() {
			last = age(m.now.Sub(hl.LastOK)) + " ago"
		}
		lat := dash
		if hl.Latency > 0 {
			lat = hl.Latency.Round(time.Millisecond).String()
		}
		st := hl.State.String()
		styled := st
		switch hl.State {
		case model.FeedOK:
			styled = m.styles.OK.Render(fit(st, 8))
		case model.FeedFailing:
			styled = m.styles.Bad.Render(fit(st, 8))
		default:
			styled = m.styles.Dim.Render(fit(st, 8))
		}
		if hl.Stale(m.now) {
			styled = m.styles.Warn.Render(fit("stale", 8))
		}
		b.WriteString(fmt.Sprintf("  %s %s %s %s %s %s %s\n", fit(hl.Feed, 10), fit(hl.Kind, 14), styled, fit(last, 9), fit(lat, 8), fit(fmt.Sprint(hl.Failures), 6), model.Sanitize(hl.LastErr)))
	}
	if len(m.health) == 0 {
		b.WriteString(m.styles.Dim.Render("  no feed has been polled yet") + "\n")
	}
	return clip(b.String(), w, h)
}
