package main

import (
	"log"
	"sync"
	"time"

	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/eastmoney"
	"github.com/rareterm/rareterm/feeds/httpx"
	"github.com/rareterm/rareterm/feeds/prices"
	"github.com/rareterm/rareterm/feeds/sina"
)

// dropLog logs dropped feed rows, at most a few a minute per feed, so a feed
// that changes its format cannot flood the log file.
type dropLog struct {
	mu     sync.Mutex
	logger *log.Logger
	window time.Time
	n      map[string]int
}

func (d *dropLog) fn(feed string) func(string) {
	return func(msg string) {
		d.mu.Lock()
		defer d.mu.Unlock()
		if now := time.Now(); now.Sub(d.window) > time.Minute {
			d.window, d.n = now, map[string]int{}
		}
		d.n[feed]++
		switch {
		case d.n[feed] <= 20:
			d.logger.Printf("dropped: %s", msg)
		case d.n[feed] == 21:
			d.logger.Printf("dropped: %s: more rows dropped this minute, not logged", feed)
		}
	}
}

// liveSources wires the real feeds from the config: Eastmoney for quotes,
// history, margin and boards, Sina as the quote fallback, and the element
// price adapters that are configured.
func liveSources(cfg Config, logger *log.Logger) (feeds.PollerConfig, error) {
	drops := &dropLog{logger: logger, n: map[string]int{}}
	emHTTP := httpx.New(httpx.Options{Timeout: 15 * time.Second, RatePerSec: cfg.Eastmoney.RatePerSec, Burst: 3})
	em := eastmoney.New(eastmoney.Config{
		Push2URL: cfg.Eastmoney.Push2URL, Push2HisURL: cfg.Eastmoney.Push2HisURL, DatacenterURL: cfg.Eastmoney.DatacenterURL,
		AnoticeURL: cfg.Eastmoney.AnoticeURL, CnoticeURL: cfg.Eastmoney.CnoticeURL,
		Push2exURL: cfg.Market.Push2exURL,
		HTTP:       emHTTP, OnDrop: drops.fn("eastmoney"),
	})
	pc := feeds.PollerConfig{
		Quotes:   []feeds.QuoteSource{em},
		History:  em,
		Margin:   em,
		Boards:   em,
		Notices:  em,
		Detail:   em,
		Cadence:  cfg.Cadence,
		Timeouts: cfg.Timeouts,
		// An element price outside its plausible band is dropped, as in
		// manual entry and import.
		ElementCheck: cfg.Bands.Check,
	}
	if cfg.Sina.Enabled {
		sinaHTTP := httpx.New(httpx.Options{Timeout: 15 * time.Second, RatePerSec: cfg.Sina.RatePerSec, Burst: 3, Referer: sina.Referer})
		pc.Quotes = append(pc.Quotes, sina.New(sina.Config{URL: cfg.Sina.URL, HTTP: sinaHTTP, OnDrop: drops.fn("sina")}))
	}
	if len(cfg.Prices.PPIURLs) > 0 {
		pc.Elements = append(pc.Elements, prices.NewPPI(prices.PPIConfig{URLs: cfg.Prices.PPIURLs, OnDrop: drops.fn("100ppi")}))
	}
	if v := cfg.Prices.Vendor; v.URL != "" {
		pc.Elements = append(pc.Elements, prices.NewVendor(prices.VendorConfig{
			Location: v.URL, Format: v.Format, OnDrop: drops.fn(v.Name),
			Mapping: prices.Mapping{Date: v.Date, Element: v.Element, Price: v.Price, Low: v.Low, High: v.High, Unit: v.Unit, DefaultUnit: v.DefaultUnit, Source: v.Name},
		}))
	}
	return pc, nil
}
