//go:build linux

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// exeResident is the resident kB of this process's read-only mappings of
// its own executable, and of its writable ones.
func exeResident(t *testing.T) (ro, rw int) {
	t.Helper()
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		t.Skip(err)
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	mine, writable := false, false
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 5 && strings.Contains(fields[0], "-") && len(fields[1]) == 4 {
			mine = len(fields) >= 6 && strings.Join(fields[5:], " ") == exe
			writable = fields[1][1] == 'w'
			continue
		}
		if mine && len(fields) >= 2 && fields[0] == "Rss:" {
			kb, _ := strconv.Atoi(fields[1])
			if writable {
				rw += kb
			} else {
				ro += kb
			}
		}
	}
	return ro, rw
}

// The executable's code and read-only data left resident by start-up are
// given back; its writable data is left alone, and the program runs on
// (what it needs comes back from the page cache).
func TestReleaseExecutableGivesBackReadOnlyPages(t *testing.T) {
	ro, rw := exeResident(t)
	n, err := releaseExecutable()
	if err != nil {
		t.Fatal(err)
	}
	after, rwAfter := exeResident(t)
	if rwAfter < rw/2 {
		t.Errorf("the writable mappings went from %d kB resident to %d kB", rw, rwAfter)
	}
	if n == 0 || after >= ro {
		t.Fatalf("advised %d bytes; read-only pages resident %d kB before, %d kB after", n, ro, after)
	}
	t.Logf("read-only pages of the executable: %d kB resident before, %d kB after", ro, after)
	// The data survived: a map and a string built before work as before.
	if got := strings.Repeat("ab", 3); got != "ababab" || shutdownGrace <= 0 || len(shutdownSignals()) == 0 {
		t.Error("the program no longer runs as before")
	}
}

// A position-independent build's read-only pages hold the loader's
// relocations: such an executable is never advised; the one go build makes
// is.
func TestReleaseExecutableLeavesAPIEAlone(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := readOnlyIsFile(self); err != nil || !ok {
		t.Fatalf("the test binary (as go build makes it): %v %v", ok, err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nfunc main() {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pie := filepath.Join(dir, "pie")
	cmd := exec.Command("go", "build", "-buildmode=pie", "-o", pie, src)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GO111MODULE=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build a PIE here: %v\n%s", err, out)
	}
	if ok, err := readOnlyIsFile(pie); err != nil || ok {
		t.Fatalf("a PIE is advised: %v %v", ok, err)
	}
}
