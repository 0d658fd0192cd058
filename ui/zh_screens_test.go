package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/ui/screens/dashboard"
	"github.com/rareterm/rareterm/ui/screens/search"
	"github.com/rareterm/rareterm/ui/screens/ticker"
)

// langFixture is the fixture market with the labels in l, element prices
// in 万元/吨 with wan.
func langFixture(l i18n.Lang, wan bool) *Model {
	return fixtureModelWith(false, func(d *Deps) { d.Lang, d.ElementsWan = l, wan })
}

// zhSizes are the sizes the Chinese screens are checked at.
var zhSizes = [][2]int{{80, 24}, {160, 48}}

func mustHave(t *testing.T, label, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("%s: %q missing in\n%s", label, w, s)
		}
	}
}

// The dashboard in Chinese: every panel's title, headers and rows in
// Chinese, no English word in the panels converted here, the screen fits.
func TestChineseDashboard(t *testing.T) {
	want := map[dashboard.Panel][]string{
		dashboard.Elements: {"稀土价格 元/吨", "氧化镨钕", "金属镨钕", "同比+11.7%", "672,000"},
		dashboard.Index:    {"稀土", "日涨跌"},
		dashboard.Watch:    {"自选", "代码", "名称", "最新", "涨跌幅", "北方稀土"},
		dashboard.Contract: {"包钢→北方", "连续 6 个季度上涨", "预估"},
		dashboard.Margin:   {"融资融券 (亿元)", "代码", "余额", "买入", "净买入"},
		dashboard.Sector:   {"板块涨跌", "主力 +15.23亿"},
	}
	wide := map[dashboard.Panel][]string{
		dashboard.Index:    {"稀土价格指数 (本地计算, 基期 2025-01-02 = 1000)", "年初至今"},
		dashboard.Watch:    {"成交额", "主力净流入", "市盈率", "市场", "沪", "深", "港"},
		dashboard.Contract: {"精矿关联交易价格", "不含税", "未公布"},
		dashboard.Margin:   {"占流通", "日期"},
		dashboard.Sector:   {"领涨 中科三环"},
	}
	for _, sz := range zhSizes {
		m := sized(langFixture(i18n.ZH, false), sz[0], sz[1])
		checkFits(t, "dashboard zh", screenText(m), sz[0], sz[1])
		mustHave(t, "breadcrumb", screenText(m), "总览")
		for p := dashboard.Panel(0); p < dashboard.Ladder; p++ {
			f := ansi.Strip(dash(m).Frame(p))
			mustHave(t, dashboard.PanelNames[p], f, want[p]...)
			if sz[0] >= 160 {
				mustHave(t, dashboard.PanelNames[p], f, wide[p]...)
			}
			if p == dashboard.Margin || p == dashboard.Sector {
				continue // their sector summary and ETF row are labelled elsewhere
			}
			if w := englishLeft(f); len(w) > 0 {
				t.Errorf("%s at %dx%d: English left: %v\n%s", dashboard.PanelNames[p], sz[0], sz[1], w, f)
			}
		}
	}
	// The tab strip of a small terminal names the panels in Chinese.
	m := sized(langFixture(i18n.ZH, false), 60, 20)
	mustHave(t, "tab strip", screenText(m), "[稀土价格]", "价格指数", "自选")
}

// The watchlist's columns are as wide as their Chinese headers: 主力净流入
// is not cut to fit the 8 cells its figures need.
func TestChineseWatchHeadersWhole(t *testing.T) {
	m := sized(langFixture(i18n.ZH, false), 160, 48)
	rows := dash(m).Rows(dashboard.Watch)
	hdr := rows[0].Plain
	if !strings.Contains(hdr, "主力净流入") || strings.Contains(hdr, "…") {
		t.Fatalf("header %q", hdr)
	}
	// The figures end where their header ends (right-aligned columns).
	end := func(line, s string) int {
		i := strings.Index(line, s)
		if i < 0 {
			t.Fatalf("%q not in %q", s, line)
		}
		return ansi.StringWidth(line[:i+len(s)])
	}
	if h, v := end(hdr, "主力净流入"), end(rows[1].Plain, "+3.12亿"); h != v {
		t.Errorf("main net header ends at %d, its figure at %d:\n%s\n%s", h, v, hdr, rows[1].Plain)
	}
}

// [units] elements = "wan" shows element prices in 万元/吨, in both
// languages; without it they stay in 元/吨.
func TestElementsPanelInWan(t *testing.T) {
	for _, c := range []struct {
		l         i18n.Lang
		wan       bool
		want, not []string
	}{
		{i18n.EN, false, []string{"Elements 元/吨", "PrNd oxide", "672,000"}, []string{"万元"}},
		{i18n.EN, true, []string{"Elements 万元/吨", "PrNd oxide", "67.20", "716.80"}, []string{"672,000"}},
		{i18n.ZH, true, []string{"稀土价格 万元/吨", "氧化镨钕", "67.20", "氧化铽"}, []string{"672,000", "PrNd"}},
	} {
		m := sized(langFixture(c.l, c.wan), 160, 48)
		f := ansi.Strip(dash(m).Frame(dashboard.Elements))
		mustHave(t, "elements", f, c.want...)
		for _, n := range c.not {
			if strings.Contains(f, n) {
				t.Errorf("%v wan=%v: %q shown:\n%s", c.l, c.wan, n, f)
			}
		}
	}
}

// The ticker view in Chinese: the header, each tab, the key statistics,
// margin financing and the boards; the footer's own keys.
func TestChineseTicker(t *testing.T) {
	for _, sz := range zhSizes {
		m := sized(langFixture(i18n.ZH, false), sz[0], sz[1])
		press(m, "tab", "tab", "enter")
		s := screenText(m)
		checkFits(t, "ticker zh", s, sz[0], sz[1])
		mustHave(t, "ticker", s, "600111 北方稀土  沪", "行情", "五档", "资金流向", "公告", "最新价", "今开", "涨停价", "52周最高")
		if w := englishLeft(body(s)); len(w) > 0 {
			t.Errorf("ticker at %dx%d: English left: %v\n%s", sz[0], sz[1], w, s)
		}
		if sz[0] >= 160 {
			mustHave(t, "ticker", s, "所属板块: 稀土永磁", "融资融券 (亿元)", "融券余额", "十字光标")
			// The margin table's Chinese headers stand over their columns.
			var hdr, row string
			lines := strings.Split(s, "\n")
			for i, l := range lines {
				if strings.HasPrefix(l, "日期") {
					hdr, row = l, lines[i+1]
				}
			}
			for _, c := range [][2]string{{"净买入", "0.49"}, {"融券余额", "0.61"}} {
				hi, vi := strings.Index(hdr, c[0]), strings.Index(row, c[1])
				if hi < 0 || vi < 0 || ansi.StringWidth(hdr[:hi+len(c[0])]) != ansi.StringWidth(row[:vi+len(c[1])]) {
					t.Errorf("%s is not over %s:\n%s\n%s", c[0], c[1], hdr, row)
				}
			}
		}
		// The fund flow chart's empty text is the flow widget's, the 公告
		// tab's the announcements view's: only the order book is checked
		// for English here.
		for tab, want := range []string{"五档", "今日主力净流入 (累计)", "公告"} {
			press(m, "tab")
			s := screenText(m)
			checkFits(t, "ticker tab zh", s, sz[0], sz[1])
			mustHave(t, "ticker tab", s, want)
			if w := englishLeft(body(s)); len(w) > 0 && tab == 0 {
				t.Errorf("ticker tab %d at %dx%d: English left: %v\n%s", tab+1, sz[0], sz[1], w, s)
			}
		}
	}
}

// The board view and search in Chinese.
func TestChineseBoardAndSearch(t *testing.T) {
	for _, sz := range zhSizes {
		m := sized(langFixture(i18n.ZH, false), sz[0], sz[1])
		press(m, views["board"]...)
		s := screenText(m)
		checkFits(t, "board zh", s, sz[0], sz[1])
		mustHave(t, "board", s, "板块 › BK0578 稀土永磁", "主力 +15.23亿", "领涨 中科三环", "无成分股涨停", "按涨跌排序", "打开个股", "代码", "主力净流入", "换手率")
		if w := englishLeft(body(s)); len(w) > 0 {
			t.Errorf("board at %dx%d: English left: %v\n%s", sz[0], sz[1], w, s)
		}
		press(m, "s")
		mustHave(t, "board sorted", screenText(m), "按主力净流入排序")

		m = sized(langFixture(i18n.ZH, false), sz[0], sz[1])
		press(m, views["search"]...)
		s = screenText(m)
		checkFits(t, "search zh", s, sz[0], sz[1])
		mustHave(t, "search", s, "搜索 / bfxt", "输入代码", "北方稀土", "沪")
		press(m, "z", "z", "z")
		mustHave(t, "search", screenText(m), "没有与 \"bfxtzzz\" 匹配的证券")
		press(m, "esc", "/", "y", "h")
		mustHave(t, "search", screenText(m), "中国银行", "港")
	}
}

// The keys these screens describe themselves say what they do in Chinese.
func TestChineseKeyHelp(t *testing.T) {
	k := langFixture(i18n.ZH, false).keys
	var descs []string
	for _, g := range append(ticker.FullHelp(k, i18n.ZH), search.FullHelp(k, i18n.ZH)...) {
		for _, b := range g {
			descs = append(descs, b.Help().Desc)
		}
	}
	all := strings.Join(descs, "|")
	mustHave(t, "help", all, "十字光标", "隐藏十字光标 (K线), 否则返回", "标签: 行情, 五档, 资金流向, 公告", "上一个结果", "关闭", "打开")
	en := ticker.FullHelp(k, i18n.EN)
	if got := en[1][0].Help().Desc; got != "tabs: chart, order book, fund flow" {
		t.Errorf("English ticker tabs help %q", got)
	}
}

// The ticker's order book and fund flow tabs overflow no terminal from
// 20×5 to 240×70 in Chinese (TestChineseSizeSweepNeverOverflows sweeps
// the other screens).
func TestChineseTickerTabsSizeSweep(t *testing.T) {
	keys := map[string][]string{
		"ticker_book": append(append([]string(nil), views["ticker"]...), "tab"),
		"ticker_flow": append(append([]string(nil), views["ticker"]...), "tab", "tab"),
	}
	for name, ks := range keys {
		for w := 20; w <= 240; w += 11 {
			m := sized(langFixture(i18n.ZH, true), w, 5)
			press(m, ks...)
			for h := 5; h <= 70; h += 7 {
				sized(m, w, h)
				checkFits(t, name+" zh", screenText(m), w, h)
			}
		}
	}
}
