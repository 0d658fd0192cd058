// Package open builds the screen for a code: a board's view or a ticker's.
package open

import (
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
	"github.com/rareterm/rareterm/ui/screens/board"
	"github.com/rareterm/rareterm/ui/screens/ticker"
)

// Symbol returns the view of code, opened from the breadcrumb from.
func Symbol(c common.Common, code, from string) common.Screen {
	if sym, err := model.ParseSymbol(code); err == nil && sym.Market == model.MarketBoard {
		return board.New(c, sym.Code, from)
	}
	return ticker.New(c, code, from)
}
