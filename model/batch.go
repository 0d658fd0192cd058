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
	// Notices are company announcements listed by the feeds; Concentrates
	// the quarterly concentrate-price notices among them, read (or not)
	// from their text.
	Notices      []Notice
	Concentrates []ConcentrateNotice
	Detail       []Detail // the open detail view's security: book, minutes, fund flow
	Health       []FeedHealth
	Alerts       []AlertEvent // the alerts this batch fired (stored with it)
}

// Empty reports whether the batch carries no data (health alone does not count).
func (b Batch) Empty() bool {
	return len(b.Quotes) == 0 && len(b.Bars) == 0 && len(b.Margin) == 0 && len(b.Boards) == 0 &&
		len(b.Members) == 0 && len(b.Elements) == 0 && len(b.Contract) == 0 && len(b.Symbols) == 0 &&
		len(b.Notices) == 0 && len(b.Concentrates) == 0 && len(b.Alerts) == 0 && len(b.Detail) == 0
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

// FeedHealth is one feed's record for one kind of data: the status bar and
// the feed-health view draw it (through SummarizeHealth).
//
// Two records are not provider feeds: Feed "store", Kind "write" is the
// database writer (Pending counts the batches held for a retry), and the
// record of Kind "history" also carries the backfill's progress (Pending,
// Progress, Detail).
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

	FailingSince time.Time // the first failure of the current run of failures; zero when not failing
	NextTry      time.Time // when a failing feed (or the store) is tried again; zero when on its cadence
	Pending      int       // store: batches kept for a retry; history: symbols still to backfill
	Progress     time.Time // history: when the backfill last completed a symbol (or began waiting)
	Detail       string    // history: the symbols still to backfill, e.g. "600111 06680 +3"
}

// StaleMargin is the least slack a feed gets past its cadence before it is
// stale: a request may wait for the rate limiter, run up to its deadline,
// and the next poll is scheduled after the previous one ends.
const StaleMargin = 30 * time.Second

// StaleAfter is how long after its last success a feed polled every cadence
// is stale: one cadence, plus the larger of one more cadence and
// StaleMargin. A feed that answers within cadence + margin is never stale.
func StaleAfter(cadence time.Duration) time.Duration {
	return cadence + max(cadence, StaleMargin)
}

// Stale reports whether the feed's last success is older than
// StaleAfter(Cadence) at now. A feed with no cadence (history: fetched once
// per symbol) or no success yet is never stale.
func (h FeedHealth) Stale(now time.Time) bool {
	if h.LastOK.IsZero() || h.Cadence <= 0 {
		return false
	}
	return now.Sub(h.LastOK) > StaleAfter(h.Cadence)
}

// DemoSource is the Source of every value the simulated market makes. The
// live database refuses such values.
const DemoSource = "demo"

// ManualSource is the Source of a price the user entered by hand. A feed's
// price for the same product and day does not replace it.
const ManualSource = "manual"
