package model

import "time"

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
		cq.Note = "proposed in the notice, not yet confirmed"
	}
	return cq
}
