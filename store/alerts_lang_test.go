package store

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// A fired alert's Chinese title and body are kept with it (sanitised), so
// the alerts view of a later run says it in Chinese too.
func TestFiredAlertsKeepTheirChineseText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	db := openAt(t, path, Options{})
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, model.CST)
	a := model.AlertEvent{At: at, Rule: "600111 limit_up", Title: "600111 北方稀土 at limit up", Body: "limit-up (涨停)",
		TitleZh: "600111 北方稀土 涨停", BodyZh: "涨停\x1b[2J", Value: 55, Level: model.Unknown}
	if err := db.Append(model.Batch{Alerts: []model.AlertEvent{a}}); err != nil {
		t.Fatal(err)
	}
	checkAndClose(t, db)
	db = openAt(t, path, Options{ReadOnly: true})
	all, err := db.Alerts(time.Time{}, time.Time{}, 0)
	if err != nil || len(all) != 1 {
		t.Fatalf("alerts %+v, %v", all, err)
	}
	if title, body := all[0].In(i18n.ZH); title != "600111 北方稀土 涨停" || body != "涨停" {
		t.Errorf("Chinese %q — %q", title, body)
	}
	if title, body := all[0].In(i18n.EN); title != a.Title || body != a.Body {
		t.Errorf("English %q — %q", title, body)
	}
}
