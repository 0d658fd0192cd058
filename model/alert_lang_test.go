package model

import (
	"strings"
	"testing"

	"github.com/rareterm/rareterm/i18n"
)

// A fired alert carries its title and body in both languages: English as
// before, Chinese with the desk's words and Chinese element names.
func TestAlertEventsSpeakBothLanguages(t *testing.T) {
	d0, d1 := Date(2026, 12, 3), Date(2026, 12, 4)
	snap := NewSnapshot()
	snap.Elements[PrNdOxide] = Series{{Element: PrNdOxide, Date: d0, Price: 600000, Source: "t"}}
	snap.Symbols["600111"] = Symbol{Code: "600111", Name: "北方稀土"}
	e := NewAlertEvaluator([]AlertRule{mustRule(t, "prnd_oxide chg% > 2"), mustRule(t, "600111 limit_up"), mustRule(t, "600111 flow > 1亿")}, snap, IndexSpec{}, true)
	b := Batch{
		Elements: []ElementPrice{{Element: PrNdOxide, Date: d1, Price: 615000, Source: "t"}},
		Quotes:   []Quote{{Symbol: "600111", Time: aOpen, Last: 55, PrevClose: 50, Open: 50, MainNet: 1.5e8}},
	}
	got := map[string]AlertEvent{}
	for _, ev := range e.Evaluate(b, aOpen) {
		got[ev.Rule] = ev
	}
	cases := []struct{ rule, en, zh, zhBody string }{
		{"prnd_oxide chg% > 2", "PrNd oxide chg% > +2.00%", "氧化镨钕 涨跌幅 > +2.00%", "氧化镨钕 涨跌幅 为 +2.50% 于 "},
		{"600111 limit_up", "600111 北方稀土 at limit up", "600111 北方稀土 涨停", "涨停 于 "},
		{"600111 flow > 1亿", "600111 北方稀土 flow > 1.00亿", "600111 北方稀土 主力净流入 > 1.00亿", "; 最新 55.00"},
	}
	for _, c := range cases {
		ev, ok := got[c.rule]
		if !ok {
			t.Errorf("%q did not fire", c.rule)
			continue
		}
		if ev.Title != c.en {
			t.Errorf("%q: English title %q, want %q", c.rule, ev.Title, c.en)
		}
		title, body := ev.In(i18n.ZH)
		if title != c.zh || !strings.Contains(body, c.zhBody) || !strings.Contains(body, "北京时间") {
			t.Errorf("%q: Chinese %q — %q, want %q and %q", c.rule, title, body, c.zh, c.zhBody)
		}
		if et, eb := ev.In(i18n.EN); et != ev.Title || eb != ev.Body {
			t.Errorf("%q: In(EN) is not the English", c.rule)
		}
	}
	// An alert stored before it had a Chinese text says itself in English.
	old := AlertEvent{Title: "t", Body: "b"}
	if title, body := old.In(i18n.ZH); title != "t" || body != "b" {
		t.Errorf("old alert in Chinese: %q %q", title, body)
	}
}

func TestContractAlertAndEstimateReasonInChinese(t *testing.T) {
	snap := NewSnapshot()
	snap.Contract, snap.Elements[PrNdOxide] = estimateFixture(6)
	e := NewAlertEvaluator([]AlertRule{mustRule(t, "contract new")}, snap, IndexSpec{}, false)
	next := ContractQuarter{Quarter: Quarter{2025, 4}, Price: 21600, BasisREO: 50, Source: "notice 临2025-050"}
	evs := e.Evaluate(Batch{Contract: []ContractQuarter{next}}, aNight)
	if len(evs) != 1 {
		t.Fatalf("%d alerts", len(evs))
	}
	title, body := evs[0].In(i18n.ZH)
	if title != "精矿关联交易价格 2025Q4 公布: 21,600 元/吨" || !strings.Contains(body, "较预估偏离 +1.0%, 预估 21,380 ±") {
		t.Errorf("Chinese %q — %q", title, body)
	}
	// Too few quarters: the reason in both languages.
	c, p := estimateFixture(2)
	est := EstimateContract(c, map[ElementID]Series{PrNdOxide: p}, Quarter{2025, 4}, EstimateSpec{})
	if est.OK || !strings.HasPrefix(est.Reason, "2 paired quarters, ") || est.Why(i18n.EN) != est.Reason || !strings.HasPrefix(est.Why(i18n.ZH), "仅 2 个配对季度") {
		t.Errorf("reason %q / %q", est.Reason, est.Why(i18n.ZH))
	}
}
