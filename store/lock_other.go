//go:build !unix

package store

import (
	"os"
	"time"
)

// lockFile is a no-op where flock is not available: moving a damaged file
// aside then relies on the checks around it.
func lockFile(*os.File, time.Duration) error { return nil }

func lockShared(*os.File, time.Duration) error { return nil }

func unlockFile(*os.File) {}
