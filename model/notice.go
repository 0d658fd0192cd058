package model

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Notice is one company announcement (公告) as the exchange filing lists
// give it.
type Notice struct {
	ID       string    // the filing's id, e.g. Eastmoney's art_code "AN202601091820417356"
	Codes    []string  // the securities it belongs to
	Title    string    // sanitised
	Date     time.Time // the date the notice carries (CST day)
	Posted   time.Time // when it was posted, if known
	Category string    // the list's category label, e.g. 日常关联交易
	Link     string    // a page or PDF a user can open
	Source   string
}

// ConcentrateNotice is what a quarterly concentrate-price notice says. A
// notice recognised by its title whose text does not yield a price has
// Parsed false and keeps the reason; it is never guessed.
type ConcentrateNotice struct {
	Notice   Notice
	Quarter  Quarter
	Parsed   bool
	Price    float64 // 元/吨 ex-VAT, dry weight, at BasisREO
	BasisREO float64 // percent
	Step     float64 // 元/吨 per 1% REO, as printed (price/basis where not printed)
	Proposed bool    // the notice proposes the price (拟将…调整为); it is not yet set
	Reason   string  // why the price was not parsed
	Text     string  // the notice's text, kept for review (at most MaxNoticeText bytes)
}

// MaxNoticeText bounds the text kept with a concentrate notice.
const MaxNoticeText = 60000

// ContractIssuers are the two companies that announce the concentrate
// price each quarter: Northern Rare Earth (the buyer) and Baotou Steel
// (the seller).
var ContractIssuers = []string{"600111", "600010"}

// NoteProposed starts the note of a quarter whose price comes from a
// notice that proposes it (拟…) rather than sets it.
const NoteProposed = "proposed in the notice, not yet confirmed"

// Proposed reports whether the quarter's price is a proposal from a notice.
func (c ContractQuarter) Proposed() bool { return strings.HasPrefix(c.Note, NoteProposed) }

// NoticeMerge decides what a parsed concentrate notice does to the quarter
// already known (has false: none). A notice fills a quarter nobody priced
// and replaces a proposal with a set price; it never replaces a set price
// with a proposal, and a set price that disagrees with a known one is kept
// out and said (conflict), never silently swapped.
func NoticeMerge(old ContractQuarter, has bool, c ConcentrateNotice) (row ContractQuarter, write bool, conflict string) {
	if !c.Parsed {
		return ContractQuarter{}, false, ""
	}
	row = c.Contract()
	switch {
	case !has:
		return row, true, ""
	case old.Proposed() && !c.Proposed:
		return row, true, ""
	case c.Proposed:
		return ContractQuarter{}, false, ""
	case math.Abs(old.Price-c.Price) <= 0.5 && old.Basis() == row.Basis():
		return ContractQuarter{}, false, ""
	}
	return ContractQuarter{}, false, fmt.Sprintf("%s: %s prices it at %.2f 元/吨 (REO %g%%); the stored %.2f (%s) is kept",
		c.Quarter, c.Notice.Title, c.Price, row.Basis(), old.Price, old.Source)
}

// Contract returns the quarter as a contract row whose source is the
// notice (title, date, link).
func (c ConcentrateNotice) Contract() ContractQuarter {
	src := c.Notice.Title + " (" + c.Notice.Date.Format("2006-01-02") + ")"
	if c.Notice.Link != "" {
		src += " " + c.Notice.Link
	}
	cq := ContractQuarter{Quarter: c.Quarter, Price: c.Price, BasisREO: c.BasisREO, Source: src}
	if c.Proposed {
		cq.Note = NoteProposed
	}
	return cq
}
