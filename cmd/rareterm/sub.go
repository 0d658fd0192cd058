package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes of the subcommands (and of the dashboard).
const (
	exitOK    = 0
	exitFail  = 1 // a failure: the message is on stderr
	exitUsage = 2 // bad flags or arguments: the usage is on stderr
)

// subcommands, with their one-line summary for `rareterm help`.
var subcommands = []struct {
	name, summary string
	run           func(args []string, stdout, stderr io.Writer) int
}{
	{"collect", "poll and cache with no screen (for a server or cron)", runCollect},
	{"export", "write a cached series as CSV or JSON to stdout", runExport},
	{"import", "load element prices or contract quarters from a CSV file, all rows or none", runImport},
	{"db", "stats, compact, check or salvage the database file", runDB},
	{"node", "a node of a desk's NATS cluster, with no collector", runNode},
}

func runSubcommand(name string, args []string, stdout, stderr io.Writer) int {
	for _, c := range subcommands {
		if c.name == name {
			return c.run(args, stdout, stderr)
		}
	}
	if name == "help" {
		fmt.Fprintln(stdout, "rareterm commands:")
		for _, c := range subcommands {
			fmt.Fprintf(stdout, "  %-8s %s\n", c.name, c.summary)
		}
		fmt.Fprintln(stdout, "Run rareterm COMMAND --help for a command's flags, rareterm --help for the dashboard's.")
		return exitOK
	}
	fmt.Fprintf(stderr, "rareterm: unknown command %q (try rareterm help)\n", name)
	return exitUsage
}

// subFlags are the flags every subcommand shares.
type subFlags struct {
	fs   *flag.FlagSet
	opts options
}

// newSubFlags makes a subcommand's flag set: --db and --config always,
// --demo when demo (the demo database beside the live one). usage is the
// synopsis and description printed above the flags.
func newSubFlags(name, usage string, demo bool, stderr io.Writer) *subFlags {
	s := &subFlags{fs: flag.NewFlagSet("rareterm "+name, flag.ContinueOnError)}
	s.fs.SetOutput(stderr)
	s.fs.StringVar(&s.opts.db, "db", "", "database `path` (default "+liveDBPath()+")")
	s.fs.StringVar(&s.opts.config, "config", "", "config `path` (default "+configPath()+")")
	if demo {
		s.fs.BoolVar(&s.opts.demo, "demo", false, "use the demo database (demo.db beside the live one)")
	}
	s.fs.Usage = func() {
		fmt.Fprintln(stderr, strings.TrimSpace(usage))
		fmt.Fprintln(stderr)
		s.fs.PrintDefaults()
	}
	return s
}

// parse parses args, allowing flags after the positional arguments
// (`rareterm import prices.csv --db x.db`). It returns the positional
// arguments, or an exit code: 0 for --help, 2 for a bad flag.
func (s *subFlags) parse(args []string) ([]string, int, bool) {
	var pos []string
	for {
		if err := s.fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		args = s.fs.Args()
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
func (s *subFlags) usageError(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "%s: %s\n", s.fs.Name(), fmt.Sprintf(format, args...))
	s.fs.Usage()
	return exitUsage
}
