package storage

import (
	"context"
	"reflect"
	"testing"

	"callcoach/coaching"
	"callcoach/coaching/measures"
)

func TestSeedStoresSampleCaseloadAsGiven(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	sample := coaching.SampleCaseload(t0)
	sample[0].Calls[0].Role = coaching.RolePeer
	sample[0].Calls[0].Summary = "Walks after lunch, 3 days a week; review Friday."
	if err := s.Seed(ctx, sample); err != nil {
		t.Fatal(err)
	}
	// The demo's registry has someone in each state.
	states := map[string]bool{}
	for _, inst := range []measures.ID{measures.PHQ9, measures.GAD7} {
		rows, err := s.Registry(ctx, inst, 30)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			states[coaching.TargetOf(r.Progress, coaching.DefaultTargetWeeks, t0).Status.String()] = true
		}
	}
	if len(states) != 5 {
		t.Errorf("the demo's registry has %v, want every state", states)
	}
	rows, err := s.rowsOf(ctx, CaseloadQuery{Limit: MaxCaseloadLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(sample) {
		t.Fatalf("%d people stored, want %d", len(rows), len(sample))
	}
	byName := map[string]CaseloadRow{}
	for _, r := range rows {
		byName[r.Name] = r
	}
	for _, sp := range sample {
		r, ok := byName[sp.Person.Name]
		if !ok {
			t.Errorf("%s missing", sp.Person.Name)
			continue
		}
		p, err := s.GetPerson(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := sp.Person
		want.ID = r.ID
		if !reflect.DeepEqual(p, want) {
			t.Errorf("person stored as\n %+v\nwant\n %+v", p, want)
		}
		ms, err := s.MeasuresForPerson(ctx, r.ID)
		if err != nil || len(ms) != len(sp.Measures) {
			t.Errorf("%s: %d measures, want %d (%v)", sp.Person.Name, len(ms), len(sp.Measures), err)
		}
		calls, err := s.CallsForPerson(ctx, r.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(calls) != len(sp.Calls) || r.Calls != len(sp.Calls) {
			t.Errorf("%s: %d calls (caseload says %d), want %d", sp.Person.Name, len(calls), r.Calls, len(sp.Calls))
			continue
		}
		// The sample lists calls newest first, as CallsForPerson does.
		for i, c := range calls {
			w := sp.Calls[i]
			w.ID, w.PersonID = c.ID, r.ID
			if w.Role == "" {
				w.Role = coaching.RoleCoach // a call with no role was a coach's
			}
			if !reflect.DeepEqual(c, w) {
				t.Errorf("%s call %d stored as\n %+v\nwant\n %+v", sp.Person.Name, i, c, w)
			}
		}
	}
}

func TestSeedIsAllOrNothing(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	sample := coaching.SampleCaseload(t0)
	sample[len(sample)/2].Person.Status = "bogus" // refused by the schema
	if err := s.Seed(ctx, sample); err == nil {
		t.Fatal("Seed with a bad person succeeded")
	}
	if n, err := s.countCaseload(ctx, ""); err != nil || n != 0 {
		t.Errorf("%d people stored, %v; want none", n, err)
	}
}
