package main

import (
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/rareterm/rareterm/i18n"
)

// Charts is the config's [charts] table:
//
//	[charts]
//	language = "zh"   # the older place of the top-level lang: used when lang is not set
type Charts struct {
	Language string // "en", "zh" or "" (not set)
}

const chartsTable = "charts"

// parseCharts reads [charts]. An unknown key or a bad value is an error
// naming the key and its line.
func parseCharts(path string, data []byte) (Charts, error) {
	var c Charts
	var f struct {
		Charts map[string]any `toml:"charts"`
	}
	if _, err := toml.Decode(string(data), &f); err != nil {
		return c, &ConfigError{Path: path, Key: chartsTable, Msg: err}
	}
	keys := make([]string, 0, len(f.Charts))
	for k := range f.Charts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		key := chartsTable + "." + k
		bad := func(t i18n.Text, args ...any) error {
			return &ConfigError{Path: path, Key: key, Line: keyLine(data, key), Msg: configMsg(t, args...)}
		}
		switch k {
		case "language":
			s, ok := f.Charts[k].(string)
			if !ok || (s != "en" && s != "zh") {
				return c, bad(i18n.ConfigChartsLang, f.Charts[k])
			}
			c.Language = s
		default:
			return c, bad(i18n.ConfigChartsUnknown)
		}
	}
	return c, nil
}

func isChartsKey(k string) bool {
	return k == chartsTable || strings.HasPrefix(k, chartsTable+".")
}
