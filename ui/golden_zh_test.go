package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/rareterm/rareterm/i18n"
)

func chinese(d *Deps) { d.Lang = i18n.ZH }

// Every screen in Chinese at the two sizes people run it at most, with
// element prices in 万元/吨 as Chinese desks read them; refresh with
// go test ./ui -run Golden -update.
func TestChineseScreenGoldens(t *testing.T) {
	for _, name := range names(screens) {
		for _, sz := range [][2]int{{80, 24}, {160, 48}} {
			t.Run(fmt.Sprintf("%s/%dx%d", name, sz[0], sz[1]), func(t *testing.T) {
				m := sized(fixtureModelWith(name == "dashboard", func(d *Deps) { chinese(d); d.ElementsWan = true }), sz[0], sz[1])
				press(m, screens[name]...)
				s := screenText(m)
				checkFits(t, name, s, sz[0], sz[1])
				golden.RequireEqual(t, s)
			})
		}
	}
}

// No Chinese screen at any size from 20×5 to 240×70 overflows: Chinese
// labels are two cells a character.
func TestChineseSizeSweepNeverOverflows(t *testing.T) {
	for _, name := range names(screens) {
		for w := 20; w <= 240; w += 22 {
			m := sized(fixtureModelWith(true, chinese), w, 5)
			press(m, screens[name]...)
			for h := 5; h <= 70; h += 13 {
				sized(m, w, h)
				checkFits(t, fmt.Sprintf("%s at %dx%d", name, w, h), screenText(m), w, h)
			}
		}
	}
}

// englishWord is a word of three or more Latin letters.
var englishWord = regexp.MustCompile(`[A-Za-z][A-Za-z'-]{2,}`)

// notWords are the Latin-letter tokens a Chinese screen keeps: key names,
// codes and units, feed and source names as the config writes them, the
// alert rules' grammar (typed as it is), and abbreviations Chinese desks
// use as they are.
var notWords = map[string]bool{
	// keys
	"enter": true, "esc": true, "tab": true, "shift": true, "ctrl": true, "space": true, "pgup": true,
	"pgdn": true, "home": true, "end": true, "backspace": true, "del": true,
	// units, codes, abbreviations
	"REO": true, "ETF": true, "DEMO": true, "VAT": true, "CNY": true, "HKD": true, "ALL": true,
	"MACD": true, "KDJ": true, "RSI": true, "NdFeB": true, "PrNd": true,
	// feeds and sources, as the config names them
	"eastmoney": true, "sina": true, "ppi": true, "smm": true, "fixture": true, "reference": true,
	"rareterm": true, "README": true, "fixtu": true, // the fixture's source, cut to its column
	// the search screen's query (/bfxt) and the pinyin readings it matched: data
	"bfxt": true, "gzmt": true, "guizhou": true,
	// the alert rules' grammar, typed as it is (:alert add 600111 > 50)
	"alert": true, "alerts": true, "add": true, "price": true, "limit": true, "open": true, "contract": true,
	"new": true, "notice": true, "prnd": true, "oxide": true, "chg": true, "webhook": true, "index": true,
	"feed": true, "down": true, "any": true,
}

// englishLeft lists the English words on a Chinese screen s: words that
// are not in notWords and not part of something typed as it is.
func englishLeft(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for _, loc := range englishWord.FindAllStringIndex(line, -1) {
			w := line[loc[0]:loc[1]]
			if !notWords[w] && !notWords[strings.ToLower(w)] && !typedAsIs(line, loc[0], loc[1]) {
				out = append(out, w)
			}
		}
	}
	return out
}

// TestChineseScreensSayNothingInEnglish walks every screen in Chinese and
// lists each English word left on it.
func TestChineseScreensSayNothingInEnglish(t *testing.T) {
	for _, name := range names(screens) {
		for _, sz := range [][2]int{{80, 24}, {160, 48}} {
			m := sized(fixtureModelWith(name == "dashboard", chinese), sz[0], sz[1])
			press(m, screens[name]...)
			s := screenText(m)
			if left := englishLeft(s); len(left) > 0 {
				t.Errorf("%s at %dx%d: English left: %v\n%s", name, sz[0], sz[1], left, s)
			}
		}
	}
}

// typedAsIs tells whether the word at line[i:j] is something a user types
// or a file names as it is: a config key ([feeds.prices], a.b), a command
// (:ladder), a flag (--lang) or a path.
func typedAsIs(line string, i, j int) bool {
	before, after := byte(' '), byte(' ')
	if i > 0 {
		before = line[i-1]
	}
	if j < len(line) {
		after = line[j]
	}
	return strings.IndexByte("[.:_-/=", before) >= 0 || strings.IndexByte("].=_/", after) >= 0
}
