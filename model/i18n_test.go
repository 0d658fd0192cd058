package model

import (
	"testing"

	"github.com/rareterm/rareterm/i18n"
)

// The checks a user reads, in Chinese, with the product's Chinese name.
func TestValidationErrorsInChinese(t *testing.T) {
	err := DefaultBands().Check(ElementPrice{Element: PrNdOxide, Price: 600000, Low: 1, High: Unknown})
	if got, want := i18n.Say(i18n.ZH, err), "氧化镨钕区间下限 1 元/吨 超出其合理区间 [80,000, 5,500,000] 元/吨"; got != want {
		t.Errorf("band:\n%q\nwant\n%q", got, want)
	}
	if got, want := err.Error(), "PrNd oxide low 1 元/吨 is outside its plausible band [80,000, 5,500,000] 元/吨"; got != want {
		t.Errorf("band in English: %q", got)
	}
	err = CheckContract(ContractQuarter{Quarter: Quarter{2026, 1}, Price: 1000})
	if got, want := i18n.Say(i18n.ZH, err), "2026Q1 季度精矿关联交易价格 1,000 元/吨 超出其合理区间 [3,000, 200,000] 元/吨"; got != want {
		t.Errorf("contract:\n%q\nwant\n%q", got, want)
	}
	_, err = ToYuanPerTon(1, "USD/lb")
	if got, want := i18n.Say(i18n.ZH, err), "未知的价格单位 \"USD/lb\"（应为 元/吨、万元/吨 或 元/kg）"; got != want {
		t.Errorf("unit:\n%q\nwant\n%q", got, want)
	}
}
