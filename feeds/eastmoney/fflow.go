package eastmoney

import (
	"context"
	"encoding/json"
	"fmt"
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

// ParseFundFlowDays parses an fflow/daykline body (ParseFlowDays) with
// the security's code and name: an ETF's daily flows. Days out of order
// are dropped; rc ≠ 0 with data is an error; data null is no days.
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
		Code json.RawMessage `json:"code"`
		Name json.RawMessage `json:"name"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return f, nil, fmt.Errorf("fund flow: data: %w", err)
	}
	f.Code = model.CleanName(rawStr(d.Code))
	f.Name = model.CleanName(rawStr(d.Name))
	p, err := ParseFlowDays(b, model.Symbol{Code: f.Code})
	if err != nil {
		return f, p.Dropped, fmt.Errorf("fund flow: %w", err)
	}
	dropped := p.Dropped
	var last time.Time
	for _, fd := range p.Rows {
		if fd.Date.Year() < 1990 || fd.Date.Year() > 2100 || !fd.Date.After(last) {
			dropped = append(dropped, fmt.Sprintf("fund flow %s: bad or out-of-order date %s", fd.Date.Format("2006-01-02"), f.Code))
			continue
		}
		last = fd.Date
		f.Days = append(f.Days, fd)
	}
	return f, dropped, nil
}
