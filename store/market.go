package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/model"
)

// The whole-market data: the symbol universe with its day, the limit-up
// ladder of each day, and the sector's constituent list with its day. The
// buckets are created by their first write; a database without them reads
// as having none.
var (
	bUniverse = []byte("universe") // "day" → 8-byte Unix day; "list" → JSON symbols
	bLadder   = []byte("ladder")   // 8-byte big-endian day (Unix s) → JSON model.Ladder
	bSector   = []byte("sector")   // "day", "list" → JSON codes, "source"
)

var (
	kDay    = []byte("day")
	kList   = []byte("list")
	kSource = []byte("source")
)

var errReadOnly = errors.New("store: write to a database opened read-only")

// uniSym is a universe row on disk: short keys, for a list of ~9,000.
type uniSym struct {
	C string `json:"c"`
	M int    `json:"m"`
	N string `json:"n"`
	E string `json:"e,omitempty"`
}

func dayKey(t time.Time) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(model.Day(t).Unix()))
}

func keyDay(k []byte) (time.Time, bool) {
	if len(k) != 8 {
		return time.Time{}, false
	}
	return time.Unix(int64(binary.BigEndian.Uint64(k)), 0).In(model.CST), true
}

// SaveUniverse replaces the cached universe, in one transaction.
func (db *DB) SaveUniverse(u model.Universe) error {
	if db.readOnly {
		return errReadOnly
	}
	rows := make([]uniSym, 0, len(u.Symbols))
	for _, s := range u.Symbols {
		rows = append(rows, uniSym{C: s.Code, M: int(s.Market), N: model.CleanName(s.Name), E: model.CleanName(s.NameEn)})
	}
	list, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("store: universe: %w", err)
	}
	return db.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bUniverse)
		if err != nil {
			return err
		}
		if err := b.Put(kDay, dayKey(u.Day)); err != nil {
			return err
		}
		if err := b.Put(kSource, []byte(u.Source)); err != nil {
			return err
		}
		return b.Put(kList, list)
	})
}

// Universe returns the cached universe (ok false when none was ever saved).
func (db *DB) Universe() (model.Universe, bool, error) {
	var u model.Universe
	var list []byte
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bUniverse)
		if b == nil {
			return nil
		}
		list = append([]byte(nil), b.Get(kList)...)
		u.Day, _ = keyDay(b.Get(kDay))
		u.Source = string(b.Get(kSource))
		return nil
	})
	if err != nil || len(list) == 0 {
		return u, false, err
	}
	var rows []uniSym
	if err := json.Unmarshal(list, &rows); err != nil {
		return u, false, fmt.Errorf("store: universe: %w", err)
	}
	u.Symbols = make([]model.Symbol, 0, len(rows))
	for _, r := range rows {
		u.Symbols = append(u.Symbols, model.Symbol{Code: r.C, Market: model.Market(r.M), Name: r.N, NameEn: r.E})
	}
	return u, true, nil
}

// SaveLadder stores the limit-up ladder of its day (replacing that day's).
func (db *DB) SaveLadder(l model.Ladder) error {
	if db.readOnly {
		return errReadOnly
	}
	if l.Day.IsZero() {
		return errors.New("store: ladder without a day")
	}
	for i := range l.Rows {
		l.Rows[i].Name = model.CleanName(l.Rows[i].Name)
		l.Rows[i].Board = model.CleanName(l.Rows[i].Board)
	}
	v, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("store: ladder: %w", err)
	}
	return db.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bLadder)
		if err != nil {
			return err
		}
		return b.Put(dayKey(l.Day), v)
	})
}

// LadderAsOf returns the newest stored ladder with rows on or before t's
// day (ok false when there is none).
func (db *DB) LadderAsOf(t time.Time) (model.Ladder, bool, error) {
	var l model.Ladder
	var val []byte
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bLadder)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		want := dayKey(t)
		k, v := c.Seek(want)
		if k == nil || string(k) > string(want) {
			k, v = c.Prev()
		}
		for ; k != nil; k, v = c.Prev() {
			var probe struct{ Rows []json.RawMessage }
			if json.Unmarshal(v, &probe) == nil && len(probe.Rows) > 0 {
				val = append([]byte(nil), v...)
				return nil
			}
		}
		return nil
	})
	if err != nil || val == nil {
		return l, false, err
	}
	if err := json.Unmarshal(val, &l); err != nil {
		return l, false, fmt.Errorf("store: ladder: %w", err)
	}
	l.Day = model.Day(l.Day)
	return l, true, nil
}

// SaveSector stores the sector's constituent codes as fetched on day.
func (db *DB) SaveSector(day time.Time, codes []string, source string) error {
	if db.readOnly {
		return errReadOnly
	}
	v, err := json.Marshal(codes)
	if err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bSector)
		if err != nil {
			return err
		}
		if err := b.Put(kDay, dayKey(day)); err != nil {
			return err
		}
		if err := b.Put(kSource, []byte(source)); err != nil {
			return err
		}
		return b.Put(kList, v)
	})
}

// Sector returns the stored constituent codes and their day.
func (db *DB) Sector() ([]string, time.Time, bool, error) {
	var codes []string
	var day time.Time
	var raw []byte
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSector)
		if b == nil {
			return nil
		}
		raw = append([]byte(nil), b.Get(kList)...)
		day, _ = keyDay(b.Get(kDay))
		return nil
	})
	if err != nil || len(raw) == 0 {
		return nil, day, false, err
	}
	if err := json.Unmarshal(raw, &codes); err != nil {
		return nil, day, false, fmt.Errorf("store: sector: %w", err)
	}
	return codes, day, true, nil
}

// marginFirstFrom returns sym's first margin day at or after from (and no
// later than to), for the sector's year-start base.
func marginFirstFrom(tx *bolt.Tx, sym string, from, to time.Time, in *interner) ([]model.MarginDay, error) {
	var out []model.MarginDay
	errStop := errors.New("stop")
	err := scan(nested(tx, bMargin, sym), makeSpan(from, to), func(k, v []byte) error {
		m := model.MarginDay{Symbol: sym}
		var err error
		if m.Date, err = keyTime(k); err != nil {
			return wrapAt("margin", sym, k, err)
		}
		if err := decodeMargin(v, in, &m); err != nil {
			return wrapAt("margin", sym, k, err)
		}
		out = append(out, m)
		return errStop
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	return out, nil
}

// yearBase is the margin days a snapshot leads sym's series with, so the
// sector figures have their bases: the last day before January 1 of ref's
// year and the first day from the year's first trading day, when older
// than first (the oldest day already read).
func yearBase(tx *bolt.Tx, sym string, ref, first time.Time, in *interner) ([]model.MarginDay, error) {
	yearStart := model.Date(ref.In(model.CST).Year(), 1, 1)
	var out []model.MarginDay
	if first.After(yearStart) {
		base, err := marginLastN(tx, sym, yearStart.Add(-time.Nanosecond), 1, in)
		if err != nil {
			return nil, err
		}
		out = append(out, base...)
		if days := model.TradingDays(model.ExchangeA, yearStart, yearStart.AddDate(0, 1, 0)); len(days) > 0 && first.After(days[0]) {
			fd, err := marginFirstFrom(tx, sym, days[0], first.Add(-time.Nanosecond), in)
			if err != nil {
				return nil, err
			}
			out = append(out, fd...)
		}
	}
	return out, nil
}

var bETFFlow = []byte("etfflow") // code → JSON model.ETFFlow

// SaveETFFlow replaces an ETF's stored fund-flow days.
func (db *DB) SaveETFFlow(f model.ETFFlow) error {
	if db.readOnly {
		return errReadOnly
	}
	if f.Code == "" {
		return errors.New("store: fund flow without a code")
	}
	f.Name = model.CleanName(f.Name)
	v, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("store: fund flow: %w", err)
	}
	return db.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bETFFlow)
		if err != nil {
			return err
		}
		return b.Put([]byte(f.Code), v)
	})
}

// ETFFlows returns every stored ETF's fund-flow days, by code.
func (db *DB) ETFFlows() (map[string]model.ETFFlow, error) {
	out := map[string]model.ETFFlow{}
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bETFFlow)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var f model.ETFFlow
			if err := json.Unmarshal(v, &f); err != nil {
				return fmt.Errorf("store: fund flow %s: %w", k, err)
			}
			for i := range f.Days {
				f.Days[i].Date = model.Day(f.Days[i].Date)
			}
			out[string(k)] = f
			return nil
		})
	})
	return out, err
}
