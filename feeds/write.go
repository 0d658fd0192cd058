package feeds

import (
	"fmt"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Store writes. A batch the store refuses (a full disk, a damaged file) is
// kept and written again on a backoff (1 s, doubling, at most
// storeRetryCap), oldest first, before any newer batch; meanwhile the store
// shows as failing with its error, the time of the next attempt and the
// number of batches waiting. At most MaxPending batches wait: past that the
// oldest is dropped and logged. A batch that the store keeps refusing while
// newer batches are written (its own content is at fault) is dropped after
// maxWriteAttempts attempts.

const (
	// DefaultMaxPending is PollerConfig.MaxPending's default.
	DefaultMaxPending = 64
	storeRetryCap     = 30 * time.Second
	maxWriteAttempts  = 3
)

type pendingBatch struct {
	b        model.Batch
	attempts int
}

// storeBackoff is the wait before write attempt n+1 after n failures.
func storeBackoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	if n > 6 {
		return storeRetryCap
	}
	return min(storeRetryCap, time.Second<<(n-1))
}

// Flush writes the batches still waiting for the store, now, whatever the
// retry time, and returns the last write error when some remain (they are
// kept). RunUntil flushes before it returns.
func (p *Poller) Flush() error {
	p.writeMu.Lock()
	p.storeRetryAt = time.Time{}
	p.storeFails = 0
	p.writeMu.Unlock()
	p.write(model.Batch{})
	p.writeMu.Lock()
	defer p.writeMu.Unlock()
	if n := len(p.pending); n > 0 {
		p.mu.Lock()
		defer p.mu.Unlock()
		msg := "store failing"
		if h := p.health[key(model.StoreFeed, Kind(model.KindWrite))]; h != nil && h.LastErr != "" {
			msg = h.LastErr
		}
		return fmt.Errorf("%d batches not written: %s", n, msg)
	}
	return nil
}

// write queues b (when it has data) and writes what is due: every waiting
// batch, oldest first, unless the store failed and its retry time has not
// come.
func (p *Poller) write(b model.Batch) {
	p.writeMu.Lock()
	defer p.writeMu.Unlock()
	now := p.cfg.Now()
	if !b.Empty() {
		p.pending = append(p.pending, pendingBatch{b: b})
	}
	for len(p.pending) > p.cfg.MaxPending {
		old := p.pending[0]
		p.pending = p.pending[1:]
		p.cfg.Logf("store: batch %d dropped: %d batches waiting for the store (the limit)", old.b.Seq, p.cfg.MaxPending+1)
	}
	if len(p.pending) == 0 {
		return
	}
	if p.storeFails > 0 && now.Before(p.storeRetryAt) {
		p.storeWaiting()
		return
	}
	for len(p.pending) > 0 {
		err := p.sinkOne(&p.pending[0])
		if err == nil {
			p.pending = p.pending[1:]
			continue
		}
		// Is the store down, or is it this batch? Try the newest.
		if last := len(p.pending) - 1; last > 0 && p.sinkOne(&p.pending[last]) == nil {
			p.pending = p.pending[:last]
			if p.pending[0].attempts >= maxWriteAttempts {
				p.cfg.Logf("store: batch %d dropped after %d failed writes while newer batches were written: %v", p.pending[0].b.Seq, p.pending[0].attempts, err)
				p.pending = p.pending[1:]
				continue
			}
			p.storeFailed(err) // the newest success cleared the failure: say it again
		}
		p.storeFails = max(p.storeFails, 1)
		p.storeRetryAt = p.cfg.Now().Add(storeBackoff(p.storeFails))
		p.storeWaiting()
		return
	}
}

// sinkOne writes one waiting batch and records the store's health.
func (p *Poller) sinkOne(pb *pendingBatch) error {
	pb.attempts++
	start := time.Now()
	b := pb.b
	err := p.protect("store write", func() error { return p.cfg.Sink(b) })
	rows := len(b.Quotes) + len(b.Bars) + len(b.Margin) + len(b.Elements) + len(b.Boards)
	if err != nil {
		p.record(model.StoreFeed, model.KindWrite, err, time.Since(start), rows, 0)
		p.storeFails++
		p.cfg.Logf("store: batch %d not written (attempt %d): %v", b.Seq, pb.attempts, err)
		return err
	}
	p.record(model.StoreFeed, model.KindWrite, nil, time.Since(start), rows, 0)
	if p.storeFails > 0 {
		p.cfg.Logf("store: batch %d written after %d attempts", b.Seq, pb.attempts)
	}
	p.storeFails = 0
	p.storeRetryAt = time.Time{}
	p.mu.Lock()
	if h := p.health[key(model.StoreFeed, Kind(model.KindWrite))]; h != nil {
		h.NextTry, h.Pending = time.Time{}, len(p.pending)-1
	}
	p.mu.Unlock()
	return nil
}

// storeFailed marks the store failing with err (after a success in the
// same pass reset it).
func (p *Poller) storeFailed(err error) {
	p.record(model.StoreFeed, model.KindWrite, err, 0, 0, 0)
}

// storeWaiting publishes the retry time and the batches waiting.
func (p *Poller) storeWaiting() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if h := p.health[key(model.StoreFeed, Kind(model.KindWrite))]; h != nil {
		h.NextTry, h.Pending = p.storeRetryAt, len(p.pending)
	}
}
