package store

import (
	"slices"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/model"
)

// Snapshot builds the market as of asOf (the latest when asOf is zero) in
// one read transaction:
//
//   - Quotes: per requested symbol, the last quote at or before asOf;
//   - Daily: per requested symbol, the daily bars of the `days` calendar days
//     ending at asOf (when asOf is zero: ending at the symbol's newest bar,
//     so an old cache still shows its last days); none when days <= 0;
//   - Margin: per requested symbol, the last MarginDays margin days, led by
//     the last day before January 1 of asOf's year and the first day from
//     the year's first trading day when those are older (the margin panel
//     compares balances with the year's start);
//   - Elements: every product's prices up to asOf;
//   - Contract: the quarters that started at or before asOf (all when zero);
//   - Concentrates: the concentrate-price notices dated at or before asOf,
//     without their text;
//   - Boards: every board's last move at or before asOf;
//   - Sector: per board, the last SectorMarginDays margin days (board codes
//     in the margin bucket);
//   - Members: every board's constituents as last fetched at or before asOf;
//   - Symbols and IndexEras: all.
//
// A nil symbols means every symbol with cached quotes or daily bars.
func (db *DB) Snapshot(asOf time.Time, symbols []string, days int) (model.Snapshot, error) {
	snap := model.NewSnapshot()
	snap.AsOf = asOf
	err := db.view(func(tx *bolt.Tx) error {
		in := newInterner()
		if symbols == nil {
			var err error
			if symbols, err = cachedSymbols(tx); err != nil {
				return err
			}
		}
		for _, sym := range symbols {
			if err := snapSymbol(tx, &snap, sym, asOf, days, in); err != nil {
				return err
			}
		}

		ids, err := subNames(tx, bElements)
		if err != nil {
			return err
		}
		upTo := makeSpan(time.Time{}, asOf)
		for _, id := range ids {
			s, err := readElements(tx, model.ElementID(id), upTo, in)
			if err != nil {
				return err
			}
			if len(s) > 0 {
				snap.Elements[model.ElementID(id)] = s
			}
		}

		if snap.Contract, err = readContract(tx, asOf); err != nil {
			return err
		}
		all, err := readConcentrates(tx, time.Time{})
		if err != nil {
			return err
		}
		for _, n := range all {
			if !asOf.IsZero() && n.Notice.Date.After(asOf) {
				// A quarter priced by a notice dated after asOf was not
				// known then.
				snap.Contract = slices.DeleteFunc(snap.Contract, func(c model.ContractQuarter) bool {
					return n.Quarter == c.Quarter && strings.HasPrefix(c.Source, n.Notice.Title+" (")
				})
				continue
			}
			n.Text = "" // the screen reads a text when it opens one
			snap.Concentrates = append(snap.Concentrates, n)
		}

		boards, err := subNames(tx, bBoards)
		if err != nil {
			return err
		}
		for _, code := range boards {
			b := nested(tx, bBoards, code)
			k, v := seekAsOf(b.Cursor(), asOf)
			if k == nil {
				continue
			}
			m, err := decodeBoardKV(code, k, v, in)
			if err != nil {
				return err
			}
			snap.Boards[code] = m
		}

		margins, err := subNames(tx, bMargin)
		if err != nil {
			return err
		}
		for _, code := range margins {
			if !isBoardCode(code) {
				continue
			}
			ms, err := marginLastN(tx, code, asOf, SectorMarginDays, in)
			if err != nil {
				return err
			}
			if len(ms) > 0 {
				snap.Sector[code] = ms
			}
		}

		members, err := subNames(tx, bMembers)
		if err != nil {
			return err
		}
		for _, code := range members {
			qs, _, ok, err := membersAsOf(tx, code, asOf, in)
			if err != nil {
				return err
			}
			if ok {
				snap.Members[code] = qs
			}
		}

		if snap.Symbols, err = readSymbols(tx); err != nil {
			return err
		}
		snap.IndexEras, err = readEras(tx)
		return err
	})
	if err != nil {
		return model.Snapshot{}, err
	}
	return snap, nil
}

func snapSymbol(tx *bolt.Tx, snap *model.Snapshot, sym string, asOf time.Time, days int, in *interner) error {
	if b := nested(tx, bQuotes, sym); b != nil {
		if k, v := seekAsOf(b.Cursor(), asOf); k != nil {
			q, err := decodeQuoteKV(sym, k, v, in)
			if err != nil {
				return err
			}
			snap.Quotes[sym] = q
		}
	}
	if days > 0 {
		bars, err := dailyWindow(tx, sym, asOf, days, in)
		if err != nil {
			return err
		}
		if len(bars) > 0 {
			snap.Daily[sym] = bars
		}
	}
	if !asOf.IsZero() {
		// A past date: the day's close stands for the quote when no quote
		// of that day (or later than the last bar) is cached.
		if err := quoteFromDaily(tx, snap, sym, asOf, in); err != nil {
			return err
		}
	}
	ms, err := marginLastN(tx, sym, asOf, MarginDays, in)
	if err != nil {
		return err
	}
	if len(ms) > 0 {
		ref := asOf
		if ref.IsZero() {
			ref = ms[len(ms)-1].Date
		}
		base, err := yearBase(tx, sym, ref, ms[0].Date, in)
		if err != nil {
			return err
		}
		ms = append(base, ms...)
		snap.Margin[sym] = ms
	}
	return nil
}

// dailyWindow returns sym's daily bars of the `days` calendar days ending at
// asOf, or at the newest bar when asOf is zero.
func dailyWindow(tx *bolt.Tx, sym string, asOf time.Time, days int, in *interner) ([]model.Bar, error) {
	b := nested(tx, bBars1d, sym)
	if b == nil {
		return nil, nil
	}
	end := asOf
	if end.IsZero() {
		k, _ := b.Cursor().Last()
		if k == nil {
			return nil, nil
		}
		t, err := keyTime(k)
		if err != nil {
			return nil, wrapAt("bar", sym, k, err)
		}
		end = t
	}
	from := model.Day(end).AddDate(0, 0, -(days - 1))
	return readBars(tx, bBars1d, sym, model.Daily, makeSpan(from, end), in)
}

// cachedSymbols lists the symbols with quotes or daily bars, sorted.
func cachedSymbols(tx *bolt.Tx) ([]string, error) {
	set := map[string]bool{}
	for _, top := range [][]byte{bQuotes, bBars1d} {
		names, err := subNames(tx, top)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			set[n] = true
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out, nil
}

func isBoardCode(code string) bool {
	s, err := model.ParseSymbol(code)
	return err == nil && s.Market == model.MarketBoard
}

// quoteFromDaily puts the last daily bar at or before asOf in place of
// sym's quote when the cached quote is older than that bar's day (or
// missing): its close, with the change from the bar before it.
func quoteFromDaily(tx *bolt.Tx, snap *model.Snapshot, sym string, asOf time.Time, in *interner) error {
	b := nested(tx, bBars1d, sym)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	k, v := seekAsOf(c, asOf)
	if k == nil {
		return nil
	}
	var last model.Bar
	t, err := keyTime(k)
	if err != nil {
		return wrapAt("bar", sym, k, err)
	}
	if model.Day(t).Add(15 * time.Hour).After(asOf) {
		// That day's close is not known yet at asOf: the day before's.
		if k, v = c.Prev(); k == nil {
			return nil
		}
		if t, err = keyTime(k); err != nil {
			return wrapAt("bar", sym, k, err)
		}
	}
	if err := decodeBar(v, in, &last); err != nil {
		return wrapAt("bar", sym, k, err)
	}
	last.Time = t
	if q, ok := snap.Quotes[sym]; ok && !model.Day(q.Time).Before(model.Day(t)) {
		return nil
	}
	prev := model.Unknown
	if pk, pv := c.Prev(); pk != nil {
		var pb model.Bar
		if err := decodeBar(pv, in, &pb); err == nil {
			prev = pb.Close
		}
	}
	name := snap.Quotes[sym].Name
	snap.Quotes[sym] = model.QuoteFromBar(sym, name, last, prev)
	return nil
}
