package storage

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"callcoach/coaching"
)

// GenerateOptions says how big a made-up caseload to build.
type GenerateOptions struct {
	People         int
	CallsPerPerson int
	Plans          bool      // also plans, follow-ups and safety flags (generateFollowThrough)
	Seed           uint64    // the same seed gives the same caseload
	Now            time.Time // calls fall in the year before Now
}

// generateBatch is how many rows (people plus calls) go in one transaction:
// large enough that commits do not dominate, small enough that a cancelled
// run leaves whole people behind, never a person without their calls.
const generateBatch = 10_000

// Generate adds made-up people, each with CallsPerPerson ended calls whose
// notes are a few plausible coaching sentences, for tests, benchmarks and
// `callcoach demo --people N`. It is deterministic for a given Seed and Now.
func (s *Store) Generate(ctx context.Context, o GenerateOptions) error {
	if o.People < 0 || o.CallsPerPerson < 0 {
		return fmt.Errorf("generate: negative counts (%d people, %d calls each)", o.People, o.CallsPerPerson)
	}
	rng := rand.New(rand.NewPCG(o.Seed, 7))
	perTx := max(1, generateBatch/(1+o.CallsPerPerson))
	for done := 0; done < o.People; done += perTx {
		n := min(perTx, o.People-done)
		err := s.write(ctx, func(tx *sql.Tx) error { return generateBatchTx(ctx, tx, s.pg, rng, n, o) })
		if err != nil {
			return fmt.Errorf("generate people %d-%d: %w", done+1, done+n, err)
		}
	}
	return nil
}

// bulkIndexed are the triggers that index one new row at a time. In a bulk
// load each row's index write becomes a segment of its own that then has
// to be merged (most of the time of a load); the batch instead drops them,
// indexes the batch's rows in one statement each, and puts them back, all
// in its one transaction, so a failure rolls the whole lot back.
var bulkIndexed = []struct{ trigger, fill string }{
	{"search_calls_insert", `INSERT INTO search_text (rowid, body, person_id)
		SELECT id * 4 + 1, notes, person_id FROM calls WHERE id > ? AND notes <> ''`},
}

func generateBatchTx(ctx context.Context, tx *sql.Tx, pg bool, rng *rand.Rand, n int, o GenerateOptions) error {
	if pg { // a GIN index takes rows one at a time without segments to merge
		return generateRows(ctx, tx, rng, n, o)
	}
	var triggers []string
	for _, b := range bulkIndexed {
		var def string
		if err := tx.QueryRowContext(ctx, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?", b.trigger).Scan(&def); err != nil {
			return fmt.Errorf("trigger %s: %w", b.trigger, err)
		}
		triggers = append(triggers, def)
		if _, err := tx.ExecContext(ctx, "DROP TRIGGER "+b.trigger); err != nil {
			return err
		}
	}
	var lastCall int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM calls").Scan(&lastCall); err != nil {
		return err
	}
	if err := generateRows(ctx, tx, rng, n, o); err != nil {
		return err
	}
	for i, b := range bulkIndexed {
		if _, err := tx.ExecContext(ctx, b.fill, lastCall); err != nil {
			return fmt.Errorf("index the batch: %w", err)
		}
		if _, err := tx.ExecContext(ctx, triggers[i]); err != nil {
			return fmt.Errorf("restore trigger %s: %w", b.trigger, err)
		}
	}
	return nil
}

func generateRows(ctx context.Context, tx *sql.Tx, rng *rand.Rand, n int, o GenerateOptions) error {
	people, err := tx.PrepareContext(ctx, `INSERT INTO people
		(name, preferred_name, phone, phone_digits, time_zone, conditions, consent, consent_date,
		 status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
	if err != nil {
		return err
	}
	defer people.Close()
	calls, err := tx.PrepareContext(ctx, `INSERT INTO calls
		(person_id, role, started_at, ended_at, outcome, notes, updated_at)
		VALUES (?, 'coach', ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer calls.Close()
	plans, err := tx.PrepareContext(ctx, `INSERT INTO action_plans
		(person_id, behaviour, what, how_much, when_text, days_per_week, commitment, confidence, status, created_at, updated_at)
		VALUES (?, 'activity', ?, '15 minutes', 'after lunch', ?, ?, ?, 'active', ?, ?) RETURNING id`)
	if err != nil {
		return err
	}
	defer plans.Close()
	scores, err := tx.PrepareContext(ctx, "INSERT INTO confidence_scores (plan_id, score, scored_at) VALUES (?, ?, ?)")
	if err != nil {
		return err
	}
	defer scores.Close()
	followUps, err := tx.PrepareContext(ctx, "INSERT INTO follow_ups (person_id, plan_id, due_at, reason, created_at) VALUES (?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer followUps.Close()
	safety, err := tx.PrepareContext(ctx, `INSERT INTO safety_events (person_id, trigger, raised_at, actions, recorded_at)
		VALUES (?, 'coach', ?, 'asked_directly,stayed_on_line', ?)`)
	if err != nil {
		return err
	}
	defer safety.Close()
	created := formatTime(o.Now.AddDate(-1, 0, 0))
	var notes strings.Builder
	for range n {
		p := generatePerson(rng, o.Now)
		var id int64
		err := people.QueryRowContext(ctx, p.Name, p.PreferredName, p.Phone, coaching.PhoneDigits(p.Phone),
			p.TimeZone, coaching.FormatConditions(p.Conditions), p.Consent, nullString(p.ConsentDate),
			string(p.Status), created, created).Scan(&id)
		if err != nil {
			return err
		}
		// Calls a week or so apart, the newest one to four days before
		// Now: never one in the future.
		gaps := make([]time.Duration, o.CallsPerPerson)
		back := time.Duration(24+rng.IntN(72)) * time.Hour
		for i := range gaps {
			gaps[i] = time.Duration(6*24+rng.IntN(48)) * time.Hour
			if i > 0 {
				back += gaps[i]
			}
		}
		start := o.Now.Add(-back)
		for i := range o.CallsPerPerson {
			if i > 0 {
				start = start.Add(gaps[i])
			}
			end := start.Add(time.Duration(10+rng.IntN(30)) * time.Minute)
			notes.Reset()
			generateNotes(&notes, rng)
			if _, err := calls.ExecContext(ctx, id, formatTime(start), formatTime(end),
				string(coaching.OutcomeReached), notes.String(), formatTime(end)); err != nil {
				return err
			}
		}
		if o.Plans {
			if err := generateFollowThrough(ctx, rng, id, o.Now, plans, scores, followUps, safety); err != nil {
				return err
			}
		}
	}
	return nil
}

// generateFollowThrough gives a made-up person what a caseload shows: half
// of them a current plan with a confidence score, two in three an open
// follow-up within 30 days either side of now (so every section has
// people), and one in a hundred a safety flag.
func generateFollowThrough(ctx context.Context, rng *rand.Rand, person int64, now time.Time, plans, scores, followUps, safety *sql.Stmt) error {
	var plan any
	at := formatTime(now.Add(-time.Duration(1+rng.IntN(30*24)) * time.Hour))
	if rng.IntN(2) == 0 {
		what := genActivities[rng.IntN(len(genActivities))]
		days, confidence := 2+rng.IntN(5), 4+rng.IntN(6)
		var id int64
		err := plans.QueryRowContext(ctx, person, what, days, fmt.Sprintf("I'll try %s on %d days", what, days), confidence, at, at).Scan(&id)
		if err != nil {
			return err
		}
		if _, err := scores.ExecContext(ctx, id, confidence, at); err != nil {
			return err
		}
		plan = id
	}
	if rng.IntN(3) != 0 {
		due := now.Add(time.Duration(rng.IntN(60*24)-30*24) * time.Hour).Truncate(time.Hour)
		if _, err := followUps.ExecContext(ctx, person, plan, formatTime(due), "see how "+genTopics[rng.IntN(len(genTopics))]+" went", at); err != nil {
			return err
		}
	}
	if rng.IntN(100) == 0 {
		if _, err := safety.ExecContext(ctx, person, at, at); err != nil {
			return err
		}
	}
	return nil
}

var (
	genFirst = []string{"Amira", "Ben", "Chloe", "Dev", "Eilidh", "Farid", "Grace", "Hamza", "Ines", "Jack",
		"Kemi", "Liam", "Maya", "Nikhil", "Olu", "Priya", "Quinn", "Rosa", "Sam", "Tomasz", "Uma", "Vera",
		"Wen", "Yusuf", "Zofia", "Agnes", "Bilal", "Carmen", "Declan", "Esther"}
	genLast = []string{"Okafor", "Smith", "Patel", "Nowak", "MacLeod", "Haddad", "Jones", "Khan", "Garcia",
		"Brennan", "Adeyemi", "Murphy", "Chen", "Sharma", "Williams", "Kowalski", "Taylor", "Ali", "Evans",
		"Byrne", "Hughes", "Rossi", "Mensah", "Davies", "Ahmed"}
	genConditions = []string{"type 2 diabetes", "hypertension", "COPD", "asthma", "heart failure",
		"depression", "anxiety", "chronic back pain", "arthritis", "high cholesterol"}
	genZones = []string{"Europe/London", "Europe/London", "Europe/London", "Europe/Dublin",
		"America/New_York", "America/Chicago", "Australia/Sydney", ""}
	genActivities = []string{"walking after lunch", "swimming on Saturdays", "the chair exercises",
		"cycling to the shops", "gardening", "taking the stairs at work", "the Tuesday walking group",
		"stretching before bed", "dancing in the kitchen", "walking the dog further"}
	genTopics = []string{"blood sugar readings", "blood pressure", "sleep", "medication timing",
		"breakfast", "portion sizes", "fizzy drinks", "smoking", "stress at work", "evening snacking"}
	genPeople = []string{"daughter", "husband", "wife", "neighbour", "son", "sister", "GP", "practice nurse"}
	genNotes  = []string{
		"Talked about %[1]s; managed it three times this week and felt less tired afterwards.",
		"Worried about %[2]s again, but has started writing the numbers down each morning.",
		"Said her %[3]s has been helping with %[1]s, which makes it easier to keep going.",
		"Confidence about %[1]s is a 6 out of 10 today, up from 4 last time we spoke.",
		"Found %[2]s hard over the weekend; we agreed a smaller step for the coming week.",
		"Wants to talk to the %[3]s about %[2]s before changing anything else.",
		"Missed %[1]s twice because of the weather, so we looked at an indoor option together.",
		"Pleased with progress on %[2]s and would like to keep the same plan for now.",
		"Mentioned feeling low midweek; checked in about support and the %[3]s is aware.",
		"Plans to try %[1]s on Monday and Thursday mornings, starting with ten minutes.",
	}
)

// generatePerson makes up one plausible, already valid person.
func generatePerson(rng *rand.Rand, now time.Time) coaching.Person {
	p := coaching.Person{
		Name:     genFirst[rng.IntN(len(genFirst))] + " " + genLast[rng.IntN(len(genLast))],
		Phone:    fmt.Sprintf("+44 7%03d %06d", rng.IntN(1000), rng.IntN(1_000_000)),
		TimeZone: genZones[rng.IntN(len(genZones))],
		Status:   coaching.StatusActive,
	}
	for range rng.IntN(3) {
		p.Conditions = append(p.Conditions, genConditions[rng.IntN(len(genConditions))])
	}
	p.Conditions = coaching.ParseConditions(coaching.FormatConditions(p.Conditions)) // drop repeats
	if rng.IntN(4) != 0 {
		p.Consent = true
		p.ConsentDate = now.AddDate(0, 0, -rng.IntN(400)).Format("2006-01-02")
	}
	if rng.IntN(10) == 0 {
		p.Status = coaching.StatusPaused
	}
	return p
}

// generateNotes writes two or three sentences (about 150-250 characters)
// of coaching notes to b: a third only when the first two are short.
func generateNotes(b *strings.Builder, rng *rand.Rand) {
	for i := 0; i < 2 || (i == 2 && b.Len() < 160); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(b, genNotes[rng.IntN(len(genNotes))], genActivities[rng.IntN(len(genActivities))],
			genTopics[rng.IntN(len(genTopics))], genPeople[rng.IntN(len(genPeople))])
	}
}

// GenerateCallYear adds a made-up year of one coach's calls from start: 100
// calls a day for 365 days (36,500) spread over 500 people, three in five
// reached. Each reached call has 15 standing MI tally marks (one in
// seventeen undone), three pieces of change talk, a plan scored twice and
// a follow-up it kept (due up to six hours before). It is what the
// practice report is timed on (storage BenchmarkPractice and the root
// package's BenchmarkReportCommand), written in one transaction.
func (s *Store) GenerateCallYear(ctx context.Context, start time.Time) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, q := range callYearSQL {
			var args []any
			if strings.Contains(q, "?1") {
				args = append(args, formatTime(start))
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("generate a year of calls: %w", err)
	}
	_, err = s.rw.ExecContext(ctx, "ANALYZE")
	return err
}

// callYearSQL builds GenerateCallYear's rows; ?1, where a statement has
// it, is the start time.
var callYearSQL = []string{
	`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
	 INSERT INTO people (id, name, created_at, updated_at) SELECT i, 'Person ' || i, ?1, ?1 FROM n`,
	`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 36499)
	 INSERT INTO calls (person_id, started_at, ended_at, outcome, updated_at)
	 SELECT 1 + i % 500, strftime('%Y-%m-%dT%H:%M:%SZ', unixepoch(?1) + (i / 100) * 86400 + 28800 + (i % 100) * 300, 'unixepoch'),
	        strftime('%Y-%m-%dT%H:%M:%SZ', unixepoch(?1) + (i / 100) * 86400 + 28800 + (i % 100) * 300 + CASE WHEN i % 5 < 3 THEN 60 * (5 + i % 20) ELSE 0 END, 'unixepoch'),
	        CASE i % 5 WHEN 0 THEN 'reached' WHEN 1 THEN 'reached' WHEN 2 THEN 'reached' WHEN 3 THEN 'no_answer' ELSE 'voicemail' END, ?1
	 FROM n`,
	`WITH k(kind, n) AS (VALUES ('open_question', 5), ('closed_question', 3), ('simple_reflection', 3), ('complex_reflection', 2), ('affirmation', 1), ('summary', 1)),
	      r(j) AS (VALUES (1), (2), (3), (4), (5))
	 INSERT INTO tally_marks (call_id, kind, marked_at, undone_at)
	 SELECT c.id, k.kind, c.started_at, CASE WHEN (c.id + r.j) % 17 = 0 THEN c.started_at END
	 FROM calls c JOIN k JOIN r ON r.j <= k.n WHERE c.outcome = 'reached'`,
	`WITH k(kind) AS (VALUES ('desire'), ('reason'), ('sustain'))
	 INSERT INTO change_talk (call_id, kind, quote, said_at)
	 SELECT c.id, k.kind, 'q', c.started_at FROM calls c JOIN k WHERE c.outcome = 'reached'`,
	`INSERT INTO action_plans (person_id, call_id, behaviour, created_at, updated_at)
	 SELECT person_id, id, 'activity', started_at, started_at FROM calls WHERE outcome = 'reached'`,
	`INSERT INTO confidence_scores (plan_id, score, scored_at)
	 SELECT id, id % 11, created_at FROM action_plans
	 UNION ALL SELECT id, (id + 3) % 11, created_at FROM action_plans`,
	`INSERT INTO follow_ups (person_id, due_at, done_call_id, done_at, created_at)
	 SELECT person_id, strftime('%Y-%m-%dT%H:%M:%SZ', unixepoch(started_at) - 600 * (id % 37), 'unixepoch'), id, ended_at, started_at
	 FROM calls WHERE outcome = 'reached'`,
}
