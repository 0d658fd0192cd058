package uv

import (
	"fmt"
	"hash/maphash"
	"io"
	"slices"
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

// A frame rehashes the lines it changed and no others: the touch list keeps
// a record for every line once a frame was drawn, and an untouched line's
// record (FirstCell and LastCell -1) is not a change. The untouched lines'
// hashes stay those of the frame that last drew them, and still describe
// both the screen and the new frame.
func TestFrameRehashesOnlyTheLinesItChanged(t *testing.T) {
	const w, h = 160, 48
	var out strings.Builder
	r := NewTerminalRenderer(&out, []string{"TERM=xterm-256color"})
	r.SetFullscreen(true)
	r.SetScrollOptim(true)
	r.Resize(w, h)
	scr := NewScreenBuffer(w, h)
	for y := range h {
		NewStyledString(fmt.Sprintf("row %02d 北方稀土 %s", y, strings.Repeat("x", y))).Draw(scr, Rect(0, y, w, 1))
	}
	r.Render(scr.RenderBuffer)
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	var h0 maphash.Hash
	was := slices.Clone(r.newhash)
	for y := range h {
		if was[y] != hash(&h0, scr.Line(y)) {
			t.Fatalf("row %d: the first frame's hash is not its line's", y)
		}
	}

	// Row 7 is changed behind the touch list's back, which a frame only
	// notices if it rehashes a line it was not told about.
	row7 := scr.Line(7)
	saved := row7[0].Content
	row7[0].Content = "Z"
	NewStyledString("row 03 changed").Draw(scr, Rect(0, 3, w, 1))
	r.Render(scr.RenderBuffer)
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	row7[0].Content = saved
	if got, want := r.newhash[3], hash(&h0, scr.Line(3)); got != want {
		t.Errorf("the changed row's hash was not worked out again")
	}
	for y := range h {
		if y != 3 && r.newhash[y] != was[y] {
			t.Errorf("row %d, not changed, was rehashed", y)
		}
		if r.oldhash[y] != was[y] {
			t.Errorf("row %d: the screen's hash is not the last frame's", y)
		}
	}

	// A frame drawn without the optimisation does not keep the hashes up
	// to date, so it drops them and the next optimised frame starts over.
	r.SetScrollOptim(false)
	NewStyledString("row 04 changed").Draw(scr, Rect(0, 4, w, 1))
	r.Render(scr.RenderBuffer)
	if r.oldhash != nil || r.newhash != nil {
		t.Errorf("hashes kept across a frame drawn without the scroll optimisation")
	}
}

// BenchmarkScrollOptimizeOneLine: the scroll optimisation's work for a frame
// of a 160×48 screen that changed one line.
func BenchmarkScrollOptimizeOneLine(b *testing.B) {
	const w, h = 160, 48
	r := NewTerminalRenderer(io.Discard, []string{"TERM=xterm-256color"})
	r.SetFullscreen(true)
	r.SetScrollOptim(true)
	r.Resize(w, h)
	scr := NewScreenBuffer(w, h)
	for y := range h {
		NewStyledString(fmt.Sprintf("row %02d 北方稀土 %s", y, strings.Repeat("x", 100))).Draw(scr, Rect(0, y, w, 1))
	}
	r.Render(scr.RenderBuffer)
	NewStyledString("row 03 changed").Draw(scr, Rect(0, 3, w, 1))
	b.ReportAllocs()
	for b.Loop() {
		r.scrollOptimize(scr.RenderBuffer)
	}
}
