package feeds

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

// KindNotices is the announcement watcher: the companies' notices (公告),
// and among them the quarterly concentrate-price notices of 600111 and
// 600010, read from their text.
const KindNotices Kind = "notices"

// NoticeSource lists companies' announcements and reads the concentrate
// price from the ones that announce it.
type NoticeSource interface {
	Name() string
	// Notices returns the newest announcements (at most 100) of codes
	// dated within [from, to] (a zero bound is open), newest first.
	Notices(ctx context.Context, codes []string, from, to time.Time) ([]model.Notice, error)
	// Concentrate recognises a quarterly concentrate-price notice by its
	// title (ok false for any other notice, without a request) and reads
	// the price from its text. A recognised notice whose price can't be
	// read comes back with Parsed false and the reason.
	Concentrate(ctx context.Context, n model.Notice) (c model.ConcentrateNotice, ok bool, err error)
}

// NoticeCached is what the announcement watcher asks of the store, when
// the Cached value has it: the quarters known and the concentrate notices
// already read.
type NoticeCached interface {
	Contract() ([]model.ContractQuarter, error)
	Concentrates() ([]model.ConcentrateNotice, error)
}

// Default cadences of the announcement watcher: daily, and every 30
// minutes in a quarter's first ten days, when the price is announced.
const (
	defaultNoticesEvery = 24 * time.Hour
	defaultNoticesSoon  = 30 * time.Minute
)

// maxNoticeWindows bounds the history searches (one request each) a run
// makes for quarters with no known price.
const maxNoticeWindows = 8

// noticeState is the watcher's memory, under Poller.mu.
type noticeState struct {
	loaded   bool
	known    map[model.Quarter]model.ContractQuarter
	read     map[string]bool // concentrate notices read (parsed or not)
	listed   map[string]bool // notices already passed on this run
	searched map[model.Quarter]bool
}

// noticeCadence is the watcher's cadence at now.
func (p *Poller) noticeCadence(now time.Time) time.Duration {
	if !model.Day(now).After(model.QuarterOf(now).AnnounceBy()) {
		if c := p.cfg.Cadence.NoticesSoon; c > 0 {
			return c
		}
		return defaultNoticesSoon
	}
	if c := p.cfg.Cadence.Notices; c > 0 {
		return c
	}
	return defaultNoticesEvery
}

// noticeNextRun keeps a slow cadence from running past the start of the
// next quarter, when the fast one takes over. Called with p.mu held.
func noticeNextRun(now time.Time, c time.Duration) time.Time {
	next := onBeat(now, c)
	if start := model.QuarterOf(now).Next().Start(); start.After(now) && start.Before(next) {
		next = start
	}
	return next
}

// loadNotices seeds the watcher's memory from the store, once.
func (p *Poller) loadNotices() {
	p.mu.Lock()
	st := &p.notices
	if st.loaded {
		p.mu.Unlock()
		return
	}
	st.loaded = true
	st.known = map[model.Quarter]model.ContractQuarter{}
	st.read, st.listed, st.searched = map[string]bool{}, map[string]bool{}, map[model.Quarter]bool{}
	p.mu.Unlock()
	nc, ok := p.cfg.Cached.(NoticeCached)
	if !ok {
		return
	}
	cs, err := nc.Contract()
	if err != nil {
		p.cfg.Logf("notices: reading the stored quarters: %v", err)
	}
	ns, err := nc.Concentrates()
	if err != nil {
		p.cfg.Logf("notices: reading the stored notices: %v", err)
	}
	p.mu.Lock()
	for _, c := range cs {
		st.known[c.Quarter] = c
	}
	for _, n := range ns {
		st.read[n.Notice.ID] = true
	}
	p.mu.Unlock()
}

// unpricedQuarters are the quarters from the first known one to the
// current one with no set price, newest first, not yet searched this run.
func (p *Poller) unpricedQuarters(now time.Time) []model.Quarter {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := &p.notices
	if len(st.known) == 0 {
		return nil
	}
	first := model.QuarterOf(now)
	for q := range st.known {
		if q.Index() < first.Index() {
			first = q
		}
	}
	var out []model.Quarter
	for q := model.QuarterOf(now); q.Index() >= first.Index(); q = q.Prev() {
		c, ok := st.known[q]
		if (ok && !c.Proposed()) || st.searched[q] {
			continue
		}
		out = append(out, q)
	}
	return out
}

func (p *Poller) pollNotices(ctx context.Context, watch []model.Symbol, merge func(func(*model.Batch))) error {
	src := p.cfg.Notices
	p.loadNotices()
	now := p.cfg.Now()
	var (
		found   []model.Notice
		lastErr error
		ok      int
	)
	list := func(what string, codes []string, from, to time.Time) bool {
		cctx, cancel := context.WithTimeout(httpx.WithKind(ctx, "notices"), p.cfg.Timeouts.History)
		start := time.Now()
		ns, err := call(p, src.Name()+" notices", func() ([]model.Notice, error) { return src.Notices(cctx, codes, from, to) })
		cancel()
		p.record(src.Name(), string(KindNotices), err, time.Since(start), len(ns), p.noticeCadence(now))
		if err != nil {
			lastErr = err
			p.cfg.Logf("%s notices %s: %v", src.Name(), what, err)
			return false
		}
		ok++
		found = append(found, ns...)
		return true
	}

	// The issuers' newest notices (the current quarter's, when it is out).
	// When the host does not answer this, the rest waits for the next run:
	// a dead feed is not asked ten times a run.
	if !list("of the issuers", model.ContractIssuers, time.Time{}, time.Time{}) {
		return lastErr
	}
	// The watchlist's own announcements, for its 公告 tabs.
	var codes []string
	for _, s := range watch {
		if s.Market.IsA() && !s.IsETF() && !slices.Contains(model.ContractIssuers, s.Code) {
			codes = append(codes, s.Code)
		}
	}
	if len(codes) > 0 {
		list("of the watchlist", codes, time.Time{}, time.Time{})
	}
	// History: each quarter with no set price, in a window around its
	// announcement (up to a month and a half early, for a proposal, and two
	// months late).
	for i, q := range p.unpricedQuarters(now) {
		if i >= maxNoticeWindows || ctx.Err() != nil {
			break
		}
		from, to := q.Start().AddDate(0, 0, -45), q.AnnounceBy().AddDate(0, 0, 60)
		if to.After(now) {
			to = time.Time{}
		}
		if !list("for "+q.String(), model.ContractIssuers, from, to) {
			break // the feed failed: the next run searches again
		}
		p.mu.Lock()
		p.notices.searched[q] = true
		p.mu.Unlock()
	}
	if ok == 0 {
		return lastErr
	}

	// Oldest first, so that a notice setting a price comes after the one
	// proposing it.
	sort.SliceStable(found, func(i, j int) bool { return found[i].Date.Before(found[j].Date) })
	var fresh []model.Notice
	p.mu.Lock()
	for _, n := range found {
		if !p.notices.listed[n.ID] {
			p.notices.listed[n.ID] = true
			fresh = append(fresh, n)
		}
	}
	p.mu.Unlock()

	var (
		read []model.ConcentrateNotice
		rows []model.ContractQuarter
	)
	for _, n := range fresh {
		p.mu.Lock()
		done := p.notices.read[n.ID]
		p.mu.Unlock()
		if done || ctx.Err() != nil {
			continue
		}
		cctx, cancel := context.WithTimeout(httpx.WithKind(ctx, "notices"), p.cfg.Timeouts.History)
		type result struct {
			c  model.ConcentrateNotice
			ok bool
		}
		r, err := call(p, src.Name()+" notice text", func() (result, error) {
			c, ok, err := src.Concentrate(cctx, n)
			return result{c, ok}, err
		})
		cancel()
		if err != nil {
			// Not read: the next run tries again.
			p.mu.Lock()
			delete(p.notices.listed, n.ID)
			p.mu.Unlock()
			p.record(src.Name(), string(KindNotices), err, 0, 0, p.noticeCadence(now))
			p.cfg.Logf("%s notice %s: %v", src.Name(), n.ID, err)
			continue
		}
		if !r.ok {
			continue
		}
		c := r.c
		c.Notice = n
		read = append(read, c)
		p.mu.Lock()
		p.notices.read[n.ID] = true
		old, has := p.notices.known[c.Quarter]
		row, write, conflict := model.NoticeMerge(old, has, c)
		if write {
			p.notices.known[c.Quarter] = row
			// One row per quarter in a batch: a set price replaces the
			// proposal read before it.
			rows = slices.DeleteFunc(rows, func(r model.ContractQuarter) bool { return r.Quarter == row.Quarter })
			rows = append(rows, row)
		}
		p.mu.Unlock()
		if !c.Parsed {
			p.cfg.Warnf("%s: %s announced, price not parsed: %s (%s)", src.Name(), c.Quarter, c.Reason, n.Link)
		}
		if conflict != "" {
			p.cfg.Warnf("%s: %s", src.Name(), conflict)
		}
	}
	if len(fresh) > 0 || len(read) > 0 || len(rows) > 0 {
		merge(func(b *model.Batch) {
			b.Notices = append(b.Notices, fresh...)
			b.Concentrates = append(b.Concentrates, read...)
			b.Contract = append(b.Contract, rows...)
		})
	}
	return nil
}
