package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sanitize makes a string from a feed, a file or the user safe to store and
// draw: it removes ANSI/VT escape sequences (CSI, OSC, DCS and the rest),
// C0 and C1 control characters, DEL, bidirectional overrides and invalid
// UTF-8, folds runs of whitespace to one space and trims the ends. The
// result never contains a byte a terminal would interpret.
func Sanitize(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && w <= 1:
			i++
			continue
		case r == 0x1b: // ESC: skip the whole sequence
			i += escapeLen(s[i:])
			continue
		case r == 0x9b || r == 0x9d || r == 0x90 || r == 0x9e || r == 0x9f: // C1 CSI/OSC/DCS/PM/APC
			i += w + sequenceBody(s[i+w:], r)
			continue
		}
		i += w
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if unicode.IsControl(r) || isInvisible(r) {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isPlain reports whether Sanitize would give s back unchanged: valid UTF-8
// with no control, escape or invisible character, no whitespace but single
// spaces between words. Text that passes (every name and unit a feed
// repeats, Chinese included) is returned as it is, without a copy.
func isPlain(s string) bool {
	space := true // a space here would be leading or doubled
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f || (c == ' ' && space) {
				return false
			}
			space = c == ' '
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && w <= 1) || unicode.IsSpace(r) || unicode.IsControl(r) || isInvisible(r) {
			return false
		}
		space = false
		i += w
	}
	return !space || len(s) == 0
}

// isInvisible reports the invisible format characters (Unicode category
// Cf): zero-width space, joiners and non-joiners (U+200B–U+200D), the
// direction marks and overrides (U+200E–U+200F, U+202A–U+202E, U+2066–U+2069),
// the word joiner and invisible operators (U+2060–U+2064), the byte order
// mark (U+FEFF), the soft hyphen, tag characters and the rest of the
// category. They draw nothing, or reorder or hide what follows.
func isInvisible(r rune) bool {
	return r >= 0xad && unicode.Is(unicode.Cf, r)
}

// SanitizeLines is Sanitize for text that may span lines (a note): each
// line is sanitised on its own and the line breaks kept, as "\n" (CR LF
// and CR become LF); blank lines at either end are dropped.
func SanitizeLines(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return Sanitize(s)
	}
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"), "\n")
	for i, l := range lines {
		lines[i] = Sanitize(l)
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// HasControl reports whether s holds a byte or character a terminal would
// interpret or that draws nothing: C0 and C1 controls (ESC, NUL, ...), DEL,
// invisible format characters (Cf), or invalid UTF-8.
func HasControl(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unicode.IsControl(r) || isInvisible(r) {
			return true
		}
	}
	return false
}

// escapeLen returns the length of the escape sequence starting at s[0]==ESC.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	if s[1] >= 0x80 {
		return 1 // a lone ESC before a multi-byte character: drop the ESC only
	}
	switch s[1] {
	case '[': // CSI: parameters and intermediates, then a final byte 0x40–0x7e
		for j := 2; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j + 1
			}
		}
		return len(s)
	case ']', 'P', '^', '_', 'X': // OSC, DCS, PM, APC, SOS: up to BEL or ST
		return 2 + stringTerminated(s[2:])
	}
	// Two- or three-byte escapes (ESC c, ESC ( B, ...).
	if s[1] >= 0x20 && s[1] <= 0x2f && len(s) > 2 {
		return 3
	}
	return 2
}

func sequenceBody(s string, intro rune) int {
	if intro == 0x9b {
		for j := 0; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j + 1
			}
		}
		return len(s)
	}
	return stringTerminated(s)
}

// stringTerminated returns the length up to and including BEL, ESC \ or the
// C1 ST (U+009C).
func stringTerminated(s string) int {
	for j := 0; j < len(s); j++ {
		switch {
		case s[j] == 0x07:
			return j + 1
		case s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\':
			return j + 2
		case s[j] == 0xc2 && j+1 < len(s) && s[j+1] == 0x9c:
			return j + 2
		}
	}
	return len(s)
}
