package httpx

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// UnwrapJSONP strips a JSONP wrapper such as `jQuery123_456({...});`: when
// the body (after leading whitespace and a BOM) does not start with '{' or
// '[', it keeps the bytes between the first '(' and the last ')'. Anything
// else is returned unchanged (trimmed), for the JSON decoder to judge.
func UnwrapJSONP(b []byte) []byte {
	t := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(b), []byte("\xef\xbb\xbf")))
	if len(t) == 0 || t[0] == '{' || t[0] == '[' {
		return t
	}
	i := bytes.IndexByte(t, '(')
	j := bytes.LastIndexByte(t, ')')
	if i < 0 || j <= i {
		return t
	}
	return bytes.TrimSpace(t[i+1 : j])
}

// DecodeGBK decodes GBK (or GB18030, its superset) bytes to UTF-8. Bytes that
// are not valid GB18030 become U+FFFD.
func DecodeGBK(b []byte) ([]byte, error) {
	return simplifiedchinese.GB18030.NewDecoder().Bytes(b)
}

// Charset returns the lower-cased charset parameter of a Content-Type value,
// or "" when there is none.
func Charset(contentType string) string {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		// Tolerate sloppy headers such as "text/html;charset=GBK;".
		// The offset is searched in contentType itself, not in a lower-cased
		// copy, whose length can differ (invalid UTF-8, 'K' U+212A…).
		if i := indexFoldASCII(contentType, "charset="); i >= 0 {
			cs := contentType[i+len("charset="):]
			if j := strings.IndexAny(cs, "; "); j >= 0 {
				cs = cs[:j]
			}
			return strings.ToLower(strings.Trim(cs, `"'`))
		}
		return ""
	}
	return strings.ToLower(params["charset"])
}

// DecodeCharset converts body to UTF-8 according to charset: GBK, GB2312 and
// GB18030 are decoded as GB18030; UTF-8 is returned as is (invalid bytes
// left for model.Sanitize); any other or empty charset uses fallback
// ("gbk"/"gb18030" or "utf-8"). With fallback "auto", valid UTF-8 is kept and
// anything else is decoded as GB18030.
func DecodeCharset(body []byte, charset, fallback string) ([]byte, error) {
	switch cs := strings.ToLower(strings.TrimSpace(charset)); cs {
	case "gbk", "gb2312", "gb18030", "x-gbk", "cp936", "windows-936":
		return DecodeGBK(body)
	case "utf-8", "utf8":
		return body, nil
	}
	switch strings.ToLower(fallback) {
	case "utf-8", "utf8":
		return body, nil
	case "auto":
		if utf8.Valid(body) {
			return body, nil
		}
	}
	return DecodeGBK(body)
}

// indexFoldASCII returns the index in s of the first match of the ASCII
// string p, ignoring ASCII case, or -1. Offsets are offsets into s.
func indexFoldASCII(s, p string) int {
	for k := 0; k+len(p) <= len(s); k++ {
		if asciiEqualFold(s[k:k+len(p)], p) {
			return k
		}
	}
	return -1
}

func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
