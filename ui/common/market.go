package common

import (
	"time"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/widgets"
)

// Market is the data every screen reads: the cached snapshot, the
// watchlist, feed health and what is derived from them. The root owns it
// and changes it only in its Update; screens read it (in Update and View)
// and never write it.
type Market struct {
	St      model.Snapshot
	Watch   []model.Symbol
	Health  []model.FeedHealth
	SeenAt  map[string]time.Time     // when each quote last arrived
	Trail   map[string][]model.Quote // today's quotes per symbol, for the 1D chart
	Detail  map[string]*DetailData   // book, minutes and fund flow of the securities opened in detail
	Derived Derived
	Boards  []string // board codes shown in the sector panel, in order
	Index   model.IndexSpec
	Alerts  Alerts // the alert rules' states and what fired
	// Estimate chooses the contract estimate's regressors.
	Estimate model.EstimateSpec
	Whole    Whole // the universe, the ladder and the sector (whole.go)

	Seq     uint64    // the newest poll batch applied (model.Batch.Seq)
	Now     time.Time // the clock as of the last message (never read in View)
	AsOf    time.Time // offline review: the date the screen shows
	Offline bool
}

// NewMarket builds the market from a snapshot and a watchlist.
func NewMarket(st model.Snapshot, watch []model.Symbol, boards []string, index model.IndexSpec, health []model.FeedHealth, now time.Time) *Market {
	if st.Quotes == nil {
		st = model.NewSnapshot()
	}
	m := &Market{
		St: st, Watch: append([]model.Symbol(nil), watch...), Boards: boards, Index: index, Health: health,
		SeenAt: map[string]time.Time{}, Trail: map[string][]model.Quote{}, Now: now,
	}
	m.Recompute(AllChanges)
	return m
}

// AllChanges marks every derived figure for recomputation.
var AllChanges = model.Changes{Quotes: true, Bars: true, Elements: true, Margin: true, Boards: true, Contract: true}

// Apply adds one poll batch and returns what it changed in the snapshot.
func (m *Market) Apply(b model.Batch) model.Changes {
	if len(b.Health) > 0 {
		m.Health = b.Health
	}
	ch := m.St.Apply(b)
	m.Seq = max(m.Seq, b.Seq)
	m.Alerts.Apply(b)
	for _, q := range b.Quotes {
		m.SeenAt[q.Symbol] = b.At
		tr := m.Trail[q.Symbol]
		if n := len(tr); n > 0 && model.Day(tr[n-1].Time) != model.Day(q.Time) {
			tr = tr[:0]
		}
		if n := len(tr); n == 0 || q.Time.After(tr[n-1].Time) {
			if len(tr) >= 4000 {
				tr = append(tr[:0], tr[len(tr)-3000:]...)
			}
			m.Trail[q.Symbol] = append(tr, q)
		}
	}
	for _, s := range b.Symbols {
		for i := range m.Watch {
			if m.Watch[i].Code == s.Code && s.Name != "" {
				m.Watch[i].Name = s.Name
			}
		}
	}
	m.applyDetail(b.Detail)
	m.Recompute(ch)
	return ch
}

// Replace puts a snapshot read as of a date in place of the market.
func (m *Market) Replace(st model.Snapshot, asOf time.Time) {
	if st.Quotes == nil {
		st = model.NewSnapshot()
	}
	m.St, m.AsOf = st, asOf
	m.Trail = map[string][]model.Quote{}
	m.Detail = nil
	m.Recompute(AllChanges)
}

// RefTime is the moment the screen shows: now, or the offline cursor.
func (m *Market) RefTime() time.Time {
	if m.Offline && !m.AsOf.IsZero() {
		return m.AsOf.Add(24*time.Hour - time.Nanosecond)
	}
	return m.Now
}

// QuoteStale reports whether a quote is older than its feed's cadence allows.
func (m *Market) QuoteStale(code string) bool {
	if m.Offline {
		return false // offline review shows the market as of a date: nothing is expected to refresh
	}
	seen, ok := m.SeenAt[code]
	if !ok {
		return true // only cached, not refreshed since start
	}
	return m.Now.Sub(seen) > m.StaleAfter()
}

// StaleAfter is how old a quote may be before it is drawn stale: the
// health model's threshold (model.StaleAfter) for the cadence of the quote
// feed in use (a minute when none is known).
func (m *Market) StaleAfter() time.Duration {
	cad := time.Minute
	for _, h := range m.Health {
		if h.Kind == "quotes" && h.State == model.FeedOK && h.Cadence > 0 {
			cad = h.Cadence
			break
		}
	}
	return model.StaleAfter(cad)
}

// StaleCrossed reports whether anything drawn changes between two clock
// readings: a quote reaching its staleness threshold, or a new day
// (element prices age by the day).
func (m *Market) StaleCrossed(prev, now time.Time) bool {
	if model.Day(prev) != model.Day(now) {
		return true
	}
	limit := m.StaleAfter()
	for _, seen := range m.SeenAt {
		// Stale once older than limit: drawn fresh at prev and stale at now.
		if at := seen.Add(limit); !at.Before(prev) && at.Before(now) {
			return true
		}
	}
	return false
}

// Symbol finds what is known about a code: the watchlist, then the cache.
func (m *Market) Symbol(code string) (model.Symbol, bool) {
	for _, s := range m.Watch {
		if s.Code == code {
			return s, true
		}
	}
	if s, ok := m.St.Symbols[code]; ok {
		return s, true
	}
	if s, ok := m.universeSymbol(code); ok {
		return s, true
	}
	if q, ok := m.St.Quotes[code]; ok {
		s, err := model.ParseSymbol(code)
		if err == nil {
			s.Name = q.Name
			return s, true
		}
	}
	s, err := model.ParseSymbol(code)
	return s, err == nil
}

// InWatchlist reports whether a code is on the watchlist.
func (m *Market) InWatchlist(code string) bool {
	for _, s := range m.Watch {
		if s.Code == code {
			return true
		}
	}
	return false
}

// Enrich fills a symbol's names from the cache when it lacks them.
func (m *Market) Enrich(s model.Symbol) model.Symbol {
	for _, src := range []map[string]model.Symbol{m.St.Symbols, m.Whole.byCode} {
		if k, ok := src[s.Code]; ok {
			if s.Name == "" {
				s.Name = k.Name
			}
			if s.NameEn == "" {
				s.NameEn = k.NameEn
			}
		}
	}
	if s.Name == "" {
		if q, ok := m.St.Quotes[s.Code]; ok {
			s.Name = q.Name
		}
	}
	return s
}

// Candidates is every symbol the screen knows: the watchlist, the cache's
// symbol table, quotes, board constituents and the boards.
func (m *Market) Candidates() []model.Symbol {
	seen := map[string]bool{}
	var out []model.Symbol
	add := func(s model.Symbol) {
		if s.Code == "" || seen[s.Code] {
			return
		}
		seen[s.Code] = true
		out = append(out, s)
	}
	for _, s := range m.Watch {
		add(m.Enrich(s))
	}
	for _, s := range m.St.Symbols {
		add(m.Enrich(s))
	}
	for code, q := range m.St.Quotes {
		if s, err := model.ParseSymbol(code); err == nil {
			s.Name = q.Name
			add(m.Enrich(s))
		}
	}
	for _, qs := range m.St.Members {
		for _, q := range qs {
			if s, err := model.ParseSymbol(q.Symbol); err == nil {
				s.Name = q.Name
				add(m.Enrich(s))
			}
		}
	}
	for code, b := range m.St.Boards {
		add(model.Symbol{Code: code, Market: model.MarketBoard, Name: b.Name})
	}
	return out
}

// AnnouncedText is the status-bar line, in l, for a batch that brings a new
// contract quarter from a notice, or a notice whose price could not be
// read; "" for any other batch. wan shows the price in 万元/吨.
func AnnouncedText(l i18n.Lang, wan bool, b model.Batch) string {
	for _, c := range b.Concentrates {
		if c.Parsed {
			for _, r := range b.Contract {
				if r.Quarter == c.Quarter && r.Price == c.Price {
					what := i18n.AnnSet
					if r.Proposed() {
						what = i18n.AnnProposed
					}
					lead := i18n.AnnNew
					if c.Quarter.Index() < model.QuarterOf(b.At).Index()-1 {
						lead = i18n.AnnFromNotices // history filled in
					}
					return i18n.AnnPrice.F(l, lead, c.Quarter, what, widgets.ElementPrice(c.Price, wan), widgets.ElementUnit(l, wan),
						r.Basis(), c.Notice.Title, c.Notice.Date.Format("2006-01-02"))
				}
			}
		}
	}
	for _, c := range b.Concentrates {
		if !c.Parsed && c.Quarter.Index() >= model.QuarterOf(b.At).Index()-1 {
			return i18n.AnnNotParsed.F(l, c.Quarter, c.Reason)
		}
	}
	return ""
}
