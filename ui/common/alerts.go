package common

import "github.com/rareterm/rareterm/model"

// AlertBook is the alert engine as the screen sees it: the rules and their
// states in memory (no I/O). nil in offline review, where nothing is
// evaluated.
type AlertBook interface {
	Add(text string) (model.AlertRule, error)
	Remove(n int) (model.AlertRule, error)
	States() []model.AlertState
}

// AlertSeeder is an AlertBook that may start without its own copy of the
// market (it had no rules): the screen gives it a clone of its own before
// adding the first rule, with the sequence number of the last batch in it.
type AlertSeeder interface {
	Seeded() bool
	Seed(snap model.Snapshot, seq uint64)
}

// alertLogSize is how many fired alerts the screen keeps.
const alertLogSize = 500

// Alerts is what the alerts screen draws: each rule's state and the log of
// what fired (stored ones from earlier runs first), newest last.
type Alerts struct {
	Book   AlertBook
	States []model.AlertState
	Log    []model.AlertEvent
}

// Apply adds the alerts a batch fired and reads the rules' states again.
func (a *Alerts) Apply(b model.Batch) {
	if len(b.Alerts) > 0 {
		a.Log = append(a.Log, b.Alerts...)
		if n := len(a.Log); n > alertLogSize {
			a.Log = append(a.Log[:0:0], a.Log[n-alertLogSize:]...)
		}
	}
	a.Refresh()
}

// Refresh reads the rules' states from the book.
func (a *Alerts) Refresh() {
	if a.Book != nil {
		a.States = a.Book.States()
	}
}

// RemoveAlertMsg asks the root to remove rule N (1-based), as :alert rm N.
type RemoveAlertMsg struct{ N int }
