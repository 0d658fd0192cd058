// Package termcost measures what a terminal program costs the terminal it
// draws on: the bytes each frame writes, and what those bytes leave on a
// screen. Counter stands in for the terminal's output; Screen is a small
// terminal model that replays the bytes, so a test can check both how much a
// frame wrote and that the screen shows what the program meant.
package termcost

import (
	"bytes"
	"sync"
	"time"
)

// Counter is an io.Writer that keeps everything written to it. It is safe for
// concurrent use: the program writes from its renderer while a test reads.
type Counter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
	last   time.Time
}

// Write records p.
func (c *Counter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	c.last = time.Now()
	return c.buf.Write(p)
}

// Len is the number of bytes written so far.
func (c *Counter) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.Len()
}

// Bytes returns a copy of everything written from offset from on.
func (c *Counter) Bytes(from int) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.buf.Bytes()
	if from > len(b) {
		from = len(b)
	}
	return bytes.Clone(b[from:])
}

// Settle waits until more than from bytes have been written and then nothing
// more for quiet, and returns the length at that point. It gives up at
// deadline and reports false. Waiting for growth first means a slow renderer
// is waited for, not mistaken for a frame that wrote nothing.
func (c *Counter) Settle(from int, quiet time.Duration, deadline time.Time) (int, bool) {
	const poll = 5 * time.Millisecond
	for {
		c.mu.Lock()
		n, last := c.buf.Len(), c.last
		c.mu.Unlock()
		now := time.Now()
		if n > from && now.Sub(last) >= quiet {
			return n, true
		}
		if now.After(deadline) {
			return n, false
		}
		time.Sleep(poll)
	}
}
