package ui

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/screens/dashboard"
	"github.com/rareterm/rareterm/ui/screens/etfflow"
	"github.com/rareterm/rareterm/ui/screens/ladder"
	"github.com/rareterm/rareterm/ui/screens/sectormargin"
	"github.com/rareterm/rareterm/ui/screens/ticker"
)

// fixtureLadder is the pool of the fixture's day: the sample pool's names,
// and 金力永磁 (on the watchlist, the sector without a sector list) on a
// third board.
func fixtureLadder() model.Ladder {
	at := func(hms int) time.Time {
		d := model.Date(2026, 1, 9)
		return d.Add(time.Duration(hms/10000)*time.Hour + time.Duration(hms/100%100)*time.Minute + time.Duration(hms%100)*time.Second)
	}
	return model.Ladder{Day: model.Date(2026, 1, 9), Source: "fixture", Rows: []model.LimitUp{
		{Code: "000795", Market: model.MarketSZSE, Name: "英洛华", Price: 9.64, ChangePct: 10.05, Height: 2, First: at(92500), Last: at(92500), Sealed: 386785720, Board: "磁性材料"},
		{Code: "600980", Market: model.MarketSSE, Name: "北矿科技", Price: 24.31, ChangePct: 10, Height: 1, First: at(101422), Last: at(134510), Breaks: 2, Sealed: 45605560, Board: "专用设备"},
		{Code: "300224", Market: model.MarketSZSE, Name: "正海磁材", Price: 15.12, ChangePct: 20, Height: 1, First: at(140307), Last: at(140307), Sealed: 79848720, Board: "磁性材料"},
		{Code: "300748", Market: model.MarketSZSE, Name: "金力永磁", Price: 31.20, ChangePct: 20, Height: 3, First: at(93105), Last: at(93105), Sealed: 512000000, Board: "磁性材料"},
	}}
}

// fixtureFlow is 516150's last six days of main-force net inflow, 元.
func fixtureFlow() model.ETFFlow {
	f := model.ETFFlow{Code: "516150", Name: "稀土ETF", Source: "fixture"}
	days := model.TradingDays(model.ExchangeA, model.Date(2025, 12, 31), model.Date(2026, 1, 9)) // 12-31, 01-05 … 01-09
	for i, v := range []float64{9e7, -3e7, 5e7, -2e7, 4e7, 8123456} {
		f.Days = append(f.Days, model.FlowDay{Date: days[i], Flow: model.Flow{Main: v, Super: v / 2, Large: v / 2, Medium: -v / 3, Small: -v * 2 / 3}, ChangePct: 0.5})
	}
	return f
}

// fixtureUniverse is a small universe served as the market poller would.
func fixtureUniverse() model.Universe {
	return model.Universe{Day: model.Date(2026, 1, 9), Source: "fixture", Symbols: []model.Symbol{
		{Code: "600519", Market: model.MarketSSE, Name: "贵州茅台"},
		{Code: "601988", Market: model.MarketSSE, Name: "中国银行"},
		{Code: "03988", Market: model.MarketHKEX, Name: "中国银行", NameEn: "BANK OF CHINA"},
		{Code: "000001", Market: model.MarketSZSE, Name: "平安银行"},
		{Code: "600111", Market: model.MarketSSE, Name: "北方稀土"},
		{Code: "000795", Market: model.MarketSZSE, Name: "英洛华"},
	}}
}

func withMarket(m *Model) *Model {
	l := fixtureLadder()
	send(m, NewUniverseMsg(fixtureUniverse()))
	send(m, MarketMsg{Ladder: &l})
	return m
}

// The definition of done: / then 茅台, gzmt or 600519 opens 贵州茅台; yh
// finds 中国银行.
func TestSearchOpensAnySymbolOfTheUniverse(t *testing.T) {
	for _, q := range []string{"茅台", "gzmt", "600519", "guizhoumaotai"} {
		m := withMarket(sized(fixtureModel(false), 120, 40))
		press(m, "/")
		for _, r := range q {
			press(m, string(r))
		}
		press(m, "enter")
		tk := top[*ticker.Screen](t, m)
		if tk.Code() != "600519" {
			t.Errorf("%s opened %s", q, tk.Code())
		}
		if s := screenText(m); !strings.Contains(s, "贵州茅台") {
			t.Errorf("%s: the ticker does not name 贵州茅台:\n%s", q, s)
		}
	}
	m := withMarket(sized(fixtureModel(false), 120, 40))
	s := openSearch(m, "yh")
	found := false
	for _, h := range s.Hits() {
		if h.Sym.Code == "601988" {
			found = true
		}
	}
	if !found {
		t.Errorf("yh does not find 中国银行: %v", s.Hits())
	}
	if !strings.Contains(screenText(m), "6 symbols as of 2026-01-09") {
		t.Errorf("the search does not say what it searches:\n%s", screenText(m))
	}
}

func TestLadderScreenShowsHeights(t *testing.T) {
	m := withMarket(sized(fixtureModel(false), 120, 40))
	press(m, ":", "l", "a", "d", "d", "e", "r", "enter")
	lv := top[*ladder.Screen](t, m)
	s := screenText(m)
	for _, want := range []string{"3连板 (1)", "2连板 (1)", "首板 (2)", "3连板 1 · 2连板 1 · 首板 2", "10:14:22", "13:45:10", "★"} {
		if !strings.Contains(s, want) {
			t.Errorf("ladder screen lacks %q:\n%s", want, s)
		}
	}
	if i := strings.Index(s, "3连板 (1)"); i < 0 || i > strings.Index(s, "首板 (2)") {
		t.Error("heights not highest first")
	}
	stocks := lv.Stocks()
	if len(stocks) != 4 || stocks[0].Code != "300748" || stocks[2].Code != "600980" {
		t.Fatalf("order %+v", stocks)
	}
	press(m, "down", "down", "enter")
	if tk := top[*ticker.Screen](t, m); tk.Code() != "600980" {
		t.Errorf("enter opened %s", tk.Code())
	}
}

func TestLadderPanelTitleCountsHeights(t *testing.T) {
	m := withMarket(sized(fixtureModel(false), 200, 60))
	s := screenText(m)
	if !strings.Contains(s, "涨停 01-09 3连板1·2连板1·首板2") {
		t.Errorf("panel title:\n%s", s)
	}
	// Narrower, the panel leaves the grid and tab skips it.
	sized(m, 160, 48)
	if strings.Contains(screenText(m), "涨停 01-09") {
		t.Error("the ladder panel squeezed into 160 columns")
	}
}

// A day with no pool yet shows the last day that has one, with its date.
func TestLadderOfAnEarlierDaySaysSo(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	l := fixtureLadder()
	l.Day = model.Date(2026, 1, 8)
	send(m, MarketMsg{Ladder: &l})
	press(m, ":", "l", "a", "d", "d", "e", "r", "enter")
	if s := screenText(m); !strings.Contains(s, "no pool for 01-09 yet: showing 01-08") {
		t.Errorf("no date note:\n%s", s)
	}
}

func TestSectorListDrivesTheMarginFigures(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	send(m, MarketMsg{Sector: []string{"600111", "000831", "600392"}, SectorDay: model.Date(2026, 1, 5)})
	if n := m.mkt.Derived.Sector.Names; n != 2 { // 600392 has no margin days cached
		t.Errorf("sector names with a balance: %d", n)
	}
	if len(m.mkt.Derived.Margin) != 3 {
		t.Errorf("margin rows %d, want the sector's 3", len(m.mkt.Derived.Margin))
	}
	press(m, ":", "m", "a", "r", "g", "i", "n", "enter")
	top[*sectormargin.Screen](t, m)
	if s := screenText(m); !strings.Contains(s, "the sector (3 names, 2026-01-05)") {
		t.Errorf("sector margin screen:\n%s", s)
	}
}

// The market clock names the auctions, and ticks by the second through them.
func TestClockShowsTheAuctions(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 1, 9, 9, 20, 0, 0, model.CST), "A股 集合竞价 09:20:00 CST  港股 开市前竞价"},
		{time.Date(2026, 1, 9, 14, 58, 0, 0, model.CST), "A股 尾盘集合竞价 14:58:00 CST  港股 open"},
		{time.Date(2026, 1, 9, 16, 5, 0, 0, model.CST), "港股 收市竞价"},
	} {
		m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, NoColor: true, Now: func() time.Time { return c.at }})
		sized(m, 160, 48)
		if s := screenText(m); !strings.Contains(s, c.want) {
			t.Errorf("at %s the status bar lacks %q:\n%s", c.at.Format("15:04"), c.want, s[strings.LastIndex(s, "\n")+1:])
		}
	}
}

// Watchlist names run full width when the panel has room, and are cut with
// … by display width when it has not; the config chooses the columns.
func TestWatchlistHeadersNamesAndColumns(t *testing.T) {
	long := model.Symbol{Code: "600259", Market: model.MarketSSE, Name: "广晟有色金属股份"}
	watch := append(append([]model.Symbol(nil), fixtureWatch...), long)
	snap := fixtureSnapshot()
	q := snap.Quotes["600111"]
	q.Symbol, q.Name = long.Code, long.Name
	snap.Quotes[long.Code] = q
	m := New(Deps{Snapshot: snap, Watchlist: watch, NoColor: true, Now: func() time.Time { return fixtureNow }})
	sized(m, 160, 48)
	rows := dash(m).Rows(dashboard.Watch)
	if !strings.Contains(rows[0].Plain, "code") || !strings.Contains(rows[0].Plain, "chg%") || rows[0].Key != "" {
		t.Errorf("header %q", rows[0].Plain)
	}
	if !strings.Contains(rows[len(rows)-1].Plain, "广晟有色金属股份") {
		t.Errorf("at 160 columns the name is cut: %q", rows[len(rows)-1].Plain)
	}
	sized(m, 80, 24)
	rows = dash(m).Rows(dashboard.Watch)
	last := rows[len(rows)-1].Plain
	if !strings.Contains(last, "广晟有…") || !strings.Contains(last, "%") {
		t.Errorf("at 80 columns: %q", last)
	}
	m = New(Deps{Snapshot: snap, Watchlist: watch, NoColor: true, Now: func() time.Time { return fixtureNow }, WatchColumns: []string{"name", "chg", "turnover"}})
	sized(m, 160, 48)
	rows = dash(m).Rows(dashboard.Watch)
	if h := strings.Fields(rows[0].Plain); strings.Join(h, " ") != "name chg% turn%" {
		t.Errorf("chosen columns: header %q", rows[0].Plain)
	}
	if strings.Contains(rows[1].Plain, "600111") || !strings.Contains(rows[1].Plain, "2.73%") {
		t.Errorf("chosen columns: row %q", rows[1].Plain)
	}
}

// The ETF's flows as the news reports them: today's (the live quote's
// f62), the 5-day net (−3e7 + 5e7 − 2e7 + 4e7 + 8,123,456 = 48,123,456 元 =
// 4812万), the share change (no feed gives it) and the series.
func TestETFFlowSummaryAndDetail(t *testing.T) {
	m := sized(fixtureModel(false), 160, 48)
	rows := dash(m).Rows(dashboard.Sector)
	etf := rows[len(rows)-1]
	if etf.Key != "516150" || !strings.Contains(etf.Plain, "today +812万") || !strings.Contains(etf.Plain, "5d +4812万") {
		t.Errorf("sector panel ETF row %q", etf.Plain)
	}
	press(m, "tab", "tab", "tab", "tab", "tab", "end", "enter")
	top[*etfflow.Screen](t, m)
	s := screenText(m)
	for _, want := range []string{"today +812万", "5-day +4812万", "shares Δ —", "2026-01-07", "-2000万", "cumulative main-force net since 2025-12-31"} {
		if !strings.Contains(s, want) {
			t.Errorf("flow view lacks %q:\n%s", want, s)
		}
	}
}

// Offline review steps the ladder with the cursor: each day shows the last
// pool cached as of then.
func TestOfflineReviewShowsPastLadders(t *testing.T) {
	pools := map[time.Time]model.Ladder{}
	l := fixtureLadder()
	pools[l.Day] = l
	older := model.Ladder{Day: model.Date(2026, 1, 7), Rows: l.Rows[1:2]}
	pools[older.Day] = older
	m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, Offline: true, AsOf: model.Date(2026, 1, 9), NoColor: true,
		Now:        func() time.Time { return fixtureNow },
		SnapshotAt: func(time.Time) (model.Snapshot, error) { return fixtureSnapshot(), nil },
		LadderAt: func(t time.Time) (model.Ladder, bool, error) {
			for d := model.Day(t); d.After(model.Date(2026, 1, 1)); d = d.AddDate(0, 0, -1) {
				if p, ok := pools[d]; ok {
					return p, true, nil
				}
			}
			return model.Ladder{}, false, nil
		}})
	sized(m, 120, 40)
	press(m, "[") // 01-08: the 7th's pool
	press(m, ":", "l", "a", "d", "d", "e", "r", "enter")
	s := screenText(m)
	if !strings.Contains(s, "2026-01-07") || !strings.Contains(s, "1 stocks") || strings.Contains(s, "no pool for") {
		t.Errorf("as of 01-08:\n%s", s)
	}
	press(m, "]") // 01-09: its own pool
	if s := screenText(m); !strings.Contains(s, "2026-01-09") || !strings.Contains(s, "4 stocks") {
		t.Errorf("as of 01-09:\n%s", s)
	}
	press(m, "{", "{") // before any pool
	if s := screenText(m); !strings.Contains(s, "no limit-up pool cached yet") {
		t.Errorf("before any pool:\n%s", s)
	}
}

// The board-level margin totals, where the datacenter gives them, draw as
// a history in the sector margin view.
func TestSectorMarginDrawsTheBoardHistory(t *testing.T) {
	m := sized(fixtureModel(false), 120, 40)
	var days []model.MarginDay
	for i, d := range model.TradingDays(model.ExchangeA, model.Date(2025, 12, 1), model.Date(2026, 1, 8)) {
		days = append(days, model.MarginDay{Symbol: "BK0578", Name: "稀土永磁", Date: d, FinBalance: 5e10 + float64(i)*1e8, Source: "fixture"})
	}
	send(m, BatchMsg{Batch: model.Batch{At: fixtureNow, Margin: days}})
	if len(m.mkt.St.Sector["BK0578"]) == 0 {
		t.Fatal("fixture: the board days did not land in the snapshot's sector series")
	}
	press(m, ":", "m", "a", "r", "g", "i", "n", "enter")
	if s := screenText(m); !strings.Contains(s, "board BK0578 稀土永磁 financing balance 12-01–01-08") || !strings.Contains(s, "┤") {
		t.Errorf("no board history:\n%s", s)
	}
}

// backfilling is a cache that fills while the test runs.
type backfilling struct {
	mu    sync.Mutex
	bars  map[string][]model.Bar
	reads int
}

func (h *backfilling) Bars(sym string, iv model.Interval, _, _ time.Time) ([]model.Bar, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if iv == model.Daily {
		h.reads++
	}
	if iv != model.Daily {
		return nil, nil
	}
	return h.bars[sym], nil
}
func (h *backfilling) Quotes(string, time.Time, time.Time) ([]model.Quote, error) { return nil, nil }
func (h *backfilling) Margin(string, time.Time, time.Time) ([]model.MarginDay, error) {
	return nil, nil
}

// Any symbol opens, and its detail backfills on demand: the poller is told
// of a ticker opened off the watchlist, and the ticker reads the cache
// again when the backfill lands.
func TestOpeningASymbolOffTheWatchlistBackfillsIt(t *testing.T) {
	h := &backfilling{bars: map[string][]model.Bar{}}
	var wanted []string
	m := New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, NoColor: true, History: h, Now: func() time.Time { return fixtureNow },
		OnOpen: func(s model.Symbol) { wanted = append(wanted, s.Code+" "+s.Name) }})
	sized(m, 120, 40)
	send(m, NewUniverseMsg(fixtureUniverse()))
	openSearch(m, "gzmt")
	press(m, "enter")
	if fmt.Sprint(wanted) != "[600519 贵州茅台]" {
		t.Fatalf("the poller was told %v", wanted)
	}
	reads := h.reads
	for i, c := range []float64{1700, 1710, 1720} {
		h.mu.Lock()
		h.bars["600519"] = append(h.bars["600519"], model.Bar{Symbol: "600519", Interval: model.Daily, Time: model.Date(2026, 1, 6+i), Open: c, High: c, Low: c, Close: c, Source: "eastmoney"})
		h.mu.Unlock()
	}
	send(m, BatchMsg{Batch: model.Batch{At: fixtureNow, Bars: []model.Bar{{Symbol: "600519"}}}})
	if h.reads != reads+1 || top[*ticker.Screen](t, m).Code() != "600519" {
		t.Fatalf("the ticker did not read the cache again (%d reads)", h.reads-reads)
	}
	if s := screenText(m); !strings.Contains(s, "1,720") && !strings.Contains(s, "1720") {
		t.Errorf("the backfilled bars are not shown:\n%s", s)
	}
	// A watchlist symbol is polled already: nothing to tell.
	press(m, "esc")
	openSearch(m, "600111")
	press(m, "enter")
	if len(wanted) != 1 {
		t.Errorf("told the poller of a watchlist symbol: %v", wanted)
	}
}
