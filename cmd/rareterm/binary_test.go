//go:build linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// The tests in this file and in faults_test.go drive the real binary, built
// once (with the fault-injection hook, faultinject.go) into a temporary
// directory, in a pseudo-terminal when it draws a screen.

var testBinary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rareterm-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testBinary.dir = dir
	if signal.Ignored(syscall.SIGHUP) {
		// Run under nohup: catching SIGHUP here gives the children the
		// default disposition back (a caught signal is reset by exec), so
		// the tests see what a terminal's user gets.
		signal.Notify(make(chan os.Signal, 1), syscall.SIGHUP)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// rareterm returns the path of the binary, building it the first time.
func rareterm(t testing.TB) string {
	t.Helper()
	testBinary.once.Do(func() {
		p := filepath.Join(testBinary.dir, "rareterm")
		out, err := exec.Command("go", "build", "-tags", "rareterm_faultinject", "-o", p, ".").CombinedOutput()
		if err != nil {
			testBinary.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		testBinary.path = p
	})
	if testBinary.err != nil {
		t.Fatal(testBinary.err)
	}
	return testBinary.path
}

// testEnv is an environment with HOME and the XDG directories in dir, so
// the binary never touches the user's files.
func testEnv(dir string, extra ...string) []string {
	env := []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "XDG_DATA_HOME=" + filepath.Join(dir, "data"),
		"TERM=xterm-256color", "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8"}
	return append(env, extra...)
}

func ioctl(f *os.File, req uintptr, arg unsafe.Pointer) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var errno syscall.Errno
	if err := rc.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, req, uintptr(arg))
	}); err != nil {
		return err
	}
	if errno != 0 {
		return errno
	}
	return nil
}

func appendFile(t testing.TB, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// ptyProc is the binary running with a pseudo-terminal as stdin and stdout
// (stderr apart, in a pipe), and everything it wrote to the terminal.
type ptyProc struct {
	t      testing.TB
	cmd    *exec.Cmd
	master *os.File
	slave  *os.File // kept open: its modes are checked after the exit

	mu     sync.Mutex
	out    bytes.Buffer
	stderr bytes.Buffer
	grew   chan struct{} // signalled on every read

	exited chan struct{}
	err    error // of Wait, once exited is closed
}

// startPty starts the binary with args in a new session whose controlling
// terminal is a fresh 100×30 pseudo-terminal.
func startPty(t testing.TB, env []string, args ...string) *ptyProc {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	var unlock int32
	if err := ioctl(master, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		t.Fatal(err)
	}
	var n uint32
	if err := ioctl(master, syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		t.Fatal(err)
	}
	slave, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	ws := struct{ row, col, x, y uint16 }{30, 100, 0, 0}
	if err := ioctl(slave, syscall.TIOCSWINSZ, unsafe.Pointer(&ws)); err != nil {
		t.Fatal(err)
	}
	p := &ptyProc{t: t, master: master, slave: slave, grew: make(chan struct{}, 1), exited: make(chan struct{})}
	p.cmd = exec.Command(rareterm(t), args...)
	p.cmd.Env = env
	p.cmd.Stdin, p.cmd.Stdout, p.cmd.Stderr = slave, slave, &lockedWriter{mu: &p.mu, w: &p.stderr}
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := master.Read(buf)
			if n > 0 {
				p.mu.Lock()
				p.out.Write(buf[:n])
				p.mu.Unlock()
				select {
				case p.grew <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
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
		master.Close()
		slave.Close()
	})
	return p
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// output returns what the program wrote to the terminal and to stderr.
func (p *ptyProc) output() (term, stderr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String(), p.stderr.String()
}

// waitOutput waits until the terminal output contains s.
func (p *ptyProc) waitOutput(s string, within time.Duration) error {
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		if out, _ := p.output(); strings.Contains(out, s) {
			return nil
		}
		select {
		case <-p.grew:
		case <-p.exited:
			if out, _ := p.output(); strings.Contains(out, s) {
				return nil
			}
			return fmt.Errorf("the program exited (%v) before writing %q", p.err, s)
		case <-deadline.C:
			return fmt.Errorf("no %q on the terminal within %v", s, within)
		}
	}
}

// waitExit waits for the exit and returns the exit code (-1 if killed by a
// signal) and how long it took.
func (p *ptyProc) waitExit(within time.Duration) (code int, took time.Duration, err error) {
	start := time.Now()
	select {
	case <-p.exited:
	case <-time.After(within):
		return 0, time.Since(start), fmt.Errorf("still running %v later", within)
	}
	took = time.Since(start)
	p.drain()
	var ee *exec.ExitError
	switch {
	case p.err == nil:
		return 0, took, nil
	case errors.As(p.err, &ee):
		return ee.ExitCode(), took, nil
	}
	return 0, took, p.err
}

// drain waits, after the program exited, until the reader has taken all
// it wrote from the pseudo-terminal: its last bytes (the terminal's
// restore sequences) may still sit in the kernel's buffer when Wait
// returns. Nothing is pending and no read has grown the output for a
// while, or the deadline passed.
func (p *ptyProc) drain() {
	deadline := time.Now().Add(10 * time.Second)
	for quiet := 0; quiet < 3 && time.Now().Before(deadline); {
		var pending int32
		if err := ioctl(p.master, syscall.TIOCINQ, unsafe.Pointer(&pending)); err != nil {
			return
		}
		select {
		case <-p.grew:
			quiet = 0
		case <-time.After(20 * time.Millisecond):
			if pending == 0 {
				quiet++
			}
		}
	}
}

// key types s on the terminal.
func (p *ptyProc) key(s string) {
	if _, err := p.master.Write([]byte(s)); err != nil {
		p.t.Errorf("typing %q: %v", s, err)
	}
}

var decMode = regexp.MustCompile(`\x1b\[\?([0-9;]+)([hl])`)

// terminalLeftBroken lists what a program that wrote out to the terminal
// left switched on: the alternate screen, mouse reporting, bracketed paste,
// focus events, a hidden cursor. Empty when all is restored.
func terminalLeftBroken(out string) []string {
	state := map[string]string{}
	for _, m := range decMode.FindAllStringSubmatch(out, -1) {
		for _, mode := range strings.Split(m[1], ";") {
			state[mode] = m[2]
		}
	}
	var bad []string
	for _, c := range []struct{ mode, on, what string }{
		{"1049", "h", "alternate screen"}, {"1000", "h", "mouse reporting (1000)"}, {"1002", "h", "mouse cell motion (1002)"},
		{"1003", "h", "mouse all motion (1003)"}, {"1006", "h", "SGR mouse (1006)"}, {"2004", "h", "bracketed paste"},
		{"1004", "h", "focus events"}, {"25", "l", "hidden cursor"},
	} {
		if state[c.mode] == c.on {
			bad = append(bad, c.what)
		}
	}
	return bad
}

// rawMode reports whether the terminal is still in raw mode (no line
// editing or echo), as a program that exits without restoring it leaves it.
func (p *ptyProc) rawMode() (bool, error) {
	var tio syscall.Termios
	if err := ioctl(p.slave, syscall.TCGETS, unsafe.Pointer(&tio)); err != nil {
		return false, err
	}
	return tio.Lflag&syscall.ICANON == 0 || tio.Lflag&syscall.ECHO == 0, nil
}

// checkRestored fails the test when the terminal was left broken: a mode
// left on in the output, or the line discipline left raw.
func (p *ptyProc) checkRestored(t testing.TB) {
	t.Helper()
	out, stderr := p.output()
	if !strings.Contains(out, "\x1b[?1049h") {
		t.Errorf("the screen never came up:\n%q\nstderr:\n%s", tail(out, 600), stderr)
		return
	}
	if bad := terminalLeftBroken(out); len(bad) > 0 {
		t.Errorf("left on: %s; the output's end:\n%q", strings.Join(bad, ", "), tail(out, 400))
	}
	if raw, err := p.rawMode(); err != nil {
		t.Error(err)
	} else if raw {
		t.Error("the terminal was left in raw mode")
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

var traceRe = regexp.MustCompile(`(?m)^panic: |goroutine \d+ \[|Caught panic|^\s+/.*\.go:\d+ \+0x`)

// noTrace fails the test when a Go panic trace reached the user.
func noTrace(t testing.TB, what, s string) {
	t.Helper()
	if m := traceRe.FindString(s); m != "" {
		t.Errorf("%s shows a panic trace (%q):\n%s", what, m, tail(s, 2000))
	}
}
