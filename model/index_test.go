package model

import (
	"strings"
	"testing"
	"time"
)

// Dates used by the index tests. They need not be trading days.
var (
	d0 = DefaultBaseDate // 2025-01-02, the base date
	d1 = Date(2025, 1, 3)
	d2 = Date(2025, 1, 6)
	d3 = Date(2025, 1, 7)
	d4 = Date(2025, 1, 8)
)

// ser builds a series, oldest first, from (date, price) pairs.
func ser(id ElementID, pts ...any) Series {
	var s Series
	for i := 0; i < len(pts); i += 2 {
		s = append(s, ElementPrice{Element: id, Date: pts[i].(time.Time), Price: pts[i+1].(float64)})
	}
	return s
}

func oneEra(ws ...IndexWeight) IndexSpec {
	return IndexSpec{Base: 1000, BaseDate: d0, Eras: []IndexEra{{From: d0, Weights: ws}}}
}

type pt struct {
	d time.Time
	v float64
}

func assertPoints(t *testing.T, got []IndexPoint, want []pt) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d points %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		if !got[i].Date.Equal(want[i].d) {
			t.Errorf("point %d date %v, want %v", i, got[i].Date, want[i].d)
		}
		if !near(got[i].Value, want[i].v, 1e-9) {
			t.Errorf("point %d (%s) = %.12g, want %.12g", i, want[i].d.Format("2006-01-02"), got[i].Value, want[i].v)
		}
	}
}

func TestComputeIndexSingleEra(t *testing.T) {
	tests := []struct {
		name   string
		spec   IndexSpec
		prices map[ElementID]Series
		want   []pt
	}{
		{
			// I = 1000 × (0.5 × 110/100 + 0.5 × 180/200) = 1000 × (0.55 + 0.45) = 1000
			// then 1000 × (0.5 × 120/100 + 0.5 × 220/200) = 1000 × (0.60 + 0.55) = 1150.
			name: "two elements, equal weights",
			spec: oneEra(IndexWeight{LaOxide, 0.5}, IndexWeight{CeOxide, 0.5}),
			prices: map[ElementID]Series{
				LaOxide: ser(LaOxide, d0, 100.0, d1, 110.0, d2, 120.0),
				CeOxide: ser(CeOxide, d0, 200.0, d1, 180.0, d2, 220.0),
			},
			want: []pt{{d0, 1000}, {d1, 1000}, {d2, 1150}},
		},
		{
			// Same prices, weights 0.25/0.75:
			// d1: 1000 × (0.25 × 1.1 + 0.75 × 0.9) = 275 + 675 = 950
			// d2: 1000 × (0.25 × 1.2 + 0.75 × 1.1) = 300 + 825 = 1125
			name: "two elements, unequal weights",
			spec: oneEra(IndexWeight{LaOxide, 0.25}, IndexWeight{CeOxide, 0.75}),
			prices: map[ElementID]Series{
				LaOxide: ser(LaOxide, d0, 100.0, d1, 110.0, d2, 120.0),
				CeOxide: ser(CeOxide, d0, 200.0, d1, 180.0, d2, 220.0),
			},
			want: []pt{{d0, 1000}, {d1, 950}, {d2, 1125}},
		},
		{
			// One element: I = 1000 × p/p0 — 682500 → 750750 is +10%, → 614250 is −10%.
			name:   "single element tracks the price ratio",
			spec:   oneEra(IndexWeight{PrNdOxide, 1}),
			prices: map[ElementID]Series{PrNdOxide: ser(PrNdOxide, d0, 682500.0, d1, 750750.0, d2, 614250.0)},
			want:   []pt{{d0, 1000}, {d1, 1100}, {d2, 900}},
		},
		{
			// Base value 100 instead of 1000 scales the whole series.
			name:   "base value",
			spec:   IndexSpec{Base: 100, BaseDate: d0, Eras: []IndexEra{{From: d0, Weights: []IndexWeight{{NdOxide, 1}}}}},
			prices: map[ElementID]Series{NdOxide: ser(NdOxide, d0, 508700.0, d1, 559570.0)},
			want:   []pt{{d0, 100}, {d1, 110}},
		},
		{
			// La has no price on d1; it carries its d0 price forward.
			// d1: 1000 × (0.5 × 100/100 + 0.5 × 240/200) = 500 + 600 = 1100
			// d2: 1000 × (0.5 × 130/100 + 0.5 × 220/200) = 650 + 550 = 1200
			name: "carry forward between dates",
			spec: oneEra(IndexWeight{LaOxide, 0.5}, IndexWeight{CeOxide, 0.5}),
			prices: map[ElementID]Series{
				LaOxide: ser(LaOxide, d0, 100.0, d2, 130.0),
				CeOxide: ser(CeOxide, d0, 200.0, d1, 240.0, d2, 220.0),
			},
			want: []pt{{d0, 1000}, {d1, 1100}, {d2, 1200}},
		},
		{
			// La's last price before the base date is its base price; the
			// earlier date is not a point of the series.
			// d1: 1000 × (0.5 × 90/100 + 0.5 × 210/200) = 450 + 525 = 975
			name: "base price carried from before the base date",
			spec: oneEra(IndexWeight{LaOxide, 0.5}, IndexWeight{CeOxide, 0.5}),
			prices: map[ElementID]Series{
				LaOxide: ser(LaOxide, Date(2024, 12, 27), 100.0, d1, 90.0),
				CeOxide: ser(CeOxide, Date(2024, 12, 20), 300.0, d0, 200.0, d1, 210.0),
			},
			want: []pt{{d0, 1000}, {d1, 975}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ComputeIndex(tt.spec, tt.prices)
			assertPoints(t, res.Points, tt.want)
			if len(res.Missing) != 0 || len(res.BaseFilled) != 0 {
				t.Errorf("Missing %v BaseFilled %v, want none", res.Missing, res.BaseFilled)
			}
		})
	}
}

// chainPrices and chainSpec: the basket La/Ce moves from 0.5/0.5 to 0.2/0.8 on d2.
func chainPrices() map[ElementID]Series {
	return map[ElementID]Series{
		LaOxide: ser(LaOxide, d0, 100.0, d1, 110.0, d2, 120.0, d3, 132.0, d4, 120.0),
		CeOxide: ser(CeOxide, d0, 200.0, d1, 180.0, d2, 220.0, d3, 198.0, d4, 242.0),
	}
}

func chainSpec(change time.Time) IndexSpec {
	return IndexSpec{Base: 1000, BaseDate: d0, Eras: []IndexEra{
		{From: d0, Weights: []IndexWeight{{LaOxide, 0.5}, {CeOxide, 0.5}}},
		{From: change, Weights: []IndexWeight{{LaOxide, 0.2}, {CeOxide, 0.8}}},
	}}
}

func TestComputeIndexChainLinked(t *testing.T) {
	// Era 0 (0.5/0.5 on base prices La 100, Ce 200):
	//   d1: 1000 × (0.5 × 1.1 + 0.5 × 0.9)  = 1000
	//   d2: 1000 × (0.5 × 1.2 + 0.5 × 1.1)  = 1150
	// Era 1 from d2 (0.2/0.8), linked at I = 1150 on prices La 120, Ce 220:
	//   d2: 1150 × (0.2 × 1 + 0.8 × 1)       = 1150   (no jump)
	//   d3: 1150 × (0.2 × 132/120 + 0.8 × 198/220) = 1150 × (0.22 + 0.72) = 1081
	//   d4: 1150 × (0.2 × 120/120 + 0.8 × 242/220) = 1150 × (0.20 + 0.88) = 1242
	// The wrong answers this rules out:
	//   old weights kept:           d3 = 1000 × (0.5 × 1.32 + 0.5 × 0.99) = 1155
	//   new weights, not re-based:  d2 = 1000 × (0.2 × 1.2 + 0.8 × 1.1)   = 1120 (a jump)
	//   new era restarted at 1000:  d3 = 940
	want := []pt{{d0, 1000}, {d1, 1000}, {d2, 1150}, {d3, 1081}, {d4, 1242}}

	t.Run("change on a price date", func(t *testing.T) {
		res := ComputeIndex(chainSpec(d2), chainPrices())
		assertPoints(t, res.Points, want)
	})
	t.Run("change between price dates", func(t *testing.T) {
		// Change on Saturday 2025-01-04, not a price date: link on the
		// carried d1 prices La 110, Ce 180, where I = 1000.
		//   d2: 1000 × (0.2 × 120/110 + 0.8 × 220/180) = 1000 × (0.218181… + 0.977777…) = 1195.9595…
		sat := Date(2025, 1, 4)
		res := ComputeIndex(chainSpec(sat), chainPrices())
		if len(res.Points) != 5 {
			t.Fatalf("got %d points, want 5 (the change date is not a price date)", len(res.Points))
		}
		assertNear(t, "d1", res.Points[1].Value, 1000, 1e-9)
		assertNear(t, "d2", res.Points[2].Value, 1000*(0.2*120.0/110+0.8*220.0/180), 1e-9)
		assertNear(t, "d2 (rounded)", Round2(res.Points[2].Value), 1195.96, 0)
	})
	t.Run("no jump at the change date", func(t *testing.T) {
		linked := ComputeIndex(chainSpec(d2), chainPrices())
		unchanged := ComputeIndex(oneEra(IndexWeight{LaOxide, 0.5}, IndexWeight{CeOxide, 0.5}), chainPrices())
		// Up to and including the change date, the series is the old basket's.
		for i := 0; i <= 2; i++ {
			assertNear(t, "value "+linked.Points[i].Date.Format("01-02"), linked.Points[i].Value, unchanged.Points[i].Value, 1e-9)
		}
		// After it, the moves follow the new weights: the d2→d3 return is
		// 0.2 × (+10%) + 0.8 × (−10%) = −6%, not the old basket's 0.5/0.5 = 0%.
		ret := linked.Points[3].Value/linked.Points[2].Value - 1
		assertNear(t, "d2→d3 return", ret, -0.06, 1e-12)
		retOld := unchanged.Points[3].Value/unchanged.Points[2].Value - 1
		assertNear(t, "old basket d2→d3 return", retOld, (1155.0/1150)-1, 1e-12)
	})
	t.Run("era before the base date starts at the base date", func(t *testing.T) {
		// A second era dated before the base date is in force from the base
		// date: 0.2/0.8 from d0: d1 = 1000 × (0.2 × 1.1 + 0.8 × 0.9) = 940.
		res := ComputeIndex(chainSpec(Date(2024, 6, 1)), chainPrices())
		assertNear(t, "d0", res.Points[0].Value, 1000, 1e-9)
		assertNear(t, "d1", res.Points[1].Value, 940, 1e-9)
	})
}

func TestComputeIndexMissingRenormalises(t *testing.T) {
	// Basket La 0.5, Ce 0.25, Pr 0.25; Pr has no prices at all. The rest
	// renormalise to La 2/3, Ce 1/3:
	//   d1: 1000 × (2/3 × 130/100 + 1/3 × 140/200) = 1000 × (2.6 + 0.7)/3 = 1100
	// Without renormalising it would be 1000 × (0.5 × 1.3 + 0.25 × 0.7) = 825.
	spec := oneEra(IndexWeight{LaOxide, 0.5}, IndexWeight{CeOxide, 0.25}, IndexWeight{PrOxide, 0.25})
	prices := map[ElementID]Series{
		LaOxide: ser(LaOxide, d0, 100.0, d1, 130.0),
		CeOxide: ser(CeOxide, d0, 200.0, d1, 140.0),
		PrOxide: {}, // present but empty counts as missing too
	}
	res := ComputeIndex(spec, prices)
	assertPoints(t, res.Points, []pt{{d0, 1000}, {d1, 1100}})
	if len(res.Missing) != 1 || res.Missing[0] != PrOxide {
		t.Errorf("Missing = %v, want [%s]", res.Missing, PrOxide)
	}
	if len(res.BaseFilled) != 0 {
		t.Errorf("BaseFilled = %v, want none", res.BaseFilled)
	}
	cs := Contributions(spec, prices, d0, d1)
	if len(cs) != 2 {
		t.Fatalf("contributions %v, want La and Ce only", cs)
	}
	for _, c := range cs {
		switch c.Element {
		case LaOxide:
			assertNear(t, "La weight", c.Weight, 2.0/3, 1e-12)
			assertNear(t, "La points", c.Points, 200, 1e-9) // 1000 × 2/3 × 30/100
		case CeOxide:
			assertNear(t, "Ce weight", c.Weight, 1.0/3, 1e-12)
			assertNear(t, "Ce points", c.Points, -100, 1e-9) // 1000 × 1/3 × (−60)/200
		default:
			t.Errorf("unexpected contribution %+v", c)
		}
	}

	// Several missing: sorted, and nothing to compute when none is left.
	res = ComputeIndex(oneEra(IndexWeight{TbOxide, 0.5}, IndexWeight{DyOxide, 0.5}), map[ElementID]Series{})
	if len(res.Points) != 0 {
		t.Errorf("points %v from an all-missing basket", res.Points)
	}
	if len(res.Missing) != 2 || res.Missing[0] != DyOxide || res.Missing[1] != TbOxide {
		t.Errorf("Missing = %v, want [dy_oxide tb_oxide]", res.Missing)
	}
}

func TestComputeIndexBaseFilled(t *testing.T) {
	// Ce's first price is on d1, after the base date: it stands in as Ce's
	// base price, and Ce is flat before it.
	//   d0: 1000 × (0.5 × 100/100 + 0.5 × 1)      = 1000
	//   d1: 1000 × (0.5 × 100/100 + 0.5 × 50/50)  = 1000
	//   d2: 1000 × (0.5 × 110/100 + 0.5 × 60/50)  = 550 + 600 = 1150
	spec := oneEra(IndexWeight{LaOxide, 0.5}, IndexWeight{CeOxide, 0.5})
	prices := map[ElementID]Series{
		LaOxide: ser(LaOxide, d0, 100.0, d1, 100.0, d2, 110.0),
		CeOxide: ser(CeOxide, d1, 50.0, d2, 60.0),
	}
	res := ComputeIndex(spec, prices)
	assertPoints(t, res.Points, []pt{{d0, 1000}, {d1, 1000}, {d2, 1150}})
	if len(res.BaseFilled) != 1 || res.BaseFilled[0] != CeOxide {
		t.Errorf("BaseFilled = %v, want [ce_oxide]", res.BaseFilled)
	}
	if len(res.Missing) != 0 {
		t.Errorf("Missing = %v, want none", res.Missing)
	}
}

func TestComputeIndexDegenerate(t *testing.T) {
	prices := map[ElementID]Series{LaOxide: ser(LaOxide, d0, 100.0)}
	for name, spec := range map[string]IndexSpec{
		"no eras":   {Base: 1000, BaseDate: d0},
		"zero base": {Base: 0, BaseDate: d0, Eras: []IndexEra{{From: d0, Weights: []IndexWeight{{LaOxide, 1}}}}},
	} {
		if res := ComputeIndex(spec, prices); len(res.Points) != 0 {
			t.Errorf("%s: points %v, want none", name, res.Points)
		}
		if cs := Contributions(spec, prices, d0, d0); cs != nil {
			t.Errorf("%s: contributions %v, want nil", name, cs)
		}
	}
}

func TestContributionsSumToMove(t *testing.T) {
	tests := []struct {
		name   string
		spec   IndexSpec
		prices map[ElementID]Series
		a, b   time.Time
		want   map[ElementID]float64 // index points
		move   float64               // I_b − I_a, by hand
	}{
		{
			// d1 → d2 in the 0.5/0.5 basket: La 1000 × 0.5 × (120−110)/100 = 50,
			// Ce 1000 × 0.5 × (220−180)/200 = 100; 1150 − 1000 = 150.
			name:   "single era",
			spec:   oneEra(IndexWeight{LaOxide, 0.5}, IndexWeight{CeOxide, 0.5}),
			prices: chainPrices(),
			a:      d1, b: d2,
			want: map[ElementID]float64{LaOxide: 50, CeOxide: 100},
			move: 150,
		},
		{
			// d3 → d4 in era 1 (level 1150, base La 120, Ce 220):
			// La 1150 × 0.2 × (120−132)/120 = −23, Ce 1150 × 0.8 × (242−198)/220 = 184;
			// 1242 − 1081 = 161.
			name:   "second era",
			spec:   chainSpec(d2),
			prices: chainPrices(),
			a:      d3, b: d4,
			want: map[ElementID]float64{LaOxide: -23, CeOxide: 184},
			move: 161,
		},
		{
			// From the change date itself: d2 → d3 = 1081 − 1150 = −69:
			// La 1150 × 0.2 × 12/120 = 23, Ce 1150 × 0.8 × (−22)/220 = −92.
			name:   "from the change date",
			spec:   chainSpec(d2),
			prices: chainPrices(),
			a:      d2, b: d3,
			want: map[ElementID]float64{LaOxide: 23, CeOxide: -92},
			move: -69,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := Contributions(tt.spec, tt.prices, tt.a, tt.b)
			if len(cs) != len(tt.want) {
				t.Fatalf("got %d contributions %v, want %d", len(cs), cs, len(tt.want))
			}
			sum := 0.0
			for _, c := range cs {
				w, ok := tt.want[c.Element]
				if !ok {
					t.Fatalf("unexpected element %s", c.Element)
				}
				assertNear(t, string(c.Element), c.Points, w, 1e-9)
				sum += c.Points
			}
			assertNear(t, "sum", sum, tt.move, 1e-9)
			// And against the computed series.
			res := ComputeIndex(tt.spec, tt.prices)
			var ia, ib float64
			for _, p := range res.Points {
				if p.Date.Equal(tt.a) {
					ia = p.Value
				}
				if p.Date.Equal(tt.b) {
					ib = p.Value
				}
			}
			assertNear(t, "I_b − I_a", ib-ia, tt.move, 1e-9)
		})
	}
}

func TestValidateWeights(t *testing.T) {
	tests := []struct {
		name string
		ws   []IndexWeight
		err  string // a fragment of the message; "" for valid
	}{
		{"default basket", DefaultBasket, ""},
		{"single element", []IndexWeight{{PrNdOxide, 1}}, ""},
		{"sum within 1e-6", []IndexWeight{{LaOxide, 0.3333333}, {CeOxide, 0.6666667}}, ""},
		{"empty", nil, "empty"},
		{"sum below 1", []IndexWeight{{LaOxide, 0.5}, {CeOxide, 0.4}}, "sum"},
		{"sum above 1", []IndexWeight{{LaOxide, 0.6}, {CeOxide, 0.5}}, "sum"},
		// Each of these sums to 1, so only the named fault can reject it.
		{"negative", []IndexWeight{{LaOxide, 1.2}, {CeOxide, -0.2}}, "positive"},
		{"zero", []IndexWeight{{LaOxide, 1}, {CeOxide, 0}}, "positive"},
		{"duplicate", []IndexWeight{{LaOxide, 0.5}, {LaOxide, 0.5}}, "twice"},
		{"unknown element", []IndexWeight{{"xx_oxide", 0.5}, {LaOxide, 0.5}}, "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateWeights(tt.ws)
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.err != "" && err == nil:
				t.Errorf("no error, want one mentioning %q", tt.err)
			case tt.err != "" && !strings.Contains(err.Error(), tt.err):
				t.Errorf("error %q, want one mentioning %q", err, tt.err)
			}
		})
	}
}

func TestDefaultBasket(t *testing.T) {
	// The exchange index's coverage: La, Ce, Pr, Nd oxides and PrNd oxide.
	want := map[ElementID]bool{LaOxide: true, CeOxide: true, PrOxide: true, NdOxide: true, PrNdOxide: true}
	if len(DefaultBasket) != len(want) {
		t.Fatalf("DefaultBasket has %d elements, want %d", len(DefaultBasket), len(want))
	}
	for _, w := range DefaultBasket {
		if !want[w.Element] {
			t.Errorf("DefaultBasket holds %s", w.Element)
		}
	}
	if !DefaultBaseDate.Equal(Date(2025, 1, 2)) {
		t.Errorf("DefaultBaseDate = %v", DefaultBaseDate)
	}
}

func TestSameWeights(t *testing.T) {
	a := []IndexWeight{{LaOxide, 0.5}, {CeOxide, 0.5}}
	tests := []struct {
		b    []IndexWeight
		want bool
	}{
		{[]IndexWeight{{CeOxide, 0.5}, {LaOxide, 0.5}}, true}, // order does not matter
		{[]IndexWeight{{LaOxide, 0.4}, {CeOxide, 0.6}}, false},
		{[]IndexWeight{{LaOxide, 0.5}, {PrOxide, 0.5}}, false},
		{[]IndexWeight{{LaOxide, 1}}, false},
	}
	for _, tt := range tests {
		if got := SameWeights(a, tt.b); got != tt.want {
			t.Errorf("SameWeights(%v, %v) = %v, want %v", a, tt.b, got, tt.want)
		}
	}
}

func TestSeriesAsOf(t *testing.T) {
	s := ser(LaOxide, d1, 100.0, d3, 130.0)
	tests := []struct {
		t    time.Time
		ok   bool
		want float64
	}{
		{d0, false, 0},
		{d1, true, 100},
		{d2, true, 100},
		{d3, true, 130},
		{d4, true, 130},
	}
	for _, tt := range tests {
		got, ok := s.AsOf(tt.t)
		if ok != tt.ok || (ok && got.Price != tt.want) {
			t.Errorf("AsOf(%s) = %v, %v; want %v, %v", tt.t.Format("01-02"), got.Price, ok, tt.want, tt.ok)
		}
	}
}

// On a day the basket changes, the contributions still add up to the
// index move: the old basket contributes up to the change, the new one
// from it.
func TestContributionsAcrossABasketChange(t *testing.T) {
	sum := func(cs []Contribution) float64 {
		s := 0.0
		for _, c := range cs {
			s += c.Points
		}
		return s
	}
	// d1 → d2 across the change on d2 (worked in TestComputeIndexChainLinked):
	// era 0: La 1000 × 0.5 × (120 − 110)/100 = 50, Ce 1000 × 0.5 × (220 − 180)/200 = 100;
	// era 1 from d2 to d2: nothing. 150 = 1150 − 1000.
	cs := Contributions(chainSpec(d2), chainPrices(), d1, d2)
	assertNear(t, "d1→d2 sum", sum(cs), 150, 1e-9)
	for _, c := range cs {
		want := map[ElementID]float64{LaOxide: 50, CeOxide: 100}[c.Element]
		assertNear(t, string(c.Element)+" points", c.Points, want, 1e-9)
	}
	// d1 → d3: 150 in era 0, then era 1: La 1150 × 0.2 × 12/120 = 23,
	// Ce 1150 × 0.8 × (−22)/220 = −92. 81 = 1081 − 1000.
	cs = Contributions(chainSpec(d2), chainPrices(), d1, d3)
	assertNear(t, "d1→d3 sum", sum(cs), 81, 1e-9)
	// Backwards, the same with the sign turned.
	assertNear(t, "d3→d1 sum", sum(Contributions(chainSpec(d2), chainPrices(), d3, d1)), -81, 1e-9)

	// A component leaves and another joins: every pair of index dates adds up.
	spec := IndexSpec{Base: 1000, BaseDate: d0, Eras: []IndexEra{
		{From: d0, Weights: []IndexWeight{{LaOxide, 0.5}, {CeOxide, 0.5}}},
		{From: d2, Weights: []IndexWeight{{LaOxide, 0.6}, {PrOxide, 0.4}}},
	}}
	prices := chainPrices()
	prices[PrOxide] = ser(PrOxide, d0, 500.0, d2, 520.0, d4, 546.0)
	pts := ComputeIndex(spec, prices).Points
	for i := range pts {
		for j := i + 1; j < len(pts); j++ {
			cs := Contributions(spec, prices, pts[i].Date, pts[j].Date)
			assertNear(t, pts[i].Date.Format("01-02")+"→"+pts[j].Date.Format("01-02"), sum(cs), pts[j].Value-pts[i].Value, 1e-9)
			for _, c := range cs {
				if c.Element == CeOxide && c.Weight != 0 && !pts[j].Date.Before(d2) {
					t.Errorf("Ce left the basket but has weight %v", c.Weight)
				}
			}
		}
	}
}
