package store

import (
	"errors"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// seriesFill is the fill percent of time-series buckets. Keys arrive mostly
// in time order, i.e. at the end of the bucket; fuller pages on split mean
// fewer pages to write and to read back (bbolt's default is 0.5).
const seriesFill = 0.9

// putOp is one key/value to write: into top/sub (a nested bucket) or, when
// sub is empty, into top itself. Key and value are offsets into the batch's
// arena, resolved once the arena stops growing.
type putOp struct {
	top        []byte
	sub        string
	ks, ke, ve int
}

// encoded is a batch turned into bytes, ready to write.
type encoded struct {
	arena []byte
	ops   []putOp
}

// Append writes a batch in one write transaction: quotes, bars, margin days,
// board moves, board constituents, element prices, contract quarters and
// symbols. Health is not stored. Every value is encoded before the
// transaction starts; an encoding error (an empty code, a time outside
// 1970..2262, an unknown bar interval, an over-long string) or a write error
// fails the whole batch and leaves the database as it was. Writing the same
// value at the same key again overwrites it, so replaying a batch is
// harmless.
//
// Keys: quotes by Quote.Time, bars by Bar.Time, margin by MarginDay.Date,
// boards by BoardMove.Time, elements by ElementPrice.Date, constituents by
// Batch.At (or, when At is zero, the newest constituent's Time); an empty
// constituent list is not stored.
func (db *DB) Append(b model.Batch) error {
	if db.readOnly {
		return errors.New("store: append to a database opened read-only")
	}
	if db.mode != ModeDemo {
		if err := refuseDemo(b); err != nil {
			return i18n.Errorf(i18n.StoreAppend, err)
		}
	}
	enc, err := encodeBatch(b)
	if err != nil {
		return fmt.Errorf("store: append: %w", err)
	}
	if len(enc.ops) == 0 {
		return nil
	}
	if err := db.update(func(tx *bolt.Tx) error { return enc.applyHook(tx, db.putHook) }); err != nil {
		return fmt.Errorf("store: append: %w", err)
	}
	return nil
}

// estimate sizes the arena so a typical batch encodes without regrowing.
func estimate(b model.Batch) int {
	n := len(b.Quotes)*(8+150) + len(b.Bars)*(8+70) + len(b.Margin)*(8+110) + len(b.Boards)*(8+110) +
		len(b.Elements)*(8+60) + len(b.Contract)*(3+60) + len(b.Symbols)*40
	for _, qs := range b.Members {
		n += 8 + len(qs)*170
	}
	return n
}

// encodeBatch validates and encodes every value of b.
func encodeBatch(b model.Batch) (*encoded, error) {
	n := len(b.Quotes) + len(b.Bars) + len(b.Margin) + len(b.Boards) + len(b.Members) + len(b.Elements) +
		len(b.Contract) + len(b.Symbols)
	enc := &encoded{ops: make([]putOp, 0, n)}
	e := &encoder{b: make([]byte, 0, estimate(b))}

	// put records the op whose key was appended at ks and value at ke.
	put := func(top []byte, sub string, ks, ke int) {
		enc.ops = append(enc.ops, putOp{top: top, sub: sub, ks: ks, ke: ke, ve: len(e.b)})
	}
	timeKeyAt := func(t time.Time) (int, int, error) {
		ks := len(e.b)
		var err error
		e.b, err = appendTimeKey(e.b, t)
		return ks, len(e.b), err
	}

	for i := range b.Quotes {
		q := &b.Quotes[i]
		if err := validName("quote", q.Symbol); err != nil {
			return nil, err
		}
		ks, ke, err := timeKeyAt(q.Time)
		if err != nil {
			return nil, fmt.Errorf("quote %s: %w", q.Symbol, err)
		}
		encodeQuote(e, q)
		if e.err != nil {
			return nil, fmt.Errorf("quote %s: %w", q.Symbol, e.err)
		}
		put(bQuotes, q.Symbol, ks, ke)
	}
	for i := range b.Bars {
		r := &b.Bars[i]
		top, err := barsBucket(r.Interval)
		if err != nil {
			return nil, fmt.Errorf("bar %s: %w", r.Symbol, err)
		}
		if err := validName("bar", r.Symbol); err != nil {
			return nil, err
		}
		ks, ke, err := timeKeyAt(r.Time)
		if err != nil {
			return nil, fmt.Errorf("bar %s: %w", r.Symbol, err)
		}
		encodeBar(e, r)
		if e.err != nil {
			return nil, fmt.Errorf("bar %s: %w", r.Symbol, e.err)
		}
		put(top, r.Symbol, ks, ke)
	}
	for i := range b.Margin {
		m := &b.Margin[i]
		if err := validName("margin day", m.Symbol); err != nil {
			return nil, err
		}
		ks, ke, err := timeKeyAt(m.Date)
		if err != nil {
			return nil, fmt.Errorf("margin %s: %w", m.Symbol, err)
		}
		encodeMargin(e, m)
		if e.err != nil {
			return nil, fmt.Errorf("margin %s: %w", m.Symbol, e.err)
		}
		put(bMargin, m.Symbol, ks, ke)
	}
	for i := range b.Boards {
		m := &b.Boards[i]
		if err := validName("board", m.Code); err != nil {
			return nil, err
		}
		ks, ke, err := timeKeyAt(m.Time)
		if err != nil {
			return nil, fmt.Errorf("board %s: %w", m.Code, err)
		}
		encodeBoard(e, m)
		if e.err != nil {
			return nil, fmt.Errorf("board %s: %w", m.Code, e.err)
		}
		put(bBoards, m.Code, ks, ke)
	}
	boards := make([]string, 0, len(b.Members))
	for code, qs := range b.Members {
		if len(qs) > 0 { // an empty list is a failed fetch, not a board with no members
			boards = append(boards, code)
		}
	}
	sort.Strings(boards) // deterministic write order
	for _, code := range boards {
		qs := b.Members[code]
		if err := validName("board", code); err != nil {
			return nil, err
		}
		at := b.At
		if at.IsZero() {
			for _, q := range qs {
				if q.Time.After(at) {
					at = q.Time
				}
			}
		}
		ks, ke, err := timeKeyAt(at)
		if err != nil {
			return nil, fmt.Errorf("constituents of %s: %w", code, err)
		}
		encodeMembers(e, qs)
		if e.err != nil {
			return nil, fmt.Errorf("constituents of %s: %w", code, e.err)
		}
		put(bMembers, code, ks, ke)
	}
	for i := range b.Elements {
		p := &b.Elements[i]
		if err := validName("element price", string(p.Element)); err != nil {
			return nil, err
		}
		ks, ke, err := timeKeyAt(p.Date)
		if err != nil {
			return nil, fmt.Errorf("element %s: %w", p.Element, err)
		}
		encodeElement(e, p)
		if e.err != nil {
			return nil, fmt.Errorf("element %s: %w", p.Element, e.err)
		}
		put(bElements, string(p.Element), ks, ke)
	}
	for i := range b.Contract {
		c := &b.Contract[i]
		k, err := quarterKey(c.Quarter)
		if err != nil {
			return nil, fmt.Errorf("contract: %w", err)
		}
		ks := len(e.b)
		e.b = append(e.b, k...)
		ke := len(e.b)
		encodeContract(e, c)
		if e.err != nil {
			return nil, fmt.Errorf("contract %s: %w", c.Quarter, e.err)
		}
		put(bContract, "", ks, ke)
	}
	for i := range b.Symbols {
		s := &b.Symbols[i]
		if err := validName("symbol", s.Code); err != nil {
			return nil, err
		}
		ks := len(e.b)
		e.b = append(e.b, s.Code...)
		ke := len(e.b)
		encodeSymbol(e, s)
		if e.err != nil {
			return nil, fmt.Errorf("symbol %s: %w", s.Code, e.err)
		}
		put(bSymbols, "", ks, ke)
	}
	if err := encodeNotices(e, &b, put); err != nil {
		return nil, err
	}
	if err := encodeAlerts(e, b.Alerts, put); err != nil {
		return nil, err
	}
	if err := encodeDetails(e, put, b.Detail); err != nil {
		return nil, err
	}
	enc.arena = e.b
	return enc, nil
}

func barsBucket(iv model.Interval) ([]byte, error) {
	switch iv {
	case model.Daily:
		return bBars1d, nil
	case model.Minute:
		return bBars1m, nil
	}
	return nil, fmt.Errorf("bar interval %q: want %q or %q", iv, model.Daily, model.Minute)
}

// apply writes every op in tx. bbolt keeps the key and value slices until
// commit; they point into the arena, which is not touched again.
func (enc *encoded) apply(tx *bolt.Tx) error { return enc.applyHook(tx, nil) }

func (enc *encoded) applyHook(tx *bolt.Tx, hook func(i int) error) error {
	type nestedKey struct {
		top string
		sub string
	}
	tops := map[string]*bolt.Bucket{}
	nested := map[nestedKey]*bolt.Bucket{}
	for i, op := range enc.ops {
		if hook != nil {
			if err := hook(i); err != nil {
				return err
			}
		}
		top, ok := tops[string(op.top)]
		if !ok {
			top = tx.Bucket(op.top)
			if top == nil {
				return fmt.Errorf("%w: bucket %s missing", errCorrupt, op.top)
			}
			tops[string(op.top)] = top
		}
		bk := top
		if op.sub != "" {
			nk := nestedKey{string(op.top), op.sub}
			if bk, ok = nested[nk]; !ok {
				var err error
				if bk, err = top.CreateBucketIfNotExists([]byte(op.sub)); err != nil {
					return fmt.Errorf("bucket %s/%s: %w", op.top, op.sub, err)
				}
				bk.FillPercent = seriesFill
				nested[nk] = bk
			}
		}
		if op.top[0] == bElements[0] && string(op.top) == string(bElements) && keepsManual(bk, enc.arena[op.ks:op.ke], enc.arena[op.ke:op.ve]) {
			continue
		}
		if err := bk.Put(enc.arena[op.ks:op.ke], enc.arena[op.ke:op.ve]); err != nil {
			return fmt.Errorf("put %s/%s: %w", op.top, op.sub, err)
		}
	}
	return nil
}

// keepsManual reports whether the element price stored at k was entered by
// hand and v, from a feed, would replace it: a price the user typed stands
// until the user types another.
func keepsManual(bk *bolt.Bucket, k, v []byte) bool {
	old := bk.Get(k)
	if old == nil {
		return false
	}
	var was, now model.ElementPrice
	if decodeElement(old, nil, &was) != nil || was.Source != model.ManualSource {
		return false
	}
	return decodeElement(v, nil, &now) == nil && now.Source != model.ManualSource
}
