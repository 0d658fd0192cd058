// Package alerts evaluates the alert rules on every committed batch and
// delivers what fires: the batch carries the fired alerts to the screen
// (status bar, bell, desktop notification) and to the database; commands
// and webhooks run on a worker goroutine behind a queue, so delivery never
// holds up polling or the screen. Commands and webhooks come only from rules
// read from the config file, and every text that goes out is sanitised.
package alerts

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// Health record names of the delivery (shown with the feeds' health).
const (
	FeedWebhook = "webhook"
	FeedCommand = "command"
	KindAlerts  = "alerts"
)

// logSize is how many fired alerts the engine remembers for the screen.
const logSize = 200

// Config wires the engine.
type Config struct {
	Rules      []model.AlertRule
	Snapshot   model.Snapshot // the cached market at start
	Index      model.IndexSpec
	AlwaysOpen bool // every market trades (the demo market)
	// Estimate is the contract estimate a new quarter is compared with.
	Estimate model.EstimateSpec
	// Lang is the language of what webhooks and commands are handed
	// ({title}, {body}): English unless the config file says zh.
	Lang i18n.Lang

	// WebhookTimeout bounds each POST (default 5 s); Retries is how many
	// times a failed POST is tried again (default 3), after Backoff(n)
	// (default 1 s, 2 s, 4 s …).
	WebhookTimeout time.Duration
	Retries        int
	Backoff        func(n int) time.Duration
	Client         *http.Client
	// CommandTimeout bounds a command (default 10 s).
	CommandTimeout time.Duration
	// Exec runs a command's argv (no shell). Default: os/exec.
	Exec func(ctx context.Context, argv []string) error
	// QueueSize is how many deliveries may wait (default 64); past it a
	// delivery is dropped and logged.
	QueueSize int
	// Unseeded starts an engine that has no rules without a copy of the
	// market (Snapshot is not used): a copy of every price, margin day and
	// bar the screen holds, kept up to date for rules that do not exist.
	// The screen gives it its own copy (Seed) before the first rule is
	// added. Until then batches are not evaluated; the last seedBacklog of
	// them are kept, to bring that copy up to the engine's.
	Unseeded bool

	Now     func() time.Time
	Logf    func(format string, args ...any)
	OnPanic func(where string, v any, stack []byte)
}

// Engine evaluates rules and delivers alerts. Its methods are safe for
// concurrent use.
type Engine struct {
	cfg Config

	mu      sync.Mutex
	ev      *model.AlertEvaluator
	log     []model.AlertEvent
	health  map[string]*model.FeedHealth
	closed  bool
	started bool
	seeded  bool          // the evaluator holds the market (see Config.Unseeded)
	backlog []model.Batch // the last batches observed while not seeded

	queue chan model.AlertEvent
	done  chan struct{}
}

// New builds an engine; Start runs its delivery worker.
func New(cfg Config) *Engine {
	if cfg.WebhookTimeout <= 0 {
		cfg.WebhookTimeout = 5 * time.Second
	}
	if cfg.Retries < 0 {
		cfg.Retries = 0
	} else if cfg.Retries == 0 {
		cfg.Retries = 3
	}
	if cfg.Backoff == nil {
		cfg.Backoff = func(n int) time.Duration { return time.Second << min(n, 5) }
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if cfg.CommandTimeout <= 0 {
		cfg.CommandTimeout = 10 * time.Second
	}
	if cfg.Exec == nil {
		cfg.Exec = func(ctx context.Context, argv []string) error {
			return exec.CommandContext(ctx, argv[0], argv[1:]...).Run() // stdin, stdout, stderr: /dev/null
		}
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 64
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	e := &Engine{cfg: cfg, health: map[string]*model.FeedHealth{},
		queue: make(chan model.AlertEvent, cfg.QueueSize), done: make(chan struct{})}
	e.seeded = !cfg.Unseeded || len(cfg.Rules) > 0
	snap := cfg.Snapshot
	if !e.seeded {
		snap = model.Snapshot{}
	}
	e.ev = model.NewAlertEvaluator(safeRules(cfg.Rules), snap, cfg.Index, cfg.AlwaysOpen)
	e.ev.SetEstimate(cfg.Estimate)
	for _, r := range cfg.Rules {
		e.noteDelivery(r)
	}
	return e
}

// safeRules drops the command and webhook of any rule not read from the
// config file.
func safeRules(rs []model.AlertRule) []model.AlertRule {
	out := make([]model.AlertRule, len(rs))
	for i, r := range rs {
		if !r.FromConfig {
			r.Command, r.Webhook = nil, ""
		}
		out[i] = r
	}
	return out
}

func (e *Engine) noteDelivery(r model.AlertRule) {
	if !r.FromConfig {
		return
	}
	if r.Webhook != "" && e.health[FeedWebhook] == nil {
		e.health[FeedWebhook] = &model.FeedHealth{Feed: FeedWebhook, Kind: KindAlerts, State: model.FeedIdle}
	}
	if len(r.Command) > 0 && e.health[FeedCommand] == nil {
		e.health[FeedCommand] = &model.FeedHealth{Feed: FeedCommand, Kind: KindAlerts, State: model.FeedIdle}
	}
}

// Observe evaluates the rules on a batch about to be written (the
// poller's hook): the alerts it fires are added to the batch, so they are
// stored with it and reach the screen with it, and their commands and
// webhooks are queued. It never blocks.
func (e *Engine) Observe(b *model.Batch) {
	now := e.cfg.Now()
	if !b.At.IsZero() {
		now = b.At
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.seeded {
		// No rules, and no copy of the market to apply the batch to.
		if len(e.backlog) == seedBacklog {
			e.backlog = append(e.backlog[:0], e.backlog[1:]...)
		}
		e.backlog = append(e.backlog, *b)
		return
	}
	fired := e.ev.Evaluate(*b, now)
	e.log = append(e.log, fired...)
	if n := len(e.log); n > logSize {
		e.log = append(e.log[:0:0], e.log[n-logSize:]...)
	}
	b.Alerts = append(b.Alerts, fired...)
	for _, a := range fired {
		e.cfg.Logf("alert: %s: %s", a.Title, a.Body)
		if e.closed || !((len(a.Command) > 0 && wants(a, model.DeliverCommand)) || (a.Webhook != "" && wants(a, model.DeliverWebhook))) {
			continue
		}
		a.Title, a.Body = a.In(e.cfg.Lang)
		select {
		case e.queue <- a:
		default:
			e.cfg.Logf("alert: delivery of %q dropped: %d deliveries already waiting", a.Title, cap(e.queue))
		}
	}
}

// seedBacklog is how many batches an unseeded engine keeps: the screen
// applies a batch moments after the engine saw it, so its copy of the
// market lags by one or two.
const seedBacklog = 16

// Seeded reports whether the engine holds its copy of the market.
func (e *Engine) Seeded() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.seeded
}

// Seed gives an unseeded engine its copy of the market: snap, which holds
// every batch up to seq (the screen's, cloned). The batches the engine saw
// after seq are applied to it. An engine already seeded ignores it.
func (e *Engine) Seed(snap model.Snapshot, seq uint64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seedLocked(snap, seq)
}

func (e *Engine) seedLocked(snap model.Snapshot, seq uint64) {
	if e.seeded {
		return
	}
	ev := model.NewAlertEvaluator(e.ev.Rules(), snap, e.cfg.Index, e.cfg.AlwaysOpen)
	ev.SetEstimate(e.cfg.Estimate)
	if len(e.backlog) > 0 && e.backlog[0].Seq > seq+1 {
		e.cfg.Logf("alerts: the market given to the rules lacks batches %d to %d (only the last %d are kept)", seq+1, e.backlog[0].Seq-1, seedBacklog)
	}
	for _, b := range e.backlog {
		if b.Seq <= seq {
			continue // in snap already
		}
		now := b.At
		if now.IsZero() {
			now = e.cfg.Now()
		}
		ev.Evaluate(b, now) // no rules yet: it only applies the batch
	}
	e.ev, e.seeded, e.backlog = ev, true, nil
}

func wants(a model.AlertEvent, d string) bool {
	for _, x := range a.Deliver {
		if x == d {
			return true
		}
	}
	return false
}

// Start runs the delivery worker until ctx is done or Close.
func (e *Engine) Start(ctx context.Context) {
	e.mu.Lock()
	if e.started {
		e.mu.Unlock()
		return
	}
	e.started = true
	e.mu.Unlock()
	go func() {
		defer close(e.done)
		for {
			select {
			case <-ctx.Done():
				return
			case a, ok := <-e.queue:
				if !ok {
					return
				}
				e.deliverSafe(ctx, a)
			}
		}
	}()
}

// Close stops taking deliveries and waits up to d for those queued to be
// done. It reports whether they all were.
func (e *Engine) Close(d time.Duration) bool {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return true
	}
	e.closed = true
	started := e.started
	close(e.queue)
	e.mu.Unlock()
	if !started {
		return len(e.queue) == 0
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-e.done:
		return true
	case <-t.C:
		return false
	}
}

func (e *Engine) deliverSafe(ctx context.Context, a model.AlertEvent) {
	defer func() {
		if v := recover(); v != nil {
			stack := debug.Stack()
			e.cfg.Logf("alert: panic delivering %q: %v", a.Title, v)
			if e.cfg.OnPanic != nil {
				e.cfg.OnPanic("alert delivery", v, stack)
			}
		}
	}()
	if len(a.Command) > 0 && wants(a, model.DeliverCommand) {
		err := e.runCommand(ctx, a)
		e.record(FeedCommand, err)
	}
	if a.Webhook != "" && wants(a, model.DeliverWebhook) {
		err := e.postWebhook(ctx, a)
		e.record(FeedWebhook, err)
	}
}

func (e *Engine) record(feed string, err error) {
	now := e.cfg.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	h := e.health[feed]
	if h == nil {
		h = &model.FeedHealth{Feed: feed, Kind: KindAlerts}
		e.health[feed] = h
	}
	h.LastTry = now
	if err == nil {
		h.State, h.LastOK, h.Failures, h.LastErr, h.FailingSince = model.FeedOK, now, 0, "", time.Time{}
		return
	}
	if h.State != model.FeedFailing {
		h.FailingSince = now
	}
	h.State, h.Failures, h.LastErr = model.FeedFailing, h.Failures+1, model.Sanitize(err.Error())
	e.cfg.Logf("alert: %s: %v", feed, err)
}

// Health returns the delivery's health records (webhook, command), for the
// feed-health view and the status bar.
func (e *Engine) Health() []model.FeedHealth {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]model.FeedHealth, 0, len(e.health))
	for _, h := range e.health {
		out = append(out, *h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Feed < out[j].Feed })
	return out
}

// Rules returns the rules in order.
func (e *Engine) Rules() []model.AlertRule {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ev.Rules()
}

// SetRules replaces the rules; those kept keep their state.
func (e *Engine) SetRules(rs []model.AlertRule) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seedLocked(model.NewSnapshot(), 0) // nothing given: rules see the batches from now on
	rs = safeRules(rs)
	for _, r := range rs {
		e.noteDelivery(r)
	}
	e.ev.SetRules(rs)
}

// Add parses a rule typed by the user and adds it (status and bell; no
// command or webhook).
func (e *Engine) Add(text string) (model.AlertRule, error) {
	r, err := model.ParseAlertRule(text)
	if err != nil {
		return r, err
	}
	r.Deliver = []string{model.DeliverStatus, model.DeliverBell}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seedLocked(model.NewSnapshot(), 0) // not given one (Seed): rules see the batches from now on
	rs := e.ev.Rules()
	for i, x := range rs {
		if x.Text == r.Text {
			return r, fmt.Errorf("already rule %d", i+1)
		}
	}
	e.ev.SetRules(append(rs, r))
	return r, nil
}

// Remove deletes rule n (1-based) and returns it.
func (e *Engine) Remove(n int) (model.AlertRule, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	rs := e.ev.Rules()
	if n < 1 || n > len(rs) {
		return model.AlertRule{}, fmt.Errorf("no rule %d: there are %d", n, len(rs))
	}
	r := rs[n-1]
	e.ev.SetRules(append(rs[:n-1], rs[n:]...))
	return r, nil
}

// States returns each rule's state, in order.
func (e *Engine) States() []model.AlertState {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ev.States()
}

// View is what the alerts screen draws: each rule's state and the recent
// log, newest last.
type View struct {
	States []model.AlertState
	Log    []model.AlertEvent
}

// Snapshot returns the rules' states and the log.
func (e *Engine) Snapshot() View {
	e.mu.Lock()
	defer e.mu.Unlock()
	return View{States: e.ev.States(), Log: append([]model.AlertEvent(nil), e.log...)}
}
