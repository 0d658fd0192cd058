package feeds

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rareterm/rareterm/model"
)

// historyElements answers every poll with its whole history, as the demo
// market and a vendor's file do.
type historyElements struct {
	mu     sync.Mutex
	prices []model.ElementPrice
}

func (h *historyElements) Name() string { return "hist" }
func (h *historyElements) Elements(context.Context) ([]model.ElementPrice, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]model.ElementPrice(nil), h.prices...), nil
}

// elementPolls returns a poll of src by a poller of its own: a minute on,
// one cycle, and the element prices of the batch it sent (nil if none).
func elementPolls(t *testing.T, src ElementSource, c *clock) func() []model.ElementPrice {
	var sent []model.Batch
	p := NewPoller(PollerConfig{Elements: []ElementSource{src}, Now: c.Now, Cadence: Cadence{Elements: time.Minute},
		Out: func(b model.Batch) { sent = append(sent, b) }})
	return func() []model.ElementPrice {
		t.Helper()
		n := len(sent)
		c.Add(time.Minute)
		if _, err := p.Cycle(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(sent) == n {
			return nil
		}
		return sent[len(sent)-1].Elements
	}
}

// A source that repeats its history sends it to the store and the screen
// once; then only the newest day's price when it moves, and an element whose
// older prices change is sent whole again.
func TestRepeatedElementHistoryIsSentOnce(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 9, 10, 0, 0, 0, model.CST)}
	price := func(id model.ElementID, day int, v float64) model.ElementPrice {
		return model.ElementPrice{Element: id, Date: model.Date(2026, 1, day), Price: v, Low: v - 1, High: v + 1, Source: "hist", OrigUnit: "元/吨"}
	}
	src := &historyElements{}
	for d := 5; d <= 9; d++ {
		src.prices = append(src.prices, price(model.PrNdOxide, d, 600000+float64(d)), price(model.DyOxide, d, 1500000+float64(d)))
	}
	poll := elementPolls(t, src, c)
	if got := poll(); len(got) != 10 {
		t.Fatalf("the first poll sent %d prices, want the whole history (10)", len(got))
	}
	if got := poll(); len(got) != 0 {
		t.Errorf("the same history again sent %d prices, want none", len(got))
	}
	// Today's PrNd price moves: that price alone.
	src.mu.Lock()
	src.prices[8].Price += 500
	src.mu.Unlock()
	if got := poll(); len(got) != 1 || got[0].Element != model.PrNdOxide || got[0].Price != 600509 {
		t.Errorf("a moved price sent %+v, want that price only", got)
	}
	// An older Dy price is corrected: Dy's history again, not PrNd's.
	src.mu.Lock()
	src.prices[3].Price -= 100
	src.mu.Unlock()
	got := poll()
	if len(got) != 5 {
		t.Fatalf("a corrected price sent %d prices, want Dy's 5", len(got))
	}
	for _, e := range got {
		if e.Element != model.DyOxide {
			t.Errorf("a correction of Dy sent %+v", e)
		}
	}
	// A new day: yesterday's price became final, so the element is sent
	// whole once more.
	src.mu.Lock()
	src.prices = append(src.prices, price(model.PrNdOxide, 12, 601000))
	src.mu.Unlock()
	c.Add(time.Date(2026, 1, 12, 10, 0, 0, 0, model.CST).Sub(c.Now()))
	if got := poll(); len(got) != 6 {
		t.Errorf("a new day sent %d prices, want PrNd's 6", len(got))
	}
}

// BenchmarkRepeatedElementHistory: vetting and comparing a source's answer
// that repeats a year and a half of prices for 12 products (7,200 prices,
// what the demo market gives every elements poll), of which nothing is new.
func BenchmarkRepeatedElementHistory(b *testing.B) {
	ids := []model.ElementID{model.LaOxide, model.CeOxide, model.PrOxide, model.NdOxide, model.PrNdOxide, model.PrNdMetal,
		model.NdMetal, model.PrMetal, model.DyOxide, model.DyMetal, model.TbOxide, model.TbMetal}
	d0 := time.Date(2025, 1, 2, 0, 0, 0, 0, model.CST)
	var es []model.ElementPrice
	for _, id := range ids {
		for i := range 600 {
			es = append(es, model.ElementPrice{Element: id, Date: d0.AddDate(0, 0, i), Price: 4000 + float64(i),
				Low: 3990, High: 4010, Source: "demo", OrigUnit: "元/吨"})
		}
	}
	now := d0.AddDate(0, 0, 600)
	p := NewPoller(PollerConfig{Now: func() time.Time { return now }})
	p.newElements("demo", p.vetElements("demo elements", es, now))
	b.ReportAllocs()
	for b.Loop() {
		if n := len(p.newElements("demo", p.vetElements("demo elements", es, now))); n != 0 {
			b.Fatalf("%d prices sent again", n)
		}
	}
}

// windowElements is a historyElements that can also give a window, and
// counts how it was asked.
type windowElements struct {
	historyElements
	whole  int
	sinces []time.Time
}

func (w *windowElements) Elements(ctx context.Context) ([]model.ElementPrice, error) {
	w.mu.Lock()
	w.whole++
	w.mu.Unlock()
	return w.historyElements.Elements(ctx)
}

func (w *windowElements) ElementsSince(_ context.Context, since time.Time) ([]model.ElementPrice, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sinces = append(w.sinces, since)
	var out []model.ElementPrice
	for _, e := range w.prices {
		if !e.Date.Before(since) {
			out = append(out, e)
		}
	}
	return out, nil
}

// A source that can give a window of its prices is read whole once a run,
// then from ElementWindow days before its newest price: what reaches the
// store and the screen is what reading it whole every time would send.
func TestWindowedElementSourceIsReadWholeOnce(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 20, 10, 0, 0, 0, model.CST)}
	price := func(day time.Time, v float64) model.ElementPrice {
		return model.ElementPrice{Element: model.PrNdOxide, Date: day, Price: v, Low: v - 1, High: v + 1, Source: "hist", OrigUnit: "元/吨"}
	}
	src := &windowElements{}
	for d := model.Date(2026, 1, 1); !d.After(model.Date(2026, 3, 20)); d = d.AddDate(0, 0, 1) {
		src.prices = append(src.prices, price(d, 600000+float64(d.YearDay())))
	}
	poll := elementPolls(t, src, c)
	if got := poll(); len(got) != len(src.prices) || src.whole != 1 {
		t.Fatalf("the first poll sent %d prices, read whole %d times; want the whole history (%d), once", len(got), src.whole, len(src.prices))
	}
	// The window's own first read sends its days once (the comparison
	// starts over), then nothing while nothing moves.
	poll()
	if got := poll(); len(got) != 0 {
		t.Errorf("the same prices again sent %d, want none", len(got))
	}
	if src.whole != 1 || len(src.sinces) != 2 || !src.sinces[0].Equal(model.Date(2026, 3, 20-ElementWindow)) {
		t.Fatalf("read whole %d times, windows from %v; want once, then from %v", src.whole, src.sinces, model.Date(2026, 3, 20-ElementWindow))
	}
	// Today's price moves: that price alone.
	src.mu.Lock()
	src.prices[len(src.prices)-1].Price += 500
	src.mu.Unlock()
	if got := poll(); len(got) != 1 || got[0].Price != src.prices[len(src.prices)-1].Price {
		t.Errorf("a moved price sent %+v, want that price only", got)
	}
	// A new day: the window moves with it, and its days are sent again
	// (yesterday's price became final).
	src.mu.Lock()
	src.prices = append(src.prices, price(model.Date(2026, 3, 21), 601000))
	src.mu.Unlock()
	c.Add(time.Date(2026, 3, 21, 10, 0, 0, 0, model.CST).Sub(c.Now()))
	// Asked from the window of the day before: 13 to 21 March.
	if got := poll(); len(got) != ElementWindow+2 {
		t.Errorf("a new day sent %d prices, want the window's %d", len(got), ElementWindow+2)
	}
	poll()
	if last := src.sinces[len(src.sinces)-1]; !last.Equal(model.Date(2026, 3, 21-ElementWindow)) {
		t.Errorf("after a new day the window starts %v, want %v", last, model.Date(2026, 3, 21-ElementWindow))
	}
}
