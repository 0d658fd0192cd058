package feeds

import (
	"fmt"
	"runtime/debug"
)

// PanicError is a panic recovered in one of the poller's goroutines (a
// provider, the store write, the poller's own code). It becomes the failure
// of that feed, or of the store, and is retried like any failure.
type PanicError struct {
	Where string // "eastmoney quotes", "store write", "poller boards" …
	Value any    // what was passed to panic
	Stack []byte // the goroutine's stack where it was recovered
}

func (e *PanicError) Error() string { return fmt.Sprintf("internal error: %v", e.Value) }

// recovered reports a recovered panic (the log, then OnPanic with its
// stack) and returns it as an error. It never panics itself.
func (p *Poller) recovered(where string, v any) error {
	e := &PanicError{Where: where, Value: v, Stack: debug.Stack()}
	func() {
		defer func() { _ = recover() }()
		p.cfg.Logf("panic in %s (recovered): %v", where, v)
	}()
	if p.cfg.OnPanic != nil {
		func() {
			defer func() { _ = recover() }()
			p.cfg.OnPanic(where, v, e.Stack)
		}()
	}
	return e
}

// protect runs f; a panic in it becomes the returned error.
func (p *Poller) protect(where string, f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = p.recovered(where, v)
		}
	}()
	return f()
}

// call runs a provider's request; a panic in it becomes the returned error,
// so that it counts as that feed's failure.
func call[T any](p *Poller, where string, f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero T
			v, err = zero, p.recovered(where, r)
		}
	}()
	return f()
}
