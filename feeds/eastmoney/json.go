package eastmoney

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

// Parsed is what a parser returns: the rows it accepted, the totals the body
// declares, and one message for every row it dropped.
type Parsed[T any] struct {
	Rows    []T
	Total   int      // data.total (push2) or result.count (datacenter); 0 when absent
	Pages   int      // result.pages (datacenter); 0 when absent
	Dropped []string // "row 3 (116.06680 金力永磁): last price missing"
}

func (p *Parsed[T]) drop(format string, args ...any) {
	p.Dropped = append(p.Dropped, fmt.Sprintf(format, args...))
}

// row is one JSON object of a list body, kept raw so that every field can be
// a number, a numeric string, "-" or null.
type row map[string]json.RawMessage

// num reads a figure: a JSON number or numeric string; "-", "", null, a
// missing key and anything non-finite give model.Unknown (NaN).
func (r row) num(key string) float64 { return rawNum(r[key]) }

func rawNum(raw json.RawMessage) float64 {
	s := string(bytes.TrimSpace(raw))
	if len(s) > 0 && s[0] == '"' {
		if json.Unmarshal(raw, &s) != nil {
			return model.Unknown
		}
	}
	return parseNum(s)
}

// parseNum reads a figure written as text: "1,405,000", "2.5%", " 49.41 ".
// "", "-", "null" and anything non-finite give NaN.
func parseNum(s string) float64 {
	s = strings.TrimSuffix(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), "%")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return model.Unknown
	}
	return v
}

// str reads a text field (a JSON string, or a number written as text),
// sanitised. Missing, null and "-" give "".
func (r row) str(key string) string { return rawStr(r[key]) }

func rawStr(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || string(t) == "null" {
		return ""
	}
	var s string
	if t[0] == '"' {
		if json.Unmarshal(t, &s) != nil {
			return ""
		}
	} else if t[0] == '-' || (t[0] >= '0' && t[0] <= '9') {
		s = string(t)
	} else {
		return ""
	}
	s = model.Sanitize(s)
	if s == "-" {
		return ""
	}
	return s
}

// name reads a name: sanitised, and cut to model.MaxNameRunes runes.
func (r row) name(key string) string { return model.CleanName(r.str(key)) }

// Bounds of a timestamp field (Unix seconds): 1990-01-01 to 2100-01-01.
// The poller also refuses a time more than model.MaxRowAhead ahead of now.
const (
	minUnix = 631152000
	maxUnix = 4102444800
)

// unixTime reads a timestamp in Unix seconds (f124). A missing or null
// field gives the zero time (clist constituents carry none); a field that
// is present but "-", 0, not a number or outside 1990–2100 is an error
// naming it, and the row is dropped.
func (r row) unixTime(key string) (time.Time, error) {
	raw, ok := r[key]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return time.Time{}, nil
	}
	v := rawNum(raw)
	if !model.Known(v) || v < minUnix || v > maxUnix {
		return time.Time{}, fmt.Errorf("bad time %s %s", key, head(raw))
	}
	return unixCST(v), nil
}

// integer reads a whole number, or -1 when the field is unknown or not a
// whole non-negative number.
func (r row) integer(key string) int {
	v := r.num(key)
	if !model.Known(v) || v < 0 || v != math.Trunc(v) || v > math.MaxInt32 {
		return -1
	}
	return int(v)
}

// decode unwraps JSONP and unmarshals b into v, with errors that say what the
// body was (HTML, empty, truncated) rather than only where it broke.
func decode(b []byte, v any) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '<' { // before unwrapping: HTML has parentheses too
		return fmt.Errorf("got HTML, not JSON: %q", head(stripTags(t)))
	}
	t := httpx.UnwrapJSONP(b)
	if len(t) == 0 {
		return errors.New("empty body")
	}
	if err := json.Unmarshal(t, v); err != nil {
		if unbalanced(t) {
			return fmt.Errorf("truncated JSON (%d bytes): %w", len(t), err)
		}
		return fmt.Errorf("bad JSON: %w", err)
	}
	return nil
}

// unbalanced reports whether t ends inside a string or with open brackets.
func unbalanced(t []byte) bool {
	depth, inStr, esc := 0, false, false
	for _, c := range t {
		switch {
		case esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		}
	}
	return inStr || depth > 0
}

// stripTags drops markup from an HTML body (crudely: everything between
// '<' and '>', and script and style bodies), leaving the text a person
// would read on the page. Tag names are matched without case folding a
// copy, so every offset is an offset into b itself, whatever bytes (invalid
// UTF-8 included) the body holds.
func stripTags(b []byte) []byte {
	b = b[:min(len(b), 16<<10)] // enough for a message
	out := make([]byte, 0, min(len(b), 4096))
	for i := 0; i < len(b); i++ {
		if b[i] != '<' {
			out = append(out, b[i])
			continue
		}
		for _, skip := range []string{"script", "style"} {
			if hasPrefixFold(b[i+1:], skip) {
				j := indexFold(b[i+1:], "</"+skip)
				if j < 0 {
					return out
				}
				i += 1 + j
				break
			}
		}
		j := bytes.IndexByte(b[i:], '>')
		if j < 0 {
			break
		}
		i += j
		out = append(out, ' ')
	}
	return out
}

// hasPrefixFold reports whether b starts with the ASCII string p, ignoring
// ASCII case.
func hasPrefixFold(b []byte, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for k := 0; k < len(p); k++ {
		if lowerASCII(b[k]) != lowerASCII(p[k]) {
			return false
		}
	}
	return true
}

// indexFold returns the index in b of the first match of the ASCII string p,
// ignoring ASCII case, or -1.
func indexFold(b []byte, p string) int {
	for k := 0; k+len(p) <= len(b); k++ {
		if hasPrefixFold(b[k:], p) {
			return k
		}
	}
	return -1
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// head is the start of a body for an error message.
func head(b []byte) string {
	const n = 80
	s := model.Sanitize(string(b[:min(len(b), n*4)]))
	if len(s) > n {
		r := []rune(s)
		if len(r) > n {
			s = string(r[:n]) + "…"
		}
	}
	return s
}

// elements splits data.diff, which arrives either as a JSON array or as an
// object keyed "0", "1", …, into its elements in order.
func elements(diff json.RawMessage) ([]json.RawMessage, error) {
	t := bytes.TrimSpace(diff)
	if len(t) == 0 || string(t) == "null" {
		return nil, nil
	}
	var elems []json.RawMessage
	switch t[0] {
	case '[':
		if err := json.Unmarshal(t, &elems); err != nil {
			return nil, fmt.Errorf("data.diff: %w", err)
		}
	case '{':
		var m map[string]json.RawMessage
		if err := json.Unmarshal(t, &m); err != nil {
			return nil, fmt.Errorf("data.diff: %w", err)
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			a, errA := strconv.Atoi(keys[i])
			b, errB := strconv.Atoi(keys[j])
			if errA == nil && errB == nil {
				return a < b
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			elems = append(elems, m[k])
		}
	default:
		return nil, errors.New("data.diff is neither a list nor an object")
	}
	return elems, nil
}

// convert turns each element into a T with conv, in order, dropping (and
// reporting, with the row named by name) elements that are not objects or
// that conv rejects.
func convert[T any](elems []json.RawMessage, what string, p *Parsed[T], conv func(row) (T, error), name func(row) string) {
	for i, e := range elems {
		var r row
		if err := json.Unmarshal(e, &r); err != nil || r == nil {
			p.drop("%s row %d: not an object: %s", what, i, head(e))
			continue
		}
		v, err := conv(r)
		if err != nil {
			p.drop("%s row %d (%s): %v", what, i, name(r), err)
			continue
		}
		p.Rows = append(p.Rows, v)
	}
}

// push2 is the envelope of push2 and push2his replies.
type push2 struct {
	RC   *json.RawMessage `json:"rc"`
	Data json.RawMessage  `json:"data"`
}

// decodePush2 decodes the envelope and returns rc (an error when the field
// is missing: the body is not an Eastmoney reply) and the raw data.
func decodePush2(b []byte, what string) (rc int, data json.RawMessage, err error) {
	var env push2
	if err := decode(b, &env); err != nil {
		return 0, nil, fmt.Errorf("%s: %w", what, err)
	}
	if env.RC == nil {
		return 0, nil, fmt.Errorf("%s: no rc field: not an Eastmoney reply: %q", what, head(b))
	}
	v := rawNum(*env.RC)
	if !model.Known(v) {
		return 0, nil, fmt.Errorf("%s: rc is not a number", what)
	}
	data = bytes.TrimSpace(env.Data)
	if string(data) == "null" {
		data = nil
	}
	return int(v), data, nil
}

// describe names a push2 row for a drop message: "116.06680 金力永磁".
func describe(r row) string {
	id := r.str("f12")
	if m := r.integer("f13"); m >= 0 && id != "" {
		id = fmt.Sprint(m) + "." + id
	}
	if id == "" {
		id = "no code"
	}
	if n := r.str("f14"); n != "" {
		id += " " + n
	}
	return id
}
