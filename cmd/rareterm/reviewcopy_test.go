package main

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

// --offline beside a collect that serves no terminals reviews a consistent
// copy of the database, made while the writer goes on committing; the
// original is left as it was.
func TestOfflineReviewsACopyWhileAnotherRaretermWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rareterm.db")
	w, err := store.Open(path, store.Options{Mode: store.ModeLive})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	day := model.Date(2026, 1, 5)
	q := func(i int) model.Batch {
		return model.Batch{Quotes: []model.Quote{{Symbol: "600111", Time: day.Add(9*time.Hour + time.Duration(i)*time.Second), Last: 50 + float64(i%100)/100, Source: "eastmoney"}}}
	}
	for i := range 200 {
		if err := w.Append(q(i)); err != nil {
			t.Fatal(err)
		}
	}
	_, err = store.Open(path, store.Options{Mode: store.ModeLive, ReadOnly: true, Timeout: 100 * time.Millisecond})
	if err == nil {
		t.Fatal("a second open of a held database succeeded")
	}
	// The writer goes on committing while the copy is made.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 200; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			_ = w.Append(q(i))
		}
	}()
	db, cleanup, notice, ok := offlineFallback(path, store.ModeLive, err, i18n.EN)
	close(stop)
	wg.Wait()
	if !ok {
		t.Fatalf("no copy: %v", err)
	}
	defer cleanup()
	if !strings.Contains(notice, "a copy of the database") {
		t.Errorf("notice %q", notice)
	}
	qs, err := db.Quotes("600111", time.Time{}, time.Time{})
	if err != nil || len(qs) < 200 {
		t.Errorf("the copy holds %d quotes (%v), want at least the 200 committed before it", len(qs), err)
	}
	if err := db.Check(); err != nil {
		t.Errorf("the copy: %v", err)
	}
	if err := w.Append(q(100000)); err != nil {
		t.Errorf("the writer after the copy: %v", err)
	}
	// Anything but "in use" is not covered by a copy.
	if _, _, _, ok := offlineFallback(path, store.ModeLive, store.ErrNotDatabase, i18n.EN); ok {
		t.Error("a copy for an error other than in use")
	}
}
