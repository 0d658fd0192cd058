package main

import (
	"context"
	"log"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
	"github.com/rareterm/rareterm/ui"
	dashscreen "github.com/rareterm/rareterm/ui/screens/dashboard"
)

// MarketConfig is the whole-market part of the configuration:
//
//	[margin]
//	sector = ["600111", "000831"]   # the sector's names; default: the board's constituents
//	board = "BK0578"                # whose constituents make the default sector (refreshed monthly)
//
//	[feeds.eastmoney]
//	push2ex_url = "https://push2ex.eastmoney.com"   # the limit-up pools
//
//	[etf]
//	symbols = ["516150", "159713"]   # ETFs whose daily fund flow is followed
type MarketConfig struct {
	Sector      []string
	SectorBoard string
	Push2exURL  string
	// WatchColumns are the watchlist's columns by id ([watchlist] columns);
	// empty: the default set.
	WatchColumns []string
	// ETFs are the ETFs whose fund flow is followed ([etf] symbols; the
	// watchlist's ETFs are followed too). Default: 516150.
	ETFs []string
}

// DefaultSectorBoard is the rare-earth board (稀土永磁).
const DefaultSectorBoard = "BK0578"

// defaultMarket is the whole-market configuration without a file.
func defaultMarket() MarketConfig {
	return MarketConfig{SectorBoard: DefaultSectorBoard, Push2exURL: "https://push2ex.eastmoney.com", ETFs: []string{"516150"}}
}

// isMarketKey reports whether a key is read by parseMarket.
func isMarketKey(k string) bool {
	return k == "margin" || strings.HasPrefix(k, "margin.") || k == "feeds.eastmoney.push2ex_url" || k == "watchlist.columns" || k == "etf" || strings.HasPrefix(k, "etf.")
}

// parseMarket reads [margin] and feeds.eastmoney.push2ex_url.
func parseMarket(path string, data []byte) (MarketConfig, error) {
	mc := defaultMarket()
	var f struct {
		Margin    map[string]any `toml:"margin"`
		Watchlist struct {
			Columns *[]string `toml:"columns"`
		} `toml:"watchlist"`
		ETF   map[string]any `toml:"etf"`
		Feeds struct {
			Eastmoney struct {
				Push2URL   string `toml:"push2_url"`
				Push2exURL string `toml:"push2ex_url"`
			} `toml:"eastmoney"`
		} `toml:"feeds"`
	}
	if _, err := toml.Decode(string(data), &f); err != nil {
		return mc, &ConfigError{Path: path, Key: "margin", Msg: err}
	}
	bad := func(key string, t i18n.Text, args ...any) error {
		return &ConfigError{Path: path, Key: key, Line: keyLine(data, key), Msg: configMsg(t, args...)}
	}
	for k, v := range f.Margin {
		switch k {
		case "sector":
			list, ok := v.([]any)
			if !ok {
				return mc, bad("margin.sector", i18n.ConfigSectorList)
			}
			seen := map[string]bool{}
			for _, x := range list {
				s, _ := x.(string)
				sym, err := model.ParseSymbol(s)
				if err != nil || !sym.Market.IsA() || sym.IsETF() {
					return mc, &ConfigError{Path: path, Key: "margin.sector", Line: itemLine(data, "margin.sector", s), Msg: configMsg(i18n.ConfigNotAShare, s)}
				}
				if !seen[sym.Code] {
					seen[sym.Code] = true
					mc.Sector = append(mc.Sector, sym.Code)
				}
			}
		case "board":
			s, _ := v.(string)
			sym, err := model.ParseSymbol(s)
			if err != nil || sym.Market != model.MarketBoard {
				return mc, bad("margin.board", i18n.ConfigNotBoardCode, s)
			}
			mc.SectorBoard = sym.Code
		default:
			return mc, bad("margin."+k, i18n.ConfigMarginUnknown)
		}
	}
	for k, v := range f.ETF {
		if k != "symbols" {
			return mc, bad("etf."+k, i18n.ConfigETFUnknown)
		}
		list, ok := v.([]any)
		if !ok {
			return mc, bad("etf.symbols", i18n.ConfigETFList)
		}
		mc.ETFs = nil
		for _, x := range list {
			s, _ := x.(string)
			sym, err := model.ParseSymbol(s)
			if err != nil || !sym.IsETF() {
				return mc, &ConfigError{Path: path, Key: "etf.symbols", Line: itemLine(data, "etf.symbols", s), Msg: configMsg(i18n.ConfigNotETF, s)}
			}
			if !slices.Contains(mc.ETFs, sym.Code) {
				mc.ETFs = append(mc.ETFs, sym.Code)
			}
		}
	}
	if cs := f.Watchlist.Columns; cs != nil {
		if len(*cs) == 0 {
			return mc, bad("watchlist.columns", i18n.ConfigNoColumns, strings.Join(dashscreen.WatchColumnIDs(), " "))
		}
		seen := map[string]bool{}
		for _, id := range *cs {
			if _, ok := dashscreen.LookupWatchColumn(id); !ok || seen[id] {
				return mc, &ConfigError{Path: path, Key: "watchlist.columns", Line: itemLine(data, "watchlist.columns", id),
					Msg: configMsg(i18n.ConfigBadColumn, id, strings.Join(dashscreen.WatchColumnIDs(), " "))}
			}
			seen[id] = true
			mc.WatchColumns = append(mc.WatchColumns, id)
		}
	}
	if u := f.Feeds.Eastmoney.Push2URL; u != "" && f.Feeds.Eastmoney.Push2exURL == "" {
		// A mirror, proxy or test server for push2 serves the pools too,
		// unless push2ex_url says otherwise.
		mc.Push2exURL = strings.TrimRight(u, "/")
	}
	if u := f.Feeds.Eastmoney.Push2exURL; u != "" {
		if err := checkURL(u); err != nil {
			return mc, &ConfigError{Path: path, Key: "feeds.eastmoney.push2ex_url", Line: keyLine(data, "feeds.eastmoney.push2ex_url"), Msg: err}
		}
		mc.Push2exURL = strings.TrimRight(u, "/")
	}
	return mc, nil
}

// The whole market waits for the watchlist's own requests at start: the
// universe's and the sector's first fetch by marketDelay, the ladder's by
// ladderDelay. Cached copies show at once.
const (
	marketDelay = 45 * time.Second
	ladderDelay = 5 * time.Second
)

// marketPoller builds the whole-market poller over the live sources (nil
// when they offer none, as the demo market's do). Updates reach the
// screen through send, the universe indexed first (off the UI goroutine).
func marketPoller(pc feeds.PollerConfig, cfg Config, db *store.DB, poller *feeds.Poller, send func(ui.MarketMsg), logger *log.Logger) *feeds.MarketPoller {
	mc := feeds.MarketConfig{Sector: cfg.Market.Sector, SectorBoard: cfg.Market.SectorBoard, Poller: poller, Logf: logger.Printf, AlwaysOpen: pc.AlwaysOpen,
		Delay: marketDelay, LadderDelay: ladderDelay}
	if db != nil {
		mc.Store = db
	}
	if u, ok := pc.History.(feeds.UniverseSource); ok {
		mc.Universe = u
	}
	if l, ok := pc.History.(feeds.LadderSource); ok {
		mc.Ladder = l
	}
	mc.Members = pc.Boards
	if f, ok := pc.History.(feeds.FlowSource); ok {
		mc.Flows = f
		for _, code := range flowETFs(cfg) {
			if sym, err := model.ParseSymbol(code); err == nil {
				mc.ETFs = append(mc.ETFs, sym)
			}
		}
		if db != nil {
			mc.FlowStore = db
		}
	}
	if mc.Universe == nil && mc.Ladder == nil && len(mc.Sector) == 0 {
		return nil
	}
	if send != nil {
		mc.Out = func(u feeds.MarketUpdate) { send(marketMsg(u)) }
	}
	return feeds.NewMarketPoller(mc)
}

// flowETFs are the configured ETFs and the watchlist's, each once.
func flowETFs(cfg Config) []string {
	out := append([]string(nil), cfg.Market.ETFs...)
	for _, s := range cfg.Watchlist {
		if s.IsETF() && !slices.Contains(out, s.Code) {
			out = append(out, s.Code)
		}
	}
	return out
}

// marketMsg turns a poller update into the screen's message.
func marketMsg(u feeds.MarketUpdate) ui.MarketMsg {
	msg := ui.MarketMsg{Ladder: u.Ladder, Sector: u.Sector, SectorDay: u.SectorDay, ETFFlows: u.ETFFlows}
	if u.Universe != nil {
		m := ui.NewUniverseMsg(*u.Universe)
		msg.Universe, msg.Index = m.Universe, m.Index
	}
	return msg
}

// cachedMarket is the whole market as cached, for offline review: the
// universe, the ladder as of asOf and the sector (the configured one, else
// the cached constituents).
func cachedMarket(db *store.DB, cfg Config, asOf time.Time) ui.MarketMsg {
	var msg ui.MarketMsg
	if u, ok, err := db.Universe(); err == nil && ok {
		msg = ui.NewUniverseMsg(u)
	}
	if l, ok, err := db.LadderAsOf(asOf); err == nil && ok {
		msg.Ladder = &l
	}
	if fs, err := db.ETFFlows(); err == nil && len(fs) > 0 {
		msg.ETFFlows = fs
	}
	msg.Sector = cfg.Market.Sector
	if len(msg.Sector) == 0 {
		if codes, day, ok, err := db.Sector(); err == nil && ok {
			msg.Sector, msg.SectorDay = codes, day
		}
	}
	return msg
}

// runMarket runs mp until ctx is done; wait blocks until it has returned.
func runMarket(ctx context.Context, mp *feeds.MarketPoller) (wait func()) {
	if mp == nil {
		return func() {}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		mp.Run(ctx)
	}()
	return wg.Wait
}
