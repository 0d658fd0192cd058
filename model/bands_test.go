package model

import (
	"math"
	"strings"
	"testing"
)

func TestBandsCheck(t *testing.T) {
	b := DefaultBands()
	for _, e := range Elements {
		if !b[e.ID].Valid() {
			t.Errorf("%s has no valid default band", e.ID)
		}
	}
	day := Date(2026, 1, 16)
	ok := []ElementPrice{
		{Element: PrNdOxide, Date: day, Price: 682500, Low: math.NaN(), High: math.NaN()},
		{Element: LaOxide, Date: day, Price: 3800, Low: 3600, High: 4000},
		{Element: TbMetal, Date: day, Price: 7800000, Low: math.NaN(), High: math.NaN()},
		{Element: "xx_oxide", Date: day, Price: 5000, Low: math.NaN(), High: math.NaN()}, // no band: the generic one
	}
	for _, p := range ok {
		if err := b.Check(p); err != nil {
			t.Errorf("%v: %v", p, err)
		}
	}
	for _, c := range []struct {
		p    ElementPrice
		want []string
	}{
		{ElementPrice{Element: PrNdOxide, Price: 1e308, Low: math.NaN(), High: math.NaN()},
			[]string{"PrNd oxide", "1e+308", "[80,000, 5,500,000] 元/吨"}},
		{ElementPrice{Element: PrNdOxide, Price: 68.25, Low: math.NaN(), High: math.NaN()}, // 万元/吨 taken as 元/吨
			[]string{"PrNd oxide price 68.25 元/吨", "[80,000, 5,500,000]"}},
		{ElementPrice{Element: PrNdOxide, Price: math.Inf(1), Low: math.NaN(), High: math.NaN()}, []string{"+Inf is not a number"}},
		{ElementPrice{Element: PrNdOxide, Price: math.NaN(), Low: math.NaN(), High: math.NaN()}, []string{"NaN is not a number"}},
		{ElementPrice{Element: PrNdOxide, Price: -5, Low: math.NaN(), High: math.NaN()}, []string{"-5"}},
		{ElementPrice{Element: LaOxide, Price: 3800, Low: math.Inf(-1), High: 4000}, []string{"La oxide low -Inf"}},
		{ElementPrice{Element: TbOxide, Price: 6400000, Low: math.NaN(), High: 1e12}, []string{"Tb oxide high 1,000,000,000,000"}},
		{ElementPrice{Element: "xx_oxide", Price: 1e9, Low: math.NaN(), High: math.NaN()}, []string{"[100, 100,000,000]"}},
	} {
		err := b.Check(c.p)
		if err == nil {
			t.Errorf("%v accepted", c.p)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: %q, want %q in it", c.p, err, w)
			}
		}
	}
	// A configured band replaces the default one; nil Bands are the defaults.
	narrow := Bands{PrNdOxide: {Min: 200000, Max: 2000000}}
	if err := narrow.Check(ElementPrice{Element: PrNdOxide, Price: 100000, Low: math.NaN(), High: math.NaN()}); err == nil || !strings.Contains(err.Error(), "[200,000, 2,000,000]") {
		t.Errorf("configured band: %v", err)
	}
	if err := Bands(nil).Check(ElementPrice{Element: PrNdOxide, Price: 1e308, Low: math.NaN(), High: math.NaN()}); err == nil {
		t.Error("nil bands accepted 1e308")
	}
	if err := b.CheckAll([]ElementPrice{ok[0], {Element: NdOxide, Price: 1e308, Low: math.NaN(), High: math.NaN()}}); err == nil || !strings.Contains(err.Error(), "Nd oxide") {
		t.Errorf("CheckAll: %v", err)
	}
}

func TestCheckContract(t *testing.T) {
	q := Quarter{Year: 2026, Q: 1}
	if err := CheckContract(ContractQuarter{Quarter: q, Price: 26834, BasisREO: 50}); err != nil {
		t.Error(err)
	}
	if err := CheckContract(ContractQuarter{Quarter: q, Price: 26834}); err != nil {
		t.Errorf("unset basis: %v", err)
	}
	for _, c := range []ContractQuarter{
		{Quarter: q, Price: 700000, BasisREO: 50},
		{Quarter: q, Price: math.Inf(1), BasisREO: 50},
		{Quarter: q, Price: math.NaN(), BasisREO: 50},
		{Quarter: q, Price: 0, BasisREO: 50},
		{Quarter: q, Price: -26834, BasisREO: 50},
		{Quarter: q, Price: 26834, BasisREO: 150},
		{Quarter: q, Price: 26834, BasisREO: math.NaN()},
	} {
		if err := CheckContract(c); err == nil || !strings.Contains(err.Error(), "2026Q1") {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if err := CheckContract(ContractQuarter{Quarter: q, Price: 700000, BasisREO: 50}); !strings.Contains(err.Error(), "[3,000, 200,000]") {
		t.Errorf("band not named: %v", err)
	}
}
