// Package prices holds the rare-earth element price adapters. No public
// machine-readable source exists (WIRE.md §4), so there are two:
//
//   - PPI reads the daily price tables of 100ppi news pages (light rare
//     earths; Dy/Tb series), HTML with the columns 产品 | 价格区间(元/吨) |
//     均价(元/吨) | 涨跌(元/吨).
//   - Vendor reads a CSV or JSON file, over http(s) or from disk, with a
//     column mapping, for users who buy SMM or Asian Metal data.
//
// Both implement feeds.ElementSource and return prices in 元/吨 with the
// source's unit kept in OrigUnit. The parsers (ParsePPI, ParseVendorCSV,
// ParseVendorJSON) are pure functions of the bytes.
//
// Dropped rows: a row that cannot be read (no price, a bad number, an
// unknown product, a bad date or unit) is left out and reported, one
// message per row naming the line (and, for vendor files, the column), to
// the OnDrop func in the adapter's config; the parsers return the messages
// too.
package prices

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rareterm/rareterm/model"
)

// parseNum reads a price written as text: "1,405,000", " 432500 ",
// "6,400,000元/吨", "１２３" (full-width digits). "", "-", "—" and anything
// else that is not a finite number give NaN.
func parseNum(s string) float64 {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '．':
			return '.'
		case r == '－' || r == '−':
			return '-'
		case r == ',' || r == '，' || r == ' ' || r == '\u00a0' || r == '\u3000' || r == '+' || r == '＋':
			return -1
		}
		return r
	}, s)
	// Drop a trailing unit ("元/吨", "万元/吨", "yuan/t").
	end := len(s)
	for end > 0 && !(s[end-1] >= '0' && s[end-1] <= '9' || s[end-1] == '.') {
		end--
	}
	s = s[:end]
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return model.Unknown
	}
	return v
}

// parseRange reads "1,405,000–1,415,000", "430000-435000" or
// "430000~435000". ok is false for an empty cell or a single number.
func parseRange(s string) (lo, hi float64, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return model.Unknown, model.Unknown, false
	}
	for _, sep := range []string{"–", "—", "～", "~", "至", "－", "-"} {
		// Skip a leading sign; split on the first separator after a digit.
		i := strings.Index(s[1:], sep)
		if i < 0 {
			continue
		}
		i++
		a, b := parseNum(s[:i]), parseNum(s[i+len(sep):])
		if model.Known(a) && model.Known(b) {
			return a, b, true
		}
	}
	return model.Unknown, model.Unknown, false
}

// unitIn returns the unit written in parentheses in a header cell, such as
// "均价(元/吨)" or "价格（万元/吨）", or "".
func unitIn(h string) string {
	i := strings.IndexAny(h, "(（")
	if i < 0 {
		return ""
	}
	rest := h[i:]
	_, w := utf8.DecodeRuneInString(rest)
	rest = rest[w:]
	j := strings.IndexAny(rest, ")）")
	if j < 0 {
		return ""
	}
	return strings.TrimSpace(rest[:j])
}

// convert applies a unit to a price and its range, to the fen.
func convert(p *model.ElementPrice, unit string) error {
	for _, v := range []*float64{&p.Price, &p.Low, &p.High} {
		if !model.Known(*v) {
			continue
		}
		y, err := model.ToYuanPerTon(*v, unit)
		if err != nil {
			return err
		}
		*v = model.Round2(y) // 76.07 万元/吨 is 760700, not 760699.9999999999
	}
	p.OrigUnit = unit
	return nil
}
