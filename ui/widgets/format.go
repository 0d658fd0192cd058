package widgets

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// Width is the display width of s in cells (CJK counts two). Printable
// ASCII, with or without the styling (SGR and other CSI sequences, of no
// width) around it, is most of what is drawn: every coloured number. It is
// counted without the grapheme segmentation that anything else needs.
func Width(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f:
			n++
		case c == 0x1b && i+1 < len(s) && s[i+1] == '[':
			// A CSI sequence: parameter bytes, intermediate bytes, then a
			// final byte. Anything else is left to the full count.
			j := i + 2
			for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
				j++
			}
			for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
				j++
			}
			if j == len(s) || s[j] < 0x40 || s[j] > 0x7e {
				return ansi.StringWidth(s)
			}
			i = j
		default:
			return ansi.StringWidth(s)
		}
	}
	return n
}

// Fit truncates s to w cells (with an ellipsis) and pads it with spaces to
// exactly w cells. ANSI styling inside s is preserved.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := Width(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = Width(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// Cut truncates s to at most w cells (with an ellipsis), without padding.
func Cut(s string, w int) string {
	if Width(s) <= w {
		return s
	}
	return ansi.Truncate(s, max(w, 0), "…")
}

// FitRight is Fit with the text aligned right.
func FitRight(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := Width(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return strings.Repeat(" ", w-sw) + s
}

// Clip cuts every line of s to w cells and s to h lines, padding neither.
func Clip(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if Width(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	return strings.Join(lines, "\n")
}

// Box pads or cuts s to exactly w×h cells.
func Box(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = Fit(lines[i], w)
		} else {
			out[i] = strings.Repeat(" ", w)
		}
	}
	return strings.Join(out, "\n")
}

// Dash stands for a value that is not known.
const Dash = "—"

// Thousands formats v with a thousands separator and d decimals.
func Thousands(v float64, d int) string {
	if !model.Known(v) {
		return Dash
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

// Price formats a security price with the decimals its level needs.
func Price(v float64) string {
	switch {
	case !model.Known(v):
		return Dash
	case math.Abs(v) < 10:
		return strconv.FormatFloat(v, 'f', 3, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// Pct formats a percentage with a sign.
func Pct(v float64) string {
	if !model.Known(v) {
		return Dash
	}
	if math.Abs(v) < 0.005 {
		return "0.00%"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + "%"
}

// SignedPct formats with an explicit + for rises.
func SignedPct(v float64, d int) string {
	if !model.Known(v) {
		return Dash
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

// Yi formats yuan as 亿 (1e8) with two decimals, or 万 (1e4) below 1 亿.
func Yi(v float64) string {
	if !model.Known(v) {
		return Dash
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

// YiPlain is v in 亿 with two decimals and no unit (for columns headed 亿元).
func YiPlain(v float64) string {
	if !model.Known(v) {
		return Dash
	}
	return strconv.FormatFloat(v/1e8, 'f', 2, 64)
}

// SignedYi is Yi with an explicit + for inflows.
func SignedYi(v float64) string {
	s := Yi(v)
	if model.Known(v) && v > 0 {
		return "+" + s
	}
	return s
}

// Volume formats a share count in 万 or 亿 shares.
func Volume(v float64) string {
	if !model.Known(v) {
		return Dash
	}
	switch {
	case v >= 1e8:
		return strconv.FormatFloat(v/1e8, 'f', 2, 64) + "亿股"
	case v >= 1e4:
		return strconv.FormatFloat(v/1e4, 'f', 1, 64) + "万股"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + "股"
}

// SignedNum is Price with an explicit + for rises.
func SignedNum(v float64) string {
	if !model.Known(v) {
		return Dash
	}
	s := Price(v)
	if v > 0 {
		s = "+" + s
	}
	return s
}

// Age formats a duration compactly in l: 2s, 5m, 3h, 2d (2秒, 5分, 3小时, 2天).
func Age(l i18n.Lang, d time.Duration) string {
	switch {
	case d < 0:
		return i18n.AgeSeconds.F(l, 0)
	case d < time.Minute:
		return i18n.AgeSeconds.F(l, int(d.Seconds()))
	case d < time.Hour:
		return i18n.AgeMinutes.F(l, int(d.Minutes()))
	case d < 48*time.Hour:
		return i18n.AgeHours.F(l, int(d.Hours()))
	}
	return i18n.AgeDays.F(l, int(d.Hours()/24))
}

// Latency formats a request's latency in l: 120ms, 1.234s (120毫秒, 1.234秒).
func Latency(l i18n.Lang, d time.Duration) string {
	d = d.Round(time.Millisecond)
	if d < time.Second {
		return i18n.LatencyMs.F(l, d.Milliseconds())
	}
	return i18n.LatencySec.F(l, strconv.FormatFloat(d.Seconds(), 'f', -1, 64))
}

// DayWeek is a date with its weekday in China time, as the header shows
// it: 2025-10-10 Fri, or 2025-10-10 周五.
func DayWeek(l i18n.Lang, t time.Time) string {
	t = t.In(model.CST)
	return t.Format("2006-01-02") + " " + i18n.Weekdays[t.Weekday()].In(l)
}

// CSVNum formats a number for a CSV file: every digit, empty when unknown.
func CSVNum(v float64) string {
	if !model.Known(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// CSVDay formats a date for a CSV file, in China time.
func CSVDay(t time.Time) string { return t.In(model.CST).Format("2006-01-02") }

// BigNum writes a large figure compactly: 1.52亿, 220万, 8,000.
func BigNum(v float64) string {
	if !model.Known(v) {
		return Dash
	}
	a := math.Abs(v)
	switch {
	case a >= 1e8:
		return strconv.FormatFloat(v/1e8, 'f', 2, 64) + "亿"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e4, 'f', 0, 64) + "万"
	case a >= 1e4:
		return strconv.FormatFloat(v/1e4, 'f', 1, 64) + "万"
	}
	return Thousands(v, 0)
}
