package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

// copyTries is how many copies --offline makes of a database another
// rareterm writes before it gives up: one commit landing mid-copy spoils a
// copy, the next usually does not.
const copyTries = 3

// reviewCopy makes a consistent copy of the database at path, which
// another rareterm (a collect that serves no terminals) holds: the file's
// bytes copied, then opened read-only, every page walked and bbolt's own
// check passed. A copy that a commit tore is made again. The copy lives in
// a private temporary directory that cleanup removes; the original is
// only read.
func reviewCopy(path, mode string) (db *store.DB, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "rareterm-review-")
	if err != nil {
		return nil, nil, err
	}
	remove := func() { _ = os.RemoveAll(dir) }
	cp := filepath.Join(dir, filepath.Base(path))
	var last error
	for try := 0; try < copyTries; try++ {
		if try > 0 {
			time.Sleep(time.Duration(try) * 200 * time.Millisecond)
		}
		if err := copyFile(path, cp); err != nil {
			remove()
			return nil, nil, err
		}
		db, err := store.Open(cp, store.Options{Mode: mode, ReadOnly: true})
		if err == nil {
			if err = db.Check(); err == nil {
				return db, func() { db.Close(); remove() }, nil
			}
			db.Close()
		}
		last = err
		_ = os.Remove(cp)
		_ = os.Remove(cp + ".verified")
	}
	remove()
	return nil, nil, i18n.Errorf(i18n.ReviewCopyFailed, path, copyTries, last)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// offlineFallback is --offline's answer to a database in use that no
// collector serves: review a consistent copy of it.
func offlineFallback(path, mode string, openErr error, l i18n.Lang) (*store.DB, func(), string, bool) {
	if !errors.Is(openErr, store.ErrInUse) {
		return nil, nil, "", false
	}
	db, cleanup, err := reviewCopy(path, mode)
	if err != nil {
		return nil, nil, "", false
	}
	return db, cleanup, i18n.StartupReviewCopy.F(l, time.Now().In(model.CST).Format("15:04:05")), true
}
