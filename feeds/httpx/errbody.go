package httpx

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"
)

// errorText turns the start of an error body into a readable message: the
// body is decoded to UTF-8 (by the Content-Type charset, else a <meta>
// charset; bytes said to be UTF-8, or of no charset, that are not valid
// UTF-8 are read as GB18030: Chinese servers send GBK error pages), HTML is reduced to its text (tags, scripts and styles
// dropped, common entities decoded), and the result is sanitised and cut to
// snippetMax bytes.
func errorText(b []byte, contentType string) string {
	cs := Charset(contentType)
	if cs == "" {
		if m := metaCharsetRe.FindSubmatch(b[:min(len(b), 1024)]); m != nil {
			cs = strings.ToLower(string(m[1]))
		}
	}
	if cs == "" || cs == "utf-8" || cs == "utf8" {
		// No charset, or one that claims UTF-8: bytes that are not UTF-8
		// are GBK (servers, and Go's own content sniffing, say UTF-8 of
		// pages that are not).
		cs = "gb18030"
		if validUTF8Prefix(b) {
			cs = "utf-8"
		}
	}
	text, err := DecodeCharset(b, cs, "auto")
	if err != nil {
		text = b
	}
	if looksHTML(text) {
		text = htmlText(text)
	}
	return snippet(text)
}

var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?([a-z0-9_-]+)`)

// validUTF8Prefix reports whether b is valid UTF-8 but for a rune cut off
// at its end (the body was read up to a limit).
func validUTF8Prefix(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	for cut := 1; cut < utf8.UTFMax && cut <= len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			return true
		}
	}
	return false
}

func looksHTML(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && t[0] == '<' || indexFoldASCII(string(b[:min(len(b), 512)]), "<html") >= 0
}

// htmlText keeps the text of an HTML fragment: tags become spaces, script
// and style bodies and comments are dropped. Offsets are taken in b itself.
func htmlText(b []byte) []byte {
	s := string(b)
	var out strings.Builder
	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			out.WriteString(s[i:])
			break
		}
		out.WriteString(s[i : i+lt])
		i += lt
		rest := s[i+1:]
		if strings.HasPrefix(rest, "!--") {
			end := strings.Index(rest, "-->")
			if end < 0 {
				break
			}
			i += 1 + end + 3
			continue
		}
		for _, tag := range []string{"script", "style"} {
			if len(rest) >= len(tag) && asciiEqualFold(rest[:len(tag)], tag) {
				end := indexFoldASCII(rest, "</"+tag)
				if end < 0 {
					i = len(s)
				} else {
					i += 1 + end + 2 // at the name of the closing tag; its '>' is found below
				}
				break
			}
		}
		if i >= len(s) {
			break
		}
		gt := strings.IndexByte(s[i:], '>')
		if gt < 0 {
			break
		}
		i += gt + 1
		out.WriteByte(' ')
	}
	return []byte(entityReplacer.Replace(out.String()))
}

var entityReplacer = strings.NewReplacer("&nbsp;", " ", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&apos;", "'")
