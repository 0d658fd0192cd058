package widgets

import (
	"fmt"
	"sort"
	"time"

	"github.com/rareterm/rareterm/model"
)

// FeedStatus is the status bar's account of the feeds: the OFFLINE banner
// when no feed answers, then one dot per feed — ● ok (age of the last
// success), ○ standby or waiting, ✗ failing with the count and the last
// error.
func FeedStatus(st Styles, health []model.FeedHealth, now time.Time) []string {
	var out []string
	if NoFeedAnswers(health) {
		out = append(out, st.Bad.Render("OFFLINE")+" no feed answers: showing cached data")
	}
	type agg struct {
		state    model.FeedState
		lastOK   time.Time
		failures int
		err      string
		stale    bool
	}
	feeds := map[string]*agg{}
	var order []string
	for _, h := range health {
		a, ok := feeds[h.Feed]
		if !ok {
			a = &agg{state: h.State}
			feeds[h.Feed] = a
			order = append(order, h.Feed)
		}
		if h.State == model.FeedFailing {
			a.state = model.FeedFailing
			if h.Failures > a.failures {
				a.failures, a.err = h.Failures, h.LastErr
			}
		} else if h.State == model.FeedOK && a.state != model.FeedFailing {
			a.state = model.FeedOK
		}
		if h.LastOK.After(a.lastOK) {
			a.lastOK = h.LastOK
		}
		if h.Stale(now) {
			a.stale = true
		}
	}
	sort.Strings(order)
	for _, name := range order {
		a := feeds[name]
		switch a.state {
		case model.FeedOK:
			ok := st.OK
			if a.stale {
				ok = st.Warn
			}
			out = append(out, ok.Render("●")+" "+name+" "+Age(now.Sub(a.lastOK)))
		case model.FeedFailing:
			msg := model.Sanitize(a.err)
			if Width(msg) > 40 {
				msg = Fit(msg, 40)
			}
			out = append(out, st.Bad.Render("✗")+" "+name+st.Bad.Render(fmt.Sprintf(" failing×%d", a.failures))+" "+st.Dim.Render(msg))
		case model.FeedStandby:
			out = append(out, st.Dim.Render("○ "+name+" standby"))
		case model.FeedOffline:
			out = append(out, st.Dim.Render("○ "+name+" offline"))
		default:
			out = append(out, st.Dim.Render("○ "+name+" waiting"))
		}
	}
	return out
}

// NoFeedAnswers reports whether every feed that has been tried is failing:
// the network is gone (or every source is down).
func NoFeedAnswers(health []model.FeedHealth) bool {
	failing := 0
	for _, h := range health {
		if h.Feed == "store" {
			continue
		}
		if h.State == model.FeedOK {
			return false
		}
		if h.State == model.FeedFailing {
			failing++
		}
	}
	return failing > 0
}
