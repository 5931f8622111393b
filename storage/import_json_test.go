package storage

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func importJSON(t *testing.T, s *Store, doc []byte) (ImportCounts, error) {
	t.Helper()
	return s.ImportJSON(context.Background(), bytes.NewReader(doc), t0)
}

func importRows(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.rw.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportJSONRoundTrip(t *testing.T) {
	src := newStore(t)
	exportSample(t, src)
	first := exportJSON(t, src, ExportFilter{})

	dst := newStore(t)
	counts, err := importJSON(t, dst, first)
	if err != nil {
		t.Fatalf("ImportJSON: %v", err)
	}
	want := ImportCounts{People: 3, Calls: 4, Plans: 1, Rulers: 2, ChangeTalk: 1, Tally: 2, Measures: 2, FollowUps: 2, SafetyEvents: 1}
	if counts != want {
		t.Errorf("counts %+v, want %+v", counts, want)
	}
	second := exportJSON(t, dst, ExportFilter{})
	if !bytes.Equal(first, second) {
		t.Fatalf("the export after an import differs:\nfirst  %s\nsecond %s", first, second)
	}

	// What the export leaves out is derived as the app derives it.
	for _, q := range []struct{ query, want string }{
		{`SELECT phone_digits FROM people WHERE id = 1`, "442079460000"},
		{`SELECT coalesce(next_due_at, '') FROM people WHERE id = 1`, "2026-12-05T10:00:00Z"},
		{`SELECT coalesce(next_due_at, '') FROM people WHERE id = 2`, ""},
		{`SELECT group_concat(rowid) FROM people_search WHERE people_search MATCH '79460'`, "1"},
	} {
		var got string
		if err := dst.rw.QueryRow(q.query).Scan(&got); err != nil {
			t.Fatalf("%s: %v", q.query, err)
		}
		if got != q.want {
			t.Errorf("%s = %q, want %q", q.query, got, q.want)
		}
	}
}

func TestImportJSONSearchFindsImported(t *testing.T) {
	src := newStore(t)
	exportSample(t, src)
	dst := newStore(t)
	if _, err := importJSON(t, dst, exportJSON(t, src, ExportFilter{})); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tt := range []struct {
		query string
		kind  SearchKind
		ref   int64
	}{
		{"laughed", HitNote, 2},
		{"shop", HitPlan, 1},
		{"grandson keep", 0, 0}, // a ruler's words are not indexed
		{"keep up", HitTalk, 1},
	} {
		hits, err := dst.Search(ctx, tt.query, 10)
		if err != nil {
			t.Fatalf("Search %q: %v", tt.query, err)
		}
		if tt.ref == 0 {
			if len(hits) != 0 {
				t.Errorf("Search %q: %d hits, want none", tt.query, len(hits))
			}
			continue
		}
		if len(hits) != 1 || hits[0].Kind != tt.kind || hits[0].RefID != tt.ref || hits[0].PersonID != 1 {
			t.Errorf("Search %q: %+v, want one %v hit on %d", tt.query, hits, tt.kind, tt.ref)
		}
	}
}

func TestImportJSONRefusesNonEmpty(t *testing.T) {
	s := newStore(t)
	exportSample(t, s)
	doc := exportJSON(t, s, ExportFilter{})
	_, err := importJSON(t, s, doc)
	if !errors.Is(err, ErrImportNotEmpty) ||
		err.Error() != "the database already has people; import a JSON export only into a new, empty file" {
		t.Fatalf("import into a caseload: %v", err)
	}
	if after := exportJSON(t, s, ExportFilter{}); !bytes.Equal(doc, after) {
		t.Fatalf("the refused import changed the database:\n%s", after)
	}
}

func TestImportJSONRefusals(t *testing.T) {
	src := newStore(t)
	exportSample(t, src)
	doc := string(exportJSON(t, src, ExportFilter{}))
	tests := []struct {
		name, doc, want string
	}{
		{"newer version", strings.Replace(doc, `"version":1`, `"version":2`, 1), "version 2, newer"},
		{"other format", strings.Replace(doc, `"callcoach-export"`, `"something-else"`, 1), `the format is "something-else"`},
		{"unknown top key", strings.Replace(doc, `"exported_at"`, `"colour":"red","exported_at"`, 1), `unknown key "colour"`},
		{"unknown record key", strings.Replace(doc, `"summary":"Plan: walk"`, `"summary":"Plan: walk","mood":"good"`, 1),
			`calls record 1 (id 1): unknown key "mood"`},
		{"unknown nested key", strings.Replace(doc, `"position":2,`, `"position":2,"colour":"red",`, 1), `unknown key "colour"`},
		{"missing key", strings.Replace(doc, `"summary":"Plan: walk",`, ``, 1), `the key "summary" is missing`},
		{"wrong type", strings.Replace(doc, `"days_per_week":4`, `"days_per_week":"four"`, 1), `days_per_week: "four" is not a whole number`},
		{"truncated", doc[:len(doc)/2], "ends early, at byte"},
		{"bad JSON", strings.Replace(doc, `"calls":[`, `"calls":[}`, 1), "not valid JSON at byte"},
		{"trailing data", doc + "{}", "more after the end"},
		{"not an export", `[1,2]`, "expected a JSON object"},
		{"missing call", strings.Replace(doc, `{"id":4,"person_id":3,`, `{"id":5,"person_id":3,`, 1), "not in the file"},
		{"wrong person", strings.Replace(doc, `{"id":1,"call_id":1,"person_id":1,"kind":"desire"`,
			`{"id":1,"call_id":1,"person_id":2,"kind":"desire"`, 1), "is not call 1's person"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.doc == doc {
				t.Fatal("the test did not change the document")
			}
			s := newStore(t)
			_, err := importJSON(t, s, []byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error with %q", err, tt.want)
			}
			for _, table := range []string{"people", "calls", "action_plans", "plan_barriers", "measures", "follow_ups", "search_text"} {
				if n := importRows(t, s, table); n != 0 {
					t.Errorf("%s has %d rows after a refused import", table, n)
				}
			}
		})
	}
}

func TestImportJSONEmptyExport(t *testing.T) {
	empty := exportJSON(t, newStore(t), ExportFilter{})
	s := newStore(t)
	counts, err := importJSON(t, s, empty)
	if err != nil || counts != (ImportCounts{}) {
		t.Fatalf("import of an empty export: %+v %v", counts, err)
	}
	if again := exportJSON(t, s, ExportFilter{}); !bytes.Equal(again, empty) {
		t.Fatalf("empty round trip differs: %s", again)
	}
}
