package model

import "testing"

func TestLookupElement(t *testing.T) {
	tests := []struct {
		in   string
		want ElementID
		ok   bool
	}{
		{"镨钕氧化物", PrNdOxide, true},
		{"氧化镨钕", PrNdOxide, true},
		{"金属镨钕", PrNdMetal, true},
		{"镨钕合金", PrNdMetal, true},
		{"镨钕金属", PrNdMetal, true},
		{"PrNd oxide", PrNdOxide, true},
		{"prnd oxide", PrNdOxide, true},
		{"PRND METAL", PrNdMetal, true},
		{"prnd_oxide", PrNdOxide, true},
		{"PrNd_Oxide", PrNdOxide, true},
		{"氧化铽(99.99%)", TbOxide, true},
		{"氧化铽（99.99%）", TbOxide, true},
		{"氧化铽 (99.99%)", TbOxide, true},
		{" 氧化镧 ", LaOxide, true},
		{"金属铽", TbMetal, true},
		{"氧化镝", DyOxide, true},
		{"Nd metal", NdMetal, true},
		{"", "", false},
		{"氧化", "", false},
		{"氧化钇", "", false}, // yttrium oxide is not tracked
		{"(99.99%)", "", false},
		{"镨钕", "", false},
		{"prnd", "", false},
	}
	for _, tt := range tests {
		got, ok := LookupElement(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("LookupElement(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// Every catalogue entry is found by its id, English name, Chinese name and
// synonyms, and no name is claimed by two entries.
func TestElementCatalogue(t *testing.T) {
	owner := map[string]ElementID{}
	for _, e := range Elements {
		names := append([]string{string(e.ID), e.Short, e.Zh}, e.Synonyms...)
		for _, n := range names {
			if prev, dup := owner[n]; dup && prev != e.ID {
				t.Errorf("%q names both %s and %s", n, prev, e.ID)
			}
			owner[n] = e.ID
			if got, ok := LookupElement(n); !ok || got != e.ID {
				t.Errorf("LookupElement(%q) = %q, %v; want %s", n, got, ok, e.ID)
			}
		}
		if got, ok := Element(e.ID); !ok || got.Zh != e.Zh {
			t.Errorf("Element(%s) = %+v, %v", e.ID, got, ok)
		}
		if ElementName(e.ID) != e.Short {
			t.Errorf("ElementName(%s) = %q, want %q", e.ID, ElementName(e.ID), e.Short)
		}
	}
	if _, ok := Element("xx"); ok {
		t.Error("Element(xx) found")
	}
	if ElementName("xx") != "xx" {
		t.Errorf("ElementName(xx) = %q", ElementName("xx"))
	}
	for _, id := range DashboardElements {
		if _, ok := Element(id); !ok {
			t.Errorf("dashboard element %s not in the catalogue", id)
		}
	}
	heavy := map[ElementID]bool{DyOxide: true, DyMetal: true, TbOxide: true, TbMetal: true}
	for _, e := range Elements {
		if e.Heavy != heavy[e.ID] {
			t.Errorf("%s Heavy = %v", e.ID, e.Heavy)
		}
	}
}

func TestToYuanPerTon(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		want float64
	}{
		{68.25, "万元/吨", 682500},   // PrNd oxide, 2026-01-16
		{82.25, "万元/吨", 822500},   // PrNd metal
		{673.87, "万元/吨", 6738700}, // Tb oxide 2025 average
		{8661, "元/kg", 8661000},   // 8,661 元/kg
		{8661, "元/公斤", 8661000},
		{8661, "元/千克", 8661000},
		{1405, "yuan/kg", 1405000},
		{624900, "元/吨", 624900},
		{624900, "", 624900},    // unlabelled: the storage unit
		{3800, " 元 / 吨 ", 3800}, // spaces ignored
		{3800, "Yuan/T", 3800},  // case ignored
		{50.87, "万元/t", 508700},
		{2000, "RMB/kg", 2000000},
	}
	for _, tt := range tests {
		got, err := ToYuanPerTon(tt.v, tt.unit)
		if err != nil {
			t.Errorf("ToYuanPerTon(%v, %q): %v", tt.v, tt.unit, err)
			continue
		}
		assertNear(t, tt.unit, got, tt.want, 1e-6)
	}
	for _, unit := range []string{"美元/吨", "万元", "元/克", "元/磅", "usd/t", "kg", "元/吨吨"} {
		if got, err := ToYuanPerTon(100, unit); err == nil {
			t.Errorf("ToYuanPerTon(100, %q) = %v, want an error", unit, got)
		}
	}
}
