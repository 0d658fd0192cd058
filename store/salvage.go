package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// SalvagedBucket is what Salvage copied from one top-level bucket and what
// it could not.
type SalvagedBucket struct {
	Name string
	// Series is the nested series (symbols, boards, elements) copied.
	Series int
	// Keys is the values copied.
	Keys int
	// BadValues is the values read but not decodable: left out.
	BadValues int
	// BadPages is the pages that could not be read: their keys (and, for
	// a branch page, every page under it) are lost.
	BadPages int
}

// SalvageReport describes a salvage.
type SalvageReport struct {
	Source, Out string
	Mode        string
	Buckets     []SalvagedBucket // in schema order, then any others
	// Damage lists the unreadable pages (page, bucket, reason), at most
	// the first 20.
	Damage []string
	// MoreDamage counts the unreadable pages past those listed.
	MoreDamage int
}

// Keys returns the number of values copied, in every bucket.
func (r SalvageReport) Keys() int {
	n := 0
	for _, b := range r.Buckets {
		n += b.Keys
	}
	return n
}

// Lost reports whether anything could not be copied.
func (r SalvageReport) Lost() bool {
	for _, b := range r.Buckets {
		if b.BadValues > 0 || b.BadPages > 0 {
			return true
		}
	}
	return false
}

// salvageTxBytes bounds each write transaction of a salvage.
const salvageTxBytes = 32 << 20

// Salvage copies every bucket and key of the database file at src that can
// still be read into a new database at out (which must not exist). It reads
// src without bbolt, through the same bounds-checked page walk Open uses,
// holding its shared lock (ErrInUse within timeout when a rareterm has it
// open): an unreadable page is skipped and counted against its bucket, a
// value that does not decode as its bucket's type is left out. src is never
// written to. The new file has the mode and creation time of src when its
// meta record can be read (else live), and no reference data but what src
// held. An error means nothing usable was written (out is removed).
func Salvage(src, out string, timeout time.Duration) (rep SalvageReport, err error) {
	rep = SalvageReport{Source: src, Out: out, Mode: ModeLive}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	f, err := os.Open(src)
	if err != nil {
		return rep, fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return rep, fmt.Errorf("store: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return rep, i18n.Errorf(i18n.StoreNotRegular, ErrNotDatabase, src)
	}
	if err := lockShared(f, timeout); err != nil {
		return rep, err
	}
	defer unlockFile(f)
	if _, err := os.Lstat(out); !errors.Is(err, fs.ErrNotExist) {
		return rep, i18n.Errorf(i18n.StoreSalvageExists, out)
	}
	mem, unmap, merr := mapFile(f, fi.Size())
	if merr == nil {
		defer unmap()
	}
	newW := func() (*walker, error) {
		w, err := newWalker(f, fi.Size())
		if err != nil {
			return nil, &DamagedError{Path: src, Detail: err.Error() + "; nothing can be read"}
		}
		w.mem = mem
		w.anyOrder = true
		return w, nil
	}

	// First the meta record, for the mode (and the creation time).
	w, err := newW()
	if err != nil {
		return rep, err
	}
	meta := map[string][]byte{}
	w.skip = func(path []string) bool { return path[0] != string(bMeta) }
	w.leaf = func(path []string, k, v []byte) {
		if len(path) == 1 {
			meta[string(k)] = slices.Clone(v)
		}
	}
	w.bad = func(pageDamage) bool { return true }
	if err := w.guardedWalk(src); err != nil {
		return rep, err
	}
	if m := string(meta[string(kMode)]); m == ModeLive || m == ModeDemo {
		rep.Mode = m
	}

	db, err := Open(out, Options{Mode: rep.Mode, NoReference: true, Timeout: timeout})
	if err != nil {
		return rep, err
	}
	done := false
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = i18n.Errorf(i18n.StoreSalvage, cerr)
		}
		if !done {
			os.Remove(out)
		}
	}()

	stats := map[string]*SalvagedBucket{}
	bucket := func(name string) *SalvagedBucket {
		b := stats[name]
		if b == nil {
			b = &SalvagedBucket{Name: name}
			stats[name] = b
		}
		return b
	}
	type kv struct {
		path []string
		k, v []byte
	}
	var (
		pending  []kv
		size     int
		writeErr error
		in       = newInterner()
	)
	flush := func() {
		if writeErr != nil || len(pending) == 0 {
			return
		}
		writeErr = db.update(func(tx *bolt.Tx) error {
			for _, p := range pending {
				b, err := createPath(tx, p.path)
				if err != nil {
					return err
				}
				if len(p.path) > 1 {
					b.FillPercent = seriesFill
				}
				if p.k == nil {
					continue // an empty bucket
				}
				if err := b.Put(p.k, p.v); err != nil {
					return err
				}
			}
			return nil
		})
		pending, size = pending[:0], 0
	}
	add := func(e kv) {
		pending = append(pending, e)
		size += len(e.k) + len(e.v) + 64
		if size > salvageTxBytes {
			flush()
		}
	}

	w, err = newW()
	if err != nil {
		return rep, err
	}
	w.bucket = func(path []string) {
		if len(path) == 2 {
			bucket(path[0]).Series++
		}
		add(kv{path: slices.Clone(path)})
	}
	w.leaf = func(path []string, k, v []byte) {
		if len(path) == 0 {
			return // a key outside any bucket: not rareterm's
		}
		b := bucket(path[0])
		if !valueReads(path, k, v, in) {
			b.BadValues++
			return
		}
		b.Keys++
		add(kv{path: path, k: slices.Clone(k), v: slices.Clone(v)})
	}
	w.bad = func(d pageDamage) bool {
		top := d.bucket
		if i := strings.IndexByte(top, '/'); i >= 0 {
			top = top[:i]
		}
		if top == "" {
			top = "(root)"
		}
		bucket(top).BadPages++
		if len(rep.Damage) < 20 {
			rep.Damage = append(rep.Damage, d.String())
		} else {
			rep.MoreDamage++
		}
		return true
	}
	if err := w.guardedWalk(src); err != nil {
		return rep, err
	}
	flush()
	if writeErr != nil {
		return rep, i18n.Errorf(i18n.StoreSalvageWriting, out, writeErr)
	}
	for _, name := range topBuckets {
		if b := stats[string(name)]; b != nil {
			rep.Buckets = append(rep.Buckets, *b)
			delete(stats, string(name))
		} else {
			rep.Buckets = append(rep.Buckets, SalvagedBucket{Name: string(name)})
		}
	}
	for _, b := range stats {
		rep.Buckets = append(rep.Buckets, *b)
	}
	slices.SortStableFunc(rep.Buckets[len(topBuckets):], func(a, b SalvagedBucket) int {
		if a.Name < b.Name {
			return -1
		}
		return 1
	})
	if err := db.Check(); err != nil {
		return rep, i18n.Errorf(i18n.StoreSalvageCheck, err)
	}
	done = true
	return rep, nil
}

// createPath returns the bucket at path, creating it and its parents.
func createPath(tx *bolt.Tx, path []string) (*bolt.Bucket, error) {
	b, err := tx.CreateBucketIfNotExists([]byte(path[0]))
	if err != nil {
		return nil, fmt.Errorf("bucket %s: %w", path[0], err)
	}
	for _, p := range path[1:] {
		if b, err = b.CreateBucketIfNotExists([]byte(p)); err != nil {
			return nil, fmt.Errorf("bucket %q: %w", p, err)
		}
	}
	return b, nil
}

// valueReads reports whether k and v read as the key and value of the
// bucket at path (rareterm's schema); keys of buckets rareterm does not
// know are copied as they are.
func valueReads(path []string, k, v []byte, in *interner) bool {
	top := path[0]
	series := len(path) == 2
	if series {
		if _, err := keyTime(k); err != nil {
			return false
		}
	}
	var err error
	switch {
	case top == string(bQuotes) && series:
		var q model.Quote
		err = decodeQuote(v, in, &q)
	case (top == string(bBars1d) || top == string(bBars1m)) && series:
		var b model.Bar
		err = decodeBar(v, in, &b)
	case top == string(bMargin) && series:
		var m model.MarginDay
		err = decodeMargin(v, in, &m)
	case top == string(bBoards) && series:
		var m model.BoardMove
		err = decodeBoard(v, in, &m)
	case top == string(bMembers) && series:
		_, err = decodeMembers(v, in)
	case top == string(bElements) && series:
		var p model.ElementPrice
		err = decodeElement(v, in, &p)
	case top == string(bContract) && len(path) == 1:
		if _, err = keyQuarter(k); err == nil {
			var c model.ContractQuarter
			err = decodeContract(v, &c)
		}
	case top == string(bSymbols) && len(path) == 1:
		var s model.Symbol
		err = decodeSymbol(v, &s)
	case top == string(bMeta) && len(path) == 1 && string(k) == string(kEras):
		_, err = decodeEras(v)
	}
	return err == nil
}
