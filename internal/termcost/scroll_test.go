package termcost

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	uv "github.com/charmbracelet/ultraviolet"
)

// scrollRegion is DECSTBM, which the renderer sets for a hardware scroll.
var scrollRegion = regexp.MustCompile(`\x1b\[\d+;\d+r`)

// The renderer's scroll optimisation compares the lines of a frame with the
// screen's by their hashes, keeps the hashes of the lines a frame did not
// change from the frames before, and scrolls the terminal where the lines
// moved. Whatever it decides, each frame must land on the screen exactly: a
// list that scrolls by a few rows at a time, with rows edited, inserted and
// removed between and a clock that turns, replayed on a terminal model.
func TestScrollingFramesShowTheFrame(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			w, h := size.w, size.h
			rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
			var out bytes.Buffer
			r := uv.NewTerminalRenderer(&out, []string{"TERM=xterm-256color"})
			r.SetFullscreen(true)
			r.SetScrollOptim(true)
			r.Resize(w, h)
			buf := uv.NewScreenBuffer(w, h)
			scr := NewScreen(w, h)

			// A list of items longer than the screen, shown from top
			// between a header row and a status row.
			items := make([]string, 200)
			for i := range items {
				items[i] = fmt.Sprintf("%03d %s %s", i, words[i%len(words)], strings.Repeat("·", i%37))
			}
			top, scrolled := 0, 0
			for f := range 300 {
				switch rng.IntN(4) {
				case 0: // scroll down or up a few rows
					top = max(0, min(len(items)-(h-2), top+rng.IntN(11)-5))
				case 1: // one item changes
					i := rng.IntN(len(items))
					items[i] = fmt.Sprintf("%03d %s edited %d", i, words[rng.IntN(len(words))], f)
				case 2: // an item is inserted or removed above the view's end
					i := rng.IntN(top + h)
					if rng.IntN(2) == 0 {
						items = append(items[:i], append([]string{fmt.Sprintf("new %d 中国稀土", f)}, items[i:]...)...)
					} else {
						items = append(items[:i], items[i+1:]...)
					}
					top = min(top, len(items)-(h-2))
				}
				rows := make([]string, h)
				rows[0] = fit(fmt.Sprintf("稀土 watchlist  rows %d–%d of %d", top+1, top+h-2, len(items)), w)
				for y := 1; y < h-1; y++ {
					rows[y] = fit(items[top+y-1], w)
				}
				rows[h-1] = fit(fmt.Sprintf("frame %d  15:04:%02d", f, f%60), w)
				for y, row := range rows {
					uv.NewStyledString(row).Draw(buf, uv.Rect(0, y, w, 1))
				}
				before := out.Len()
				r.Render(buf.RenderBuffer)
				if err := r.Flush(); err != nil {
					t.Fatal(err)
				}
				if scrollRegion.Match(out.Bytes()[before:]) {
					scrolled++
				}
				_, _ = scr.Write(out.Bytes()[before:])
				if err := scr.Err(); err != nil {
					t.Fatalf("frame %d: %v", f, err)
				}
				sameRows(t, scr, rows, fmt.Sprintf("frame %d", f))
				if t.Failed() {
					return
				}
			}
			// The test means something only if the renderer scrolled.
			if scrolled < 20 {
				t.Errorf("%d of 300 frames drawn with a hardware scroll, want at least 20", scrolled)
			}
			t.Logf("%d of 300 frames scrolled", scrolled)
		})
	}
}
