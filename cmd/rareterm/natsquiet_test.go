package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server/pse"
)

// The dashboard quietens nats-server's once-a-second process sampler: the
// file it reads is no longer there, and the sampler stops at its first
// failed read. Before, it is this process's stat file (a nats-server that
// renamed the variable fails the build; one that read another file, this).
func TestTheDashboardStopsNATSSampler(t *testing.T) {
	own := fmt.Sprintf("/proc/%d/stat", os.Getpid())
	quiet := "/proc/" + strings.Repeat("x", len(own)-len("/proc//stat")) + "/stat"
	// Another test may have run a dashboard in this process already.
	if natsStatFile != own && natsStatFile != quiet {
		t.Fatalf("nats-server's sampler reads %q, want %q", natsStatFile, own)
	}
	quietNATSSampler()
	if natsStatFile != quiet {
		t.Errorf("the sampler's file is %q, want %q (the same length)", natsStatFile, quiet)
	}
	var pcpu float64
	var rss, vss int64
	if err := pse.ProcUsage(&pcpu, &rss, &vss); err == nil {
		t.Errorf("the sampler's file %q can still be read", natsStatFile)
	}
}
