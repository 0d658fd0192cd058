package ui

import (
	"context"
	"testing"
	"time"

	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/demo"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/dashboard"
)

// A batch redraws only the dashboard panels that show what it changed, and
// the screen is what redrawing every panel gives: batch after batch of the
// demo market through the poller (quotes every 2 s, boards every 4 s,
// elements and constituents every 30 s, margin, history, their health),
// across minutes and a session break, at two sizes.
func TestABatchRedrawsOnlyThePanelsThatShowIt(t *testing.T) {
	for _, size := range [][2]int{{160, 48}, {80, 24}} {
		now := time.Date(2026, 1, 12, 11, 25, 1, 0, model.CST) // a Monday, before the lunch break
		clock := func() time.Time { return now }
		mkt := demo.New(3, demo.WithClock(clock))
		p := feeds.NewPoller(feeds.PollerConfig{
			Quotes: []feeds.QuoteSource{mkt}, History: mkt, Margin: mkt, Boards: mkt,
			Elements:  []feeds.ElementSource{mkt},
			Watchlist: fixtureWatch, BoardList: []string{"BK0578", "BK1027", "BK0479"},
			AlwaysOpen: true, Now: clock, Rand: func() float64 { return 0.5 },
			Cadence: feeds.Cadence{QuotesOpen: 2 * time.Second, QuotesClosed: 2 * time.Second, Boards: 4 * time.Second,
				Members: 30 * time.Second, Margin: time.Hour, Elements: 30 * time.Second, History: 10 * time.Second},
			BackfillPerCycle: 6,
		})
		deps := func() Deps {
			return Deps{Watchlist: fixtureWatch, Boards: []string{"BK0578", "BK1027", "BK0479"}, Demo: true, NoColor: true, Now: clock}
		}
		inc, full := sized(New(deps()), size[0], size[1]), sized(New(deps()), size[0], size[1])
		d := dash(inc)
		skipped, quoted := 0, 0
		for i := range 400 {
			now = now.Add(2 * time.Second)
			b, err := p.Cycle(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if b.Empty() && len(b.Health) == 0 {
				continue
			}
			before := d.Computed
			send(inc, BatchMsg{Batch: b})
			send(full, BatchMsg{Batch: b})
			full.updateTop(common.RefreshMsg{})
			if got, want := screenText(inc), screenText(full); got != want {
				t.Fatalf("%dx%d, batch %d at %s (%d quotes, %d boards, %d elements): the screen differs from a full redraw:\n%s\nwant:\n%s",
					size[0], size[1], i, now.Format("15:04:05"), len(b.Quotes), len(b.Boards), len(b.Elements), got, want)
			}
			if len(b.Quotes) > 0 && len(b.Elements) == 0 {
				quoted++
				if d.Computed[dashboard.Contract] == before[dashboard.Contract] {
					skipped++
				}
			}
		}
		// The contract panel's rows are not worked out again for quotes,
		// except on the batch that turns the minute.
		if quoted < 100 || skipped < quoted*9/10 {
			t.Errorf("%dx%d: the contract panel was left alone for %d of %d batches of quotes", size[0], size[1], skipped, quoted)
		}
	}
}

// The batches the demo run above never sends alone: a name learned from a
// feed, the feeds' health turning the quotes down, a margin day. Each
// redraws what shows it, as a full redraw would.
func TestBatchesOfOneKindRedrawWhatShowsThem(t *testing.T) {
	down := fixtureHealth()
	for i := range down {
		if down[i].Kind == "quotes" {
			down[i].State = model.FeedFailing
		}
	}
	at := fixtureNow.Add(time.Second) // the same minute: no redraw of everything
	for name, b := range map[string]model.Batch{
		"a name": {At: at, Symbols: []model.Symbol{{Code: "600010", Market: model.MarketSSE, Name: "包钢新名"}}},
		"health": {At: at, Health: down},
		"margin": {At: at, Margin: []model.MarginDay{{Symbol: "600111", Date: model.Day(fixtureNow), FinBalance: 9.9e10, FinBuy: 1e9, FinRepay: 5e8, FinNetBuy: 5e8, Total: 9.9e10, BalancePct: 9.9, Source: "fixture"}}},
	} {
		m := sized(fixtureModel(false), 160, 48)
		m.mkt.Watch[1].Name = "" // a symbol still loading: its row shows the quotes' state
		delete(m.mkt.St.Quotes, m.mkt.Watch[1].Code)
		m.updateTop(common.RefreshMsg{})
		before := screenText(m)
		send(m, BatchMsg{Batch: b})
		full := screenText(m)
		m.updateTop(common.RefreshMsg{})
		if got, want := full, screenText(m); got != want {
			t.Errorf("%s: the screen differs from a full redraw:\n%s\nwant:\n%s", name, got, want)
		}
		if full == before {
			t.Errorf("%s: nothing on screen changed", name)
		}
	}
}
