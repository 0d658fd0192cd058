package alerts

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/model"
)

var t0 = time.Date(2026, 12, 4, 10, 0, 0, 0, model.CST)

func rule(t *testing.T, text string, deliver ...string) model.AlertRule {
	t.Helper()
	r, err := model.ParseAlertRule(text)
	if err != nil {
		t.Fatal(err)
	}
	r.Deliver, r.FromConfig = deliver, true
	return r
}

func quoteBatch(last float64, at time.Time) model.Batch {
	return model.Batch{At: at, Quotes: []model.Quote{{Symbol: "600111", Name: "北方稀土\x1b]0;x\x07", Time: at, Last: last, PrevClose: 50, Open: 50, MainNet: model.Unknown}}}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestWebhookPostsJSONWithRetries(t *testing.T) {
	sink := newWebhookSink(t, 1) // the first attempt fails: retried
	srv := sink.srv
	defer srv.Close()
	r := rule(t, "600111 > 55", model.DeliverWebhook)
	r.Webhook = srv.URL
	e := New(Config{Rules: []model.AlertRule{r}, AlwaysOpen: true, Backoff: func(int) time.Duration { return time.Millisecond }})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.Start(ctx)
	b := quoteBatch(55.5, t0)
	e.Observe(&b)
	if len(b.Alerts) != 1 {
		t.Fatalf("batch alerts %+v", b.Alerts)
	}
	if !e.Close(5 * time.Second) {
		t.Fatal("delivery not done within 5 s")
	}
	got := sink.posts()
	if len(got) != 1 || sink.calls.Load() != 2 {
		t.Fatalf("posts %+v after %d calls", got, sink.calls.Load())
	}
	w := got[0]
	if w.Rule != "600111 > 55" || *w.Value != 55.5 || *w.Level != 55 || !strings.Contains(w.Title, "600111 北方稀土 price > 55.00") ||
		strings.ContainsAny(w.Text, "\x1b\x07") || w.Text != w.Title+"\n"+w.Body || w.Time != "2026-12-04T10:00:00+08:00" {
		t.Errorf("webhook body %+v", w)
	}
	if h := e.Health(); len(h) != 1 || h[0].Feed != FeedWebhook || h[0].State != model.FeedOK {
		t.Errorf("health %+v", h)
	}
}

func TestWebhookFailureShowsInHealth(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv.Close()
	r := rule(t, "600111 > 55", model.DeliverWebhook)
	r.Webhook = srv.URL
	e := New(Config{Rules: []model.AlertRule{r}, AlwaysOpen: true, Retries: 2, Backoff: func(int) time.Duration { return time.Millisecond }})
	e.Start(context.Background())
	b := quoteBatch(56, t0)
	e.Observe(&b)
	e.Close(5 * time.Second)
	h := e.Health()
	if calls.Load() != 3 || len(h) != 1 || h[0].State != model.FeedFailing || !strings.Contains(h[0].LastErr, "after 3 attempts: webhook: HTTP 500") || h[0].FailingSince.IsZero() {
		t.Fatalf("%d calls, health %+v", calls.Load(), h)
	}
	// A 4xx is not retried.
	calls.Store(0)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1); w.WriteHeader(http.StatusNotFound) })
	e2 := New(Config{Rules: []model.AlertRule{r}, AlwaysOpen: true, Retries: 2, Backoff: func(int) time.Duration { return time.Millisecond }})
	e2.Start(context.Background())
	b = quoteBatch(56, t0)
	e2.Observe(&b)
	e2.Close(5 * time.Second)
	if calls.Load() != 1 {
		t.Errorf("404 tried %d times", calls.Load())
	}
}

// A webhook that never answers holds its own worker only: the poller's
// next batches are committed (and their alerts fired) on time.
func TestSlowWebhookDoesNotDelayTheNextBatch(t *testing.T) {
	release := make(chan struct{})
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	r := rule(t, "600111 > 55 cooldown=1ns hyst=0.1", model.DeliverWebhook, model.DeliverBell)
	r.Webhook = srv.URL
	e := New(Config{Rules: []model.AlertRule{r}, AlwaysOpen: true, WebhookTimeout: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.Start(ctx)

	src := &stepQuotes{prices: []float64{56, 54, 56, 54, 56}}
	var mu sync.Mutex
	var sent []model.Batch
	clock := t0
	p := feeds.NewPoller(feeds.PollerConfig{
		Quotes:      []feeds.QuoteSource{src},
		Watchlist:   []model.Symbol{{Code: "600111", Market: model.MarketSSE}},
		AlwaysOpen:  true,
		Observe:     e.Observe,
		ExtraHealth: e.Health,
		Out:         func(b model.Batch) { mu.Lock(); sent = append(sent, b); mu.Unlock() },
		Now:         func() time.Time { return clock },
	})
	done := make(chan error, 1)
	go func() {
		for i := 0; i < 5; i++ {
			clock = clock.Add(time.Minute)
			if _, err := p.Cycle(ctx); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("five cycles did not finish within 10 s while a webhook hung")
	}
	waitFor(t, 5*time.Second, "the first post", func() bool { return posts.Load() >= 1 })
	mu.Lock()
	defer mu.Unlock()
	fired := 0
	for _, b := range sent {
		fired += len(b.Alerts)
	}
	if fired != 3 || posts.Load() != 1 {
		t.Fatalf("%d alerts fired in %d batches, %d posts begun; want 3 fired and 1 post in flight", fired, len(sent), posts.Load())
	}
	// The delivery's health travels with the feeds'.
	hasWebhook := false
	for _, h := range sent[len(sent)-1].Health {
		hasWebhook = hasWebhook || (h.Feed == FeedWebhook && h.Kind == KindAlerts)
	}
	if !hasWebhook {
		t.Errorf("no webhook record in the batch's health: %+v", sent[len(sent)-1].Health)
	}
}

type stepQuotes struct {
	mu     sync.Mutex
	prices []float64
	i      int
}

func (s *stepQuotes) Name() string { return "stub" }
func (s *stepQuotes) Quotes(ctx context.Context, syms []model.Symbol) ([]model.Quote, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.prices[min(s.i, len(s.prices)-1)]
	s.i++
	at := t0.Add(time.Duration(s.i) * time.Second)
	return []model.Quote{{Symbol: "600111", Time: at, Last: p, PrevClose: 50, Open: 50, MainNet: model.Unknown}}, nil
}

func TestCommandArgvNoShell(t *testing.T) {
	var mu sync.Mutex
	var argvs [][]string
	r := rule(t, "600111 > 55", model.DeliverCommand)
	r.Command = []string{"notify-send", "--app-name=rareterm", "{title}", "{body}", "v={value} l={level}", "{time}"}
	e := New(Config{Rules: []model.AlertRule{r}, AlwaysOpen: true, Exec: func(ctx context.Context, argv []string) error {
		mu.Lock()
		argvs = append(argvs, argv)
		mu.Unlock()
		return nil
	}})
	e.Start(context.Background())
	b := quoteBatch(55.5, t0)
	b.Quotes[0].Name = "北方稀土; rm -rf ~ $(id) `x`\x1b[2J"
	e.Observe(&b)
	e.Close(5 * time.Second)
	if len(argvs) != 1 {
		t.Fatalf("argv %q", argvs)
	}
	a := argvs[0]
	if len(a) != 6 || a[0] != "notify-send" || a[1] != "--app-name=rareterm" ||
		a[2] != "600111 北方稀土; rm -rf ~ $(id) `x` price > 55.00" || !strings.HasPrefix(a[3], "600111 北方稀土; rm -rf ~ $(id) `x` price is 55.50 at 2026-12-04 10:00:00 CST") ||
		a[4] != "v=55.5 l=55" || a[5] != "2026-12-04T10:00:00+08:00" {
		t.Errorf("argv %q", a)
	}
	if h := e.Health(); len(h) != 1 || h[0].Feed != FeedCommand || h[0].State != model.FeedOK {
		t.Errorf("health %+v", h)
	}
}

// The real exec path: the test binary, run again as the command, writes
// the arguments it was given to a file.
func TestCommandRunsTheProgramWithArguments(t *testing.T) {
	if os.Getenv("RARETERM_ALERT_ARGS") != "" {
		return
	}
	out := filepath.Join(t.TempDir(), "args")
	t.Setenv("RARETERM_ALERT_ARGS", out)
	r := rule(t, "600111 > 55", model.DeliverCommand)
	r.Command = []string{os.Args[0], "-test.run=^TestHelperWriteArgs$", "--", "{title}", "$HOME *"}
	e := New(Config{Rules: []model.AlertRule{r}, AlwaysOpen: true})
	e.Start(context.Background())
	b := quoteBatch(55.5, t0)
	e.Observe(&b)
	if !e.Close(30 * time.Second) {
		t.Fatal("command not done")
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("the command did not run: %v (health %+v)", err, e.Health())
	}
	if got := strings.Split(string(raw), "\x00"); len(got) != 2 || got[0] != "600111 北方稀土 price > 55.00" || got[1] != "$HOME *" {
		t.Errorf("args %q", got)
	}
}

func TestHelperWriteArgs(t *testing.T) {
	out := os.Getenv("RARETERM_ALERT_ARGS")
	if out == "" {
		return
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	_ = os.WriteFile(out, []byte(strings.Join(args, "\x00")), 0o600)
	os.Exit(0)
}

func TestRulesNotFromTheConfigRunNothing(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	defer srv.Close()
	r := rule(t, "600111 > 55", model.DeliverWebhook, model.DeliverCommand)
	r.Webhook, r.Command, r.FromConfig = srv.URL, []string{"false"}, false
	ran := false
	e := New(Config{Rules: []model.AlertRule{r}, AlwaysOpen: true, Exec: func(context.Context, []string) error { ran = true; return nil }})
	e.Start(context.Background())
	b := quoteBatch(56, t0)
	e.Observe(&b)
	e.Close(5 * time.Second)
	if len(b.Alerts) != 1 || calls.Load() != 0 || ran {
		t.Fatalf("alerts %d, posts %d, command run %v", len(b.Alerts), calls.Load(), ran)
	}
	// :alert add makes status-and-bell rules.
	added, err := e.Add("600111 < 40")
	if err != nil || added.FromConfig || strings.Join(added.Deliver, ",") != "status,bell" {
		t.Fatalf("added %+v %v", added, err)
	}
	if got := len(e.Rules()); got != 2 {
		t.Fatalf("%d rules", got)
	}
	if _, err := e.Add("600111  <  40"); err == nil || !strings.Contains(err.Error(), "already rule 2") {
		t.Errorf("a rule added twice: %v", err)
	}
	if _, err := e.Remove(3); err == nil {
		t.Error("removed rule 3 of 2")
	}
	if rm, err := e.Remove(1); err != nil || rm.Text != "600111 > 55" || len(e.Rules()) != 1 {
		t.Errorf("remove 1: %+v %v", rm, err)
	}
}

func TestPanicInDeliveryIsRecovered(t *testing.T) {
	var where atomic.Value
	r := rule(t, "600111 > 55 cooldown=1ns hyst=0.1", model.DeliverCommand)
	r.Command = []string{"x"}
	var n atomic.Int32
	e := New(Config{Rules: []model.AlertRule{r}, AlwaysOpen: true,
		Exec:    func(context.Context, []string) error { n.Add(1); panic("boom") },
		OnPanic: func(w string, v any, stack []byte) { where.Store(w) }})
	e.Start(context.Background())
	for i, p := range []float64{56, 54, 56} {
		b := quoteBatch(p, t0.Add(time.Duration(i)*time.Minute))
		e.Observe(&b)
	}
	e.Close(5 * time.Second)
	if n.Load() != 2 || where.Load() != "alert delivery" {
		t.Fatalf("%d runs, panic at %v", n.Load(), where.Load())
	}
}

// BenchmarkObserve is the cost the rules add to each batch: 20 rules of
// every kind against a batch of 15 quotes.
func BenchmarkObserve(b *testing.B) {
	var rules []model.AlertRule
	for _, s := range []string{"600111 > 55", "600111 chg% beyond 5", "600111 open% < -3", "600111 flow > 1亿", "600111 limit_up",
		"600111 limit_open", "600111 margin% beyond 5", "000831 > 50", "000831 chg% > 3", "300748 limit_down", "BK0578 chg% > 3",
		"prnd_oxide chg% > 2", "prnd_oxide > 700000", "index > 1300", "index chg% beyond 1", "contract new", "feed:any down > 10",
		"06680 < 20", "600392 flow < -3000万", "600010 > 3"} {
		r, err := model.ParseAlertRule(s)
		if err != nil {
			b.Fatal(err)
		}
		rules = append(rules, r)
	}
	e := New(Config{Rules: rules, AlwaysOpen: true})
	codes := []string{"600111", "600010", "000831", "600392", "600259", "300748", "000970", "600549", "002645", "300631", "06680", "00769", "01208", "02600", "516150"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		at := t0.Add(time.Duration(i) * time.Second)
		batch := model.Batch{At: at}
		for j, c := range codes {
			batch.Quotes = append(batch.Quotes, model.Quote{Symbol: c, Time: at, Last: 50 + float64((i+j)%7)*0.1, PrevClose: 50, Open: 50, MainNet: 1e7})
		}
		e.Observe(&batch)
	}
}

// webhookSink is a webhook receiver that answers the first fails calls with
// 503 and keeps the bodies of the others, checking each is a JSON POST.
type webhookSink struct {
	srv   *httptest.Server
	calls atomic.Int32
	mu    sync.Mutex
	got   []WebhookBody
}

func newWebhookSink(t *testing.T, fails int32) *webhookSink {
	k := &webhookSink{}
	k.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k.calls.Add(1) <= fails {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			t.Errorf("request %s %s", r.Method, r.Header.Get("Content-Type"))
		}
		var b WebhookBody
		raw, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(raw, &b); err != nil {
			t.Errorf("body %q: %v", raw, err)
		}
		k.mu.Lock()
		k.got = append(k.got, b)
		k.mu.Unlock()
	}))
	return k
}

// posts are the bodies received so far.
func (k *webhookSink) posts() []WebhookBody {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]WebhookBody(nil), k.got...)
}

// An engine started without rules holds no copy of the market and
// evaluates nothing; the copy it is given with the first rule is brought up
// to date with the batches it saw after it.
func TestAnEngineWithoutRulesIsSeededWithTheScreensMarket(t *testing.T) {
	d0, d1, d2 := model.Date(2026, 12, 2), model.Date(2026, 12, 3), model.Date(2026, 12, 4)
	margin := func(seq uint64, d time.Time, bal float64) model.Batch {
		return model.Batch{Seq: seq, At: d.Add(16 * time.Hour), Margin: []model.MarginDay{{Symbol: "600111", Date: d, FinBalance: bal}}}
	}
	e := New(Config{Unseeded: true, AlwaysOpen: true, Snapshot: model.NewSnapshot()})
	if e.Seeded() {
		t.Fatal("an engine without rules is seeded")
	}
	// The screen holds the market through batch 1 (the cache and d0's
	// balance); the engine sees batches 1 and 2 (d1's) before the screen
	// applies batch 2.
	screen := model.NewSnapshot()
	b1, b2 := margin(1, d0, 100e8), margin(2, d1, 110e8)
	screen.Apply(b1)
	e.Observe(&b1)
	e.Observe(&b2)
	e.Seed(screen.Clone(), 1)
	if !e.Seeded() {
		t.Fatal("not seeded")
	}
	if _, err := e.Add("600111 margin% > 5"); err != nil {
		t.Fatal(err)
	}
	// d2's balance is 2.7% over d1's: no alert. Had the engine missed
	// batch 2, it would compare with d0's (+13%) and fire.
	b3 := margin(3, d2, 113e8)
	e.Observe(&b3)
	if len(b3.Alerts) != 0 {
		t.Fatalf("fired %v: the day before was not d1", b3.Alerts[0].Body)
	}
	b4 := margin(4, d2, 118e8) // d2 corrected: +7.3% on d1
	e.Observe(&b4)
	if len(b4.Alerts) != 1 {
		t.Fatalf("%d alerts for +7.3%% on the day before, want 1", len(b4.Alerts))
	}
	// Seeding again changes nothing.
	e.Seed(model.NewSnapshot(), 0)
	if st := e.States(); len(st) != 1 || st[0].Fired != 1 {
		t.Errorf("states after a second seed: %+v", st)
	}
}

// An engine with rules holds its copy from the start; one without, given
// a rule without a seed (a caller with no screen), evaluates batches from
// then on.
func TestAnEngineWithRulesIsSeededFromTheStart(t *testing.T) {
	if e := New(Config{Unseeded: true, Rules: []model.AlertRule{rule(t, "600111 > 55")}, AlwaysOpen: true}); !e.Seeded() {
		t.Error("an engine with a rule is not seeded")
	}
	e := New(Config{Unseeded: true, AlwaysOpen: true})
	old := quoteBatch(56, t0)
	e.Observe(&old)
	if _, err := e.Add("600111 > 55"); err != nil || !e.Seeded() {
		t.Fatalf("add: %v, seeded %v", err, e.Seeded())
	}
	b := quoteBatch(57, t0.Add(time.Minute))
	e.Observe(&b)
	if len(b.Alerts) != 1 {
		t.Errorf("%d alerts, want 1", len(b.Alerts))
	}
}
