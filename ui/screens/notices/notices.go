// Package notices is a symbol's announcements (公告): the latest notices,
// newest first, and a pager that reads one.
package notices

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/widgets"
)

// maxListed is how many notices the list reads from the cache.
const maxListed = 200

// Screen lists one symbol's announcements.
type Screen struct {
	common.Base
	code, from string
	loading    bool
	err        error
	items      []model.Notice
	sel        int
}

// LoadedMsg is the list read from the cache.
type LoadedMsg struct {
	To    int
	Items []model.Notice
	Err   error
}

// ScreenID routes the reply.
func (m LoadedMsg) ScreenID() int { return m.To }

// New opens code's announcements; from is the breadcrumb it was opened from.
func New(c common.Common, code, from string) *Screen {
	s := &Screen{Base: common.NewBase(c), code: code, from: from}
	_, s.loading = c.History.(common.NoticeReader)
	return s
}

// Init reads the notices from the cache, off the UI goroutine: those dated
// at or before the offline cursor in review.
func (s *Screen) Init() tea.Cmd {
	r, ok := s.C.History.(common.NoticeReader)
	if !ok {
		return nil
	}
	id, code := s.ID(), s.code
	var asOf time.Time
	if s.C.Market.Offline {
		asOf = s.C.Market.RefTime()
	}
	return func() tea.Msg {
		items, err := r.Notices(code, asOf, maxListed)
		return LoadedMsg{To: id, Items: items, Err: err}
	}
}

// Title is the breadcrumb: the ticker it was opened from is the crumb
// before it; opened from elsewhere, the code leads.
func (s *Screen) Title() string {
	if s.from != "" {
		return s.C.T(i18n.NoticesTitle)
	}
	return s.code + " " + s.C.T(i18n.NoticesTitle)
}

// SetSize sets the body size.
func (s *Screen) SetSize(w, h int) {
	s.W, s.H = w, h
	s.refresh()
}

// Update moves the selection; enter opens the selected notice.
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	k := s.C.Keys
	switch msg := msg.(type) {
	case LoadedMsg:
		s.loading = false
		s.items = msg.Items
		s.err = msg.Err
	case common.RefreshMsg:
		if msg.Reset {
			s.items, s.loading = nil, true
			s.refresh()
			return s, s.Init()
		}
	case tea.KeyPressMsg:
		page := max(s.H-4, 1)
		switch {
		case common.Select(msg, &s.sel, len(s.items), k.Down, k.Up, k.Top, k.Bottom):
		case key.Matches(msg, k.PageDown):
			s.sel += page
		case key.Matches(msg, k.PageUp):
			s.sel -= page
		case key.Matches(msg, k.Open):
			if s.sel >= 0 && s.sel < len(s.items) {
				s.C.Push(NewPager(s.C, s.items[s.sel]))
			}
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
	return []key.Binding{k.Down, k.Open, k.Back, k.Help, k.Quit}
}

// FullHelp is the screen's group in the help screen.
func (s *Screen) FullHelp() [][]key.Binding { return FullHelp(s.C.Keys) }

// FullHelp lists the keys of the announcement list and pager.
func FullHelp(k *common.KeyMap) [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open}}
}

// Export gives the list for :export.
func (s *Screen) Export() (string, [][]string) {
	rows := [][]string{{"date", "id", "title", "category", "link", "source"}}
	for _, n := range s.items {
		rows = append(rows, []string{n.Date.Format("2006-01-02"), n.ID, n.Title, n.Category, n.Link, n.Source})
	}
	return "notices-" + s.code, rows
}

func (s *Screen) refresh() {
	s.sel = max(0, min(s.sel, len(s.items)-1))
	s.Cache = widgets.Box(s.render(s.W, s.H), s.W, s.H)
}

func (s *Screen) render(w, h int) string {
	st, c := s.C.Styles, s.C
	name := s.code
	if sym, ok := s.C.Market.Symbol(s.code); ok && sym.Name != "" {
		name += " " + sym.Name
	}
	head := c.F(i18n.NoticesHead, name)
	if s.C.Market.Offline {
		head += c.F(i18n.NoticesAsOf, s.C.Market.AsOf.Format("2006-01-02"))
	}
	out := []string{st.Bold.Render(widgets.Fit(head, w))}
	switch {
	case s.err != nil:
		out = append(out, st.Error.Render(widgets.Fit(c.F(i18n.NoticesErr, model.Sanitize(i18n.Say(c.Lang, s.err))), w)))
	case s.loading:
		out = append(out, st.Dim.Render(c.T(i18n.NoticesReading)))
	case len(s.items) == 0:
		out = append(out, st.Dim.Render(widgets.Fit(NoneCached(c.Lang, s.code, s.C.Market.Offline), w)))
	}
	if len(s.items) == 0 {
		return widgets.Clip(strings.Join(out, "\n"), w, h)
	}
	out = append(out, st.Dim.Render(widgets.Fit(widgets.Fit(c.T(i18n.WordDate), 10)+"  "+widgets.Fit(c.T(i18n.NoticesColCat), 12)+"  "+c.T(i18n.NoticesColTitle), w)))
	priced := map[string]bool{}
	for _, c := range s.C.Market.St.Concentrates {
		priced[c.Notice.ID] = true
	}
	body := make([]string, 0, len(s.items))
	for i, n := range s.items {
		cat := widgets.Cut(n.Category, 12)
		row := widgets.Fit(n.Date.Format("2006-01-02")+"  "+cat+strings.Repeat(" ", max(0, 12-widgets.Width(cat)))+"  "+n.Title, w)
		switch {
		case i == s.sel:
			row = st.Selected.Render(row)
		case priced[n.ID]:
			row = st.Bold.Render(row) // a notice that priced a contract quarter
		}
		body = append(body, row)
	}
	off := widgets.ScrollOff(s.sel, h-len(out))
	out = append(out, body[off:]...)
	return widgets.Clip(strings.Join(out, "\n"), w, h)
}

// fetchTimeout bounds a text fetch from the feed.
const fetchTimeout = 20 * time.Second

// textCmd reads a notice's text: the cache's copy, else the feed's (live).
func textCmd(c common.Common, to int, n model.Notice) tea.Cmd {
	r, _ := c.History.(common.NoticeReader)
	fetch := c.NoticeText
	if c.Offline {
		fetch = nil
	}
	return func() tea.Msg {
		if r != nil {
			if text, ok, err := r.NoticeText(n.ID); err == nil && ok {
				return TextMsg{To: to, Text: text, From: FromCache}
			}
		}
		if fetch == nil {
			return TextMsg{To: to, Err: i18n.Errorf(i18n.NoticeNotCached)}
		}
		ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
		defer cancel()
		text, err := fetch(ctx, n.ID)
		return TextMsg{To: to, Text: text, Err: err, From: n.Source}
	}
}

// NoneCached says, in l, that code has no announcements in the cache, and,
// live, which symbols they are fetched for.
func NoneCached(l i18n.Lang, code string, offline bool) string {
	msg := i18n.NoticesNone.F(l, code)
	if !offline {
		msg += i18n.NoticesFetched.In(l)
	}
	return msg
}

// FromCache is TextMsg.From for a text read from the cache.
const FromCache = "cache"
