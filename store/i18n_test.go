package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// Demo figures refused by the live database: the error in Chinese, still
// ErrDemoData.
func TestDemoRefusedInChinese(t *testing.T) {
	live := openAt(t, filepath.Join(t.TempDir(), "live.db"), Options{NoReference: true})
	day := model.Date(2026, 1, 9)
	b := model.Batch{Elements: []model.ElementPrice{{Element: model.PrNdOxide, Date: day, Price: 600000, Low: model.Unknown, High: model.Unknown, Source: model.DemoSource}}}
	_, err := live.Import(b)
	if !errors.Is(err, ErrDemoData) {
		t.Fatalf("%v is not ErrDemoData", err)
	}
	want := "导入数据库: 拒收演示数据: prnd_oxide 2026-01-09 稀土价格 的来源为 \"" + model.DemoSource + "\": 实盘数据库不收模拟数据"
	if got := i18n.Say(i18n.ZH, err); got != want {
		t.Errorf("Chinese:\n%q\nwant\n%q", got, want)
	}
	want = "store: import: demo data refused: element price prnd_oxide 2026-01-09 has source \"" + model.DemoSource + "\": the live database takes no simulated data"
	if got := err.Error(); got != want {
		t.Errorf("English:\n%q\nwant\n%q", got, want)
	}
}

// A file that is not a database, moved aside: the notice in Chinese.
func TestMovedAsideInChinese(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	os.WriteFile(path, []byte(strings.Repeat("not a database ", 2000)), 0o600)
	db, msg, err := OpenOrMoveAside(path, Options{NoReference: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	moved, _ := filepath.Glob(path + DamagedSuffix + "*")
	if len(moved) != 1 || msg == nil {
		t.Fatalf("moved %v, message %v", moved, msg)
	}
	want := "不是 rareterm 数据库: " + path + "（没有 bbolt 文件头）；已将该文件移到 " + moved[0] + "，并新建了数据库"
	if got := msg.In(i18n.ZH); got != want {
		t.Errorf("Chinese:\n%q\nwant\n%q", got, want)
	}
	if got := msg.Error(); !strings.HasPrefix(got, "not a rareterm database: "+path) || !strings.HasSuffix(got, "; moved it aside to "+moved[0]+" and started a new database") {
		t.Errorf("English: %q", got)
	}
}
