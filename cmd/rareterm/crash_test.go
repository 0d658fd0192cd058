package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestWriteCrashLog: the log is beside the database, holds where, the value
// and the stack, and two crashes in the same second get two files.
func TestWriteCrashLog(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	stack := debug.Stack()
	p1, err := writeCrashLog(dir, "feed eastmoney quotes", "index out of range [3] with length 3", stack)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := writeCrashLog(dir, "feed sina quotes", fmt.Errorf("boom"), stack)
	if err != nil {
		t.Fatal(err)
	}
	if p1 == p2 || filepath.Dir(p1) != dir || !strings.HasPrefix(filepath.Base(p1), "crash-") || !strings.HasSuffix(p1, ".log") {
		t.Fatalf("paths %s, %s", p1, p2)
	}
	b, _ := os.ReadFile(p1)
	for _, want := range []string{"rareterm crashed in feed eastmoney quotes", "panic value: index out of range [3] with length 3", "goroutine ", "crash_test.go"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("crash log lacks %q:\n%s", want, b)
		}
	}
	if st, _ := os.Stat(p1); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
}

// TestWriteCrashLogFallsBack: a data directory that cannot be written sends
// the log to the temporary directory rather than losing it.
func TestWriteCrashLogFallsBack(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	file := filepath.Join(tmp, "not-a-dir")
	os.WriteFile(file, nil, 0o600)
	p, err := writeCrashLog(filepath.Join(file, "data"), "x", "v", []byte("stack"))
	if err != nil || filepath.Dir(p) != tmp {
		t.Fatalf("%s, %v", p, err)
	}
}

// TestFeedPanicHook: a feed that panics on every answer leaves one crash log
// per place, and a line in the log file for every later panic.
func TestFeedPanicHook(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	hook := feedPanicHook(dir, func(f string, a ...any) { lines = append(lines, fmt.Sprintf(f, a...)) })
	for i := 0; i < 5; i++ {
		hook("eastmoney quotes", "boom", []byte("goroutine 1 [running]:\n"))
	}
	hook("sina quotes", "bang", []byte("goroutine 2 [running]:\n"))
	logs, _ := filepath.Glob(filepath.Join(dir, "crash-*.log"))
	if len(logs) != 2 {
		t.Errorf("%d crash logs, want 2 (one per place)", len(logs))
	}
	if len(lines) != 6 || !strings.Contains(lines[0], "crash log "+dir) || !strings.Contains(lines[4], "again, 5 times") {
		t.Errorf("log lines:\n%s", strings.Join(lines, "\n"))
	}
}
