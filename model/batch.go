package model

import "time"

// Batch is everything one poll cycle produced. The store writes a batch in
// one transaction; the screen applies it as one message.
type Batch struct {
	Seq      uint64
	At       time.Time // when the batch was assembled
	Quotes   []Quote
	Bars     []Bar
	Margin   []MarginDay // per-stock and per-board margin days
	Boards   []BoardMove
	Members  map[string][]Quote // board code → constituents, when fetched
	Elements []ElementPrice
	Contract []ContractQuarter
	Symbols  []Symbol // names learned from the feeds
	Health   []FeedHealth
}

// Empty reports whether the batch carries no data (health alone does not count).
func (b Batch) Empty() bool {
	return len(b.Quotes) == 0 && len(b.Bars) == 0 && len(b.Margin) == 0 && len(b.Boards) == 0 &&
		len(b.Members) == 0 && len(b.Elements) == 0 && len(b.Contract) == 0 && len(b.Symbols) == 0
}

// FeedState summarises a feed's health.
type FeedState int

const (
	FeedIdle    FeedState = iota // not polled yet
	FeedOK                       // last poll succeeded
	FeedFailing                  // last poll failed
	FeedStandby                  // a fallback not in use
	FeedOffline                  // disabled (offline mode)
)

func (s FeedState) String() string {
	switch s {
	case FeedOK:
		return "ok"
	case FeedFailing:
		return "failing"
	case FeedStandby:
		return "standby"
	case FeedOffline:
		return "offline"
	}
	return "waiting"
}

// FeedHealth is one feed's record: the status bar and the feed-health view
// draw it.
type FeedHealth struct {
	Feed     string // provider name, e.g. "eastmoney"
	Kind     string // quotes, history, margin, boards, elements
	State    FeedState
	LastOK   time.Time
	LastTry  time.Time
	Latency  time.Duration
	Failures int // consecutive
	LastErr  string
	Cadence  time.Duration // the expected interval between successes
	Rows     int           // rows in the last good response
}

// Stale reports whether the feed's last success is older than twice its
// cadence at now.
func (h FeedHealth) Stale(now time.Time) bool {
	if h.LastOK.IsZero() || h.Cadence <= 0 {
		return false
	}
	return now.Sub(h.LastOK) > 2*h.Cadence
}
