package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"callcoach/coaching"
)

// Action plans: each plan with its barriers, every confidence score given
// to it, and its reviews. A plan is revised by making a new plan that
// replaces it, so the history of what the person tried is never lost.

// dateLayout is how plan dates are stored: YYYY-MM-DD, "" as NULL.
const dateLayout = "2006-01-02"

// SavePlan inserts p (p.ID == 0) or replaces every field of plan p.ID,
// with its barriers, in one transaction, and returns the plan's id. A new
// plan is created now and, with no Status, starts active; p.CreatedAt and
// p.UpdatedAt are ignored. A new plan whose Replaces is set revises that
// plan, as RevisePlan does. A plan stays with its person and what it
// replaces, and is revised only by being replaced. The error wraps
// ErrNotFound if the person, the call (CallID, if set) or, for an update,
// that person's plan p.ID does not exist. Confidence is stored as given:
// ScorePlan and CommitPlan keep the history of scores.
func (s *Store) SavePlan(ctx context.Context, p coaching.ActionPlan, now time.Time) (int64, error) {
	p.Coach = s.coachName()
	p, err := checkPlan(p)
	if err != nil {
		return 0, fmt.Errorf("save %s: %w", planName(p), err)
	}
	var id int64
	err = s.write(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = savePlan(ctx, tx, p, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("save %s: %w", planName(p), err)
	}
	return id, nil
}

// planName names the plan in errors: by its id and person, never its text.
func planName(p coaching.ActionPlan) string {
	if p.ID == 0 {
		return fmt.Sprintf("plan for person %d", p.PersonID)
	}
	return fmt.Sprintf("plan %d of person %d", p.ID, p.PersonID)
}

// ScorePlan records a confidence score for the plan at now, kept with every
// earlier one, and makes it the plan's Confidence, in one transaction.
func (s *Store) ScorePlan(ctx context.Context, planID int64, score int, now time.Time) error {
	if err := checkScore(score); err != nil {
		return fmt.Errorf("score plan %d: %w", planID, err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, _, err := planState(ctx, tx, planID); err != nil {
			return err
		}
		return addScores(ctx, tx, planID, []int{score}, now)
	})
	if err != nil {
		return fmt.Errorf("score plan %d: %w", planID, err)
	}
	return nil
}

// CommitPlan saves what the plan step of a call agreed, all in one
// transaction: the plan p as SavePlan does (a new plan that replaces
// another revises it), each score in scores (in order,
// at now; the last becomes the plan's Confidence), and, if f is not nil, a
// new follow-up as AddFollowUp does, linked to the plan (f.PlanID is set
// to it; f.PersonID may be 0 for the plan's person). Other follow-ups are
// left as they are. It returns the plan's id and the follow-up's (0 if
// none). If anything is refused, nothing is written.
func (s *Store) CommitPlan(ctx context.Context, p coaching.ActionPlan, scores []int, f *coaching.FollowUp, now time.Time) (planID, followUpID int64, err error) {
	return s.CommitPlanReplacing(ctx, p, scores, f, false, now)
}

// CommitPlanReplacing is CommitPlan; with replace, the new follow-up is
// the person's one next contact: their other open follow-ups are closed at
// now, pointing to it, as ReplaceFollowUp does, in the same transaction.
func (s *Store) CommitPlanReplacing(ctx context.Context, p coaching.ActionPlan, scores []int, f *coaching.FollowUp, replace bool, now time.Time) (planID, followUpID int64, err error) {
	p.Coach = s.coachName()
	p, err = checkPlan(p)
	if err == nil {
		err = checkScores(scores)
	}
	var fu coaching.FollowUp
	if err == nil && f != nil {
		fu = *f
		if fu.PersonID == 0 {
			fu.PersonID = p.PersonID
		}
		if fu.PersonID != p.PersonID {
			err = fmt.Errorf("the follow-up is for person %d, not the plan's person", fu.PersonID)
		} else {
			err = checkFollowUp(fu)
		}
	}
	if err != nil {
		return 0, 0, fmt.Errorf("commit %s: %w", planName(p), err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		id, err := savePlan(ctx, tx, p, now)
		if err != nil {
			return err
		}
		if err := addScores(ctx, tx, id, scores, now); err != nil {
			return err
		}
		var fid int64
		if f != nil {
			fu.PlanID = id
			if fid, err = insertFollowUp(ctx, tx, fu, now); err != nil {
				return err
			}
			if replace {
				if _, err := tx.ExecContext(ctx, `UPDATE follow_ups SET done_at = ?, replaced_by = ?
					WHERE person_id = ? AND done_at IS NULL AND id <> ?`, formatTime(now), fid, fu.PersonID, fid); err != nil {
					return err
				}
			}
		}
		planID, followUpID = id, fid
		return s.audit(ctx, tx, coaching.AuditPlanSaved, p.PersonID, fmt.Sprintf("plan %d", id), now)
	})
	if err != nil {
		return 0, 0, fmt.Errorf("commit %s: %w", planName(p), err)
	}
	return planID, followUpID, nil
}

// RevisePlan marks plan oldID revised and inserts next, the plan that
// replaces it, in one transaction, and returns next's id. next must be new
// (ID 0), replace oldID (Replaces == oldID) and be for the same person
// (PersonID may be 0 for that). A plan already revised or dropped cannot
// be revised: revise its newest version, or make a new plan.
func (s *Store) RevisePlan(ctx context.Context, oldID int64, next coaching.ActionPlan, now time.Time) (int64, error) {
	var err error
	switch {
	case next.ID != 0:
		err = fmt.Errorf("the revision is a new plan, but it has id %d", next.ID)
	case next.Replaces != oldID:
		err = fmt.Errorf("the new plan replaces plan %d, not plan %d", next.Replaces, oldID)
	default:
		next.Coach = s.coachName()
		next, err = checkPlan(next)
	}
	if err != nil {
		return 0, fmt.Errorf("revise plan %d: %w", oldID, err)
	}
	var id int64
	err = s.write(ctx, func(tx *sql.Tx) error {
		person, _, err := planState(ctx, tx, oldID)
		if err != nil {
			return err
		}
		if next.PersonID == 0 {
			next.PersonID = person
		}
		if id, err = savePlan(ctx, tx, next, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, coaching.AuditPlanSaved, next.PersonID, fmt.Sprintf("plan %d, revising plan %d", id, oldID), now)
	})
	if err != nil {
		return 0, fmt.Errorf("revise plan %d: %w", oldID, err)
	}
	return id, nil
}

// SetPlanStatus sets the plan's status, say to dropped. Revised is not
// set this way (RevisePlan makes the plan that replaces it), and a revised
// plan keeps its status.
func (s *Store) SetPlanStatus(ctx context.Context, planID int64, status coaching.PlanStatus, now time.Time) error {
	err := checkStatus(status)
	if err == nil && status == coaching.PlanRevised {
		err = errors.New("a plan is marked revised by revising it")
	}
	if err != nil {
		return fmt.Errorf("set status of plan %d: %w", planID, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, old, err := planState(ctx, tx, planID)
		if err != nil {
			return err
		}
		if old == coaching.PlanRevised {
			return fmt.Errorf("plan %d was revised; change the plan that replaced it", planID)
		}
		return setStatus(ctx, tx, planID, status, now)
	})
	if err != nil {
		return fmt.Errorf("set status of plan %d: %w", planID, err)
	}
	return nil
}

// ReviewPlan records how plan r.PlanID went, at now, and sets the plan's
// status to r.Outcome (done, partly done or not done), in one transaction.
// r.CallID, if set, is the call it was asked in, with the plan's person;
// r.At is ignored. A revised or dropped plan is not reviewed.
func (s *Store) ReviewPlan(ctx context.Context, r coaching.PlanReview, now time.Time) error {
	if err := checkReview(r); err != nil {
		return fmt.Errorf("review plan %d: %w", r.PlanID, err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		person, status, err := planState(ctx, tx, r.PlanID)
		if err != nil {
			return err
		}
		if err := stillOpen(r.PlanID, status); err != nil {
			return err
		}
		if err := requireCallWith(ctx, tx, r.CallID, person); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO plan_reviews
			(plan_id, call_id, outcome, helped, got_in_way, reviewed_at) VALUES (?, ?, ?, ?, ?, ?)`,
			r.PlanID, nullID(r.CallID), string(r.Outcome), r.Helped, r.GotInWay, formatTime(now)); err != nil {
			return err
		}
		return setStatus(ctx, tx, r.PlanID, r.Outcome, now)
	})
	if err != nil {
		return fmt.Errorf("review plan %d: %w", r.PlanID, err)
	}
	return nil
}

const planColumns = `id, person_id, call_id, behaviour, what, how_much, when_text, where_text,
	days_per_week, start_date, review_date, backup, commitment, confidence, status, replaces,
	created_at, updated_at, coach`

// GetPlan reads one plan with its barriers; the error wraps ErrNotFound if
// there is none.
func (s *Store) GetPlan(ctx context.Context, id int64) (coaching.ActionPlan, error) {
	var p coaching.ActionPlan
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = scanPlan(tx.QueryRowContext(ctx, "SELECT "+planColumns+" FROM action_plans WHERE id = ?", id)); err != nil {
			return err
		}
		return readBarriers(ctx, tx, "WHERE b.plan_id = ?", id, []*coaching.ActionPlan{&p})
	})
	if errors.Is(err, sql.ErrNoRows) {
		return coaching.ActionPlan{}, notFound("plan", id)
	}
	if err != nil {
		return coaching.ActionPlan{}, fmt.Errorf("get plan %d: %w", id, err)
	}
	return p, nil
}

// PlansForPerson lists the person's plans with their barriers, newest
// first. A person with no plans (or no such person) has none.
func (s *Store) PlansForPerson(ctx context.Context, personID int64) ([]coaching.ActionPlan, error) {
	var out []coaching.ActionPlan
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+planColumns+` FROM action_plans
			WHERE person_id = ? ORDER BY id DESC`, personID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPlan(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		ptrs := make([]*coaching.ActionPlan, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return readBarriers(ctx, tx, "JOIN action_plans a ON a.id = b.plan_id WHERE a.person_id = ?", personID, ptrs)
	})
	if err != nil {
		return nil, fmt.Errorf("plans of person %d: %w", personID, err)
	}
	return out, nil
}

// currentPlanWhere picks a person's plans whose status is Current
// (coaching.PlanStatus.Current); with ORDER BY id DESC LIMIT 1 it is
// coaching.CurrentPlan in SQL, and TestCurrentPlanAgreesWithCoaching holds
// the two together. It is the WHERE of the partial index
// action_plans_current, which SQLite uses only for queries that repeat it
// word for word, so it is spelled out rather than built from coaching.
const currentPlanWhere = "status NOT IN ('revised', 'dropped')"

// CurrentPlan is the person's current plan under coaching.CurrentPlan (the
// newest that is neither revised nor dropped), with its barriers; ok is
// false if there is none.
func (s *Store) CurrentPlan(ctx context.Context, personID int64) (p coaching.ActionPlan, ok bool, err error) {
	err = s.read(ctx, func(tx *sql.Tx) error {
		if p, err = scanPlan(tx.QueryRowContext(ctx, "SELECT "+planColumns+` FROM action_plans
			WHERE person_id = ? AND `+currentPlanWhere+` ORDER BY id DESC LIMIT 1`, personID)); err != nil {
			return err
		}
		return readBarriers(ctx, tx, "WHERE b.plan_id = ?", p.ID, []*coaching.ActionPlan{&p})
	})
	if errors.Is(err, sql.ErrNoRows) {
		return coaching.ActionPlan{}, false, nil
	}
	if err != nil {
		return coaching.ActionPlan{}, false, fmt.Errorf("current plan of person %d: %w", personID, err)
	}
	return p, true, nil
}

// ConfidenceHistory lists every confidence score given to any of the
// person's plans, oldest first.
func (s *Store) ConfidenceHistory(ctx context.Context, personID int64) ([]coaching.ConfidenceScore, error) {
	out, err := s.scores(ctx, `SELECT s.plan_id, s.score, s.scored_at FROM confidence_scores s
		JOIN action_plans a ON a.id = s.plan_id
		WHERE a.person_id = ? ORDER BY s.scored_at, s.id`, personID)
	if err != nil {
		return nil, fmt.Errorf("confidence history of person %d: %w", personID, err)
	}
	return out, nil
}

// PlanScores lists the plan's confidence scores, oldest first.
func (s *Store) PlanScores(ctx context.Context, planID int64) ([]coaching.ConfidenceScore, error) {
	out, err := s.scores(ctx, `SELECT plan_id, score, scored_at FROM confidence_scores
		WHERE plan_id = ? ORDER BY scored_at, id`, planID)
	if err != nil {
		return nil, fmt.Errorf("scores of plan %d: %w", planID, err)
	}
	return out, nil
}

func (s *Store) scores(ctx context.Context, query string, id int64) ([]coaching.ConfidenceScore, error) {
	rows, err := s.ro.QueryContext(ctx, query, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []coaching.ConfidenceScore
	for rows.Next() {
		var c coaching.ConfidenceScore
		var at string
		if err := rows.Scan(&c.PlanID, &c.Score, &at); err != nil {
			return nil, err
		}
		if c.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("score of plan %d: scored_at: %w", c.PlanID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PlanReviews lists the plan's reviews, oldest first.
func (s *Store) PlanReviews(ctx context.Context, planID int64) ([]coaching.PlanReview, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT call_id, outcome, helped, got_in_way, reviewed_at
		FROM plan_reviews WHERE plan_id = ? ORDER BY reviewed_at, id`, planID)
	if err != nil {
		return nil, fmt.Errorf("reviews of plan %d: %w", planID, err)
	}
	defer rows.Close()
	var out []coaching.PlanReview
	for rows.Next() {
		r := coaching.PlanReview{PlanID: planID}
		var call sql.NullInt64
		var outcome, at string
		if err := rows.Scan(&call, &outcome, &r.Helped, &r.GotInWay, &at); err != nil {
			return nil, fmt.Errorf("reviews of plan %d: %w", planID, err)
		}
		r.CallID, r.Outcome = call.Int64, coaching.PlanStatus(outcome)
		if r.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("reviews of plan %d: reviewed_at: %w", planID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reviews of plan %d: %w", planID, err)
	}
	return out, nil
}

// checkPlan refuses a plan the schema would not hold, in words a coach can
// act on and without quoting what was typed, and returns it with an empty
// status made active if it is new.
func checkPlan(p coaching.ActionPlan) (coaching.ActionPlan, error) {
	switch p.Behaviour {
	case coaching.BehaviourOwn, coaching.BehaviourDiet, coaching.BehaviourActivity, coaching.BehaviourSleep,
		coaching.BehaviourSocial, coaching.BehaviourStress, coaching.BehaviourMedicines:
	case "":
		return p, errors.New("the plan has no area of behaviour (their own idea, diet, activity, ...)")
	default:
		return p, fmt.Errorf("unknown area of behaviour %q", p.Behaviour)
	}
	if p.Status == "" && p.ID == 0 {
		p.Status = coaching.PlanActive // a plan starts active
	}
	if err := checkStatus(p.Status); err != nil {
		return p, err
	}
	if p.DaysPerWeek < 0 || p.DaysPerWeek > 7 {
		return p, fmt.Errorf("days a week is a whole number from 0 to 7, not %d", p.DaysPerWeek)
	}
	if p.Confidence != coaching.NoScore {
		if err := checkScore(p.Confidence); err != nil {
			return p, err
		}
	}
	for _, d := range []struct{ what, date string }{{"start date", p.StartDate}, {"review date", p.ReviewDate}} {
		if d.date == "" {
			continue
		}
		if t, err := time.Parse(dateLayout, d.date); err != nil || t.Format(dateLayout) != d.date {
			return p, fmt.Errorf("the %s is not a date written YYYY-MM-DD", d.what)
		}
	}
	if p.ID != 0 && p.Replaces == p.ID {
		return p, errors.New("a plan cannot replace itself")
	}
	texts := []struct{ what, text string }{
		{"what", p.What}, {"how much", p.HowMuch}, {"when", p.When}, {"where", p.Where},
		{"the backup plan", p.Backup}, {"the commitment", p.Commitment},
	}
	for _, b := range p.Barriers {
		texts = append(texts, struct{ what, text string }{"a barrier", b.Barrier}, struct{ what, text string }{"a way round a barrier", b.Solution})
	}
	for _, t := range texts {
		if err := checkLen(t.what, t.text); err != nil {
			return p, err
		}
	}
	return p, nil
}

func checkStatus(s coaching.PlanStatus) error {
	switch s {
	case coaching.PlanActive, coaching.PlanDone, coaching.PlanPartly, coaching.PlanNotDone,
		coaching.PlanRevised, coaching.PlanDropped:
		return nil
	}
	return fmt.Errorf("unknown plan status %q", s)
}

func checkScore(score int) error {
	if score < 0 || score > 10 {
		return fmt.Errorf("a confidence score is a whole number from 0 to 10, not %d", score)
	}
	return nil
}

func checkScores(scores []int) error {
	for _, sc := range scores {
		if err := checkScore(sc); err != nil {
			return err
		}
	}
	return nil
}

func checkReview(r coaching.PlanReview) error {
	switch r.Outcome {
	case coaching.PlanDone, coaching.PlanPartly, coaching.PlanNotDone:
	default:
		return fmt.Errorf("a review's outcome is done, partly done or not done, not %q", r.Outcome)
	}
	if err := checkLen("what helped", r.Helped); err != nil {
		return err
	}
	return checkLen("what got in the way", r.GotInWay)
}

// stillOpen refuses to move on from a plan that was revised or dropped.
func stillOpen(planID int64, status coaching.PlanStatus) error {
	switch status {
	case coaching.PlanRevised:
		return fmt.Errorf("plan %d was already revised; use the plan that replaced it", planID)
	case coaching.PlanDropped:
		return fmt.Errorf("plan %d was dropped; make a new plan instead", planID)
	}
	return nil
}

// savePlan inserts or updates the checked plan p, with its barriers, in tx
// and returns its id; a new plan is credited to p.Coach. Inserting a plan that replaces another marks that
// one revised, so a plan is revised exactly when a plan replaces it.
func savePlan(ctx context.Context, tx *sql.Tx, p coaching.ActionPlan, now time.Time) (int64, error) {
	if err := requirePerson(ctx, tx, p.PersonID); err != nil {
		return 0, err
	}
	if err := requireCallWith(ctx, tx, p.CallID, p.PersonID); err != nil {
		return 0, err
	}
	if p.ID == 0 {
		if err := startPlan(ctx, tx, p, now); err != nil {
			return 0, err
		}
	} else if err := keepsLinks(ctx, tx, p); err != nil {
		return 0, err
	}
	at := formatTime(now)
	fields := []any{nullID(p.CallID), string(p.Behaviour), p.What, p.HowMuch, p.When, p.Where,
		p.DaysPerWeek, nullString(p.StartDate), nullString(p.ReviewDate), p.Backup, p.Commitment,
		p.Confidence, string(p.Status), at}
	id := p.ID
	if id == 0 {
		err := tx.QueryRowContext(ctx, `INSERT INTO action_plans
			(call_id, behaviour, what, how_much, when_text, where_text, days_per_week, start_date,
			 review_date, backup, commitment, confidence, status, updated_at, person_id, replaces, created_at, coach)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, append(fields, p.PersonID, nullID(p.Replaces), at, p.Coach)...).Scan(&id)
		if err != nil {
			return 0, err
		}
	} else {
		if _, err := tx.ExecContext(ctx, `UPDATE action_plans SET
			call_id = ?, behaviour = ?, what = ?, how_much = ?, when_text = ?, where_text = ?,
			days_per_week = ?, start_date = ?, review_date = ?, backup = ?, commitment = ?,
			confidence = ?, status = ?, updated_at = ?
			WHERE id = ?`, append(fields, p.ID)...); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM plan_barriers WHERE plan_id = ?", id); err != nil {
			return 0, err
		}
	}
	for i, b := range p.Barriers {
		if _, err := tx.ExecContext(ctx, "INSERT INTO plan_barriers (plan_id, position, barrier, solution) VALUES (?, ?, ?, ?)",
			id, i, b.Barrier, b.Solution); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// startPlan checks a new plan can start and, if it replaces another, marks
// that one revised.
func startPlan(ctx context.Context, tx *sql.Tx, p coaching.ActionPlan, now time.Time) error {
	if p.Status == coaching.PlanRevised {
		return errors.New("a new plan cannot start revised")
	}
	if p.Replaces == 0 {
		return nil
	}
	person, status, err := planState(ctx, tx, p.Replaces)
	if errors.Is(err, ErrNotFound) {
		return notFound("replaced plan", p.Replaces)
	}
	if err != nil {
		return err
	}
	if person != p.PersonID {
		return fmt.Errorf("replaced plan %d is not a plan of person %d", p.Replaces, p.PersonID)
	}
	if err := stillOpen(p.Replaces, status); err != nil {
		return err
	}
	return setStatus(ctx, tx, p.Replaces, coaching.PlanRevised, now)
}

// keepsLinks checks that updating plan p.ID keeps its person, what it
// replaces and whether it is revised: those change only by revising.
func keepsLinks(ctx context.Context, tx *sql.Tx, p coaching.ActionPlan) error {
	var (
		person   int64
		status   string
		replaces sql.NullInt64
	)
	err := tx.QueryRowContext(ctx, "SELECT person_id, status, replaces FROM action_plans WHERE id = ?", p.ID).
		Scan(&person, &status, &replaces)
	if errors.Is(err, sql.ErrNoRows) || err == nil && person != p.PersonID {
		return ErrNotFound // no such plan of that person
	}
	if err != nil {
		return err
	}
	switch {
	case replaces.Int64 != p.Replaces:
		return fmt.Errorf("plan %d replaces plan %d; what a plan replaces does not change", p.ID, replaces.Int64)
	case coaching.PlanStatus(status) == coaching.PlanRevised && p.Status != coaching.PlanRevised:
		return fmt.Errorf("plan %d was revised; change the plan that replaced it", p.ID)
	case coaching.PlanStatus(status) != coaching.PlanRevised && p.Status == coaching.PlanRevised:
		return errors.New("a plan is marked revised by revising it")
	}
	return nil
}

// addScores appends scores to the plan's history at now and makes the
// last the plan's confidence.
func addScores(ctx context.Context, tx *sql.Tx, planID int64, scores []int, now time.Time) error {
	if len(scores) == 0 {
		return nil
	}
	at := formatTime(now)
	for _, sc := range scores {
		if _, err := tx.ExecContext(ctx, "INSERT INTO confidence_scores (plan_id, score, scored_at) VALUES (?, ?, ?)",
			planID, sc, at); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, "UPDATE action_plans SET confidence = ?, updated_at = ? WHERE id = ?",
		scores[len(scores)-1], at, planID)
	return err
}

func setStatus(ctx context.Context, tx *sql.Tx, planID int64, status coaching.PlanStatus, now time.Time) error {
	_, err := tx.ExecContext(ctx, "UPDATE action_plans SET status = ?, updated_at = ? WHERE id = ?",
		string(status), formatTime(now), planID)
	return err
}

// planState is the person and status of the plan; ErrNotFound if there is
// no such plan.
func planState(ctx context.Context, tx *sql.Tx, planID int64) (person int64, status coaching.PlanStatus, err error) {
	var st string
	err = tx.QueryRowContext(ctx, "SELECT person_id, status FROM action_plans WHERE id = ?", planID).Scan(&person, &st)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", ErrNotFound
	}
	return person, coaching.PlanStatus(st), err
}

// requirePlanOf checks that plan planID exists (ErrNotFound, naming it)
// and is a plan of the person; what it is to the caller names it in the
// error.
func requirePlanOf(ctx context.Context, tx *sql.Tx, what string, planID, personID int64) error {
	person, _, err := planState(ctx, tx, planID)
	if errors.Is(err, ErrNotFound) {
		return notFound(what, planID)
	}
	if err != nil {
		return err
	}
	if person != personID {
		return fmt.Errorf("%s %d is not a plan of person %d", what, planID, personID)
	}
	return nil
}

// requirePerson is ErrNotFound if the person does not exist.
func requirePerson(ctx context.Context, tx *sql.Tx, personID int64) error {
	var exists bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM people WHERE id = ?)", personID).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return ErrNotFound
	}
	return nil
}

// requireCallWith checks that call callID, if not 0, exists (ErrNotFound)
// and was with the person.
func requireCallWith(ctx context.Context, tx *sql.Tx, callID, personID int64) error {
	if callID == 0 {
		return nil
	}
	var person int64
	err := tx.QueryRowContext(ctx, "SELECT person_id FROM calls WHERE id = ?", callID).Scan(&person)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("call", callID)
	}
	if err != nil {
		return err
	}
	if person != personID {
		return fmt.Errorf("call %d was not with person %d", callID, personID)
	}
	return nil
}

// scanPlan reads planColumns (without barriers).
func scanPlan(row interface{ Scan(...any) error }) (coaching.ActionPlan, error) {
	var (
		p                 coaching.ActionPlan
		call, replaces    sql.NullInt64
		start, review     sql.NullString
		behaviour, status string
		created, updated  string
	)
	if err := row.Scan(&p.ID, &p.PersonID, &call, &behaviour, &p.What, &p.HowMuch, &p.When, &p.Where,
		&p.DaysPerWeek, &start, &review, &p.Backup, &p.Commitment, &p.Confidence, &status, &replaces,
		&created, &updated, &p.Coach); err != nil {
		return coaching.ActionPlan{}, err
	}
	p.CallID, p.Replaces = call.Int64, replaces.Int64
	p.StartDate, p.ReviewDate = start.String, review.String
	p.Behaviour, p.Status = coaching.Behaviour(behaviour), coaching.PlanStatus(status)
	var err error
	if p.CreatedAt, err = parseTime(created); err != nil {
		return coaching.ActionPlan{}, fmt.Errorf("plan %d: created_at: %w", p.ID, err)
	}
	if p.UpdatedAt, err = parseTime(updated); err != nil {
		return coaching.ActionPlan{}, fmt.Errorf("plan %d: updated_at: %w", p.ID, err)
	}
	return p, nil
}

// readBarriers reads the barriers of plan_barriers b chosen by where (with
// one argument) into the plans they belong to, in order.
func readBarriers(ctx context.Context, tx *sql.Tx, where string, arg int64, plans []*coaching.ActionPlan) error {
	byID := make(map[int64]*coaching.ActionPlan, len(plans))
	for _, p := range plans {
		byID[p.ID] = p
	}
	rows, err := tx.QueryContext(ctx, "SELECT b.plan_id, b.barrier, b.solution FROM plan_barriers b "+where+
		" ORDER BY b.plan_id, b.position", arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var planID int64
		var b coaching.Barrier
		if err := rows.Scan(&planID, &b.Barrier, &b.Solution); err != nil {
			return err
		}
		if p := byID[planID]; p != nil {
			p.Barriers = append(p.Barriers, b)
		}
	}
	return rows.Err()
}

// nullID stores the id 0 (none) as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
