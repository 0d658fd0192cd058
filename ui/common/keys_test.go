package common

import (
	"strings"
	"testing"

	"github.com/rareterm/rareterm/i18n"
)

func TestDefaultKeysDoNotClash(t *testing.T) {
	if err := DefaultKeyMap(i18n.EN).Remap(nil); err != nil {
		t.Fatal(err)
	}
}

func TestRemap(t *testing.T) {
	k := DefaultKeyMap(i18n.EN)
	if err := k.Remap([]Binding{{Action: "range", Keys: []string{"a1", "a2", "a3", "a4", "a5", "a6"}}, {Action: "add", Keys: []string{"+"}}}); err != nil {
		t.Fatal(err)
	}
	if k.RangeIndex("a3") != 2 || k.RangeIndex("3") != -1 {
		t.Errorf("range keys: a3 → %d, 3 → %d", k.RangeIndex("a3"), k.RangeIndex("3"))
	}
	if h := k.Add.Help(); h.Key != "+" || h.Desc != "add ticker to watchlist" {
		t.Errorf("add help %+v", h)
	}
	err := DefaultKeyMap(i18n.EN).Remap([]Binding{{Action: "quit", Keys: []string{"x"}}, {Action: "help", Keys: []string{"x"}}})
	if ke, ok := err.(*KeyError); !ok || ke.Action != "help" || ke.Key != "x" || !strings.Contains(ke.Msg, "also bound to quit") {
		t.Errorf("clash: %v", err)
	}
	if err := DefaultKeyMap(i18n.EN).Remap([]Binding{{Action: "fly", Keys: []string{"x"}}}); err == nil || !strings.Contains(err.Error(), "unknown action") {
		t.Errorf("unknown action: %v", err)
	}
}

// The help lines are in the chosen language, a remap keeps them in it, and
// a bad [keys] entry says itself in Chinese.
func TestKeyMapInChinese(t *testing.T) {
	k := DefaultKeyMap(i18n.ZH)
	if h := k.Add.Help(); h.Key != "a" || h.Desc != "加入自选" {
		t.Errorf("add help %+v", h)
	}
	if err := k.Remap([]Binding{{Action: "add", Keys: []string{"+"}}}); err != nil {
		t.Fatal(err)
	}
	if h := k.Add.Help(); h.Key != "+" || h.Desc != "加入自选" {
		t.Errorf("remapped add help %+v", h)
	}
	err := DefaultKeyMap(i18n.ZH).Remap([]Binding{{Action: "quit", Keys: []string{"x"}}, {Action: "help", Keys: []string{"x"}}})
	if got := i18n.Say(i18n.ZH, err); got != `help: 按键 "x" 已绑定到 quit` {
		t.Errorf("clash in Chinese: %q", got)
	}
	if got := err.Error(); got != `help: key "x" is also bound to quit` {
		t.Errorf("clash in English: %q", got)
	}
}
