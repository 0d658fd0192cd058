package store

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// ImportReport counts what Import did with the rows it was given.
type ImportReport struct {
	Rows      int // values in the batch
	New       int // not stored before: written
	Changed   int // stored with another value (a figure, source, unit or note): replaced
	Unchanged int // stored exactly so already: left alone
}

// Import writes a batch read by ParseCSV (element prices and contract
// quarters are checked again: a price that is not a finite number within
// model.AnyElementBand, or a contract outside model.ContractBand, fails the
// import) (element prices, contract
// quarters; any batch works) in one write transaction: every value is
// encoded first, and an error leaves the database as it was. Each value is
// compared, byte for byte, with what is stored at its key: new and changed
// values are written, identical ones are not, so importing the same file
// twice adds nothing.
func (db *DB) Import(b model.Batch) (ImportReport, error) {
	var rep ImportReport
	if db.readOnly {
		return rep, errors.New("store: import into a database opened read-only")
	}
	if db.mode != ModeDemo {
		if err := refuseDemo(b); err != nil {
			return rep, i18n.Errorf(i18n.StoreImport, err)
		}
	}
	if err := checkFigures(b, nil); err != nil {
		return rep, i18n.Errorf(i18n.StoreImport, err)
	}
	enc, err := encodeBatch(b)
	if err != nil {
		return rep, i18n.Errorf(i18n.StoreImport, err)
	}
	err = db.update(func(tx *bolt.Tx) error {
		rep = ImportReport{Rows: len(enc.ops)}
		for _, op := range enc.ops {
			top := tx.Bucket(op.top)
			if top == nil {
				return fmt.Errorf("%w: bucket %s missing", errCorrupt, op.top)
			}
			k, v := enc.arena[op.ks:op.ke], enc.arena[op.ke:op.ve]
			bk := top
			if op.sub != "" {
				bk = top.Bucket([]byte(op.sub))
			}
			var old []byte
			if bk != nil {
				old = bk.Get(k)
			}
			switch {
			case old == nil:
				rep.New++
			case bytes.Equal(old, v):
				rep.Unchanged++
				continue
			default:
				rep.Changed++
			}
			if bk == nil {
				var err error
				if bk, err = top.CreateBucket([]byte(op.sub)); err != nil {
					return fmt.Errorf("bucket %s/%s: %w", op.top, op.sub, err)
				}
			}
			if op.sub != "" {
				bk.FillPercent = seriesFill
			}
			if err := bk.Put(k, v); err != nil {
				return fmt.Errorf("put %s/%s: %w", op.top, op.sub, err)
			}
		}
		return nil
	})
	if err != nil {
		return ImportReport{}, i18n.Errorf(i18n.StoreImport, err)
	}
	return rep, nil
}

// checkFigures refuses element prices and contract quarters that no market
// produces: with bands, each product's band; without, only non-finite
// figures and those outside model.AnyElementBand. Contract quarters are
// checked against model.ContractBand.
func checkFigures(b model.Batch, bands model.Bands) error {
	if bands == nil {
		bands = model.Bands{}
		for _, p := range b.Elements {
			bands[p.Element] = model.AnyElementBand
		}
	}
	if err := bands.CheckAll(b.Elements); err != nil {
		return err
	}
	for _, c := range b.Contract {
		if err := model.CheckContract(c); err != nil {
			return err
		}
	}
	return nil
}

// SaveElementPrices stores manually entered element prices in one write
// transaction, after checking each against bands (nil or empty:
// model.DefaultBands): a price that is not a finite number within its
// product's band is refused with an error naming the product, the value
// and the band, and nothing is written.
func (db *DB) SaveElementPrices(ps []model.ElementPrice, bands model.Bands) error {
	if len(bands) == 0 {
		bands = model.DefaultBands()
	}
	if err := bands.CheckAll(ps); err != nil {
		return err
	}
	return db.Append(model.Batch{At: time.Now(), Elements: ps})
}
