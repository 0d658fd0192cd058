// Package i18n is rareterm's message catalogue: every label, title, status
// word, help line and error message the program shows, each written once
// here in English and in Chinese. The catalogue's files are split by the
// part of the program that speaks (dashboard.go, ticker.go, config.go …);
// code elsewhere names a message and never writes its text.
//
// A message is a Text: its two versions, picked by a Lang. Format verbs
// (%s, %d …) must agree between the two; TestCatalogue checks every entry.
package i18n

import (
	"errors"
	"fmt"
	"strings"
)

// Lang is the language of the labels.
type Lang uint8

const (
	EN Lang = iota // English
	ZH             // 简体中文
)

// String is the config's name for the language ("en", "zh").
func (l Lang) String() string {
	if l == ZH {
		return "zh"
	}
	return "en"
}

// Parse reads a language as the config and --lang write it: "en" or "zh"
// (case does not matter; a locale such as zh_CN.UTF-8 is taken too).
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "en" || strings.HasPrefix(s, "en_") || strings.HasPrefix(s, "en-"):
		return EN, true
	case s == "zh" || strings.HasPrefix(s, "zh_") || strings.HasPrefix(s, "zh-"):
		return ZH, true
	}
	return EN, false
}

// FromEnv picks the language from the locale, as POSIX orders it: LC_ALL,
// then LC_MESSAGES, then LANG; the first one set decides. zh_* is Chinese;
// anything else (C, POSIX, en_US.UTF-8, unset) is English.
func FromEnv(getenv func(string) string) Lang {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(k)
		if v == "" {
			continue
		}
		if l, ok := Parse(v); ok && l == ZH {
			return ZH
		}
		return EN
	}
	return EN
}

// Text is one message in both languages.
type Text struct {
	en, zh string
}

// all is every message of the catalogue, in definition order, for tests.
var all []Text

// m defines a message. Only the catalogue's files call it.
func m(en, zh string) Text {
	t := Text{en: en, zh: zh}
	all = append(all, t)
	return t
}

// In is the message in l.
func (t Text) In(l Lang) string {
	if l == ZH {
		return t.zh
	}
	return t.en
}

// F formats the message in l with args (fmt.Sprintf). An argument that is
// itself a Text, a Localized value or an error of this package is put in
// the same language.
func (t Text) F(l Lang, args ...any) string {
	return fmt.Sprintf(t.In(l), localize(l, args)...)
}

// Localized is a value that can say itself in either language.
type Localized interface {
	In(l Lang) string
}

func localize(l Lang, args []any) []any {
	var out []any
	for i, a := range args {
		var s string
		switch v := a.(type) {
		case Localized:
			s = v.In(l)
		case error:
			var loc Localized
			if !errors.As(v, &loc) {
				continue
			}
			s = Say(l, v)
		default:
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = s
	}
	if out == nil {
		return args
	}
	return out
}

// Error is an error whose message is in the catalogue: it prints in English
// as an error and in either language through Say.
type Error struct {
	Text Text
	Args []any
}

// Errorf makes an Error. An error among args is wrapped (errors.Is and
// errors.As see it) and said in the same language when it can be.
func Errorf(t Text, args ...any) *Error { return &Error{Text: t, Args: args} }

func (e *Error) Error() string { return e.In(EN) }

// In is the message in l.
func (e *Error) In(l Lang) string { return e.Text.F(l, e.Args...) }

// Unwrap gives the errors among the arguments.
func (e *Error) Unwrap() []error {
	var errs []error
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			errs = append(errs, err)
		}
	}
	return errs
}

// Say is err's message in l: in l when the outermost error is in the
// catalogue (or says itself with In), as it is otherwise.
func Say(l Lang, err error) string {
	if err == nil {
		return ""
	}
	if loc, ok := err.(Localized); ok {
		return loc.In(l)
	}
	return err.Error()
}

// Pick is en or zh by l: for the few labels that are data, not messages
// (a model's own English and Chinese names of an element).
func Pick(l Lang, en, zh string) string {
	if l == ZH && zh != "" {
		return zh
	}
	return en
}
