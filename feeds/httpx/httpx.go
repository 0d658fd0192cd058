// Package httpx is the HTTP discipline shared by rareterm's feed providers:
// one *http.Client per feed with a timeout, requests bound to a context, a
// token-bucket rate limiter per host, the status checked before the body is
// read, bodies read through a size limit, and typed errors that carry what a
// retry policy needs (the status code and Retry-After).
//
// It also holds the small decoding helpers every provider needs: JSONP
// unwrapping and GBK/GB18030 decoding.
package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rareterm/rareterm/model"
)

// Defaults applied by New to zero Options fields.
const (
	DefaultTimeout   = 10 * time.Second
	DefaultMaxBody   = 8 << 20 // 8 MiB
	DefaultUserAgent = "Mozilla/5.0 (compatible; rareterm/1.0; +https://github.com/rareterm/rareterm)"

	errDrain   = 4 << 10 // bytes of an error body read (and drained) before closing
	snippetMax = 200     // bytes of an error body kept in StatusError.Body
)

// ErrTooLarge is returned when a response body exceeds Options.MaxBody. The
// body is not read past the limit.
var ErrTooLarge = errors.New("response body too large")

// Options configure a Client. Zero fields take the defaults above.
type Options struct {
	Timeout   time.Duration // whole request, headers and body; default 10s
	MaxBody   int64         // largest body accepted, in bytes; default 8 MiB
	UserAgent string        // default DefaultUserAgent
	Referer   string        // sent on every request unless a request header overrides it

	// RatePerSec and Burst set the token bucket kept for each host. A
	// RatePerSec of zero or less disables rate limiting; Burst defaults to 1.
	RatePerSec float64
	Burst      int

	// Transport replaces http.DefaultTransport (tests, proxies). Optional.
	Transport http.RoundTripper
}

// Client wraps one *http.Client with the discipline above. It is safe for
// concurrent use.
type Client struct {
	hc   *http.Client
	opts Options

	mu    sync.Mutex
	hosts map[string]*fairLimiter
}

// New returns a Client for opts.
func New(opts Options) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if opts.Burst <= 0 {
		opts.Burst = 1
	}
	// The request context carries the deadline (so a timeout is
	// context.DeadlineExceeded); the client's own Timeout is a backstop.
	hc := &http.Client{Timeout: opts.Timeout + time.Second, Transport: opts.Transport}
	c := &Client{hc: hc, opts: opts, hosts: map[string]*fairLimiter{}}
	hc.CheckRedirect = c.checkRedirect
	return c
}

// MaxRedirects is the most redirects one request follows.
const MaxRedirects = 3

// ErrTooManyRedirects is returned (wrapped) when a request is redirected more
// than MaxRedirects times: a redirect loop.
var ErrTooManyRedirects = errors.New("too many redirects")

// checkRedirect counts every redirect against the host's rate limiter, like
// any request, and stops after MaxRedirects.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return fmt.Errorf("%w: stopped after %d (a redirect loop?), the last to %s", ErrTooManyRedirects, MaxRedirects, redact(req.URL.String()))
	}
	if err := c.wait(req.Context(), req.URL.Host); err != nil {
		return fmt.Errorf("redirect to %s: waiting for the rate limiter: %w", redact(req.URL.String()), err)
	}
	return nil
}

// MaxBody returns the body limit in force.
func (c *Client) MaxBody() int64 { return c.opts.MaxBody }

// StatusError is a non-2xx response.
type StatusError struct {
	URL        string
	Code       int
	RetryAfter time.Duration // from the Retry-After header; 0 when absent
	Body       string        // the start of the body as text (decoded, HTML reduced to its text), sanitised, at most 200 bytes
}

func (e *StatusError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: HTTP %d %s", redact(e.URL), e.Code, http.StatusText(e.Code))
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.Body != "" {
		fmt.Fprintf(&b, ": %s", e.Body)
	}
	return b.String()
}

// Unwrap exposes a Retry-After to callers that look for it by behaviour:
// errors.As(err, &r) with r an interface{ RetryAfter() time.Duration } (the
// poller's feeds.RetryAfterer) finds it in the chain. StatusError itself
// cannot have that method, since its field has the name.
func (e *StatusError) Unwrap() error {
	if e.RetryAfter > 0 {
		return retryHint(e.RetryAfter)
	}
	return nil
}

// retryHint carries a Retry-After through an error chain.
type retryHint time.Duration

func (h retryHint) Error() string             { return "retry after " + time.Duration(h).String() }
func (h retryHint) RetryAfter() time.Duration { return time.Duration(h) }

// Response is a successful (2xx) response, its body read in full.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Get fetches url and returns the body of a 2xx response. See Fetch.
func (c *Client) Get(ctx context.Context, rawURL string, headers map[string]string) ([]byte, error) {
	r, err := c.Fetch(ctx, rawURL, headers)
	if err != nil {
		return nil, err
	}
	return r.Body, nil
}

// Fetch waits for the host's rate limiter, sends a GET bound to ctx and to
// the client's timeout, and returns the response when its status is 2xx.
// A non-2xx status gives a *StatusError (the first 4 KiB of the body are
// drained and the start kept as a snippet); a body over MaxBody gives an
// error wrapping ErrTooLarge, found without reading the body to its end.
// headers are added to the request (and override User-Agent and Referer).
func (c *Client) Fetch(ctx context.Context, rawURL string, headers map[string]string) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("httpx: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("httpx: %s: unsupported scheme %q", redact(rawURL), u.Scheme)
	}
	if err := c.wait(ctx, u.Host); err != nil {
		return nil, fmt.Errorf("%s: waiting for the rate limiter: %w", redact(rawURL), err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("httpx: %w", err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", "*/*")
	if c.opts.Referer != "" {
		req.Header.Set("Referer", c.opts.Referer)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		// Name the host and path, not the whole query, so the cause (no such
		// host, refused, timeout) stays readable in the status bar.
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, fmt.Errorf("%s%s: %w", u.Host, u.Path, ue.Err)
		}
		return nil, err
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		head, _ := io.ReadAll(io.LimitReader(resp.Body, errDrain))
		return nil, &StatusError{
			URL:        rawURL,
			Code:       resp.StatusCode,
			RetryAfter: ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
			Body:       errorText(head, resp.Header.Get("Content-Type")),
		}
	}
	limit := c.opts.MaxBody
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%s: %w (%d bytes declared, limit %d)", redact(rawURL), ErrTooLarge, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: reading body: %w", redact(rawURL), err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%s: %w (over %d bytes)", redact(rawURL), ErrTooLarge, limit)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// redact drops the query string from a URL for error messages: the feeds'
// queries are long and say nothing the path does not.
func redact(rawURL string) string {
	if i := strings.IndexByte(rawURL, '?'); i >= 0 {
		return rawURL[:i]
	}
	return rawURL
}

// snippet sanitises the start of an error body and cuts it to at most
// snippetMax bytes on a rune boundary.
func snippet(b []byte) string {
	s := model.Sanitize(string(b))
	if len(s) <= snippetMax {
		return s
	}
	cut := snippetMax
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// ParseRetryAfter reads a Retry-After header value: delay-seconds or an
// HTTP-date (relative to now). It returns 0 for an empty, malformed or past
// value.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d.Round(time.Second)
		}
	}
	return 0
}
