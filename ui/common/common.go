// Package common is what every screen of rareterm shares: the Screen
// contract, the Common value handed to each screen, the market it reads,
// the key bindings, and the messages by which a screen asks the root to do
// something (open another screen, change the watchlist, show a notice).
// Screens import this package and the widgets; never the root ui package.
package common

import (
	"context"
	"github.com/rareterm/rareterm/i18n"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Screen is one view on the navigation stack: the dashboard, a detail
// view, search, help, feed health. It keeps its own state (selection,
// range, scroll, the series it loaded); View only reads it.
type Screen interface {
	// Init returns the screen's first command (e.g. loading its history),
	// run when the screen is pushed.
	Init() tea.Cmd
	// Update handles a message routed to the screen.
	Update(msg tea.Msg) (Screen, tea.Cmd)
	// View returns the body, exactly the size last set. It writes nothing.
	View() string
	// SetSize gives the screen the body's size; it is called from the
	// root's Update, so the screen may re-render its cache here.
	SetSize(w, h int)
	// Title is the screen's part of the breadcrumbs in the header.
	Title() string
	// ID identifies the screen for replies to its requests.
	ID() int
	help.KeyMap
}

// Common is handed to every screen: styles, keys, the market, the cache
// reader and the flags of the run. It holds pointers to state the root
// owns, so a copy is as good as the original.
type Common struct {
	Styles  widgets.Styles
	Keys    *KeyMap
	Market  *Market
	History HistoryReader // nil: detail views use the snapshot only
	Demo    bool
	Offline bool
	NoColor bool
	Western bool
	// Lang is the language of every label: screens take their texts from
	// the catalogue (package i18n) in it.
	Lang i18n.Lang
	// Wan shows element prices in 万元/吨 instead of 元/吨.
	Wan bool
	// NoLiveElements: live mode with no element price source configured;
	// the element prices on screen are reference or manual values only.
	NoLiveElements bool
	// NoticeText fetches an announcement's text from its feed (live mode;
	// nil otherwise). It is called inside commands only.
	NoticeText func(ctx context.Context, id string) (string, error)

	ids    *int
	outbox *[]tea.Msg
}

// Zh tells whether the labels are Chinese.
func (c Common) Zh() bool { return c.Lang == i18n.ZH }

// T is a message of the catalogue in the screen's language.
func (c Common) T(t i18n.Text) string { return t.In(c.Lang) }

// F is a message of the catalogue in the screen's language, formatted.
func (c Common) F(t i18n.Text, args ...any) string { return t.F(c.Lang, args...) }

// New builds the Common value.
func New(st widgets.Styles, keys *KeyMap, mkt *Market, hist HistoryReader) Common {
	return Common{Styles: st, Keys: keys, Market: mkt, History: hist, ids: new(int), outbox: new([]tea.Msg)}
}

// NextID hands out a screen id, unique for the run. Call it in Update (or
// a constructor called from Update), never in View.
func (c Common) NextID() int {
	if c.ids == nil {
		return 0
	}
	*c.ids++
	return *c.ids
}

// HistoryReader is what the detail views read from the cache. The store
// satisfies it; reads run inside commands, never in Update or View.
type HistoryReader interface {
	Bars(sym string, iv model.Interval, from, to time.Time) ([]model.Bar, error)
	Quotes(sym string, from, to time.Time) ([]model.Quote, error)
	Margin(sym string, from, to time.Time) ([]model.MarginDay, error)
}

// NoticeReader is what the announcements view reads from the cache, when
// the HistoryReader has it (the store does).
type NoticeReader interface {
	// Notices returns code's announcements dated at or before asOf (all
	// when zero), newest first, at most n.
	Notices(code string, asOf time.Time, n int) ([]model.Notice, error)
	// NoticeText returns an announcement's kept text.
	NoticeText(id string) (text string, ok bool, err error)
}

// Routed is a reply addressed to one screen: the root hands it to the
// screen on the stack with that id, or drops it when that screen is gone.
type Routed interface{ ScreenID() int }

// RefreshMsg tells a screen that what it shows may have changed (new
// data, the clock crossed a staleness threshold, it is on top again); the
// screen re-renders its cache. Reset means the market was replaced (offline
// review moved to another date): drop data loaded for the old one.
type RefreshMsg struct {
	Reset bool
	// Batch, when set, says a batch of new data changed these and nothing
	// else changed since the last refresh: a screen may redraw only what
	// depends on them. Nil means anything may have changed.
	Batch *BatchChange
}

// BatchChange is what a batch changed in the market.
type BatchChange struct {
	model.Changes      // the snapshot's series (what Market.Apply recomputed from)
	Members       bool // board constituents
	Names         bool // securities' names learned from the feeds
	Health        bool // the feeds' health
}

// WheelMsg is a mouse wheel turn, in body coordinates.
type WheelMsg struct {
	X, Y int
	Up   bool
}

// PushMsg asks the root to open a screen on top of the stack (see Push).
type PushMsg struct{ Screen Screen }

// ReplaceMsg asks the root to close the top screen and open another.
type ReplaceMsg struct{ Screen Screen }

// PopMsg asks the root to close the top screen.
type PopMsg struct{}

// WatchMsg asks the root to add a code to the watchlist or remove it.
type WatchMsg struct {
	Code   string
	Remove bool
}

// NoticeMsg shows a line in the status bar.
type NoticeMsg struct {
	Text  string
	Error bool
}

// Requests to the root. A screen makes them during its Update; the root
// carries them out as soon as that Update returns, before the next
// message, so a key typed right after enter reaches the screen it opened.

// Post queues msg for the root.
func (c Common) Post(msg tea.Msg) {
	if c.outbox != nil {
		*c.outbox = append(*c.outbox, msg)
	}
}

// Posted takes the queued requests.
func (c Common) Posted() []tea.Msg {
	if c.outbox == nil || len(*c.outbox) == 0 {
		return nil
	}
	out := *c.outbox
	*c.outbox = nil
	return out
}

// Push opens s on top of the stack.
func (c Common) Push(s Screen) { c.Post(PushMsg{Screen: s}) }

// Replace closes the top screen and opens s.
func (c Common) Replace(s Screen) { c.Post(ReplaceMsg{Screen: s}) }

// Pop closes the top screen.
func (c Common) Pop() { c.Post(PopMsg{}) }

// Watch adds code to the watchlist, or removes it.
func (c Common) Watch(code string, remove bool) { c.Post(WatchMsg{Code: code, Remove: remove}) }

// Optional abilities a screen may have; the root asks for them by type,
// never by which screen it is.
type (
	// KeyTaker takes some keys before the root's global keys (a text
	// field, the contract view's calculator).
	KeyTaker interface{ TakesKey(tea.KeyPressMsg) bool }
	// Ranged is a chart whose range :range sets.
	Ranged interface{ SetRange(int) }
	// Exporter gives the data :export writes.
	Exporter interface {
		Export() (name string, rows [][]string)
	}
	// PricePrefiller names the product `p` prefills on the command line.
	PricePrefiller interface{ PriceProduct() string }
)

// Base carries what every screen has: its id, size and Common.
type Base struct {
	C    Common
	W, H int
	id   int
	// Cache is the rendered body: a screen renders into it in Update and
	// View returns it, so View reads state and writes nothing.
	Cache string
}

// View returns the body rendered in the last Update.
func (b *Base) View() string { return b.Cache }

// NewBase takes an id for a new screen.
func NewBase(c Common) Base { return Base{C: c, id: c.NextID()} }

// ID identifies the screen.
func (b *Base) ID() int { return b.id }
