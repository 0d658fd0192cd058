package tea

import (
	"bytes"
	"strings"
	"testing"

	uv "github.com/charmbracelet/ultraviolet"
)

// framed renders each frame in turn into a fresh renderer, and returns
// the cells of the last one as text with styles, and the number of lines
// the last flush parsed and drew.
func framed(t *testing.T, frames ...string) (cells string, r *cursedRenderer) {
	t.Helper()
	var out bytes.Buffer
	r = newCursedRenderer(&out, []string{"TERM=xterm-256color"}, 30, 4)
	r.start()
	for _, f := range frames {
		v := NewView(f)
		v.AltScreen = true
		r.render(v)
		if _, err := r.flush(false); err != nil {
			t.Fatal(err)
		}
	}
	var sb strings.Builder
	for y := 0; y < r.cellbuf.Height(); y++ {
		for x := 0; x < r.cellbuf.Width(); x++ {
			if c := r.cellbuf.CellAt(x, y); c != nil {
				sb.WriteString(c.Style.String() + c.Content)
			}
		}
		sb.WriteByte('\n')
	}
	return sb.String(), r
}

// A frame that changes some lines of the last gives the cells a frame drawn
// whole gives, and touches only the lines that changed; a frame whose style
// runs over a line end is drawn whole.
func TestFrameDrawsOnlyTheLinesThatChanged(t *testing.T) {
	a := "\x1b[1mhead\x1b[m\n中文 line\x1b[m\nplain\nlast \x1b[31mred\x1b[m"
	b := "\x1b[1mhead\x1b[m\n中文 line\x1b[m\nplain 2\nlast \x1b[32mgreen\x1b[m"
	got, r := framed(t, a, b)
	want, _ := framed(t, b)
	if got != want {
		t.Fatalf("drawn by line:\n%q\nwhole:\n%q", got, want)
	}
	// Draw a again over a mark left in every line: the flush draws lines 2
	// and 3 only, so the marks in lines 0 and 1 stay.
	for y := 0; y < 4; y++ {
		r.cellbuf.SetCell(29, y, &uv.Cell{Content: "X", Width: 1})
	}
	v := NewView(a)
	v.AltScreen = true
	r.render(v)
	if _, err := r.flush(false); err != nil {
		t.Fatal(err)
	}
	for y, kept := range []bool{true, true, false, false} {
		c := r.cellbuf.CellAt(29, y)
		if got := c != nil && c.Content == "X"; got != kept {
			t.Errorf("line %d: mark kept %v, want %v (kept: the line was not drawn again)", y, got, kept)
		}
	}

	// A style left open at a line end colours the next line: such a frame
	// is drawn whole, and still gives the cells a frame drawn whole gives.
	c := "\x1b[1mhead\x1b[m\n\x1b[31mopen\nplain 3\nlast"
	got, _ = framed(t, a, c)
	want, _ = framed(t, c)
	if got != want {
		t.Fatalf("a style over a line end:\n%q\nwhole:\n%q", got, want)
	}
}
