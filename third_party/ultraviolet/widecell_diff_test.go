package uv

import (
	"bytes"
	"strings"
	"testing"
)

// wideFrame draws text, one string per row, into a fresh w×h buffer the way a
// program redraws its view every frame: clear, then draw.
func wideFrame(buf ScreenBuffer, rows []string) {
	buf.Clear()
	NewStyledString(strings.Join(rows, "\n")).Draw(buf, buf.Bounds())
}

// TestWideLineDiff checks that a frame which changes one cell of a screen
// full of wide characters writes that cell, not whole rows: an unchanged row
// holding wide cells writes nothing, and a changed one writes only the
// characters that changed.
func TestWideLineDiff(t *testing.T) {
	const w, h = 40, 6
	rows := []string{
		"北方稀土 600111 +2.31% 包钢股份 600010",
		"中国稀土 000831 -0.87% 盛和资源 600392",
		"厦门钨业 600549 +0.12% 广晟有色 600259",
		"五矿稀土 金力永磁 300748 -1.05% 宁波韵升",
		"正海磁材 300224 +3.40% 北方稀土 600111",
		"包钢股份 600010 中国稀土        15:04:05",
	}

	var out bytes.Buffer
	r := NewTerminalRenderer(&out, []string{"TERM=xterm-256color"})
	r.SetFullscreen(true)
	r.SetRelativeCursor(false)
	r.Resize(w, h)
	r.Erase()
	buf := NewScreenBuffer(w, h)
	render := func() string {
		out.Reset()
		r.Render(buf.RenderBuffer)
		if err := r.Flush(); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}

	wideFrame(buf, rows)
	render()

	wideFrame(buf, rows)
	if got := render(); got != "" {
		t.Errorf("unchanged frame wrote %q", got)
	}

	rows[5] = strings.Replace(rows[5], "15:04:05", "15:04:06", 1)
	wideFrame(buf, rows)
	if got := render(); len(got) > 32 || !strings.Contains(got, "6") {
		t.Errorf("clock digit wrote %d bytes %q", len(got), got)
	}

	rows[2] = strings.Replace(rows[2], "钨", "钼", 1)
	wideFrame(buf, rows)
	if got := render(); len(got) > 32 || !strings.Contains(got, "钼") || strings.Contains(got, "厦") {
		t.Errorf("one wide character wrote %d bytes %q", len(got), got)
	}

	// A narrow character over the first half of a wide one: the write starts
	// at the head, so no move lands on a continuation column.
	rows[0] = strings.Replace(rows[0], "稀土", "xy土", 1)
	wideFrame(buf, rows)
	got := render()
	if !strings.Contains(got, "xy") || strings.Contains(got, "北") {
		t.Errorf("wide to narrow wrote %q", got)
	}
	if !strings.Contains(got, "\x1b[1;5H") {
		t.Errorf("wide to narrow did not start at the wide character's head: %q", got)
	}
}
