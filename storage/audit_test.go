package storage

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

func auditActions(t *testing.T, s *Store) []string {
	t.Helper()
	var got []string
	err := s.AuditTrail(context.Background(), time.Time{}, func(e coaching.AuditEntry) error {
		got = append(got, string(e.Action)+" "+e.Actor.Coach+"/"+e.Actor.OSUser+" "+e.Detail)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestAuditRecordsActions(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	s.SetActor(coaching.Actor{Coach: "Sam Patel", OSUser: "sam"})
	pid := createPerson(t, s, coaching.Person{Name: "Ann"})
	if err := s.Audit(ctx, coaching.AuditOpenedPerson, pid, "", t0); err != nil {
		t.Fatal(err)
	}
	c, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0)
	if err != nil {
		t.Fatal(err)
	}
	mustSaveMeasure(t, s, MeasureRecord{PersonID: pid, CallID: c.ID, Instrument: "phq2", Complete: true, Scored: true, Total: 1, Answers: []int{1, 0}, Closing: -1}, t0)
	if _, _, err := s.CommitPlan(ctx, coaching.ActionPlan{PersonID: pid, CallID: c.ID, Behaviour: coaching.BehaviourActivity, What: "walk", Confidence: coaching.NoScore, Status: coaching.PlanActive}, []int{7}, nil, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.EndCall(ctx, c.ID, coaching.OutcomeReached, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(auditActions(t, s), "\n")
	want := strings.Join([]string{
		"opened-person Sam Patel/sam ",
		"call-started Sam Patel/sam call 1, as coach",
		"measure-given Sam Patel/sam phq2",
		"plan-saved Sam Patel/sam plan 1",
		"call-ended Sam Patel/sam call 1, reached",
	}, "\n")
	if got != want {
		t.Errorf("trail:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(got, "Ann") {
		t.Error("the trail names the person")
	}
	r, err := s.VerifyAudit(ctx)
	if err != nil || r.Break != nil || r.Entries != 5 || !r.Guarded || r.LastID != 5 {
		t.Errorf("VerifyAudit = %+v, %v", r, err)
	}
	// An action that fails records nothing.
	if _, err := s.StartCall(ctx, 999, coaching.RoleCoach, t0); err == nil {
		t.Fatal("a call for nobody started")
	}
	if n := len(auditActions(t, s)); n != 5 {
		t.Errorf("%d entries after a failed action, want 5", n)
	}
}

func TestAuditTamperFound(t *testing.T) {
	ctx := context.Background()
	build := func(t *testing.T) *Store {
		s := newStore(t)
		for i := range 5 {
			if err := s.Audit(ctx, coaching.AuditSearched, 0, "", t0.Add(time.Duration(i)*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	// The triggers refuse a change through SQL.
	s := build(t)
	for _, q := range []string{"UPDATE audit SET detail = 'x' WHERE id = 2", "DELETE FROM audit WHERE id = 2"} {
		if _, err := s.rw.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
	tests := []struct {
		name  string
		sql   string
		at    int64
		words string
	}{
		{"a detail changed", "UPDATE audit SET detail = 'nothing to see' WHERE id = 3", 3, "changed after it was written"},
		{"an entry removed", "DELETE FROM audit WHERE id = 2", 3, "entries 2 are missing"},
		{"the first removed", "DELETE FROM audit WHERE id = 1", 2, "not the first entry"},
		{"a time changed", "UPDATE audit SET at = '2020-01-01T00:00:00.000000Z' WHERE id = 4", 4, "changed after"},
		{"a time garbled", "UPDATE audit SET at = 'yesterday' WHERE id = 5", 5, "changed after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := build(t)
			for _, q := range []string{
				bySQL("DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_update ON audit"),
				bySQL("DROP TRIGGER audit_no_delete", "DROP TRIGGER audit_no_delete ON audit"), tt.sql} {
				if _, err := s.rw.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			r, err := s.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var br coaching.AuditBreak
			if !errors.As(r.Break, &br) || br.ID != tt.at || !strings.Contains(br.Reason, tt.words) || r.Guarded {
				t.Errorf("VerifyAudit = %+v, want a break at %d (%s), unguarded", r, tt.at, tt.words)
			}
		})
	}
}
