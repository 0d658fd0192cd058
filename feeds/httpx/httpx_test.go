package httpx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestGetOK(t *testing.T) {
	var gotUA, gotRef, gotX string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotRef, gotX = r.UserAgent(), r.Referer(), r.Header.Get("X-Test")
		fmt.Fprint(w, `{"ok":true}`)
	}))
	defer srv.Close()
	c := New(Options{Timeout: time.Second, UserAgent: "ua/1", Referer: "https://example.com/"})
	b, err := c.Get(context.Background(), srv.URL+"/x?a=1", map[string]string{"X-Test": "yes"})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"ok":true}` {
		t.Fatalf("body %q", b)
	}
	if gotUA != "ua/1" || gotRef != "https://example.com/" || gotX != "yes" {
		t.Fatalf("headers: ua %q referer %q x %q", gotUA, gotRef, gotX)
	}
	// A request header overrides the client's Referer.
	if _, err := c.Get(context.Background(), srv.URL, map[string]string{"Referer": "https://other/"}); err != nil {
		t.Fatal(err)
	}
	if gotRef != "https://other/" {
		t.Fatalf("referer override: %q", gotRef)
	}
}

func TestStatus500(t *testing.T) {
	long := "\x1b[31mboom\x1b[0m " + strings.Repeat("x", 10000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		fmt.Fprint(w, long)
	}))
	defer srv.Close()
	_, err := New(Options{Timeout: time.Second}).Get(context.Background(), srv.URL, nil)
	var se *StatusError
	if !errors.As(err, &se) {
		t.Fatalf("want *StatusError, got %T %v", err, err)
	}
	if se.Code != 500 || se.RetryAfter != 0 {
		t.Fatalf("code %d retry %s", se.Code, se.RetryAfter)
	}
	if len(se.Body) > 200 || !strings.HasPrefix(se.Body, "boom x") || strings.ContainsRune(se.Body, 0x1b) {
		t.Fatalf("snippet %q (%d bytes)", se.Body, len(se.Body))
	}
	if !strings.Contains(err.Error(), "HTTP 500") {
		t.Fatalf("message %q", err)
	}
}

func TestStatus429RetryAfter(t *testing.T) {
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	for _, tc := range []struct {
		header string
		min    time.Duration
		max    time.Duration
	}{
		{"120", 120 * time.Second, 120 * time.Second},
		{date, 85 * time.Second, 91 * time.Second},
		{"soon", 0, 0},
		{"", 0, 0},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tc.header != "" {
				w.Header().Set("Retry-After", tc.header)
			}
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, "slow down")
		}))
		_, err := New(Options{Timeout: time.Second}).Get(context.Background(), srv.URL, nil)
		srv.Close()
		var se *StatusError
		if !errors.As(err, &se) || se.Code != 429 {
			t.Fatalf("%q: want 429 StatusError, got %v", tc.header, err)
		}
		if se.RetryAfter < tc.min || se.RetryAfter > tc.max {
			t.Fatalf("%q: RetryAfter %s, want [%s, %s]", tc.header, se.RetryAfter, tc.min, tc.max)
		}
		if se.Body != "slow down" {
			t.Fatalf("body %q", se.Body)
		}
		// Wrapped by a provider, the delay is still found by behaviour, as
		// the poller looks for it.
		var r interface{ RetryAfter() time.Duration }
		found := errors.As(fmt.Errorf("eastmoney: %w", err), &r)
		if found != (tc.max > 0) || (found && r.RetryAfter() != se.RetryAfter) {
			t.Fatalf("%q: RetryAfterer found %v", tc.header, found)
		}
	}
}

func TestSlowServerPastDeadline(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	start := time.Now()
	_, err := New(Options{Timeout: 150 * time.Millisecond}).Get(context.Background(), srv.URL, nil)
	if err == nil {
		t.Fatal("want a timeout error")
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("took %s", el)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want context.DeadlineExceeded, got %v", err)
	}
}

// A body that trickles in slowly is cut by the deadline too, not only slow headers.
func TestSlowBodyPastDeadline(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("{"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	start := time.Now()
	_, err := New(Options{Timeout: 150 * time.Millisecond}).Get(context.Background(), srv.URL, nil)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("err %v after %s", err, time.Since(start))
	}
}

func TestTooLargeChunked(t *testing.T) {
	const total = 50 << 20
	var written atomic.Int64
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		chunk := bytes.Repeat([]byte("a"), 64<<10)
		for written.Load() < total {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	start := time.Now()
	_, err := New(Options{Timeout: 10 * time.Second}).Get(context.Background(), srv.URL, nil)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("want ErrTooLarge, got %v", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("took %s", el)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("server still writing: the client kept reading")
	}
	if w := written.Load(); w >= total {
		t.Fatalf("server wrote the whole %d bytes; the client should have hung up near 8 MiB", w)
	}
}

func TestTooLargeDeclared(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(50<<20))
		w.Write(bytes.Repeat([]byte("a"), 1<<10))
		// The handler returns early; the client must not wait for the rest.
	}))
	defer srv.Close()
	_, err := New(Options{}).Get(context.Background(), srv.URL, nil)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("want ErrTooLarge, got %v", err)
	}
}

func TestMaxBodyBoundary(t *testing.T) {
	body := strings.Repeat("z", 1000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		// No Content-Length: force the LimitReader path.
		w.(http.Flusher).Flush()
		fmt.Fprint(w, body)
	}))
	defer srv.Close()
	if b, err := New(Options{MaxBody: 1000}).Get(context.Background(), srv.URL, nil); err != nil || len(b) != 1000 {
		t.Fatalf("exactly at the limit: %d bytes, %v", len(b), err)
	}
	if _, err := New(Options{MaxBody: 999}).Get(context.Background(), srv.URL, nil); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("one byte over: %v", err)
	}
}

func TestCancelledContext(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	c := New(Options{Timeout: 10 * time.Second})

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Get(ctx, srv.URL, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("already cancelled: %v", err)
	}
	if hits.Load() != 0 {
		t.Fatal("a cancelled context still sent the request")
	}

	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	if _, err := c.Get(ctx, srv.URL, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled in flight: %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("cancel did not stop the request")
	}
}

func TestBadURL(t *testing.T) {
	c := New(Options{})
	for _, u := range []string{"ftp://x/y", "::", "file:///etc/passwd"} {
		if _, err := c.Get(context.Background(), u, nil); err == nil {
			t.Fatalf("%q: want an error", u)
		}
	}
}

func TestRateLimitPerHost(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv2.Close()
	c := New(Options{RatePerSec: 20, Burst: 2})
	ctx := context.Background()
	start := time.Now()
	for i := 0; i < 6; i++ { // 2 free, then 4 at 50 ms each
		if _, err := c.Get(ctx, srv.URL, nil); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el < 180*time.Millisecond {
		t.Fatalf("6 requests at 20/s burst 2 took only %s", el)
	}
	// Another host has its own bucket: its burst is immediate.
	start = time.Now()
	for i := 0; i < 2; i++ {
		if _, err := c.Get(ctx, srv2.URL, nil); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el > 40*time.Millisecond {
		t.Fatalf("second host waited %s", el)
	}
}

func TestRateLimitContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	c := New(Options{RatePerSec: 0.1, Burst: 1}) // one token per 10 s
	if _, err := c.Get(context.Background(), srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	// A deadline shorter than the wait fails at once.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	if _, err := c.Get(ctx, srv.URL, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want DeadlineExceeded, got %v", err)
	}
	if time.Since(start) > 500*time.Millisecond {
		t.Fatal("waited although the deadline could not be met")
	}
	// Cancellation while waiting returns promptly.
	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel2)
	if _, err := c.Get(ctx2, srv.URL, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("want Canceled, got %v", err)
	}
}

func TestLimiterConcurrent(t *testing.T) {
	c := New(Options{RatePerSec: 50, Burst: 1})
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.wait(context.Background(), "h"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if el := time.Since(start); el < 90*time.Millisecond { // 5 waits of 20 ms
		t.Fatalf("6 tokens at 50/s burst 1 in %s", el)
	}
}

// When every kind uses one host, a kind that asks a little (board
// constituents) still gets its turn every few tokens while others hammer
// the host (a margin and a history backfill, many requests in flight).
func TestLimiterSharesTheHostFairlyByKind(t *testing.T) {
	c := New(Options{RatePerSec: 50, Burst: 1})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var grants []string
	take := func(kind string) error {
		err := c.wait(WithKind(ctx, kind), "push2.example")
		if err == nil {
			mu.Lock()
			grants = append(grants, kind)
			mu.Unlock()
		}
		return err
	}
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		kind := "margin"
		if i%3 == 0 {
			kind = "history"
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for take(kind) == nil {
			}
		}()
	}
	time.Sleep(50 * time.Millisecond) // the hammering is under way
	for i := 0; i < 6; i++ {
		if err := take("members"); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	// Three kinds wait, so members gets one token in three; allow a little
	// for scheduling on a loaded machine (a first-come queue gives it one
	// in thirteen).
	gap, worst, seen := 0, 0, 0
	for _, k := range grants {
		if k == "members" {
			seen++
			if seen > 1 {
				worst = max(worst, gap)
			}
			gap = 0
			continue
		}
		gap++
	}
	if seen != 6 || worst > 5 {
		t.Fatalf("members got %d turns, at worst %d tokens apart (want at most 5): %v", seen, worst, grants)
	}
	for _, k := range []string{"margin", "history"} {
		n := 0
		for _, g := range grants {
			if g == k {
				n++
			}
		}
		if n < 3 {
			t.Errorf("%s got %d tokens while members was served: %v", k, n, grants)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 9, 7, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"30", 30 * time.Second},
		{" 5 ", 5 * time.Second},
		{"0", 0},
		{"-3", 0},
		{"Fri, 09 Jan 2026 07:02:00 GMT", 2 * time.Minute},
		{"Fri, 09 Jan 2026 06:00:00 GMT", 0}, // past
		{"garbage", 0},
		{"", 0},
		{"99999999999", 24 * time.Hour},
	} {
		if got := ParseRetryAfter(tc.in, now); got != tc.want {
			t.Errorf("ParseRetryAfter(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	one := func() float64 { return 0.999999 }
	half := func() float64 { return 0.5 }
	zero := func() float64 { return 0 }
	for _, tc := range []struct {
		attempt int
		ra      time.Duration
		rnd     func() float64
		want    time.Duration
	}{
		{0, 0, half, 500 * time.Millisecond},
		{1, 0, half, time.Second},
		{3, 0, half, 4 * time.Second},
		{8, 0, half, 128 * time.Second},
		{9, 0, half, 150 * time.Second}, // 512 s capped at 300 s
		{1000, 0, half, 150 * time.Second},
		{-1, 0, half, 500 * time.Millisecond},
		{2, 0, zero, 0},
		{2, 10 * time.Second, zero, 10 * time.Second}, // Retry-After is a floor
		{2, 10 * time.Second, one, 10 * time.Second},  // 4 s jitter < 10 s
		{20, 0, one, 299999700 * time.Microsecond},
		{20, 10 * time.Minute, one, 10 * time.Minute}, // Retry-After beats the cap
	} {
		if got := Backoff(tc.attempt, tc.ra, tc.rnd); got != tc.want {
			t.Errorf("Backoff(%d, %s) = %s, want %s", tc.attempt, tc.ra, got, tc.want)
		}
	}
	for i := 0; i < 100; i++ {
		if d := Backoff(4, 0, nil); d < 0 || d > 16*time.Second {
			t.Fatalf("default jitter out of range: %s", d)
		}
	}
}

func TestUnwrapJSONP(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`jQuery35105424247560587396_1758630789935({"rc":0,"data":{"a":"(x)"}});`, `{"rc":0,"data":{"a":"(x)"}}`},
		{"  cb ( [1,2] ) ;\n", `[1,2]`},
		{`{"a":"f(x)"}`, `{"a":"f(x)"}`},
		{"\xef\xbb\xbf[1]", `[1]`},
		{`<html>oops</html>`, `<html>oops</html>`},
		{`cb(`, `cb(`},
		{``, ``},
	} {
		if got := string(UnwrapJSONP([]byte(tc.in))); got != tc.want {
			t.Errorf("UnwrapJSONP(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDecodeGBK(t *testing.T) {
	gbk, err := os.ReadFile("testdata/sina_list.gbk")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/sina_list.txt")
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeGBK(gbk)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("decoded GBK differs from the UTF-8 sample:\n%s", got)
	}
	for _, cs := range []string{"gbk", "GB2312", "gb18030"} {
		if got, _ := DecodeCharset(gbk, cs, "utf-8"); !bytes.Equal(got, want) {
			t.Errorf("charset %s: not decoded", cs)
		}
	}
	if got, _ := DecodeCharset(want, "utf-8", "gbk"); !bytes.Equal(got, want) {
		t.Error("utf-8 body changed")
	}
	if got, _ := DecodeCharset(want, "", "auto"); !bytes.Equal(got, want) {
		t.Error("auto: valid UTF-8 changed")
	}
	if got, _ := DecodeCharset(gbk, "", "auto"); !bytes.Equal(got, want) {
		t.Error("auto: GBK not decoded")
	}
}

func TestCharset(t *testing.T) {
	for in, want := range map[string]string{
		"application/javascript; charset=GBK": "gbk",
		"text/html;charset=gb2312;":           "gb2312",
		`text/plain; charset="UTF-8"`:         "utf-8",
		"text/plain":                          "",
		"":                                    "",
		// Sloppy headers whose lower-cased copy has another length: the
		// offset must be taken in the header itself (this used to panic).
		"text/html;\xff\xff\xff\xffcharset=":              "",
		"text/html;\xff\xff\xff\xffCharset=GBK;":          "gbk",
		"text/html;\u212a\u212a\u212a\u212a;charset=gbk;": "gbk",
	} {
		if got := Charset(in); got != want {
			t.Errorf("Charset(%q) = %q, want %q", in, got, want)
		}
	}
}
