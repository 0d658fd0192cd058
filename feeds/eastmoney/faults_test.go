package eastmoney

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

// The client implements every source interface the poller uses.
var (
	_ feeds.QuoteSource   = (*Client)(nil)
	_ feeds.HistorySource = (*Client)(nil)
	_ feeds.MarginSource  = (*Client)(nil)
	_ feeds.BoardSource   = (*Client)(nil)
)

// Every endpoint goes through the same fetch; each fault is run against all
// of them.
var endpoints = map[string]func(c *Client) error{
	"quotes": func(c *Client) error {
		_, err := c.Quotes(context.Background(), []model.Symbol{{Code: "600111", Market: model.MarketSSE}})
		return err
	},
	"bars": func(c *Client) error {
		_, err := c.Bars(context.Background(), model.Symbol{Code: "600111", Market: model.MarketSSE}, model.Daily, time.Time{}, time.Time{})
		return err
	},
	"margin": func(c *Client) error {
		_, err := c.Margin(context.Background(), model.Symbol{Code: "600111", Market: model.MarketSSE}, 5)
		return err
	},
	"sector": func(c *Client) error {
		_, err := c.SectorMargin(context.Background(), []string{"BK0478"})
		return err
	},
	"boards": func(c *Client) error {
		_, err := c.Boards(context.Background(), []string{"BK0578"})
		return err
	},
	"members": func(c *Client) error {
		_, err := c.Constituents(context.Background(), "BK0578")
		return err
	},
}

func TestFaults(t *testing.T) {
	huge := bytes.Repeat([]byte(" "), 1<<20)
	for _, tc := range []struct {
		name    string
		handle  func(w http.ResponseWriter, r *http.Request)
		check   func(err error) bool
		timeout time.Duration
	}{
		{"500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "internal", 500) },
			func(err error) bool {
				var se *httpx.StatusError
				return errors.As(err, &se) && se.Code == 500
			}, 0},
		{"429 Retry-After", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "30")
			http.Error(w, "too many", 429)
		}, func(err error) bool {
			var se *httpx.StatusError
			var r feeds.RetryAfterer // how the poller reads it
			return errors.As(err, &se) && se.Code == 429 && se.RetryAfter == 30*time.Second &&
				errors.As(err, &r) && r.RetryAfter() == 30*time.Second
		}, 0},
		{"slow past the deadline", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		}, func(err error) bool { return err != nil }, 100 * time.Millisecond},
		{"truncated JSON", file(t, "truncated.json"), func(err error) bool {
			return err != nil && strings.Contains(err.Error(), "truncated JSON")
		}, 0},
		{"HTML instead of JSON", file(t, "html.html"), func(err error) bool {
			return err != nil && strings.Contains(err.Error(), "got HTML") && strings.Contains(err.Error(), "403 Forbidden")
		}, 0},
		{"50 MB body", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"rc":0,"data":{"diff":[`))
			for i := 0; i < 50; i++ {
				if _, err := w.Write(huge); err != nil {
					return
				}
			}
		}, func(err error) bool { return errors.Is(err, httpx.ErrTooLarge) }, 0},
		{"JSON that is not an Eastmoney reply", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"hello":"world"}`)) },
			func(err error) bool { return err != nil && strings.Contains(err.Error(), "not a") }, 0},
	} {
		for name, call := range endpoints {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				timeout := tc.timeout
				if timeout == 0 {
					timeout = 5 * time.Second
				}
				_, c := newFakeCfg(t, Config{HTTP: httpx.New(httpx.Options{Timeout: timeout})}, tc.handle)
				start := time.Now()
				err := call(c)
				if !tc.check(err) {
					t.Fatalf("unexpected error: %v", err)
				}
				if !strings.HasPrefix(err.Error(), "eastmoney: ") {
					t.Errorf("error does not name the provider: %v", err)
				}
				if time.Since(start) > 3*time.Second {
					t.Errorf("took %s", time.Since(start))
				}
			})
		}
	}
}

func TestCancelledContext(t *testing.T) {
	f, c := newFake(t, file(t, "ulist.json"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Quotes(ctx, []model.Symbol{{Code: "600111", Market: model.MarketSSE}}); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if len(f.requests()) != 0 {
		t.Fatal("a request went out on a cancelled context")
	}
}
