// Command rareterm is a terminal market monitor for the Chinese rare-earth
// sector: element prices, a locally computed price index, the Baotou Steel →
// Northern Rare Earth concentrate contract, margin financing, sector boards
// and a watchlist, cached in an embedded database for offline review.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/rareterm/rareterm/i18n"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/demo"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
	"github.com/rareterm/rareterm/ui"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the flags shared by the dashboard and the subcommands.
type options struct {
	demo    bool
	offline bool
	db      string
	config  string
	seed    int64
	// serve and serveAddr: collect --serve [ADDR]; connect: a dashboard
	// attached to a collector elsewhere (nats://host:4222).
	serve     bool
	serveAddr string
	connect   string
	// lang: --lang, "" when not given.
	lang string
}

func (o *options) register(fs *flag.FlagSet, l i18n.Lang) {
	fs.BoolVar(&o.demo, "demo", false, i18n.FlagDemo.In(l))
	fs.BoolVar(&o.offline, "offline", false, i18n.FlagOffline.In(l))
	fs.StringVar(&o.db, "db", "", i18n.FlagDB.F(l, liveDBPath()))
	fs.StringVar(&o.config, "config", "", i18n.FlagConfig.F(l, configPath()))
	fs.Int64Var(&o.seed, "seed", 1, i18n.FlagSeed.In(l))
	fs.StringVar(&o.connect, "connect", "", i18n.FlagConnect.In(l))
	fs.StringVar(&o.lang, "lang", "", i18n.FlagLang.In(l))
}

// language is the labels' language: --lang, else the config's lang, else
// the locale.
func (o *options) language(cfg Config) i18n.Lang { return chooseLang(o.lang, cfg.Lang) }

// dbPath resolves the database for the mode: demo mode never opens the live
// database.
func (o *options) dbPath() string {
	live := o.db
	if live == "" {
		live = liveDBPath()
	}
	if o.demo {
		if o.db != "" && filepath.Base(o.db) != "rareterm.db" {
			return o.db // an explicit demo database
		}
		return demoDBPath(live)
	}
	return live
}

func (o *options) configPath() string {
	if o.config != "" {
		return o.config
	}
	return configPath()
}

func run(args []string, stdout, stderr io.Writer) (code int) {
	lang := i18n.EN // until the arguments are read
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "rareterm: %s\n", newCrash("rareterm", r, debug.Stack()).In(lang))
			code = exitFail
		}
	}()
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return runSubcommand(args[0], args[1:], stdout, stderr)
	}
	lang = startLang(args)
	fs := flag.NewFlagSet("rareterm", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	o.register(fs, lang)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), i18n.CLIUsage.In(lang))
		printDefaults(fs, lang)
	}
	if err := parseFlags(fs, args, lang); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "rareterm: %s\n", i18n.CLIUnexpected.F(lang, fs.Arg(0)))
		return 2
	}
	if _, ok := parseLang(o.lang); o.lang != "" && !ok {
		fmt.Fprintf(stderr, "rareterm: %s\n", i18n.CLIBadLang.F(lang, o.lang))
		return 2
	}
	if err := dashboard(o); err != nil {
		fmt.Fprintf(stderr, "rareterm: %s\n", i18n.Say(lang, withAdvice(err)))
		return 1
	}
	return 0
}

// openLog opens the log file beside the database.
func openLog(dbPath string) (*log.Logger, func(), error) {
	setCrashDir(dbPath)
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return nil, nil, err
	}
	name := strings.TrimSuffix(dbPath, filepath.Ext(dbPath)) + ".log"
	f, err := os.OpenFile(name, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, err
	}
	return log.New(f, "", log.LstdFlags|log.Lmicroseconds), func() { f.Close() }, nil
}

// syncIndexEras keeps the index chain-linked across basket changes: the
// first run stores the configured basket from the base date; a later run
// with other weights starts a new era today. A new base date restarts the
// chain.
func syncIndexEras(db *store.DB, cfg model.IndexSpec, now time.Time) (model.IndexSpec, error) {
	eras, err := db.IndexEras()
	if err != nil {
		return cfg, err
	}
	want := cfg.Eras[0].Weights
	switch {
	case len(eras) == 0 || !eras[0].From.Equal(cfg.BaseDate):
		eras = []model.IndexEra{{From: cfg.BaseDate, Weights: want}}
	case !model.SameWeights(eras[len(eras)-1].Weights, want):
		from := model.Day(now)
		if last := eras[len(eras)-1]; !from.After(last.From) {
			eras[len(eras)-1].Weights = want // changed twice in a day: the last one holds
		} else {
			eras = append(eras, model.IndexEra{From: from, Weights: want})
		}
	default:
		cfg.Eras = eras
		return cfg, nil
	}
	if err := db.SetIndexEras(eras); err != nil {
		return cfg, err
	}
	cfg.Eras = eras
	return cfg, nil
}

// storeCache answers the poller's backfill questions from the database.
type storeCache struct{ db *store.DB }

func (c storeCache) LastDaily(sym string) (time.Time, bool) {
	_, last, ok, err := c.db.FirstLast("bars1d", sym)
	return last, ok && err == nil
}

func (c storeCache) LastMargin(sym string) (time.Time, bool) {
	_, last, ok, err := c.db.FirstLast("margin", sym)
	return last, ok && err == nil
}

// Contract and Concentrates let the announcement watcher know the quarters
// and the notices already read (feeds.NoticeCached).
func (c storeCache) Contract() ([]model.ContractQuarter, error) { return c.db.Contract() }
func (c storeCache) Concentrates() ([]model.ConcentrateNotice, error) {
	return c.db.Concentrates()
}

func codes(syms []model.Symbol) []string {
	out := make([]string, 0, len(syms))
	for _, s := range syms {
		out = append(out, s.Code)
	}
	return out
}

// dashboard runs the interactive screen in the chosen mode.
func dashboard(o options) error {
	quietNATSSampler() // a dashboard serves no NATS
	cfg, err := LoadConfig(o.configPath())
	if err != nil {
		return err
	}
	lang := o.language(cfg)
	cfg.Calendar.Apply()
	if _, set := os.LookupEnv("GOGC"); !set {
		// The dashboard's live heap is about 7–10 MB and, with the demo
		// market ticking, it makes about 0.3 MB of garbage a second. The
		// collector's default lets the heap grow to twice the live part
		// before it runs; half again keeps about 4 MB less resident for a
		// collection every 8–10 s instead of every 10–20 (a few ms of CPU
		// each) in the demo, and changes nothing on an idle screen, which
		// makes no garbage. GOGC in the environment still decides.
		debug.SetGCPercent(50)
	}
	if _, set := os.LookupEnv("GOMAXPROCS"); !set {
		// The dashboard's work is a poll, a commit and a frame every few
		// seconds, none of it in parallel: with one P the runtime does
		// not wake a second thread to look for work each time a
		// goroutine is readied (measured in the demo: about 15% fewer
		// wake-ups and less CPU). A long poll is still preempted within
		// 10 ms for a key. GOMAXPROCS in the environment still decides.
		runtime.GOMAXPROCS(1)
	}
	path := o.dbPath()
	logger, closeLog, err := openLog(path)
	if err != nil {
		return i18n.Errorf(i18n.CLILogFile, err)
	}
	defer closeLog()
	if o.connect != "" {
		return deskDashboard(o, cfg, o.connect, logger)
	}

	mode := "live"
	if o.demo {
		mode = "demo"
	}
	db, moved, err := openDB(path, store.Options{Mode: mode, Timeout: time.Second, ReadOnly: o.offline})
	copyNotice := ""
	if err != nil {
		if url, ok := localCollector(path, err, cfg.Desk); ok {
			return deskDashboard(o, cfg, url, logger) // a collector serves this database
		}
		if !o.offline {
			return err
		}
		cp, cleanup, notice, ok := offlineFallback(path, mode, err, lang)
		if !ok {
			return err
		}
		// Review while a collect that serves no terminals writes the file.
		db, copyNotice = cp, notice
		defer cleanup()
	} else {
		defer db.Close()
	}
	if moved != nil {
		fmt.Fprintf(os.Stderr, "rareterm: %s\n", moved.In(lang))
		logger.Print(moved)
	}
	if o.demo {
		// The demo keeps its own watchlist, in its own database: its
		// watchlist keys never touch the config file.
		if codes, ok, err := db.Watchlist(); err != nil {
			logger.Printf("demo watchlist: %v", err)
		} else if ok {
			cfg.Watchlist = parseCodes(codes, logger)
		}
	}
	if !o.offline {
		// Intraday quotes past the retention become 1-minute bars.
		if msg, err := retain(db, cfg.RetentionDays, time.Now()); err != nil {
			logger.Printf("retention: %v", err)
		} else if msg != nil {
			logger.Print(msg)
		}
	}

	now := time.Now()
	spec := cfg.Index
	if !o.offline {
		if spec, err = syncIndexEras(db, cfg.Index, now); err != nil {
			return err
		}
	} else if eras, err := db.IndexEras(); err == nil && len(eras) > 0 {
		spec.Eras = eras
	}

	// The reference instruments' names, so rows are named before the first quote.
	watch := mergeNames(cfg.Watchlist, demo.Symbols())
	var pcfg feeds.PollerConfig
	notice := ""
	switch {
	case o.offline:
		notice = i18n.StartupOffline.In(lang)
		if copyNotice != "" {
			notice = copyNotice
		}
	case o.demo:
		pcfg = demoSources(o.seed)
	default:
		pcfg, err = liveSources(cfg, logger)
		if err != nil {
			return err
		}
	}

	if moved != nil {
		notice = moved.In(lang) // the start-up message in the status bar
	}
	if o.demo && !o.offline {
		seedDemoContract(db, o.seed, logger.Printf)
	}
	snap, err := db.Snapshot(time.Time{}, codes(watch), snapshotDays)
	if err != nil {
		return i18n.Errorf(i18n.CLIReadingCache, withAdvice(err))
	}
	// Opening the file read-write read every page of it (bbolt rebuilds its
	// freelist), and retention and the snapshot read more: none of it is
	// needed resident. Pages a commit reads are given back after it, and
	// those of other reads every releaseEvery.
	if err := db.ReleaseMapped(); err != nil {
		logger.Printf("releasing the database's pages: %v", err)
	}
	deps := ui.Deps{
		Snapshot: snap, Watchlist: watch, Boards: cfg.Boards, Index: spec, History: db,
		Western: cfg.Colors == "western", NoColor: os.Getenv("NO_COLOR") != "",
		Demo: o.demo, Offline: o.offline, Notice: notice, Ticks: true, Keys: cfg.Keys,
		SavePrices: savePrices(db, cfg.Bands), Bands: cfg.Bands, Estimate: cfg.Estimate,
		WatchColumns: cfg.Market.WatchColumns, ETFs: cfg.Market.ETFs, Lang: lang, ElementsWan: cfg.ElementsWan,
	}
	if t, ok := pcfg.Notices.(interface {
		NoticeText(ctx context.Context, id string) (string, error)
	}); ok && !o.offline {
		deps.NoticeText = t.NoticeText // the pager fetches a notice's text on enter
	}
	deps.SaveWatchlist = watchlistSaver(o.demo, o.offline, cfg.Path, db)
	deps.NoLiveElements = !o.demo && !o.offline && len(pcfg.Elements) == 0
	if o.offline {
		codes := codes(watch)
		deps.SnapshotAt = func(t time.Time) (model.Snapshot, error) { return db.Snapshot(t, codes, snapshotDays) }
		deps.LadderAt = db.LadderAsOf
		deps.AsOf = model.Day(now)
		deps.SavePrices = nil // the database is open read-only
	}
	if fired, err := db.Alerts(time.Time{}, time.Time{}, 500); err == nil {
		deps.AlertLog = fired
	}
	var aw *alertWiring
	if !o.offline {
		if aw, err = newAlerts(cfg, snap, spec, o.demo, path, &pcfg, logger.Printf); err != nil {
			return err
		}
		deps.Alerts, deps.SaveAlert, deps.DropAlert = aw.engine, aw.add, aw.remove
		deps.DesktopOSC = desktopOSC()
	}
	var poller *feeds.Poller // set before the program starts; read by the UI goroutine only after
	deps.OnWatchlist = func(s []model.Symbol) {
		if poller != nil {
			poller.SetWatchlist(s)
		}
	}
	deps.OnOpen = func(s model.Symbol) {
		if poller != nil {
			poller.Want(s)
		}
	}
	deps.OnDetail = func(s *model.Symbol) {
		if poller != nil {
			poller.SetDetail(s)
		}
	}
	g := newGuard(ui.New(deps))

	// rareterm owns the signals, not bubbletea: its handler and ours each
	// waited on the other at shutdown. SIGINT, SIGTERM and SIGHUP cancel the
	// program's context; bubbletea then restores the terminal and Run
	// returns. A second signal, or a shutdown stuck for shutdownGrace, kills
	// the program (which restores the terminal too).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, shutdownSignals()...)
	defer signal.Stop(sigs)
	// At most 20 frames a second: a key is echoed within 50 ms. While
	// nothing is dirty the frame timer stops (third_party/bubbletea, a
	// backport of bubbletea v2.2.0's parking) and the next change restarts it
	// on the old frame boundaries; the model wakes only when something drawn
	// changes (ui.Model's NextWake) and the poller sends no empty batch, so
	// an idle screen wakes the process for nothing.
	prog := tea.NewProgram(g, tea.WithContext(ctx), tea.WithFPS(20), tea.WithoutSignalHandler())
	g.quit = prog.Quit

	finished := make(chan struct{})
	defer close(finished)
	var signalled atomic.Value // the os.Signal that ended the program
	// A goroutine of ours panicked: the program quits the ordinary way (a
	// last frame, then the terminal restored), or is cancelled if that
	// does not finish within shutdownGrace.
	goCrash := func(c *crashError) {
		g.record(c)
		prog.Quit()
		go func() {
			select {
			case <-finished:
			case <-time.After(shutdownGrace):
				cancel()
			}
		}()
	}
	goSafe("the signal handler", func() {
		select {
		case s := <-sigs:
			signalled.Store(s)
			logger.Printf("%v: shutting down", s)
			cancel()
		case <-finished:
			return
		}
		select {
		case s := <-sigs:
			logger.Printf("%v again: forcing the shutdown", s)
		case <-time.After(shutdownGrace):
			logger.Printf("shutdown stuck for %v: forcing it", shutdownGrace)
		case <-finished:
			return
		}
		prog.Kill()
		select {
		case <-finished:
		case <-time.After(shutdownGrace):
			logger.Printf("shutdown still stuck: exiting")
			os.Exit(exitFail)
		}
	}, goCrash)

	goSafe("the page releaser", func() {
		t := time.NewTicker(releaseEvery)
		defer t.Stop()
		after := 0 // releaseAfterStart's entries done
		started := time.NewTimer(releaseAfterStart[0])
		defer started.Stop()
		releaseExe := func() {
			if _, err := releaseExecutable(); err != nil {
				logger.Printf("releasing the executable's pages: %v", err)
			}
			// Start-up's garbage (reading the cache, the first
			// backfill) is returned at once rather than by the
			// runtime's background scavenger over minutes.
			debug.FreeOSMemory()
		}
		for {
			select {
			case <-started.C:
				releaseExe()
				if after++; after < len(releaseAfterStart) {
					started.Reset(releaseAfterStart[after] - releaseAfterStart[after-1])
				}
			case <-t.C:
				if err := db.ReleaseMapped(); err != nil {
					logger.Printf("releasing the database's pages: %v", err)
				}
				releaseExe()
			case <-finished:
				return
			}
		}
	}, goCrash)

	done := make(chan struct{})
	if !o.offline {
		pcfg.Watchlist = watch
		pcfg.BoardList = cfg.Boards
		pcfg.HistoryDays = cfg.BackfillDays
		pcfg.Cached = storeCache{db}
		dbPages := &dbReleaser{every: releaseDBEvery, now: time.Now, release: db.ReleaseMapped}
		pcfg.Sink = func(b model.Batch) error {
			err := db.Append(b)
			if rerr := dbPages.afterCommit(); rerr != nil {
				logger.Printf("releasing the database's pages: %v", rerr)
			}
			return err
		}
		pcfg.Out = func(b model.Batch) { prog.Send(ui.BatchMsg{Batch: b}) }
		pcfg.Logf = logger.Printf
		pcfg.OnPanic = feedPanicHook(currentCrashDir(), logger.Printf)
		if pcfg.Timeouts == (feeds.Timeouts{}) {
			pcfg.Timeouts = cfg.Timeouts
		}
		poller = feeds.NewPoller(pcfg)
		aw.engine.Start(ctx)
		defer aw.engine.Close(shutdownGrace)
		mp := marketPoller(pcfg, cfg, db, poller, func(m ui.MarketMsg) { prog.Send(m) }, logger)
		waitMarket := runMarket(ctx, mp)
		goSafe("the poller", func() {
			defer waitMarket()
			defer close(done)
			if injectPanic != nil {
				injectPanic("poller", nil)
			}
			if err := poller.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				logger.Printf("poller: %v", err)
			}
		}, goCrash)
	} else {
		close(done)
		// Offline review: the whole market as cached.
		msg := cachedMarket(db, cfg, now)
		go prog.Send(msg)
	}
	logger.Printf("rareterm started: mode=%s db=%s", mode, path)
	_, runErr := prog.Run()
	cancel()
	<-done
	if c := g.crashed(); c != nil {
		logger.Printf("%v", c)
		return c
	}
	if s := signalled.Load(); s != nil {
		logger.Printf("stopped by %v", s)
		return nil // the errors of a program cut short by a signal are its consequence
	}
	if errors.Is(runErr, tea.ErrProgramPanic) {
		// Caught by bubbletea itself (its trace is on stderr).
		return i18n.Errorf(i18n.CLITerminalPanic, runErr)
	}
	if runErr != nil && !errors.Is(runErr, tea.ErrProgramKilled) && !errors.Is(runErr, context.Canceled) {
		return runErr
	}
	return nil
}

// snapshotDays is how many days of daily bars per symbol the dashboard
// holds. No panel draws them: they are what the ticker view shows until it
// has loaded its symbol's whole history, so a year of them (a year of daily
// bars for every symbol of the watchlist, 1.6 MB for 50) was history kept
// twice.
const snapshotDays = 10

// shutdownGrace bounds each step of a shutdown after a signal.
const shutdownGrace = 2 * time.Second

// releaseEvery is how often the dashboard gives back the database pages its
// reads brought in (store.DB.ReleaseMapped): a drill-down into a year of
// minute bars need not stay resident.
const releaseEvery = 10 * time.Minute

// releaseAfterStart are the moments after start at which the dashboard
// gives back the pages of its executable that start-up touched
// (releaseExecutable) and start-up's free heap: once the screen is up, and
// once the first minute's polls (the backfill, the first full answers of
// every feed) are done; then every releaseEvery.
var releaseAfterStart = []time.Duration{5 * time.Second, time.Minute}

// shutdownSignals are the signals that end rareterm cleanly. SIGHUP is
// left alone when it was ignored at start (nohup).
func shutdownSignals() []os.Signal {
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		sigs = append(sigs, syscall.SIGHUP)
	}
	return sigs
}

// mergeNames fills the watchlist's names from a source's symbol list.
func mergeNames(watch, known []model.Symbol) []model.Symbol {
	names := map[string]model.Symbol{}
	for _, s := range known {
		names[s.Code] = s
	}
	out := make([]model.Symbol, len(watch))
	for i, s := range watch {
		if k, ok := names[s.Code]; ok {
			if s.Name == "" {
				s.Name = k.Name
			}
			if s.NameEn == "" {
				s.NameEn = k.NameEn
			}
		}
		out[i] = s
	}
	return out
}

// openDB opens the database, and says plainly what is wrong when it cannot.
// Read-write, a file that will not open as a database is moved aside
// (store.OpenOrMoveAside) and a new one started: moved says so, for the
// user; it is empty otherwise.
func openDB(path string, opt store.Options) (db *store.DB, moved *i18n.Error, err error) {
	setCrashDir(path)
	db, moved, err = store.OpenOrMoveAside(path, opt)
	switch {
	case err == nil:
		return db, moved, nil
	case errors.Is(err, store.ErrInUse):
		return nil, nil, err
	case errors.Is(err, store.ErrNotDatabase):
		return nil, nil, err
	case errors.Is(err, store.ErrDamaged):
		// Read-only (a writer moves it aside): refused, with what to do.
		return nil, nil, withAdvice(err)
	}
	return nil, nil, i18n.Errorf(i18n.CLIOpening, path, err)
}

// parseCodes turns stored codes back into symbols, skipping (and logging)
// any that no longer parse.
func parseCodes(codes []string, logger *log.Logger) []model.Symbol {
	out := make([]model.Symbol, 0, len(codes))
	for _, c := range codes {
		sym, err := model.ParseSymbol(c)
		if err != nil {
			logger.Printf("demo watchlist: %q: %v", c, err)
			continue
		}
		out = append(out, sym)
	}
	return out
}

// watchlistSaver is where the watchlist keys save the watchlist: the
// config file in live mode, the demo database's own state in --demo (never
// the config), nowhere offline or without a config file.
func watchlistSaver(demo, offline bool, cfgPath string, db *store.DB) func([]string) error {
	switch {
	case offline:
		return nil
	case demo:
		return db.SetWatchlist
	case cfgPath != "":
		return func(codes []string) error { return SaveWatchlist(cfgPath, codes) }
	}
	return nil
}
