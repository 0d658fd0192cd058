package prices

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rareterm/rareterm/model"
)

// A minimal, tolerant HTML scanner: enough to read the rows and cells of
// the tables in a page and the page's visible text, without
// golang.org/x/net/html. It never fails: markup it does not understand is
// skipped, unclosed cells and rows are closed at the next row or table
// boundary, and script/style bodies are ignored.

// htmlRow is one <tr>: the text of its cells, and the table it belongs to
// (tables numbered from 1 in document order; 0 for a row outside any table).
type htmlRow struct {
	table int
	cells []string
}

type htmlDoc struct {
	rows []htmlRow
	text string // the page's visible text, whitespace folded
}

// scanHTML tokenises s into table rows and visible text.
func scanHTML(s string) htmlDoc {
	var (
		doc     htmlDoc
		text    strings.Builder
		cell    strings.Builder
		row     []string
		inRow   bool
		inCell  bool
		tables  []int // stack of open tables
		ntables int
	)
	current := func() int {
		if len(tables) == 0 {
			return 0
		}
		return tables[len(tables)-1]
	}
	endCell := func() {
		if inCell {
			row = append(row, model.Sanitize(cell.String()))
			cell.Reset()
			inCell = false
		}
	}
	endRow := func() {
		endCell()
		if inRow {
			doc.rows = append(doc.rows, htmlRow{table: current(), cells: row})
			row = nil
			inRow = false
		}
	}
	addText := func(t string) {
		t = decodeEntities(t)
		text.WriteString(t)
		if inCell {
			cell.WriteString(t)
		}
	}
	space := func() {
		text.WriteByte(' ')
		if inCell {
			cell.WriteByte(' ')
		}
	}

	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			addText(s[i:])
			break
		}
		addText(s[i : i+lt])
		i += lt
		if strings.HasPrefix(s[i:], "<!--") {
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		end := tagEnd(s, i)
		if end < 0 {
			break // an unclosed tag at the end of the page
		}
		name, closing := tagName(s[i+1 : end])
		i = end + 1
		if name == "" {
			continue
		}
		switch name {
		case "script", "style", "textarea", "title":
			if !closing {
				if j := indexCloseTag(s[i:], name); j >= 0 {
					if name == "title" { // a title is text worth keeping (it often holds the date)
						addText(" " + s[i:i+j] + " ")
					}
					i += j
				} else {
					i = len(s)
				}
			}
		case "table":
			endRow()
			if closing {
				if len(tables) > 0 {
					tables = tables[:len(tables)-1]
				}
			} else {
				ntables++
				tables = append(tables, ntables)
			}
		case "tr":
			endRow()
			if !closing {
				inRow = true
			}
		case "td", "th":
			endCell()
			if !closing {
				if !inRow {
					inRow = true
				}
				inCell = true
			}
			space()
		case "thead", "tbody", "tfoot":
			endRow()
		default:
			space() // <br>, <p>, <div>, <span>…: a word boundary at worst
		}
	}
	endRow()
	doc.text = model.Sanitize(text.String())
	return doc
}

// tagEnd returns the index of the '>' closing the tag that starts at s[i],
// skipping quoted attribute values; -1 if the tag never closes.
func tagEnd(s string, i int) int {
	var quote byte
	for j := i + 1; j < len(s); j++ {
		c := s[j]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return j
		}
	}
	return -1
}

// tagName returns the lower-cased element name of a tag body ("/td", "tr
// class=x", "br/") and whether it is a closing tag. Declarations and
// processing instructions give "".
func tagName(body string) (string, bool) {
	closing := strings.HasPrefix(body, "/")
	body = strings.TrimPrefix(body, "/")
	n := 0
	for n < len(body) && (body[n] >= 'a' && body[n] <= 'z' || body[n] >= 'A' && body[n] <= 'Z' || body[n] >= '0' && body[n] <= '9') {
		n++
	}
	return strings.ToLower(body[:n]), closing
}

// indexCloseTag finds "</name" in s, ignoring case, in one pass.
func indexCloseTag(s, name string) int {
	for j := 0; ; {
		k := strings.Index(s[j:], "</")
		if k < 0 {
			return -1
		}
		k += j
		if len(s)-k-2 >= len(name) && strings.EqualFold(s[k+2:k+2+len(name)], name) {
			return k
		}
		j = k + 2
	}
}

var entities = map[string]string{
	"nbsp": " ", "amp": "&", "lt": "<", "gt": ">", "quot": `"`, "apos": "'",
	"ndash": "–", "mdash": "—", "yen": "¥", "middot": "·", "ensp": " ", "emsp": " ", "thinsp": " ",
}

// decodeEntities replaces named and numeric character references.
// Unknown or malformed references are left as they are.
func decodeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		semi := strings.IndexByte(s, ';')
		if semi < 2 || semi > 10 {
			b.WriteByte('&')
			s = s[1:]
			continue
		}
		ref := s[1:semi]
		if rep, ok := entities[strings.ToLower(ref)]; ok {
			b.WriteString(rep)
		} else if r, ok := numericRef(ref); ok {
			b.WriteRune(r)
		} else {
			b.WriteString(s[:semi+1])
		}
		s = s[semi+1:]
	}
}

func numericRef(ref string) (rune, bool) {
	if !strings.HasPrefix(ref, "#") {
		return 0, false
	}
	ref = ref[1:]
	base := 10
	if strings.HasPrefix(ref, "x") || strings.HasPrefix(ref, "X") {
		ref, base = ref[1:], 16
	}
	n, err := strconv.ParseUint(ref, base, 32)
	if err != nil || n == 0 || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}
