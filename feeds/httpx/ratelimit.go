package httpx

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Each host has one token bucket (golang.org/x/time/rate) holding its whole
// rate. Requests waiting for a token queue by data kind (WithKind: quotes,
// boards, members, margin, history …), and tokens are handed out round-robin
// over the kinds that have a request waiting, so a kind that sends many
// requests in a row (a margin or history backfill) cannot starve one that
// sends a few (board constituents): with k kinds waiting, each gets a token
// at least every k tokens. A kind alone gets the host's whole rate.

type kindKey struct{}

// WithKind labels the requests made under ctx with a data kind, for the
// per-host fair queue. Requests without a kind share the kind "".
func WithKind(ctx context.Context, kind string) context.Context {
	return context.WithValue(ctx, kindKey{}, kind)
}

// KindOf returns the data kind of ctx ("" when none).
func KindOf(ctx context.Context) string {
	k, _ := ctx.Value(kindKey{}).(string)
	return k
}

// fairLimiter is one host's limiter with a round-robin queue per kind.
type fairLimiter struct {
	lim *rate.Limiter

	mu      sync.Mutex
	queues  map[string][]*waiter // kind → waiting requests, oldest first
	ring    []string             // kinds in the order they take turns
	next    int                  // index in ring of the next kind to serve
	waiting int                  // requests queued
	running bool                 // a dispatcher is handing out tokens
}

type waiter struct {
	ready chan struct{} // closed when the request may go
	gone  bool          // the caller gave up (under fairLimiter.mu)
}

func newFairLimiter(perSec float64, burst int) *fairLimiter {
	return &fairLimiter{lim: rate.NewLimiter(rate.Limit(perSec), burst), queues: map[string][]*waiter{}}
}

// wait blocks until the request may go or ctx ends. It fails at once when
// ctx's deadline falls before the next token could be available.
func (f *fairLimiter) wait(ctx context.Context, kind string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	if f.waiting == 0 && f.lim.Allow() {
		f.mu.Unlock()
		return nil
	}
	if dl, ok := ctx.Deadline(); ok {
		if d := f.untilToken(); time.Until(dl) < d {
			f.mu.Unlock()
			return fmt.Errorf("rate limit wait of %s exceeds the deadline: %w", d.Round(time.Millisecond), context.DeadlineExceeded)
		}
	}
	w := &waiter{ready: make(chan struct{})}
	if _, ok := f.queues[kind]; !ok {
		f.ring = append(f.ring, kind)
	}
	f.queues[kind] = append(f.queues[kind], w)
	f.waiting++
	if !f.running {
		f.running = true
		go f.dispatch()
	}
	f.mu.Unlock()

	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		f.mu.Lock()
		select {
		case <-w.ready: // granted meanwhile: the token is spent, use it
			f.mu.Unlock()
			return nil
		default:
		}
		w.gone = true
		f.mu.Unlock()
		return ctx.Err()
	}
}

// untilToken is how long until the bucket holds a token (under mu).
func (f *fairLimiter) untilToken() time.Duration {
	now := time.Now()
	t := f.lim.TokensAt(now)
	if t >= 1 {
		return 0
	}
	r := float64(f.lim.Limit())
	if r <= 0 {
		return time.Duration(1<<63 - 1)
	}
	return time.Duration((1 - t) / r * float64(time.Second))
}

// dispatch hands out tokens, one kind at a time in turn, while requests
// wait; it ends when the queues are empty.
func (f *fairLimiter) dispatch() {
	for {
		// Take the next token, then give it to the next kind in turn
		// (chosen when the token is ready, so a kind that began waiting
		// meanwhile gets its turn).
		r := f.lim.Reserve()
		if d := r.Delay(); d > 0 {
			t := time.NewTimer(d)
			<-t.C
		}
		f.mu.Lock()
		w := f.pop()
		if w == nil {
			r.Cancel() // nobody is left to use it
			f.running = false
			f.mu.Unlock()
			return
		}
		close(w.ready)
		f.mu.Unlock()
	}
}

// pop removes the next live waiter in round-robin order (under mu). A kind
// whose queue empties leaves the ring until it waits again.
func (f *fairLimiter) pop() *waiter {
	for len(f.ring) > 0 {
		if f.next >= len(f.ring) {
			f.next = 0
		}
		kind := f.ring[f.next]
		q := f.queues[kind]
		for len(q) > 0 && q[0].gone {
			q = q[1:]
			f.waiting--
		}
		var w *waiter
		if len(q) > 0 {
			w, q = q[0], q[1:]
			f.waiting--
		}
		if len(q) == 0 {
			delete(f.queues, kind)
			f.ring = append(f.ring[:f.next], f.ring[f.next+1:]...) // next now points at the following kind
			if f.next >= len(f.ring) {
				f.next = 0 // wrap now: a kind that joins goes to the end, after the others
			}
		} else {
			f.queues[kind] = q
			f.next++
		}
		if w != nil {
			return w
		}
	}
	return nil
}

// wait applies the limiter of host (one per host, made on first use) to a
// request of ctx's kind.
func (c *Client) wait(ctx context.Context, host string) error {
	if c.opts.RatePerSec <= 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	f := c.hosts[host]
	if f == nil {
		f = newFairLimiter(c.opts.RatePerSec, c.opts.Burst)
		c.hosts[host] = f
	}
	c.mu.Unlock()
	return f.wait(ctx, KindOf(ctx))
}
