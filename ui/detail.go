package ui

import (
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/common"
)

// syncDetail tells the poller (Deps.OnDetail) which security's detail is
// on top, when that changed: the poller fetches its order book at the
// quote interval, and nothing of the kind while no detail is on top.
func (m *Model) syncDetail() {
	if m.deps.OnDetail == nil {
		return
	}
	var sym *model.Symbol
	if d, ok := m.Top().(common.DetailOwner); ok {
		if s, ok := d.DetailSymbol(); ok {
			sym = &s
		}
	}
	cur := ""
	if sym != nil {
		cur = sym.Code
	}
	if cur == m.detailCode {
		return
	}
	m.detailCode = cur
	m.deps.OnDetail(sym)
}
