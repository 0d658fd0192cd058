package eastmoney

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/rareterm/rareterm/model"
)

// quoteFields are the list-endpoint fields a quote is built from (WIRE.md §1.4).
const quoteFields = "f2,f3,f4,f5,f6,f8,f9,f12,f13,f14,f15,f16,f17,f18,f20,f21,f62,f124"

// Largest plausible daily move in percent. A-share limits are 10/20/30 %
// (44 % on a main-board listing day); HK has no limit. A move beyond these is
// a broken row, not a market.
const (
	MaxMoveA  = model.MaxMoveA
	MaxMoveHK = model.MaxMoveHK
)

// maxChunk is the largest number of secids sent in one ulist.np request.
const maxChunk = 100

// Quotes returns the latest quotes for syms: one ulist.np request per 100
// symbols (one request for a normal watchlist). Rows that fail validation
// are dropped and reported; if every row of a non-empty reply is dropped the
// call fails, so that a poller can fail over.
func (c *Client) Quotes(ctx context.Context, syms []model.Symbol) ([]model.Quote, error) {
	var secids []string
	seen := map[string]bool{}
	for _, s := range syms {
		id, err := SecID(s)
		if err != nil {
			c.report([]string{fmt.Sprintf("quotes: skipped %q: %v", s.Code, err)})
			continue
		}
		if !seen[id] {
			seen[id] = true
			secids = append(secids, id)
		}
	}
	var out []model.Quote
	var dropped int
	for i := 0; i < len(secids); i += maxChunk {
		chunk := secids[i:min(i+maxChunk, len(secids))]
		u := c.cfg.Push2URL + "/api/qt/ulist.np/get?" + encode(
			"fltt", "2", "invt", "2", "np", "1",
			"fields", quoteFields,
			"secids", strings.Join(chunk, ","))
		body, err := c.get(ctx, u, quoteReferer)
		if err != nil {
			return nil, err
		}
		p, err := ParseQuotes(body)
		if err != nil {
			return nil, fmt.Errorf("eastmoney: %w", err)
		}
		c.report(p.Dropped)
		dropped += len(p.Dropped)
		out = append(out, p.Rows...)
	}
	if len(out) == 0 && dropped > 0 {
		return nil, fmt.Errorf("eastmoney: quotes: all %d rows dropped as invalid", dropped)
	}
	return out, nil
}

// ParseQuotes parses a ulist.np (or clist stock-list) body requested with
// fltt=2: data.diff as a list or as an object keyed "0", "1", …. Fields that
// are "-" or null become NaN; volumes are converted from 手 to shares for
// A-shares and ETFs. rc ≠ 0 is an error; data null is an empty result.
func ParseQuotes(b []byte) (Parsed[model.Quote], error) {
	return parseList(b, "quotes", quoteFromRow)
}

// parseList is the shared body of ParseQuotes and ParseBoards.
func parseList[T any](b []byte, what string, conv func(row) (T, error)) (Parsed[T], error) {
	var p Parsed[T]
	rc, data, err := decodePush2(b, what)
	if err != nil {
		return p, err
	}
	if rc != 0 {
		return p, fmt.Errorf("%s: rc=%d", what, rc)
	}
	if data == nil {
		return p, nil
	}
	var d struct {
		Total json.RawMessage `json:"total"`
		Diff  json.RawMessage `json:"diff"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return p, fmt.Errorf("%s: data: %w", what, err)
	}
	if t := rawNum(d.Total); model.Known(t) && t > 0 && t < math.MaxInt32 {
		p.Total = int(t)
	}
	elems, err := elements(d.Diff)
	if err != nil {
		return p, fmt.Errorf("%s: %w", what, err)
	}
	convert(elems, what, &p, conv, describe)
	return p, nil
}

func quoteFromRow(r row) (model.Quote, error) {
	code := r.str("f12")
	if code == "" {
		return model.Quote{}, errors.New("no code (f12)")
	}
	market := r.integer("f13")
	t, err := r.unixTime("f124")
	if err != nil {
		return model.Quote{}, err
	}
	q := model.Quote{
		Symbol:      code,
		Name:        r.name("f14"),
		Time:        t,
		Last:        r.num("f2"),
		PrevClose:   model.Positive(r.num("f18")),
		Open:        model.Positive(r.num("f17")),
		High:        model.Positive(r.num("f15")),
		Low:         model.Positive(r.num("f16")),
		Volume:      model.NonNegative(r.num("f5")) * lotFactor(market, code),
		Amount:      model.NonNegative(r.num("f6")),
		TurnoverPct: model.NonNegative(r.num("f8")),
		MarketCap:   model.Positive(r.num("f20")),
		FloatCap:    model.Positive(r.num("f21")),
		PE:          r.num("f9"),
		MainNet:     r.num("f62"),
		High52:      model.Unknown,
		Low52:       model.Unknown,
		Source:      Source,
	}
	hk := isHK(market) || (market < 0 && len(code) == 5)
	limit := MaxMoveA
	if hk {
		limit = MaxMoveHK
	}
	return q, model.CheckQuote(q, r.num("f3"), limit)
}
