package feeds

import (
	"fmt"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Rows are vetted before they reach the batch: a row the store could not
// hold, or that would put a wrong figure on screen, is dropped on its own
// with a warning, and the rest of the answer and of the cycle is kept. A
// name that is too long is cut (model.CleanName). The warning names the
// feed, the symbol and the field, and is given once per feed, symbol and
// field for the life of the poller.

// maxWarned bounds the memory of warnings given; past it, warnings stop
// (with one last line saying so).
const maxWarned = 4096

// warn logs a dropped or repaired row once per feed, symbol and field.
func (p *Poller) warn(feed, sym, field, format string, args ...any) {
	k := feed + "\x00" + sym + "\x00" + field
	p.mu.Lock()
	if p.warned[k] {
		p.mu.Unlock()
		return
	}
	full := len(p.warned) >= maxWarned
	if !full {
		p.warned[k] = true
	} else if !p.warnedFull {
		p.warnedFull = true
		p.mu.Unlock()
		p.cfg.Warnf("feeds: more bad rows; no further warnings this run")
		return
	}
	p.mu.Unlock()
	if full {
		return
	}
	p.cfg.Warnf("%s: %s %s: %s (warned once)", feed, model.Sanitize(sym), field, fmt.Sprintf(format, args...))
}

// validCode reports whether s can be a code (and a store key): 1 to 32
// printable ASCII bytes.
func validCode(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// cleanName cuts and sanitises a name, warning when it had to be cut.
func (p *Poller) cleanName(feed, sym, field string, s *string) {
	c := model.CleanName(*s)
	if len([]rune(c)) == model.MaxNameRunes && len(*s) > len(c) {
		p.warn(feed, sym, field, "cut from %d bytes to %d characters", len(*s), model.MaxNameRunes)
	}
	*s = c
}

// codeLabel is a code fit for a message.
func codeLabel(s string) string {
	if s == "" {
		return "(no code)"
	}
	return model.CleanName(s)
}

// vetQuotes keeps the quotes fit to store. zeroTime allows quotes without
// a time (board constituents: clist carries no f124).
func (p *Poller) vetQuotes(feed string, qs []model.Quote, now time.Time, zeroTime bool) []model.Quote {
	out := qs[:0:0]
	for _, q := range qs {
		if !validCode(q.Symbol) {
			p.warn(feed, codeLabel(q.Symbol), "symbol", "dropped: not a valid code")
			continue
		}
		if !(zeroTime && q.Time.IsZero()) {
			if err := model.CheckRowTime(q.Time, now); err != nil {
				p.warn(feed, q.Symbol, "time", "dropped: %v", err)
				continue
			}
		}
		if !model.Known(q.Last) || q.Last <= 0 {
			p.warn(feed, q.Symbol, "last", "dropped: last price %v", q.Last)
			continue
		}
		if err := model.CheckFinite([]string{"prev close", "open", "high", "low", "volume", "amount", "turnover", "market cap", "float cap", "PE", "main net", "52w high", "52w low"},
			q.PrevClose, q.Open, q.High, q.Low, q.Volume, q.Amount, q.TurnoverPct, q.MarketCap, q.FloatCap, q.PE, q.MainNet, q.High52, q.Low52); err != nil {
			p.warn(feed, q.Symbol, "number", "dropped: %v", err)
			continue
		}
		p.cleanName(feed, q.Symbol, "name", &q.Name)
		q.Source = model.CleanName(q.Source)
		out = append(out, q)
	}
	return out
}

func (p *Poller) vetBars(feed string, bs []model.Bar, now time.Time) []model.Bar {
	out := bs[:0:0]
	for _, b := range bs {
		switch {
		case !validCode(b.Symbol):
			p.warn(feed, codeLabel(b.Symbol), "symbol", "dropped: not a valid code")
			continue
		case b.Interval != model.Daily && b.Interval != model.Minute:
			p.warn(feed, b.Symbol, "interval", "dropped: interval %q", model.CleanName(string(b.Interval)))
			continue
		}
		if err := model.CheckRowTime(b.Time, now); err != nil {
			p.warn(feed, b.Symbol, "time", "dropped: %v", err)
			continue
		}
		if !model.Known(b.Close) || b.Close <= 0 {
			p.warn(feed, b.Symbol, "close", "dropped: close %v", b.Close)
			continue
		}
		if err := model.CheckFinite([]string{"open", "high", "low", "volume", "amount"}, b.Open, b.High, b.Low, b.Volume, b.Amount); err != nil {
			p.warn(feed, b.Symbol, "number", "dropped: %v", err)
			continue
		}
		b.Source = model.CleanName(b.Source)
		out = append(out, b)
	}
	return out
}

func (p *Poller) vetMargin(feed string, ms []model.MarginDay, now time.Time) []model.MarginDay {
	out := ms[:0:0]
	for _, m := range ms {
		if !validCode(m.Symbol) {
			p.warn(feed, codeLabel(m.Symbol), "symbol", "dropped: not a valid code")
			continue
		}
		if err := model.CheckRowTime(m.Date, now); err != nil {
			p.warn(feed, m.Symbol, "date", "dropped: %v", err)
			continue
		}
		if err := model.CheckFinite([]string{"financing balance", "financing buy", "financing repay", "net buy", "lending balance", "total", "balance %", "float cap"},
			m.FinBalance, m.FinBuy, m.FinRepay, m.FinNetBuy, m.LendBalance, m.Total, m.BalancePct, m.FloatCap); err != nil {
			p.warn(feed, m.Symbol, "number", "dropped: %v", err)
			continue
		}
		p.cleanName(feed, m.Symbol, "name", &m.Name)
		m.Source = model.CleanName(m.Source)
		out = append(out, m)
	}
	return out
}

func (p *Poller) vetBoards(feed string, bs []model.BoardMove, now time.Time) []model.BoardMove {
	out := bs[:0:0]
	for _, b := range bs {
		if !validCode(b.Code) {
			p.warn(feed, codeLabel(b.Code), "code", "dropped: not a valid code")
			continue
		}
		if err := model.CheckRowTime(b.Time, now); err != nil {
			p.warn(feed, b.Code, "time", "dropped: %v", err)
			continue
		}
		if err := model.CheckFinite([]string{"level", "change", "main net", "turnover", "leader change"}, b.Level, b.ChangePct, b.MainNet, b.Turnover, b.LeaderPct); err != nil {
			p.warn(feed, b.Code, "number", "dropped: %v", err)
			continue
		}
		p.cleanName(feed, b.Code, "name", &b.Name)
		p.cleanName(feed, b.Code, "leader", &b.Leader)
		p.cleanName(feed, b.Code, "leader code", &b.LeaderCode)
		b.Source = model.CleanName(b.Source)
		out = append(out, b)
	}
	return out
}

func (p *Poller) vetElements(feed string, es []model.ElementPrice, now time.Time) []model.ElementPrice {
	out := make([]model.ElementPrice, 0, len(es))
	for _, e := range es {
		id := string(e.Element)
		if !validCode(id) {
			p.warn(feed, codeLabel(id), "element", "dropped: not a valid element id")
			continue
		}
		if err := model.CheckRowTime(e.Date, now); err != nil {
			p.warn(feed, id, "date", "dropped: %v", err)
			continue
		}
		if !model.Known(e.Price) || e.Price <= 0 {
			p.warn(feed, id, "price", "dropped: price %v", e.Price)
			continue
		}
		if err := model.CheckFinite([]string{"low", "high"}, e.Low, e.High); err != nil {
			p.warn(feed, id, "number", "dropped: %v", err)
			continue
		}
		if p.cfg.ElementCheck != nil {
			if err := p.protect("element check", func() error { return p.cfg.ElementCheck(e) }); err != nil {
				p.warn(feed, id, "price", "dropped: %v", err)
				continue
			}
		}
		e.Source = model.CleanName(e.Source)
		e.OrigUnit = model.CleanName(e.OrigUnit)
		out = append(out, e)
	}
	return out
}
