package model

import (
	"strings"

	"github.com/rareterm/rareterm/i18n"
)

// ElementID names a rare-earth product that rareterm tracks.
type ElementID string

const (
	LaOxide   ElementID = "la_oxide"
	CeOxide   ElementID = "ce_oxide"
	PrOxide   ElementID = "pr_oxide"
	NdOxide   ElementID = "nd_oxide"
	PrNdOxide ElementID = "prnd_oxide"
	PrNdMetal ElementID = "prnd_metal"
	NdMetal   ElementID = "nd_metal"
	PrMetal   ElementID = "pr_metal"
	DyOxide   ElementID = "dy_oxide"
	DyMetal   ElementID = "dy_metal"
	TbOxide   ElementID = "tb_oxide"
	TbMetal   ElementID = "tb_metal"
)

// ElementInfo describes a product: its display names and the names price
// tables print for it.
type ElementInfo struct {
	ID       ElementID
	Short    string   // English display name, e.g. "PrNd oxide"
	Zh       string   // canonical Chinese name
	Synonyms []string // other Chinese names price tables use
	Heavy    bool
}

// Elements is the catalogue, in display order (light before heavy).
var Elements = []ElementInfo{
	{ID: LaOxide, Short: "La oxide", Zh: "氧化镧"},
	{ID: CeOxide, Short: "Ce oxide", Zh: "氧化铈"},
	{ID: PrOxide, Short: "Pr oxide", Zh: "氧化镨"},
	{ID: NdOxide, Short: "Nd oxide", Zh: "氧化钕"},
	{ID: PrNdOxide, Short: "PrNd oxide", Zh: "氧化镨钕", Synonyms: []string{"镨钕氧化物"}},
	{ID: PrNdMetal, Short: "PrNd metal", Zh: "金属镨钕", Synonyms: []string{"镨钕金属", "镨钕合金"}},
	{ID: NdMetal, Short: "Nd metal", Zh: "金属钕"},
	{ID: PrMetal, Short: "Pr metal", Zh: "金属镨"},
	{ID: DyOxide, Short: "Dy oxide", Zh: "氧化镝", Heavy: true},
	{ID: DyMetal, Short: "Dy metal", Zh: "金属镝", Heavy: true},
	{ID: TbOxide, Short: "Tb oxide", Zh: "氧化铽", Heavy: true},
	{ID: TbMetal, Short: "Tb metal", Zh: "金属铽", Heavy: true},
}

// DashboardElements are the products the elements panel lists by default.
var DashboardElements = []ElementID{PrNdOxide, PrNdMetal, NdMetal, LaOxide, CeOxide, PrOxide, NdOxide, DyOxide, TbOxide, TbMetal}

// Element returns the catalogue entry for id.
func Element(id ElementID) (ElementInfo, bool) {
	for _, e := range Elements {
		if e.ID == id {
			return e, true
		}
	}
	return ElementInfo{}, false
}

// ElementName returns the English display name of id (the id itself if unknown).
func ElementName(id ElementID) string {
	if e, ok := Element(id); ok {
		return e.Short
	}
	return string(id)
}

// LookupElement resolves an id ("prnd_oxide"), an English name ("PrNd oxide",
// case-insensitive) or a Chinese name or synonym ("镨钕氧化物"), ignoring a
// purity suffix such as "(99.99%)".
func LookupElement(name string) (ElementID, bool) {
	n := strings.TrimSpace(name)
	if i := strings.IndexAny(n, "(（"); i > 0 {
		n = strings.TrimSpace(n[:i])
	}
	low := strings.ToLower(n)
	for _, e := range Elements {
		if low == string(e.ID) || low == strings.ToLower(e.Short) || n == e.Zh {
			return e.ID, true
		}
		for _, s := range e.Synonyms {
			if n == s {
				return e.ID, true
			}
		}
	}
	return "", false
}

// Unit conversion to 元/吨.
var unitFactors = map[string]float64{
	"元/吨": 1, "元/t": 1, "yuan/t": 1, "yuan/mt": 1, "cny/t": 1, "rmb/t": 1, "":
	// an unlabelled figure is taken as 元/吨, the storage unit
	1,
	"万元/吨": 10000, "万元/t": 10000,
	"元/千克": 1000, "元/kg": 1000, "元/公斤": 1000, "yuan/kg": 1000, "cny/kg": 1000, "rmb/kg": 1000,
}

// ToYuanPerTon converts v in unit to 元/吨.
func ToYuanPerTon(v float64, unit string) (float64, error) {
	f, ok := unitFactors[strings.ToLower(strings.ReplaceAll(strings.TrimSpace(unit), " ", ""))]
	if !ok {
		return 0, i18n.Errorf(i18n.ModelUnknownUnit, unit)
	}
	return v * f, nil
}
