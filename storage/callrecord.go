package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"callcoach/coaching"
	"callcoach/coaching/measures"
)

// The call record: what one call produced beyond its notes and marks, for
// its summary. Each kind is read from the rows that name the call: plans
// made or revised in it, reviews asked in it, follow-ups agreed in it,
// measures given and safety events raised in it.

// CallProduce reads what call callID produced, in one read: its plans
// with every confidence score, the reviews with the plans they were
// about, the follow-ups, the measures and the safety events, each list in
// the order things happened. Measures and safety events are put into words
// from the registry in coaching/measures (a safety action in the words of
// the call's role). The error wraps ErrNotFound if there is no such call.
func (s *Store) CallProduce(ctx context.Context, callID int64) (coaching.CallProduce, error) {
	var out coaching.CallProduce
	err := s.read(ctx, func(tx *sql.Tx) error {
		var role string
		err := tx.QueryRowContext(ctx, "SELECT role FROM calls WHERE id = ?", callID).Scan(&role)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if out.Plans, err = callPlans(ctx, tx, callID); err != nil {
			return err
		}
		if out.Reviews, err = callReviews(ctx, tx, callID); err != nil {
			return err
		}
		if out.FollowUps, err = collect(ctx, tx, scanFollowUp, "SELECT "+followUpColumns+
			" FROM follow_ups WHERE made_call_id = ? ORDER BY created_at, id", callID); err != nil {
			return err
		}
		ms, err := collect(ctx, tx, scanMeasure, "SELECT "+measureColumns+
			" FROM measures m WHERE m.call_id = ? ORDER BY m.given_at, m.id", callID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			out.Measures = append(out.Measures, measureGiven(m))
		}
		events, err := collect(ctx, tx, scanSafety, "SELECT "+safetyColumns+
			" FROM safety_events WHERE call_id = ? ORDER BY raised_at, id", callID)
		if err != nil {
			return err
		}
		for _, e := range events {
			out.Safety = append(out.Safety, safetyRecord(e, coaching.Role(role) == coaching.RolePeer))
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return coaching.CallProduce{}, notFound("call", callID)
	}
	if err != nil {
		return coaching.CallProduce{}, fmt.Errorf("what call %d produced: %w", callID, err)
	}
	return out, nil
}

// collect runs query with one argument and scans every row.
func collect[T any](ctx context.Context, tx *sql.Tx, scan func(interface{ Scan(...any) error }) (T, error), query string, arg int64) ([]T, error) {
	rows, err := tx.QueryContext(ctx, query, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// callPlans reads the plans made in the call, with their barriers and
// every confidence score, oldest first.
func callPlans(ctx context.Context, tx *sql.Tx, callID int64) ([]coaching.PlanRecord, error) {
	plans, err := collect(ctx, tx, scanPlan, "SELECT "+planColumns+" FROM action_plans WHERE call_id = ? ORDER BY id", callID)
	if err != nil || len(plans) == 0 {
		return nil, err
	}
	ptrs := make([]*coaching.ActionPlan, len(plans))
	index := make(map[int64]int, len(plans))
	for i := range plans {
		ptrs[i] = &plans[i]
		index[plans[i].ID] = i
	}
	if err := readBarriers(ctx, tx, "JOIN action_plans a ON a.id = b.plan_id WHERE a.call_id = ?", callID, ptrs); err != nil {
		return nil, err
	}
	out := make([]coaching.PlanRecord, len(plans))
	for i, p := range plans {
		out[i].Plan = p
	}
	scores, err := collect(ctx, tx, scanScore, `SELECT s.plan_id, s.score, s.scored_at FROM confidence_scores s
		JOIN action_plans a ON a.id = s.plan_id WHERE a.call_id = ? ORDER BY s.scored_at, s.id`, callID)
	if err != nil {
		return nil, err
	}
	for _, sc := range scores {
		i := index[sc.PlanID]
		out[i].Confidence = append(out[i].Confidence, sc)
	}
	return out, nil
}

func scanScore(row interface{ Scan(...any) error }) (coaching.ConfidenceScore, error) {
	var c coaching.ConfidenceScore
	var at string
	if err := row.Scan(&c.PlanID, &c.Score, &at); err != nil {
		return c, err
	}
	var err error
	if c.At, err = parseTime(at); err != nil {
		return c, fmt.Errorf("score of plan %d: scored_at: %w", c.PlanID, err)
	}
	return c, nil
}

// callReviews reads the reviews asked in the call, each with the plan it
// was about (its barriers are not needed to name it).
func callReviews(ctx context.Context, tx *sql.Tx, callID int64) ([]coaching.ReviewRecord, error) {
	reviews, err := collect(ctx, tx, func(row interface{ Scan(...any) error }) (coaching.PlanReview, error) {
		r := coaching.PlanReview{CallID: callID}
		var outcome, at string
		if err := row.Scan(&r.PlanID, &outcome, &r.Helped, &r.GotInWay, &at); err != nil {
			return r, err
		}
		r.Outcome = coaching.PlanStatus(outcome)
		var err error
		if r.At, err = parseTime(at); err != nil {
			return r, fmt.Errorf("review of plan %d: reviewed_at: %w", r.PlanID, err)
		}
		return r, nil
	}, `SELECT plan_id, outcome, helped, got_in_way, reviewed_at FROM plan_reviews
		WHERE call_id = ? ORDER BY reviewed_at, id`, callID)
	if err != nil {
		return nil, err
	}
	var out []coaching.ReviewRecord
	for _, r := range reviews {
		p, err := scanPlan(tx.QueryRowContext(ctx, "SELECT "+planColumns+" FROM action_plans WHERE id = ?", r.PlanID))
		if err != nil {
			return nil, fmt.Errorf("plan %d reviewed: %w", r.PlanID, err)
		}
		out = append(out, coaching.ReviewRecord{Review: r, Plan: p})
	}
	return out, nil
}

// measureGiven puts a measure's result in the record's words, with the
// instrument's names from the registry.
func measureGiven(m MeasureRecord) coaching.MeasureGiven {
	g := coaching.MeasureGiven{Name: m.Instrument, Title: m.Instrument, Complete: m.Complete, Scored: m.Scored,
		Total: m.Total, Band: m.Band, GivenAt: m.GivenAt}
	if inst, ok := measures.Get(measures.ID(m.Instrument)); ok {
		g.Name, g.Title, g.Screen = inst.Name, inst.Title, inst.ClinicalFollowUp
		g.Mean, g.Max = inst.Scoring.Method == measures.Mean, inst.Totals().Max
	}
	return g
}

// safetyRecord puts a safety event in the record's words: why it was
// raised, and each action as the coach (or, for peer, the peer volunteer)
// ticked it.
func safetyRecord(e SafetyEvent, peer bool) coaching.SafetyRecord {
	r := coaching.SafetyRecord{Reason: "raised: " + e.Trigger, Note: e.Note, RaisedAt: e.RaisedAt, RecordedAt: e.RecordedAt}
	if inst, ok := measures.ForTrigger(measures.Trigger(e.Trigger)); ok {
		r.Reason = fmt.Sprintf("%s question %d was answered above 0 (%s)", inst.Name, inst.Safety.Number, inst.Safety.About)
	} else if measures.Trigger(e.Trigger) == measures.TriggerCoach {
		r.Reason = "the coach raised a concern from what was said"
		if peer {
			r.Reason = "the peer volunteer raised a concern from what was said"
		}
	}
	if len(e.Actions) == 1 && measures.SafetyAction(e.Actions[0]) == measures.ActionOpenedByMistake {
		r.Reason = "the safety panel was opened by a slip of the key"
		r.Actions = []string{"closed as opened by mistake; no concern was raised and no flag set"}
		return r
	}
	labels := map[measures.SafetyAction]string{}
	for _, c := range measures.ActionChoices(peer) {
		labels[c.Action] = c.Label
	}
	for _, a := range e.Actions {
		label, ok := labels[measures.SafetyAction(a)]
		if !ok {
			label = a
		}
		r.Actions = append(r.Actions, label)
	}
	return r
}
