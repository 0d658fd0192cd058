//go:build rareterm_faultinject

package main

import (
	"os"
	"sync"

	tea "charm.land/bubbletea/v2"
)

// Built only with -tags rareterm_faultinject (the fault tests' binary):
// RARETERM_TEST_PANIC=update|view|cmd|poller|collect makes that place panic
// once the key "!" has been pressed (collect: once the first batch is
// written), to prove that a panic restores the terminal and leaves a crash
// log. Release builds have no such hook.
func init() {
	want := os.Getenv("RARETERM_TEST_PANIC")
	if want == "" {
		return
	}
	var once sync.Once
	armed := make(chan struct{})
	injectPanic = func(where string, msg tea.Msg) {
		if k, ok := msg.(tea.KeyPressMsg); ok && k.Text == "!" {
			once.Do(func() { close(armed) })
		}
		if where != want {
			return
		}
		switch where {
		case "poller", "collect":
			<-armed
		default:
			select {
			case <-armed:
			default:
				return
			}
		}
		panic("injected panic in " + where + " (RARETERM_TEST_PANIC)")
	}
	collectArm = func() { once.Do(func() { close(armed) }) }
}
