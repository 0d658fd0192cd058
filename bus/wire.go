// Package bus shares one collector's batches with many terminals over NATS
// JetStream: an embedded server (Server), the collector's publisher
// (Publisher) and history service (Serve), and the terminal's side
// (Subscriber for the live updates, Client for history and snapshots).
//
// Every committed batch is split by kind and symbol onto subjects such as
// rt.quote.SH600111, rt.bar.SH600111, rt.margin.SZ000831, rt.board.BK0578,
// rt.members.BK0578, rt.element.pr_oxide, rt.detail.SH600111 (the order
// book and minutes of a security a terminal has open), rt.contract,
// rt.notice.SH600111,
// rt.concentrate, rt.symbols and rt.health, all in the stream RT. Each
// message carries the batch's number on the bus (monotonic across collector
// restarts), its part and count, the collector's epoch and the commit time,
// and a Nats-Msg-Id made of the batch number, kind and key, so a message
// published twice is stored once. The bbolt database stays the system of
// record: snapshots and history are read from it by request/reply.
package bus

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Subjects and the stream.
const (
	StreamName    = "RT"
	SubjectPrefix = "rt."
	// rpcPrefix is outside the stream's subjects: requests are not stored.
	rpcPrefix = "rtrpc."

	hdrBatch = "Rt-Batch" // the batch's number on the bus
	hdrPart  = "Rt-Part"  // "i/n", i from 0
	hdrEpoch = "Rt-Epoch" // the collector run that published it
	hdrAt    = "Rt-At"    // commit time, Unix nanoseconds
	hdrSeq   = "Rt-Seq"   // the poller's own batch number
)

// MaxPayload bounds one message (the server's limit too).
const MaxPayload = 4 << 20

// part is one message of a batch: a subject and the batch fragment it holds.
type part struct {
	kind, key string
	frag      model.Batch
}

func (p part) subject() string {
	if p.key == "" {
		return SubjectPrefix + p.kind
	}
	return SubjectPrefix + p.kind + "." + p.key
}

// token turns a symbol into a subject token: SH600111, SZ000831, HK06680,
// BK0578; anything else is kept to letters, digits, '-' and '_'.
func token(sym string) string {
	if s, err := model.ParseSymbol(sym); err == nil {
		switch s.Market {
		case model.MarketSSE:
			return "SH" + s.Code
		case model.MarketSZSE:
			return "SZ" + s.Code
		case model.MarketBSE:
			return "BJ" + s.Code
		case model.MarketHKEX:
			return "HK" + s.Code
		case model.MarketBoard:
			return s.Code
		}
	}
	var b strings.Builder
	for _, r := range sym {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 64 {
			break
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// split cuts a batch into its messages, by kind and symbol, in a fixed
// order (so a batch's message ids are the same however often it is split).
// Health travels last: a terminal that sees it has the whole batch.
func split(b model.Batch) []part {
	var parts []part
	group := func(kind string, n int, keyOf func(i int) string, add func(f *model.Batch, i int)) {
		idx := map[string]int{}
		for i := 0; i < n; i++ {
			k := token(keyOf(i))
			j, ok := idx[k]
			if !ok {
				j = len(parts)
				idx[k] = j
				parts = append(parts, part{kind: kind, key: k})
			}
			add(&parts[j].frag, i)
		}
	}
	group("quote", len(b.Quotes), func(i int) string { return b.Quotes[i].Symbol },
		func(f *model.Batch, i int) { f.Quotes = append(f.Quotes, b.Quotes[i]) })
	group("bar", len(b.Bars), func(i int) string { return b.Bars[i].Symbol },
		func(f *model.Batch, i int) { f.Bars = append(f.Bars, b.Bars[i]) })
	group("margin", len(b.Margin), func(i int) string { return b.Margin[i].Symbol },
		func(f *model.Batch, i int) { f.Margin = append(f.Margin, b.Margin[i]) })
	group("board", len(b.Boards), func(i int) string { return b.Boards[i].Code },
		func(f *model.Batch, i int) { f.Boards = append(f.Boards, b.Boards[i]) })
	codes := make([]string, 0, len(b.Members))
	for c := range b.Members {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	group("members", len(codes), func(i int) string { return codes[i] }, func(f *model.Batch, i int) {
		if f.Members == nil {
			f.Members = map[string][]model.Quote{}
		}
		f.Members[codes[i]] = b.Members[codes[i]]
	})
	group("element", len(b.Elements), func(i int) string { return string(b.Elements[i].Element) },
		func(f *model.Batch, i int) { f.Elements = append(f.Elements, b.Elements[i]) })
	group("notice", len(b.Notices), func(i int) string {
		if len(b.Notices[i].Codes) > 0 {
			return b.Notices[i].Codes[0]
		}
		return "_"
	}, func(f *model.Batch, i int) { f.Notices = append(f.Notices, b.Notices[i]) })
	group("detail", len(b.Detail), func(i int) string { return b.Detail[i].Symbol },
		func(f *model.Batch, i int) { f.Detail = append(f.Detail, b.Detail[i]) })
	if len(b.Contract) > 0 {
		parts = append(parts, part{kind: "contract", frag: model.Batch{Contract: b.Contract}})
	}
	if len(b.Concentrates) > 0 {
		parts = append(parts, part{kind: "concentrate", frag: model.Batch{Concentrates: b.Concentrates}})
	}
	if len(b.Symbols) > 0 {
		parts = append(parts, part{kind: "symbols", frag: model.Batch{Symbols: b.Symbols}})
	}
	if len(b.Alerts) > 0 {
		// What fired, for the terminals' status bars and logs; the
		// commands and webhooks stay with the collector (they are not
		// encoded).
		as := make([]model.AlertEvent, len(b.Alerts))
		for i, a := range b.Alerts {
			a.Command, a.Webhook = nil, ""
			as[i] = a
		}
		parts = append(parts, part{kind: "alert", frag: model.Batch{Alerts: as}})
	}
	parts = append(parts, part{kind: "health", frag: model.Batch{Health: b.Health}})
	return parts
}

// join puts a batch's fragments back together.
func join(into *model.Batch, f model.Batch) {
	into.Quotes = append(into.Quotes, f.Quotes...)
	into.Bars = append(into.Bars, f.Bars...)
	into.Margin = append(into.Margin, f.Margin...)
	into.Boards = append(into.Boards, f.Boards...)
	for c, qs := range f.Members {
		if into.Members == nil {
			into.Members = map[string][]model.Quote{}
		}
		into.Members[c] = qs
	}
	into.Elements = append(into.Elements, f.Elements...)
	into.Contract = append(into.Contract, f.Contract...)
	into.Symbols = append(into.Symbols, f.Symbols...)
	into.Notices = append(into.Notices, f.Notices...)
	into.Concentrates = append(into.Concentrates, f.Concentrates...)
	into.Alerts = append(into.Alerts, f.Alerts...)
	into.Detail = append(into.Detail, f.Detail...)
	if f.Health != nil {
		into.Health = f.Health
	}
}

// msgID is the de-duplication id of one message: batch number, kind, key.
func msgID(batch uint64, p part) string {
	return strconv.FormatUint(batch, 10) + "." + p.kind + "." + p.key
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	if buf.Len() > MaxPayload {
		return nil, fmt.Errorf("message of %d bytes is over the %d-byte limit", buf.Len(), MaxPayload)
	}
	return buf.Bytes(), nil
}

// decode reads a gob value from the network; a body that does not decode
// (or makes the decoder panic) is an error, never a crash.
func decode(b []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("undecodable message: %v", r)
		}
	}()
	if len(b) > MaxPayload {
		return fmt.Errorf("message of %d bytes is over the %d-byte limit", len(b), MaxPayload)
	}
	return gob.NewDecoder(bytes.NewReader(b)).Decode(v)
}

// parsePart reads "i/n".
func parsePart(s string) (i, n int, ok bool) {
	a, b, found := strings.Cut(s, "/")
	if !found {
		return 0, 0, false
	}
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || n <= 0 || i < 0 || i >= n {
		return 0, 0, false
	}
	return i, n, true
}

// SnapshotBatch turns a snapshot into a batch that, applied to a screen's
// market, brings it up to the snapshot (Apply merges by date and time, so
// applying what is already there changes nothing).
func SnapshotBatch(s model.Snapshot) model.Batch {
	var b model.Batch
	for _, q := range s.Quotes {
		b.Quotes = append(b.Quotes, q)
	}
	for _, bars := range s.Daily {
		b.Bars = append(b.Bars, bars...)
	}
	for _, m := range s.Margin {
		b.Margin = append(b.Margin, m...)
	}
	for _, m := range s.Sector {
		b.Margin = append(b.Margin, m...)
	}
	for _, bm := range s.Boards {
		b.Boards = append(b.Boards, bm)
	}
	if len(s.Members) > 0 {
		b.Members = map[string][]model.Quote{}
		for c, qs := range s.Members {
			b.Members[c] = qs
		}
	}
	for _, ser := range s.Elements {
		b.Elements = append(b.Elements, ser...)
	}
	b.Contract = append(b.Contract, s.Contract...)
	b.Concentrates = append(b.Concentrates, s.Concentrates...)
	for _, sym := range s.Symbols {
		b.Symbols = append(b.Symbols, sym)
	}
	b.At = time.Now()
	return b
}
