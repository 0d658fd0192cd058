package ticker

import (
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// marketNames are the markets' short names (SSE / 沪 …).
var marketNames = map[model.Market]i18n.Text{
	model.MarketSSE:   i18n.MarketSSE,
	model.MarketSZSE:  i18n.MarketSZSE,
	model.MarketBSE:   i18n.MarketBSE,
	model.MarketHKEX:  i18n.MarketHKEX,
	model.MarketBoard: i18n.MarketBoard,
}

// MarketName is market m's short name in l (SSE, 沪).
func MarketName(l i18n.Lang, m model.Market) string {
	if t, ok := marketNames[m]; ok {
		return t.In(l)
	}
	return m.String()
}

// Listing is where sym trades, as the watchlist and search name it: ETF
// for a fund, else its market.
func Listing(l i18n.Lang, sym model.Symbol) string {
	if sym.IsETF() {
		return "ETF"
	}
	return MarketName(l, sym.Market)
}

// sourceNames are the sources that are words, not feed names.
var sourceNames = map[string]i18n.Text{
	model.ManualSource: i18n.SourceManual,
	model.DemoSource:   i18n.SourceDemo,
}

// SourceName is a figure's source as shown in l: a feed's own name, or
// what "manual" and "demo" mean.
func SourceName(l i18n.Lang, src string) string {
	if t, ok := sourceNames[src]; ok {
		return t.In(l)
	}
	return src
}
