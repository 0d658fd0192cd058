package main

import (
	"context"
	"fmt"
	"github.com/rareterm/rareterm/alerts"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/demo"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

// collectCommitted, when set (tests), is called with every batch after its
// transaction committed, before the progress line.
var collectCommitted func(model.Batch)

func runCollect(args []string, stdout, stderr io.Writer) int {
	sf := newSubFlags("collect", i18n.CollectUsage, true, args, stderr)
	l := sf.lang
	once := sf.fs.Bool("once", false, i18n.FlagOnce.In(l))
	sf.fs.Int64Var(&sf.opts.seed, "seed", 1, i18n.FlagSeed.In(l))
	sf.fs.Var(serveFlag{&sf.opts.serve, &sf.opts.serveAddr}, "serve", i18n.FlagServe.In(l))
	pos, code, ok := sf.parse(args)
	if !ok {
		return code
	}
	if len(pos) == 1 && sf.opts.serve && sf.opts.serveAddr == "" {
		sf.opts.serveAddr, pos = pos[0], nil // --serve ADDR
	}
	if len(pos) > 0 {
		return sf.usageError(stderr, i18n.CLIUnexpected, pos[0])
	}
	// The first SIGINT, SIGTERM or SIGHUP stops new requests; the requests
	// in flight get collectGrace to finish before they are abandoned, as
	// they are at once on a second signal. Either way what they returned is
	// written and the database closed.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, shutdownSignals()...)
	defer signal.Stop(sigs)
	stop, stopNow := context.WithCancel(context.Background())
	defer stopNow()
	abort, abortNow := context.WithCancel(context.Background())
	defer abortNow()
	var crashMu sync.Mutex
	var crashed *crashError
	onCrash := func(c *crashError) {
		crashMu.Lock()
		if crashed == nil {
			crashed = c
		}
		crashMu.Unlock()
		fmt.Fprintf(stderr, "rareterm collect: %s\n", c.In(l))
		stopNow()
		abortNow()
	}
	goSafe("collect's signal handler", func() {
		select {
		case s := <-sigs:
			fmt.Fprintln(stderr, i18n.CollectSignal.F(l, s))
			stopNow()
		case <-abort.Done():
			return
		}
		select {
		case <-sigs:
			fmt.Fprintln(stderr, i18n.CollectAbandon.In(l))
		case <-time.After(collectGrace):
			fmt.Fprintln(stderr, i18n.CollectAbandonAfter.F(l, collectGrace))
		case <-abort.Done():
			return
		}
		abortNow()
	}, onCrash)
	err := collect(sf.opts, l, *once, stop, abort, stderr, onCrash)
	abortNow() // ends the signal goroutine
	crashMu.Lock()
	c := crashed
	crashMu.Unlock()
	if c != nil {
		return exitFail // reported when it happened
	}
	if err != nil {
		fmt.Fprintf(stderr, "rareterm collect: %s\n", i18n.Say(l, err))
		return exitFail
	}
	return exitOK
}

// collectGrace is how long the requests in flight at a signal may run on:
// with the write and the close, collect ends within 5 s of a signal.
const collectGrace = 3 * time.Second

// collectArm, when set (the fault tests' build), is called once the first
// batch is committed.
var collectArm func()

// errAllFailed: --once, and no feed answered.
type errAllFailed struct{ feeds []string }

func (e errAllFailed) Error() string { return e.In(i18n.EN) }

func (e errAllFailed) In(l i18n.Lang) string {
	return i18n.CollectAllFailed.F(l, strings.Join(e.feeds, ", "))
}

// collect runs the poller with no screen until stop is done (or one cycle
// with once). abort cancels the requests in flight.
func collect(o options, l i18n.Lang, once bool, stop, abort context.Context, stderr io.Writer, onCrash func(*crashError)) error {
	cfg, err := LoadConfig(o.configPath())
	if err != nil {
		return err
	}
	cfg.Calendar.Apply()
	path := o.dbPath()
	logger, closeLog, err := openLog(path)
	if err != nil {
		return i18n.Errorf(i18n.CLILogFile, err)
	}
	defer closeLog()
	mode := store.ModeLive
	if o.demo {
		mode = store.ModeDemo
	}
	db, moved, err := openDB(path, store.Options{Mode: mode, Timeout: time.Second})
	if err != nil {
		return err
	}
	defer db.Close()
	if moved != nil {
		fmt.Fprintln(stderr, i18n.CollectLine.F(l, moved))
		logger.Print(moved)
	}
	now := time.Now()
	collectRetain(db, cfg.RetentionDays, now, l, stderr, logger.Printf)
	spec, err := syncIndexEras(db, cfg.Index, now)
	if err != nil {
		return err
	}
	if o.demo {
		seedDemoContract(db, o.seed, logger.Printf)
	}

	watch := mergeNames(cfg.Watchlist, demo.Symbols())
	var pcfg feeds.PollerConfig
	if o.demo {
		pcfg = demoSources(o.seed)
	} else if pcfg, err = liveSources(cfg, logger); err != nil {
		return err
	}
	pr := &progress{w: stderr, lang: l, sinkErr: map[uint64]error{}, failing: map[string]int{}}
	pcfg.Watchlist = watch
	pcfg.BoardList = cfg.Boards
	pcfg.HistoryDays = cfg.BackfillDays
	pcfg.Cached = storeCache{db}
	var desk *serving
	if o.serve {
		if desk, err = startServing(cfg.Desk, path, o.serveAddr, db, logger.Printf); err != nil {
			return i18n.Errorf(i18n.CollectServingErr, err)
		}
		defer desk.close() // before the database closes
		fmt.Fprintln(stderr, i18n.CollectServing.F(l, desk.url))
	}
	pcfg.Sink = func(b model.Batch) error {
		err := db.Append(b)
		pr.wrote(b, err)
		desk.publish(b, err) // after the commit: bbolt is the system of record
		return err
	}
	pcfg.Out = pr.batch
	pcfg.Logf = logger.Printf
	pcfg.OnPanic = feedPanicHook(currentCrashDir(), logger.Printf)
	if pcfg.Timeouts == (feeds.Timeouts{}) {
		pcfg.Timeouts = cfg.Timeouts
	}
	snap, err := db.Snapshot(time.Time{}, codes(watch), 400)
	if err != nil {
		return i18n.Errorf(i18n.CLIReadingCache, withAdvice(err))
	}
	aw, err := newAlerts(cfg, snap, spec, o.demo, path, &pcfg, logger.Printf)
	if err != nil {
		return err
	}
	aw.engine.Start(abort)
	defer func() {
		if !aw.engine.Close(alertDrain) {
			fmt.Fprintln(stderr, i18n.CollectAlertsLeft.F(l, alertDrain))
		}
	}()
	poller := feeds.NewPoller(pcfg)
	if desk != nil {
		desk.setHealth(poller.Health)
		desk.setWant(poller.Want)
		desk.setDetail(poller.LeaseDetail)
	}
	logger.Printf("collect started: mode=%s db=%s once=%v", mode, path, once)
	fmt.Fprintln(stderr, i18n.CollectStart.F(l, path, dbMode(mode), len(watch), len(cfg.Boards)))

	if once {
		if stop.Err() != nil {
			fmt.Fprintln(stderr, i18n.CollectStoppedEarly.In(l))
			return nil
		}
		// A signal during the cycle lets its requests finish (abort ends them).
		b, err := poller.Cycle(abort)
		if stop.Err() != nil { // a signal during the cycle
			if werr := pr.writeErr(); werr != nil {
				return i18n.Errorf(i18n.CollectSignalLost, werr)
			}
			fmt.Fprintln(stderr, i18n.CollectStoppedCycle.F(l, pr.committed()))
			return nil
		}
		if err != nil {
			return err
		}
		if failed := allFailed(b.Health); len(failed) > 0 {
			return errAllFailed{failed}
		}
		if err := pr.writeErr(); err != nil {
			return i18n.Errorf(i18n.CollectNotWritten, err)
		}
		return nil
	}

	var wg sync.WaitGroup
	wg.Add(1)
	goSafe("collect's daily retention", func() { // fold quotes into minute bars once a day
		defer wg.Done()
		if injectPanic != nil {
			injectPanic("collect", nil)
		}
		day := model.Day(now)
		t := time.NewTicker(10 * time.Minute)
		defer t.Stop()
		for {
			select {
			case <-stop.Done():
				return
			case tick := <-t.C:
				if d := model.Day(tick); !d.Equal(day) {
					day = d
					collectRetain(db, cfg.RetentionDays, tick, l, stderr, logger.Printf)
				}
			}
		}
	}, onCrash)
	waitMarket := runMarket(stop, marketPoller(pcfg, cfg, db, poller, nil, logger))
	err = poller.RunUntil(stop, abort) // returns once every kind's batch in hand is written
	wg.Wait()
	waitMarket()
	n := pr.committed()
	fmt.Fprintln(stderr, i18n.CollectStopped.F(l, n))
	logger.Printf("collect stopped: %d batches", n)
	return err
}

// retain folds the quotes older than the retention into minute bars and
// returns what it did, for the user (nil when there was nothing to fold).
// A failure loses nothing: the quotes stay as they are.
func retain(db *store.DB, days int, now time.Time) (*retained, error) {
	if days <= 0 {
		days = store.DefaultRetentionDays
	}
	rep, err := db.Retain(now, days)
	if err != nil || (rep.Quotes == 0 && rep.Thinned == 0) {
		return nil, err
	}
	return &retained{rep}, nil
}

// retained says what retain did, in either language.
type retained struct{ rep store.RetainReport }

func (r *retained) In(l i18n.Lang) string {
	msg := i18n.RetentionFolded.F(l, r.rep.Quotes, r.rep.Cutoff.Format("2006-01-02"), r.rep.Bars, r.rep.Symbols)
	if r.rep.Thinned > 0 {
		msg += i18n.RetentionThinned.F(l, r.rep.Thinned)
	}
	return msg
}

func (r *retained) String() string { return r.In(i18n.EN) }

// collectRetain runs retain for collect: the outcome on stderr (in l) and
// in the log.
func collectRetain(db *store.DB, days int, now time.Time, l i18n.Lang, stderr io.Writer, logf func(string, ...any)) {
	var msg i18n.Localized
	r, err := retain(db, days, now)
	switch {
	case err != nil:
		msg = i18n.Errorf(i18n.RetentionFailed, err)
	case r != nil:
		msg = r
	default:
		return
	}
	fmt.Fprintln(stderr, i18n.CollectLine.F(l, msg))
	logf("%s", msg.In(i18n.EN))
}

// demoSources is the simulated market on the dashboard's demo cadences.
func demoSources(seed int64, opts ...demo.Option) feeds.PollerConfig {
	mkt := demo.New(seed, opts...)
	return feeds.PollerConfig{
		Quotes: []feeds.QuoteSource{mkt}, History: mkt, Margin: mkt, Boards: mkt, Notices: mkt, Detail: mkt,
		Elements:   []feeds.ElementSource{mkt},
		AlwaysOpen: true,
		Cadence: feeds.Cadence{QuotesOpen: 2 * time.Second, QuotesClosed: 2 * time.Second, Boards: 4 * time.Second,
			Members: 30 * time.Second, Margin: time.Hour, Elements: 30 * time.Second, History: time.Second,
			Notices: 10 * time.Second, NoticesSoon: 10 * time.Second},
		BackfillPerCycle: 5,
	}
}

// allFailed lists the feeds that failed when no feed succeeded (the store's
// own health aside); nil when any answered.
func allFailed(hs []model.FeedHealth) []string {
	var failed []string
	for _, h := range hs {
		if h.Feed == "store" || h.Kind == alerts.KindAlerts {
			continue
		}
		switch h.State {
		case model.FeedOK:
			return nil
		case model.FeedFailing:
			failed = append(failed, h.Feed+" "+h.Kind)
		}
	}
	return failed
}

// progress prints a line per batch on stderr. The poller's kinds write
// batches concurrently, so everything is under mu.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	lang    i18n.Lang
	sinkErr map[uint64]error // batch → its write error, until printed
	failing map[string]int   // "feed kind" → failures already reported
	n       int              // batches committed
	lastErr error            // the last write error
}

// wrote records the outcome of a batch's write (called from Sink).
func (p *progress) wrote(b model.Batch, err error) {
	if err == nil && collectCommitted != nil {
		collectCommitted(b)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sinkErr[b.Seq] = err
	if err != nil {
		p.lastErr = err
	}
}

// writeErr is the last write error, nil when every write succeeded.
func (p *progress) writeErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastErr
}

func (p *progress) committed() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

// batch prints the batch's line and the feeds that started or stopped
// failing (called from Out, after Sink).
func (p *progress) batch(b model.Batch) {
	p.mu.Lock()
	defer p.mu.Unlock()
	err, wrote := p.sinkErr[b.Seq]
	delete(p.sinkErr, b.Seq)
	switch {
	case wrote && err != nil:
		fmt.Fprintln(p.w, i18n.BatchNotWritten.F(p.lang, b.Seq, err))
	case wrote:
		p.n++
		if p.n == 1 && collectArm != nil {
			collectArm()
		}
		fmt.Fprintln(p.w, i18n.BatchCommitted.F(p.lang,
			b.Seq, len(b.Quotes), len(b.Bars), len(b.Margin), len(b.Elements), len(b.Boards), noticeProgress(b, p.lang)))
	}
	for _, a := range b.Alerts {
		fmt.Fprintln(p.w, i18n.BatchAlert.F(p.lang, model.Sanitize(a.Title), model.Sanitize(a.Body)))
	}
	hs := append([]model.FeedHealth(nil), b.Health...)
	sort.Slice(hs, func(i, j int) bool { return hs[i].Feed+hs[i].Kind < hs[j].Feed+hs[j].Kind })
	for _, h := range hs {
		k := h.Feed + " " + h.Kind
		switch {
		case h.State == model.FeedFailing && h.Failures > p.failing[k]:
			fmt.Fprintln(p.w, i18n.BatchFeedFailing.F(p.lang, k, h.Failures, h.LastErr))
			p.failing[k] = h.Failures
		case h.State != model.FeedFailing && p.failing[k] > 0:
			fmt.Fprintln(p.w, i18n.BatchFeedRecovered.F(p.lang, k))
			delete(p.failing, k)
		}
	}
}

// noticeProgress is the tail of a batch's line for what the announcement
// watcher brought: notices, and each contract quarter with its price.
func noticeProgress(b model.Batch, l i18n.Lang) string {
	var sb strings.Builder
	if len(b.Notices) > 0 {
		sb.WriteString(i18n.BatchNotices.F(l, len(b.Notices)))
	}
	for _, c := range b.Concentrates {
		if !c.Parsed {
			sb.WriteString(i18n.BatchContractNoPx.F(l, c.Quarter, c.Reason))
		}
	}
	for _, c := range b.Contract {
		sb.WriteString(i18n.BatchContract.F(l, c.Quarter, c.Price, c.Basis()))
		if c.Proposed() {
			sb.WriteString(i18n.BatchProposed.In(l))
		}
	}
	return sb.String()
}
