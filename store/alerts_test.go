package store

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

func TestFiredAlertsAreStoredWithTheirBatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	db := openAt(t, path, Options{})
	d1 := time.Date(2026, 12, 3, 10, 0, 0, 0, model.CST)
	d2 := d1.Add(24 * time.Hour)
	b := model.Batch{
		Quotes: []model.Quote{quote("600111", d1, 55.2)},
		Alerts: []model.AlertEvent{
			{At: d1, Rule: "600111 > 55", Title: "600111 北方稀土 price > 55.00", Body: "600111 price is 55.20\x1b[2J", Value: 55.2, Level: 55, Deliver: []string{"bell"}, Webhook: "http://x"},
			{At: d1, Rule: "contract new", Title: "contract", Body: "b", Value: 1, Level: model.Unknown},
		},
	}
	if err := db.Append(b); err != nil {
		t.Fatal(err)
	}
	// A batch of nothing but an alert (a feed failing) is stored too.
	if err := db.Append(model.Batch{Alerts: []model.AlertEvent{{At: d2, Rule: "feed:any down > 5", Title: "feed any failing 6 min", Value: 6, Level: 5}}}); err != nil {
		t.Fatal(err)
	}
	checkAndClose(t, db)
	db = openAt(t, path, Options{ReadOnly: true})
	all, err := db.Alerts(time.Time{}, time.Time{}, 0)
	if err != nil || len(all) != 3 {
		t.Fatalf("alerts %+v, %v", all, err)
	}
	if a := all[0]; !a.At.Equal(d1) || a.Rule != "600111 > 55" || a.Value != 55.2 || a.Level != 55 || a.Body != "600111 price is 55.20" || a.Webhook != "" || len(a.Deliver) != 1 {
		t.Errorf("first %+v", a)
	}
	if a := all[1]; a.Rule != "contract new" || model.Known(a.Level) {
		t.Errorf("second %+v", a)
	}
	day, err := db.Alerts(model.Day(d2), model.Day(d2).Add(24*time.Hour-1), 0)
	if err != nil || len(day) != 1 || day[0].Rule != "feed:any down > 5" {
		t.Errorf("the second day: %+v %v", day, err)
	}
	if last, _ := db.Alerts(time.Time{}, time.Time{}, 1); len(last) != 1 || last[0].Rule != "feed:any down > 5" {
		t.Errorf("newest 1: %+v", last)
	}
}
