package bus

import (
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

// collector is an in-process collector: a database, the embedded server,
// the publisher and the history service.
type collector struct {
	t    *testing.T
	dir  string
	addr string
	db   *store.DB
	srv  *Server
	nc   *nats.Conn
	pub  *Publisher
	stop func()
}

func startCollector(t *testing.T, dir, addr string) *collector {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, "rareterm.db"), store.Options{NoReference: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	srv, err := StartServer(ServerConfig{Addr: addr, StoreDir: filepath.Join(dir, "rareterm.nats")})
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	u, _ := url.Parse(srv.URL())
	nc, err := nats.Connect(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pub, err := NewPublisher(ctx, nc, PublisherConfig{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	stop, err := Serve(nc, ServiceConfig{DB: db, Pub: pub, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{t: t, dir: dir, addr: u.Host, db: db, srv: srv, nc: nc, pub: pub, stop: stop}
	return c
}

// commit writes a batch and publishes it, as collect does.
func (c *collector) commit(b model.Batch) {
	c.t.Helper()
	if err := c.db.Append(b); err != nil {
		c.t.Fatal(err)
	}
	c.pub.Publish(b, true)
}

// kill stops the collector without draining anything queued.
func (c *collector) kill() {
	c.stop()
	c.pub.stop()
	close(c.pub.q)
	c.srv.Close()
	c.nc.Close()
	<-c.pub.done
	c.db.Close()
}

// close is an orderly stop.
func (c *collector) close() {
	c.pub.Close(5 * time.Second)
	c.stop()
	c.nc.Close()
	c.srv.Close()
	c.db.Close()
}

// published waits until the publisher has handled n batches.
func (c *collector) published(n int64) {
	c.t.Helper()
	waitFor(c.t, fmt.Sprintf("%d batches published", n), func() bool {
		p, _, _ := c.pub.Counts()
		return p >= n
	})
}

var base = time.Date(2026, 3, 2, 10, 0, 0, 0, model.CST)

// batch is poll number seq: a quote for each symbol, a second apart.
func batch(seq int, syms ...string) model.Batch {
	b := model.Batch{Seq: uint64(seq), At: base.Add(time.Duration(seq) * time.Second)}
	for i, s := range syms {
		b.Quotes = append(b.Quotes, model.Quote{
			Symbol: s, Time: b.At, Last: 50 + float64(seq)/100 + float64(i), PrevClose: 50,
			Open: math.NaN(), High: math.NaN(), Low: math.NaN(), Volume: math.NaN(), Amount: math.NaN(),
			TurnoverPct: math.NaN(), MarketCap: math.NaN(), FloatCap: math.NaN(), PE: math.NaN(),
			MainNet: math.NaN(), High52: math.NaN(), Low52: math.NaN(), Source: "test",
		})
	}
	b.Health = []model.FeedHealth{{Feed: "eastmoney", Kind: "quotes", State: model.FeedOK, LastOK: b.At}}
	return b
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// terminal is a headless terminal: the market model a screen would keep.
type terminal struct {
	mu      sync.Mutex
	snap    model.Snapshot
	seqs    []uint64 // poll numbers of the batches applied from the stream
	health  []model.FeedHealth
	gate    chan struct{} // when set, Out waits on it (a slow terminal)
	sub     *Subscriber
	nc      *nats.Conn
	cancel  context.CancelFunc
	done    chan struct{}
	applied int
	details []model.Detail // from the stream
}

func attach(t *testing.T, url string, cfg SubscriberConfig, gate chan struct{}) *terminal {
	t.Helper()
	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond), nats.RetryOnFailedConnect(true), nats.DontRandomize())
	if err != nil {
		t.Fatal(err)
	}
	tm := &terminal{snap: model.NewSnapshot(), gate: gate, nc: nc, done: make(chan struct{})}
	cfg.Out = tm.out
	cfg.Retry = 50 * time.Millisecond
	cfg.Logf = t.Logf
	tm.sub, err = NewSubscriber(nc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tm.cancel = cancel
	go func() { defer close(tm.done); _ = tm.sub.Run(ctx) }()
	t.Cleanup(tm.close)
	return tm
}

func (tm *terminal) close() {
	tm.cancel()
	<-tm.done
	tm.nc.Close()
}

func (tm *terminal) out(b model.Batch) {
	if tm.gate != nil {
		<-tm.gate
	}
	tm.mu.Lock()
	defer tm.mu.Unlock()
	tm.snap.Apply(b)
	if b.Seq != 0 {
		tm.seqs = append(tm.seqs, b.Seq)
	}
	tm.health = b.Health
	tm.applied++
	tm.details = append(tm.details, b.Detail...)
}

func (tm *terminal) collector() model.FeedHealth {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	for _, h := range tm.health {
		if h.Feed == CollectorFeed {
			return h
		}
	}
	return model.FeedHealth{}
}

// same reports whether the terminal's quotes are the database's.
func (tm *terminal) same(db *store.DB, syms []string) error {
	want, err := db.Snapshot(time.Time{}, syms, 10)
	if err != nil {
		return err
	}
	tm.mu.Lock()
	defer tm.mu.Unlock()
	if len(want.Quotes) != len(tm.snap.Quotes) {
		return fmt.Errorf("%d quotes on the terminal, %d in the database", len(tm.snap.Quotes), len(want.Quotes))
	}
	for s, q := range want.Quotes {
		got := tm.snap.Quotes[s]
		if !got.Time.Equal(q.Time) || got.Last != q.Last {
			return fmt.Errorf("%s: terminal %v %.2f, database %v %.2f", s, got.Time, got.Last, q.Time, q.Last)
		}
	}
	return nil
}

func (tm *terminal) waitSame(t *testing.T, db *store.DB, syms []string) {
	t.Helper()
	var last error
	deadline := time.Now().Add(30 * time.Second)
	for {
		if last = tm.same(db, syms); last == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the terminal never caught up: %v", last)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// increasing reports whether poll numbers were applied once each, in order.
func (tm *terminal) increasing() error {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	for i := 1; i < len(tm.seqs); i++ {
		if tm.seqs[i] <= tm.seqs[i-1] {
			return fmt.Errorf("batch %d applied after %d: %v", tm.seqs[i], tm.seqs[i-1], tm.seqs)
		}
	}
	return nil
}

// streamIDs reads every message id and batch number in the stream.
func streamIDs(t *testing.T, nc *nats.Conn) (ids []string, batches []uint64) {
	t.Helper()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, StreamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && seq > 0; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.Header.Get(jetstream.MsgIDHeader))
		var n uint64
		fmt.Sscan(m.Header.Get(hdrBatch), &n)
		batches = append(batches, n)
	}
	return ids, batches
}

var syms = []string{"600111", "000831", "06680"}

func TestSplitSubjectsAndIDs(t *testing.T) {
	b := batch(7, syms...)
	b.Bars = []model.Bar{{Symbol: "600111", Interval: model.Daily, Time: base}}
	b.Members = map[string][]model.Quote{"BK0578": {b.Quotes[0]}}
	b.Contract = []model.ContractQuarter{{Quarter: model.Quarter{Year: 2026, Q: 1}, Price: 1}}
	b.Alerts = []model.AlertEvent{{At: base, Rule: "600111 > 55", Title: "600111 above 55", Webhook: "http://127.0.0.1:9/hook", Command: []string{"notify-send"}}}
	parts := split(b)
	var subjects []string
	for _, p := range parts {
		subjects = append(subjects, p.subject())
	}
	want := "rt.quote.SH600111 rt.quote.SZ000831 rt.quote.HK06680 rt.bar.SH600111 rt.members.BK0578 rt.contract rt.alert rt.health"
	if got := strings.Join(subjects, " "); got != want {
		t.Fatalf("subjects\n got %s\nwant %s", got, want)
	}
	if id := msgID(12, parts[0]); id != "12.quote.SH600111" {
		t.Fatalf("id %q", id)
	}
	var whole model.Batch
	for _, p := range parts {
		data, err := encode(p.frag)
		if err != nil {
			t.Fatal(err)
		}
		var f model.Batch
		if err := decode(data, &f); err != nil {
			t.Fatal(err)
		}
		join(&whole, f)
	}
	if len(whole.Quotes) != 3 || len(whole.Bars) != 1 || len(whole.Members) != 1 || len(whole.Contract) != 1 || len(whole.Health) != 1 || len(whole.Alerts) != 1 {
		t.Fatalf("joined batch lost parts: %+v", whole)
	}
	if a := whole.Alerts[0]; a.Title != "600111 above 55" || a.Webhook != "" || a.Command != nil {
		t.Fatalf("an alert on the wire: %+v (its command and webhook stay with the collector)", a)
	}
	if !math.IsNaN(whole.Quotes[0].PE) {
		t.Fatal("an unknown figure did not survive the wire")
	}
	if err := decode([]byte("\xff\x00garbage"), &whole); err == nil {
		t.Fatal("garbage decoded")
	}
	if token("a.b*>c") != "a_b__c" {
		t.Fatalf("token %q", token("a.b*>c"))
	}
}

func TestAttachSnapshotThenLive(t *testing.T) {
	c := startCollector(t, t.TempDir(), "")
	defer c.close()
	for i := 1; i <= 3; i++ {
		c.commit(batch(i, syms...))
	}
	c.published(3)
	tm := attach(t, c.srv.URL(), SubscriberConfig{Codes: syms}, nil)
	tm.waitSame(t, c.db, syms)
	for i := 4; i <= 8; i++ {
		c.commit(batch(i, syms...))
	}
	c.published(8)
	tm.waitSame(t, c.db, syms)
	waitFor(t, "5 batches from the stream", func() bool { return tm.sub.Stats().Batches == 5 })
	st := tm.sub.Stats()
	if st.Snapshots != 1 || st.Lost != 0 || st.LastBatch != 8 {
		t.Fatalf("stats %+v", st)
	}
	if err := tm.increasing(); err != nil {
		t.Fatal(err)
	}
	if h := tm.collector(); h.State != model.FeedOK || h.Latency <= 0 {
		t.Fatalf("collector record %+v", h)
	}
	// History reads over request/reply.
	cl := NewClient(tm.nc)
	qs, err := cl.Quotes("600111", base, base.Add(time.Hour))
	if err != nil || len(qs) != 8 {
		t.Fatalf("quotes over request/reply: %d, %v", len(qs), err)
	}
}

func TestCollectorKilledAndRestarted(t *testing.T) {
	dir := t.TempDir()
	c := startCollector(t, dir, "")
	addr := c.addr
	for i := 1; i <= 3; i++ {
		c.commit(batch(i, syms...))
	}
	c.published(3)
	a := attach(t, c.srv.URL(), SubscriberConfig{Codes: syms}, nil)
	b := attach(t, c.srv.URL(), SubscriberConfig{Codes: syms}, nil)
	a.waitSame(t, c.db, syms)
	b.waitSame(t, c.db, syms)
	c.commit(batch(4, syms...))
	c.published(4)
	a.waitSame(t, c.db, syms)

	_, before := streamIDs(t, c.nc)
	c.kill()
	waitFor(t, "collector lost on screen", func() bool {
		h := a.collector()
		return h.State == model.FeedFailing && strings.Contains(h.LastErr, "collector lost")
	})
	// The last data stays on screen.
	a.mu.Lock()
	kept := len(a.snap.Quotes)
	a.mu.Unlock()
	if kept != len(syms) {
		t.Fatalf("the terminal dropped its data: %d quotes", kept)
	}

	c = startCollector(t, dir, addr)
	defer c.close()
	_, after := streamIDs(t, c.nc)
	if len(after) != len(before) {
		t.Fatalf("a restart changed the stream: %d messages before, %d after", len(before), len(after))
	}
	for i := 101; i <= 104; i++ {
		c.commit(batch(i, syms...))
	}
	c.published(4)
	for _, tm := range []*terminal{a, b} {
		tm.waitSame(t, c.db, syms)
		waitFor(t, "the collector back on screen", func() bool { return tm.collector().State == model.FeedOK })
		if err := tm.increasing(); err != nil {
			t.Fatal(err)
		}
		if tm.sub.Stats().Dupes != 0 && tm.sub.Stats().Batches == 0 {
			t.Fatalf("stats %+v", tm.sub.Stats())
		}
	}
	ids, nums := streamIDs(t, c.nc)
	seen := map[string]bool{}
	for i, id := range ids {
		if seen[id] {
			t.Fatalf("message id %s stored twice", id)
		}
		seen[id] = true
		if i > 0 && nums[i] < nums[i-1] {
			t.Fatalf("batch numbers go back: %d after %d", nums[i], nums[i-1])
		}
	}
	if nums[len(nums)-1] != 8 {
		t.Fatalf("last batch number %d, want 8 (4 before the kill, 4 after)", nums[len(nums)-1])
	}
}

func TestSlowTerminalCannotSlowTheCollector(t *testing.T) {
	c := startCollector(t, t.TempDir(), "")
	defer c.close()
	c.commit(batch(1, syms...))
	c.published(1)
	gate := make(chan struct{})
	slow := attach(t, c.srv.URL(), SubscriberConfig{Codes: syms, MaxPending: 40, Buffer: 16}, gate)
	gate <- struct{}{} // the snapshot
	waitFor(t, "the slow terminal's snapshot", func() bool { return slow.sub.Stats().Snapshots == 1 })
	// The terminal now blocks; the collector publishes on regardless.
	start := time.Now()
	for i := 2; i <= 200; i++ {
		c.commit(batch(i, syms...))
	}
	c.published(200)
	t.Logf("199 batches committed and published in %v with a stuck terminal", time.Since(start))
	close(gate)
	slow.waitSame(t, c.db, syms)
	if st := slow.sub.Stats(); st.Snapshots < 2 {
		t.Fatalf("a terminal 800 messages behind read the backlog instead of a snapshot: %+v", st)
	}
	if err := slow.increasing(); err != nil {
		t.Fatal(err)
	}
}

// A collector is not trusted: what it sends is sanitised before a screen
// can draw it.
func TestHostileCollectorStringsAreSanitised(t *testing.T) {
	c := startCollector(t, t.TempDir(), "")
	defer c.close()
	tm := attach(t, c.srv.URL(), SubscriberConfig{Codes: syms}, nil)
	waitFor(t, "the snapshot", func() bool { return tm.sub.Stats().Snapshots == 1 })
	b := batch(1, "600111")
	b.Quotes[0].Name = "北方\x1b[2J稀土\x07"
	b.Health[0].LastErr = "boom\x1b]0;pwned\x07"
	c.pub.Publish(b, true) // straight onto the bus, as a hostile collector would
	waitFor(t, "the batch", func() bool { return tm.sub.Stats().Batches == 1 })
	tm.mu.Lock()
	defer tm.mu.Unlock()
	if n := tm.snap.Quotes["600111"].Name; model.HasControl(n) || strings.Contains(n, "\x1b") {
		t.Fatalf("name reached the model as %q", n)
	}
	for _, h := range tm.health {
		if model.HasControl(h.LastErr) {
			t.Fatalf("health error reached the model as %q", h.LastErr)
		}
	}
}

// proxy forwards TCP to addr; cut drops every connection through it.
type proxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newProxy(t *testing.T, addr string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", addr)
			if err != nil {
				in.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, in, out)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(out, in); out.Close() }()
			go func() { _, _ = io.Copy(in, out); in.Close() }()
		}
	}()
	return p
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// A terminal whose connection drops while the collector runs on resumes
// from the stream where it left off: no second snapshot, every batch once.
func TestTerminalResumesWhereItLeftOff(t *testing.T) {
	c := startCollector(t, t.TempDir(), "")
	defer c.close()
	px := newProxy(t, c.addr)
	tm := attach(t, "nats://"+px.ln.Addr().String(), SubscriberConfig{Codes: syms}, nil)
	waitFor(t, "the snapshot", func() bool { return tm.sub.Stats().Snapshots == 1 })
	for i := 1; i <= 3; i++ {
		c.commit(batch(i, syms...))
	}
	waitFor(t, "3 batches", func() bool { return tm.sub.Stats().Batches == 3 })
	px.cut()
	waitFor(t, "collector lost", func() bool { return tm.collector().State == model.FeedFailing })
	for i := 4; i <= 6; i++ {
		c.commit(batch(i, syms...))
	}
	waitFor(t, "6 batches", func() bool { return tm.sub.Stats().Batches == 6 })
	tm.waitSame(t, c.db, syms)
	st := tm.sub.Stats()
	if st.Snapshots != 1 || st.Lost != 1 || st.LastBatch != 6 {
		t.Fatalf("stats %+v", st)
	}
	tm.mu.Lock()
	got := fmt.Sprint(tm.seqs)
	tm.mu.Unlock()
	if got != "[1 2 3 4 5 6]" {
		t.Fatalf("batches applied: %s", got)
	}
}

// Serve's return means the server already routes requests to it: a
// terminal on another connection that asks at once is answered, not told
// "no responders"; and stop's return means no request is routed to the
// stopped service any more. Each round is a fresh connection, so nothing
// but Serve's own flush can have carried the subscription to the server.
func TestServeAnswersAsSoonAsItReturns(t *testing.T) {
	c := startCollector(t, t.TempDir(), "")
	defer c.close()
	c.stop() // only the rounds' services answer
	c.stop = func() {}
	tnc, err := nats.Connect(c.srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer tnc.Close()
	cl := NewClient(tnc)
	for i := 0; i < 200; i++ {
		snc, err := nats.Connect(c.srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		stop, err := Serve(snc, ServiceConfig{DB: c.db, Pub: c.pub, Want: func(model.Symbol) {}})
		if err != nil {
			t.Fatal(err)
		}
		err = cl.Want(fmt.Sprintf("6%05d", i))
		stop()
		snc.Close()
		if err != nil {
			t.Fatalf("round %d: asked the moment Serve returned: %v", i, err)
		}
	}
}

// A terminal's symbol reaches the collector's poller once, however often
// it is asked for; a bad code is refused; a collector without a poller
// hook says so.
func TestTerminalAsksTheCollectorForASymbol(t *testing.T) {
	c := startCollector(t, t.TempDir(), "")
	defer c.close()
	var mu sync.Mutex
	var got []string
	stop, err := Serve(c.nc, ServiceConfig{DB: c.db, Pub: c.pub, Want: func(s model.Symbol) {
		mu.Lock()
		got = append(got, s.Code)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	c.stop() // the collector's own service (no Want) steps aside
	c.stop = stop
	tnc, err := nats.Connect(c.srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer tnc.Close()
	cl := NewClient(tnc)
	for _, code := range []string{"600519", "600519", "sh600519", "06680"} {
		if err := cl.Want(code); err != nil {
			t.Fatalf("want %s: %v", code, err)
		}
	}
	if err := cl.Want("not a code"); err == nil {
		t.Error("a bad code was taken")
	}
	mu.Lock()
	if strings.Join(got, ",") != "600519,06680" {
		t.Errorf("the poller was asked for %v, want each code once", got)
	}
	mu.Unlock()
}

// A terminal leases the detail of the security it opens: the collector's
// hook gets it with the lease kept in bounds, the detail the collector
// commits reaches the terminal on rt.detail.<SYM> (sanitised), and the
// cached minutes are read back through the collector.
func TestDetailLeaseAndDelivery(t *testing.T) {
	c := startCollector(t, t.TempDir(), "")
	defer c.close()
	type lease struct {
		code string
		d    time.Duration
	}
	var mu sync.Mutex
	var leases []lease
	stop, err := Serve(c.nc, ServiceConfig{DB: c.db, Pub: c.pub, Detail: func(s model.Symbol, d time.Duration) error {
		mu.Lock()
		leases = append(leases, lease{s.Code, d})
		mu.Unlock()
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	c.stop()
	c.stop = stop
	tm := attach(t, c.srv.URL(), SubscriberConfig{Codes: syms}, nil)
	cl := NewClient(tm.nc)
	for _, d := range []time.Duration{0, time.Millisecond, time.Hour} {
		if err := cl.Detail("600111", d); err != nil {
			t.Fatal(err)
		}
	}
	if err := cl.Detail("no such code", 0); err == nil {
		t.Fatal("a bad code was leased")
	}
	mu.Lock()
	if got := fmt.Sprint(leases); got != fmt.Sprint([]lease{{"600111", DefaultLease}, {"600111", MinLease}, {"600111", MaxLease}}) {
		t.Fatalf("leases %s", got)
	}
	mu.Unlock()

	b := batch(1, syms...)
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, model.CST)
	b.Detail = []model.Detail{{
		Symbol: "600111",
		Book:   &model.Book{Symbol: "600111", Time: base, Last: 50.1, Bids: [5]model.Level{{Price: 50.09, Volume: 120}}, Source: "eastmoney\x1b[2J"},
		Sessions: []model.Session{{Symbol: "600111", Day: day, PrevClose: 50, Source: "eastmoney",
			Ticks: []model.Tick{{Time: base, Open: 50, Close: 50.1, High: 50.2, Low: 49.9, Volume: 10, Amount: 500, Avg: 50.05}}}},
	}}
	c.commit(b)
	waitFor(t, "the detail on the terminal", func() bool {
		tm.mu.Lock()
		defer tm.mu.Unlock()
		return len(tm.details) > 0
	})
	tm.mu.Lock()
	d := tm.details[0]
	tm.mu.Unlock()
	if d.Symbol != "600111" || d.Book == nil || d.Book.Bids[0].Price != 50.09 || len(d.Sessions) != 1 || len(d.Sessions[0].Ticks) != 1 {
		t.Fatalf("detail on the terminal: %+v", d)
	}
	if strings.Contains(d.Book.Source, "\x1b") {
		t.Fatalf("an escape sequence reached the terminal: %q", d.Book.Source)
	}
	ids, _ := streamIDs(t, c.nc)
	if !strings.Contains(strings.Join(ids, " "), "1.detail.SH600111") {
		t.Fatalf("no detail message in the stream: %v", ids)
	}
	ss, err := cl.Sessions("600111", day.AddDate(0, 0, -1), base.Add(time.Hour))
	if err != nil || len(ss) != 1 || len(ss[0].Ticks) != 1 {
		t.Fatalf("cached minutes through the collector: %v, %v", ss, err)
	}
}
