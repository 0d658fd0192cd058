package store

import (
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/i18n"
)

// BucketStats describes one top-level bucket.
type BucketStats struct {
	Name string
	// Series is the number of nested series (symbols, boards, elements);
	// 0 for the flat buckets (contract, symbols, meta).
	Series int
	// Records is the number of values: quotes, bars, days, quarters, ...
	Records int
	// First and Last are the oldest and newest keys' times (the start of the
	// quarter for the contract); zero when empty or not keyed by time.
	First, Last time.Time
	// Bytes is the size of the pages the bucket occupies (branch and leaf
	// pages, overflow included); InUse the bytes of them holding data.
	Bytes, InUse int64
}

// Stats describes the whole file.
type Stats struct {
	Path     string
	Mode     string
	Schema   int
	FileSize int64
	// Used is the file up to its highest page (free pages included):
	// FileSize less the tail bbolt preallocates when it grows the file.
	Used     int64
	PageSize int
	// FreeBytes is the size of the free pages: space a compaction would
	// give back (bbolt reuses it for new data, never shrinks the file).
	FreeBytes int64
	Buckets   []BucketStats // in schema order
}

// Stats walks every bucket's pages in one read transaction.
func (db *DB) Stats() (Stats, error) {
	st := Stats{Path: db.path, Mode: db.mode, Schema: db.schema}
	if fi, err := os.Stat(db.path); err == nil {
		st.FileSize = fi.Size()
	}
	st.PageSize = db.bolt.Info().PageSize
	err := db.view(func(tx *bolt.Tx) error {
		for _, name := range topBuckets {
			top := tx.Bucket(name)
			if top == nil {
				continue
			}
			bs := BucketStats{Name: string(name)}
			ps := top.Stats()
			bs.Bytes = int64(ps.BranchAlloc + ps.LeafAlloc)
			bs.InUse = int64(ps.BranchInuse + ps.LeafInuse)
			flat := true
			err := top.ForEachBucket(func(k []byte) error {
				flat = false
				bs.Series++
				sub := top.Bucket(k)
				bs.Records += sub.Stats().KeyN
				c := sub.Cursor()
				fk, _ := c.First()
				lk, _ := c.Last()
				if fk == nil {
					return nil
				}
				first, err := keyTime(fk)
				if err != nil {
					return fmt.Errorf("%s/%s: %w", name, k, err)
				}
				last, err := keyTime(lk)
				if err != nil {
					return fmt.Errorf("%s/%s: %w", name, k, err)
				}
				if bs.First.IsZero() || first.Before(bs.First) {
					bs.First = first
				}
				if last.After(bs.Last) {
					bs.Last = last
				}
				return nil
			})
			if err != nil {
				return err
			}
			if flat {
				bs.Records = top.Stats().KeyN
				if string(name) == string(bContract) {
					c := top.Cursor()
					if fk, _ := c.First(); fk != nil {
						lk, _ := c.Last()
						fq, err1 := keyQuarter(fk)
						lq, err2 := keyQuarter(lk)
						if err1 == nil && err2 == nil {
							bs.First, bs.Last = QuarterStart(fq), QuarterStart(lq)
						}
					}
				}
			}
			st.Buckets = append(st.Buckets, bs)
		}
		st.Used = tx.Size()
		return nil
	})
	if err != nil {
		return Stats{}, i18n.Errorf(i18n.StoreStats, err)
	}
	st.FreeBytes = int64(db.bolt.Stats().FreePageN) * int64(st.PageSize)
	return st, nil
}
