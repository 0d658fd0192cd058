package httpx

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// bucket is a token bucket: it holds at most burst tokens and gains rate
// tokens a second. A request takes one token, waiting for it if need be.
// Waiters reserve their token up front (the balance goes negative), so
// concurrent callers queue fairly without a goroutine per bucket.
type bucket struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

func newBucket(rate float64, burst int, now time.Time) *bucket {
	return &bucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: now}
}

// reserve takes a token and returns how long the caller must wait before
// using it.
func (b *bucket) reserve(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if el := now.Sub(b.last); el > 0 {
		b.tokens = min(b.burst, b.tokens+el.Seconds()*b.rate)
		b.last = now
	}
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / b.rate * float64(time.Second))
}

// cancel gives back a reserved token that was not used.
func (b *bucket) cancel() {
	b.mu.Lock()
	b.tokens = min(b.burst, b.tokens+1)
	b.mu.Unlock()
}

// wait blocks until a token is available or ctx ends. It fails at once when
// ctx's deadline falls before the token would be available.
func (b *bucket) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d := b.reserve(time.Now())
	if d <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		b.cancel()
		return fmt.Errorf("rate limit wait of %s exceeds the deadline: %w", d.Round(time.Millisecond), context.DeadlineExceeded)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		b.cancel()
		return ctx.Err()
	}
}

// wait applies the limiter of host (one bucket per host, made on first use).
func (c *Client) wait(ctx context.Context, host string) error {
	if c.opts.RatePerSec <= 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	b := c.hosts[host]
	if b == nil {
		b = newBucket(c.opts.RatePerSec, c.opts.Burst, time.Now())
		c.hosts[host] = b
	}
	c.mu.Unlock()
	return b.wait(ctx)
}
