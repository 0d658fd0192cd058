package model

import (
	"fmt"
	"math"
	"strconv"

	"github.com/rareterm/rareterm/i18n"
)

// Band is the range of prices, in 元/吨, that a product can plausibly
// trade at, bounds included. A figure outside it is a typing slip, a unit
// mix-up or a broken feed, not a market move.
type Band struct {
	Min, Max float64
}

// Valid reports whether the band is usable: finite, 0 < Min < Max.
func (b Band) Valid() bool { return Known(b.Min) && Known(b.Max) && b.Min > 0 && b.Min < b.Max }

func (b Band) String() string {
	return fmt.Sprintf("[%s, %s] 元/吨", groupThousands(b.Min), groupThousands(b.Max))
}

// Contains reports whether v is a finite figure within the band.
func (b Band) Contains(v float64) bool {
	return Known(v) && v >= b.Min && v <= b.Max
}

// Bands maps a product to its plausible band.
type Bands map[ElementID]Band

// AnyElementBand bounds a product with no band of its own: no rare-earth
// product has traded below 100 元/吨 or above 100,000,000 元/吨 (100,000
// 元/kg).
var AnyElementBand = Band{Min: 100, Max: 100_000_000}

// DefaultBands returns a wide band per product: about a fifth of the lowest
// and five times the highest level of the last cycle (2021-2026, including
// the 2022 peak; domain/REFERENCE.md §2 and the shipped reference prices).
// A real move stays well inside; a figure a hundred times off does not.
func DefaultBands() Bands {
	return Bands{
		LaOxide:   {Min: 700, Max: 50_000},           // 3,600-10,000
		CeOxide:   {Min: 1_000, Max: 50_000},         // 5,000-10,000
		PrOxide:   {Min: 80_000, Max: 5_500_000},     // 430,000-1,100,000
		NdOxide:   {Min: 80_000, Max: 5_500_000},     // 430,000-1,100,000
		PrNdOxide: {Min: 80_000, Max: 5_500_000},     // 422,500-1,100,000
		PrNdMetal: {Min: 100_000, Max: 7_000_000},    // 522,500-1,350,000
		NdMetal:   {Min: 100_000, Max: 7_000_000},    // 550,000-1,400,000
		PrMetal:   {Min: 100_000, Max: 7_000_000},    // 585,000-1,350,000
		DyOxide:   {Min: 280_000, Max: 16_000_000},   // 1,410,000-3,100,000
		DyMetal:   {Min: 380_000, Max: 20_000_000},   // 1,975,000-3,900,000
		TbOxide:   {Min: 1_100_000, Max: 75_000_000}, // 5,500,000-15,000,000
		TbMetal:   {Min: 1_400_000, Max: 90_000_000}, // 7,000,000-18,000,000
	}
}

// Band returns the band of id: its own, else AnyElementBand.
func (b Bands) Band(id ElementID) Band {
	if r, ok := b[id]; ok && r.Valid() {
		return r
	}
	return AnyElementBand
}

// Check reports why p cannot be stored: a price (or a range bound, when
// given) that is not a finite number, or that falls outside the product's
// band. The error names the product, the value and the band. A nil or
// empty Bands checks against DefaultBands.
func (b Bands) Check(p ElementPrice) error {
	if len(b) == 0 {
		b = DefaultBands()
	}
	band := b.Band(p.Element)
	name := elementLabel(p.Element)
	check := func(what i18n.Text, v float64, optional bool) error {
		switch {
		case math.IsNaN(v) && optional:
			return nil
		case !Known(v):
			return i18n.Errorf(i18n.ModelNotNumber, name, what, v)
		case !band.Contains(v):
			return i18n.Errorf(i18n.ModelOutsideBand, name, what, groupThousands(v), band)
		}
		return nil
	}
	if err := check(i18n.WordPrice, p.Price, false); err != nil {
		return err
	}
	if err := check(i18n.ModelBandLow, p.Low, true); err != nil {
		return err
	}
	return check(i18n.ModelBandHigh, p.High, true)
}

// CheckAll checks every price; the first problem is returned.
func (b Bands) CheckAll(ps []ElementPrice) error {
	for _, p := range ps {
		if err := b.Check(p); err != nil {
			return err
		}
	}
	return nil
}

// ContractBand is the plausible band of the concentrate contract price, in
// 元/吨 at the basis grade: about a fifth of the lowest and five times the
// highest quarter on record (16,741 in 2024Q3, 39,189 in 2022Q3).
var ContractBand = Band{Min: 3_000, Max: 200_000}

// CheckContract reports why a contract quarter cannot be stored: a price
// that is not a finite positive number within ContractBand, or a basis
// grade outside (0, 100] (0 is unset: 50).
func CheckContract(c ContractQuarter) error {
	switch {
	case !Known(c.Price):
		return i18n.Errorf(i18n.ModelContractNotNumber, c.Quarter, c.Price)
	case !ContractBand.Contains(c.Price):
		return i18n.Errorf(i18n.ModelContractOutside, c.Quarter, groupThousands(c.Price), ContractBand)
	case math.IsNaN(c.BasisREO) || c.BasisREO < 0 || c.BasisREO > 100:
		return i18n.Errorf(i18n.ModelContractBasis, c.Quarter, c.BasisREO)
	}
	return nil
}

// groupThousands writes v with thousands separators (1,234,567.5), in
// %g form when it is too large or small for that to be readable.
func groupThousands(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= 1e15 || (v != 0 && math.Abs(v) < 0.01) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
	intPart, frac := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			intPart, frac = s[:i], s[i:]
			break
		}
	}
	var out []byte
	for i := range len(intPart) {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, intPart[i])
	}
	if v < 0 {
		return "-" + string(out) + frac
	}
	return string(out) + frac
}

// elementLabel is a product's name in either language (PrNd oxide, 氧化镨钕).
type elementLabel ElementID

func (e elementLabel) In(l i18n.Lang) string {
	if el, ok := Element(ElementID(e)); ok {
		return i18n.Pick(l, el.Short, el.Zh)
	}
	return string(e)
}
