package widgets

import (
	"time"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// FeedStatus is the status bar's account of the feeds in l, read from the
// one health model (model.SummarizeHealth): OFFLINE with how long when no
// quote feed works, a failing store in red with its error and retry, a
// stalled backfill, then one dot per feed — ● ok (age of the last success,
// amber when stale), ○ standby or waiting, ✗ failing with the count and the
// last error. With minutes, the screen is redrawn once a minute (markets
// closed, offline review), so ages under a minute read "<1m" rather than a
// count of seconds that would stand still.
func FeedStatus(st Styles, l i18n.Lang, sum model.HealthSummary, now time.Time, minutes bool) []string {
	var out []string
	age := func(d time.Duration) string {
		if minutes && d < time.Minute {
			return i18n.AgeUnderMinute.In(l)
		}
		return Age(l, d)
	}
	if sum.QuotesDown {
		out = append(out, st.Bad.Render(i18n.FeedOffline.F(l, age(now.Sub(sum.QuotesDownSince))))+" "+i18n.FeedOfflineNote.In(l))
	}
	if s := sum.Store; s.Failing {
		msg := i18n.FeedStoreFailing.F(l, Cut(model.Sanitize(s.Err), 40))
		if !s.NextTry.IsZero() {
			msg += i18n.FeedRetryIn.F(l, Age(l, s.NextTry.Sub(now)))
		}
		if s.Pending > 0 {
			msg += i18n.FeedBatchesWait.F(l, s.Pending)
		}
		out = append(out, st.Bad.Render(msg))
	}
	if b := sum.Backfill; b.Stalled {
		msg := i18n.FeedBackfillStall.F(l, Age(l, now.Sub(b.Since)), Cut(b.Waiting, 24))
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
			out = append(out, st.Bad.Render("✗")+" "+f.Feed+st.Bad.Render(i18n.FeedFailingN.F(l, f.Failures))+" "+st.Dim.Render(msg))
		default:
			out = append(out, st.Dim.Render("○ "+f.Feed+" "+FeedStateWord(l, f.State)))
		}
	}
	return out
}

// FeedStateWord is a feed's state in l: ok, failing, standby, offline or
// waiting.
func FeedStateWord(l i18n.Lang, s model.FeedState) string {
	switch s {
	case model.FeedOK:
		return i18n.FeedOK.In(l)
	case model.FeedFailing:
		return i18n.FeedFailing.In(l)
	case model.FeedStandby:
		return i18n.FeedStandby.In(l)
	case model.FeedOffline:
		return i18n.FeedOfflineWord.In(l)
	}
	return i18n.FeedWaiting.In(l)
}

// HealthLines is the feed health screen's summary in l: the quote feed in
// use or OFFLINE, the store and the backfill, one line each, in words.
func HealthLines(st Styles, l i18n.Lang, sum model.HealthSummary, now time.Time) []string {
	var out []string
	switch {
	case sum.QuotesDown:
		out = append(out, i18n.HealthOfflineFor.F(l, st.Bad.Render(i18n.HealthOfflineWord.In(l)), Age(l, now.Sub(sum.QuotesDownSince))))
	case sum.QuoteFeed != "":
		out = append(out, i18n.HealthQuotesFrom.F(l, st.OK.Render(i18n.HealthKindQuotes.In(l)), sum.QuoteFeed))
	default:
		out = append(out, st.Dim.Render(i18n.HealthNoQuotes.In(l)))
	}
	s := sum.Store
	switch {
	case s.Failing:
		line := i18n.HealthStoreSince.F(l, st.Bad.Render(i18n.HealthStoreFailing.In(l)), s.Failures, s.FailingSince.In(model.CST).Format("15:04:05"), model.Sanitize(s.Err))
		if !s.NextTry.IsZero() {
			line += i18n.HealthRetryIn.F(l, Age(l, s.NextTry.Sub(now)))
		}
		if s.Pending > 0 {
			line += i18n.HealthBatchesWait.F(l, s.Pending)
		}
		out = append(out, line)
	case !s.LastOK.IsZero():
		out = append(out, i18n.HealthLastWrite.F(l, st.OK.Render(i18n.HealthStoreWord.In(l)), Age(l, now.Sub(s.LastOK))))
	}
	b := sum.Backfill
	switch {
	case b.Stalled:
		line := i18n.HealthStalledFor.F(l, st.Warn.Render(i18n.HealthBackfillStall.In(l)), Age(l, now.Sub(b.Since)), b.Pending, b.Waiting)
		if b.Err != "" {
			line += ": " + model.Sanitize(b.Err)
		}
		out = append(out, line)
	case b.Pending > 0:
		out = append(out, i18n.HealthBackfillToGo.F(l, b.Pending, b.Waiting))
	}
	for _, c := range sum.Calendar {
		out = append(out, st.Warn.Render(i18n.HealthCalendar.In(l))+" "+c)
	}
	return out
}

// KindState is a health record's state in words in l as the health screen
// shows it, and whether it is stale (a working feed past its cadence).
func KindState(l i18n.Lang, h model.FeedHealth, now time.Time) (string, bool) {
	if h.State == model.FeedOK && h.Stale(now) {
		return i18n.WordStale.In(l), true
	}
	return FeedStateWord(l, h.State), false
}
