package feeds

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

// fakeNotices serves notices by date window and "reads" a price from a
// table keyed by notice id.
type fakeNotices struct {
	mu      sync.Mutex
	notices []model.Notice
	prices  map[string]model.ConcentrateNotice
	windows [][2]time.Time
	texts   int
	fail    error
}

func (f *fakeNotices) Name() string { return "ann" }
func (f *fakeNotices) Notices(ctx context.Context, codes []string, from, to time.Time) ([]model.Notice, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	f.windows = append(f.windows, [2]time.Time{from, to})
	var out []model.Notice
	for _, n := range f.notices {
		if (!from.IsZero() && n.Date.Before(from)) || (!to.IsZero() && n.Date.After(to)) {
			continue
		}
		for _, c := range codes {
			if len(n.Codes) > 0 && n.Codes[0] == c {
				out = append(out, n)
				break
			}
		}
	}
	return out, nil
}
func (f *fakeNotices) Concentrate(ctx context.Context, n model.Notice) (model.ConcentrateNotice, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.prices[n.ID]
	if !ok {
		return model.ConcentrateNotice{}, false, nil
	}
	f.texts++
	c.Notice = n
	return c, true, nil
}

type noticeCache struct {
	cached
	contract []model.ContractQuarter
}

func (c noticeCache) Contract() ([]model.ContractQuarter, error) { return c.contract, nil }
func (c noticeCache) Concentrates() ([]model.ConcentrateNotice, error) {
	return nil, nil
}

func notice(id, code string, d time.Time, title string) model.Notice {
	return model.Notice{ID: id, Codes: []string{code}, Title: title, Date: d, Source: "ann", Link: "https://example.test/" + id}
}

func TestNoticeWatcherFillsQuartersFromAnnouncements(t *testing.T) {
	q := func(y, n int) model.Quarter { return model.Quarter{Year: y, Q: n} }
	now := time.Date(2026, 10, 12, 21, 0, 0, 0, model.CST) // 2026Q4, past its first ten days
	c := &clock{t: now}
	src := &fakeNotices{prices: map[string]model.ConcentrateNotice{}}
	add := func(id, code string, d time.Time, qq model.Quarter, cn model.ConcentrateNotice) {
		title := "关于" + qq.String() + "稀土精矿交易价格的公告"
		src.notices = append(src.notices, notice(id, code, d, title))
		cn.Quarter = qq
		src.prices[id] = cn
	}
	// 2022Q3: a proposal in June (refused), the reference's 37,230 stands.
	add("AN2022062300000000001", "600010", model.Date(2022, 6, 23), q(2022, 3), model.ConcentrateNotice{Parsed: true, Price: 39189, BasisREO: 50, Step: 783.78, Proposed: true})
	// 2022Q4: missing from the reference, found by a history search.
	add("AN2022101000000000001", "600111", model.Date(2022, 10, 10), q(2022, 4), model.ConcentrateNotice{Parsed: true, Price: 36000, BasisREO: 50, Step: 720})
	// 2026Q2: proposed by 600010, then set by 600111 a day later.
	add("AN2026040800000000001", "600010", model.Date(2026, 4, 8), q(2026, 2), model.ConcentrateNotice{Parsed: true, Price: 27000, BasisREO: 50, Step: 540, Proposed: true})
	add("AN2026040900000000001", "600111", model.Date(2026, 4, 9), q(2026, 2), model.ConcentrateNotice{Parsed: true, Price: 27100, BasisREO: 50, Step: 542})
	// 2026Q3: announced, but the text can't be read.
	add("AN2026070900000000001", "600111", model.Date(2026, 7, 9), q(2026, 3), model.ConcentrateNotice{Reason: "no REO basis in the sentence"})
	// An ordinary notice.
	src.notices = append(src.notices, notice("AN2026101100000000001", "600111", model.Date(2026, 10, 11), "北方稀土:关于召开临时股东大会的通知"))

	var (
		mu    sync.Mutex
		got   []model.Batch
		warns []string
	)
	p := NewPoller(PollerConfig{
		Notices: src,
		Cached: noticeCache{cached: cached{}, contract: []model.ContractQuarter{
			{Quarter: q(2022, 1), Price: 26887.2, BasisREO: 51, Source: "ref"},
			{Quarter: q(2022, 3), Price: 37230, BasisREO: 50, Source: "ref"},
			{Quarter: q(2026, 1), Price: 26834, BasisREO: 50, Source: "ref"},
		}},
		Now:   c.Now,
		Out:   func(b model.Batch) { mu.Lock(); got = append(got, b); mu.Unlock() },
		Warnf: func(f string, a ...any) { mu.Lock(); warns = append(warns, f); mu.Unlock() },
	})
	b, err := p.Cycle(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rows := map[model.Quarter]model.ContractQuarter{}
	for _, r := range b.Contract {
		if _, dup := rows[r.Quarter]; dup {
			t.Errorf("%s written twice in one batch: %+v", r.Quarter, b.Contract)
		}
		rows[r.Quarter] = r
	}
	if r, ok := rows[q(2022, 4)]; !ok || r.Price != 36000 || !strings.Contains(r.Source, "2022-10-10") || !strings.Contains(r.Source, "AN2022101000000000001") {
		t.Errorf("2022Q4 from its notice: %+v", r)
	}
	if r, ok := rows[q(2026, 2)]; !ok || r.Price != 27100 || r.Proposed() {
		t.Errorf("2026Q2 should be the set price, not the proposal: %+v", r)
	}
	if r, ok := rows[q(2022, 3)]; ok {
		t.Errorf("a refused proposal replaced the set 2022Q3: %+v", r)
	}
	if _, ok := rows[q(2026, 3)]; ok {
		t.Errorf("an unparsed notice became a price")
	}
	var unparsed bool
	for _, cn := range b.Concentrates {
		if cn.Quarter == q(2026, 3) && !cn.Parsed && cn.Reason != "" {
			unparsed = true
		}
	}
	if !unparsed || len(b.Concentrates) != 5 {
		t.Errorf("concentrate notices kept: %d, unparsed 2026Q3 kept %v", len(b.Concentrates), unparsed)
	}
	if len(b.Notices) != 6 {
		t.Errorf("%d notices listed, want 6", len(b.Notices))
	}
	// History windows: one per unpriced quarter, 2022Q2 … 2026Q4, minus the
	// known set ones; 2022Q3 is known.
	src.mu.Lock()
	nWin := len(src.windows)
	src.mu.Unlock()
	if nWin < 1+6 || nWin > 1+maxNoticeWindows {
		t.Errorf("%d list requests, want the issuers' newest and one per unpriced quarter", nWin)
	}

	// A second run reads no text again and sends no rows.
	src.mu.Lock()
	texts := src.texts
	src.mu.Unlock()
	c.Add(25 * time.Hour)
	b2, err := p.Cycle(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	if src.texts != texts || len(b2.Contract) != 0 || len(b2.Concentrates) != 0 {
		t.Errorf("second run read %d texts again, rows %v", src.texts-texts, b2.Contract)
	}
	mu.Lock()
	defer mu.Unlock()
	var saidUnparsed bool
	for _, w := range warns {
		saidUnparsed = saidUnparsed || strings.Contains(w, "price not parsed")
	}
	if !saidUnparsed {
		t.Errorf("an unparsed notice was not reported: %q", warns)
	}
}

func TestNoticeCadenceFastInTheFirstTenDays(t *testing.T) {
	p := NewPoller(PollerConfig{Notices: &fakeNotices{}})
	in := time.Date(2026, 10, 5, 12, 0, 0, 0, model.CST)
	after := time.Date(2026, 10, 11, 12, 0, 0, 0, model.CST)
	if c := p.cadence(KindNotices, in); c != 30*time.Minute {
		t.Errorf("in the first ten days: %v", c)
	}
	if c := p.cadence(KindNotices, after); c != 24*time.Hour {
		t.Errorf("after them: %v", c)
	}
	// Late in a quarter, the daily run does not skip the next quarter's start.
	late := time.Date(2026, 12, 31, 20, 0, 0, 0, model.CST)
	if next := noticeNextRun(late, 24*time.Hour); !next.Equal(model.Date(2027, 1, 1)) {
		t.Errorf("next run from %v = %v, want the quarter's start", late, next)
	}
}

func TestNoticeWatcherFailureIsItsFeedsFailure(t *testing.T) {
	c := &clock{t: time.Date(2026, 10, 12, 21, 0, 0, 0, model.CST)}
	src := &fakeNotices{fail: errors.New("HTTP 502")}
	p := NewPoller(PollerConfig{Notices: src, Now: c.Now,
		Watchlist: []model.Symbol{{Code: "000831", Market: model.MarketSZSE}},
		Cached: noticeCache{cached: cached{}, contract: []model.ContractQuarter{
			{Quarter: model.Quarter{Year: 2022, Q: 1}, Price: 26887.2, BasisREO: 51, Source: "ref"},
		}}})
	if _, err := p.Cycle(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := healthOf(p.Health(), "ann", "notices")
	if h.State != model.FeedFailing || !strings.Contains(h.LastErr, "502") {
		t.Errorf("health %+v", h)
	}
	// A host that does not answer is asked once a run, not once per
	// quarter to search.
	if h.Failures != 1 {
		t.Errorf("%d failed requests in one run, want 1", h.Failures)
	}
}
