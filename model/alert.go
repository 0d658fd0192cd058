package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rareterm/rareterm/i18n"
)

// Alert rules share one small grammar, in the config file and on the
// command line:
//
//	TARGET [METRIC] OP VALUE [hyst=X] [cooldown=D] [session=any]
//	TARGET EVENT [cooldown=D] [session=any]
//
// TARGET is a stock, ETF or HK code (600111, hk06680), a board (BK0578), an
// element (prnd_oxide, 氧化镨钕), "index" (the local price index),
// "contract" or feed:NAME (feed:eastmoney, feed:any). OP is one of > >= <
// <=, or "beyond" (the absolute value above VALUE: a move either way).
// VALUE may carry 万 or 亿 (flows) and a trailing %.

// AlertTarget is what a rule watches.
type AlertTarget int

const (
	TargetStock    AlertTarget = iota + 1 // a quote: A-share, ETF or HK
	TargetBoard                           // an Eastmoney board
	TargetElement                         // an element price
	TargetIndex                           // the local price index
	TargetContract                        // the concentrate contract
	TargetFeed                            // a feed's health
)

// AlertMetric is the figure a rule compares, or the event it waits for.
type AlertMetric string

const (
	MetricPrice     AlertMetric = "price"       // last price; element price; index level; board level
	MetricChg       AlertMetric = "chg%"        // day change %
	MetricOpen      AlertMetric = "open%"       // change % since the open
	MetricFlow      AlertMetric = "flow"        // main-force net inflow, yuan
	MetricMargin    AlertMetric = "margin%"     // financing balance, change % on the day before
	MetricMarginYTD AlertMetric = "margin_ytd%" // financing balance, change % since the year start
	MetricLimitUp   AlertMetric = "limit_up"    // event: at the daily limit up
	MetricLimitDown AlertMetric = "limit_down"  // event: at the daily limit down
	MetricLimitOpen AlertMetric = "limit_open"  // event: a limit-up opens again (炸板)
	MetricNew       AlertMetric = "new"         // event: a new contract quarter is announced
	MetricDown      AlertMetric = "down"        // a feed failing for longer than VALUE minutes
)

// event metrics take no OP VALUE.
func (m AlertMetric) event() bool {
	return m == MetricLimitUp || m == MetricLimitDown || m == MetricLimitOpen || m == MetricNew
}

// AlertOp compares a metric with the rule's value.
type AlertOp string

const (
	OpGT     AlertOp = ">"
	OpGE     AlertOp = ">="
	OpLT     AlertOp = "<"
	OpLE     AlertOp = "<="
	OpBeyond AlertOp = "beyond" // |x| > value
)

// Deliveries a rule may ask for.
const (
	DeliverStatus  = "status"  // the status bar (always, on screen)
	DeliverBell    = "bell"    // the terminal bell
	DeliverDesktop = "desktop" // OSC 9 / OSC 777 desktop notification
	DeliverCommand = "command" // run the rule's command (config file only)
	DeliverWebhook = "webhook" // POST to the rule's webhook (config file only)
)

// AlertRule is one parsed rule.
type AlertRule struct {
	Text    string // as written, sanitised
	Target  AlertTarget
	Code    string // stock or board code, element id, feed name ("any")
	Metric  AlertMetric
	Op      AlertOp
	Value   float64
	Hyst    float64       // re-arm margin in the metric's units; NaN: the default
	Cool    time.Duration // minimum time between two firings
	AnyTime bool          // session = "any": also outside trading hours

	Deliver []string // DeliverStatus … (status is implied)
	Command []string // argv with {title} {body} {rule} {value} {level} {time} placeholders
	Webhook string
	// FromConfig marks a rule read from the config file: only those may run
	// commands or post to webhooks.
	FromConfig bool
}

// DefaultCooldown is a rule's cooldown when it names none.
const DefaultCooldown = time.Minute

// Key identifies a rule across reloads: its text, where it came from and
// how it is delivered.
func (r AlertRule) Key() string {
	return fmt.Sprintf("%s|%v|%v|%v|%s", r.Text, r.FromConfig, r.Deliver, r.Command, r.Webhook)
}

// Hysteresis is the margin the value must move back past the level before
// the rule re-arms: the rule's own, else 0.5% of the level for prices and
// levels, 0.5 percentage points for changes, 10% of the level for flows.
func (r AlertRule) Hysteresis() float64 {
	if Known(r.Hyst) && r.Hyst >= 0 {
		return r.Hyst
	}
	switch r.Metric {
	case MetricPrice:
		return math.Abs(r.Value) * 0.005
	case MetricChg, MetricOpen, MetricMargin, MetricMarginYTD:
		return 0.5
	case MetricFlow:
		return math.Abs(r.Value) * 0.1
	}
	return 0
}

// Cooldown is the rule's cooldown, DefaultCooldown when unset.
func (r AlertRule) Cooldown() time.Duration {
	if r.Cool > 0 {
		return r.Cool
	}
	return DefaultCooldown
}

// Event reports whether the rule waits for an event rather than a level.
func (r AlertRule) Event() bool { return r.Metric.event() }

// Session reports whether the rule follows a market's trading hours: price
// rules on stocks and boards do, unless session = "any".
func (r AlertRule) Session() bool {
	return !r.AnyTime && (r.Target == TargetStock || r.Target == TargetBoard) &&
		r.Metric != MetricMargin && r.Metric != MetricMarginYTD
}

// TargetName is the target as the rule names it, for titles.
func (r AlertRule) TargetName() string { return r.targetName(i18n.EN) }

// targetName is TargetName in l.
func (r AlertRule) targetName(l i18n.Lang) string {
	switch r.Target {
	case TargetElement:
		if e, ok := Element(ElementID(r.Code)); ok {
			return i18n.Pick(l, e.Short, e.Zh)
		}
		return ElementName(ElementID(r.Code))
	case TargetIndex:
		return i18n.IndexTitle.In(l)
	case TargetContract:
		return i18n.AlertContract.In(l)
	case TargetFeed:
		return i18n.AlertFeed.F(l, r.Code)
	}
	return r.Code
}

// In is the metric's name in l: as the rule writes it in English.
func (m AlertMetric) In(l i18n.Lang) string {
	if t, ok := metricText[m]; ok {
		return t.In(l)
	}
	return string(m)
}

var metricText = map[AlertMetric]i18n.Text{
	MetricPrice: i18n.WordPrice, MetricChg: i18n.WordChgPct, MetricOpen: i18n.AlertMetricOpen, MetricFlow: i18n.AlertMetricFlow,
	MetricMargin: i18n.AlertMetricMargin, MetricMarginYTD: i18n.AlertMetricMarginYTD,
}

var metricsFor = map[AlertTarget][]AlertMetric{
	TargetStock:    {MetricPrice, MetricChg, MetricOpen, MetricFlow, MetricMargin, MetricMarginYTD, MetricLimitUp, MetricLimitDown, MetricLimitOpen},
	TargetBoard:    {MetricPrice, MetricChg, MetricFlow},
	TargetElement:  {MetricPrice, MetricChg},
	TargetIndex:    {MetricPrice, MetricChg},
	TargetContract: {MetricNew},
	TargetFeed:     {MetricDown},
}

var defaultMetric = map[AlertTarget]AlertMetric{
	TargetStock: MetricPrice, TargetBoard: MetricPrice, TargetElement: MetricPrice, TargetIndex: MetricPrice,
	TargetContract: MetricNew, TargetFeed: MetricDown,
}

var metricAliases = map[string]AlertMetric{
	"price": MetricPrice, "last": MetricPrice, "level": MetricPrice,
	"chg%": MetricChg, "chg": MetricChg, "day%": MetricChg, "change%": MetricChg,
	"open%": MetricOpen,
	"flow":  MetricFlow, "main": MetricFlow,
	"margin%": MetricMargin, "margin_ytd%": MetricMarginYTD, "ytd_margin%": MetricMarginYTD,
	"limit_up": MetricLimitUp, "limitup": MetricLimitUp, "涨停": MetricLimitUp,
	"limit_down": MetricLimitDown, "limitdown": MetricLimitDown, "跌停": MetricLimitDown,
	"limit_open": MetricLimitOpen, "炸板": MetricLimitOpen,
	"new":  MetricNew,
	"down": MetricDown, "failing": MetricDown,
}

// ParseAlertRule parses one rule. The error says what is wrong and what
// would be right; the caller adds where the rule came from (the line).
func ParseAlertRule(text string) (AlertRule, error) {
	clean := Sanitize(text)
	if clean != strings.TrimSpace(text) && HasControl(text) {
		return AlertRule{}, i18n.Errorf(i18n.ParseRuleControl)
	}
	toks := splitRule(clean)
	if len(toks) == 0 {
		return AlertRule{}, i18n.Errorf(i18n.ParseRuleEmpty)
	}
	r := AlertRule{Text: clean, Hyst: math.NaN()}
	// Options at the end: hyst=X cooldown=D session=any.
	for len(toks) > 0 {
		last := toks[len(toks)-1]
		k, v, ok := strings.Cut(last, "=")
		if !ok {
			break
		}
		switch strings.ToLower(k) {
		case "hyst", "hysteresis":
			f, err := parseAlertValue(v)
			if err != nil || f < 0 {
				return AlertRule{}, i18n.Errorf(i18n.ParseRuleHyst, v)
			}
			r.Hyst = f
		case "cooldown":
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return AlertRule{}, i18n.Errorf(i18n.ParseRuleCooldown, v)
			}
			r.Cool = d
		case "session":
			switch strings.ToLower(v) {
			case "any":
				r.AnyTime = true
			case "trading", "market":
			default:
				return AlertRule{}, i18n.Errorf(i18n.ParseRuleSession, v)
			}
		default:
			return AlertRule{}, i18n.Errorf(i18n.ParseRuleOption, k)
		}
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 0 {
		return AlertRule{}, i18n.Errorf(i18n.ParseRuleNoTarget)
	}
	if err := r.parseTarget(toks[0]); err != nil {
		return AlertRule{}, err
	}
	toks = toks[1:]
	r.Metric = defaultMetric[r.Target]
	if len(toks) > 0 && !isOp(toks[0]) {
		m, ok := metricAliases[strings.ToLower(toks[0])]
		if !ok || !hasMetric(r.Target, m) {
			return AlertRule{}, i18n.Errorf(i18n.ParseRuleMetric, toks[0], r.TargetName(), metricList(r.Target))
		}
		r.Metric = m
		toks = toks[1:]
	}
	if r.Metric.event() {
		if len(toks) > 0 {
			return AlertRule{}, i18n.Errorf(i18n.ParseRuleEvent, r.Metric, strings.Join(toks, " "))
		}
		return r, nil
	}
	if len(toks) != 2 || !isOp(toks[0]) {
		return AlertRule{}, i18n.Errorf(i18n.ParseRuleWantOp,
			r.TargetName(), r.Metric, r.Code, r.Metric, exampleValue(r.Metric))
	}
	r.Op = AlertOp(strings.ToLower(toks[0]))
	v, err := parseAlertValue(toks[1])
	if err != nil {
		return AlertRule{}, i18n.Errorf(i18n.ParseRuleValue, toks[1], err)
	}
	r.Value = v
	if r.Metric == MetricPrice && r.Target != TargetIndex && v <= 0 && r.Op != OpBeyond {
		if r.Op == OpGT || r.Op == OpGE {
			// a price above 0 is always true: allowed, if pointless
		} else {
			return AlertRule{}, i18n.Errorf(i18n.ParseRulePricePositive, toks[1])
		}
	}
	if r.Metric == MetricDown && v < 0 {
		return AlertRule{}, i18n.Errorf(i18n.ParseRuleMinutes, toks[1])
	}
	return r, nil
}

func (r *AlertRule) parseTarget(t string) error {
	low := strings.ToLower(t)
	switch {
	case low == "index":
		r.Target, r.Code = TargetIndex, "index"
		return nil
	case low == "contract":
		r.Target, r.Code = TargetContract, "contract"
		return nil
	case strings.HasPrefix(low, "feed:"):
		name := strings.TrimSpace(t[5:])
		if name == "" {
			return i18n.Errorf(i18n.ParseRuleFeed, t)
		}
		r.Target, r.Code = TargetFeed, name
		return nil
	}
	if id, ok := LookupElement(t); ok {
		r.Target, r.Code = TargetElement, string(id)
		return nil
	}
	sym, err := ParseSymbol(t)
	if err != nil {
		return i18n.Errorf(i18n.ParseRuleTarget, t)
	}
	if sym.Market == MarketBoard {
		r.Target = TargetBoard
	} else {
		r.Target = TargetStock
	}
	r.Code = sym.Code
	return nil
}

// splitRule splits on spaces and also around operators written without
// them ("600111>55").
func splitRule(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		if strings.Contains(f, "=") && !strings.HasPrefix(f, ">=") && !strings.HasPrefix(f, "<=") && !strings.ContainsAny(f, "<>") {
			out = append(out, f) // an option: k=v
			continue
		}
		for f != "" {
			i := strings.IndexAny(f, "<>")
			if i < 0 {
				out = append(out, f)
				break
			}
			if i > 0 {
				out = append(out, f[:i])
			}
			n := 1
			if i+1 < len(f) && f[i+1] == '=' {
				n = 2
			}
			out = append(out, f[i:i+n])
			f = f[i+n:]
		}
	}
	return out
}

func isOp(t string) bool {
	switch AlertOp(strings.ToLower(t)) {
	case OpGT, OpGE, OpLT, OpLE, OpBeyond:
		return true
	}
	return false
}

func hasMetric(t AlertTarget, m AlertMetric) bool {
	for _, x := range metricsFor[t] {
		if x == m {
			return true
		}
	}
	return false
}

func metricList(t AlertTarget) string {
	var s []string
	for _, m := range metricsFor[t] {
		s = append(s, string(m))
	}
	return strings.Join(s, ", ")
}

func exampleValue(m AlertMetric) string {
	switch m {
	case MetricChg, MetricOpen, MetricMargin, MetricMarginYTD:
		return "2"
	case MetricFlow:
		return "1亿"
	case MetricDown:
		return "10"
	}
	return "55"
}

// parseAlertValue reads a number with an optional 万/亿 multiplier or %.
func parseAlertValue(s string) (float64, error) {
	t := strings.TrimSuffix(strings.ReplaceAll(s, ",", ""), "%")
	mult := 1.0
	switch {
	case strings.HasSuffix(t, "亿"):
		t, mult = strings.TrimSuffix(t, "亿"), 1e8
	case strings.HasSuffix(t, "万"):
		t, mult = strings.TrimSuffix(t, "万"), 1e4
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || !Known(v) || math.Abs(v) > 1e15 {
		return 0, i18n.Errorf(i18n.ParseRuleNumber)
	}
	return v * mult, nil
}

// Holds reports whether the condition holds for x.
func (r AlertRule) Holds(x float64) bool {
	if !Known(x) {
		return false
	}
	switch r.Op {
	case OpGT:
		return x > r.Value
	case OpGE:
		return x >= r.Value
	case OpLT:
		return x < r.Value
	case OpLE:
		return x <= r.Value
	case OpBeyond:
		return math.Abs(x) > r.Value
	}
	return false
}

// Rearms reports whether x has moved back past the level by the
// hysteresis, so the rule may fire again.
func (r AlertRule) Rearms(x float64) bool {
	if !Known(x) {
		return false
	}
	h := r.Hysteresis()
	switch r.Op {
	case OpGT, OpGE:
		return x <= r.Value-h
	case OpLT, OpLE:
		return x >= r.Value+h
	case OpBeyond:
		return math.Abs(x) <= r.Value-h
	}
	return false
}

// AlertEvent is one firing of a rule: what the status bar shows, what is
// delivered and what the database keeps.
type AlertEvent struct {
	At    time.Time
	Rule  string // the rule's text
	Title string // sanitised, in English
	Body  string // sanitised, in English
	// TitleZh and BodyZh are the same in Chinese ("" for an alert stored
	// before alerts spoke it: In falls back to the English).
	TitleZh, BodyZh string
	Value           float64
	Level           float64
	Deliver         []string
	// Command and Webhook are the rule's (config-file rules only); not stored.
	Command []string `json:"-"`
	Webhook string   `json:"-"`
}

// In is the alert's title and body in l.
func (a AlertEvent) In(l i18n.Lang) (title, body string) {
	if l == i18n.ZH && a.TitleZh != "" {
		return a.TitleZh, a.BodyZh
	}
	return a.Title, a.Body
}

// AlertState is where a rule stands.
type AlertState struct {
	Rule    AlertRule
	Armed   bool
	FiredAt time.Time // the last firing; zero when never
	Fired   int       // firings since start
	Value   float64   // the last value seen (NaN unknown)
	// RearmAt describes when the rule fires again: the level the value must
	// move back past, and the end of the cooldown.
	RearmBelow, RearmAbove float64 // NaN when not waiting on a level
	CoolUntil              time.Time
}
