//go:build linux

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rareterm/rareterm/store"
)

// TestDashboardSignals: the demo dashboard in a pseudo-terminal, sent
// SIGINT, SIGTERM or SIGHUP once its screen is up, exits 0 within 5 s every
// time, with the alternate screen, mouse reporting and the hidden cursor
// switched back and the line discipline out of raw mode. (bubbletea and
// rareterm both handled SIGTERM and each waited on the other: 4 hangs in
// 10; SIGHUP left the terminal raw.)
func TestDashboardSignals(t *testing.T) {
	runs := 10
	if testing.Short() {
		runs = 2
	}
	rareterm(t) // build before the parallel subtests
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			var worst time.Duration
			for i := 0; i < runs; i++ {
				p := startPty(t, testEnv(dir), "--demo")
				if err := p.waitOutput("DEMO", 30*time.Second); err != nil {
					_, stderr := p.output()
					t.Fatalf("run %d: %v\nstderr:\n%s", i, err, stderr)
				}
				if err := p.cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				code, took, err := p.waitExit(5 * time.Second)
				if err != nil {
					t.Fatalf("run %d: %v after %v", i, err, sig)
				}
				worst = max(worst, took)
				_, stderr := p.output()
				if code != 0 {
					t.Errorf("run %d: exit %d after %v\nstderr:\n%s", i, code, sig, stderr)
				}
				p.checkRestored(t)
				noTrace(t, "stderr", stderr)
				if t.Failed() {
					return
				}
			}
			t.Logf("%d runs, the slowest exit %v after the signal", runs, worst.Round(time.Millisecond))
		})
	}
}

// TestDashboardPanicRestoresTerminal: a panic in the screen's update, its
// view, one of its commands, or the poller's goroutine (injected by the
// test build once "!" is typed) ends the dashboard with exit 1, the
// terminal restored, no trace on the screen, and a crash log beside the
// database holding the panic and its stack, named on stderr.
func TestDashboardPanicRestoresTerminal(t *testing.T) {
	rareterm(t)
	logRe := regexp.MustCompile(`the details are in (\S+crash-\d{8}-\d{6}(?:-\d+)?\.log)`)
	for _, where := range []string{"update", "view", "cmd", "poller"} {
		t.Run(where, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			p := startPty(t, testEnv(dir, "RARETERM_TEST_PANIC="+where), "--demo")
			if err := p.waitOutput("DEMO", 30*time.Second); err != nil {
				t.Fatal(err)
			}
			p.key("!")
			code, _, err := p.waitExit(10 * time.Second)
			if err != nil {
				t.Fatal(err)
			}
			out, stderr := p.output()
			if code != 1 {
				t.Errorf("exit %d, want 1\nstderr:\n%s", code, stderr)
			}
			p.checkRestored(t)
			noTrace(t, "stderr", stderr)
			noTrace(t, "the terminal", out)
			m := logRe.FindStringSubmatch(stderr)
			if m == nil {
				t.Fatalf("no crash log named on stderr:\n%s", stderr)
			}
			if filepath.Dir(m[1]) != filepath.Join(dir, "data", "rareterm") {
				t.Errorf("crash log %s, want it beside the database in %s", m[1], filepath.Join(dir, "data", "rareterm"))
			}
			b, err := os.ReadFile(m[1])
			if err != nil {
				t.Fatal(err)
			}
			log := string(b)
			for _, want := range []string{"injected panic in " + where, "goroutine ", "cmd/rareterm/faultinject.go"} {
				if !strings.Contains(log, want) {
					t.Errorf("crash log lacks %q:\n%s", want, log)
				}
			}
		})
	}
}

// TestDashboardTerminalClosed: closing the terminal (the pseudo-terminal's
// master end: the kernel hangs up and sends SIGHUP) ends the dashboard
// within 5 s with exit 0, its database closed sound.
func TestDashboardTerminalClosed(t *testing.T) {
	rareterm(t)
	dir := t.TempDir()
	p := startPty(t, testEnv(dir), "--demo")
	if err := p.waitOutput("DEMO", 30*time.Second); err != nil {
		t.Fatal(err)
	}
	p.master.Close()
	code, took, err := p.waitExit(5 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_, stderr := p.output()
	noTrace(t, "stderr", stderr)
	if code != 0 {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
	db, err := store.Open(filepath.Join(dir, "data", "rareterm", "demo.db"), store.Options{ReadOnly: true, Mode: store.ModeDemo})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Error(err)
	}
	t.Logf("exited %v after the hang-up", took.Round(time.Millisecond))
}
