package store

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	bolt "go.etcd.io/bbolt"
)

// refuseDemo refuses a batch for the live database that carries a value
// whose source is the simulated market: demo figures never mix with real
// ones (an export of the demo database imported into the live one, say).
func refuseDemo(b model.Batch) error {
	demo := func(src string) bool { return src == model.DemoSource }
	bad := func(what i18n.Text, args ...any) error {
		return i18n.Errorf(i18n.StoreDemoRefused, ErrDemoData, i18n.Errorf(what, args...), model.DemoSource)
	}
	for _, q := range b.Quotes {
		if demo(q.Source) {
			return bad(i18n.StoreWhatQuote, q.Symbol)
		}
	}
	for _, r := range b.Bars {
		if demo(r.Source) {
			return bad(i18n.StoreWhatBar, r.Symbol, r.Time.Format("2006-01-02"))
		}
	}
	for _, m := range b.Margin {
		if demo(m.Source) {
			return bad(i18n.StoreWhatMargin, m.Symbol, m.Date.Format("2006-01-02"))
		}
	}
	for _, m := range b.Boards {
		if demo(m.Source) {
			return bad(i18n.StoreWhatBoard, m.Code)
		}
	}
	for code, qs := range b.Members {
		for _, q := range qs {
			if demo(q.Source) {
				return bad(i18n.StoreWhatMember, q.Symbol, code)
			}
		}
	}
	for _, p := range b.Elements {
		if demo(p.Source) {
			return bad(i18n.StoreWhatElement, string(p.Element), p.Date.Format("2006-01-02"))
		}
	}
	for _, c := range b.Contract {
		if demo(c.Source) {
			return bad(i18n.StoreWhatContract, c.Quarter.String())
		}
	}
	for _, n := range b.Notices {
		if demo(n.Source) {
			return bad(i18n.StoreWhatNotice, n.ID)
		}
	}
	for _, c := range b.Concentrates {
		if demo(c.Notice.Source) {
			return bad(i18n.StoreWhatNotice, c.Notice.ID)
		}
	}
	return nil
}

// kWatchlist holds the demo's own watchlist (its codes, comma-separated):
// the watchlist keys of a demo run change it, never the user's config.
var kWatchlist = []byte("watchlist")

// SetWatchlist stores the watchlist of the demo database.
func (db *DB) SetWatchlist(codes []string) error {
	if db.readOnly {
		return errors.New("store: write to a database opened read-only")
	}
	if db.mode != ModeDemo {
		return errors.New("store: the live watchlist lives in the config file, not the database")
	}
	for _, c := range codes {
		if err := validName("watchlist", c); err != nil || strings.Contains(c, ",") {
			return fmt.Errorf("store: watchlist code %q", c)
		}
	}
	return db.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bMeta).Put(kWatchlist, []byte(strings.Join(codes, ",")))
	})
}

// Watchlist returns the demo database's watchlist; ok false when none was
// stored.
func (db *DB) Watchlist() (codes []string, ok bool, err error) {
	err = db.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bMeta).Get(kWatchlist)
		if v == nil {
			return nil
		}
		ok = true
		if len(v) > 0 {
			codes = strings.Split(string(v), ",")
		}
		return nil
	})
	return codes, ok, err
}
