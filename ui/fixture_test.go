package ui

import (
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/dashboard"
)

// fixtureNow is a Friday morning in continuous trading, CST.
var fixtureNow = time.Date(2026, 1, 9, 10, 31, 5, 0, model.CST)

// fixtureContract is REFERENCE.md §4.
func fixtureContract() []model.ContractQuarter {
	q := func(y, n int, p, basis float64) model.ContractQuarter {
		return model.ContractQuarter{Quarter: model.Quarter{Year: y, Q: n}, Price: p, BasisREO: basis, Source: "reference"}
	}
	return []model.ContractQuarter{
		q(2022, 1, 26887.20, 51), q(2022, 3, 37230, 50), q(2023, 1, 35313, 50), q(2023, 2, 31030, 50),
		q(2023, 3, 20176, 50), q(2024, 1, 20737, 50), q(2024, 2, 16792, 50), q(2024, 3, 16741, 50),
		q(2024, 4, 17782, 50), q(2025, 1, 18618, 50), q(2025, 2, 18825, 50), q(2025, 3, 19109, 50),
		q(2025, 4, 26205, 50), q(2026, 1, 26834, 50),
	}
}

var fixtureWatch = []model.Symbol{
	{Code: "600111", Market: model.MarketSSE, Name: "北方稀土"},
	{Code: "600010", Market: model.MarketSSE, Name: "包钢股份"},
	{Code: "000831", Market: model.MarketSZSE, Name: "中国稀土"},
	{Code: "300748", Market: model.MarketSZSE, Name: "金力永磁"},
	{Code: "06680", Market: model.MarketHKEX, Name: "金力永磁"},
	{Code: "516150", Market: model.MarketSSE, Name: "稀土ETF"},
}

// fixtureSnapshot is a small market with known figures: the quotes of the
// wire samples, a year of smooth daily bars, element prices, margin days
// and boards.
func fixtureSnapshot() model.Snapshot {
	s := model.NewSnapshot()
	b := model.Batch{At: fixtureNow}
	quote := func(code, name string, last, prev, open, hi, lo, vol, amt, mcap, pe, mainNet float64) model.Quote {
		return model.Quote{Symbol: code, Name: name, Time: fixtureNow, Last: last, PrevClose: prev, Open: open, High: hi, Low: lo,
			Volume: vol, Amount: amt, TurnoverPct: 2.73, MarketCap: mcap, FloatCap: mcap, PE: pe, MainNet: mainNet,
			High52: model.Unknown, Low52: model.Unknown, Source: "fixture"}
	}
	b.Quotes = []model.Quote{
		quote("600111", "北方稀土", 49.41, 48.73, 48.90, 49.88, 48.60, 98765400, 4872345678, 178589645775, 95.4, 312456789),
		quote("600010", "包钢股份", 2.00, 1.98, 1.99, 2.02, 1.97, 512345600, 1024691200, 86050000000, 120.5, -45123000),
		quote("000831", "中国稀土", 45.62, 44.88, 45.10, 46.30, 44.95, 32105600, 1464877312, 48415004133, 210.3, -45123000),
		quote("300748", "金力永磁", 31.20, 30.00, 30.10, 31.50, 29.90, 21000000, 650000000, 42000000000, 60.2, 8123456),
		quote("06680", "金力永磁", 20.40, 19.86, 20.10, 20.65, 19.90, 6052000, 123456789, 27621600000, 35.12, model.Unknown),
		quote("516150", "稀土ETF", 1.527, 1.498, 1.512, 1.535, 1.505, 412345600, 628762310, model.Unknown, model.Unknown, 8123456),
	}
	days := model.TradingDays(model.ExchangeA, fixtureNow.AddDate(-1, 0, 0), fixtureNow.AddDate(0, 0, -1))
	for _, w := range fixtureWatch {
		base := map[string]float64{"600111": 40, "600010": 1.8, "000831": 40, "300748": 28, "06680": 18, "516150": 1.3}[w.Code]
		for i, d := range days {
			c := base * (1 + 0.15*math.Sin(float64(i)/15) + float64(i)/float64(len(days))*0.1)
			b.Bars = append(b.Bars, model.Bar{Symbol: w.Code, Interval: model.Daily, Time: d, Open: c * 0.99, High: c * 1.02, Low: c * 0.98, Close: c, Volume: 1e7, Amount: c * 1e7, Source: "fixture"})
		}
	}
	levels := map[model.ElementID]float64{model.LaOxide: 4000, model.CeOxide: 8000, model.PrOxide: 480000, model.NdOxide: 500000,
		model.PrNdOxide: 600000, model.PrNdMetal: 740000, model.NdMetal: 610000, model.DyOxide: 1500000, model.TbOxide: 6400000, model.TbMetal: 7800000}
	for d := model.Date(2025, 1, 2); !d.After(model.Day(fixtureNow)); d = d.AddDate(0, 0, 7) {
		k := float64(d.Sub(model.Date(2025, 1, 2)).Hours() / 24 / 371)
		for id, lv := range levels {
			b.Elements = append(b.Elements, model.ElementPrice{Element: id, Date: d, Price: math.Round(lv * (1 + 0.12*k)), Low: model.Unknown, High: model.Unknown, Source: "fixture", OrigUnit: "元/吨"})
		}
	}
	for _, code := range []string{"600111", "600010", "000831", "300748"} {
		bal := map[string]float64{"600111": 9e9, "600010": 3e9, "000831": 1.8e9, "300748": 1.2e9}[code]
		mdays := model.TradingDays(model.ExchangeA, model.Date(2025, 12, 1), model.Date(2026, 1, 8))
		for i, d := range mdays {
			buy := bal * 0.1
			repay := buy * (0.95 + 0.002*float64(i%5))
			bal += buy - repay
			b.Margin = append(b.Margin, model.MarginDay{Symbol: code, Date: d, FinBalance: bal, FinBuy: buy, FinRepay: repay, FinNetBuy: buy - repay,
				LendBalance: bal * 0.006, Total: bal * 1.006, BalancePct: 4.14, Source: "fixture"})
		}
	}
	b.Boards = []model.BoardMove{
		{Code: "BK0578", Name: "稀土永磁", Time: fixtureNow, Level: 2187.35, ChangePct: 2.84, MainNet: 1523456789, Up: 142, Down: 21, Flat: 3, Leader: "中科三环", LeaderCode: "000970", LeaderPct: 10.02, LimitUp: 4, Source: "fixture"},
		{Code: "BK1027", Name: "小金属", Time: fixtureNow, Level: 1833.52, ChangePct: 2.36, MainNet: 1509017136, Up: 60, Down: 12, Leader: "中国稀土", LeaderCode: "000831", LeaderPct: 1.65, Source: "fixture"},
		{Code: "BK0479", Name: "钢铁行业", Time: fixtureNow, Level: 2400.1, ChangePct: -0.42, MainNet: -312000000, Up: 10, Down: 35, Leader: "包钢股份", LeaderCode: "600010", LeaderPct: 1.01, Source: "fixture"},
	}
	b.Members = map[string][]model.Quote{"BK0578": {b.Quotes[0], b.Quotes[2], b.Quotes[3]}, "BK0479": {b.Quotes[1]}}
	b.Contract = fixtureContract()
	s.Apply(b)
	return s
}

func fixtureHealth() []model.FeedHealth {
	return []model.FeedHealth{
		{Feed: "eastmoney", Kind: "quotes", State: model.FeedOK, LastOK: fixtureNow.Add(-2 * time.Second), Cadence: 5 * time.Second, Latency: 120 * time.Millisecond},
		{Feed: "sina", Kind: "quotes", State: model.FeedStandby},
		{Feed: "100ppi", Kind: "elements", State: model.FeedOK, LastOK: fixtureNow.Add(-3 * time.Hour), Cadence: 24 * time.Hour},
	}
}

func fixtureModel(demo bool) *Model { return fixtureModelWith(demo, nil) }

// fixtureModelWith is fixtureModel with its Deps changed by edit first
// (the language, the units).
func fixtureModelWith(demo bool, edit func(*Deps)) *Model {
	d := Deps{
		Snapshot:  fixtureSnapshot(),
		Watchlist: fixtureWatch,
		Boards:    []string{"BK0578", "BK1027", "BK0479"},
		Health:    fixtureHealth(),
		Demo:      demo,
		NoColor:   true,
		Now:       func() time.Time { return fixtureNow },
	}
	if edit != nil {
		edit(&d)
	}
	m := New(d)
	// Quotes arrived just now.
	for _, w := range fixtureWatch {
		m.mkt.SeenAt[w.Code] = fixtureNow
	}
	// The whole market, as the market poller hands it over.
	l := fixtureLadder()
	m.Update(NewUniverseMsg(fixtureUniverse()))
	m.Update(MarketMsg{Ladder: &l, ETFFlows: map[string]model.ETFFlow{"516150": fixtureFlow()}})
	return m
}

// send hands msg to the model and runs the commands it returns, feeding
// their messages back, as the program would (ticks excepted: fixtures
// have no clock).
func send(m *Model, msg tea.Msg) {
	_, cmd := m.Update(msg)
	drain(m, cmd, 0)
}

func drain(m *Model, cmd tea.Cmd, depth int) {
	if cmd == nil || depth > 10 {
		return
	}
	switch msg := cmd().(type) {
	case nil, tea.QuitMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			drain(m, c, depth+1)
		}
	default:
		_, next := m.Update(msg)
		drain(m, next, depth+1)
	}
}

func sized(m *Model, w, h int) *Model {
	send(m, tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func screenText(m *Model) string { return ansi.Strip(m.View().Content) }

// keyMsg is the key press a key name stands for.
func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		send(m, keyMsg(k))
	}
}

// dash is the dashboard at the bottom of the stack.
func dash(m *Model) *dashboard.Screen { return m.stack[0].(*dashboard.Screen) }

// top is the active screen as a T, or fails the test.
func top[T common.Screen](t testing.TB, m *Model) T {
	t.Helper()
	s, ok := m.Top().(T)
	if !ok {
		t.Fatalf("the active screen is %T (%s)", m.Top(), m.breadcrumbs())
	}
	return s
}

// kind names the active screen's type, e.g. *ticker.Screen.
func kind(m *Model) string { return fmt.Sprintf("%T", m.Top()) }

// checkFits asserts the screen has at most h lines, none wider than w.
func checkFits(t *testing.T, label, s string, w, h int) {
	t.Helper()
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		t.Fatalf("%s: %d lines for a %d-line terminal", label, len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("%s: line %d is %d cells wide for a %d-cell terminal: %q", label, i, lw, w, l)
		}
	}
}

// observed runs a Model inside a teatest program and keeps, after every
// message, the text its View shows, so a test waits for what the screen
// says (not for the bytes a diffing renderer happens to write: "49.29"
// replacing "49.51" reaches the terminal as "29").
type observed struct {
	m      *Model
	screen atomic.Value // string
}

func observe(m *Model) *observed {
	o := &observed{m: m}
	o.screen.Store("")
	return o
}

func (o *observed) Init() tea.Cmd { return o.m.Init() }

func (o *observed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := o.m.Update(msg)
	o.screen.Store(screenText(o.m))
	return o, cmd
}

func (o *observed) View() tea.View { return o.m.View() }

// waitFor waits until the screen shows want, with a deadline generous
// enough for a loaded machine.
func (o *observed) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		screen := o.screen.Load().(string)
		if strings.Contains(screen, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen never showed %q:\n%s", want, screen)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
