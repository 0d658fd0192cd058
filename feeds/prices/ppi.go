package prices

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

// PPISource is the Source string of 100ppi prices.
const PPISource = "100ppi"

// PPIConfig configures a PPI adapter.
type PPIConfig struct {
	// URLs are the 100ppi news pages to read, e.g.
	// https://www.100ppi.com/news/detail-20260129-5252885.html (the Dy/Tb
	// table) and the day's light rare-earth page.
	URLs []string

	// HTTP is the client used for requests. nil builds one with a 15 s
	// timeout and a limit of 1 request every 2 s.
	HTTP *httpx.Client

	// OnDrop, when set, is called synchronously once for every table row
	// dropped, and for every page that failed while others succeeded.
	OnDrop func(msg string)
}

// PPI reads element prices from 100ppi daily news pages. It implements
// feeds.ElementSource.
type PPI struct {
	cfg  PPIConfig
	http *httpx.Client
}

// NewPPI returns a PPI adapter for cfg.
func NewPPI(cfg PPIConfig) *PPI {
	hc := cfg.HTTP
	if hc == nil {
		hc = httpx.New(httpx.Options{Timeout: 15 * time.Second, RatePerSec: 0.5, Burst: 2})
	}
	return &PPI{cfg: cfg, http: hc}
}

// Name returns "100ppi".
func (p *PPI) Name() string { return PPISource }

// Elements reads every configured page and returns their prices. A page
// that fails is reported through OnDrop while another succeeds; when every
// page fails the errors are returned.
func (p *PPI) Elements(ctx context.Context) ([]model.ElementPrice, error) {
	if len(p.cfg.URLs) == 0 {
		return nil, errors.New("100ppi: no page URLs configured")
	}
	var out []model.ElementPrice
	var errs []error
	for _, u := range p.cfg.URLs {
		prices, dropped, err := p.page(ctx, u)
		p.report(dropped)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			errs = append(errs, err)
			continue
		}
		out = append(out, prices...)
	}
	if len(out) == 0 && len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, err := range errs {
		p.report([]string{err.Error()})
	}
	return out, nil
}

func (p *PPI) page(ctx context.Context, u string) ([]model.ElementPrice, []string, error) {
	resp, err := p.http.Fetch(ctx, u, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("100ppi: %w", err)
	}
	body, err := decodeHTML(resp.Body, resp.Header.Get("Content-Type"))
	if err != nil {
		return nil, nil, fmt.Errorf("100ppi: %s: decoding: %w", u, err)
	}
	prices, dropped, err := ParsePPI(body, u)
	if err != nil {
		return nil, dropped, fmt.Errorf("100ppi: %s: %w", u, err)
	}
	return prices, dropped, nil
}

func (p *PPI) report(msgs []string) {
	if p.cfg.OnDrop == nil {
		return
	}
	for _, m := range msgs {
		if !strings.HasPrefix(m, "100ppi: ") {
			m = "100ppi: " + m
		}
		p.cfg.OnDrop(m)
	}
}

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?([a-z0-9_-]+)`)

// decodeHTML converts a page to UTF-8: by the Content-Type charset, else a
// <meta charset> in the first 2 KiB, else UTF-8 if it is valid, else GB18030.
func decodeHTML(b []byte, contentType string) ([]byte, error) {
	cs := httpx.Charset(contentType)
	if cs == "" {
		if m := metaCharset.FindSubmatch(b[:min(len(b), 2048)]); m != nil {
			cs = strings.ToLower(string(m[1]))
		}
	}
	return httpx.DecodeCharset(b, cs, "auto")
}

var (
	urlDate  = regexp.MustCompile(`detail-(\d{8})`)
	textDate = regexp.MustCompile(`(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)
)

// PageDate returns the date of a 100ppi page: from a detail-YYYYMMDD URL,
// else the first date written in the page text (2026-01-29, 2026年1月29日).
func PageDate(pageURL, text string) (time.Time, error) {
	if m := urlDate.FindStringSubmatch(pageURL); m != nil {
		if t, err := model.ParseDay(m[1]); err == nil && t.Year() >= 1990 {
			return t, nil
		}
	}
	for _, m := range textDate.FindAllStringSubmatch(text, 20) {
		t, err := model.ParseDay(m[1] + "-" + pad2(m[2]) + "-" + pad2(m[3]))
		if err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("no date in the URL or the page")
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// ppiColumns locates the columns of a price table from its header row.
type ppiColumns struct {
	name, rng, avg int
	unit           string
}

func ppiHeader(cells []string) (ppiColumns, bool) {
	c := ppiColumns{name: -1, rng: -1, avg: -1}
	for i, h := range cells {
		switch {
		case c.name < 0 && (strings.Contains(h, "产品") || strings.Contains(h, "品名") || strings.Contains(h, "名称")):
			c.name = i
		case c.rng < 0 && (strings.Contains(h, "区间") || strings.Contains(h, "范围")):
			c.rng = i
			if c.unit == "" {
				c.unit = unitIn(h)
			}
		case c.avg < 0 && strings.Contains(h, "均价"):
			c.avg = i
			if u := unitIn(h); u != "" {
				c.unit = u
			}
		}
	}
	if c.unit == "" {
		c.unit = "元/吨"
	}
	return c, c.name >= 0 && (c.avg >= 0 || c.rng >= 0)
}

// ParsePPI reads the price tables of a 100ppi news page (UTF-8 HTML). A
// table is recognised by its header row (产品 and 均价 or 价格区间); each
// following row of that table is a product. The price is the 均价 cell (the
// middle of the range when it is empty), the range the 价格区间 cell;
// values are converted from the header's unit (元/吨 unless it says
// otherwise). Products are named through model.LookupElement; others (镝铁
// 合金) are dropped. The date comes from the URL (detail-YYYYMMDD) or the
// page. It fails when the page has no date or no price table.
func ParsePPI(body []byte, pageURL string) ([]model.ElementPrice, []string, error) {
	doc := scanHTML(string(body))
	date, err := PageDate(pageURL, doc.text)
	if err != nil {
		return nil, nil, err
	}
	var out []model.ElementPrice
	var dropped []string
	var cols ppiColumns
	table, tables := -1, 0
	for n, r := range doc.rows {
		if c, ok := ppiHeader(r.cells); ok {
			cols, table = c, r.table
			tables++
			continue
		}
		if r.table != table || table < 0 {
			continue
		}
		cell := func(i int) string {
			if i < 0 || i >= len(r.cells) {
				return ""
			}
			return r.cells[i]
		}
		name := cell(cols.name)
		if name == "" && strings.TrimSpace(cell(cols.avg)+cell(cols.rng)) == "" {
			continue // spacer row
		}
		p, err := ppiRow(name, cell(cols.avg), cell(cols.rng), cols.unit)
		if err != nil {
			dropped = append(dropped, fmt.Sprintf("table row %d (%s): %v", n+1, name, err))
			continue
		}
		p.Date = date
		out = append(out, p)
	}
	if tables == 0 {
		return nil, dropped, errors.New("no price table (产品 | 价格区间 | 均价) in the page")
	}
	return out, dropped, nil
}

func ppiRow(name, avg, rng, unit string) (model.ElementPrice, error) {
	id, ok := model.LookupElement(name)
	if !ok {
		return model.ElementPrice{}, errors.New("not a tracked product")
	}
	p := model.ElementPrice{Element: id, Price: parseNum(avg), Low: model.Unknown, High: model.Unknown, Source: PPISource}
	if lo, hi, ok := parseRange(rng); ok {
		p.Low, p.High = lo, hi
	} else if !isBlank(rng) && !model.Known(parseNum(rng)) {
		return p, fmt.Errorf("bad range %q", rng)
	}
	if !model.Known(p.Price) {
		if !isBlank(avg) {
			return p, fmt.Errorf("bad average %q", avg)
		}
		if !model.Known(p.Low) {
			return p, errors.New("no price")
		}
		p.Price = (p.Low + p.High) / 2
	}
	if err := checkPrice(&p); err != nil {
		return p, err
	}
	return p, convert(&p, unit)
}

// checkPrice rejects a price that is not positive or a range that is upside
// down or does not contain the price.
func checkPrice(p *model.ElementPrice) error {
	if !(p.Price > 0) {
		return fmt.Errorf("price %g is not positive", p.Price)
	}
	if model.Known(p.Low) && model.Known(p.High) {
		if !(p.Low > 0) || p.Low > p.High {
			return fmt.Errorf("bad range %g–%g", p.Low, p.High)
		}
		if p.Price < p.Low || p.Price > p.High {
			return fmt.Errorf("price %g outside its range %g–%g", p.Price, p.Low, p.High)
		}
	}
	return nil
}
