//go:build !unix

package store

import (
	"errors"
	"os"
)

// mapFile is not available here: the walker reads with ReadAt.
func mapFile(*os.File, int64) ([]byte, func(), error) {
	return nil, nil, errors.New("no mmap")
}
