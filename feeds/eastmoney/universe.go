package eastmoney

import (
	"context"
	"errors"
	"fmt"

	"github.com/rareterm/rareterm/model"
)

// Segment is one market segment of the symbol universe: a clist filter
// (WIRE.md §4) walked page by page.
type Segment struct {
	Name string // "A", "HK", "ETF"
	FS   string
}

// UniverseSegments are the lists the universe is made of: every A share
// (Shanghai, STAR, Shenzhen, ChiNext, Beijing), Hong Kong main-board shares
// and the listed ETFs.
var UniverseSegments = []Segment{
	{Name: "A", FS: "m:0 t:6,m:0 t:80,m:1 t:2,m:1 t:23,m:0 t:81 s:2048"},
	{Name: "HK", FS: "m:128 t:3"},
	{Name: "ETF", FS: "b:MK0021,b:MK0022,b:MK0023,b:MK0024"},
}

// universeFields are code, market and name: the lightest list request.
const universeFields = "f12,f13,f14"

// UniversePageSize is the rows a page asks for (the service caps pz at
// about 100).
const UniversePageSize = clistPageSize

// Segments names the universe's segments, in the order to walk them.
func (c *Client) Segments() []string {
	out := make([]string, len(UniverseSegments))
	for i, s := range UniverseSegments {
		out[i] = s.Name
	}
	return out
}

// UniversePage fetches page pn (from 1) of the named segment (see
// UniverseSegments), sorted by code so that pages do not shift while
// walked, and returns its symbols and the segment's declared total.
func (c *Client) UniversePage(ctx context.Context, segment string, pn int) ([]model.Symbol, int, error) {
	for _, seg := range UniverseSegments {
		if seg.Name == segment {
			return c.universePage(ctx, seg, pn)
		}
	}
	return nil, 0, fmt.Errorf("eastmoney: universe: no segment %q", segment)
}

func (c *Client) universePage(ctx context.Context, seg Segment, pn int) ([]model.Symbol, int, error) {
	u := c.cfg.Push2URL + "/api/qt/clist/get?" + encode(
		"pn", fmt.Sprint(pn), "pz", fmt.Sprint(UniversePageSize), "po", "0", "np", "1",
		"fltt", "2", "invt", "2", "fid", "f12", "fs", seg.FS, "fields", universeFields)
	body, err := c.get(ctx, u, quoteReferer)
	if err != nil {
		return nil, 0, err
	}
	p, err := ParseUniverse(body, seg.Name)
	if err != nil {
		return nil, 0, fmt.Errorf("eastmoney: universe %s page %d: %w", seg.Name, pn, err)
	}
	c.report(p.Dropped)
	return p.Rows, p.Total, nil
}

// ParseUniverse parses a clist page of the universe (fields f12 code, f13
// market, f14 name). segment "HK" makes every row a Hong Kong share (the
// rows' f13 may say 116 or 128); otherwise f13 1 is Shanghai and 0 is
// Shenzhen or Beijing, told apart by the code. A row without a valid code
// is dropped.
func ParseUniverse(b []byte, segment string) (Parsed[model.Symbol], error) {
	return parseList(b, "universe", func(r row) (model.Symbol, error) {
		return symbolFromRow(r, segment == "HK")
	})
}

func symbolFromRow(r row, hk bool) (model.Symbol, error) {
	code := r.str("f12")
	if code == "" || !digits(code) {
		return model.Symbol{}, fmt.Errorf("bad code %q", code)
	}
	m := r.integer("f13")
	var s model.Symbol
	switch {
	case hk || isHK(m):
		if len(code) != 5 {
			return s, fmt.Errorf("bad HK code %q", code)
		}
		s = model.Symbol{Code: code, Market: model.MarketHKEX}
	case len(code) != 6:
		return s, fmt.Errorf("bad code %q", code)
	case m == 1:
		s = model.Symbol{Code: code, Market: model.MarketSSE}
	case m == 0:
		p, err := model.ParseSymbol(code)
		if err != nil {
			return s, err
		}
		s.Code, s.Market = code, p.Market
		if s.Market == model.MarketSSE { // a Shenzhen row with a Shanghai-looking code
			s.Market = model.MarketSZSE
		}
	default:
		return s, fmt.Errorf("market %d", m)
	}
	s.Name = r.name("f14")
	if s.Name == "" {
		return s, errors.New("no name")
	}
	return s, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
