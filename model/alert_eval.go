package model

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rareterm/rareterm/i18n"
)

// AlertEvaluator runs rules against committed batches. It keeps its own
// snapshot (seeded with the cached market, then each batch applied to it)
// so a rule sees a day's change or a year's start whatever the batch
// carries. A rule is evaluated when a batch brings data for its target;
// it fires when armed and its condition holds (also at its first
// evaluation), then waits until the value moves back past the level by the
// hysteresis and its cooldown has passed. Rules on stock and board prices
// are evaluated only while their market trades, unless session = "any".
// It is not safe for concurrent use.
type AlertEvaluator struct {
	rules      []AlertRule
	state      map[string]*ruleState
	snap       Snapshot
	index      IndexSpec
	alwaysOpen bool
	est        EstimateSpec
	limitDay   map[string]time.Time // code → the day it last touched its limit up
}

type ruleState struct {
	armed     bool
	firedAt   time.Time
	fired     int
	value     float64
	coolUntil time.Time
}

// NewAlertEvaluator starts from the cached market. alwaysOpen treats every
// market as trading (the demo market).
func NewAlertEvaluator(rules []AlertRule, snap Snapshot, index IndexSpec, alwaysOpen bool) *AlertEvaluator {
	if snap.Quotes == nil {
		snap = NewSnapshot()
	}
	if len(index.Eras) == 0 || !(index.Base > 0) {
		index = IndexSpec{Base: 1000, BaseDate: DefaultBaseDate, Eras: []IndexEra{{From: DefaultBaseDate, Weights: DefaultBasket}}}
	}
	e := &AlertEvaluator{snap: snap, index: index, alwaysOpen: alwaysOpen, state: map[string]*ruleState{}, limitDay: map[string]time.Time{}}
	e.SetRules(rules)
	return e
}

// SetRules replaces the rules; a rule kept (same key) keeps its state.
func (e *AlertEvaluator) SetRules(rules []AlertRule) {
	e.rules = append([]AlertRule(nil), rules...)
	keep := map[string]*ruleState{}
	for _, r := range e.rules {
		k := r.Key()
		if st, ok := e.state[k]; ok {
			keep[k] = st
		} else {
			keep[k] = &ruleState{armed: true, value: Unknown}
		}
	}
	e.state = keep
}

// SetEstimate chooses the estimate a new contract quarter is compared with.
func (e *AlertEvaluator) SetEstimate(spec EstimateSpec) { e.est = spec }

// Rules returns the rules in order.
func (e *AlertEvaluator) Rules() []AlertRule { return append([]AlertRule(nil), e.rules...) }

// States returns each rule's state, in order.
func (e *AlertEvaluator) States() []AlertState {
	out := make([]AlertState, 0, len(e.rules))
	for _, r := range e.rules {
		st := e.state[r.Key()]
		s := AlertState{Rule: r, Armed: st.armed, FiredAt: st.firedAt, Fired: st.fired, Value: st.value,
			RearmBelow: Unknown, RearmAbove: Unknown, CoolUntil: st.coolUntil}
		if !st.armed && !r.Event() {
			switch r.Op {
			case OpGT, OpGE:
				s.RearmBelow = r.Value - r.Hysteresis()
			case OpLT, OpLE:
				s.RearmAbove = r.Value + r.Hysteresis()
			case OpBeyond:
				s.RearmBelow = r.Value - r.Hysteresis()
			}
		}
		out = append(out, s)
	}
	return out
}

// Evaluate applies the batch and returns the alerts it fires, in rule order.
func (e *AlertEvaluator) Evaluate(b Batch, now time.Time) []AlertEvent {
	before := e.snap.Contract
	lastKnown := Quarter{}
	if n := len(before); n > 0 {
		lastKnown = before[n-1].Quarter
	}
	var newQ []ContractQuarter
	for _, c := range b.Contract {
		if c.Quarter.Index() > lastKnown.Index() {
			newQ = append(newQ, c)
		}
	}
	var estimates map[Quarter]ContractEstimate
	if len(newQ) > 0 {
		estimates = map[Quarter]ContractEstimate{}
		for _, c := range newQ {
			estimates[c.Quarter] = EstimateContract(before, e.snap.Elements, c.Quarter, e.est)
		}
	}
	e.snap.Contract = append([]ContractQuarter(nil), before...)
	ch := e.snap.Apply(b)
	touched := map[string]bool{}
	for _, q := range b.Quotes {
		touched[q.Symbol] = true
		e.trackLimit(q)
	}
	for _, m := range b.Margin {
		touched["margin "+m.Symbol] = true
	}
	for _, bm := range b.Boards {
		touched[bm.Code] = true
	}
	var idx []IndexPoint
	if ch.Elements && len(e.index.Eras) > 0 && e.needsIndex() {
		idx = ComputeIndex(e.index, e.snap.Elements).Points
	}
	var out []AlertEvent
	for _, r := range e.rules {
		st := e.state[r.Key()]
		if r.Target == TargetContract {
			for _, c := range newQ {
				out = append(out, contractEvent(r, c, estimates[c.Quarter], now))
				st.firedAt, st.fired, st.value = now, st.fired+1, c.Price
			}
			continue
		}
		x, ok := e.value(r, b, ch, touched, idx, now)
		if !ok {
			continue
		}
		if r.Session() && !e.alwaysOpen && !e.trading(r, now) {
			continue
		}
		st.value = x
		holds := r.Holds(x)
		if r.Event() {
			holds = x > 0
		}
		if !st.armed {
			rearm := r.Rearms(x)
			if r.Event() {
				rearm = x <= 0
			}
			if !rearm {
				continue
			}
			st.armed = true
		}
		if !holds || now.Before(st.coolUntil) {
			continue
		}
		st.armed, st.firedAt, st.fired, st.coolUntil = false, now, st.fired+1, now.Add(r.Cooldown())
		out = append(out, e.event(r, x, now))
	}
	return out
}

func (e *AlertEvaluator) needsIndex() bool {
	for _, r := range e.rules {
		if r.Target == TargetIndex {
			return true
		}
	}
	return false
}

func (e *AlertEvaluator) trading(r AlertRule, now time.Time) bool {
	x := ExchangeA
	if r.Target == TargetStock {
		if s, err := ParseSymbol(r.Code); err == nil {
			x = ExchangeOf(s.Market)
		}
	}
	return PhaseAt(x, now).IsOpen()
}

// limitPrice returns the limit-up and limit-down prices of a quote, false
// where no limit applies.
func (e *AlertEvaluator) limitPrice(q Quote) (up, down float64, ok bool) {
	sym, err := ParseSymbol(q.Symbol)
	if err != nil {
		return 0, 0, false
	}
	sym.Name = q.Name
	lim := sym.LimitPct() / 100
	if lim == 0 || !Known(q.PrevClose) || q.PrevClose <= 0 {
		return 0, 0, false
	}
	return Round2(q.PrevClose * (1 + lim)), Round2(q.PrevClose * (1 - lim)), true
}

func (e *AlertEvaluator) trackLimit(q Quote) {
	up, _, ok := e.limitPrice(q)
	if ok && Known(q.Last) && q.Last >= up-0.005 {
		e.limitDay[q.Symbol] = Day(q.Time)
	}
}

// value returns a rule's current figure, false when the batch brings
// nothing for it.
func (e *AlertEvaluator) value(r AlertRule, b Batch, ch Changes, touched map[string]bool, idx []IndexPoint, now time.Time) (float64, bool) {
	switch r.Target {
	case TargetStock:
		if r.Metric == MetricMargin || r.Metric == MetricMarginYTD {
			if !touched["margin "+r.Code] {
				return 0, false
			}
			days := e.snap.Margin[r.Code]
			n := len(days)
			if n == 0 {
				return 0, false
			}
			last := days[n-1].FinBalance
			var base float64
			if r.Metric == MetricMargin {
				if n < 2 {
					return 0, false
				}
				base = days[n-2].FinBalance
			} else {
				yStart := Date(days[n-1].Date.In(CST).Year(), 1, 1)
				for i := n - 1; i >= 0; i-- {
					if days[i].Date.Before(yStart) {
						base = days[i].FinBalance
						break
					}
				}
			}
			if !(base > 0) {
				return 0, false
			}
			return (last/base - 1) * 100, true
		}
		if !touched[r.Code] {
			return 0, false
		}
		q := e.snap.Quotes[r.Code]
		switch r.Metric {
		case MetricPrice:
			return q.Last, Known(q.Last)
		case MetricChg:
			v := q.ChangePct()
			return v, Known(v)
		case MetricOpen:
			if !Known(q.Last) || !Known(q.Open) || q.Open <= 0 {
				return 0, false
			}
			return (q.Last/q.Open - 1) * 100, true
		case MetricFlow:
			return q.MainNet, Known(q.MainNet)
		case MetricLimitUp, MetricLimitDown:
			up, down, ok := e.limitPrice(q)
			if !ok || !Known(q.Last) {
				return 0, false
			}
			if (r.Metric == MetricLimitUp && q.Last >= up-0.005) || (r.Metric == MetricLimitDown && q.Last <= down+0.005) {
				return 1, true
			}
			return 0, true
		case MetricLimitOpen:
			up, _, ok := e.limitPrice(q)
			if !ok || !Known(q.Last) {
				return 0, false
			}
			if d, ok := e.limitDay[r.Code]; ok && d.Equal(Day(q.Time)) && q.Last < up-0.005 {
				return 1, true
			}
			return 0, true
		}
	case TargetBoard:
		if !touched[r.Code] {
			return 0, false
		}
		bm := e.snap.Boards[r.Code]
		switch r.Metric {
		case MetricPrice:
			return bm.Level, Known(bm.Level)
		case MetricChg:
			return bm.ChangePct, Known(bm.ChangePct)
		case MetricFlow:
			return bm.MainNet, Known(bm.MainNet)
		}
	case TargetElement:
		if !batchHasElement(b, ElementID(r.Code)) {
			return 0, false
		}
		s := e.snap.Elements[ElementID(r.Code)]
		n := len(s)
		if n == 0 {
			return 0, false
		}
		if r.Metric == MetricPrice {
			return s[n-1].Price, true
		}
		if n < 2 || !(s[n-2].Price > 0) {
			return 0, false
		}
		return (s[n-1].Price/s[n-2].Price - 1) * 100, true
	case TargetIndex:
		n := len(idx)
		if !ch.Elements || n == 0 {
			return 0, false
		}
		if r.Metric == MetricPrice {
			return idx[n-1].Value, true
		}
		if n < 2 || idx[n-2].Value == 0 {
			return 0, false
		}
		return (idx[n-1].Value/idx[n-2].Value - 1) * 100, true
	case TargetFeed:
		if len(b.Health) == 0 {
			return 0, false
		}
		worst := 0.0
		for _, h := range b.Health {
			if r.Code != "any" && !strings.EqualFold(h.Feed, r.Code) {
				continue
			}
			if h.State == FeedFailing && !h.FailingSince.IsZero() {
				worst = math.Max(worst, now.Sub(h.FailingSince).Minutes())
			}
		}
		return worst, true
	}
	return 0, false
}

func batchHasElement(b Batch, id ElementID) bool {
	for _, p := range b.Elements {
		if p.Element == id {
			return true
		}
	}
	return false
}

func (e *AlertEvaluator) name(code string) string {
	if s, ok := e.snap.Symbols[code]; ok && s.Name != "" {
		return s.Name
	}
	if q, ok := e.snap.Quotes[code]; ok && q.Name != "" {
		return q.Name
	}
	if bm, ok := e.snap.Boards[code]; ok && bm.Name != "" {
		return bm.Name
	}
	return ""
}

// event builds the alert a rule fired with value x, its title and body in
// English and in Chinese.
func (e *AlertEvaluator) event(r AlertRule, x float64, now time.Time) AlertEvent {
	say := func(l i18n.Lang) (title, body string) {
		target := r.targetName(l)
		if r.Target == TargetStock || r.Target == TargetBoard {
			if n := e.name(r.Code); n != "" {
				target += " " + n
			}
		}
		switch r.Metric {
		case MetricLimitUp:
			title, body = i18n.AlertLimitUp.F(l, target), i18n.AlertLimitUpBody.In(l)
		case MetricLimitDown:
			title, body = i18n.AlertLimitDown.F(l, target), i18n.AlertLimitDnBody.In(l)
		case MetricLimitOpen:
			title, body = i18n.AlertOpened.F(l, target), i18n.AlertOpenedBody.In(l)
		case MetricDown:
			title = i18n.AlertDown.F(l, target, x)
			body = i18n.AlertDownBody.F(l, x, FormatAlertValueIn(l, r.Metric, r.Value))
		default:
			metric := r.Metric.In(l)
			title = fmt.Sprintf("%s %s %s %s", target, metric, r.Op, FormatAlertValueIn(l, r.Metric, r.Value))
			body = i18n.AlertCrossBody.F(l, target, metric, FormatAlertValueIn(l, r.Metric, x))
		}
		body += i18n.AlertAt.F(l, now.In(CST).Format("2006-01-02 15:04:05"))
		if r.Target == TargetStock {
			if q, ok := e.snap.Quotes[r.Code]; ok && Known(q.Last) && r.Metric != MetricPrice {
				body += i18n.AlertLast.F(l, q.Last)
			}
		}
		return Sanitize(title), Sanitize(body)
	}
	a := AlertEvent{At: now, Rule: r.Text, Value: x, Level: r.Value, Deliver: r.Deliver, Command: r.Command, Webhook: r.Webhook}
	a.Title, a.Body = say(i18n.EN)
	a.TitleZh, a.BodyZh = say(i18n.ZH)
	return a
}

func contractEvent(r AlertRule, c ContractQuarter, est ContractEstimate, now time.Time) AlertEvent {
	say := func(l i18n.Lang) (title, body string) {
		title = i18n.AlertNewContract.F(l, c.Quarter.String(), thousands(c.Price))
		body = i18n.AlertContractAt.F(l, c.Quarter.String(), thousands(c.Price), c.Basis())
		if est.OK {
			actual := c.Price * EstimateBasis / c.Basis()
			diff := (actual/est.Estimate - 1) * 100
			body += i18n.AlertVsEstimate.F(l, diff, thousands(est.Estimate), thousands(est.RMSE))
		} else if est.Reason != "" {
			body += i18n.AlertNoEstimate.F(l, est.Why(l))
		}
		if c.Source != "" {
			body += i18n.AlertSource.F(l, c.Source)
		}
		return Sanitize(title), Sanitize(body)
	}
	a := AlertEvent{At: now, Rule: r.Text, Value: c.Price, Deliver: r.Deliver, Command: r.Command, Webhook: r.Webhook}
	a.Title, a.Body = say(i18n.EN)
	a.TitleZh, a.BodyZh = say(i18n.ZH)
	return a
}

// FormatAlertValue writes a metric's figure as the rule's units read.
func FormatAlertValue(m AlertMetric, v float64) string { return FormatAlertValueIn(i18n.EN, m, v) }

// FormatAlertValueIn is FormatAlertValue with its unit words in l.
func FormatAlertValueIn(l i18n.Lang, m AlertMetric, v float64) string {
	if !Known(v) {
		return "—"
	}
	switch m {
	case MetricChg, MetricOpen, MetricMargin, MetricMarginYTD:
		return fmt.Sprintf("%+.2f%%", v)
	case MetricFlow:
		switch {
		case math.Abs(v) >= 1e8:
			return fmt.Sprintf("%.2f亿", v/1e8)
		case math.Abs(v) >= 1e4:
			return fmt.Sprintf("%.0f万", v/1e4)
		}
		return fmt.Sprintf("%.0f", v)
	case MetricDown:
		return i18n.AlertMinutes.F(l, v)
	}
	if math.Abs(v) >= 1000 {
		return thousands(v)
	}
	return fmt.Sprintf("%.2f", v)
}

// thousands formats a rounded figure with thousands separators.
func thousands(v float64) string {
	neg := v < 0
	s := fmt.Sprintf("%.0f", math.Abs(v))
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
