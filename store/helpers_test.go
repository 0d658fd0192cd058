package store

import (
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/rareterm/rareterm/model"
)

// openAt opens path and registers a cleanup that runs bbolt's consistency
// check (tx.Check) and closes the database.
func openAt(t testing.TB, path string, opt Options) *DB {
	t.Helper()
	db, err := Open(path, opt)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { checkAndClose(t, db) })
	return db
}

// newDB is a fresh database without reference data in a temp dir.
func newDB(t testing.TB) *DB {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "test.db"), Options{NoReference: true})
}

func checkAndClose(t testing.TB, db *DB) {
	t.Helper()
	err := db.bolt.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("tx.Check: %v", err)
		}
		return nil
	})
	if err != nil && !errors.Is(err, berrors.ErrDatabaseNotOpen) {
		t.Errorf("check: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
}

// same reports whether a and b are deeply equal, with NaN equal to NaN
// (model's "unknown") and times compared by instant.
func same(a, b any) bool { return sameValue(reflect.ValueOf(a), reflect.ValueOf(b)) }

var timeType = reflect.TypeOf(time.Time{})

func sameValue(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	if a.Type() == timeType {
		return a.Interface().(time.Time).Equal(b.Interface().(time.Time))
	}
	switch a.Kind() {
	case reflect.Float32, reflect.Float64:
		x, y := a.Float(), b.Float()
		return x == y || (math.IsNaN(x) && math.IsNaN(y))
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !sameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !sameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			if !sameValue(a.MapIndex(k), b.MapIndex(k)) {
				return false
			}
		}
		return true
	case reflect.Interface, reflect.Pointer:
		return sameValue(a.Elem(), b.Elem())
	}
	return a.Interface() == b.Interface()
}

// Fixtures. Times are in CST, as the feeds produce them.

var (
	day0 = model.Date(2026, 1, 5)
	nan  = math.NaN()
)

func at(d int, hh, mm, ss int) time.Time {
	return day0.AddDate(0, 0, d).Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(ss)*time.Second)
}

func quote(sym string, t time.Time, last float64) model.Quote {
	return model.Quote{
		Symbol: sym, Name: "北方稀土", Time: t, Last: last, PrevClose: 48.73, Open: 48.9, High: 49.88, Low: 48.6,
		Volume: 98765432, Amount: 4872345678, TurnoverPct: 2.73, MarketCap: 178589645775, FloatCap: nan,
		PE: nan, MainNet: 312456789, High52: 61.69, Low52: 21.05, Source: "eastmoney",
	}
}

func dailyBar(sym string, d time.Time, close float64) model.Bar {
	return model.Bar{Symbol: sym, Interval: model.Daily, Time: d, Open: close - 1, High: close + 1, Low: close - 2,
		Close: close, Volume: 1e6, Amount: nan, Source: "eastmoney kline"}
}

func marginDay(sym string, d time.Time, bal float64) model.MarginDay {
	return model.MarginDay{Symbol: sym, Name: "中国稀土", Date: d, FinBalance: bal, FinBuy: 2.10e8, FinRepay: 2.34e8,
		FinNetBuy: -2441.42e4, LendBalance: nan, Total: 22.13e8, BalancePct: 4.14, FloatCap: nan, Source: "eastmoney RPTA_WEB_RZRQ_GGMX"}
}

func boardMove(code string, t time.Time, lvl float64) model.BoardMove {
	return model.BoardMove{Code: code, Name: "稀土永磁", Time: t, Level: lvl, ChangePct: 2.84, MainNet: 1523456789,
		Turnover: nan, Up: 142, Down: 21, Flat: 3, Leader: "中科三环", LeaderCode: "000970", LeaderPct: 10.02,
		LimitUp: -1, Source: "eastmoney clist"}
}
