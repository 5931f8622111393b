package storage

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"callcoach/coaching"
)

// CopyTo (callcoach migrate --to, issue 18) copies this computer's caseload
// into a team database. The team database may already hold other coaches'
// people, so no id is kept: every row gets a new one there and every
// reference is mapped to it. copied_rows, a table of the team database
// only, records per file (its installation id), table and source id the
// id the row got, so a second copy adds only rows not copied before.
//
// What is copied is the caseload and its history: people, calls (with
// their notes as call_notes gives them, so notes still pending are folded
// in), everything recorded during a call, plans with their barriers,
// scores and reviews, follow-ups, measures with their items, safety
// events, readings, and the drafts of the people copied. What is not:
//   - search_text, people_search, caseload_counts, measure_progress,
//     people.next_due_at and name_key: the team database's triggers make
//     them from the rows copied;
//   - notes_unindexed: a copied call's notes are indexed whole as it goes in;
//   - notes_pending: folded into the copied calls' notes;
//   - instances, call_leases: the programs running on this computer and
//     the calls they hold, which mean nothing to the team's;
//   - file_identity, installation: this file's own identity (the
//     installation id is what copied_rows records instead);
//   - audit: the file's trail is a chain of its own, which the team's
//     cannot take in without rewriting it; it stays in the file, and the
//     team's trail gets one entry naming the file and its trail's head;
//   - the draft of a new person not yet saved ("person:new"): the team
//     database's is every coach's.
//
// Rows already copied are not copied again even if the file changed them
// since (a follow-up done, a note edited): the copy adds, it never updates.

// CopyCounts is what CopyTo did: rows copied by kind, and how many people
// had been copied by an earlier run. Lists inside a record (a plan's
// barriers, a measure's items, a call's stages) are not counted.
type CopyCounts struct {
	People, Calls, Plans, FollowUps, Measures, SafetyEvents, Readings int
	Rulers, ChangeTalk, Tally, Drafts                                 int
	// PeopleBefore are people of the file copied by an earlier run.
	PeopleBefore int
	// LeftOut are rows not copied because what they belong to (a person,
	// a call, a plan) was copied before and has since been erased from
	// the team database.
	LeftOut int
}

// Copied is how many records were copied in all.
func (c CopyCounts) Copied() int {
	return c.People + c.Calls + c.Plans + c.FollowUps + c.Measures + c.SafetyEvents + c.Readings +
		c.Rulers + c.ChangeTalk + c.Tally + c.Drafts
}

// copyColumn is one column of a copied table: its name in the team
// database, the source's expression for it, and what it holds.
type copyColumn struct {
	name, expr string
	// ref is the table whose id the column holds ("" for a value copied as
	// it is); required refs are NOT NULL with ON DELETE CASCADE, the rest
	// ON DELETE SET NULL, and a copy treats a referenced row erased from
	// the team database the same way: the row is left out, or the
	// reference left empty.
	ref      string
	required bool
	// credited is a coach's name: one the file has none for (records made
	// before names were written) is the name of the coach copying, as
	// creditUnnamed would give it.
	credited bool
}

// copiedTable is one table to copy, in an order where a table comes after
// every table it refers to (but itself).
type copiedTable struct {
	table string
	from  string // the source's FROM clause; its rows' id is id
	order string // the source's ORDER BY, if not id
	cols  []copyColumn
	// count is the counter of CopyCounts a copied row adds to, if any.
	count func(*CopyCounts) *int
	// keyless tables have no id of their own: a row is copied with the
	// row its first column refers to, when that row is copied.
	keyless bool
}

func plain(names ...string) []copyColumn {
	cols := make([]copyColumn, len(names))
	for i, n := range names {
		cols[i] = copyColumn{name: n, expr: n}
	}
	return cols
}

func ref(name, table string, required bool) copyColumn {
	return copyColumn{name: name, expr: name, ref: table, required: required}
}

func cat(parts ...[]copyColumn) []copyColumn {
	var all []copyColumn
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

var coachColumn = copyColumn{name: "coach", expr: "coach", credited: true}

// copiedTables are the tables copied, in order. The people entry is where
// the coach a copied person is assigned to will be set (issue 18): a
// column of people, or a row of its own, naming the coach copying.
var copiedTables = []copiedTable{
	// People go in the order that halves the gaps of name order evenly
	// (a balanced tree's, level by level: place & -place is the level),
	// so each takes its name_key from the trigger, with room to spare;
	// in id order (names at random) some hundreds of 10,000 found no room
	// and were placed one by one after the copy, a quarter of its time.
	{table: "people", count: func(c *CopyCounts) *int { return &c.People },
		from:  "(SELECT *, row_number() OVER (ORDER BY name COLLATE NOCASE, id) AS place FROM people)",
		order: "place & -place DESC, place",
		cols: plain("name", "preferred_name", "phone", "phone_digits", "time_zone", "conditions", "call_times",
			"communication_needs", "consent", "consent_date", "status", "created_at", "updated_at", "consent_at",
			"identifier", "identifier_system", "given_names", "family_name")},
	{table: "calls", from: "calls c JOIN call_notes n ON n.call_id = c.id", count: func(c *CopyCounts) *int { return &c.Calls },
		cols: cat([]copyColumn{ref("person_id", "people", true)}, plain("started_at", "ended_at", "outcome"),
			[]copyColumn{{name: "notes", expr: "n.notes"}, {name: "notes_rev", expr: "n.notes_rev"}, {name: "updated_at", expr: "n.updated_at"}},
			plain("role", "summary"), []copyColumn{coachColumn})},
	{table: "call_stages", from: "call_stages",
		cols: cat([]copyColumn{ref("call_id", "calls", true)}, plain("stage", "entered_at"))},
	{table: "tally_marks", from: "tally_marks", count: func(c *CopyCounts) *int { return &c.Tally },
		cols: cat([]copyColumn{ref("call_id", "calls", true)}, plain("kind", "marked_at", "undone_at"))},
	{table: "rulers", from: "rulers", count: func(c *CopyCounts) *int { return &c.Rulers },
		cols: cat([]copyColumn{ref("call_id", "calls", true)}, plain("kind", "score", "about", "follow_up", "asked_at", "updated_at"))},
	{table: "change_talk", from: "change_talk", count: func(c *CopyCounts) *int { return &c.ChangeTalk },
		cols: cat([]copyColumn{ref("call_id", "calls", true)}, plain("kind", "quote", "said_at"))},
	{table: "action_plans", from: "action_plans", count: func(c *CopyCounts) *int { return &c.Plans },
		cols: cat([]copyColumn{ref("person_id", "people", true), ref("call_id", "calls", false)},
			plain("behaviour", "what", "how_much", "when_text", "where_text", "backup", "commitment", "days_per_week",
				"start_date", "review_date", "confidence", "status"),
			[]copyColumn{ref("replaces", "action_plans", false)}, plain("created_at", "updated_at"), []copyColumn{coachColumn})},
	{table: "plan_barriers", from: "plan_barriers",
		cols: cat([]copyColumn{ref("plan_id", "action_plans", true)}, plain("position", "barrier", "solution"))},
	{table: "confidence_scores", from: "confidence_scores",
		cols: cat([]copyColumn{ref("plan_id", "action_plans", true)}, plain("score", "scored_at"))},
	{table: "plan_reviews", from: "plan_reviews",
		cols: cat([]copyColumn{ref("plan_id", "action_plans", true), ref("call_id", "calls", false)},
			plain("outcome", "helped", "got_in_way", "reviewed_at"))},
	{table: "follow_ups", from: "follow_ups", count: func(c *CopyCounts) *int { return &c.FollowUps },
		cols: cat([]copyColumn{ref("person_id", "people", true), ref("plan_id", "action_plans", false)},
			plain("due_at", "reason"), []copyColumn{ref("made_call_id", "calls", false), ref("done_call_id", "calls", false)},
			plain("done_at", "created_at"), []copyColumn{ref("replaced_by", "follow_ups", false)})},
	{table: "measures", from: "measures", count: func(c *CopyCounts) *int { return &c.Measures },
		cols: cat([]copyColumn{ref("person_id", "people", true), ref("call_id", "calls", false)},
			plain("instrument", "given_at", "complete", "scored", "total", "band", "closing"), []copyColumn{coachColumn})},
	{table: "measure_items", from: "measure_items", keyless: true,
		cols: cat([]copyColumn{ref("measure_id", "measures", true)}, plain("item", "answer"))},
	{table: "safety_events", from: "safety_events", count: func(c *CopyCounts) *int { return &c.SafetyEvents },
		cols: cat([]copyColumn{ref("person_id", "people", true), ref("call_id", "calls", false), ref("measure_id", "measures", false)},
			plain("trigger", "raised_at", "actions", "note", "recorded_at", "reviewed_at"),
			[]copyColumn{ref("reviewed_call_id", "calls", false)}, plain("review_reason"))},
	{table: "readings", from: "readings", count: func(c *CopyCounts) *int { return &c.Readings },
		cols: cat([]copyColumn{ref("person_id", "people", true), ref("call_id", "calls", false)},
			plain("kind", "value", "value2", "unit", "entered_value", "taken_at", "recorded_at"), []copyColumn{coachColumn})},
}

// copyIDs are, for one table, the team id each source row copied so far
// got (0 for a row since erased from the team database), and which of
// them this run copied.
type copyIDs struct {
	team map[int64]int64
	now  map[int64]bool
}

// copyRun is one copy under way: the file's snapshot, the team database's
// transaction, and the ids mapped so far.
type copyRun struct {
	ctx          context.Context
	src, tx      *sql.Tx
	installation string
	coach        string
	ids          map[string]*copyIDs
	counts       CopyCounts
}

// CopyTo copies this Store's caseload (an SQLite file, which it only
// reads) into team (a PostgreSQL team database) in one transaction there:
// all of it or, on a failure, nothing. Rows an earlier CopyTo of this file
// copied are not copied again. The team's audit trail gets one entry for
// a copy that added anything; one that added nothing writes nothing.
func (s *Store) CopyTo(ctx context.Context, team *Store, now time.Time) (CopyCounts, error) {
	if s.pg || !team.pg {
		return CopyCounts{}, errors.New("copy: the copy goes from a caseload file into a team's PostgreSQL database")
	}
	installation, err := s.InstallationID(ctx)
	if err != nil {
		return CopyCounts{}, fmt.Errorf("copy: %w", err)
	}
	var counts CopyCounts
	err = team.write(ctx, func(tx *sql.Tx) error {
		return s.read(ctx, func(src *sql.Tx) error {
			run := &copyRun{ctx: ctx, src: src, tx: tx, installation: installation, coach: team.coachName(), ids: map[string]*copyIDs{}}
			for _, t := range copiedTables {
				if err := run.table(t); err != nil {
					return fmt.Errorf("copy %s: %w", t.table, err)
				}
			}
			if err := run.drafts(); err != nil {
				return fmt.Errorf("copy drafts: %w", err)
			}
			counts = run.counts
			if counts.Copied() == 0 {
				return nil
			}
			var head string
			err := src.QueryRowContext(ctx, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1").Scan(&head)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("copy: read the file's audit trail: %w", err)
			}
			return team.audit(ctx, tx, coaching.AuditImported, 0, fmt.Sprintf(
				"copy of installation %s (its audit head %s): %d people, %d calls, %d plans, %d follow-ups, %d measures, %d safety events, %d readings",
				installation, cmp.Or(head, "none"), counts.People, counts.Calls, counts.Plans, counts.FollowUps, counts.Measures,
				counts.SafetyEvents, counts.Readings), now)
		})
	})
	if err != nil {
		return CopyCounts{}, err
	}
	return counts, nil
}

// known loads the ids copied before from this file into table, each
// 0 if its row has since been erased from the team database.
func (r *copyRun) known(table string) (*copyIDs, error) {
	ids := &copyIDs{team: map[int64]int64{}, now: map[int64]bool{}}
	rows, err := r.tx.QueryContext(r.ctx, `SELECT m.source_id, coalesce(t.id, 0) FROM copied_rows m
		LEFT JOIN `+table+` t ON t.id = m.team_id WHERE m.installation = ? AND m.table_name = ?`, r.installation, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var src, team int64
		if err := rows.Scan(&src, &team); err != nil {
			return nil, err
		}
		ids.team[src] = team
	}
	return ids, rows.Err()
}

// copyBatch is how many rows go to the team database in one statement:
// a round trip per row cost more than the rows themselves.
const copyBatch = 500

// table copies the rows of t not copied before, mapping their references.
// Rows go in batches, as one JSON array each (json_populate_recordset
// gives every value its column's type), with ids taken from the table's
// identity beforehand, so the batch's ids are known without a row each.
func (r *copyRun) table(t copiedTable) error {
	ids := &copyIDs{team: map[int64]int64{}, now: map[int64]bool{}}
	if !t.keyless {
		var err error
		if ids, err = r.known(t.table); err != nil {
			return err
		}
		r.ids[t.table] = ids
	}
	names := make([]string, len(t.cols))
	exprs := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i], exprs[i] = c.name, c.expr
	}
	id, order, into := "id", cmp.Or(t.order, "id"), strings.Join(names, ", ")
	if t.keyless {
		id, order = "0", into
	} else {
		into = "id, " + into
	}
	insert, err := r.tx.PrepareContext(r.ctx, "INSERT INTO "+t.table+" ("+into+") SELECT "+into+
		" FROM json_populate_recordset(NULL::"+t.table+", ?::json)")
	if err != nil {
		return err
	}
	defer insert.Close()
	newIDs, err := r.tx.PrepareContext(r.ctx, "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?) ORDER BY 1")
	if err != nil {
		return err
	}
	defer newIDs.Close()
	rows, err := r.src.QueryContext(r.ctx, "SELECT "+id+", "+strings.Join(exprs, ", ")+" FROM "+t.from+" ORDER BY "+order)
	if err != nil {
		return err
	}
	defer rows.Close()

	vals := make([]any, 1+len(t.cols))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	// A reference to a row of the same table may point further on (a
	// follow-up replaced by a later one): it is set once the table is in.
	type selfRef struct {
		col       string
		row       int // in the batch
		team, src int64
	}
	var later, selfs []selfRef
	var sources []int64
	var batch []map[string]any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var teams []int64
		if !t.keyless {
			if teams, err = r.allocate(newIDs, t.table, len(batch)); err != nil {
				return err
			}
			for i, rec := range batch {
				rec["id"] = teams[i]
				ids.team[sources[i]], ids.now[sources[i]] = teams[i], true
			}
			for _, sr := range selfs {
				sr.team = teams[sr.row]
				later = append(later, sr)
			}
		}
		doc, err := json.Marshal(batch)
		if err != nil {
			return err
		}
		if _, err := insert.ExecContext(r.ctx, string(doc)); err != nil {
			return err
		}
		if !t.keyless {
			if _, err := r.tx.ExecContext(r.ctx, `INSERT INTO copied_rows (installation, table_name, source_id, team_id)
				SELECT ?, ?, unnest(?::bigint[]), unnest(?::bigint[])`, r.installation, t.table, sources, teams); err != nil {
				return err
			}
		}
		if t.count != nil {
			*t.count(&r.counts) += len(batch)
		}
		batch, sources, selfs = batch[:0], sources[:0], selfs[:0]
		return nil
	}
	var parentIDs *copyIDs
	if t.keyless {
		parentIDs = r.ids[t.cols[0].ref]
	}
rowLoop:
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		srcID, _ := vals[0].(int64)
		if _, done := ids.team[srcID]; done && !t.keyless {
			if t.table == "people" {
				r.counts.PeopleBefore++
			}
			continue
		}
		if t.keyless && !parentIDs.now[vals[1].(int64)] {
			continue // its row was copied before, with it
		}
		rec := make(map[string]any, len(vals))
		for i, c := range t.cols {
			v := vals[i+1]
			switch {
			case c.credited:
				if s, _ := v.(string); s == "" {
					v = r.coach
				}
			case c.ref != "" && v != nil:
				from, ok := v.(int64)
				if !ok {
					return fmt.Errorf("%s is not an id (%T)", c.name, v)
				}
				if c.ref == t.table {
					selfs = append(selfs, selfRef{col: c.name, row: len(batch), src: from})
					v = nil
					break
				}
				to, ok := r.ids[c.ref].team[from]
				if !ok {
					return fmt.Errorf("row %d's %s names %s %d, which is not in the file", srcID, c.name, c.ref, from)
				}
				if to == 0 && c.required {
					// Gone with it, as the cascade took its rows: what
					// refers to this row goes the same way.
					if !t.keyless {
						ids.team[srcID] = 0
					}
					r.counts.LeftOut++
					continue rowLoop
				}
				v = nullID(to)
			}
			rec[c.name] = v
		}
		batch, sources = append(batch, rec), append(sources, srcID)
		if len(batch) == copyBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	for _, sr := range later {
		to, ok := ids.team[sr.src]
		if !ok {
			return fmt.Errorf("%s names %s %d, which is not in the file", sr.col, t.table, sr.src)
		}
		if to == 0 {
			continue // erased from the team database: no longer there to name
		}
		if _, err := r.tx.ExecContext(r.ctx, "UPDATE "+t.table+" SET "+sr.col+" = ? WHERE id = ?", to, sr.team); err != nil {
			return err
		}
	}
	return nil
}

// allocate takes n new ids from table's identity, in increasing order.
func (r *copyRun) allocate(stmt *sql.Stmt, table string, n int) ([]int64, error) {
	rows, err := stmt.QueryContext(r.ctx, table, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// drafts copies the drafts of the people this run copied, under their
// new ids: a person's profile ("person:12"), plan ("plan:12") and
// measures under way ("measure:12:phq9").
func (r *copyRun) drafts() error {
	people := r.ids["people"]
	if len(people.now) == 0 {
		return nil
	}
	rows, err := r.src.QueryContext(r.ctx, "SELECT key, body, updated_at FROM drafts ORDER BY key")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key, body, updated string
		if err := rows.Scan(&key, &body, &updated); err != nil {
			return err
		}
		kind, rest, _ := strings.Cut(key, ":")
		idText, tail, more := strings.Cut(rest, ":")
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || !people.now[id] || (kind != "person" && kind != "plan" && kind != "measure") {
			continue
		}
		newKey := kind + ":" + strconv.FormatInt(people.team[id], 10)
		if more {
			newKey += ":" + tail
		}
		// A team database keeps each coach's drafts apart: the one
		// copying owns these (drafts.owner defaults to them).
		res, err := r.tx.ExecContext(r.ctx, `INSERT INTO drafts (key, body, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (owner, key) DO NOTHING`, newKey, body, updated)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		r.counts.Drafts += int(n)
	}
	return rows.Err()
}
