package widgets

import (
	"fmt"
	"strings"
)

// Panel is what a framed panel shows.
type Panel struct {
	Title      string
	Lines      []Line
	Sel, Off   int  // selected row and first visible row
	Focused    bool // the panel has the keys
	Selectable bool // rows can be selected
}

// Frame draws a panel in w×h cells: a border with the title in the top
// edge, its rows from Off, the selection highlighted, and a scroll hint in
// the bottom edge when rows are hidden.
func Frame(st Styles, p Panel, w, h int) string {
	if w < 2 || h < 2 {
		return Box("", w, h)
	}
	iw, ih := w-2, h-2
	bs, ts := st.Border, st.Title
	if p.Focused {
		bs, ts = st.BorderFocused, st.TitleFocused
	}
	title := p.Title
	if t := iw - 2; t > 0 {
		title = Fit(title, min(Width(title), t))
	} else {
		title = ""
	}
	top := bs.Render("┌") + " "
	rest := iw - 1
	if title != "" {
		top += ts.Render(title) + " "
		rest -= Width(title) + 1
	}
	if rest < 0 {
		rest = 0
	}
	top = Clip(top+bs.Render(strings.Repeat("─", rest)+"┐"), w, 1)

	lines := p.Lines
	sel, off := KeyedRow(lines, p.Sel, 1), p.Off
	bar := bs.Render("│")
	body := make([]string, ih)
	for i := 0; i < ih; i++ {
		idx := off + i
		var s string
		if idx < len(lines) {
			l := lines[idx]
			switch {
			case p.Selectable && idx == sel && p.Focused:
				s = st.Selected.Render(Fit(l.Plain, iw))
			case p.Selectable && idx == sel:
				// Where an unfocused panel's selection stands, shown faintly.
				s = st.SelectedBlurred.Render(Fit(l.Plain, iw))
			default:
				s = Fit(l.Styled, iw)
			}
		} else {
			s = strings.Repeat(" ", iw)
		}
		body[i] = bar + s + bar
	}
	bottom := strings.Repeat("─", iw)
	if len(lines) > ih && ih > 0 && iw > 12 {
		hint := fmt.Sprintf(" %d/%d ", min(sel+1, len(lines)), len(lines))
		bottom = strings.Repeat("─", iw-Width(hint)-1) + hint + "─"
	}
	out := []string{top}
	out = append(out, body...)
	out = append(out, bs.Render("└"+bottom+"┘"))
	return strings.Join(out, "\n")
}
