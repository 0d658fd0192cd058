// Package ui is rareterm's screen: the bubbletea root model, the dashboard
// panels, detail views, help and the status bar. Update and View never do
// I/O: data arrives as messages (poll batches from the poller, history
// loaded by commands through the small reader interface declared here).
package ui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/model"
)

// HistoryReader is what the detail views read from the cache. The store
// satisfies it; reads run inside commands, never in Update or View.
type HistoryReader interface {
	Bars(sym string, iv model.Interval, from, to time.Time) ([]model.Bar, error)
	Quotes(sym string, from, to time.Time) ([]model.Quote, error)
	Margin(sym string, from, to time.Time) ([]model.MarginDay, error)
}

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
	// Ticks enables the once-a-second clock for the status bar.
	Ticks bool

	// SaveWatchlist persists the watchlist (the config file); run in a command.
	SaveWatchlist func(codes []string) error
	// OnWatchlist tells the poller about a changed watchlist; must not block.
	OnWatchlist func([]model.Symbol)
	// SavePrices stores manually entered element prices; run in a command.
	SavePrices func([]model.ElementPrice) error
	// SnapshotAt reads the market as of a time (offline review); run in a command.
	SnapshotAt func(asOf time.Time) (model.Snapshot, error)
	// AsOf is the offline cursor's first date.
	AsOf time.Time
	// ExportDir is where :export writes (default: the working directory).
	ExportDir string
}

// BatchMsg carries one poll cycle's batch to the screen.
type BatchMsg struct{ Batch model.Batch }

// NoticeMsg shows a line in the status bar.
type NoticeMsg struct {
	Text  string
	Error bool
}

type tickMsg time.Time

type screenKind int

const (
	screenDashboard screenKind = iota
	screenTicker
	screenHelp
	screenHealth
	screenElement
	screenIndex
	screenContract
	screenBoard
)

// screen is one entry of the back stack.
type screen struct {
	kind   screenKind
	symbol string
	from   string    // breadcrumb of the panel it was opened from
	v      viewState // the view's own state, kept while it is on the stack
}

// Model is the root model.
type Model struct {
	deps   Deps
	styles Styles
	keys   KeyMap

	st      model.Snapshot
	watch   []model.Symbol
	health  []model.FeedHealth
	seenAt  map[string]time.Time // when each quote last arrived
	derived derived
	trail   map[string][]model.Quote // today's quotes per symbol, for the 1D chart

	width, height int
	focus         panelID
	sel           [numPanels]int
	off           [numPanels]int

	stack  []screen
	detail detailState
	reqID  int
	search searchState
	cmd    cmdState
	asOf   time.Time // offline review: the date the screen shows

	now    time.Time
	notice NoticeMsg

	// Render cache: the body is rebuilt only when something it shows changed.
	bodyCache string
	bodyDirty bool
}

// New builds the root model.
func New(d Deps) *Model {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Snapshot.Quotes == nil {
		d.Snapshot = model.NewSnapshot()
	}
	m := &Model{
		deps:   d,
		styles: NewStyles(d.Western, d.NoColor),
		keys:   DefaultKeyMap(),
		st:     d.Snapshot,
		watch:  append([]model.Symbol(nil), d.Watchlist...),
		health: d.Health,
		seenAt: map[string]time.Time{},
		trail:  map[string][]model.Quote{},
		now:    d.Now(),
		stack:  []screen{{kind: screenDashboard}},
		asOf:   d.AsOf,
	}
	if d.Notice != "" {
		m.notice = NoticeMsg{Text: d.Notice}
	}
	m.recompute(model.Changes{Quotes: true, Bars: true, Elements: true, Margin: true, Boards: true, Contract: true})
	return m
}

// Init starts the clock.
func (m *Model) Init() tea.Cmd {
	if m.deps.Ticks {
		return tick()
	}
	return nil
}

func tick() tea.Cmd {
	return tea.Tick(time.Until(time.Now().Truncate(time.Second).Add(time.Second)), func(t time.Time) tea.Msg { return tickMsg(t) })
}

func (m *Model) top() screen { return m.stack[len(m.stack)-1] }

// vs is the state of the view on top of the stack.
func (m *Model) vs() *viewState { return &m.stack[len(m.stack)-1].v }

// refTime is the moment the screen shows: now, or the offline cursor.
func (m *Model) refTime() time.Time {
	if m.deps.Offline && !m.asOf.IsZero() {
		return m.asOf.Add(24*time.Hour - time.Nanosecond)
	}
	return m.now
}

func (m *Model) push(s screen) {
	m.stack = append(m.stack, s)
	m.bodyDirty = true
}

func (m *Model) pop() {
	if len(m.stack) > 1 {
		m.stack = m.stack[:len(m.stack)-1]
		m.bodyDirty = true
	}
}

// Update handles a message. It never blocks.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.bodyDirty = true
	case tickMsg:
		prev := m.now
		m.now = m.deps.Now()
		// The header and status bar show the clock and are drawn every
		// frame; the body is redrawn only when a value turned stale.
		m.bodyDirty = m.bodyDirty || m.staleCrossed(prev, m.now)
		return m, tick()
	case BatchMsg:
		m.applyBatch(msg.Batch)
	case NoticeMsg:
		m.notice = msg
	case detailMsg:
		m.applyDetail(msg)
	case watchlistMsg:
		m.notice = NoticeMsg{Text: msg.text}
		if msg.err != nil {
			m.notice = NoticeMsg{Text: msg.err.Error(), Error: true}
		}
	case savedMsg:
		m.notice = NoticeMsg{Text: msg.text}
		if msg.err != nil {
			m.notice = NoticeMsg{Text: "manual price not stored: " + msg.err.Error(), Error: true}
		}
	case exportMsg:
		if msg.err != nil {
			m.notice = NoticeMsg{Text: "export failed: " + msg.err.Error(), Error: true}
		} else {
			m.notice = NoticeMsg{Text: fmt.Sprintf("exported %d rows to %s", msg.rows, msg.path)}
		}
	case snapshotMsg:
		m.applySnapshot(msg)
	case tea.MouseWheelMsg:
		m.wheel(msg)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

// applySnapshot replaces the market with one read as of a date.
func (m *Model) applySnapshot(msg snapshotMsg) {
	if msg.id != m.reqID {
		return // a newer request is on its way
	}
	if msg.err != nil {
		m.notice = NoticeMsg{Text: "reading the cache: " + msg.err.Error(), Error: true}
		return
	}
	m.st = msg.snap
	if m.st.Quotes == nil {
		m.st = model.NewSnapshot()
	}
	m.asOf = msg.asOf
	m.trail = map[string][]model.Quote{}
	m.detail.daily, m.detail.quotes, m.detail.margin = nil, nil, nil
	m.notice = NoticeMsg{Text: "as of " + msg.asOf.Format("2006-01-02 Mon")}
	m.recompute(model.Changes{Quotes: true, Bars: true, Elements: true, Margin: true, Boards: true, Contract: true})
	m.bodyDirty = true
}

func (m *Model) applyBatch(b model.Batch) {
	m.now = m.deps.Now()
	if len(b.Health) > 0 {
		m.health = b.Health
	}
	ch := m.st.Apply(b)
	for _, q := range b.Quotes {
		m.seenAt[q.Symbol] = b.At
		tr := m.trail[q.Symbol]
		if n := len(tr); n > 0 && model.Day(tr[n-1].Time) != model.Day(q.Time) {
			tr = tr[:0]
		}
		if n := len(tr); n == 0 || q.Time.After(tr[n-1].Time) {
			if len(tr) >= 4000 {
				tr = append(tr[:0], tr[len(tr)-3000:]...)
			}
			m.trail[q.Symbol] = append(tr, q)
		}
	}
	for _, s := range b.Symbols {
		for i := range m.watch {
			if m.watch[i].Code == s.Code && s.Name != "" {
				m.watch[i].Name = s.Name
			}
		}
	}
	m.recompute(ch)
	m.bodyDirty = true
}

// staleCrossed reports whether anything on the body changes between two
// clock readings: a quote reaching its staleness threshold, or a new day
// (element prices age by the day).
func (m *Model) staleCrossed(prev, now time.Time) bool {
	if model.Day(prev) != model.Day(now) {
		return true
	}
	limit := m.staleAfter()
	for _, seen := range m.seenAt {
		if at := seen.Add(limit); at.After(prev) && !at.After(now) {
			return true
		}
	}
	return false
}
