package main

import (
	"context"
	"io"
	"log"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rareterm/rareterm/model"
)

// A vendor source with a URL and no column mapping uses the column names
// README documents (date, element, price …).
func TestVendorURLWithoutMappingUsesTheDefaults(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "date,element,price\n2026-01-08,Dy oxide,1420000\n2026-01-09,氧化铽,6400000\n")
	}))
	defer srv.Close()
	cfg, err := parseConfig("c.toml", []byte("[feeds.prices.vendor]\nurl = \""+srv.URL+"/prices.csv\"\n"))
	if err != nil {
		t.Fatalf("a vendor url without a mapping was refused: %v", err)
	}
	pc, err := liveSources(cfg, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(pc.Elements) != 1 || pc.Elements[0].Name() != "vendor" {
		t.Fatalf("element sources: %v", pc.Elements)
	}
	ps, err := pc.Elements[0].Elements(context.Background())
	if err != nil || len(ps) != 2 || ps[1].Price != 6400000 {
		t.Fatalf("prices %+v, err %v", ps, err)
	}
}

// A live element price outside its band, as configured, is refused by the
// poller's row check; one inside is kept.
func TestLiveElementPricesAreCheckedAgainstTheBands(t *testing.T) {
	cfg, err := parseConfig("c.toml", []byte("[elements.bands]\nprnd_oxide = [200000, 2000000]\n"))
	if err != nil {
		t.Fatal(err)
	}
	pc, err := liveSources(cfg, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	if pc.ElementCheck == nil {
		t.Fatal("no element check wired")
	}
	p := model.ElementPrice{Element: model.PrNdOxide, Date: model.Date(2026, 1, 9), Price: 682500, Low: model.Unknown, High: model.Unknown, Source: "vendor"}
	if err := pc.ElementCheck(p); err != nil {
		t.Errorf("682,500 refused: %v", err)
	}
	for _, v := range []float64{150000, 1e308, math.Inf(1)} {
		p.Price = v
		if err := pc.ElementCheck(p); err == nil {
			t.Errorf("%v accepted", v)
		}
	}
}
