package httpx

import (
	"math/rand/v2"
	"time"
)

// Backoff parameters.
const (
	BackoffBase = time.Second
	BackoffCap  = 5 * time.Minute
)

// Backoff returns how long to wait before retry number attempt (0 for the
// first retry): exponential with full jitter, rnd() × min(cap, base × 2^attempt)
// with base 1 s and cap 5 min, and never less than retryAfter (the server's
// Retry-After wins over the cap). rnd returns values in [0, 1); nil uses
// math/rand/v2.
func Backoff(attempt int, retryAfter time.Duration, rnd func() float64) time.Duration {
	if rnd == nil {
		rnd = rand.Float64
	}
	if attempt < 0 {
		attempt = 0
	}
	ceil := BackoffCap
	if attempt < 20 { // 2^20 s is far past the cap
		if d := BackoffBase << attempt; d < ceil {
			ceil = d
		}
	}
	f := rnd()
	if !(f >= 0) { // NaN or negative
		f = 0
	}
	if f > 1 {
		f = 1
	}
	d := time.Duration(f * float64(ceil))
	if d < retryAfter {
		d = retryAfter
	}
	return d
}
