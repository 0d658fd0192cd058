package store

import (
	"errors"
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

func TestLiveDatabaseRefusesDemoData(t *testing.T) {
	dir := t.TempDir()
	live := openAt(t, dir+"/live.db", Options{NoReference: true})
	demo := openAt(t, dir+"/demo.db", Options{NoReference: true, Mode: ModeDemo})
	day := model.Date(2026, 1, 9)
	b := model.Batch{Elements: []model.ElementPrice{{Element: model.PrNdOxide, Date: day, Price: 600000, Low: model.Unknown, High: model.Unknown, Source: model.DemoSource}}}
	if err := live.Append(b); !errors.Is(err, ErrDemoData) || !strings.Contains(err.Error(), "PrNd") && !strings.Contains(err.Error(), string(model.PrNdOxide)) {
		t.Errorf("live Append of demo rows: %v", err)
	}
	if _, err := live.Import(b); !errors.Is(err, ErrDemoData) {
		t.Errorf("live Import of demo rows: %v", err)
	}
	if err := demo.Append(b); err != nil {
		t.Errorf("the demo database takes its own rows: %v", err)
	}
	// Nothing of the refused batch was written.
	if s, _ := live.Snapshot(time.Time{}, nil, 0); len(s.Elements) != 0 {
		t.Errorf("live database holds %v", s.Elements)
	}
	b.Elements[0].Source = "SMM"
	if err := live.Append(b); err != nil {
		t.Errorf("a real row: %v", err)
	}
}

func TestManualPriceSurvivesFeeds(t *testing.T) {
	for _, mode := range []string{ModeLive, ModeDemo} {
		path := t.TempDir() + "/x.db"
		db, err := Open(path, Options{NoReference: true, Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		day := model.Date(2026, 1, 9)
		p := func(price float64, src string) model.Batch {
			return model.Batch{Elements: []model.ElementPrice{{Element: model.PrNdOxide, Date: day, Price: price, Low: model.Unknown, High: model.Unknown, Source: src}}}
		}
		feed := "SMM"
		if mode == ModeDemo {
			feed = model.DemoSource
		}
		for _, b := range []model.Batch{p(600000, feed), p(612000, model.ManualSource)} {
			if err := db.Append(b); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
		// A restart, and the feed sends that day's price again.
		db, err = Open(path, Options{NoReference: true, Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Append(p(605000, feed)); err != nil {
			t.Fatal(err)
		}
		s, _ := db.Snapshot(time.Time{}, nil, 0)
		got := s.Elements[model.PrNdOxide]
		if len(got) != 1 || got[0].Price != 612000 || got[0].Source != model.ManualSource {
			t.Errorf("%s: the feed replaced the manual price: %+v", mode, got)
		}
		// The user may correct their own price.
		db.Append(p(611000, model.ManualSource))
		s, _ = db.Snapshot(time.Time{}, nil, 0)
		if got := s.Elements[model.PrNdOxide]; got[0].Price != 611000 {
			t.Errorf("%s: a second manual price: %+v", mode, got)
		}
		db.Close()
	}
}

// On a past date with daily bars but no quote of that day, the day's bar
// stands for the quote, with the change from the bar before.
func TestSnapshotQuoteFromTheDailyBar(t *testing.T) {
	db := newDB(t)
	var b model.Batch
	for i, c := range []float64{10, 11, 12.1} {
		b.Bars = append(b.Bars, model.Bar{Symbol: "600111", Interval: model.Daily, Time: model.Date(2026, 1, 5+i), Open: c, High: c, Low: c, Close: c, Volume: 100, Amount: 1000, Source: "eastmoney"})
	}
	b.Quotes = []model.Quote{{Symbol: "600111", Name: "北方稀土", Time: time.Date(2026, 1, 5, 14, 0, 0, 0, model.CST), Last: 9.9, PrevClose: 9.5, Source: "eastmoney"}}
	if err := db.Append(b); err != nil {
		t.Fatal(err)
	}
	endOf := func(d time.Time) time.Time { return d.Add(24*time.Hour - time.Nanosecond) }
	s, err := db.Snapshot(endOf(model.Date(2026, 1, 6)), []string{"600111"}, 30)
	if err != nil {
		t.Fatal(err)
	}
	q := s.Quotes["600111"]
	if q.Last != 11 || q.PrevClose != 10 || !model.Day(q.Time).Equal(model.Date(2026, 1, 6)) || q.Name != "北方稀土" || !strings.Contains(q.Source, "daily bar") {
		t.Errorf("01-06 from its bar: %+v", q)
	}
	if pct := q.ChangePct(); pct < 9.99 || pct > 10.01 {
		t.Errorf("the day's change %v, want +10%%", pct)
	}
	// Midday of 01-07 the day's close is not known: 01-06's.
	s, _ = db.Snapshot(time.Date(2026, 1, 7, 11, 0, 0, 0, model.CST), []string{"600111"}, 30)
	if q := s.Quotes["600111"]; q.Last != 11 {
		t.Errorf("midday 01-07: %+v", q)
	}
	// A day whose own quote is cached keeps it.
	s, _ = db.Snapshot(time.Date(2026, 1, 5, 14, 30, 0, 0, model.CST), []string{"600111"}, 30)
	if q := s.Quotes["600111"]; q.Last != 9.9 {
		t.Errorf("01-05 14:30: %+v", q)
	}
}
