package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/ui/widgets"
)

// fixtureModelIn is the fixture market with its labels in l, reviewed
// offline at its own date with offline.
func fixtureModelIn(l i18n.Lang, offline bool) *Model {
	return fixtureModelWith(false, func(d *Deps) {
		d.Lang, d.Offline = l, offline
		d.AsOf = model.Day(fixtureNow)
	})
}

// The frame, help, feed health and command line in Chinese, at the two
// sizes the goldens cover: Chinese labels, none of the English ones, and
// every line within the width (CJK labels are two cells a character).
func TestRootScreensInChinese(t *testing.T) {
	cases := []struct {
		name    string
		offline bool
		keys    []string
		want    []string
		not     []string
	}{
		{"dashboard", false, nil, []string{"2026-01-09 周五", "A股 交易中 10:31:05", "港股 交易中", "○ sina 备用", "eastmoney 2秒"}, []string{"standby", " Fri", "CST", " open "}},
		{"help", false, []string{"?"}, []string{"› 帮助", "按键", "全局", "搜索证券", "命令行", "退出", "总览", "下一面板"}, []string{"Keys", "Everywhere", "search symbols", "next panel"}},
		{"health", false, []string{"F"}, []string{"› 数据源", "行情 来自 eastmoney", "类别", "上次成功", "2秒前", "从未", "稀土价格", "备用", "120毫秒"}, []string{"Feed health", "never", " ago", "standby", "kind"}},
		{"bad command", false, []string{":", "f", "l", "y", "enter"}, []string{"未知命令 :fly — :add 代码"}, []string{"unknown command"}},
		{"offline", true, nil, []string{"离线 · 截至 2026-01-09 周五"}, []string{"OFFLINE", "AS OF"}},
	}
	for _, c := range cases {
		for _, sz := range [][2]int{{80, 24}, {160, 48}} {
			t.Run(fmt.Sprintf("%s/%dx%d", c.name, sz[0], sz[1]), func(t *testing.T) {
				m := sized(fixtureModelIn(i18n.ZH, c.offline), sz[0], sz[1])
				press(m, c.keys...)
				s := screenText(m)
				checkFits(t, c.name, s, sz[0], sz[1])
				for _, w := range c.want {
					if !strings.Contains(s, w) {
						t.Errorf("%q missing:\n%s", w, s)
					}
				}
				for _, w := range c.not {
					if strings.Contains(s, w) {
						t.Errorf("English %q left:\n%s", w, s)
					}
				}
			})
		}
	}
}

// The health table's columns line up by display width in Chinese: each
// row's state starts under the state heading.
func TestHealthColumnsAlignInChinese(t *testing.T) {
	m := sized(fixtureModelIn(i18n.ZH, false), 160, 48)
	press(m, "F")
	var head, row string
	for _, l := range strings.Split(screenText(m), "\n") {
		switch {
		case strings.Contains(l, "状态"):
			head = l
		case strings.HasPrefix(l, "  sina"):
			row = l
		}
	}
	col := func(l, sub string) int { return widgets.Width(l[:strings.Index(l, sub)]) }
	if head == "" || row == "" || col(head, "状态") != col(row, "备用") || col(head, "上次成功") != col(row, "从未") {
		t.Errorf("columns out of line:\n%s\n%s", head, row)
	}
}

// An error from the catalogue reaches the status bar in Chinese: a
// watchlist change the config could not save, and a bad [keys] entry.
func TestErrorsInChinese(t *testing.T) {
	m := New(Deps{
		Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, NoColor: true, Lang: i18n.ZH,
		Now:           func() time.Time { return fixtureNow },
		SaveWatchlist: func([]string) error { return errors.New("disk full") },
		Keys:          []KeyBinding{{Action: "quit", Keys: []string{"x"}}, {Action: "help", Keys: []string{"x"}}},
	})
	sized(m, 160, 48)
	if got := m.notice.Text; !m.notice.Error || got != `[keys] help: 按键 "x" 已绑定到 quit: 已改用默认按键` {
		t.Errorf("keys notice %q", got)
	}
	press(m, ":", "a", "d", "d", "space", "6", "0", "0", "3", "9", "2", "enter")
	if got := m.notice.Text; !m.notice.Error || got != "已加入 600392, 但保存到配置文件失败: disk full" {
		t.Errorf("save failure %q", got)
	}
	if s := screenText(m); !strings.Contains(s, "已加入 600392") {
		t.Errorf("not on screen:\n%s", s)
	}
	// English says the same as before.
	m = New(Deps{Snapshot: fixtureSnapshot(), Watchlist: fixtureWatch, NoColor: true,
		Now:           func() time.Time { return fixtureNow },
		SaveWatchlist: func([]string) error { return errors.New("disk full") }})
	sized(m, 160, 48)
	press(m, ":", "a", "d", "d", "space", "6", "0", "0", "3", "9", "2", "enter")
	if got := m.notice.Text; got != "added 600392, but saving the config failed: disk full" {
		t.Errorf("English save failure %q", got)
	}
}
