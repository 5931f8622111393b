package storage

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

// A team database keeps each coach to their own caseload and the pool, and
// supervisors to counts, with row-level security in the server (issue 18,
// point 2). These tests connect as each role with the psql CLI, as anyone
// with the role's password could, so what they show holds past the app.

// team is a database of the test's own with two coaches and a supervisor,
// login roles made for the test and dropped after it.
type team struct {
	server         *url.URL
	db             string
	owner          *Store // the database owner: row-level security passes it by
	a, b, sup      string // the roles
	pass           map[string]string
	coachA, coachB string // their names in coaches
}

func newTeam(t *testing.T) *team {
	t.Helper()
	if !onPostgres() {
		t.Skipf("teams are a PostgreSQL database's: run with %s=postgres", engineEnv)
	}
	if _, err := exec.LookPath("psql"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("psql is not installed: CI must install it for the row-level security tests")
		}
		t.Skip("psql is not installed")
	}
	server := postgresServer(t)
	suffix := hex.EncodeToString(randomBytes(t, 4))
	tm := &team{server: server, a: "coach_a_" + suffix, b: "coach_b_" + suffix, sup: "supervisor_" + suffix,
		pass: map[string]string{}, coachA: "Ann " + suffix, coachB: "Bob " + suffix}
	admin, err := sql.Open("pgx", server.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	// Registered before the database, so the roles go after it has.
	t.Cleanup(func() {
		if _, err := admin.Exec(fmt.Sprintf("DROP ROLE IF EXISTS %s, %s, %s", tm.a, tm.b, tm.sup)); err != nil {
			t.Errorf("drop the test's roles: %v", err)
		}
	})
	ownerURL := newPostgresURL(t) // its migration made the group roles
	u, _ := url.Parse(ownerURL)
	tm.db = strings.TrimPrefix(u.Path, "/")
	for role, group := range map[string]string{tm.a: "callcoach_coach", tm.b: "callcoach_coach", tm.sup: "callcoach_supervisor"} {
		tm.pass[role] = hex.EncodeToString(randomBytes(t, 12))
		if _, err := admin.Exec(fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s' IN ROLE %s", role, tm.pass[role], group)); err != nil {
			t.Fatalf("create role %s: %v", role, err)
		}
	}
	tm.owner = openNew(t, ownerURL)
	tm.ownerExec(t, "INSERT INTO coaches (role, name) VALUES (?, ?), (?, ?)", tm.a, tm.coachA, tm.b, tm.coachB)
	return tm
}

// url is the database's URL as role.
func (tm *team) url(role string) string {
	u := *tm.server
	u.User = url.UserPassword(role, tm.pass[role])
	u.Path = "/" + tm.db
	return u.String()
}

func (tm *team) ownerExec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := tm.owner.rw.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// owned is what the owner reads: every row.
func (tm *team) owned(t *testing.T, query string) string {
	t.Helper()
	var out sql.NullString
	if err := tm.owner.ro.QueryRow(query).Scan(&out); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out.String
}

// psql runs query through the psql CLI connected as role, with its
// password, and returns its output (unaligned, without headers), or
// psql's complaint.
func (tm *team) psql(t *testing.T, role, query string) (string, error) {
	t.Helper()
	port := tm.server.Port()
	if port == "" {
		port = "5432"
	}
	cmd := exec.Command("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
		"-h", "localhost", "-p", port, "-U", role, "-d", tm.db, "-c", query)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+tm.pass[role], "PGSSLMODE=disable", "PGCONNECT_TIMEOUT=10")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// as runs query as role and fails the test if psql refuses it.
func (tm *team) as(t *testing.T, role, query string) string {
	t.Helper()
	out, err := tm.psql(t, role, query)
	if err != nil {
		t.Fatalf("as %s: %s: %v", role, query, err)
	}
	return out
}

// refused checks that role may not run query, and that the server says why.
func (tm *team) refused(t *testing.T, role, query, why string) {
	t.Helper()
	out, err := tm.psql(t, role, query)
	if err == nil {
		t.Fatalf("as %s: %s was allowed: %q", role, query, out)
	}
	if !strings.Contains(err.Error(), why) {
		t.Fatalf("as %s: %s was refused, but not for %q: %v", role, query, why, err)
	}
}

// addPerson adds a person as role, with a reached call (its notes, summary,
// a tally mark and change talk), a plan and a follow-up, and returns their id.
func (tm *team) addPerson(t *testing.T, role, name string) string {
	t.Helper()
	tm.as(t, role, fmt.Sprintf(`INSERT INTO people (name, created_at, updated_at) VALUES ('%[1]s', 't', 't');
		INSERT INTO calls (person_id, started_at, ended_at, outcome, updated_at, notes, summary)
			SELECT id, '2026-03-02T10:00:00Z', '2026-03-02T10:20:00Z', 'reached', 't', 'notes of %[1]s', 'summary of %[1]s'
			FROM people WHERE name = '%[1]s';
		INSERT INTO tally_marks (call_id, kind, marked_at)
			SELECT c.id, 'open_question', 't' FROM calls c JOIN people p ON p.id = c.person_id WHERE p.name = '%[1]s';
		INSERT INTO change_talk (call_id, kind, quote, said_at)
			SELECT c.id, 'desire', 'words of %[1]s', 't' FROM calls c JOIN people p ON p.id = c.person_id WHERE p.name = '%[1]s';
		INSERT INTO action_plans (person_id, behaviour, what, commitment, created_at, updated_at)
			SELECT id, 'activity', 'walk', 'plan of %[1]s', '2026-03-02T10:15:00Z', 't' FROM people WHERE name = '%[1]s';
		INSERT INTO follow_ups (person_id, due_at, created_at)
			SELECT id, '2026-03-09T10:00:00Z', 't' FROM people WHERE name = '%[1]s'`, name))
	return tm.owned(t, fmt.Sprintf("SELECT id::text FROM people WHERE name = '%s'", name))
}

func TestTeamsCoachSeesOwnPeopleAndThePool(t *testing.T) {
	tm := newTeam(t)
	tm.ownerExec(t, "INSERT INTO people (name, created_at, updated_at) VALUES ('Pat Pool', 't', 't')") // a referral
	if got := tm.owned(t, "SELECT coalesce(assigned_to, 'pool') FROM people WHERE name = 'Pat Pool'"); got != "pool" {
		t.Fatalf("a person the owner adds is in %q, not the pool", got)
	}
	tm.addPerson(t, tm.b, "Bea Bell")
	tm.addPerson(t, tm.a, "Al Able")
	if got := tm.owned(t, "SELECT assigned_to FROM people WHERE name = 'Al Able'"); got != tm.a {
		t.Fatalf("a person A adds is assigned to %q, not A (%s)", got, tm.a)
	}

	if got := tm.as(t, tm.a, "SELECT string_agg(name, ',' ORDER BY name) FROM people"); got != "Al Able,Pat Pool" {
		t.Errorf("A sees %q, not their own and the pool's", got)
	}
	// What is said in B's calls, and every record of B's person, stays B's.
	for _, q := range []string{
		"SELECT count(*) FROM people WHERE name = 'Bea Bell'",
		"SELECT count(*) FROM calls WHERE notes = 'notes of Bea Bell'",
		"SELECT count(*) FROM call_notes WHERE notes = 'notes of Bea Bell'",
		"SELECT count(*) FROM change_talk WHERE quote = 'words of Bea Bell'",
		"SELECT count(*) FROM action_plans WHERE commitment = 'plan of Bea Bell'",
		"SELECT count(*) FROM search_text WHERE body LIKE '%Bea Bell%'",
		"SELECT count(*) FROM follow_ups f JOIN people p ON p.id = f.person_id WHERE p.name = 'Bea Bell'",
		"SELECT count(*) FROM tally_marks t JOIN calls c ON c.id = t.call_id WHERE c.notes = 'notes of Bea Bell'",
	} {
		if n := tm.owned(t, q); n == "0" {
			t.Fatalf("%s: the owner finds nothing, so the test proves nothing", q)
		}
		if n := tm.as(t, tm.a, q); n != "0" {
			t.Errorf("A reads B's: %s gives %s", q, n)
		}
		if n, want := tm.as(t, tm.b, q), tm.owned(t, q); n != want {
			t.Errorf("B reads %s of their own: %s gives %s", n, q, want)
		}
	}
	// A cannot change what A cannot see, nor take B's person.
	tm.as(t, tm.a, "UPDATE people SET name = 'Taken', assigned_to = current_user WHERE name = 'Bea Bell'")
	tm.as(t, tm.a, "DELETE FROM calls WHERE notes = 'notes of Bea Bell'")
	if got := tm.owned(t, "SELECT name || '|' || assigned_to || '|' || (SELECT count(*) FROM calls WHERE person_id = people.id) FROM people WHERE name = 'Bea Bell'"); got != "Bea Bell|"+tm.b+"|1" {
		t.Errorf("after A's update and delete, B's person is %q", got)
	}
	// A takes someone from the pool, and may hand them back.
	tm.as(t, tm.a, "UPDATE people SET assigned_to = current_user WHERE name = 'Pat Pool'")
	if got := tm.as(t, tm.b, "SELECT count(*) FROM people WHERE name = 'Pat Pool'"); got != "0" {
		t.Errorf("B still sees the person A took from the pool")
	}
	tm.as(t, tm.a, "UPDATE people SET assigned_to = NULL WHERE name = 'Pat Pool'")
	if got := tm.as(t, tm.b, "SELECT count(*) FROM people WHERE name = 'Pat Pool'"); got != "1" {
		t.Errorf("B does not see the person A handed back to the pool")
	}
}

func TestTeamsHandOver(t *testing.T) {
	tm := newTeam(t)
	hana := tm.addPerson(t, tm.a, "Hana Hand")
	bea := tm.addPerson(t, tm.b, "Bea Bell")

	// A may not give someone to a role that is not a coach, nor to anyone
	// but through a hand-over, nor hand over B's person.
	tm.refused(t, tm.a, "UPDATE people SET assigned_to = 'postgres' WHERE id = "+hana, "row-level security")
	tm.refused(t, tm.a, fmt.Sprintf("UPDATE people SET assigned_to = '%s' WHERE id = %s", tm.b, hana), "row-level security")
	tm.refused(t, tm.a, "INSERT INTO handovers (person_id, to_role, note, at) VALUES ("+hana+", 'postgres', '', 't')", "row-level security")
	tm.refused(t, tm.a, fmt.Sprintf("INSERT INTO handovers (person_id, to_role, note, at) VALUES (%s, '%s', '', 't')", hana, tm.sup), "row-level security")
	tm.refused(t, tm.a, fmt.Sprintf("INSERT INTO handovers (person_id, to_role, note, at) VALUES (%s, '%s', '', 't')", bea, tm.a), "row-level security")
	tm.refused(t, tm.a, fmt.Sprintf("INSERT INTO handovers (person_id, from_role, to_role, note, at) VALUES (%s, '%s', '%s', '', 't')", hana, tm.b, tm.b), "row-level security")
	if got := tm.owned(t, "SELECT assigned_to || '|' || (SELECT count(*) FROM handovers) FROM people WHERE id = "+hana); got != tm.a+"|0" {
		t.Fatalf("after the refused hand-overs: %q", got)
	}

	tm.as(t, tm.a, fmt.Sprintf("INSERT INTO handovers (person_id, to_role, note, at) VALUES (%s, '%s', 'Calls after 10; her daughter helps', '2026-03-03T09:00:00Z')", hana, tm.b))
	want := fmt.Sprintf("%s|%s|Calls after 10; her daughter helps|unseen|%s", tm.a, tm.b, tm.b)
	if got := tm.owned(t, "SELECT h.from_role || '|' || h.to_role || '|' || h.note || '|' || coalesce(h.seen_at, 'unseen') || '|' || p.assigned_to FROM handovers h JOIN people p ON p.id = h.person_id"); got != want {
		t.Fatalf("the hand-over is %q, want %q", got, want)
	}
	for _, q := range []string{"SELECT count(*) FROM people WHERE id = " + hana, "SELECT count(*) FROM calls WHERE person_id = " + hana, "SELECT count(*) FROM handovers"} {
		if got := tm.as(t, tm.a, q); got != "0" {
			t.Errorf("A, having handed the person over: %s gives %s", q, got)
		}
	}
	// B's Now view: hand-overs to them not yet seen, first.
	unseen := "SELECT string_agg(p.name || '|' || h.note, ',') FROM handovers h JOIN people p ON p.id = h.person_id WHERE h.to_role = current_user AND h.seen_at IS NULL"
	if got := tm.as(t, tm.b, unseen); got != "Hana Hand|Calls after 10; her daughter helps" {
		t.Errorf("B's unseen hand-overs: %q", got)
	}
	if got := tm.as(t, tm.b, "SELECT count(*) FROM calls WHERE person_id = "+hana); got != "1" {
		t.Errorf("B sees %s of the handed-over person's calls, not 1", got)
	}
	tm.as(t, tm.b, "UPDATE handovers SET seen_at = '2026-03-03T09:05:00Z' WHERE person_id = "+hana)
	if got := tm.as(t, tm.b, unseen); got != "" {
		t.Errorf("B's unseen hand-overs after seeing them: %q", got)
	}
	tm.refused(t, tm.b, "UPDATE handovers SET note = 'changed'", "permission denied")
	tm.refused(t, tm.b, "DELETE FROM handovers", "permission denied")
}

// practiceQueries are the practice report's queries (practice.go) over
// one week from 2 March 2026, as literal SQL for psql.
func practiceQueries() map[string]string {
	weeks := "WITH weeks(i, lo, hi) AS (VALUES (CAST(0 AS INTEGER), '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'))\n"
	return map[string]string{
		"calls":      weeks + practiceCallsSQL,
		"tally":      weeks + practiceTallySQL,
		"talk":       weeks + practiceTalkSQL,
		"plans":      weeks + practicePlansSQL,
		"follow-ups": strings.Replace(strings.Replace(practiceFollowUpsSQL, "?", "'2026-03-02T00:00:00Z'", 1), "?", "'2026-03-16T00:00:00Z'", 1),
	}
}

func TestTeamsSupervisorCountsButReadsNoNotes(t *testing.T) {
	tm := newTeam(t)
	tm.addPerson(t, tm.a, "Al Able")
	tm.addPerson(t, tm.b, "Bea Bell")
	tm.as(t, tm.a, "INSERT INTO drafts (key, body, updated_at) VALUES ('person:new', 'draft of A', 't')")
	tm.as(t, tm.b, "INSERT INTO drafts (key, body, updated_at) VALUES ('person:new', 'draft of B', 't')") // each coach's own

	// Every coach's practice, counted without a word of what was said.
	want := map[string]string{"calls": "0|2|2|2400", "tally": "0|open_question|2", "talk": "0|2", "plans": "0|-1|2"}
	for name, q := range practiceQueries() {
		got, err := tm.psql(t, tm.sup, q)
		if err != nil {
			t.Errorf("the supervisor cannot run the practice report's %s query: %v", name, err)
			continue
		}
		if w, ok := want[name]; ok && got != w {
			t.Errorf("the supervisor's %s: %q, want %q", name, got, w)
		}
		if name == "follow-ups" && strings.Count(got, "\n") != 1 {
			t.Errorf("the supervisor's follow-ups: %q, want both coaches'", got)
		}
	}
	if got := tm.as(t, tm.sup, "SELECT count(*) FROM people"); got != "2" {
		t.Errorf("the supervisor sees %s people, not every coach's 2", got)
	}
	noteReads := []string{
		"SELECT notes FROM calls", "SELECT summary FROM calls", "SELECT notes FROM call_notes",
		"SELECT quote FROM change_talk", "SELECT body FROM search_text", "SELECT mid FROM notes_pending",
		"SELECT body FROM drafts", "SELECT note FROM handovers", "SELECT note FROM safety_events",
		"SELECT * FROM calls",
	}
	for _, q := range noteReads {
		tm.refused(t, tm.sup, q, "permission denied")
	}
	tm.refused(t, tm.sup, "INSERT INTO people (name, created_at, updated_at) VALUES ('X', 't', 't')", "permission denied")
	// A coach made a supervisor too stays a coach: through their coach
	// grants every row would show its notes.
	tm.ownerExec(t, fmt.Sprintf("GRANT callcoach_supervisor TO %s", tm.a))
	if got := tm.as(t, tm.a, "SELECT string_agg(notes, ',') FROM calls"); got != "notes of Al Able" {
		t.Errorf("a coach who supervises too reads notes %q", got)
	}
	tm.ownerExec(t, fmt.Sprintf("REVOKE callcoach_supervisor FROM %s", tm.a))
	tm.refused(t, tm.a, "SELECT supervisors_read_notes(true)", "permission denied")

	// The organisation turns note reading on, then off again.
	tm.ownerExec(t, "SELECT supervisors_read_notes(true)")
	if got := tm.as(t, tm.sup, "SELECT string_agg(notes, ',' ORDER BY notes) FROM calls"); got != "notes of Al Able,notes of Bea Bell" {
		t.Errorf("with note reading on, the supervisor reads %q", got)
	}
	if got := tm.as(t, tm.sup, "SELECT string_agg(body, ',' ORDER BY body) FROM drafts"); got != "draft of A,draft of B" {
		t.Errorf("with note reading on, the supervisor reads drafts %q", got)
	}
	for _, q := range noteReads {
		tm.as(t, tm.sup, q)
	}
	tm.ownerExec(t, "SELECT supervisors_read_notes(false)")
	for _, q := range noteReads {
		tm.refused(t, tm.sup, q, "permission denied")
	}

	// The report itself, by the Store opened as the supervisor.
	sup, err := OpenReadOnly(context.Background(), tm.url(tm.sup))
	if err != nil {
		t.Fatal(err)
	}
	defer sup.Close()
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	p, err := sup.Practice(context.Background(), from, from.AddDate(0, 0, 7), time.UTC)
	if err != nil {
		t.Fatalf("the supervisor's practice report: %v", err)
	}
	if p.Total.Calls != 2 || p.Total.Reached != 2 || p.Total.Plans != 2 || p.Total.ChangeTalk != 2 {
		t.Errorf("the supervisor's practice report counts %+v, not both coaches'", p.Total)
	}
	// Each coach's: the records carrying their name, the follow-ups of
	// their people. A's second call, made on B's person before the
	// hand-over, counts as A's.
	for _, table := range []string{"calls", "action_plans"} {
		tm.ownerExec(t, "UPDATE "+table+" x SET coach = c.name FROM people p JOIN coaches c ON c.role = p.assigned_to WHERE p.id = x.person_id")
	}
	tm.ownerExec(t, `INSERT INTO calls (person_id, started_at, ended_at, outcome, updated_at, coach)
		SELECT id, '2026-03-03T10:00:00Z', '2026-03-03T10:00:00Z', 'no_answer', 't', ? FROM people WHERE name = 'Bea Bell'`, tm.coachA)
	for _, c := range []struct {
		who                         TeamCoach
		calls, reached, plans, fups int
	}{
		{TeamCoach{tm.a, tm.coachA}, 2, 1, 1, 1},
		{TeamCoach{tm.b, tm.coachB}, 1, 1, 1, 1},
		{TeamCoach{"nobody", "Nobody"}, 0, 0, 0, 0},
	} {
		p, err := sup.PracticeOf(context.Background(), c.who, from, from.AddDate(0, 0, 14), time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(p.Total.Calls, p.Total.Reached, p.Total.Plans, p.Total.FollowUpsDue); got != fmt.Sprint(c.calls, c.reached, c.plans, c.fups) {
			t.Errorf("%s's practice: calls, reached, plans, follow-ups due %s", c.who.Name, got)
		}
	}
	if _, err := newSQLiteStore(t).PracticeOf(context.Background(), TeamCoach{tm.a, tm.coachA}, from, from.AddDate(0, 0, 7), time.UTC); !errors.Is(err, ErrNotTeam) {
		t.Errorf("a coach's practice on a file: %v", err)
	}
}

func TestTeamsAuditIsAppendOnlyForCoaches(t *testing.T) {
	tm := newTeam(t)
	tm.ownerExec(t, `INSERT INTO audit (at, coach, os_user, action, person_id, detail, prev_hash, hash)
		VALUES ('t', 'x', 'u', 'open', 0, '', '', 'h1')`)
	tm.as(t, tm.a, `INSERT INTO audit (at, coach, os_user, action, person_id, detail, prev_hash, hash)
		VALUES ('t', 'a', 'u', 'open', 0, '', 'h1', 'h2')`)
	if got := tm.as(t, tm.b, "SELECT string_agg(hash, ',' ORDER BY id) FROM audit"); got != "h1,h2" {
		t.Errorf("B reads the trail as %q: its chain cannot be checked", got)
	}
	for _, q := range []string{"UPDATE audit SET coach = 'y'", "DELETE FROM audit", "TRUNCATE audit"} {
		tm.refused(t, tm.a, q, "permission denied")
	}
	for _, q := range []string{"UPDATE installation SET uuid = 'x'", "UPDATE schema_version SET version = 1", "DELETE FROM file_identity",
		"UPDATE caseload_counts SET people = 0", "INSERT INTO coaches (role, name) VALUES ('x', 'X')"} {
		tm.refused(t, tm.a, q, "permission denied")
	}
}

// Name keys are unique across the team, so placing a person among their
// neighbours reads, and moves, people the coach cannot see. Each coach's
// Store (the Go name order code, as that coach) adds people whose names
// interleave the other's, in a stretch of keys with no room left.
func TestTeamsNameOrderPastWhatACoachSees(t *testing.T) {
	tm := newTeam(t)
	a, b := openNew(t, tm.url(tm.a)), openNew(t, tm.url(tm.b))
	for i, name := range []string{"Ann", "Bob", "Cat", "Dan", "Eve", "Fay", "Gus", "Hal"} {
		createPerson(t, []*Store{a, b}[i%2], coaching.Person{Name: name})
	}
	// Crowd them: keys one apart, so whoever comes next spreads the stretch.
	tm.ownerExec(t, "UPDATE people SET name_key = NULL")
	tm.ownerExec(t, "UPDATE people SET name_key = 1000 + (SELECT count(*) FROM people q WHERE q.name < people.name)")
	for i, name := range []string{"Bea", "Bee", "Cal", "ann", "Ann", "Dee", "Abe", "Zoe", "Ben"} {
		createPerson(t, []*Store{a, b}[i%2], coaching.Person{Name: name})
	}
	checkNameOrder(t, tm.owner)
	if got := tm.owned(t, "SELECT count(DISTINCT assigned_to) || '|' || count(*) FILTER (WHERE assigned_to IS NULL) FROM people"); got != "2|0" {
		t.Errorf("people added through each coach's Store are assigned %q, not each to theirs", got)
	}
	// Each counts their own, and with the pool (SetOwnCaseload(false))
	// the pool's too; the owner everyone either way.
	tm.ownerExec(t, "INSERT INTO people (name, created_at, updated_at) VALUES ('Pat Pool', 't', 't')")
	tm.as(t, tm.b, "INSERT INTO follow_ups (person_id, due_at, created_at) SELECT id, '2026-03-09T10:00:00Z', 't' FROM people WHERE name = 'Zoe'")
	for _, own := range []bool{true, false} {
		for _, s := range []*Store{a, b, tm.owner} {
			s.SetOwnCaseload(own)
		}
		counted := map[*Store]string{a: "9 9", b: "8 7", tm.owner: "18 17"}
		listed := map[*Store]string{a: "Abe,Ann,Ann,Bea,Ben,Cal,Cat,Eve,Gus", b: "ann,Bee,Bob,Dan,Dee,Fay,Hal,Zoe"}
		if !own {
			counted = map[*Store]string{a: "10 10", b: "9 8", tm.owner: "18 17"}
			listed = map[*Store]string{a: "Abe,Ann,Ann,Bea,Ben,Cal,Cat,Eve,Gus,Pat Pool", b: "ann,Bee,Bob,Dan,Dee,Fay,Hal,Pat Pool,Zoe"}
		}
		for s, want := range counted {
			n, err := s.CaseloadSize(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			counts, err := s.CaseloadCounts(context.Background(), CaseloadQuery{OverdueBefore: t0, DueBefore: t0.AddDate(0, 0, 1)})
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(n, counts[SectionNoFollowUp].N); got != want || counts[SectionAll].N != n {
				t.Errorf("own only %v: caseload size and no follow-up %s (all %d), want %s", own, got, counts[SectionAll].N, want)
			}
		}
		// Each coach's caseload, read through their Store, is theirs in name order.
		for s, want := range listed {
			page, err := s.Caseload(context.Background(), CaseloadQuery{Section: SectionAll, Limit: MaxCaseloadLimit})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, r := range page.Rows {
				names = append(names, r.Name)
			}
			if got := strings.Join(names, ","); got != want {
				t.Errorf("own only %v: a coach's caseload: %s, want %s", own, got, want)
			}
		}
	}
}

// Drafts are their writer's own; erasing a person takes everyone's drafts
// of them, and only theirs.
func TestTeamsDraftsAreEachCoachsOwn(t *testing.T) {
	tm := newTeam(t)
	tm.ownerExec(t, "INSERT INTO people (name, created_at, updated_at) VALUES ('Pat Pool', 't', 't')")
	pat := tm.owned(t, "SELECT id::text FROM people WHERE name = 'Pat Pool'")
	bea := tm.addPerson(t, tm.b, "Bea Bell")
	for _, role := range []string{tm.a, tm.b} {
		tm.as(t, role, fmt.Sprintf("INSERT INTO drafts (key, body, updated_at) VALUES ('person:new', 'new by %[1]s', 't'), ('person:%[2]s', 'Pat by %[1]s', 't')", role, pat))
	}
	tm.as(t, tm.b, fmt.Sprintf("INSERT INTO drafts (key, body, updated_at) VALUES ('plan:%s', 'plan by B', 't')", bea))
	if got, want := tm.as(t, tm.a, "SELECT string_agg(body, ',' ORDER BY body) FROM drafts"), fmt.Sprintf("Pat by %[1]s,new by %[1]s", tm.a); got != want {
		t.Errorf("A reads drafts %q, want %q", got, want)
	}
	// As erase.go does; A cannot erase B's person.
	for _, id := range []string{pat, bea} {
		tm.as(t, tm.a, fmt.Sprintf("DELETE FROM drafts WHERE key IN ('person:%[1]s', 'plan:%[1]s'); DELETE FROM people WHERE id = %[1]s", id))
	}
	if got, want := tm.owned(t, "SELECT string_agg(body, ',' ORDER BY body) FROM drafts"), fmt.Sprintf("new by %s,new by %s,plan by B", tm.a, tm.b); got != want {
		t.Errorf("after A erased the pool's person, the drafts are %q, want %q", got, want)
	}
}

// An owner without CREATEROLE makes a team database when an administrator
// has made the two group roles (here, an earlier migration has).
func TestTeamsOwnerWithoutCreateRole(t *testing.T) {
	tm := newTeam(t)
	role, db := "owner_"+hex.EncodeToString(randomBytes(t, 4)), "callcoach_t_"+hex.EncodeToString(randomBytes(t, 6))
	tm.pass[role] = hex.EncodeToString(randomBytes(t, 12))
	admin := tm.owner.rw
	t.Cleanup(func() {
		if _, err := tm.owner.rw.Exec("DROP ROLE IF EXISTS " + role); err != nil {
			t.Errorf("drop role %s: %v", role, err)
		}
	})
	if _, err := admin.Exec(fmt.Sprintf("CREATE ROLE %s LOGIN CREATEDB NOCREATEROLE PASSWORD '%s'", role, tm.pass[role])); err != nil {
		t.Fatal(err)
	}
	tm.as(t, role, "CREATE DATABASE "+db)
	// Dropped by the tests' own role, made a member of its owner (which
	// its CREATEROLE allows): it may end the sessions left in it (an
	// autovacuum worker's among them), where the owner may not.
	t.Cleanup(func() {
		if _, err := admin.Exec("GRANT " + role + " TO CURRENT_USER"); err != nil {
			t.Errorf("join role %s: %v", role, err)
		}
		dropDatabase(t, tm.server, db)
	})
	u := *tm.server
	u.User, u.Path = url.UserPassword(role, tm.pass[role]), "/"+db
	s := openNew(t, u.String())
	if _, err := s.CaseloadSize(context.Background()); err != nil {
		t.Fatalf("a database made by an owner without CREATEROLE: %v", err)
	}
}

// The records a coach makes carry the name the team gives their login,
// whatever this computer's settings say; the owner's, which is no coach's,
// keep the settings' name.
func TestTeamsRecordsCarryTheTeamsName(t *testing.T) {
	tm := newTeam(t)
	ctx := context.Background()
	a := openNew(t, tm.url(tm.a))
	a.SetActor(coaching.Actor{Coach: "Whatever This Computer Says", OSUser: "x"})
	ann := createPerson(t, a, coaching.Person{Name: "Ann"})
	if _, err := a.StartCall(ctx, ann, coaching.RoleCoach, t0); err != nil {
		t.Fatal(err)
	}
	tm.owner.SetActor(coaching.Actor{Coach: "The Administrator", OSUser: "x"})
	bo := createPerson(t, tm.owner, coaching.Person{Name: "Bo"})
	if _, err := tm.owner.StartCall(ctx, bo, coaching.RoleCoach, t0); err != nil {
		t.Fatal(err)
	}
	if got, want := tm.owned(t, "SELECT string_agg(coach, '|' ORDER BY id) FROM calls"), tm.coachA+"|The Administrator"; got != want {
		t.Errorf("calls credited to %q, want %q", got, want)
	}
}

// The program's side of teams (teams.go), through each coach's Store:
// who logs in, the coaches a hand-over offers, handing over with a note,
// the new coach's unseen hand-overs until they open the person, and the
// scope that narrows a coach's reads to their own people.
func TestTeamsStoreHandsOver(t *testing.T) {
	tm := newTeam(t)
	ctx := context.Background()
	a, b := openNew(t, tm.url(tm.a)), openNew(t, tm.url(tm.b))
	sup, err := OpenReadOnly(ctx, tm.url(tm.sup))
	if err != nil {
		t.Fatal(err)
	}
	defer sup.Close()
	for s, want := range map[*Store]Login{
		a:        {Role: tm.a, Name: tm.coachA, Coach: true},
		sup:      {Role: tm.sup, Supervisor: true},
		tm.owner: {Role: "callcoach_test"},
	} {
		got, err := s.Login(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if s == tm.owner {
			want.Role = got.Role // whoever CALLCOACH_TEST_POSTGRES logs in as
		}
		if got != want {
			t.Errorf("Login = %+v, want %+v", got, want)
		}
	}
	coaches, err := a.TeamCoaches(ctx)
	if err != nil || fmt.Sprint(coaches) != fmt.Sprint([]TeamCoach{{tm.a, tm.coachA}, {tm.b, tm.coachB}}) {
		t.Errorf("TeamCoaches = %v, %v", coaches, err)
	}

	hana := createPerson(t, a, coaching.Person{Name: "Hana Hand"})
	pool := createPerson(t, a, coaching.Person{Name: "Pia Pool"})
	if err := a.HandOver(ctx, pool, "", "", t0); err != nil {
		t.Fatalf("hand over to the pool: %v", err)
	}
	for _, bad := range []struct {
		to, note, want string
	}{
		{"postgres", "", "not one of the team's coaches"},
		{tm.b, strings.Repeat("x", MaxHandOverNote+1), "at most"},
	} {
		if err := a.HandOver(ctx, hana, bad.to, bad.note, t0); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("HandOver to %q: %v, want %q", bad.to, err, bad.want)
		}
	}
	// B cannot hand over A's person: B does not see them.
	if err := b.HandOver(ctx, hana, tm.b, "", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("B handing over A's person: %v, want not found", err)
	}
	if err := a.HandOver(ctx, hana, tm.b, "  Calls after 10; her daughter helps \n", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := tm.owned(t, "SELECT action || ' ' || detail FROM audit WHERE person_id = "+fmt.Sprint(hana)+" ORDER BY id DESC LIMIT 1"); got != "handed-over to "+tm.b {
		t.Errorf("the audit trail says %q", got)
	}
	unseen, err := b.UnseenHandOvers(ctx)
	if err != nil || len(unseen) != 1 {
		t.Fatalf("B's unseen hand-overs: %v, %v", unseen, err)
	}
	h := unseen[0]
	if h.PersonID != hana || h.Person != "Hana Hand" || h.From != tm.coachA || h.Note != "Calls after 10; her daughter helps" ||
		!h.At.Equal(t0.Add(time.Minute)) || !h.ToYou || h.Seen {
		t.Errorf("B's unseen hand-over: %+v", h)
	}
	if got, err := a.UnseenHandOvers(ctx); err != nil || len(got) != 0 {
		t.Errorf("A's unseen hand-overs: %v, %v", got, err)
	}
	if err := b.SeenHandOvers(ctx, hana, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, err := b.UnseenHandOvers(ctx); err != nil || len(got) != 0 {
		t.Errorf("B's unseen hand-overs once seen: %v, %v", got, err)
	}
	last, ok, err := b.LastHandOver(ctx, hana)
	if err != nil || !ok || !last.Seen || !last.ToYou || last.Note != h.Note {
		t.Errorf("B's LastHandOver = %+v, %v, %v", last, ok, err)
	}
	if _, ok, err := a.LastHandOver(ctx, pool); err != nil || ok {
		t.Errorf("A's own caseload reads the pool's person's hand-over: %v, %v", ok, err)
	}
	a.SetOwnCaseload(false)
	if last, ok, err := a.LastHandOver(ctx, pool); err != nil || !ok || last.ToYou {
		t.Errorf("the pool's person's LastHandOver = %+v, %v, %v", last, ok, err)
	}

	// B's own caseload is Hana; with the pool, Pia too; search follows.
	b.SetOwnCaseload(true)
	names := func() string {
		page, err := b.Caseload(ctx, CaseloadQuery{Section: SectionAll})
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, r := range page.Rows {
			n = append(n, r.Name)
		}
		return strings.Join(n, ",")
	}
	if got := names(); got != "Hana Hand" {
		t.Errorf("B's own caseload: %s", got)
	}
	b.SetOwnCaseload(false)
	if got := names(); got != "Hana Hand,Pia Pool" {
		t.Errorf("B's caseload with the pool: %s", got)
	}
	// A file has no team.
	f := newSQLiteStore(t)
	if l, err := f.Login(ctx); err != nil || l != (Login{}) {
		t.Errorf("a file's Login = %+v, %v", l, err)
	}
	if err := f.HandOver(ctx, 1, "", "", t0); !errors.Is(err, ErrNotTeam) {
		t.Errorf("HandOver on a file: %v", err)
	}
}
