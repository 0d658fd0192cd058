// Package sina is the Sina Finance quote provider (hq.sinajs.cn): A-shares,
// ETFs and Hong Kong shares in one request, GBK-encoded, with the Referer
// the service has required since 2022. It is the fallback when Eastmoney
// fails.
//
// ParseQuotes is a pure function from a decoded (UTF-8) body to quotes;
// Decode turns the wire bytes into that body by the Content-Type charset.
//
// Dropped rows: a line that is malformed or fails validation (no last
// price, a price of zero or below, an absurd move, a code of an unsupported
// market) is left out and reported, one message per line, to Config.OnDrop;
// ParseQuotes also returns the messages. Empty lines (`var hq_str_x="";`, an
// unknown or unavailable code) are skipped without a report.
package sina

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

// Source is the Source string on every quote.
const Source = "sina"

// DefaultURL is the quote service.
const DefaultURL = "https://hq.sinajs.cn"

// Referer is sent on every request: without it the service answers 403.
const Referer = "https://finance.sina.com.cn/"

// maxChunk is the largest number of codes sent in one request.
const maxChunk = 200

// Config configures a Client.
type Config struct {
	URL string // default DefaultURL

	// HTTP is the client used for requests. nil builds one with a 10 s
	// timeout and a limit of 1 request/s (burst 3).
	HTTP *httpx.Client

	// OnDrop, when set, is called synchronously once for every line dropped
	// as malformed or implausible.
	OnDrop func(msg string)
}

// Client is the Sina provider; it implements feeds.QuoteSource and is safe
// for concurrent use.
type Client struct {
	url    string
	http   *httpx.Client
	onDrop func(string)
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	u := strings.TrimRight(strings.TrimSpace(cfg.URL), "/")
	if u == "" {
		u = DefaultURL
	}
	hc := cfg.HTTP
	if hc == nil {
		hc = httpx.New(httpx.Options{Timeout: 10 * time.Second, RatePerSec: 1, Burst: 3})
	}
	return &Client{url: u, http: hc, onDrop: cfg.OnDrop}
}

// Name returns "sina".
func (c *Client) Name() string { return Source }

// Code returns the Sina list code of a symbol: sh600111, sz000831,
// bj430047, rt_hk06680. Boards have no Sina code.
func Code(s model.Symbol) (string, error) {
	if s.Market == model.MarketUnknown {
		p, err := model.ParseSymbol(s.Code)
		if err != nil {
			return "", err
		}
		s = p
	}
	switch s.Market {
	case model.MarketSSE:
		return "sh" + s.Code, nil
	case model.MarketSZSE:
		return "sz" + s.Code, nil
	case model.MarketBSE:
		return "bj" + s.Code, nil
	case model.MarketHKEX:
		return "rt_hk" + s.Code, nil
	}
	return "", fmt.Errorf("symbol %q: no Sina quote for market %s", s.Code, s.Market)
}

// Quotes returns the latest quotes for syms in one request (per 200
// symbols). If every line of a reply is dropped the call fails, so that a
// poller can tell a broken feed from a quiet one.
func (c *Client) Quotes(ctx context.Context, syms []model.Symbol) ([]model.Quote, error) {
	var codes []string
	seen := map[string]bool{}
	for _, s := range syms {
		code, err := Code(s)
		if err != nil {
			c.report([]string{"skipped: " + err.Error()})
			continue
		}
		if !seen[code] {
			seen[code] = true
			codes = append(codes, code)
		}
	}
	var out []model.Quote
	dropped := 0
	for i := 0; i < len(codes); i += maxChunk {
		qs, d, err := c.fetch(ctx, codes[i:min(i+maxChunk, len(codes))])
		if err != nil {
			return nil, err
		}
		c.report(d)
		dropped += len(d)
		out = append(out, qs...)
	}
	if len(out) == 0 && dropped > 0 {
		return nil, fmt.Errorf("sina: all %d lines dropped as invalid", dropped)
	}
	return out, nil
}

func (c *Client) fetch(ctx context.Context, codes []string) ([]model.Quote, []string, error) {
	resp, err := c.http.Fetch(ctx, c.url+"/list="+strings.Join(codes, ","), map[string]string{"Referer": Referer})
	if err != nil {
		var se *httpx.StatusError
		if errors.As(err, &se) && se.Code == 403 {
			return nil, nil, fmt.Errorf("sina: the Referer was refused (HTTP 403; the service requires Referer %s): %w", Referer, err)
		}
		return nil, nil, fmt.Errorf("sina: %w", err)
	}
	text, err := Decode(resp.Body, resp.Header.Get("Content-Type"))
	if err != nil {
		return nil, nil, fmt.Errorf("sina: decoding: %w", err)
	}
	if !strings.Contains(string(text), "hq_str_") {
		return nil, nil, fmt.Errorf("sina: no quote lines in the reply: %q", head(string(text)))
	}
	qs, dropped := ParseQuotes(text)
	return qs, dropped, nil
}

func (c *Client) report(msgs []string) {
	if c.onDrop == nil {
		return
	}
	for _, m := range msgs {
		c.onDrop("sina: " + m)
	}
}

// Decode converts a reply body to UTF-8 by the charset of its Content-Type
// (GBK, GB2312, GB18030 or UTF-8); without one it decodes as GB18030, a
// superset of GBK, which is what the service sends.
func Decode(body []byte, contentType string) ([]byte, error) {
	return httpx.DecodeCharset(body, httpx.Charset(contentType), "gb18030")
}

func head(s string) string {
	s = model.Sanitize(s)
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}
