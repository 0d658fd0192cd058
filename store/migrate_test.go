package store

import (
	"path/filepath"
	"testing"

	"github.com/rareterm/rareterm/model"
)

// A database made before the 2022Q3 correction holds the refused 39,189;
// opening it read-write corrects the quarter, and a quarter the user
// entered himself is left alone.
func TestMigrationCorrects2022Q3(t *testing.T) {
	q3 := model.Quarter{Year: 2022, Q: 3}
	for _, tc := range []struct {
		name   string
		stored model.ContractQuarter
		want   float64
	}{
		{"shipped row", model.ContractQuarter{Quarter: q3, Price: 39189, BasisREO: 50, Source: "yicaiglobal 2022-06-23; news.metal.com 101872327"}, 37230},
		{"user's row", model.ContractQuarter{Quarter: q3, Price: 39189, BasisREO: 50, Source: "my notes"}, 39189},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "old.db")
			currentSchema = 1
			db, err := Open(path, Options{})
			if err != nil {
				currentSchema = SchemaVersion
				t.Fatal(err)
			}
			err = db.Append(model.Batch{Contract: []model.ContractQuarter{tc.stored}})
			db.Close()
			currentSchema = SchemaVersion
			if err != nil {
				t.Fatal(err)
			}
			db = openAt(t, path, Options{})
			if db.SchemaVersion() != SchemaVersion {
				t.Fatalf("schema %d after open", db.SchemaVersion())
			}
			cs, err := db.Contract()
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				if c.Quarter == q3 && c.Price != tc.want {
					t.Errorf("2022Q3 = %v (%s), want %v", c.Price, c.Source, tc.want)
				}
			}
		})
	}
}
