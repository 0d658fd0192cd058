package widgets

import "strings"

// Line is one rendered row: styled for normal display, plain for the
// selection highlight (which restyles the whole row).
type Line struct {
	Styled, Plain string
	Key           string // what enter opens (a symbol code), if anything
	Dim           bool
}

// Col is one table column.
type Col struct {
	W     int
	Right bool
	Prio  int  // lower survives longer when the panel is narrow
	Flex  bool // takes the width left over
}

// PickCols chooses the columns that fit avail cells (one space between),
// dropping the highest prio first, and widens the flexible column into what
// is left. It returns the width of each column, 0 for a hidden one.
func PickCols(cols []Col, avail int) []int {
	show := fitCols(cols, avail)
	ws := make([]int, len(cols))
	used, n := 0, 0
	for i, c := range cols {
		if show[i] {
			ws[i] = c.W
			used += c.W
			n++
		}
	}
	used += max(n-1, 0)
	for i, c := range cols {
		if show[i] && c.Flex && avail > used {
			ws[i] += avail - used
			break
		}
	}
	return ws
}

func fitCols(cols []Col, avail int) []bool {
	show := make([]bool, len(cols))
	for i := range show {
		show[i] = true
	}
	total := func() int {
		t := 0
		n := 0
		for i, c := range cols {
			if show[i] {
				t += c.W
				n++
			}
		}
		return t + max(n-1, 0)
	}
	for total() > avail {
		worst, wp := -1, -1
		for i, c := range cols {
			if show[i] && c.Prio > wp {
				worst, wp = i, c.Prio
			}
		}
		if wp <= 0 {
			break
		}
		show[worst] = false
	}
	return show
}

// Row lays cells out in the chosen column widths.
func Row(cols []Col, show []int, cells []string) string {
	var b strings.Builder
	first := true
	for i, c := range cols {
		if show[i] == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		if c.Right {
			b.WriteString(FitRight(cells[i], show[i]))
		} else {
			b.WriteString(Fit(cells[i], show[i]))
		}
	}
	return b.String()
}

// TableLine renders styled and plain rows together.
func TableLine(cols []Col, show []int, styled, plain []string) Line {
	return Line{Styled: Row(cols, show, styled), Plain: Row(cols, show, plain)}
}

// KeyedRow clamps i to the rows and moves it to the nearest row with a key,
// looking in direction dir first.
func KeyedRow(rows []Line, i, dir int) int {
	i = max(0, min(i, len(rows)-1))
	for _, d := range []int{dir, -dir} {
		for j := i; j >= 0 && j < len(rows); j += d {
			if rows[j].Key != "" {
				return j
			}
		}
	}
	return i
}

// ScrollOff is the first visible row of a list of n rows shown in room
// rows so that row sel is visible.
func ScrollOff(sel, room int) int {
	if room < 1 {
		room = 1
	}
	if sel >= room {
		return sel - room + 1
	}
	return 0
}

// NewCol is a column w cells wide; right aligns it right; prio says how
// soon it is dropped on a narrow panel (0 never); flex takes the width
// left over.
func NewCol(w int, right bool, prio int, flex bool) Col {
	return Col{W: w, Right: right, Prio: prio, Flex: flex}
}
