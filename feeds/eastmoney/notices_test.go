package eastmoney

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/rareterm/rareterm/model"
)

func TestParseNoticeList(t *testing.T) {
	p, err := ParseNoticeList(fixture(t, "ann_list.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 2 || p.Total != 61 || len(p.Dropped) != 0 {
		t.Fatalf("rows %d total %d dropped %v", len(p.Rows), p.Total, p.Dropped)
	}
	n := p.Rows[0]
	if n.ID != "AN202601091820417356" || n.Title != "北方稀土:关于2026年第一季度稀土精矿交易价格的公告" ||
		!n.Date.Equal(model.Date(2026, 1, 10)) || n.Posted.Format("2006-01-02 15:04:05") != "2026-01-09 17:38:45" ||
		len(n.Codes) != 1 || n.Codes[0] != "600111" || n.Category != "日常关联交易" ||
		n.Link != "https://data.eastmoney.com/notices/detail/600111/AN202601091820417356.html" || n.Source != Source {
		t.Errorf("first notice: %+v", n)
	}
	if q, ok := ConcentrateQuarter(n.Title); !ok || q != (model.Quarter{Year: 2026, Q: 1}) {
		t.Errorf("ConcentrateQuarter = %v %v", q, ok)
	}
	if _, ok := ConcentrateQuarter(p.Rows[1].Title); ok {
		t.Error("a guarantee notice recognised as a concentrate notice")
	}
}

func TestParseNoticeListFaults(t *testing.T) {
	for name, body := range map[string]string{
		"failure":   `{"data":null,"error":"busy","success":0}`,
		"html":      `<html><body>502</body></html>`,
		"truncated": `{"data":{"list":[{"art_code":"AN2026`,
	} {
		if _, err := ParseNoticeList([]byte(body)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	p, err := ParseNoticeList([]byte(`{"data":{"list":[{"art_code":"x","title":"t","notice_date":"2026-01-10 00:00:00"},` +
		`{"art_code":"AN202601091820417356","title":"\u001b]52;c;aGk=\u0007北方稀土:公告","notice_date":"2026-01-10 00:00:00"},` +
		`{"art_code":"AN202601091820417357","title":"t","notice_date":"soon"}],"total_hits":3},"error":"","success":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 1 || len(p.Dropped) != 2 {
		t.Fatalf("rows %+v dropped %v", p.Rows, p.Dropped)
	}
	if strings.ContainsAny(p.Rows[0].Title, "\x1b\x07") {
		t.Errorf("escape sequence kept in title %q", p.Rows[0].Title)
	}
}

func TestParseConcentrate(t *testing.T) {
	title := "北方稀土:关于2026年第一季度稀土精矿交易价格的公告"
	text, pages, err := ParseNoticeContent(fixture(t, "ann_content.json"))
	if err != nil || pages != 1 {
		t.Fatalf("content: pages %d err %v", pages, err)
	}
	c := ParseConcentrate(model.Notice{Title: title, Date: model.Date(2026, 1, 10)}, text)
	if !c.Parsed || c.Quarter != (model.Quarter{Year: 2026, Q: 1}) || c.Price != 26834 || c.BasisREO != 50 || c.Step != 536.68 || c.Proposed {
		t.Errorf("2026Q1: %+v", c)
	}
	if cq := c.Contract(); cq.Price != 26834 || !strings.Contains(cq.Source, title) || !strings.Contains(cq.Source, "2026-01-10") {
		t.Errorf("contract row %+v", cq)
	}

	cases := []struct {
		name, title, text string
		ok                bool
		price, basis      float64
		step              float64
		proposed          bool
	}{
		{"2025Q4 half-width", "北方稀土:关于2025年第四季度稀土精矿交易价格的公告",
			"2025年第四季度稀土精矿交易价格调整为不含税26205元/吨(干量,REO=50%),REO每增减1%、不含税价格增减524.10元/吨。", true, 26205, 50, 524.10, false},
		{"600010 proposal with PDF spaces", "包钢股份:包钢股份关于2024年第二季度稀土精矿关联交易价格调整的提示性公告",
			"公司拟将 2024 年第二季度稀土精矿关联交易价格调整为不含税 16792 元/吨(干量, REO=50%)", true, 16792, 50, 16792.0 / 50, true},
		{"title only", "北方稀土:关于2026年第二季度稀土精矿交易价格的公告", "特此公告。", false, 0, 0, 0, false},
		{"other quarter's price", "北方稀土:关于2026年第二季度稀土精矿交易价格的公告",
			"根据2026年第一季度稀土精矿交易价格不含税26,834元/吨（干量，REO=50%）……", false, 0, 0, 0, false},
		{"step contradicts", "北方稀土:关于2026年第一季度稀土精矿交易价格的公告",
			"2026年第一季度稀土精矿交易价格调整为不含税26,834元/吨（干量，REO=50%），REO每增减1%、不含税价格增减600.00元/吨。", false, 0, 0, 0, false},
		{"no basis", "北方稀土:关于2026年第一季度稀土精矿交易价格的公告",
			"2026年第一季度稀土精矿交易价格调整为不含税26,834元/吨。", false, 0, 0, 0, false},
		{"not a price notice", "北方稀土:关于为子公司提供担保的进展公告", "不含税26,834元/吨（REO=50%）", false, 0, 0, 0, false},
	}
	for _, tc := range cases {
		c := ParseConcentrate(model.Notice{Title: tc.title}, tc.text)
		if c.Parsed != tc.ok {
			t.Errorf("%s: parsed %v (%s), want %v", tc.name, c.Parsed, c.Reason, tc.ok)
			continue
		}
		if !tc.ok {
			if c.Reason == "" || c.Price != 0 {
				t.Errorf("%s: unparsed notice must say why and carry no price: %+v", tc.name, c)
			}
			continue
		}
		if c.Price != tc.price || c.BasisREO != tc.basis || c.Step != tc.step || c.Proposed != tc.proposed {
			t.Errorf("%s: %+v", tc.name, c)
		}
	}
}

func TestClientNotices(t *testing.T) {
	f, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/ann/api/security/ann"):
			w.Write(fixture(t, "ann_list.json"))
		case r.URL.Path == "/txt/api/content/ann" && r.URL.Query().Get("page_index") == "1":
			w.Write(fixture(t, "ann_content_600010_p1.json"))
		case r.URL.Path == "/txt/api/content/ann":
			w.Write(fixture(t, "ann_content_600010_p2.json"))
		default:
			http.NotFound(w, r)
		}
	})
	c.cfg.AnoticeURL, c.cfg.CnoticeURL = f.srv.URL+"/ann", f.srv.URL+"/txt"
	p, err := c.NoticePage(context.Background(), []string{"600111", "600010"}, model.Date(2026, 1, 1), model.Date(2026, 3, 31), 1, 50)
	if err != nil || len(p.Rows) != 2 {
		t.Fatalf("Notices: %v %+v", err, p)
	}
	q := f.requests()[0].Query()
	if q.Get("stock_list") != "600111,600010" || q.Get("sr") != "-1" || q.Get("page_size") != "50" || q.Get("ann_type") != "A" {
		t.Errorf("list query %v", q)
	}
	if q.Get("begin_time") != "2026-01-01" || q.Get("end_time") != "2026-03-31" {
		t.Errorf("date window %v", q)
	}
	text, err := c.NoticeText(context.Background(), "AN202404091630000001")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "16792") || !strings.Contains(text, "2024年4月10日") {
		t.Errorf("both pages should be joined: %q", text)
	}
	if n := len(f.requests()); n != 3 {
		t.Errorf("%d requests, want 1 list + 2 text pages", n)
	}
}

func FuzzParseNotices(f *testing.F) {
	seed(f, append([]string{"ann_list.json", "ann_content.json", "ann_content_600010_p1.json"}, fuzzCommon...)...)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, _ := ParseNoticeList(b)
		for _, n := range p.Rows {
			if n.ID == "" || n.Title == "" || n.Date.IsZero() {
				t.Fatalf("accepted notice %+v", n)
			}
		}
		text, _, _ := ParseNoticeContent(b)
		c := ParseConcentrate(model.Notice{Title: "关于2026年第一季度稀土精矿交易价格的公告"}, string(b)+text)
		if c.Parsed && (!(c.Price > 0) || !(c.BasisREO > 0) || !(c.Step > 0)) {
			t.Fatalf("parsed a bad notice %+v", c)
		}
	})
}
