package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// A panic is never shown to the user as a Go trace: it is written, with its
// stack, to a crash log beside the database (crash-YYYYMMDD-HHMMSS.log), the
// terminal is restored, and the program exits 1 naming the log.

// crashDir is where crash logs go: the data directory of the database the
// command opened, else the default one.
var crashDir struct {
	mu  sync.Mutex
	dir string
}

// setCrashDir records the data directory of the database in use.
func setCrashDir(dbPath string) {
	crashDir.mu.Lock()
	crashDir.dir = filepath.Dir(dbPath)
	crashDir.mu.Unlock()
}

func currentCrashDir() string {
	crashDir.mu.Lock()
	defer crashDir.mu.Unlock()
	if crashDir.dir != "" {
		return crashDir.dir
	}
	return filepath.Dir(liveDBPath())
}

// writeCrashLog writes a crash log into dir (created if need be): where the
// panic happened, its value and the stack. It returns the log's path. When
// dir cannot be written, the log goes to the system's temporary directory.
func writeCrashLog(dir, where string, v any, stack []byte) (path string, err error) {
	var b strings.Builder
	now := time.Now()
	fmt.Fprintf(&b, "rareterm crashed in %s at %s\n", where, now.Format(time.RFC3339Nano))
	if bi, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(&b, "build: %s %s %s\n", bi.Main.Path, bi.Main.Version, bi.GoVersion)
	}
	fmt.Fprintf(&b, "command: %q\n", os.Args)
	fmt.Fprintf(&b, "panic value: %v\n\n", v)
	b.Write(stack)
	if len(stack) > 0 && stack[len(stack)-1] != '\n' {
		b.WriteByte('\n')
	}
	name := "crash-" + now.Format("20060102-150405")
	for _, d := range []string{dir, os.TempDir()} {
		if d == "" {
			continue
		}
		if err = os.MkdirAll(d, 0o700); err != nil {
			continue
		}
		for i := 0; i < 100; i++ {
			p := filepath.Join(d, name+".log")
			if i > 0 {
				p = filepath.Join(d, fmt.Sprintf("%s-%d.log", name, i+1))
			}
			var f *os.File
			f, err = os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
			if errors.Is(err, os.ErrExist) {
				continue
			}
			if err != nil {
				break
			}
			_, err = f.WriteString(b.String())
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				return p, nil
			}
			break
		}
	}
	return "", i18n.Errorf(i18n.CrashWriting, err)
}

// crashError is a recovered panic, as the user sees it: where, a short
// sanitised value, and the crash log's path.
type crashError struct {
	where string
	value string
	log   string
	err   error // writing the log failed
}

func (e *crashError) Error() string { return e.In(i18n.EN) }

// In is the error in l (where it happened is the program's own name for
// the place, in English).
func (e *crashError) In(l i18n.Lang) string {
	where := any(e.where)
	if t, ok := crashPlaces[e.where]; ok {
		where = t
	}
	if e.log == "" {
		return i18n.CrashNoLog.F(l, where, e.value, e.err)
	}
	return i18n.CrashLog.F(l, where, e.value, e.log)
}

// crashPlaces are the places a panic is recovered in, said in either
// language (the crash log keeps the English name).
var crashPlaces = map[string]i18n.Text{
	"a screen command":             i18n.CrashInCommand,
	"collect's daily retention":    i18n.CrashInRetention,
	"collect's signal handler":     i18n.CrashInCollectSignals,
	"rareterm":                     i18n.CrashInRareterm,
	"the collector's subscription": i18n.CrashInSubscription,
	"the page releaser":            i18n.CrashInReleaser,
	"the poller":                   i18n.CrashInPoller,
	"the screen's start":           i18n.CrashInStart,
	"the screen's update":          i18n.CrashInUpdate,
	"the screen's view":            i18n.CrashInView,
	"the signal handler":           i18n.CrashInSignals,
}

// newCrash writes the crash log for a recovered panic and returns the error
// that reports it.
func newCrash(where string, v any, stack []byte) *crashError {
	path, err := writeCrashLog(currentCrashDir(), where, v, stack)
	val := model.Sanitize(fmt.Sprint(v))
	if len(val) > 200 {
		val = val[:200] + "…"
	}
	return &crashError{where: where, value: val, log: path, err: err}
}

// goSafe runs f in a new goroutine. A panic in f is written to a crash log
// and handed to crashed (which must not panic) instead of ending the
// program with a trace.
func goSafe(where string, f func(), crashed func(*crashError)) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				crashed(newCrash(where, r, debug.Stack()))
			}
		}()
		f()
	}()
}

// feedPanicHook is for the poller's OnPanic: a panic in a feed is that
// feed's failure (the poller reports it and retries); its first occurrence
// in each place is written to a crash log, later ones only to the log file,
// so a feed that panics on every answer cannot fill the disk.
func feedPanicHook(dir string, logf func(string, ...any)) func(where string, v any, stack []byte) {
	var mu sync.Mutex
	seen := map[string]int{}
	return func(where string, v any, stack []byte) {
		mu.Lock()
		seen[where]++
		n := seen[where]
		mu.Unlock()
		if n > 1 {
			logf("panic in %s (again, %d times): %v", where, n, v)
			return
		}
		path, err := writeCrashLog(dir, where, v, stack)
		if err != nil {
			logf("panic in %s: %v (%v)\n%s", where, v, err, stack)
			return
		}
		logf("panic in %s: %v; crash log %s", where, v, path)
	}
}
