package widgets

import (
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// ElementName is an element product's name in l: "PrNd oxide" or 氧化镨钕.
func ElementName(l i18n.Lang, id model.ElementID) string {
	if e, ok := model.Element(id); ok {
		return i18n.Pick(l, e.Short, e.Zh)
	}
	return string(id)
}

// ElementUnit is the unit element prices are shown in: 元/吨, or 万元/吨
// with wan.
func ElementUnit(l i18n.Lang, wan bool) string {
	if wan {
		return i18n.UnitWanPerTon.In(l)
	}
	return i18n.UnitYuanPerTon.In(l)
}

// ElementPrice is an element price (stored in 元/吨) as the unit option
// shows it: 549,500 in 元/吨, or 54.95 in 万元/吨.
func ElementPrice(v float64, wan bool) string {
	if wan {
		return Thousands(v/10000, 2)
	}
	return Thousands(v, 0)
}
