package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/rareterm/rareterm/bus"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

// servingCollector starts `rareterm collect --serve 127.0.0.1:0` as a child
// process against the feed at url, and returns its address once it serves.
// Its stderr lines go to lines.
func servingCollector(t *testing.T, dir, url string) (cmd interface{ Kill() error }, pid int, addr string, batches *atomic.Int64, stop func()) {
	t.Helper()
	cfgPath := collectConfig(t, dir, url)
	dbPath := filepath.Join(dir, "rareterm.db")
	c, sc := child(t, "collect", "--serve", "127.0.0.1:0", "--db", dbPath, "--config", cfgPath)
	batches = new(atomic.Int64)
	addrCh := make(chan string, 1)
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, "collect: serving terminals at "); ok {
				addrCh <- u
			}
			if strings.HasPrefix(line, "batch ") && strings.Contains(line, " committed") {
				batches.Add(1)
			}
			if strings.HasPrefix(line, "rareterm") || strings.Contains(line, "CHILD-EXIT") {
				t.Log(line)
			}
		}
	}()
	select {
	case addr = <-addrCh:
	case <-exited:
		t.Fatal("the collector exited before it served")
	case <-time.After(60 * time.Second):
		_ = c.Process.Kill()
		t.Fatal("the collector never said where it serves")
	}
	stop = func() {
		_ = c.Process.Signal(syscall.SIGINT)
		<-exited
		_ = c.Wait()
	}
	t.Cleanup(func() { _ = c.Process.Kill(); <-exited; _ = c.Wait() })
	return c.Process, c.Process.Pid, addr, batches, stop
}

// procCPU is a process's user+system CPU time, and its resident set.
func procCPU(pid int) (cpu time.Duration, rssKB int) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	cpu = time.Duration(ut+st) * 10 * time.Millisecond // USER_HZ 100
	st2, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, l := range strings.Split(string(st2), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			rssKB, _ = strconv.Atoi(strings.Fields(v)[0])
		}
	}
	return cpu, rssKB
}

// headless is a terminal with no screen: the market a screen keeps.
type headless struct {
	mu   sync.Mutex
	snap model.Snapshot
	n    int             // batches applied
	lats []time.Duration // commit → model, per batch from the stream
	sub  *bus.Subscriber
}

func attachHeadless(t *testing.T, ctx context.Context, addr string, wg *sync.WaitGroup) *headless {
	nc, err := nats.Connect(addr, nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	h := &headless{snap: model.NewSnapshot()}
	h.sub, err = bus.NewSubscriber(nc, bus.SubscriberConfig{Codes: []string{"600111", "000831", "06680", "516150"}, Out: func(b model.Batch) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.snap.Apply(b)
		if b.Seq != 0 {
			h.n++
			h.lats = append(h.lats, h.sub.Stats().Latency)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	wg.Add(1)
	go func() { defer wg.Done(); _ = h.sub.Run(ctx) }()
	return h
}

func (h *headless) batches() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// Fifty terminals attached to one collector cost the feed what the
// collector alone costs: the terminals never call the feed, and the
// feed's requests per committed batch stay those of one poller.
func TestDeskFiftyTerminalsCostOnePoller(t *testing.T) {
	if testing.Short() {
		t.Skip("a 30-second desk")
	}
	feed := newEMFeed(t)
	var requests atomic.Int64
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		feed.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(counting.Close)
	dir := t.TempDir()
	_, pid, addr, batches, stop := servingCollector(t, dir, counting.URL)
	if got := readAddr(filepath.Join(dir, "rareterm.db")); got != addr {
		t.Fatalf("the collector recorded %q beside the database, serves %q", got, addr)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()

	// phase measures the feed's requests and the collector's CPU over at
	// least want batches, once every terminal has applied them.
	phase := func(name string, terms []*headless, want int64) (perBatch float64, cpu time.Duration, rss int) {
		waitUntil(t, "the terminals' snapshots", func() bool {
			for _, h := range terms {
				if h.sub.Stats().Snapshots == 0 {
					return false
				}
			}
			return true
		})
		b0, r0 := batches.Load(), requests.Load()
		c0, _ := procCPU(pid)
		t0 := time.Now()
		waitUntil(t, name, func() bool { return batches.Load()-b0 >= want })
		b1, r1 := batches.Load(), requests.Load()
		c1, rss := procCPU(pid)
		el := time.Since(t0)
		perBatch = float64(r1-r0) / float64(b1-b0)
		t.Logf("%s: %d batches, %d feed requests (%.2f per batch) in %v; collector CPU %v (%.1f%%), RSS %d KiB",
			name, b1-b0, r1-r0, perBatch, el.Round(time.Millisecond), c1-c0, 100*float64(c1-c0)/float64(el), rss)
		return perBatch, c1 - c0, rss
	}

	// The history backfill's requests come first: measure past them.
	waitUntil(t, "the backfill", func() bool { return batches.Load() >= 6 })
	one := []*headless{attachHeadless(t, ctx, addr, &wg)}
	p1, _, _ := phase("1 terminal", one, 8)
	all := one
	for i := 1; i < 50; i++ {
		all = append(all, attachHeadless(t, ctx, addr, &wg))
	}
	p50, _, _ := phase("50 terminals", all, 8)
	if p50 > p1*1.5+0.5 {
		t.Fatalf("50 terminals cost the feed %.2f requests per batch, one %.2f", p50, p1)
	}
	// Every terminal follows the stream: the last batches reach all 50.
	final := batches.Load()
	waitUntil(t, "every terminal up to date", func() bool {
		for _, h := range all {
			if h.sub.Stats().LastBatch < uint64(final) {
				return false
			}
		}
		return true
	})
	var lats []time.Duration
	for _, h := range all {
		h.mu.Lock()
		lats = append(lats, h.lats...)
		h.mu.Unlock()
		if st := h.sub.Stats(); st.Lost != 0 {
			t.Fatalf("a terminal lost the collector: %+v", st)
		}
	}
	sort.Slice(lats, func(i, j int) bool { return lats[i] < lats[j] })
	if len(lats) > 0 {
		t.Logf("commit → terminal model over %d deliveries: median %v, p99 %v, max %v (GOMAXPROCS %d)",
			len(lats), lats[len(lats)/2], lats[len(lats)*99/100], lats[len(lats)-1], runtime.GOMAXPROCS(0))
	}

	// The database is the collector's: a second process gets "in use",
	// and a dashboard finds the collector instead.
	dbPath := filepath.Join(dir, "rareterm.db")
	_, _, err := openDB(dbPath, store.Options{Timeout: 100 * time.Millisecond, ReadOnly: true})
	if u, ok := localCollector(dbPath, err, DeskConfig{}); !ok || u != addr {
		t.Fatalf("a dashboard on the served database: %v, found %q %v", err, u, ok)
	}
	nc, cli, err := dialCollector(addr, DeskConfig{}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	bars, err := cli.Bars("600111", model.Daily, time.Time{}, time.Now().Add(24*time.Hour))
	if err != nil || len(bars) == 0 {
		t.Fatalf("history over request/reply: %d bars, %v", len(bars), err)
	}
	cancel()
	wg.Wait()
	stop()
	if readAddr(dbPath) != "" {
		t.Fatal("a stopped collector left its address behind")
	}
	if _, ok := localCollector(dbPath, store.ErrInUse, DeskConfig{}); ok {
		t.Fatal("a stopped collector still found")
	}
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestServeFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		on   bool
		addr string
	}{
		{[]string{"--serve"}, true, ""},
		{[]string{"--serve", "0.0.0.0:4300"}, true, "0.0.0.0:4300"},
		{[]string{"--serve=127.0.0.1:4301"}, true, "127.0.0.1:4301"},
		{[]string{"--once"}, false, ""},
	} {
		sf := newSubFlags("collect", i18n.CollectUsage, true, tc.args, &strings.Builder{})
		sf.fs.Bool("once", false, "")
		sf.fs.Var(serveFlag{&sf.opts.serve, &sf.opts.serveAddr}, "serve", "")
		pos, _, ok := sf.parse(tc.args)
		if len(pos) == 1 && sf.opts.serve && sf.opts.serveAddr == "" {
			sf.opts.serveAddr, pos = pos[0], nil
		}
		if !ok || len(pos) != 0 || sf.opts.serve != tc.on || sf.opts.serveAddr != tc.addr {
			t.Errorf("%v: serve %v %q, left %v", tc.args, sf.opts.serve, sf.opts.serveAddr, pos)
		}
	}
}

func TestDeskConfig(t *testing.T) {
	c, err := parseConfig("c.toml", []byte("[desk]\nlisten = \"0.0.0.0:4222\"\nwindow_hours = 8\nmax_mb = 64\ntoken = \"s3cret\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Desk.Listen != "0.0.0.0:4222" || c.Desk.Window != 8*time.Hour || c.Desk.MaxBytes != 64<<20 || c.Desk.Token != "s3cret" {
		t.Fatalf("%+v", c.Desk)
	}
	for _, bad := range []string{"[desk]\nwindow_hours = 0\n", "[desk]\nlisten = 4\n", "[desk]\nhost = \"x\"\n", "[desk]\ntls_cert = \"a.pem\"\n"} {
		if _, err := parseConfig("c.toml", []byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Two dashboards and an offline review on the database a collector
// serves: they attach instead of failing "database in use", say
// "collector lost" when it is killed, and carry on when it is back.
func TestDeskDashboardsAttachToServingCollector(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary five times")
	}
	bin := rareterm(t)
	dir := t.TempDir()
	env := testEnv(dir)
	startCollect := func(addr string) (*exec.Cmd, string) {
		c := exec.Command(bin, "collect", "--demo", "--serve", addr)
		c.Env = env
		errp, err := c.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Process.Kill(); _ = c.Wait() })
		sc := bufio.NewScanner(errp)
		urlCh := make(chan string, 1)
		go func() {
			for sc.Scan() {
				if u, ok := strings.CutPrefix(sc.Text(), "collect: serving terminals at "); ok {
					urlCh <- u
				}
			}
			close(urlCh)
		}()
		select {
		case u, ok := <-urlCh:
			if !ok {
				t.Fatal("collect --serve exited before serving")
			}
			return c, u
		case <-time.After(60 * time.Second):
			t.Fatal("collect --serve never served")
		}
		return nil, ""
	}
	col, url := startCollect("127.0.0.1:0")
	a := startPty(t, env, "--demo")
	b := startPty(t, env, "--demo")
	for _, p := range []*ptyProc{a, b} {
		if err := p.waitOutput("attached to the collector", 60*time.Second); err != nil {
			_, stderr := p.output()
			t.Fatalf("%v\nstderr:\n%s", err, stderr)
		}
	}
	off := startPty(t, env, "--demo", "--offline")
	if err := off.waitOutput("the collector's history", 60*time.Second); err != nil {
		_, stderr := off.output()
		t.Fatalf("offline review while collecting: %v\nstderr:\n%s", err, stderr)
	}
	off.key("q")
	if code, _, err := off.waitExit(10 * time.Second); err != nil || code != 0 {
		t.Fatalf("offline review: exit %d, %v", code, err)
	}

	if err := col.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = col.Wait()
	for _, p := range []*ptyProc{a, b} {
		if err := p.waitOutput("collector lost", 30*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	startCollect(strings.TrimPrefix(url, "nats://"))
	// Both dashboards read the new run's snapshot and follow it: two
	// snapshots each in their log.
	logPath := filepath.Join(dir, "data", "rareterm", "demo.log")
	waitUntil(t, "both dashboards resumed", func() bool {
		b, _ := os.ReadFile(logPath)
		return strings.Count(string(b), "bus: snapshot of collector run") >= 4
	})
	for _, p := range []*ptyProc{a, b} {
		p.key("q")
		if code, _, err := p.waitExit(10 * time.Second); err != nil || code != 0 {
			_, stderr := p.output()
			t.Fatalf("a dashboard after the collector's restart: exit %d, %v\nstderr:\n%s", code, err, stderr)
		}
		p.checkRestored(t)
	}
}
