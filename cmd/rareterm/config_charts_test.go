package main

import (
	"strings"
	"testing"
)

func TestConfigChartsLanguage(t *testing.T) {
	c, err := parseConfig("x.toml", []byte("colors = \"chinese\"\n\n[charts]\nlanguage = \"zh\"\n"))
	if err != nil || c.Charts.Language != "zh" {
		t.Fatalf("%v %+v", err, c.Charts)
	}
	if d, err := parseConfig("x.toml", []byte("colors = \"chinese\"\n")); err != nil || d.Charts.Language != "en" {
		t.Fatalf("default: %v %+v", err, d.Charts)
	}
	for _, c := range []struct{ file, want string }{
		{"[charts]\nlanguage = \"fr\"\n", "config x.toml:2: charts.language: want \"en\" or \"zh\""},
		{"[charts]\nlanguage = \"en\"\nma = [5, 10]\n", "config x.toml:3: charts.ma: unknown key"},
	} {
		if _, err := parseConfig("x.toml", []byte(c.file)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v\nwant %q", c.file, err, c.want)
		}
	}
}
