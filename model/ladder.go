package model

import (
	"fmt"
	"sort"
	"time"
)

// LimitUp is one stock of the day's limit-up pool (涨停股池).
type LimitUp struct {
	Code      string
	Market    Market
	Name      string
	Price     float64 // last, 元
	ChangePct float64
	Amount    float64 // turnover, 元
	FloatCap  float64 // 元
	Height    int     // consecutive limit-up closes (连板数); 1 is 首板
	First     time.Time
	Last      time.Time // first and last time the limit was sealed
	Breaks    int       // times the seal broke (炸板)
	Sealed    float64   // money bid at the limit (封板资金), 元
	Board     string    // the industry board it belongs to
}

// Ladder is the limit-up pool of one trading day.
type Ladder struct {
	Day    time.Time // midnight CST
	Rows   []LimitUp
	Source string
}

// Rung is one height of the ladder: its stocks, first sealed first.
type Rung struct {
	Height int
	Rows   []LimitUp
}

// Labels of the ladder, in one place.
const (
	LabelFirstBoard = "首板"
	LabelStreak     = "%d连板"
	LabelLadder     = "涨停"
	LabelBreaks     = "炸板"
)

// HeightLabel names a height as the desks do: 首板, 2连板, 3连板 …
func HeightLabel(h int) string {
	if h <= 1 {
		return LabelFirstBoard
	}
	return fmt.Sprintf(LabelStreak, h)
}

// Rungs groups the pool by height, highest first; within a height, the
// stock sealed first comes first (then by code). A height below 1 counts
// as 首板.
func (l Ladder) Rungs() []Rung {
	by := map[int][]LimitUp{}
	for _, r := range l.Rows {
		h := max(r.Height, 1)
		by[h] = append(by[h], r)
	}
	out := make([]Rung, 0, len(by))
	for h, rows := range by {
		sort.Slice(rows, func(i, j int) bool {
			if !rows[i].First.Equal(rows[j].First) {
				return rows[i].First.Before(rows[j].First)
			}
			return rows[i].Code < rows[j].Code
		})
		out = append(out, Rung{Height: h, Rows: rows})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Height > out[j].Height })
	return out
}

// Counts is "2连板 1 · 首板 2": the number of stocks per height, highest first.
func (l Ladder) Counts() string {
	s := ""
	for i, r := range l.Rungs() {
		if i > 0 {
			s += " · "
		}
		s += fmt.Sprintf("%s %d", HeightLabel(r.Height), len(r.Rows))
	}
	return s
}

// CountsShort is Counts without spaces, for a panel title: "2连板1·首板2".
func (l Ladder) CountsShort() string {
	s := ""
	for i, r := range l.Rungs() {
		if i > 0 {
			s += "·"
		}
		s += fmt.Sprintf("%s%d", HeightLabel(r.Height), len(r.Rows))
	}
	return s
}
