package storage

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

// The boundaries the section tests use: overdue before overdueBefore, due
// today before dueBefore, upcoming from then.
var (
	overdueBefore = t0.Truncate(time.Hour)
	dueBefore     = overdueBefore.Add(10 * time.Hour)
)

// dueCaseload stores people chosen to sit either side of every section
// boundary and returns their ids by a short key.
func dueCaseload(t *testing.T, s *Store) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	people := []struct {
		key, name string
		due       []time.Time // open follow-ups
		done      bool        // a follow-up that was completed
	}{
		// Inserted out of order, so the sort is the query's doing.
		{"week", "Gus next week", []time.Time{dueBefore.Add(7 * 24 * time.Hour)}, false},
		{"lastsec", "Fay last second of today", []time.Time{dueBefore.Add(-time.Second)}, false},
		{"none", "Hal no follow-up", nil, false},
		{"agoA", "Abe tie", []time.Time{overdueBefore.Add(-2 * time.Hour)}, false},
		{"long", "Cy long overdue", []time.Time{overdueBefore.Add(-48 * time.Hour)}, false},
		{"two", "Dot two open", []time.Time{dueBefore.Add(time.Hour), overdueBefore.Add(-time.Hour)}, false},
		{"tomorrow", "Eve tomorrow", []time.Time{dueBefore}, false},
		{"atob", "Ida at the boundary", []time.Time{overdueBefore}, false},
		{"onesec", "Jo a second overdue", []time.Time{overdueBefore.Add(-time.Second)}, false},
		{"doneOnly", "Kit done already", nil, true},
		{"agoB", "bea tie", []time.Time{overdueBefore.Add(-2 * time.Hour)}, false},
		{"doneAndOpen", "Lou done and open", []time.Time{overdueBefore.Add(time.Hour)}, true},
	}
	ids := map[string]int64{}
	for _, p := range people {
		pid, call := personWithCall(t, s, p.name)
		ids[p.key] = pid
		if p.done {
			mustAddFollowUp(t, s, coaching.FollowUp{PersonID: pid, Due: overdueBefore.Add(-72 * time.Hour)})
			if err := s.CompleteFollowUps(ctx, pid, call, t0); err != nil {
				t.Fatal(err)
			}
		}
		for _, d := range p.due {
			mustAddFollowUp(t, s, coaching.FollowUp{PersonID: pid, Due: d})
		}
	}
	return ids
}

var dueSections = map[Section][]string{
	SectionOverdue:    {"long", "agoA", "agoB", "two", "onesec"},
	SectionDueToday:   {"atob", "doneAndOpen", "lastsec"},
	SectionUpcoming:   {"tomorrow", "week"},
	SectionNoFollowUp: {"none", "doneOnly"},
	SectionAll:        {"agoA", "agoB", "long", "two", "tomorrow", "lastsec", "week", "none", "atob", "onesec", "doneOnly", "doneAndOpen"},
}

func TestCaseloadSections(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ids := dueCaseload(t, s)
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	changed := func(edit func(m map[Section][]string)) map[Section][]string {
		m := map[Section][]string{}
		for sec, keys := range dueSections {
			m[sec] = keys
		}
		edit(m)
		return m
	}
	tests := []struct {
		name    string
		overdue time.Time
		due     time.Time
		want    map[Section][]string
	}{
		{"boundaries on whole seconds", overdueBefore, dueBefore, dueSections},
		{"the same instants in another zone", overdueBefore.In(london), dueBefore.In(time.FixedZone("UTC-5", -5*3600)), dueSections},
		{"overdue boundary part-way through a second", overdueBefore.Add(500 * time.Millisecond), dueBefore, changed(func(m map[Section][]string) {
			m[SectionOverdue] = []string{"long", "agoA", "agoB", "two", "onesec", "atob"}
			m[SectionDueToday] = []string{"doneAndOpen", "lastsec"}
		})},
		{"tomorrow boundary part-way through a second", overdueBefore, dueBefore.Add(500 * time.Millisecond), changed(func(m map[Section][]string) {
			m[SectionDueToday] = []string{"atob", "doneAndOpen", "lastsec", "tomorrow"}
			m[SectionUpcoming] = []string{"week"}
		})},
		{"tomorrow boundary just before the second", overdueBefore, dueBefore.Add(-500 * time.Millisecond), dueSections},
		{"no due today: both boundaries the same", dueBefore, dueBefore, changed(func(m map[Section][]string) {
			m[SectionOverdue] = []string{"long", "agoA", "agoB", "two", "onesec", "atob", "doneAndOpen", "lastsec"}
			m[SectionDueToday] = nil
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			counts, err := s.CaseloadCounts(ctx, CaseloadQuery{OverdueBefore: tt.overdue, DueBefore: tt.due})
			if err != nil {
				t.Fatal(err)
			}
			sum := 0
			for _, sec := range []Section{SectionAll, SectionOverdue, SectionDueToday, SectionUpcoming, SectionNoFollowUp} {
				rows, err := s.rowsOf(ctx, CaseloadQuery{Section: sec, OverdueBefore: tt.overdue, DueBefore: tt.due})
				if err != nil {
					t.Fatal(err)
				}
				if got := keysOf(t, ids, rows); !reflect.DeepEqual(got, tt.want[sec]) {
					t.Errorf("%v: got %v, want %v", sec, got, tt.want[sec])
				}
				if counts[sec] != (Count{N: len(tt.want[sec])}) {
					t.Errorf("%v: counted %+v, want %d", sec, counts[sec], len(tt.want[sec]))
				}
				if sec != SectionAll {
					sum += counts[sec].N
				}
			}
			if len(counts) != 5 || sum != counts[SectionAll].N {
				t.Errorf("counts %v: the four sections add up to %d, not everyone", counts, sum)
			}
		})
	}
}

func TestCaseloadSectionRows(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ids := dueCaseload(t, s)
	rows, err := s.rowsOf(ctx, CaseloadQuery{Section: SectionOverdue, OverdueBefore: overdueBefore, DueBefore: dueBefore})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		want := map[int64]time.Time{ids["long"]: overdueBefore.Add(-48 * time.Hour), ids["agoA"]: overdueBefore.Add(-2 * time.Hour),
			ids["agoB"]: overdueBefore.Add(-2 * time.Hour), ids["two"]: overdueBefore.Add(-time.Hour), ids["onesec"]: overdueBefore.Add(-time.Second)}[r.ID]
		if !r.NextDue.Equal(want) || r.NextDue.Location() != time.UTC {
			t.Errorf("%s: next due %v, want %v in UTC", r.Name, r.NextDue, want)
		}
		if r.Calls != 1 || !r.OpenCall {
			t.Errorf("%s: calls %d, open %v; want the one open call", r.Name, r.Calls, r.OpenCall)
		}
	}
	all, err := s.rowsOf(ctx, CaseloadQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		if r.ID == ids["none"] || r.ID == ids["doneOnly"] {
			if !r.NextDue.IsZero() {
				t.Errorf("%s has no open follow-up but next due %v", r.Name, r.NextDue)
			}
		} else if r.NextDue.IsZero() {
			t.Errorf("%s: no next due time", r.Name)
		}
	}
}

func TestCaseloadSectionsPaging(t *testing.T) {
	s := newStore(t)
	ids := dueCaseload(t, s)
	for _, sec := range []Section{SectionOverdue, SectionDueToday, SectionUpcoming, SectionNoFollowUp, SectionAll} {
		for _, n := range []int{1, 2, 5} {
			got := keysOf(t, ids, pages(t, s, CaseloadQuery{Section: sec, OverdueBefore: overdueBefore, DueBefore: dueBefore}, n))
			if !reflect.DeepEqual(got, dueSections[sec]) {
				t.Errorf("%v in pages of %d = %v, want %v", sec, n, got, dueSections[sec])
			}
		}
	}
}

func TestCaseloadSectionsWithFilter(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ids := dueCaseload(t, s)
	tests := []struct {
		filter string
		want   map[Section][]string
	}{
		{"tie", map[Section][]string{SectionOverdue: {"agoA", "agoB"}, SectionAll: {"agoA", "agoB"}}},
		{"TIE", map[Section][]string{SectionOverdue: {"agoA", "agoB"}, SectionAll: {"agoA", "agoB"}}},
		{"ab", map[Section][]string{SectionOverdue: {"agoA"}, SectionAll: {"agoA"}}},
		{"b", map[Section][]string{SectionOverdue: {"agoB"}, SectionAll: {"agoB"}}},
		{"done", map[Section][]string{SectionDueToday: {"doneAndOpen"}, SectionNoFollowUp: {"doneOnly"}, SectionAll: {"doneOnly", "doneAndOpen"}}},
		{"second", map[Section][]string{SectionOverdue: {"onesec"}, SectionDueToday: {"lastsec"}, SectionAll: {"lastsec", "onesec"}}},
		{"d", map[Section][]string{SectionOverdue: {"two"}, SectionAll: {"two"}}},
		{"zzz", map[Section][]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			q := CaseloadQuery{Filter: tt.filter, OverdueBefore: overdueBefore, DueBefore: dueBefore}
			counts, err := s.CaseloadCounts(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, sec := range []Section{SectionAll, SectionOverdue, SectionDueToday, SectionUpcoming, SectionNoFollowUp} {
				q.Section = sec
				rows, err := s.rowsOf(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if got := keysOf(t, ids, rows); !reflect.DeepEqual(got, tt.want[sec]) {
					t.Errorf("%v: got %v, want %v", sec, got, tt.want[sec])
				}
				if counts[sec] != (Count{N: len(tt.want[sec])}) {
					t.Errorf("%v: counted %+v, want %d", sec, counts[sec], len(tt.want[sec]))
				}
				if got := keysOf(t, ids, pages(t, s, q, 1)); !reflect.DeepEqual(got, tt.want[sec]) {
					t.Errorf("%v one at a time: got %v, want %v", sec, got, tt.want[sec])
				}
			}
		})
	}
}

func TestCaseloadSectionRefusals(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	dueCaseload(t, s)
	for _, tt := range []struct {
		name string
		q    CaseloadQuery
		says string // "" when it must work
	}{
		{"everyone needs no boundaries", CaseloadQuery{Section: SectionAll}, ""},
		{"no follow-up needs no boundaries", CaseloadQuery{Section: SectionNoFollowUp}, ""},
		{"overdue without boundaries", CaseloadQuery{Section: SectionOverdue}, "need the instants"},
		{"due today without the second boundary", CaseloadQuery{Section: SectionDueToday, OverdueBefore: overdueBefore}, "need the instants"},
		{"upcoming without the first boundary", CaseloadQuery{Section: SectionUpcoming, DueBefore: dueBefore}, "need the instants"},
		{"boundaries the wrong way round", CaseloadQuery{Section: SectionUpcoming, OverdueBefore: dueBefore, DueBefore: overdueBefore}, "after the start of upcoming"},
		{"unknown section", CaseloadQuery{Section: Section(9), OverdueBefore: overdueBefore, DueBefore: dueBefore}, "unknown caseload section 9"},
		{"negative section", CaseloadQuery{Section: -1}, "unknown caseload section -1"},
	} {
		_, err := s.Caseload(ctx, tt.q)
		if tt.says == "" && err != nil || tt.says != "" && (err == nil || !strings.Contains(err.Error(), tt.says)) {
			t.Errorf("%s: Caseload err = %v, want %q", tt.name, err, tt.says)
		}
	}
	for _, q := range []CaseloadQuery{{}, {OverdueBefore: overdueBefore}, {DueBefore: dueBefore}, {OverdueBefore: dueBefore, DueBefore: overdueBefore}} {
		if _, err := s.CaseloadCounts(ctx, q); err == nil {
			t.Errorf("CaseloadCounts(%+v) was not refused", q)
		}
	}
}

func TestCaseloadPlanColumns(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	plan := func(what string, scores ...int) func(pid int64) int64 {
		return func(pid int64) int64 {
			id := mustSavePlan(t, s, coaching.ActionPlan{PersonID: pid, Behaviour: coaching.BehaviourOwn, What: what, Confidence: coaching.NoScore}, t0)
			for i, sc := range scores {
				if err := s.ScorePlan(ctx, id, sc, t0.Add(time.Duration(i)*time.Minute)); err != nil {
					t.Fatal(err)
				}
			}
			return id
		}
	}
	tests := []struct {
		name     string
		make     func(pid int64)
		wantPlan string
		wantConf int
	}{
		{"no plans", func(int64) {}, "", coaching.NoScore},
		{"a plan never scored", func(pid int64) { plan("walk")(pid) }, "walk", coaching.NoScore},
		{"a plan scored twice: the last", func(pid int64) { plan("walk", 4, 6)(pid) }, "walk", 6},
		{"a score of 0 is a score", func(pid int64) { plan("walk", 5, 0)(pid) }, "walk", 0},
		{"revised: the new plan, the old plan's score", func(pid int64) {
			old := plan("swim", 8)(pid)
			next := coaching.ActionPlan{PersonID: pid, Behaviour: coaching.BehaviourOwn, What: "swim less", Replaces: old, Confidence: coaching.NoScore}
			if _, err := s.RevisePlan(ctx, old, next, t0); err != nil {
				t.Fatal(err)
			}
		}, "swim less", 8},
		{"dropped: no plan, its score stays", func(pid int64) {
			id := plan("yoga", 3)(pid)
			if err := s.SetPlanStatus(ctx, id, coaching.PlanDropped, t0); err != nil {
				t.Fatal(err)
			}
		}, "", 3},
		{"done is still the current plan", func(pid int64) {
			id := plan("stairs", 7)(pid)
			if err := s.ReviewPlan(ctx, coaching.PlanReview{PlanID: id, Outcome: coaching.PlanDone}, t0); err != nil {
				t.Fatal(err)
			}
		}, "stairs", 7},
		{"newest plan wins; newest score by time", func(pid int64) {
			old := plan("old")(pid)
			plan("new", 9)(pid) // scored at t0
			if err := s.ScorePlan(ctx, old, 1, t0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}, "new", 1},
		{"a score recorded late counts from when it was given", func(pid int64) {
			old := plan("before")(pid)
			plan("after", 9)(pid) // scored at t0
			if err := s.ScorePlan(ctx, old, 2, t0.Add(-time.Hour)); err != nil {
				t.Fatal(err)
			}
		}, "after", 9},
	}
	for _, tt := range tests {
		tt.make(createPerson(t, s, coaching.Person{Name: tt.name}))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.rowsOf(ctx, CaseloadQuery{Filter: tt.name})
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 {
				t.Fatalf("%d rows for %q", len(rows), tt.name)
			}
			if r := rows[0]; r.ActivePlan != tt.wantPlan || r.LastConfidence != tt.wantConf {
				t.Errorf("plan %q, confidence %d; want %q, %d", r.ActivePlan, r.LastConfidence, tt.wantPlan, tt.wantConf)
			}
		})
	}
}

// planLine is one line of EXPLAIN QUERY PLAN.
type planLine struct {
	id, parent int
	detail     string
}

// explain is the query plan of query.
func explain(t *testing.T, s *Store, query string, args ...any) []planLine {
	t.Helper()
	rows, err := s.ro.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []planLine
	for rows.Next() {
		var l planLine
		var unused int
		if err := rows.Scan(&l.id, &l.parent, &unused, &l.detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// pgPlan is PostgreSQL's plan of query (EXPLAIN's text) with sequential
// scans priced out (enable_seqscan off, for its transaction alone). A test's
// tables are too small for the planner to choose an index by cost, so a
// plan is checked for what it can do: a Seq Scan left in this plan means
// no index can serve the query.
func pgPlan(t *testing.T, s *Store, query string, args ...any) string {
	t.Helper()
	return pgPlanWithout(t, s, []string{"seqscan"}, query, args...)
}

// pgPlanWithout is PostgreSQL's plan of query with the planner's methods
// off (enable_seqscan and so on) priced out.
func pgPlanWithout(t *testing.T, s *Store, off []string, query string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, m := range off {
		if _, err := tx.ExecContext(ctx, "SET LOCAL enable_"+m+" = off"); err != nil {
			t.Fatal(err)
		}
	}
	lines, err := column[string](ctx, tx, "EXPLAIN "+query, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, query)
	}
	return strings.Join(lines, "\n")
}

// seqScans lists the tables among tables that plan (pgPlan's) reads whole.
func seqScans(plan string, tables ...string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`Seq Scan on (\w+)`).FindAllStringSubmatch(plan, -1) {
		if slices.Contains(tables, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

func planText(plan []planLine) string {
	var b strings.Builder
	for _, l := range plan {
		fmt.Fprintf(&b, "%d<%d %s\n", l.id, l.parent, l.detail)
	}
	return b.String()
}

// TestMigratedCaseloadHasNoFollowUps: people and calls from a file made
// before plans existed are all in "no follow-up", and can get plans and
// follow-ups.
func TestMigratedCaseloadHasNoFollowUps(t *testing.T) {
	for v := 1; v < 4; v++ {
		t.Run(fmt.Sprintf("from version %d", v), func(t *testing.T) {
			ctx := context.Background()
			s := openOldCaseload(t, v)
			counts, err := s.CaseloadCounts(ctx, CaseloadQuery{OverdueBefore: overdueBefore, DueBefore: dueBefore})
			if err != nil || counts[SectionNoFollowUp].N != 2 || counts[SectionAll].N != 2 {
				t.Errorf("counts after migrating: %v, %v; want both people with no follow-up", counts, err)
			}
			if _, _, err := s.CommitPlan(ctx, walkPlan(1, 7), []int{6}, &coaching.FollowUp{Due: overdueBefore.Add(-time.Hour)}, t0); err != nil {
				t.Fatal(err)
			}
			rows, err := s.rowsOf(ctx, CaseloadQuery{Section: SectionOverdue, OverdueBefore: overdueBefore, DueBefore: dueBefore})
			if err != nil || len(rows) != 1 || rows[0].ID != 1 || rows[0].ActivePlan != "walk to the shop" || rows[0].LastConfidence != 6 {
				t.Errorf("overdue after a plan: %+v, %v", rows, err)
			}
		})
	}
}
