package main

import (
	"context"
	"crypto/tls"
	"errors"
	"log"
	neturl "net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/nats-io/nats.go"
	"github.com/rareterm/rareterm/bus"
	"github.com/rareterm/rareterm/feeds/demo"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
	"github.com/rareterm/rareterm/ui"
)

// serveFlag is collect's --serve [ADDR]: a bool flag that also takes
// --serve=ADDR (the address may follow as an argument too).
type serveFlag struct {
	on   *bool
	addr *string
}

func (f serveFlag) IsBoolFlag() bool { return true }
func (f serveFlag) String() string {
	if f.addr != nil && *f.addr != "" {
		return *f.addr
	}
	return ""
}
func (f serveFlag) Set(s string) error {
	switch s {
	case "true":
		*f.on = true
	case "false":
		*f.on = false
	default:
		*f.on, *f.addr = true, s
	}
	return nil
}

// serving is a collector's side of the desk: the embedded server, the
// publisher and the history service, over the collector's database.
type serving struct {
	dbPath  string
	url     string
	srv     *bus.Server
	nc      *nats.Conn
	pub     *bus.Publisher
	stopSvc func()

	mu     sync.Mutex
	health func() []model.FeedHealth
	want   func(model.Symbol)
	detail func(model.Symbol, time.Duration) error
}

// startServing starts the embedded NATS server beside the database at
// dbPath and records its address for the dashboards on this machine.
func startServing(d DeskConfig, dbPath, addr string, db *store.DB, logf func(string, ...any)) (*serving, error) {
	scfg, err := d.serverConfig(dbPath, addr)
	if err != nil {
		return nil, err
	}
	srv, err := bus.StartServer(scfg)
	if err != nil {
		return nil, err
	}
	s := &serving{dbPath: dbPath, url: srv.URL(), srv: srv}
	opts := []nats.Option{nats.Name("rareterm collector"), nats.MaxReconnects(-1)}
	switch {
	case d.Token != "":
		opts = append(opts, nats.Token(d.Token))
	case d.User != "":
		opts = append(opts, nats.UserInfo(d.User, d.Password))
	}
	if scfg.TLS != nil {
		opts = append(opts, nats.Secure(clientTLSFor(scfg)))
	}
	if s.nc, err = nats.Connect(srv.URL(), opts...); err != nil {
		srv.Close()
		return nil, i18n.Errorf(i18n.DeskOwnConnection, err)
	}
	wait := 15 * time.Second
	if scfg.Cluster != nil {
		// The other nodes may start after this one: the stream waits for
		// the cluster's leader and for its replicas' nodes.
		wait = 2 * time.Minute
		logf("desk: node %s of cluster %s, routes on %s; waiting for the cluster", scfg.Name, scfg.Cluster.Name, srv.ClusterURL())
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	s.pub, err = bus.NewPublisher(ctx, s.nc, bus.PublisherConfig{
		Stream: bus.StreamConfig{Window: d.Window, MaxBytes: d.MaxBytes, Replicas: d.Replicas}, Logf: logf,
	})
	if err != nil {
		s.nc.Close()
		srv.Close()
		return nil, err
	}
	s.stopSvc, err = bus.Serve(s.nc, bus.ServiceConfig{DB: db, Pub: s.pub, Health: s.feedHealth, Want: s.wanted, Detail: s.leaseDetail, Logf: logf})
	if err != nil {
		s.pub.Close(time.Second)
		s.nc.Close()
		srv.Close()
		return nil, err
	}
	if err := writeAddr(dbPath, s.url); err != nil {
		logf("desk: %s: %v", addrFile(dbPath), err)
	}
	return s, nil
}

// clientTLSFor is the collector's own client TLS to its own server: it
// trusts the server's certificate.
func clientTLSFor(scfg bus.ServerConfig) *tls.Config {
	c := &tls.Config{InsecureSkipVerify: true} // the connection never leaves the process's own listener
	if len(scfg.TLS.Certificates) > 0 && scfg.TLS.ClientAuth != 0 {
		c.Certificates = scfg.TLS.Certificates
	}
	return c
}

// setWant is the poller's Want: what terminals open or add is polled too.
func (s *serving) setWant(fn func(model.Symbol)) {
	s.mu.Lock()
	s.want = fn
	s.mu.Unlock()
}

func (s *serving) wanted(sym model.Symbol) {
	s.mu.Lock()
	fn := s.want
	s.mu.Unlock()
	if fn != nil {
		fn(sym)
	}
}

// setDetail is the poller's LeaseDetail: the tickers terminals open get
// their order book and minutes polled, and published, while they stay open.
func (s *serving) setDetail(fn func(model.Symbol, time.Duration) error) {
	s.mu.Lock()
	s.detail = fn
	s.mu.Unlock()
}

func (s *serving) leaseDetail(sym model.Symbol, d time.Duration) error {
	s.mu.Lock()
	fn := s.detail
	s.mu.Unlock()
	if fn == nil {
		return errors.New("this collector polls no order books")
	}
	return fn(sym, d)
}

func (s *serving) setHealth(fn func() []model.FeedHealth) {
	s.mu.Lock()
	s.health = fn
	s.mu.Unlock()
}

func (s *serving) feedHealth() []model.FeedHealth {
	s.mu.Lock()
	fn := s.health
	s.mu.Unlock()
	if fn == nil {
		return nil
	}
	return fn()
}

// publish puts a batch on the bus once its write is done: all of it when
// committed, its health alone when the write failed. Nil-safe.
func (s *serving) publish(b model.Batch, writeErr error) {
	if s == nil {
		return
	}
	s.pub.Publish(b, writeErr == nil)
}

// close publishes what is queued, stops answering and stops the server.
func (s *serving) close() {
	if s == nil {
		return
	}
	s.pub.Close(3 * time.Second)
	s.stopSvc()
	s.nc.Close()
	s.srv.Close()
	removeAddr(s.dbPath, s.url)
}

// localCollector returns the address of the collector serving the
// database at dbPath when the database is locked (openErr is ErrInUse)
// and a collector answers at the address it recorded.
func localCollector(dbPath string, openErr error, d DeskConfig) (string, bool) {
	if !errors.Is(openErr, store.ErrInUse) {
		return "", false
	}
	url := readAddr(dbPath)
	if url == "" {
		return "", false
	}
	nc, cli, err := dialCollector(url, d, 2*time.Second)
	if err != nil {
		return "", false
	}
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, _, _, err := cli.Hello(ctx); err != nil {
		return "", false
	}
	return url, true
}

// connectList checks --connect: one server's URL, or several separated by
// commas (the nodes of a desk's cluster; the terminal tries them in order
// and fails over between them). A URL without a scheme is nats://. It
// returns the list for the client and the servers as the status bar
// names them (host:port, comma-separated).
func connectList(s string) (urls, name string, err error) {
	var us, names []string
	for _, it := range strings.Split(s, ",") {
		it = strings.TrimSpace(it)
		if it == "" {
			continue
		}
		if !strings.Contains(it, "://") {
			it = "nats://" + it
		}
		u, perr := neturl.Parse(it)
		if perr != nil || (u.Scheme != "nats" && u.Scheme != "tls") || u.Hostname() == "" || (u.Port() != "" && !portRe.MatchString(u.Port())) || (u.Path != "" && u.Path != "/") {
			return "", "", i18n.Errorf(i18n.DeskConnectBad, model.Sanitize(it))
		}
		us = append(us, it)
		names = append(names, u.Host)
	}
	if len(us) == 0 {
		return "", "", errors.New("--connect: no server given")
	}
	return strings.Join(us, ","), strings.Join(names, ","), nil
}

// dialCollector connects to a collector; the connection retries by itself
// afterwards. The first connection must succeed within wait.
func dialCollector(url string, d DeskConfig, wait time.Duration) (*nats.Conn, *bus.Client, error) {
	opts, err := d.clientOptions("rareterm terminal")
	if err != nil {
		return nil, nil, err
	}
	opts = append(opts, nats.Timeout(wait))
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, nil, i18n.Errorf(i18n.DeskNoCollectorAt, errNoCollector, url, unwrapped{err})
	}
	return nc, bus.NewClient(nc), nil
}

// deskDashboard is the dashboard attached to a collector: its snapshot,
// its stream, and its database's history by request/reply. With --offline
// it reviews the collector's history (no stream).
func deskDashboard(o options, cfg Config, url string, logger *log.Logger) error {
	url, name, err := connectList(url)
	if err != nil {
		return err
	}
	nc, cli, err := dialCollector(url, cfg.Desk, 5*time.Second)
	if err != nil {
		return err
	}
	defer nc.Close()
	ctx0, cancel0 := context.WithTimeout(context.Background(), 10*time.Second)
	_, _, _, err = cli.Hello(ctx0)
	cancel0()
	if err != nil {
		return i18n.Errorf(i18n.DeskNoCollectorAt, errNoCollector, url, unwrapped{err})
	}
	lang := o.language(cfg)
	watch := mergeNames(cfg.Watchlist, demo.Symbols())
	codes := codes(watch)
	now := time.Now()
	snap, err := cli.SnapshotAt(time.Time{}, codes, 400)
	if err != nil {
		return i18n.Errorf(i18n.DeskReadingSnap, err)
	}
	spec := cfg.Index
	if len(snap.IndexEras) > 0 {
		spec.Eras = snap.IndexEras
	}
	var lease *detailLease
	deps := ui.Deps{
		Snapshot: snap, Watchlist: watch, Boards: cfg.Boards, Index: spec, History: cli,
		Western: cfg.Colors == "western", NoColor: os.Getenv("NO_COLOR") != "",
		Demo: o.demo, Offline: o.offline, Ticks: true, Keys: cfg.Keys, Bands: cfg.Bands,
		Notice:   i18n.StartupAttached.F(lang, name),
		Estimate: cfg.Estimate, WatchColumns: cfg.Market.WatchColumns, ETFs: cfg.Market.ETFs,
		Lang: lang, ElementsWan: cfg.ElementsWan,
	}
	if o.offline {
		deps.Notice = i18n.StartupDeskOffline.F(lang, name)
		deps.SnapshotAt = func(t time.Time) (model.Snapshot, error) { return cli.SnapshotAt(t, codes, 400) }
		deps.AsOf = model.Day(now)
	} else {
		if !o.demo && cfg.Path != "" {
			deps.SaveWatchlist = func(codes []string) error { return SaveWatchlist(cfg.Path, codes) }
		}
		// What this terminal watches or opens, the collector polls too
		// (once per code; off the UI goroutine).
		want := func(syms ...model.Symbol) {
			go func() {
				for _, s := range syms {
					if err := cli.Want(s.Code); err != nil {
						logger.Printf("desk: asking the collector for %s: %v", s.Code, err)
						return
					}
				}
			}()
		}
		want(watch...)
		deps.OnOpen = func(s model.Symbol) { want(s) }
		deps.OnWatchlist = func(ws []model.Symbol) { want(ws...) }
		// The ticker open on this terminal: the collector polls its order
		// book and minutes while the lease is renewed.
		lease = newDetailLease(cli.Detail, bus.DefaultLease, logger.Printf)
		deps.OnDetail = lease.set
	}
	g := newGuard(ui.New(deps))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, shutdownSignals()...)
	defer signal.Stop(sigs)
	prog := tea.NewProgram(g, tea.WithContext(ctx), tea.WithFPS(20), tea.WithoutSignalHandler())
	g.quit = prog.Quit
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case s := <-sigs:
			logger.Printf("%v: shutting down", s)
			cancel()
		case <-finished:
			return
		}
		select {
		case <-sigs:
		case <-time.After(shutdownGrace):
		case <-finished:
			return
		}
		prog.Kill()
	}()
	done := make(chan struct{})
	if lease != nil {
		lease.notify = func(err error) { prog.Send(ui.NoticeMsg{Text: model.Sanitize(i18n.Say(deps.Lang, err)), Error: true}) }
		goSafe("the detail lease", func() { lease.run(ctx) }, func(c *crashError) { g.record(c); prog.Quit() })
	}
	if !o.offline {
		sub, err := bus.NewSubscriber(nc, bus.SubscriberConfig{
			Codes: codes, Name: name, Logf: logger.Printf,
			Out: func(b model.Batch) { prog.Send(ui.BatchMsg{Batch: b}) },
		})
		if err != nil {
			return err
		}
		goSafe("the collector's subscription", func() {
			defer close(done)
			_ = sub.Run(ctx)
		}, func(c *crashError) { g.record(c); prog.Quit() })
	} else {
		close(done)
	}
	logger.Printf("rareterm attached to the collector at %s (offline=%v)", url, o.offline)
	_, runErr := prog.Run()
	cancel()
	<-done
	if c := g.crashed(); c != nil {
		return c
	}
	if runErr != nil && !errors.Is(runErr, tea.ErrProgramKilled) && !errors.Is(runErr, context.Canceled) {
		return runErr
	}
	return nil
}

// detailLease keeps the collector polling the detail of the ticker open on
// this terminal: asked for when it opens, renewed every third of the lease
// while it stays open, let lapse when it closes (the collector drops it
// once the lease runs out).
type detailLease struct {
	ask   func(code string, lease time.Duration) error
	lease time.Duration
	logf  func(string, ...any)
	// notify, when set, puts a refused lease in the status bar (once per
	// code); set before run.
	notify func(error)

	mu     sync.Mutex
	code   string
	failed string // the code whose last ask failed, logged once
	wake   chan struct{}
}

func newDetailLease(ask func(string, time.Duration) error, lease time.Duration, logf func(string, ...any)) *detailLease {
	return &detailLease{ask: ask, lease: lease, logf: logf, wake: make(chan struct{}, 1)}
}

// set is the dashboard's OnDetail: it never blocks.
func (l *detailLease) set(sym *model.Symbol) {
	l.mu.Lock()
	if sym == nil {
		l.code = ""
	} else {
		l.code = sym.Code
	}
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// run asks and renews until ctx ends.
func (l *detailLease) run(ctx context.Context) {
	every := max(l.lease/3, 10*time.Millisecond)
	t := time.NewTimer(every)
	defer t.Stop()
	for {
		l.mu.Lock()
		code := l.code
		l.mu.Unlock()
		if code != "" {
			err := l.ask(code, l.lease)
			l.mu.Lock()
			if err != nil && l.failed != code {
				l.failed = code
				l.logf("desk: the collector polls no order book for %s: %v", code, err)
				if l.notify != nil {
					l.notify(i18n.Errorf(i18n.DeskNoBook, code, err))
				}
			} else if err == nil {
				l.failed = ""
			}
			l.mu.Unlock()
		}
		t.Reset(every)
		select {
		case <-ctx.Done():
			return
		case <-l.wake:
		case <-t.C:
		}
	}
}
