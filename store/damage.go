package store

import (
	"errors"
	"fmt"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/i18n"
)

// ErrDamaged is matched (errors.Is) by every DamagedError.
var ErrDamaged error = i18n.Errorf(i18n.StoreErrDamaged)

// DamagedError says a database file is damaged: a page that does not read
// as what points to it, found by the check at Open or by a read that
// failed inside bbolt. Detail names the page and what is wrong with it.
type DamagedError struct {
	Path   string
	Detail string
	Err    error // the error it was found by, if any
}

func (e *DamagedError) Error() string { return e.In(i18n.EN) }

// In is the error in l (its Detail, the page-level diagnosis, is in
// English).
func (e *DamagedError) In(l i18n.Lang) string { return i18n.StoreDamaged.F(l, e.Path, e.Detail) }

func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

func (e *DamagedError) Unwrap() error { return e.Err }

// damaged returns err as a DamagedError when it says a stored value does
// not decode (errCorrupt): the bytes on disk are not what was written.
func damaged(path string, err error) error {
	var de *DamagedError
	if err == nil || !errors.Is(err, errCorrupt) || errors.As(err, &de) {
		return err
	}
	return &DamagedError{Path: path, Detail: err.Error(), Err: err}
}

// guard turns a panic inside bbolt (a page assertion, an index out of
// range, a fault on a page past the mapping) into a DamagedError in *err.
// It must be deferred in the goroutine that calls bbolt, after
// debug.SetPanicOnFault(true) so a fault is a panic and not a crash.
func guard(path string, err *error) {
	if r := recover(); r != nil {
		*err = &DamagedError{Path: path, Detail: fmt.Sprint(r)}
	}
}

// view runs fn in a read transaction, with bbolt's panics and faults on a
// damaged file returned as a DamagedError.
func (db *DB) view(fn func(*bolt.Tx) error) (err error) {
	defer guard(db.path, &err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return damaged(db.path, db.bolt.View(fn))
}

// update is view for a write transaction (rolled back on a panic).
func (db *DB) update(fn func(*bolt.Tx) error) (err error) {
	defer guard(db.path, &err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return damaged(db.path, db.bolt.Update(fn))
}
