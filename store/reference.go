package store

import (
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/rareterm/rareterm/model"
)

// The reference data shipped inside the binary and loaded into every new
// database (in the transaction that creates it): the contract quarters of
// domain/REFERENCE.md §4 and dated element prices from REFERENCE.md §2 and
// feeds/WIRE.md §4, each with its source.
//
//go:embed reference/contract.csv reference/elements.csv
var referenceFS embed.FS

// Reference parses the embedded reference data.
func Reference() ([]model.ContractQuarter, []model.ElementPrice, error) {
	cf, err := referenceFS.Open("reference/contract.csv")
	if err != nil {
		return nil, nil, err
	}
	defer cf.Close()
	contract, err := ParseContractCSV(cf)
	if err != nil {
		return nil, nil, fmt.Errorf("reference/contract.csv: %w", err)
	}
	ef, err := referenceFS.Open("reference/elements.csv")
	if err != nil {
		return nil, nil, err
	}
	defer ef.Close()
	elements, err := ParseElementsCSV(ef)
	if err != nil {
		return nil, nil, fmt.Errorf("reference/elements.csv: %w", err)
	}
	return contract, elements, nil
}

// ParseCSV reads a contract or an element-price CSV (told apart by the
// header: a "quarter" column or an "element" column) into a batch, for
// `rareterm import`: Append writes it all in one transaction, or nothing.
func ParseCSV(r io.Reader) (model.Batch, error) {
	recs, cols, err := readCSV(r)
	if err != nil {
		return model.Batch{}, err
	}
	var b model.Batch
	switch {
	case cols.has("quarter"):
		b.Contract, err = contractRows(recs, cols)
	case cols.has("element"):
		b.Elements, err = elementRows(recs, cols)
	default:
		err = errors.New("csv: the header names neither a quarter column (contract) nor an element column (element prices)")
	}
	return b, err
}

// ParseContractCSV reads contract quarters. Header (any order, '#' lines are
// comments): quarter, price (元/吨 at the basis grade), source; optional
// basis_reo (percent, default 50) and note. A quarter listed twice is an
// error: a quarter has one contract price.
func ParseContractCSV(r io.Reader) ([]model.ContractQuarter, error) {
	recs, cols, err := readCSV(r)
	if err != nil {
		return nil, err
	}
	return contractRows(recs, cols)
}

// ParseElementsCSV reads dated element prices. Header (any order, '#' lines
// are comments): date (YYYY-MM-DD, a CST day), element (an id, English name
// or Chinese name, resolved with model.LookupElement), price, source;
// optional low and high (a range; empty when none) and unit (the unit the
// source quoted, default 元/吨). Prices are converted to 元/吨 and the unit
// is kept as OrigUnit. When two rows share an element and a date, the first
// one listed is kept and later ones are dropped.
func ParseElementsCSV(r io.Reader) ([]model.ElementPrice, error) {
	recs, cols, err := readCSV(r)
	if err != nil {
		return nil, err
	}
	return elementRows(recs, cols)
}

// columns maps a lower-cased header name to its index.
type columns map[string]int

func (c columns) has(name string) bool { _, ok := c[name]; return ok }

// get returns the trimmed field name of rec, "" when the column is absent.
func (c columns) get(rec []string, name string) string {
	if i, ok := c[name]; ok && i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

type record struct {
	line   int
	fields []string
}

func readCSV(r io.Reader) ([]record, columns, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, errors.New("csv: empty file")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("csv: %w", err)
	}
	cols := columns{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := cols[h]; dup {
			return nil, nil, fmt.Errorf("csv: column %q appears twice", h)
		}
		cols[h] = i
	}
	var recs []record
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		recs = append(recs, record{line: line, fields: rec})
	}
	return recs, cols, nil
}

func (c columns) require(names ...string) error {
	for _, n := range names {
		if !c.has(n) {
			return fmt.Errorf("csv: no %q column in the header", n)
		}
	}
	return nil
}

// number parses a figure, allowing thousands separators ("26,887.20").
func number(s string) (float64, error) {
	t := strings.NewReplacer(",", "", "_", "", " ", "").Replace(s)
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}

func contractRows(recs []record, cols columns) ([]model.ContractQuarter, error) {
	if err := cols.require("quarter", "price", "source"); err != nil {
		return nil, err
	}
	seen := map[model.Quarter]int{}
	out := make([]model.ContractQuarter, 0, len(recs))
	for _, r := range recs {
		fail := func(err error) error { return fmt.Errorf("csv line %d: %w", r.line, err) }
		q, err := model.ParseQuarter(cols.get(r.fields, "quarter"))
		if err != nil {
			return nil, fail(err)
		}
		if prev, dup := seen[q]; dup {
			return nil, fail(fmt.Errorf("quarter %s already given on line %d", q, prev))
		}
		seen[q] = r.line
		price, err := number(cols.get(r.fields, "price"))
		if err != nil || price <= 0 {
			return nil, fail(fmt.Errorf("price: want a positive number, got %q", cols.get(r.fields, "price")))
		}
		basis := 50.0
		if s := cols.get(r.fields, "basis_reo"); s != "" {
			if basis, err = number(s); err != nil || basis <= 0 || basis > 100 {
				return nil, fail(fmt.Errorf("basis_reo: want a percentage in (0, 100], got %q", s))
			}
		}
		src := cols.get(r.fields, "source")
		if src == "" {
			return nil, fail(errors.New("empty source: every figure needs one"))
		}
		out = append(out, model.ContractQuarter{
			Quarter: q, Price: price, BasisREO: basis, Source: src, Note: cols.get(r.fields, "note"),
		})
	}
	model.SortQuarters(out)
	return out, nil
}

func elementRows(recs []record, cols columns) ([]model.ElementPrice, error) {
	if err := cols.require("date", "element", "price", "source"); err != nil {
		return nil, err
	}
	type key struct {
		id  model.ElementID
		day int64
	}
	seen := map[key]bool{}
	out := make([]model.ElementPrice, 0, len(recs))
	for _, r := range recs {
		fail := func(err error) error { return fmt.Errorf("csv line %d: %w", r.line, err) }
		day, err := model.ParseDay(cols.get(r.fields, "date"))
		if err != nil {
			return nil, fail(err)
		}
		name := cols.get(r.fields, "element")
		id, ok := model.LookupElement(name)
		if !ok {
			return nil, fail(fmt.Errorf("unknown element %q", name))
		}
		unit := cols.get(r.fields, "unit")
		if unit == "" {
			unit = "元/吨"
		}
		conv := func(col string, optional bool) (float64, error) {
			s := cols.get(r.fields, col)
			if s == "" && optional {
				return model.Unknown, nil
			}
			v, err := number(s)
			if err != nil || v <= 0 {
				return 0, fmt.Errorf("%s: want a positive number, got %q", col, s)
			}
			y, err := model.ToYuanPerTon(v, unit)
			if err != nil {
				return 0, err
			}
			if y != v {
				// Scaling 62.49 万元/吨 gives 624900.0000000001; no source
				// quotes below a fen per ton.
				y = math.Round(y*100) / 100
			}
			return y, nil
		}
		p := model.ElementPrice{Element: id, Date: day, Source: cols.get(r.fields, "source"), OrigUnit: unit}
		if p.Price, err = conv("price", false); err != nil {
			return nil, fail(err)
		}
		if p.Low, err = conv("low", true); err != nil {
			return nil, fail(err)
		}
		if p.High, err = conv("high", true); err != nil {
			return nil, fail(err)
		}
		if model.Known(p.Low) && model.Known(p.High) && !(p.Low <= p.Price && p.Price <= p.High) {
			return nil, fail(fmt.Errorf("price %v outside its range %v–%v", p.Price, p.Low, p.High))
		}
		if p.Source == "" {
			return nil, fail(errors.New("empty source: every figure needs one"))
		}
		k := key{id, day.Unix()}
		if seen[k] {
			continue // the first row listed for an element and date wins
		}
		seen[k] = true
		out = append(out, p)
	}
	return out, nil
}
