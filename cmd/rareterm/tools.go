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

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

func runExport(args []string, stdout, stderr io.Writer) int {
	sf := newSubFlags("export", i18n.ExportUsage, true, args, stderr)
	l := sf.lang
	series := sf.fs.String("series", "", i18n.FlagSeries.F(l, strings.Join(store.ExportSeries, ", ")))
	symbol := sf.fs.String("symbol", "", i18n.FlagSymbol.In(l))
	fromS := sf.fs.String("from", "", i18n.FlagFrom.In(l))
	toS := sf.fs.String("to", "", i18n.FlagTo.In(l))
	format := sf.fs.String("format", "csv", i18n.FlagFormat.In(l))
	pos, code, ok := sf.parse(args)
	if !ok {
		return code
	}
	switch {
	case len(pos) > 0:
		return sf.usageError(stderr, i18n.CLIUnexpected, pos[0])
	case *series == "":
		return sf.usageError(stderr, i18n.ExportSeriesRequired)
	case !slices.Contains(store.ExportSeries, *series):
		return sf.usageError(stderr, i18n.ExportSeriesWant, *series, strings.Join(store.ExportSeries, ", "))
	case *format != "csv" && *format != "json":
		return sf.usageError(stderr, i18n.ExportFormatWant, *format)
	case *series == "contract" && *symbol != "":
		return sf.usageError(stderr, i18n.ExportContractSymbol)
	}
	var from, to time.Time
	if *fromS != "" {
		d, err := model.ParseDay(*fromS)
		if err != nil {
			return sf.usageError(stderr, i18n.ExportBadFrom, err)
		}
		from = d
	}
	if *toS != "" {
		d, err := model.ParseDay(*toS)
		if err != nil {
			return sf.usageError(stderr, i18n.ExportBadTo, err)
		}
		to = d.AddDate(0, 0, 1).Add(-time.Nanosecond) // the whole day
	}
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return sf.usageError(stderr, i18n.ExportFromAfterTo, *fromS, *toS)
	}
	sym := *symbol
	if sym != "" && *series != "elements" {
		s, err := model.ParseSymbol(sym)
		if err != nil {
			return sf.usageError(stderr, i18n.ExportBadSymbol, err)
		}
		sym = s.Code
	}

	db, err := openTool(sf.opts.dbPath(), true)
	if err != nil {
		fmt.Fprintf(stderr, "rareterm export: %s\n", i18n.Say(l, withAdvice(err)))
		return exitFail
	}
	defer db.Close()
	if err := db.Export(*series, sym, from, to, stdout, *format); err != nil {
		fmt.Fprintf(stderr, "rareterm export: %s\n", i18n.Say(l, withAdvice(err)))
		return exitFail
	}
	return exitOK
}

func runImport(args []string, stdout, stderr io.Writer) int {
	sf := newSubFlags("import", i18n.ImportUsage, false, args, stderr)
	l := sf.lang
	pos, code, ok := sf.parse(args)
	if !ok {
		return code
	}
	switch {
	case len(pos) == 0:
		return sf.usageError(stderr, i18n.ImportNoFile)
	case len(pos) > 1:
		return sf.usageError(stderr, i18n.ImportOneFile, len(pos))
	}
	cfg, err := LoadConfig(sf.opts.configPath()) // for the price bands
	if err != nil {
		fmt.Fprintf(stderr, "rareterm import: %s\n", i18n.ImportNothing.F(l, err))
		return exitFail
	}
	name := pos[0]
	var in io.Reader
	if name == "-" {
		in, name = os.Stdin, "stdin"
	} else {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "rareterm import: %v\n", err) // the system's words
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
				fmt.Fprintln(stderr, i18n.ImportRowNoColumn.F(l, name, e.Line, e.ReasonIn(l)))
			} else {
				fmt.Fprintln(stderr, i18n.ImportRowColumn.F(l, name, e.Line, e.Column, e.ReasonIn(l)))
			}
		}
		if len(rows) == 1 {
			fmt.Fprintf(stderr, "rareterm import: %s\n", i18n.ImportOneProblem.F(l, name))
		} else {
			fmt.Fprintf(stderr, "rareterm import: %s\n", i18n.ImportProblems.F(l, name, len(rows)))
		}
		return exitFail
	case err != nil:
		fmt.Fprintf(stderr, "rareterm import: %s\n", i18n.ImportFileNothing.F(l, name, err))
		return exitFail
	}
	db, err := openTool(sf.opts.dbPath(), false)
	if err != nil {
		fmt.Fprintf(stderr, "rareterm import: %s\n", i18n.Say(l, withAdvice(err)))
		return exitFail
	}
	defer db.Close()
	rep, err := db.Import(batch)
	if err != nil {
		fmt.Fprintf(stderr, "rareterm import: %s\n", i18n.ImportNothing.F(l, err))
		return exitFail
	}
	if rep.Rows == 1 {
		fmt.Fprintln(stdout, i18n.ImportedOne.F(l, rep.New, rep.Changed, rep.Unchanged))
	} else {
		fmt.Fprintln(stdout, i18n.ImportedRows.F(l, rep.Rows, rep.New, rep.Changed, rep.Unchanged))
	}
	return exitOK
}

func runDB(args []string, stdout, stderr io.Writer) int {
	sf := newSubFlags("db", i18n.DBUsage, true, args, stderr)
	l := sf.lang
	out := sf.fs.String("out", "", i18n.FlagOut.In(l))
	pos, code, ok := sf.parse(args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return sf.usageError(stderr, i18n.DBWantCommand)
	}
	if *out != "" && pos[0] != "salvage" {
		return sf.usageError(stderr, i18n.DBOutSalvageOnly)
	}
	path := sf.opts.dbPath()
	var err error
	switch pos[0] {
	case "salvage":
		return dbSalvage(path, *out, l, stdout, stderr)
	case "stats":
		err = dbStats(path, l, stdout)
	case "compact":
		var before, after int64
		before, after, err = store.CompactFile(path, time.Second)
		if err == nil {
			saved := before - after
			fmt.Fprint(stdout, i18n.DBCompacted.F(l, path, before, size(before), after, size(after), size(saved)))
		}
	case "check":
		var db *store.DB
		if db, err = openTool(path, true); err == nil {
			err = db.Check()
			db.Close()
			if err == nil {
				fmt.Fprint(stdout, i18n.DBConsistent.F(l, path))
			}
		}
	default:
		return sf.usageError(stderr, i18n.DBUnknownCommand, pos[0])
	}
	if err != nil {
		fmt.Fprintf(stderr, "rareterm db %s: %s\n", pos[0], i18n.Say(l, withAdvice(err)))
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
	return i18n.Errorf(i18n.CLIAdvice, err, cmd)
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
func dbSalvage(path, out string, l i18n.Lang, stdout, stderr io.Writer) int {
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(stderr, "rareterm db salvage: %s\n", i18n.DBNoDatabaseAt.F(l, path))
		return exitFail
	}
	if out == "" {
		base := strings.TrimSuffix(path, filepath.Ext(path))
		out = base + ".salvaged-" + time.Now().Format("20060102-150405") + ".db"
	}
	rep, err := store.Salvage(path, out, time.Second)
	if err != nil {
		fmt.Fprintf(stderr, "rareterm db salvage: %s\n", i18n.Say(l, err))
		return exitFail
	}
	fmt.Fprint(stdout, i18n.DBSalvaged.F(l, path, out, dbMode(rep.Mode)))
	rows := [][]string{strings.Split(i18n.DBSalvageHeader.In(l), "\t")}
	for _, b := range rep.Buckets {
		rows = append(rows, []string{b.Name, fmt.Sprint(b.Series), fmt.Sprint(b.Keys), fmt.Sprint(b.BadValues), fmt.Sprint(b.BadPages)})
	}
	table(stdout, rows, l)
	if rep.Lost() {
		fmt.Fprintln(stdout, i18n.DBSalvageLost.In(l))
		for _, d := range rep.Damage {
			fmt.Fprintf(stdout, "  %s\n", model.Sanitize(d))
		}
		switch {
		case rep.MoreDamage == 1:
			fmt.Fprint(stdout, i18n.DBSalvageMoreOne.In(l))
		case rep.MoreDamage > 1:
			fmt.Fprint(stdout, i18n.DBSalvageMore.F(l, rep.MoreDamage))
		}
	} else {
		fmt.Fprintln(stdout, i18n.DBSalvageNoLoss.In(l))
	}
	fmt.Fprint(stdout, i18n.DBSalvageUse.F(l, path, path, out, path))
	if rep.Keys() == 0 {
		fmt.Fprintf(stderr, "rareterm db salvage: %s\n", i18n.DBSalvageNothing.F(l, path))
		return exitFail
	}
	return exitOK
}

func dbStats(path string, l i18n.Lang, w io.Writer) error {
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
	fmt.Fprint(w, i18n.DBStatsHead.F(l, st.Path, dbMode(st.Mode), st.Schema))
	fmt.Fprint(w, i18n.DBStatsFile.F(l, size(st.FileSize), st.FileSize, size(st.Used), size(st.FreeBytes)))
	if st.FreeBytes > st.FileSize/10 {
		fmt.Fprint(w, i18n.DBStatsCompactHint.In(l))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	rows := [][]string{strings.Split(i18n.DBStatsHeader.In(l), "\t")}
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
		rows = append(rows, []string{b.Name, series, fmt.Sprint(b.Records), when(b.First), when(b.Last), size(b.Bytes)})
	}
	table(w, rows, l)
	return nil
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
		return i18n.Errorf(i18n.DBNoDatabaseYet, path)
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

// table writes rows in columns: in English through text/tabwriter, in
// Chinese aligned by display width (writeTable).
func table(w io.Writer, rows [][]string, l i18n.Lang) {
	if l != i18n.EN {
		writeTable(w, rows)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
}

// dbMode is a database's mode (live, demo) in either language.
type dbMode string

func (m dbMode) In(l i18n.Lang) string {
	switch m {
	case store.ModeLive:
		return i18n.CLIModeLive.In(l)
	case store.ModeDemo:
		return i18n.CLIModeDemo.In(l)
	}
	return string(m)
}
