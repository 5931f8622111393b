package storage

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// What the two engines' schemas do differently on purpose. Everything not
// listed here must be the same on both: tables and views, their columns
// and NOT NULLs, indexes (unique, partial), triggers by name.
var parityExceptions = struct {
	sqliteOnlyTables, postgresOnlyTables     map[string]string
	postgresOnlyColumns, nullability         map[string]string
	postgresOnlyIndexes                      map[string]string
	sqliteOnlyTriggers, postgresOnlyTriggers map[string]string
}{
	sqliteOnlyTables: map[string]string{
		"people_search":         "FTS5 trigram table: PostgreSQL's is the index people_search (pg_trgm) on people",
		"people_search_config":  "FTS5 shadow table",
		"people_search_data":    "FTS5 shadow table",
		"people_search_docsize": "FTS5 shadow table",
		"people_search_idx":     "FTS5 shadow table",
		"search_text_config":    "FTS5 shadow table",
		"search_text_content":   "FTS5 shadow table: PostgreSQL's search_text is a plain table",
		"search_text_data":      "FTS5 shadow table",
		"search_text_docsize":   "FTS5 shadow table",
		"search_text_idx":       "FTS5 shadow table: PostgreSQL's is the GIN index search_text_words",
	},
	postgresOnlyTables: map[string]string{
		"schema_version":           "SQLite keeps the version in PRAGMA user_version",
		"copied_rows":              "what callcoach migrate --to copied into a team database from a file (copyto.go); a file is copied from, never to",
		"coaches":                  "teams: each coach's role and name; an SQLite file has one coach",
		"handovers":                "teams: people handed from one coach to another; an SQLite file has one coach",
		"caseload_counts_by_coach": "teams: caseload_counts for each coach's caseload and the pool",
		"search_starts":            "the starts of search_text's words under a GIN index (migration 26); FTS5 finds a word begun in its own lists",
	},
	postgresOnlyColumns: map[string]string{
		"search_text.rowid":  "FTS5's hidden rowid (source id * 4 + kind), a column of its own here",
		"search_text.words":  "FTS5 keeps a row's words in its index; here a stored column search_words(body)",
		"people.assigned_to": "teams: whose caseload a person is in (NULL: the team's pool)",
		"people.finder":      "the finder's folded text, under the people_search index (SQLite's is the FTS5 table)",
		"drafts.owner":       "teams: whose typing a draft is; an SQLite file has one coach",
	},
	nullability: map[string]string{
		"search_text.body":      "an FTS5 column takes anything; PostgreSQL's is NOT NULL",
		"search_text.person_id": "an FTS5 column takes anything; PostgreSQL's is NOT NULL",
	},
	postgresOnlyIndexes: map[string]string{
		"people.people_search":                 "GIN pg_trgm: SQLite's FTS5 table people_search",
		"search_text.search_text_words":        "GIN tsvector: SQLite's FTS5 table search_text",
		"people.people_assigned":               "teams: a coach's own caseload",
		"handovers.handovers_unseen":           "teams: hand-overs a coach has not seen yet",
		"handovers.handovers_person":           "teams: a person's hand-overs",
		"search_starts.search_starts_prefixes": "GIN tsvector of the starts of words: SQLite's FTS5 table search_text",
	},
	sqliteOnlyTriggers: map[string]string{
		"people_search_insert": "PostgreSQL keeps the people_search index itself",
		"people_search_update": "PostgreSQL keeps the people_search index itself",
		"people_search_delete": "PostgreSQL keeps the people_search index itself",
	},
	postgresOnlyTriggers: map[string]string{
		"audit_no_truncate":               "SQLite has no TRUNCATE",
		"search_starts_keep":              "search_starts follows search_text (migration 26); FTS5 keeps its own lists",
		"people_notify":                   "live caseloads: NOTIFY (storage/listen.go); an SQLite file is on one computer",
		"calls_notify":                    "live caseloads: NOTIFY (storage/listen.go); an SQLite file is on one computer",
		"follow_ups_notify":               "live caseloads: NOTIFY (storage/listen.go); an SQLite file is on one computer",
		"action_plans_notify":             "live caseloads: NOTIFY (storage/listen.go); an SQLite file is on one computer",
		"measures_notify":                 "live caseloads: NOTIFY (storage/listen.go); an SQLite file is on one computer",
		"safety_events_notify":            "live caseloads: NOTIFY (storage/listen.go); an SQLite file is on one computer",
		"call_leases_notify":              "live caseloads: NOTIFY (storage/listen.go); an SQLite file is on one computer",
		"hand_over":                       "teams: a hand-over moves the person to the new coach's caseload",
		"people_erase_drafts":             "teams: erasing a person takes other coaches' drafts of them, hidden from the eraser",
		"caseload_counts_by_coach_insert": "teams: each coach's caseload counted, as caseload_counts counts the team's",
		"caseload_counts_by_coach_delete": "teams: each coach's caseload counted, as caseload_counts counts the team's",
		"caseload_counts_by_coach_moved":  "teams: each coach's caseload counted, as caseload_counts counts the team's",
	},
}

// sqliteSchema is a new SQLite file at the newest version, for reading its
// schema and writing to it directly.
func sqliteSchema(t *testing.T) *sql.DB {
	t.Helper()
	return newSQLiteStore(t).rw
}

// queryStrings reads every row of a query as its values joined by "|".
func queryStrings(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// compareSets reports what only one side has, less the listed exceptions.
func compareSets(t *testing.T, what string, sqlite, postgres []string, sqliteOnly, postgresOnly map[string]string) {
	t.Helper()
	in := func(list []string, x string) bool { return slices.Contains(list, x) }
	for _, x := range sqlite {
		if !in(postgres, x) && sqliteOnly[x] == "" {
			t.Errorf("%s %s is in SQLite's schema, not in PostgreSQL's", what, x)
		}
	}
	for _, x := range postgres {
		if !in(sqlite, x) && postgresOnly[x] == "" {
			t.Errorf("%s %s is in PostgreSQL's schema, not in SQLite's", what, x)
		}
	}
	// An exception that no longer applies is stale: drop it.
	for x := range sqliteOnly {
		if !in(sqlite, x) || in(postgres, x) {
			t.Errorf("exception for %s %s (SQLite only) no longer applies", what, x)
		}
	}
	for x := range postgresOnly {
		if !in(postgres, x) || in(sqlite, x) {
			t.Errorf("exception for %s %s (PostgreSQL only) no longer applies", what, x)
		}
	}
}

func TestPostgresSchemaParity(t *testing.T) {
	t.Parallel()
	pg := postgresSchema(t)
	lite := sqliteSchema(t)
	ex := parityExceptions

	t.Run("tables", func(t *testing.T) {
		l := queryStrings(t, lite, `SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY 1`)
		p := queryStrings(t, pg, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`)
		compareSets(t, "table", l, p, ex.sqliteOnlyTables, ex.postgresOnlyTables)
	})

	t.Run("columns", func(t *testing.T) {
		// table_xinfo shows generated columns too (hidden 2 and 3); hidden 1
		// is a virtual table's own (FTS5's rank). SQLite's primary key
		// columns count as NOT NULL: PostgreSQL's are, and SQLite's INTEGER
		// PRIMARY KEY (a rowid) cannot be NULL either, though table_xinfo
		// says notnull 0 for it.
		l := queryStrings(t, lite, `SELECT m.name || '.' || c.name, c."notnull" OR c.pk > 0
			FROM sqlite_schema m, pragma_table_xinfo(m.name) c
			WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%' AND c.hidden <> 1 ORDER BY 1`)
		p := queryStrings(t, pg, `SELECT table_name || '.' || column_name, CASE is_nullable WHEN 'NO' THEN 1 ELSE 0 END
			FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1`)
		names := func(rows []string, skipTables map[string]string) (cols []string, notNull map[string]string) {
			notNull = map[string]string{}
			for _, r := range rows {
				col, nn, _ := strings.Cut(r, "|")
				if table, _, _ := strings.Cut(col, "."); skipTables[table] != "" {
					continue
				}
				cols = append(cols, col)
				notNull[col] = nn
			}
			return cols, notNull
		}
		lc, lnn := names(l, ex.sqliteOnlyTables)
		pc, pnn := names(p, ex.postgresOnlyTables)
		compareSets(t, "column", lc, pc, nil, ex.postgresOnlyColumns)
		for col, nn := range lnn {
			if pn, ok := pnn[col]; ok && pn != nn && ex.nullability[col] == "" {
				t.Errorf("column %s: NOT NULL is %s in SQLite, %s in PostgreSQL", col, nn, pn)
			}
		}
		for col := range ex.nullability {
			if lnn[col] == pnn[col] {
				t.Errorf("exception for the NOT NULL of %s no longer applies", col)
			}
		}
	})

	t.Run("indexes", func(t *testing.T) {
		// table.index|unique|partial; PostgreSQL's indexes behind a primary
		// key or UNIQUE constraint are SQLite's autoindexes (or rowids).
		l := queryStrings(t, lite, `SELECT m.name || '.' || i.name, i."unique", i.partial
			FROM sqlite_schema m, pragma_index_list(m.name) i
			WHERE m.type = 'table' AND i.origin = 'c' ORDER BY 1`)
		p := queryStrings(t, pg, `SELECT t.relname || '.' || i.relname, x.indisunique::int, (x.indpred IS NOT NULL)::int
			FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
			WHERE t.relnamespace = current_schema()::regnamespace
			  AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY 1`)
		only := map[string]string{}
		for _, r := range p {
			if name, _, _ := strings.Cut(r, "|"); ex.postgresOnlyIndexes[name] != "" {
				only[r] = ex.postgresOnlyIndexes[name]
			}
		}
		if len(only) != len(ex.postgresOnlyIndexes) {
			t.Errorf("PostgreSQL has %d of the %d indexes listed as its own", len(only), len(ex.postgresOnlyIndexes))
		}
		compareSets(t, "index", l, p, nil, only)
	})

	t.Run("triggers", func(t *testing.T) {
		l := queryStrings(t, lite, `SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY 1`)
		p := queryStrings(t, pg, `SELECT tgname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
			WHERE NOT tgisinternal AND c.relnamespace = current_schema()::regnamespace ORDER BY 1`)
		compareSets(t, "trigger", l, p, ex.sqliteOnlyTriggers, ex.postgresOnlyTriggers)
	})
}

// The same writes through both engines leave the same derived rows: what
// the triggers keep (name order, next due, the counts, the search rows,
// the unindexed marks, measure progress) and what the views give.
func TestPostgresTriggersMatchSQLite(t *testing.T) {
	t.Parallel()
	engines := map[string]*sql.DB{"SQLite": sqliteSchema(t), "PostgreSQL": postgresSchema(t)}
	writes := []string{
		`INSERT INTO people (name, created_at, updated_at) VALUES ('Zoe', 't', 't')`,
		`INSERT INTO people (name, created_at, updated_at, conditions) VALUES ('adam', 't', 't', 'asthma')`,
		`INSERT INTO people (name, created_at, updated_at) VALUES ('Bea', 't', 't')`,
		`INSERT INTO people (name, created_at, updated_at) VALUES ('Émile', 't', 't')`,
		`INSERT INTO people (name, created_at, updated_at) VALUES ('ADAM', 't', 't')`,
		`INSERT INTO follow_ups (person_id, due_at, created_at) VALUES (1, '2026-01-05', 't')`,
		`INSERT INTO follow_ups (person_id, due_at, created_at) VALUES (1, '2026-01-02', 't')`,
		`INSERT INTO follow_ups (person_id, due_at, created_at) VALUES (5, '2026-03-01', 't')`,
		`UPDATE follow_ups SET done_at = 't' WHERE id = 2`,
		`UPDATE follow_ups SET person_id = 2 WHERE id = 3`,
		`INSERT INTO calls (person_id, started_at, updated_at, notes) VALUES (2, '2026-01-01T10:00:00Z', 't', 'felt tired')`,
		`INSERT INTO calls (person_id, started_at, updated_at) VALUES (3, '2026-01-02T10:00:00Z', 't')`,
		`INSERT INTO calls (person_id, started_at, updated_at, notes) VALUES (3, '2026-01-03T10:00:00Z', 't', 'gone')`,
		`UPDATE calls SET notes = 'better today, café' WHERE id = 1`,
		`UPDATE calls SET notes = notes WHERE id = 2`,
		`INSERT INTO notes_pending (call_id, head, mid, tail, rev, saved_at) VALUES (1, 3, 'ÿ', 5, 4, 'u')`,
		`UPDATE people SET name = 'Aaron' WHERE id = 1`,
		`INSERT INTO action_plans (person_id, behaviour, what, commitment, created_at, updated_at) VALUES (2, 'activity', 'walk', 'I will walk', 't', 't')`,
		`UPDATE action_plans SET what = 'walk more' WHERE id = 1`,
		`INSERT INTO change_talk (call_id, kind, quote, said_at) VALUES (1, 'desire', 'I want to sleep', 't')`,
		`INSERT INTO change_talk (call_id, kind, quote, said_at) VALUES (3, 'need', 'I need to', 't')`,
		`INSERT INTO change_talk (call_id, kind, quote, said_at) VALUES (1, 'reason', 'Not so naïve', 't')`,
		`INSERT INTO measures (person_id, instrument, given_at, complete, scored, total) VALUES
			(2, 'phq9', '2026-01-01', 1, 1, 16), (2, 'phq9', '2026-02-01', 1, 1, 7), (2, 'phq9', '2026-03-01', 1, 1, 9),
			(3, 'gad7', '2026-01-01', 1, 1, 8), (2, 'gad2', '2026-01-01', 1, 1, 3), (2, 'gad7', '2026-01-01', 0, 0, NULL)`,
		`DELETE FROM measures WHERE id = 3`,
		`DELETE FROM people WHERE id = 3`,
		`INSERT INTO audit (at, coach, os_user, action, person_id, detail, prev_hash, hash) VALUES ('t', '', 'u', 'open', 0, '', '', 'h')`,
	}
	reads := []struct{ sqlite, postgres string }{
		{sqlite: `SELECT people, no_follow_up FROM caseload_counts`},
		{sqlite: `SELECT people, no_follow_up FROM caseload_counts`,
			postgres: `SELECT sum(people), sum(no_follow_up) FROM caseload_counts_by_coach`},
		{sqlite: `SELECT id, name, coalesce(next_due_at, '-') FROM people ORDER BY name_key`},
		{sqlite: `SELECT count(*) FROM people WHERE name_key IS NULL`},
		{sqlite: `SELECT id, person_id FROM calls ORDER BY id`},
		{sqlite: `SELECT rowid, person_id, body FROM search_text ORDER BY rowid`,
			postgres: `SELECT rowid, person_id, body FROM search_text ORDER BY rowid`},
		// What replaces FTS5 finds what FTS5 finds (a first look: the
		// Store's own search on PostgreSQL is yet to come).
		{sqlite: `SELECT rowid FROM search_text WHERE search_text MATCH 'walk* AND I' ORDER BY rowid`,
			postgres: `SELECT rowid FROM search_text WHERE words @@ to_tsquery('callcoach_search', 'walk:* & I') ORDER BY rowid`},
		{sqlite: `SELECT rowid FROM search_text WHERE search_text MATCH 'naive' ORDER BY rowid`,
			postgres: `SELECT rowid FROM search_text WHERE words @@ to_tsquery('callcoach_search', 'naive') ORDER BY rowid`},
		{sqlite: `SELECT p.id FROM people_search s JOIN people p ON p.name_key = s.rowid WHERE people_search MATCH 'ADa' ORDER BY s.rowid`,
			postgres: `SELECT id FROM people WHERE name ILIKE '%ADa%' OR preferred_name ILIKE '%ADa%' OR conditions ILIKE '%ADa%' OR phone_digits ILIKE '%ADa%' ORDER BY name_key`},
		{sqlite: `SELECT p.id FROM people_search s JOIN people p ON p.name_key = s.rowid WHERE people_search MATCH 'sth' ORDER BY s.rowid`,
			postgres: `SELECT id FROM people WHERE name ILIKE '%sth%' OR preferred_name ILIKE '%sth%' OR conditions ILIKE '%sth%' OR phone_digits ILIKE '%sth%' ORDER BY name_key`},
		{sqlite: `SELECT call_id FROM notes_unindexed ORDER BY 1`},
		{sqlite: `SELECT call_id, notes, notes_rev, updated_at FROM call_notes ORDER BY 1`},
		{sqlite: `SELECT person_id, instrument, first_total, first_at, latest_total, latest_at, count, state FROM measure_progress ORDER BY 1, 2`},
		{sqlite: `SELECT count(*), length(token) FROM file_identity GROUP BY 2`},
		{sqlite: `SELECT count(*), length(uuid), length(created_at) FROM installation GROUP BY 2, 3`},
	}
	refused := []string{
		`UPDATE audit SET coach = 'x'`,
		`DELETE FROM audit`,
		`INSERT INTO action_plans (person_id, behaviour, review_date, created_at, updated_at) VALUES (1, 'own', '2026-02-30', 't', 't')`,
		`INSERT INTO action_plans (person_id, behaviour, start_date, created_at, updated_at) VALUES (1, 'own', '2026-2-3', 't', 't')`,
		`INSERT INTO action_plans (person_id, behaviour, created_at, updated_at) VALUES (1, 'walking', 't', 't')`,
		`INSERT INTO calls (person_id, started_at, updated_at, outcome) VALUES (1, 't', 't', 'reached')`,
		`INSERT INTO measures (person_id, instrument, given_at, complete, scored) VALUES (1, 'phq9', 't', 1, 1)`,
		`INSERT INTO change_talk (call_id, kind, quote, said_at) VALUES (1, 'desire', '', 't')`,
		`INSERT INTO safety_events (person_id, trigger, raised_at, actions) VALUES (1, 'coach', 't', 'called')`,
		`INSERT INTO caseload_counts (id, people, no_follow_up) VALUES (2, 0, 0)`,
		`INSERT INTO calls (person_id, started_at, updated_at) VALUES (99, 't', 't')`,
		`INSERT INTO people (name, created_at, updated_at, status) VALUES ('X', 't', 't', 'gone')`,
	}
	for _, w := range writes {
		for name, db := range engines {
			if _, err := db.Exec(w); err != nil {
				t.Fatalf("%s: %s: %v", name, w, err)
			}
		}
	}
	for _, r := range reads {
		want := queryStrings(t, engines["SQLite"], r.sqlite)
		if len(want) == 0 {
			t.Errorf("%s finds nothing on SQLite: comparing it proves nothing", r.sqlite)
		}
		pq := r.postgres
		if pq == "" {
			pq = r.sqlite
		}
		got := queryStrings(t, engines["PostgreSQL"], pq)
		if !slices.Equal(got, want) {
			t.Errorf("%s\n SQLite:     %q\n PostgreSQL: %q", pq, want, got)
		}
	}
	for _, w := range refused {
		for name, db := range engines {
			if _, err := db.Exec(w); err == nil {
				t.Errorf("%s took %s", name, w)
			}
		}
	}
}
