package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/rareterm/rareterm/alerts"
	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/demo"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
	"github.com/rareterm/rareterm/ui"
)

func TestConfigAlerts(t *testing.T) {
	src := `colors = "chinese"

[[alerts]]
rule = "600111 > 55"            # price above 55
deliver = ["bell", "webhook"]
webhook = "http://127.0.0.1:9000/hook"
session = "any"                 # also outside trading hours

[[alerts]]
rule = "prnd_oxide chg% > 2"    # element day change above 2%

[[alerts]]
rule = "600111 limit_open"
deliver = ["desktop", "command"]
command = ["notify-send", "{title}", "{body}"]
hysteresis = 0.2
cooldown = "10m"
`
	c, err := parseConfig("c.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Alerts) != 3 {
		t.Fatalf("alerts %+v", c.Alerts)
	}
	a, b, d := c.Alerts[0], c.Alerts[1], c.Alerts[2]
	if a.Text != "600111 > 55" || !a.AnyTime || a.Webhook != "http://127.0.0.1:9000/hook" || strings.Join(a.Deliver, ",") != "status,bell,webhook" || !a.FromConfig {
		t.Errorf("first %+v", a)
	}
	if b.Metric != model.MetricChg || strings.Join(b.Deliver, ",") != "status,bell" || b.AnyTime {
		t.Errorf("second %+v", b)
	}
	if strings.Join(d.Command, " ") != "notify-send {title} {body}" || d.Hysteresis() != 0.2 || d.Cooldown() != 10*time.Minute {
		t.Errorf("third %+v", d)
	}
	for _, c := range []struct{ src, want string }{
		{"[[alerts]]\nrule = \"600111 > abc\"\n", "config c.toml:2: alerts.rule: value \"abc\""},
		{"colors = \"western\"\n\n[[alerts]]\nrule = \"600111 > 55\"\n\n[[alerts]]\n# second\nrule = \"nope > 5\"\n", "config c.toml:8: alerts.rule: target \"nope\""},
		{"[[alerts]]\nrule = \"600111 > 55\"\ndeliver = [\"pager\"]\n", "c.toml:3: alerts.deliver: \"pager\""},
		{"[[alerts]]\nrule = \"600111 > 55\"\ndeliver = [\"webhook\"]\n", "webhook delivery needs webhook"},
		{"[[alerts]]\nrule = \"600111 > 55\"\nwebhook = \"ftp://x\"\n", "c.toml:3: alerts.webhook"},
		{"[[alerts]]\nrule = \"600111 > 55\"\ncommand = []\n", "alerts.command"},
		{"[[alerts]]\nrule = \"600111 > 55\"\nsession = \"night\"\n", "c.toml:3: alerts.session"},
		{"[[alerts]]\nrule = \"600111 > 55\"\ncooldown = \"soon\"\n", "c.toml:3: alerts.cooldown"},
		{"[[alerts]]\nrule = \"600111 > 55\"\ncolour = \"red\"\n", "c.toml:3: alerts.colour: unknown key"},
		{"[[alerts]]\ndeliver = [\"bell\"]\n", "needs a rule"},
	} {
		_, err := parseConfig("c.toml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.src, err, c.want)
		}
	}
}

func TestAlertRulesFileAddAndRemove(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	src := "# desk\n[watchlist]\nsymbols = [\"600111\"]\n\n[[alerts]]\nrule = \"600111 > 55\"\ndeliver = [\"bell\"]\n\n[calendar]\nclosures = []\n"
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := AddAlertRule(path, "prnd_oxide chg% > 2"); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(path)
	if err != nil || len(c.Alerts) != 2 || c.Alerts[1].Text != "prnd_oxide chg% > 2" {
		t.Fatalf("after add: %+v %v", c.Alerts, err)
	}
	if ok, err := RemoveAlertRule(path, "600111 > 55"); !ok || err != nil {
		t.Fatalf("remove: %v %v", ok, err)
	}
	c, err = LoadConfig(path)
	if err != nil || len(c.Alerts) != 1 || c.Alerts[0].Text != "prnd_oxide chg% > 2" || len(c.Watchlist) != 1 {
		t.Fatalf("after remove: %+v %v", c, err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "# desk") || !strings.Contains(string(b), "[calendar]") {
		t.Errorf("the file lost other content:\n%s", b)
	}
}

// collect --once on the demo market fires a config rule and posts it to
// the webhook before it exits; the alert is in the database.
func TestCollectFiresWebhook(t *testing.T) {
	var mu sync.Mutex
	var posts []alerts.WebhookBody
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b alerts.WebhookBody
		raw, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(raw, &b); err != nil {
			t.Errorf("body %q: %v", raw, err)
		}
		mu.Lock()
		posts = append(posts, b)
		mu.Unlock()
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.toml")
	cfg := fmt.Sprintf("[[alerts]]\nrule = \"600111 > 1\"\ndeliver = [\"webhook\"]\nwebhook = %q\nsession = \"any\"\n", srv.URL)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(dir, "rareterm.db")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"collect", "--demo", "--once", "--db", live, "--config", cfgPath}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(posts) != 1 || posts[0].Rule != "600111 > 1" || !strings.Contains(posts[0].Title, "600111 北方稀土 price > 1.00") {
		t.Fatalf("posts %+v\nstderr:\n%s", posts, stderr.String())
	}
	if !strings.Contains(stderr.String(), "  alert: 600111 北方稀土 price > 1.00 — ") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	db, err := store.Open(filepath.Join(dir, "demo.db"), store.Options{Mode: store.ModeDemo, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fired, err := db.Alerts(time.Time{}, time.Time{}, 0)
	if err != nil || len(fired) != 1 || fired[0].Rule != "600111 > 1" {
		t.Errorf("stored %+v %v", fired, err)
	}
	// The demo market announced its simulated quarters after the reference's.
	cs, err := db.Contract()
	if err != nil || len(cs) == 0 || cs[len(cs)-1].Source != demo.SourceName {
		t.Errorf("contract quarters %+v %v", cs, err)
	}
}

// The definition of done, on the demo market: `:alert add 600111 > X` with
// X just above the price fires when the price crosses, rings (the bell byte
// reaches the terminal), is logged, and re-arms only after the price has
// moved back by the hysteresis.
func TestDemoAlertFiresRingsAndRearms(t *testing.T) {
	start := time.Date(2026, 12, 4, 10, 0, 0, 0, model.CST)
	var clockMu sync.Mutex
	now := start
	clock := func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return now }
	mkt := demo.New(1, demo.WithClock(clock))
	sym := []model.Symbol{{Code: "600111", Market: model.MarketSSE}}

	// The path of the price, every 2 s, to choose X and to know when the
	// rule must fire.
	const steps = 3000
	path := make([]float64, steps)
	for i := range path {
		clockMu.Lock()
		now = start.Add(time.Duration(i) * 2 * time.Second)
		clockMu.Unlock()
		qs, err := mkt.Quotes(context.Background(), sym)
		if err != nil || len(qs) != 1 {
			t.Fatal(qs, err)
		}
		path[i] = qs[0].Last
	}
	x := math.Round(path[0]*100)/100 + 0.01 // just above the first price
	hyst := 0.05
	// The oracle: when the rule fires (cooldown 1s, shorter than a step).
	var want []int
	armed := true
	for i, p := range path {
		if !armed && p <= x-hyst {
			armed = true
		}
		if armed && p > x {
			want = append(want, i)
			armed = false
		}
	}
	if len(want) < 2 {
		t.Fatalf("the demo path over %d steps crosses %.2f only %d times", steps, x, len(want))
	}
	// A crossing the hysteresis holds back: above X again before re-arming.
	held := false
	for i := want[0] + 1; i < want[1]; i++ {
		if path[i] > x && path[i-1] <= x {
			held = true
		}
	}

	if !held {
		t.Fatalf("the path never crosses %.2f again before re-arming: the hysteresis would go untested", x)
	}
	eng := alerts.New(alerts.Config{AlwaysOpen: true})
	m := ui.New(ui.Deps{Demo: true, NoColor: true, Now: clock, Alerts: eng, Watchlist: sym})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	eng.Start(ctx)
	p := feeds.NewPoller(feeds.PollerConfig{
		Quotes: []feeds.QuoteSource{mkt}, Watchlist: sym, AlwaysOpen: true, Now: clock,
		Cadence: feeds.Cadence{QuotesOpen: 2 * time.Second, QuotesClosed: 2 * time.Second},
		Observe: eng.Observe, ExtraHealth: eng.Health,
		Out: func(b model.Batch) { tm.Send(ui.BatchMsg{Batch: b}) },
	})
	tm.Type(fmt.Sprintf(":alert add 600111 > %.2f hyst=%g cooldown=1s", x, hyst))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitRules := func(n int) {
		deadline := time.Now().Add(30 * time.Second)
		for len(eng.Rules()) != n {
			if time.Now().After(deadline) {
				t.Fatalf("the rule was not added within 30 s")
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitRules(1)

	var fired []int
	for i := 0; i <= want[1]; i++ {
		clockMu.Lock()
		now = start.Add(time.Duration(i) * 2 * time.Second)
		clockMu.Unlock()
		b, err := p.Cycle(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Alerts) > 0 {
			fired = append(fired, i)
		}
		if i == want[0] {
			// It rings and is logged, on screen.
			teatest.WaitFor(t, tm.Output(), func(out []byte) bool {
				return bytes.Contains(out, []byte("\a")) && bytes.Contains(out, []byte("⚑ 600111"))
			}, teatest.WithDuration(30*time.Second))
		}
	}
	if fmt.Sprint(fired) != fmt.Sprint(want[:2]) {
		t.Fatalf("fired at steps %v, want %v (X %.2f, hysteresis %.3f, a crossing held back: %v)", fired, want[:2], x, hyst, held)
	}
	st := eng.States()[0]
	if st.Fired != 2 {
		t.Errorf("state %+v", st)
	}
	tm.Type(":alerts")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	teatest.WaitFor(t, tm.Output(), func(out []byte) bool {
		return bytes.Contains(out, []byte("Fired")) && bytes.Contains(out, []byte("1 rules"))
	},
		teatest.WithDuration(30*time.Second))
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(30*time.Second))
	t.Logf("X %.2f: fired at steps %v; a crossing held back by the hysteresis: %v", x, fired, held)
}

// In --demo, :alert writes the demo's own file; a rule from the config
// file is removed for the session only, and the config is left alone.
func TestDemoAlertRulesNeverTouchTheConfig(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.toml")
	src := "[[alerts]]\nrule = \"600111 > 55\"\n"
	if err := os.WriteFile(cfgPath, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	w := &alertWiring{rulesFile: demoAlertsPath(filepath.Join(dir, "demo.db")), demo: true}
	if err := w.add("600010 < 1.5"); err != nil {
		t.Fatal(err)
	}
	if err := w.remove("600111 > 55"); err == nil || !strings.Contains(err.Error(), "--demo leaves alone") {
		t.Errorf("removing a config rule in --demo: %v", err)
	}
	if b, _ := os.ReadFile(cfgPath); string(b) != src {
		t.Errorf("the config changed:\n%s", b)
	}
	rs, err := loadDemoAlerts(w.rulesFile)
	if err != nil || len(rs) != 1 || rs[0].Text != "600010 < 1.5" || rs[0].FromConfig {
		t.Errorf("demo rules %+v %v", rs, err)
	}
	if err := w.remove("600010 < 1.5"); err != nil {
		t.Fatal(err)
	}
	if rs, _ := loadDemoAlerts(w.rulesFile); len(rs) != 0 {
		t.Errorf("after remove: %+v", rs)
	}
}

func TestConfigEstimate(t *testing.T) {
	c, err := parseConfig("c.toml", []byte("[contract]\nestimate_with_la = true\n"))
	if err != nil || !c.Estimate.WithLa {
		t.Fatalf("%+v %v", c.Estimate, err)
	}
	if c, err := parseConfig("c.toml", nil); err != nil || c.Estimate.WithLa {
		t.Errorf("default %+v %v", c.Estimate, err)
	}
	for src, want := range map[string]string{
		"[contract]\nestimate_with_la = 1\n": "c.toml:2: contract.estimate_with_la: want true or false",
		"[contract]\nwith_ce = true\n":       "c.toml:2: contract.with_ce: unknown key",
	} {
		if _, err := parseConfig("c.toml", []byte(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}

// The dashboard's alert engine holds its own copy of the cached market only
// when the config (or the demo's file) has rules: without, the screen gives
// it one with the first rule typed.
func TestAlertEngineCopiesTheMarketOnlyForRules(t *testing.T) {
	r, err := model.ParseAlertRule("600111 > 50")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		rules  []model.AlertRule
		seeded bool
	}{{nil, false}, {[]model.AlertRule{r}, true}} {
		var pcfg feeds.PollerConfig
		w, err := newAlerts(Config{Alerts: tc.rules}, model.NewSnapshot(), model.IndexSpec{}, false, filepath.Join(dir, "rareterm.db"), &pcfg, t.Logf)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.engine.Seeded(); got != tc.seeded {
			t.Errorf("%d rules: seeded %v, want %v", len(tc.rules), got, tc.seeded)
		}
		if pcfg.Observe == nil {
			t.Error("the engine does not observe the poller's batches")
		}
	}
}
