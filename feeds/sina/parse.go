package sina

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Largest plausible daily move in percent: beyond it a line is broken.
const (
	MaxMoveA  = model.MaxMoveA
	MaxMoveHK = model.MaxMoveHK
)

// ParseQuotes parses a decoded hq.sinajs.cn body: lines
// `var hq_str_<code>="<f0>,<f1>,…";`. A-share and ETF lines (sh/sz/bj) use
// the field order of WIRE.md §1.1 (volume in shares, amount in yuan, date
// and time at 30 and 31); Hong Kong lines (rt_hk/hk) the rt_ order (last at
// 6, amount 11, volume 12, date YYYY/MM/DD at 17, time at 18). Quote times
// are CST. Empty payloads are skipped; a trailing comma is accepted. It
// returns the quotes and one message per dropped line.
func ParseQuotes(text []byte) ([]model.Quote, []string) {
	var out []model.Quote
	var dropped []string
	const marker = "hq_str_"
	rest := string(text)
	for n := 0; ; n++ {
		i := strings.Index(rest, marker)
		if i < 0 {
			break
		}
		rest = rest[i+len(marker):]
		eq := strings.IndexByte(rest, '=')
		nl := strings.IndexByte(rest, '\n')
		if eq < 0 || (nl >= 0 && nl < eq) {
			dropped = append(dropped, fmt.Sprintf("line %d: no '=' after hq_str_", n))
			continue
		}
		code := strings.TrimSpace(rest[:eq])
		after := strings.TrimLeft(rest[eq+1:], " \t")
		if !strings.HasPrefix(after, `"`) {
			dropped = append(dropped, fmt.Sprintf("line %d (%s): no opening quote", n, head(code)))
			rest = after
			continue
		}
		end := strings.IndexByte(after[1:], '"')
		if end < 0 {
			dropped = append(dropped, fmt.Sprintf("line %d (%s): unterminated (truncated body?)", n, head(code)))
			break
		}
		payload := after[1 : 1+end]
		rest = after[1+end+1:]
		if strings.TrimSpace(payload) == "" {
			continue // unknown or unavailable code
		}
		q, err := parseLine(code, payload)
		if err != nil {
			dropped = append(dropped, fmt.Sprintf("line %d (%s): %v", n, head(code), err))
			continue
		}
		out = append(out, q)
	}
	return out, dropped
}

func parseLine(code, payload string) (model.Quote, error) {
	f := strings.Split(payload, ",")
	switch {
	case strings.HasPrefix(code, "rt_hk"):
		return parseHK(code[len("rt_hk"):], f)
	case strings.HasPrefix(code, "hk"):
		return parseHK(code[len("hk"):], f)
	case strings.HasPrefix(code, "sh"), strings.HasPrefix(code, "sz"), strings.HasPrefix(code, "bj"):
		return parseA(code[2:], f)
	}
	return model.Quote{}, errors.New("unsupported market")
}

func parseA(code string, f []string) (model.Quote, error) {
	if !digits(code, 6) {
		return model.Quote{}, fmt.Errorf("bad A-share code %q", code)
	}
	if len(f) < 32 {
		return model.Quote{}, fmt.Errorf("%d fields, want at least 32", len(f))
	}
	if len(f) > 32 {
		switch st := strings.TrimSpace(f[32]); st {
		case "-2", "-3", "03":
			return model.Quote{}, fmt.Errorf("status %s (not listed or delisted)", st)
		}
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", strings.TrimSpace(f[30])+" "+strings.TrimSpace(f[31]), model.CST)
	if err != nil || !plausibleYear(t) {
		return model.Quote{}, fmt.Errorf("bad date/time %q %q", head(f[30]), head(f[31]))
	}
	q := model.Quote{
		Symbol:      code,
		Name:        model.CleanName(f[0]),
		Time:        t,
		Open:        model.Positive(num(f[1])),
		PrevClose:   model.Positive(num(f[2])),
		Last:        num(f[3]),
		High:        model.Positive(num(f[4])),
		Low:         model.Positive(num(f[5])),
		Volume:      model.NonNegative(num(f[8])),
		Amount:      model.NonNegative(num(f[9])),
		TurnoverPct: model.Unknown,
		MarketCap:   model.Unknown,
		FloatCap:    model.Unknown,
		PE:          model.Unknown,
		MainNet:     model.Unknown,
		High52:      model.Unknown,
		Low52:       model.Unknown,
		Source:      Source,
	}
	return q, model.CheckQuote(q, model.Unknown, MaxMoveA)
}

func parseHK(code string, f []string) (model.Quote, error) {
	if code == "" || len(code) > 8 || strings.IndexFunc(code, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z')
	}) >= 0 {
		return model.Quote{}, fmt.Errorf("bad HK code %q", code)
	}
	if len(f) < 19 {
		return model.Quote{}, fmt.Errorf("%d fields, want at least 19", len(f))
	}
	day, clock := strings.TrimSpace(f[17]), strings.TrimSpace(f[18])
	var t time.Time
	var err error
	for _, layout := range []string{"2006/01/02 15:04:05", "2006/01/02 15:04"} {
		if t, err = time.ParseInLocation(layout, day+" "+clock, model.CST); err == nil {
			break
		}
	}
	if err != nil || !plausibleYear(t) {
		return model.Quote{}, fmt.Errorf("bad date/time %q %q", head(day), head(clock))
	}
	name := model.CleanName(f[1])
	if name == "" {
		name = model.CleanName(f[0])
	}
	q := model.Quote{
		Symbol:      code,
		Name:        name,
		Time:        t,
		Open:        model.Positive(num(f[2])),
		PrevClose:   model.Positive(num(f[3])),
		High:        model.Positive(num(f[4])),
		Low:         model.Positive(num(f[5])),
		Last:        num(f[6]),
		Amount:      model.NonNegative(num(f[11])),
		Volume:      model.NonNegative(num(f[12])),
		PE:          num(f[13]),
		High52:      model.Positive(num(f[15])),
		Low52:       model.Positive(num(f[16])),
		TurnoverPct: model.Unknown,
		MarketCap:   model.Unknown,
		FloatCap:    model.Unknown,
		MainNet:     model.Unknown,
		Source:      Source,
	}
	return q, model.CheckQuote(q, num(f[8]), MaxMoveHK)
}

// plausibleYear reports whether a quote's date is in 1990–2099; the poller
// also refuses one more than model.MaxRowAhead ahead of now.
func plausibleYear(t time.Time) bool { return t.Year() >= 1990 && t.Year() < 2100 }

func num(s string) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return model.Unknown
	}
	return v
}

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
