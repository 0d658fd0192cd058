package model

import (
	"strings"
	"testing"
)

func TestCheckQuote(t *testing.T) {
	for _, c := range []struct {
		q     Quote
		pct   float64
		limit float64
		want  string
	}{
		{Quote{Last: 49.41, PrevClose: 48.73}, Unknown, MaxMoveA, ""},
		{Quote{Last: Unknown, PrevClose: 48.73}, Unknown, MaxMoveA, "missing"},
		{Quote{Last: 0, PrevClose: 48.73}, Unknown, MaxMoveA, "not positive"},
		{Quote{Last: 100, PrevClose: 50}, Unknown, MaxMoveA, "absurd move +100.00%"}, // (100/50−1) = 100%
		{Quote{Last: 100, PrevClose: 50}, Unknown, MaxMoveHK, ""},
		{Quote{Last: 10, PrevClose: Unknown}, 50, MaxMoveA, "absurd move +50.00%"}, // the feed's own change % when there is no previous close
		{Quote{Last: 10, PrevClose: Unknown}, Unknown, MaxMoveA, ""},
	} {
		err := CheckQuote(c.q, c.pct, c.limit)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v pct %v limit %v: got %v, want %q", c.q, c.pct, c.limit, err, c.want)
		}
	}
	if Known(Positive(0)) || Known(Positive(-1)) || Positive(2) != 2 || Known(NonNegative(-1)) || NonNegative(0) != 0 {
		t.Error("Positive/NonNegative")
	}
	if MaxMove(MarketHKEX) != MaxMoveHK || MaxMove(MarketSSE) != MaxMoveA {
		t.Error("MaxMove")
	}
}
