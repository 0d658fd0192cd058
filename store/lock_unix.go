//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
	"time"

	"github.com/rareterm/rareterm/i18n"
)

// lockFile takes the exclusive flock bbolt takes on a database, waiting at
// most timeout (ErrInUse after that).
func lockFile(f *os.File, timeout time.Duration) error {
	return flockWait(f, syscall.LOCK_EX, timeout)
}

// lockShared takes the shared flock a read-only bbolt open takes: any
// number of readers, no writer.
func lockShared(f *os.File, timeout time.Duration) error {
	return flockWait(f, syscall.LOCK_SH, timeout)
}

func flockWait(f *os.File, how int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return err
		}
		if time.Now().After(deadline) {
			return i18n.Errorf(i18n.StoreInUse, ErrInUse, f.Name())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func unlockFile(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
