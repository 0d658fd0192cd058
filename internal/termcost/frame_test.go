package termcost

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// screenModel shows a fixed text, replaced whole by a setScreen message.
type screenModel struct{ text string }

type setScreen string

func (m screenModel) Init() tea.Cmd { return nil }

func (m screenModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if s, ok := msg.(setScreen); ok {
		m.text = string(s)
	}
	return m, nil
}

func (m screenModel) View() tea.View {
	v := tea.NewView(m.text)
	v.AltScreen = true
	return v
}

// words fill the screen: stock names in Chinese, codes and changes in ASCII,
// as a watchlist shows them.
var words = []string{
	"北方稀土", "600111", "+2.31%", "包钢股份", "600010", "中国稀土", "000831", "-0.87%",
	"盛和资源", "600392", "厦门钨业", "600549", "+0.12%", "广晟有色", "600259", "五矿稀土",
	"金力永磁", "300748", "-1.05%", "宁波韵升", "600366", "正海磁材", "300224", "+3.40%",
}

const clockWidth = 8 // "15:04:05"

// fullScreen returns w×h rows of CJK and ASCII words, each row filled to the
// last column (a space where a wide word would not fit), the last row ending
// in clock.
func fullScreen(w, h int, clock string) []string {
	rows := make([]string, h)
	k := 0
	for y := range rows {
		room := w
		if y == h-1 {
			room = w - clockWidth - 1
		}
		var b strings.Builder
		used := 0
		for {
			word := words[k%len(words)]
			ww := ansi.StringWidth(word)
			if used > 0 {
				ww++
			}
			if used+ww > room {
				break
			}
			if used > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(word)
			used += ww
			k++
		}
		b.WriteString(strings.Repeat(" ", room-used))
		if y == h-1 {
			b.WriteString(" " + clock)
		}
		rows[y] = b.String()
	}
	return rows
}

// run starts a real program showing rows on a w×h terminal whose output is a
// Counter, and waits for its first frame to settle.
func run(t *testing.T, w, h int, rows []string) (*tea.Program, *Counter) {
	t.Helper()
	out := &Counter{}
	p := tea.NewProgram(screenModel{text: strings.Join(rows, "\n")},
		tea.WithInput(nil),
		tea.WithOutput(out),
		tea.WithWindowSize(w, h),
		tea.WithColorProfile(colorprofile.ANSI256),
		tea.WithEnvironment([]string{"TERM=xterm-256color"}),
		tea.WithoutSignals(),
		tea.WithoutSignalHandler(),
	)
	done := make(chan error, 1)
	go func() {
		_, err := p.Run()
		done <- err
	}()
	t.Cleanup(func() {
		p.Quit()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("program: %v", err)
			}
		case <-time.After(10 * time.Second):
			p.Kill()
			t.Errorf("program did not stop")
		}
	})
	// The first frame is on screen, and what the program writes around it
	// at start (modes, queries) is done: on a loaded machine those may
	// come after the frame, and would be counted against the next one.
	if !shown(out, w, h, rows, time.Now().Add(15*time.Second)) {
		t.Fatalf("first frame never came")
	}
	if _, ok := out.Settle(0, 300*time.Millisecond, time.Now().Add(15*time.Second)); !ok {
		t.Fatalf("first frame never settled")
	}
	return p, out
}

// shown waits until the bytes written so far, replayed on a w×h screen,
// show rows; false at deadline.
func shown(out *Counter, w, h int, rows []string, deadline time.Time) bool {
	for {
		scr := NewScreen(w, h)
		scr.MapNewline = true
		_, _ = scr.Write(out.Bytes(0))
		if got := scr.Lines(); scr.Err() == nil && len(got) >= len(rows) && equalRows(got[:len(rows)], rows) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func equalRows(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// frame sends rows to the program and returns the bytes written for the
// frame that shows them.
func frame(t *testing.T, p *tea.Program, out *Counter, rows []string) []byte {
	t.Helper()
	before := out.Len()
	p.Send(setScreen(strings.Join(rows, "\n")))
	// The frame is whole once the screen shows it; a quiet spell after
	// that catches any bytes the same frame still writes.
	if !shown(out, ansi.StringWidth(rows[0]), len(rows), rows, time.Now().Add(15*time.Second)) {
		t.Fatalf("the change never reached the screen")
	}
	if _, ok := out.Settle(before, 50*time.Millisecond, time.Now().Add(15*time.Second)); !ok {
		t.Fatalf("no frame written for the change")
	}
	return out.Bytes(before)
}

// checkScreen replays everything written so far on a fresh w×h screen and
// compares it with rows.
func checkScreen(t *testing.T, out *Counter, w, h int, rows []string, step string) {
	t.Helper()
	scr := NewScreen(w, h)
	// The program's input is not a terminal, so it leaves the tty's output
	// processing alone and counts on a line feed returning the carriage.
	scr.MapNewline = true
	_, _ = scr.Write(out.Bytes(0))
	if err := scr.Err(); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	sameRows(t, scr, rows, step)
}

// sameRows fails the test for each row of scr that does not show rows.
func sameRows(t *testing.T, scr *Screen, rows []string, step string) {
	t.Helper()
	got := scr.Lines()
	for y := range rows {
		if got[y] != rows[y] {
			t.Errorf("%s: row %d on screen\n got %q\nwant %q", step, y, got[y], rows[y])
		}
	}
}

// A change of one cell on a screen full of Chinese text writes that cell,
// not the rows around it.
func TestOneCellChangeWritesOneCell(t *testing.T) {
	const bound = 64
	for _, size := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			rows := fullScreen(size.w, size.h, "15:04:05")
			p, out := run(t, size.w, size.h, rows)
			checkScreen(t, out, size.w, size.h, rows, "first frame")

			// The clock's last digit, at the end of a row of Chinese names.
			rows = fullScreen(size.w, size.h, "15:04:06")
			b := frame(t, p, out, rows)
			t.Logf("clock digit: %d bytes %q", len(b), b)
			if len(b) >= bound {
				t.Errorf("one clock digit cost %d bytes, want < %d", len(b), bound)
			}
			checkScreen(t, out, size.w, size.h, rows, "clock digit")

			// One Chinese character in the middle of the screen.
			y := size.h / 2
			rows[y] = strings.Replace(rows[y], "稀", "永", 1)
			b = frame(t, p, out, rows)
			t.Logf("one wide character: %d bytes %q", len(b), b)
			if len(b) >= bound {
				t.Errorf("one wide character cost %d bytes, want < %d", len(b), bound)
			}
			checkScreen(t, out, size.w, size.h, rows, "one wide character")
		})
	}
}

// Changes that trade wide characters for narrow ones, or shift the wide
// characters after them by a column, leave the screen showing exactly the
// new frame.
func TestWideCharacterChangesShowTheFrame(t *testing.T) {
	const w, h = 80, 24
	rows := fullScreen(w, h, "15:04:05")
	p, out := run(t, w, h, rows)

	steps := []struct {
		name string
		edit func(rows []string)
	}{
		{"wide to narrow", func(r []string) { r[3] = strings.Replace(r[3], "稀", "xy", 1) }},
		{"narrow to wide", func(r []string) { r[3] = strings.Replace(r[3], "xy", "稀", 1) }},
		{"shift by one column", func(r []string) {
			// A longer change moves every wide character after it one
			// column right.
			y := rowWith(r, "-0.87%")
			r[y] = fit(strings.Replace(r[y], "-0.87%", "-10.87%", 1), w)
		}},
		{"shift back", func(r []string) { copy(r, fullScreen(w, h, "15:04:05")) }},
		{"wide over the seam", func(r []string) {
			// Every wide character's head lands where a continuation
			// column was.
			r[7] = fit(" "+r[7], w)
		}},
		{"row cleared", func(r []string) { r[9] = strings.Repeat(" ", w) }},
		{"row refilled", func(r []string) { copy(r, fullScreen(w, h, "15:04:07")) }},
	}
	for _, st := range steps {
		st.edit(rows)
		for y, r := range rows {
			if got := ansi.StringWidth(r); got != w {
				t.Fatalf("%s: row %d is %d columns wide, want %d", st.name, y, got, w)
			}
		}
		b := frame(t, p, out, rows)
		t.Logf("%s: %d bytes %q", st.name, len(b), b)
		checkScreen(t, out, w, h, rows, st.name)
	}
}

// fit cuts or pads s to exactly w columns.
func fit(s string, w int) string {
	s = ansi.Truncate(s, w, "")
	return s + strings.Repeat(" ", w-ansi.StringWidth(s))
}

// rowWith returns the first row holding sub.
func rowWith(rows []string, sub string) int {
	for y, r := range rows {
		if strings.Contains(r, sub) {
			return y
		}
	}
	panic("no row holds " + sub)
}
