package termcost

import "testing"

// Faint follows SGR 2 through resets, SGR 22 and extended colours whose
// components are 2.
func TestScreenFaint(t *testing.T) {
	scr := NewScreen(12, 1)
	_, _ = scr.Write([]byte("\x1b[2mab\x1b[22mc\x1b[2;38;2;2;2;2md\x1b[me\x1b[38;5;2mf\x1b[1;2m稀\x1b[0mg"))
	if err := scr.Err(); err != nil {
		t.Fatal(err)
	}
	if got, want := scr.Lines()[0], "abcdef稀g   "; got != want {
		t.Fatalf("row %q, want %q", got, want)
	}
	if got, want := scr.Faint(0), "ab d  稀    "; got != want {
		t.Errorf("faint %q, want %q", got, want)
	}
}
