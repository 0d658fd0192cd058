package store

import (
	"github.com/rareterm/rareterm/model"
	bolt "go.etcd.io/bbolt"
)

func init() {
	migrations[1] = correctReference2022Q3
}

// correctReference2022Q3 (schema 1 → 2): the reference shipped 39,189 for
// 2022Q3, a proposal that was refused; the price set from July 1 was
// 37,230. A quarter still holding the shipped figure (price and source
// unchanged) takes the corrected row; one the user imported or entered is
// left as it is.
func correctReference2022Q3(tx *bolt.Tx) error {
	b := tx.Bucket(bContract)
	if b == nil {
		return nil
	}
	q := model.Quarter{Year: 2022, Q: 3}
	k, err := quarterKey(q)
	if err != nil {
		return err
	}
	v := b.Get(k)
	if v == nil {
		return nil
	}
	var old model.ContractQuarter
	if err := decodeContract(v, &old); err != nil {
		return nil // not ours to judge: leave it
	}
	if old.Price != 39189 || old.Source != "yicaiglobal 2022-06-23; news.metal.com 101872327" {
		return nil
	}
	contract, _, err := Reference()
	if err != nil {
		return err
	}
	for _, c := range contract {
		if c.Quarter == q {
			ops, err := encodeBatch(model.Batch{Contract: []model.ContractQuarter{c}})
			if err != nil {
				return err
			}
			return ops.apply(tx)
		}
	}
	return nil
}
