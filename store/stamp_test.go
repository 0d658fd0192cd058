package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

// A file closed cleanly by its writer is not walked again at the next open;
// a file changed since (damaged, or written by a writer that was killed)
// is.
func TestStampSkipsTheWalkOfAnUnchangedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Append(model.Batch{Quotes: []model.Quote{quote("600111", at(0, 10, 0, 0), 49.41)}}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stampPath(path)); err != nil {
		t.Fatalf("no stamp after a clean close: %v", err)
	}
	n := walks.Load()
	db = openAt(t, path, Options{ReadOnly: true})
	db.Close()
	if walks.Load() != n {
		t.Error("an unchanged file was walked again")
	}
	// Any write changes the time: the stamp no longer matches.
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if walks.Load() != n+1 {
		t.Error("a changed file was not walked")
	}
}
