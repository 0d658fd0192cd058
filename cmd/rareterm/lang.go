package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/rareterm/rareterm/i18n"
)

// argValue is the value of the flag name in args (--name V, --name=V, or
// with one dash), before a "--"; ok is false when the flag is not there.
// The usage and the flags' help are printed before the flags are parsed, so
// the language is looked up here first.
func argValue(args []string, name string) (string, bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		k, v, hasV := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if k != name {
			continue
		}
		if hasV {
			return v, true
		}
		if i+1 < len(args) {
			return args[i+1], true
		}
		return "", true
	}
	return "", false
}

// startLang is the language the command line speaks, before the flags are
// parsed (their help is written in it): chooseLang with --lang and the
// config's lang (the file --config names, or the default one). A config
// that cannot be read leaves the locale to decide (its error is reported
// in that language).
func startLang(args []string) i18n.Lang {
	flagLang, _ := argValue(args, "lang")
	if l, ok := parseLang(flagLang); ok {
		return l // the config need not be read
	}
	path, ok := argValue(args, "config")
	if !ok || path == "" {
		path = configPath()
	}
	var cfgLang string
	if cfg, err := LoadConfig(path); err == nil {
		cfgLang = cfg.Lang
	}
	return chooseLang(flagLang, cfgLang)
}

// chooseLang is the rule for the language: --lang, else the config's lang,
// else the locale (i18n.FromEnv).
func chooseLang(flagLang, cfgLang string) i18n.Lang {
	for _, s := range []string{flagLang, cfgLang} {
		if l, ok := parseLang(s); ok {
			return l
		}
	}
	return i18n.FromEnv(os.Getenv)
}

// parseLang reads a language as --lang and the config write it: en or zh.
func parseLang(s string) (i18n.Lang, bool) {
	if s != "en" && s != "zh" {
		return i18n.EN, false
	}
	return i18n.Parse(s)
}

// printDefaults prints the flags' help in lang: in English as the flag
// package writes it, in Chinese in the same layout with the default's word
// translated.
func printDefaults(fs *flag.FlagSet, lang i18n.Lang) {
	if lang == i18n.EN {
		fs.PrintDefaults()
		return
	}
	fs.VisitAll(func(f *flag.Flag) {
		var b strings.Builder
		fmt.Fprintf(&b, "  -%s", f.Name)
		name, usage := flag.UnquoteUsage(f)
		if len(name) > 0 {
			b.WriteString(" " + name)
		}
		if b.Len() <= 4 {
			b.WriteString("\t")
		} else {
			b.WriteString("\n    \t")
		}
		b.WriteString(strings.ReplaceAll(usage, "\n", "\n    \t"))
		switch d := f.DefValue; {
		case d == "" || d == "0" || d == "false":
		case reflect.TypeOf(f.Value).String() == "*flag.stringValue":
			b.WriteString(i18n.FlagDefaultQ.F(lang, d))
		default:
			b.WriteString(i18n.FlagDefault.F(lang, d))
		}
		fmt.Fprint(fs.Output(), b.String(), "\n")
	})
}

// writeTable writes rows as columns two spaces apart, aligned by display
// width (a Chinese character is two cells): text/tabwriter counts runes.
// The last column is not padded.
func writeTable(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], lipgloss.Width(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-lipgloss.Width(c)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

// unwrapped is an error said in a message (in either language) but not
// wrapped by it: errors.Is and errors.As do not see it.
type unwrapped struct{ err error }

func (u unwrapped) In(l i18n.Lang) string { return i18n.Say(l, u.err) }

// parseFlags is fs.Parse(args), with the flag package's complaints (an
// unknown flag, a value that does not parse) said in l. In English they are
// the package's own words, printed by the package.
func parseFlags(fs *flag.FlagSet, args []string, l i18n.Lang) error {
	if l == i18n.EN {
		return fs.Parse(args)
	}
	out := fs.Output()
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(out)
	if err == nil {
		return nil
	}
	if !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(out, flagError(err, l))
	}
	fs.Usage()
	return err
}

var (
	flagUndefinedRe = regexp.MustCompile(`^flag provided but not defined: (.*)$`)
	flagSyntaxRe    = regexp.MustCompile(`^bad flag syntax: (.*)$`)
	flagNeedsRe     = regexp.MustCompile(`^flag needs an argument: (.*)$`)
	flagValueRe     = regexp.MustCompile(`^invalid value "((?:[^"\\]|\\.)*)" for flag (\S+): (.*)$`)
	flagBoolRe      = regexp.MustCompile(`^invalid boolean value "((?:[^"\\]|\\.)*)" for (\S+): (.*)$`)
)

// flagError is a flag parsing error in l.
func flagError(err error, l i18n.Lang) string {
	s := err.Error()
	why := func(s string) any { // strconv's reason
		switch s {
		case "parse error":
			return i18n.FlagParseError
		case "value out of range":
			return i18n.FlagOutOfRange
		}
		return s
	}
	unq := func(q string) string {
		if u, err := strconv.Unquote(`"` + q + `"`); err == nil {
			return u
		}
		return q
	}
	switch {
	case flagUndefinedRe.MatchString(s):
		return i18n.FlagUndefined.F(l, flagUndefinedRe.FindStringSubmatch(s)[1])
	case flagSyntaxRe.MatchString(s):
		return i18n.FlagBadSyntax.F(l, flagSyntaxRe.FindStringSubmatch(s)[1])
	case flagNeedsRe.MatchString(s):
		return i18n.FlagNeedsValue.F(l, flagNeedsRe.FindStringSubmatch(s)[1])
	case flagValueRe.MatchString(s):
		m := flagValueRe.FindStringSubmatch(s)
		return i18n.FlagBadValue.F(l, unq(m[1]), m[2], why(m[3]))
	case flagBoolRe.MatchString(s):
		m := flagBoolRe.FindStringSubmatch(s)
		return i18n.FlagBadBool.F(l, unq(m[1]), m[2], why(m[3]))
	}
	return s
}
