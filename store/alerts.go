package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/model"
)

// Fired alerts live in their own bucket, keyed by the time they fired
// (8 bytes, big-endian Unix nanoseconds) and their place in the batch
// (2 bytes), so offline review lists what fired on a past day. Values are
// JSON: the rule, title, body, value, level and deliveries (a rule's
// command and webhook are not kept).
var bAlerts = []byte("alerts")

// alertRecord is the stored form of a fired alert.
type alertRecord struct {
	Rule    string   `json:"rule"`
	Title   string   `json:"title"`
	Body    string   `json:"body"`
	TitleZh string   `json:"title_zh,omitempty"`
	BodyZh  string   `json:"body_zh,omitempty"`
	Value   *float64 `json:"value,omitempty"`
	Level   *float64 `json:"level,omitempty"`
	Deliver []string `json:"deliver,omitempty"`
}

func finite(v float64) *float64 {
	if !model.Known(v) {
		return nil
	}
	return &v
}

// encodeAlerts appends the batch's fired alerts to the arena.
func encodeAlerts(e *encoder, alerts []model.AlertEvent, put func(top []byte, sub string, ks, ke int)) error {
	for i := range alerts {
		a := &alerts[i]
		ks := len(e.b)
		var err error
		if e.b, err = appendTimeKey(e.b, a.At); err != nil {
			return fmt.Errorf("alert %q: %w", a.Rule, err)
		}
		e.b = binary.BigEndian.AppendUint16(e.b, uint16(i))
		ke := len(e.b)
		v, err := json.Marshal(alertRecord{Rule: model.Sanitize(a.Rule), Title: model.Sanitize(a.Title), Body: model.Sanitize(a.Body),
			TitleZh: model.Sanitize(a.TitleZh), BodyZh: model.Sanitize(a.BodyZh), Value: finite(a.Value), Level: finite(a.Level), Deliver: a.Deliver})
		if err != nil {
			return fmt.Errorf("alert %q: %w", a.Rule, err)
		}
		e.b = append(e.b, v...)
		put(bAlerts, "", ks, ke)
	}
	return nil
}

// Alerts returns the alerts fired in [from, to], oldest first (a zero bound
// is open), at most limit of the newest when limit > 0.
func (db *DB) Alerts(from, to time.Time, limit int) ([]model.AlertEvent, error) {
	var out []model.AlertEvent
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bAlerts)
		if b == nil {
			return nil // a file from before alerts were stored
		}
		c := b.Cursor()
		lo := boundKey(from)
		if to.IsZero() {
			to = maxKeyTime
		}
		for k, v := c.Seek(lo); k != nil; k, v = c.Next() {
			if len(k) != 10 {
				continue
			}
			at := time.Unix(0, int64(binary.BigEndian.Uint64(k[:8])))
			if at.After(to) {
				break
			}
			var r alertRecord
			if err := json.Unmarshal(v, &r); err != nil {
				continue // an undecodable record is skipped, the rest kept
			}
			ev := model.AlertEvent{At: at, Rule: r.Rule, Title: r.Title, Body: r.Body, TitleZh: r.TitleZh, BodyZh: r.BodyZh, Value: model.Unknown, Level: model.Unknown, Deliver: r.Deliver}
			if r.Value != nil {
				ev.Value = *r.Value
			}
			if r.Level != nil {
				ev.Level = *r.Level
			}
			out = append(out, ev)
		}
		return nil
	})
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, err
}
