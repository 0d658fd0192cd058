package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

const exportUsage = `
usage: rareterm export --series quotes|bars|margin|elements|contract|boards
                       [--symbol S] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                       [--format csv|json] [--demo] [--db PATH]

Writes one cached series to stdout, oldest first per symbol: CSV with a
header, or a JSON array of objects with the same keys. Unknown figures are
empty (CSV) or null (JSON); every row carries its source. --from and --to
are CST days, both included. --symbol keeps one stock, board (BKnnnn) or
element (id or name). The elements and contract CSVs are what
rareterm import reads. The database is opened read-only.`

func runExport(args []string, stdout, stderr io.Writer) int {
	sf := newSubFlags("export", exportUsage, true, stderr)
	series := sf.fs.String("series", "", "the series: "+strings.Join(store.ExportSeries, ", "))
	symbol := sf.fs.String("symbol", "", "keep one symbol, board code or element")
	fromS := sf.fs.String("from", "", "first day, YYYY-MM-DD (CST)")
	toS := sf.fs.String("to", "", "last day, YYYY-MM-DD (CST), included")
	format := sf.fs.String("format", "csv", "csv or json")
	pos, code, ok := sf.parse(args)
	if !ok {
		return code
	}
	switch {
	case len(pos) > 0:
		return sf.usageError(stderr, "unexpected argument %q", pos[0])
	case *series == "":
		return sf.usageError(stderr, "--series is required")
	case !slices.Contains(store.ExportSeries, *series):
		return sf.usageError(stderr, "--series %q: want one of %s", *series, strings.Join(store.ExportSeries, ", "))
	case *format != "csv" && *format != "json":
		return sf.usageError(stderr, "--format %q: want csv or json", *format)
	case *series == "contract" && *symbol != "":
		return sf.usageError(stderr, "--symbol does not apply to the contract series")
	}
	var from, to time.Time
	if *fromS != "" {
		d, err := model.ParseDay(*fromS)
		if err != nil {
			return sf.usageError(stderr, "--from: %v", err)
		}
		from = d
	}
	if *toS != "" {
		d, err := model.ParseDay(*toS)
		if err != nil {
			return sf.usageError(stderr, "--to: %v", err)
		}
		to = d.AddDate(0, 0, 1).Add(-time.Nanosecond) // the whole day
	}
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return sf.usageError(stderr, "--from %s is after --to %s", *fromS, *toS)
	}
	sym := *symbol
	if sym != "" && *series != "elements" {
		s, err := model.ParseSymbol(sym)
		if err != nil {
			return sf.usageError(stderr, "--symbol: %v", err)
		}
		sym = s.Code
	}

	db, err := openTool(sf.opts.dbPath(), true)
	if err != nil {
		fmt.Fprintf(stderr, "rareterm export: %v\n", withAdvice(err))
		return exitFail
	}
	defer db.Close()
	if err := db.Export(*series, sym, from, to, stdout, *format); err != nil {
		fmt.Fprintf(stderr, "rareterm export: %v\n", withAdvice(err))
		return exitFail
	}
	return exitOK
}

const importUsage = `
usage: rareterm import [--db PATH] FILE

Loads element prices or contract quarters from a CSV file (FILE - reads
stdin), told apart by the header. Every row is checked first; if any is
bad, each bad row is printed as FILE:LINE: column COL: reason and nothing
is written. Otherwise every row is written in one transaction. A row equal
to what is stored is left alone, so importing a file twice adds nothing.

Element prices: date,element,price,source and optionally low,high,unit,
orig_unit. Contract quarters: quarter,price,source and optionally
basis_reo,note. A file has one kind or the other, never both columns.
Every price must be a finite number within its product's plausible band
([elements.bands] in the config; the contract's is 3,000-200,000 元/吨).
See the README for the details.`

func runImport(args []string, stdout, stderr io.Writer) int {
	sf := newSubFlags("import", importUsage, false, stderr)
	pos, code, ok := sf.parse(args)
	if !ok {
		return code
	}
	switch {
	case len(pos) == 0:
		return sf.usageError(stderr, "no FILE to import")
	case len(pos) > 1:
		return sf.usageError(stderr, "one FILE at a time (got %d)", len(pos))
	}
	cfg, err := LoadConfig(sf.opts.configPath()) // for the price bands
	if err != nil {
		fmt.Fprintf(stderr, "rareterm import: %v; nothing imported\n", err)
		return exitFail
	}
	name := pos[0]
	var in io.Reader
	if name == "-" {
		in, name = os.Stdin, "stdin"
	} else {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "rareterm import: %v\n", err)
			return exitFail
		}
		defer f.Close()
		in = f
	}
	batch, err := store.ParseCSVBands(in, cfg.Bands)
	var rows store.CSVErrors
	switch {
	case errors.As(err, &rows):
		for _, e := range rows {
			if e.Column == "" {
				fmt.Fprintf(stderr, "%s:%d: %s\n", name, e.Line, e.Reason)
			} else {
				fmt.Fprintf(stderr, "%s:%d: column %s: %s\n", name, e.Line, e.Column, e.Reason)
			}
		}
		fmt.Fprintf(stderr, "rareterm import: %s: %s; nothing imported\n", name, plural(len(rows), "problem"))
		return exitFail
	case err != nil:
		fmt.Fprintf(stderr, "rareterm import: %s: %v; nothing imported\n", name, err)
		return exitFail
	}
	db, err := openTool(sf.opts.dbPath(), false)
	if err != nil {
		fmt.Fprintf(stderr, "rareterm import: %v\n", withAdvice(err))
		return exitFail
	}
	defer db.Close()
	rep, err := db.Import(batch)
	if err != nil {
		fmt.Fprintf(stderr, "rareterm import: %v; nothing imported\n", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "imported %s (%d new, %d changed, %d unchanged)\n", plural(rep.Rows, "row"), rep.New, rep.Changed, rep.Unchanged)
	return exitOK
}

const dbUsage = `
usage: rareterm db stats|compact|check [--demo] [--db PATH]
       rareterm db salvage [--out PATH] [--demo] [--db PATH]

  stats     series, records, first and last times and size of every bucket,
            and the file's size
  compact   rewrite the file without its free pages (into a temporary file
            beside it, renamed over the original only once it is complete
            and checked); prints the sizes before and after. A damaged file
            is refused.
  check     a walk of every page, then bbolt's consistency check of the
            whole file
  salvage   copy every bucket and key of a damaged file that can still be
            read into a new file (--out, default NAME.salvaged-TIME.db
            beside it) and report, per bucket, what was copied and what was
            lost. The original is never modified.

The database must not be in use (a running rareterm holds it).`

func runDB(args []string, stdout, stderr io.Writer) int {
	sf := newSubFlags("db", dbUsage, true, stderr)
	out := sf.fs.String("out", "", "salvage: the `path` of the copy (default NAME.salvaged-TIME.db beside the database)")
	pos, code, ok := sf.parse(args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return sf.usageError(stderr, "want one of stats, compact, check, salvage")
	}
	if *out != "" && pos[0] != "salvage" {
		return sf.usageError(stderr, "--out applies to salvage only")
	}
	path := sf.opts.dbPath()
	var err error
	switch pos[0] {
	case "salvage":
		return dbSalvage(path, *out, stdout, stderr)
	case "stats":
		err = dbStats(path, stdout)
	case "compact":
		var before, after int64
		before, after, err = store.CompactFile(path, time.Second)
		if err == nil {
			saved := before - after
			fmt.Fprintf(stdout, "compacted %s\n  before %d bytes (%s)\n  after  %d bytes (%s), %s smaller\n",
				path, before, size(before), after, size(after), size(saved))
		}
	case "check":
		var db *store.DB
		if db, err = openTool(path, true); err == nil {
			err = db.Check()
			db.Close()
			if err == nil {
				fmt.Fprintf(stdout, "%s: consistent\n", path)
			}
		}
	default:
		return sf.usageError(stderr, "unknown db command %q: want stats, compact, check or salvage", pos[0])
	}
	if err != nil {
		fmt.Fprintf(stderr, "rareterm db %s: %v\n", pos[0], withAdvice(err))
		return exitFail
	}
	return exitOK
}

// withAdvice adds to a damaged-database error what the user can do.
func withAdvice(err error) error {
	var de *store.DamagedError
	if !errors.As(err, &de) || strings.Contains(err.Error(), "rareterm db salvage") {
		return err
	}
	cmd := "rareterm db salvage"
	if de.Path != liveDBPath() {
		cmd += " --db " + shellQuote(de.Path)
	}
	return fmt.Errorf("%w; run %q to recover what can be read, or move it aside", err, cmd)
}

// shellQuote quotes a path for a command line shown to the user.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == '+' || r == ':' || r == ',' ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// dbSalvage copies what can be read of the database at path into out.
func dbSalvage(path, out string, stdout, stderr io.Writer) int {
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(stderr, "rareterm db salvage: no database at %s\n", path)
		return exitFail
	}
	if out == "" {
		base := strings.TrimSuffix(path, filepath.Ext(path))
		out = base + ".salvaged-" + time.Now().Format("20060102-150405") + ".db"
	}
	rep, err := store.Salvage(path, out, time.Second)
	if err != nil {
		fmt.Fprintf(stderr, "rareterm db salvage: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "salvaged %s into %s (%s database)\n\n", path, out, rep.Mode)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "bucket\tseries\tcopied\tunreadable values\tunreadable pages")
	for _, b := range rep.Buckets {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\n", b.Name, b.Series, b.Keys, b.BadValues, b.BadPages)
	}
	tw.Flush()
	if rep.Lost() {
		fmt.Fprintln(stdout, "\nlost (the values on these pages, and under a lost branch page, could not be read):")
		for _, d := range rep.Damage {
			fmt.Fprintf(stdout, "  %s\n", model.Sanitize(d))
		}
		if rep.MoreDamage > 0 {
			fmt.Fprintf(stdout, "  and %s more\n", plural(rep.MoreDamage, "page"))
		}
	} else {
		fmt.Fprintln(stdout, "\nnothing lost: every page and value read")
	}
	fmt.Fprintf(stdout, "\n%s is unchanged. To use the copy: stop rareterm, move %s aside and rename %s to %s.\n", path, path, out, path)
	if rep.Keys() == 0 {
		fmt.Fprintf(stderr, "rareterm db salvage: nothing could be read from %s\n", path)
		return exitFail
	}
	return exitOK
}

func dbStats(path string, w io.Writer) error {
	// Read-write (an exclusive lock, nothing written): bbolt loads the
	// free-page list only then. A missing file is not created.
	if err := mustExist(path); err != nil {
		return err
	}
	db, err := openTool(path, false)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := db.Stats()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %s database, schema %d\n", st.Path, st.Mode, st.Schema)
	fmt.Fprintf(w, "file %s (%d bytes): %s used, %s in free pages", size(st.FileSize), st.FileSize, size(st.Used), size(st.FreeBytes))
	if st.FreeBytes > st.FileSize/10 {
		fmt.Fprint(w, " (rareterm db compact gives them back)")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "bucket\tseries\trecords\tfirst\tlast\tsize")
	for _, b := range st.Buckets {
		layout := "2006-01-02"
		switch b.Name {
		case "quotes", "bars_1m", "boards", "members":
			layout = "2006-01-02 15:04"
		}
		when := func(t time.Time) string {
			if t.IsZero() {
				return "-"
			}
			return t.In(model.CST).Format(layout)
		}
		series := "-"
		if b.Series > 0 {
			series = fmt.Sprint(b.Series)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", b.Name, series, b.Records, when(b.First), when(b.Last), size(b.Bytes))
	}
	return tw.Flush()
}

// openTool opens the database at path for a tool: any mode, no move-aside,
// and no new file unless the tool writes data (import).
func openTool(path string, readOnly bool) (*store.DB, error) {
	if err := mustExist(path); err != nil && readOnly {
		return nil, err
	}
	return store.Open(path, store.Options{ReadOnly: readOnly, AnyMode: true, Timeout: time.Second})
}

// mustExist refuses a database that is not there: a command that reads
// never creates one.
func mustExist(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no database at %s (nothing collected yet, or --db/--demo names another)", path)
	}
	return nil
}

// size formats a byte count with binary units.
func size(n int64) string {
	switch {
	case n < 0:
		return "-" + size(-n)
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
