package main

import (
	"reflect"
	"runtime/debug"
	"sync"

	tea "charm.land/bubbletea/v2"
)

// injectPanic, when set (only in builds for the fault tests, see
// faultinject.go), may panic at the named place.
var injectPanic func(where string, msg tea.Msg)

// guard wraps the dashboard's model: a panic in Init, Update, View or any
// command they return is recovered, written to a crash log, and ends the
// program through bubbletea's normal shutdown, which restores the terminal
// (alt screen, raw mode, mouse, cursor). crash then holds what happened.
type guard struct {
	inner tea.Model
	last  tea.View // the last view drawn, kept on screen while quitting
	quit  func()   // asks the program to quit (set once it exists)

	mu    sync.Mutex
	crash *crashError
}

// crashMsg carries a panic recovered in a command to Update.
type crashMsg struct{ err *crashError }

func newGuard(m tea.Model) *guard { return &guard{inner: m} }

// crashed returns the first recovered panic, or nil.
func (g *guard) crashed() *crashError {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.crash
}

// record keeps the first panic; it reports whether it was the first.
func (g *guard) record(c *crashError) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.crash != nil {
		return false
	}
	g.crash = c
	return true
}

func (g *guard) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			g.record(newCrash("the screen's start", r, debug.Stack()))
			cmd = tea.Quit
		}
	}()
	return g.wrap(g.inner.Init())
}

func (g *guard) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	if c, ok := msg.(crashMsg); ok {
		g.record(c.err)
		return g, tea.Quit
	}
	if g.crashed() != nil {
		return g, nil // quitting: the model may be inconsistent
	}
	defer func() {
		if r := recover(); r != nil {
			g.record(newCrash("the screen's update", r, debug.Stack()))
			model, cmd = g, tea.Quit
		}
	}()
	if injectPanic != nil {
		injectPanic("update", msg)
	}
	m, c := g.inner.Update(msg)
	g.inner = m
	if k, ok := msg.(tea.KeyPressMsg); ok && injectPanic != nil && k.Text == "!" {
		c = tea.Batch(c, func() tea.Msg { injectPanic("cmd", msg); return nil })
	}
	return g, g.wrap(c)
}

func (g *guard) View() (v tea.View) {
	if g.crashed() != nil {
		return g.last
	}
	defer func() {
		if r := recover(); r != nil {
			if g.record(newCrash("the screen's view", r, debug.Stack())) && g.quit != nil {
				go g.quit()
			}
			v = g.last
		}
	}()
	if injectPanic != nil {
		injectPanic("view", nil)
	}
	v = g.inner.View()
	g.last = v
	return v
}

var cmdType = reflect.TypeOf(tea.Cmd(nil))

// wrap makes a command recover its panics into a crashMsg. The commands of
// a batch or a sequence it returns are wrapped in turn, since bubbletea runs
// them in goroutines of its own.
func (g *guard) wrap(c tea.Cmd) tea.Cmd {
	if c == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = crashMsg{newCrash("a screen command", r, debug.Stack())}
			}
		}()
		return g.wrapMsg(c())
	}
}

// wrapMsg wraps the commands inside tea.BatchMsg and tea.Sequence's
// (unexported) message, both slices of tea.Cmd.
func (g *guard) wrapMsg(msg tea.Msg) tea.Msg {
	if msg == nil {
		return nil
	}
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != cmdType {
		return msg
	}
	out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
	for i := 0; i < v.Len(); i++ {
		if c, ok := v.Index(i).Interface().(tea.Cmd); ok && c != nil {
			out.Index(i).Set(reflect.ValueOf(g.wrap(c)))
		}
	}
	return out.Interface()
}
