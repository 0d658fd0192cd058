package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rareterm/rareterm/i18n"
)

// Quarter is a calendar quarter, e.g. 2026Q1.
type Quarter struct {
	Year int
	Q    int // 1..4
}

func (q Quarter) String() string { return fmt.Sprintf("%dQ%d", q.Year, q.Q) }

// Index returns a monotone integer for ordering and adjacency (year*4 + q-1).
func (q Quarter) Index() int { return q.Year*4 + q.Q - 1 }

// Prev returns the quarter before q.
func (q Quarter) Prev() Quarter {
	if q.Q == 1 {
		return Quarter{q.Year - 1, 4}
	}
	return Quarter{q.Year, q.Q - 1}
}

// Next returns the quarter after q.
func (q Quarter) Next() Quarter {
	if q.Q == 4 {
		return Quarter{q.Year + 1, 1}
	}
	return Quarter{q.Year, q.Q + 1}
}

// ParseQuarter parses "2026Q1" (or "2026-Q1", "2026q1").
func ParseQuarter(s string) (Quarter, error) {
	t := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "-", ""))
	i := strings.IndexByte(t, 'Q')
	if i != 4 || len(t) != 6 {
		return Quarter{}, i18n.Errorf(i18n.ModelBadQuarter, s)
	}
	y, err1 := strconv.Atoi(t[:4])
	q, err2 := strconv.Atoi(t[5:])
	if err1 != nil || err2 != nil || q < 1 || q > 4 || y < 1990 || y > 2100 {
		return Quarter{}, i18n.Errorf(i18n.ModelBadQuarterN, s)
	}
	return Quarter{y, q}, nil
}

// ContractQuarter is one quarter's Baotou Steel → Northern Rare Earth
// concentrate price: 元/吨, ex-VAT, dry weight, at the REO basis grade.
type ContractQuarter struct {
	Quarter  Quarter
	Price    float64 // 元/吨 at the basis grade
	BasisREO float64 // 50 (51 in 2022)
	Source   string
	Note     string
}

// Basis returns the REO basis in percent, 50 when unset.
func (c ContractQuarter) Basis() float64 {
	if c.BasisREO <= 0 {
		return 50
	}
	return c.BasisREO
}

// StepPerPct is the price move for each 1% of REO: price / basis.
func (c ContractQuarter) StepPerPct() float64 { return c.Price / c.Basis() }

// PriceAtGrade is the price for concentrate of REO grade g percent:
// price × g / basis.
func (c ContractQuarter) PriceAtGrade(g float64) float64 { return c.Price * g / c.Basis() }

// SortQuarters orders contract quarters oldest first.
func SortQuarters(cs []ContractQuarter) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].Quarter.Index() < cs[j].Quarter.Index() })
}

// QoQ returns the change in percent of quarter q against the quarter
// immediately before it, and false when either is unknown. A quarter after a
// gap has no QoQ: the contract is never interpolated.
func QoQ(cs []ContractQuarter, q Quarter) (float64, bool) {
	cur, ok1 := findQuarter(cs, q)
	prev, ok2 := findQuarter(cs, q.Prev())
	if !ok1 || !ok2 || prev.Price == 0 {
		return 0, false
	}
	return (cur.Price/prev.Price - 1) * 100, true
}

// Streak counts the consecutive quarter-on-quarter increases ending at q
// (2024Q4 … 2026Q1 gives 6). A gap or a fall ends the streak.
func Streak(cs []ContractQuarter, q Quarter) int {
	n := 0
	for {
		cur, ok1 := findQuarter(cs, q)
		prev, ok2 := findQuarter(cs, q.Prev())
		if !ok1 || !ok2 || cur.Price <= prev.Price {
			return n
		}
		n++
		q = q.Prev()
	}
}

func findQuarter(cs []ContractQuarter, q Quarter) (ContractQuarter, bool) {
	for _, c := range cs {
		if c.Quarter == q {
			return c, true
		}
	}
	return ContractQuarter{}, false
}

// QuarterRow is one line of the contract history as displayed: a known
// quarter, or a gap where no figure was found.
type QuarterRow struct {
	Quarter Quarter
	Known   bool
	C       ContractQuarter
	QoQ     float64
	HasQoQ  bool
	// Pending marks an unknown quarter after the last known one, up to the
	// current quarter: its price is announced in its first ten days (by
	// Due); Overdue once that window has passed with no price found.
	Pending bool
	Due     time.Time
	Overdue bool
	// Notice is the latest concentrate-price notice read for the quarter
	// (nil when none): the source of its price, or, unparsed, the reason
	// its price is not shown.
	Notice *ConcentrateNotice
	// New marks a price set by a notice dated in the last ten days.
	New bool
}

// AttachNotices links each row to the concentrate notices read for its
// quarter: the one its price came from when there is one, else the
// latest. A row priced by a notice dated within ten days of now is New.
func AttachNotices(rows []QuarterRow, ns []ConcentrateNotice, now time.Time) {
	for i := range rows {
		r := &rows[i]
		r.Notice, r.New = nil, false
		source := false // r.Notice is the source of the row's price
		for j := range ns {
			n := &ns[j]
			if n.Quarter != r.Quarter {
				continue
			}
			from := r.Known && n.Parsed && strings.HasPrefix(r.C.Source, n.Notice.Title+" (")
			switch {
			case from:
				r.Notice, source = n, true
			case source:
			case r.Notice == nil || !n.Notice.Date.Before(r.Notice.Notice.Date):
				r.Notice = n
			}
		}
		if source && !now.IsZero() {
			age := Day(now).Sub(Day(r.Notice.Notice.Date))
			r.New = age >= 0 && age <= 10*24*time.Hour
		}
	}
}

// QuarterOf returns the quarter t falls in (CST).
func QuarterOf(t time.Time) Quarter {
	t = t.In(CST)
	return Quarter{Year: t.Year(), Q: (int(t.Month())-1)/3 + 1}
}

// Start is 00:00 CST on the quarter's first day.
func (q Quarter) Start() time.Time { return Date(q.Year, time.Month((q.Q-1)*3+1), 1) }

// AnnounceBy is the last day of the quarter's first ten days, by which the
// two companies announce its concentrate price.
func (q Quarter) AnnounceBy() time.Time { return q.Start().AddDate(0, 0, 9) }

// QuarterRows lays the contract history out newest first, one row per
// quarter from the first known to the current one at now (the last known,
// when now is zero), with gaps marked: a quarter after the last known one is
// pending (due in its first ten days, overdue after them); one between
// known quarters was never found.
func QuarterRows(cs []ContractQuarter, now time.Time) []QuarterRow {
	if len(cs) == 0 {
		return nil
	}
	s := append([]ContractQuarter(nil), cs...)
	SortQuarters(s)
	last := s[len(s)-1].Quarter
	top := last
	if !now.IsZero() {
		if cur := QuarterOf(now); cur.Index() > top.Index() {
			top = cur
		}
	}
	today := Day(now)
	var rows []QuarterRow
	for q := top; q.Index() >= s[0].Quarter.Index(); q = q.Prev() {
		c, ok := findQuarter(s, q)
		r := QuarterRow{Quarter: q, Known: ok, C: c}
		r.QoQ, r.HasQoQ = QoQ(s, q)
		if !ok && q.Index() > last.Index() {
			r.Pending, r.Due = true, q.AnnounceBy()
			r.Overdue = today.After(r.Due)
		}
		rows = append(rows, r)
	}
	return rows
}

// LastKnown returns the newest known row, or false when none is.
func LastKnown(rows []QuarterRow) (QuarterRow, bool) {
	for _, r := range rows {
		if r.Known {
			return r, true
		}
	}
	return QuarterRow{}, false
}
