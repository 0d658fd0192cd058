package eastmoney

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Default base URLs of the announcement list and the announcement text.
const (
	DefaultAnoticeURL = "https://np-anotice-stock.eastmoney.com"
	DefaultCnoticeURL = "https://np-cnotice-stock.eastmoney.com"
)

// maxNoticePages bounds the text pages fetched for one notice.
const maxNoticePages = 20

// NoticePage lists the announcements of the given A-share codes, newest
// first: one page of at most size rows (the service returns 100 at most),
// dated within [from, to] when those are set. Total in the result is the
// number of notices the service has.
func (c *Client) NoticePage(ctx context.Context, codes []string, from, to time.Time, page, size int) (Parsed[model.Notice], error) {
	if page < 1 {
		page = 1
	}
	if size < 1 || size > 100 {
		size = 50
	}
	args := []string{"sr", "-1", "page_size", strconv.Itoa(size), "page_index", strconv.Itoa(page),
		"ann_type", "A", "client_source", "web", "stock_list", strings.Join(codes, ","),
		"f_node", "0", "s_node", "0"}
	if !from.IsZero() {
		args = append(args, "begin_time", from.In(model.CST).Format("2006-01-02"))
	}
	if !to.IsZero() {
		args = append(args, "end_time", to.In(model.CST).Format("2006-01-02"))
	}
	b, err := c.get(ctx, c.cfg.AnoticeURL+"/api/security/ann?"+encode(args...), dataReferer)
	if err != nil {
		return Parsed[model.Notice]{}, err
	}
	p, err := ParseNoticeList(b)
	c.report(p.Dropped)
	if err != nil {
		return p, fmt.Errorf("eastmoney: %w", err)
	}
	return p, nil
}

// Notices is feeds.NoticeSource: the newest 100 announcements of codes
// dated within [from, to] (zero: unbounded).
func (c *Client) Notices(ctx context.Context, codes []string, from, to time.Time) ([]model.Notice, error) {
	p, err := c.NoticePage(ctx, codes, from, to, 1, 100)
	return p.Rows, err
}

// Concentrate is feeds.NoticeSource: a notice whose title names a
// quarter's concentrate price has its text fetched and read; any other
// notice gives ok false without a request.
func (c *Client) Concentrate(ctx context.Context, n model.Notice) (model.ConcentrateNotice, bool, error) {
	if _, ok := ConcentrateQuarter(n.Title); !ok {
		return model.ConcentrateNotice{}, false, nil
	}
	text, err := c.NoticeText(ctx, n.ID)
	if err != nil {
		return model.ConcentrateNotice{}, true, err
	}
	cn := ParseConcentrate(n, text)
	cn.Text = text
	return cn, true, nil
}

// NoticeText fetches the plain text of one announcement, every page of it
// joined.
func (c *Client) NoticeText(ctx context.Context, id string) (string, error) {
	var b strings.Builder
	for page, pages := 1, 1; page <= pages && page <= maxNoticePages; page++ {
		u := c.cfg.CnoticeURL + "/api/content/ann?" + encode("art_code", id, "client_source", "web", "page_index", strconv.Itoa(page))
		body, err := c.get(ctx, u, dataReferer)
		if err != nil {
			return "", err
		}
		text, n, err := ParseNoticeContent(body)
		if err != nil {
			return "", fmt.Errorf("eastmoney: notice %s page %d: %w", id, page, err)
		}
		if page == 1 {
			pages = n
		}
		b.WriteString(text)
	}
	return b.String(), nil
}

type annEnvelope struct {
	Data *struct {
		List      []json.RawMessage `json:"list"`
		TotalHits json.RawMessage   `json:"total_hits"`
	} `json:"data"`
	Error   json.RawMessage `json:"error"`
	Success json.RawMessage `json:"success"`
}

func annCheck(success, msg json.RawMessage) error {
	if v := rawNum(success); v != 1 {
		m := rawStr(msg)
		if m == "" {
			m = "no message"
		}
		return fmt.Errorf("announcements: success %s: %s", fmtCode(v), m)
	}
	return nil
}

// ParseNoticeList reads the announcement list (api/security/ann). A row
// without an id, a title or a date is dropped and reported.
func ParseNoticeList(b []byte) (Parsed[model.Notice], error) {
	var p Parsed[model.Notice]
	var env annEnvelope
	if err := decode(b, &env); err != nil {
		return p, fmt.Errorf("announcements: %w", err)
	}
	if err := annCheck(env.Success, env.Error); err != nil {
		return p, err
	}
	if env.Data == nil {
		return p, nil
	}
	if v := rawNum(env.Data.TotalHits); model.Known(v) && v > 0 && v < 1e9 {
		p.Total = int(v)
	}
	for i, raw := range env.Data.List {
		var item struct {
			ArtCode     string `json:"art_code"`
			Title       string `json:"title"`
			NoticeDate  string `json:"notice_date"`
			DisplayTime string `json:"display_time"`
			Codes       []struct {
				StockCode string `json:"stock_code"`
			} `json:"codes"`
			Columns []struct {
				Name string `json:"column_name"`
			} `json:"columns"`
		}
		if err := json.Unmarshal(raw, &item); err != nil {
			p.drop("announcement %d: %v", i+1, err)
			continue
		}
		n := model.Notice{
			ID:     model.Sanitize(item.ArtCode),
			Title:  cut(model.Sanitize(item.Title), 200),
			Source: Source,
		}
		if !validArtCode(n.ID) {
			p.drop("announcement %d: bad id %q", i+1, cut(n.ID, 40))
			continue
		}
		if n.Title == "" {
			p.drop("announcement %s: no title", n.ID)
			continue
		}
		d, err := noticeTime(item.NoticeDate)
		if err != nil {
			p.drop("announcement %s: notice_date: %v", n.ID, err)
			continue
		}
		n.Date = model.Day(d)
		n.Posted, _ = noticeTime(item.DisplayTime)
		for _, c := range item.Codes {
			if code := model.Sanitize(c.StockCode); sixDigits(code) {
				n.Codes = append(n.Codes, code)
			}
		}
		if len(item.Columns) > 0 {
			n.Category = cut(model.Sanitize(item.Columns[0].Name), 40)
		}
		if len(n.Codes) > 0 {
			n.Link = "https://data.eastmoney.com/notices/detail/" + n.Codes[0] + "/" + n.ID + ".html"
		}
		p.Rows = append(p.Rows, n)
	}
	return p, nil
}

// ParseNoticeContent reads one page of an announcement's text
// (api/content/ann): the text (sanitised, line breaks kept) and the number
// of pages the notice has.
func ParseNoticeContent(b []byte) (text string, pages int, err error) {
	var env struct {
		Data *struct {
			Content  string          `json:"notice_content"`
			PageSize json.RawMessage `json:"page_size"`
		} `json:"data"`
		Error   json.RawMessage `json:"error"`
		Success json.RawMessage `json:"success"`
	}
	if err := decode(b, &env); err != nil {
		return "", 0, fmt.Errorf("announcement text: %w", err)
	}
	if err := annCheck(env.Success, env.Error); err != nil {
		return "", 0, err
	}
	if env.Data == nil {
		return "", 0, fmt.Errorf("announcement text: no data")
	}
	pages = 1
	if v := rawNum(env.Data.PageSize); model.Known(v) && v >= 1 && v <= maxNoticePages {
		pages = int(v)
	}
	lines := strings.Split(env.Data.Content, "\n")
	for i, l := range lines {
		lines[i] = model.Sanitize(l)
	}
	return strings.Join(lines, "\n"), pages, nil
}

func validArtCode(s string) bool {
	if len(s) < 10 || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

// noticeTime reads "2026-01-10 00:00:00" or "2026-01-09 17:38:45:116" as CST.
func noticeTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) > 19 {
		s = s[:19]
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, model.CST); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", cut(s, 30))
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

var (
	titleQuarter = regexp.MustCompile(`(\d{4})\s*年\s*第\s*([一二三四1-4])\s*季度`)
	priceRe      = regexp.MustCompile(`不含税\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*元/吨`)
	basisRe      = regexp.MustCompile(`REO\s*[=＝]\s*([0-9]+(?:\.[0-9]+)?)\s*[%％]`)
	stepRe       = regexp.MustCompile(`增减\s*1\s*[%％][,，、]?\s*不含税价格增减\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*元/吨`)
	quarterNums  = map[string]int{"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
	widthFolder  = strings.NewReplacer("（", "(", "）", ")", "，", ",", "：", ":", "　", " ", "＝", "=", "％", "%")
)

// ConcentrateQuarter recognises a quarterly concentrate-price notice by its
// title (稀土精矿, 价格 and a quarter: "关于2026年第一季度稀土精矿交易价格的公告")
// and returns the quarter it prices.
func ConcentrateQuarter(title string) (model.Quarter, bool) {
	if !strings.Contains(title, "稀土精矿") || !strings.Contains(title, "价格") {
		return model.Quarter{}, false
	}
	m := titleQuarter.FindStringSubmatch(title)
	if m == nil {
		return model.Quarter{}, false
	}
	y, err := strconv.Atoi(m[1])
	if err != nil || y < 2000 || y > 2200 {
		return model.Quarter{}, false
	}
	return model.Quarter{Year: y, Q: quarterNums[m[2]]}, true
}

// ParseConcentrate reads the price, the REO basis and the step per 1% REO
// from the text of a concentrate-price notice ("…调整为不含税26,834元/吨
// （干量，REO=50%），REO每增减1%、不含税价格增减536.68元/吨"), allowing
// thousands separators, spaces from a PDF's text layer and full- or
// half-width brackets and commas. What it cannot read with certainty it
// reports as not parsed, with the reason; it never guesses.
func ParseConcentrate(n model.Notice, text string) model.ConcentrateNotice {
	out := model.ConcentrateNotice{Notice: n}
	q, ok := ConcentrateQuarter(n.Title)
	if !ok {
		out.Reason = "not a quarterly concentrate-price notice"
		return out
	}
	out.Quarter = q
	t := widthFolder.Replace(text)
	// The sentence that prices this quarter: from its quarter's mention on.
	start := -1
	for _, m := range titleQuarter.FindAllStringSubmatchIndex(t, -1) {
		y, _ := strconv.Atoi(t[m[2]:m[3]])
		if y == q.Year && quarterNums[t[m[4]:m[5]]] == q.Q && strings.Contains(t[m[1]:min(len(t), m[1]+200)], "不含税") {
			start = m[0]
			break
		}
	}
	if start < 0 {
		out.Reason = "the text names no price for " + q.String()
		return out
	}
	s := t[start:]
	if end := strings.Index(s, "。"); end >= 0 {
		s = s[:end]
	}
	pm := priceRe.FindStringSubmatch(s)
	if pm == nil {
		out.Reason = "no 不含税…元/吨 price in the sentence"
		return out
	}
	price := parseNum(pm[1])
	if !model.Known(price) || price <= 0 || price > 1e6 {
		out.Reason = fmt.Sprintf("price %q out of range", pm[1])
		return out
	}
	basis := 50.0
	if bm := basisRe.FindStringSubmatch(s); bm != nil {
		basis = parseNum(bm[1])
	} else {
		out.Reason = "no REO basis in the sentence"
		return out
	}
	if !model.Known(basis) || basis < 10 || basis > 100 {
		out.Reason = fmt.Sprintf("REO basis %v out of range", basis)
		return out
	}
	step := price / basis
	if sm := stepRe.FindStringSubmatch(s); sm != nil {
		printed := parseNum(sm[1])
		if !model.Known(printed) || math.Abs(printed-step) > 0.01*step {
			out.Reason = fmt.Sprintf("the step printed (%s) is not price/basis (%.2f)", sm[1], step)
			return out
		}
		step = printed
	}
	out.Parsed, out.Price, out.BasisREO, out.Step = true, price, basis, step
	// "公司拟将…调整为": the sentence, from its start, proposes the price.
	from := max(strings.LastIndex(t[:start], "。"), strings.LastIndex(t[:start], "\n"), 0)
	if lead := t[from:start] + s; strings.Contains(lead[:max(strings.Index(lead, "调整为"), 0)], "拟") {
		out.Proposed = true
	}
	return out
}
