package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"callcoach/coaching"
)

func TestCorrectOutcome(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	pid := createPerson(t, s, coaching.Person{Name: "Rosa"})
	if _, err := s.AddFollowUp(ctx, coaching.FollowUp{PersonID: pid, Due: t0.Add(time.Hour), Reason: "the walking"}, t0); err != nil {
		t.Fatal(err)
	}
	call, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CorrectOutcome(ctx, call.ID, coaching.OutcomeNoAnswer, t0); !errors.Is(err, ErrNotEnded) {
		t.Fatalf("correcting an unfinished call: %v", err)
	}
	end := t0.Add(90 * time.Minute)
	if err := s.EndCall(ctx, call.ID, coaching.OutcomeReached, end); err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteFollowUps(ctx, pid, call.ID, end); err != nil {
		t.Fatal(err)
	}
	if _, open, _ := s.OpenFollowUp(ctx, pid); open {
		t.Fatal("the follow-up is still open after a reached call")
	}

	// Not reached after all: the follow-up is due again.
	if err := s.CorrectOutcome(ctx, call.ID, coaching.OutcomeNoAnswer, end.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ := s.GetCall(ctx, call.ID)
	if got.Outcome != coaching.OutcomeNoAnswer || !got.EndedAt.Equal(end) {
		t.Fatalf("corrected call = %+v; want no answer, still ended at %v", got, end)
	}
	f, open, err := s.OpenFollowUp(ctx, pid)
	if err != nil || !open || f.Reason != "the walking" {
		t.Fatalf("the follow-up did not come back: %+v %v %v", f, open, err)
	}
	// Reached after all, again: it is done once more.
	if err := s.CorrectOutcome(ctx, call.ID, coaching.OutcomeReached, end.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, open, _ := s.OpenFollowUp(ctx, pid); open {
		t.Fatal("the follow-up is open after correcting to reached")
	}
	if err := s.CorrectOutcome(ctx, call.ID, "nonsense", t0); err == nil {
		t.Fatal("an unknown outcome was taken")
	}
	if err := s.CorrectOutcome(ctx, 999, coaching.OutcomeReached, t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a call that does not exist: %v", err)
	}
}

// TestSummaryOfAnEndedCallIsMadeAgain: once a call is ended and let go,
// any program may put its summary right (after correcting its outcome);
// an open call's summary is still only the holder's to write.
func TestSummaryOfAnEndedCallIsMadeAgain(t *testing.T) {
	ctx := context.Background()
	a, b, call := twoPrograms(t)
	wantElsewhere(t, b.SaveSummary(ctx, call, "from b while a holds it", t0))
	if err := a.EndCall(ctx, call, coaching.OutcomeReached, t0); err != nil {
		t.Fatal(err)
	}
	if err := a.ReleaseCall(ctx, call); err != nil {
		t.Fatal(err)
	}
	if err := b.CorrectOutcome(ctx, call, coaching.OutcomeWrongNumber, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := b.SaveSummary(ctx, call, "wrong number", t0.Add(time.Hour)); err != nil {
		t.Fatalf("the summary of an ended call, made again: %v", err)
	}
	if got, _ := a.GetCall(ctx, call); got.Summary != "wrong number" {
		t.Fatalf("summary = %q", got.Summary)
	}
	if err := b.SaveSummary(ctx, 4242, "x", t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a missing call: %v", err)
	}
}
