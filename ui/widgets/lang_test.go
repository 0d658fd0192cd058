package widgets

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// englishWord is a run of two or more Latin letters: a word left untranslated.
var englishWord = regexp.MustCompile(`[A-Za-z]{2,}`)

// The status bar's feed account in Chinese: states, ages, a failing store
// and a stalled backfill; feed names are names and stay.
func TestFeedStatusInChinese(t *testing.T) {
	st := NewStyles(false, true)
	now := time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)
	hs := []model.FeedHealth{
		{Feed: "eastmoney", Kind: "quotes", State: model.FeedOK, LastOK: now.Add(-2 * time.Second), Cadence: 5 * time.Second},
		{Feed: "sina", Kind: "quotes", State: model.FeedStandby},
		{Feed: "tencent", Kind: "quotes", State: model.FeedFailing, Failures: 3, LastErr: "HTTP 500"},
		{Feed: model.StoreFeed, Kind: model.KindWrite, State: model.FeedFailing, Failures: 2, LastErr: "disk",
			FailingSince: now.Add(-10 * time.Second), NextTry: now.Add(8 * time.Second), Pending: 2},
	}
	got := ansi.Strip(strings.Join(FeedStatus(st, i18n.ZH, model.SummarizeHealth(hs, now), now, false), "  "))
	for _, want := range []string{"● eastmoney 2秒", "○ sina 备用", "✗ tencent 失败×3 HTTP 500", "✗ 数据库写入失败: disk, 8秒后重试 (2 批待写)"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q not in %q", want, got)
		}
	}
	lines := ansi.Strip(strings.Join(HealthLines(st, i18n.ZH, model.SummarizeHealth(hs, now), now), "\n"))
	if !strings.Contains(lines, "行情 来自 eastmoney") || !strings.Contains(lines, "数据库写入失败 ×2 自 09:59:50: disk; 8秒后重试; 2 批待写") {
		t.Errorf("health lines:\n%s", lines)
	}
	if s, stale := KindState(i18n.ZH, model.FeedHealth{State: model.FeedOK, LastOK: now.Add(-time.Hour), Cadence: 5 * time.Second}, now); s != "过时" || !stale {
		t.Errorf("stale: %q %v", s, stale)
	}
}

// Ages, dates, the market clock's phases and the range tabs in both languages.
func TestWordsInBothLanguages(t *testing.T) {
	for _, c := range []struct {
		d      time.Duration
		en, zh string
	}{{-time.Second, "0s", "0秒"}, {5 * time.Second, "5s", "5秒"}, {3 * time.Minute, "3m", "3分"}, {5 * time.Hour, "5h", "5小时"}, {72 * time.Hour, "3d", "3天"}} {
		if en, zh := Age(i18n.EN, c.d), Age(i18n.ZH, c.d); en != c.en || zh != c.zh {
			t.Errorf("Age(%v) = %q, %q", c.d, en, zh)
		}
	}
	fri := time.Date(2026, 1, 9, 1, 0, 0, 0, time.UTC) // 09:00 CST
	if en, zh := DayWeek(i18n.EN, fri), DayWeek(i18n.ZH, fri); en != "2026-01-09 Fri" || zh != "2026-01-09 周五" {
		t.Errorf("DayWeek: %q, %q", en, zh)
	}
	for _, c := range []struct {
		p      model.Phase
		x      model.Exchange
		en, zh string
	}{
		{model.Open, model.ExchangeA, "open", "交易中"},
		{model.Lunch, model.ExchangeHK, "lunch", "午间休市"},
		{model.Auction, model.ExchangeA, "集合竞价", "集合竞价"},
		{model.CloseAuction, model.ExchangeHK, "收市竞价", "收市竞价"},
		{model.PreOpen, model.ExchangeA, "pre-open", "盘前"},
		{model.AfterClose, model.ExchangeA, "closed", "已收盘"},
		{model.Closed, model.ExchangeA, "closed", "休市"},
	} {
		if en, zh := PhaseLabel(i18n.EN, c.p, c.x), PhaseLabel(i18n.ZH, c.p, c.x); en != c.en || zh != c.zh {
			t.Errorf("PhaseLabel(%v, %v) = %q, %q", c.p, c.x, en, zh)
		}
		if en := PhaseLabel(i18n.EN, c.p, c.x); en != c.p.Label(c.x) {
			t.Errorf("English phase %q differs from the model's %q", en, c.p.Label(c.x))
		}
	}
	st := NewStyles(false, true)
	if got := ansi.Strip(RangeTabs(st, i18n.ZH, 0)); got != " 1日  5日  1月  6月  1年  全部 " {
		t.Errorf("range tabs %q", got)
	}
	if got := ansi.Strip(RangeTabs(st, i18n.EN, 0)); got != " 1D  5D  1M  6M  1Y  ALL " {
		t.Errorf("English range tabs %q", got)
	}
}

// The order book, fund flows, crosshair and the charts' notes in Chinese:
// no English word, every line within the width.
func TestChartsAndBookInChinese(t *testing.T) {
	st := NewStyles(false, true)
	b := &model.Book{Decimals: 2, PrevClose: 10, Outer: 12345, Inner: 23456, VolRatio: 1.2, LimitUp: 11, LimitDown: 9}
	for i := range b.Asks {
		b.Asks[i] = model.Level{Price: 10.01 + float64(i)/100, Volume: 100}
		b.Bids[i] = model.Level{Price: 10 - float64(i)/100, Volume: 200}
	}
	flow := model.Flow{Main: 1e8, Super: 6e7, Large: 4e7, Medium: -3e7, Small: -7e7}
	var days []model.FlowDay
	for i := 0; i < 25; i++ {
		days = append(days, model.FlowDay{Date: time.Date(2026, 1, 1, 0, 0, 0, 0, model.CST).AddDate(0, 0, i), Flow: flow})
	}
	bars := []model.Bar{{Time: time.Date(2026, 1, 8, 0, 0, 0, 0, model.CST), Open: 10, High: 11, Low: 9, Close: 10.5, Volume: 1e6, Amount: 1e7},
		{Time: time.Date(2026, 1, 9, 0, 0, 0, 0, model.CST), Open: 10.5, High: 11, Low: 10, Close: 10.8, Volume: 1e6, Amount: 1e7}}
	const w = BookWidth
	blocks := map[string][]string{
		"book":       OrderBook(st, b, 2, i18n.ZH, w),
		"no book":    OrderBook(st, nil, 2, i18n.ZH, w),
		"flow bars":  FlowBars(st, flow, i18n.ZH, 40),
		"flow table": FlowTable(st, days, i18n.ZH, 80, 12),
		"no flow":    FlowTable(st, nil, i18n.ZH, 80, 12),
		"crosshair":  {Crosshair(st, bars, 1, 2, i18n.ZH)},
		"flow line":  {FlowLine(st, i18n.ZH, model.SessionFrame(model.ExchangeA), nil, 60, 10)},
		"line chart": {LineChart(st, i18n.ZH, nil, YFormat{}, 40, 6, []float64{1})},
		"kline":      {func() string { s, _ := KLine(st, KLineSpec{Lang: i18n.ZH}, 60, 20); return s }()},
		"session":    {SessionChart(st, SessionSpec{Frame: model.SessionFrame(model.ExchangeA), Lang: i18n.ZH}, 60, 20)},
	}
	limit := map[string]int{"book": w, "no book": w, "flow bars": 40, "flow table": 80, "no flow": 80}
	for name, ls := range blocks {
		text := ansi.Strip(strings.Join(ls, "\n"))
		if text == "" {
			t.Errorf("%s: empty", name)
		}
		if wd := englishWord.FindString(text); wd != "" {
			t.Errorf("%s: English %q left in\n%s", name, wd, text)
		}
		for _, l := range strings.Split(text, "\n") {
			if n, ok := limit[name]; ok && Width(l) > n {
				t.Errorf("%s: %q is %d cells, over %d", name, l, Width(l), n)
			}
		}
	}
	if got := ansi.Strip(strings.Join(blocks["book"], "\n")); !strings.Contains(got, "五档 (手)") || !strings.Contains(got, "卖5") || !strings.Contains(got, "量比") {
		t.Errorf("book:\n%s", got)
	}
	if got := ansi.Strip(strings.Join(blocks["flow table"], "\n")); !strings.Contains(got, "超大单") || !strings.Contains(got, "20日") {
		t.Errorf("flow table:\n%s", got)
	}
	if got := ansi.Strip(blocks["crosshair"][0]); !strings.Contains(got, "开 10.50") || !strings.Contains(got, "收 10.80") {
		t.Errorf("crosshair %q", got)
	}
}

// Latencies read as the duration's own string in English.
func TestLatency(t *testing.T) {
	for _, d := range []time.Duration{120 * time.Millisecond, 1234 * time.Millisecond, 3 * time.Second, 1500 * time.Microsecond} {
		if got, want := Latency(i18n.EN, d), d.Round(time.Millisecond).String(); got != want {
			t.Errorf("Latency(%v) = %q, want %q", d, got, want)
		}
	}
	if got := Latency(i18n.ZH, 120*time.Millisecond); got != "120毫秒" {
		t.Errorf("Chinese latency %q", got)
	}
	if got := Latency(i18n.ZH, 1500*time.Millisecond); got != "1.5秒" {
		t.Errorf("Chinese latency %q", got)
	}
}
