package widgets

import (
	"strings"
)

// Canvas is a grid of cells for the charts: each cell a rune and an ink.
// It renders row by row, styling each run of cells that share an ink once.
type Canvas struct {
	W, H  int
	cells []rune
	inks  []uint8
	pal   []Ink // ink 0 is plain
}

// NewCanvas makes a blank w×h canvas whose inks are pal (index 0 plain).
func NewCanvas(w, h int, pal ...Ink) *Canvas {
	w, h = max(w, 0), max(h, 0)
	c := &Canvas{W: w, H: h, cells: make([]rune, w*h), inks: make([]uint8, w*h), pal: append([]Ink{{}}, pal...)}
	for i := range c.cells {
		c.cells[i] = ' '
	}
	return c
}

// Set puts r at (x, y) in ink k (an index into the palette, 0 plain);
// outside the canvas it does nothing.
func (c *Canvas) Set(x, y int, r rune, k uint8) {
	if x < 0 || y < 0 || x >= c.W || y >= c.H {
		return
	}
	c.cells[y*c.W+x] = r
	c.inks[y*c.W+x] = k
}

// Get returns the rune at (x, y), or 0 outside.
func (c *Canvas) Get(x, y int) rune {
	if x < 0 || y < 0 || x >= c.W || y >= c.H {
		return 0
	}
	return c.cells[y*c.W+x]
}

// Empty reports whether (x, y) holds a blank.
func (c *Canvas) Empty(x, y int) bool { return c.Get(x, y) == ' ' }

// Text writes s from (x, y) onwards in ink k (single-width runes only).
func (c *Canvas) Text(x, y int, s string, k uint8) {
	for _, r := range s {
		c.Set(x, y, r, k)
		x++
	}
}

// Lines renders the canvas, one string per row.
func (c *Canvas) Lines() []string {
	out := make([]string, c.H)
	var b strings.Builder
	for y := 0; y < c.H; y++ {
		b.Reset()
		b.Grow(c.W*8 + 64) // runes of up to 3 bytes and the inks around runs
		row := c.cells[y*c.W : (y+1)*c.W]
		ink := c.inks[y*c.W : (y+1)*c.W]
		for x := 0; x < c.W; {
			k := ink[x]
			e := x
			for e < c.W && ink[e] == k {
				e++
			}
			var pen Ink
			if int(k) < len(c.pal) {
				pen = c.pal[k]
			}
			b.WriteString(pen.pre)
			for _, r := range row[x:e] {
				if r < 0x80 {
					b.WriteByte(byte(r))
				} else {
					b.WriteRune(r)
				}
			}
			b.WriteString(pen.post)
			x = e
		}
		out[y] = b.String()
	}
	return out
}

// String renders the canvas as one string of rows.
func (c *Canvas) String() string { return strings.Join(c.Lines(), "\n") }

// Line draws a series as connected box-drawing strokes, one value a
// column (NaN leaves a gap), with rows from rowOf.
func (c *Canvas) Line(vals []float64, x0 int, rowOf func(float64) int, k uint8) {
	prev, has := 0, false
	for i, v := range vals {
		if v != v { // NaN
			has = false
			continue
		}
		x, r := x0+i, rowOf(v)
		switch {
		case !has || r == prev:
			c.Set(x, r, '─', k)
		case r < prev:
			c.Set(x, prev, '╯', k)
			for y := r + 1; y < prev; y++ {
				c.Set(x, y, '│', k)
			}
			c.Set(x, r, '╭', k)
		default:
			c.Set(x, prev, '╮', k)
			for y := prev + 1; y < r; y++ {
				c.Set(x, y, '│', k)
			}
			c.Set(x, r, '╰', k)
		}
		prev, has = r, true
	}
}

// bars are the eighth blocks, from empty to full.
var bars = []rune{' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'}

// Bar draws a vertical bar at column x from the bottom of the rows
// [top, top+h) up to frac (0..1) of their height, in eighths.
func (c *Canvas) Bar(x, top, h int, frac float64, k uint8) {
	if h <= 0 || !(frac > 0) {
		return
	}
	eighths := int(frac*float64(h*8) + 0.5)
	if eighths < 1 {
		eighths = 1 // a bar that is there shows
	}
	for y := top + h - 1; y >= top && eighths > 0; y-- {
		n := min(eighths, 8)
		c.Set(x, y, bars[n], k)
		eighths -= n
	}
}
