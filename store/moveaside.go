package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/rareterm/rareterm/i18n"
)

// DamagedSuffix starts the name a damaged file is moved aside to:
// <path>.damaged-YYYYMMDD-HHMMSS (local time).
const DamagedSuffix = ".damaged-"

// OpenOrMoveAside opens the database like Open; when the file exists but
// will not open as a rareterm database (ErrNotDatabase: not a bbolt file, a
// truncated or corrupt one; ErrDamaged: a page that does not read as what
// points to it, found by the walk of every page at Open), it renames the file to
// <path>.damaged-YYYYMMDD-HHMMSS beside it, creates a new database in its
// place and returns a message saying so, in either language (nil when
// nothing was moved).
// The damaged file is never deleted or written to.
//
// A file is left where it is, and the error returned, when it is not a
// regular file, when it is a sound bbolt file of another program, when
// opt.ReadOnly is set (a read-only open creates nothing), or when another
// process holds its lock.
func OpenOrMoveAside(path string, opt Options) (*DB, *i18n.Error, error) {
	db, err := Open(path, opt)
	damaged := errors.Is(err, ErrNotDatabase) || errors.Is(err, ErrDamaged)
	if err == nil || opt.ReadOnly || !damaged || errors.Is(err, errForeign) {
		return db, nil, err
	}
	fi, serr := os.Lstat(path)
	if serr != nil || !fi.Mode().IsRegular() {
		return nil, nil, err
	}
	aside, merr := moveAside(path, fi, opt.Timeout, time.Now())
	if errors.Is(merr, errChanged) {
		// Someone wrote the file meanwhile (a rareterm finished creating
		// it): judge it again.
		db, err = Open(path, opt)
		return db, nil, err
	}
	if merr != nil {
		return nil, nil, i18n.Errorf(i18n.StoreMoveFailed, err, unwrapped{merr})
	}
	db, err2 := Open(path, opt)
	if err2 != nil {
		return nil, nil, i18n.Errorf(i18n.StoreMovedNoNew, unwrapped{err}, aside, err2)
	}
	return db, i18n.Errorf(i18n.StoreMoved, err, aside), nil
}

var errChanged = errors.New("the file changed while being moved aside")

// moveAside renames path to a free <path>.damaged-<time> name, holding the
// file's lock (so a rareterm that has it open, or is creating it, is never
// pulled from under) and fsyncing the directory. seen is the file as it was
// judged damaged; if it is no longer that file, of that size and time,
// nothing is moved (errChanged).
func moveAside(path string, seen fs.FileInfo, timeout time.Duration, now time.Time) (string, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if err := lockFile(f, timeout); err != nil {
		return "", err
	}
	defer unlockFile(f)
	// Under the lock, make sure it is still the file that was judged: a
	// rareterm that was creating it may have finished meanwhile.
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	cur, err := os.Stat(path)
	if err != nil || !os.SameFile(fi, cur) || !os.SameFile(fi, seen) || fi.Size() != seen.Size() || !fi.ModTime().Equal(seen.ModTime()) {
		return "", errChanged
	}
	base := path + DamagedSuffix + now.Format("20060102-150405")
	dst := base
	for i := 1; ; i++ {
		if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
			break
		}
		if i > 100 {
			return "", i18n.Errorf(i18n.StoreNoFreeName, base)
		}
		dst = fmt.Sprintf("%s-%d", base, i)
	}
	if err := os.Rename(path, dst); err != nil {
		return "", err
	}
	syncDir(filepath.Dir(path))
	return dst, nil
}

// unwrapped is an error said in a message (in either language) but not
// wrapped by it: errors.Is and errors.As do not see it.
type unwrapped struct{ err error }

func (u unwrapped) In(l i18n.Lang) string { return i18n.Say(l, u.err) }
