package common

import (
	"time"

	"github.com/rareterm/rareterm/model"
)

// DetailData is what the feeds brought for one security in detail: its
// order book, its recent sessions of minute data (oldest first), today's
// fund flow and the daily fund flow.
type DetailData struct {
	Book     *model.Book
	Sessions []model.Session
	Flow     *model.FlowToday
	FlowDays []model.FlowDay
}

// maxSessions is how many sessions a detail keeps (5D and a spare).
const maxSessions = 6

// applyDetail merges a batch's details into the market.
func (m *Market) applyDetail(ds []model.Detail) {
	for _, d := range ds {
		if m.Detail == nil {
			m.Detail = map[string]*DetailData{}
		}
		dd := m.Detail[d.Symbol]
		if dd == nil {
			dd = &DetailData{}
			m.Detail[d.Symbol] = dd
		}
		dd.Merge(d)
	}
}

// Merge adds what d brings: a newer book replaces the old one, a session
// or a day of flow replaces the one of the same day.
func (dd *DetailData) Merge(d model.Detail) {
	if d.Book != nil && (dd.Book == nil || !d.Book.Time.Before(dd.Book.Time)) {
		b := *d.Book
		dd.Book = &b
	}
	if len(d.Sessions) > 0 {
		dd.Sessions = model.LastSessions(append(append([]model.Session(nil), dd.Sessions...), d.Sessions...), maxSessions)
	}
	if d.Flow != nil && (dd.Flow == nil || !d.Flow.Day.Before(dd.Flow.Day)) {
		f := *d.Flow
		dd.Flow = &f
	}
	if len(d.FlowDays) > 0 {
		byDay := map[int64]model.FlowDay{}
		for _, f := range append(append([]model.FlowDay(nil), dd.FlowDays...), d.FlowDays...) {
			byDay[model.Day(f.Date).Unix()] = f
		}
		dd.FlowDays = dd.FlowDays[:0:0]
		for _, f := range byDay {
			dd.FlowDays = append(dd.FlowDays, f)
		}
		sortFlowDays(dd.FlowDays)
	}
}

func sortFlowDays(fs []model.FlowDay) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && fs[j].Date.Before(fs[j-1].Date); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// DetailReader reads the cached detail data (the store satisfies it); the
// detail views ask for it by type assertion on Common.History.
type DetailReader interface {
	Sessions(sym string, from, to time.Time) ([]model.Session, error)
	FlowToday(sym string, asOf time.Time) (model.FlowToday, bool, error)
	FlowDays(sym string, from, to time.Time) ([]model.FlowDay, error)
}

// DetailOwner is a screen showing one security in detail: while it is on
// top, the poller fetches that security's book, minutes and fund flow.
type DetailOwner interface {
	DetailSymbol() (model.Symbol, bool)
}
