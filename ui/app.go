// Package ui is rareterm's screen. The root model here is thin: it lays out
// the header, the active screen and the status bar, handles the global
// keys, and routes every other message to the screen it is for. The
// screens (ui/screens/...) and the widgets they draw with (ui/widgets)
// live in their own packages and never import this one. Update and View
// never do I/O: data arrives as messages (poll batches from the poller,
// history loaded by commands through the reader interface).
package ui

import (
	"context"
	"github.com/rareterm/rareterm/i18n"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/cmdline"
	"github.com/rareterm/rareterm/ui/screens/dashboard"
	"github.com/rareterm/rareterm/ui/widgets"
)

// HistoryReader is what the detail views read from the cache. The store
// satisfies it; reads run inside commands, never in Update or View.
type HistoryReader = common.HistoryReader

// Deps is everything the screen is built from.
type Deps struct {
	Snapshot  model.Snapshot // the cached market at start
	Watchlist []model.Symbol
	Boards    []string // board codes shown in the sector panel, in order
	Index     model.IndexSpec
	History   HistoryReader // may be nil: detail views then use the snapshot only
	Health    []model.FeedHealth
	Western   bool // green up, red down
	NoColor   bool
	Demo      bool
	Offline   bool
	// Notice is a line shown in the status bar at start (e.g. "offline").
	Notice string
	// Now is the clock (tests fix it).
	Now func() time.Time
	// Ticks enables the clock: the status bar's time, and the redraws at
	// the moments a quote or a feed turns stale. It wakes only when
	// something drawn changes: each second while a market trades (the
	// demo market always does), each minute otherwise and offline, and at
	// the moment the next staleness threshold passes.
	Ticks bool
	// Tick schedules a wake-up after d (tests replace it; default tea.Tick).
	Tick func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd

	// SaveWatchlist persists the watchlist (the config file); run in a command.
	SaveWatchlist func(codes []string) error
	// OnWatchlist tells the poller about a changed watchlist; must not block.
	OnWatchlist func([]model.Symbol)
	// OnDetail tells the poller which security's detail view is on top
	// (nil: none); must not block.
	OnDetail func(*model.Symbol)
	// Lang is the language of every label (the config's lang, --lang, or
	// the locale).
	Lang i18n.Lang
	// ElementsWan shows element prices in 万元/吨 instead of 元/吨
	// ([units] elements = "wan").
	ElementsWan bool
	// SavePrices stores manually entered element prices; run in a command.
	SavePrices func([]model.ElementPrice) error
	// Bands are the plausible price bands a manual price must fall in
	// (nil: model.DefaultBands).
	Bands model.Bands
	// SnapshotAt reads the market as of a time (offline review); run in a command.
	SnapshotAt func(asOf time.Time) (model.Snapshot, error)
	// AsOf is the offline cursor's first date.
	AsOf time.Time
	// ExportDir is where :export writes (default: the working directory).
	ExportDir string
	// NoLiveElements says no element price source is configured (live
	// mode): the element panel says so and draws its prices stale.
	NoLiveElements bool
	// NoticeText fetches an announcement's text (live mode); run in a
	// command. nil: only the texts kept in the cache can be read.
	NoticeText func(ctx context.Context, id string) (string, error)
	// Alerts is the alert engine (rules and their states); nil in offline
	// review. SaveAlert and DropAlert keep the rules file in step with
	// :alert add and rm (run in a command). AlertLog is what fired in
	// earlier runs, from the database, oldest first.
	Alerts    common.AlertBook
	SaveAlert func(rule string) error
	DropAlert func(rule string) error
	AlertLog  []model.AlertEvent
	// DesktopOSC picks the desktop notification sequence: "777" or "9".
	DesktopOSC string
	// Estimate chooses the contract estimate's regressors ([contract]).
	Estimate model.EstimateSpec
	// Keys remaps bindings by action (the config's [keys]); checked with
	// CheckKeys when the config is read.
	Keys []KeyBinding
	// WatchColumns are the watchlist's columns by id (the config's
	// watchlist.columns; empty: the default set).
	WatchColumns []string
	// OnOpen tells the poller of a ticker opened off the watchlist, so that
	// it backfills and quotes it; must not block.
	OnOpen func(model.Symbol)
	// LadderAt reads the last limit-up pool cached as of a time (offline
	// review); run in a command with SnapshotAt.
	LadderAt func(t time.Time) (model.Ladder, bool, error)
	// ETFs are the ETFs whose flows the sector panel shows besides the
	// watchlist's (the config's etf.symbols).
	ETFs []string
}

// BatchMsg carries one poll cycle's batch to the screen.
type BatchMsg struct{ Batch model.Batch }

// NoticeMsg shows a line in the status bar.
type NoticeMsg = common.NoticeMsg

// tickMsg is the clock's wake-up; seq tells the one pending from those
// an earlier wake-up replaced.
type tickMsg struct{ seq int }

// Model is the root model: the navigation stack and what frames it.
type Model struct {
	deps  Deps
	c     common.Common
	keys  *common.KeyMap
	mkt   *common.Market
	stack []common.Screen // the dashboard at the bottom, the active screen on top
	cmd   cmdline.Model

	width, height int
	reqID         int        // the offline review's latest snapshot request
	hint          *hintCache // a memo of the status bar's key hints (View fills it; it is not state)
	frame         *frameMemo // a memo of the last screen View made (not state either)
	notice        NoticeMsg

	tickSeq    int       // the pending wake-up's number
	detailCode string    // the security whose detail the poller was last told of
	due        time.Time // when the pending wake-up fires; zero when none is
}

// New builds the root model.
func New(d Deps) *Model {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Tick == nil {
		d.Tick = tea.Tick
	}
	keys := common.DefaultKeyMap(d.Lang)
	keyErr := keys.Remap(d.Keys)
	if keyErr != nil {
		keys = common.DefaultKeyMap(d.Lang)
	}
	mkt := common.NewMarket(d.Snapshot, d.Watchlist, d.Boards, d.Index, d.Health, d.Now())
	mkt.Whole.WatchCols, mkt.Whole.ETFs = d.WatchColumns, d.ETFs
	mkt.Alerts = common.Alerts{Book: d.Alerts, Log: append([]model.AlertEvent(nil), d.AlertLog...)}
	mkt.Alerts.Refresh()
	recompute := false
	if d.Estimate != mkt.Estimate {
		mkt.Estimate = d.Estimate
		recompute = true
	}
	if d.Offline {
		// The derived figures (the contract's current quarter, the
		// elements' staleness) are as of the cursor, not the clock.
		mkt.Offline, mkt.AsOf = d.Offline, d.AsOf
		recompute = true
	}
	if recompute {
		mkt.Recompute(common.AllChanges)
	}
	c := common.New(widgets.NewStyles(d.Western, d.NoColor), keys, mkt, d.History)
	c.Demo, c.Offline, c.NoColor, c.Western = d.Demo, d.Offline, d.NoColor, d.Western
	c.Lang, c.Wan = d.Lang, d.ElementsWan
	c.NoticeText = d.NoticeText
	c.NoLiveElements = d.NoLiveElements && !d.Demo && !d.Offline
	m := &Model{deps: d, c: c, keys: keys, mkt: mkt, cmd: cmdline.New(c), hint: &hintCache{}, frame: &frameMemo{}}
	m.stack = []common.Screen{dashboard.New(c)}
	if d.Notice != "" {
		m.notice = NoticeMsg{Text: d.Notice}
	}
	if keyErr != nil {
		m.notice = NoticeMsg{Text: c.F(i18n.KeyErrDefaults, keyErr), Error: true}
	}
	return m
}

// Init starts the clock.
func (m *Model) Init() tea.Cmd { return m.schedule() }

// secondsClock reports whether the clock shows seconds: while a market
// trades or auctions, live or in the demo. Otherwise (closed, offline) it shows
// HH:MM and wakes once a minute.
func (m *Model) secondsClock(now time.Time) bool {
	return !m.deps.Offline && (m.deps.Demo || model.AnyLive(now))
}

// NextWake is the first moment after now at which something drawn
// changes by the clock alone: the clock's next second or minute, a quote
// or a feed passing its staleness threshold (model.StaleAfter). Nothing
// else changes the screen without a message.
func (m *Model) NextWake(now time.Time) time.Time {
	next := now.Truncate(time.Minute).Add(time.Minute) // whole minutes in CST too: its offset is whole hours
	if m.secondsClock(now) {
		next = now.Truncate(time.Second).Add(time.Second)
	}
	if m.deps.Offline {
		return next // nothing turns stale in a review of the cache
	}
	earlier := func(at time.Time) {
		if at.After(now) && at.Before(next) {
			next = at
		}
	}
	// Stale means older than the threshold: the first moment past it.
	limit := m.mkt.StaleAfter()
	for _, seen := range m.mkt.SeenAt {
		earlier(seen.Add(limit + time.Nanosecond))
	}
	for _, h := range m.mkt.Health {
		if h.State == model.FeedOK && !h.LastOK.IsZero() && h.Cadence > 0 {
			earlier(h.LastOK.Add(model.StaleAfter(h.Cadence) + time.Nanosecond))
		}
	}
	return next
}

// schedule sets the clock's wake-up for NextWake, unless one is already
// pending for that moment or earlier.
func (m *Model) schedule() tea.Cmd {
	if !m.deps.Ticks {
		return nil
	}
	now := m.deps.Now()
	next := m.NextWake(now)
	if !m.due.IsZero() && !next.Before(m.due) {
		return nil
	}
	m.tickSeq++
	m.due = next
	seq := m.tickSeq
	return m.deps.Tick(next.Sub(now), func(time.Time) tea.Msg { return tickMsg{seq: seq} })
}

// Due is when the clock's pending wake-up fires (zero when none is).
func (m *Model) Due() time.Time { return m.due }

// Top is the active screen.
func (m *Model) Top() common.Screen { return m.stack[len(m.stack)-1] }

// Stack is the navigation stack, the dashboard first.
func (m *Model) Stack() []common.Screen { return append([]common.Screen(nil), m.stack...) }

func (m *Model) bodyHeight() int { return max(m.height-2, 0) }

// push opens s on top of the stack: sized, then started.
func (m *Model) push(s common.Screen) tea.Cmd {
	m.wantTicker(s)
	s.SetSize(m.width, m.bodyHeight())
	m.stack = append(m.stack, s)
	m.syncDetail()
	return s.Init()
}

// pop closes the top screen; the one below comes back as it was, redrawn
// with the data that arrived meanwhile.
func (m *Model) pop() tea.Cmd {
	if len(m.stack) == 1 {
		return nil
	}
	m.stack = m.stack[:len(m.stack)-1]
	m.syncDetail()
	return m.updateAt(len(m.stack)-1, common.RefreshMsg{})
}

// updateAt hands msg to the screen at stack index i.
func (m *Model) updateAt(i int, msg tea.Msg) tea.Cmd {
	s, cmd := m.stack[i].Update(msg)
	m.stack[i] = s
	// Carry out what the screen asked for (open, close, watch) now.
	cmds := []tea.Cmd{cmd}
	for _, req := range m.c.Posted() {
		_, c := m.Update(req)
		cmds = append(cmds, c)
	}
	return tea.Batch(cmds...)
}

// updateTop hands msg to the active screen.
func (m *Model) updateTop(msg tea.Msg) tea.Cmd { return m.updateAt(len(m.stack)-1, msg) }

// route hands a reply to the screen that asked for it; a reply for a
// screen no longer on the stack is dropped.
func (m *Model) route(msg common.Routed) tea.Cmd {
	for i, s := range m.stack {
		if s.ID() == msg.ScreenID() {
			return m.updateAt(i, msg)
		}
	}
	return nil
}
