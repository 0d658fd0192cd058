package prices

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

// DefaultVendorSource is the Source string when Mapping.Source is empty.
const DefaultVendorSource = "vendor"

// Mapping names the columns (CSV header names, or JSON keys) of a vendor
// file. Names match case-insensitively; empty names take the defaults in
// brackets. Date, Element and Price (or Low and High) are required; Low,
// High and Unit are used when the file has them.
type Mapping struct {
	Date    string // [date] YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD (a time part is ignored)
	Element string // [element] an id, English or Chinese name (model.LookupElement)
	Price   string // [price] the mid or average; the middle of Low–High when empty
	Low     string // [low]
	High    string // [high]
	Unit    string // [unit] 元/吨, 万元/吨, 元/kg … (model.ToYuanPerTon)

	DefaultUnit string // the unit when there is no Unit column or it is empty [元/吨]
	Source      string // the Source string on every price [vendor]
}

func (m Mapping) withDefaults() Mapping {
	def := func(s *string, d string) {
		if strings.TrimSpace(*s) == "" {
			*s = d
		}
	}
	def(&m.Date, "date")
	def(&m.Element, "element")
	def(&m.Price, "price")
	def(&m.Low, "low")
	def(&m.High, "high")
	def(&m.Unit, "unit")
	def(&m.DefaultUnit, "元/吨")
	def(&m.Source, DefaultVendorSource)
	return m
}

// VendorConfig configures a Vendor adapter.
type VendorConfig struct {
	// Location is an http(s) URL or a local file path ("file://" accepted).
	Location string
	// Format is "csv" or "json" (an array of objects); empty infers it from
	// the extension, then from the first byte ('[' is JSON).
	Format  string
	Mapping Mapping

	// HTTP is the client for http(s) locations; nil builds one with a 30 s
	// timeout. Its MaxBody also bounds a local file.
	HTTP *httpx.Client

	// OnDrop, when set, is called synchronously once for every row dropped.
	OnDrop func(msg string)
}

// Vendor reads element prices from a vendor's CSV or JSON file. It
// implements feeds.ElementSource.
type Vendor struct {
	cfg  VendorConfig
	m    Mapping
	http *httpx.Client
}

// NewVendor returns a Vendor adapter for cfg.
func NewVendor(cfg VendorConfig) *Vendor {
	hc := cfg.HTTP
	if hc == nil {
		hc = httpx.New(httpx.Options{Timeout: 30 * time.Second, RatePerSec: 0.2, Burst: 2})
	}
	return &Vendor{cfg: cfg, m: cfg.Mapping.withDefaults(), http: hc}
}

// Name returns the configured source name ("vendor" by default).
func (v *Vendor) Name() string { return v.m.Source }

// Elements loads the file and returns every price in it.
func (v *Vendor) Elements(ctx context.Context) ([]model.ElementPrice, error) {
	loc := strings.TrimSpace(v.cfg.Location)
	if loc == "" {
		return nil, fmt.Errorf("%s: no location configured", v.m.Source)
	}
	b, err := v.load(ctx, loc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", v.m.Source, err)
	}
	var prices []model.ElementPrice
	var dropped []string
	if v.format(loc, b) == "json" {
		prices, dropped, err = ParseVendorJSON(b, v.m)
	} else {
		prices, dropped, err = ParseVendorCSV(b, v.m)
	}
	if v.cfg.OnDrop != nil {
		for _, d := range dropped {
			v.cfg.OnDrop(v.m.Source + ": " + loc + ": " + d)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", v.m.Source, loc, err)
	}
	return prices, nil
}

func (v *Vendor) load(ctx context.Context, loc string) ([]byte, error) {
	low := strings.ToLower(loc)
	if strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://") {
		resp, err := v.http.Fetch(ctx, loc, nil)
		if err != nil {
			return nil, err
		}
		return httpx.DecodeCharset(resp.Body, httpx.Charset(resp.Header.Get("Content-Type")), "auto")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(strings.TrimPrefix(loc, "file://"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	limit := v.http.MaxBody()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: %w (over %d bytes)", loc, httpx.ErrTooLarge, limit)
	}
	return httpx.DecodeCharset(b, "", "auto")
}

func (v *Vendor) format(loc string, b []byte) string {
	if f := strings.ToLower(strings.TrimSpace(v.cfg.Format)); f != "" {
		return f
	}
	p := loc
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".json":
		return "json"
	case ".csv", ".txt":
		return "csv"
	}
	if t := bytes.TrimSpace(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))); len(t) > 0 && t[0] == '[' {
		return "json"
	}
	return "csv"
}

// field is one value of a record and where it was found, for messages.
type field struct {
	val   string
	where string // `line 4, column "price"`
}

// vendorRecord builds a price from the mapped fields of one record.
func vendorRecord(get func(col string) (field, bool), m Mapping) (model.ElementPrice, error) {
	bad := func(f field, format string, args ...any) error {
		return fmt.Errorf("%s: %s", f.where, fmt.Sprintf(format, args...))
	}
	df, _ := get(m.Date)
	ds := strings.TrimSpace(df.val)
	if i := strings.IndexAny(ds, " T"); i > 0 {
		ds = ds[:i] // "2026-01-09 00:00:00", "2026-01-09T00:00:00Z"
	}
	date, err := model.ParseDay(ds)
	if err == nil && (date.Year() < 1990 || date.Year() > 2100) {
		err = errors.New("out of range")
	}
	if err != nil {
		return model.ElementPrice{}, bad(df, "bad date %q", df.val)
	}
	ef, _ := get(m.Element)
	id, ok := model.LookupElement(model.Sanitize(ef.val))
	if !ok {
		return model.ElementPrice{}, bad(ef, "unknown product %q", model.Sanitize(ef.val))
	}
	p := model.ElementPrice{Element: id, Date: date, Price: model.Unknown, Low: model.Unknown, High: model.Unknown, Source: m.Source}
	for _, c := range []struct {
		col string
		dst *float64
	}{{m.Price, &p.Price}, {m.Low, &p.Low}, {m.High, &p.High}} {
		f, ok := get(c.col)
		if !ok || isBlank(f.val) {
			continue
		}
		if *c.dst = parseNum(f.val); !model.Known(*c.dst) {
			return p, bad(f, "%q is not a number", model.Sanitize(f.val))
		}
	}
	if !model.Known(p.Price) {
		if !model.Known(p.Low) || !model.Known(p.High) {
			pf, _ := get(m.Price)
			return p, bad(pf, "no price (and no low and high)")
		}
		p.Price = (p.Low + p.High) / 2
	}
	if model.Known(p.Low) != model.Known(p.High) {
		p.Low, p.High = model.Unknown, model.Unknown // half a range is no range
	}
	if err := checkPrice(&p); err != nil {
		pf, _ := get(m.Price)
		return p, bad(pf, "%v", err)
	}
	unit := m.DefaultUnit
	uf, ok := get(m.Unit)
	if ok && model.Sanitize(uf.val) != "" && !isBlank(uf.val) {
		unit = model.Sanitize(uf.val)
	} else {
		uf.where = "default unit"
	}
	if err := convert(&p, unit); err != nil {
		return p, bad(uf, "%v", err)
	}
	return p, nil
}

func isBlank(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || s == "-" || s == "—" || strings.EqualFold(s, "null") || strings.EqualFold(s, "n/a")
}

// ParseVendorCSV reads a CSV file with a header row. Columns are found by
// the mapping's names; a missing Date, Element or Price (without Low and
// High) column is an error. A bad row is dropped with a message naming its
// line and column: `line 7, column "price": "abc" is not a number`. Blank
// lines and lines starting with '#' are skipped.
func ParseVendorCSV(b []byte, m Mapping) ([]model.ElementPrice, []string, error) {
	m = m.withDefaults()
	if _, err := model.ToYuanPerTon(1, m.DefaultUnit); err != nil {
		return nil, nil, fmt.Errorf("mapping: default unit: %w", err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.TrimLeadingSpace = true
	r.Comment = '#'
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errors.New("empty file: no header row")
		}
		return nil, nil, fmt.Errorf("header: %w", err)
	}
	cols := map[string]int{}
	for i, h := range header {
		k := strings.ToLower(model.Sanitize(h))
		if _, dup := cols[k]; !dup {
			cols[k] = i
		}
	}
	idx := func(name string) int {
		if i, ok := cols[strings.ToLower(strings.TrimSpace(name))]; ok {
			return i
		}
		return -1
	}
	if err := requireColumns(idx, m); err != nil {
		return nil, nil, err
	}
	var out []model.ElementPrice
	var dropped []string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				dropped = append(dropped, fmt.Sprintf("line %d, column %d: %v", pe.Line, pe.Column, pe.Err))
				if rec == nil {
					continue
				}
			} else {
				return out, dropped, err
			}
		}
		if allBlank(rec) {
			continue
		}
		line, _ := r.FieldPos(0)
		get := func(col string) (field, bool) {
			i := idx(col)
			if i < 0 {
				return field{where: fmt.Sprintf("line %d, column %q", line, col)}, false
			}
			if i >= len(rec) {
				return field{where: fmt.Sprintf("line %d, column %q (missing: the line has %d fields)", line, col, len(rec))}, false
			}
			l, _ := r.FieldPos(i)
			return field{val: rec[i], where: fmt.Sprintf("line %d, column %q", l, col)}, true
		}
		p, err := vendorRecord(get, m)
		if err != nil {
			dropped = append(dropped, err.Error())
			continue
		}
		out = append(out, p)
	}
	return out, dropped, nil
}

func requireColumns(idx func(string) int, m Mapping) error {
	var missing []string
	for _, c := range []string{m.Date, m.Element} {
		if idx(c) < 0 {
			missing = append(missing, c)
		}
	}
	if idx(m.Price) < 0 && (idx(m.Low) < 0 || idx(m.High) < 0) {
		missing = append(missing, m.Price)
	}
	if len(missing) > 0 {
		return fmt.Errorf("header has no column %q (check the mapping)", missing)
	}
	return nil
}

func allBlank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// ParseVendorJSON reads a JSON array of objects, keys matched like CSV
// columns (case-insensitive), values strings or numbers. A bad record is
// dropped with a message naming its line and key.
func ParseVendorJSON(b []byte, m Mapping) ([]model.ElementPrice, []string, error) {
	m = m.withDefaults()
	if _, err := model.ToYuanPerTon(1, m.DefaultUnit); err != nil {
		return nil, nil, fmt.Errorf("mapping: default unit: %w", err)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, fmt.Errorf("bad JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, nil, errors.New("want a JSON array of objects")
	}
	var out []model.ElementPrice
	var dropped []string
	for n := 1; dec.More(); n++ {
		off := int(dec.InputOffset())
		var obj map[string]json.RawMessage
		if err := dec.Decode(&obj); err != nil {
			var ute *json.UnmarshalTypeError
			if errors.As(err, &ute) {
				dropped = append(dropped, fmt.Sprintf("record %d (line %d): not an object", n, lineAt(b, off)))
				continue
			}
			return out, dropped, fmt.Errorf("record %d (line %d): %w", n, lineAt(b, off), err)
		}
		line := lineAt(b, off)
		keys := make(map[string]json.RawMessage, len(obj))
		for k, v := range obj {
			keys[strings.ToLower(strings.TrimSpace(k))] = v
		}
		get := func(col string) (field, bool) {
			where := fmt.Sprintf("record %d (line %d), key %q", n, line, col)
			raw, ok := keys[strings.ToLower(strings.TrimSpace(col))]
			if !ok {
				return field{where: where}, false
			}
			return field{val: jsonText(raw), where: where}, true
		}
		p, err := vendorRecord(get, m)
		if err != nil {
			dropped = append(dropped, err.Error())
			continue
		}
		out = append(out, p)
	}
	if _, err := dec.Token(); err != nil {
		return out, dropped, fmt.Errorf("bad JSON at the end of the array: %w", err)
	}
	return out, dropped, nil
}

// lineAt returns the 1-based line of the first non-blank byte at or after off.
func lineAt(b []byte, off int) int {
	off = min(max(off, 0), len(b))
	for off < len(b) && (b[off] == ' ' || b[off] == '\t' || b[off] == '\r' || b[off] == '\n' || b[off] == ',') {
		off++
	}
	return 1 + bytes.Count(b[:off], []byte("\n"))
}

// jsonText renders a JSON value as the text a CSV cell would hold.
func jsonText(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || string(t) == "null" {
		return ""
	}
	if t[0] == '"' {
		var s string
		if json.Unmarshal(t, &s) == nil {
			return s
		}
	}
	return string(t)
}
