package store

import (
	"fmt"
	"os"
)

// The soundness stamp: a small file beside the database
// (rareterm.db.verified) holding the size and modification time the file
// had when it was last known sound: when the walk of every page passed, or
// when a rareterm that had opened it read-write closed it cleanly. A file
// whose size and time still match is not walked again at open, which keeps
// a cold start on a large file from reading every page twice (the walk,
// then bbolt's own free-page scan). Anything that writes the file changes
// its time, so a file damaged since, or left by a killed writer, is walked.

func stampPath(path string) string { return path + ".verified" }

func stampOf(fi os.FileInfo) string {
	return fmt.Sprintf("size %d mtime %d\n", fi.Size(), fi.ModTime().UnixNano())
}

// stampMatches reports whether the file is as it was when last known sound.
func stampMatches(path string, fi os.FileInfo) bool {
	b, err := os.ReadFile(stampPath(path))
	return err == nil && string(b) == stampOf(fi)
}

// writeStamp records fi as sound; a failure only costs a walk next time.
func writeStamp(path string, fi os.FileInfo) {
	tmp := stampPath(path) + ".tmp"
	if err := os.WriteFile(tmp, []byte(stampOf(fi)), 0o600); err != nil {
		return
	}
	if err := os.Rename(tmp, stampPath(path)); err != nil {
		os.Remove(tmp)
	}
}
