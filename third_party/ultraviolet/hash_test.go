package uv

import (
	"hash/maphash"
	"strings"
	"testing"
)

func lineOf(cells ...string) Line {
	l := make(Line, len(cells))
	for i, c := range cells {
		l[i] = Cell{Content: c, Width: 1}
	}
	return l
}

// The scroll optimisation compares lines by their hashes: equal contents
// hash alike whatever their styles, contents split differently into cells
// do not, and no line hashes to 0 (an empty slot of the hash table).
func TestLineHash(t *testing.T) {
	var h maphash.Hash
	a := lineOf("a", "b", "稀", "c")
	b := lineOf("a", "b", "稀", "c")
	b[1].Style.Fg = nil
	b[1].Style.Attrs = 1
	if hash(&h, a) != hash(&h, b) {
		t.Error("equal contents, different hashes")
	}
	for _, other := range []Line{lineOf("ab", "", "稀", "c"), lineOf("a", "b", "c", "稀"), lineOf("a", "b", "稀"), lineOf()} {
		if hash(&h, a) == hash(&h, other) {
			t.Errorf("%q and %q hash alike", a, other)
		}
	}
	for _, l := range []Line{lineOf(), lineOf(" "), lineOf(strings.Repeat("x", 300))} {
		if hash(&h, l) == 0 {
			t.Errorf("hash(%q) = 0", l)
		}
	}
}

// BenchmarkLineHash: one 160-column line, as each touched line of a frame
// is hashed twice.
func BenchmarkLineHash(b *testing.B) {
	var h maphash.Hash
	cells := make([]string, 160)
	for i := range cells {
		cells[i] = string(rune('a' + i%26))
	}
	l := lineOf(cells...)
	b.ReportAllocs()
	for b.Loop() {
		_ = hash(&h, l)
	}
}
