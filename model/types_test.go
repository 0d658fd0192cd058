package model

import (
	"math"
	"testing"
)

func TestParseSymbol(t *testing.T) {
	tests := []struct {
		in     string
		code   string
		market Market
		etf    bool
		limit  float64
	}{
		{"600111", "600111", MarketSSE, false, 10},  // 北方稀土
		{"600010", "600010", MarketSSE, false, 10},  // 包钢股份
		{"000831", "000831", MarketSZSE, false, 10}, // 中国稀土
		{"002645", "002645", MarketSZSE, false, 10},
		{"300748", "300748", MarketSZSE, false, 20}, // 金力永磁, ChiNext
		{"301000", "301000", MarketSZSE, false, 20},
		{"688001", "688001", MarketSSE, false, 20}, // STAR
		{"06680", "06680", MarketHKEX, false, 0},
		{"00769", "00769", MarketHKEX, false, 0},
		{"516150", "516150", MarketSSE, true, 10}, // 稀土ETF嘉实
		{"159715", "159715", MarketSZSE, true, 10},
		{"830799", "830799", MarketBSE, false, 30},
		{"920001", "920001", MarketBSE, false, 30},
		{"900901", "900901", MarketSSE, false, 10},  // SSE B-share: '9' but not '92'
		{"BK0578", "BK0578", MarketBoard, false, 0}, // 稀土永磁
		{"bk1027", "BK1027", MarketBoard, false, 0},
		{"sh600111", "600111", MarketSSE, false, 10},
		{"SZ000831", "000831", MarketSZSE, false, 10},
		{"bj830799", "830799", MarketBSE, false, 30},
		{"rt_hk06680", "06680", MarketHKEX, false, 0},
		{"hk02600", "02600", MarketHKEX, false, 0},
		{" 600111 ", "600111", MarketSSE, false, 10},
		// The documented rule makes every bare 5-digit code a Hong Kong code,
		// so a 6-digit A-share code missing a digit is not rejected.
		{"60011", "60011", MarketHKEX, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, err := ParseSymbol(tt.in)
			if err != nil {
				t.Fatalf("ParseSymbol(%q): %v", tt.in, err)
			}
			if s.Code != tt.code || s.Market != tt.market {
				t.Errorf("ParseSymbol(%q) = %s/%v, want %s/%v", tt.in, s.Code, s.Market, tt.code, tt.market)
			}
			if s.Market != MarketBoard && s.IsETF() != tt.etf {
				t.Errorf("IsETF() = %v, want %v", s.IsETF(), tt.etf)
			}
			if got := s.LimitPct(); got != tt.limit {
				t.Errorf("LimitPct() = %v, want %v", got, tt.limit)
			}
		})
	}
}

func TestParseSymbolErrors(t *testing.T) {
	for _, in := range []string{
		"", "abc", "6001", "6001111", "hk600111", "rt_hk600111", "sh06680", "sz06680",
		"BK057", "BK05788", "shBK0578", "600111.SH", "60O111", "６００１１１",
	} {
		if s, err := ParseSymbol(in); err == nil {
			t.Errorf("ParseSymbol(%q) = %+v, want an error", in, s)
		}
	}
}

func TestLimitPctByName(t *testing.T) {
	tests := []struct {
		s    Symbol
		want float64
	}{
		{Symbol{Code: "600111", Market: MarketSSE, Name: "北方稀土"}, 10},
		{Symbol{Code: "600234", Market: MarketSSE, Name: "*ST科新"}, 5},
		{Symbol{Code: "000001", Market: MarketSZSE, Name: "ST平安"}, 5},
		{Symbol{Code: "06680", Market: MarketHKEX, Name: "ST"}, 0},
		{Symbol{Code: "BK0578", Market: MarketBoard}, 0},
	}
	for _, tt := range tests {
		if got := tt.s.LimitPct(); got != tt.want {
			t.Errorf("%s %s: LimitPct() = %v, want %v", tt.s.Code, tt.s.Name, got, tt.want)
		}
	}
}

func TestMarket(t *testing.T) {
	tests := []struct {
		m        Market
		str, cur string
		isA      bool
	}{
		{MarketSSE, "SSE", "CNY", true},
		{MarketSZSE, "SZSE", "CNY", true},
		{MarketBSE, "BSE", "CNY", true},
		{MarketHKEX, "HKEX", "HKD", false},
		{MarketBoard, "BOARD", "CNY", false},
		{MarketUnknown, "?", "CNY", false},
	}
	for _, tt := range tests {
		if tt.m.String() != tt.str || tt.m.Currency() != tt.cur || tt.m.IsA() != tt.isA {
			t.Errorf("%d: %q %q %v, want %q %q %v", tt.m, tt.m.String(), tt.m.Currency(), tt.m.IsA(), tt.str, tt.cur, tt.isA)
		}
	}
}

func TestQuoteChange(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name     string
		last, pc float64
		chg, pct float64 // NaN for unknown
	}{
		// 000831 fell 2.66%: 37.57 → 36.57 is −1.00, −2.6617…%.
		{"fall", 36.57, 37.57, -1.00, (36.57/37.57 - 1) * 100},
		// 600111 from 45.87 to 50.46: +4.59, +10.006…%.
		{"rise", 50.46, 45.87, 4.59, (50.46/45.87 - 1) * 100},
		{"flat", 2.00, 2.00, 0, 0},
		{"unknown last", nan, 10, nan, nan},
		{"unknown prev close", 10, nan, nan, nan},
		{"both unknown", nan, nan, nan, nan},
		{"infinite last", math.Inf(1), 10, nan, nan},
		{"zero prev close", 10, 0, 10, nan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := Quote{Last: tt.last, PrevClose: tt.pc}
			check := func(what string, got, want float64) {
				t.Helper()
				if math.IsNaN(want) {
					if !math.IsNaN(got) {
						t.Errorf("%s = %v, want NaN", what, got)
					}
					return
				}
				assertNear(t, what, got, want, 1e-9)
			}
			check("Change", q.Change(), tt.chg)
			check("ChangePct", q.ChangePct(), tt.pct)
		})
	}
	// The worked figure from REFERENCE §5 to two decimals.
	if got := Round2(Quote{Last: 36.57, PrevClose: 37.57}.ChangePct()); got != -2.66 {
		t.Errorf("ChangePct rounded = %v, want -2.66", got)
	}
}

func TestKnownAndRound2(t *testing.T) {
	for v, want := range map[float64]bool{0: true, -1.5: true, math.NaN(): false, math.Inf(1): false, math.Inf(-1): false} {
		if Known(v) != want {
			t.Errorf("Known(%v) = %v, want %v", v, Known(v), want)
		}
	}
	if !math.IsNaN(Unknown) {
		t.Errorf("Unknown = %v, want NaN", Unknown)
	}
	for in, want := range map[float64]float64{2.404: 2.40, 2.406: 2.41, -19.024: -19.02, -0.305: -0.31, 37.1343: 37.13} {
		if got := Round2(in); got != want {
			t.Errorf("Round2(%v) = %v, want %v", in, got, want)
		}
	}
}

func TestLimitPctBoards(t *testing.T) {
	for _, c := range []struct {
		code, name string
		m          Market
		want       float64
	}{
		{"302132", "", MarketSZSE, 20},
		{"300001", "*ST某某", MarketSZSE, 20},
		{"600001", "ST某某", MarketSSE, 5},
		{"688001", "", MarketSSE, 20},
		{"920001", "", MarketBSE, 30},
	} {
		if got := (Symbol{Code: c.code, Name: c.name, Market: c.m}).LimitPct(); got != c.want {
			t.Errorf("%s %s: limit %v, want %v", c.code, c.name, got, c.want)
		}
	}
	if (Symbol{Market: MarketSSE}).IsETF() {
		t.Error("an empty code is not an ETF")
	}
}
