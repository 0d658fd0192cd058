package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/eastmoney"
	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui"
)

// universeServer serves the clist segment lists in Eastmoney's wire format,
// two rows a page.
func universeServer(t *testing.T) *httptest.Server {
	segs := map[string][][3]string{
		eastmoney.UniverseSegments[0].FS: {{"000001", "0", "平安银行"}, {"600519", "1", "贵州茅台"}, {"601988", "1", "中国银行"}},
		eastmoney.UniverseSegments[1].FS: {{"03988", "116", "中国银行"}},
		eastmoney.UniverseSegments[2].FS: {{"516150", "1", "稀土ETF嘉实"}},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/qt/clist/get" {
			http.NotFound(w, r)
			return
		}
		rows, ok := segs[r.URL.Query().Get("fs")]
		if !ok {
			w.Write([]byte(`{"rc":0,"data":null}`))
			return
		}
		var pn int
		fmt.Sscan(r.URL.Query().Get("pn"), &pn)
		var diff []string
		for i := (pn - 1) * 2; i < min(pn*2, len(rows)); i++ {
			diff = append(diff, fmt.Sprintf(`{"f12":%q,"f13":%s,"f14":%q}`, rows[i][0], rows[i][1], rows[i][2]))
		}
		fmt.Fprintf(w, `{"rc":0,"rt":6,"svr":181735163,"lt":1,"full":1,"dlmkts":"","data":{"total":%d,"diff":[%s]}}`, len(rows), strings.Join(diff, ","))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// drive hands msg to the model and feeds back what its commands return.
func drive(m tea.Model, msg tea.Msg, depth int) {
	_, cmd := m.Update(msg)
	runCmd(m, cmd, depth)
}

func runCmd(m tea.Model, cmd tea.Cmd, depth int) {
	if cmd == nil || depth > 10 {
		return
	}
	switch msg := cmd().(type) {
	case nil, tea.QuitMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			runCmd(m, c, depth+1)
		}
	default:
		drive(m, msg, depth+1)
	}
}

// The definition of done, end to end: against a test server that
// serves a universe, / then 茅台, gzmt or 600519 opens 贵州茅台, and yh finds
// 中国银行.
func TestSearchOpensTheUniverseFromATestServer(t *testing.T) {
	srv := universeServer(t)
	em := eastmoney.New(eastmoney.Config{Push2URL: srv.URL, HTTP: httpx.New(httpx.Options{Timeout: 5 * time.Second})})
	mp := feeds.NewMarketPoller(feeds.MarketConfig{Universe: em, PageGap: time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	u, err := mp.FetchUniverse(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Symbols) != 5 {
		t.Fatalf("universe %v", u.Symbols)
	}
	msg := marketMsg(feeds.MarketUpdate{Universe: &u})
	for _, q := range []string{"茅台", "gzmt", "600519", "yh"} {
		m := ui.New(ui.Deps{Snapshot: model.NewSnapshot(), NoColor: true, Now: func() time.Time { return time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST) }})
		drive(m, tea.WindowSizeMsg{Width: 120, Height: 40}, 0)
		drive(m, msg, 0)
		drive(m, tea.KeyPressMsg{Code: '/', Text: "/"}, 0)
		for _, r := range q {
			drive(m, tea.KeyPressMsg{Code: r, Text: string(r)}, 0)
		}
		if q == "yh" {
			if s := ansi.Strip(m.View().Content); !strings.Contains(s, "601988") || !strings.Contains(s, "中国银行") {
				t.Errorf("yh does not list 中国银行:\n%s", s)
			}
			continue
		}
		drive(m, tea.KeyPressMsg{Code: tea.KeyEnter}, 0)
		s := ansi.Strip(m.View().Content)
		if head := strings.SplitN(s, "\n", 2)[0]; !strings.Contains(head, "600519") || !strings.Contains(s, "贵州茅台") {
			t.Errorf("%s did not open 贵州茅台:\n%s", q, s)
		}
	}
}
