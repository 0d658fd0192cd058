package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"
)

// The bbolt file layout, read here without bbolt: a damaged page makes bbolt
// panic, sometimes in a goroutine of its own where no recover can reach it
// (the free-page scan of a read-write open), or fault on an address past the
// mapping. The walker reads the file with ReadAt, checks every bound before
// using it, and so can neither panic nor fault on any content.
const (
	pageHeaderSize = 16 // id u64, flags u16, count u16, overflow u32
	elemSize       = 16 // a branch or leaf page element
	bucketHeader   = 16 // root pgid u64, sequence u64

	flagBranch   = 0x01
	flagLeaf     = 0x02
	flagMeta     = 0x04
	flagFreelist = 0x10
	leafIsBucket = 0x01

	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	noFreelist     = ^uint64(0)
	maxNesting     = 16
	metaChecksumAt = 56
)

// pageDamage is one unreadable page: where it is and what is wrong with it.
type pageDamage struct {
	page   uint64
	bucket string // the bucket path it belongs to ("" for the root)
	reason string
}

func (d pageDamage) String() string {
	where := ""
	if d.bucket != "" {
		where = " in " + d.bucket
	}
	return fmt.Sprintf("page %d%s: %s", d.page, where, d.reason)
}

// walker walks the B+trees of a bbolt file from its current meta page.
type walker struct {
	f        io.ReaderAt
	size     int64
	pageSize int
	hwm      uint64 // pages below this id are in use or free
	root     uint64
	freelist uint64
	seen     []uint64  // a bit per page id below hwm: read already
	deadline time.Time // zero: no limit
	mem      []byte    // the file mapped read-only, when it could be
	timedOut bool

	// leaf is called for every key of a leaf page that is not a bucket
	// (salvage copies them); bucket for every nested bucket entered. Both
	// may be nil (a check).
	leaf   func(path []string, k, v []byte)
	bucket func(path []string)
	// anyOrder skips the check of keys against their parent page's range
	// (a salvage copies them all the same: the new file sorts them).
	anyOrder bool
	// skip, when set, leaves out the buckets it returns true for.
	skip func(path []string) bool
	// bad is called for every unreadable page; returning false stops the
	// walk (a check stops at the first).
	bad     func(pageDamage) bool
	stopped bool
}

var errWalkTimeout = errors.New("walk ran out of time")

// walks counts the files walked (for tests).
var walks atomic.Int64

// newWalker reads the meta pages and chooses the current one as bbolt does:
// the valid meta with the highest transaction id.
func newWalker(f io.ReaderAt, size int64) (*walker, error) {
	var hdr [pageHeaderSize + 64]byte
	if _, err := f.ReadAt(hdr[:], 0); err != nil {
		return nil, fmt.Errorf("meta page 0 unreadable: %v", err)
	}
	type meta struct {
		ok                         bool
		pageSize                   int
		root, freelist, pgid, txid uint64
		why                        string
	}
	parse := func(b []byte) meta {
		m := b[pageHeaderSize:]
		le := binary.LittleEndian
		var r meta
		switch {
		case le.Uint32(m[0:]) != boltMagic:
			r.why = "bad magic"
		case le.Uint32(m[4:]) != boltVersion:
			r.why = "unknown version"
		default:
			h := fnv.New64a()
			h.Write(m[:metaChecksumAt])
			if h.Sum64() != le.Uint64(m[metaChecksumAt:]) {
				r.why = "checksum mismatch"
				break
			}
			r.ok = true
		}
		r.pageSize = int(le.Uint32(m[8:]))
		r.root = le.Uint64(m[16:])
		r.freelist = le.Uint64(m[32:])
		r.pgid = le.Uint64(m[40:])
		r.txid = le.Uint64(m[48:])
		return r
	}
	m0 := parse(hdr[:])
	ps := m0.pageSize
	if !m0.ok || ps < 512 || ps > 1<<20 {
		ps = 4096
	}
	// The second meta page, at the page size the first states (bbolt
	// searches power-of-two offsets when the first is unreadable).
	var m1 meta
	for _, off := range append([]int64{int64(ps)}, 1024, 2048, 4096, 8192, 16384, 32768, 65536) {
		var b [pageHeaderSize + 64]byte
		if _, err := f.ReadAt(b[:], off); err != nil {
			continue
		}
		if m1 = parse(b[:]); m1.ok && int64(m1.pageSize) == off {
			break
		}
		m1.ok = false
	}
	cur := m0
	switch {
	case m0.ok && m1.ok && m1.txid > m0.txid, !m0.ok && m1.ok:
		cur = m1
	case !m0.ok && !m1.ok:
		return nil, fmt.Errorf("page 0: both meta pages invalid (%s)", m0.why)
	}
	if cur.pageSize < 512 || cur.pageSize > 1<<20 {
		return nil, fmt.Errorf("page 0: page size %d", cur.pageSize)
	}
	w := &walker{f: f, size: size, pageSize: cur.pageSize, hwm: cur.pgid, root: cur.root,
		freelist: cur.freelist}
	if w.hwm < 3 || int64(w.hwm) > size/int64(w.pageSize)+1 {
		return nil, fmt.Errorf("meta page: %d pages in use, the file holds %d", w.hwm, size/int64(w.pageSize))
	}
	w.seen = make([]uint64, (w.hwm+63)/64)
	return w, nil
}

func (w *walker) isSeen(id uint64) bool { return w.seen[id/64]&(1<<(id%64)) != 0 }
func (w *walker) mark(id uint64)        { w.seen[id/64] |= 1 << (id % 64) }

// readPage reads page id (with its overflow pages) and checks its header.
func (w *walker) readPage(id uint64, want byte) ([]byte, error) {
	if id < 2 || id >= w.hwm {
		return nil, fmt.Errorf("page id out of range [2, %d)", w.hwm)
	}
	if w.isSeen(id) {
		return nil, errors.New("referenced twice")
	}
	w.mark(id)
	off := int64(id) * int64(w.pageSize)
	h, err := w.read(off, w.pageSize)
	if err != nil {
		return nil, fmt.Errorf("unreadable: %v", err)
	}
	le := binary.LittleEndian
	if got := le.Uint64(h[0:]); got != id {
		return nil, fmt.Errorf("says it is page %d", got)
	}
	flags := le.Uint16(h[8:])
	if (flags != flagBranch && flags != flagLeaf && flags != flagFreelist) || byte(flags)&want == 0 {
		return nil, fmt.Errorf("unexpected page type %#x", flags)
	}
	overflow := uint64(le.Uint32(h[12:]))
	if id+overflow >= w.hwm {
		return nil, fmt.Errorf("overflow of %d pages runs past the last page", overflow)
	}
	buf, err := w.read(off, int((overflow+1)*uint64(w.pageSize)))
	if err != nil {
		return nil, fmt.Errorf("unreadable: %v", err)
	}
	for i := uint64(1); i <= overflow; i++ {
		w.mark(id + i)
	}
	return buf, nil
}

// read returns n bytes at off: a slice of the mapped file, or a copy read
// with ReadAt where the file is not mapped.
func (w *walker) read(off int64, n int) ([]byte, error) {
	if off < 0 || n < 0 || off+int64(n) > w.size {
		return nil, io.ErrUnexpectedEOF
	}
	if w.mem != nil {
		return w.mem[off : off+int64(n) : off+int64(n)], nil
	}
	buf := make([]byte, n)
	_, err := w.f.ReadAt(buf, off)
	return buf, err
}

// elements checks a branch or leaf page's elements and calls fn with each
// key, value (leaf) or child page id (branch), and the leaf flags. Keys
// must be in order, at or above lo and below hi (the keys around the page
// in its parent; nil: no bound), as bbolt's own check wants them.
func elements(p []byte, lo, hi []byte, fn func(flags uint32, k, v []byte, child uint64) error) error {
	le := binary.LittleEndian
	flags := le.Uint16(p[8:])
	n := int(le.Uint16(p[10:]))
	if pageHeaderSize+n*elemSize > len(p) {
		return fmt.Errorf("%d elements do not fit the page", n)
	}
	if flags == flagBranch && n == 0 {
		return errors.New("branch page with no elements")
	}
	var prev []byte
	for i := range n {
		e := pageHeaderSize + i*elemSize
		var kstart, ksize, vsize uint64
		var child uint64
		var lflags uint32
		if flags == flagBranch {
			kstart = uint64(e) + uint64(le.Uint32(p[e:]))
			ksize = uint64(le.Uint32(p[e+4:]))
			child = le.Uint64(p[e+8:])
		} else {
			lflags = le.Uint32(p[e:])
			kstart = uint64(e) + uint64(le.Uint32(p[e+4:]))
			ksize = uint64(le.Uint32(p[e+8:]))
			vsize = uint64(le.Uint32(p[e+12:]))
		}
		end := kstart + ksize + vsize
		if kstart < uint64(pageHeaderSize+n*elemSize) || end > uint64(len(p)) {
			return fmt.Errorf("element %d points outside the page", i)
		}
		k := p[kstart : kstart+ksize]
		if i > 0 && bytes.Compare(prev, k) >= 0 {
			return fmt.Errorf("element %d: keys out of order", i)
		}
		if (lo != nil && bytes.Compare(k, lo) < 0) || (hi != nil && bytes.Compare(k, hi) >= 0) {
			return fmt.Errorf("element %d: key outside the range its parent page gives", i)
		}
		prev = k
		if err := fn(lflags, k, p[kstart+ksize:end], child); err != nil {
			return err
		}
	}
	return nil
}

// guardedWalk walks with faults turned into panics and recovered: the
// reads are bounded by the file's size, but a file truncated by another
// program while mapped would fault.
func (w *walker) guardedWalk(path string) (err error) {
	defer guard(path, &err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	w.walk()
	return nil
}

// walk walks the whole file from the root bucket, then the freelist page.
func (w *walker) walk() {
	w.tree(w.root, nil, nil, nil, nil)
	if w.stopped || w.freelist == noFreelist {
		return
	}
	if err := w.checkFreelist(); err != nil {
		w.report(pageDamage{page: w.freelist, bucket: "freelist", reason: err.Error()})
	}
}

func (w *walker) report(d pageDamage) {
	if w.bad == nil || !w.bad(d) {
		w.stopped = true
	}
}

func (w *walker) checkFreelist() error {
	p, err := w.readPage(w.freelist, flagFreelist)
	if err != nil {
		return err
	}
	le := binary.LittleEndian
	n, at := uint64(le.Uint16(p[10:])), uint64(pageHeaderSize)
	if n == 0xffff {
		n, at = le.Uint64(p[pageHeaderSize:]), at+8
	}
	if n > uint64(len(p)) || at+n*8 > uint64(len(p)) {
		return fmt.Errorf("%d free ids do not fit the page", n)
	}
	for i := range n {
		if id := le.Uint64(p[at+i*8:]); id < 2 || id >= w.hwm {
			return fmt.Errorf("free page id %d out of range", id)
		}
	}
	return nil
}

// tree walks the pages of one bucket from its root page id; inline, when
// set, is the bucket's inline leaf page instead.
func (w *walker) tree(id uint64, inline []byte, path []string, lo, hi []byte) {
	if w.stopped {
		return
	}
	if !w.deadline.IsZero() && time.Now().After(w.deadline) {
		w.timedOut, w.stopped = true, true
		return
	}
	name := strings.Join(path, "/")
	var p []byte
	if inline != nil {
		if len(inline) < pageHeaderSize || binary.LittleEndian.Uint16(inline[8:]) != flagLeaf {
			w.report(pageDamage{bucket: name, reason: "inline bucket page is not a leaf"})
			return
		}
		p = inline
	} else {
		var err error
		if p, err = w.readPage(id, flagBranch|flagLeaf); err != nil {
			w.report(pageDamage{page: id, bucket: name, reason: err.Error()})
			return
		}
	}
	branch := binary.LittleEndian.Uint16(p[8:]) == flagBranch
	var children []uint64
	var keys [][]byte
	var subs []struct {
		k      []byte
		root   uint64
		inline []byte
	}
	if w.anyOrder {
		lo, hi = nil, nil
	}
	err := elements(p, lo, hi, func(flags uint32, k, v []byte, child uint64) error {
		switch {
		case branch:
			children = append(children, child)
			keys = append(keys, k)
		case flags&leafIsBucket != 0:
			if len(v) < bucketHeader {
				return fmt.Errorf("bucket %q: short header", k)
			}
			if len(path) >= maxNesting {
				return errors.New("buckets nested too deep")
			}
			s := struct {
				k      []byte
				root   uint64
				inline []byte
			}{k: k, root: binary.LittleEndian.Uint64(v)}
			if s.root == 0 {
				s.inline = v[bucketHeader:]
			}
			subs = append(subs, s)
		case w.leaf != nil:
			w.leaf(path, k, v)
		}
		return nil
	})
	if err != nil {
		w.report(pageDamage{page: id, bucket: name, reason: err.Error()})
		if w.stopped {
			return
		}
	}
	for i, c := range children {
		next := hi
		if i+1 < len(keys) {
			next = keys[i+1]
		}
		w.tree(c, nil, path, keys[i], next)
	}
	for _, s := range subs {
		sub := append(path[:len(path):len(path)], string(s.k))
		if w.skip != nil && w.skip(sub) {
			continue
		}
		if w.bucket != nil {
			w.bucket(sub)
		}
		w.tree(s.root, s.inline, sub, nil, nil)
	}
}

// verifyFile walks every page reachable from the current meta page of the
// bbolt file at path and returns the first damage found as a DamagedError
// (nil for a sound file). With a budget above zero it stops unverified
// (nil) once the budget is spent. With stamp, a walk that covered the whole
// file stamps it as sound (stamp.go).
//
// It holds the file's shared lock while it reads (ErrInUse after timeout),
// so it never judges a file a writer is half-way through changing; a
// negative timeout takes no lock (the caller holds one).
func verifyFile(path string, timeout, budget time.Duration, stamp bool) error {
	walks.Add(1)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	if timeout >= 0 {
		if err := lockShared(f, timeout); err != nil {
			return err
		}
		defer unlockFile(f)
	}
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	w, err := newWalker(f, fi.Size())
	if err != nil {
		return &DamagedError{Path: path, Detail: err.Error()}
	}
	if mem, unmap, err := mapFile(f, fi.Size()); err == nil {
		defer unmap()
		w.mem = mem
	}
	if budget > 0 {
		w.deadline = time.Now().Add(budget)
	}
	var first *pageDamage
	w.bad = func(d pageDamage) bool { first = &d; return false }
	if err := w.guardedWalk(path); err != nil {
		return err
	}
	if first != nil {
		return &DamagedError{Path: path, Detail: first.String()}
	}
	if !w.timedOut && stamp {
		writeStamp(path, fi)
	}
	return nil
}
