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
	"time"
	"unicode/utf8"

	"github.com/rareterm/rareterm/model"

	"github.com/rareterm/rareterm/i18n"
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
// Every row is checked; a file with bad rows returns CSVErrors naming each
// one (line, column, reason), in line order, and no batch.
//
// Every price must be a finite number within its product's plausible band
// (model.DefaultBands; ParseCSVBands takes the configured ones), and a
// contract price within model.ContractBand. A header with both a quarter
// and an element column is refused: which kind it holds cannot be told.
func ParseCSV(r io.Reader) (model.Batch, error) { return ParseCSVBands(r, nil) }

// ParseCSVBands is ParseCSV with the element bands to check against (nil:
// model.DefaultBands).
func ParseCSVBands(r io.Reader, bands model.Bands) (model.Batch, error) {
	recs, cols, err := readCSV(r)
	if err != nil {
		return model.Batch{}, err
	}
	var b model.Batch
	switch {
	case cols.has("quarter") && cols.has("element"):
		err = CSVErrors{rowError(cols.line, "", i18n.CSVBothKinds)}
	case cols.has("quarter"):
		b.Contract, err = contractRows(recs, cols)
	case cols.has("element"):
		b.Elements, err = elementRows(recs, cols, bands)
	default:
		err = CSVErrors{rowError(cols.line, "", i18n.CSVNeitherKind)}
	}
	if err != nil {
		return model.Batch{}, err
	}
	return b, nil
}

// ParseContractCSV reads contract quarters. Header (any order, '#' lines are
// comments, other columns ignored): quarter (YYYYQn), price (元/吨 at the
// basis grade), source; optional basis_reo (percent, default 50) and note.
// A quarter listed twice is an error: a quarter has one contract price.
func ParseContractCSV(r io.Reader) ([]model.ContractQuarter, error) {
	recs, cols, err := readCSV(r)
	if err != nil {
		return nil, err
	}
	return contractRows(recs, cols)
}

// ParseElementsCSV reads dated element prices. Header (any order, '#' lines
// are comments, other columns ignored): date (YYYY-MM-DD, a CST day; an RFC
// 3339 time is also read), element (an id, English name or Chinese name,
// resolved with model.LookupElement), price, source; optional low and high
// (a range; empty when none), unit (the unit of this file's figures,
// default 元/吨) and orig_unit (the unit the source quoted, kept with the
// price; default: unit). Prices are converted to 元/吨. When two rows share
// an element and a date, the first one listed is kept and later ones are
// dropped.
func ParseElementsCSV(r io.Reader) ([]model.ElementPrice, error) {
	recs, cols, err := readCSV(r)
	if err != nil {
		return nil, err
	}
	return elementRows(recs, cols, nil)
}

// RowError is one problem in a CSV file.
type RowError struct {
	Line   int    // line in the file, from 1
	Column string // the column's header name; empty when the problem is the whole row
	Reason string // Why in English
	Why    error  // the problem, in either language (i18n.Say)
}

// rowError is the problem t (with args) on line, in column ("" for the
// whole row).
func rowError(line int, column string, t i18n.Text, args ...any) RowError {
	return rowErr(line, column, i18n.Errorf(t, args...))
}

func rowErr(line int, column string, why error) RowError {
	return RowError{Line: line, Column: column, Reason: why.Error(), Why: why}
}

func (e RowError) Error() string { return e.In(i18n.EN) }

// In is the problem in l, with its line and column.
func (e RowError) In(l i18n.Lang) string {
	if e.Column == "" {
		return i18n.CSVLine.F(l, e.Line, e.why())
	}
	return i18n.CSVLineColumn.F(l, e.Line, e.Column, e.why())
}

// ReasonIn is the problem alone, in l.
func (e RowError) ReasonIn(l i18n.Lang) string { return i18n.Say(l, e.why()) }

func (e RowError) why() error {
	if e.Why != nil {
		return e.Why
	}
	return errors.New(e.Reason)
}

// CSVErrors is every problem found in a CSV file, in line order.
type CSVErrors []RowError

func (es CSVErrors) Error() string {
	var b strings.Builder
	b.WriteString("csv: ")
	for i, e := range es {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// columns maps a lower-cased header name to its index.
type columns struct {
	idx  map[string]int
	n    int // fields in the header
	line int // the header's line
}

func (c columns) has(name string) bool { _, ok := c.idx[name]; return ok }

// get returns the trimmed field name of rec, "" when the column is absent.
func (c columns) get(rec []string, name string) string {
	if i, ok := c.idx[name]; ok && i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

type record struct {
	line   int
	fields []string
}

// readCSV reads the header and every record. A syntax error (a stray quote)
// stops the reading: it is returned with its line as CSVErrors. Records may
// have any number of fields; the row checks report a count that differs
// from the header's.
func readCSV(r io.Reader) ([]record, columns, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	cols := columns{idx: map[string]int{}}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, cols, CSVErrors{rowError(1, "", i18n.CSVEmpty)}
	}
	if err != nil {
		return nil, cols, csvSyntax(err)
	}
	cols.line, _ = cr.FieldPos(0)
	cols.n = len(header)
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := cols.idx[h]; dup {
			return nil, cols, CSVErrors{rowError(cols.line, h, i18n.CSVHeaderTwice)}
		}
		cols.idx[h] = i
	}
	var recs []record
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, cols, csvSyntax(err)
		}
		line, _ := cr.FieldPos(0)
		recs = append(recs, record{line: line, fields: rec})
	}
	return recs, cols, nil
}

func csvSyntax(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return CSVErrors{rowError(pe.Line, "", i18n.CSVSyntax, pe.Err, pe.Column)}
	}
	return fmt.Errorf("csv: %w", err)
}

// require reports each missing column.
func (c columns) require(names ...string) CSVErrors {
	var errs CSVErrors
	for _, n := range names {
		if !c.has(n) {
			errs = append(errs, rowError(c.line, n, i18n.CSVMissing))
		}
	}
	return errs
}

// rowChecker collects the problems of one row.
type rowChecker struct {
	errs *CSVErrors
	line int
	bad  bool
}

func (rc *rowChecker) fail(col string, t i18n.Text, args ...any) {
	rc.failErr(col, i18n.Errorf(t, args...))
}

// failErr fails the row for the problem err.
func (rc *rowChecker) failErr(col string, err error) {
	*rc.errs = append(*rc.errs, rowErr(rc.line, col, err))
	rc.bad = true
}

// plain fails the row for each of the named columns (number, date, code
// fields) that holds control characters (ESC, NUL, DEL, C1, invisible
// format characters) or invalid UTF-8: such a figure is not mistyped but
// hostile, and is refused rather than cleaned. Text columns (source, note)
// are sanitised instead.
func (rc *rowChecker) plain(c columns, r record, names ...string) bool {
	ok := true
	for _, n := range names {
		if model.HasControl(c.get(r.fields, n)) {
			rc.fail(n, i18n.CSVControl, controlNames(c.get(r.fields, n)))
			ok = false
		}
	}
	return ok
}

// controlNames lists the control characters in s, for an error message
// (in either language: invalid UTF-8 is said, the others are named).
func controlNames(s string) i18n.Localized {
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if !seen[n] && len(names) < 4 {
			seen[n] = true
			names = append(names, n)
		}
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			add(invalidUTF8)
		case r == 0x1b:
			add("ESC")
		case r == 0:
			add("NUL")
		case r == 0x07:
			add("BEL")
		case r == 0x7f:
			add("DEL")
		case model.HasControl(string(r)):
			add(fmt.Sprintf("%U", r))
		}
	}
	return nameList(names)
}

// invalidUTF8 stands for i18n.CSVInvalidUTF8 in a nameList.
const invalidUTF8 = "\x00invalid UTF-8"

// nameList is a list of control characters' names, said in either language.
type nameList []string

func (n nameList) In(l i18n.Lang) string {
	out := make([]string, len(n))
	for i, s := range n {
		if s == invalidUTF8 {
			s = i18n.CSVInvalidUTF8.In(l)
		}
		out[i] = s
	}
	return strings.Join(out, ", ")
}

func (c columns) start(errs *CSVErrors, r record) *rowChecker {
	rc := &rowChecker{errs: errs, line: r.line}
	if len(r.fields) != c.n {
		rc.fail("", i18n.CSVFieldCount, len(r.fields), c.n)
	}
	return rc
}

// number parses a figure, allowing thousands separators ("26,887.20").
func number(s string) (float64, error) {
	t := strings.NewReplacer(",", "", "_", "", " ", "").Replace(s)
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, i18n.Errorf(i18n.CSVNotNumber, s)
	}
	return v, nil
}

func contractRows(recs []record, cols columns) ([]model.ContractQuarter, error) {
	if errs := cols.require("quarter", "price", "source"); len(errs) > 0 {
		return nil, errs
	}
	var errs CSVErrors
	seen := map[model.Quarter]int{}
	out := make([]model.ContractQuarter, 0, len(recs))
	for _, r := range recs {
		rc := cols.start(&errs, r)
		if !rc.plain(cols, r, "quarter", "price", "basis_reo") {
			continue
		}
		c := model.ContractQuarter{BasisREO: 50, Source: model.Sanitize(cols.get(r.fields, "source")), Note: model.SanitizeLines(cols.get(r.fields, "note"))}
		q, err := model.ParseQuarter(cols.get(r.fields, "quarter"))
		if err != nil {
			rc.failErr("quarter", err)
		} else if prev, dup := seen[q]; dup {
			rc.fail("quarter", i18n.CSVQuarterTwice, q, prev)
		} else {
			seen[q] = r.line
			c.Quarter = q
		}
		price, err := number(cols.get(r.fields, "price"))
		if err != nil || price <= 0 {
			rc.fail("price", i18n.CSVPositive, cols.get(r.fields, "price"))
		} else if !model.ContractBand.Contains(price) {
			rc.fail("price", i18n.CSVContractOutside, cols.get(r.fields, "price"), model.ContractBand)
		}
		c.Price = price
		if s := cols.get(r.fields, "basis_reo"); s != "" {
			basis, err := number(s)
			if err != nil || basis <= 0 || basis > 100 {
				rc.fail("basis_reo", i18n.CSVPercent, s)
			}
			c.BasisREO = basis
		}
		if c.Source == "" {
			rc.fail("source", i18n.CSVNoSource)
		}
		if !rc.bad {
			out = append(out, c)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	model.SortQuarters(out)
	return out, nil
}

// Element dates must be storable as keys (1970..2262); a generous sanity
// bound on top.
var (
	minElementDate = model.Date(1970, 1, 1)
	maxElementDate = model.Date(2200, 1, 1)
)

func parseElementDate(s string) (time.Time, error) {
	if d, err := model.ParseDay(s); err == nil {
		return d, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.In(model.CST), nil
	}
	return time.Time{}, i18n.Errorf(i18n.CSVBadDate, s)
}

func elementRows(recs []record, cols columns, bands model.Bands) ([]model.ElementPrice, error) {
	if len(bands) == 0 {
		bands = model.DefaultBands()
	}
	if errs := cols.require("date", "element", "price", "source"); len(errs) > 0 {
		return nil, errs
	}
	type key struct {
		id  model.ElementID
		day int64
	}
	var errs CSVErrors
	seen := map[key]bool{}
	out := make([]model.ElementPrice, 0, len(recs))
	for _, r := range recs {
		rc := cols.start(&errs, r)
		if !rc.plain(cols, r, "date", "price", "low", "high") {
			continue
		}
		day, err := parseElementDate(cols.get(r.fields, "date"))
		if err != nil {
			rc.failErr("date", err)
		} else if day.Before(minElementDate) || !day.Before(maxElementDate) {
			rc.fail("date", i18n.CSVDateRange, day.Format("2006-01-02"))
		}
		name := model.Sanitize(cols.get(r.fields, "element"))
		id, ok := model.LookupElement(name)
		if !ok {
			rc.fail("element", i18n.CSVUnknownElement, name, elementIDs())
		}
		unit := model.Sanitize(cols.get(r.fields, "unit"))
		if unit == "" {
			unit = "元/吨"
		}
		unitOK := true
		if _, err := model.ToYuanPerTon(1, unit); err != nil {
			rc.failErr("unit", err)
			unitOK = false
		}
		origUnit := unit
		if cols.has("orig_unit") {
			origUnit = model.Sanitize(cols.get(r.fields, "orig_unit")) // as given, even empty
		}
		conv := func(col string, optional bool) float64 {
			s := cols.get(r.fields, col)
			if s == "" && optional {
				return model.Unknown
			}
			v, err := number(s)
			if err != nil || v <= 0 {
				rc.fail(col, i18n.CSVPositive, s)
				return model.Unknown
			}
			if !unitOK {
				return model.Unknown
			}
			y, _ := model.ToYuanPerTon(v, unit)
			if y != v {
				// Scaling 62.49 万元/吨 gives 624900.0000000001; no source
				// quotes below a fen per ton.
				y = math.Round(y*100) / 100
			}
			return y
		}
		p := model.ElementPrice{Element: id, Date: day, Source: model.Sanitize(cols.get(r.fields, "source")), OrigUnit: origUnit}
		p.Price = conv("price", false)
		p.Low = conv("low", true)
		p.High = conv("high", true)
		if model.Known(p.Price) && model.Known(p.Low) && model.Known(p.High) && !(p.Low <= p.Price && p.Price <= p.High) {
			rc.fail("price", i18n.CSVOutsideRange, p.Price, p.Low, p.High)
		}
		if ok && unitOK && !rc.bad {
			// The band, in 元/吨 after the unit's conversion (1e308 万元/吨
			// is +Inf here).
			band := bands.Band(id)
			for _, f := range []struct {
				col string
				v   float64
			}{{"price", p.Price}, {"low", p.Low}, {"high", p.High}} {
				if (f.col == "price" || !math.IsNaN(f.v)) && !band.Contains(f.v) {
					err := bands.Check(model.ElementPrice{Element: id, Price: p.Price, Low: p.Low, High: p.High})
					if y, _ := model.ToYuanPerTon(1, unit); y != 1 {
						rc.fail(f.col, i18n.CSVInUnit, cols.get(r.fields, f.col), unit, err)
					} else {
						rc.failErr(f.col, err)
					}
					break
				}
			}
		}
		if p.Source == "" {
			rc.fail("source", i18n.CSVNoSource)
		}
		if rc.bad {
			continue
		}
		k := key{id, day.UnixNano()}
		if seen[k] {
			continue // the first row listed for an element and date wins
		}
		seen[k] = true
		out = append(out, p)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

func elementIDs() string {
	ids := make([]string, len(model.Elements))
	for i, e := range model.Elements {
		ids[i] = string(e.ID)
	}
	return strings.Join(ids, ", ")
}
