package demo

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Boards returns the live move of each requested board, in the order asked;
// unknown boards are left out, and no codes means every demo board. A
// board's level is its members' float-cap-weighted price relative to their
// reference levels; breadth, limit-up count and leader are over its members
// (the watchlist stocks that belong to it); its main-force flow is the
// members' scaled up to stand for the whole board.
func (m *Market) Boards(ctx context.Context, codes []string) ([]model.BoardMove, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := m.now()
	if len(codes) == 0 {
		for _, b := range boardTable {
			codes = append(codes, b.code)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []model.BoardMove
	for _, c := range codes {
		b := m.byBoard[strings.ToUpper(strings.TrimSpace(c))]
		if b == nil {
			continue
		}
		qs := m.memberQuotes(b, now)
		bm := model.BoardMove{Code: b.code, Name: b.name, Time: now, Source: SourceName}
		var capNow, capPrev, refCap, amount, flow float64
		best := math.Inf(-1)
		for i, q := range qs {
			in := m.byCode[b.members[i]]
			capNow += q.Last * in.float
			capPrev += q.PrevClose * in.float
			refCap += in.ref * in.float
			amount += q.Amount
			flow += q.MainNet
			switch pct := q.ChangePct(); {
			case pct > 0:
				bm.Up++
			case pct < 0:
				bm.Down++
			default:
				bm.Flat++
			}
			if _, hi := in.limits(q.PrevClose); q.Last >= hi {
				bm.LimitUp++
			}
			if pct := q.ChangePct(); pct > best {
				best = pct
				bm.Leader, bm.LeaderCode, bm.LeaderPct = q.Name, q.Symbol, model.Round2(pct)
			}
		}
		bm.Level = model.Round2(b.base * capNow / refCap)
		bm.ChangePct = (capNow/capPrev - 1) * 100
		bm.MainNet = math.Round(flow * b.flowScale)
		bm.Turnover = amount / capNow * 100
		out = append(out, bm)
	}
	return out, nil
}

// Constituents returns the live quotes of a board's members.
func (m *Market) Constituents(ctx context.Context, code string) ([]model.Quote, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := m.byBoard[strings.ToUpper(strings.TrimSpace(code))]
	if b == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownBoard, code)
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.memberQuotes(b, now), nil
}

func (m *Market) memberQuotes(b *board, now time.Time) []model.Quote {
	qs := make([]model.Quote, len(b.members))
	for i, c := range b.members {
		qs[i] = m.quote(m.byCode[c], now)
	}
	return qs
}
