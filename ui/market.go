package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/ladder"
	"github.com/rareterm/rareterm/ui/screens/sectormargin"
	"github.com/rareterm/rareterm/ui/screens/ticker"
)

// MarketMsg carries the whole market from the market poller (or the cache
// at start): the symbol universe with its search index (built off the UI
// goroutine, by NewUniverseMsg), the limit-up ladder to show, and the
// sector's codes. Nil or empty fields leave what is shown.
type MarketMsg struct {
	Universe  *model.Universe
	Index     *model.SymbolIndex
	Ladder    *model.Ladder
	Sector    []string
	SectorDay time.Time
	ETFFlows  map[string]model.ETFFlow
}

// NewUniverseMsg builds the message for a universe, indexing it (a few tens
// of ms for ~7,000 names: call it outside Update).
func NewUniverseMsg(u model.Universe) MarketMsg {
	return MarketMsg{Universe: &u, Index: model.NewSymbolIndex(u.Symbols)}
}

func (m *Model) applyMarket(msg MarketMsg) tea.Cmd {
	if msg.Universe != nil {
		ix := msg.Index
		if ix == nil {
			ix = model.NewSymbolIndex(msg.Universe.Symbols)
		}
		m.mkt.SetUniverse(*msg.Universe, ix)
	}
	if msg.Ladder != nil {
		m.mkt.SetLadder(*msg.Ladder)
	}
	if msg.Sector != nil {
		m.mkt.SetSector(msg.Sector, msg.SectorDay)
	}
	if len(msg.ETFFlows) > 0 {
		m.mkt.SetFlows(msg.ETFFlows)
	}
	return m.updateTop(common.RefreshMsg{})
}

// wantTicker asks the poller to backfill and quote a ticker opened off
// the watchlist (any symbol of the universe opens).
func (m *Model) wantTicker(s common.Screen) {
	t, ok := s.(*ticker.Screen)
	if !ok || m.deps.OnOpen == nil || m.deps.Offline || m.mkt.InWatchlist(t.Code()) {
		return
	}
	if sym, ok := m.mkt.Symbol(t.Code()); ok {
		m.deps.OnOpen(sym)
	}
}

// marketCommand runs :ladder and :margin; ok is false for other commands.
func (m *Model) marketCommand(name string) (tea.Cmd, bool) {
	switch name {
	case "ladder":
		return m.push(ladder.New(m.c, "")), true
	case "margin":
		return m.push(sectormargin.New(m.c, "")), true
	}
	return nil, false
}
