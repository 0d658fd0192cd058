package eastmoney

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rareterm/rareterm/model"
)

// FundFlowDays fetches the last n days of fund flow by order size of a
// symbol (push2his fflow/daykline, WIRE.md §1.7): an ETF's daily net
// inflow among them.
func (c *Client) FundFlowDays(ctx context.Context, sym model.Symbol, n int) (model.ETFFlow, error) {
	secid, err := SecID(sym)
	if err != nil {
		return model.ETFFlow{}, fmt.Errorf("eastmoney: %w", err)
	}
	u := c.cfg.Push2HisURL + "/api/qt/stock/fflow/daykline/get?" + encode(
		"lmt", fmt.Sprint(max(n, 1)), "klt", "101", "secid", secid,
		"fields1", "f1,f2,f3,f7", "fields2", "f51,f52,f53,f54,f55,f56,f57,f58,f59,f60,f61,f62,f63,f64,f65")
	body, err := c.get(ctx, u, quoteReferer)
	if err != nil {
		return model.ETFFlow{}, err
	}
	f, dropped, err := ParseFundFlowDays(body)
	if err != nil {
		return model.ETFFlow{}, fmt.Errorf("eastmoney: %w", err)
	}
	c.report(dropped)
	if f.Code == "" {
		f.Code = sym.Code
	}
	return f, nil
}

// ParseFundFlowDays parses an fflow/daykline body: data.code, data.name and
// one CSV line a day (date, main, small, medium, large, super-large, five
// percentages, close, change %; 13 or 15 columns). A line with a bad date
// or a main figure that is not a number is dropped; data null is no days.
func ParseFundFlowDays(b []byte) (model.ETFFlow, []string, error) {
	f := model.ETFFlow{Source: Source}
	rc, data, err := decodePush2(b, "fund flow")
	if err != nil {
		return f, nil, err
	}
	if rc != 0 && data != nil {
		return f, nil, fmt.Errorf("fund flow: rc=%d", rc)
	}
	if data == nil {
		return f, nil, nil
	}
	var d struct {
		Code   json.RawMessage   `json:"code"`
		Name   json.RawMessage   `json:"name"`
		Klines []json.RawMessage `json:"klines"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return f, nil, fmt.Errorf("fund flow: data: %w", err)
	}
	f.Code = model.CleanName(rawStr(d.Code))
	f.Name = model.CleanName(rawStr(d.Name))
	var dropped []string
	var last time.Time
	for i, raw := range d.Klines {
		var line string
		if err := json.Unmarshal(raw, &line); err != nil {
			dropped = append(dropped, fmt.Sprintf("fund flow line %d: not a string", i))
			continue
		}
		cols := strings.Split(line, ",")
		if len(cols) < 6 {
			dropped = append(dropped, fmt.Sprintf("fund flow line %d: %d columns", i, len(cols)))
			continue
		}
		day, err := model.ParseDay(strings.TrimSpace(cols[0]))
		if err != nil || day.Year() < 1990 || day.Year() > 2100 || !day.After(last) {
			dropped = append(dropped, fmt.Sprintf("fund flow line %d: bad or out-of-order date %q", i, head([]byte(cols[0]))))
			continue
		}
		fd := model.FlowDay{Date: day, Main: parseNum(cols[1]), Small: parseNum(cols[2]), Medium: parseNum(cols[3]),
			Large: parseNum(cols[4]), Super: parseNum(cols[5]), Close: model.Unknown, ChangePct: model.Unknown}
		if len(cols) > 12 {
			fd.Close, fd.ChangePct = model.Positive(parseNum(cols[11])), parseNum(cols[12])
		}
		if !model.Known(fd.Main) {
			dropped = append(dropped, fmt.Sprintf("fund flow line %d (%s): no main-force figure", i, cols[0]))
			continue
		}
		last = day
		f.Days = append(f.Days, fd)
	}
	return f, dropped, nil
}
