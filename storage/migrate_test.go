package storage

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"callcoach/coaching"
)

func TestLoadMigrations(t *testing.T) {
	if all := migrations(); len(all) == 0 || all[0].name != "0001_init.sql" || SchemaVersion() != len(all) {
		t.Fatalf("embedded migrations start %v; schema version %d", all, SchemaVersion())
	}
	tests := []struct {
		name    string
		files   []string
		wantErr string
	}{
		{"in order", []string{"0001_a.sql", "0002_b.sql", "0003_c.sql"}, ""},
		{"gap", []string{"0001_a.sql", "0003_c.sql"}, "expected number 0002"},
		{"repeat", []string{"0001_a.sql", "0001_b.sql"}, "expected number 0002"},
		{"not from 1", []string{"0002_b.sql"}, "expected number 0001"},
		{"bad name", []string{"0001_a.sql", "2_b.sql"}, "name must look like"},
		{"none", nil, "no migrations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys["migrations/"+f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
			}
			got, err := loadMigrations(fsys)
			if tt.wantErr == "" {
				if err != nil || len(got) != len(tt.files) {
					t.Fatalf("got %d migrations, %v; want %d", len(got), err, len(tt.files))
				}
				for i, m := range got {
					if m.version != i+1 {
						t.Errorf("migration %d has version %d", i, m.version)
					}
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// schemaOf lists every table, index and trigger with its SQL.
func schemaOf(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.ro.Query("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		out = append(out, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// fileAtVersion makes a database file at schema version v, as an older
// callcoach would have left it. Version 0 is an empty file.
func fileAtVersion(t *testing.T, path string, v int) {
	t.Helper()
	db := rawDB(t, storeDSN(path, busyTimeout, false))
	if err := migrate(context.Background(), db, path, v); err != nil {
		t.Fatalf("migrate to %d: %v", v, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestMigrateFromEveryOlderVersion(t *testing.T) {
	want := schemaOf(t, newSQLiteStore(t))
	if len(want) < 4 {
		t.Fatalf("a new database has only %q", want)
	}
	for v := 0; v < SchemaVersion(); v++ {
		t.Run(fmt.Sprintf("from version %d", v), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "old.db")
			fileAtVersion(t, path, v)
			if got := userVersion(t, rawDB(t, path)); got != v {
				t.Fatalf("fixture is at version %d, want %d", got, v)
			}
			s, err := Open(context.Background(), path)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			if got := userVersion(t, s.ro); got != SchemaVersion() {
				t.Errorf("user_version = %d, want %d", got, SchemaVersion())
			}
			var app int
			if err := s.ro.QueryRow("PRAGMA application_id").Scan(&app); err != nil || app != applicationID {
				t.Errorf("application_id = %#x, %v; want %#x", app, err, applicationID)
			}
			if got := schemaOf(t, s); !reflect.DeepEqual(got, want) {
				t.Errorf("schema after migrating from %d:\n%s\nwant (as new):\n%s", v, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// withMigrations swaps in extra migrations for one test, as if this build
// knew more versions.
func withMigrations(t *testing.T, extra ...migration) {
	t.Helper()
	orig, origVersion := migrations, schemaVersion
	all := append(append([]migration(nil), orig()...), extra...)
	migrations = func() []migration { return all }
	schemaVersion = func() int { return len(all) }
	t.Cleanup(func() { migrations, schemaVersion = orig, origVersion })
}

func TestNextMigrationApplies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	closedStore(t, path)
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	id := createPerson(t, s, coaching.Person{Name: "Ann"})
	s.Close()

	next := SchemaVersion() + 1
	withMigrations(t, migration{version: next, name: fmt.Sprintf("%04d_reminders.sql", next), sql: `
		CREATE TABLE reminders (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES people (id));
		INSERT INTO reminders (person_id) SELECT id FROM people;`})
	s, err = Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open with a new migration: %v", err)
	}
	defer s.Close()
	if got := userVersion(t, s.ro); got != next {
		t.Errorf("user_version = %d, want %d", got, next)
	}
	var n int
	if err := s.ro.QueryRow("SELECT count(*) FROM reminders WHERE person_id = ?", id).Scan(&n); err != nil || n != 1 {
		t.Errorf("reminders for the existing person: %d, %v; want 1 (both statements of the migration ran)", n, err)
	}
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	closedStore(t, path)
	next := SchemaVersion() + 1
	name := fmt.Sprintf("%04d_broken.sql", next)
	withMigrations(t, migration{version: next, name: name, sql: `
		CREATE TABLE half_done (x);
		INSERT INTO no_such_table VALUES (1);`})

	if _, err := Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), name) {
		t.Fatalf("err = %v, want the broken migration named", err)
	}
	db := rawDB(t, path)
	if got := userVersion(t, db); got != next-1 {
		t.Errorf("user_version = %d after a failed migration, want %d", got, next-1)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").Scan(&n); err != nil || n != 0 {
		t.Errorf("half_done tables: %d, %v; want 0: the migration was not one transaction", n, err)
	}
}

func TestMigrationLeavingDanglingRowsFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	closedStore(t, path)
	next := SchemaVersion() + 1
	withMigrations(t, migration{version: next, name: fmt.Sprintf("%04d_dangling.sql", next), sql: `
		CREATE TABLE notes2 (id INTEGER PRIMARY KEY, call_id INTEGER REFERENCES calls (id));
		PRAGMA defer_foreign_keys = ON;
		INSERT INTO notes2 (call_id) VALUES (12345);`})
	_, err := Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "refer to missing rows") {
		t.Fatalf("err = %v, want the dangling rows reported", err)
	}
}

// TestRebuildingCallsKeepsEverything: migration 9 rebuilds the calls table
// (to widen its outcomes). A file at version 8 with a call holding notes,
// stages, marks, change talk, a plan, a measure and a safety event comes
// through with all of them, the search index still finding the notes and
// the quote, and foreign keys enforced again afterwards.
func TestRebuildingCallsKeepsEverything(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v8.db")
	fileAtVersion(t, path, 8)
	db := rawDB(t, path)
	mustExec(t, db, `INSERT INTO people (id, name, created_at, updated_at) VALUES (1, 'Rosa', '2026-11-23T14:00:00Z', '2026-11-23T14:00:00Z')`)
	mustExec(t, db, `INSERT INTO calls (id, person_id, started_at, ended_at, outcome, notes, notes_rev, updated_at, role, summary)
		VALUES (7, 1, '2026-11-23T14:00:00Z', '2026-11-23T14:20:00Z', 'reached', 'walked to the allotment', 3, '2026-11-23T14:20:00Z', 'peer', 'a summary')`)
	mustExec(t, db, `INSERT INTO call_stages (call_id, stage, entered_at) VALUES (7, 'engage', '2026-11-23T14:00:00Z')`)
	mustExec(t, db, `INSERT INTO tally_marks (call_id, kind, marked_at) VALUES (7, 'affirmation', '2026-11-23T14:01:00Z')`)
	mustExec(t, db, `INSERT INTO change_talk (call_id, kind, quote, said_at) VALUES (7, 'desire', 'I want my garden back', '2026-11-23T14:02:00Z')`)
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	c, err := s.GetCall(ctx, 7)
	if err != nil || c.Notes != "walked to the allotment" || c.NotesRev != 3 || c.Role != "peer" || c.Summary != "a summary" || c.Outcome != "reached" {
		t.Fatalf("call after the rebuild = %+v, %v", c, err)
	}
	if v, _ := s.StageVisits(ctx, 7); len(v) != 1 {
		t.Errorf("stage visits = %v", v)
	}
	if tally, _ := s.Tally(ctx, 7); tally["affirmation"] != 1 {
		t.Errorf("tally = %v", tally)
	}
	for _, q := range []string{"allotment", "garden"} {
		hits, err := s.Search(ctx, q, 10)
		if err != nil || len(hits) != 1 {
			t.Errorf("search %q after the rebuild = %v, %v", q, hits, err)
		}
	}
	if _, err := s.AddChangeTalk(ctx, coaching.ChangeTalk{CallID: 7, Kind: coaching.TalkNeed, Quote: "I need to rest"}, t0); err != nil {
		t.Fatal(err)
	}
	if hits, _ := s.Search(ctx, "rest", 10); len(hits) != 1 {
		t.Errorf("a quote added after the rebuild is not found: %v", hits)
	}
	if err := s.EnterStage(ctx, 999, coaching.StagePlan, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("a stage of a call that does not exist: %v (foreign keys must be on again)", err)
	}
}

// TestMigrate18To19KeepsPeople: migration 19 adds the given and family
// names to a file at version 18 with people in it; everyone keeps what
// they had, the new fields empty, and they can be set afterwards.
func TestMigrate18To19KeepsPeople(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v18.db")
	fileAtVersion(t, path, 18)
	db := rawDB(t, path)
	mustExec(t, db, `INSERT INTO people (id, name, preferred_name, phone, phone_digits, identifier, identifier_system, created_at, updated_at)
		VALUES (1, 'Ann O''Neil', 'Annie', '0161 496 0000', '01614960000', '943 476 5919', 'https://fhir.nhs.uk/Id/nhs-number',
			'2026-11-23T14:00:00Z', '2026-11-23T14:00:00Z')`)
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if got := userVersion(t, s.ro); got != SchemaVersion() || got < 19 {
		t.Fatalf("user_version = %d, want %d (at least 19)", got, SchemaVersion())
	}
	p, err := s.GetPerson(ctx, 1)
	if err != nil || p.Name != "Ann O'Neil" || p.PreferredName != "Annie" || p.Identifier != "943 476 5919" ||
		p.GivenNames != "" || p.FamilyName != "" {
		t.Fatalf("person after the migration = %+v, %v", p, err)
	}
	p.GivenNames, p.FamilyName = "Ann", "O'Neil"
	if err := s.UpdatePerson(ctx, p, t0); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetPerson(ctx, 1); err != nil || got.GivenNames != "Ann" || got.FamilyName != "O'Neil" {
		t.Fatalf("after setting the names: %+v, %v", got, err)
	}
}
