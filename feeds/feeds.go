// Package feeds holds the data-source interfaces, the poller that runs them
// on their cadences, and feed health. Each provider lives in a subpackage and
// only turns wire bytes into model values.
package feeds

import (
	"context"
	"time"

	"github.com/rareterm/rareterm/model"
)

// Kind is a kind of data, polled on its own cadence.
type Kind string

const (
	KindQuotes   Kind = "quotes"
	KindHistory  Kind = "history"
	KindMargin   Kind = "margin"
	KindBoards   Kind = "boards"
	KindElements Kind = "elements"
)

// QuoteSource returns the latest quotes for a batch of symbols in one request.
type QuoteSource interface {
	Name() string
	Quotes(ctx context.Context, syms []model.Symbol) ([]model.Quote, error)
}

// HistorySource returns bars for one symbol in [from, to].
type HistorySource interface {
	Name() string
	Bars(ctx context.Context, sym model.Symbol, iv model.Interval, from, to time.Time) ([]model.Bar, error)
}

// MarginSource returns margin financing days: per stock (newest `days` days)
// and per board (latest day of each requested board).
type MarginSource interface {
	Name() string
	Margin(ctx context.Context, sym model.Symbol, days int) ([]model.MarginDay, error)
	SectorMargin(ctx context.Context, boards []string) ([]model.MarginDay, error)
}

// BoardSource returns board moves and board constituents.
type BoardSource interface {
	Name() string
	Boards(ctx context.Context, codes []string) ([]model.BoardMove, error)
	Constituents(ctx context.Context, code string) ([]model.Quote, error)
}

// ElementSource returns the latest element prices it publishes (possibly
// several days').
type ElementSource interface {
	Name() string
	Elements(ctx context.Context) ([]model.ElementPrice, error)
}

// ElementWindowSource is an ElementSource whose Elements gives its whole
// history and that can give just the prices dated on or after a day. The
// poller asks for the whole history once a run and then for the last days
// (ElementWindow): a source whose older prices never change afterwards need
// not be read, vetted and compared in full on every poll.
type ElementWindowSource interface {
	ElementSource
	ElementsSince(ctx context.Context, since time.Time) ([]model.ElementPrice, error)
}

// ElementWindow is how many days before its newest price the poller asks
// an ElementWindowSource for again.
const ElementWindow = 7
