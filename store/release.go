package store

import bolt "go.etcd.io/bbolt"

// ReleaseMapped gives back to the kernel the pages of the database file this
// process has read so far through bbolt's mapping. They stay in the page
// cache and are mapped again, without I/O, the next time a read touches
// them; what goes is their count in this process's resident memory. bbolt
// reads every page of the file when it opens it read-write (to rebuild the
// freelist, see the package doc), so without this a 150 MB file leaves the
// dashboard at 150 MB resident for as long as it runs. It holds a read
// transaction, so bbolt cannot remap the file meanwhile. A no-op where the
// kernel offers no such advice.
func (db *DB) ReleaseMapped() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		return dontNeed(tx.DB().Info().Data, tx.Size())
	})
}
