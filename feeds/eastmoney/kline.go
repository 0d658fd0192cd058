package eastmoney

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Bars returns forward-adjusted (fqt=1) bars for sym in [from, to]: daily
// bars (klt=101) or one-minute bars (klt=1). A zero from or to leaves that
// end open. A reply with rc ≠ 0 or data null (an unknown secid, no trading
// in the range) is an empty series, not an error.
func (c *Client) Bars(ctx context.Context, sym model.Symbol, iv model.Interval, from, to time.Time) ([]model.Bar, error) {
	secid, err := SecID(sym)
	if err != nil {
		return nil, fmt.Errorf("eastmoney: %w", err)
	}
	klt := "101"
	switch iv {
	case model.Daily:
	case model.Minute:
		klt = "1"
	default:
		return nil, fmt.Errorf("eastmoney: kline: unsupported interval %q", iv)
	}
	beg, end := "19900101", "20500101"
	if !from.IsZero() {
		beg = from.In(model.CST).Format("20060102")
	}
	if !to.IsZero() {
		end = to.In(model.CST).Format("20060102")
	}
	u := c.cfg.Push2HisURL + "/api/qt/stock/kline/get?" + encode(
		"secid", secid,
		"fields1", "f1,f2,f3,f4,f5,f6",
		"fields2", "f51,f52,f53,f54,f55,f56,f57,f58,f59,f60,f61",
		"klt", klt, "fqt", "1", "beg", beg, "end", end)
	body, err := c.get(ctx, u, quoteReferer)
	if err != nil {
		return nil, err
	}
	p, err := ParseKline(body, sym, iv)
	if err != nil {
		return nil, fmt.Errorf("eastmoney: %w", err)
	}
	c.report(p.Dropped)
	out := p.Rows[:0]
	for _, b := range p.Rows {
		if inRange(b.Time, iv, from, to) {
			out = append(out, b)
		}
	}
	return out, nil
}

// inRange applies [from, to]: by trading day for daily bars, exactly for
// minute bars.
func inRange(t time.Time, iv model.Interval, from, to time.Time) bool {
	if iv == model.Daily {
		if !from.IsZero() {
			from = model.Day(from)
		}
		if !to.IsZero() {
			to = model.Day(to)
		}
	}
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || !t.After(to))
}

// ParseKline parses a kline/get body. Each data.klines entry is a CSV line
// "date,open,close,high,low,volume,amount,amplitude,change%,change,turnover"
// (close before high). Volume is converted from 手 to shares except for Hong
// Kong (data.market 116, else sym's market). Daily bars are stamped 00:00
// CST; minute bars, which Eastmoney stamps with the minute's end ("09:31"
// for 09:30–09:31), are stamped with its start. rc ≠ 0 or data null gives
// an empty result and no error.
func ParseKline(b []byte, sym model.Symbol, iv model.Interval) (Parsed[model.Bar], error) {
	var p Parsed[model.Bar]
	rc, data, err := decodePush2(b, "kline")
	if err != nil {
		return p, err
	}
	if rc != 0 || data == nil {
		return p, nil
	}
	var d struct {
		Code   json.RawMessage   `json:"code"`
		Market json.RawMessage   `json:"market"`
		Klines []json.RawMessage `json:"klines"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return p, fmt.Errorf("kline: data: %w", err)
	}
	code := rawStr(d.Code)
	if code == "" {
		code = sym.Code
	}
	factor := 100.0
	if m := rawNum(d.Market); model.Known(m) {
		factor = lotFactor(int(m), code)
	} else if sym.Market == model.MarketHKEX {
		factor = 1
	}
	p.Total = len(d.Klines)
	for i, raw := range d.Klines {
		var line string
		if err := json.Unmarshal(raw, &line); err != nil {
			p.drop("kline %s line %d: not a string: %s", code, i, head(raw))
			continue
		}
		bar, err := barFromLine(line, iv, factor)
		if err != nil {
			p.drop("kline %s line %d %q: %v", code, i, head([]byte(line)), err)
			continue
		}
		bar.Symbol = code
		p.Rows = append(p.Rows, bar)
	}
	return p, nil
}

func barFromLine(line string, iv model.Interval, factor float64) (model.Bar, error) {
	f := strings.Split(line, ",")
	if len(f) < 6 {
		return model.Bar{}, fmt.Errorf("%d columns, want at least 6", len(f))
	}
	t, err := klineTime(strings.TrimSpace(f[0]), iv)
	if err != nil {
		return model.Bar{}, err
	}
	col := func(i int) float64 {
		if i >= len(f) {
			return model.Unknown
		}
		return parseNum(f[i])
	}
	bar := model.Bar{
		Interval: iv,
		Time:     t,
		Open:     model.Positive(col(1)),
		Close:    col(2),
		High:     model.Positive(col(3)),
		Low:      model.Positive(col(4)),
		Volume:   model.NonNegative(col(5)) * factor,
		Amount:   model.NonNegative(col(6)),
		Source:   Source,
	}
	switch {
	case !model.Known(bar.Close):
		return bar, errors.New("close missing")
	case bar.Close <= 0:
		return bar, fmt.Errorf("close %g is not positive", bar.Close)
	case model.Known(bar.High) && model.Known(bar.Low) && bar.High < bar.Low:
		return bar, fmt.Errorf("high %g below low %g", bar.High, bar.Low)
	}
	return bar, nil
}

func klineTime(s string, iv model.Interval) (time.Time, error) {
	if iv == model.Minute {
		for _, layout := range []string{"2006-01-02 15:04", "2006-01-02 15:04:05"} {
			if t, err := time.ParseInLocation(layout, s, model.CST); err == nil && t.Year() >= 1990 && t.Year() <= 2100 {
				return t.Add(-time.Minute), nil
			}
		}
		return time.Time{}, fmt.Errorf("bad minute time %q", s)
	}
	return parseDay(s)
}
