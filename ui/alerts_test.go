package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/rareterm/rareterm/alerts"
	"github.com/rareterm/rareterm/model"
)

// alertModel is the fixture with an alert engine holding rules of several
// kinds, one of which has fired (at 10:31:05 on the fixture's day).
func alertModel(t *testing.T, saved *[]string) (*Model, *alerts.Engine) {
	t.Helper()
	var rules []model.AlertRule
	for _, s := range []string{"600111 > 50", "prnd_oxide chg% > 2", "600111 limit_open", "contract new", "feed:any down > 10", "BK0578 flow > 10亿"} {
		r, err := model.ParseAlertRule(s)
		if err != nil {
			t.Fatal(err)
		}
		r.Deliver = []string{model.DeliverStatus, model.DeliverBell}
		rules = append(rules, r)
	}
	rules[0].FromConfig, rules[0].Webhook = true, "http://127.0.0.1:9000/hook"
	rules[0].Deliver = append(rules[0].Deliver, model.DeliverWebhook, model.DeliverDesktop)
	eng := alerts.New(alerts.Config{Rules: rules, Snapshot: fixtureSnapshot(), Now: func() time.Time { return fixtureNow }})
	earlier := model.AlertEvent{At: fixtureNow.Add(-26 * time.Hour), Rule: "600111 > 50", Title: "600111 北方稀土 price > 50.00", Body: "600111 北方稀土 price is 50.12 at 2026-01-08 08:31:05 CST", Value: 50.12, Level: 50}
	d := Deps{
		Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Boards: []string{"BK0578", "BK1027", "BK0479"}, Health: fixtureHealth(),
		NoColor: true, Now: func() time.Time { return fixtureNow }, Alerts: eng, AlertLog: []model.AlertEvent{earlier},
	}
	if saved != nil {
		d.SaveAlert = func(r string) error { *saved = append(*saved, "+"+r); return nil }
		d.DropAlert = func(r string) error { *saved = append(*saved, "-"+r); return nil }
	}
	m := New(d)
	for _, w := range fixtureWatch {
		m.mkt.SeenAt[w.Code] = fixtureNow
	}
	return m, eng
}

// fire runs a batch through the engine, as the poller does, and hands it to
// the screen; it returns the messages the screen's commands produced.
func fire(m *Model, eng *alerts.Engine, b model.Batch) []tea.Msg {
	eng.Observe(&b)
	_, cmd := m.Update(BatchMsg{Batch: b})
	return run(cmd)
}

func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, run(c)...)
		}
		return out
	case nil:
		return nil
	default:
		return []tea.Msg{msg}
	}
}

func rawOut(msgs []tea.Msg) string {
	var b strings.Builder
	for _, m := range msgs {
		if r, ok := m.(tea.RawMsg); ok {
			b.WriteString(fmt.Sprint(r.Msg))
		}
	}
	return b.String()
}

func quoteAt(m *Model, last float64) model.Batch {
	q := m.mkt.St.Quotes["600111"]
	q.Last, q.Time = last, fixtureNow
	return model.Batch{At: fixtureNow, Quotes: []model.Quote{q}}
}

func TestAlertRingsNotifiesAndLogs(t *testing.T) {
	m, eng := alertModel(t, nil)
	sized(m, 120, 40)
	msgs := fire(m, eng, quoteAt(m, 51.2))
	raw := rawOut(msgs)
	if !strings.Contains(raw, Bell) || !strings.Contains(raw, "\x1b]9;600111 北方稀土 price > 50.00: 600111 北方稀土 price is 51.20") {
		t.Fatalf("raw output %q", raw)
	}
	if !strings.Contains(m.notice.Text, "⚑ 600111 北方稀土 price > 50.00 — ") {
		t.Errorf("status %q", m.notice.Text)
	}
	if n := len(m.mkt.Alerts.Log); n != 2 {
		t.Errorf("log has %d alerts", n)
	}
	// Still above the level: nothing more.
	if raw := rawOut(fire(m, eng, quoteAt(m, 51.3))); raw != "" {
		t.Errorf("fired again: %q", raw)
	}
	// OSC 777 when the terminal takes it; separators in the text cannot
	// end the sequence's fields early.
	if got := DesktopNotice("777", "a;b\x1b]0;x\x07", "c"); got != "\x1b]777;notify;a,b;c\x1b\\" {
		t.Errorf("OSC 777 %q", got)
	}
}

func TestAlertCommands(t *testing.T) {
	var saved []string
	m, eng := alertModel(t, &saved)
	sized(m, 120, 40)
	typeLine := func(s string) {
		press(m, ":")
		for _, r := range s {
			if r == ' ' {
				press(m, "space")
			} else {
				press(m, string(r))
			}
		}
		press(m, "enter")
	}
	typeLine("alert add 600010 < 1.5")
	if rs := eng.Rules(); len(rs) != 7 || rs[6].Text != "600010 < 1.5" || rs[6].FromConfig {
		t.Fatalf("rules %+v", rs)
	}
	if len(saved) != 1 || saved[0] != "+600010 < 1.5" || !strings.Contains(m.notice.Text, "alert 7 added: 600010 < 1.5 (saved to the config file)") {
		t.Errorf("saved %q, notice %q", saved, m.notice.Text)
	}
	typeLine("alert add 600010 <")
	if !m.notice.Error || !strings.Contains(m.notice.Text, "want OP VALUE") || len(eng.Rules()) != 7 {
		t.Errorf("a bad rule: %+v", m.notice)
	}
	typeLine("alert rm 2")
	if rs := eng.Rules(); len(rs) != 6 || rs[1].Text != "600111 limit_open" || saved[1] != "-prnd_oxide chg% > 2" {
		t.Errorf("after rm 2: %v, saved %q", len(rs), saved)
	}
	typeLine("alert rm 9")
	if !m.notice.Error || !strings.Contains(m.notice.Text, "no rule 9") {
		t.Errorf("rm 9: %+v", m.notice)
	}
	// d in the alerts view removes the selected rule.
	typeLine("alerts")
	press(m, "j", "d")
	if rs := eng.Rules(); len(rs) != 5 || rs[1].Text != "contract new" {
		t.Errorf("after d on the second rule: %+v", rs)
	}
}

// The alerts view at the two sizes of the issue, with a rule that has
// fired and waits for its hysteresis, and the log.
func TestAlertsScreenGoldens(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			m, eng := alertModel(t, nil)
			sized(m, sz[0], sz[1])
			fire(m, eng, quoteAt(m, 51.2))
			press(m, ":", "a", "l", "e", "r", "t", "s", "enter")
			s := screenText(m)
			checkFits(t, "alerts", s, sz[0], sz[1])
			golden.RequireEqual(t, s)
		})
	}
}

func TestAlertsScreenNeverOverflows(t *testing.T) {
	for w := 20; w <= 240; w += 11 {
		m, eng := alertModel(t, nil)
		sized(m, w, 5)
		fire(m, eng, quoteAt(m, 51.2))
		press(m, ":", "a", "l", "e", "r", "t", "s", "enter")
		for h := 5; h <= 70; h += 7 {
			sized(m, w, h)
			checkFits(t, fmt.Sprintf("alerts at %dx%d", w, h), screenText(m), w, h)
		}
	}
}

// Offline review shows the alerts stored for the cursor's day.
func TestAlertsOfflineShowTheDay(t *testing.T) {
	day := model.Day(fixtureNow)
	log := []model.AlertEvent{
		{At: day.Add(-14 * time.Hour), Rule: "a", Title: "the day before", Body: "b"},
		{At: day.Add(10 * time.Hour), Rule: "c", Title: "on the day", Body: "d"},
	}
	m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, NoColor: true, Offline: true, AsOf: day,
		Now: func() time.Time { return fixtureNow }, AlertLog: log})
	sized(m, 120, 30)
	press(m, ":", "a", "l", "e", "r", "t", "s", "enter")
	s := screenText(m)
	if !strings.Contains(s, "Alerts fired on 2026-01-09") || !strings.Contains(s, "on the day") || strings.Contains(s, "the day before") {
		t.Errorf("offline alerts:\n%s", s)
	}
	press(m, ":", "a", "l", "e", "r", "t", "space", "a", "d", "d", "space", "6", "0", "0", "1", "1", "1", "space", ">", "space", "5", "enter")
	if !m.notice.Error || !strings.Contains(m.notice.Text, "not in offline review") {
		t.Errorf("offline :alert add: %+v", m.notice)
	}
}

// The contract view's estimate: enough paired quarters of PrNd oxide
// prices give the figure, its band and the back-test table.
func TestContractEstimateGoldens(t *testing.T) {
	snap := estimateSnapshot()
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			m := New(Deps{Snapshot: snap, Watchlist: fixtureWatch, NoColor: true, Now: func() time.Time { return fixtureNow }})
			sized(m, sz[0], sz[1])
			press(m, "tab", "tab", "tab", "enter", "e")
			out := screenText(m)
			checkFits(t, "estimate", out, sz[0], sz[1])
			e := m.mkt.Derived.Estimate
			if !e.OK || e.Target != (model.Quarter{Year: 2026, Q: 2}) || len(e.Backtest) != 9 || e.Days != 7 {
				t.Fatalf("estimate %+v", e)
			}
			golden.RequireEqual(t, out)
		})
	}
}

// estimateSnapshot is the fixture with PrNd oxide (and La oxide) priced
// every weekday from 2023Q4.
func estimateSnapshot() model.Snapshot {
	snap := fixtureSnapshot()
	// PrNd oxide, one price a weekday from 2023Q4: each quarter's level is
	// chosen so the contract quarters after it sit near a line.
	var s model.Series
	level := map[model.Quarter]float64{
		{Year: 2023, Q: 4}: 46, {Year: 2024, Q: 1}: 38, {Year: 2024, Q: 2}: 39, {Year: 2024, Q: 3}: 41.5, {Year: 2024, Q: 4}: 43,
		{Year: 2025, Q: 1}: 44, {Year: 2025, Q: 2}: 45.5, {Year: 2025, Q: 3}: 60, {Year: 2025, Q: 4}: 61, {Year: 2026, Q: 1}: 62,
	}
	for d := model.Date(2023, 10, 2); d.Before(fixtureNow); d = d.AddDate(0, 0, 1) {
		if l, ok := level[model.QuarterOf(d)]; ok && d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			s = append(s, model.ElementPrice{Element: model.PrNdOxide, Date: d, Price: l * 1e4, Source: "100ppi"})
		}
	}
	snap.Elements[model.PrNdOxide] = s
	var la model.Series
	for i, p := range s {
		la = append(la, model.ElementPrice{Element: model.LaOxide, Date: p.Date, Price: 4000 + float64(model.QuarterOf(p.Date).Index()%5)*150 + float64(i%3), Source: "100ppi"})
	}
	snap.Elements[model.LaOxide] = la
	return snap
}

func TestContractEstimateWithLa(t *testing.T) {
	m := New(Deps{Snapshot: estimateSnapshot(), Watchlist: fixtureWatch, NoColor: true, Now: func() time.Time { return fixtureNow },
		Estimate: model.EstimateSpec{WithLa: true}})
	sized(m, 160, 48)
	press(m, "tab", "tab", "tab", "enter", "e")
	out := screenText(m)
	if e := m.mkt.Derived.Estimate; !e.OK || len(e.Coef) != 3 {
		t.Fatalf("estimate %+v", e)
	}
	for _, want := range []string{"× La oxide avg, of the quarter before", "La before", "PrNd oxide and La oxide prices"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}

// An engine started without rules is given the screen's market with the
// first rule typed: a margin rule then compares with the cached day
// before.
func TestTheFirstAlertRuleSeedsTheEngineWithTheScreensMarket(t *testing.T) {
	eng := alerts.New(alerts.Config{Unseeded: true, Now: func() time.Time { return fixtureNow }})
	m := sized(New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Health: fixtureHealth(), NoColor: true,
		Now: func() time.Time { return fixtureNow }, Alerts: eng}), 120, 40)
	days := m.mkt.St.Margin["600111"]
	if len(days) == 0 || eng.Seeded() {
		t.Fatalf("fixture margin days %d, engine seeded %v", len(days), eng.Seeded())
	}
	last := days[len(days)-1]
	fire(m, eng, model.Batch{Seq: 7, At: fixtureNow, Quotes: []model.Quote{m.mkt.St.Quotes["600010"]}})
	typeLine := func(line string) {
		press(m, ":")
		for _, r := range line {
			if r == ' ' {
				press(m, "space")
			} else {
				press(m, string(r))
			}
		}
		press(m, "enter")
	}
	typeLine("alert add 600111 margin%")
	if eng.Seeded() || !m.notice.Error {
		t.Fatalf("a line that is no rule seeded the engine (%v) or was taken (%q)", eng.Seeded(), m.notice.Text)
	}
	typeLine("alert add 600111 margin% > 5")
	if !eng.Seeded() || len(eng.Rules()) != 1 {
		t.Fatalf("after :alert add: seeded %v, rules %d (%q)", eng.Seeded(), len(eng.Rules()), m.notice.Text)
	}
	next := model.Batch{Seq: 8, At: fixtureNow, Margin: []model.MarginDay{{Symbol: "600111", Date: last.Date.AddDate(0, 0, 1), FinBalance: last.FinBalance * 1.07}}}
	fire(m, eng, next)
	if len(next.Alerts) != 0 {
		t.Fatal("the test's batch was changed")
	}
	if st := eng.States(); st[0].Fired != 1 {
		t.Errorf("+7%% on the cached day before: the rule fired %d times, want once", st[0].Fired)
	}
}
