package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// SchemaVersion is the layout this code reads and writes (see doc.go).
const SchemaVersion = 2

// Database modes. A file records its mode when it is created and can only be
// opened in that mode, so simulated data never enters the live database.
const (
	ModeLive = "live"
	ModeDemo = "demo"
)

// DefaultTimeout is how long Open waits for the file lock by default.
const DefaultTimeout = time.Second

var (
	// ErrInUse is returned (wrapped, with the path) when another process
	// holds the database's lock past Options.Timeout.
	ErrInUse error = i18n.Errorf(i18n.StoreErrInUse)
	// ErrNotDatabase is returned (wrapped, with the path) when the file
	// exists but is not a rareterm bbolt database. The file is left as it was.
	ErrNotDatabase error = i18n.Errorf(i18n.StoreErrNotDatabase)
	// ErrModeMismatch is returned when the file was created in another mode
	// (a demo database opened as live, or the reverse).
	ErrModeMismatch error = i18n.Errorf(i18n.StoreErrModeMismatch)
	// ErrDemoData: a value from the simulated market offered to the live
	// database.
	ErrDemoData error = i18n.Errorf(i18n.StoreErrDemoData)

	// errForeign marks the ErrNotDatabase of a sound bbolt file that
	// belongs to another program: OpenOrMoveAside leaves it where it is.
	errForeign error = i18n.Errorf(i18n.StoreErrForeign)
	// errReplaced: the file at the path was swapped (CompactFile renames
	// the compacted copy over it) between the check and the lock; Open
	// tries again on the new file.
	errReplaced error = i18n.Errorf(i18n.StoreErrReplaced)
)

// Options configure Open.
type Options struct {
	// Timeout is how long to wait for the file lock; DefaultTimeout when
	// zero or negative. A second process on the same file gets ErrInUse.
	Timeout time.Duration
	// ReadOnly opens with a shared lock; nothing is created or migrated.
	ReadOnly bool
	// Mode is ModeLive or ModeDemo; empty means ModeLive. It is written into
	// a new database, and an existing one must match.
	Mode string
	// NoReference skips loading the embedded reference data (contract
	// quarters, element prices) into a new database. For tests.
	NoReference bool
	// AnyMode accepts an existing database of either mode, for tools that
	// read or maintain a file whatever it holds (export, stats). Mode still
	// sets the mode of a new database.
	AnyMode bool
}

// DB is an open rareterm database. Its methods are safe for concurrent use;
// bbolt serialises writers and readers see a consistent snapshot.
type DB struct {
	bolt     *bolt.DB
	path     string
	mode     string
	schema   int
	readOnly bool

	// putHook, when set (tests only), runs before each put of an Append
	// and can fail it, to prove a failure inside the transaction rolls the
	// whole batch back.
	putHook func(i int) error
}

// Bucket names.
var (
	bMeta     = []byte("meta")
	bQuotes   = []byte("quotes")
	bBars1d   = []byte("bars_1d")
	bBars1m   = []byte("bars_1m")
	bMargin   = []byte("margin")
	bBoards   = []byte("boards")
	bMembers  = []byte("members")
	bElements = []byte("elements")
	bContract = []byte("contract")
	bSymbols  = []byte("symbols")

	topBuckets = [][]byte{bMeta, bQuotes, bBars1d, bBars1m, bMargin, bBoards, bMembers, bElements, bContract, bSymbols, bNotices, bConcentrate, bAlerts}
)

// Keys in the meta bucket.
var (
	kSchema  = []byte("schema")     // uint64 big-endian
	kMode    = []byte("mode")       // "live" or "demo"
	kCreated = []byte("created")    // Unix nanoseconds, uint64 big-endian
	kEras    = []byte("index_eras") // encodeEras
)

// migrations[n] upgrades a database from schema n to n+1. Open runs every
// step from the file's version to SchemaVersion inside one write
// transaction, then records the new version in the same transaction: a
// failure leaves the file at its old version. None exist yet (version 1 is
// the first layout).
var migrations = map[int]func(tx *bolt.Tx) error{}

// currentSchema is SchemaVersion; tests raise it to exercise migrations.
var currentSchema = SchemaVersion

// Open opens (creating if needed) the database at path. A new database gets
// its parent directory (0700), the file (0600), every bucket, the meta
// record (schema version, mode, creation time) and, unless
// opt.NoReference, the embedded reference data, all in one transaction.
func Open(path string, opt Options) (*DB, error) {
	for attempt := 1; ; attempt++ {
		db, err := open(path, opt)
		if errors.Is(err, errReplaced) && attempt < 3 {
			continue
		}
		return db, err
	}
}

func open(path string, opt Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: empty database path")
	}
	mode := opt.Mode
	if mode == "" {
		mode = ModeLive
	}
	if mode != ModeLive && mode != ModeDemo {
		return nil, fmt.Errorf("store: mode %q: want %q or %q", opt.Mode, ModeLive, ModeDemo)
	}
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}

	fi, err := os.Stat(path)
	switch {
	case err == nil:
		if !fi.Mode().IsRegular() {
			return nil, i18n.Errorf(i18n.StoreNotRegular, ErrNotDatabase, path)
		}
		if fi.Size() > 0 {
			if err := checkBoltFile(path); err != nil {
				return nil, err
			}
			// Every page bbolt may read, walked before bbolt reads it: a
			// read-write open makes bbolt scan every page in a goroutine
			// of its own, where a damaged page panics out of reach.
			budget := time.Duration(0)
			if opt.ReadOnly {
				budget = readOnlyVerifyBudget
			}
			// A file unchanged since it was last walked whole (or closed
			// by a rareterm that wrote it) is not walked again.
			if !stampMatches(path, fi) {
				if err := verifyFile(path, timeout, budget, true); err != nil {
					return nil, err
				}
			}
		} else if opt.ReadOnly {
			// bbolt would try to initialise it, through a read-only handle.
			return nil, i18n.Errorf(i18n.StoreEmptyReadOnly, path)
		}
	case errors.Is(err, fs.ErrNotExist):
		if opt.ReadOnly {
			return nil, i18n.Errorf(i18n.StoreNoDatabase, path)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	default:
		return nil, fmt.Errorf("store: %w", err)
	}

	bdb, err := boltOpen(path, &bolt.Options{
		Timeout:  timeout,
		ReadOnly: opt.ReadOnly,
		// The array freelist (bbolt's default) hands out the lowest free
		// page ids, so small commits copy their pages on write back and
		// forth among the same few pages, which stay mapped: the hashmap
		// freelist took them in map order from anywhere in the file, and
		// after 200 commits of 15 quotes into a pruned file 5.2 MB of it
		// was resident against 2.8 MB (TestSmallCommitsReuseTheSamePages).
		// A single page (almost every node of a time series) is the
		// list's first id; only a multi-page node scans for a run.
		FreelistType: bolt.FreelistArrayType,
		// The freelist is not written on every commit. After a Prune it
		// holds thousands of page ids (7,000 free pages = 55 KB written and
		// fsynced with every Append, every few seconds, all day). The price
		// is a scan at Open to rebuild it: measured 20-45 ms for a 45-70 MB
		// file, growing with the file, which retention keeps bounded.
		// Commits are still fsynced: data safety is unchanged.
		NoFreelistSync: true,
	})
	if err != nil {
		switch {
		case errors.Is(err, berrors.ErrTimeout):
			return nil, i18n.Errorf(i18n.StoreInUse, ErrInUse, path)
		case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum),
			errors.Is(err, berrors.ErrVersionMismatch):
			return nil, i18n.Errorf(i18n.StoreBecause, ErrNotDatabase, path, unwrapped{err})
		}
		return nil, i18n.Errorf(i18n.StoreOpen, path, err)
	}
	if fi != nil {
		// The lock is on the file we opened; make sure it is still the one
		// at path (a compaction may have renamed a new file over it while
		// we waited for the lock; writing to the old one would be lost).
		if now, err := os.Stat(path); err != nil || !os.SameFile(fi, now) {
			_ = bdb.Close()
			return nil, i18n.Errorf(i18n.StoreReplaced, path, errReplaced)
		}
	}
	db := &DB{bolt: bdb, path: path, mode: mode, readOnly: opt.ReadOnly}
	if err := db.init(opt); err != nil {
		_ = bdb.Close()
		return nil, err
	}
	// The demo database holds a simulated market that is made again from
	// its seed: its commits are not fsynced (two fdatasyncs with every
	// market move, each 2 s). A power cut can lose its last commits or
	// damage the file, which the next start moves aside
	// (OpenOrMoveAside) before the demo begins again. The live database
	// keeps its syncs.
	bdb.NoSync = db.mode == ModeDemo
	return db, nil
}

// readOnlyVerifyBudget bounds the walk of a file opened read-only: a reader
// does not scan the pages at open, and every read recovers from a damaged
// page, so past the budget the rest is left to the reads.
const readOnlyVerifyBudget = 3 * time.Second

// boltOpen is bolt.Open with a panic or a fault on a damaged file returned
// as a DamagedError.
//
// A panic inside bolt.Open leaves its file open and locked; the file is
// captured as bbolt opens it, and unlocked and closed then, so the damaged
// file can be moved aside. (Its mapping stays: a few MB of address space.)
func boltOpen(path string, o *bolt.Options) (db *bolt.DB, err error) {
	var f *os.File
	oo := *o
	oo.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		var err error
		f, err = os.OpenFile(name, flag, perm)
		return f, err
	}
	defer func() {
		if r := recover(); r != nil {
			if f != nil {
				// Unlocked explicitly: bbolt's mapping of the file (left
				// behind) keeps the open file, and with it the lock.
				unlockFile(f)
				f.Close()
			}
			db, err = nil, &DamagedError{Path: path, Detail: fmt.Sprint(r)}
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return bolt.Open(path, 0o600, &oo)
}

// checkBoltFile refuses a file with no bbolt meta page before bbolt opens it
// read-write, so a mistaken --db never touches someone's file. It looks for
// the bbolt magic and version in the first meta page (or, as bbolt does, in a
// second one at a power-of-two offset), and checks the file holds both meta
// pages. Checksums are left to bbolt, which recovers from one torn meta page.
func checkBoltFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	const (
		magic       = 0xED0CDAED
		boltVersion = 2
		pageHeader  = 16 // id u64, flags u16, count u16, overflow u32
	)
	var buf [pageHeader + 12]byte
	offsets := []int64{0}
	for i := range 15 { // bbolt's own search for the second meta page
		offsets = append(offsets, 1024<<i)
	}
	for _, off := range offsets {
		if _, err := f.ReadAt(buf[:], off); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return fmt.Errorf("store: %w", err)
		}
		m := buf[pageHeader:]
		if binary.NativeEndian.Uint32(m[0:]) != magic || binary.NativeEndian.Uint32(m[4:]) != boltVersion {
			continue
		}
		pageSize := int64(binary.NativeEndian.Uint32(m[8:]))
		if pageSize < 512 || fi.Size() < 2*pageSize {
			return i18n.Errorf(i18n.StoreTruncated, ErrNotDatabase, path, fi.Size())
		}
		return nil
	}
	return i18n.Errorf(i18n.StoreNoHeader, ErrNotDatabase, path)
}

// init checks or creates the meta record, runs migrations and loads the
// reference data into a new database.
func (db *DB) init(opt Options) error {
	var (
		fresh, foreign bool
		version        int
		mode           string
	)
	err := db.view(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if meta == nil {
			// No meta: a file bbolt has just initialised (or a crash between
			// that and our first commit) has no buckets at all; anything else
			// belongs to another program.
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { foreign = true; return nil })
			fresh = !foreign
			return nil
		}
		v := meta.Get(kSchema)
		if len(v) != 8 {
			return i18n.Errorf(i18n.StoreNoSchema, ErrNotDatabase, db.path)
		}
		version = int(binary.BigEndian.Uint64(v))
		mode = string(meta.Get(kMode))
		return nil
	})
	switch {
	case err != nil:
		return err
	case foreign:
		return i18n.Errorf(i18n.StoreForeign, ErrNotDatabase, db.path, errForeign)
	case fresh:
		if db.readOnly {
			return i18n.Errorf(i18n.StoreEmptyReadOnly, db.path)
		}
		db.schema = currentSchema
		return db.update(func(tx *bolt.Tx) error { return db.create(tx, opt) })
	}

	if mode != db.mode {
		if !opt.AnyMode || (mode != ModeLive && mode != ModeDemo) {
			return i18n.Errorf(i18n.StoreModeMismatch, ErrModeMismatch, db.path, mode, db.mode)
		}
		db.mode = mode
	}
	if version > currentSchema {
		return i18n.Errorf(i18n.StoreSchemaNewer, db.path, version, currentSchema)
	}
	if version < 1 {
		return i18n.Errorf(i18n.StoreSchemaBad, ErrNotDatabase, db.path, version)
	}
	db.schema = version
	if version == currentSchema {
		return db.ensureBuckets()
	}
	if db.readOnly {
		return i18n.Errorf(i18n.StoreNeedsMigration, db.path, version, currentSchema)
	}
	err = db.update(func(tx *bolt.Tx) error {
		for v := version; v < currentSchema; v++ {
			step, ok := migrations[v]
			if !ok {
				return fmt.Errorf("store: no migration from schema %d to %d", v, v+1)
			}
			if err := step(tx); err != nil {
				return fmt.Errorf("store: migrating schema %d to %d: %w", v, v+1, err)
			}
		}
		for _, name := range topBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(kSchema, binary.BigEndian.AppendUint64(nil, uint64(currentSchema)))
	})
	if err != nil {
		return err
	}
	db.schema = currentSchema
	return nil
}

// ensureBuckets creates any missing top-level bucket (none, normally),
// writing only when one is missing.
func (db *DB) ensureBuckets() error {
	missing := false
	_ = db.view(func(tx *bolt.Tx) error {
		for _, name := range topBuckets {
			if tx.Bucket(name) == nil {
				missing = true
			}
		}
		return nil
	})
	if !missing || db.readOnly {
		return nil
	}
	return db.update(func(tx *bolt.Tx) error {
		for _, name := range topBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
}

// create lays out a new database in tx.
func (db *DB) create(tx *bolt.Tx, opt Options) error {
	for _, name := range topBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bMeta)
	if err := meta.Put(kSchema, binary.BigEndian.AppendUint64(nil, uint64(currentSchema))); err != nil {
		return err
	}
	if err := meta.Put(kMode, []byte(db.mode)); err != nil {
		return err
	}
	if err := meta.Put(kCreated, binary.BigEndian.AppendUint64(nil, uint64(time.Now().UnixNano()))); err != nil {
		return err
	}
	if opt.NoReference {
		return nil
	}
	contract, elements, err := Reference()
	if err != nil {
		return fmt.Errorf("store: embedded reference data: %w", err)
	}
	ops, err := encodeBatch(model.Batch{Contract: contract, Elements: elements})
	if err != nil {
		return fmt.Errorf("store: embedded reference data: %w", err)
	}
	return ops.apply(tx)
}

// Close closes the database, releasing the file lock. A file opened
// read-write is stamped as sound (see stampMatches): every page it holds
// was walked at open or written since by this process through bbolt.
func (db *DB) Close() error {
	err := db.bolt.Close()
	if err == nil && !db.readOnly {
		if fi, serr := os.Stat(db.path); serr == nil {
			writeStamp(db.path, fi)
		}
	}
	return err
}

// Path returns the file path the database was opened with.
func (db *DB) Path() string { return db.path }

// Mode returns ModeLive or ModeDemo.
func (db *DB) Mode() string { return db.mode }

// SchemaVersion returns the schema version of the open file.
func (db *DB) SchemaVersion() int { return db.schema }

// Created returns when the database file was created.
func (db *DB) Created() (time.Time, error) {
	var t time.Time
	err := db.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bMeta).Get(kCreated)
		if len(v) != 8 {
			return fmt.Errorf("%w: meta has no creation time", errCorrupt)
		}
		t = time.Unix(0, int64(binary.BigEndian.Uint64(v))).In(model.CST)
		return nil
	})
	return t, err
}

// validName checks a symbol, board or element used as a bucket name.
func validName(kind, s string) error {
	if s == "" {
		return fmt.Errorf("%s with an empty code", kind)
	}
	if len(s) > 64 || strings.ContainsRune(s, 0) {
		return fmt.Errorf("%s code %q is not a valid key", kind, s)
	}
	return nil
}
