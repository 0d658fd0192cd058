// The Go runtime re-reads the cgroup's CPU limit every second to adjust
// GOMAXPROCS (Go 1.25 and later), which wakes the process once a second
// however idle the screen is. rareterm sets GOMAXPROCS once, at start.
//go:debug updatemaxprocs=0

package main
