package i18n

import (
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var verbRe = regexp.MustCompile(`%[-+# 0]*(\[\d+\])?[0-9*]*(?:\.[0-9*]+)?([a-zA-Z%])`)

// verbs lists the arguments a format takes, as "n:verb", argument n
// counted as fmt does (an explicit [n] index moves the count).
func verbs(s string) []string {
	var out []string
	n := 0
	for _, m := range verbRe.FindAllStringSubmatch(s, -1) {
		if m[2] == "%" {
			continue
		}
		if m[1] != "" {
			n, _ = strconv.Atoi(m[1][1 : len(m[1])-1])
		} else {
			n++
		}
		out = append(out, strconv.Itoa(n)+":"+m[2])
	}
	sort.Strings(out)
	return out
}

// TestCatalogue checks every message: both languages written, the same
// format verbs in the same order, and no message (the same two texts) defined twice.
func TestCatalogue(t *testing.T) {
	if len(all) == 0 {
		t.Fatal("empty catalogue")
	}
	seen := map[string]bool{}
	for _, m := range all {
		if m.en == "" || m.zh == "" {
			t.Errorf("message %q / %q lacks a language", m.en, m.zh)
			continue
		}
		if seen[m.en+"\x00"+m.zh] {
			t.Errorf("message %q / %q is defined twice", m.en, m.zh)
		}
		seen[m.en+"\x00"+m.zh] = true
		if ve, vz := strings.Join(verbs(m.en), " "), strings.Join(verbs(m.zh), " "); ve != vz {
			t.Errorf("message %q: verbs %q in English, %q in Chinese (%q)", m.en, ve, vz, m.zh)
			continue
		}
		// A format (a message with verbs), formatted with arguments of
		// the verbs' types, prints none of fmt's complaints in either
		// language (a bad index, a missing argument, a lone %). A message
		// without verbs is said as it is, with In.
		args := sampleArgs(verbs(m.en))
		for _, l := range []Lang{EN, ZH} {
			if len(args) == 0 {
				break
			}
			if out := m.F(l, args...); strings.Contains(out, "%!") {
				t.Errorf("message %q in %v formats as %q", m.In(l), l, out)
			}
		}
	}
}

func TestParseAndEnv(t *testing.T) {
	for in, want := range map[string]Lang{"en": EN, "zh": ZH, "ZH": ZH, "zh_CN.UTF-8": ZH, "zh-TW": ZH, "en_US.UTF-8": EN} {
		if l, ok := Parse(in); !ok || l != want {
			t.Errorf("Parse(%q) = %v %v", in, l, ok)
		}
	}
	for _, in := range []string{"", "fr", "C", "zhx"} {
		if _, ok := Parse(in); ok {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		env  map[string]string
		want Lang
	}{
		{map[string]string{}, EN},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, ZH},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, EN},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, ZH},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, ZH},
		{map[string]string{"LANG": "C.UTF-8"}, EN},
	}
	for _, c := range cases {
		if got := FromEnv(env(c.env)); got != c.want {
			t.Errorf("FromEnv(%v) = %v, want %v", c.env, got, c.want)
		}
	}
}

func TestErrorSaysItselfInBothLanguages(t *testing.T) {
	inner := Errorf(testInner, "x.db")
	outer := Errorf(testOuter, 3, inner)
	if got := outer.Error(); got != "line 3: database x.db is in use" {
		t.Errorf("English: %q", got)
	}
	if got := Say(ZH, outer); got != "第 3 行: 数据库 x.db 正被使用" {
		t.Errorf("Chinese: %q", got)
	}
	if !errors.Is(outer, inner) {
		t.Error("the inner error is not wrapped")
	}
	plain := errors.New("eof")
	if got := Say(ZH, Errorf(testOuter, 1, plain)); got != "第 1 行: eof" {
		t.Errorf("a plain error inside: %q", got)
	}
}

// sampleArgs makes an argument for each "n:verb" of verbs.
func sampleArgs(vs []string) []any {
	var args []any
	for _, v := range vs {
		i := strings.IndexByte(v, ':')
		n, _ := strconv.Atoi(v[:i])
		for len(args) < n {
			args = append(args, nil)
		}
		var a any
		switch v[i+1:] {
		case "d", "x", "X", "o", "b", "c":
			a = 7
		case "f", "F", "g", "G", "e", "E":
			a = 1.5
		default:
			a = "x"
		}
		args[n-1] = a
	}
	return args
}

// Messages of the error tests only.
var (
	testInner = m("database %s is in use", "数据库 %s 正被使用")
	testOuter = m("line %d: %v", "第 %d 行: %v")
)
