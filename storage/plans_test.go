package storage

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

// personWithCall stores a person and starts a call to them at t0.
func personWithCall(t *testing.T, s *Store, name string) (personID, callID int64) {
	t.Helper()
	pid := createPerson(t, s, coaching.Person{Name: name})
	c, err := s.StartCall(context.Background(), pid, coaching.RoleCoach, t0)
	if err != nil {
		t.Fatal(err)
	}
	return pid, c.ID
}

// walkPlan is a plan with every field set.
func walkPlan(personID, callID int64) coaching.ActionPlan {
	return coaching.ActionPlan{
		PersonID: personID, CallID: callID, Behaviour: coaching.BehaviourActivity,
		What: "walk to the shop", HowMuch: "20 minutes", When: "after lunch", Where: "round the park",
		DaysPerWeek: 3, StartDate: "2026-11-24", ReviewDate: "2026-12-01",
		Barriers: []coaching.Barrier{
			{Barrier: "rain", Solution: "walk in the shopping centre"},
			{Barrier: "knee pain", Solution: ""},
			{Barrier: "tired", Solution: "go after a cup of tea"},
		},
		Backup: "march on the spot", Commitment: "I will walk on Monday, Wednesday and Friday",
		Confidence: 7, Status: coaching.PlanActive,
	}
}

func mustSavePlan(t *testing.T, s *Store, p coaching.ActionPlan, now time.Time) int64 {
	t.Helper()
	id, err := s.SavePlan(context.Background(), p, now)
	if err != nil {
		t.Fatalf("SavePlan: %v", err)
	}
	return id
}

func mustGetPlan(t *testing.T, s *Store, id int64) coaching.ActionPlan {
	t.Helper()
	p, err := s.GetPlan(context.Background(), id)
	if err != nil {
		t.Fatalf("GetPlan(%d): %v", id, err)
	}
	return p
}

func TestPlanRoundTrip(t *testing.T) {
	s := newStore(t)
	pid, call := personWithCall(t, s, "Ann")
	tests := []struct {
		name string
		p    coaching.ActionPlan
		want func(p coaching.ActionPlan) coaching.ActionPlan // from the plan saved; nil: as saved
	}{
		{"every field", walkPlan(pid, call), nil},
		{"bare: no score, no dates, no call, no barriers",
			coaching.ActionPlan{PersonID: pid, Behaviour: coaching.BehaviourOwn, What: "read to my grandson", Confidence: coaching.NoScore, Status: coaching.PlanActive}, nil},
		{"no status starts active",
			coaching.ActionPlan{PersonID: pid, Behaviour: coaching.BehaviourSleep, Confidence: 0},
			func(p coaching.ActionPlan) coaching.ActionPlan { p.Status = coaching.PlanActive; return p }},
		{"an empty barrier list reads back as none",
			coaching.ActionPlan{PersonID: pid, Behaviour: coaching.BehaviourDiet, Barriers: []coaching.Barrier{}, Confidence: 10, Status: coaching.PlanDone},
			func(p coaching.ActionPlan) coaching.ActionPlan { p.Barriers = nil; return p }},
		{"text kept as typed", coaching.ActionPlan{PersonID: pid, Behaviour: coaching.BehaviourStress,
			What: "  breathe 🌬️ \"slowly\"  ", Commitment: "مرتين يوميا\nevery day", Confidence: 5, Status: coaching.PlanActive,
			Barriers: []coaching.Barrier{{Barrier: "", Solution: "only a solution"}}}, nil},
		{"the times given are ignored", coaching.ActionPlan{PersonID: pid, Behaviour: coaching.BehaviourSocial, Confidence: 3,
			Status: coaching.PlanActive, CreatedAt: t0.Add(-time.Hour), UpdatedAt: t0.Add(time.Hour)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := t0.In(time.FixedZone("UTC-6", -6*3600)).Add(250 * time.Millisecond)
			id := mustSavePlan(t, s, tt.p, now)
			want := tt.p
			if tt.want != nil {
				want = tt.want(want)
			}
			want.ID, want.CreatedAt, want.UpdatedAt = id, t0, t0 // UTC, whole seconds
			if got := mustGetPlan(t, s, id); !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestPlanStoredReadably(t *testing.T) {
	s := newStore(t)
	pid, call := personWithCall(t, s, "Ann")
	full := mustSavePlan(t, s, walkPlan(pid, call), t0)
	bare := mustSavePlan(t, s, coaching.ActionPlan{PersonID: pid, Behaviour: coaching.BehaviourOwn, Confidence: coaching.NoScore}, t0)
	for _, tt := range []struct {
		id   int64
		want string
	}{
		{full, fmt.Sprintf("%d|activity|walk to the shop|after lunch|round the park|2026-11-24|2026-12-01|7|active|<nil>|2026-11-23T14:05:09Z", call)},
		{bare, "<nil>|own||||<nil>|<nil>|-1|active|<nil>|2026-11-23T14:05:09Z"},
	} {
		var got string
		err := s.ro.QueryRow(`SELECT coalesce(CAST(call_id AS TEXT), '<nil>') || '|' || behaviour || '|' || what || '|' || when_text || '|' ||
			where_text || '|' || coalesce(start_date, '<nil>') || '|' || coalesce(review_date, '<nil>') || '|' ||
			confidence || '|' || status || '|' || coalesce(CAST(replaces AS TEXT), '<nil>') || '|' || created_at
			FROM action_plans WHERE id = ?`, tt.id).Scan(&got)
		if err != nil || got != tt.want {
			t.Errorf("plan %d stored as %q, %v; want %q", tt.id, got, err, tt.want)
		}
	}
	var barriers string
	if err := s.ro.QueryRow(bySQL("SELECT group_concat(position || ':' || barrier, ',') FROM (SELECT * FROM plan_barriers WHERE plan_id = ? ORDER BY position)",
		"SELECT string_agg(position || ':' || barrier, ',' ORDER BY position) FROM plan_barriers WHERE plan_id = ?"), full).
		Scan(&barriers); err != nil || barriers != "0:rain,1:knee pain,2:tired" {
		t.Errorf("barriers stored as %q, %v", barriers, err)
	}
}

func TestUpdatePlanReplacesEveryField(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	id := mustSavePlan(t, s, walkPlan(pid, call), t0)

	p := mustGetPlan(t, s, id)
	p.CallID, p.Behaviour, p.What, p.HowMuch, p.When, p.Where = 0, coaching.BehaviourDiet, "fruit at breakfast", "one piece", "mornings", "home"
	p.DaysPerWeek, p.StartDate, p.ReviewDate = 7, "", "2027-01-05"
	p.Barriers = []coaching.Barrier{{Barrier: "tired", Solution: "lay it out the night before"}, {Barrier: "rain"}}
	p.Backup, p.Commitment, p.Confidence, p.Status = "", "I will", coaching.NoScore, coaching.PlanPartly
	if _, err := s.SavePlan(ctx, p, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	want := p
	want.UpdatedAt = t0.Add(time.Hour)
	if got := mustGetPlan(t, s, id); !reflect.DeepEqual(got, want) {
		t.Errorf("after update:\n got %+v\nwant %+v", got, want)
	}

	p.Barriers = nil
	if _, err := s.SavePlan(ctx, p, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := mustGetPlan(t, s, id); got.Barriers != nil {
		t.Errorf("barriers after saving none: %+v", got.Barriers)
	}
	var n int
	if err := s.ro.QueryRow("SELECT count(*) FROM plan_barriers").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d barrier rows left, %v", n, err)
	}
	if plans, err := s.PlansForPerson(ctx, pid); err != nil || len(plans) != 1 {
		t.Errorf("an update made %d plans, %v; want 1", len(plans), err)
	}
}

func TestScorePlanKeepsHistory(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, _ := personWithCall(t, s, "Ann")
	other, _ := personWithCall(t, s, "Bob")
	a := mustSavePlan(t, s, coaching.ActionPlan{PersonID: pid, Behaviour: coaching.BehaviourActivity, Confidence: coaching.NoScore}, t0)
	b := mustSavePlan(t, s, coaching.ActionPlan{PersonID: pid, Behaviour: coaching.BehaviourSleep, Confidence: coaching.NoScore}, t0)
	o := mustSavePlan(t, s, coaching.ActionPlan{PersonID: other, Behaviour: coaching.BehaviourSleep, Confidence: coaching.NoScore}, t0)

	steps := []struct {
		plan  int64
		score int
		at    time.Duration
	}{
		{a, 4, 0},
		{a, 0, time.Minute},
		{o, 9, 2 * time.Minute},
		{b, 10, 3 * time.Minute},
		{a, 7, 4 * time.Minute},
		{b, 6, 30 * time.Second}, // recorded late with an earlier time: history goes by time
		{a, 7, 4 * time.Minute},  // the same score twice is two answers
	}
	for _, st := range steps {
		if err := s.ScorePlan(ctx, st.plan, st.score, t0.Add(st.at)); err != nil {
			t.Fatal(err)
		}
	}
	sc := func(plan int64, score int, at time.Duration) coaching.ConfidenceScore {
		return coaching.ConfidenceScore{PlanID: plan, Score: score, At: t0.Add(at)}
	}
	for _, tt := range []struct {
		name string
		read func() ([]coaching.ConfidenceScore, error)
		want []coaching.ConfidenceScore
	}{
		{"plan a", func() ([]coaching.ConfidenceScore, error) { return s.PlanScores(ctx, a) },
			[]coaching.ConfidenceScore{sc(a, 4, 0), sc(a, 0, time.Minute), sc(a, 7, 4*time.Minute), sc(a, 7, 4*time.Minute)}},
		{"plan b", func() ([]coaching.ConfidenceScore, error) { return s.PlanScores(ctx, b) },
			[]coaching.ConfidenceScore{sc(b, 6, 30*time.Second), sc(b, 10, 3*time.Minute)}},
		{"the person's", func() ([]coaching.ConfidenceScore, error) { return s.ConfidenceHistory(ctx, pid) },
			[]coaching.ConfidenceScore{sc(a, 4, 0), sc(b, 6, 30*time.Second), sc(a, 0, time.Minute), sc(b, 10, 3*time.Minute),
				sc(a, 7, 4*time.Minute), sc(a, 7, 4*time.Minute)}},
		{"the other person's", func() ([]coaching.ConfidenceScore, error) { return s.ConfidenceHistory(ctx, other) },
			[]coaching.ConfidenceScore{sc(o, 9, 2*time.Minute)}},
		{"a plan never scored", func() ([]coaching.ConfidenceScore, error) {
			id := mustSavePlan(t, s, coaching.ActionPlan{PersonID: other, Behaviour: coaching.BehaviourOwn, Confidence: coaching.NoScore}, t0)
			return s.PlanScores(ctx, id)
		}, nil},
		{"no such person", func() ([]coaching.ConfidenceScore, error) { return s.ConfidenceHistory(ctx, 4242) }, nil},
	} {
		got, err := tt.read()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %v\nwant %v", tt.name, got, tt.want)
		}
	}
	// Each plan's confidence is the last score given, whatever its time.
	for plan, want := range map[int64]struct {
		score int
		at    time.Duration
	}{a: {7, 4 * time.Minute}, b: {6, 30 * time.Second}, o: {9, 2 * time.Minute}} {
		if got := mustGetPlan(t, s, plan); got.Confidence != want.score || !got.UpdatedAt.Equal(t0.Add(want.at)) {
			t.Errorf("plan %d: confidence %d, updated %v; want %d, %v", plan, got.Confidence, got.UpdatedAt, want.score, t0.Add(want.at))
		}
	}
}

// countRows counts the rows of every table a plan writes to.
func countRows(t *testing.T, s *Store) string {
	t.Helper()
	var out []string
	for _, table := range []string{"action_plans", "plan_barriers", "confidence_scores", "plan_reviews", "follow_ups"} {
		var n int
		if err := s.ro.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %d", table, n))
	}
	return strings.Join(out, ", ")
}

func TestCommitPlan(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	earlier, err := s.AddFollowUp(ctx, coaching.FollowUp{PersonID: pid, Due: t0.Add(time.Hour), Reason: "check in"}, t0)
	if err != nil {
		t.Fatal(err)
	}

	p := walkPlan(pid, call)
	p.Confidence = coaching.NoScore
	due := t0.Add(7 * 24 * time.Hour)
	planID, fid, err := s.CommitPlan(ctx, p, []int{5, 8}, &coaching.FollowUp{Due: due, Reason: "how did the walking go", PlanID: 999}, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	got := mustGetPlan(t, s, planID)
	if got.Confidence != 8 || got.What != p.What || len(got.Barriers) != 3 {
		t.Errorf("plan after commit: %+v", got)
	}
	scores, err := s.PlanScores(ctx, planID)
	if err != nil || len(scores) != 2 || scores[0].Score != 5 || scores[1].Score != 8 {
		t.Errorf("scores after commit: %v, %v; want 5 then 8", scores, err)
	}
	f, ok, err := s.OpenFollowUp(ctx, pid)
	if err != nil || !ok || f.ID != earlier {
		t.Errorf("open follow-up: %+v, %v, %v; want the earlier one, %d, still open", f, ok, err, earlier)
	}
	var fPerson, fPlan int64
	var fDue string
	if err := s.ro.QueryRow("SELECT person_id, plan_id, due_at FROM follow_ups WHERE id = ?", fid).Scan(&fPerson, &fPlan, &fDue); err != nil {
		t.Fatal(err)
	}
	if fPerson != pid || fPlan != planID || fDue != formatTime(due) {
		t.Errorf("follow-up %d: person %d, plan %d, due %s; want %d, %d, %s", fid, fPerson, fPlan, fDue, pid, planID, formatTime(due))
	}

	// An update, with no new scores and no follow-up, keeps the history.
	got.What = "walk to the post office"
	id2, fid2, err := s.CommitPlan(ctx, got, nil, nil, t0.Add(2*time.Minute))
	if err != nil || id2 != planID || fid2 != 0 {
		t.Fatalf("CommitPlan update = %d, %d, %v; want %d, 0", id2, fid2, err, planID)
	}
	if again := mustGetPlan(t, s, planID); again.What != "walk to the post office" || again.Confidence != 8 {
		t.Errorf("after update: %+v", again)
	}
	if scores, _ := s.PlanScores(ctx, planID); len(scores) != 2 {
		t.Errorf("%d scores after an update without scores, want 2", len(scores))
	}
}

// TestCommitPlanIsOneTransaction makes the last write of a commit (the
// follow-up) fail inside the database and checks nothing of the plan or
// its scores was kept.
func TestCommitPlanIsOneTransaction(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	existing := mustSavePlan(t, s, walkPlan(pid, call), t0)
	mustExec(t, s.rw, bySQL(`CREATE TRIGGER fail_follow_up BEFORE INSERT ON follow_ups BEGIN SELECT RAISE(ABORT, 'no follow-ups today'); END`,
		`CREATE FUNCTION fail_follow_up() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE 'no follow-ups today'; END $$;
		CREATE TRIGGER fail_follow_up BEFORE INSERT ON follow_ups FOR EACH ROW EXECUTE FUNCTION fail_follow_up()`))

	newPlan := walkPlan(pid, call)
	update := mustGetPlan(t, s, existing)
	update.What, update.Barriers = "swim", nil
	revision := walkPlan(pid, call)
	revision.Replaces = existing
	for _, tt := range []struct {
		name string
		p    coaching.ActionPlan
	}{
		{"new plan", newPlan},
		{"update", update},
		{"revision", revision},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before, files := countRows(t, s), storeHash(t, s)
			plans, err := s.PlansForPerson(ctx, pid)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = s.CommitPlan(ctx, tt.p, []int{3, 9}, &coaching.FollowUp{PersonID: pid, Due: t0.Add(time.Hour)}, t0.Add(time.Hour))
			if err == nil || !strings.Contains(err.Error(), "no follow-ups today") {
				t.Fatalf("err = %v, want the follow-up refused", err)
			}
			if after := countRows(t, s); after != before {
				t.Errorf("rows after a failed commit: %s; before: %s", after, before)
			}
			if after := storeHash(t, s); after != files {
				t.Errorf("the file changed: %s, was %s", after, files)
			}
			if after, err := s.PlansForPerson(ctx, pid); err != nil || !reflect.DeepEqual(after, plans) {
				t.Errorf("plans after a failed commit:\n%+v\nwere\n%+v", after, plans)
			}
		})
	}
}

func TestRevisePlanChain(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	first := mustSavePlan(t, s, walkPlan(pid, call), t0)
	if err := s.ScorePlan(ctx, first, 4, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.ReviewPlan(ctx, coaching.PlanReview{PlanID: first, CallID: call, Outcome: coaching.PlanPartly, Helped: "sunny days"}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	next := walkPlan(pid, 0)
	next.What, next.Replaces, next.Status, next.Confidence = "walk 10 minutes", first, "", 8
	second, err := s.RevisePlan(ctx, first, next, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// The third is made by CommitPlan: a new plan that replaces another
	// revises it, with its scores and follow-up, in one transaction.
	third := walkPlan(pid, 0)
	third.What, third.Replaces, third.PersonID = "walk 5 minutes", second, pid
	thirdID, _, err := s.CommitPlan(ctx, third, []int{9}, &coaching.FollowUp{Due: t0.Add(72 * time.Hour)}, t0.Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}

	plans, err := s.PlansForPerson(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	type link struct {
		id       int64
		what     string
		status   coaching.PlanStatus
		replaces int64
	}
	var got []link
	for _, p := range plans {
		got = append(got, link{p.ID, p.What, p.Status, p.Replaces})
		if len(p.Barriers) != 3 {
			t.Errorf("plan %d has %d barriers, want 3", p.ID, len(p.Barriers))
		}
	}
	want := []link{
		{thirdID, "walk 5 minutes", coaching.PlanActive, second},
		{second, "walk 10 minutes", coaching.PlanRevised, first},
		{first, "walk to the shop", coaching.PlanRevised, 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("plans, newest first:\n got %+v\nwant %+v", got, want)
	}
	if p := mustGetPlan(t, s, second); !p.UpdatedAt.Equal(t0.Add(48 * time.Hour)) {
		t.Errorf("revised plan updated at %v, want when it was revised", p.UpdatedAt)
	}
	cur, ok, err := s.CurrentPlan(ctx, pid)
	if err != nil || !ok || cur.ID != thirdID || len(cur.Barriers) != 3 {
		t.Errorf("CurrentPlan = %d (%d barriers), %v, %v; want %d", cur.ID, len(cur.Barriers), ok, err, thirdID)
	}
	// The history of the first plan is intact.
	if scores, err := s.PlanScores(ctx, first); err != nil || len(scores) != 1 || scores[0].Score != 4 {
		t.Errorf("first plan's scores: %v, %v", scores, err)
	}
	if reviews, err := s.PlanReviews(ctx, first); err != nil || len(reviews) != 1 || reviews[0].Helped != "sunny days" {
		t.Errorf("first plan's reviews: %+v, %v", reviews, err)
	}
	if h, err := s.ConfidenceHistory(ctx, pid); err != nil || len(h) != 2 || h[0].PlanID != first || h[1].PlanID != thirdID {
		t.Errorf("confidence history: %v, %v; want the first plan's 4 then the third's 9", h, err)
	}

	// Revising a revised plan again is refused: there is a newer version.
	again := walkPlan(pid, 0)
	again.Replaces = first
	if _, err := s.RevisePlan(ctx, first, again, t0.Add(72*time.Hour)); err == nil || !strings.Contains(err.Error(), "already revised") {
		t.Errorf("second revision of plan %d: err = %v", first, err)
	}
	// The schema allows a plan to be replaced once, whatever the code does.
	if _, err := s.rw.Exec(`INSERT INTO action_plans (person_id, behaviour, replaces, created_at, updated_at)
		VALUES (?, 'own', ?, 'x', 'x')`, pid, first); err == nil {
		t.Error("a second plan replacing the same plan was stored")
	}
}

func TestCurrentPlan(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	plan := func(pid int64, status coaching.PlanStatus) int64 {
		t.Helper()
		id := mustSavePlan(t, s, coaching.ActionPlan{PersonID: pid, Behaviour: coaching.BehaviourOwn, Confidence: coaching.NoScore}, t0)
		if status != coaching.PlanActive {
			if err := s.SetPlanStatus(ctx, id, status, t0); err != nil {
				t.Fatal(err)
			}
		}
		return id
	}
	none := createPerson(t, s, coaching.Person{Name: "None"})
	onlyDropped := createPerson(t, s, coaching.Person{Name: "Dropped"})
	plan(onlyDropped, coaching.PlanDropped)
	doneThenDropped := createPerson(t, s, coaching.Person{Name: "Done"})
	done := plan(doneThenDropped, coaching.PlanDone)
	plan(doneThenDropped, coaching.PlanDropped)
	twoActive := createPerson(t, s, coaching.Person{Name: "Two"})
	plan(twoActive, coaching.PlanActive)
	newer := plan(twoActive, coaching.PlanNotDone)

	for _, tt := range []struct {
		name   string
		person int64
		want   int64 // 0: none
	}{
		{"no plans", none, 0},
		{"only a dropped plan", onlyDropped, 0},
		{"a dropped plan is skipped", doneThenDropped, done},
		{"the newest wins", twoActive, newer},
		{"no such person", 4242, 0},
	} {
		p, ok, err := s.CurrentPlan(ctx, tt.person)
		if err != nil || ok != (tt.want != 0) || p.ID != tt.want {
			t.Errorf("%s: CurrentPlan = %d, %v, %v; want %d", tt.name, p.ID, ok, err, tt.want)
		}
	}
}

// TestCurrentPlanAgreesWithCoaching: the SQL behind CurrentPlan and the
// caseload's plan column picks the plan coaching.CurrentPlan picks, for
// every mix of statuses below.
func TestCurrentPlanAgreesWithCoaching(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	const (
		active  = coaching.PlanActive
		done    = coaching.PlanDone
		partly  = coaching.PlanPartly
		notDone = coaching.PlanNotDone
		revised = coaching.PlanRevised
		dropped = coaching.PlanDropped
	)
	cases := [][]coaching.PlanStatus{ // oldest first
		nil,
		{active},
		{revised, active},
		{active, revised},
		{done},
		{partly, notDone},
		{dropped},
		{revised, dropped},
		{active, dropped},
		{done, active, dropped, revised},
	}
	for i, statuses := range cases {
		name := fmt.Sprintf("Person %c", 'A'+i)
		pid := createPerson(t, s, coaching.Person{Name: name})
		for j, st := range statuses {
			mustExec(t, s.rw, `INSERT INTO action_plans (person_id, behaviour, what, status, created_at, updated_at)
				VALUES (?, 'own', ?, ?, ?, ?)`, pid, fmt.Sprintf("plan %d", j+1), string(st), formatTime(t0), formatTime(t0))
		}
		plans, err := s.PlansForPerson(ctx, pid)
		if err != nil {
			t.Fatal(err)
		}
		want, wantOK := coaching.CurrentPlan(plans)
		got, ok, err := s.CurrentPlan(ctx, pid)
		if err != nil || ok != wantOK || got.ID != want.ID {
			t.Errorf("%v: CurrentPlan = plan %d, %v, %v; coaching.CurrentPlan gives plan %d, %v", statuses, got.ID, ok, err, want.ID, wantOK)
		}
		rows, err := s.rowsOf(ctx, CaseloadQuery{Filter: name, Section: SectionAll})
		if err != nil || len(rows) != 1 || rows[0].ActivePlan != want.What {
			t.Errorf("%v: the caseload shows plan %+v, %v; want %q", statuses, rows, err, want.What)
		}
	}
}

func TestReviewPlan(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	id := mustSavePlan(t, s, walkPlan(pid, call), t0)
	later, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0.Add(7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	reviews := []coaching.PlanReview{
		{PlanID: id, Outcome: coaching.PlanNotDone, GotInWay: "flu", At: t0.Add(-time.Hour)},
		{PlanID: id, CallID: later.ID, Outcome: coaching.PlanPartly, Helped: "a friend came", GotInWay: "rain"},
		{PlanID: id, CallID: later.ID, Outcome: coaching.PlanDone},
	}
	for i, r := range reviews {
		now := t0.Add(time.Duration(i+1) * time.Hour)
		if err := s.ReviewPlan(ctx, r, now); err != nil {
			t.Fatal(err)
		}
		if p := mustGetPlan(t, s, id); p.Status != r.Outcome || !p.UpdatedAt.Equal(now) {
			t.Errorf("after review %d: status %s updated %v; want %s at %v", i, p.Status, p.UpdatedAt, r.Outcome, now)
		}
	}
	got, err := s.PlanReviews(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for i := range reviews {
		reviews[i].At = t0.Add(time.Duration(i+1) * time.Hour) // when it was recorded
	}
	if !reflect.DeepEqual(got, reviews) {
		t.Errorf("reviews:\n got %+v\nwant %+v", got, reviews)
	}
	if none, err := s.PlanReviews(ctx, 4242); err != nil || none != nil {
		t.Errorf("reviews of a missing plan: %v, %v", none, err)
	}
}

// plansOf is everything stored about the person's plans and follow-ups,
// read back through the Store.
func plansOf(t *testing.T, s *Store, pid int64) string {
	t.Helper()
	ctx := context.Background()
	plans, err1 := s.PlansForPerson(ctx, pid)
	scores, err2 := s.ConfidenceHistory(ctx, pid)
	f, ok, err3 := s.OpenFollowUp(ctx, pid)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	out := fmt.Sprintf("%+v\n%v\n%+v %v", plans, scores, f, ok)
	for _, p := range plans {
		r, err := s.PlanReviews(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintf("\n%+v", r)
	}
	return out
}

func TestPlanRefusals(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	other, otherCall := personWithCall(t, s, "Bob")
	plan := mustSavePlan(t, s, walkPlan(pid, call), t0)
	revisedPlan := mustSavePlan(t, s, walkPlan(pid, call), t0)
	rev := walkPlan(pid, call)
	rev.Replaces = revisedPlan
	revision := mustSavePlan(t, s, rev, t0)
	droppedPlan := mustSavePlan(t, s, walkPlan(pid, call), t0)
	if err := s.SetPlanStatus(ctx, droppedPlan, coaching.PlanDropped, t0); err != nil {
		t.Fatal(err)
	}
	otherPlan := mustSavePlan(t, s, walkPlan(other, otherCall), t0)
	if _, err := s.AddFollowUp(ctx, coaching.FollowUp{PersonID: pid, PlanID: plan, Due: t0}, t0); err != nil {
		t.Fatal(err)
	}

	const missing = 4242
	huge := "private " + strings.Repeat("x", coaching.MaxNotesLen)
	tooLong := fmt.Sprintf("at most %d fit", coaching.MaxNotesLen)
	with := func(edit func(p *coaching.ActionPlan)) coaching.ActionPlan {
		p := walkPlan(pid, call)
		p.What = "private words"
		edit(&p)
		return p
	}
	existing := func(id int64, edit func(p *coaching.ActionPlan)) coaching.ActionPlan {
		p := mustGetPlan(t, s, id)
		p.What = "private words"
		edit(&p)
		return p
	}
	save := func(p coaching.ActionPlan) func() error {
		return func() error { _, err := s.SavePlan(ctx, p, t0.Add(time.Hour)); return err }
	}
	commit := func(p coaching.ActionPlan, scores []int, f *coaching.FollowUp) func() error {
		return func() error { _, _, err := s.CommitPlan(ctx, p, scores, f, t0.Add(time.Hour)); return err }
	}
	revise := func(old int64, p coaching.ActionPlan) func() error {
		return func() error { _, err := s.RevisePlan(ctx, old, p, t0.Add(time.Hour)); return err }
	}
	review := func(r coaching.PlanReview) func() error {
		return func() error { return s.ReviewPlan(ctx, r, t0.Add(time.Hour)) }
	}
	follow := func(f coaching.FollowUp) func() error {
		return func() error { _, err := s.AddFollowUp(ctx, f, t0.Add(time.Hour)); return err }
	}
	tests := []struct {
		name  string
		write func() error
		says  string // the Store's own words; "...not found" means it wraps ErrNotFound
	}{
		{"unknown behaviour", save(with(func(p *coaching.ActionPlan) { p.Behaviour = "smoking" })), `unknown area of behaviour "smoking"`},
		{"no behaviour", save(with(func(p *coaching.ActionPlan) { p.Behaviour = "" })), "no area of behaviour"},
		{"unknown status", save(with(func(p *coaching.ActionPlan) { p.Status = "paused" })), `unknown plan status "paused"`},
		{"update with no status", save(existing(plan, func(p *coaching.ActionPlan) { p.Status = "" })), `unknown plan status ""`},
		{"new plan already revised", save(with(func(p *coaching.ActionPlan) { p.Status = coaching.PlanRevised })), "cannot start revised"},
		{"days -1", save(with(func(p *coaching.ActionPlan) { p.DaysPerWeek = -1 })), "from 0 to 7, not -1"},
		{"days 8", save(with(func(p *coaching.ActionPlan) { p.DaysPerWeek = 8 })), "from 0 to 7, not 8"},
		{"confidence -2", save(with(func(p *coaching.ActionPlan) { p.Confidence = -2 })), "from 0 to 10, not -2"},
		{"confidence 11", save(with(func(p *coaching.ActionPlan) { p.Confidence = 11 })), "from 0 to 10, not 11"},
		{"start date 30 February", save(with(func(p *coaching.ActionPlan) { p.StartDate = "2026-02-30" })), "start date is not a date"},
		{"start date as typed", save(with(func(p *coaching.ActionPlan) { p.StartDate = "24/11/2026" })), "start date is not a date"},
		{"review date with time", save(with(func(p *coaching.ActionPlan) { p.ReviewDate = "2026-12-01T10:00:00Z" })), "review date is not a date"},
		{"review date unpadded", save(with(func(p *coaching.ActionPlan) { p.ReviewDate = "2026-12-1" })), "review date is not a date"},
		{"what too long", save(with(func(p *coaching.ActionPlan) { p.What = huge })), tooLong},
		{"barrier too long", save(with(func(p *coaching.ActionPlan) { p.Barriers[1].Solution = huge })), tooLong},
		{"missing person", save(with(func(p *coaching.ActionPlan) { p.PersonID, p.CallID = missing, 0 })), "plan for person 4242: not found"},
		{"missing call", save(with(func(p *coaching.ActionPlan) { p.CallID = missing })), "call 4242: not found"},
		{"another person's call", save(with(func(p *coaching.ActionPlan) { p.CallID = otherCall })), fmt.Sprintf("call %d was not with person %d", otherCall, pid)},
		{"update of a missing plan", save(with(func(p *coaching.ActionPlan) { p.ID = missing })), fmt.Sprintf("plan 4242 of person %d: not found", pid)},
		{"update moving a plan to another person", save(existing(plan, func(p *coaching.ActionPlan) { p.PersonID, p.CallID = other, 0 })),
			fmt.Sprintf("plan %d of person %d: not found", plan, other)},
		{"update changing what it replaces", save(existing(revision, func(p *coaching.ActionPlan) { p.Replaces = plan })), "does not change"},
		{"update marking revised", save(existing(plan, func(p *coaching.ActionPlan) { p.Status = coaching.PlanRevised })), "marked revised by revising"},
		{"update un-revising", save(existing(revisedPlan, func(p *coaching.ActionPlan) { p.Status = coaching.PlanActive })), "was revised"},
		{"replacing a missing plan", save(with(func(p *coaching.ActionPlan) { p.Replaces = missing })), "replaced plan 4242: not found"},
		{"replacing another person's plan", save(with(func(p *coaching.ActionPlan) { p.Replaces = otherPlan })), fmt.Sprintf("replaced plan %d is not a plan of person %d", otherPlan, pid)},
		{"replacing a revised plan", save(with(func(p *coaching.ActionPlan) { p.Replaces = revisedPlan })), "already revised"},
		{"replacing a dropped plan", save(with(func(p *coaching.ActionPlan) { p.Replaces = droppedPlan })), "was dropped"},
		{"replacing itself", save(existing(plan, func(p *coaching.ActionPlan) { p.Replaces = plan })), "cannot replace itself"},

		{"score -1", func() error { return s.ScorePlan(ctx, plan, -1, t0) }, "from 0 to 10, not -1"},
		{"score 11", func() error { return s.ScorePlan(ctx, plan, 11, t0) }, "from 0 to 10, not 11"},
		{"score of a missing plan", func() error { return s.ScorePlan(ctx, missing, 5, t0) }, "score plan 4242: not found"},

		{"commit with a score of 11", commit(with(func(*coaching.ActionPlan) {}), []int{5, 11}, nil), "from 0 to 10, not 11"},
		{"commit with a follow-up for someone else", commit(with(func(*coaching.ActionPlan) {}), nil, &coaching.FollowUp{PersonID: other, Due: t0}),
			fmt.Sprintf("follow-up is for person %d", other)},
		{"commit with a follow-up for a missing person", commit(with(func(*coaching.ActionPlan) {}), nil, &coaching.FollowUp{PersonID: missing, Due: t0}),
			"follow-up is for person 4242"},
		{"commit with a follow-up never due", commit(with(func(*coaching.ActionPlan) {}), []int{5}, &coaching.FollowUp{Reason: "private"}), "needs a time it is due"},
		{"commit for a missing person", commit(with(func(p *coaching.ActionPlan) { p.PersonID, p.CallID = missing, 0 }), []int{5}, &coaching.FollowUp{Due: t0}),
			"plan for person 4242: not found"},
		{"commit with a missing call", commit(with(func(p *coaching.ActionPlan) { p.CallID = missing }), []int{5}, &coaching.FollowUp{Due: t0}), "call 4242: not found"},

		{"revision replacing another plan", revise(plan, with(func(p *coaching.ActionPlan) { p.Replaces = droppedPlan })),
			fmt.Sprintf("replaces plan %d, not plan %d", droppedPlan, plan)},
		{"revision replacing nothing", revise(plan, with(func(*coaching.ActionPlan) {})), fmt.Sprintf("replaces plan 0, not plan %d", plan)},
		{"revision with an id", revise(plan, existing(droppedPlan, func(p *coaching.ActionPlan) { p.Replaces = plan })), "has id"},
		{"revision of a revised plan", revise(revisedPlan, with(func(p *coaching.ActionPlan) { p.Replaces = revisedPlan })), "already revised"},
		{"revision of a dropped plan", revise(droppedPlan, with(func(p *coaching.ActionPlan) { p.Replaces = droppedPlan })), "was dropped"},
		{"revision of a missing plan", revise(missing, with(func(p *coaching.ActionPlan) { p.Replaces = missing })), "revise plan 4242: not found"},
		{"revision of another person's plan", revise(otherPlan, with(func(p *coaching.ActionPlan) { p.Replaces = otherPlan })),
			fmt.Sprintf("replaced plan %d is not a plan of person %d", otherPlan, pid)},
		{"revision with a bad behaviour", revise(plan, with(func(p *coaching.ActionPlan) { p.Replaces, p.Behaviour = plan, "x" })), "unknown area"},

		{"status revised", func() error { return s.SetPlanStatus(ctx, plan, coaching.PlanRevised, t0) }, "marked revised by revising"},
		{"status unknown", func() error { return s.SetPlanStatus(ctx, plan, "finished", t0) }, `unknown plan status "finished"`},
		{"status empty", func() error { return s.SetPlanStatus(ctx, plan, "", t0) }, `unknown plan status ""`},
		{"status of a revised plan", func() error { return s.SetPlanStatus(ctx, revisedPlan, coaching.PlanActive, t0) }, "was revised"},
		{"status of a missing plan", func() error { return s.SetPlanStatus(ctx, missing, coaching.PlanDone, t0) }, "plan 4242: not found"},

		{"review outcome active", review(coaching.PlanReview{PlanID: plan, Outcome: coaching.PlanActive}), `not "active"`},
		{"review outcome revised", review(coaching.PlanReview{PlanID: plan, Outcome: coaching.PlanRevised}), `not "revised"`},
		{"review with no outcome", review(coaching.PlanReview{PlanID: plan, Helped: "private"}), `not ""`},
		{"review text too long", review(coaching.PlanReview{PlanID: plan, Outcome: coaching.PlanDone, GotInWay: huge}), tooLong},
		{"review of a missing plan", review(coaching.PlanReview{PlanID: missing, Outcome: coaching.PlanDone}), "review plan 4242: not found"},
		{"review of a revised plan", review(coaching.PlanReview{PlanID: revisedPlan, Outcome: coaching.PlanDone}), "already revised"},
		{"review of a dropped plan", review(coaching.PlanReview{PlanID: droppedPlan, Outcome: coaching.PlanDone}), "was dropped"},
		{"review in a missing call", review(coaching.PlanReview{PlanID: plan, CallID: missing, Outcome: coaching.PlanDone}), "call 4242: not found"},
		{"review in another person's call", review(coaching.PlanReview{PlanID: plan, CallID: otherCall, Outcome: coaching.PlanDone}), "was not with person"},

		{"follow-up never due", follow(coaching.FollowUp{PersonID: pid, Reason: "private"}), "needs a time it is due"},
		{"follow-up in year 10000", follow(coaching.FollowUp{PersonID: pid, Due: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}), "needs a time it is due"},
		{"follow-up reason too long", follow(coaching.FollowUp{PersonID: pid, Due: t0, Reason: huge}), tooLong},
		{"follow-up for a missing person", follow(coaching.FollowUp{PersonID: missing, Due: t0, Reason: "private"}), "person 4242: not found"},
		{"follow-up about a missing plan", follow(coaching.FollowUp{PersonID: pid, PlanID: missing, Due: t0}), "plan 4242: not found"},
		{"follow-up about another person's plan", follow(coaching.FollowUp{PersonID: pid, PlanID: otherPlan, Due: t0}),
			fmt.Sprintf("plan %d is not a plan of person %d", otherPlan, pid)},
		{"complete by no call", func() error { return s.CompleteFollowUps(ctx, pid, 0, t0) }, "no call given"},
		{"complete by a missing call", func() error { return s.CompleteFollowUps(ctx, pid, missing, t0) }, "call 4242: not found"},
		{"complete by another person's call", func() error { return s.CompleteFollowUps(ctx, pid, otherCall, t0) }, "was not with person"},
	}
	expectRefused(t, s, tests, func() string { return plansOf(t, s, pid) + "\n--\n" + plansOf(t, s, other) })
}

func TestGetPlanNotFound(t *testing.T) {
	s := newStore(t)
	_, err := s.GetPlan(context.Background(), 4242)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "plan 4242") {
		t.Errorf("err = %v, want plan 4242 not found", err)
	}
}

// TestPlanSchemaMatchesCoaching guards the schema's lists of behaviours,
// statuses and outcomes, and its ranges, against drifting from coaching's
// and the Store's: each value allowed is accepted, and the schema itself
// refuses what is not, whatever the Go code lets through.
func TestPlanSchemaMatchesCoaching(t *testing.T) {
	s := newStore(t)
	pid, _ := personWithCall(t, s, "Ann")
	plan := mustSavePlan(t, s, coaching.ActionPlan{PersonID: pid, Behaviour: coaching.BehaviourOwn, Confidence: coaching.NoScore}, t0)
	strs := func(vs ...any) []any { return vs }
	behaviours := strs(coaching.BehaviourOwn, coaching.BehaviourDiet, coaching.BehaviourActivity, coaching.BehaviourSleep,
		coaching.BehaviourSocial, coaching.BehaviourStress, coaching.BehaviourMedicines)
	statuses := strs(coaching.PlanActive, coaching.PlanDone, coaching.PlanPartly, coaching.PlanNotDone, coaching.PlanRevised, coaching.PlanDropped)
	outcomes := strs(coaching.PlanDone, coaching.PlanPartly, coaching.PlanNotDone)
	planInsert := func(col string) string {
		return "INSERT INTO action_plans (person_id, behaviour, created_at, updated_at, " + col + ") VALUES (?, 'own', 'x', 'x', ?)"
	}
	tests := []struct {
		insert    string // with the owner's id and the value as parameters
		good, bad []any
	}{
		{"INSERT INTO action_plans (person_id, behaviour, created_at, updated_at) VALUES (?, ?, 'x', 'x')", behaviours, strs("", "Diet", "smoking")},
		{planInsert("status"), statuses, strs("", "Active", "paused")},
		{planInsert("days_per_week"), strs(0, 7), strs(-1, 8)},
		{planInsert("confidence"), strs(-1, 0, 10), strs(-2, 11)},
		{planInsert("start_date"), strs(nil, "2026-11-24", "2028-02-29"), strs("", "24/11/2026", "2026-11-24T00:00:00Z", "2026-1-5")},
		{planInsert("review_date"), strs(nil, "2026-12-31"), strs("tomorrow", "20261231")},
		{"INSERT INTO confidence_scores (plan_id, score, scored_at) VALUES (?, ?, 'x')", strs(0, 10), strs(-1, 11, nil)},
		{"INSERT INTO plan_reviews (plan_id, outcome, reviewed_at) VALUES (?, ?, 'x')", outcomes, strs("active", "revised", "dropped", "")},
	}
	for _, tt := range tests {
		owner := pid
		if !strings.HasPrefix(tt.insert, "INSERT INTO action_plans") {
			owner = plan
		}
		for _, v := range tt.good {
			if _, err := s.rw.Exec(tt.insert, owner, v); err != nil {
				t.Errorf("%s with %v: %v", tt.insert, v, err)
			}
		}
		for _, v := range tt.bad {
			if _, err := s.rw.Exec(tt.insert, owner, v); err == nil {
				t.Errorf("%s with %#v was accepted", tt.insert, v)
			}
		}
	}
}

func TestDeletingRemovesPlansAndKeepsHistory(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ann, annCall := personWithCall(t, s, "Ann")
	bob, bobCall := personWithCall(t, s, "Bob")
	plans := map[int64]int64{}
	var bobNext int64
	for pid, call := range map[int64]int64{ann: annCall, bob: bobCall} {
		id, _, err := s.CommitPlan(ctx, walkPlan(pid, call), []int{6}, &coaching.FollowUp{Due: t0.Add(time.Hour)}, t0)
		if err != nil {
			t.Fatal(err)
		}
		plans[pid] = id
		next, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if pid == bob {
			bobNext = next.ID
		}
		if err := s.ReviewPlan(ctx, coaching.PlanReview{PlanID: id, CallID: next.ID, Outcome: coaching.PlanDone}, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.CompleteFollowUps(ctx, pid, next.ID, t0.Add(25*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddFollowUp(ctx, coaching.FollowUp{PersonID: pid, PlanID: id, Due: t0.Add(48 * time.Hour)}, t0.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}

	// Deleting calls keeps what was made in them, unlinked.
	mustExec(t, s.rw, "DELETE FROM calls WHERE id IN (?, ?)", bobCall, bobNext)
	p := mustGetPlan(t, s, plans[bob])
	r, err := s.PlanReviews(ctx, plans[bob])
	if err != nil || p.CallID != 0 || len(r) != 1 || r[0].CallID != 0 {
		t.Errorf("after deleting the call: plan call %d, reviews %+v, %v; want unlinked, kept", p.CallID, r, err)
	}
	var done, doneBy int
	if err := s.ro.QueryRow("SELECT count(done_at), count(done_call_id) FROM follow_ups WHERE person_id = ?", bob).Scan(&done, &doneBy); err != nil || done != 1 || doneBy != 0 {
		t.Errorf("after deleting the call: %d done follow-ups, %d linked to a call, %v; want 1, 0", done, doneBy, err)
	}

	// Deleting a person removes everything of theirs and nothing else.
	mustExec(t, s.rw, "DELETE FROM people WHERE id = ?", ann)
	expectCascade(t, s, ann, bob,
		"action_plans WHERE person_id = %d",
		"plan_barriers WHERE plan_id IN (SELECT id FROM action_plans WHERE person_id = %d)",
		"confidence_scores WHERE plan_id IN (SELECT id FROM action_plans WHERE person_id = %d)",
		"plan_reviews WHERE plan_id IN (SELECT id FROM action_plans WHERE person_id = %d)",
		"follow_ups WHERE person_id = %d",
	)
	var orphans int
	if err := s.ro.QueryRow(`SELECT (SELECT count(*) FROM plan_barriers WHERE plan_id NOT IN (SELECT id FROM action_plans))
		+ (SELECT count(*) FROM confidence_scores WHERE plan_id NOT IN (SELECT id FROM action_plans))
		+ (SELECT count(*) FROM plan_reviews WHERE plan_id NOT IN (SELECT id FROM action_plans))`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("%d rows left pointing at deleted plans, %v", orphans, err)
	}

	// Deleting a plan (only the sqlite3 CLI would) unlinks its follow-ups
	// and the plan that replaced it.
	next := walkPlan(bob, 0)
	next.Replaces = plans[bob]
	if err := s.SetPlanStatus(ctx, plans[bob], coaching.PlanActive, t0); err != nil {
		t.Fatal(err)
	}
	nextID := mustSavePlan(t, s, next, t0)
	mustExec(t, s.rw, "DELETE FROM action_plans WHERE id = ?", plans[bob])
	if p := mustGetPlan(t, s, nextID); p.Replaces != 0 {
		t.Errorf("the replacing plan still replaces %d", p.Replaces)
	}
	var linked int
	if err := s.ro.QueryRow("SELECT count(plan_id) FROM follow_ups WHERE person_id = ?", bob).Scan(&linked); err != nil || linked != 0 {
		t.Errorf("%d follow-ups still name the deleted plan, %v", linked, err)
	}
}

// TestReadsSeeOneSnapshot: a plan read while it is being saved comes back
// whole, old or new, never old fields with new barriers.
func TestReadsSeeOneSnapshot(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	id := mustSavePlan(t, s, walkPlan(pid, call), t0)
	p := mustGetPlan(t, s, id)
	done := make(chan error)
	go func() {
		for i := range 200 {
			p.What = fmt.Sprint(i)
			p.Barriers = []coaching.Barrier{{Barrier: fmt.Sprint(i)}, {Barrier: fmt.Sprint(i)}}
			if _, err := s.SavePlan(ctx, p, t0); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			return
		default:
		}
		p, err := s.GetPlan(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.What == "walk to the shop" {
			continue
		}
		for _, b := range p.Barriers {
			if b.Barrier != p.What {
				t.Fatalf("plan %q read with barrier %q: two saves mixed", p.What, b.Barrier)
			}
		}
	}
}
