//go:build linux

package main

import (
	"bufio"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rareterm/rareterm/store"
)

// slowFeed serves Eastmoney's formats (emFeed) with every answer delay late,
// as a slow or stalling upstream does.
type slowFeed struct {
	*httptest.Server
	requests atomic.Int64
	hit      chan struct{}
}

func newSlowFeed(t testing.TB, delay time.Duration) *slowFeed {
	em := newEMFeed(t)
	f := &slowFeed{hit: make(chan struct{}, 1)}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		select {
		case f.hit <- struct{}{}:
		default:
		}
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		em.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// binProc is the binary with its stderr read line by line.
type binProc struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	lines  []string
	line   chan string // every line, as it comes
	exited chan struct{}
	err    error
}

func startBin(t testing.TB, env []string, args ...string) *binProc {
	t.Helper()
	p := &binProc{cmd: exec.Command(rareterm(t), args...), line: make(chan string, 4096), exited: make(chan struct{})}
	p.cmd.Env = env
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stdout = p.cmd.Stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<16), 1<<20)
		for sc.Scan() {
			p.mu.Lock()
			p.lines = append(p.lines, sc.Text())
			p.mu.Unlock()
			select {
			case p.line <- sc.Text():
			default:
			}
		}
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

func (p *binProc) stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// waitLine waits for a stderr line containing s.
func (p *binProc) waitLine(s string, within time.Duration) error {
	deadline := time.After(within)
	for {
		select {
		case l := <-p.line:
			if strings.Contains(l, s) {
				return nil
			}
		case <-p.exited:
			if strings.Contains(p.stderr(), s) {
				return nil
			}
			return errors.New("exited before a line with " + s)
		case <-deadline:
			return errors.New("no line with " + s + " in time")
		}
	}
}

func (p *binProc) waitExit(within time.Duration) (int, error) {
	select {
	case <-p.exited:
	case <-time.After(within):
		return 0, errors.New("still running")
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode(), nil
	}
	return 0, p.err
}

// TestCollectStopsWithin5s: collect, in each mode, against a feed that
// answers every request 3 s late (the demo market needs none), sent SIGINT,
// SIGTERM or SIGHUP while at work, exits 0 within 5 s of the signal, saying
// it closed the database, and the file passes bbolt's check. (--once used to
// ignore SIGTERM and go on with its requests for minutes.)
func TestCollectStopsWithin5s(t *testing.T) {
	rareterm(t)
	srv := newSlowFeed(t, 3*time.Second)
	modes := []struct {
		name string
		args []string
	}{{"once", []string{"--once"}}, {"continuous", nil}, {"demo", []string{"--demo"}}, {"demo once", []string{"--demo", "--once"}}}
	for _, mode := range modes {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
			t.Run(mode.name+"/"+sig.String(), func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				cfg := collectConfig(t, dir, srv.URL)
				// Requests may take longer than the feed's 3 s.
				appendFile(t, cfg, "[timeouts]\nquotes = \"8s\"\nhistory = \"20s\"\nmargin = \"20s\"\nboards = \"20s\"\n")
				dbPath := filepath.Join(dir, "rareterm.db")
				p := startBin(t, testEnv(dir), append([]string{"collect", "--db", dbPath, "--config", cfg}, mode.args...)...)
				if err := p.waitLine("collect: "+dir, 30*time.Second); err != nil {
					t.Fatalf("%v\n%s", err, p.stderr())
				}
				if mode.args == nil || mode.args[0] != "--demo" {
					// At work: requests in flight, more to come.
					deadline := time.After(30 * time.Second)
					for srv.requests.Load() == 0 {
						select {
						case <-srv.hit:
						case <-deadline:
							t.Fatal("no request reached the feed")
						case <-time.After(50 * time.Millisecond):
						}
					}
				} else if !strings.Contains(strings.Join(mode.args, " "), "--once") {
					if err := p.waitLine(" committed: ", 30*time.Second); err != nil {
						t.Fatalf("%v\n%s", err, p.stderr())
					}
				}
				sent := time.Now()
				if err := p.cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				code, err := p.waitExit(5 * time.Second)
				took := time.Since(sent)
				if err != nil {
					t.Fatalf("%v 5 s after %v:\n%s", err, sig, p.stderr())
				}
				out := p.stderr()
				if code != 0 {
					t.Errorf("exit %d after %v:\n%s", code, sig, out)
				}
				if !strings.Contains(out, "database closed") {
					t.Errorf("no clean close:\n%s", out)
				}
				noTrace(t, "stderr", out)
				path := dbPath
				if strings.Contains(strings.Join(mode.args, " "), "--demo") {
					path = filepath.Join(dir, "demo.db")
				}
				db, err := store.Open(path, store.Options{ReadOnly: true, AnyMode: true})
				if err != nil {
					t.Fatalf("reopening: %v\n%s", err, out)
				}
				defer db.Close()
				if err := db.Check(); err != nil {
					t.Error(err)
				}
				t.Logf("exited %v after the signal", took.Round(time.Millisecond))
			})
		}
	}
}

// TestCollectPanicInGoroutine: a panic in one of collect's own goroutines
// (injected in the daily retention loop once a batch is committed) stops
// collect with exit 1, the crash log's path on stderr and no trace, and
// the database closed sound.
func TestCollectPanicInGoroutine(t *testing.T) {
	rareterm(t)
	srv := newEMFeed(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "rareterm.db")
	p := startBin(t, testEnv(dir, "RARETERM_TEST_PANIC=collect"), "collect", "--db", dbPath, "--config", collectConfig(t, dir, srv.URL))
	code, err := p.waitExit(time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	out := p.stderr()
	noTrace(t, "stderr", out)
	if code != 1 {
		t.Errorf("exit %d, want 1:\n%s", code, out)
	}
	m := regexp.MustCompile(`internal error in collect's daily retention: injected panic in collect \(RARETERM_TEST_PANIC\); the details are in (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no crash report:\n%s", out)
	}
	if filepath.Dir(m[1]) != dir {
		t.Errorf("crash log %s not beside the database", m[1])
	}
	if b, err := os.ReadFile(m[1]); err != nil || !strings.Contains(string(b), "goroutine ") {
		t.Errorf("crash log: %v\n%s", err, b)
	}
	db, err := store.Open(dbPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}
