package httpx

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// A redirect loop stops after MaxRedirects redirects with a clear error,
// and every redirect waits for the rate limiter like any request.
func TestRedirectLoopStopsAndIsRateLimited(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Redirect(w, r, "/loop?n="+r.URL.Query().Get("n")+"x", http.StatusFound)
	}))
	defer srv.Close()
	c := New(Options{RatePerSec: 20, Burst: 1}) // a token every 50 ms
	start := time.Now()
	_, err := c.Get(context.Background(), srv.URL+"/api", nil)
	el := time.Since(start)
	if !errors.Is(err, ErrTooManyRedirects) || !strings.Contains(err.Error(), "stopped after 3") {
		t.Fatalf("err = %v, want too many redirects", err)
	}
	if got := n.Load(); got != 1+MaxRedirects {
		t.Errorf("%d requests, want %d (the request and %d redirects)", got, 1+MaxRedirects, MaxRedirects)
	}
	if el < 140*time.Millisecond { // 3 redirects, each after a 50 ms token
		t.Errorf("the redirects took %v: they did not wait for the rate limiter", el)
	}
}

// A GBK error page gives a readable message, whatever says it is GBK: the
// Content-Type, a <meta> tag, or nothing at all.
func TestGBKErrorBodyIsReadable(t *testing.T) {
	page := `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">` +
		`<title>服务暂时不可用</title><SCRIPT>var x = "<b>不显示</b>";</SCRIPT><style>p{color:red}</style></head>` +
		`<body><!-- 注释 --><h1>错误 502</h1><p>请稍后再试&nbsp;&amp;&nbsp;联系管理员</p></body></html>`
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	noMeta := strings.Replace(gbk, `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`, "", 1)
	for _, tc := range []struct{ name, ct, body string }{
		{"content type", "text/html; charset=GBK", noMeta},
		{"meta", "text/html", gbk},
		{"heuristic", "", noMeta},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.ct != "" {
					w.Header().Set("Content-Type", tc.ct)
				}
				w.WriteHeader(http.StatusBadGateway)
				w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			_, err := New(Options{}).Get(context.Background(), srv.URL, nil)
			var se *StatusError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v", err)
			}
			want := "服务暂时不可用 错误 502 请稍后再试 & 联系管理员"
			if se.Body != want {
				t.Errorf("body %q, want %q", se.Body, want)
			}
		})
	}
}

func TestErrorTextCutsAndSanitises(t *testing.T) {
	long := "<p>" + strings.Repeat("错误", 300) + "\x1b]52;c;aGk=\x07</p>"
	got := errorText([]byte(long), "text/html; charset=utf-8")
	if len(got) > snippetMax || !strings.HasPrefix(got, "错误错误") || strings.ContainsAny(got, "<>\x1b") {
		t.Errorf("errorText = %q (%d bytes)", got, len(got))
	}
	// A UTF-8 body cut inside a rune is still read as UTF-8, not as GBK.
	cut := []byte("服务暂时不可用")
	if got := errorText(cut[:len(cut)-1], ""); !strings.HasPrefix(got, "服务暂时不可") {
		t.Errorf("cut UTF-8 read as %q", got)
	}
	for _, b := range []string{"<sCript\xa8\xa8\xa8\xa8\xa8\xa8</sCript", "<style", "<!--", "<a", "<script></script"} {
		errorText([]byte(b), "") // must not panic
	}
}

func FuzzErrorText(f *testing.F) {
	f.Add([]byte("<sCript\xa8\xa8\xa8\xa8\xa8\xa8</sCript"), "text/html;\xff\xff\xff\xffcharset=")
	f.Add([]byte(`<html><meta charset="gbk"><title>x</title></html>`), "")
	f.Add([]byte("<!-- a --><style>b</STYLE>c"), "text/html; charset=utf-8")
	f.Fuzz(func(t *testing.T, b []byte, ct string) {
		s := errorText(b, ct)
		if len(s) > snippetMax || strings.ContainsAny(s, "\x1b\x07\x00") {
			t.Fatalf("errorText = %q", s)
		}
	})
}
