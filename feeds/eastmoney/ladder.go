package eastmoney

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/rareterm/rareterm/model"
)

// DefaultPush2exURL is the host of the limit-up pools.
const DefaultPush2exURL = "https://push2ex.eastmoney.com"

// ladderToken is the ut the Eastmoney limit-up page sends (WIRE.md §5).
const ladderToken = "7eea3edcaed734bea9cbfc24409ed989"

// Ladder fetches the limit-up pool (getTopicZTPool) of a trading day. A day
// with no pool (a holiday, or before the first limit-up) gives a ladder
// with no rows; a reply for another day than the one asked (the service
// may answer the latest day instead) is returned with its own Day, so the
// caller can tell.
func (c *Client) Ladder(ctx context.Context, day time.Time) (model.Ladder, error) {
	u := c.cfg.Push2exURL + "/getTopicZTPool?" + encode(
		"ut", ladderToken, "dpt", "wz.ztzt", "Pageindex", "0", "pagesize", "10000",
		"sort", "fbt:asc", "date", day.In(model.CST).Format("20060102"))
	body, err := c.get(ctx, u, quoteReferer)
	if err != nil {
		return model.Ladder{}, err
	}
	l, dropped, err := ParseLadder(body, day)
	if err != nil {
		return model.Ladder{}, fmt.Errorf("eastmoney: %w", err)
	}
	c.report(dropped)
	return l, nil
}

// ParseLadder parses a getTopicZTPool body (plain or JSONP). The pool's
// day is qdate when present, else asked. An rc other than 0 with no data,
// or data null, is an empty pool (the service's answer for a day without
// one); rc other than 0 with data is an error. Rows without a code, with a
// height below 1 or a seal time that is no time of day are dropped.
func ParseLadder(b []byte, asked time.Time) (model.Ladder, []string, error) {
	var env struct {
		RC   *json.RawMessage `json:"rc"`
		Data json.RawMessage  `json:"data"`
	}
	l := model.Ladder{Day: model.Day(asked), Source: Source}
	if err := decode(b, &env); err != nil {
		return l, nil, fmt.Errorf("limit-up pool: %w", err)
	}
	if env.RC == nil {
		return l, nil, fmt.Errorf("limit-up pool: no rc field: not an Eastmoney reply: %q", head(b))
	}
	data := bytes.TrimSpace(env.Data)
	if len(data) == 0 || string(data) == "null" {
		return l, nil, nil
	}
	if rc := rawNum(*env.RC); rc != 0 {
		return l, nil, fmt.Errorf("limit-up pool: rc=%v", rc)
	}
	var d struct {
		QDate json.RawMessage   `json:"qdate"`
		Pool  []json.RawMessage `json:"pool"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return l, nil, fmt.Errorf("limit-up pool: data: %w", err)
	}
	if q := rawNum(d.QDate); model.Known(q) && q > 19900101 && q < 21000101 && q == math.Trunc(q) {
		n := int(q)
		t := model.Date(n/10000, time.Month(n/100%100), n%100)
		if t.Day() != n%100 || int(t.Month()) != n/100%100 {
			return l, nil, fmt.Errorf("limit-up pool: bad qdate %d", n)
		}
		l.Day = t
	}
	var dropped []string
	for i, e := range d.Pool {
		var r row
		if err := json.Unmarshal(e, &r); err != nil || r == nil {
			dropped = append(dropped, fmt.Sprintf("limit-up row %d: not an object: %s", i, head(e)))
			continue
		}
		u, err := limitUpFromRow(r, l.Day)
		if err != nil {
			dropped = append(dropped, fmt.Sprintf("limit-up row %d (%s %s): %v", i, r.str("c"), r.str("n"), err))
			continue
		}
		l.Rows = append(l.Rows, u)
	}
	return l, dropped, nil
}

func limitUpFromRow(r row, day time.Time) (model.LimitUp, error) {
	code := r.str("c")
	if len(code) != 6 || !digits(code) {
		return model.LimitUp{}, fmt.Errorf("bad code %q", code)
	}
	var mkt model.Market
	switch r.integer("m") {
	case 1:
		mkt = model.MarketSSE
	case 0:
		p, err := model.ParseSymbol(code)
		if err != nil {
			return model.LimitUp{}, err
		}
		mkt = p.Market
		if mkt == model.MarketSSE {
			mkt = model.MarketSZSE
		}
	default:
		return model.LimitUp{}, fmt.Errorf("market %s", head(r["m"]))
	}
	h := r.integer("lbc")
	if h < 1 {
		return model.LimitUp{}, errors.New("no height (lbc)")
	}
	first, err := sealTime(r, "fbt", day)
	if err != nil {
		return model.LimitUp{}, err
	}
	last, err := sealTime(r, "lbt", day)
	if err != nil {
		return model.LimitUp{}, err
	}
	u := model.LimitUp{
		Code: code, Market: mkt, Name: r.name("n"),
		Price:     model.Positive(r.num("p") / 1000),
		ChangePct: r.num("zdp"),
		Amount:    model.NonNegative(r.num("amount")),
		FloatCap:  model.NonNegative(r.num("ltsz")),
		Height:    h,
		First:     first, Last: last,
		Breaks: max(r.integer("zbc"), 0),
		Sealed: model.NonNegative(r.num("fund")),
		Board:  r.name("hybk"),
	}
	if model.Known(u.ChangePct) && math.Abs(u.ChangePct) > MaxMoveA {
		return u, fmt.Errorf("absurd move %+.2f%%", u.ChangePct)
	}
	return u, nil
}

// sealTime reads HHMMSS without its leading zero (92500 = 09:25:00) on day.
// A missing field is the zero time.
func sealTime(r row, key string, day time.Time) (time.Time, error) {
	if _, ok := r[key]; !ok {
		return time.Time{}, nil
	}
	v := r.integer(key)
	if v < 0 {
		return time.Time{}, fmt.Errorf("bad %s %s", key, head(r[key]))
	}
	hh, mm, ss := v/10000, v/100%100, v%100
	if hh > 23 || mm > 59 || ss > 59 {
		return time.Time{}, fmt.Errorf("bad %s %d", key, v)
	}
	return day.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(ss)*time.Second), nil
}
