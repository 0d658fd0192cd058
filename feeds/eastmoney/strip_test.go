package eastmoney

import (
	"strings"
	"testing"
)

// A mixed-case <script> tag and invalid UTF-8 used to panic: the offset of
// the closing tag was found in a lower-cased copy (where each invalid byte
// became three) and used on the original body.
func TestStripTagsMixedCaseAndInvalidUTF8(t *testing.T) {
	for _, body := range []string{
		"<sCript\xa8\xa8\xa8\xa8\xa8\xa8</sCript",
		"<sCript\xa8\xa8\xa8\xa8\xa8\xa8</sCript>gone",
		"<STYLE>\xff\xff\xff\xff\xff\xff\xff\xff</StYlE",
		"<html><SCRIPT>var x='<b>';</Script><p>Service \xa8\xa8 unavailable</p></html>",
	} {
		_, err := ParseQuotes([]byte(body))
		if err == nil || !strings.Contains(err.Error(), "got HTML") {
			t.Errorf("%q: err %v, want a 'got HTML' error", body, err)
		}
	}
	got := string(stripTags([]byte("<html><SCRIPT>var x='<b>';</Script><p>Service unavailable</p></html>")))
	if strings.TrimSpace(got) != "Service unavailable" {
		t.Errorf("stripTags kept %q, want the page text only", got)
	}
}
