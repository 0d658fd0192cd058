package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/rareterm/rareterm/model"
)

// codecV1 is the first byte of every value written by this version of the
// store. A decoder that meets another version byte returns an error; a
// schema migration (see doc.go) rewrites values when the layout changes.
const codecV1 byte = 1

// maxString bounds every length-prefixed string. A longer string is an
// encoding error (it fails the whole Append) and a longer length prefix in
// stored bytes is a decoding error, so a corrupt prefix never makes the
// decoder allocate gigabytes.
const maxString = 1 << 16

// errCorrupt is wrapped by every decoding error.
var errCorrupt = errors.New("corrupt value")

// Time keys are the Unix nanoseconds of the instant, 8 bytes big-endian, so
// that byte order is time order. The representable range is 1970-01-01 to
// 2262-04-11 (UTC): int64 nanoseconds, non-negative.
var (
	minKeyTime = time.Unix(0, 0)
	maxKeyTime = time.Unix(0, math.MaxInt64)
)

// timeKey returns the key of t, or an error when t is outside the range a
// key can hold (a zero time.Time is year 1, so it is refused).
func timeKey(t time.Time) ([]byte, error) { return appendTimeKey(make([]byte, 0, 8), t) }

// appendTimeKey appends the key of t to dst.
func appendTimeKey(dst []byte, t time.Time) ([]byte, error) {
	if t.Before(minKeyTime) || t.After(maxKeyTime) {
		return dst, fmt.Errorf("time %s outside the storable range 1970..2262", t.Format(time.RFC3339))
	}
	return binary.BigEndian.AppendUint64(dst, uint64(t.UnixNano())), nil
}

// boundKey returns the key of t for a range bound, clamping to the
// storable range instead of failing.
func boundKey(t time.Time) []byte {
	var ns uint64
	switch {
	case t.Before(minKeyTime):
		ns = 0
	case t.After(maxKeyTime):
		ns = math.MaxInt64
	default:
		ns = uint64(t.UnixNano())
	}
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), ns)
}

// keyTime decodes a time key, in Asia/Shanghai.
func keyTime(k []byte) (time.Time, error) {
	if len(k) != 8 {
		return time.Time{}, fmt.Errorf("%w: time key of %d bytes, want 8", errCorrupt, len(k))
	}
	ns := binary.BigEndian.Uint64(k)
	if ns > math.MaxInt64 {
		return time.Time{}, fmt.Errorf("%w: time key %x out of range", errCorrupt, k)
	}
	return time.Unix(0, int64(ns)).In(model.CST), nil
}

// quarterKey is 2 bytes of year (big-endian) and 1 byte of quarter.
func quarterKey(q model.Quarter) ([]byte, error) {
	if q.Year < 0 || q.Year > math.MaxUint16 || q.Q < 1 || q.Q > 4 {
		return nil, fmt.Errorf("quarter %v out of range", q)
	}
	return []byte{byte(q.Year >> 8), byte(q.Year), byte(q.Q)}, nil
}

func keyQuarter(k []byte) (model.Quarter, error) {
	if len(k) != 3 || k[2] < 1 || k[2] > 4 {
		return model.Quarter{}, fmt.Errorf("%w: quarter key %x", errCorrupt, k)
	}
	return model.Quarter{Year: int(binary.BigEndian.Uint16(k)), Q: int(k[2])}, nil
}

// ---- encoder ----

// encoder appends to b. The first error sticks; later calls do nothing.
type encoder struct {
	b   []byte
	err error
}

func (e *encoder) byte1(v byte) { e.b = append(e.b, v) }

func (e *encoder) f64(v float64) {
	e.b = binary.BigEndian.AppendUint64(e.b, math.Float64bits(v))
}

func (e *encoder) varint(v int64) { e.b = binary.AppendVarint(e.b, v) }

func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }

func (e *encoder) str(s string) {
	if len(s) > maxString {
		if e.err == nil {
			e.err = fmt.Errorf("string of %d bytes exceeds the %d-byte limit", len(s), maxString)
		}
		return
	}
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

// time writes 0 for the zero time, else 1 and the Unix nanoseconds.
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.byte1(0)
		return
	}
	if t.Before(minKeyTime) || t.After(maxKeyTime) {
		if e.err == nil {
			e.err = fmt.Errorf("time %s outside the storable range 1970..2262", t.Format(time.RFC3339))
		}
		return
	}
	e.byte1(1)
	e.varint(t.UnixNano())
}

// ---- decoder ----

// decoder reads b from off. The first error sticks; later reads return zero
// values, so a decode function can read every field and check err once.
type decoder struct {
	b   []byte
	off int
	err error
	in  *interner
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: short or bad %s at byte %d of %d", errCorrupt, what, d.off, len(d.b))
	}
}

func (d *decoder) byte1() byte {
	if d.err != nil || d.off >= len(d.b) {
		d.fail("byte")
		return 0
	}
	v := d.b[d.off]
	d.off++
	return v
}

func (d *decoder) version() {
	if v := d.byte1(); d.err == nil && v != codecV1 {
		d.err = fmt.Errorf("%w: value version %d, want %d", errCorrupt, v, codecV1)
	}
}

func (d *decoder) f64() float64 {
	if d.err != nil || len(d.b)-d.off < 8 {
		d.fail("float")
		return 0
	}
	v := math.Float64frombits(binary.BigEndian.Uint64(d.b[d.off:]))
	d.off += 8
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b[d.off:])
	if n <= 0 {
		d.fail("varint")
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail("uvarint")
		return 0
	}
	d.off += n
	return v
}

// int reads a varint that must fit an int32 (counts, breadth figures).
func (d *decoder) int() int {
	v := d.varint()
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.fail("int")
		return 0
	}
	return int(v)
}

// str copies a length-prefixed string out of b (the bytes belong to a bbolt
// page and are invalid after the transaction).
func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > maxString || n > uint64(len(d.b)-d.off) {
		d.fail("string")
		return ""
	}
	raw := d.b[d.off : d.off+int(n)]
	d.off += int(n)
	if d.in != nil {
		return d.in.get(raw)
	}
	return string(raw)
}

func (d *decoder) time() time.Time {
	switch d.byte1() {
	case 0:
		return time.Time{}
	case 1:
		ns := d.varint()
		if ns < 0 {
			d.fail("time")
			return time.Time{}
		}
		return time.Unix(0, ns).In(model.CST)
	}
	d.fail("time flag")
	return time.Time{}
}

// count reads an element count and checks it against the bytes left, given
// that each element takes at least min bytes, before anything is allocated.
func (d *decoder) count(min int) int {
	n := d.uvarint()
	if d.err != nil {
		return 0
	}
	if n > uint64((len(d.b)-d.off)/min) {
		d.fail("count")
		return 0
	}
	return int(n)
}

func (d *decoder) done() error {
	if d.err == nil && d.off != len(d.b) {
		d.err = fmt.Errorf("%w: %d trailing bytes", errCorrupt, len(d.b)-d.off)
	}
	return d.err
}

// interner shares the backing of repeated strings (sources, names) within
// one read, so reading a year of bars allocates each source string once.
type interner struct {
	m    map[string]string
	last string // the previous string returned: a series repeats one source
}

func newInterner() *interner { return &interner{m: make(map[string]string, 16)} }

func (in *interner) get(b []byte) string {
	if string(b) == in.last { // no allocation for the comparison
		return in.last
	}
	if s, ok := in.m[string(b)]; ok { // nor for the lookup
		in.last = s
		return s
	}
	if len(in.m) >= 4096 { // bound the table; beyond it, plain copies
		return string(b)
	}
	s := string(b)
	in.m[s] = s
	in.last = s
	return s
}

// ---- Quote ----
//
// v1: version | Name str | Source str | 14 × f64 (Last PrevClose Open High
// Low Volume Amount TurnoverPct MarketCap FloatCap PE MainNet High52 Low52).
// Symbol is the bucket name, Time the key.

func encodeQuote(e *encoder, q *model.Quote) {
	e.byte1(codecV1)
	quoteBody(e, q)
}

func quoteBody(e *encoder, q *model.Quote) {
	e.str(q.Name)
	e.str(q.Source)
	for _, v := range [...]float64{q.Last, q.PrevClose, q.Open, q.High, q.Low, q.Volume, q.Amount,
		q.TurnoverPct, q.MarketCap, q.FloatCap, q.PE, q.MainNet, q.High52, q.Low52} {
		e.f64(v)
	}
}

// decodeQuote fills q's value fields from b; Symbol and Time come from the
// bucket and key.
func decodeQuote(b []byte, in *interner, q *model.Quote) error {
	d := decoder{b: b, in: in}
	d.version()
	readQuoteBody(&d, q)
	return d.done()
}

func readQuoteBody(d *decoder, q *model.Quote) {
	q.Name = d.str()
	q.Source = d.str()
	q.Last, q.PrevClose, q.Open, q.High, q.Low = d.f64(), d.f64(), d.f64(), d.f64(), d.f64()
	q.Volume, q.Amount, q.TurnoverPct, q.MarketCap, q.FloatCap = d.f64(), d.f64(), d.f64(), d.f64(), d.f64()
	q.PE, q.MainNet, q.High52, q.Low52 = d.f64(), d.f64(), d.f64(), d.f64()
}

// ---- Members (board constituents) ----
//
// v1: version | n uvarint | n × (Symbol str | Time | quote body as above).

const minMemberLen = 1 + 1 + 1 + 1 + 14*8 // empty strings, zero time

func encodeMembers(e *encoder, qs []model.Quote) {
	e.byte1(codecV1)
	e.uvarint(uint64(len(qs)))
	for i := range qs {
		e.str(qs[i].Symbol)
		e.time(qs[i].Time)
		quoteBody(e, &qs[i])
	}
}

func decodeMembers(b []byte, in *interner) ([]model.Quote, error) {
	d := decoder{b: b, in: in}
	d.version()
	n := d.count(minMemberLen)
	var qs []model.Quote
	if n > 0 {
		qs = make([]model.Quote, n)
	}
	for i := 0; i < n && d.err == nil; i++ {
		qs[i].Symbol = d.str()
		qs[i].Time = d.time()
		readQuoteBody(&d, &qs[i])
	}
	if err := d.done(); err != nil {
		return nil, err
	}
	return qs, nil
}

// ---- Bar ----
//
// v1: version | Source str | 6 × f64 (Open High Low Close Volume Amount).
// Symbol is the bucket name, Interval the top-level bucket, Time the key.

func encodeBar(e *encoder, b *model.Bar) {
	e.byte1(codecV1)
	e.str(b.Source)
	e.f64(b.Open)
	e.f64(b.High)
	e.f64(b.Low)
	e.f64(b.Close)
	e.f64(b.Volume)
	e.f64(b.Amount)
}

func decodeBar(b []byte, in *interner, r *model.Bar) error {
	// Fast path for the canonical v1 layout with a source under 128 bytes
	// (a one-byte length): reading a year of bars is mostly this loop.
	if len(b) >= 2+6*8 && b[0] == codecV1 && b[1] < 0x80 && len(b) == 2+int(b[1])+6*8 {
		n := 2 + int(b[1])
		if in != nil {
			r.Source = in.get(b[2:n])
		} else {
			r.Source = string(b[2:n])
		}
		f := b[n : n+6*8]
		r.Open = math.Float64frombits(binary.BigEndian.Uint64(f[0:8]))
		r.High = math.Float64frombits(binary.BigEndian.Uint64(f[8:16]))
		r.Low = math.Float64frombits(binary.BigEndian.Uint64(f[16:24]))
		r.Close = math.Float64frombits(binary.BigEndian.Uint64(f[24:32]))
		r.Volume = math.Float64frombits(binary.BigEndian.Uint64(f[32:40]))
		r.Amount = math.Float64frombits(binary.BigEndian.Uint64(f[40:48]))
		return nil
	}
	return decodeBarSlow(b, in, r)
}

// decodeBarSlow is the general decoder (any varint form, every check).
func decodeBarSlow(b []byte, in *interner, r *model.Bar) error {
	d := decoder{b: b, in: in}
	d.version()
	r.Source = d.str()
	r.Open, r.High, r.Low, r.Close, r.Volume, r.Amount = d.f64(), d.f64(), d.f64(), d.f64(), d.f64(), d.f64()
	return d.done()
}

// ---- MarginDay ----
//
// v1: version | Name str | Source str | 8 × f64 (FinBalance FinBuy FinRepay
// FinNetBuy LendBalance Total BalancePct FloatCap). Symbol is the bucket
// name, Date the key.

func encodeMargin(e *encoder, m *model.MarginDay) {
	e.byte1(codecV1)
	e.str(m.Name)
	e.str(m.Source)
	for _, v := range [...]float64{m.FinBalance, m.FinBuy, m.FinRepay, m.FinNetBuy, m.LendBalance,
		m.Total, m.BalancePct, m.FloatCap} {
		e.f64(v)
	}
}

func decodeMargin(b []byte, in *interner, m *model.MarginDay) error {
	d := decoder{b: b, in: in}
	d.version()
	m.Name = d.str()
	m.Source = d.str()
	m.FinBalance, m.FinBuy, m.FinRepay, m.FinNetBuy = d.f64(), d.f64(), d.f64(), d.f64()
	m.LendBalance, m.Total, m.BalancePct, m.FloatCap = d.f64(), d.f64(), d.f64(), d.f64()
	return d.done()
}

// ---- BoardMove ----
//
// v1: version | Name str | Leader str | LeaderCode str | Source str |
// 5 × f64 (Level ChangePct MainNet Turnover LeaderPct) | 4 × varint (Up Down
// Flat LimitUp). Code is the bucket name, Time the key.

func encodeBoard(e *encoder, m *model.BoardMove) {
	e.byte1(codecV1)
	e.str(m.Name)
	e.str(m.Leader)
	e.str(m.LeaderCode)
	e.str(m.Source)
	e.f64(m.Level)
	e.f64(m.ChangePct)
	e.f64(m.MainNet)
	e.f64(m.Turnover)
	e.f64(m.LeaderPct)
	e.varint(int64(m.Up))
	e.varint(int64(m.Down))
	e.varint(int64(m.Flat))
	e.varint(int64(m.LimitUp))
}

func decodeBoard(b []byte, in *interner, m *model.BoardMove) error {
	d := decoder{b: b, in: in}
	d.version()
	m.Name, m.Leader, m.LeaderCode, m.Source = d.str(), d.str(), d.str(), d.str()
	m.Level, m.ChangePct, m.MainNet, m.Turnover, m.LeaderPct = d.f64(), d.f64(), d.f64(), d.f64(), d.f64()
	m.Up, m.Down, m.Flat, m.LimitUp = d.int(), d.int(), d.int(), d.int()
	return d.done()
}

// ---- ElementPrice ----
//
// v1: version | 3 × f64 (Price Low High) | Source str | OrigUnit str.
// Element is the bucket name, Date the key.

func encodeElement(e *encoder, p *model.ElementPrice) {
	e.byte1(codecV1)
	e.f64(p.Price)
	e.f64(p.Low)
	e.f64(p.High)
	e.str(p.Source)
	e.str(p.OrigUnit)
}

func decodeElement(b []byte, in *interner, p *model.ElementPrice) error {
	d := decoder{b: b, in: in}
	d.version()
	p.Price, p.Low, p.High = d.f64(), d.f64(), d.f64()
	p.Source = d.str()
	p.OrigUnit = d.str()
	return d.done()
}

// ---- ContractQuarter ----
//
// v1: version | 2 × f64 (Price BasisREO) | Source str | Note str. The
// quarter is the key.

func encodeContract(e *encoder, c *model.ContractQuarter) {
	e.byte1(codecV1)
	e.f64(c.Price)
	e.f64(c.BasisREO)
	e.str(c.Source)
	e.str(c.Note)
}

func decodeContract(b []byte, c *model.ContractQuarter) error {
	d := decoder{b: b}
	d.version()
	c.Price, c.BasisREO = d.f64(), d.f64()
	c.Source = d.str()
	c.Note = d.str()
	return d.done()
}

// ---- Symbol ----
//
// v1: version | Market varint | Name str | NameEn str. Code is the key.

func encodeSymbol(e *encoder, s *model.Symbol) {
	e.byte1(codecV1)
	e.varint(int64(s.Market))
	e.str(s.Name)
	e.str(s.NameEn)
}

func decodeSymbol(b []byte, s *model.Symbol) error {
	d := decoder{b: b}
	d.version()
	s.Market = model.Market(d.int())
	s.Name = d.str()
	s.NameEn = d.str()
	return d.done()
}

// ---- IndexEras ----
//
// v1: version | n uvarint | n × (From time | m uvarint | m × (Element str |
// Weight f64)).

func encodeEras(e *encoder, eras []model.IndexEra) {
	e.byte1(codecV1)
	e.uvarint(uint64(len(eras)))
	for _, era := range eras {
		e.time(era.From)
		e.uvarint(uint64(len(era.Weights)))
		for _, w := range era.Weights {
			e.str(string(w.Element))
			e.f64(w.Weight)
		}
	}
}

func decodeEras(b []byte) ([]model.IndexEra, error) {
	d := decoder{b: b}
	d.version()
	n := d.count(2) // a zero time and an empty basket
	var eras []model.IndexEra
	if n > 0 {
		eras = make([]model.IndexEra, n)
	}
	for i := 0; i < n && d.err == nil; i++ {
		eras[i].From = d.time()
		m := d.count(1 + 8)
		if m > 0 {
			eras[i].Weights = make([]model.IndexWeight, m)
		}
		for j := 0; j < m && d.err == nil; j++ {
			eras[i].Weights[j] = model.IndexWeight{Element: model.ElementID(d.str()), Weight: d.f64()}
		}
	}
	if err := d.done(); err != nil {
		return nil, err
	}
	return eras, nil
}
