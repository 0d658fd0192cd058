package store

import (
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

func TestNoticesRoundTripNewestFirstAndAsOf(t *testing.T) {
	db := newDB(t)
	mk := func(id string, d time.Time, codes ...string) model.Notice {
		return model.Notice{ID: id, Codes: codes, Title: "北方稀土:公告 " + id, Date: d, Posted: d.Add(-6 * time.Hour),
			Category: "其他", Link: "https://data.eastmoney.com/notices/detail/600111/" + id + ".html", Source: "eastmoney"}
	}
	d1, d2, d3 := model.Date(2026, 1, 10), model.Date(2026, 4, 9), model.Date(2026, 7, 9)
	b := model.Batch{Notices: []model.Notice{
		mk("AN202601091820417356", d1, "600111"),
		mk("AN202604091820417356", d2, "600111", "600010"),
		mk("AN202607091820417356", d3, "600111"),
		// Two notices on one day both stay.
		mk("AN202607091820417399", d3, "600111"),
	}}
	if err := db.Append(b); err != nil {
		t.Fatal(err)
	}
	all, err := db.Notices("600111", time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, n := range all {
		ids = append(ids, n.ID)
	}
	want := "AN202607091820417399 AN202607091820417356 AN202604091820417356 AN202601091820417356"
	if got := strings.Join(ids, " "); got != want {
		t.Fatalf("600111 notices = %s, want %s", got, want)
	}
	if !same(all[2], b.Notices[1]) {
		t.Errorf("round trip: got %+v, want %+v", all[2], b.Notices[1])
	}
	asOf, _ := db.Notices("600111", model.Date(2026, 5, 1), 0)
	if len(asOf) != 2 || asOf[0].ID != "AN202604091820417356" {
		t.Errorf("as of 2026-05-01: %+v", asOf)
	}
	one, _ := db.Notices("600111", time.Time{}, 1)
	if len(one) != 1 {
		t.Errorf("n=1 gave %d", len(one))
	}
	other, _ := db.Notices("600010", time.Time{}, 0)
	if len(other) != 1 || other[0].ID != "AN202604091820417356" {
		t.Errorf("600010: %+v", other)
	}
	if none, _ := db.Notices("60011", time.Time{}, 0); len(none) != 0 {
		t.Errorf("a code that is a prefix of another matched: %+v", none)
	}
}

func TestConcentratesRoundTrip(t *testing.T) {
	db := newDB(t)
	n := model.Notice{ID: "AN202601091820417356", Codes: []string{"600111"}, Title: "北方稀土:关于2026年第一季度稀土精矿交易价格的公告",
		Date: model.Date(2026, 1, 10), Source: "eastmoney"}
	c := model.ConcentrateNotice{Notice: n, Quarter: model.Quarter{Year: 2026, Q: 1}, Parsed: true, Price: 26834, BasisREO: 50, Step: 536.68,
		Text: strings.Repeat("稀土精矿", 20000)} // longer than kept
	u := model.ConcentrateNotice{Notice: n, Quarter: model.Quarter{Year: 2025, Q: 4}, Reason: "no REO basis in the sentence", Proposed: true}
	u.Notice.ID = "AN202510091820417356"
	if err := db.Append(model.Batch{Concentrates: []model.ConcentrateNotice{c, u}}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Concentrates()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Quarter != u.Quarter || got[1].Quarter != c.Quarter {
		t.Fatalf("order: %+v", got)
	}
	if len(got[1].Text) > model.MaxNoticeText || !strings.HasPrefix(c.Text, got[1].Text) || !strings.HasSuffix(got[1].Text, "矿") {
		t.Errorf("text kept %d bytes, not cut at a rune boundary within %d", len(got[1].Text), model.MaxNoticeText)
	}
	if text, ok, err := db.NoticeText(c.Notice.ID); err != nil || !ok || text != got[1].Text {
		t.Errorf("NoticeText = %d bytes %v %v", len(text), ok, err)
	}
	if _, ok, _ := db.NoticeText(u.Notice.ID); ok {
		t.Error("a notice kept without text has a text")
	}
	got[1].Text = c.Text
	if !same(got[1], c) || !same(got[0], u) {
		t.Errorf("round trip:\n%+v\n%+v", got, []model.ConcentrateNotice{u, c})
	}
}
