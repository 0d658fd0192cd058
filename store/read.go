package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// Ranges: every range read returns the values with from <= time <= to
// (both ends inclusive), oldest first. A zero from means "from the
// beginning", a zero to "to the end"; from after to is an empty result, not
// an error. Every returned value is a fresh copy: nothing points into the
// database's memory map, and callers may modify what they get.

// SectorMarginDays and MarginDays are how many margin days (records, not
// calendar days) Snapshot returns per board and per stock.
const (
	SectorMarginDays = 60
	MarginDays       = 60
)

// span is a key range: lo is the Seek key (nil: from the first key), hi the
// last key included (hasHi false: to the last key).
type span struct {
	lo    []byte
	hi    uint64
	hasHi bool
	empty bool
}

func makeSpan(from, to time.Time) span {
	var s span
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return span{empty: true}
	}
	if !from.IsZero() {
		if from.After(maxKeyTime) {
			return span{empty: true}
		}
		s.lo = boundKey(from)
	}
	if !to.IsZero() {
		if to.Before(minKeyTime) {
			return span{empty: true}
		}
		s.hi, s.hasHi = binary.BigEndian.Uint64(boundKey(to)), true
	}
	return s
}

// past reports whether k lies beyond the span's upper end. Time keys are 8
// bytes; a key of another length (corruption) is compared as bytes and
// fails to decode later.
func (s *span) past(k []byte) bool {
	if !s.hasHi {
		return false
	}
	if len(k) == 8 {
		return binary.BigEndian.Uint64(k) > s.hi
	}
	return bytes.Compare(k, binary.BigEndian.AppendUint64(nil, s.hi)) > 0
}

// scan calls fn for every key in sp, in order. b may be nil (no data).
func scan(b *bolt.Bucket, sp span, fn func(k, v []byte) error) error {
	if b == nil || sp.empty {
		return nil
	}
	c := b.Cursor()
	var k, v []byte
	if sp.lo != nil {
		k, v = c.Seek(sp.lo)
	} else {
		k, v = c.First()
	}
	for ; k != nil && !sp.past(k); k, v = c.Next() {
		if v == nil {
			return fmt.Errorf("%w: nested bucket %q inside a series", errCorrupt, k)
		}
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// count returns how many keys sp holds in b, walking keys only, so a read
// can allocate its result once.
func count(b *bolt.Bucket, sp span) int {
	if b == nil || sp.empty {
		return 0
	}
	c := b.Cursor()
	var k []byte
	if sp.lo != nil {
		k, _ = c.Seek(sp.lo)
	} else {
		k, _ = c.First()
	}
	n := 0
	for ; k != nil && !sp.past(k); k, _ = c.Next() {
		n++
	}
	return n
}

// seekAsOf positions c on the last key at or before t (the newest when t is
// zero) and returns it, or nil when there is none: Seek, then Prev unless
// Seek landed exactly on t.
func seekAsOf(c *bolt.Cursor, t time.Time) (k, v []byte) {
	if t.IsZero() || t.After(maxKeyTime) {
		return c.Last()
	}
	if t.Before(minKeyTime) {
		return nil, nil
	}
	key := boundKey(t)
	k, v = c.Seek(key)
	switch {
	case k == nil:
		return c.Last()
	case bytes.Equal(k, key):
		return k, v
	}
	return c.Prev()
}

// kv is a key and value inside a transaction's memory map.
type kv struct{ k, v []byte }

// lastN returns the newest n key/values at or before t (the newest n when t
// is zero), newest first. The slices are valid until the transaction ends.
func lastN(b *bolt.Bucket, t time.Time, n int) ([]kv, error) {
	if b == nil || n <= 0 {
		return nil, nil
	}
	var buf []kv
	c := b.Cursor()
	for k, v := seekAsOf(c, t); k != nil && len(buf) < n; k, v = c.Prev() {
		if v == nil {
			return nil, fmt.Errorf("%w: nested bucket %q inside a series", errCorrupt, k)
		}
		if buf == nil {
			buf = make([]kv, 0, n)
		}
		buf = append(buf, kv{k, v})
	}
	return buf, nil
}

func nested(tx *bolt.Tx, top []byte, sub string) *bolt.Bucket {
	t := tx.Bucket(top)
	if t == nil {
		return nil
	}
	return t.Bucket([]byte(sub))
}

// subNames lists the nested buckets of top, sorted.
func subNames(tx *bolt.Tx, top []byte) ([]string, error) {
	t := tx.Bucket(top)
	if t == nil {
		return nil, nil
	}
	var out []string
	err := t.ForEachBucket(func(k []byte) error { out = append(out, string(k)); return nil })
	return out, err
}

func wrapAt(what, name string, k []byte, err error) error {
	if t, terr := keyTime(k); terr == nil {
		return i18n.Errorf(i18n.StoreReadAt, what, name, t.Format(time.RFC3339), err)
	}
	return i18n.Errorf(i18n.StoreRead, what, name, err)
}

// ---- quotes ----

func decodeQuoteKV(sym string, k, v []byte, in *interner) (model.Quote, error) {
	q := model.Quote{Symbol: sym}
	t, err := keyTime(k)
	if err != nil {
		return q, wrapAt("quote", sym, k, err)
	}
	q.Time = t
	if err := decodeQuote(v, in, &q); err != nil {
		return q, wrapAt("quote", sym, k, err)
	}
	return q, nil
}

// Quotes returns sym's quotes in [from, to].
func (db *DB) Quotes(sym string, from, to time.Time) ([]model.Quote, error) {
	var out []model.Quote
	err := db.view(func(tx *bolt.Tx) error {
		in := newInterner()
		return scan(nested(tx, bQuotes, sym), makeSpan(from, to), func(k, v []byte) error {
			q, err := decodeQuoteKV(sym, k, v, in)
			out = append(out, q)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LatestQuote returns sym's newest quote; false when none is cached.
func (db *DB) LatestQuote(sym string) (model.Quote, bool, error) {
	return db.QuoteAsOf(sym, time.Time{})
}

// QuoteAsOf returns sym's last quote at or before t (the newest when t is
// zero); false when there is none.
func (db *DB) QuoteAsOf(sym string, t time.Time) (model.Quote, bool, error) {
	var (
		q  model.Quote
		ok bool
	)
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		q, ok, err = quoteAsOf(tx, sym, t)
		return err
	})
	return q, ok && err == nil, err
}

func quoteAsOf(tx *bolt.Tx, sym string, t time.Time) (model.Quote, bool, error) {
	b := nested(tx, bQuotes, sym)
	if b == nil {
		return model.Quote{}, false, nil
	}
	k, v := seekAsOf(b.Cursor(), t)
	if k == nil {
		return model.Quote{}, false, nil
	}
	q, err := decodeQuoteKV(sym, k, v, nil)
	return q, err == nil, err
}

// ---- bars ----

func readBars(tx *bolt.Tx, top []byte, sym string, iv model.Interval, sp span, in *interner) ([]model.Bar, error) {
	b := nested(tx, top, sym)
	n := count(b, sp)
	if n == 0 {
		return nil, nil
	}
	out := make([]model.Bar, 0, n)
	err := scan(b, sp, func(k, v []byte) error {
		t, err := keyTime(k)
		if err != nil {
			return wrapAt("bar", sym, k, err)
		}
		// Fill the pre-zeroed element in place (no struct copy).
		out = out[:len(out)+1]
		r := &out[len(out)-1]
		r.Symbol, r.Interval, r.Time = sym, iv, t
		if err := decodeBar(v, in, r); err != nil {
			return wrapAt("bar", sym, k, err)
		}
		return nil
	})
	return out, err
}

// Bars returns sym's bars of interval iv in [from, to].
func (db *DB) Bars(sym string, iv model.Interval, from, to time.Time) ([]model.Bar, error) {
	top, err := barsBucket(iv)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	var out []model.Bar
	err = db.view(func(tx *bolt.Tx) error {
		out, err = readBars(tx, top, sym, iv, makeSpan(from, to), newInterner())
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// BarsMulti returns the bars of several symbols in [from, to], in one read
// transaction (one consistent view). Symbols with no bars are absent.
func (db *DB) BarsMulti(syms []string, iv model.Interval, from, to time.Time) (map[string][]model.Bar, error) {
	top, err := barsBucket(iv)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	out := make(map[string][]model.Bar, len(syms))
	err = db.view(func(tx *bolt.Tx) error {
		in, sp := newInterner(), makeSpan(from, to)
		for _, s := range syms {
			bars, err := readBars(tx, top, s, iv, sp, in)
			if err != nil {
				return err
			}
			if len(bars) > 0 {
				out[s] = bars
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ---- element prices ----

func readElements(tx *bolt.Tx, id model.ElementID, sp span, in *interner) (model.Series, error) {
	b := nested(tx, bElements, string(id))
	n := count(b, sp)
	if n == 0 {
		return nil, nil
	}
	out := make(model.Series, 0, n)
	err := scan(b, sp, func(k, v []byte) error {
		t, err := keyTime(k)
		if err != nil {
			return wrapAt("element", string(id), k, err)
		}
		out = append(out, model.ElementPrice{Element: id, Date: t})
		if err := decodeElement(v, in, &out[len(out)-1]); err != nil {
			return wrapAt("element", string(id), k, err)
		}
		return nil
	})
	return out, err
}

// ElementSeries returns the prices of one product in [from, to].
func (db *DB) ElementSeries(id model.ElementID, from, to time.Time) (model.Series, error) {
	var out model.Series
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		out, err = readElements(tx, id, makeSpan(from, to), newInterner())
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ElementIDs lists the products with cached prices.
func (db *DB) ElementIDs() ([]model.ElementID, error) {
	var out []model.ElementID
	err := db.view(func(tx *bolt.Tx) error {
		names, err := subNames(tx, bElements)
		for _, n := range names {
			out = append(out, model.ElementID(n))
		}
		return err
	})
	return out, err
}

// ---- margin ----

func decodeMarginKV(sym string, k, v []byte, in *interner) (model.MarginDay, error) {
	m := model.MarginDay{Symbol: sym}
	t, err := keyTime(k)
	if err != nil {
		return m, wrapAt("margin", sym, k, err)
	}
	m.Date = t
	if err := decodeMargin(v, in, &m); err != nil {
		return m, wrapAt("margin", sym, k, err)
	}
	return m, nil
}

// Margin returns the margin days of a stock (or, for a board code, the
// sector margin) in [from, to].
func (db *DB) Margin(sym string, from, to time.Time) ([]model.MarginDay, error) {
	var out []model.MarginDay
	err := db.view(func(tx *bolt.Tx) error {
		in := newInterner()
		return scan(nested(tx, bMargin, sym), makeSpan(from, to), func(k, v []byte) error {
			m, err := decodeMarginKV(sym, k, v, in)
			out = append(out, m)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func marginLastN(tx *bolt.Tx, sym string, asOf time.Time, n int, in *interner) ([]model.MarginDay, error) {
	kvs, err := lastN(nested(tx, bMargin, sym), asOf, n)
	if err != nil || len(kvs) == 0 {
		return nil, err
	}
	out := make([]model.MarginDay, len(kvs))
	for i := range kvs {
		p := kvs[len(kvs)-1-i] // oldest first
		m := &out[i]
		m.Symbol = sym
		if m.Date, err = keyTime(p.k); err != nil {
			return nil, wrapAt("margin", sym, p.k, err)
		}
		if err := decodeMargin(p.v, in, m); err != nil {
			return nil, wrapAt("margin", sym, p.k, err)
		}
	}
	return out, nil
}

// ---- boards ----

// Boards returns a board's moves in [from, to].
func (db *DB) Boards(code string, from, to time.Time) ([]model.BoardMove, error) {
	var out []model.BoardMove
	err := db.view(func(tx *bolt.Tx) error {
		in := newInterner()
		return scan(nested(tx, bBoards, code), makeSpan(from, to), func(k, v []byte) error {
			m, err := decodeBoardKV(code, k, v, in)
			out = append(out, m)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func decodeBoardKV(code string, k, v []byte, in *interner) (model.BoardMove, error) {
	m := model.BoardMove{Code: code}
	t, err := keyTime(k)
	if err != nil {
		return m, wrapAt("board", code, k, err)
	}
	m.Time = t
	if err := decodeBoard(v, in, &m); err != nil {
		return m, wrapAt("board", code, k, err)
	}
	return m, nil
}

// Members returns a board's constituents as last fetched at or before t
// (the newest when t is zero), with the time of that fetch.
func (db *DB) Members(board string, t time.Time) ([]model.Quote, time.Time, bool, error) {
	var (
		qs []model.Quote
		at time.Time
		ok bool
	)
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		qs, at, ok, err = membersAsOf(tx, board, t, nil)
		return err
	})
	return qs, at, ok && err == nil, err
}

func membersAsOf(tx *bolt.Tx, board string, t time.Time, in *interner) ([]model.Quote, time.Time, bool, error) {
	b := nested(tx, bMembers, board)
	if b == nil {
		return nil, time.Time{}, false, nil
	}
	k, v := seekAsOf(b.Cursor(), t)
	if k == nil {
		return nil, time.Time{}, false, nil
	}
	at, err := keyTime(k)
	if err != nil {
		return nil, time.Time{}, false, wrapAt("constituents of", board, k, err)
	}
	qs, err := decodeMembers(v, in)
	if err != nil {
		return nil, time.Time{}, false, wrapAt("constituents of", board, k, err)
	}
	return qs, at, true, nil
}

// ---- contract, symbols, index eras ----

// Contract returns every cached contract quarter, oldest first.
func (db *DB) Contract() ([]model.ContractQuarter, error) {
	var out []model.ContractQuarter
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		out, err = readContract(tx, time.Time{})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readContract returns the quarters that started at or before asOf (all when
// asOf is zero), oldest first (key order is quarter order).
func readContract(tx *bolt.Tx, asOf time.Time) ([]model.ContractQuarter, error) {
	b := tx.Bucket(bContract)
	if b == nil {
		return nil, nil
	}
	var out []model.ContractQuarter
	err := b.ForEach(func(k, v []byte) error {
		q, err := keyQuarter(k)
		if err != nil {
			return fmt.Errorf("store: contract: %w", err)
		}
		if !asOf.IsZero() && QuarterStart(q).After(asOf) {
			return nil
		}
		c := model.ContractQuarter{Quarter: q}
		if err := decodeContract(v, &c); err != nil {
			return fmt.Errorf("store: contract %s: %w", q, err)
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// QuarterStart is 00:00 Asia/Shanghai on the first day of q.
func QuarterStart(q model.Quarter) time.Time {
	return model.Date(q.Year, time.Month((q.Q-1)*3+1), 1)
}

// Symbols returns every symbol the feeds have named, by code.
func (db *DB) Symbols() (map[string]model.Symbol, error) {
	var out map[string]model.Symbol
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		out, err = readSymbols(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func readSymbols(tx *bolt.Tx) (map[string]model.Symbol, error) {
	out := map[string]model.Symbol{}
	b := tx.Bucket(bSymbols)
	if b == nil {
		return out, nil
	}
	err := b.ForEach(func(k, v []byte) error {
		s := model.Symbol{Code: string(k)}
		if err := decodeSymbol(v, &s); err != nil {
			return fmt.Errorf("store: symbol %q: %w", k, err)
		}
		out[s.Code] = s
		return nil
	})
	return out, err
}

// IndexEras returns the stored index baskets (nil when none is stored).
func (db *DB) IndexEras() ([]model.IndexEra, error) {
	var out []model.IndexEra
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		out, err = readEras(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func readEras(tx *bolt.Tx) ([]model.IndexEra, error) {
	v := tx.Bucket(bMeta).Get(kEras)
	if v == nil {
		return nil, nil
	}
	eras, err := decodeEras(v)
	if err != nil {
		return nil, fmt.Errorf("store: index eras: %w", err)
	}
	return eras, nil
}

// SetIndexEras replaces the stored index baskets; nil or empty removes them.
func (db *DB) SetIndexEras(eras []model.IndexEra) error {
	if db.readOnly {
		return errors.New("store: write to a database opened read-only")
	}
	var val []byte
	if len(eras) > 0 {
		e := &encoder{}
		encodeEras(e, eras)
		if e.err != nil {
			return fmt.Errorf("store: index eras: %w", e.err)
		}
		val = e.b
	}
	return db.update(func(tx *bolt.Tx) error {
		if val == nil {
			return tx.Bucket(bMeta).Delete(kEras)
		}
		return tx.Bucket(bMeta).Put(kEras, val)
	})
}
