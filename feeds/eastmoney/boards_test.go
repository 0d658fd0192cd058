package eastmoney

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

func TestBoardsUlist(t *testing.T) {
	f, c := newFake(t, file(t, "ulist_boards.json"))
	bs, err := c.Boards(context.Background(), []string{"BK0578", "1027", "BK0479", "nonsense"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if len(reqs) != 1 || reqs[0].Path != "/api/qt/ulist.np/get" || reqs[0].Query().Get("secids") != "90.BK0578,90.BK1027,90.BK0479" {
		t.Fatalf("requests %v", reqs)
	}
	if !strings.Contains(reqs[0].Query().Get("fields"), "f128") {
		t.Errorf("fields %q", reqs[0].Query().Get("fields"))
	}
	if len(bs) != 3 {
		t.Fatalf("%d boards", len(bs))
	}
	b := bs[0]
	if b.Code != "BK0578" || b.Name != "稀土永磁" || b.Leader != "中科三环" || b.LeaderCode != "000970" ||
		b.Up != 142 || b.Down != 21 || b.Flat != 3 || b.LimitUp != -1 || b.Source != "eastmoney" ||
		!b.Time.Equal(time.Unix(1767946441, 0)) {
		t.Fatalf("BK0578 %+v", b)
	}
	eq(t, "change", b.ChangePct, 2.84)
	eq(t, "main net", b.MainNet, 1523456789)
	eq(t, "leader pct", b.LeaderPct, 10.02)
	eq(t, "level", b.Level, 2187.35)
	eq(t, "BK0479 change", bs[2].ChangePct, -0.42)
	if d := f.dropped(); len(d) != 1 || !strings.Contains(d[0], "nonsense") {
		t.Errorf("dropped %v", d)
	}
}

func TestBoardsClistPaging(t *testing.T) {
	f, c := newFakeCfg(t, Config{BoardsViaClist: true}, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.URL.Path != "/api/qt/clist/get" || q.Get("pz") != "100" {
			http.Error(w, "bad request", 400)
			return
		}
		switch q.Get("fs") + " p" + q.Get("pn") {
		case "m:90 t:3 f:!50 p1":
			file(t, "clist_concept_p1.json")(w, r)
		case "m:90 t:3 f:!50 p2":
			file(t, "clist_concept_p2.json")(w, r)
		case "m:90 t:2 f:!50 p1":
			file(t, "clist_industry.json")(w, r)
		default:
			http.Error(w, "no such page", 404)
		}
	})
	bs, err := c.Boards(context.Background(), []string{"BK0578", "BK0478"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.requests()); n != 3 {
		t.Fatalf("%d requests, want concept p1, p2 and industry p1", n)
	}
	if len(bs) != 2 || bs[0].Code != "BK0578" || bs[1].Code != "BK0478" {
		t.Fatalf("boards %+v", bs)
	}
	b := bs[0]
	eq(t, "BK0578 change", b.ChangePct, 2.84)
	eq(t, "BK0578 main net", b.MainNet, 1523456789)
	if b.Up != 142 || b.Down != 21 || b.Flat != 3 || b.Leader != "中科三环" || b.LeaderCode != "000970" {
		t.Errorf("BK0578 %+v", b)
	}
	eq(t, "BK0578 leader pct", b.LeaderPct, 10.02)
	eq(t, "BK0478 change", bs[1].ChangePct, 1.91)
	d := f.dropped()
	if len(d) != 2 || !strings.Contains(d[0], "BK0999") || !strings.Contains(d[1], "bad board code") {
		t.Errorf("dropped %v", d)
	}

	// Found on the first concept page: nothing more is fetched.
	f.reqs = nil
	if bs, err := c.Boards(context.Background(), []string{"BK0900"}); err != nil || len(bs) != 1 || len(f.requests()) != 1 {
		t.Fatalf("early stop: %v %v, %d requests", bs, err, len(f.requests()))
	}
	// Never found: each list is paged to its total, no further.
	f.reqs = nil
	if bs, err := c.Boards(context.Background(), []string{"BK0001"}); err != nil || len(bs) != 0 || len(f.requests()) != 3 {
		t.Fatalf("missing board: %v %v, %d requests", bs, err, len(f.requests()))
	}
}

func TestBoardsClistPageCap(t *testing.T) {
	f, c := newFakeCfg(t, Config{BoardsViaClist: true}, file(t, "clist_concept_p1.json"))
	// Every page claims 5,000 boards and never holds the one asked for.
	f.handle = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, strings.Replace(string(fixture(t, "clist_concept_p1.json")), `"total":150`, `"total":5000`, 1))
	}
	if _, err := c.Boards(context.Background(), []string{"BK0001"}); err != nil {
		t.Fatal(err)
	}
	if n := len(f.requests()); n != boardsMaxPages {
		t.Fatalf("%d requests, want the cap of %d", n, boardsMaxPages)
	}
}

func TestBoardsFundFlowList(t *testing.T) {
	// The industry fund-flow ranking has no breadth or leader fields: they stay empty.
	p, err := ParseBoards(fixture(t, "clist_fundflow.json"))
	if err != nil || len(p.Rows) != 1 {
		t.Fatalf("%v %v", p, err)
	}
	b := p.Rows[0]
	if b.Code != "BK1027" || b.Name != "小金属" || b.Leader != "" || b.Up != 0 {
		t.Errorf("%+v", b)
	}
	eq(t, "main net", b.MainNet, 1509017136)
	eq(t, "leader pct", b.LeaderPct, model.Unknown)
}

func TestConstituents(t *testing.T) {
	f, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("fs") != "b:BK0578 f:!50" {
			http.Error(w, "bad fs", 400)
			return
		}
		if q.Get("pn") == "1" {
			file(t, "clist_constituents.json")(w, r)
			return
		}
		fmt.Fprint(w, `{"rc":0,"data":{"total":176,"diff":[{"f2":"-","f12":"600259","f13":1,"f14":"广晟有色","f18":30.1}]}}`)
	})
	qs, err := c.Constituents(context.Background(), "578")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.requests()); n != 2 {
		t.Fatalf("%d requests for 176 members at 100 a page", n)
	}
	if len(qs) != 2 || qs[0].Symbol != "600111" || qs[1].Symbol != "000970" {
		t.Fatalf("members %+v", qs)
	}
	eq(t, "600111 last", qs[0].Last, 49.41)
	eq(t, "600111 volume", qs[0].Volume, 98765400)
	eq(t, "600111 PE", qs[0].PE, 95.4)
	eq(t, "000970 last", qs[1].Last, 28.9)
	eq(t, "000970 prev", qs[1].PrevClose, 26.27)
	if d := f.dropped(); len(d) != 1 || !strings.Contains(d[0], "600259") {
		t.Errorf("dropped %v", d)
	}
	if _, err := c.Constituents(context.Background(), "x"); err == nil {
		t.Error("bad board: want an error")
	}
}
