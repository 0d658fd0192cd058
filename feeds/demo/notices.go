package demo

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Announcements. The demo's companies post a routine notice on the first
// trading day of each month, and the concentrate price of the current
// quarter is announced once, NoticeDelay after the market is made (so a
// running demo shows a quarter arriving), at the price of the demo's
// contract rule (see ContractQuarters).

// NoticeDelay is how long after New the demo announces the current
// quarter's concentrate price.
const NoticeDelay = 20 * time.Second

// Notices is feeds.NoticeSource: the demo companies' notices dated within
// [from, to], newest first, at most 100.
func (m *Market) Notices(ctx context.Context, codes []string, from, to time.Time) ([]model.Notice, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := m.now()
	if to.IsZero() || to.After(now) {
		to = now
	}
	if from.IsZero() {
		from = to.AddDate(0, -6, 0)
	}
	var out []model.Notice
	if cn, ok := m.concentrateNotice(now); ok && !cn.Notice.Date.Before(model.Day(from)) && !cn.Notice.Date.After(to) && hasAny(codes, cn.Notice.Codes) {
		out = append(out, cn.Notice)
	}
	for d := model.Day(to); !d.Before(model.Day(from)) && len(out) < 100; d = d.AddDate(0, 0, -1) {
		if d.Day() > 15 || !model.IsTradingDay(model.ExchangeA, d) || !firstTradingDay(d) {
			continue
		}
		for _, code := range codes {
			in := m.byCode[code]
			if in == nil {
				continue
			}
			id := fmt.Sprintf("DEMO%s%s01", d.Format("20060102"), code)
			out = append(out, model.Notice{
				ID: id, Codes: []string{code}, Date: d, Posted: d.Add(-6*time.Hour - 30*time.Minute),
				Title:    fmt.Sprintf("%s:关于%d年%d月经营情况的公告（模拟）", in.sym.Name, d.Year(), int(d.Month())),
				Category: "其他", Source: SourceName,
			})
		}
	}
	return out, nil
}

// Concentrate is feeds.NoticeSource: the demo's concentrate notice, read.
func (m *Market) Concentrate(ctx context.Context, n model.Notice) (model.ConcentrateNotice, bool, error) {
	cn, ok := m.concentrateNotice(m.now())
	if !ok || cn.Notice.ID != n.ID {
		return model.ConcentrateNotice{}, false, nil
	}
	return cn, true, ctx.Err()
}

// concentrateNotice is the current quarter's announcement, once it is out.
func (m *Market) concentrateNotice(now time.Time) (model.ConcentrateNotice, bool) {
	if now.Before(m.born.Add(NoticeDelay)) {
		return model.ConcentrateNotice{}, false
	}
	q := model.QuarterOf(now)
	price, ok := m.ContractPrice(context.Background(), q)
	if !ok {
		return model.ConcentrateNotice{}, false
	}
	step := math.Round(price/50*100) / 100
	text := fmt.Sprintf("根据稀土精矿定价方法及%d年第%s季度稀土氧化物价格，经测算，%d年第%s季度稀土精矿交易价格调整为不含税%s元/吨（干量，REO=50%%），REO每增减1%%、不含税价格增减%.2f元/吨。（模拟公告）",
		q.Prev().Year, cnQuarter[q.Prev().Q], q.Year, cnQuarter[q.Q], thousands(price), step)
	n := model.Notice{
		ID: fmt.Sprintf("DEMO%d%d600111CP", q.Year, q.Q), Codes: []string{"600111"}, Date: model.Day(m.born), Posted: m.born.Add(NoticeDelay),
		Title:    fmt.Sprintf("北方稀土:关于%d年第%s季度稀土精矿交易价格的公告（模拟）", q.Year, cnQuarter[q.Q]),
		Category: "日常关联交易", Source: SourceName,
	}
	return model.ConcentrateNotice{Notice: n, Quarter: q, Parsed: true, Price: price, BasisREO: 50, Step: step, Text: text}, true
}

var cnQuarter = [5]string{"", "一", "二", "三", "四"}

func firstTradingDay(d time.Time) bool {
	for x := d.AddDate(0, 0, -1); x.Month() == d.Month(); x = x.AddDate(0, 0, -1) {
		if model.IsTradingDay(model.ExchangeA, x) {
			return false
		}
	}
	return true
}

func hasAny(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
