package model

import (
	"strings"
	"testing"
	"time"
)

func mustRule(t *testing.T, s string) AlertRule {
	t.Helper()
	r, err := ParseAlertRule(s)
	if err != nil {
		t.Fatalf("ParseAlertRule(%q): %v", s, err)
	}
	return r
}

func TestParseAlertRule(t *testing.T) {
	cases := []struct {
		in     string
		target AlertTarget
		code   string
		metric AlertMetric
		op     AlertOp
		value  float64
	}{
		{"600111 > 55", TargetStock, "600111", MetricPrice, OpGT, 55},
		{"600111>55", TargetStock, "600111", MetricPrice, OpGT, 55},
		{"sh600111 price >= 55.5", TargetStock, "600111", MetricPrice, OpGE, 55.5},
		{"prnd_oxide chg% > 2", TargetElement, "prnd_oxide", MetricChg, OpGT, 2},
		{"氧化镨钕 < 600000", TargetElement, "prnd_oxide", MetricPrice, OpLT, 600000},
		{"index > 1300", TargetIndex, "index", MetricPrice, OpGT, 1300},
		{"index chg% beyond 1.5", TargetIndex, "index", MetricChg, OpBeyond, 1.5},
		{"600111 open% < -3", TargetStock, "600111", MetricOpen, OpLT, -3},
		{"600111 flow > 1.2亿", TargetStock, "600111", MetricFlow, OpGT, 1.2e8},
		{"000831 flow < -3000万", TargetStock, "000831", MetricFlow, OpLT, -3e7},
		{"600111 margin% beyond 5", TargetStock, "600111", MetricMargin, OpBeyond, 5},
		{"600111 margin_ytd% > 20", TargetStock, "600111", MetricMarginYTD, OpGT, 20},
		{"600111 limit_up", TargetStock, "600111", MetricLimitUp, "", 0},
		{"300748 limit_down", TargetStock, "300748", MetricLimitDown, "", 0},
		{"600111 炸板", TargetStock, "600111", MetricLimitOpen, "", 0},
		{"contract new", TargetContract, "contract", MetricNew, "", 0},
		{"contract", TargetContract, "contract", MetricNew, "", 0},
		{"feed:eastmoney down > 10", TargetFeed, "eastmoney", MetricDown, OpGT, 10},
		{"feed:any > 5", TargetFeed, "any", MetricDown, OpGT, 5},
		{"BK0578 chg% > 3", TargetBoard, "BK0578", MetricChg, OpGT, 3},
		{"06680 < 20", TargetStock, "06680", MetricPrice, OpLT, 20},
	}
	for _, c := range cases {
		r, err := ParseAlertRule(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if r.Target != c.target || r.Code != c.code || r.Metric != c.metric || r.Op != c.op || r.Value != c.value {
			t.Errorf("%q = %+v", c.in, r)
		}
	}
	r := mustRule(t, "600111 > 55 hyst=0.3 cooldown=5m session=any")
	if r.Hysteresis() != 0.3 || r.Cooldown() != 5*time.Minute || !r.AnyTime || r.Session() {
		t.Errorf("options: %+v", r)
	}
	if d := mustRule(t, "600111 > 50").Hysteresis(); !near(d, 0.25, 1e-12) {
		t.Errorf("default price hysteresis = %g, want 0.5%% of 50", d)
	}
	for in, want := range map[string]string{
		"":                      "empty rule",
		"600111":                "want OP VALUE",
		"600111 > abc":          "want a number",
		"600111 volume > 5":     "metric \"volume\"",
		"600111 limit_up > 3":   "event",
		"nothing > 5":           "target \"nothing\"",
		"600111 > 55 hyst=-1":   "hyst",
		"600111 > 55 foo=bar":   "option",
		"600111 > 55 session=x": "session",
		"feed: down > 5":        "name the feed",
		"600111 > 5 5":          "want OP VALUE",
		"prnd_oxide flow > 5":   "takes price, chg%",
		"600111 > \x1b[31m55":   "control",
	} {
		_, err := ParseAlertRule(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to mention %q", in, err, want)
		}
	}
}

func FuzzParseAlertRule(f *testing.F) {
	for _, s := range []string{"600111 > 55", "prnd_oxide chg% > 2", "feed:any down > 5 cooldown=1m", "contract new", "600111 flow < -1.2亿 hyst=1000万", ">><<==", "index chg% beyond 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseAlertRule(s)
		if err != nil {
			return
		}
		if HasControl(r.Text) {
			t.Fatalf("rule text %q holds control characters", r.Text)
		}
		if !r.Event() && !Known(r.Value) {
			t.Fatalf("rule %q has value %v", s, r.Value)
		}
		r2, err := ParseAlertRule(r.Text)
		if err != nil || r2.Key() != r.Key() {
			t.Fatalf("re-parse of %q: %v %+v", r.Text, err, r2)
		}
	})
}

// open is a Friday in the A-share morning session.
var (
	aOpen    = time.Date(2026, 12, 4, 10, 0, 0, 0, CST)
	aNight   = time.Date(2026, 12, 4, 20, 0, 0, 0, CST)
	aWeekend = time.Date(2026, 12, 5, 10, 0, 0, 0, CST)
)

func quoteBatch(code string, last, prev float64, at time.Time) Batch {
	return Batch{At: at, Quotes: []Quote{{Symbol: code, Name: "北方稀土", Time: at, Last: last, PrevClose: prev, Open: prev, MainNet: Unknown, Source: "test"}}}
}

func TestAlertPriceCrossingHysteresisCooldown(t *testing.T) {
	r := mustRule(t, "600111 > 55 hyst=0.5 cooldown=2m")
	e := NewAlertEvaluator([]AlertRule{r}, Snapshot{}, IndexSpec{}, false)
	at := aOpen
	step := func(last float64) int {
		at = at.Add(5 * time.Second)
		return len(e.Evaluate(quoteBatch("600111", last, 54, at), at))
	}
	seq := []struct {
		last float64
		fire int
		why  string
	}{
		{54.0, 0, "below the level"},
		{55.0, 0, "at the level (> is strict)"},
		{55.2, 1, "crossed"},
		{55.4, 0, "still above: fired once"},
		{54.8, 0, "back under the level but within the hysteresis"},
		{55.3, 0, "not re-armed: no second firing"},
		{54.5, 0, "back by the hysteresis: re-armed"},
		{55.1, 0, "re-armed but within the 2 m cooldown"},
	}
	for i, s := range seq {
		if got := step(s.last); got != s.fire {
			t.Fatalf("step %d (%.2f, %s): %d alerts, want %d", i, s.last, s.why, got, s.fire)
		}
	}
	st := e.States()[0]
	if !st.Armed || st.Fired != 1 {
		t.Fatalf("state %+v: want armed, fired once", st)
	}
	// Cooldown passes while it holds: it fires.
	at = at.Add(2 * time.Minute)
	if got := step(55.2); got != 1 {
		t.Fatalf("after the cooldown: %d alerts, want 1", got)
	}
	if st := e.States()[0]; st.Armed || !near(st.RearmBelow, 54.5, 1e-9) || !st.CoolUntil.Equal(at.Add(2*time.Minute)) {
		t.Fatalf("state after firing: %+v", st)
	}
}

func TestAlertFiresOnceWhenAlreadyTrue(t *testing.T) {
	e := NewAlertEvaluator([]AlertRule{mustRule(t, "600111 > 50")}, Snapshot{}, IndexSpec{}, false)
	for i := 0; i < 5; i++ {
		at := aOpen.Add(time.Duration(i) * time.Minute * 3)
		n := len(e.Evaluate(quoteBatch("600111", 56, 54, at), at))
		if want := map[bool]int{true: 1, false: 0}[i == 0]; n != want {
			t.Fatalf("evaluation %d: %d alerts, want %d", i, n, want)
		}
	}
}

func TestAlertTradingPhases(t *testing.T) {
	trading := mustRule(t, "600111 > 50")
	anyTime := mustRule(t, "600111 > 50 session=any")
	for _, c := range []struct {
		at         time.Time
		alwaysOpen bool
		want       []string
	}{
		{aOpen, false, []string{trading.Text, anyTime.Text}},
		{aNight, false, []string{anyTime.Text}},
		{aWeekend, false, []string{anyTime.Text}},
		{time.Date(2026, 12, 4, 12, 0, 0, 0, CST), false, []string{anyTime.Text}}, // lunch
		{aWeekend, true, []string{trading.Text, anyTime.Text}},                    // the demo market always trades
	} {
		e := NewAlertEvaluator([]AlertRule{trading, anyTime}, Snapshot{}, IndexSpec{}, c.alwaysOpen)
		var got []string
		for _, ev := range e.Evaluate(quoteBatch("600111", 56, 54, c.at), c.at) {
			got = append(got, ev.Rule)
		}
		if strings.Join(got, ";") != strings.Join(c.want, ";") {
			t.Errorf("%v alwaysOpen=%v: fired %q, want %q", c.at, c.alwaysOpen, got, c.want)
		}
	}
	// An element rule is no price rule on a market: it fires at night.
	e := NewAlertEvaluator([]AlertRule{mustRule(t, "prnd_oxide > 600000")}, Snapshot{}, IndexSpec{}, false)
	b := Batch{Elements: []ElementPrice{{Element: PrNdOxide, Date: Day(aNight), Price: 610000, Source: "t"}}}
	if n := len(e.Evaluate(b, aNight)); n != 1 {
		t.Errorf("element rule at night: %d alerts, want 1", n)
	}
}

func TestAlertKinds(t *testing.T) {
	d0, d1 := Date(2026, 12, 3), Date(2026, 12, 4)
	snap := NewSnapshot()
	snap.Elements[PrNdOxide] = Series{{Element: PrNdOxide, Date: d0, Price: 600000, Source: "t"}}
	snap.Margin["600111"] = []MarginDay{
		{Symbol: "600111", Date: Date(2025, 12, 31), FinBalance: 100e8},
		{Symbol: "600111", Date: d0, FinBalance: 110e8},
	}
	rules := []AlertRule{
		mustRule(t, "prnd_oxide chg% > 2"),
		mustRule(t, "600111 margin% > 5"),
		mustRule(t, "600111 margin_ytd% > 20"),
		mustRule(t, "600111 flow > 1亿"),
		mustRule(t, "600111 chg% beyond 5"),
		mustRule(t, "600111 open% < -3"),
		mustRule(t, "BK0578 chg% > 3"),
		mustRule(t, "index chg% beyond 1"),
	}
	e := NewAlertEvaluator(rules, snap, IndexSpec{}, true)
	b := Batch{
		Elements: []ElementPrice{{Element: PrNdOxide, Date: d1, Price: 615000, Source: "t"}},                        // +2.5%
		Margin:   []MarginDay{{Symbol: "600111", Date: d1, FinBalance: 121e8}},                                      // +10% day, +21% ytd
		Quotes:   []Quote{{Symbol: "600111", Time: aOpen, Last: 47, PrevClose: 50, Open: 49, MainNet: 1.5e8}},       // -6%, -4.08% since open
		Boards:   []BoardMove{{Code: "BK0578", Name: "稀土永磁", Time: aOpen, Level: 1000, ChangePct: 3.2, MainNet: 1}}, // +3.2%
	}
	got := map[string]AlertEvent{}
	for _, ev := range e.Evaluate(b, aOpen) {
		got[ev.Rule] = ev
	}
	for _, r := range rules {
		if r.Target == TargetIndex {
			continue
		}
		if _, ok := got[r.Text]; !ok {
			t.Errorf("%q did not fire (fired: %v)", r.Text, got)
		}
	}
	if ev := got["prnd_oxide chg% > 2"]; !near(ev.Value, 2.5, 1e-9) || !strings.Contains(ev.Title, "PrNd oxide chg% > +2.00%") {
		t.Errorf("element event %+v", ev)
	}
	if ev := got["600111 margin_ytd% > 20"]; !near(ev.Value, 21, 1e-9) {
		t.Errorf("margin ytd %+v", ev)
	}
	// The index: two days of the basket, +10% on PrNd oxide moves it by 0.4×10% = 4%.
	snap2 := NewSnapshot()
	for _, id := range []ElementID{LaOxide, CeOxide, PrOxide, NdOxide, PrNdOxide} {
		snap2.Elements[id] = Series{{Element: id, Date: Date(2025, 1, 2), Price: 100000, Source: "t"}}
	}
	e2 := NewAlertEvaluator([]AlertRule{mustRule(t, "index chg% beyond 1"), mustRule(t, "index > 1030")}, snap2, IndexSpec{}, true)
	evs := e2.Evaluate(Batch{Elements: []ElementPrice{{Element: PrNdOxide, Date: Date(2025, 1, 3), Price: 110000, Source: "t"}}}, aOpen)
	if len(evs) != 2 || !near(evs[0].Value, 4, 1e-9) || !near(evs[1].Value, 1040, 1e-9) {
		t.Errorf("index events %+v", evs)
	}
}

func TestAlertLimitAndLimitOpen(t *testing.T) {
	e := NewAlertEvaluator([]AlertRule{mustRule(t, "600111 limit_up"), mustRule(t, "600111 limit_open"), mustRule(t, "600111 limit_down")}, Snapshot{}, IndexSpec{}, false)
	at := aOpen
	step := func(last float64) []string {
		at = at.Add(time.Minute)
		var out []string
		for _, ev := range e.Evaluate(quoteBatch("600111", last, 50, at), at) {
			out = append(out, ev.Rule)
		}
		return out
	}
	for i, s := range []struct {
		last float64
		want string
	}{
		{54, ""},
		{55, "600111 limit_up"},     // 50 × 1.10
		{55, ""},                    // still sealed
		{54.9, "600111 limit_open"}, // 炸板
		{54.8, ""},                  // opened once
		{55, "600111 limit_up"},     // sealed again
		{54.5, "600111 limit_open"}, // and opened again
		{45, "600111 limit_down"},   // 50 × 0.90
	} {
		if got := strings.Join(step(s.last), ";"); got != s.want {
			t.Fatalf("step %d (%.2f): fired %q, want %q", i, s.last, got, s.want)
		}
	}
}

func TestAlertFeedDown(t *testing.T) {
	e := NewAlertEvaluator([]AlertRule{mustRule(t, "feed:eastmoney down > 10")}, Snapshot{}, IndexSpec{}, false)
	since := aNight
	h := func(state FeedState) Batch {
		fs := FeedHealth{Feed: "eastmoney", Kind: "quotes", State: state}
		if state == FeedFailing {
			fs.FailingSince = since
		}
		return Batch{Health: []FeedHealth{fs, {Feed: "sina", Kind: "quotes", State: FeedFailing, FailingSince: since.Add(-time.Hour)}}}
	}
	if n := len(e.Evaluate(h(FeedFailing), since.Add(9*time.Minute))); n != 0 {
		t.Fatalf("9 min: %d alerts", n)
	}
	evs := e.Evaluate(h(FeedFailing), since.Add(11*time.Minute))
	if len(evs) != 1 || !strings.Contains(evs[0].Title, "feed eastmoney failing 11 min") {
		t.Fatalf("11 min: %+v", evs)
	}
	if n := len(e.Evaluate(h(FeedFailing), since.Add(30*time.Minute))); n != 0 {
		t.Fatalf("still failing: %d alerts, want none", n)
	}
	e.Evaluate(h(FeedOK), since.Add(31*time.Minute)) // recovered: re-armed
	since = since.Add(40 * time.Minute)
	if n := len(e.Evaluate(h(FeedFailing), since.Add(12*time.Minute))); n != 1 {
		t.Fatalf("failing again: %d alerts, want 1", n)
	}
}

func TestAlertNewContractQuarterAgainstEstimate(t *testing.T) {
	snap := NewSnapshot()
	snap.Contract, snap.Elements[PrNdOxide] = estimateFixture(6)
	e := NewAlertEvaluator([]AlertRule{mustRule(t, "contract new")}, snap, IndexSpec{}, false)
	// A batch that repeats a known quarter fires nothing.
	if evs := e.Evaluate(Batch{Contract: []ContractQuarter{snap.Contract[5]}}, aNight); len(evs) != 0 {
		t.Fatalf("known quarter: %+v", evs)
	}
	// The next quarter, announced: its prices (2025Q3 at 52 万元/吨) give
	// the estimate 6671.43 + 282.857×52 = 21,380 ±(LOO RMSE).
	next := ContractQuarter{Quarter: Quarter{2025, 4}, Price: 21600, BasisREO: 50, Source: "notice 临2025-050"}
	evs := e.Evaluate(Batch{Contract: []ContractQuarter{next}}, aNight)
	if len(evs) != 1 {
		t.Fatalf("new quarter: %d alerts", len(evs))
	}
	ev := evs[0]
	if !strings.Contains(ev.Title, "contract 2025Q4 announced: 21,600 元/吨") ||
		!strings.Contains(ev.Body, "+1.0% against the estimate 21,380") || !strings.Contains(ev.Body, "notice 临2025-050") {
		t.Errorf("event %+v", ev)
	}
	// And only once.
	if evs := e.Evaluate(Batch{Contract: []ContractQuarter{next}}, aNight.Add(time.Hour)); len(evs) != 0 {
		t.Errorf("announced twice: %+v", evs)
	}
}

func TestAlertEventsAreSanitised(t *testing.T) {
	e := NewAlertEvaluator([]AlertRule{mustRule(t, "600111 > 50")}, Snapshot{}, IndexSpec{}, true)
	b := quoteBatch("600111", 56, 54, aOpen)
	b.Quotes[0].Name = "北方\x1b]9;pwn\x07稀土"
	evs := e.Evaluate(b, aOpen)
	if len(evs) != 1 || HasControl(evs[0].Title) || HasControl(evs[0].Body) {
		t.Fatalf("events %+v", evs)
	}
}

func TestSnapshotCloneSharesNothing(t *testing.T) {
	s := NewSnapshot()
	s.Elements[PrNdOxide] = Series{{Element: PrNdOxide, Date: Date(2026, 1, 1), Price: 1}}
	s.Contract = []ContractQuarter{{Quarter: Quarter{2026, 1}, Price: 1}}
	s.Margin["600111"] = []MarginDay{{Symbol: "600111", FinBalance: 1}}
	c := s.Clone()
	c.Apply(Batch{
		Elements: []ElementPrice{{Element: PrNdOxide, Date: Date(2026, 1, 2), Price: 2}},
		Contract: []ContractQuarter{{Quarter: Quarter{2026, 1}, Price: 2}},
		Margin:   []MarginDay{{Symbol: "600111", Date: Date(2026, 1, 2), FinBalance: 2}},
		Quotes:   []Quote{{Symbol: "600111", Last: 1}},
	})
	c.Elements[PrNdOxide][0].Price = 9
	if len(s.Elements[PrNdOxide]) != 1 || s.Elements[PrNdOxide][0].Price != 1 || s.Contract[0].Price != 1 || len(s.Margin["600111"]) != 1 || len(s.Quotes) != 0 {
		t.Errorf("the original changed: %+v", s)
	}
}
