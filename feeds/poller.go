package feeds

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

// Cadence sets how often each kind is polled.
type Cadence struct {
	QuotesOpen   time.Duration // while the A-share or HK market trades
	QuotesClosed time.Duration // otherwise
	Boards       time.Duration
	Members      time.Duration // board constituents
	Margin       time.Duration // margin is published once a day
	Elements     time.Duration
	History      time.Duration // how often to look for symbols to backfill
	Notices      time.Duration // announcements (default daily)
	NoticesSoon  time.Duration // announcements in a quarter's first ten days (default 30 minutes)
}

// DefaultCadence is the polite schedule for the public feeds.
var DefaultCadence = Cadence{
	QuotesOpen:   5 * time.Second,
	QuotesClosed: 5 * time.Minute,
	Boards:       10 * time.Second,
	Members:      time.Minute,
	Margin:       24 * time.Hour,
	Elements:     time.Hour,
	History:      30 * time.Second,
	Notices:      defaultNoticesEvery,
	NoticesSoon:  defaultNoticesSoon,
}

// Timeouts bounds each kind's requests.
type Timeouts struct {
	Quotes, History, Margin, Boards, Elements time.Duration
}

// DefaultTimeouts are per-request deadlines, each below its kind's cadence.
var DefaultTimeouts = Timeouts{Quotes: 4 * time.Second, History: 10 * time.Second, Margin: 10 * time.Second, Boards: 8 * time.Second, Elements: 20 * time.Second}

// Cached tells the poller what the store already holds, so it backfills only
// what is missing.
type Cached interface {
	// LastDaily returns the newest cached daily bar time of sym.
	LastDaily(sym string) (time.Time, bool)
	// LastMargin returns the newest cached margin day of sym.
	LastMargin(sym string) (time.Time, bool)
}

// PollerConfig wires the poller.
type PollerConfig struct {
	Quotes   []QuoteSource // the first is primary, the rest take over in order when it fails
	History  HistorySource
	Margin   MarginSource
	Boards   BoardSource
	Elements []ElementSource
	Notices  NoticeSource
	Detail   DetailSource // the open detail view's book, minutes and fund flow (poller_detail.go)

	Watchlist []model.Symbol
	BoardList []string // board codes, e.g. BK0578

	Cadence  Cadence
	Timeouts Timeouts
	// HistoryDays is how far back a symbol seen for the first time is
	// backfilled (default 366).
	HistoryDays int
	// MarginDays is how many margin days a first fetch asks for (default 250).
	MarginDays int
	// BackfillPerCycle caps history requests per cycle (default 3).
	BackfillPerCycle int
	// DetailPerCycle is how many leased details one detail cycle serves
	// (default DefaultDetailPerCycle; LeaseDetail).
	DetailPerCycle int
	// AlwaysOpen treats the market as trading at all hours (the demo market).
	AlwaysOpen bool

	Cached Cached
	// Sink writes a batch (one store transaction). An error is reported as
	// the health of the "store" feed; the batch still reaches Out.
	Sink func(model.Batch) error
	// Observe, when set, sees every batch before it is written, with the
	// health as it stands, and may add what the batch caused (the alerts it
	// fired): that is written and sent with the batch. It must not block.
	Observe func(b *model.Batch)
	// ExtraHealth, when set, adds health records kept outside the poller
	// (alert delivery) to Health and to every batch.
	ExtraHealth func() []model.FeedHealth
	// Out receives every batch after it is written. It must not block for
	// long (tea.Program.Send is fine).
	Out func(model.Batch)
	// Logf logs to the log file (never stdout while the UI runs).
	Logf func(format string, args ...any)
	// Warnf logs a row dropped (or a name cut) before the store: once per
	// feed, symbol and field, naming them. Default: Logf.
	Warnf func(format string, args ...any)
	// OnPanic, when set, is told of every panic recovered in the poller's
	// goroutines (a provider, the store write, the poller's own code): where
	// it happened, the value and the stack. The panic itself becomes the
	// failure of that feed (or of the store), "internal error: …", shown in
	// health and retried with backoff. nil: nothing is written beyond a
	// line to Logf.
	OnPanic func(where string, v any, stack []byte)
	// ElementCheck, when set, vets every element price from a feed; a price
	// it refuses is dropped with a warning, the others kept. nil accepts.
	ElementCheck func(model.ElementPrice) error
	// MaxPending is how many batches are kept for a retry while the store
	// fails (default DefaultMaxPending); past it the oldest is dropped.
	MaxPending int
	Now        func() time.Time
	// Rand returns a number in [0,1) for backoff jitter.
	Rand func() float64
}

// RetryAfterer is implemented by errors that carry a server's Retry-After.
type RetryAfterer interface{ RetryAfter() time.Duration }

// Poller runs every kind on its own cadence under one context. It never
// blocks the UI: results reach it by Out.
type Poller struct {
	cfg PollerConfig

	mu         sync.Mutex
	watch      []model.Symbol
	health     map[string]*model.FeedHealth // "feed/kind"
	wake       chan struct{}                // closed and replaced to wake every kind's loop
	seq        uint64
	due        map[Kind]time.Time
	membersAt  time.Time
	failures   map[Kind]int
	quoteBack  map[string]time.Time // source name → not before
	quoteNames []string             // the quote sources' names, in order
	backfill   map[string]bool      // symbols backfilled this run
	margined   map[string]time.Time // symbol → last margin fetch
	notices    noticeState
	// marginExtra are symbols whose margin is fetched besides the
	// watchlist's (poller_market.go).
	marginExtra []model.Symbol
	// wanted are symbols opened on screen off the watchlist: polled like
	// the watchlist's until the run ends (poller_market.go).
	wanted []model.Symbol
	det    detailState   // the open detail view's security
	leases []detailState // details leased by attached terminals (poller_detail.go)

	warned          map[string]bool // feed, symbol, field → a bad row was reported
	warnedFull      bool
	elemSeen        map[string]elemSeen  // source and element → what it last gave (poller_elements.go)
	elemSince       map[string]time.Time // a windowed element source → the first day to ask it for
	backfillPending int                  // symbols still to backfill, at the last history run
	sentHealth      []model.FeedHealth   // the health in the last batch sent to Out

	writeMu      sync.Mutex // one writer: the waiting batches and the store's retry
	pending      []pendingBatch
	storeFails   int
	storeRetryAt time.Time
}

// NewPoller checks the configuration and fills in defaults.
func NewPoller(cfg PollerConfig) *Poller {
	if cfg.Cadence == (Cadence{}) {
		cfg.Cadence = DefaultCadence
	}
	if cfg.Timeouts == (Timeouts{}) {
		cfg.Timeouts = DefaultTimeouts
	}
	if cfg.HistoryDays <= 0 {
		cfg.HistoryDays = 366
	}
	if cfg.MarginDays <= 0 {
		cfg.MarginDays = 250
	}
	if cfg.BackfillPerCycle <= 0 {
		cfg.BackfillPerCycle = 3
	}
	if cfg.DetailPerCycle <= 0 {
		cfg.DetailPerCycle = DefaultDetailPerCycle
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Float64
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.Warnf == nil {
		cfg.Warnf = cfg.Logf
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = DefaultMaxPending
	}
	if cfg.Sink == nil {
		cfg.Sink = func(model.Batch) error { return nil }
	}
	if cfg.Out == nil {
		cfg.Out = func(model.Batch) {}
	}
	p := &Poller{
		cfg:       cfg,
		watch:     append([]model.Symbol(nil), cfg.Watchlist...),
		health:    map[string]*model.FeedHealth{},
		wake:      make(chan struct{}),
		due:       map[Kind]time.Time{},
		failures:  map[Kind]int{},
		quoteBack: map[string]time.Time{},
		backfill:  map[string]bool{},
		margined:  map[string]time.Time{},
		warned:    map[string]bool{},
	}
	for i, q := range cfg.Quotes {
		p.quoteNames = append(p.quoteNames, q.Name())
		st := model.FeedIdle
		if i > 0 {
			st = model.FeedStandby
		}
		p.health[key(q.Name(), KindQuotes)] = &model.FeedHealth{Feed: q.Name(), Kind: string(KindQuotes), State: st}
	}
	return p
}

func key(feed string, k Kind) string { return feed + "/" + string(k) }

// SetWatchlist replaces the symbols polled for quotes and polls soon.
func (p *Poller) SetWatchlist(syms []model.Symbol) {
	p.mu.Lock()
	p.watch = append([]model.Symbol(nil), syms...)
	p.due[KindQuotes] = time.Time{}
	p.due[KindHistory] = time.Time{}
	p.due[KindMargin] = time.Time{}
	p.mu.Unlock()
	p.Nudge()
}

// Nudge wakes every kind's loop to look at its schedule again.
func (p *Poller) Nudge() {
	p.mu.Lock()
	close(p.wake)
	p.wake = make(chan struct{})
	p.mu.Unlock()
}

// Health returns a copy of every feed's health, sorted by feed then kind.
func (p *Poller) Health() []model.FeedHealth {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.healthLocked()
}

func (p *Poller) healthLocked() []model.FeedHealth {
	out := make([]model.FeedHealth, 0, len(p.health))
	for _, h := range p.health {
		out = append(out, *h)
	}
	if p.cfg.ExtraHealth != nil {
		_ = p.protect("extra health", func() error { out = append(out, p.cfg.ExtraHealth()...); return nil })
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Feed != out[j].Feed {
			return out[i].Feed < out[j].Feed
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

// Run polls until ctx is done; requests in flight are cancelled with it.
func (p *Poller) Run(ctx context.Context) error { return p.RunUntil(ctx, ctx) }

// RunUntil polls until stop is done. Every kind runs in its own loop on its
// own cadence, so a slow margin or history request never holds up the
// quotes; each run of a kind is one batch: one store transaction, one
// message. stop only ends the scheduling: requests already in flight run on
// under abort (each within its own deadline) and their batch is written
// before RunUntil returns. Cancelling abort gives up on them.
func (p *Poller) RunUntil(stop, abort context.Context) error {
	var wg sync.WaitGroup
	for _, k := range allKinds {
		if !p.enabled(k) {
			continue
		}
		wg.Add(1)
		go func(k Kind) {
			defer wg.Done()
			for {
				err := p.protect("poller "+string(k)+" loop", func() error { p.loop(stop, abort, k); return nil })
				if err == nil || stop.Err() != nil {
					return
				}
				p.schedule(k, err) // a panic in the loop itself: back off and go on
			}
		}(k)
	}
	wg.Wait()
	if err := p.Flush(); err != nil {
		p.cfg.Logf("store: at stop: %v", err)
	}
	return nil
}

var allKinds = []Kind{KindQuotes, KindBoards, KindMargin, KindElements, KindHistory, KindNotices, KindDetail}

func (p *Poller) loop(stop, abort context.Context, k Kind) {
	for {
		p.mu.Lock()
		wait := p.due[k].Sub(p.cfg.Now())
		wake := p.wake
		p.mu.Unlock()
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-stop.Done():
				t.Stop()
				return
			case <-wake:
				t.Stop()
				continue
			case <-t.C:
			}
		}
		if stop.Err() != nil {
			return
		}
		if err := p.protect("poller "+string(k), func() error { _, err := p.runBatch(abort, []Kind{k}); return err }); err != nil {
			var pe *PanicError
			if errors.As(err, &pe) {
				p.schedule(k, err) // back off, and go on polling
			}
		}
	}
}

func (p *Poller) enabled(k Kind) bool {
	switch k {
	case KindQuotes:
		return len(p.cfg.Quotes) > 0
	case KindHistory:
		return p.cfg.History != nil
	case KindMargin:
		return p.cfg.Margin != nil
	case KindBoards:
		return p.cfg.Boards != nil
	case KindElements:
		return len(p.cfg.Elements) > 0
	case KindNotices:
		return p.cfg.Notices != nil
	case KindDetail:
		return p.cfg.Detail != nil
	}
	return false
}

func (p *Poller) cadence(k Kind, now time.Time) time.Duration {
	c := p.cfg.Cadence
	switch k {
	case KindQuotes, KindDetail:
		if p.cfg.AlwaysOpen || model.AnyLive(now) { // the auctions move prices too
			return c.QuotesOpen
		}
		return c.QuotesClosed
	case KindBoards:
		if p.cfg.AlwaysOpen || model.AnyLive(now) {
			return c.Boards
		}
		return c.QuotesClosed
	case KindMargin:
		return c.Margin
	case KindElements:
		return c.Elements
	case KindHistory:
		return c.History
	case KindNotices:
		return p.noticeCadence(now)
	}
	return time.Minute
}

// Cycle runs every due kind once, together, and returns the batch they
// produced (also written to Sink and sent to Out). A cycle with nothing due
// returns an empty batch and sends nothing.
func (p *Poller) Cycle(ctx context.Context) (model.Batch, error) {
	if err := ctx.Err(); err != nil {
		return model.Batch{}, err
	}
	now := p.cfg.Now()
	p.mu.Lock()
	var due []Kind
	for _, k := range allKinds {
		if p.enabled(k) && !now.Before(p.due[k]) {
			due = append(due, k)
		}
	}
	p.mu.Unlock()
	if len(due) == 0 {
		return model.Batch{}, nil
	}
	return p.runBatch(ctx, due)
}

// runBatch runs the given kinds concurrently and writes what they returned
// as one batch.
func (p *Poller) runBatch(ctx context.Context, due []Kind) (model.Batch, error) {
	now := p.cfg.Now()
	p.mu.Lock()
	watch := append([]model.Symbol(nil), p.watch...)
	p.mu.Unlock()

	var (
		wg    sync.WaitGroup
		bmu   sync.Mutex
		batch = model.Batch{At: now}
	)
	merge := func(f func(b *model.Batch)) {
		bmu.Lock()
		f(&batch)
		bmu.Unlock()
	}
	for _, k := range due {
		wg.Add(1)
		go func(k Kind) {
			defer wg.Done()
			err := p.protect("poller "+string(k), func() error { return p.runKind(ctx, k, watch, merge) })
			var pe *PanicError
			if errors.As(err, &pe) && pe.Where == "poller "+string(k) {
				// A panic in the poller's own code for this kind: the
				// kind's feed shows it, and it backs off like any failure.
				p.record(p.sourceName(k), string(k), err, 0, 0, 0)
			}
			p.schedule(k, err)
		}(k)
	}
	wg.Wait()
	if ctx.Err() != nil && batch.Empty() {
		return model.Batch{}, ctx.Err()
	}

	p.mu.Lock()
	p.seq++
	batch.Seq = p.seq
	p.mu.Unlock()
	if p.cfg.Observe != nil {
		batch.Health = p.Health()
		_ = p.protect("alerts", func() error { p.cfg.Observe(&batch); return nil })
	}
	p.write(batch)
	p.mu.Lock()
	batch.Health = p.healthLocked()
	// A batch with nothing in it and the same health as the last one sent
	// would only wake the screen to redraw what it shows: it is not sent.
	send := !batch.Empty() || !slices.Equal(batch.Health, p.sentHealth)
	if send {
		p.sentHealth = batch.Health
	}
	p.mu.Unlock()
	if send {
		_ = p.protect("out", func() error { p.cfg.Out(batch); return nil })
	}
	return batch, nil
}

// sourceName names the (first) source of a kind, for its health.
func (p *Poller) sourceName(k Kind) string {
	name := ""
	_ = p.protect("source name", func() error {
		switch k {
		case KindQuotes:
			if len(p.cfg.Quotes) > 0 {
				name = p.cfg.Quotes[0].Name()
			}
		case KindHistory:
			name = p.cfg.History.Name()
		case KindMargin:
			name = p.cfg.Margin.Name()
		case KindBoards:
			name = p.cfg.Boards.Name()
		case KindElements:
			if len(p.cfg.Elements) > 0 {
				name = p.cfg.Elements[0].Name()
			}
		case KindNotices:
			name = p.cfg.Notices.Name()
		case KindDetail:
			name = p.cfg.Detail.Name()
		}
		return nil
	})
	if name == "" {
		name = "poller"
	}
	return name
}

// subKinds are the health kinds each kind's runs record.
var subKinds = map[Kind][]string{
	KindQuotes:   {"quotes"},
	KindBoards:   {"boards", "members"},
	KindMargin:   {"margin", "sector margin"},
	KindElements: {"elements"},
	KindHistory:  {"history", "minute history"},
	KindNotices:  {"notices"},
	KindDetail:   {"book", "minutes", "fund flow"},
}

func (p *Poller) schedule(k Kind, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.cfg.Now()
	c := p.cadence(k, now)
	if err == nil {
		p.failures[k] = 0
		p.due[k] = p.nextRun(k, now, c)
		if k == KindQuotes || k == KindBoards {
			// The cadence in force from now (it changes with the session).
			for _, h := range p.health {
				if h.Kind == string(k) && h.State == model.FeedOK {
					h.Cadence = c
				}
			}
		}
		return
	}
	p.failures[k]++
	var ra time.Duration
	var r RetryAfterer
	if errors.As(err, &r) {
		ra = r.RetryAfter()
	}
	b := httpx.Backoff(p.failures[k]-1, ra, p.cfg.Rand)
	d := c
	if !p.cfg.AlwaysOpen && !model.AnyLive(now) {
		// Nothing trades: little it would bring changes before the open,
		// so a failing feed backs off further each time (see closedRetry),
		// whatever its cadence (history looks for work every 30 s), or
		// for the quote kinds up to their closed heartbeat and never past
		// the next open.
		d = max(closedRetry(p.failures[k], p.cfg.Rand), ra)
		if k == KindQuotes || k == KindBoards || k == KindDetail {
			d = max(min(d, c, NextOpen(now).Sub(now)), ra)
		}
	} else if c < time.Minute {
		// A fast kind slows down while its feed fails, but tries again
		// within fastRetryCap, so a feed that comes back (a fallback
		// included) is seen healthy within that, not after minutes.
		d = max(c, min(b, fastRetryCap), ra)
	} else {
		d = min(c, max(b, 30*time.Second, ra)) // a slow kind retries before its next cadence
	}
	p.due[k] = now.Add(d)
	for _, h := range p.health {
		if h.State != model.FeedFailing || !slices.Contains(subKinds[k], h.Kind) {
			continue
		}
		next := p.due[k]
		if k == KindQuotes {
			if nb := p.quoteBack[h.Feed]; nb.After(next) && !p.isLastQuote(h.Feed) {
				next = nb
			}
		}
		h.NextTry = next
	}
}

// nextRun is when a kind that just succeeded runs again. While the market
// trades (and always for the demo market) that is one cadence later.
// Otherwise quotes and boards beat slowly (the closed cadence) but never
// past the next session's open; margin data, published once a day before
// the open, is fetched at 09:00 on trading days (or after its cadence, if
// configured shorter than a day); and history, once every symbol is
// backfilled, looks again at 09:00 on the next trading day, when the
// previous session's bar is the one a symbol may lack. Called with p.mu
// held.
func (p *Poller) nextRun(k Kind, now time.Time, c time.Duration) time.Time {
	next := onBeat(now, c)
	if k == KindNotices {
		return noticeNextRun(now, c)
	}
	if k == KindDetail && !p.hasDetailLocked() {
		return now.Add(time.Hour) // nothing open: SetDetail or LeaseDetail wakes it
	}
	if p.cfg.AlwaysOpen {
		if k == KindHistory && p.backfillPending == 0 {
			// Every symbol is backfilled, and a market that never closes
			// has no next session to look at again for: nothing to do
			// until the watchlist changes or a ticker is opened
			// (SetWatchlist and Want make it due at once).
			return now.Add(max(c, alwaysOpenHistoryRest))
		}
		return next
	}
	switch k {
	case KindQuotes, KindBoards, KindDetail:
		if !model.AnyLive(now) {
			if open := NextOpen(now); open.Before(next) {
				next = open
			}
		}
	case KindMargin:
		if at := nextDaily(now, 9*60); c >= 24*time.Hour || at.Before(next) {
			next = at
		}
	case KindHistory:
		if p.backfillPending == 0 {
			next = nextDaily(now, 9*60)
			if p.cfg.Cached != nil {
				// Look at every symbol again then: the cache tells which
				// ones lack the new day's bar.
				clear(p.backfill)
			}
		}
	}
	return next
}

// NextOpen is the first moment after now at which prices move on the
// A-share or HK market: HK's pre-opening session at 09:00, the A-share
// auction at 09:15, the sessions at 09:30 and 13:00 CST.
func NextOpen(now time.Time) time.Time {
	day := model.Day(now)
	for d := 0; d < 60; d++ {
		for _, m := range []int{9 * 60, 9*60 + 15, 9*60 + 30, 13 * 60} {
			t := day.AddDate(0, 0, d).Add(time.Duration(m) * time.Minute)
			if t.After(now) && model.AnyLive(t) {
				return t
			}
		}
	}
	return now.Add(24 * time.Hour)
}

// nextDaily is the first moment after now at the given minute of the day
// (CST) on an A-share trading day.
func nextDaily(now time.Time, minute int) time.Time {
	day := model.Day(now)
	for d := 0; d < 60; d++ {
		t := day.AddDate(0, 0, d).Add(time.Duration(minute) * time.Minute)
		if t.After(now) && model.IsTradingDay(model.ExchangeA, t) {
			return t
		}
	}
	return now.Add(24 * time.Hour)
}

// onBeat is about one cadence c after now, on a multiple of c (whole
// seconds for any whole-second cadence): the kinds polled every 2, 4 or 30
// seconds and the screen's clock, which ticks on the second, then wake the
// process together instead of each at its own moment. The wait is between
// c/2 and 3c/2; a run that ends just after a beat (the usual case) waits c.
// Cadences over a minute (the closed heartbeat, hourly and daily kinds) are
// left as they were: one wake-up in minutes gains nothing from a beat.
func onBeat(now time.Time, c time.Duration) time.Time {
	if c < time.Second || c > time.Minute {
		return now.Add(c)
	}
	return now.Add(c / 2).Truncate(c).Add(c)
}

// closedRetry is how long a feed that has failed n times in a row waits
// while no market trades: 30 s after the first failure, doubling each time
// up to 30 minutes, the last quarter of it jittered.
func closedRetry(n int, rnd func() float64) time.Duration {
	d := closedRetryCap
	if n < 16 {
		d = min(closedRetryFirst<<max(n-1, 0), closedRetryCap)
	}
	f := 0.5
	if rnd != nil {
		f = rnd()
	}
	if !(f >= 0) || f > 1 {
		f = 0.5
	}
	return d - time.Duration(f*float64(d/4))
}

// The retries of a failing feed while no market trades.
const (
	closedRetryFirst = 30 * time.Second
	closedRetryCap   = 30 * time.Minute
)

// alwaysOpenHistoryRest is how long the history of a market that never
// closes (the demo) rests once every symbol is backfilled.
const alwaysOpenHistoryRest = time.Hour

// fastRetryCap bounds the retry delay of a fast kind (quotes, boards)
// while it fails.
const fastRetryCap = 30 * time.Second

func (p *Poller) isLastQuote(name string) bool {
	n := len(p.quoteNames)
	return n > 0 && p.quoteNames[n-1] == name
}

// record updates a feed's health after a request.
func (p *Poller) record(feed, kind string, err error, latency time.Duration, rows int, cadence time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := feed + "/" + kind
	h, ok := p.health[k]
	if !ok {
		h = &model.FeedHealth{Feed: feed, Kind: kind}
		p.health[k] = h
	}
	now := p.cfg.Now()
	h.LastTry = now
	h.Latency = latency
	if cadence > 0 {
		h.Cadence = cadence
	}
	if err != nil {
		if h.State != model.FeedFailing || h.FailingSince.IsZero() {
			h.FailingSince = now
		}
		h.State = model.FeedFailing
		h.Failures++
		h.LastErr = model.Sanitize(err.Error())
		if len(h.LastErr) > 300 {
			cut := 300
			for cut > 0 && !utf8.RuneStart(h.LastErr[cut]) {
				cut--
			}
			h.LastErr = h.LastErr[:cut]
		}
		return
	}
	h.State = model.FeedOK
	h.Failures = 0
	h.FailingSince = time.Time{}
	h.NextTry = time.Time{}
	h.LastOK = now
	h.Rows = rows
}

func (p *Poller) setStandby(feed string, k Kind) {
	p.mu.Lock()
	defer p.mu.Unlock()
	// A fallback not in use is on standby, even if its last try failed
	// (the failure count and error stay for the health view).
	if h, ok := p.health[key(feed, k)]; ok {
		h.State = model.FeedStandby
		h.NextTry = time.Time{}
	}
}

func (p *Poller) runKind(ctx context.Context, k Kind, watch []model.Symbol, merge func(func(*model.Batch))) error {
	switch k {
	case KindQuotes:
		return p.pollQuotes(ctx, p.withWanted(watch, false), merge)
	case KindBoards:
		return p.pollBoards(ctx, merge)
	case KindMargin:
		return p.pollMargin(ctx, p.marginList(p.withWanted(watch, false)), merge)
	case KindElements:
		return p.pollElements(ctx, merge)
	case KindHistory:
		return p.pollHistory(ctx, p.withWanted(watch, true), merge)
	case KindNotices:
		return p.pollNotices(ctx, watch, merge)
	case KindDetail:
		return p.pollDetail(ctx, merge)
	}
	return nil
}

// learnedSymbols records the names feeds return, so search knows every
// symbol seen (constituents included), not only the watchlist.
func learnedSymbols(qs []model.Quote) []model.Symbol {
	out := make([]model.Symbol, 0, len(qs))
	for _, q := range qs {
		s, err := model.ParseSymbol(q.Symbol)
		if err != nil || q.Name == "" {
			continue
		}
		s.Name = model.CleanName(q.Name)
		out = append(out, s)
	}
	return out
}

func quoteSymbols(watch []model.Symbol) []model.Symbol {
	out := make([]model.Symbol, 0, len(watch))
	for _, s := range watch {
		if s.Market != model.MarketBoard {
			out = append(out, s)
		}
	}
	return out
}

// pollQuotes asks the primary source; when it fails (or is backing off) the
// next source takes over for this cycle. The primary is retried on its own
// backoff schedule and takes back over as soon as it answers.
func (p *Poller) pollQuotes(ctx context.Context, watch []model.Symbol, merge func(func(*model.Batch))) error {
	syms := quoteSymbols(watch)
	if len(syms) == 0 {
		return nil
	}
	now := p.cfg.Now()
	cad := p.cadence(KindQuotes, now)
	var lastErr error
	for i, src := range p.cfg.Quotes {
		name := p.quoteNames[i] // no provider code runs under p.mu
		p.mu.Lock()
		notBefore := p.quoteBack[name]
		p.mu.Unlock()
		if i < len(p.cfg.Quotes)-1 && now.Before(notBefore) {
			continue // backing off: go straight to the next source
		}
		cctx, cancel := context.WithTimeout(httpx.WithKind(ctx, "quotes"), p.cfg.Timeouts.Quotes)
		start := time.Now()
		qs, err := call(p, src.Name()+" quotes", func() ([]model.Quote, error) { return src.Quotes(cctx, syms) })
		cancel()
		if err == nil {
			if n := len(qs); n > 0 {
				qs = p.vetQuotes(src.Name()+" quotes", qs, p.cfg.Now(), false)
				if len(qs) == 0 {
					err = fmt.Errorf("all %d quotes in the response were invalid", n)
				}
			} else {
				err = fmt.Errorf("no quotes in the response")
			}
		}
		p.record(src.Name(), string(KindQuotes), err, time.Since(start), len(qs), cad)
		if err != nil {
			lastErr = err
			p.cfg.Logf("%s quotes: %v", name, err)
			var ra time.Duration
			var r RetryAfterer
			if errors.As(err, &r) {
				ra = r.RetryAfter()
			}
			p.mu.Lock()
			fails := 1
			if h := p.health[key(name, KindQuotes)]; h != nil {
				fails = h.Failures
			}
			p.quoteBack[name] = now.Add(httpx.Backoff(fails-1, ra, p.cfg.Rand))
			p.mu.Unlock()
			continue
		}
		for _, other := range p.quoteNames[i+1:] {
			p.setStandby(other, KindQuotes)
		}
		names := learnedSymbols(qs)
		merge(func(b *model.Batch) {
			b.Quotes = append(b.Quotes, qs...)
			b.Symbols = append(b.Symbols, names...)
		})
		return nil // the primary or a fallback answered: the kind is healthy
	}
	return lastErr
}

func (p *Poller) pollBoards(ctx context.Context, merge func(func(*model.Batch))) error {
	src := p.cfg.Boards
	if len(p.cfg.BoardList) == 0 {
		return nil
	}
	now := p.cfg.Now()
	cctx, cancel := context.WithTimeout(httpx.WithKind(ctx, "boards"), p.cfg.Timeouts.Boards)
	defer cancel()
	start := time.Now()
	bs, err := call(p, src.Name()+" boards", func() ([]model.BoardMove, error) { return src.Boards(cctx, p.cfg.BoardList) })
	if err == nil {
		bs = p.vetBoards(src.Name()+" boards", bs, p.cfg.Now())
	}
	p.record(src.Name(), string(KindBoards), err, time.Since(start), len(bs), p.cadence(KindBoards, now))
	if err != nil {
		p.cfg.Logf("%s boards: %v", src.Name(), err)
		return err
	}
	merge(func(b *model.Batch) { b.Boards = append(b.Boards, bs...) })

	p.mu.Lock()
	wantMembers := now.Sub(p.membersAt) >= p.cfg.Cadence.Members
	p.mu.Unlock()
	if !wantMembers {
		return nil
	}
	members := map[string][]model.Quote{}
	var merr error
	for _, code := range p.cfg.BoardList {
		start := time.Now()
		// Each board's constituents have their own deadline: they come after
		// the board list and must not inherit what is left of its time.
		mctx, mcancel := context.WithTimeout(httpx.WithKind(ctx, "members"), p.cfg.Timeouts.Boards)
		qs, err := call(p, src.Name()+" constituents", func() ([]model.Quote, error) { return src.Constituents(mctx, code) })
		mcancel()
		if err == nil {
			qs = p.vetQuotes(src.Name()+" constituents", qs, p.cfg.Now(), true)
		}
		p.record(src.Name(), "members", err, time.Since(start), len(qs), p.cfg.Cadence.Members)
		if err != nil {
			merr = err
			p.cfg.Logf("%s constituents %s: %v", src.Name(), code, err)
			continue
		}
		members[code] = qs
	}
	if merr == nil {
		p.mu.Lock()
		p.membersAt = now
		p.mu.Unlock()
	}
	if len(members) > 0 {
		var names []model.Symbol
		for _, qs := range members {
			names = append(names, learnedSymbols(qs)...)
		}
		for _, bm := range bs {
			if bm.Name != "" {
				names = append(names, model.Symbol{Code: bm.Code, Market: model.MarketBoard, Name: bm.Name})
			}
		}
		merge(func(b *model.Batch) {
			b.Members = members
			b.Symbols = append(b.Symbols, names...)
		})
	}
	return nil
}

func (p *Poller) pollMargin(ctx context.Context, watch []model.Symbol, merge func(func(*model.Batch))) error {
	src := p.cfg.Margin
	now := p.cfg.Now()
	var lastErr error
	ok, fails := 0, 0
	for _, s := range watch {
		if !s.Market.IsA() || s.IsETF() {
			continue // margin financing is an A-share stock list
		}
		days := p.cfg.MarginDays
		if p.cfg.Cached != nil {
			if last, has := p.cfg.Cached.LastMargin(s.Code); has {
				// Only the gap since the newest cached day, plus a little overlap.
				gap := int(now.Sub(last).Hours()/24) + 3
				days = min(days, max(gap, 5))
			}
		}
		cctx, cancel := context.WithTimeout(httpx.WithKind(ctx, "margin"), p.cfg.Timeouts.Margin)
		start := time.Now()
		ms, err := call(p, src.Name()+" margin", func() ([]model.MarginDay, error) { return src.Margin(cctx, s, days) })
		cancel()
		if err == nil {
			ms = p.vetMargin(src.Name()+" margin", ms, p.cfg.Now())
		}
		p.record(src.Name(), string(KindMargin), err, time.Since(start), len(ms), p.cfg.Cadence.Margin)
		if err != nil {
			lastErr = err
			fails++
			p.cfg.Logf("%s margin %s: %v", src.Name(), s.Code, err)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if ok == 0 && fails >= 2 {
				break // the feed is down: try the rest on the next round
			}
			continue
		}
		ok++
		merge(func(b *model.Batch) { b.Margin = append(b.Margin, ms...) })
	}
	if len(p.cfg.BoardList) > 0 {
		cctx, cancel := context.WithTimeout(httpx.WithKind(ctx, "sector margin"), p.cfg.Timeouts.Margin)
		start := time.Now()
		ms, err := call(p, src.Name()+" sector margin", func() ([]model.MarginDay, error) { return src.SectorMargin(cctx, p.cfg.BoardList) })
		cancel()
		if err == nil {
			ms = p.vetMargin(src.Name()+" sector margin", ms, p.cfg.Now())
		}
		p.record(src.Name(), "sector margin", err, time.Since(start), len(ms), p.cfg.Cadence.Margin)
		if err != nil {
			lastErr = err
			p.cfg.Logf("%s sector margin: %v", src.Name(), err)
		} else {
			ok++
			merge(func(b *model.Batch) { b.Margin = append(b.Margin, ms...) })
		}
	}
	if ok == 0 {
		return lastErr
	}
	return nil
}

func (p *Poller) pollElements(ctx context.Context, merge func(func(*model.Batch))) error {
	var lastErr error
	ok := 0
	for _, src := range p.cfg.Elements {
		cctx, cancel := context.WithTimeout(httpx.WithKind(ctx, "elements"), p.cfg.Timeouts.Elements)
		start := time.Now()
		since, windowed := p.elementWindow(src)
		es, err := call(p, src.Name()+" elements", func() ([]model.ElementPrice, error) {
			if windowed {
				return src.(ElementWindowSource).ElementsSince(cctx, since)
			}
			return src.Elements(cctx)
		})
		cancel()
		if err == nil {
			es = p.vetElements(src.Name()+" elements", es, p.cfg.Now())
			p.noteElementWindow(src, es)
		}
		p.record(src.Name(), string(KindElements), err, time.Since(start), len(es), p.cfg.Cadence.Elements)
		if err != nil {
			lastErr = err
			p.cfg.Logf("%s elements: %v", src.Name(), err)
			continue
		}
		ok++
		// A source that repeats its history sends it once (the demo
		// market gives a year of prices every poll).
		es = p.newElements(src.Name(), es)
		merge(func(b *model.Batch) { b.Elements = append(b.Elements, es...) })
	}
	if ok == 0 {
		return lastErr
	}
	return nil
}

// pollHistory backfills daily bars (a year for a symbol seen for the first
// time, the gap since the newest cached bar otherwise) and the last session's
// 1-minute bars. A few symbols a cycle.
func (p *Poller) pollHistory(ctx context.Context, watch []model.Symbol, merge func(func(*model.Batch))) error {
	src := p.cfg.History
	now := p.cfg.Now()
	n := 0
	var lastErr error
	progressed := false
	defer func() { p.backfillProgress(src.Name(), watch, progressed) }()
	for _, s := range watch {
		if n >= p.cfg.BackfillPerCycle {
			break
		}
		p.mu.Lock()
		done := p.backfill[s.Code]
		p.mu.Unlock()
		if done {
			continue
		}
		x := model.ExchangeOf(s.Market)
		from := model.Day(now).AddDate(0, 0, -p.cfg.HistoryDays)
		if p.cfg.Cached != nil {
			if last, ok := p.cfg.Cached.LastDaily(s.Code); ok {
				if !last.Before(model.PrevTradingDay(x, now)) {
					p.mu.Lock()
					p.backfill[s.Code] = true
					p.mu.Unlock()
					continue // up to date
				}
				from = last
			}
		}
		n++
		cctx, cancel := context.WithTimeout(httpx.WithKind(ctx, "history"), p.cfg.Timeouts.History)
		start := time.Now()
		bars, err := call(p, src.Name()+" history", func() ([]model.Bar, error) { return src.Bars(cctx, s, model.Daily, from, now) })
		cancel()
		if err == nil {
			bars = p.vetBars(src.Name()+" history", bars, p.cfg.Now())
		}
		p.record(src.Name(), string(KindHistory), err, time.Since(start), len(bars), 0)
		if err != nil {
			lastErr = err
			p.cfg.Logf("%s history %s: %v", src.Name(), s.Code, err)
			break // one failure is enough: the rest wait for the next round
		}
		// The last session's 1-minute bars, for the intraday chart.
		day := model.LastSessionDay(x, now)
		cctx, cancel = context.WithTimeout(httpx.WithKind(ctx, "history"), p.cfg.Timeouts.History)
		start = time.Now()
		mins, merr := call(p, src.Name()+" minute history", func() ([]model.Bar, error) { return src.Bars(cctx, s, model.Minute, day, now) })
		cancel()
		if merr == nil {
			mins = p.vetBars(src.Name()+" minute history", mins, p.cfg.Now())
		}
		p.record(src.Name(), "minute history", merr, time.Since(start), len(mins), 0)
		if merr != nil {
			p.cfg.Logf("%s minute history %s: %v", src.Name(), s.Code, merr)
		} else {
			bars = append(bars, mins...)
		}
		p.mu.Lock()
		p.backfill[s.Code] = true
		p.mu.Unlock()
		progressed = true
		merge(func(b *model.Batch) { b.Bars = append(b.Bars, bars...) })
	}
	return lastErr
}

// backfillProgress publishes the backfill's state on the history feed's
// health: the symbols still waiting, and when it last made progress (or
// began waiting), from which a stall is told.
func (p *Poller) backfillProgress(feed string, watch []model.Symbol, progressed bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var waiting []string
	for _, s := range watch {
		if !p.backfill[s.Code] {
			waiting = append(waiting, s.Code)
		}
	}
	k := key(feed, KindHistory)
	h, ok := p.health[k]
	if !ok {
		h = &model.FeedHealth{Feed: feed, Kind: string(KindHistory)}
		p.health[k] = h
	}
	now := p.cfg.Now()
	if progressed || (p.backfillPending == 0 && len(waiting) > 0) || h.Progress.IsZero() {
		h.Progress = now
	}
	p.backfillPending = len(waiting)
	h.Pending = len(waiting)
	h.Detail = ""
	if len(waiting) > 0 {
		h.Detail = strings.Join(waiting[:min(len(waiting), 3)], " ")
		if len(waiting) > 3 {
			h.Detail += fmt.Sprintf(" +%d", len(waiting)-3)
		}
	}
}
