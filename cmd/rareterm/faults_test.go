//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The fault suite: the real binary against a server in the real wire
// formats that answers one kind of request with a hostile body (escape
// sequences, an HTML error page that once crashed the tag stripper,
// truncated JSON, every fuzz corpus entry), a damaged database file, a bad
// row, and signals. Whatever comes, no Go panic trace reaches stdout or
// stderr, the exit code is 0 or 1 as documented, and the terminal is
// restored.

// Endpoints of the hostile server: which request a body replaces.
const (
	epQuotes  = "quotes"  // Eastmoney ulist.np, watchlist quotes
	epBoards  = "boards"  // Eastmoney ulist.np, 90.BK board quotes
	epMembers = "members" // Eastmoney clist
	epKline   = "kline"   // Eastmoney push2his kline
	epMargin  = "margin"  // Eastmoney datacenter
	epSina    = "sina"    // hq.sinajs.cn list=
	epPPI     = "ppi"     // a 100ppi table page
	epVendor  = "vendor"  // a vendor CSV
)

// hostileFeed is emFeed with one endpoint's answers replaced.
type hostileFeed struct {
	*httptest.Server
	ep     string
	body   []byte
	status int
	ctype  string
	served atomic.Int64 // hostile answers sent
	other  atomic.Int64 // normal answers sent
	// rewrite, when set, edits the normal answer of ep instead.
	rewrite func([]byte) []byte
	// emQuotesDown makes Eastmoney's quotes answer 500, so Sina is asked.
	emQuotesDown bool
}

func endpointOf(r *http.Request) string {
	switch {
	case r.URL.Path == "/api/qt/ulist.np/get" && strings.Contains(r.URL.Query().Get("secids"), "90.BK"):
		return epBoards
	case r.URL.Path == "/api/qt/ulist.np/get":
		return epQuotes
	case r.URL.Path == "/api/qt/clist/get":
		return epMembers
	case r.URL.Path == "/api/qt/stock/kline/get":
		return epKline
	case r.URL.Path == "/api/data/v1/get":
		return epMargin
	case strings.HasPrefix(r.URL.Path, "/list="):
		return epSina
	case r.URL.Path == "/ppi.html":
		return epPPI
	case r.URL.Path == "/vendor.csv":
		return epVendor
	}
	return ""
}

func newHostileFeed(t testing.TB, ep string, status int, ctype string, body []byte) *hostileFeed {
	em := newEMFeed(t)
	ppi := histFixtureIn(t, "prices", "ppi_dytb_utf8.html")
	vendor := histFixtureIn(t, "prices", "vendor_plain.csv")
	sinaList := histFixtureIn(t, "sina", "list.gbk")
	f := &hostileFeed{ep: ep, body: body, status: status, ctype: ctype}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := endpointOf(r)
		if got == f.ep && f.rewrite == nil {
			f.served.Add(1)
			if f.ctype != "" {
				w.Header().Set("Content-Type", f.ctype)
			}
			w.WriteHeader(f.status)
			w.Write(f.body)
			return
		}
		if f.rewrite != nil && got == f.ep {
			rec := httptest.NewRecorder()
			em.Config.Handler.ServeHTTP(rec, r)
			f.served.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.Write(f.rewrite(rec.Body.Bytes()))
			return
		}
		f.other.Add(1)
		switch got {
		case epQuotes:
			if f.emQuotesDown {
				http.Error(w, "upstream broken", http.StatusInternalServerError)
				return
			}
			em.Config.Handler.ServeHTTP(w, r)
		case epSina:
			w.Header().Set("Content-Type", "application/javascript; charset=GBK")
			w.Write(sinaList)
		case epPPI:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(ppi)
		case epVendor:
			w.Header().Set("Content-Type", "text/csv")
			w.Write(vendor)
		default:
			em.Config.Handler.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func histFixtureIn(t testing.TB, pkg, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "feeds", pkg, "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// faultConfig points every feed at url: Eastmoney, Sina (enabled when
// sina), a 100ppi page and a vendor CSV.
func faultConfig(t testing.TB, dir, url string, sina bool) string {
	t.Helper()
	path := filepath.Join(dir, "config.toml")
	src := fmt.Sprintf(`
[watchlist]
symbols = ["600111", "000831", "06680", "516150"]
boards = ["BK0578"]
[feeds.eastmoney]
push2_url = %[1]q
push2his_url = %[1]q
datacenter_url = %[1]q
anotice_url = %[1]q
cnotice_url = %[1]q
requests_per_sec = 50
[feeds.sina]
url = %[1]q
enabled = %[2]v
requests_per_sec = 50
[feeds.prices]
ppi_urls = [%[3]q]
[feeds.prices.vendor]
url = %[4]q
format = "csv"
date = "date"
element = "element"
price = "price"
[timeouts]
quotes = "5s"
history = "5s"
margin = "5s"
boards = "5s"
elements = "5s"
`, url, sina, url+"/ppi.html", url+"/vendor.csv")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runOut runs the binary and returns stdout and stderr apart.
func runOut(t testing.TB, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(rareterm(t), args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("rareterm %s: still running a minute later", strings.Join(args, " "))
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// hostileHTML is an error page with a mixed-case script tag and invalid
// UTF-8 inside it: the stripper found the end tag in a lower-cased copy
// (where each invalid byte grew to three) and sliced the original with it.
var hostileHTML = []byte("<!DOCTYPE html><html><head><title>502</title><STYLE>p{}</style\xa8></head><body><h1>502 Bad Gateway</h1>" +
	"<sCript" + strings.Repeat("\xa8", 24) + "</sCript")

// escapes are the control sequences a hostile name carries: OSC 0 (title),
// OSC 52 (clipboard), CSI colours, BEL, NUL.
var escapeRe = regexp.MustCompile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f]")

// corpus reads a `go test fuzz v1` file: its first []byte or string value.
func corpus(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n")[1:] {
		for _, pre := range []string{"[]byte(", "string("} {
			if strings.HasPrefix(l, pre) && strings.HasSuffix(l, ")") {
				s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(l, pre), ")"))
				if err == nil {
					return []byte(s)
				}
			}
		}
	}
	t.Fatalf("%s: no []byte or string value", path)
	return nil
}

// fuzzEndpoint is the request a fuzz target's parser reads.
var fuzzEndpoint = map[string]string{
	"FuzzParseUlist": epQuotes, "FuzzParseKline": epKline, "FuzzParseMargin": epMargin, "FuzzParseClist": epMembers,
	"FuzzParseSina": epSina, "FuzzParsePPI": epPPI, "FuzzParseVendorCSV": epVendor,
}

// TestFaultsHostileBodies: collect --once with one kind of request answered
// by a hostile body, every other as it should be. No trace, exit 0 (the
// other feeds answered), and nothing hostile stored: the exported quotes
// carry no control character.
func TestFaultsHostileBodies(t *testing.T) {
	rareterm(t)
	type tc struct {
		name, ep, ctype string
		status          int
		body            []byte
	}
	var cases []tc
	for _, ep := range []string{epQuotes, epBoards, epMembers, epKline, epMargin, epSina, epPPI, epVendor} {
		cases = append(cases,
			tc{"html-script/" + ep, ep, "text/html", 200, hostileHTML},
			tc{"html-script-502/" + ep, ep, "text/html; charset=gbk", 502, hostileHTML},
			tc{"truncated/" + ep, ep, "application/json", 200, histFixture(t, "truncated.json")},
			tc{"empty/" + ep, ep, "application/json", 200, nil},
		)
	}
	cases = append(cases,
		tc{"escapes/quotes", epQuotes, "application/json", 200, histFixture(t, "ulist_object.json")},
		tc{"escapes/sina", epSina, "application/javascript; charset=GBK", 200, []byte(
			"var hq_str_sh600111=\"\x1b]52;c;cHduZWQ=\x07北方\x1b[31m,50.10,49.80,50.46,51.00,49.50,50.45,50.46,1000,50000000,1,50.45,1,50.44,1,50.43,1,50.42,1,50.41,1,50.46,1,50.47,1,50.48,1,50.49,1,50.50," +
				time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02,15:04:05") + ",00\";\n")},
		tc{"html/quotes", epQuotes, "text/html", 403, histFixture(t, "html.html")},
	)
	files, _ := filepath.Glob(filepath.Join("..", "..", "feeds", "*", "testdata", "fuzz", "*", "*"))
	for _, f := range files {
		target := filepath.Base(filepath.Dir(f))
		ep, ok := fuzzEndpoint[target]
		if !ok {
			t.Errorf("fuzz corpus %s: no endpoint for %s (add it to fuzzEndpoint)", f, target)
			continue
		}
		cases = append(cases, tc{"fuzz/" + target + "/" + filepath.Base(f), ep, "", 200, corpus(t, f)})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := newHostileFeed(t, c.ep, c.status, c.ctype, c.body)
			srv.emQuotesDown = c.ep == epSina // Sina is asked only when Eastmoney's quotes fail
			dir := t.TempDir()
			cfg := faultConfig(t, dir, srv.URL, c.ep == epSina)
			db := filepath.Join(dir, "data", "rareterm.db")
			code, out, errOut := runOut(t, testEnv(dir), "collect", "--once", "--db", db, "--config", cfg)
			noTrace(t, "stderr", errOut)
			noTrace(t, "stdout", out)
			if code != 0 {
				t.Errorf("exit %d, want 0 (the other feeds answered):\n%s", code, errOut)
			}
			if srv.served.Load() == 0 {
				t.Errorf("the hostile body was never asked for:\n%s", errOut)
			}
			if escapeRe.MatchString(errOut) {
				t.Errorf("stderr carries control characters: %q", errOut)
			}
			code, out, errOut = runOut(t, testEnv(dir), "export", "--series", "quotes", "--db", db, "--format", "csv")
			noTrace(t, "export's stderr", errOut)
			if code != 0 {
				t.Errorf("export: exit %d:\n%s", code, errOut)
			}
			if escapeRe.MatchString(out) {
				t.Errorf("exported quotes carry control characters: %q", tail(out, 500))
			}
		})
	}
}

// TestFaultsBadRow: one symbol's quote row has "-" for its time (f124): that
// row is dropped with a warning naming the symbol, and every other quote,
// and the bars, margin and boards of the cycle, are written.
func TestFaultsBadRow(t *testing.T) {
	rareterm(t)
	for _, bad := range []struct {
		name  string
		field string
		value any
	}{{"f124 dash", "f124", "-"}, {"f124 zero", "f124", 0}, {"f2 dash", "f2", "-"}, {"f14 70KB", "f14", strings.Repeat("稀", 24000)}} {
		t.Run(bad.name, func(t *testing.T) {
			t.Parallel()
			srv := newHostileFeed(t, epQuotes, 200, "", nil)
			srv.rewrite = func(b []byte) []byte {
				var v map[string]any
				if err := json.Unmarshal(b, &v); err != nil {
					return b
				}
				for _, r := range v["data"].(map[string]any)["diff"].([]any) {
					if row := r.(map[string]any); row["f12"] == "000831" {
						row[bad.field] = bad.value
					}
				}
				out, _ := json.Marshal(v)
				return out
			}
			dir := t.TempDir()
			db := filepath.Join(dir, "data", "rareterm.db")
			code, out, errOut := runOut(t, testEnv(dir), "collect", "--once", "--db", db, "--config", faultConfig(t, dir, srv.URL, false))
			noTrace(t, "stderr", errOut+out)
			if code != 0 {
				t.Errorf("exit %d:\n%s", code, errOut)
			}
			if !regexp.MustCompile(`batch 1 committed: [34] quotes, [1-9]\d* bars, [1-9]\d* margin, \d+ element prices, boards 1`).MatchString(errOut) {
				t.Errorf("the cycle was not written whole:\n%s", errOut)
			}
			code, out, _ = runOut(t, testEnv(dir), "export", "--series", "quotes", "--symbol", "600111", "--db", db)
			if code != 0 || !strings.Contains(out, "600111") {
				t.Errorf("600111's quote was lost with 000831's bad row (exit %d):\n%s", code, out)
			}
			logb, _ := os.ReadFile(filepath.Join(dir, "data", "rareterm.log"))
			if bad.field != "f14" && !strings.Contains(errOut+string(logb), "000831") {
				t.Errorf("no warning naming 000831 on stderr or in the log:\n%s\n%s", errOut, logb)
			}
		})
	}
}

// damage overwrites 64 bytes at the start of a page in the middle of the
// file's used part, trying pages outward from the middle until bbolt's check
// (through `rareterm db check`) notices; it returns the offset.
func damage(t testing.TB, env []string, path string) int64 {
	t.Helper()
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	pages := int64(len(orig)) / page
	mid := pages / 2
	for d := int64(0); d < pages/2; d++ {
		for _, p := range []int64{mid - d, mid + d} {
			if p < 4 || p >= pages {
				continue
			}
			b := append([]byte(nil), orig...)
			off := p * page
			for i := range int64(64) {
				b[off+i] = byte(0xA5 ^ i)
			}
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			if code, _, _ := runOut(t, env, "db", "check", "--db", path); code != 0 {
				return off
			}
		}
	}
	t.Fatal("no page's damage was noticed")
	return 0
}

// TestFaultsDamagedDatabase: a populated database with 64 bytes overwritten
// in the middle. Readers (export, db stats, db check, db compact, the
// offline dashboard) refuse with exit 1 and say it is damaged; writers
// (collect, the dashboard) move it aside and start afresh; nothing panics.
func TestFaultsDamagedDatabase(t *testing.T) {
	rareterm(t)
	srv := newEMFeed(t)
	base := t.TempDir()
	cfg := collectConfig(t, base, srv.URL)
	good := filepath.Join(base, "good.db")
	for i := 0; i < 2; i++ {
		if code, _, errOut := runOut(t, testEnv(base), "collect", "--once", "--db", good, "--config", cfg); code != 0 {
			t.Fatalf("populating: exit %d\n%s", code, errOut)
		}
	}
	damaged := filepath.Join(base, "damaged.db")
	b, _ := os.ReadFile(good)
	os.WriteFile(damaged, b, 0o600)
	off := damage(t, testEnv(base), damaged)
	t.Logf("64 bytes overwritten at %d of %d", off, len(b))
	bad, _ := os.ReadFile(damaged)

	// copyDB puts the damaged file at dir/data/rareterm/rareterm.db.
	copyDB := func(t *testing.T) (dir, db string) {
		dir = t.TempDir()
		db = filepath.Join(dir, "data", "rareterm", "rareterm.db")
		os.MkdirAll(filepath.Dir(db), 0o700)
		if err := os.WriteFile(db, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		return dir, db
	}
	for _, c := range []struct {
		name string
		args []string
		code int
	}{
		{"export", []string{"export", "--series", "bars", "--symbol", "600111"}, 1},
		{"export quotes", []string{"export", "--series", "quotes"}, 1},
		{"db stats", []string{"db", "stats"}, 1},
		{"db check", []string{"db", "check"}, 1},
		{"db compact", []string{"db", "compact"}, 1},
		{"collect", []string{"collect", "--once", "--config", cfg}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, db := copyDB(t)
			code, out, errOut := runOut(t, testEnv(dir), append(c.args, "--db", db)...)
			noTrace(t, "stderr", errOut)
			noTrace(t, "stdout", out)
			if code != c.code {
				t.Errorf("exit %d, want %d:\n%s", code, c.code, errOut)
			}
			aside, _ := filepath.Glob(db + ".damaged-*")
			if c.code == 1 {
				if !strings.Contains(errOut, "damaged") || !strings.Contains(errOut, db) {
					t.Errorf("stderr does not say the database %s is damaged:\n%s", db, errOut)
				}
				if now, _ := os.ReadFile(db); !bytes.Equal(now, bad) || len(aside) > 0 {
					t.Errorf("a reader changed or moved the damaged file (moved: %v)", aside)
				}
			} else if len(aside) != 1 {
				t.Errorf("the damaged file was not moved aside: %v\n%s", aside, errOut)
			} else if kept, _ := os.ReadFile(aside[0]); !bytes.Equal(kept, bad) {
				t.Error("the damaged file's bytes were not kept")
			}
		})
	}
	t.Run("db salvage", func(t *testing.T) {
		t.Parallel()
		dir, db := copyDB(t)
		code, out, errOut := runOut(t, testEnv(dir), "db", "salvage", "--db", db)
		noTrace(t, "stderr", errOut)
		noTrace(t, "stdout", out)
		if code != 0 && code != 1 {
			t.Errorf("exit %d:\n%s", code, errOut)
		}
	})
	t.Run("dashboard offline", func(t *testing.T) {
		t.Parallel()
		dir, db := copyDB(t)
		p := startPty(t, testEnv(dir), "--offline", "--db", db)
		code, _, err := p.waitExit(time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		out, stderr := p.output()
		noTrace(t, "stderr", stderr)
		noTrace(t, "the terminal", out)
		if code != 1 || !strings.Contains(stderr, "damaged") {
			t.Errorf("exit %d, want 1 saying the database is damaged:\n%s", code, stderr)
		}
		if bad := terminalLeftBroken(out); len(bad) > 0 {
			t.Errorf("left on: %v", bad)
		}
		if raw, _ := p.rawMode(); raw {
			t.Error("left in raw mode")
		}
	})
	t.Run("dashboard", func(t *testing.T) {
		t.Parallel()
		dir, db := copyDB(t)
		p := startPty(t, testEnv(dir), "--db", db, "--config", cfg)
		if err := p.waitOutput("rareterm", 30*time.Second); err != nil {
			t.Fatal(err)
		}
		if err := p.waitOutput("\x1b[?1049h", 30*time.Second); err == nil {
			p.key("q")
		}
		code, _, err := p.waitExit(30 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		out, stderr := p.output()
		noTrace(t, "stderr", stderr)
		noTrace(t, "the terminal", out)
		if code != 0 {
			t.Errorf("exit %d, want 0 (a fresh database):\n%s", code, stderr)
		}
		p.checkRestored(t)
		if aside, _ := filepath.Glob(db + ".damaged-*"); len(aside) != 1 {
			t.Errorf("the damaged file was not moved aside: %v", aside)
		}
	})
}

// TestFaultsDashboardHostileFeed: the live dashboard in a pseudo-terminal
// against feeds answering with escape sequences in names and a hostile HTML
// page: none of the sequences reaches the terminal, the screen survives
// until SIGTERM, and the terminal is restored.
func TestFaultsDashboardHostileFeed(t *testing.T) {
	rareterm(t)
	for _, c := range []struct {
		name, ep string
		body     []byte
	}{{"escapes", epQuotes, histFixture(t, "ulist_object.json")}, {"html-script", epQuotes, hostileHTML}, {"html-script-kline", epKline, hostileHTML}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := newHostileFeed(t, c.ep, 200, "text/html", c.body)
			dir := t.TempDir()
			p := startPty(t, testEnv(dir), "--config", faultConfig(t, dir, srv.URL, false))
			if err := p.waitOutput("\x1b[?1049h", 30*time.Second); err != nil {
				_, stderr := p.output()
				t.Fatalf("%v\n%s", err, stderr)
			}
			// The hostile body was served, and the program went on polling after it.
			deadline := time.Now().Add(30 * time.Second)
			for srv.served.Load() == 0 || srv.other.Load() < 5 {
				select {
				case <-p.exited:
					_, stderr := p.output()
					t.Fatalf("the dashboard died (%v):\n%s", p.err, tail(stderr, 3000))
				case <-time.After(20 * time.Millisecond):
				}
				if time.Now().After(deadline) {
					t.Fatalf("served %d hostile, %d other answers in 30 s", srv.served.Load(), srv.other.Load())
				}
			}
			p.cmd.Process.Signal(syscall.SIGTERM)
			code, _, err := p.waitExit(5 * time.Second)
			if err != nil {
				t.Fatal(err)
			}
			out, stderr := p.output()
			noTrace(t, "stderr", stderr)
			noTrace(t, "the terminal", out)
			if code != 0 {
				t.Errorf("exit %d:\n%s", code, stderr)
			}
			p.checkRestored(t)
			for _, seq := range []string{"\x1b]0;pwned", "\x1b]52;", "pwned\x07"} {
				if strings.Contains(out, seq) {
					t.Errorf("the hostile sequence %q reached the terminal", seq)
				}
			}
		})
	}
}
