package eastmoney

import (
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
)

// fake is an Eastmoney stand-in: every request is recorded and answered by
// handle.
type fake struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	reqs   []*url.URL
	handle func(w http.ResponseWriter, r *http.Request)
	drops  []string
}

func newFake(t *testing.T, handle func(w http.ResponseWriter, r *http.Request)) (*fake, *Client) {
	return newFakeCfg(t, Config{}, handle)
}

func newFakeCfg(t *testing.T, cfg Config, handle func(w http.ResponseWriter, r *http.Request)) (*fake, *Client) {
	t.Helper()
	f := &fake{t: t, handle: handle}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		u := *r.URL
		f.reqs = append(f.reqs, &u)
		f.mu.Unlock()
		f.handle(w, r)
	}))
	t.Cleanup(f.srv.Close)
	cfg.Push2URL, cfg.Push2HisURL, cfg.DatacenterURL = f.srv.URL, f.srv.URL+"/his/", f.srv.URL+"/dc"
	if cfg.HTTP == nil {
		cfg.HTTP = httpx.New(httpx.Options{Timeout: 2 * time.Second})
	}
	cfg.OnDrop = func(msg string) {
		f.mu.Lock()
		f.drops = append(f.drops, msg)
		f.mu.Unlock()
	}
	return f, New(cfg)
}

func (f *fake) requests() []*url.URL {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*url.URL(nil), f.reqs...)
}

func (f *fake) dropped() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.drops...)
}

// file answers with a testdata file.
func file(t *testing.T, name string) func(w http.ResponseWriter, r *http.Request) {
	b := fixture(t, name)
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.Write(b)
	}
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func eq(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.IsNaN(want) {
		if !math.IsNaN(got) {
			t.Errorf("%s = %v, want NaN", what, got)
		}
		return
	}
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func sym(t *testing.T, code string) model.Symbol {
	t.Helper()
	s, err := model.ParseSymbol(code)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func syms(t *testing.T, codes ...string) []model.Symbol {
	out := make([]model.Symbol, len(codes))
	for i, c := range codes {
		out[i] = sym(t, c)
	}
	return out
}
