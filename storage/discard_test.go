package storage

import (
	"context"
	"errors"
	"testing"

	"callcoach/coaching"
)

func TestDiscardCall(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		capture func(t *testing.T, s *Store, call int64)
		deleted bool
	}{
		{"nothing captured but the opening stage", func(t *testing.T, s *Store, call int64) {
			if err := s.EnterStage(ctx, call, coaching.StageEngage, t0); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"notes", func(t *testing.T, s *Store, call int64) {
			if _, err := s.SaveNotes(ctx, call, "she said yes", 1, t0); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a tally mark", func(t *testing.T, s *Store, call int64) {
			if err := s.AddTallyMark(ctx, call, coaching.TallySummary, t0); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a ruler", func(t *testing.T, s *Store, call int64) {
			if _, err := s.SaveRuler(ctx, coaching.Ruler{CallID: call, Kind: coaching.RulerConfidence, Score: 6}, t0); err != nil {
				t.Fatal(err)
			}
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			pid := createPerson(t, s, coaching.Person{Name: "Rosa"})
			call, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0)
			if err != nil {
				t.Fatal(err)
			}
			tc.capture(t, s, call.ID)
			deleted, err := s.DiscardCall(ctx, call.ID, t0.Add(60e9))
			if err != nil || deleted != tc.deleted {
				t.Fatalf("DiscardCall = %v, %v; want deleted %v", deleted, err, tc.deleted)
			}
			got, err := s.GetCall(ctx, call.ID)
			if tc.deleted {
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("the empty call is still there: %+v, %v", got, err)
				}
				return
			}
			if err != nil || got.Outcome != coaching.OutcomeMistake || got.Unfinished() {
				t.Fatalf("kept call = %+v, %v; want it ended as opened by mistake", got, err)
			}
		})
	}
	s := newStore(t)
	if _, err := s.DiscardCall(ctx, 42, t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("discarding a call that does not exist: %v", err)
	}
}
