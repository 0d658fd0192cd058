package model

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Names of the health records that are not data feeds.
const (
	StoreFeed = "store" // Feed of the database writer's record (Kind "write")
	KindWrite = "write"
	// KindQuotes and KindHistory are the Kind strings of the quote feeds
	// and of the backfill.
	KindQuotes  = "quotes"
	KindHistory = "history"
)

// BackfillStallAfter is how long a backfill with symbols still waiting may
// go without completing one before it is reported as stalled. The poller
// backfills a few symbols every history cycle (30 s by default), so this is
// several cycles without progress.
const BackfillStallAfter = 5 * time.Minute

// HealthSummary is the one reading of feed health that every view draws:
// the status bar, the feed-health view, the OFFLINE banner and `collect`.
// It is computed by SummarizeHealth from the poller's records and the clock;
// nothing in it is remembered between calls.
type HealthSummary struct {
	// Feeds holds one entry per data provider ("eastmoney", "sina",
	// "100ppi" …), all its kinds taken together, sorted by name. The store
	// is not in it (see Store).
	Feeds []FeedSummary

	// QuotesDown is true when no quote feed works: at least one has been
	// tried, and every one tried has failed its last attempt. The screen
	// says OFFLINE. Other kinds answering (margin, elements, history) do
	// not count: they are slow or one-shot and say nothing about the
	// network now.
	QuotesDown bool
	// QuotesDownSince is when the last working quote feed failed (the
	// latest FailingSince among the quote feeds): the screen shows
	// "OFFLINE for 3m". Zero when QuotesDown is false.
	QuotesDownSince time.Time
	// QuoteFeed names the quote feed whose last attempt succeeded (the
	// primary when it is healthy, else the fallback in use); "" when none.
	QuoteFeed string

	// Store is the database writer's state.
	Store StoreHealth
	// Backfill is the history backfill's state.
	Backfill BackfillHealth

	// Calendar names the trading calendars in use (this year's, and next
	// year's in December) that are computed from the holiday rules rather
	// than published: "HK 2027 calendar computed from rules …".
	Calendar []string
}

// FeedSummary aggregates one provider's records (one per kind).
type FeedSummary struct {
	Feed string
	// State is FeedFailing when any kind's last attempt failed, else FeedOK
	// when any kind's last attempt succeeded, else the records' common
	// state (FeedStandby for a fallback not in use, FeedIdle before the
	// first poll, FeedOffline). A feed is failing right after a failure and
	// ok again on its next good answer.
	State FeedState
	// LastOK is the newest success of any kind; zero when none yet.
	LastOK time.Time
	// Failures is the longest current run of consecutive failures among
	// the failing kinds, and LastErr (sanitised) and FailingKind are that
	// kind's last error and name. Empty when the feed is not failing.
	Failures    int
	LastErr     string
	FailingKind string
	// FailingSince is the earliest FailingSince among the failing kinds.
	FailingSince time.Time
	// NextTry is the earliest scheduled retry among the failing kinds;
	// zero when unknown or not failing.
	NextTry time.Time
	// Stale is true when a kind whose last attempt succeeded has not
	// answered for longer than StaleAfter(its cadence); StaleKinds names
	// them. A failing feed is failing, not stale.
	Stale      bool
	StaleKinds []string
	// Kinds are the feed's records, in the order given, for a detail view.
	Kinds []FeedHealth
}

// StoreHealth is the database writer's state. A failing store is drawn red
// with its error and the time of the next attempt; the batches it could not
// write are kept (Pending) and written when it recovers.
type StoreHealth struct {
	Failing      bool
	Err          string    // the last write error, sanitised; "" when not failing
	Failures     int       // consecutive failed writes
	FailingSince time.Time // the first failed write of the current run
	NextTry      time.Time // when the writer tries again
	Pending      int       // batches held for that retry
	LastOK       time.Time // the last successful write
}

// BackfillHealth is the history backfill's state: symbols whose history is
// still to fetch, and whether it is progressing.
type BackfillHealth struct {
	Feed    string // the history provider
	Pending int    // symbols still to backfill; 0 when done
	Waiting string // which ones (the first few codes)
	// Stalled is true when symbols are waiting and none has completed for
	// BackfillStallAfter; Err is then the history feed's last error, if
	// it failed.
	Stalled bool
	Since   time.Time // the last progress (or when the wait began)
	Err     string
}

// SummarizeHealth reads the poller's records at now into the one health
// model every view draws. It is a pure function of its arguments.
func SummarizeHealth(hs []FeedHealth, now time.Time) HealthSummary {
	var s HealthSummary
	s.Calendar = calendarNotes(now)
	byFeed := map[string]*FeedSummary{}
	var order []string
	quotesTried, quotesOK := 0, 0
	var quoteOKAt time.Time
	for _, h := range hs {
		if h.Feed == StoreFeed {
			s.Store = storeHealth(h)
			continue
		}
		f := byFeed[h.Feed]
		if f == nil {
			f = &FeedSummary{Feed: h.Feed, State: h.State}
			byFeed[h.Feed] = f
			order = append(order, h.Feed)
		}
		f.Kinds = append(f.Kinds, h)
		switch h.State {
		case FeedFailing:
			if f.State != FeedFailing || h.Failures > f.Failures {
				f.Failures, f.LastErr, f.FailingKind = h.Failures, Sanitize(h.LastErr), h.Kind
			}
			f.State = FeedFailing
			if !h.FailingSince.IsZero() && (f.FailingSince.IsZero() || h.FailingSince.Before(f.FailingSince)) {
				f.FailingSince = h.FailingSince
			}
			if !h.NextTry.IsZero() && (f.NextTry.IsZero() || h.NextTry.Before(f.NextTry)) {
				f.NextTry = h.NextTry
			}
		case FeedOK:
			if f.State != FeedFailing {
				f.State = FeedOK
			}
			if h.Stale(now) {
				f.Stale = true
				f.StaleKinds = append(f.StaleKinds, h.Kind)
			}
		default:
			if f.State != FeedFailing && f.State != FeedOK && h.State > f.State {
				f.State = h.State // standby or offline over idle
			}
		}
		if h.LastOK.After(f.LastOK) {
			f.LastOK = h.LastOK
		}

		if h.Kind == KindQuotes {
			switch h.State {
			case FeedOK:
				quotesOK++
				quotesTried++
				if s.QuoteFeed == "" || h.LastOK.After(quoteOKAt) {
					s.QuoteFeed, quoteOKAt = h.Feed, h.LastOK
				}
			case FeedFailing:
				quotesTried++
				since := h.FailingSince
				if since.IsZero() {
					since = h.LastTry
				}
				if since.After(s.QuotesDownSince) {
					s.QuotesDownSince = since
				}
			}
		}
		if h.Kind == KindHistory {
			s.Backfill = backfillHealth(h, now)
		}
	}
	if quotesTried > 0 && quotesOK == 0 {
		s.QuotesDown = true
	} else {
		s.QuotesDownSince = time.Time{}
	}
	sort.Strings(order)
	for _, name := range order {
		f := byFeed[name]
		if f.State == FeedFailing {
			f.Stale, f.StaleKinds = false, nil
		}
		s.Feeds = append(s.Feeds, *f)
	}
	return s
}

func storeHealth(h FeedHealth) StoreHealth {
	st := StoreHealth{LastOK: h.LastOK, Pending: h.Pending}
	if h.State == FeedFailing {
		st.Failing = true
		st.Err = Sanitize(h.LastErr)
		st.Failures = h.Failures
		st.FailingSince = h.FailingSince
		st.NextTry = h.NextTry
	}
	return st
}

func backfillHealth(h FeedHealth, now time.Time) BackfillHealth {
	b := BackfillHealth{Feed: h.Feed, Pending: h.Pending, Waiting: h.Detail, Since: h.Progress}
	if h.Pending <= 0 {
		return BackfillHealth{Feed: h.Feed}
	}
	since := h.Progress
	if since.IsZero() {
		since = h.FailingSince
	}
	if !since.IsZero() && now.Sub(since) > BackfillStallAfter {
		b.Stalled = true
		if h.State == FeedFailing {
			b.Err = Sanitize(h.LastErr)
		}
	}
	return b
}

// Line is a one-line reading of the summary for logs and `collect`:
// "OFFLINE 3m (eastmoney: HTTP 502; sina: timeout); store failing: disk
// full, retry in 8s; backfill stalled: 600111 06680". "" when all is well.
func (s HealthSummary) Line(now time.Time) string {
	var parts []string
	if s.QuotesDown {
		var errs []string
		for _, f := range s.Feeds {
			for _, k := range f.Kinds {
				if k.Kind == KindQuotes && k.State == FeedFailing {
					errs = append(errs, f.Feed+": "+Sanitize(k.LastErr))
				}
			}
		}
		p := "OFFLINE " + ago(now.Sub(s.QuotesDownSince))
		if len(errs) > 0 {
			p += " (" + strings.Join(errs, "; ") + ")"
		}
		parts = append(parts, p)
	}
	if s.Store.Failing {
		p := "store failing: " + s.Store.Err
		if !s.Store.NextTry.IsZero() {
			p += ", retry in " + ago(s.Store.NextTry.Sub(now))
		}
		parts = append(parts, p)
	}
	if s.Backfill.Stalled {
		p := "backfill stalled: " + s.Backfill.Waiting
		if s.Backfill.Err != "" {
			p += " (" + s.Backfill.Err + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// ago formats a duration compactly: 2s, 5m, 3h, 2d (0s when negative).
func ago(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d.Hours())) + "h"
	}
	return strconv.Itoa(int(d.Hours()/24)) + "d"
}

// calendarNotes warns of the calendars in use that no notice backs.
func calendarNotes(now time.Time) []string {
	if now.IsZero() {
		return nil
	}
	now = now.In(CST)
	years := []int{now.Year()}
	if now.Month() == time.December {
		years = append(years, now.Year()+1)
	}
	var out []string
	for _, y := range years {
		for _, x := range []struct {
			ex   Exchange
			name string
		}{{ExchangeA, "A-share"}, {ExchangeHK, "HK"}} {
			if CalendarSourceOf(x.ex, y) == SourceComputed {
				out = append(out, x.name+" "+strconv.Itoa(y)+" calendar computed from the holiday rules: a notice may move a day ([calendar] in the config corrects it)")
			}
		}
	}
	return out
}
