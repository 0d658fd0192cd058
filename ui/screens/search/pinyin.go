package search

import (
	"strings"
	"unicode"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// GB2312's level-1 hanzi (the 3,755 common characters) are ordered by
// pinyin, so a character's initial follows from where its code falls. These
// are the first codes of each initial (there are no i, u or v initials).
var gbInitials = []struct {
	code    int
	initial byte
}{
	{0xB0A1, 'a'}, {0xB0C5, 'b'}, {0xB2C1, 'c'}, {0xB4EE, 'd'}, {0xB6EA, 'e'}, {0xB7A2, 'f'},
	{0xB8C1, 'g'}, {0xB9FE, 'h'}, {0xBBF7, 'j'}, {0xBFA6, 'k'}, {0xC0AC, 'l'}, {0xC2E8, 'm'},
	{0xC4C3, 'n'}, {0xC5B6, 'o'}, {0xC5BE, 'p'}, {0xC6DA, 'q'}, {0xC8BB, 'r'}, {0xC8F6, 's'},
	{0xCBFA, 't'}, {0xCDDA, 'w'}, {0xCEF4, 'x'}, {0xD1B9, 'y'}, {0xD4D1, 'z'},
}

const gbLevel1End = 0xD7F9

// Characters outside level 1 (ordered by radical, not sound) that occur in
// the sector's names.
var extraInitials = map[rune]byte{'晟': 's', '镧': 'l', '铈': 's', '镨': 'p', '钕': 'n', '镝': 'd', '铽': 't', '钐': 's', '钇': 'y', '钴': 'g', '锂': 'l', '钼': 'm', '锑': 't', '铟': 'y', '锗': 'z', '钒': 'f', '铌': 'n', '钽': 't', '铪': 'h', '锆': 'g'}

// PinyinInitials returns the pinyin initials of the Han characters in s
// ("北方稀土" → "bfxt"); letters and digits are kept lower-cased, anything
// else is skipped.
func PinyinInitials(s string) string {
	var b strings.Builder
	enc := simplifiedchinese.GBK.NewEncoder()
	for _, r := range s {
		switch {
		case r < 0x80:
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(unicode.ToLower(r))
			}
		case unicode.Is(unicode.Han, r):
			if c, ok := extraInitials[r]; ok {
				b.WriteByte(c)
				continue
			}
			bs, err := enc.Bytes([]byte(string(r)))
			if err != nil || len(bs) != 2 {
				continue
			}
			code := int(bs[0])<<8 | int(bs[1])
			if code < gbInitials[0].code || code >= gbLevel1End {
				continue
			}
			initial := gbInitials[0].initial
			for _, g := range gbInitials {
				if code >= g.code {
					initial = g.initial
				}
			}
			b.WriteByte(initial)
		}
	}
	return b.String()
}
