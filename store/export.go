package store

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// ExportSeries are the series Export writes.
var ExportSeries = []string{"quotes", "bars", "margin", "elements", "contract", "boards"}

// The export formats. Every row carries its source. Numbers are written in
// the shortest form that reads back to the same float64; unknown figures
// (NaN) are an empty CSV cell or a JSON null. Times are RFC 3339 in CST
// (+08:00); days are YYYY-MM-DD.
//
// The elements and contract CSVs are exactly the formats ParseCSV reads, so
// `rareterm export` then `rareterm import` round-trips every value:
//
//	elements: date,element,price,low,high,unit,orig_unit,source
//	          (prices in 元/吨, unit always 元/吨, orig_unit the unit the
//	          source quoted)
//	contract: quarter,price,basis_reo,source,note
//
// The others:
//
//	quotes:   symbol,time,name,last,prev_close,open,high,low,volume,amount,
//	          turnover_pct,market_cap,float_cap,pe,main_net,high52,low52,source
//	bars:     symbol,interval,time,open,high,low,close,volume,amount,source
//	          (daily bars, then 1-minute bars, per symbol)
//	margin:   symbol,date,name,fin_balance,fin_buy,fin_repay,fin_net_buy,
//	          lend_balance,total,balance_pct,float_cap,source
//	boards:   code,time,name,level,change_pct,main_net,turnover,up,down,flat,
//	          leader,leader_code,leader_pct,limit_up,source
//
// JSON is one array of objects with the same keys.
var exportColumns = map[string][]string{
	"quotes": {"symbol", "time", "name", "last", "prev_close", "open", "high", "low", "volume", "amount",
		"turnover_pct", "market_cap", "float_cap", "pe", "main_net", "high52", "low52", "source"},
	"bars": {"symbol", "interval", "time", "open", "high", "low", "close", "volume", "amount", "source"},
	"margin": {"symbol", "date", "name", "fin_balance", "fin_buy", "fin_repay", "fin_net_buy", "lend_balance",
		"total", "balance_pct", "float_cap", "source"},
	"elements": {"date", "element", "price", "low", "high", "unit", "orig_unit", "source"},
	"contract": {"quarter", "price", "basis_reo", "source", "note"},
	"boards": {"code", "time", "name", "level", "change_pct", "main_net", "turnover", "up", "down", "flat",
		"leader", "leader_code", "leader_pct", "limit_up", "source"},
}

// cell is one exported value: a string, a number (null when NaN) or an
// integer.
type cell struct {
	s    string
	num  bool // s holds a number (or null, when null is set)
	null bool
}

// sCell is a text cell, sanitised: whatever the file holds (a value
// stored before import sanitised, a write from another program), an export
// never carries an escape sequence or a control character to the terminal
// or the program that reads it. Line breaks in a note are kept.
func sCell(s string) cell { return cell{s: model.SanitizeLines(s)} }

func fCell(v float64) cell {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return cell{num: true, null: true}
	}
	return cell{s: strconv.FormatFloat(v, 'f', -1, 64), num: true}
}

func iCell(v int) cell { return cell{s: strconv.Itoa(v), num: true} }

func tCell(t time.Time) cell { return cell{s: t.In(model.CST).Format(time.RFC3339Nano)} }

// dCell writes a day as YYYY-MM-DD, or the full time when it is not 00:00
// CST (ParseCSV reads both).
func dCell(t time.Time) cell {
	t = t.In(model.CST)
	if t.Equal(model.Day(t)) {
		return cell{s: t.Format("2006-01-02")}
	}
	return tCell(t)
}

// rowWriter writes rows in one format.
type rowWriter interface {
	row([]cell) error
	end() error
}

type csvRows struct {
	w   *csv.Writer
	rec []string
}

func (c *csvRows) row(cells []cell) error {
	c.rec = c.rec[:0]
	for _, x := range cells {
		if x.null {
			c.rec = append(c.rec, "")
		} else {
			c.rec = append(c.rec, x.s)
		}
	}
	return c.w.Write(c.rec)
}

func (c *csvRows) end() error { c.w.Flush(); return c.w.Error() }

type jsonRows struct {
	w    *bufio.Writer
	cols []string
	n    int
	buf  []byte
}

func (j *jsonRows) row(cells []cell) error {
	b := j.buf[:0]
	if j.n == 0 {
		b = append(b, "[\n  {"...)
	} else {
		b = append(b, ",\n  {"...)
	}
	j.n++
	for i, x := range cells {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendQuote(b, j.cols[i]) // column names are ASCII
		b = append(b, ": "...)
		switch {
		case x.null:
			b = append(b, "null"...)
		case x.num:
			b = append(b, x.s...)
		default:
			q, err := json.Marshal(x.s)
			if err != nil {
				return err
			}
			b = append(b, q...)
		}
	}
	b = append(b, '}')
	j.buf = b
	_, err := j.w.Write(b)
	return err
}

func (j *jsonRows) end() error {
	if j.n == 0 {
		j.w.WriteString("[]\n")
	} else {
		j.w.WriteString("\n]\n")
	}
	return j.w.Flush()
}

// Export writes one cached series to w as CSV (with a header) or JSON:
// series is one of ExportSeries, symbol (optional) keeps one symbol, board
// code or element (an id or a name model.LookupElement knows), from and to
// (zero: unbounded) bound the times, both inclusive; for the contract, the
// quarter's first day. Rows are ordered by symbol, then time. Everything is
// read in one read transaction.
func (db *DB) Export(series, symbol string, from, to time.Time, w io.Writer, format string) error {
	cols, ok := exportColumns[series]
	if !ok {
		return fmt.Errorf("store: export: unknown series %q (want quotes, bars, margin, elements, contract or boards)", series)
	}
	if series == "contract" && symbol != "" {
		return fmt.Errorf("store: export: the contract series has no symbol")
	}
	if series == "elements" && symbol != "" {
		id, ok := model.LookupElement(symbol)
		if !ok {
			return fmt.Errorf("store: export: unknown element %q", symbol)
		}
		symbol = string(id)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var rw rowWriter
	switch format {
	case "csv", "":
		cw := csv.NewWriter(bw)
		if err := cw.Write(cols); err != nil {
			return err
		}
		rw = &csvRows{w: cw}
	case "json":
		rw = &jsonRows{w: bw, cols: cols}
	default:
		return fmt.Errorf("store: export: format %q: want csv or json", format)
	}
	sp := makeSpan(from, to)
	err := db.view(func(tx *bolt.Tx) error {
		in := newInterner()
		cells := make([]cell, 0, len(cols))
		// each walks the nested series of top (one, when symbol is set).
		each := func(top []byte, fn func(name string, b *bolt.Bucket) error) error {
			names := []string{symbol}
			if symbol == "" {
				var err error
				if names, err = subNames(tx, top); err != nil {
					return err
				}
			}
			for _, n := range names {
				if b := nested(tx, top, n); b != nil {
					if err := fn(n, b); err != nil {
						return err
					}
				}
			}
			return nil
		}
		switch series {
		case "quotes":
			return each(bQuotes, func(sym string, b *bolt.Bucket) error {
				return scan(b, sp, func(k, v []byte) error {
					q, err := decodeQuoteKV(sym, k, v, in)
					if err != nil {
						return err
					}
					cells = append(cells[:0], sCell(q.Symbol), tCell(q.Time), sCell(q.Name), fCell(q.Last), fCell(q.PrevClose),
						fCell(q.Open), fCell(q.High), fCell(q.Low), fCell(q.Volume), fCell(q.Amount), fCell(q.TurnoverPct),
						fCell(q.MarketCap), fCell(q.FloatCap), fCell(q.PE), fCell(q.MainNet), fCell(q.High52), fCell(q.Low52), sCell(q.Source))
					return rw.row(cells)
				})
			})
		case "bars":
			syms := []string{symbol}
			if symbol == "" {
				set := map[string]bool{}
				for _, top := range [][]byte{bBars1d, bBars1m} {
					names, err := subNames(tx, top)
					if err != nil {
						return err
					}
					for _, n := range names {
						set[n] = true
					}
				}
				syms = syms[:0]
				for n := range set {
					syms = append(syms, n)
				}
				sort.Strings(syms)
			}
			for _, sym := range syms {
				for _, iv := range []model.Interval{model.Daily, model.Minute} {
					top, _ := barsBucket(iv)
					err := scan(nested(tx, top, sym), sp, func(k, v []byte) error {
						r := model.Bar{Symbol: sym, Interval: iv}
						var err error
						if r.Time, err = keyTime(k); err != nil {
							return wrapAt("bar", sym, k, err)
						}
						if err := decodeBar(v, in, &r); err != nil {
							return wrapAt("bar", sym, k, err)
						}
						t := tCell(r.Time)
						if iv == model.Daily {
							t = dCell(r.Time)
						}
						cells = append(cells[:0], sCell(sym), sCell(string(iv)), t, fCell(r.Open), fCell(r.High), fCell(r.Low),
							fCell(r.Close), fCell(r.Volume), fCell(r.Amount), sCell(r.Source))
						return rw.row(cells)
					})
					if err != nil {
						return err
					}
				}
			}
			return nil
		case "margin":
			return each(bMargin, func(sym string, b *bolt.Bucket) error {
				return scan(b, sp, func(k, v []byte) error {
					m, err := decodeMarginKV(sym, k, v, in)
					if err != nil {
						return err
					}
					cells = append(cells[:0], sCell(m.Symbol), dCell(m.Date), sCell(m.Name), fCell(m.FinBalance), fCell(m.FinBuy),
						fCell(m.FinRepay), fCell(m.FinNetBuy), fCell(m.LendBalance), fCell(m.Total), fCell(m.BalancePct),
						fCell(m.FloatCap), sCell(m.Source))
					return rw.row(cells)
				})
			})
		case "elements":
			return each(bElements, func(id string, b *bolt.Bucket) error {
				s, err := readElements(tx, model.ElementID(id), sp, in)
				if err != nil {
					return err
				}
				for _, p := range s {
					cells = append(cells[:0], dCell(p.Date), sCell(string(p.Element)), fCell(p.Price), fCell(p.Low), fCell(p.High),
						sCell("元/吨"), sCell(p.OrigUnit), sCell(p.Source))
					if err := rw.row(cells); err != nil {
						return err
					}
				}
				return nil
			})
		case "contract":
			cs, err := readContract(tx, time.Time{})
			if err != nil {
				return err
			}
			for _, c := range cs {
				start := QuarterStart(c.Quarter)
				if (!from.IsZero() && start.Before(from)) || (!to.IsZero() && start.After(to)) {
					continue
				}
				basis := fCell(c.BasisREO)
				if c.BasisREO == 0 {
					basis = sCell("") // unset: read back as the default, 50
				}
				cells = append(cells[:0], sCell(c.Quarter.String()), fCell(c.Price), basis, sCell(c.Source), sCell(c.Note))
				if err := rw.row(cells); err != nil {
					return err
				}
			}
			return nil
		case "boards":
			return each(bBoards, func(code string, b *bolt.Bucket) error {
				return scan(b, sp, func(k, v []byte) error {
					m, err := decodeBoardKV(code, k, v, in)
					if err != nil {
						return err
					}
					cells = append(cells[:0], sCell(m.Code), tCell(m.Time), sCell(m.Name), fCell(m.Level), fCell(m.ChangePct),
						fCell(m.MainNet), fCell(m.Turnover), iCell(m.Up), iCell(m.Down), iCell(m.Flat), sCell(m.Leader),
						sCell(m.LeaderCode), fCell(m.LeaderPct), iCell(m.LimitUp), sCell(m.Source))
					return rw.row(cells)
				})
			})
		}
		return nil
	})
	if err != nil {
		return i18n.Errorf(i18n.StoreExport, series, err)
	}
	if err := rw.end(); err != nil {
		return i18n.Errorf(i18n.StoreExport, series, err)
	}
	return nil
}
