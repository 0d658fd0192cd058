package termcost

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// cell is one column of the screen. A wide character is a head cell of width
// 2 followed by a continuation cell of width 0.
type cell struct {
	s     string
	w     int
	faint bool // printed with SGR 2 (faint, "dim") in effect
}

var blank = cell{s: " ", w: 1}

// Screen is a small model of an xterm-like terminal, enough to replay what a
// full-screen renderer writes and read back what is shown: printing with wide
// characters and pending wrap, cursor moves, erases (which, as on DEC
// terminals, erase a wide character whole when they split it), insert and
// delete of characters and lines, repeat, scroll regions and autowrap. Styles
// are accepted and ignored but for faint (SGR 2, see Faint), which marks
// stale values: Screen models text, not colour. A control sequence it does
// not know is an error (see Err), so a test notices when the renderer starts
// speaking a sequence the model would silently get wrong.
type Screen struct {
	// MapNewline makes a line feed also return the carriage, as a tty
	// whose output is not raw does (ONLCR).
	MapNewline bool

	w, h     int
	rows     [][]cell
	x, y     int
	pending  bool // the last column was printed and the next print wraps
	autowrap bool
	faint    bool // the pen: SGR 2 in effect
	top, bot int  // scroll region, inclusive
	last     string
	savedX   int
	savedY   int
	rest     []byte // an incomplete sequence left by the previous Write
	err      error
}

// NewScreen returns a blank w×h screen with the cursor at the top left.
func NewScreen(w, h int) *Screen {
	s := &Screen{w: w, h: h, autowrap: true, bot: h - 1}
	s.rows = make([][]cell, h)
	for y := range s.rows {
		s.rows[y] = blankRow(w)
	}
	return s
}

func blankRow(w int) []cell {
	r := make([]cell, w)
	for i := range r {
		r[i] = blank
	}
	return r
}

// Err is the first sequence Screen could not interpret, if any.
func (s *Screen) Err() error { return s.err }

// sgr follows the faint attribute through a Select Graphic Rendition: 2
// sets it, 22 and a reset clear it. The arguments of an extended colour
// (38, 48, 58 with 5;n or 2;r;g;b) are skipped, so a colour component of 2
// is not taken for faint.
func (s *Screen) sgr(params string) {
	if params == "" {
		s.faint = false
		return
	}
	f := strings.Split(params, ";")
	for i := 0; i < len(f); i++ {
		if strings.Contains(f[i], ":") { // a colon form carries its own arguments
			continue
		}
		v, _ := strconv.Atoi(f[i])
		switch v {
		case 0:
			s.faint = false
		case 2:
			s.faint = true
		case 22:
			s.faint = false
		case 38, 48, 58:
			if i+1 < len(f) && f[i+1] == "5" {
				i += 2
			} else if i+1 < len(f) && f[i+1] == "2" {
				i += 4
			}
		}
	}
}

// Faint returns the text of row y drawn faint, with a space for every other
// column: what the row shows dimmed.
func (s *Screen) Faint(y int) string {
	var b strings.Builder
	for _, c := range s.rows[y] {
		switch {
		case c.w == 0:
		case c.faint:
			b.WriteString(c.s)
		default:
			b.WriteString(strings.Repeat(" ", c.w))
		}
	}
	return b.String()
}

// Lines returns the text of each row, one string per row, every column
// included (a row of a w-column screen is w columns wide).
func (s *Screen) Lines() []string {
	out := make([]string, s.h)
	for y, r := range s.rows {
		var b strings.Builder
		for _, c := range r {
			if c.w > 0 {
				b.WriteString(c.s)
			}
		}
		out[y] = b.String()
	}
	return out
}

func (s *Screen) fail(format string, args ...any) {
	if s.err == nil {
		s.err = fmt.Errorf(format, args...)
	}
}

// Write interprets p. It never fails; see Err.
func (s *Screen) Write(p []byte) (int, error) {
	n := len(p)
	if len(s.rest) > 0 {
		p = append(s.rest, p...)
		s.rest = nil
	}
	for len(p) > 0 {
		used := s.step(p)
		if used == 0 { // incomplete: wait for more
			s.rest = append([]byte(nil), p...)
			break
		}
		p = p[used:]
	}
	return n, nil
}

// step interprets one unit at the start of p and returns its length, or 0 if
// p holds only the beginning of one.
func (s *Screen) step(p []byte) int {
	switch b := p[0]; {
	case b == 0x1b:
		return s.escape(p)
	case b < 0x20 || b == 0x7f:
		s.control(b)
		return 1
	default:
		if !utf8.FullRune(p) {
			return 0
		}
		r, size := utf8.DecodeRune(p)
		s.print(string(r))
		return size
	}
}

func (s *Screen) control(b byte) {
	switch b {
	case '\r':
		s.x, s.pending = 0, false
	case '\n', '\v', '\f':
		if s.MapNewline && b == '\n' {
			s.x = 0
		}
		s.lineFeed()
	case '\b':
		s.pending = false
		if s.x > 0 {
			s.x--
		}
	case '\t':
		s.pending = false
		s.x = min((s.x/8+1)*8, s.w-1)
	}
}

func (s *Screen) lineFeed() {
	s.pending = false
	if s.y == s.bot {
		s.scrollUp(1)
		return
	}
	if s.y < s.h-1 {
		s.y++
	}
}

func (s *Screen) print(g string) {
	w := ansi.StringWidth(g)
	if w == 0 {
		// A combining mark joins the cell before the cursor.
		px := s.x - 1
		if s.pending {
			px = s.x
		}
		for px > 0 && s.rows[s.y][px].w == 0 {
			px--
		}
		if px >= 0 {
			s.rows[s.y][px].s += g
		}
		return
	}
	if s.pending && s.autowrap {
		s.x = 0
		s.lineFeed()
	}
	s.pending = false
	if s.x+w > s.w {
		if s.autowrap {
			s.x = 0
			s.lineFeed()
		} else {
			s.x = s.w - w
		}
	}
	s.erase(s.y, s.x, s.x+w)
	s.rows[s.y][s.x] = cell{s: g, w: w, faint: s.faint}
	for i := 1; i < w; i++ {
		s.rows[s.y][s.x+i] = cell{w: 0, faint: s.faint}
	}
	s.last = g
	s.x += w
	if s.x >= s.w {
		s.x = s.w - 1
		s.pending = s.autowrap
	}
}

// erase blanks columns [from, to) of row y, widened to whole characters: an
// erase that splits a wide character erases all of it.
func (s *Screen) erase(y, from, to int) {
	from, to = max(from, 0), min(to, s.w)
	if from >= to {
		return
	}
	r := s.rows[y]
	for from > 0 && r[from].w == 0 {
		from--
	}
	for to < s.w && r[to].w == 0 {
		to++
	}
	for i := from; i < to; i++ {
		r[i] = blank
	}
}

// repair blanks the halves of wide characters that a shift of row y tore
// apart.
func (s *Screen) repair(y int) {
	r := s.rows[y]
	for i := 0; i < s.w; i++ {
		if r[i].w == 0 && (i == 0 || (r[i-1].w != 2 && r[i-1].w != 0)) {
			r[i] = blank
		}
		if r[i].w == 2 && (i+1 >= s.w || r[i+1].w != 0) {
			r[i] = blank
		}
	}
}

func (s *Screen) scrollUp(n int) {
	for ; n > 0; n-- {
		copy(s.rows[s.top:s.bot+1], s.rows[s.top+1:s.bot+1])
		s.rows[s.bot] = blankRow(s.w)
	}
}

func (s *Screen) scrollDown(n int) {
	for ; n > 0; n-- {
		copy(s.rows[s.top+1:s.bot+1], s.rows[s.top:s.bot])
		s.rows[s.top] = blankRow(s.w)
	}
}

// escape interprets the escape sequence at the start of p.
func (s *Screen) escape(p []byte) int {
	if len(p) < 2 {
		return 0
	}
	switch p[1] {
	case '[':
		return s.csi(p)
	case ']', 'P', '_', '^', 'X':
		// OSC, DCS, APC, PM, SOS: skipped up to BEL (OSC) or ST.
		for i := 2; i < len(p); i++ {
			if p[1] == ']' && p[i] == 0x07 {
				return i + 1
			}
			if p[i] == 0x1b && i+1 < len(p) && p[i+1] == '\\' {
				return i + 2
			}
		}
		return 0
	case '(', ')', '*', '+', '#', ' ':
		if len(p) < 3 {
			return 0
		}
		return 3
	case '7':
		s.savedX, s.savedY = s.x, s.y
	case '8':
		s.x, s.y, s.pending = s.savedX, s.savedY, false
	case '=', '>', '\\':
	case 'D':
		s.lineFeed()
	case 'E':
		s.x = 0
		s.lineFeed()
	case 'M':
		s.pending = false
		if s.y == s.top {
			s.scrollDown(1)
		} else if s.y > 0 {
			s.y--
		}
	default:
		s.fail("unknown escape ESC %q", p[1])
	}
	return 2
}

func (s *Screen) csi(p []byte) int {
	i := 2
	var private byte
	if i < len(p) && p[i] >= '<' && p[i] <= '?' {
		private = p[i]
		i++
	}
	start := i
	for i < len(p) && (p[i] >= '0' && p[i] <= '9' || p[i] == ';' || p[i] == ':') {
		i++
	}
	params := string(p[start:i])
	var inter byte
	for i < len(p) && p[i] >= 0x20 && p[i] <= 0x2f {
		inter = p[i]
		i++
	}
	if i >= len(p) {
		return 0
	}
	final := p[i]
	n := i + 1

	var args []int
	for _, f := range strings.Split(params, ";") {
		if j := strings.IndexByte(f, ':'); j >= 0 {
			f = f[:j]
		}
		v, _ := strconv.Atoi(f)
		args = append(args, v)
	}
	arg := func(k, def int) int {
		if k < len(args) && args[k] > 0 {
			return args[k]
		}
		return def
	}

	if private != 0 || inter != 0 {
		if private == '?' && inter == 0 && (final == 'h' || final == 'l') {
			for _, a := range args {
				if a == 7 {
					s.autowrap = final == 'h'
				}
			}
			return n
		}
		switch final {
		case 'h', 'l', 'u', 'p', 'q', 'n', 'c', 'm', 't', 's':
			// Modes, queries, keyboard and cursor-style settings: no text.
			return n
		}
		s.fail("unknown control sequence CSI %q", p[2:n])
		return n
	}

	switch final {
	case 'H', 'f':
		s.moveTo(arg(1, 1)-1, arg(0, 1)-1)
	case 'A':
		s.moveTo(s.x, max(s.y-arg(0, 1), 0))
	case 'B':
		s.moveTo(s.x, s.y+arg(0, 1))
	case 'C':
		s.moveTo(s.x+arg(0, 1), s.y)
	case 'D':
		s.moveTo(s.x-arg(0, 1), s.y)
	case 'E':
		s.moveTo(0, s.y+arg(0, 1))
	case 'F':
		s.moveTo(0, s.y-arg(0, 1))
	case 'G', '`':
		s.moveTo(arg(0, 1)-1, s.y)
	case 'd':
		s.moveTo(s.x, arg(0, 1)-1)
	case 'K':
		switch arg(0, 0) {
		case 0:
			s.erase(s.y, s.x, s.w)
		case 1:
			s.erase(s.y, 0, s.x+1)
		case 2:
			s.erase(s.y, 0, s.w)
		}
		s.pending = false
	case 'J':
		switch arg(0, 0) {
		case 0:
			s.erase(s.y, s.x, s.w)
			for y := s.y + 1; y < s.h; y++ {
				s.rows[y] = blankRow(s.w)
			}
		case 1:
			s.erase(s.y, 0, s.x+1)
			for y := 0; y < s.y; y++ {
				s.rows[y] = blankRow(s.w)
			}
		case 2:
			for y := range s.rows {
				s.rows[y] = blankRow(s.w)
			}
		}
		s.pending = false
	case 'X':
		s.erase(s.y, s.x, s.x+arg(0, 1))
		s.pending = false
	case 'b':
		if s.last != "" {
			for k := arg(0, 1); k > 0; k-- {
				s.print(s.last)
			}
		}
	case '@':
		k := min(arg(0, 1), s.w-s.x)
		s.erase(s.y, s.x, s.x+1)
		r := s.rows[s.y]
		copy(r[s.x+k:], r[s.x:s.w-k])
		for j := s.x; j < s.x+k; j++ {
			r[j] = blank
		}
		s.repair(s.y)
		s.pending = false
	case 'P':
		k := min(arg(0, 1), s.w-s.x)
		s.erase(s.y, s.x, s.x+k)
		r := s.rows[s.y]
		copy(r[s.x:], r[s.x+k:])
		for j := s.w - k; j < s.w; j++ {
			r[j] = blank
		}
		s.repair(s.y)
		s.pending = false
	case 'L', 'M':
		if s.y < s.top || s.y > s.bot {
			break
		}
		top := s.top
		s.top = s.y
		if final == 'L' {
			s.scrollDown(arg(0, 1))
		} else {
			s.scrollUp(arg(0, 1))
		}
		s.top = top
		s.x, s.pending = 0, false
	case 'S':
		s.scrollUp(arg(0, 1))
	case 'T':
		s.scrollDown(arg(0, 1))
	case 'r':
		s.top, s.bot = arg(0, 1)-1, arg(1, s.h)-1
		if s.top < 0 || s.bot >= s.h || s.top >= s.bot {
			s.top, s.bot = 0, s.h-1
		}
		s.moveTo(0, 0)
	case 'm':
		s.sgr(params)
	case 'n', 'c', 't', 's', 'h', 'l', 'q':
		// Reports and ANSI modes: no text.
	default:
		s.fail("unknown control sequence CSI %q", p[2:n])
	}
	return n
}

func (s *Screen) moveTo(x, y int) {
	s.x = min(max(x, 0), s.w-1)
	s.y = min(max(y, 0), s.h-1)
	s.pending = false
}
