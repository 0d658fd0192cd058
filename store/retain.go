package store

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/model"
)

// DefaultRetentionDays is how many days of intraday quotes Retain keeps when
// the config says nothing (history.retention_days).
const DefaultRetentionDays = 30

// retainChunk bounds the quotes one Retain transaction folds: a transaction
// takes whole days until it holds at least this many, so a file that was
// never retained (a year of 5-second quotes) is folded in pieces of bounded
// memory rather than in one huge transaction.
var retainChunk = 50_000

// RetainReport says what Retain did.
type RetainReport struct {
	Cutoff  time.Time // quotes before this instant (00:00 CST) were folded
	Symbols int       // symbols that had quotes to fold
	Quotes  int       // quotes folded into bars and deleted
	Bars    int       // 1-minute bars written
	Kept    int       // minutes that already had a 1-minute bar, left as they were
	// Thinned is the board moves and constituent lists deleted: each day
	// before the cutoff keeps its last.
	Thinned int
}

// Retain folds the intraday quotes older than quoteDays days into 1-minute
// bars and deletes them; board moves and constituent lists before the
// cutoff keep the last of each day (thinDaily); daily bars, margin, element
// prices and the contract are kept for ever. The cutoff is 00:00 CST of the day quoteDays
// days before now's day, so a day is always folded whole.
//
// A minute's bar (stamped at the start of the minute, CST) takes its open,
// high, low and close from the Last of the minute's quotes, oldest first.
// Quotes carry the day's cumulative volume and amount, so the bar's volume
// is the cumulative volume of the minute's last quote minus that of the
// previous minute's last quote of the same day, clamped at zero (a source
// switch can step the cumulative back); the first minute of a day takes the
// cumulative figure itself, i.e. everything traded before it that day.
// Unknown (NaN) figures are skipped: a minute with no known Last writes no
// bar, and its volume falls into the next bar. The bar's Source is the
// quotes' source (their distinct sources joined by "+" when a failover
// happened within the minute). A minute that already has a bar in bars_1m
// (from a minute-history feed) keeps it.
//
// Each transaction folds whole days of one symbol: it writes the bars and
// deletes the quotes it folded (keys collected first, deleted after the
// walk), so a crash leaves either the quotes or the bars, never neither.
// Running Retain again is harmless.
func (db *DB) Retain(now time.Time, quoteDays int) (RetainReport, error) {
	var rep RetainReport
	if db.readOnly {
		return rep, errors.New("store: retain on a database opened read-only")
	}
	if quoteDays < 1 {
		return rep, fmt.Errorf("store: retain: %d days: want at least 1", quoteDays)
	}
	rep.Cutoff = model.Day(now).AddDate(0, 0, -quoteDays)
	if !rep.Cutoff.After(minKeyTime) {
		return rep, nil
	}
	// A read transaction finds the symbols with anything to fold: a write
	// transaction costs fsyncs even when it changes nothing, and most
	// starts have nothing to fold.
	limit := boundKey(rep.Cutoff)
	var syms []string
	if err := db.view(func(tx *bolt.Tx) error {
		names, err := subNames(tx, bQuotes)
		for _, n := range names {
			if k, _ := nested(tx, bQuotes, n).Cursor().First(); k != nil && bytes.Compare(k, limit) < 0 {
				syms = append(syms, n)
			}
		}
		return err
	}); err != nil {
		return rep, fmt.Errorf("store: retain: %w", err)
	}
	for _, sym := range syms {
		folded := false
		for more := true; more; {
			var r foldResult
			err := db.update(func(tx *bolt.Tx) error {
				var err error
				r, err = foldQuotes(tx, sym, limit, retainChunk)
				return err
			})
			if err != nil {
				return rep, fmt.Errorf("store: retain %s: %w", sym, err)
			}
			more = r.more
			rep.Quotes += r.quotes
			rep.Bars += r.bars
			rep.Kept += r.kept
			folded = folded || r.quotes > 0
		}
		if folded {
			rep.Symbols++
		}
	}
	for _, top := range [][]byte{bBoards, bMembers} {
		n, err := db.thinDaily(top, limit)
		rep.Thinned += n
		if err != nil {
			return rep, fmt.Errorf("store: retain: %w", err)
		}
	}
	return rep, nil
}

type foldResult struct {
	quotes, bars, kept int
	more               bool // stopped at a day boundary with quotes left to fold
}

// minuteAgg accumulates one minute's quotes.
type minuteAgg struct {
	t                      time.Time
	open, high, low, close float64
	hasPrice               bool
	vol, amt               float64 // the latest known cumulative figures in the minute
	sources                []string
}

func (m *minuteAgg) add(q *model.Quote) {
	if model.Known(q.Last) {
		if !m.hasPrice {
			m.open, m.high, m.low, m.hasPrice = q.Last, q.Last, q.Last, true
		}
		m.high = math.Max(m.high, q.Last)
		m.low = math.Min(m.low, q.Last)
		m.close = q.Last
	}
	if model.Known(q.Volume) {
		m.vol = q.Volume
	}
	if model.Known(q.Amount) {
		m.amt = q.Amount
	}
	for _, s := range m.sources {
		if s == q.Source {
			return
		}
	}
	m.sources = append(m.sources, q.Source)
}

// foldQuotes folds sym's quotes with keys below limit, whole days at a time,
// until at least chunk quotes are folded, in tx.
func foldQuotes(tx *bolt.Tx, sym string, limit []byte, chunk int) (foldResult, error) {
	var r foldResult
	qb := nested(tx, bQuotes, sym)
	if qb == nil {
		return r, nil
	}
	var (
		keys    [][]byte
		bars    []model.Bar
		day     time.Time
		prevVol float64 // cumulative at the previous minute's last quote
		prevAmt float64
		cur     *minuteAgg
		in      = newInterner()
		q       model.Quote
		started bool
	)
	flush := func() {
		if cur == nil || !cur.hasPrice {
			return // no price: no bar, and the volume rolls into the next minute
		}
		b := model.Bar{Symbol: sym, Interval: model.Minute, Time: cur.t,
			Open: cur.open, High: cur.high, Low: cur.low, Close: cur.close,
			Volume: model.Unknown, Amount: model.Unknown, Source: strings.Join(cur.sources, "+")}
		if model.Known(cur.vol) {
			b.Volume = math.Max(cur.vol-prevVol, 0)
			prevVol = cur.vol
		}
		if model.Known(cur.amt) {
			b.Amount = math.Max(cur.amt-prevAmt, 0)
			prevAmt = cur.amt
		}
		bars = append(bars, b)
	}
	c := qb.Cursor()
	for k, v := c.First(); k != nil && bytes.Compare(k, limit) < 0; k, v = c.Next() {
		if v == nil {
			return r, fmt.Errorf("%w: nested bucket %q inside a series", errCorrupt, k)
		}
		t, err := keyTime(k)
		if err != nil {
			return r, wrapAt("quote", sym, k, err)
		}
		q = model.Quote{Symbol: sym, Time: t}
		if err := decodeQuote(v, in, &q); err != nil {
			return r, wrapAt("quote", sym, k, err)
		}
		if d := model.Day(t); !started || !d.Equal(day) {
			if len(keys) >= chunk {
				r.more = true
				break // end the transaction at a day boundary
			}
			flush()
			cur = nil
			day, started = d, true
			prevVol, prevAmt = 0, 0 // cumulative figures restart every day
		}
		if m := t.Truncate(time.Minute); cur == nil || !cur.t.Equal(m) {
			flush()
			cur = &minuteAgg{t: m, vol: model.Unknown, amt: model.Unknown}
		}
		cur.add(&q)
		keys = append(keys, append([]byte(nil), k...))
	}
	flush()
	if len(keys) == 0 {
		return foldResult{}, nil
	}

	top := tx.Bucket(bBars1m)
	if top == nil {
		return r, fmt.Errorf("%w: bucket %s missing", errCorrupt, bBars1m)
	}
	bb, err := top.CreateBucketIfNotExists([]byte(sym))
	if err != nil {
		return r, err
	}
	bb.FillPercent = seriesFill
	for i := range bars {
		k, err := timeKey(bars[i].Time)
		if err != nil {
			return r, err
		}
		if bb.Get(k) != nil {
			r.kept++
			continue
		}
		e := &encoder{}
		encodeBar(e, &bars[i])
		if e.err != nil {
			return r, e.err
		}
		if err := bb.Put(k, e.b); err != nil {
			return r, err
		}
		r.bars++
	}
	for _, k := range keys {
		if err := qb.Delete(k); err != nil {
			return r, err
		}
	}
	r.quotes = len(keys)
	if k, _ := qb.Cursor().First(); k == nil {
		// Every quote folded: drop the symbol's empty bucket.
		if err := tx.Bucket(bQuotes).DeleteBucket([]byte(sym)); err != nil {
			return r, err
		}
	}
	return r, nil
}
