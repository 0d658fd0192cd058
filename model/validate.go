package model

import (
	"errors"
	"fmt"
	"math"
)

// Plausibility limits for a quote's move against its previous close: an
// A-share moves at most ±20% (±30% on the BSE, more only on listing days),
// so anything past ±35% is a feed error; Hong Kong has no limit, so only
// absurd moves are refused there.
const (
	MaxMoveA  = 35.0
	MaxMoveHK = 300.0
)

// MaxMove returns the plausibility limit, in percent, for a market.
func MaxMove(m Market) float64 {
	if m == MarketHKEX {
		return MaxMoveHK
	}
	return MaxMoveA
}

// CheckQuote reports why a quote from a feed cannot be stored: a missing or
// non-positive last price, or a move beyond limit percent. The move is taken
// from last and previous close, else from pct (the feed's own change %).
func CheckQuote(q Quote, pct, limit float64) error {
	switch {
	case !Known(q.Last):
		return errors.New("last price missing")
	case q.Last <= 0:
		return fmt.Errorf("last price %g is not positive", q.Last)
	}
	if c := q.ChangePct(); Known(c) {
		pct = c
	}
	if Known(pct) && math.Abs(pct) > limit {
		return fmt.Errorf("absurd move %+.2f%% (limit ±%g%%)", pct, limit)
	}
	return nil
}

// Positive returns v when it is a finite number above zero, else Unknown: a
// price of 0 or below is a placeholder, not a price.
func Positive(v float64) float64 {
	if Known(v) && v > 0 {
		return v
	}
	return Unknown
}

// NonNegative returns v when it is finite and not below zero, else Unknown.
func NonNegative(v float64) float64 {
	if Known(v) && v >= 0 {
		return v
	}
	return Unknown
}
