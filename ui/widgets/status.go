package widgets

import (
	"fmt"
	"strings"
	"time"

	"github.com/rareterm/rareterm/model"
)

// FeedStatus is the status bar's account of the feeds, read from the one
// health model (model.SummarizeHealth): OFFLINE with how long when no quote
// feed works, a failing store in red with its error and retry, a stalled
// backfill, then one dot per feed — ● ok (age of the last success, amber
// when stale), ○ standby or waiting, ✗ failing with the count and the last
// error. With minutes, the screen is redrawn once a minute (markets closed,
// offline review), so ages under a minute read "<1m" rather than a count of
// seconds that would stand still.
func FeedStatus(st Styles, sum model.HealthSummary, now time.Time, minutes bool) []string {
	var out []string
	age := func(d time.Duration) string {
		if minutes && d < time.Minute {
			return "<1m"
		}
		return Age(d)
	}
	if sum.QuotesDown {
		out = append(out, st.Bad.Render("OFFLINE "+age(now.Sub(sum.QuotesDownSince)))+" no quote feed answers: showing cached data")
	}
	if s := sum.Store; s.Failing {
		msg := "✗ store failing: " + Cut(model.Sanitize(s.Err), 40)
		if !s.NextTry.IsZero() {
			msg += ", retry in " + Age(s.NextTry.Sub(now))
		}
		if s.Pending > 0 {
			msg += fmt.Sprintf(" (%d batches waiting)", s.Pending)
		}
		out = append(out, st.Bad.Render(msg))
	}
	if b := sum.Backfill; b.Stalled {
		msg := "backfill stalled " + Age(now.Sub(b.Since)) + ": " + Cut(b.Waiting, 24)
		if b.Err != "" {
			msg += " (" + Cut(model.Sanitize(b.Err), 30) + ")"
		}
		out = append(out, st.Warn.Render(msg))
	}
	for _, f := range sum.Feeds {
		switch f.State {
		case model.FeedOK:
			ok := st.OK
			if f.Stale {
				ok = st.Warn
			}
			out = append(out, ok.Render("●")+" "+f.Feed+" "+age(now.Sub(f.LastOK)))
		case model.FeedFailing:
			msg := Cut(model.Sanitize(f.LastErr), 40)
			out = append(out, st.Bad.Render("✗")+" "+f.Feed+st.Bad.Render(fmt.Sprintf(" failing×%d", f.Failures))+" "+st.Dim.Render(msg))
		case model.FeedStandby:
			out = append(out, st.Dim.Render("○ "+f.Feed+" standby"))
		case model.FeedOffline:
			out = append(out, st.Dim.Render("○ "+f.Feed+" offline"))
		default:
			out = append(out, st.Dim.Render("○ "+f.Feed+" waiting"))
		}
	}
	return out
}

// HealthLines is the feed health screen's summary: the quote feed in use
// or OFFLINE, the store and the backfill, one line each, in words.
func HealthLines(st Styles, sum model.HealthSummary, now time.Time) []string {
	var out []string
	switch {
	case sum.QuotesDown:
		out = append(out, st.Bad.Render("OFFLINE")+" for "+Age(now.Sub(sum.QuotesDownSince))+": no quote feed answers; the screen shows cached data")
	case sum.QuoteFeed != "":
		out = append(out, st.OK.Render("quotes")+" from "+sum.QuoteFeed)
	default:
		out = append(out, st.Dim.Render("quotes: no quote feed has answered yet"))
	}
	s := sum.Store
	switch {
	case s.Failing:
		l := st.Bad.Render("store failing") + fmt.Sprintf(" ×%d since %s: %s", s.Failures, s.FailingSince.In(model.CST).Format("15:04:05"), model.Sanitize(s.Err))
		if !s.NextTry.IsZero() {
			l += "; retry in " + Age(s.NextTry.Sub(now))
		}
		if s.Pending > 0 {
			l += fmt.Sprintf("; %d batches waiting", s.Pending)
		}
		out = append(out, l)
	case !s.LastOK.IsZero():
		out = append(out, st.OK.Render("store")+" last write "+Age(now.Sub(s.LastOK))+" ago")
	}
	b := sum.Backfill
	switch {
	case b.Stalled:
		l := st.Warn.Render("backfill stalled") + fmt.Sprintf(" for %s: %d symbols waiting (%s)", Age(now.Sub(b.Since)), b.Pending, b.Waiting)
		if b.Err != "" {
			l += ": " + model.Sanitize(b.Err)
		}
		out = append(out, l)
	case b.Pending > 0:
		out = append(out, fmt.Sprintf("backfill: %d symbols to go (%s)", b.Pending, b.Waiting))
	}
	for _, c := range sum.Calendar {
		out = append(out, st.Warn.Render("calendar")+" "+c)
	}
	return out
}

// KindState is a health record's state in words as the health screen shows
// it: "stale" for a working feed past its cadence.
func KindState(h model.FeedHealth, now time.Time) string {
	if h.State == model.FeedOK && h.Stale(now) {
		return "stale"
	}
	return strings.TrimSpace(h.State.String())
}
