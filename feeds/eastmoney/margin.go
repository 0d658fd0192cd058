package eastmoney

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Datacenter reply codes.
const (
	dcNoData = 9201 // "返回数据为空": for GGMX, a stock that is not margin-eligible
)

// Margin caps.
const (
	maxMarginDays  = 500 // pageSize cap for GGMX
	sectorPageSize = 500
	sectorMaxPages = 3 // per board type
)

// sectorBoardTypes are the BOARD_TYPE_CODE values searched by SectorMargin,
// in order: industry (005, BK0478 有色金属, BK1027 小金属, BK0479 钢铁) then
// concept (006, BK0578 稀土永磁).
var sectorBoardTypes = []string{"005", "006"}

// Margin returns the newest days days of margin financing for an A-share,
// oldest first. A stock that is not margin-eligible (datacenter code 9201)
// gives no rows and no error; so does a Hong Kong symbol (no A-share margin
// data). days ≤ 0 means 30; it is capped at 500.
func (c *Client) Margin(ctx context.Context, sym model.Symbol, days int) ([]model.MarginDay, error) {
	if sym.Market == model.MarketHKEX || (sym.Market == model.MarketUnknown && len(sym.Code) == 5) {
		return nil, nil
	}
	if !sixDigits(sym.Code) {
		return nil, fmt.Errorf("eastmoney: margin: %q is not an A-share code", sym.Code)
	}
	if days <= 0 {
		days = 30
	}
	days = min(days, maxMarginDays)
	u := c.dcURL("RPTA_WEB_RZRQ_GGMX", "SCODE", sym.Code, "DATE", 1, days)
	body, err := c.get(ctx, u, dataReferer)
	if err != nil {
		return nil, err
	}
	p, err := ParseMargin(body)
	if err != nil {
		return nil, fmt.Errorf("eastmoney: %w", err)
	}
	out := p.Rows[:0]
	for _, m := range p.Rows {
		if m.Symbol != sym.Code {
			p.drop("margin: row for %s in the reply for %s", m.Symbol, sym.Code)
			continue
		}
		out = append(out, m)
	}
	c.report(p.Dropped)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}

// SectorMargin returns the latest day of margin financing for each
// requested board ("BK0478", "478", …) that the datacenter reports. It reads
// RPTA_WEB_BKJYMXN by BOARD_TYPE_CODE (industry, then concept), page by
// page, and stops as soon as every requested board is found. The boards come
// back with push2-style codes ("BK0478") in the order requested.
func (c *Client) SectorMargin(ctx context.Context, boards []string) ([]model.MarginDay, error) {
	want := map[string]bool{}
	var order []string
	for _, b := range boards {
		code, ok := NormBoard(b)
		if !ok {
			c.report([]string{fmt.Sprintf("sector margin: skipped board %q: want BKnnnn", b)})
			continue
		}
		if !want[code] {
			want[code] = true
			order = append(order, code)
		}
	}
	found := map[string]model.MarginDay{}
	for _, typ := range sectorBoardTypes {
		for page := 1; page <= sectorMaxPages && len(found) < len(want); page++ {
			u := c.dcURL("RPTA_WEB_BKJYMXN", "BOARD_TYPE_CODE", typ, "FIN_BALANCE", page, sectorPageSize)
			body, err := c.get(ctx, u, dataReferer)
			if err != nil {
				return nil, err
			}
			p, err := ParseSectorMargin(body)
			if err != nil {
				return nil, fmt.Errorf("eastmoney: %w", err)
			}
			c.report(p.Dropped)
			for _, m := range p.Rows {
				if want[m.Symbol] {
					if prev, ok := found[m.Symbol]; !ok || m.Date.After(prev.Date) {
						found[m.Symbol] = m
					}
				}
			}
			if page >= p.Pages {
				break
			}
		}
		if len(found) == len(want) {
			break
		}
	}
	out := make([]model.MarginDay, 0, len(found))
	for _, code := range order {
		if m, ok := found[code]; ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// dcURL builds a datacenter api/data/v1/get URL filtered on one column. The
// filter's double quotes go out %22-encoded, as the service requires.
func (c *Client) dcURL(report, filterCol, filterVal, sortCol string, page, size int) string {
	filter := "(" + filterCol + "=%22" + url.QueryEscape(filterVal) + "%22)"
	return c.cfg.DatacenterURL + "/api/data/v1/get?" + encode(
		"reportName", report, "columns", "ALL") +
		"&filter=" + filter + "&" + encode(
		"sortColumns", sortCol, "sortTypes", "-1",
		"pageNumber", fmt.Sprint(page), "pageSize", fmt.Sprint(size),
		"source", "WEB", "client", "WEB")
}

func sixDigits(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// datacenter is the datacenter-web reply envelope.
type datacenter struct {
	Success *bool           `json:"success"`
	Code    json.RawMessage `json:"code"`
	Message json.RawMessage `json:"message"`
	Result  *struct {
		Pages json.RawMessage   `json:"pages"`
		Count json.RawMessage   `json:"count"`
		Data  []json.RawMessage `json:"data"`
	} `json:"result"`
}

// decodeDatacenter checks the envelope and returns the raw rows. Code 9201
// (no data) is an empty result, not an error; any other failure is an error
// carrying the service's message.
func decodeDatacenter[T any](b []byte, what string, p *Parsed[T]) ([]json.RawMessage, error) {
	var env datacenter
	if err := decode(b, &env); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	code := rawNum(env.Code)
	if env.Success == nil && !model.Known(code) {
		return nil, fmt.Errorf("%s: no success or code field: not a datacenter reply: %q", what, head(b))
	}
	if model.Known(code) && int(code) == dcNoData {
		return nil, nil
	}
	if (env.Success != nil && !*env.Success) || (model.Known(code) && code != 0) {
		msg := rawStr(env.Message)
		if msg == "" {
			msg = "no message"
		}
		return nil, fmt.Errorf("%s: datacenter code %v: %s", what, fmtCode(code), msg)
	}
	if env.Result == nil {
		return nil, nil
	}
	if v := rawNum(env.Result.Pages); model.Known(v) && v > 0 && v < 1e6 {
		p.Pages = int(v)
	}
	if v := rawNum(env.Result.Count); model.Known(v) && v > 0 && v < 1e9 {
		p.Total = int(v)
	}
	return env.Result.Data, nil
}

func fmtCode(v float64) string {
	if !model.Known(v) {
		return "?"
	}
	return fmt.Sprint(int64(v))
}

// ParseMargin parses an RPTA_WEB_RZRQ_GGMX reply into margin days, in the
// reply's order (newest first as requested). Code 9201 gives no rows and no
// error; other failure codes are errors with the service's message.
// RZJME and RZRQYE, when missing, are derived (RZMRE − RZCHE, RZYE + RQYE).
func ParseMargin(b []byte) (Parsed[model.MarginDay], error) {
	var p Parsed[model.MarginDay]
	elems, err := decodeDatacenter(b, "margin", &p)
	if err != nil {
		return p, err
	}
	convert(elems, "margin", &p, marginFromRow, func(r row) string { return r.str("SCODE") + " " + r.str("DATE") })
	return p, nil
}

func marginFromRow(r row) (model.MarginDay, error) {
	code := r.str("SCODE")
	if code == "" {
		return model.MarginDay{}, errors.New("no SCODE")
	}
	date, err := dcDate(r.str("DATE"))
	if err != nil {
		return model.MarginDay{}, err
	}
	m := model.MarginDay{
		Symbol:      code,
		Name:        r.name("SECNAME"),
		Date:        date,
		FinBalance:  model.NonNegative(r.num("RZYE")),
		FinBuy:      model.NonNegative(r.num("RZMRE")),
		FinRepay:    model.NonNegative(r.num("RZCHE")),
		FinNetBuy:   r.num("RZJME"),
		LendBalance: model.NonNegative(r.num("RQYE")),
		Total:       model.NonNegative(r.num("RZRQYE")),
		BalancePct:  model.NonNegative(r.num("RZYEZB")),
		FloatCap:    model.Positive(r.num("SZ")),
		Source:      Source,
	}
	return completeMargin(m)
}

// completeMargin derives the figures the definitions fix when the reply
// left them out, and rejects a day that carries no balance at all.
func completeMargin(m model.MarginDay) (model.MarginDay, error) {
	if !model.Known(m.FinNetBuy) && model.Known(m.FinBuy) && model.Known(m.FinRepay) {
		m.FinNetBuy = m.FinBuy - m.FinRepay
	}
	if !model.Known(m.Total) && model.Known(m.FinBalance) && model.Known(m.LendBalance) {
		m.Total = m.FinBalance + m.LendBalance
	}
	if !model.Known(m.FinBalance) && !model.Known(m.Total) {
		return m, errors.New("no financing balance")
	}
	return m, nil
}

// ParseSectorMargin parses an RPTA_WEB_BKJYMXN reply into margin days, one
// per board, with Symbol set to the push2-style board code ("478" and
// "BK0478" both become "BK0478").
func ParseSectorMargin(b []byte) (Parsed[model.MarginDay], error) {
	var p Parsed[model.MarginDay]
	elems, err := decodeDatacenter(b, "sector margin", &p)
	if err != nil {
		return p, err
	}
	convert(elems, "sector margin", &p, sectorFromRow, func(r row) string { return r.str("BOARD_CODE") + " " + r.str("BOARD_NAME") })
	return p, nil
}

func sectorFromRow(r row) (model.MarginDay, error) {
	code, ok := NormBoard(r.str("BOARD_CODE"))
	if !ok {
		return model.MarginDay{}, fmt.Errorf("bad BOARD_CODE %q", r.str("BOARD_CODE"))
	}
	date, err := dcDate(r.str("TRADE_DATE"))
	if err != nil {
		return model.MarginDay{}, err
	}
	return completeMargin(model.MarginDay{
		Symbol:      code,
		Name:        r.name("BOARD_NAME"),
		Date:        date,
		FinBalance:  model.NonNegative(r.num("FIN_BALANCE")),
		FinBuy:      model.NonNegative(r.num("FIN_BUY_AMT")),
		FinRepay:    model.NonNegative(r.num("FIN_REPAY_AMT")),
		FinNetBuy:   r.num("FIN_NETBUY_AMT"),
		LendBalance: model.NonNegative(r.num("LOAN_BALANCE")),
		Total:       model.NonNegative(r.num("MARGIN_BALANCE")),
		BalancePct:  model.NonNegative(r.num("FIN_BALANCE_RATIO")),
		FloatCap:    model.Positive(r.num("NOTLIMITED_MARKETCAP_A")),
		Source:      Source,
	})
}

// dcDate parses a datacenter date, "2026-01-09 00:00:00" or "2026-01-09".
func dcDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("no date")
	}
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	return parseDay(s)
}

// parseDay is model.ParseDay limited to plausible trading days.
func parseDay(s string) (time.Time, error) {
	t, err := model.ParseDay(s)
	if err == nil && (t.Year() < 1990 || t.Year() > 2100) {
		return time.Time{}, fmt.Errorf("date %q out of range", s)
	}
	return t, err
}
