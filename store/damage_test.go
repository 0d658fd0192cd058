package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/model"
)

// populate writes days of quotes, daily bars, margin and element prices for
// a few symbols into a new database at path (with the reference data).
func populate(t testing.TB, path string, days int) {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	syms := []string{"600111", "000831", "600010", "600392", "000970"}
	for d := range days {
		var b model.Batch
		b.At = at(d, 15, 0, 0)
		for i, s := range syms {
			for m := range 240 {
				b.Quotes = append(b.Quotes, quote(s, at(d, 9, 30, 0).Add(time.Duration(m)*time.Minute), 40+float64(i+m%7)))
			}
			b.Bars = append(b.Bars, dailyBar(s, model.Day(at(d, 0, 0, 0)), 40+float64(i)))
			b.Margin = append(b.Margin, marginDay(s, model.Day(at(d, 0, 0, 0)), 21e8+float64(d)))
		}
		for i, e := range model.Elements {
			b.Elements = append(b.Elements, model.ElementPrice{Element: e.ID, Date: model.Day(at(d, 0, 0, 0)),
				Price: 500000 + float64(i*1000+d), Low: nan, High: nan, Source: "test", OrigUnit: "元/吨"})
		}
		b.Boards = append(b.Boards, boardMove("BK0578", at(d, 15, 0, 0), 1000+float64(d)))
		if err := db.Append(b); err != nil {
			t.Fatal(err)
		}
	}
}

// livePages returns the ids of the pages reachable from the current meta
// page, by type.
func livePages(t testing.TB, path string) (branches, leaves []uint64, pageSize int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	w, err := newWalker(f, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	w.walk()
	for id := uint64(0); id < w.hwm; id++ {
		if !w.isSeen(id) {
			continue
		}
		var h [pageHeaderSize]byte
		if _, err := f.ReadAt(h[:], int64(id)*int64(w.pageSize)); err != nil {
			t.Fatal(err)
		}
		if binary.LittleEndian.Uint64(h[:]) != id {
			continue // an overflow page
		}
		switch binary.LittleEndian.Uint16(h[8:]) {
		case flagBranch:
			branches = append(branches, id)
		case flagLeaf:
			leaves = append(leaves, id)
		}
	}
	sort.Slice(branches, func(i, j int) bool { return branches[i] < branches[j] })
	sort.Slice(leaves, func(i, j int) bool { return leaves[i] < leaves[j] })
	return branches, leaves, w.pageSize
}

// garble overwrites 64 bytes at off with a fixed garbage pattern.
func garble(t testing.TB, path string, off int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := make([]byte, 64)
	for i := range junk {
		junk[i] = byte(0xa7 ^ i*37)
	}
	if _, err := f.WriteAt(junk, off); err != nil {
		t.Fatal(err)
	}
}

// damagedCases builds a populated file per case and damages it: the middle
// leaf page, a branch page, the middle of a leaf's elements and the
// current meta page.
func damagedCases(t *testing.T) map[string]string {
	t.Helper()
	cases, _ := damagedCasesFrom(t)
	return cases
}

// damagedCasesFrom is damagedCases, with the sound file they were made from.
func damagedCasesFrom(t *testing.T) (map[string]string, string) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "src.db")
	populate(t, src, 6)
	branches, leaves, ps := livePages(t, src)
	if len(branches) == 0 || len(leaves) < 10 {
		t.Fatalf("fixture too small: %d branch, %d leaf pages", len(branches), len(leaves))
	}
	orig, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]int64{
		"middle leaf":   int64(leaves[len(leaves)/2]) * int64(ps),
		"branch":        int64(branches[len(branches)/2])*int64(ps) + 8,
		"leaf elements": int64(leaves[len(leaves)/3])*int64(ps) + 40,
	}
	out := map[string]string{}
	for name, off := range cases {
		p := filepath.Join(t.TempDir(), "rareterm.db")
		if err := os.WriteFile(p, orig, 0o600); err != nil {
			t.Fatal(err)
		}
		garble(t, p, off)
		out[name] = p
	}
	return out, src
}

func wantDamaged(t *testing.T, what string, err error, path string) {
	t.Helper()
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "page") {
		t.Errorf("%s: %v, want a damaged-database error naming %s and the page", what, err, path)
	}
}

func TestDamagedFileIsRefusedWithoutPanic(t *testing.T) {
	for name, path := range damagedCases(t) {
		t.Run(name, func(t *testing.T) {
			before, _ := os.ReadFile(path)
			for _, opt := range []Options{{ReadOnly: true, AnyMode: true}, {}} {
				db, err := Open(path, opt)
				if err == nil {
					db.Close()
				}
				wantDamaged(t, fmt.Sprintf("open (read-only %v)", opt.ReadOnly), err, path)
			}
			_, _, err := CompactFile(path, time.Second)
			wantDamaged(t, "compact", err, path)
			after, _ := os.ReadFile(path)
			if string(before) != string(after) {
				t.Error("the damaged file was modified")
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*compact*")); len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}

			db, msg, err := OpenOrMoveAside(path, Options{Timeout: time.Second})
			if err != nil {
				t.Fatalf("OpenOrMoveAside: %v", err)
			}
			defer db.Close()
			aside, _ := filepath.Glob(path + DamagedSuffix + "*")
			if len(aside) != 1 || !strings.Contains(msg.Error(), aside[0]) || !strings.Contains(msg.Error(), "database damaged") {
				t.Fatalf("moved aside to %v, message %v", aside, msg)
			}
			if moved, _ := os.ReadFile(aside[0]); string(moved) != string(before) {
				t.Error("the file moved aside is not the damaged file as it was")
			}
			if err := db.Check(); err != nil {
				t.Errorf("the new database: %v", err)
			}
		})
	}
}

// A meta page torn by garbage: bbolt falls back to the other meta page; the
// file opens at that state or is reported damaged, never a panic.
func TestDamagedMetaPage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	populate(t, path, 3)
	f, _ := os.Open(path)
	fi, _ := f.Stat()
	w, err := newWalker(f, fi.Size())
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// The current meta page is the one with the higher transaction id.
	var cur int64
	for _, id := range []int64{0, 1} {
		b := make([]byte, 64)
		f, _ := os.Open(path)
		f.ReadAt(b, id*int64(w.pageSize)+pageHeaderSize)
		f.Close()
		if binary.LittleEndian.Uint64(b[16:]) == w.root {
			cur = id
		}
	}
	garble(t, path, cur*int64(w.pageSize)+24)
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		wantDamaged(t, "open", err, path)
		return
	}
	t.Logf("opened at the previous meta page")
	defer db.Close()
	if _, err := db.Snapshot(time.Time{}, []string{"600111"}, 10); err != nil && !errors.Is(err, ErrDamaged) {
		t.Errorf("snapshot: %v", err)
	}
	if err := db.Export("quotes", "", time.Time{}, time.Time{}, io.Discard, "csv"); err != nil && !errors.Is(err, ErrDamaged) {
		t.Errorf("export: %v", err)
	}
}

// A read that meets a damaged page (the file damaged after the open)
// returns the error instead of panicking.
func TestReadsRecoverFromDamageAfterOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	populate(t, path, 6)
	branches, leaves, ps := livePages(t, path)
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, id := range append(branches, leaves...) {
		garble(t, path, int64(id)*int64(ps))
	}
	if _, err := db.Stats(); !errors.Is(err, ErrDamaged) {
		t.Errorf("stats: %v", err)
	}
	if err := db.Export("quotes", "", time.Time{}, time.Time{}, io.Discard, "json"); !errors.Is(err, ErrDamaged) {
		t.Errorf("export: %v", err)
	}
	if _, err := db.Snapshot(time.Time{}, []string{"600111"}, 10); !errors.Is(err, ErrDamaged) {
		t.Errorf("snapshot: %v", err)
	}
	if _, err := db.Quotes("600111", time.Time{}, time.Time{}); !errors.Is(err, ErrDamaged) {
		t.Errorf("quotes: %v", err)
	}
	if err := db.Check(); !errors.Is(err, ErrDamaged) {
		t.Errorf("check: %v", err)
	}
}

// contents maps every key of a sound file, by bucket path, to its value.
func contents(t *testing.T, path string) map[string]map[string]string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]map[string]string{}
	var walk func(name string, b *bolt.Bucket)
	walk = func(name string, b *bolt.Bucket) {
		if out[name] == nil {
			out[name] = map[string]string{}
		}
		b.ForEach(func(k, v []byte) error {
			if v == nil {
				walk(name+"/"+string(k), b.Bucket(k))
			} else {
				out[name][string(k)] = string(v)
			}
			return nil
		})
	}
	db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error { walk(string(name), b); return nil })
	})
	return out
}

func TestSalvageCopiesWhatCanBeRead(t *testing.T) {
	cases, src := damagedCasesFrom(t)
	want := contents(t, src)
	total := 0
	for _, kv := range want {
		total += len(kv)
	}
	for name, path := range cases {
		t.Run(name, func(t *testing.T) {
			before, _ := os.ReadFile(path)
			out := filepath.Join(t.TempDir(), "salvaged.db")
			rep, err := Salvage(path, out, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Error("salvage modified the damaged file")
			}
			if !rep.Lost() || len(rep.Damage) == 0 || rep.Keys() == 0 || rep.Keys() >= total {
				t.Fatalf("report: %d of %d keys, lost %v, damage %v", rep.Keys(), total, rep.Lost(), rep.Damage)
			}
			damagedTop := map[string]bool{}
			for _, b := range rep.Buckets {
				if b.BadPages > 0 || b.BadValues > 0 {
					damagedTop[b.Name] = true
				}
			}
			got := contents(t, out)
			for bpath, kv := range want {
				top, _, _ := strings.Cut(bpath, "/")
				if damagedTop[top] {
					continue
				}
				for k, v := range kv {
					if got[bpath][k] != v {
						t.Fatalf("%s: key %x not salvaged although its bucket is undamaged", bpath, k)
					}
				}
			}
			// The copy opens as a rareterm database and reads.
			db := openAt(t, out, Options{})
			if _, err := db.Snapshot(time.Time{}, []string{"600111"}, 10); err != nil {
				t.Error(err)
			}
			if db.Mode() != ModeLive {
				t.Errorf("mode %q", db.Mode())
			}
			t.Logf("%+v", rep.Buckets)
		})
	}
	// An existing output is never overwritten.
	for _, path := range cases {
		if _, err := Salvage(path, path, time.Second); err == nil || !strings.Contains(err.Error(), "exists") {
			t.Errorf("salvage over an existing file: %v", err)
		}
		break
	}
}

// Both meta pages torn (their magic intact): refused as damaged, moved
// aside by a writer.
func TestBothMetaPagesDamaged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	populate(t, path, 2)
	garble(t, path, pageHeaderSize+16)
	garble(t, path, 4096+pageHeaderSize+16)
	for _, opt := range []Options{{ReadOnly: true}, {}} {
		db, err := Open(path, opt)
		if err == nil {
			db.Close()
		}
		wantDamaged(t, "open", err, path)
	}
	if _, _, err := CompactFile(path, time.Second); !errors.Is(err, ErrDamaged) {
		t.Errorf("compact: %v", err)
	}
	if _, err := Salvage(path, path+".out", time.Second); err == nil {
		t.Error("salvage of a file with no meta page succeeded")
	}
	if _, err := os.Stat(path + ".out"); err == nil {
		t.Error("salvage left its output behind")
	}
	db, msg, err := OpenOrMoveAside(path, Options{})
	if err != nil || !strings.Contains(msg.Error(), "moved it aside") {
		t.Fatalf("%v %v", err, msg)
	}
	db.Close()
}

// A leaf whose keys stay in order on the page but run past the key its
// parent gives the next page: bbolt's free-page scan at a read-write open
// panics on it. The walk finds it first; and were bbolt to panic at open,
// its file is closed, so the file can still be locked and moved aside.
func TestKeyOutsideParentRange(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src.db")
	populate(t, src, 6)
	_, leaves, ps := livePages(t, src)
	orig, _ := os.ReadFile(src)
	path := filepath.Join(t.TempDir(), "rareterm.db")
	found := false
	for _, id := range leaves {
		data := slices.Clone(orig)
		p := data[int(id)*ps:]
		n := int(binary.LittleEndian.Uint16(p[10:]))
		if n < 2 {
			continue
		}
		e := pageHeaderSize + (n-1)*elemSize
		if binary.LittleEndian.Uint32(p[e:]) != 0 || binary.LittleEndian.Uint32(p[e+8:]) != 8 {
			continue // not a time-keyed value
		}
		k := e + int(binary.LittleEndian.Uint32(p[e+4:]))
		copy(p[k:k+8], []byte{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
		os.WriteFile(path, data, 0o600)
		err := verifyFile(path, time.Second, 0, false)
		if err == nil {
			continue // the last leaf of its series: no key above it
		}
		if !strings.Contains(err.Error(), "outside the range its parent page gives") {
			t.Fatalf("leaf %d: %v", id, err)
		}
		found = true
		break
	}
	if !found {
		t.Fatal("no leaf to damage")
	}
	_, err := Open(path, Options{})
	wantDamaged(t, "open", err, path)

	// bbolt itself, past the walk: it panics inside Open; the error says
	// damaged and the lock is released.
	_, err = boltOpen(path, &bolt.Options{Timeout: time.Second, FreelistType: bolt.FreelistMapType, NoFreelistSync: true})
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("bolt open: %v", err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	if err := lockFile(f, 500*time.Millisecond); err != nil {
		t.Errorf("the file is still locked after bbolt's panic: %v", err)
	}
	unlockFile(f)
	db, msg, err := OpenOrMoveAside(path, Options{})
	if err != nil || !strings.Contains(msg.Error(), "moved it aside") {
		t.Fatalf("%v %v", err, msg)
	}
	db.Close()
}
