package storage

import (
	"context"
	"slices"
	"strings"
	"testing"

	"callcoach/coaching"
)

func TestImportPeople(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	createPerson(t, s, coaching.Person{Name: "Ann Smith", Phone: "+44 20 7946 0000"})
	people := []coaching.Person{
		{Name: "ann smith", Phone: "44 (20) 7946-0000", Status: coaching.StatusActive}, // same person
		{Name: "Ann Smith", Phone: "+44 20 7946 0001", Status: coaching.StatusActive},  // another phone
		{Name: "Bo Lee", Status: coaching.StatusActive},
		{Name: "BO LEE", Status: coaching.StatusActive}, // repeated in the list
	}
	already, err := s.AlreadyOnCaseload(ctx, people)
	if err != nil || !slices.Equal(already, []bool{true, false, false, true}) {
		t.Fatalf("AlreadyOnCaseload = %v, %v", already, err)
	}
	added, skipped, err := s.ImportPeople(ctx, people, t0)
	if err != nil || added != 2 || skipped != 2 {
		t.Fatalf("first import: added %d, skipped %d, %v", added, skipped, err)
	}
	added, skipped, err = s.ImportPeople(ctx, people, t0)
	if err != nil || added != 0 || skipped != 4 {
		t.Fatalf("second import: added %d, skipped %d, %v", added, skipped, err)
	}
	var n int
	mustScan(t, s, `SELECT count(*) FROM people`, &n)
	if n != 3 {
		t.Fatalf("%d people, want 3", n)
	}
}

func TestImportPeopleAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	people := []coaching.Person{
		{Name: "Cy Park", Status: coaching.StatusActive},
		{Name: "Di Ross", Status: "unknown"}, // refused by the table's CHECK
	}
	if _, _, err := s.ImportPeople(ctx, people, t0); err == nil || !strings.Contains(err.Error(), "person 2") {
		t.Fatalf("err = %v", err)
	}
	var n int
	mustScan(t, s, `SELECT count(*) FROM people`, &n)
	if n != 0 {
		t.Fatalf("%d people after a failed import", n)
	}
}

func TestImportLookupUsesNameIndex(t *testing.T) {
	s := newStore(t)
	if s.pg {
		if plan := pgPlan(t, s, onCaseloadPostgres, "x", "1"); !strings.Contains(plan, "people_name") {
			t.Fatalf("plan:\n%s", plan)
		}
		return
	}
	rows, err := s.ro.Query(`EXPLAIN QUERY PLAN `+onCaseloadQuery, "x", "1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if len(plan) != 1 || !strings.Contains(plan[0], "USING INDEX people_name") {
		t.Fatalf("plan %v", plan)
	}
}
