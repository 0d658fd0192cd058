package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// An idle dashboard must not wake each second for the runtime's GOMAXPROCS
// update: the binary is built with it off.
func TestTheRuntimeDoesNotRereadTheCPULimitEverySecond(t *testing.T) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build information in this binary")
	}
	for _, s := range bi.Settings {
		if s.Key == "DefaultGODEBUG" && strings.Contains(","+s.Value+",", ",updatemaxprocs=0,") {
			return
		}
	}
	t.Errorf("the binary's default GODEBUG lacks updatemaxprocs=0: %+v", bi.Settings)
}
