package store

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Garbage at offsets spread over the whole file: every entry point
// returns (an error or a result), none panics or faults.
func TestDamageAnywhere(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src.db")
	populate(t, src, 2)
	orig, _ := os.ReadFile(src)
	dir := t.TempDir()
	counts := map[string]int{}
	step := len(orig)/24 + 1
	if step%4096 == 0 {
		step++ // land on headers and on element tables alike
	}
	for off := 0; off+64 < len(orig); off += step {
		p := filepath.Join(dir, "x.db")
		os.Remove(p)
		os.Remove(p + ".out")
		os.WriteFile(p, orig, 0o600)
		garble(t, p, int64(off))
		for _, ro := range []bool{true, false} {
			db, err := Open(p, Options{ReadOnly: ro, AnyMode: true})
			if err != nil {
				counts["open err"]++
				continue
			}
			counts["open ok"]++
			for _, s := range []string{"quotes", "elements"} {
				if err := db.Export(s, "", time.Time{}, time.Time{}, io.Discard, "json"); err != nil {
					counts["export err"]++
				}
			}
			if _, err := db.Stats(); err != nil {
				counts["stats err"]++
			}
			if _, err := db.Snapshot(time.Time{}, []string{"600111", "000831"}, 30); err != nil {
				counts["snap err"]++
			}
			if err := db.Check(); err != nil {
				counts["check err"]++
			}
			db.Close()
		}
		if _, _, err := CompactFile(p, time.Second); err != nil {
			counts["compact err"]++
		}
		os.WriteFile(p, orig, 0o600)
		garble(t, p, int64(off))
		if _, err := Salvage(p, p+".out", time.Second); err != nil {
			counts["salvage err"]++
		}
	}
	t.Log(counts)
	if counts["open err"] == 0 {
		t.Error("no damage found anywhere")
	}
}
