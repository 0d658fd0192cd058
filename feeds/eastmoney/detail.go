package eastmoney

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rareterm/rareterm/model"
)

// One security in detail: the order book and trading-side fields
// (push2 stock/get), the session's minutes (push2his trends2) and fund flow
// by order size (push2 fflow/kline for today, push2his fflow/daykline for
// the days before). See WIRE.md 1.3, 1.6 and 1.7.

// bookFields asks stock/get for the five levels by name (f11–f40) and the
// figures beside them.
const bookFields = "f11,f12,f13,f14,f15,f16,f17,f18,f19,f20,f31,f32,f33,f34,f35,f36,f37,f38,f39,f40,f43,f47,f48,f49,f50,f51,f52,f57,f58,f59,f60,f71,f86,f161,f191,f192"

// Book returns the five-level order book of sym (fltt=2: plain decimals).
func (c *Client) Book(ctx context.Context, sym model.Symbol) (model.Book, error) {
	secid, err := SecID(sym)
	if err != nil {
		return model.Book{}, fmt.Errorf("eastmoney: %w", err)
	}
	u := c.cfg.Push2URL + "/api/qt/stock/get?" + encode("secid", secid, "fltt", "2", "invt", "2", "fields", bookFields)
	body, err := c.get(ctx, u, quoteReferer)
	if err != nil {
		return model.Book{}, err
	}
	b, err := ParseBook(body, sym)
	if err != nil {
		return model.Book{}, fmt.Errorf("eastmoney: %w", err)
	}
	return b, nil
}

// ParseBook parses a stock/get body carrying the book fields. Bid 1 … 5 are
// f19/f20, f17/f18, f15/f16, f13/f14, f11/f12; ask 1 … 5 are f39/f40,
// f37/f38, f35/f36, f33/f34, f31/f32 (price, volume in lots). Without
// fltt=2 prices are integers scaled by 10^f59 and 量比 by 100. An empty
// level ("-", 0) is left unknown. data null (an unknown secid) is an error.
func ParseBook(b []byte, sym model.Symbol) (model.Book, error) {
	rc, data, err := decodePush2(b, "stock/get")
	if err != nil {
		return model.Book{}, err
	}
	if rc != 0 || data == nil {
		return model.Book{}, fmt.Errorf("stock/get: no data for %s (rc %d)", sym.Code, rc)
	}
	var r row
	if err := json.Unmarshal(data, &r); err != nil {
		return model.Book{}, fmt.Errorf("stock/get: data: %w", err)
	}
	dec := r.integer("f59")
	if dec < 0 || dec > 6 {
		dec = model.PriceDecimals(sym)
	}
	// Integer-scaled when the last price has no decimal point and f59 > 0.
	scale := 1.0
	if raw := strings.TrimSpace(string(r["f43"])); dec > 0 && raw != "" && raw[0] != '"' && !strings.ContainsAny(raw, ".eE") {
		if v := rawNum(r["f43"]); model.Known(v) && v > 0 {
			scale = math.Pow10(dec)
		}
	}
	price := func(k string) float64 {
		v := r.num(k)
		if !model.Known(v) || v <= 0 {
			return model.Unknown
		}
		return v / scale
	}
	vol := func(k string) float64 {
		v := r.num(k)
		if !model.Known(v) || v < 0 {
			return model.Unknown
		}
		return v
	}
	bk := model.Book{
		Symbol: sym.Code, Decimals: dec, Source: Source,
		Last: price("f43"), PrevClose: price("f60"), Avg: price("f71"),
		Outer: vol("f49"), Inner: vol("f161"), VolRatio: r.num("f50"),
		LimitUp: price("f51"), LimitDown: price("f52"),
	}
	if scale != 1 && model.Known(bk.VolRatio) {
		bk.VolRatio /= 100
	}
	if code := r.str("f57"); code != "" {
		bk.Symbol = code
	}
	if t, err := r.unixTime("f86"); err == nil {
		bk.Time = t
	}
	bidP := [5]string{"f19", "f17", "f15", "f13", "f11"}
	askP := [5]string{"f39", "f37", "f35", "f33", "f31"}
	for i := 0; i < 5; i++ {
		bk.Bids[i] = level(price(bidP[i]), vol(volKey(bidP[i])))
		bk.Asks[i] = level(price(askP[i]), vol(volKey(askP[i])))
	}
	if err := model.CheckFinite([]string{"last"}, bk.Last); err != nil {
		return model.Book{}, fmt.Errorf("stock/get %s: %w", sym.Code, err)
	}
	return bk, nil
}

// volKey is the volume field beside a price field: f19 → f20.
func volKey(priceKey string) string {
	n, _ := strconv.Atoi(priceKey[1:])
	return "f" + strconv.Itoa(n+1)
}

func level(p, v float64) model.Level {
	if !model.Known(p) {
		return model.Level{Price: model.Unknown, Volume: model.Unknown}
	}
	return model.Level{Price: p, Volume: v}
}

// Sessions returns the last ndays (1–5) sessions of minute data of sym.
func (c *Client) Sessions(ctx context.Context, sym model.Symbol, ndays int) ([]model.Session, error) {
	secid, err := SecID(sym)
	if err != nil {
		return nil, fmt.Errorf("eastmoney: %w", err)
	}
	ndays = max(1, min(ndays, 5))
	u := c.cfg.Push2HisURL + "/api/qt/stock/trends2/get?" + encode(
		"fields1", "f1,f2,f3,f4,f5,f6,f7,f8,f9,f10,f11,f12,f13",
		"fields2", "f51,f52,f53,f54,f55,f56,f57,f58",
		"ndays", strconv.Itoa(ndays), "iscr", "0", "iscca", "0", "secid", secid)
	body, err := c.get(ctx, u, quoteReferer)
	if err != nil {
		return nil, err
	}
	p, err := ParseTrends(body, sym)
	if err != nil {
		return nil, fmt.Errorf("eastmoney: %w", err)
	}
	c.report(p.Dropped)
	return p.Rows, nil
}

// ParseTrends parses a trends2 body into one session per day, oldest first.
// Each data.trends line is "YYYY-MM-DD HH:MM,open,close,high,low,volume,
// amount,average" (close before high; volume in lots for A-shares, turned
// into shares here as everywhere, shares for HK). Each day's previous close
// comes from hisPrePrices, else (for the first day) preClose / prePrice,
// else the close of the day before. rc ≠ 0 or data null is no sessions.
func ParseTrends(b []byte, sym model.Symbol) (Parsed[model.Session], error) {
	var p Parsed[model.Session]
	rc, data, err := decodePush2(b, "trends2")
	if err != nil {
		return p, err
	}
	if rc != 0 || data == nil {
		return p, nil
	}
	var d struct {
		Code     json.RawMessage   `json:"code"`
		Market   json.RawMessage   `json:"market"`
		PreClose json.RawMessage   `json:"preClose"`
		PrePrice json.RawMessage   `json:"prePrice"`
		Trends   []json.RawMessage `json:"trends"`
		HisPre   []struct {
			Date     json.RawMessage `json:"date"`
			PrePrice json.RawMessage `json:"prePrice"`
		} `json:"hisPrePrices"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return p, fmt.Errorf("trends2: data: %w", err)
	}
	code := rawStr(d.Code)
	if code == "" {
		code = sym.Code
	}
	factor := 100.0
	if m := rawNum(d.Market); model.Known(m) {
		factor = lotFactor(int(m), code)
	} else if sym.Market == model.MarketHKEX {
		factor = 1
	}
	pre := map[string]float64{}
	for _, h := range d.HisPre {
		ds := rawStr(h.Date)
		if v := rawNum(h.PrePrice); len(ds) == 8 && model.Known(v) && v > 0 {
			pre[ds[:4]+"-"+ds[4:6]+"-"+ds[6:]] = v
		}
	}
	first := rawNum(d.PreClose)
	if !model.Known(first) || first <= 0 {
		first = rawNum(d.PrePrice)
	}
	byDay := map[string]*model.Session{}
	var days []string
	p.Total = len(d.Trends)
	for i, raw := range d.Trends {
		var line string
		if err := json.Unmarshal(raw, &line); err != nil {
			p.drop("trends2 %s line %d: not a string: %s", code, i, head(raw))
			continue
		}
		t, err := trendTick(line, factor)
		if err != nil {
			p.drop("trends2 %s line %d %q: %v", code, i, head([]byte(line)), err)
			continue
		}
		day := t.Time.In(model.CST).Format("2006-01-02")
		s, ok := byDay[day]
		if !ok {
			s = &model.Session{Symbol: code, Day: model.Day(t.Time), PrevClose: model.Unknown, Source: Source}
			byDay[day] = s
			days = append(days, day)
		}
		s.Ticks = append(s.Ticks, t)
	}
	sort.Strings(days)
	for i, day := range days {
		s := byDay[day]
		sort.SliceStable(s.Ticks, func(a, b int) bool { return s.Ticks[a].Time.Before(s.Ticks[b].Time) })
		switch {
		case pre[day] > 0:
			s.PrevClose = pre[day]
		case i == 0 && model.Known(first) && first > 0:
			s.PrevClose = first
		case i > 0:
			prev := byDay[days[i-1]]
			s.PrevClose = prev.Ticks[len(prev.Ticks)-1].Close
		}
		p.Rows = append(p.Rows, *s)
	}
	return p, nil
}

func trendTick(line string, factor float64) (model.Tick, error) {
	f := strings.Split(line, ",")
	if len(f) < 3 {
		return model.Tick{}, fmt.Errorf("%d columns, want at least 3", len(f))
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(f[0]), model.CST)
	if err != nil || t.Year() < 1990 || t.Year() > 2100 {
		return model.Tick{}, fmt.Errorf("bad minute time %q", head([]byte(f[0])))
	}
	col := func(i int) float64 {
		if i >= len(f) {
			return model.Unknown
		}
		return parseNum(f[i])
	}
	tk := model.Tick{
		Time: t, Open: model.Positive(col(1)), Close: col(2), High: model.Positive(col(3)), Low: model.Positive(col(4)),
		Volume: model.NonNegative(col(5)) * factor, Amount: model.NonNegative(col(6)), Avg: model.Positive(col(7)),
	}
	if !model.Known(tk.Close) || tk.Close <= 0 {
		return tk, fmt.Errorf("close %s is not a positive price", head([]byte(strings.TrimSpace(f[2]))))
	}
	return tk, nil
}

// FlowToday returns today's fund flow of sym by order size, per minute,
// cumulative since the open.
func (c *Client) FlowToday(ctx context.Context, sym model.Symbol) (model.FlowToday, error) {
	secid, err := SecID(sym)
	if err != nil {
		return model.FlowToday{}, fmt.Errorf("eastmoney: %w", err)
	}
	u := c.cfg.Push2URL + "/api/qt/stock/fflow/kline/get?" + encode(
		"lmt", "0", "klt", "1", "secid", secid,
		"fields1", "f1,f2,f3,f7", "fields2", "f51,f52,f53,f54,f55,f56,f57,f58,f59,f60,f61,f62,f63")
	body, err := c.get(ctx, u, quoteReferer)
	if err != nil {
		return model.FlowToday{}, err
	}
	p, err := ParseFlowMinutes(body, sym)
	if err != nil {
		return model.FlowToday{}, fmt.Errorf("eastmoney: %w", err)
	}
	c.report(p.Dropped)
	ft := model.FlowToday{Symbol: sym.Code, Ticks: p.Rows, Source: Source}
	if len(p.Rows) > 0 {
		ft.Day = model.Day(p.Rows[len(p.Rows)-1].Time)
	}
	return ft, nil
}

// FlowDays returns the last n days of fund flow of sym by order size.
func (c *Client) FlowDays(ctx context.Context, sym model.Symbol, n int) ([]model.FlowDay, error) {
	secid, err := SecID(sym)
	if err != nil {
		return nil, fmt.Errorf("eastmoney: %w", err)
	}
	u := c.cfg.Push2HisURL + "/api/qt/stock/fflow/daykline/get?" + encode(
		"lmt", strconv.Itoa(max(n, 0)), "klt", "101", "secid", secid,
		"fields1", "f1,f2,f3,f7", "fields2", "f51,f52,f53,f54,f55,f56,f57,f58,f59,f60,f61,f62,f63,f64,f65")
	body, err := c.get(ctx, u, dataReferer)
	if err != nil {
		return nil, err
	}
	p, err := ParseFlowDays(body, sym)
	if err != nil {
		return nil, fmt.Errorf("eastmoney: %w", err)
	}
	c.report(p.Dropped)
	return p.Rows, nil
}

// flowLines decodes the klines of an fflow body.
func flowLines(b []byte, what string) (code string, lines []json.RawMessage, ok bool, err error) {
	rc, data, err := decodePush2(b, what)
	if err != nil || rc != 0 || data == nil {
		return "", nil, false, err
	}
	var d struct {
		Code   json.RawMessage   `json:"code"`
		Klines []json.RawMessage `json:"klines"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return "", nil, false, fmt.Errorf("%s: data: %w", what, err)
	}
	return rawStr(d.Code), d.Klines, true, nil
}

// flowCols reads the five flows of a line: main, small, medium, large,
// super-large (columns 1–5, yuan).
func flowCols(f []string) (model.Flow, error) {
	if len(f) < 6 {
		return model.Flow{}, fmt.Errorf("%d columns, want at least 6", len(f))
	}
	fl := model.Flow{Main: parseNum(f[1]), Small: parseNum(f[2]), Medium: parseNum(f[3]), Large: parseNum(f[4]), Super: parseNum(f[5])}
	if !model.Known(fl.Main) {
		return fl, fmt.Errorf("main-force net %q is not a number", head([]byte(f[1])))
	}
	return fl, nil
}

// ParseFlowMinutes parses an fflow/kline (klt=1) body: one line per minute,
// "YYYY-MM-DD HH:MM,main,small,medium,large,super" in yuan, cumulative since
// the open. rc ≠ 0 or data null is no rows.
func ParseFlowMinutes(b []byte, sym model.Symbol) (Parsed[model.FlowTick], error) {
	var p Parsed[model.FlowTick]
	code, lines, ok, err := flowLines(b, "fflow kline")
	if err != nil || !ok {
		return p, err
	}
	if code == "" {
		code = sym.Code
	}
	p.Total = len(lines)
	for i, raw := range lines {
		var line string
		if err := json.Unmarshal(raw, &line); err != nil {
			p.drop("fflow %s line %d: not a string: %s", code, i, head(raw))
			continue
		}
		f := strings.Split(line, ",")
		t, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(f[0]), model.CST)
		if err != nil || t.Year() < 1990 || t.Year() > 2100 {
			p.drop("fflow %s line %d: bad minute time %q", code, i, head([]byte(f[0])))
			continue
		}
		fl, err := flowCols(f)
		if err != nil {
			p.drop("fflow %s line %d: %v", code, i, err)
			continue
		}
		p.Rows = append(p.Rows, model.FlowTick{Time: t, Flow: fl})
	}
	return p, nil
}

// ParseFlowDays parses an fflow/daykline body: one line per day,
// "YYYY-MM-DD,main,small,medium,large,super,5 × %,close,change%[,0,0]"
// (13 or 15 columns). rc ≠ 0 or data null is no rows.
func ParseFlowDays(b []byte, sym model.Symbol) (Parsed[model.FlowDay], error) {
	var p Parsed[model.FlowDay]
	code, lines, ok, err := flowLines(b, "fflow daykline")
	if err != nil || !ok {
		return p, err
	}
	if code == "" {
		code = sym.Code
	}
	p.Total = len(lines)
	for i, raw := range lines {
		var line string
		if err := json.Unmarshal(raw, &line); err != nil {
			p.drop("fflow %s day %d: not a string: %s", code, i, head(raw))
			continue
		}
		f := strings.Split(line, ",")
		day, err := parseDay(strings.TrimSpace(f[0]))
		if err != nil {
			p.drop("fflow %s day %d: %v", code, i, err)
			continue
		}
		fl, err := flowCols(f)
		if err != nil {
			p.drop("fflow %s day %d: %v", code, i, err)
			continue
		}
		fd := model.FlowDay{Symbol: code, Date: day, Flow: fl, Close: model.Unknown, ChangePct: model.Unknown, Source: Source}
		if len(f) > 12 {
			fd.Close, fd.ChangePct = model.Positive(parseNum(f[11])), parseNum(f[12])
		}
		p.Rows = append(p.Rows, fd)
	}
	return p, nil
}
