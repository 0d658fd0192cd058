package demo

import "math"

// Every random figure of the demo market is a pure function of the seed,
// the instrument and an index (a day number, a minute, a 2-second tick):
// no shared generator, so the series never depends on when, or in which
// order, anything is asked.

// mix is the splitmix64 finaliser.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// fnv is FNV-1a over a string: the key of an instrument, board or product.
func fnv(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// baseKey binds a seed to a name; every draw for that name starts from it.
func baseKey(seed int64, name string) uint64 { return mix(uint64(seed) ^ mix(fnv(name))) }

// Streams keep the draws for different purposes apart.
const (
	sInit uint64 = iota + 1
	sClose
	sJump
	sJumpSize
	sOpen
	sHigh
	sLow
	sVolume
	sPath
	sPin
	sProfile
	sTick
	sTickNoise
	sFlowDay
	sFlowTick
	sMarginNet
	sMarginBuy
	sMarginLend
	sFactor
	sElemJitter
)

// hash draws 64 random bits for (base, stream, a, b).
func hash(base, stream uint64, a, b int64) uint64 {
	return mix(keyOf(base, stream, a) + uint64(b))
}

// keyOf hoists the part of hash that does not depend on b out of a loop:
// hash(base, stream, a, b) == mix(keyOf(base, stream, a) + uint64(b)).
func keyOf(base, stream uint64, a int64) uint64 { return mix(mix(base^stream) + uint64(a)) }

// unit maps 64 random bits to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) * (1.0 / (1 << 53)) }

// norm maps 64 random bits to an approximately standard normal figure: the
// centred sum of four 16-bit uniforms (Irwin–Hall), bounded by ±2√3. Cheap,
// and its bounded tails keep the walks sane; fat tails come from explicit
// jumps.
func norm(h uint64) float64 {
	s := float64(h&0xffff) + float64(h>>16&0xffff) + float64(h>>32&0xffff) + float64(h>>48) + 2
	return (s/65536 - 2) * math.Sqrt(3)
}

// clamp bounds v to [lo, hi] (lo ≤ hi; no NaN reaches it).
func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
