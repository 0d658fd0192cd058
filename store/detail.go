package store

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rareterm/rareterm/model"
)

// The detail buckets: what the feeds bring for the security whose detail
// view is open, kept so that an offline review shows it.
//
//	sessions/<symbol>/<day>   one session of minute data (分时): JSON of model.Session
//	flow_1m/<symbol>/<day>    that day's fund flow per minute, cumulative: JSON of model.FlowToday
//	flow_1d/<symbol>/<day>    one day's fund flow by order size: JSON of model.FlowDay
//
// Keys are the day at 00:00 CST, 8-byte big-endian nanoseconds like every
// series key; a later fetch of the same day replaces it. The order book is
// live only and not kept.
var (
	bSessions = []byte("sessions")
	bFlow1m   = []byte("flow_1m")
	bFlowDays = []byte("flow_1d")
)

func init() { topBuckets = append(topBuckets, bSessions, bFlow1m, bFlowDays) }

// jsonFloat is a figure that survives JSON: NaN (unknown) is null.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = jsonFloat(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = jsonFloat(v)
	return nil
}

// Stored forms: NaN-safe mirrors of the model types.
type (
	tickJSON struct {
		T                     int64 // Unix seconds
		O, C, H, L, V, A, Avg jsonFloat
	}
	sessionJSON struct {
		Day       int64
		PrevClose jsonFloat
		Ticks     []tickJSON
		Source    string
	}
	flowJSON struct {
		Main, Super, Large, Medium, Small jsonFloat
	}
	flowTickJSON struct {
		T int64
		F flowJSON
	}
	flowTodayJSON struct {
		Day    int64
		Ticks  []flowTickJSON
		Source string
	}
	flowDayJSON struct {
		Day        int64
		F          flowJSON
		Close, Chg jsonFloat
		Source     string
	}
)

func toFlowJSON(f model.Flow) flowJSON {
	return flowJSON{jsonFloat(f.Main), jsonFloat(f.Super), jsonFloat(f.Large), jsonFloat(f.Medium), jsonFloat(f.Small)}
}

func (f flowJSON) model() model.Flow {
	return model.Flow{Main: float64(f.Main), Super: float64(f.Super), Large: float64(f.Large), Medium: float64(f.Medium), Small: float64(f.Small)}
}

func cst(sec int64) time.Time { return time.Unix(sec, 0).In(model.CST) }

// encodeDetails adds the sessions and flows of a batch's details to the
// batch's writes (put records the op whose key is at [ks, ke) of e.b and
// whose value follows it).
func encodeDetails(e *encoder, put func(top []byte, sub string, ks, ke int), ds []model.Detail) error {
	add := func(top []byte, sym string, day time.Time, v any) error {
		if err := validName("detail", sym); err != nil {
			return err
		}
		ks := len(e.b)
		var err error
		if e.b, err = appendTimeKey(e.b, model.Day(day)); err != nil {
			return fmt.Errorf("%s %s: %w", top, sym, err)
		}
		ke := len(e.b)
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("%s %s: %w", top, sym, err)
		}
		e.b = append(e.b, b...)
		put(top, sym, ks, ke)
		return nil
	}
	for _, d := range ds {
		for _, s := range d.Sessions {
			if len(s.Ticks) == 0 {
				continue
			}
			sj := sessionJSON{Day: model.Day(s.Day).Unix(), PrevClose: jsonFloat(s.PrevClose), Source: model.Sanitize(s.Source)}
			for _, t := range s.Ticks {
				sj.Ticks = append(sj.Ticks, tickJSON{T: t.Time.Unix(), O: jsonFloat(t.Open), C: jsonFloat(t.Close), H: jsonFloat(t.High), L: jsonFloat(t.Low), V: jsonFloat(t.Volume), A: jsonFloat(t.Amount), Avg: jsonFloat(t.Avg)})
			}
			if err := add(bSessions, d.Symbol, s.Day, sj); err != nil {
				return err
			}
		}
		if f := d.Flow; f != nil && len(f.Ticks) > 0 {
			fj := flowTodayJSON{Day: model.Day(f.Day).Unix(), Source: model.Sanitize(f.Source)}
			for _, t := range f.Ticks {
				fj.Ticks = append(fj.Ticks, flowTickJSON{T: t.Time.Unix(), F: toFlowJSON(t.Flow)})
			}
			if err := add(bFlow1m, d.Symbol, f.Day, fj); err != nil {
				return err
			}
		}
		for _, fd := range d.FlowDays {
			v := flowDayJSON{Day: model.Day(fd.Date).Unix(), F: toFlowJSON(fd.Flow), Close: jsonFloat(fd.Close), Chg: jsonFloat(fd.ChangePct), Source: model.Sanitize(fd.Source)}
			if err := add(bFlowDays, d.Symbol, fd.Date, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// Sessions returns the cached sessions of minute data of sym whose day
// lies in [from, to], oldest first.
func (db *DB) Sessions(sym string, from, to time.Time) ([]model.Session, error) {
	var out []model.Session
	err := db.view(func(tx *bolt.Tx) error {
		return scan(nested(tx, bSessions, sym), makeSpan(dayOrZero(from), to), func(k, v []byte) error {
			var sj sessionJSON
			if err := json.Unmarshal(v, &sj); err != nil {
				return fmt.Errorf("%w: sessions/%s: %v", errCorrupt, sym, err)
			}
			s := model.Session{Symbol: sym, Day: cst(sj.Day), PrevClose: float64(sj.PrevClose), Source: sj.Source}
			for _, t := range sj.Ticks {
				s.Ticks = append(s.Ticks, model.Tick{Time: cst(t.T), Open: float64(t.O), Close: float64(t.C), High: float64(t.H), Low: float64(t.L), Volume: float64(t.V), Amount: float64(t.A), Avg: float64(t.Avg)})
			}
			out = append(out, s)
			return nil
		})
	})
	return out, err
}

// FlowToday returns the cached per-minute fund flow of sym for the newest
// day at or before asOf (the newest when zero); ok is false when none is.
func (db *DB) FlowToday(sym string, asOf time.Time) (ft model.FlowToday, ok bool, err error) {
	err = db.view(func(tx *bolt.Tx) error {
		b := nested(tx, bFlow1m, sym)
		if b == nil {
			return nil
		}
		k, v := seekAsOf(b.Cursor(), asOf)
		if k == nil {
			return nil
		}
		var fj flowTodayJSON
		if err := json.Unmarshal(v, &fj); err != nil {
			return fmt.Errorf("%w: flow_1m/%s: %v", errCorrupt, sym, err)
		}
		ft = model.FlowToday{Symbol: sym, Day: cst(fj.Day), Source: fj.Source}
		for _, t := range fj.Ticks {
			if !asOf.IsZero() && cst(t.T).After(asOf) {
				break
			}
			ft.Ticks = append(ft.Ticks, model.FlowTick{Time: cst(t.T), Flow: t.F.model()})
		}
		ok = true
		return nil
	})
	return ft, ok, err
}

// FlowDays returns the cached daily fund flow of sym in [from, to], oldest
// first.
func (db *DB) FlowDays(sym string, from, to time.Time) ([]model.FlowDay, error) {
	var out []model.FlowDay
	err := db.view(func(tx *bolt.Tx) error {
		return scan(nested(tx, bFlowDays, sym), makeSpan(dayOrZero(from), to), func(k, v []byte) error {
			var fj flowDayJSON
			if err := json.Unmarshal(v, &fj); err != nil {
				return fmt.Errorf("%w: flow_1d/%s: %v", errCorrupt, sym, err)
			}
			out = append(out, model.FlowDay{Symbol: sym, Date: cst(fj.Day), Flow: fj.F.model(), Close: float64(fj.Close), ChangePct: float64(fj.Chg), Source: fj.Source})
			return nil
		})
	})
	return out, err
}

func dayOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return model.Day(t)
}
