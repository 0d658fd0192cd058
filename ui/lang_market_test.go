package ui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/alerts"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// zhMarketModel is the fixture market with the labels in Chinese (and
// element prices in 万元/吨 with wan), an alert engine and cached notices.
func zhMarketModel(t *testing.T, wan bool) (*Model, *alerts.Engine) {
	t.Helper()
	var rules []model.AlertRule
	for _, s := range []string{"600111 > 50", "prnd_oxide chg% > 2", "600111 limit_open", "contract new"} {
		r, err := model.ParseAlertRule(s)
		if err != nil {
			t.Fatal(err)
		}
		r.Deliver = []string{model.DeliverStatus}
		rules = append(rules, r)
	}
	eng := alerts.New(alerts.Config{Rules: rules, Snapshot: fixtureSnapshot(), Now: func() time.Time { return fixtureNow }})
	hist := noticeHistory{
		items: map[string][]model.Notice{"600111": {
			{ID: "AN1", Codes: []string{"600111"}, Title: "北方稀土:关于2026年第一季度稀土精矿交易价格的公告", Date: model.Date(2026, 1, 10), Category: "日常关联交易", Source: "eastmoney"},
		}},
		texts: map[string]string{"AN1": "2026年第一季度稀土精矿交易价格调整为不含税26,834元/吨（干量，REO=50%）。"},
	}
	m := New(Deps{
		Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Boards: []string{"BK0578", "BK1027", "BK0479"}, Health: fixtureHealth(),
		NoColor: true, Now: func() time.Time { return fixtureNow }, Alerts: eng, History: hist,
		NoticeText: func(context.Context, string) (string, error) { return "", nil },
		Lang:       i18n.ZH, ElementsWan: wan,
	})
	for _, w := range fixtureWatch {
		m.mkt.SeenAt[w.Code] = fixtureNow
	}
	l := fixtureLadder()
	m.Update(NewUniverseMsg(fixtureUniverse()))
	m.Update(MarketMsg{Ladder: &l, ETFFlows: map[string]model.ETFFlow{"516150": fixtureFlow()}})
	return m, eng
}

// body is the screen between the header line and the footer: what the
// view itself drew (the breadcrumbs and key hints are the frame's).
func body(s string) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= 2 {
		return s
	}
	return strings.Join(lines[1:len(lines)-1], "\n")
}

// Every view of the whole market and of the market's own products, in
// Chinese at 80×24 and 160×48: the desk's words on it, no English word
// left in what the view draws, and no line wider than the terminal.
func TestMarketViewsInChinese(t *testing.T) {
	for _, v := range zhViews {
		for _, sz := range [][2]int{{80, 24}, {160, 48}} {
			m, _ := zhMarketModel(t, false)
			sized(m, sz[0], sz[1])
			press(m, v.keys...)
			s := screenText(m)
			if os.Getenv("RARETERM_SHOW") != "" {
				t.Logf("%s %dx%d:\n%s", v.name, sz[0], sz[1], s)
			}
			checkFits(t, v.name, s, sz[0], sz[1])
			if sz[0] < 160 {
				continue // the labels are checked where everything has room
			}
			for _, w := range v.want {
				if !strings.Contains(s, w) {
					t.Errorf("%s at %dx%d: no %q in\n%s", v.name, sz[0], sz[1], w, s)
				}
			}
			if left := englishLeft(body(s)); len(left) > 0 {
				t.Errorf("%s at %dx%d: English left %q in\n%s", v.name, sz[0], sz[1], left, body(s))
			}
		}
	}
}

// No Chinese view overflows a terminal from 20×5 to 240×70.
func TestMarketViewsInChineseNeverOverflow(t *testing.T) {
	for _, v := range zhViews {
		if _, swept := screens[v.name]; swept {
			continue // TestChineseSizeSweepNeverOverflows sweeps it
		}
		for w := 20; w <= 240; w += 22 {
			m, _ := zhMarketModel(t, true)
			sized(m, w, 5)
			press(m, v.keys...)
			for h := 5; h <= 70; h += 13 {
				sized(m, w, h)
				checkFits(t, fmt.Sprintf("%s at %dx%d", v.name, w, h), screenText(m), w, h)
			}
		}
	}
}

// zhViews are the views checked in Chinese: the keys that open each from
// the dashboard, and labels it must show at 160×48.
var zhViews = []struct {
	name string
	keys []string
	want []string
}{
	{"element", []string{"enter"}, []string{"氧化镨钕", "元/吨", "日涨跌", "同比", "来源", "指数权重"}},
	{"index", []string{"tab", "enter"}, []string{"稀土价格指数", "成分", "权重", "基期价格", "氧化镨钕"}},
	{"contract", []string{"tab", "tab", "tab", "enter"}, []string{"稀土精矿关联交易价格", "季度", "环比", "来源", "REO 计算器"}},
	{"estimate", []string{"tab", "tab", "tab", "enter", "e"}, []string{"精矿关联交易价格预估"}},
	{"ladder", []string{":", "l", "a", "d", "d", "e", "r", "enter"}, []string{"涨停梯队", "首次封板", "最后封板", "封单额", "首板"}},
	{"margin", []string{":", "m", "a", "r", "g", "i", "n", "enter"}, []string{"稀土板块融资余额", "代码", "名称"}},
	{"etfflow", []string{"tab", "tab", "tab", "tab", "tab", "end", "enter"}, []string{"ETF 资金流向", "今日", "5日", "份额变动", "主力净额"}},
	{"alerts", []string{":", "a", "l", "e", "r", "t", "s", "enter"}, []string{"预警 · 4 条规则", "规则", "状态", "待触发", "已触发"}},
	{"notices", []string{"tab", "tab", "enter", "n"}, []string{"公告 (最新在前)", "日期", "类别", "标题"}},
	{"pager", []string{"tab", "tab", "enter", "n", "enter"}, []string{"不含税26,834元/吨", "第 1–1 行, 共 1 行 · 来自 缓存"}},
}

// With [units] elements = "wan" the element and index views show element
// prices in 万元/吨, the unit saying so.
func TestElementViewsInWan(t *testing.T) {
	m, _ := zhMarketModel(t, true)
	sized(m, 160, 48)
	press(m, "enter")
	s := screenText(m)
	if !strings.Contains(s, "氧化镨钕  万元/吨") || !strings.Contains(s, "67.20  日涨跌") || !strings.Contains(s, "67.00 ┤") || strings.Contains(s, "672,000") {
		t.Errorf("element in 万元/吨:\n%s", s)
	}
	press(m, "esc", "tab", "enter")
	s = screenText(m)
	if !strings.Contains(s, "氧化镨钕       40.0%         60.00         67.20") {
		t.Errorf("index in 万元/吨:\n%s", s)
	}
}

// A fired alert shows in Chinese in the alerts view and the status bar.
func TestFiredAlertInChinese(t *testing.T) {
	m, eng := zhMarketModel(t, false)
	sized(m, 160, 48)
	fire(m, eng, model.Batch{At: fixtureNow, Quotes: []model.Quote{{Symbol: "600111", Name: "北方稀土", Time: fixtureNow, Last: 51, PrevClose: 50, Open: 50, MainNet: model.Unknown}}})
	if s := screenText(m); !strings.Contains(s, "⚑ 600111 北方稀土 价格 > 50.00 — 600111 北方稀土 价格 为 51.00 于 ") {
		t.Errorf("status bar:\n%s", s)
	}
	press(m, ":", "a", "l", "e", "r", "t", "s", "enter")
	s := screenText(m)
	if !strings.Contains(s, "600111 北方稀土 价格 > 50.00 — 600111 北方稀土 价格 为 51.00 于 2026-01-09 10:31:05 北京时间") || !strings.Contains(s, "已触发") {
		t.Errorf("alerts view:\n%s", s)
	}
	checkFits(t, "alerts", s, 160, 48)
}

// The estimate with its back-test, in Chinese: the table's columns line up
// by display width under their Chinese headers.
func TestEstimateBacktestInChinese(t *testing.T) {
	m, _ := zhMarketModel(t, false)
	sized(m, 160, 48)
	press(m, "tab", "tab", "tab", "enter")
	q := func(y, n int) model.Quarter { return model.Quarter{Year: y, Q: n} }
	m.mkt.Derived.Estimate = model.ContractEstimate{OK: true, Spec: model.EstimateSpec{WithLa: true}, Coef: []float64{6671.43, 282.86, 1.5},
		Pairs: []model.Quarter{q(2025, 1), q(2025, 4)}, Source: "smm", RMSE: 143, MAPE: 0.6, Target: q(2026, 2), From: q(2026, 1),
		X: []float64{52.1, 0.45}, Days: 40, Estimate: 21380, Low: 21237, High: 21523,
		Backtest: []model.BacktestRow{{Quarter: q(2025, 4), X: []float64{52, 0.45}, Actual: 21600, Estimate: 21380, Err: -220, ErrPct: -1.02}}}
	press(m, "e")
	s := screenText(m)
	checkFits(t, "estimate", s, 160, 48)
	for _, w := range []string{"2026Q2 精矿关联交易价格预估", "模型: 价格 = 6,671 + 282.86 × 上一季度氧化镨钕均价 + 1.50 × 上一季度氧化镧均价", "回测",
		"季度        前季镨钕    前季镧      实际      预估      误差    误差%", "2025Q4         52.00      0.45    21,600    21,380      -220    -1.0%",
		"2026Q1 至今: 氧化镨钕均价 52.10, 氧化镧均价 0.450 万元/吨, 共 40 天"} {
		if !strings.Contains(s, w) {
			t.Errorf("no %q in\n%s", w, s)
		}
	}
	if left := englishLeft(body(s)); len(left) > 0 {
		t.Errorf("English left %q in\n%s", left, body(s))
	}
}

// A ladder of an earlier day says so in Chinese, in the view and the panel.
func TestLadderOfAnEarlierDayInChinese(t *testing.T) {
	m, _ := zhMarketModel(t, false)
	l := fixtureLadder()
	l.Day = model.Date(2026, 1, 8)
	m.Update(MarketMsg{Ladder: &l})
	sized(m, 200, 60)
	if s := screenText(m); !strings.Contains(s, "01-09 尚无涨停池: 显示 01-08") || !strings.Contains(s, "涨停 01-08 ") {
		t.Errorf("dashboard:\n%s", s)
	}
	press(m, ":", "l", "a", "d", "d", "e", "r", "enter")
	if s := screenText(m); !strings.Contains(s, "涨停梯队 · 连板  2026-01-08  4 只") || !strings.Contains(s, "01-09 尚无涨停池: 显示 01-08") {
		t.Errorf("ladder:\n%s", s)
	}
}
