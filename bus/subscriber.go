package bus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/rareterm/rareterm/model"
)

// CollectorFeed is the Feed of the health record a terminal adds for its
// collector: the status bar shows it beside the collector's own feeds.
const CollectorFeed = "collector"

// SubscriberConfig configures a terminal's subscription.
type SubscriberConfig struct {
	// Codes and Days shape the snapshot read at attach (the watchlist's
	// codes; days of daily history, 0: 400).
	Codes []string
	Days  int
	// Out receives the snapshot (as one batch), every batch the collector
	// published after it, in order, and health-only batches when the
	// collector's state changes. Every batch carries the whole health:
	// the collector's feeds and a CollectorFeed record.
	Out func(model.Batch)
	// MaxPending is the lag, in messages, past which the terminal stops
	// reading the backlog and reads a snapshot instead (0: 20000).
	MaxPending uint64
	// Buffer is how many messages the client holds for the terminal (0: 512).
	Buffer int
	// Retry is the wait between attempts when the collector is lost (0: 500 ms).
	Retry time.Duration
	// Name is how the status bar names the collector (its address).
	Name string
	Logf func(format string, args ...any)
}

// SubscriberStats are a subscriber's counts, for tests and figures.
type SubscriberStats struct {
	Batches   int           // batches applied from the stream
	Snapshots int           // snapshots read (the first, and every resync)
	Lost      int           // times the collector was lost
	LastBatch uint64        // the number of the last batch applied
	Latency   time.Duration // commit → Out of the last batch
	Dupes     int           // batch numbers not above the last applied (never applied)
}

// Subscriber is a terminal's side of the bus: snapshot, then the stream.
type Subscriber struct {
	nc  *nats.Conn
	js  jetstream.JetStream
	cli *Client
	cfg SubscriberConfig

	mu     sync.Mutex
	stats  SubscriberStats
	health []model.FeedHealth // the collector's feeds, as last published
	self   model.FeedHealth   // the collector record

	// the stream position
	epoch     string
	lastSeq   uint64
	lastBatch uint64
}

// NewSubscriber subscribes over nc (connected with nats.MaxReconnects(-1)
// so that it comes back by itself).
func NewSubscriber(nc *nats.Conn, cfg SubscriberConfig) (*Subscriber, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	if cfg.Days <= 0 {
		cfg.Days = 400
	}
	if cfg.MaxPending == 0 {
		cfg.MaxPending = 20000
	}
	if cfg.Buffer <= 0 {
		cfg.Buffer = 512
	}
	if cfg.Retry <= 0 {
		cfg.Retry = 500 * time.Millisecond
	}
	if cfg.Out == nil {
		cfg.Out = func(model.Batch) {}
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	s := &Subscriber{nc: nc, js: js, cli: NewClient(nc), cfg: cfg}
	s.self = model.FeedHealth{Feed: CollectorFeed, Kind: "bus", State: model.FeedIdle, Detail: cfg.Name}
	return s, nil
}

// Stats returns the counts so far.
func (s *Subscriber) Stats() SubscriberStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

var (
	errResync = errors.New("resync")
	errLost   = errors.New("collector lost")
)

// Run follows the collector until ctx ends: a snapshot, then the stream
// from the snapshot's position. When the collector is lost it says so,
// retries, and resumes where it left off; when it restarted, or the
// terminal fell behind the stream's window or MaxPending, it reads a
// snapshot again and resumes from there.
func (s *Subscriber) Run(ctx context.Context) error {
	synced := false
	for ctx.Err() == nil {
		if !synced {
			rep, err := s.cli.snapshot(ctx, s.cfg.Codes, s.cfg.Days)
			if err != nil {
				s.lost(err)
				s.wait(ctx)
				continue
			}
			s.mu.Lock()
			s.epoch, s.lastSeq, s.lastBatch = rep.Epoch, rep.Seq, rep.Batch
			s.stats.Snapshots++
			s.stats.LastBatch = max(s.stats.LastBatch, rep.Batch)
			if rep.Health != nil {
				s.health = rep.Health
			}
			s.mu.Unlock()
			s.cfg.Logf("bus: snapshot of collector run %s at batch %d", model.Sanitize(rep.Epoch), rep.Batch)
			b := SnapshotBatch(rep.Snapshot)
			s.ok(0)
			b.Health = s.healthNow()
			s.cfg.Out(b)
			synced = true
		} else {
			epoch, _, _, err := s.cli.Hello(ctx)
			if err != nil {
				s.lost(err)
				s.wait(ctx)
				continue
			}
			s.mu.Lock()
			same := epoch == s.epoch
			s.mu.Unlock()
			if !same {
				synced = false // a new collector run: what it committed before publishing is read from its database
				continue
			}
			s.ok(0)
			s.cfg.Out(model.Batch{At: time.Now(), Health: s.healthNow()})
		}
		err := s.follow(ctx)
		switch {
		case ctx.Err() != nil:
		case errors.Is(err, errResync):
			synced = false
		default:
			s.lost(err)
			s.wait(ctx)
		}
	}
	return ctx.Err()
}

func (s *Subscriber) wait(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-time.After(s.cfg.Retry):
	}
}

// follow reads the stream from the last position until it must stop.
func (s *Subscriber) follow(ctx context.Context) error {
	s.mu.Lock()
	start := s.lastSeq + 1
	s.mu.Unlock()
	cons, err := s.js.OrderedConsumer(ctx, StreamName, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: start,
	})
	if err != nil {
		return fmt.Errorf("%w: %v", errLost, err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(s.cfg.Buffer))
	if err != nil {
		return fmt.Errorf("%w: %v", errLost, err)
	}
	defer it.Stop()
	status := s.nc.StatusChanged(nats.DISCONNECTED, nats.RECONNECTING, nats.CLOSED)
	defer s.nc.RemoveStatusListener(status)
	dropped := make(chan struct{})
	stopWatch := make(chan struct{})
	defer close(stopWatch)
	go func() {
		select {
		case <-status:
			close(dropped)
			it.Stop()
		case <-ctx.Done():
			it.Stop()
		case <-stopWatch:
		}
	}()
	var cur *model.Batch
	var curNum, curStart uint64
	var curGot int
	var curAt time.Time
	defer func() {
		if cur != nil { // left mid-batch: read it again from its first message
			s.mu.Lock()
			s.lastSeq = curStart - 1
			s.mu.Unlock()
		}
	}()
	for {
		msg, err := it.Next()
		if err != nil {
			select {
			case <-dropped:
				return fmt.Errorf("%w: disconnected", errLost)
			default:
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%w: %v", errLost, err)
		}
		md, err := msg.Metadata()
		if err != nil {
			continue
		}
		h := msg.Headers()
		s.mu.Lock()
		expect, epoch, lastBatch := s.lastSeq+1, s.epoch, s.lastBatch
		s.lastSeq = md.Sequence.Stream
		s.mu.Unlock()
		if md.Sequence.Stream != expect {
			return errResync // the window moved past us
		}
		if md.NumPending > s.cfg.MaxPending {
			return errResync // too far behind: a snapshot is cheaper than the backlog
		}
		num, _ := strconv.ParseUint(h.Get(hdrBatch), 10, 64)
		i, n, okPart := parsePart(h.Get(hdrPart))
		if h.Get(hdrEpoch) != epoch {
			return errResync // published by another collector run
		}
		if num <= lastBatch {
			if i == 0 {
				s.mu.Lock()
				s.stats.Dupes++
				s.mu.Unlock()
			}
			continue // the snapshot holds it
		}
		if !okPart || num != lastBatch+1 || i != curGot || (cur != nil && num != curNum) {
			return errResync // a batch missing or cut short: its data is in the database
		}
		if cur == nil {
			cur, curNum, curGot, curStart = &model.Batch{}, num, 0, md.Sequence.Stream
			cur.Seq, _ = strconv.ParseUint(h.Get(hdrSeq), 10, 64)
			if ns, err := strconv.ParseInt(h.Get(hdrAt), 10, 64); err == nil {
				curAt = time.Unix(0, ns)
			}
			cur.At = curAt
		}
		var frag model.Batch
		if err := decode(msg.Data(), &frag); err != nil {
			s.cfg.Logf("bus: %s: %v", msg.Subject(), err)
			return errResync
		}
		cleanBatch(&frag)
		join(cur, frag)
		curGot++
		if curGot < n {
			continue
		}
		b := *cur
		cur, curGot = nil, 0
		lat := time.Since(curAt)
		s.mu.Lock()
		if b.Health != nil {
			s.health = b.Health
		}
		s.lastBatch = num
		s.stats.Batches++
		s.stats.LastBatch = num
		s.stats.Latency = lat
		s.mu.Unlock()
		s.ok(lat)
		b.Health = s.healthNow()
		s.cfg.Out(b)
	}
}

// ok records the collector as answering.
func (s *Subscriber) ok(lat time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	s.self.State, s.self.LastOK, s.self.LastTry = model.FeedOK, now, now
	s.self.Failures, s.self.LastErr, s.self.FailingSince = 0, "", time.Time{}
	if lat > 0 {
		s.self.Latency = lat
	}
}

// lost records the collector as gone and tells the screen (once per
// change, then on every retry with the count).
func (s *Subscriber) lost(err error) {
	s.mu.Lock()
	now := time.Now()
	if s.self.State != model.FeedFailing {
		s.stats.Lost++
		s.self.FailingSince = now
	}
	s.self.State, s.self.LastTry = model.FeedFailing, now
	s.self.Failures++
	s.self.NextTry = now.Add(s.cfg.Retry)
	msg := err.Error()
	if !strings.HasPrefix(msg, errLost.Error()) {
		msg = errLost.Error() + ": " + msg
	}
	s.self.LastErr = model.Sanitize(msg)
	s.mu.Unlock()
	s.cfg.Logf("bus: %v", err)
	s.cfg.Out(model.Batch{At: now, Health: s.healthNow()})
}

// healthNow is the collector's feeds and the collector record.
func (s *Subscriber) healthNow() []model.FeedHealth {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]model.FeedHealth, 0, len(s.health)+1)
	out = append(out, s.health...)
	return append(out, s.self)
}
