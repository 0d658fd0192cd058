package store

import (
	"bytes"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

func encQuote(q model.Quote) []byte      { e := &encoder{}; encodeQuote(e, &q); return e.b }
func encBar(b model.Bar) []byte          { e := &encoder{}; encodeBar(e, &b); return e.b }
func encMembers(qs []model.Quote) []byte { e := &encoder{}; encodeMembers(e, qs); return e.b }

// TestDecodeCorrupt: every prefix of a valid value, and the value with a
// trailing byte or a wrong version, is an error wrapping errCorrupt.
func TestDecodeCorrupt(t *testing.T) {
	q := quote("600111", at(0, 10, 0, 0), 49.41)
	vals := map[string]struct {
		b   []byte
		dec func([]byte) error
	}{
		"quote": {encQuote(q), func(b []byte) error { var x model.Quote; return decodeQuote(b, nil, &x) }},
		"bar":   {encBar(dailyBar("600111", day0, 1)), func(b []byte) error { var x model.Bar; return decodeBar(b, nil, &x) }},
		"members": {encMembers([]model.Quote{q, q}), func(b []byte) error {
			_, err := decodeMembers(b, nil)
			return err
		}},
		"margin": {func() []byte { e := &encoder{}; m := marginDay("x", day0, 1); encodeMargin(e, &m); return e.b }(),
			func(b []byte) error { var x model.MarginDay; return decodeMargin(b, nil, &x) }},
		"board": {func() []byte { e := &encoder{}; m := boardMove("x", day0, 1); encodeBoard(e, &m); return e.b }(),
			func(b []byte) error { var x model.BoardMove; return decodeBoard(b, nil, &x) }},
		"eras": {func() []byte {
			e := &encoder{}
			encodeEras(e, []model.IndexEra{{From: day0, Weights: model.DefaultBasket}})
			return e.b
		}(), func(b []byte) error { _, err := decodeEras(b); return err }},
	}
	for name, v := range vals {
		if err := v.dec(v.b); err != nil {
			t.Fatalf("%s: valid value: %v", name, err)
		}
		for n := 0; n < len(v.b); n++ {
			if err := v.dec(v.b[:n]); !errors.Is(err, errCorrupt) {
				t.Errorf("%s truncated to %d of %d bytes: %v", name, n, len(v.b), err)
			}
		}
		if err := v.dec(append(append([]byte(nil), v.b...), 0)); !errors.Is(err, errCorrupt) {
			t.Errorf("%s with a trailing byte: %v", name, err)
		}
		bad := append([]byte(nil), v.b...)
		bad[0] = 2
		if err := v.dec(bad); !errors.Is(err, errCorrupt) {
			t.Errorf("%s with version 2: %v", name, err)
		}
	}
	// A huge count must fail before allocating.
	huge := []byte{codecV1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}
	if _, err := decodeMembers(huge, nil); !errors.Is(err, errCorrupt) {
		t.Errorf("huge member count: %v", err)
	}
	if _, err := keyTime([]byte{1, 2, 3}); !errors.Is(err, errCorrupt) {
		t.Errorf("short time key: %v", err)
	}
	if _, err := keyTime([]byte{0x80, 0, 0, 0, 0, 0, 0, 0}); !errors.Is(err, errCorrupt) {
		t.Errorf("negative time key: %v", err)
	}
	if _, err := keyQuarter([]byte{7, 0xea, 5}); !errors.Is(err, errCorrupt) {
		t.Errorf("quarter 5: %v", err)
	}
}

func TestKeys(t *testing.T) {
	k, err := quarterKey(model.Quarter{Year: 2026, Q: 1})
	if err != nil || !bytes.Equal(k, []byte{0x07, 0xea, 0x01}) {
		t.Errorf("2026Q1 key %x %v", k, err)
	}
	q, err := keyQuarter(k)
	if err != nil || q != (model.Quarter{Year: 2026, Q: 1}) {
		t.Errorf("key back: %v %v", q, err)
	}
	// Time keys sort in time order, including across a zone change.
	a, _ := timeKey(time.Date(2026, 1, 5, 9, 0, 0, 0, model.CST))
	b, _ := timeKey(time.Date(2026, 1, 5, 2, 0, 0, 1, time.UTC)) // 10:00:00.000000001 CST
	if bytes.Compare(a, b) >= 0 {
		t.Error("time keys out of order")
	}
	for _, bad := range []time.Time{{}, time.Unix(-1, 0), time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if _, err := timeKey(bad); err == nil {
			t.Errorf("timeKey(%v) accepted", bad)
		}
	}
	if k, err := timeKey(time.Unix(0, 0)); err != nil || !bytes.Equal(k, make([]byte, 8)) {
		t.Errorf("epoch key %x %v", k, err)
	}
}

func TestNaNBitsSurvive(t *testing.T) {
	// model uses NaN for "unknown"; any NaN payload survives bit for bit.
	odd := math.Float64frombits(0x7ff8_0000_dead_beef)
	q := quote("600111", day0, odd)
	q.Amount = math.Inf(-1)
	var got model.Quote
	if err := decodeQuote(encQuote(q), nil, &got); err != nil {
		t.Fatal(err)
	}
	if math.Float64bits(got.Last) != 0x7ff8_0000_dead_beef || !math.IsInf(got.Amount, -1) {
		t.Errorf("got %x, %v", math.Float64bits(got.Last), got.Amount)
	}
}

func FuzzDecodeQuote(f *testing.F) {
	q := quote("600111", day0, 49.41)
	f.Add(encQuote(q))
	f.Add(encQuote(model.Quote{}))
	f.Add([]byte{})
	f.Add([]byte{codecV1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		var got model.Quote
		if err := decodeQuote(b, newInterner(), &got); err != nil {
			return
		}
		// Whatever decodes re-encodes to something that decodes the same.
		var again model.Quote
		if err := decodeQuote(encQuote(got), nil, &again); err != nil || !same(again, got) {
			t.Fatalf("re-decode: %v\n%+v\n%+v", err, got, again)
		}
	})
}

func FuzzDecodeBar(f *testing.F) {
	f.Add(encBar(dailyBar("600111", day0, 1)))
	f.Add(encBar(model.Bar{Source: "中文"}))
	f.Add([]byte{codecV1})
	f.Add(append([]byte{codecV1, 0x80, 0x00}, make([]byte, 48)...)) // non-canonical length
	f.Fuzz(func(t *testing.T, b []byte) {
		// The fast path and the general decoder agree on every input.
		var got, slow model.Bar
		err := decodeBar(b, newInterner(), &got)
		errSlow := decodeBarSlow(b, nil, &slow)
		if (err == nil) != (errSlow == nil) || (err == nil && !same(got, slow)) {
			t.Fatalf("fast %v %+v, slow %v %+v", err, got, errSlow, slow)
		}
		if err != nil {
			return
		}
		var again model.Bar
		if err := decodeBar(encBar(got), nil, &again); err != nil || !same(again, got) {
			t.Fatalf("re-decode: %v\n%+v\n%+v", err, got, again)
		}
	})
}

// FuzzDecodeAny feeds the same bytes to every decoder; none may panic.
func FuzzDecodeAny(f *testing.F) {
	q := quote("600111", day0, 49.41)
	f.Add(encMembers([]model.Quote{q}))
	f.Add(encQuote(q))
	e := &encoder{}
	encodeEras(e, []model.IndexEra{{From: day0, Weights: model.DefaultBasket}})
	f.Add(e.b)
	f.Fuzz(func(t *testing.T, b []byte) {
		in := newInterner()
		_, _ = decodeMembers(b, in)
		_, _ = decodeEras(b)
		var m model.MarginDay
		_ = decodeMargin(b, in, &m)
		var bm model.BoardMove
		_ = decodeBoard(b, in, &bm)
		var ep model.ElementPrice
		_ = decodeElement(b, in, &ep)
		var c model.ContractQuarter
		_ = decodeContract(b, &c)
		var s model.Symbol
		_ = decodeSymbol(b, &s)
		_, _ = keyTime(b)
		_, _ = keyQuarter(b)
	})
}
