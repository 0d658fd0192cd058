package main

import "time"

// releaseDBEvery is the least time between two releases of the database's
// pages after a commit.
const releaseDBEvery = 30 * time.Second

// dbReleaser gives back the database pages the dashboard's commits and reads
// brought in (store.DB.ReleaseMapped) after a commit, at most once every
// `every`. A commit copies the pages it changes and reads them back through
// the mapping, and the poller's reads of the cache bring in more: left
// alone, the resident part of the file grows. Given back after every commit,
// each commit faulted back every page on its path, about a fifth of the
// demo's CPU on a VM; the commits in between reuse the same few pages (the
// store's array freelist), so waiting costs little memory.
type dbReleaser struct {
	every   time.Duration
	now     func() time.Time
	release func() error
	last    time.Time
}

// afterCommit releases the pages when the last release is at least every
// ago (the first commit always does: start-up's reads go at once).
func (r *dbReleaser) afterCommit() error {
	now := r.now()
	if !r.last.IsZero() && now.Sub(r.last) < r.every {
		return nil
	}
	r.last = now
	return r.release()
}
