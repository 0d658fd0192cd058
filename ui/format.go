package ui

import (
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/model"
)

// width is the display width of s in cells (CJK counts two). Plain ASCII,
// most of what is drawn, is counted without grapheme segmentation.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c == 0x1b || c < 0x20 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// fit truncates s to w cells (with an ellipsis) and pads it with spaces to
// exactly w cells. ANSI styling inside s is preserved.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := width(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = width(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// fitRight is fit with the text aligned right.
func fitRight(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := width(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return strings.Repeat(" ", w-sw) + s
}

// clip cuts every line of s to w cells and s to h lines, padding neither.
func clip(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if width(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	return strings.Join(lines, "\n")
}

// box pads or cuts s to exactly w×h cells.
func box(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = fit(lines[i], w)
		} else {
			out[i] = strings.Repeat(" ", w)
		}
	}
	return strings.Join(out, "\n")
}

const dash = "—"

// thousands formats v with a thousands separator and d decimals.
func thousands(v float64, d int) string {
	if !model.Known(v) {
		return dash
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', d, 64)
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	if v < 0 && s != strconv.FormatFloat(0, 'f', d, 64) {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	b.WriteString(frac)
	return b.String()
}

// price formats a security price with the decimals its level needs.
func price(v float64) string {
	switch {
	case !model.Known(v):
		return dash
	case math.Abs(v) < 10:
		return strconv.FormatFloat(v, 'f', 3, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// pct formats a percentage with a sign.
func pct(v float64) string {
	if !model.Known(v) {
		return dash
	}
	if math.Abs(v) < 0.005 {
		return "0.00%"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + "%"
}

// signedPct formats with an explicit + for rises.
func signedPct(v float64, d int) string {
	if !model.Known(v) {
		return dash
	}
	s := strconv.FormatFloat(v, 'f', d, 64)
	if v > 0 && s != strconv.FormatFloat(0, 'f', d, 64) {
		s = "+" + s
	}
	if strings.TrimLeft(s, "-+0.") == "" {
		s = strconv.FormatFloat(0, 'f', d, 64)
	}
	return s + "%"
}

// yi formats yuan as 亿 (1e8) with two decimals, or 万 (1e4) below 1 亿.
func yi(v float64) string {
	if !model.Known(v) {
		return dash
	}
	a := math.Abs(v)
	switch {
	case a >= 1e8:
		return strconv.FormatFloat(v/1e8, 'f', 2, 64) + "亿"
	case a >= 1e4:
		return strconv.FormatFloat(v/1e4, 'f', 0, 64) + "万"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// yiPlain is v in 亿 with two decimals and no unit (for columns headed 亿元).
func yiPlain(v float64) string {
	if !model.Known(v) {
		return dash
	}
	return strconv.FormatFloat(v/1e8, 'f', 2, 64)
}

// signedYi is yi with an explicit + for inflows.
func signedYi(v float64) string {
	s := yi(v)
	if model.Known(v) && v > 0 {
		return "+" + s
	}
	return s
}

// volume formats a share count in 万 or 亿 shares.
func volume(v float64) string {
	if !model.Known(v) {
		return dash
	}
	switch {
	case v >= 1e8:
		return strconv.FormatFloat(v/1e8, 'f', 2, 64) + "亿股"
	case v >= 1e4:
		return strconv.FormatFloat(v/1e4, 'f', 1, 64) + "万股"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + "股"
}
