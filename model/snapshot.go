package model

import "time"

// Snapshot is the market as of one moment: what every panel draws. The store
// builds one from the database (latest, or as of a past date); the screen
// keeps one in memory and applies each poll's batch to it.
type Snapshot struct {
	AsOf      time.Time // zero for "now"
	Quotes    map[string]Quote
	Daily     map[string][]Bar // daily bars, oldest first, per symbol
	Elements  map[ElementID]Series
	Contract  []ContractQuarter      // oldest first
	Margin    map[string][]MarginDay // per stock, oldest first (recent days)
	Sector    map[string][]MarginDay // per board, oldest first
	Boards    map[string]BoardMove   // latest per board
	Members   map[string][]Quote     // board constituents
	Symbols   map[string]Symbol
	IndexEras []IndexEra
}

// NewSnapshot returns an empty snapshot with its maps made.
func NewSnapshot() Snapshot {
	return Snapshot{
		Quotes:   map[string]Quote{},
		Daily:    map[string][]Bar{},
		Elements: map[ElementID]Series{},
		Margin:   map[string][]MarginDay{},
		Sector:   map[string][]MarginDay{},
		Boards:   map[string]BoardMove{},
		Members:  map[string][]Quote{},
		Symbols:  map[string]Symbol{},
	}
}
