package storage

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

// coachesOf lists the coach's name on every record of table, by id.
func coachesOf(t *testing.T, s *Store, table string) []string {
	t.Helper()
	rows, err := s.ro.Query("SELECT coach FROM " + table + " ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRecordsCarryTheCoach(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	s.SetActor(coaching.Actor{Coach: "Mary Jones", OSUser: "mj"})
	pid, call := personWithCall(t, s, "Ann")
	if c, err := s.GetCall(ctx, call); err != nil || c.Coach != "Mary Jones" {
		t.Errorf("call: %+v, %v", c, err)
	}
	plan, err := s.SavePlan(ctx, walkPlan(pid, call), t0)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := s.GetPlan(ctx, plan); err != nil || p.Coach != "Mary Jones" {
		t.Errorf("plan: %+v, %v", p, err)
	}
	mustSaveMeasure(t, s, phq9(pid, call), t0)
	if _, err := s.AddReading(ctx, coaching.Reading{PersonID: pid, CallID: call, Kind: coaching.ReadingMood, Value: 7, Unit: "/10", Entered: "7 /10"}, t0); err != nil {
		t.Fatal(err)
	}

	// With no coach named, the operating system's user; a plan edited by
	// another stays its maker's, a revision is its reviser's.
	s.SetActor(coaching.Actor{OSUser: "pat"})
	if _, err := s.LogAttempt(ctx, Attempt{PersonID: pid, Outcome: coaching.OutcomeNoAnswer}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	p, err := s.GetPlan(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	p.What = "walk further"
	if _, err := s.SavePlan(ctx, p, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	next := walkPlan(pid, call)
	next.Replaces = plan
	if _, err := s.RevisePlan(ctx, plan, next, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	ms, err := s.MeasuresForPerson(ctx, pid)
	if err != nil || len(ms) != 1 || ms[0].Coach != "Mary Jones" {
		t.Errorf("measures: %+v, %v", ms, err)
	}
	rs, err := s.ReadingsForPerson(ctx, pid)
	if err != nil || len(rs) != 1 || rs[0].Coach != "Mary Jones" {
		t.Errorf("readings: %+v, %v", rs, err)
	}
	for table, want := range map[string][]string{
		"calls":        {"Mary Jones", "pat"},
		"action_plans": {"Mary Jones", "pat"},
	} {
		if got := coachesOf(t, s, table); len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("%s: coaches %q, want %q", table, got, want)
		}
	}
}

// Records made before schema v23 are credited to the first coach named
// in a Store that can write, once; updated_at is left as it was.
func TestMigrate22To23CreditsTheFirstCoach(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v22.db")
	fileAtVersion(t, path, 22)
	db := rawDB(t, path)
	const at = "'2026-11-23T14:00:00Z'"
	mustExec(t, db, `INSERT INTO people (id, name, created_at, updated_at) VALUES (1, 'Rosa', `+at+`, `+at+`)`)
	mustExec(t, db, `INSERT INTO calls (id, person_id, started_at, updated_at) VALUES (7, 1, `+at+`, `+at+`)`)
	mustExec(t, db, `INSERT INTO action_plans (person_id, call_id, behaviour, created_at, updated_at) VALUES (1, 7, 'activity', `+at+`, `+at+`)`)
	mustExec(t, db, `INSERT INTO measures (person_id, call_id, instrument, given_at, complete, scored, band) VALUES (1, 7, 'phq9', `+at+`, 0, 0, '')`)
	mustExec(t, db, `INSERT INTO readings (person_id, kind, value, unit, entered_value, taken_at, recorded_at) VALUES (1, 'mood', 7, '/10', '7', `+at+`, `+at+`)`)
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// A write before anyone is named credits nobody.
	createPerson(t, s, coaching.Person{Name: "Bob"})
	tables := []string{"calls", "action_plans", "measures", "readings"}
	for _, table := range tables {
		if got := coachesOf(t, s, table); len(got) != 1 || got[0] != "" {
			t.Fatalf("%s before a coach wrote: %q", table, got)
		}
	}
	s.SetActor(coaching.Actor{Coach: "Mary Jones"})
	for _, table := range tables {
		if got := coachesOf(t, s, table); len(got) != 1 || got[0] != "" {
			t.Fatalf("%s once Mary is named, before a write: %q (naming writes nothing)", table, got)
		}
	}
	if err := s.CreditRecords(ctx); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		if got := coachesOf(t, s, table); len(got) != 1 || got[0] != "Mary Jones" {
			t.Errorf("%s once Mary is named: %q", table, got)
		}
	}
	var updated string
	if err := s.ro.QueryRow("SELECT updated_at FROM calls WHERE id = 7").Scan(&updated); err != nil || updated != "2026-11-23T14:00:00Z" {
		t.Errorf("the credited call's updated_at = %q, %v", updated, err)
	}

	// Once a Store: a record arriving later without a name (as from an
	// older export) waits for the next Store.
	s.SetActor(coaching.Actor{Coach: "Pat"})
	mustExec(t, s.rw, `INSERT INTO calls (id, person_id, started_at, updated_at) VALUES (8, 1, `+at+`, `+at+`)`)
	createPerson(t, s, coaching.Person{Name: "Di"})
	if got := coachesOf(t, s, "calls"); got[0] != "Mary Jones" || got[1] != "" {
		t.Errorf("calls after Pat's write in the same Store: %q", got)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.SetActor(coaching.Actor{Coach: "Pat"})
	createPerson(t, s, coaching.Person{Name: "Em"}) // the first write credits
	if got := coachesOf(t, s, "calls"); got[0] != "Mary Jones" || got[1] != "Pat" {
		t.Errorf("calls once Pat is named in a new Store: %q", got)
	}
}

// Looking for records to credit reads an index of those alone, which is
// empty once they are credited.
func TestCreditUsesItsIndex(t *testing.T) {
	s := newStore(t)
	for _, table := range creditedTables {
		query := "UPDATE " + table + " SET coach = ? WHERE coach = ''"
		if s.pg {
			if plan := pgPlan(t, s, query, "Mary"); !strings.Contains(plan, table+"_uncredited") {
				t.Errorf("%s: plan does not use %s_uncredited:\n%s", table, table, plan)
			}
			continue
		}
		plan := queryPlan(t, s, query, []any{"Mary"})
		if want := table + "_uncredited"; !strings.Contains(plan, want) {
			t.Errorf("%s: plan does not use %s:\n%s", table, want, plan)
		}
	}
}
