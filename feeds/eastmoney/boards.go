package eastmoney

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/rareterm/rareterm/model"
)

// boardFields are the board-list fields (WIRE.md §3): level, change, change
// %, turnover, code, market, name, market cap, main net, advancers,
// decliners, unchanged (f106 as on index replies, f107 per the board
// dictionary), time, leader name, leader change %, leader code and market.
const boardFields = "f2,f3,f4,f8,f12,f13,f14,f20,f62,f104,f105,f106,f107,f124,f128,f136,f140,f141"

// Board-list paging.
const (
	clistPageSize   = 100 // the service caps pz at about 100
	boardsMaxPages  = 6   // across the concept and industry lists
	membersMaxPages = 10  // a board of up to 1,000 stocks
)

// The clist filters: concept and industry board lists (f:!50 drops the
// delisted), and a board's members.
var boardListFilters = []string{"m:90 t:3 f:!50", "m:90 t:2 f:!50"}

// Boards returns the moves of the requested boards ("BK0578", "578", …), in
// the order requested.
//
// By default it sends one ulist.np request with secids 90.BKxxxx and the
// board-list fields: one small request per poll whatever the number of
// boards, the batched form WIRE.md recommends against IP bans, and the same
// diff rows as clist (f104/f105 breadth is REAL on ulist for index secids).
// With Config.BoardsViaClist it pages instead through the concept list
// (fs=m:90 t:3) then the industry list (fs=m:90 t:2), 100 rows a page,
// stopping once every requested board is found, at most 6 pages.
func (c *Client) Boards(ctx context.Context, codes []string) ([]model.BoardMove, error) {
	var want []string
	seen := map[string]bool{}
	for _, s := range codes {
		code, ok := NormBoard(s)
		if !ok {
			c.report([]string{fmt.Sprintf("boards: skipped %q: want BKnnnn", s)})
			continue
		}
		if !seen[code] {
			seen[code] = true
			want = append(want, code)
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	var got map[string]model.BoardMove
	var err error
	if c.cfg.BoardsViaClist {
		got, err = c.boardsClist(ctx, seen)
	} else {
		got, err = c.boardsUlist(ctx, want)
	}
	if err != nil {
		return nil, err
	}
	out := make([]model.BoardMove, 0, len(want))
	for _, code := range want {
		if b, ok := got[code]; ok {
			out = append(out, b)
		}
	}
	return out, nil
}

func (c *Client) boardsUlist(ctx context.Context, want []string) (map[string]model.BoardMove, error) {
	secids := make([]string, len(want))
	for i, code := range want {
		secids[i] = "90." + code
	}
	got := map[string]model.BoardMove{}
	for i := 0; i < len(secids); i += maxChunk {
		u := c.cfg.Push2URL + "/api/qt/ulist.np/get?" + encode(
			"fltt", "2", "invt", "2", "np", "1",
			"fields", boardFields,
			"secids", strings.Join(secids[i:min(i+maxChunk, len(secids))], ","))
		body, err := c.get(ctx, u, quoteReferer)
		if err != nil {
			return nil, err
		}
		p, err := ParseBoards(body)
		if err != nil {
			return nil, fmt.Errorf("eastmoney: %w", err)
		}
		c.report(p.Dropped)
		for _, b := range p.Rows {
			got[b.Code] = b
		}
	}
	return got, nil
}

func (c *Client) boardsClist(ctx context.Context, want map[string]bool) (map[string]model.BoardMove, error) {
	got := map[string]model.BoardMove{}
	pages := 0
	for _, fs := range boardListFilters {
		for pn := 1; pages < boardsMaxPages && len(got) < len(want); pn++ {
			pages++
			p, err := c.clist(ctx, fs, boardFields, "f3", pn)
			if err != nil {
				return nil, err
			}
			bp, err := ParseBoards(p)
			if err != nil {
				return nil, fmt.Errorf("eastmoney: %w", err)
			}
			c.report(bp.Dropped)
			for _, b := range bp.Rows {
				if want[b.Code] {
					got[b.Code] = b
				}
			}
			if pn*clistPageSize >= bp.Total || len(bp.Rows)+len(bp.Dropped) == 0 {
				break
			}
		}
	}
	return got, nil
}

// clist fetches one page of api/qt/clist/get.
func (c *Client) clist(ctx context.Context, fs, fields, fid string, pn int) ([]byte, error) {
	u := c.cfg.Push2URL + "/api/qt/clist/get?" + encode(
		"pn", fmt.Sprint(pn), "pz", fmt.Sprint(clistPageSize), "po", "1", "np", "1",
		"fltt", "2", "invt", "2", "fid", fid, "fs", fs, "fields", fields)
	return c.get(ctx, u, quoteReferer)
}

// Constituents returns the member stocks of a board as quotes, from clist
// with fs=b:BKxxxx, paging by data.total (at most 10 pages of 100). Members
// without a valid last price (suspended) are dropped and reported.
func (c *Client) Constituents(ctx context.Context, code string) ([]model.Quote, error) {
	bk, ok := NormBoard(code)
	if !ok {
		return nil, fmt.Errorf("eastmoney: constituents: board %q: want BKnnnn", code)
	}
	var out []model.Quote
	for pn := 1; pn <= membersMaxPages; pn++ {
		body, err := c.clist(ctx, "b:"+bk+" f:!50", quoteFields, "f3", pn)
		if err != nil {
			return nil, err
		}
		p, err := ParseQuotes(body)
		if err != nil {
			return nil, fmt.Errorf("eastmoney: constituents %s: %w", bk, err)
		}
		c.report(p.Dropped)
		out = append(out, p.Rows...)
		if pn*clistPageSize >= p.Total || len(p.Rows)+len(p.Dropped) == 0 {
			break
		}
	}
	return out, nil
}

// ParseBoards parses board rows from a ulist.np (secids 90.BKxxxx) or clist
// (fs=m:90 …) body requested with fltt=2. A row needs a BK code and a level
// or a change; a change beyond ±MaxMoveA % is dropped as absurd.
func ParseBoards(b []byte) (Parsed[model.BoardMove], error) {
	return parseList(b, "boards", boardFromRow)
}

func boardFromRow(r row) (model.BoardMove, error) {
	code, ok := NormBoard(r.str("f12"))
	if !ok {
		return model.BoardMove{}, fmt.Errorf("bad board code %q", r.str("f12"))
	}
	m := model.BoardMove{
		Code:       code,
		Name:       r.name("f14"),
		Level:      model.Positive(r.num("f2")),
		ChangePct:  r.num("f3"),
		MainNet:    r.num("f62"),
		Turnover:   model.NonNegative(r.num("f8")),
		Up:         max(r.integer("f104"), 0),
		Down:       max(r.integer("f105"), 0),
		Flat:       max(r.integer("f106"), 0),
		Leader:     r.name("f128"),
		LeaderCode: r.name("f140"),
		LeaderPct:  r.num("f136"),
		LimitUp:    -1,
		Source:     Source,
	}
	t, err := r.unixTime("f124")
	if err != nil {
		return m, err
	}
	m.Time = t
	if _, ok := r["f106"]; !ok {
		m.Flat = max(r.integer("f107"), 0)
	}
	switch {
	case !model.Known(m.Level) && !model.Known(m.ChangePct):
		return m, errors.New("no level and no change")
	case model.Known(m.ChangePct) && math.Abs(m.ChangePct) > MaxMoveA:
		return m, fmt.Errorf("absurd move %+.2f%%", m.ChangePct)
	}
	return m, nil
}
