package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/rareterm/rareterm/i18n"
)

// Exit codes of the subcommands (and of the dashboard).
const (
	exitOK    = 0
	exitFail  = 1 // a failure: the message is on stderr
	exitUsage = 2 // bad flags or arguments: the usage is on stderr
)

// subcommands, with their one-line summary for `rareterm help`.
var subcommands = []struct {
	name    string
	summary i18n.Text
	run     func(args []string, stdout, stderr io.Writer) int
}{
	{"collect", i18n.CLISumCollect, runCollect},
	{"export", i18n.CLISumExport, runExport},
	{"import", i18n.CLISumImport, runImport},
	{"db", i18n.CLISumDB, runDB},
	{"node", i18n.CLISumNode, runNode},
}

func runSubcommand(name string, args []string, stdout, stderr io.Writer) int {
	for _, c := range subcommands {
		if c.name == name {
			return c.run(args, stdout, stderr)
		}
	}
	lang := startLang(args)
	if name == "help" {
		fmt.Fprintln(stdout, i18n.CLICommands.In(lang))
		for _, c := range subcommands {
			fmt.Fprintf(stdout, "  %-8s %s\n", c.name, c.summary.In(lang)) // the names are ASCII
		}
		fmt.Fprintln(stdout, i18n.CLICommandsHint.In(lang))
		return exitOK
	}
	fmt.Fprintf(stderr, "rareterm: %s\n", i18n.CLIUnknownCmd.F(lang, name))
	return exitUsage
}

// subFlags are the flags every subcommand shares.
type subFlags struct {
	fs   *flag.FlagSet
	opts options
	// lang is the language the subcommand speaks (startLang).
	lang i18n.Lang
}

// newSubFlags makes a subcommand's flag set: --db, --config and --lang
// always, --demo when demo (the demo database beside the live one). usage
// is the synopsis and description printed above the flags; args are the
// subcommand's arguments, which choose the language (startLang).
func newSubFlags(name string, usage i18n.Text, demo bool, args []string, stderr io.Writer) *subFlags {
	l := startLang(args)
	s := &subFlags{fs: flag.NewFlagSet("rareterm "+name, flag.ContinueOnError), lang: l}
	s.fs.SetOutput(stderr)
	s.fs.StringVar(&s.opts.db, "db", "", i18n.FlagDB.F(l, liveDBPath()))
	s.fs.StringVar(&s.opts.config, "config", "", i18n.FlagConfig.F(l, configPath()))
	s.fs.StringVar(&s.opts.lang, "lang", "", i18n.FlagLang.In(l))
	if demo {
		s.fs.BoolVar(&s.opts.demo, "demo", false, i18n.FlagDemoDB.In(l))
	}
	s.fs.Usage = func() {
		fmt.Fprintln(s.fs.Output(), strings.TrimSpace(usage.In(l)))
		fmt.Fprintln(s.fs.Output())
		printDefaults(s.fs, l)
	}
	return s
}

// parse parses args, allowing flags after the positional arguments
// (`rareterm import prices.csv --db x.db`). It returns the positional
// arguments, or an exit code: 0 for --help, 2 for a bad flag.
func (s *subFlags) parse(args []string) ([]string, int, bool) {
	var pos []string
	for {
		if err := parseFlags(s.fs, args, s.lang); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		args = s.fs.Args()
		if _, ok := parseLang(s.opts.lang); s.opts.lang != "" && !ok {
			return nil, s.usageError(s.fs.Output(), i18n.CLIBadLang, s.opts.lang), false
		}
		if len(args) == 0 {
			return pos, 0, true
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), 0, true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// usageError prints a message and the usage, for exit code 2.
func (s *subFlags) usageError(stderr io.Writer, t i18n.Text, args ...any) int {
	fmt.Fprintf(stderr, "%s: %s\n", s.fs.Name(), t.F(s.lang, args...))
	s.fs.Usage()
	return exitUsage
}
