package main

import (
	"strings"
	"testing"

	"github.com/rareterm/rareterm/i18n"
)

func TestConfigLanguageAndUnits(t *testing.T) {
	c, err := parseConfig("x.toml", []byte("colors = \"chinese\"\n\n[charts]\nlanguage = \"zh\"\n"))
	if err != nil || c.Charts.Language != "zh" || c.Lang != "zh" {
		t.Fatalf("the older [charts] language: %v %q %+v", err, c.Lang, c.Charts)
	}
	c, err = parseConfig("x.toml", []byte("lang = \"en\"\n[units]\nelements = \"wan\"\n[charts]\nlanguage = \"zh\"\n"))
	if err != nil || c.Lang != "en" || !c.ElementsWan {
		t.Fatalf("lang over [charts] language, units: %v %q %v", err, c.Lang, c.ElementsWan)
	}
	d, err := parseConfig("x.toml", []byte("colors = \"chinese\"\n"))
	if err != nil || d.Lang != "" || d.ElementsWan {
		t.Fatalf("default: %v %q %v", err, d.Lang, d.ElementsWan)
	}
	for _, c := range []struct{ file, want string }{
		{"[charts]\nlanguage = \"fr\"\n", "config x.toml:2: charts.language: want \"en\" or \"zh\""},
		{"[charts]\nlanguage = \"en\"\nma = [5, 10]\n", "config x.toml:3: charts.ma: unknown key"},
		{"colors = \"chinese\"\nlang = \"zh_CN\"\n", "config x.toml:2: lang: want \"en\" or \"zh\", got \"zh_CN\""},
		{"[units]\n\nelements = \"kg\"\n", "config x.toml:3: units.elements: want \"yuan\" (元/吨) or \"wan\" (万元/吨), got \"kg\""},
		{"[units]\nprices = \"wan\"\n", "config x.toml:2: units.prices: unknown key"},
	} {
		if _, err := parseConfig("x.toml", []byte(c.file)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v\nwant %q", c.file, err, c.want)
		}
	}
}

// TestLanguageChoice: --lang, then the config's lang, then the locale.
func TestLanguageChoice(t *testing.T) {
	for _, c := range []struct {
		flag, cfg, env string
		want           i18n.Lang
	}{
		{"", "", "", i18n.EN},
		{"", "", "zh_CN.UTF-8", i18n.ZH},
		{"", "en", "zh_CN.UTF-8", i18n.EN},
		{"zh", "en", "", i18n.ZH},
		{"en", "zh", "zh_CN.UTF-8", i18n.EN},
	} {
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", c.env)
		o := options{lang: c.flag}
		if got := o.language(Config{Lang: c.cfg}); got != c.want {
			t.Errorf("--lang %q, lang %q, LANG %q: %v, want %v", c.flag, c.cfg, c.env, got, c.want)
		}
	}
}
