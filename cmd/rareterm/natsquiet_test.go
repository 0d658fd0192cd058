package main

import (
	"fmt"
	"os"
	"testing"

	"github.com/nats-io/nats-server/v2/server/pse"
)

// The dashboard quietens nats-server's once-a-second process sampler: the
// file it reads is no longer there, and the sampler stops at its first
// failed read. Before, it is this process's stat file (a nats-server that
// renamed the variable fails the build; one that read another file, this).
func TestTheDashboardStopsNATSSampler(t *testing.T) {
	if want := fmt.Sprintf("/proc/%d/stat", os.Getpid()); natsStatFile != want {
		t.Fatalf("nats-server's sampler reads %q, want %q", natsStatFile, want)
	}
	var pcpu float64
	var rss, vss int64
	if err := pse.ProcUsage(&pcpu, &rss, &vss); err != nil {
		t.Fatalf("before: %v", err)
	}
	quietNATSSampler()
	if err := pse.ProcUsage(&pcpu, &rss, &vss); err == nil {
		t.Errorf("the sampler's file %q can still be read", natsStatFile)
	}
	if len(natsStatFile) != len(fmt.Sprintf("/proc/%d/stat", os.Getpid())) {
		t.Errorf("the path changed length: %q", natsStatFile)
	}
}
