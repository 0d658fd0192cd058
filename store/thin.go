package store

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/model"
)

// thinChunk bounds the records one thinning transaction deletes; it stops
// at a day boundary once it has this many.
var thinChunk = 50_000

// thinDaily keeps, in every series of the top bucket, only the last record
// of each day (CST) before limit, and deletes the rest; it returns how many
// it deleted. Board moves and constituent lists are written on every poll
// (a list of every board's members each minute, all day): past the
// retention, the day's last one is what a review as of that day shows, and
// the rest only grew the file (about 1 GB a year of constituent lists).
func (db *DB) thinDaily(top []byte, limit []byte) (int, error) {
	var names []string
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		names, err = subNames(tx, top)
		return err
	}); err != nil {
		return 0, err
	}
	deleted := 0
	for _, name := range names {
		// A read first: most starts have nothing to thin, and a write
		// transaction costs fsyncs even when it changes nothing.
		var todo int
		if err := db.bolt.View(func(tx *bolt.Tx) error {
			var err error
			todo, _, err = thinSeries(tx, top, name, limit, 1, false)
			return err
		}); err != nil {
			return deleted, fmt.Errorf("%s %s: %w", top, name, err)
		}
		for more := todo > 0; more; {
			var n int
			err := db.bolt.Update(func(tx *bolt.Tx) error {
				var err error
				n, more, err = thinSeries(tx, top, name, limit, thinChunk, true)
				return err
			})
			if err != nil {
				return deleted, fmt.Errorf("%s %s: %w", top, name, err)
			}
			deleted += n
		}
	}
	return deleted, nil
}

// thinSeries deletes (with del; counts only, without) the records of one
// series before limit that are not their day's last, collecting the keys
// first, in whole days, until at least chunk are collected.
func thinSeries(tx *bolt.Tx, top []byte, name string, limit []byte, chunk int, remove bool) (n int, more bool, err error) {
	b := nested(tx, top, name)
	if b == nil {
		return 0, false, nil
	}
	var (
		dels [][]byte
		prev []byte
		day  int64 = -1
	)
	c := b.Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k, limit) < 0; k, _ = c.Next() {
		t, err := keyTime(k)
		if err != nil {
			return 0, false, wrapAt(string(top), name, k, err)
		}
		d := model.Day(t).Unix()
		if d == day {
			dels = append(dels, prev) // not the day's last
		} else if len(dels) >= chunk {
			more = true
			break
		}
		day, prev = d, append([]byte(nil), k...)
	}
	if remove {
		for _, k := range dels {
			if err := b.Delete(k); err != nil {
				return 0, false, err
			}
		}
	}
	return len(dels), more, nil
}
