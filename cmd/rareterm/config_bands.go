package main

import (
	"math"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

// bandsTable is the config table of the plausible price bands:
//
//	[elements.bands]
//	prnd_oxide = [200000, 2000000]   # 元/吨, min and max
//
// A product named there (by id, English or Chinese name) gets that band in
// place of its default one (model.DefaultBands); a manual entry, an import
// or a feed price outside it is refused.
const bandsTable = "elements.bands"

// parseBands reads [elements.bands] from the config file's bytes into the
// default bands. An unknown product or a value that is not two finite
// numbers with 0 < min < max is an error naming the key and its line.
func parseBands(path string, data []byte) (model.Bands, error) {
	bands := model.DefaultBands()
	var f struct {
		Elements struct {
			Bands map[string]any `toml:"bands"`
		} `toml:"elements"`
	}
	if _, err := toml.Decode(string(data), &f); err != nil {
		return bands, &ConfigError{Path: path, Key: bandsTable, Msg: err}
	}
	names := make([]string, 0, len(f.Elements.Bands))
	for k := range f.Elements.Bands {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		key := bandsTable + "." + k
		bad := func(t i18n.Text, args ...any) error {
			return &ConfigError{Path: path, Key: key, Line: keyLine(data, key), Msg: configMsg(t, args...)}
		}
		id, ok := model.LookupElement(k)
		if !ok {
			return bands, bad(i18n.ConfigUnknownElement, knownElements())
		}
		arr, ok := f.Elements.Bands[k].([]any)
		if !ok || len(arr) != 2 {
			return bands, bad(i18n.ConfigBandShape, k)
		}
		var v [2]float64
		for i, x := range arr {
			switch n := x.(type) {
			case int64:
				v[i] = float64(n)
			case float64:
				v[i] = n
			default:
				return bands, bad(i18n.ConfigBandValues, f.Elements.Bands[k])
			}
		}
		b := model.Band{Min: v[0], Max: v[1]}
		if math.IsInf(b.Max, 0) || !b.Valid() {
			return bands, bad(i18n.ConfigBandOrder, v[0], v[1])
		}
		bands[id] = b
	}
	return bands, nil
}

// isBandKey reports whether an undecoded config key belongs to
// [elements.bands] (read by parseBands).
func isBandKey(k string) bool {
	return k == "elements" || k == bandsTable || strings.HasPrefix(k, bandsTable+".")
}

// savePrices is the dashboard's manual price entry: every price is checked
// against the bands (store.SaveElementPrices) before it is stored.
func savePrices(db *store.DB, bands model.Bands) func([]model.ElementPrice) error {
	return func(ps []model.ElementPrice) error { return db.SaveElementPrices(ps, bands) }
}
