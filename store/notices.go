package store

import (
	"bytes"
	"fmt"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/rareterm/rareterm/model"
	bolt "go.etcd.io/bbolt"
)

// Company announcements.
//
//	notices      code 0x00 <date time key> <id> -> Notice   (one entry per listed code, up to maxNoticeCodes)
//	concentrate  <quarter key> <id>             -> ConcentrateNotice (its text kept)
//
// Both are flat buckets; their keys sort by code and date, and by quarter.

var (
	bNotices     = []byte("notices")
	bConcentrate = []byte("concentrate")
)

// maxNoticeCodes bounds the codes a notice is filed under (a group notice
// can list dozens).
const maxNoticeCodes = 4

func noticeKey(code string, date time.Time, id string) ([]byte, error) {
	k := append([]byte(code), 0)
	k, err := appendTimeKey(k, date)
	if err != nil {
		return nil, err
	}
	return append(k, id...), nil
}

// ---- Notice ----
//
// v1: version | n uvarint | n × Code str | Title str | Date time | Posted
// time | Category str | Link str | Source str | ID str.

func encodeNotice(e *encoder, n *model.Notice) {
	e.byte1(codecV1)
	e.uvarint(uint64(len(n.Codes)))
	for _, c := range n.Codes {
		e.str(c)
	}
	e.str(n.Title)
	e.time(n.Date)
	e.time(n.Posted)
	e.str(n.Category)
	e.str(n.Link)
	e.str(n.Source)
	e.str(n.ID)
}

func decodeNoticeFrom(d *decoder, n *model.Notice) {
	d.version()
	if k := d.count(1); k > 0 {
		n.Codes = make([]string, 0, k)
		for range k {
			n.Codes = append(n.Codes, d.str())
		}
	}
	n.Title = d.str()
	n.Date = d.time()
	n.Posted = d.time()
	n.Category = d.str()
	n.Link = d.str()
	n.Source = d.str()
	n.ID = d.str()
}

func decodeNotice(b []byte, n *model.Notice) error {
	d := decoder{b: b}
	decodeNoticeFrom(&d, n)
	return d.done()
}

// ---- ConcentrateNotice ----
//
// v1: version | Notice (as above) | Year varint | Q varint | flags byte
// (1 parsed, 2 proposed) | 3 × f64 (Price BasisREO Step) | Reason str |
// Text str.

func encodeConcentrate(e *encoder, c *model.ConcentrateNotice) {
	e.byte1(codecV1)
	encodeNotice(e, &c.Notice)
	e.varint(int64(c.Quarter.Year))
	e.varint(int64(c.Quarter.Q))
	var f byte
	if c.Parsed {
		f |= 1
	}
	if c.Proposed {
		f |= 2
	}
	e.byte1(f)
	e.f64(c.Price)
	e.f64(c.BasisREO)
	e.f64(c.Step)
	e.str(c.Reason)
	e.str(cutUTF8(c.Text, model.MaxNoticeText))
}

func decodeConcentrate(b []byte, c *model.ConcentrateNotice) error {
	d := decoder{b: b}
	d.version()
	decodeNoticeFrom(&d, &c.Notice)
	c.Quarter = model.Quarter{Year: d.int(), Q: d.int()}
	f := d.byte1()
	c.Parsed, c.Proposed = f&1 != 0, f&2 != 0
	c.Price, c.BasisREO, c.Step = d.f64(), d.f64(), d.f64()
	c.Reason = d.str()
	c.Text = d.str()
	return d.done()
}

// cutUTF8 cuts s to at most n bytes at a rune boundary.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// encodeNotices adds the batch's notices to the encoded ops.
func encodeNotices(e *encoder, b *model.Batch, put func(top []byte, sub string, ks, ke int)) error {
	for i := range b.Notices {
		n := &b.Notices[i]
		if err := validName("notice", n.ID); err != nil {
			return err
		}
		codes := n.Codes
		if len(codes) > maxNoticeCodes {
			codes = codes[:maxNoticeCodes]
		}
		for _, code := range codes {
			if err := validName("notice code", code); err != nil {
				return err
			}
			k, err := noticeKey(code, n.Date, n.ID)
			if err != nil {
				return fmt.Errorf("notice %s: %w", n.ID, err)
			}
			ks := len(e.b)
			e.b = append(e.b, k...)
			ke := len(e.b)
			encodeNotice(e, n)
			if e.err != nil {
				return fmt.Errorf("notice %s: %w", n.ID, e.err)
			}
			put(bNotices, "", ks, ke)
		}
	}
	for i := range b.Concentrates {
		c := &b.Concentrates[i]
		if err := validName("notice", c.Notice.ID); err != nil {
			return err
		}
		qk, err := quarterKey(c.Quarter)
		if err != nil {
			return fmt.Errorf("concentrate notice %s: %w", c.Notice.ID, err)
		}
		ks := len(e.b)
		e.b = append(e.b, qk...)
		e.b = append(e.b, c.Notice.ID...)
		ke := len(e.b)
		encodeConcentrate(e, c)
		if e.err != nil {
			return fmt.Errorf("concentrate notice %s: %w", c.Notice.ID, e.err)
		}
		put(bConcentrate, "", ks, ke)
	}
	return nil
}

// Notices returns code's cached announcements dated at or before asOf (all
// when asOf is zero), newest first, at most n (all when n ≤ 0).
func (db *DB) Notices(code string, asOf time.Time, n int) ([]model.Notice, error) {
	var out []model.Notice
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bNotices)
		if b == nil {
			return nil
		}
		prefix := append([]byte(code), 0)
		hi := append(append([]byte(nil), prefix...), 0xff)
		if !asOf.IsZero() {
			hi = append(append([]byte(nil), prefix...), boundKey(asOf)...)
			hi = append(hi, 0xff)
		}
		c := b.Cursor()
		k, v := c.Seek(hi)
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
			var x model.Notice
			if err := decodeNotice(v, &x); err != nil {
				return fmt.Errorf("store: notice %q: %w", k, err)
			}
			out = append(out, x)
			if n > 0 && len(out) >= n {
				break
			}
		}
		return nil
	})
	return out, err
}

// Concentrates returns every stored concentrate-price notice, oldest
// quarter first, those of a quarter in date order.
func (db *DB) Concentrates() ([]model.ConcentrateNotice, error) {
	var out []model.ConcentrateNotice
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		out, err = readConcentrates(tx, time.Time{})
		return err
	})
	return out, err
}

// readConcentrates returns the concentrate notices dated at or before asOf
// (all when zero).
func readConcentrates(tx *bolt.Tx, asOf time.Time) ([]model.ConcentrateNotice, error) {
	b := tx.Bucket(bConcentrate)
	if b == nil {
		return nil, nil
	}
	var out []model.ConcentrateNotice
	err := b.ForEach(func(k, v []byte) error {
		var c model.ConcentrateNotice
		if err := decodeConcentrate(v, &c); err != nil {
			return fmt.Errorf("store: concentrate notice %q: %w", k, err)
		}
		if !asOf.IsZero() && c.Notice.Date.After(asOf) {
			return nil
		}
		out = append(out, c)
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Quarter != out[j].Quarter {
			return out[i].Quarter.Index() < out[j].Quarter.Index()
		}
		return out[i].Notice.Date.Before(out[j].Notice.Date)
	})
	return out, err
}

// NoticeText returns the kept text of the concentrate notice id; ok false
// when no text is kept for it.
func (db *DB) NoticeText(id string) (text string, ok bool, err error) {
	err = db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bConcentrate)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if ok || !bytes.HasSuffix(k, []byte(id)) || len(k) != 3+len(id) {
				return nil
			}
			var c model.ConcentrateNotice
			if err := decodeConcentrate(v, &c); err != nil {
				return fmt.Errorf("store: concentrate notice %q: %w", k, err)
			}
			text, ok = c.Text, c.Text != ""
			return nil
		})
	})
	return text, ok, err
}
