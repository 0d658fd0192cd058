package bus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/rareterm/rareterm/model"
)

// StreamConfig bounds the stream's window.
type StreamConfig struct {
	// Window is how long messages are kept (0: 24 hours, one trading day
	// of quotes and the night after).
	Window time.Duration
	// MaxBytes bounds the stream's size (0: 512 MiB); the oldest messages
	// go first.
	MaxBytes int64
	// Replicas is the stream's replica count on a cluster (0: 1).
	Replicas int
}

// DefaultWindow is the stream's window when none is configured.
const DefaultWindow = 24 * time.Hour

// EnsureStream creates the stream, or brings an existing one to cfg.
func EnsureStream(ctx context.Context, js jetstream.JetStream, cfg StreamConfig) (jetstream.Stream, error) {
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 512 << 20
	}
	if cfg.Replicas <= 0 {
		cfg.Replicas = 1
	}
	sc := jetstream.StreamConfig{
		Name:        StreamName,
		Description: "rareterm: every batch the collector committed, by kind and symbol",
		Subjects:    []string{SubjectPrefix + ">"},
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.LimitsPolicy,
		Discard:     jetstream.DiscardOld,
		MaxAge:      cfg.Window,
		MaxBytes:    cfg.MaxBytes,
		MaxMsgSize:  MaxPayload,
		Duplicates:  2 * time.Minute,
		Replicas:    cfg.Replicas,
	}
	// On a cluster JetStream answers once its nodes have elected a leader,
	// and a stream with replicas needs that many nodes up: ask again until
	// ctx ends.
	for {
		// Each try has its own deadline: a request made before the
		// cluster's leader exists may go unanswered.
		tctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		st, err := js.CreateOrUpdateStream(tctx, sc)
		cancel()
		if err == nil || !retryable(err) || ctx.Err() != nil {
			return st, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w (%v)", err, ctx.Err())
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// retryable says whether a stream request failed because the cluster is
// not ready yet (no leader, too few nodes, no answer).
func retryable(err error) bool {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode {
		// no peers for placement, cluster not available, no leader,
		// insufficient resources, JetStream not enabled (yet)
		case 10005, 10008, 10009, 10023, jetstream.JSErrCodeJetStreamNotEnabled:
			return true
		}
		return false
	}
	return errors.Is(err, jetstream.ErrJetStreamNotEnabled) || errors.Is(err, nats.ErrTimeout) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrNoResponders)
}

// PublisherConfig configures a Publisher.
type PublisherConfig struct {
	Stream StreamConfig
	// Queue is how many committed batches may wait for the bus (0: 256).
	// When it is full a batch is not published: terminals see the gap in
	// the batch numbers and read a snapshot instead. The poller never
	// waits for the bus.
	Queue int
	Logf  func(format string, args ...any)
}

// Publisher puts the collector's committed batches on the stream, from its
// own goroutine.
type Publisher struct {
	js    jetstream.JetStream
	epoch string
	cfg   PublisherConfig
	q     chan queued
	done  chan struct{}
	stop  context.CancelFunc
	ctx   context.Context

	mu        sync.Mutex
	next      uint64 // the next batch's number
	lastBatch uint64 // the last batch number handled (published, or given up)
	lastSeq   uint64 // the stream's last sequence the publisher knows of

	published, dropped, failed atomic.Int64
}

type queued struct {
	b  model.Batch
	at time.Time
}

// NewPublisher makes sure the stream exists and starts publishing. Batch
// numbers carry on from the last one in the stream, so a restarted
// collector never reuses a number (nor a message id).
func NewPublisher(ctx context.Context, nc *nats.Conn, cfg PublisherConfig) (*Publisher, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	st, err := EnsureStream(ctx, js, cfg.Stream)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", StreamName, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", StreamName, err)
	}
	last := info.State.LastSeq
	var lastBatch uint64
	if last > 0 {
		if m, err := st.GetMsg(ctx, last); err == nil {
			lastBatch, _ = strconv.ParseUint(m.Header.Get(hdrBatch), 10, 64)
		}
		if lastBatch == 0 {
			// The last message expired: a batch has at least one message,
			// so numbers never pass the sequence.
			lastBatch = last
		}
	}
	if cfg.Queue <= 0 {
		cfg.Queue = 256
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	pctx, cancel := context.WithCancel(context.Background())
	p := &Publisher{
		js: js, epoch: newEpoch(), cfg: cfg, q: make(chan queued, cfg.Queue), done: make(chan struct{}),
		stop: cancel, ctx: pctx, next: lastBatch + 1, lastBatch: lastBatch, lastSeq: last,
	}
	go p.loop()
	return p, nil
}

func newEpoch() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Epoch names this collector run.
func (p *Publisher) Epoch() string { return p.epoch }

// Publish queues a committed batch; it never blocks. A batch whose write
// failed is passed with committed false: only its health is published.
func (p *Publisher) Publish(b model.Batch, committed bool) {
	if !committed {
		b = model.Batch{Seq: b.Seq, At: b.At, Health: b.Health}
	}
	select {
	case p.q <- queued{b: b, at: time.Now()}:
	default:
		p.mu.Lock()
		p.next++ // the number is spent: terminals see the gap
		p.mu.Unlock()
		p.dropped.Add(1)
		p.cfg.Logf("bus: batch %d not published: the queue is full", b.Seq)
	}
}

// Mark is the stream position every committed batch up to now has reached:
// a snapshot read from the database after Mark holds every message up to
// seq, and every batch up to batch.
func (p *Publisher) Mark() (seq, batch uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastSeq, p.lastBatch
}

// Counts returns the batches published, dropped (queue full) and failed.
func (p *Publisher) Counts() (published, dropped, failed int64) {
	return p.published.Load(), p.dropped.Load(), p.failed.Load()
}

// Close publishes what is queued (for at most wait) and stops.
func (p *Publisher) Close(wait time.Duration) {
	close(p.q)
	select {
	case <-p.done:
	case <-time.After(wait):
		p.stop()
		<-p.done
	}
	p.stop()
}

func (p *Publisher) loop() {
	defer close(p.done)
	for q := range p.q {
		p.mu.Lock()
		n := p.next
		p.next++
		p.mu.Unlock()
		seq, err := p.publish(n, q)
		for try := 1; err != nil && try < 3 && p.ctx.Err() == nil; try++ {
			// The same message ids: what reached the stream is not stored twice.
			select {
			case <-time.After(time.Duration(try) * 200 * time.Millisecond):
			case <-p.ctx.Done():
			}
			seq, err = p.publish(n, q)
		}
		if err != nil {
			p.failed.Add(1)
			p.cfg.Logf("bus: batch %d (bus %d) not published: %v", q.b.Seq, n, err)
			ctx, cancel := context.WithTimeout(p.ctx, time.Second)
			if st, serr := p.js.Stream(ctx, StreamName); serr == nil {
				if info, ierr := st.Info(ctx); ierr == nil {
					p.mu.Lock()
					p.lastSeq = max(p.lastSeq, info.State.LastSeq)
					p.mu.Unlock()
				}
			}
			cancel()
		}
		p.mu.Lock()
		p.lastSeq = max(p.lastSeq, seq)
		p.lastBatch = max(p.lastBatch, n)
		p.mu.Unlock()
		if err == nil {
			p.published.Add(1)
		}
	}
}

// publish sends one batch's messages and waits for the stream's acks. It
// returns the stream sequence of the batch's last message.
func (p *Publisher) publish(n uint64, q queued) (uint64, error) {
	parts := split(q.b)
	at := strconv.FormatInt(q.at.UnixNano(), 10)
	futures := make([]jetstream.PubAckFuture, 0, len(parts))
	for i, pt := range parts {
		data, err := encode(pt.frag)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", pt.subject(), err)
		}
		m := nats.NewMsg(pt.subject())
		m.Data = data
		m.Header.Set(hdrBatch, strconv.FormatUint(n, 10))
		m.Header.Set(hdrPart, strconv.Itoa(i)+"/"+strconv.Itoa(len(parts)))
		m.Header.Set(hdrEpoch, p.epoch)
		m.Header.Set(hdrAt, at)
		m.Header.Set(hdrSeq, strconv.FormatUint(q.b.Seq, 10))
		f, err := p.js.PublishMsgAsync(m, jetstream.WithMsgID(msgID(n, pt)))
		if err != nil {
			return 0, err
		}
		futures = append(futures, f)
	}
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	var last uint64
	for _, f := range futures {
		select {
		case ack := <-f.Ok():
			last = max(last, ack.Sequence)
		case err := <-f.Err():
			return 0, err
		case <-ctx.Done():
			return 0, errors.New("no ack from the stream")
		}
	}
	return last, nil
}
