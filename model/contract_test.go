package model

import (
	"math/rand"
	"testing"
	"time"
)

// referenceContracts is the table of REFERENCE §4: every quarter a source
// was found for. 2022Q1 is on the REO 51% basis; the rest on 50%.
func referenceContracts() []ContractQuarter {
	q := func(y, n int, p float64) ContractQuarter {
		return ContractQuarter{Quarter: Quarter{y, n}, Price: p}
	}
	c22 := q(2022, 1, 26887.20)
	c22.BasisREO = 51
	return []ContractQuarter{
		c22,
		q(2022, 3, 39189),
		q(2023, 1, 35313),
		q(2023, 2, 31030),
		q(2023, 3, 20176),
		q(2024, 1, 20737),
		q(2024, 2, 16792),
		q(2024, 3, 16741),
		q(2024, 4, 17782),
		q(2025, 1, 18618),
		q(2025, 2, 18825),
		q(2025, 3, 19109),
		q(2025, 4, 26205),
		q(2026, 1, 26834),
	}
}

func TestContractGradeAndStep(t *testing.T) {
	c26 := ContractQuarter{Quarter: Quarter{2026, 1}, Price: 26834} // basis unset → 50
	c22 := ContractQuarter{Quarter: Quarter{2022, 1}, Price: 26887.20, BasisREO: 51}
	tests := []struct {
		name  string
		c     ContractQuarter
		grade float64
		basis float64
		step  float64
		price float64
	}{
		// 26834 × 48.5 / 50 = 26834 × 0.97 = 26,028.98; step 26834/50 = 536.68.
		{"2026Q1 at 48.5%", c26, 48.5, 50, 536.68, 26028.98},
		{"2026Q1 at basis", c26, 50, 50, 536.68, 26834},
		// 26834 + 536.68 = 27,370.68.
		{"2026Q1 at 51%", c26, 51, 50, 536.68, 27370.68},
		// 2022: basis 51, step 26887.20/51 = 527.20.
		{"2022Q1 at its 51% basis", c22, 51, 51, 527.20, 26887.20},
		// One point below the 51% basis: 26887.20 − 527.20 = 26,360.00.
		{"2022Q1 at 50%", c22, 50, 51, 527.20, 26360.00},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertNear(t, "Basis", tt.c.Basis(), tt.basis, 0)
			assertNear(t, "StepPerPct", tt.c.StepPerPct(), tt.step, 1e-9)
			assertNear(t, "PriceAtGrade", tt.c.PriceAtGrade(tt.grade), tt.price, 1e-9)
		})
	}
}

func TestContractStepMatchesReferenceColumn(t *testing.T) {
	// The "± per 1% REO" column of REFERENCE §4, to the cent.
	want := map[Quarter]float64{
		{2022, 1}: 527.20, {2022, 3}: 783.78, {2023, 1}: 706.26, {2023, 2}: 620.60,
		{2023, 3}: 403.52, {2024, 1}: 414.74, {2024, 2}: 335.84, {2024, 3}: 334.82,
		{2024, 4}: 355.64, {2025, 1}: 372.36, {2025, 2}: 376.50, {2025, 3}: 382.18,
		{2025, 4}: 524.10, {2026, 1}: 536.68,
	}
	for _, c := range referenceContracts() {
		w, ok := want[c.Quarter]
		if !ok {
			t.Fatalf("no reference step for %v", c.Quarter)
		}
		if got := Round2(c.StepPerPct()); got != w {
			t.Errorf("%v: step %.2f, want %.2f", c.Quarter, got, w)
		}
	}
}

func TestQoQ(t *testing.T) {
	cs := referenceContracts()
	tests := []struct {
		q    Quarter
		ok   bool
		want float64 // percent, as REFERENCE §4 prints it
		tol  float64
	}{
		{Quarter{2026, 1}, true, 2.40, 0.005},   // 26834/26205 − 1
		{Quarter{2025, 4}, true, 37.13, 0.005},  // 26205/19109 − 1
		{Quarter{2025, 3}, true, 1.51, 0.005},   // 19109/18825 − 1
		{Quarter{2025, 2}, true, 1.11, 0.005},   // 18825/18618 − 1
		{Quarter{2025, 1}, true, 4.70, 0.005},   // 18618/17782 − 1
		{Quarter{2024, 4}, true, 6.22, 0.005},   // 17782/16741 − 1
		{Quarter{2024, 3}, true, -0.30, 0.005},  // 16741/16792 − 1
		{Quarter{2024, 2}, true, -19.02, 0.005}, // 16792/20737 − 1
		{Quarter{2023, 3}, true, -34.98, 0.005}, // 20176/31030 − 1
		{Quarter{2023, 2}, true, -12.1, 0.05},   // 31030/35313 − 1 (printed to one decimal)
		// No QoQ: the quarter before is a gap, or the quarter is unknown.
		{Quarter{2024, 1}, false, 0, 0}, // 2023Q4 missing
		{Quarter{2023, 1}, false, 0, 0}, // 2022Q4 missing
		{Quarter{2022, 3}, false, 0, 0}, // 2022Q2 missing (the +45.8% is vs 2022Q1, not QoQ)
		{Quarter{2022, 1}, false, 0, 0}, // first known quarter
		{Quarter{2026, 2}, false, 0, 0}, // not yet known
		{Quarter{2023, 4}, false, 0, 0}, // itself a gap
	}
	for _, tt := range tests {
		t.Run(tt.q.String(), func(t *testing.T) {
			got, ok := QoQ(cs, tt.q)
			if ok != tt.ok {
				t.Fatalf("QoQ(%v) ok = %v, want %v (value %v)", tt.q, ok, tt.ok, got)
			}
			if ok {
				assertNear(t, "QoQ", got, tt.want, tt.tol)
			}
		})
	}
}

func TestQoQGapIsNeverInterpolated(t *testing.T) {
	// The full table, less 2023Q4 (already missing) — and then add 2023Q4
	// to prove it is the gap, not 2024Q1 itself, that withholds the figure.
	cs := referenceContracts()
	if _, ok := QoQ(cs, Quarter{2024, 1}); ok {
		t.Fatal("2024Q1 has a QoQ across the 2023Q4 gap")
	}
	cs = append(cs, ContractQuarter{Quarter: Quarter{2023, 4}, Price: 20000})
	got, ok := QoQ(cs, Quarter{2024, 1})
	if !ok {
		t.Fatal("2024Q1 has no QoQ with 2023Q4 known")
	}
	assertNear(t, "QoQ 2024Q1 vs 20000", got, 3.685, 1e-9) // 20737/20000 − 1
}

func TestStreak(t *testing.T) {
	ref := referenceContracts()
	synthetic := []ContractQuarter{
		{Quarter: Quarter{2020, 1}, Price: 10},
		{Quarter: Quarter{2020, 2}, Price: 11},
		// 2020Q3 missing
		{Quarter: Quarter{2020, 4}, Price: 12},
		{Quarter: Quarter{2021, 1}, Price: 13},
		{Quarter: Quarter{2021, 2}, Price: 13}, // flat: not an increase
		{Quarter: Quarter{2021, 3}, Price: 14},
	}
	tests := []struct {
		name string
		cs   []ContractQuarter
		q    Quarter
		want int
	}{
		// "Six consecutive increases since 2024Q3": 2024Q4 … 2026Q1.
		{"reference ending 2026Q1", ref, Quarter{2026, 1}, 6},
		{"reference ending 2025Q4", ref, Quarter{2025, 4}, 5},
		{"reference ending 2024Q4", ref, Quarter{2024, 4}, 1},
		{"reference ending 2024Q3 (a fall)", ref, Quarter{2024, 3}, 0},
		{"reference ending 2024Q1 (after a gap)", ref, Quarter{2024, 1}, 0},
		{"reference ending 2026Q2 (unknown)", ref, Quarter{2026, 2}, 0},
		{"gap ends the streak", synthetic, Quarter{2021, 1}, 1},
		{"flat ends the streak", synthetic, Quarter{2021, 3}, 1},
		{"flat quarter itself", synthetic, Quarter{2021, 2}, 0},
		{"before the gap", synthetic, Quarter{2020, 2}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Streak(tt.cs, tt.q); got != tt.want {
				t.Errorf("Streak(%v) = %d, want %d", tt.q, got, tt.want)
			}
		})
	}
}

func TestQuarterRows(t *testing.T) {
	cs := referenceContracts()
	// Shuffle the input: QuarterRows must sort, and must not reorder the caller's slice.
	rand.New(rand.NewSource(1)).Shuffle(len(cs), func(i, j int) { cs[i], cs[j] = cs[j], cs[i] })
	before := append([]ContractQuarter(nil), cs...)

	rows := QuarterRows(cs, time.Time{})

	for i := range cs {
		if cs[i] != before[i] {
			t.Fatalf("QuarterRows reordered its input at %d", i)
		}
	}
	// 2026Q1 back to 2022Q1 inclusive: 4 years × 4 + 1 = 17 rows.
	if len(rows) != 17 {
		t.Fatalf("got %d rows, want 17", len(rows))
	}
	if rows[0].Quarter != (Quarter{2026, 1}) || rows[16].Quarter != (Quarter{2022, 1}) {
		t.Fatalf("rows run %v … %v, want 2026Q1 … 2022Q1", rows[0].Quarter, rows[16].Quarter)
	}
	gaps := map[Quarter]bool{{2022, 2}: true, {2022, 4}: true, {2023, 4}: true}
	for i, r := range rows {
		if i > 0 && r.Quarter != rows[i-1].Quarter.Prev() {
			t.Errorf("row %d is %v, want %v (newest first, one per quarter)", i, r.Quarter, rows[i-1].Quarter.Prev())
		}
		if r.Known == gaps[r.Quarter] {
			t.Errorf("%v: Known = %v, want %v", r.Quarter, r.Known, !gaps[r.Quarter])
		}
		if !r.Known && (r.HasQoQ || r.C.Price != 0) {
			t.Errorf("gap %v carries data: %+v", r.Quarter, r)
		}
		if r.Known && r.C.Quarter != r.Quarter {
			t.Errorf("row %v holds contract of %v", r.Quarter, r.C.Quarter)
		}
	}
	byQ := map[Quarter]QuarterRow{}
	for _, r := range rows {
		byQ[r.Quarter] = r
	}
	if r := byQ[Quarter{2026, 1}]; !r.HasQoQ || Round2(r.QoQ) != 2.40 || r.C.Price != 26834 {
		t.Errorf("2026Q1 row = %+v, want price 26834, QoQ +2.40", r)
	}
	if r := byQ[Quarter{2024, 2}]; !r.HasQoQ || Round2(r.QoQ) != -19.02 {
		t.Errorf("2024Q2 row = %+v, want QoQ −19.02", r)
	}
	for _, q := range []Quarter{{2024, 1}, {2023, 1}, {2022, 3}, {2022, 1}} {
		if r := byQ[q]; !r.Known || r.HasQoQ {
			t.Errorf("%v row: Known %v HasQoQ %v, want known without QoQ (after a gap)", q, r.Known, r.HasQoQ)
		}
	}
	if r := byQ[Quarter{2022, 1}]; r.C.Basis() != 51 {
		t.Errorf("2022Q1 row basis %v, want 51", r.C.Basis())
	}
}

func TestQuarterRowsEdges(t *testing.T) {
	if rows := QuarterRows(nil, time.Time{}); rows != nil {
		t.Errorf("QuarterRows(nil, time.Time{}) = %v, want nil", rows)
	}
	one := []ContractQuarter{{Quarter: Quarter{2026, 1}, Price: 26834}}
	rows := QuarterRows(one, time.Time{})
	if len(rows) != 1 || !rows[0].Known || rows[0].HasQoQ {
		t.Errorf("single quarter rows = %+v", rows)
	}
}

func TestQuarterArithmetic(t *testing.T) {
	tests := []struct {
		q, prev, next Quarter
		str           string
	}{
		{Quarter{2026, 1}, Quarter{2025, 4}, Quarter{2026, 2}, "2026Q1"},
		{Quarter{2025, 4}, Quarter{2025, 3}, Quarter{2026, 1}, "2025Q4"},
		{Quarter{2024, 2}, Quarter{2024, 1}, Quarter{2024, 3}, "2024Q2"},
	}
	for _, tt := range tests {
		if got := tt.q.Prev(); got != tt.prev {
			t.Errorf("%v.Prev() = %v, want %v", tt.q, got, tt.prev)
		}
		if got := tt.q.Next(); got != tt.next {
			t.Errorf("%v.Next() = %v, want %v", tt.q, got, tt.next)
		}
		if got := tt.q.String(); got != tt.str {
			t.Errorf("String() = %q, want %q", got, tt.str)
		}
		if tt.q.Index()-tt.prev.Index() != 1 || tt.next.Index()-tt.q.Index() != 1 {
			t.Errorf("%v: Index not adjacent to Prev/Next", tt.q)
		}
	}
}

func TestSortQuarters(t *testing.T) {
	cs := []ContractQuarter{
		{Quarter: Quarter{2026, 1}}, {Quarter: Quarter{2022, 3}}, {Quarter: Quarter{2025, 4}}, {Quarter: Quarter{2022, 1}},
	}
	SortQuarters(cs)
	want := []Quarter{{2022, 1}, {2022, 3}, {2025, 4}, {2026, 1}}
	for i, c := range cs {
		if c.Quarter != want[i] {
			t.Fatalf("sorted[%d] = %v, want %v", i, c.Quarter, want[i])
		}
	}
}

func TestParseQuarter(t *testing.T) {
	good := []struct {
		in   string
		want Quarter
	}{
		{"2026Q1", Quarter{2026, 1}},
		{"2026-Q1", Quarter{2026, 1}},
		{"2026q1", Quarter{2026, 1}},
		{" 2025Q4 ", Quarter{2025, 4}},
		{"2022Q2", Quarter{2022, 2}},
	}
	for _, tt := range good {
		got, err := ParseQuarter(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseQuarter(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	bad := []string{
		"", "2026", "2026Q", "2026Q0", "2026Q5", "2026Q12", "26Q1", "Q12026",
		"2026 Q1", "2026-1", "abcdQ1", "2026QA", "1989Q4", "2101Q1", "2026Q+",
	}
	for _, in := range bad {
		if got, err := ParseQuarter(in); err == nil {
			t.Errorf("ParseQuarter(%q) = %v, want an error", in, got)
		}
	}
}

// On 2026-12-04, with quarters known to 2026Q1, the table runs to 2026Q4:
// 2026Q2 and Q3 are overdue (their first ten days passed with no price
// found), 2026Q4 too (due by 2026-10-10); on 2026-10-05, 2026Q4 is still
// due. A gap between known quarters stays "never found", not pending.
func TestQuarterRowsRunToTheCurrentQuarter(t *testing.T) {
	cs := referenceContracts()
	rows := QuarterRows(cs, time.Date(2026, 12, 4, 10, 0, 0, 0, CST))
	if rows[0].Quarter != (Quarter{2026, 4}) || rows[3].Quarter != (Quarter{2026, 1}) || !rows[3].Known {
		t.Fatalf("top rows %v %v", rows[0].Quarter, rows[3].Quarter)
	}
	for i, want := range []string{"2026-10-10", "2026-07-10", "2026-04-10"} {
		r := rows[i]
		if r.Known || !r.Pending || !r.Overdue || r.Due.Format("2006-01-02") != want {
			t.Errorf("row %d: %+v, want pending, overdue, due %s", i, r, want)
		}
	}
	rows = QuarterRows(cs, time.Date(2026, 10, 5, 10, 0, 0, 0, CST))
	if r := rows[0]; r.Quarter != (Quarter{2026, 4}) || !r.Pending || r.Overdue {
		t.Errorf("2026Q4 on 2026-10-05: %+v, want pending and not overdue", r)
	}
	// The last day of the window is not overdue yet; the day after is.
	if r := QuarterRows(cs, time.Date(2026, 10, 10, 23, 0, 0, 0, CST))[0]; r.Overdue {
		t.Error("2026Q4 overdue on 2026-10-10")
	}
	for _, r := range rows {
		if r.Quarter == (Quarter{2023, 4}) && (r.Known || r.Pending) {
			t.Errorf("2023Q4 is a historic gap, not pending: %+v", r)
		}
	}
	if lk, ok := LastKnown(rows); !ok || lk.Quarter != (Quarter{2026, 1}) {
		t.Errorf("LastKnown = %v %v", lk.Quarter, ok)
	}
	if q := QuarterOf(time.Date(2026, 12, 31, 23, 59, 0, 0, CST)); q != (Quarter{2026, 4}) {
		t.Errorf("QuarterOf = %v", q)
	}
}
