package storage

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/coaching/measures"
)

// CallProduce reads back, from the file, everything a call produced and
// nothing another call did.
func TestCallProduce(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	pid, earlier := personWithCall(t, s, "Ann")
	old := walkPlan(pid, earlier)
	oldID, _, err := s.CommitPlan(ctx, old, []int{7}, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	call := mustStartCall(t, s, pid, t0.Add(7*24*time.Hour))
	at := func(min int) time.Time { return t0.Add(7*24*time.Hour + time.Duration(min)*time.Minute) }

	// Nothing yet: an empty record, not an error.
	if got, err := s.CallProduce(ctx, call); err != nil || !reflect.DeepEqual(got, coaching.CallProduce{}) {
		t.Fatalf("empty call: %+v %v", got, err)
	}

	if err := s.ReviewPlan(ctx, coaching.PlanReview{PlanID: oldID, CallID: call, Outcome: coaching.PlanPartly,
		Helped: "a friend", GotInWay: "rain"}, at(2)); err != nil {
		t.Fatal(err)
	}
	next := walkPlan(pid, call)
	next.Replaces, next.What, next.Barriers = oldID, "walk to the park", []coaching.Barrier{{Barrier: "rain", Solution: "umbrella"}}
	due := at(7 * 24 * 60)
	nextID, fuID, err := s.CommitPlan(ctx, next, []int{5, 8}, &coaching.FollowUp{Due: due, Reason: "how it went", MadeCallID: call}, at(10))
	if err != nil {
		t.Fatal(err)
	}
	phq9 := []int{1, 2, 1, 2, 1, 1, 1, 1, 1}
	m9, err := s.SaveMeasure(ctx, MeasureRecord{PersonID: pid, CallID: call, Instrument: string(measures.PHQ9), Answers: phq9,
		Complete: true, Scored: true, Total: 11, Band: "moderate", Closing: -1}, at(5))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveMeasure(ctx, MeasureRecord{PersonID: pid, CallID: call, Instrument: string(measures.SEMCD6),
		Answers: []int{7, 8, 6, 7, 8, 9}, Complete: true, Scored: true, Total: 7.5, Closing: -1}, at(6)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveMeasure(ctx, MeasureRecord{PersonID: pid, CallID: call, Instrument: string(measures.GAD7),
		Answers: []int{1, 1}, Closing: -1}, at(7)); err != nil {
		t.Fatal(err)
	}
	ev := mustRaise(t, s, SafetyEvent{PersonID: pid, CallID: call, MeasureID: m9, Trigger: string(measures.TriggerPHQ9Item9)}, at(5))
	mustRecord(t, s, ev, []string{string(measures.ActionAskedDirectly), string(measures.ActionSupervisor)}, "no plan\nor means", at(8))
	mustRaise(t, s, SafetyEvent{PersonID: pid, CallID: call, Trigger: string(measures.TriggerCoach)}, at(12))

	// What belongs to other calls, or to none, stays out.
	if _, err := s.SaveMeasure(ctx, MeasureRecord{PersonID: pid, CallID: earlier, Instrument: string(measures.PHQ2),
		Answers: []int{0, 0}, Complete: true, Scored: true, Closing: -1}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddFollowUp(ctx, coaching.FollowUp{PersonID: pid, Due: due}, at(11)); err != nil {
		t.Fatal(err)
	}
	mustRaise(t, s, SafetyEvent{PersonID: pid, CallID: earlier, Trigger: string(measures.TriggerCoach)}, t0)
	mustSavePlan(t, s, coaching.ActionPlan{PersonID: pid, Behaviour: coaching.BehaviourSleep, What: "bed by 11", Confidence: coaching.NoScore}, at(13))

	got, err := s.CallProduce(ctx, call)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Plans) != 1 || got.Plans[0].Plan.ID != nextID || got.Plans[0].Plan.What != "walk to the park" ||
		!got.Plans[0].Revised() || len(got.Plans[0].Plan.Barriers) != 1 || got.Plans[0].Plan.Barriers[0].Solution != "umbrella" {
		t.Errorf("plans %+v", got.Plans)
	}
	if len(got.Plans) == 1 {
		var trail []int
		for _, sc := range got.Plans[0].Confidence {
			trail = append(trail, sc.Score)
		}
		if !reflect.DeepEqual(trail, []int{5, 8}) || !got.Plans[0].Confidence[0].At.Equal(at(10)) {
			t.Errorf("confidence trail %+v", got.Plans[0].Confidence)
		}
	}
	if len(got.Reviews) != 1 || got.Reviews[0].Plan.ID != oldID || got.Reviews[0].Plan.What != old.What ||
		got.Reviews[0].Review.Outcome != coaching.PlanPartly || got.Reviews[0].Review.GotInWay != "rain" || !got.Reviews[0].Review.At.Equal(at(2)) {
		t.Errorf("reviews %+v", got.Reviews)
	}
	if len(got.FollowUps) != 1 || got.FollowUps[0].ID != fuID || got.FollowUps[0].Reason != "how it went" || got.FollowUps[0].PlanID != nextID {
		t.Errorf("follow-ups %+v", got.FollowUps)
	}
	wantMeasures := []coaching.MeasureGiven{
		{Name: "PHQ-9", Title: "Depression screen (PHQ-9)", Complete: true, Scored: true, Total: 11, Max: 27, Band: "moderate", Screen: true, GivenAt: at(5)},
		{Name: "SEMCD-6", Title: "Confidence in managing a long-term condition (SEMCD-6)", Complete: true, Scored: true, Total: 7.5, Mean: true, Max: 10, GivenAt: at(6)},
		{Name: "GAD-7", Title: "Anxiety screen (GAD-7)", Max: 21, Screen: true, GivenAt: at(7)},
	}
	if !reflect.DeepEqual(got.Measures, wantMeasures) {
		t.Errorf("measures\n%+v\nwant\n%+v", got.Measures, wantMeasures)
	}
	if len(got.Safety) != 2 {
		t.Fatalf("safety %+v", got.Safety)
	}
	first, second := got.Safety[0], got.Safety[1]
	if !strings.HasPrefix(first.Reason, "PHQ-9 question 9 was answered above 0 (") || first.Note != "no plan\nor means" ||
		!reflect.DeepEqual(first.Actions, []string{"asked them directly about suicide", "told my supervisor or the duty clinician"}) ||
		!first.RaisedAt.Equal(at(5)) || !first.RecordedAt.Equal(at(8)) {
		t.Errorf("first event %+v", first)
	}
	if second.Reason != "the coach raised a concern from what was said" || second.Recorded() || second.Actions != nil {
		t.Errorf("second event %+v", second)
	}

	if _, err := s.CallProduce(ctx, 4242); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "call 4242") {
		t.Errorf("missing call: %v", err)
	}
}

// A peer volunteer's record says what was done in the peer's words.
func TestCallProduceInAPeersWords(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	pid := createPerson(t, s, coaching.Person{Name: "Bo"})
	c, err := s.StartCall(ctx, pid, coaching.RolePeer, t0)
	if err != nil {
		t.Fatal(err)
	}
	ev := mustRaise(t, s, SafetyEvent{PersonID: pid, CallID: c.ID, Trigger: string(measures.TriggerCoach)}, t0)
	mustRecord(t, s, ev, []string{string(measures.ActionSupervisor)}, "", t0.Add(time.Minute))
	got, err := s.CallProduce(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Safety) != 1 || got.Safety[0].Reason != "the peer volunteer raised a concern from what was said" ||
		!reflect.DeepEqual(got.Safety[0].Actions, []string{"handed over to my supervisor or the named professional"}) {
		t.Errorf("peer's event %+v", got.Safety)
	}
}
