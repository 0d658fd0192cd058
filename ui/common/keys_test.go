package common

import (
	"strings"
	"testing"
)

func TestDefaultKeysDoNotClash(t *testing.T) {
	if err := DefaultKeyMap().Remap(nil); err != nil {
		t.Fatal(err)
	}
}

func TestRemap(t *testing.T) {
	k := DefaultKeyMap()
	if err := k.Remap([]Binding{{Action: "range", Keys: []string{"a1", "a2", "a3", "a4", "a5", "a6"}}, {Action: "add", Keys: []string{"+"}}}); err != nil {
		t.Fatal(err)
	}
	if k.RangeIndex("a3") != 2 || k.RangeIndex("3") != -1 {
		t.Errorf("range keys: a3 → %d, 3 → %d", k.RangeIndex("a3"), k.RangeIndex("3"))
	}
	if h := k.Add.Help(); h.Key != "+" || h.Desc != "add ticker to watchlist" {
		t.Errorf("add help %+v", h)
	}
	err := DefaultKeyMap().Remap([]Binding{{Action: "quit", Keys: []string{"x"}}, {Action: "help", Keys: []string{"x"}}})
	if ke, ok := err.(*KeyError); !ok || ke.Action != "help" || ke.Key != "x" || !strings.Contains(ke.Msg, "also bound to quit") {
		t.Errorf("clash: %v", err)
	}
	if err := DefaultKeyMap().Remap([]Binding{{Action: "fly", Keys: []string{"x"}}}); err == nil || !strings.Contains(err.Error(), "unknown action") {
		t.Errorf("unknown action: %v", err)
	}
}
