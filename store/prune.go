package store

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// kindBucket maps a FirstLast/Prune kind to its top-level bucket.
func kindBucket(kind string) ([]byte, error) {
	switch kind {
	case "quotes":
		return bQuotes, nil
	case "bars1d":
		return bBars1d, nil
	case "bars1m":
		return bBars1m, nil
	case "margin":
		return bMargin, nil
	case "boards":
		return bBoards, nil
	case "members":
		return bMembers, nil
	case "elements":
		return bElements, nil
	}
	return nil, fmt.Errorf("store: unknown kind %q (want quotes, bars1d, bars1m, margin, boards, members or elements)", kind)
}

// FirstLast returns the times of the oldest and newest cached value of kind
// ("quotes", "bars1d", "bars1m", "margin", "boards", "members", "elements")
// for sym (a symbol, board code or element id); false when nothing is cached.
func (db *DB) FirstLast(kind, sym string) (first, last time.Time, ok bool, err error) {
	top, err := kindBucket(kind)
	if err != nil {
		return first, last, false, err
	}
	err = db.view(func(tx *bolt.Tx) error {
		b := nested(tx, top, sym)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		fk, _ := c.First()
		lk, _ := c.Last()
		if fk == nil || lk == nil {
			return nil
		}
		var err error
		if first, err = keyTime(fk); err != nil {
			return fmt.Errorf("store: %s %s: %w", kind, sym, err)
		}
		if last, err = keyTime(lk); err != nil {
			return fmt.Errorf("store: %s %s: %w", kind, sym, err)
		}
		ok = true
		return nil
	})
	return first, last, ok && err == nil, err
}

// Prune deletes every value of kind (see FirstLast; "elements" cannot be
// pruned) older than before, in every symbol, in one write transaction, and
// returns how many it deleted. Keys are collected first and deleted after,
// never while a cursor walks them.
func (db *DB) Prune(kind string, before time.Time) (int, error) {
	if db.readOnly {
		return 0, errors.New("store: prune a database opened read-only")
	}
	if kind == "elements" {
		return 0, errors.New("store: element prices are reference history and are not pruned")
	}
	top, err := kindBucket(kind)
	if err != nil {
		return 0, err
	}
	if before.Before(minKeyTime) {
		return 0, nil
	}
	limit := boundKey(before)
	n := 0
	err = db.update(func(tx *bolt.Tx) error {
		names, err := subNames(tx, top)
		if err != nil {
			return err
		}
		for _, name := range names {
			b := tx.Bucket(top).Bucket([]byte(name))
			var keys [][]byte
			c := b.Cursor()
			for k, _ := c.First(); k != nil && bytes.Compare(k, limit) < 0; k, _ = c.Next() {
				keys = append(keys, append([]byte(nil), k...))
			}
			for _, k := range keys {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
			n += len(keys)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: prune %s: %w", kind, err)
	}
	return n, nil
}
