package model

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain ASCII unchanged", "600111", "600111"},
		{"empty", "", ""},
		{"CJK intact", "北方稀土", "北方稀土"},
		{"CJK with code", "北方稀土(600111)", "北方稀土(600111)"},
		{"CSI colour", "\x1b[31mred\x1b[0m", "red"},
		{"CSI with parameters", "\x1b[1;38;5;196mbold\x1b[m", "bold"},
		{"CSI cursor and clear", "a\x1b[2J\x1b[Hb", "ab"},
		{"CSI around CJK", "\x1b[1m北方稀土\x1b[0m (600111)", "北方稀土 (600111)"},
		{"OSC with BEL", "\x1b]0;title\x07x", "x"},
		{"OSC with ST", "\x1b]0;title\x1b\\x", "x"},
		{"OSC with C1 ST", "\x1b]0;title\u009cx", "x"},
		{"OSC 8 hyperlink", "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07", "click"},
		{"unterminated OSC eats the rest", "ok\x1b]0;title", "ok"},
		{"DCS", "\x1bPq#0;2;0;0;0\x1b\\ok", "ok"},
		{"APC", "\x1b_payload\x1b\\ok", "ok"},
		{"charset escape", "a\x1b(Bb", "ab"},
		{"two-byte escape", "a\x1bcb", "ab"},
		{"lone ESC at end", "abc\x1b", "abc"},
		{"C1 CSI", "a\u009b31mb", "ab"},
		{"C1 OSC", "a\u009d0;title\u0007b", "ab"},
		{"C1 controls", "a\u0081b\u0099c", "abc"},
		{"NUL", "a\x00b", "ab"},
		{"BEL and backspace", "a\x07\x08b", "ab"},
		{"DEL", "a\x7fb", "ab"},
		{"bidi override", "abc\u202edef\u202c", "abcdef"},
		{"bidi isolates", "\u2066x\u2069\u2067y\u2068", "xy"},
		{"LRM/RLM", "a\u200eb\u200fc", "abc"},
		{"zero-width space and BOM", "\ufeffa\u200bb", "ab"},
		{"zero-width joiners", "北\u200d方\u200c稀\u200d土", "北方稀土"},
		{"word joiner and invisible operators", "a\u2060b\u2061c\u2062d\u2063e\u2064f", "abcdef"},
		{"all bidi controls", "\u202aa\u202bb\u202cc\u202dd\u202ee\u2066f\u2067g\u2068h\u2069", "abcdefgh"},
		{"soft hyphen and tag characters", "a\u00adb\U000e0041c\U000e007f", "abc"},
		{"Arabic letter mark", "a\u061cb", "ab"},
		{"invalid UTF-8", "a\xffb\xc3", "ab"},
		{"truncated CJK", "北\xe6\x96", "北"},
		{"overlong encoding", "a\xc0\xafb", "ab"},
		{"surrogate half", "a\xed\xa0\x80b", "ab"},
		{"whitespace folded", "  a \t\n b  ", "a b"},
		{"CRLF", "line1\r\nline2", "line1 line2"},
		{"ideographic space", "北方稀土\u3000600111", "北方稀土 600111"},
		{"NBSP", "a\u00a0\u00a0b", "a b"},
		{"space around removed escape", "a \x1b[0m b", "a b"},
		{"only controls", "\x00\x1b[0m\x7f\t", ""},
		{"leading space only", " x", "x"},
		{"double space only", "a  b", "a b"},
		{"trailing space only", "x ", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in); got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// checkSanitized fails unless out is what Sanitize promises: nothing a
// terminal would interpret, valid UTF-8, trimmed and folded, and a fixed point.
func checkSanitized(t *testing.T, in, out string) {
	t.Helper()
	for i := 0; i < len(out); i++ {
		if c := out[i]; c < 0x20 || c == 0x7f {
			t.Fatalf("Sanitize(%q) = %q: control byte %#x at %d", in, out, c, i)
		}
	}
	if !utf8.ValidString(out) {
		t.Fatalf("Sanitize(%q) = %q: invalid UTF-8", in, out)
	}
	for _, r := range out {
		if (r >= 0x80 && r <= 0x9f) || isInvisible(r) {
			t.Fatalf("Sanitize(%q) = %q: holds %U", in, out, r)
		}
	}
	if strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") {
		t.Fatalf("Sanitize(%q) = %q: whitespace not trimmed and folded", in, out)
	}
	if again := Sanitize(out); again != out {
		t.Fatalf("not idempotent: Sanitize(%q) = %q, Sanitize of that = %q", in, out, again)
	}
}

func TestSanitizeInvariants(t *testing.T) {
	for _, in := range sanitizeSeeds {
		checkSanitized(t, in, Sanitize(in))
	}
}

// TestPlainTextIsNotCopied: text a feed repeats on every poll (names and
// units, Chinese among them) is checked and returned as it came, with no
// allocation; text Sanitize would change is not taken for plain.
func TestPlainTextIsNotCopied(t *testing.T) {
	for _, s := range []string{"", "demo", "元/吨", "北方稀土", "Northern Rare Earth", "中国 稀土", "氧化镨钕 (PrNd)", "\ufffd"} {
		if !isPlain(s) {
			t.Errorf("isPlain(%q) = false", s)
		}
		if n := testing.AllocsPerRun(100, func() { _ = Sanitize(s) }); n != 0 {
			t.Errorf("Sanitize(%q): %v allocations", s, n)
		}
	}
	for _, s := range sanitizeSeeds {
		if isPlain(s) != (Sanitize(s) == s) && s != "" {
			t.Errorf("isPlain(%q) = %v, but Sanitize gives %q", s, isPlain(s), Sanitize(s))
		}
	}
	for _, s := range []string{" 稀土", "稀土 ", "稀  土", "稀\u3000土", "稀\u200b土", "稀\u0085土", "\xe7\xa8", "稀\u00a0土"} {
		if isPlain(s) {
			t.Errorf("isPlain(%q) = true; Sanitize gives %q", s, Sanitize(s))
		}
	}
}

var sanitizeSeeds = []string{
	"",
	"600111",
	"北方稀土",
	"\x1b[31mred\x1b[0m",
	"\x1b]0;title\x07x",
	"\x1b]0;title\x1b\\x",
	"a\u009b31mb",
	"a\u0085b",
	"\x1b\x1b[",
	"\x1b\xe5\x8c\x97",
	"\x1b(\xe5\x8c\x97",
	"\x1b[\xe5\x8c\x97m",
	"a\x00b\x7fc",
	"abc\u202edef",
	"a\xffb\xc3",
	"  a \t\n b  ",
	"\u3000\u00a0x\u2028y\u2029",
	"\u009d\u009c\u009b",
}

func FuzzSanitize(f *testing.F) {
	for _, s := range sanitizeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Sanitize(in)
		if strings.IndexByte(out, 0x1b) >= 0 {
			t.Fatalf("Sanitize(%q) = %q: holds ESC", in, out)
		}
		checkSanitized(t, in, out)
		if isPlain(in) && out != in {
			t.Fatalf("isPlain(%q), but Sanitize changed it to %q", in, out)
		}
		if !isPlain(in) && out == in && slowSanitize(in) != in {
			t.Fatalf("Sanitize(%q) took the plain path wrongly", in)
		}
	})
}

// slowSanitize is Sanitize without its plain-text shortcut.
func slowSanitize(s string) string { return Sanitize("\x00" + s) }

func TestSanitizeLoneEscapeKeepsCJK(t *testing.T) {
	if got := Sanitize("\x1b北方稀土"); got != "北方稀土" {
		t.Errorf("got %q, want 北方稀土", got)
	}
}

func TestSanitizeLines(t *testing.T) {
	for in, want := range map[string]string{
		"line one,\nline two":               "line one,\nline two",
		"a\r\nb\rc":                         "a\nb\nc",
		"\x1b]52;c;ZXZpbA==\x07x\n\x1b[2Jy": "x\ny",
		"\n\n a \n":                         "a",
		"plain":                             "plain",
		"t\u200bab\tbed":                    "tab bed",
	} {
		if got := SanitizeLines(in); got != want {
			t.Errorf("SanitizeLines(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHasControl(t *testing.T) {
	for s, want := range map[string]bool{
		"682500": false, "北方稀土": false, "1,234.5": false, "": false,
		"68\x1b[31m": true, "\x00": true, "5\u200b": true, "\u009b": true, "\x7f": true, "\xff": true, "1\t2": true,
	} {
		if got := HasControl(s); got != want {
			t.Errorf("HasControl(%q) = %v", s, got)
		}
	}
}
