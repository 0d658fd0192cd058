package contract

import (
	"testing"

	"github.com/rareterm/rareterm/i18n"
)

// The feed's reasons for an unread notice are said in Chinese; English and
// an unknown reason stay as stored.
func TestNoticeReasonsInChinese(t *testing.T) {
	for in, want := range map[string]string{
		"not a quarterly concentrate-price notice":              "非季度精矿价格公告",
		"the text names no price for 2026Q1":                    "正文未给出 2026Q1 的价格",
		"no 不含税…元/吨 price in the sentence":                      "句中无 不含税…元/吨 价格",
		`price "2,000,000" out of range`:                        `价格 "2,000,000" 超出范围`,
		"no REO basis in the sentence":                          "句中无 REO 基准品位",
		"REO basis 5 out of range":                              "REO 基准品位 5 超出范围",
		"the step printed (530.00) is not price/basis (536.68)": "公告所列每 1% 调整额 (530.00) 不等于 价格/基准品位 (536.68)",
		"something new":                                         "something new",
	} {
		if got := reasonIn(i18n.ZH, in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
		if got := reasonIn(i18n.EN, in); got != in {
			t.Errorf("%q in English: %q", in, got)
		}
	}
}
