package ui

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/model"
)

// cmdState is the `:` command line: the input, the history and its cursor.
type cmdState struct {
	active  bool
	input   string
	history []string
	hpos    int // index into history while browsing; len(history) = new line
}

var commands = []string{"add", "rm", "range", "goto", "price", "export", "q"}

const commandUsage = ":add CODE · :rm CODE · :range 1d|5d|1m|6m|1y|all · :goto YYYY-MM-DD · :price \"PrNd oxide\" 682500 [元/吨|万元/吨|元/kg] · :export · :q"

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
	id   int
	asOf time.Time
	snap model.Snapshot
	err  error
}

func (m *Model) openCmdline(prefill string) {
	m.cmd.active = true
	m.cmd.input = prefill
	m.cmd.hpos = len(m.cmd.history)
}

func (m *Model) cmdKey(msg tea.KeyPressMsg) tea.Cmd {
	c := &m.cmd
	switch msg.String() {
	case "esc":
		c.active = false
	case "enter":
		line := strings.TrimSpace(c.input)
		c.active = false
		if line == "" {
			return nil
		}
		if n := len(c.history); n == 0 || c.history[n-1] != line {
			c.history = append(c.history, line)
		}
		return m.execute(line)
	case "tab":
		c.input = m.complete(c.input)
	case "up":
		if c.hpos > 0 {
			c.hpos--
			c.input = c.history[c.hpos]
		}
	case "down":
		if c.hpos < len(c.history)-1 {
			c.hpos++
			c.input = c.history[c.hpos]
		} else {
			c.hpos = len(c.history)
			c.input = ""
		}
	case "backspace":
		if r := []rune(c.input); len(r) > 0 {
			c.input = string(r[:len(r)-1])
		}
	case "ctrl+u":
		c.input = ""
	default:
		c.input += typed(msg)
	}
	return nil
}

// typed returns the printable text of a key press (spaces included); control
// characters and escape sequences never reach an input line.
func typed(msg tea.KeyPressMsg) string {
	var b strings.Builder
	for _, r := range msg.Text {
		if unicode.IsPrint(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// complete extends the input: a command name, a code after add/rm, an
// element after price, a range after range.
func (m *Model) complete(in string) string {
	fields := strings.Fields(in)
	trailing := strings.HasSuffix(in, " ")
	var cands []string
	prefix := ""
	switch {
	case len(fields) == 0:
		return in
	case len(fields) == 1 && !trailing:
		cands, prefix = commands, fields[0]
	default:
		if !trailing {
			prefix = fields[len(fields)-1]
		}
		switch fields[0] {
		case "add", "rm":
			for _, s := range m.searchCandidates() {
				if s.Market != model.MarketBoard {
					cands = append(cands, s.Code)
				}
			}
		case "range":
			for _, r := range rangeNames {
				cands = append(cands, strings.ToLower(r))
			}
		case "price":
			// The product is the first argument, possibly quoted with spaces.
			rest := strings.TrimLeft(strings.TrimPrefix(in, fields[0]), " ")
			if strings.Count(rest, `"`) >= 2 || (!strings.HasPrefix(rest, `"`) && strings.Contains(rest, " ")) {
				return in // past the product
			}
			prefix = strings.ToLower(strings.TrimPrefix(rest, `"`))
			var quoted []string
			for _, e := range model.Elements {
				if strings.HasPrefix(strings.ToLower(e.Short), prefix) {
					quoted = append(quoted, `"`+e.Short+`"`)
				}
			}
			if len(quoted) == 1 {
				return fields[0] + " " + quoted[0] + " "
			}
			return in
		}
	}
	sort.Strings(cands)
	var hits []string
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) {
			hits = append(hits, c)
		}
	}
	if len(hits) == 0 {
		return in
	}
	// Extend to the longest common prefix; a single hit completes with a space.
	lcp := hits[0]
	for _, h := range hits[1:] {
		for !strings.HasPrefix(h, lcp) {
			lcp = lcp[:len(lcp)-1]
		}
	}
	base := in
	if !trailing {
		base = strings.TrimSuffix(in, prefix)
	}
	if len(hits) == 1 {
		return base + lcp + " "
	}
	return base + lcp
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
		return nil, fmt.Errorf("unclosed quote")
	}
	if has {
		out = append(out, cur.String())
	}
	return out, nil
}

func (m *Model) fail(format string, args ...any) tea.Cmd {
	m.notice = NoticeMsg{Text: fmt.Sprintf(format, args...), Error: true}
	return nil
}

// execute runs one command line.
func (m *Model) execute(line string) tea.Cmd {
	args, err := splitArgs(line)
	if err != nil || len(args) == 0 {
		return m.fail(":%s: %v — %s", line, err, commandUsage)
	}
	switch args[0] {
	case "q", "quit":
		return tea.Quit
	case "add", "rm":
		if len(args) < 2 {
			return m.fail(":%s needs a code, e.g. :%s 600392", args[0], args[0])
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
			return m.fail(":range takes one of 1d 5d 1m 6m 1y all")
		}
		for i, r := range rangeNames {
			if strings.EqualFold(args[1], r) {
				switch m.top().kind {
				case screenTicker:
					m.detail.rng = i
				case screenElement, screenIndex:
					m.vs().rng = i
				default:
					return m.fail(":range applies to a chart view; open a ticker, element or the index first")
				}
				m.bodyDirty = true
				return nil
			}
		}
		return m.fail(":range %s: want one of 1d 5d 1m 6m 1y all", args[1])
	case "goto":
		if !m.deps.Offline {
			return m.fail(":goto works in offline review (rareterm --offline)")
		}
		if len(args) != 2 {
			return m.fail(":goto takes a date, e.g. :goto 2025-10-10")
		}
		d, err := model.ParseDay(args[1])
		if err != nil {
			return m.fail(":goto: %v", err)
		}
		return m.gotoDate(d)
	case "price":
		return m.manualPrice(args[1:])
	case "export":
		return m.export()
	}
	return m.fail("unknown command :%s — %s", args[0], commandUsage)
}

// manualPrice stores a price typed by the user, with source "manual".
func (m *Model) manualPrice(args []string) tea.Cmd {
	if len(args) < 2 || len(args) > 4 {
		return m.fail(`:price takes a product and a price, e.g. :price "PrNd oxide" 682500 (unit 元/吨 unless given; date today unless given)`)
	}
	id, ok := model.LookupElement(args[0])
	if !ok {
		return m.fail(":price: unknown product %q (known: %s)", args[0], elementNames())
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(args[1], ",", ""), 64)
	if err != nil || !(v > 0) || !model.Known(v) {
		return m.fail(":price: %q is not a positive number", args[1])
	}
	unit, date := "元/吨", model.Day(m.now)
	for _, a := range args[2:] {
		if d, err := model.ParseDay(a); err == nil {
			date = d
			continue
		}
		unit = a
	}
	p, err := model.ToYuanPerTon(v, unit)
	if err != nil {
		return m.fail(":price: %v", err)
	}
	ep := model.ElementPrice{Element: id, Date: date, Price: p, Low: model.Unknown, High: model.Unknown, Source: "manual", OrigUnit: unit}
	m.applyBatch(model.Batch{At: m.now, Elements: []model.ElementPrice{ep}})
	text := fmt.Sprintf("%s %s = %s 元/吨 (manual)", date.Format("2006-01-02"), model.ElementName(id), thousands(p, 0))
	if m.deps.SavePrices == nil {
		m.notice = NoticeMsg{Text: text + " — shown, not stored (no database)"}
		return nil
	}
	save := m.deps.SavePrices
	return func() tea.Msg {
		if err := save([]model.ElementPrice{ep}); err != nil {
			return savedMsg{err: err}
		}
		return savedMsg{text: text + " stored"}
	}
}

func elementNames() string {
	var n []string
	for _, e := range model.Elements {
		n = append(n, e.Short)
	}
	return strings.Join(n, ", ")
}

// addToWatchlist adds a code, tells the poller and saves the config.
func (m *Model) addToWatchlist(code string) tea.Cmd {
	sym, err := model.ParseSymbol(code)
	if err != nil || sym.Market == model.MarketBoard {
		return m.fail(":add %s: not a stock, ETF or HK code (e.g. 600392, 06680, 516150)", code)
	}
	if m.inWatchlist(sym.Code) {
		m.notice = NoticeMsg{Text: sym.Code + " is already on the watchlist"}
		return nil
	}
	m.watch = append(m.watch, m.enrich(sym))
	return m.watchlistChanged("added " + sym.Code)
}

func (m *Model) removeFromWatchlist(code string) tea.Cmd {
	sym, err := model.ParseSymbol(code)
	if err != nil {
		return m.fail(":rm %s: %v", code, err)
	}
	for i, s := range m.watch {
		if s.Code == sym.Code {
			m.watch = append(m.watch[:i:i], m.watch[i+1:]...)
			return m.watchlistChanged("removed " + sym.Code)
		}
	}
	return m.fail(":rm %s: not on the watchlist", sym.Code)
}

func (m *Model) watchlistChanged(what string) tea.Cmd {
	m.recompute(model.Changes{Margin: true})
	m.sel[pWatch] = min(m.sel[pWatch], max(len(m.watch)-1, 0))
	m.bodyDirty = true
	watch := append([]model.Symbol(nil), m.watch...)
	if m.deps.OnWatchlist != nil {
		m.deps.OnWatchlist(watch)
	}
	if m.deps.SaveWatchlist == nil {
		m.notice = NoticeMsg{Text: what + " (not saved: no config file)"}
		return nil
	}
	save := m.deps.SaveWatchlist
	codes := make([]string, len(watch))
	for i, s := range watch {
		codes[i] = s.Code
	}
	return func() tea.Msg {
		if err := save(codes); err != nil {
			return watchlistMsg{err: fmt.Errorf("%s, but saving the config failed: %w", what, err)}
		}
		return watchlistMsg{text: what + "; watchlist saved"}
	}
}

// exportRows returns the current view's data as a table.
func (m *Model) exportRows() (string, [][]string) {
	f := func(v float64) string {
		if !model.Known(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	day := func(t time.Time) string { return t.In(model.CST).Format("2006-01-02") }
	top := m.top()
	switch top.kind {
	case screenTicker:
		rows := [][]string{{"date", "open", "high", "low", "close", "volume", "amount", "source"}}
		for _, b := range m.dailyBars(top.symbol) {
			rows = append(rows, []string{day(b.Time), f(b.Open), f(b.High), f(b.Low), f(b.Close), f(b.Volume), f(b.Amount), b.Source})
		}
		return "bars-" + top.symbol, rows
	case screenElement:
		rows := [][]string{{"date", "element", "price_yuan_per_t", "low", "high", "source", "orig_unit"}}
		for _, p := range m.st.Elements[model.ElementID(top.symbol)] {
			rows = append(rows, []string{day(p.Date), string(p.Element), f(p.Price), f(p.Low), f(p.High), p.Source, p.OrigUnit})
		}
		return "element-" + top.symbol, rows
	case screenIndex:
		rows := [][]string{{"date", "index"}}
		for _, p := range m.derived.index.Points {
			rows = append(rows, []string{day(p.Date), f(p.Value)})
		}
		return "index", rows
	case screenContract:
		return "contract", contractRows(m.st.Contract)
	case screenBoard:
		rows := [][]string{{"code", "name", "last", "change_pct", "main_net", "turnover_pct", "amount", "source"}}
		for _, q := range m.boardMembers(top.symbol) {
			rows = append(rows, []string{q.Symbol, q.Name, f(q.Last), f(q.ChangePct()), f(q.MainNet), f(q.TurnoverPct), f(q.Amount), q.Source})
		}
		return "board-" + top.symbol, rows
	}
	switch m.focus {
	case pElements:
		rows := [][]string{{"element", "date", "price_yuan_per_t", "source"}}
		for _, r := range m.derived.elements {
			if r.has {
				rows = append(rows, []string{string(r.id), day(r.last.Date), f(r.last.Price), r.last.Source})
			}
		}
		return "elements", rows
	case pContract:
		return "contract", contractRows(m.st.Contract)
	case pMargin:
		rows := [][]string{{"code", "date", "fin_balance", "fin_buy", "fin_repay", "fin_net_buy", "lend_balance", "total", "balance_pct_float", "source"}}
		for _, r := range m.derived.margin {
			if r.has {
				d := r.last
				rows = append(rows, []string{r.sym.Code, day(d.Date), f(d.FinBalance), f(d.FinBuy), f(d.FinRepay), f(d.FinNetBuy), f(d.LendBalance), f(d.Total), f(d.BalancePct), d.Source})
			}
		}
		return "margin", rows
	case pSector:
		rows := [][]string{{"board", "name", "change_pct", "main_net", "up", "down", "leader", "source"}}
		for _, b := range m.derived.boards {
			rows = append(rows, []string{b.Code, b.Name, f(b.ChangePct), f(b.MainNet), strconv.Itoa(b.Up), strconv.Itoa(b.Down), b.Leader, b.Source})
		}
		return "boards", rows
	case pIndex:
		rows := [][]string{{"date", "index"}}
		for _, p := range m.derived.index.Points {
			rows = append(rows, []string{day(p.Date), f(p.Value)})
		}
		return "index", rows
	}
	rows := [][]string{{"code", "name", "last", "prev_close", "change_pct", "amount", "main_net", "time", "source"}}
	for _, s := range m.watch {
		if q, ok := m.st.Quotes[s.Code]; ok {
			rows = append(rows, []string{s.Code, q.Name, f(q.Last), f(q.PrevClose), f(q.ChangePct()), f(q.Amount), f(q.MainNet), q.Time.In(model.CST).Format(time.RFC3339), q.Source})
		}
	}
	return "watchlist", rows
}

func contractRows(cs []model.ContractQuarter) [][]string {
	rows := [][]string{{"quarter", "price_yuan_per_t", "basis_reo_pct", "step_per_pct", "source"}}
	for _, c := range cs {
		rows = append(rows, []string{c.Quarter.String(), strconv.FormatFloat(c.Price, 'f', -1, 64), strconv.FormatFloat(c.Basis(), 'f', -1, 64), strconv.FormatFloat(model.Round2(c.StepPerPct()), 'f', 2, 64), c.Source})
	}
	return rows
}

// export writes the current view's data to a CSV file in the export
// directory, off the UI goroutine.
func (m *Model) export() tea.Cmd {
	name, rows := m.exportRows()
	dir := m.deps.ExportDir
	if dir == "" {
		dir = "."
	}
	path := filepath.Join(dir, fmt.Sprintf("rareterm-%s-%s.csv", name, m.now.In(model.CST).Format("20060102-150405")))
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

// gotoDate asks for the snapshot as of d (offline review).
func (m *Model) gotoDate(d time.Time) tea.Cmd {
	if m.deps.SnapshotAt == nil {
		return m.fail("no database to review")
	}
	m.reqID++
	id, at := m.reqID, d.Add(24*time.Hour-time.Nanosecond) // the whole day
	m.notice = NoticeMsg{Text: "reading the market as of " + d.Format("2006-01-02") + "…"}
	load := m.deps.SnapshotAt
	return func() tea.Msg {
		s, err := load(at)
		return snapshotMsg{id: id, asOf: d, snap: s, err: err}
	}
}

// cmdlineView is the input line drawn in place of the status bar.
func (m *Model) cmdlineView(w int) string {
	return fit(":"+m.cmd.input+"█", w)
}
