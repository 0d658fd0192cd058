package notices

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Pager reads one announcement's text.
type Pager struct {
	common.Base
	n       model.Notice
	loading bool
	err     error
	text    string
	origin  string   // where the text came from: "cache" or the feed
	lines   []string // the text wrapped to the width
	top     int
}

// TextMsg is a notice's text, read from the cache or fetched.
type TextMsg struct {
	To   int
	Text string
	From string
	Err  error
}

// ScreenID routes the reply.
func (m TextMsg) ScreenID() int { return m.To }

// NewPager opens n's text.
func NewPager(c common.Common, n model.Notice) *Pager {
	return &Pager{Base: common.NewBase(c), n: n, loading: true}
}

// Init reads the text.
func (p *Pager) Init() tea.Cmd { return textCmd(p.C, p.ID(), p.n) }

// Title is the breadcrumb.
func (p *Pager) Title() string { return p.n.Date.Format("2006-01-02") }

// SetSize rewraps the text.
func (p *Pager) SetSize(w, h int) {
	p.W, p.H = w, h
	p.wrap()
	p.refresh()
}

// Update scrolls.
func (p *Pager) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	k := p.C.Keys
	switch msg := msg.(type) {
	case TextMsg:
		p.loading = false
		p.err = msg.Err
		p.origin = msg.From
		// Sanitised line by line: the line breaks stay, nothing else that
		// moves the cursor reaches the screen.
		ls := strings.Split(strings.ReplaceAll(msg.Text, "\r\n", "\n"), "\n")
		for i, l := range ls {
			ls[i] = model.Sanitize(l)
		}
		p.text = strings.Join(ls, "\n")
		p.wrap()
	case common.WheelMsg:
		if msg.Up {
			p.top -= 3
		} else {
			p.top += 3
		}
	case tea.KeyPressMsg:
		page := max(p.room()-1, 1)
		switch {
		case key.Matches(msg, k.Down):
			p.top++
		case key.Matches(msg, k.Up):
			p.top--
		case key.Matches(msg, k.PageDown), msg.String() == "space":
			p.top += page
		case key.Matches(msg, k.PageUp):
			p.top -= page
		case key.Matches(msg, k.Top):
			p.top = 0
		case key.Matches(msg, k.Bottom):
			p.top = len(p.lines)
		default:
			return p, nil
		}
	default:
		return p, nil
	}
	p.refresh()
	return p, nil
}

// ShortHelp is the footer.
func (p *Pager) ShortHelp() []key.Binding {
	k := p.C.Keys
	return []key.Binding{k.Down, k.PageDown, k.Back, k.Help, k.Quit}
}

// FullHelp is the screen's group in the help screen.
func (p *Pager) FullHelp() [][]key.Binding { return FullHelp(p.C.Keys) }

// head is the title block above the text.
func (p *Pager) head() []string {
	st := p.C.Styles
	out := []string{st.Bold.Render(widgets.Fit(p.n.Title, p.W))}
	meta := p.n.Date.Format("2006-01-02")
	if p.n.Category != "" {
		meta += "  " + p.n.Category
	}
	if p.n.Link != "" {
		meta += "  " + p.n.Link
	}
	out = append(out, st.Dim.Render(widgets.Fit(meta, p.W)))
	return out
}

// room is the height left for the text.
func (p *Pager) room() int { return max(p.H-len(p.head())-1, 1) }

func (p *Pager) wrap() {
	if p.text == "" || p.W <= 0 {
		p.lines = nil
		return
	}
	p.lines = strings.Split(ansi.Wrap(p.text, p.W, ""), "\n")
}

func (p *Pager) refresh() {
	p.top = max(0, min(p.top, len(p.lines)-p.room()))
	p.Cache = widgets.Box(p.render(), p.W, p.H)
}

func (p *Pager) render() string {
	st, c := p.C.Styles, p.C
	out := p.head()
	switch {
	case p.loading:
		out = append(out, st.Dim.Render(c.T(i18n.PagerReading)))
	case p.err != nil:
		msg := model.Sanitize(i18n.Say(c.Lang, p.err))
		if p.n.Link != "" {
			msg += c.T(i18n.PagerOpenLink)
		}
		out = append(out, st.Warn.Render(widgets.Fit(msg, p.W)))
	}
	if len(p.lines) > 0 {
		end := min(p.top+p.room(), len(p.lines))
		out = append(out, p.lines[p.top:end]...)
		pos := c.F(i18n.PagerLines, p.top+1, end, len(p.lines))
		switch p.origin {
		case "":
		case FromCache:
			pos += c.F(i18n.PagerFrom, c.T(i18n.PagerFromCache))
		default:
			pos += c.F(i18n.PagerFrom, p.origin)
		}
		for len(out) < p.H-1 {
			out = append(out, "")
		}
		out = append(out, st.Dim.Render(widgets.FitRight(pos, p.W)))
	}
	return widgets.Clip(strings.Join(out, "\n"), p.W, p.H)
}
