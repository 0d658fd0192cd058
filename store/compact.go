package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/rareterm/rareterm/i18n"
)

// compactTxSize bounds each transaction of a compaction (bbolt commits and
// starts a new one past it), so compacting a large file needs bounded memory.
const compactTxSize = 64 << 20

// CompactFile rewrites the database at path without its free pages and
// returns the file sizes before and after. bbolt never shrinks a file on its
// own: pages freed by retention are reused, not returned.
//
// It takes the database's exclusive lock for the whole run (ErrInUse within
// timeout, DefaultTimeout when zero, if a rareterm has it open), copies
// every bucket into a temporary file beside it (pages filled), checks the
// copy (bbolt's consistency check, and the same number of keys in every
// bucket), fsyncs it and renames it over the original, then fsyncs the
// directory. On any failure the temporary file is removed and the original
// is left as it was. A process that was waiting for the lock finds the file
// replaced and opens the new one (see Open).
func CompactFile(path string, timeout time.Duration) (before, after int64, err error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, fmt.Errorf("store: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return 0, 0, i18n.Errorf(i18n.StoreNotRegular, ErrNotDatabase, path)
	}
	if err := checkBoltFile(path); err != nil {
		return 0, 0, err
	}
	// A damaged file is refused: bbolt would panic (or fault) on its pages,
	// and a compaction must never replace a file with a partial copy.
	if err := verifyFile(path, timeout, 0, false); err != nil {
		return 0, 0, err
	}
	src, err := boltOpen(path, &bolt.Options{Timeout: timeout, FreelistType: bolt.FreelistMapType, NoFreelistSync: true})
	if err != nil {
		switch {
		case errors.Is(err, berrors.ErrTimeout):
			return 0, 0, i18n.Errorf(i18n.StoreInUse, ErrInUse, path)
		case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum),
			errors.Is(err, berrors.ErrVersionMismatch):
			return 0, 0, i18n.Errorf(i18n.StoreBecause, ErrNotDatabase, path, unwrapped{err})
		}
		return 0, 0, i18n.Errorf(i18n.StoreOpen, path, err)
	}
	defer src.Close()
	if now, err := os.Stat(path); err != nil || !os.SameFile(fi, now) {
		return 0, 0, i18n.Errorf(i18n.StoreReplacedWaiting, path)
	}
	if err := (&DB{bolt: src, path: path}).view(func(tx *bolt.Tx) error {
		if m := tx.Bucket(bMeta); m == nil || len(m.Get(kSchema)) != 8 {
			return i18n.Errorf(i18n.StoreNoMeta, ErrNotDatabase, path)
		}
		return nil
	}); err != nil {
		return 0, 0, err
	}
	before = fi.Size()

	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".compact-*")
	if err != nil {
		return 0, 0, i18n.Errorf(i18n.StoreCompact, err)
	}
	tmpName := tmp.Name()
	done := false
	defer func() {
		if !done {
			os.Remove(tmpName)
		}
	}()
	if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
		tmp.Close()
		return 0, 0, i18n.Errorf(i18n.StoreCompact, err)
	}
	if err := tmp.Close(); err != nil {
		return 0, 0, i18n.Errorf(i18n.StoreCompact, err)
	}
	// No fsync per commit while copying: one Sync at the end, before the
	// rename, makes the copy durable.
	dst, err := bolt.Open(tmpName, 0o600, &bolt.Options{Timeout: timeout, FreelistType: bolt.FreelistMapType, NoFreelistSync: true, NoSync: true})
	if err != nil {
		return 0, 0, i18n.Errorf(i18n.StoreCompact, err)
	}
	if err := compactInto(dst, src, path); err != nil {
		dst.Close()
		return 0, 0, i18n.Errorf(i18n.StoreCompactPath, path, err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return 0, 0, i18n.Errorf(i18n.StoreCompact, err)
	}
	// bbolt sizes a file below 16 MiB to a power of two (its mmap size), so
	// a copy a little smaller than the original would take the same room:
	// the copy is cut to its last page (bbolt grows it again on a write).
	var used int64
	if err := dst.View(func(tx *bolt.Tx) error { used = tx.Size(); return nil }); err != nil {
		dst.Close()
		return 0, 0, i18n.Errorf(i18n.StoreCompact, err)
	}
	if err := dst.Close(); err != nil {
		return 0, 0, i18n.Errorf(i18n.StoreCompact, err)
	}
	if err := truncateSync(tmpName, used); err != nil {
		return 0, 0, i18n.Errorf(i18n.StoreCompact, err)
	}
	ti, err := os.Stat(tmpName)
	if err != nil {
		return 0, 0, i18n.Errorf(i18n.StoreCompact, err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return 0, 0, i18n.Errorf(i18n.StoreCompact, err)
	}
	done = true
	syncDir(filepath.Dir(path))
	return before, ti.Size(), nil
}

// compactInto copies src (at path) into the empty dst and checks the copy.
func compactInto(dst, src *bolt.DB, path string) (err error) {
	defer guard(path, &err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	if err := bolt.Compact(dst, src, compactTxSize); err != nil {
		return err
	}
	want, err := keyCounts(src)
	if err != nil {
		return err
	}
	got, err := keyCounts(dst)
	if err != nil {
		return err
	}
	for name, n := range want {
		if got[name] != n {
			return fmt.Errorf("the copy of bucket %s has %d keys, the original %d", name, got[name], n)
		}
	}
	if len(got) != len(want) {
		return fmt.Errorf("the copy has %d top-level buckets, the original %d", len(got), len(want))
	}
	return dst.View(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			return fmt.Errorf("the copy fails the consistency check: %w", errors.Join(errs...))
		}
		return nil
	})
}

// keyCounts counts the keys (nested buckets included) under every top-level
// bucket.
func keyCounts(db *bolt.DB) (map[string]int, error) {
	out := map[string]int{}
	err := db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			out[string(name)] = b.Stats().KeyN
			return nil
		})
	})
	return out, err
}

// syncDir fsyncs a directory so a rename in it survives a power cut. Some
// systems cannot sync a directory; that is not an error worth failing for.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// Check runs bbolt's consistency check over the whole file (every page
// reachable once, free pages not in use, keys in order) and returns every
// problem found, joined; nil for a sound file.
func (db *DB) Check() error {
	// The walk first: bbolt's check runs in a goroutine of its own, where a
	// fault on a page past the mapping could not be recovered.
	if err := verifyFile(db.path, -1, 0, false); err != nil {
		return err
	}
	var errs []error
	err := db.view(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return nil
	})
	if err != nil {
		return i18n.Errorf(i18n.StoreCheck, err)
	}
	if len(errs) > 0 {
		detail := errs[0].Error()
		if len(errs) > 1 {
			detail += fmt.Sprintf(", and %d more problems", len(errs)-1)
		}
		return &DamagedError{Path: db.path, Detail: detail}
	}
	return nil
}

// truncateSync cuts the file at path to size (when larger) and syncs it.
func truncateSync(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if fi, err := f.Stat(); err == nil && fi.Size() > size && size > 0 {
		if err := f.Truncate(size); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
