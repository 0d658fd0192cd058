package model

import "testing"

func TestSnapshotKeepsAManualPrice(t *testing.T) {
	s := NewSnapshot()
	day := Date(2026, 1, 9)
	p := func(v float64, src string) Batch {
		return Batch{Elements: []ElementPrice{{Element: PrNdOxide, Date: day, Price: v, Low: Unknown, High: Unknown, Source: src}}}
	}
	s.Apply(p(612000, ManualSource))
	s.Apply(p(600000, DemoSource))
	if got := s.Elements[PrNdOxide]; len(got) != 1 || got[0].Price != 612000 {
		t.Errorf("a feed replaced the manual price on screen: %+v", got)
	}
	s.Apply(p(611000, ManualSource))
	if got := s.Elements[PrNdOxide]; got[0].Price != 611000 {
		t.Errorf("a new manual price: %+v", got)
	}
}
