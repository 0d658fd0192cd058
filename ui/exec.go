package ui

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/widgets"
)

// watchlistMsg reports a saved watchlist change.
type watchlistMsg struct {
	text string
	err  error
}

// exportMsg reports a finished export.
type exportMsg struct {
	path string
	rows int
	err  error
}

// savedMsg reports a stored manual price.
type savedMsg struct {
	text string
	err  error
}

// snapshotMsg carries a snapshot read as of a date (offline review).
type snapshotMsg struct {
	id     int
	asOf   time.Time
	snap   model.Snapshot
	err    error
	ladder *model.Ladder // the last pool cached as of then (nil: none, or no LadderAt)
}

// priceArgs reads the arguments of :price: the product (quoted or not,
// one word or several, straight or full-width quotes), then the price, unit
// and date. The product is the longest run of leading words that names one.
func priceArgs(s string) []string {
	s = strings.NewReplacer(`"`, " ", "“", " ", "”", " ", "「", " ", "」", " ").Replace(s)
	words := strings.Fields(s)
	for n := len(words); n > 1; n-- {
		if _, ok := model.LookupElement(strings.Join(words[:n], " ")); ok {
			return append([]string{strings.Join(words[:n], " ")}, words[n:]...)
		}
	}
	return words
}

// splitArgs splits a command line on spaces, keeping "quoted words" whole.
func splitArgs(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inQ, has := false, false
	for _, r := range s {
		switch {
		case r == '"':
			inQ = !inQ
			has = true
		case r == ' ' && !inQ:
			if has {
				out = append(out, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	if inQ {
		return nil, i18n.Errorf(i18n.CmdUnclosedQuote)
	}
	if has {
		out = append(out, cur.String())
	}
	return out, nil
}

// fail shows a message of the catalogue as an error in the status bar.
func (m *Model) fail(t i18n.Text, args ...any) tea.Cmd {
	m.notice = NoticeMsg{Text: m.c.F(t, args...), Error: true}
	return nil
}

// say shows a message of the catalogue in the status bar.
func (m *Model) say(t i18n.Text, args ...any) {
	m.notice = NoticeMsg{Text: m.c.F(t, args...)}
}

// execute runs one command line.
func (m *Model) execute(line string) tea.Cmd {
	// A line pasted with its colon (":price …") is the same command.
	line = strings.TrimLeft(strings.TrimSpace(line), ":：")
	if w, rest, _ := strings.Cut(line, " "); w == "price" {
		// The product may be quoted, half-quoted (the `p` prefill) or
		// written as it is: :price reads its words itself.
		return m.manualPrice(priceArgs(rest))
	}
	args, err := splitArgs(line)
	if err != nil || len(args) == 0 {
		return m.fail(i18n.CmdBadLine, line, err, i18n.CmdUsage)
	}
	switch args[0] {
	case "q", "quit":
		return tea.Quit
	case "add", "rm":
		if len(args) < 2 {
			return m.fail(i18n.CmdNeedsCode, args[0])
		}
		var cmds []tea.Cmd
		for _, code := range args[1:] {
			if args[0] == "add" {
				cmds = append(cmds, m.addToWatchlist(code))
			} else {
				cmds = append(cmds, m.removeFromWatchlist(code))
			}
		}
		return tea.Batch(cmds...)
	case "range":
		if len(args) != 2 {
			return m.fail(i18n.CmdRangeArgs)
		}
		for i, r := range widgets.RangeNames {
			if strings.EqualFold(args[1], r) {
				rs, ok := m.Top().(common.Ranged)
				if !ok {
					return m.fail(i18n.CmdRangeNoChart)
				}
				rs.SetRange(i)
				return nil
			}
		}
		return m.fail(i18n.CmdRangeBad, args[1])
	case "goto":
		if !m.deps.Offline {
			return m.fail(i18n.CmdGotoOffline)
		}
		if len(args) != 2 {
			return m.fail(i18n.CmdGotoArgs)
		}
		d, err := model.ParseDay(args[1])
		if err != nil {
			return m.fail(i18n.CmdGotoBad, err)
		}
		return m.gotoDate(d)
	case "price":
		return m.manualPrice(args[1:])
	case "export":
		return m.export()
	case "alert":
		return m.execAlert(line, args)
	case "alerts":
		return m.alertsScreen()
	case "ladder", "margin":
		cmd, _ := m.marketCommand(args[0])
		return cmd
	}
	return m.fail(i18n.CmdUnknown, args[0], i18n.CmdUsage)
}

// manualPrice stores a price typed by the user, with source "manual".
func (m *Model) manualPrice(args []string) tea.Cmd {
	if len(args) < 2 || len(args) > 4 {
		return m.fail(i18n.CmdPriceArgs)
	}
	id, ok := model.LookupElement(args[0])
	if !ok {
		var n []string
		for _, e := range model.Elements {
			n = append(n, widgets.ElementName(m.c.Lang, e.ID))
		}
		return m.fail(i18n.CmdPriceUnknown, args[0], strings.Join(n, ", "))
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(args[1], ",", ""), 64)
	if err != nil || !(v > 0) || !model.Known(v) {
		return m.fail(i18n.CmdPriceNotNumber, args[1])
	}
	unit, date := "元/吨", model.Day(m.mkt.Now)
	for _, a := range args[2:] {
		if d, err := model.ParseDay(a); err == nil {
			date = d
			continue
		}
		unit = a
	}
	p, err := model.ToYuanPerTon(v, unit)
	if err != nil {
		return m.fail(i18n.CmdPriceErr, err)
	}
	ep := model.ElementPrice{Element: id, Date: date, Price: p, Low: model.Unknown, High: model.Unknown, Source: model.ManualSource, OrigUnit: unit}
	if err := m.deps.Bands.Check(ep); err != nil {
		return m.fail(i18n.CmdPriceErr, err)
	}
	m.mkt.Apply(model.Batch{At: m.mkt.Now, Elements: []model.ElementPrice{ep}})
	refresh := m.updateTop(common.RefreshMsg{})
	text := m.c.F(i18n.CmdPriceSet, date.Format("2006-01-02"), widgets.ElementName(m.c.Lang, id), widgets.ElementPrice(p, m.c.Wan), widgets.ElementUnit(m.c.Lang, m.c.Wan))
	if m.deps.SavePrices == nil {
		m.say(i18n.CmdPriceShown, text)
		return refresh
	}
	save, stored := m.deps.SavePrices, m.c.F(i18n.CmdPriceStored, text)
	return tea.Batch(refresh, func() tea.Msg {
		if err := save([]model.ElementPrice{ep}); err != nil {
			return savedMsg{err: err}
		}
		return savedMsg{text: stored}
	})
}

// addToWatchlist adds a code, tells the poller and saves the config.
func (m *Model) addToWatchlist(code string) tea.Cmd {
	sym, err := model.ParseSymbol(code)
	if err != nil || sym.Market == model.MarketBoard {
		return m.fail(i18n.CmdAddBad, code)
	}
	if m.mkt.InWatchlist(sym.Code) {
		m.say(i18n.CmdAlreadyWatched, sym.Code)
		return nil
	}
	m.mkt.Watch = append(m.mkt.Watch, m.mkt.Enrich(sym))
	return m.watchlistChanged(m.c.F(i18n.CmdAdded, sym.Code))
}

func (m *Model) removeFromWatchlist(code string) tea.Cmd {
	sym, err := model.ParseSymbol(code)
	if err != nil {
		return m.fail(i18n.CmdRmBad, code, err)
	}
	for i, s := range m.mkt.Watch {
		if s.Code == sym.Code {
			m.mkt.Watch = append(m.mkt.Watch[:i:i], m.mkt.Watch[i+1:]...)
			return m.watchlistChanged(m.c.F(i18n.CmdRemoved, sym.Code))
		}
	}
	return m.fail(i18n.CmdRmNotWatched, sym.Code)
}

func (m *Model) watchlistChanged(what string) tea.Cmd {
	m.mkt.Recompute(model.Changes{Margin: true})
	refresh := m.updateTop(common.RefreshMsg{})
	watch := append([]model.Symbol(nil), m.mkt.Watch...)
	if m.deps.OnWatchlist != nil {
		m.deps.OnWatchlist(watch)
	}
	if m.deps.SaveWatchlist == nil {
		m.say(i18n.CmdNotSaved, what)
		return refresh
	}
	save := m.deps.SaveWatchlist
	codes := make([]string, len(watch))
	for i, s := range watch {
		codes[i] = s.Code
	}
	where := m.c.T(i18n.CmdWhereConfig)
	if m.deps.Demo {
		where = m.c.T(i18n.CmdWhereDemo)
	}
	saved := m.c.F(i18n.CmdSavedTo, what, where)
	return tea.Batch(refresh, func() tea.Msg {
		if err := save(codes); err != nil {
			return watchlistMsg{err: i18n.Errorf(i18n.CmdSaveFailed, what, where, err)}
		}
		return watchlistMsg{text: saved}
	})
}

// export writes the data of the topmost screen that has any to a CSV file
// in the export directory, off the UI goroutine.
func (m *Model) export() tea.Cmd {
	var name string
	var rows [][]string
	for i := len(m.stack) - 1; i >= 0; i-- {
		if e, ok := m.stack[i].(common.Exporter); ok {
			name, rows = e.Export()
			break
		}
	}
	dir := m.deps.ExportDir
	if dir == "" {
		dir = "."
	}
	path := filepath.Join(dir, fmt.Sprintf("rareterm-%s-%s.csv", name, m.mkt.Now.In(model.CST).Format("20060102-150405")))
	return func() tea.Msg {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			return exportMsg{err: err}
		}
		w := csv.NewWriter(f)
		werr := w.WriteAll(rows)
		cerr := f.Close()
		if werr != nil {
			return exportMsg{err: werr}
		}
		if cerr != nil {
			return exportMsg{err: cerr}
		}
		abs, _ := filepath.Abs(path)
		return exportMsg{path: abs, rows: len(rows) - 1}
	}
}

func (m *Model) exported(msg exportMsg) {
	if msg.err != nil {
		m.fail(i18n.CmdExportFailed, msg.err)
		return
	}
	m.say(i18n.CmdExported, msg.rows, msg.path)
}

// gotoDate asks for the snapshot as of d (offline review).
func (m *Model) gotoDate(d time.Time) tea.Cmd {
	if m.deps.SnapshotAt == nil {
		return m.fail(i18n.CmdNoDatabase)
	}
	m.reqID++
	id, at := m.reqID, d.Add(24*time.Hour-time.Nanosecond) // the whole day
	m.say(i18n.CmdReadingAsOf, d.Format("2006-01-02"))
	load, ladderAt := m.deps.SnapshotAt, m.deps.LadderAt
	return func() tea.Msg {
		s, err := load(at)
		msg := snapshotMsg{id: id, asOf: d, snap: s, err: err}
		if ladderAt != nil {
			if l, ok, lerr := ladderAt(at); lerr == nil && ok {
				msg.ladder = &l
			}
		}
		return msg
	}
}

// applySnapshot replaces the market with one read as of a date; every
// screen on the stack drops what it loaded for the old date.
func (m *Model) applySnapshot(msg snapshotMsg) tea.Cmd {
	if msg.id != m.reqID {
		return nil // a newer request is on its way
	}
	if msg.err != nil {
		return m.fail(i18n.CLIReadingCache, msg.err)
	}
	m.mkt.Replace(msg.snap, msg.asOf)
	if m.deps.LadderAt != nil {
		m.mkt.ReplaceLadder(msg.ladder)
	}
	m.say(i18n.CmdAsOf, widgets.DayWeek(m.c.Lang, msg.asOf))
	var cmds []tea.Cmd
	for i := range m.stack {
		cmds = append(cmds, m.updateAt(i, common.RefreshMsg{Reset: true}))
	}
	return tea.Batch(cmds...)
}
