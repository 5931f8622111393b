package storage

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// exportNote has everything CSV and JSON must quote or escape, and the
// line breaks and tab a note may hold (never a carriage return: the editor
// turns one into a line break, and an import refuses it).
const exportNote = "Said \"not today\", then laughed.\nWalked, twice; <b>&</b>\n\tلا بأس 🙂"

// exportSample fills s with a small fixed caseload: three people (one with
// an emoji name, one right-to-left; one with given and family names, one
// with a family name only, one with neither), calls before and after 2026-11-20, a
// plan with barriers, scores and a review, rulers, change talk, tally
// marks, a measure with items, follow-ups and safety events: one recorded,
// one reviewed with its reason, one closed as opened by mistake; readings.
func exportSample(t testing.TB, s *Store) {
	t.Helper()
	stmts := []string{
		// A fixed installation id, so the FHIR ids are the same in every run.
		`UPDATE installation SET uuid = '0f1e2d3c-4b5a-4697-8877-665544332211'`,
		`INSERT INTO drafts (key, body, updated_at) VALUES ('plan:1', '{"what":"walk, \"daily\"
(maybe)"}', '2026-11-21T10:30:00Z')`,
		`INSERT INTO people (id, name, preferred_name, phone, phone_digits, time_zone, conditions, consent, consent_date, created_at, updated_at) VALUES
			(1, 'Ann O''Neil, "Annie"', 'Ann', '+44 20 7946 0000', '442079460000', 'Europe/London', 'diabetes, COPD', 1, '2026-10-01', '2026-10-01T09:00:00Z', '2026-10-01T09:00:00Z'),
			(2, 'Zoë 🌻 Brown', '', '', '', '', '', 0, NULL, '2026-10-02T09:00:00Z', '2026-10-02T09:00:00Z'),
			(3, 'مريم الحسن', 'مريم', '', '', 'Asia/Amman', 'hypertension', 1, '2026-10-03', '2026-10-03T09:00:00Z', '2026-10-03T09:00:00Z')`,
		`INSERT INTO calls (id, person_id, role, started_at, ended_at, outcome, notes, summary, updated_at) VALUES
			(1, 1, 'coach', '2026-11-01T10:00:00Z', '2026-11-01T10:20:00Z', 'reached', 'First call, went well.', 'Plan: walk', '2026-11-01T10:20:00Z'),
			(2, 1, 'coach', '2026-11-21T10:00:00Z', '2026-11-21T10:25:00Z', 'reached', '` + strings.ReplaceAll(exportNote, "'", "''") + `', '', '2026-11-21T10:25:00Z'),
			(3, 2, 'peer', '2026-11-22T15:00:00Z', NULL, NULL, '', '', '2026-11-22T15:00:00Z'),
			(4, 3, 'coach', '2026-11-10T08:00:00Z', '2026-11-10T08:01:00Z', 'no_answer', '', '', '2026-11-10T08:01:00Z')`,
		`INSERT INTO call_stages (call_id, stage, entered_at) VALUES (1, 'engage', '2026-11-01T10:00:00Z')`,
		`INSERT INTO tally_marks (id, call_id, kind, marked_at, undone_at) VALUES
			(1, 1, 'open_question', '2026-11-01T10:02:00Z', NULL),
			(2, 2, 'complex_reflection', '2026-11-21T10:05:00Z', '2026-11-21T10:05:03Z')`,
		`INSERT INTO rulers (id, call_id, kind, score, about, follow_up, asked_at, updated_at) VALUES
			(1, 1, 'importance', 7, 'walking', 'Why 7 and not 4? "My grandson."', '2026-11-01T10:10:00Z', '2026-11-01T10:11:00Z'),
			(2, 2, 'confidence', 5, 'walking', '', '2026-11-21T10:10:00Z', '2026-11-21T10:10:00Z')`,
		`INSERT INTO change_talk (id, call_id, kind, quote, said_at) VALUES
			(1, 1, 'desire', 'I want to keep up with him, really.', '2026-11-01T10:12:00Z')`,
		`INSERT INTO action_plans (id, person_id, call_id, behaviour, what, how_much, when_text, where_text, backup, commitment, days_per_week, start_date, review_date, confidence, status, created_at, updated_at) VALUES
			(1, 1, 1, 'activity', 'Walk to the shop', '15 minutes', 'after lunch', 'the park, if dry', 'hallway stairs', 'I''ll do it, "honest"', 4, '2026-11-02', '2026-11-21', 7, 'active', '2026-11-01T10:15:00Z', '2026-11-21T10:20:00Z')`,
		`INSERT INTO plan_barriers (plan_id, position, barrier, solution) VALUES
			(1, 1, 'rain', 'stairs instead'), (1, 2, 'tired, after dialysis', '')`,
		`INSERT INTO confidence_scores (plan_id, score, scored_at) VALUES (1, 6, '2026-11-01T10:16:00Z'), (1, 7, '2026-11-01T10:17:00Z')`,
		`INSERT INTO plan_reviews (plan_id, call_id, outcome, helped, got_in_way, reviewed_at) VALUES
			(1, 2, 'partly_done', 'a friend came', 'rain', '2026-11-21T10:03:00Z')`,
		`INSERT INTO measures (id, person_id, call_id, instrument, given_at, complete, scored, total, band, closing) VALUES
			(1, 1, 2, 'phq2', '2026-11-21T10:08:00Z', 1, 1, 2, 'below threshold', NULL),
			(2, 3, 4, 'semcd6', '2026-11-10T08:00:30Z', 0, 1, 6.5, '', 2)`,
		`INSERT INTO measure_items (measure_id, item, answer) VALUES (1, 1, 1), (1, 2, 1), (2, 1, 7), (2, 2, -1)`,
		`INSERT INTO follow_ups (id, person_id, plan_id, due_at, reason, made_call_id, done_call_id, done_at, created_at) VALUES
			(1, 1, 1, '2026-11-21T10:00:00Z', 'review the plan', 1, 2, '2026-11-21T10:25:00Z', '2026-11-01T10:20:00Z'),
			(2, 1, 1, '2026-12-05T10:00:00Z', 'check, again', 2, NULL, NULL, '2026-11-21T10:25:00Z')`,
		`INSERT INTO safety_events (id, person_id, call_id, measure_id, trigger, raised_at, actions, note, recorded_at, reviewed_at, reviewed_call_id) VALUES
			(1, 2, 3, NULL, 'coach', '2026-11-22T15:05:00Z', 'gave_crisis_line,told_supervisor', '` + strings.ReplaceAll(exportNote, "'", "''") + `', '2026-11-22T15:09:00Z', NULL, NULL)`,
		`INSERT INTO safety_events (id, person_id, call_id, measure_id, trigger, raised_at, actions, note, recorded_at, reviewed_at, reviewed_call_id, review_reason) VALUES
			(2, 1, 1, NULL, 'coach', '2026-11-01T10:13:00Z', 'asked_directly,no_current_risk', '', '2026-11-01T10:14:00Z', '2026-11-21T10:04:00Z', 2, '=asked again: "safe", sister staying'),
			(3, 1, 1, NULL, 'coach', '2026-11-01T10:18:00Z', 'opened_by_mistake', '', '2026-11-01T10:18:05Z', '2026-11-01T10:18:05Z', NULL, '')`,
		// Readings: a blood pressure and a weight typed in lb, in a call;
		// an organisation's own kind, outside one.
		`INSERT INTO readings (id, person_id, call_id, kind, value, value2, unit, entered_value, taken_at, recorded_at) VALUES
			(1, 1, 2, 'bp', 132, 84, 'mmHg', '132/84 mmHg', '2026-11-20T08:00:00Z', '2026-11-21T10:06:00Z'),
			(2, 1, 2, 'weight', 81.6466266, NULL, 'kg', '180 lb', '2026-11-21T10:00:00Z', '2026-11-21T10:07:00Z'),
			(3, 3, NULL, 'peak flow', 420, NULL, 'L/min', '420 L/min', '2026-11-09T07:30:00Z', '2026-11-10T08:00:40Z')`,
		`UPDATE people SET identifier = '943 476 5919', identifier_system = 'https://fhir.nhs.uk/Id/nhs-number' WHERE id = 1`,
		// Given and family names as a coach entered them: both for Ann,
		// only the family name for Maryam, neither for Zoë.
		`UPDATE people SET given_names = 'Ann Marie', family_name = 'O''Neil' WHERE id = 1`,
		`UPDATE people SET family_name = 'الحسن' WHERE id = 3`,
		// The coach's name on most records; a peer's with a comma, quotes
		// and <>; none on the unanswered call and the SEMCD-6 (made before
		// the file knew names, never credited).
		`UPDATE calls SET coach = 'Sam Patel' WHERE id IN (1, 2)`,
		`UPDATE calls SET coach = 'Jo "JJ" O''Hara, <peer>' WHERE id = 3`,
		`UPDATE action_plans SET coach = 'Sam Patel'`,
		`UPDATE measures SET coach = 'Sam Patel' WHERE id = 1`,
		`UPDATE readings SET coach = 'Sam Patel' WHERE id IN (1, 2)`,
		`UPDATE readings SET coach = 'Jo "JJ" O''Hara, <peer>' WHERE id = 3`,
	}
	for _, q := range stmts {
		if _, err := s.rw.Exec(q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "export", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./storage -run Export -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n got %s\nwant %s", name, got, want)
	}
}

// exportDoc is the JSON document decoded loosely, to check its shape.
type exportDoc struct {
	Format     string                      `json:"format"`
	Version    int                         `json:"version"`
	ExportedAt string                      `json:"exported_at"`
	Records    map[string][]map[string]any `json:"-"`
}

func decodeExport(t *testing.T, b []byte) exportDoc {
	t.Helper()
	var doc exportDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	doc.Records = map[string][]map[string]any{}
	for _, sec := range exportSections {
		raw, ok := all[sec.name]
		if !ok {
			t.Fatalf("export has no %q", sec.name)
		}
		var recs []map[string]any
		if err := json.Unmarshal(raw, &recs); err != nil {
			t.Fatalf("%s: %v", sec.name, err)
		}
		doc.Records[sec.name] = recs
	}
	return doc
}

func exportJSON(t *testing.T, s *Store, f ExportFilter) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.ExportJSON(context.Background(), &buf, f, t0); err != nil {
		t.Fatalf("ExportJSON: %v", err)
	}
	return buf.Bytes()
}

func ids(recs []map[string]any) []int {
	var out []int
	for _, r := range recs {
		out = append(out, int(r["id"].(float64)))
	}
	return out
}

func TestExportJSONGolden(t *testing.T) {
	s := newStore(t)
	exportSample(t, s)
	got := exportJSON(t, s, ExportFilter{})
	golden(t, "export.json", got)

	doc := decodeExport(t, got)
	if doc.Format != ExportFormat || doc.Version != 6 || doc.ExportedAt != "2026-11-23T14:05:09Z" {
		t.Fatalf("header: %q %d %q", doc.Format, doc.Version, doc.ExportedAt)
	}
	want := map[string]int{"people": 3, "calls": 4, "call_stages": 1, "drafts": 1, "plans": 1, "rulers": 2, "change_talk": 1, "tally": 2,
		"measures": 2, "follow_ups": 2, "safety_events": 3, "readings": 3}
	for name, n := range want {
		if len(doc.Records[name]) != n {
			t.Errorf("%s: %d records, want %d", name, len(doc.Records[name]), n)
		}
	}
	if note := doc.Records["calls"][1]["notes"]; note != exportNote {
		t.Errorf("note did not survive: %q", note)
	}
	if name := doc.Records["people"][1]["name"]; name != "Zoë 🌻 Brown" {
		t.Errorf("name: %q", name)
	}
	plan := doc.Records["plans"][0]
	if b, ok := plan["barriers"].([]any); !ok || len(b) != 2 || plan["confidence"] != 7.0 || plan["call_id"] != 1.0 {
		t.Errorf("plan: %v", plan)
	}
	if m := doc.Records["measures"][1]; m["total"] != 6.5 || m["complete"] != false || m["call_id"] != 4.0 {
		t.Errorf("measure: %v", m)
	}
	if r := doc.Records["readings"]; r[0]["value2"] != 84.0 || r[1]["value2"] != nil || r[1]["value"] != 81.6466266 || r[2]["call_id"] != nil {
		t.Errorf("readings: %v", r)
	}
	if c := doc.Records["calls"][2]; c["ended_at"] != nil || c["outcome"] != nil {
		t.Errorf("unfinished call: %v", c)
	}
}

func TestExportCSVGolden(t *testing.T) {
	s := newStore(t)
	exportSample(t, s)
	dir := t.TempDir()
	if err := s.ExportCSV(context.Background(), dir, ExportFilter{}, CSVOptions{}); err != nil {
		t.Fatalf("ExportCSV: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		info, _ := e.Info()
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
	}
	if want := ExportCSVFiles(); !slices.Equal(names, slices.Sorted(slices.Values(want))) {
		t.Fatalf("files %v, want %v", names, want)
	}

	doc := decodeExport(t, exportJSON(t, s, ExportFilter{}))
	for _, sec := range exportSections {
		b, err := os.ReadFile(filepath.Join(dir, sec.name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, sec.name+".csv", b)
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%s.csv does not parse: %v", sec.name, err)
		}
		recs := doc.Records[sec.name]
		if len(rows) != len(recs)+1 {
			t.Fatalf("%s.csv: %d rows, want a header and %d", sec.name, len(rows), len(recs))
		}
		for i, c := range sec.columns {
			if rows[0][i] != c.name {
				t.Errorf("%s.csv header %d: %q, want %q", sec.name, i, rows[0][i], c.name)
			}
		}
		// Every cell is the JSON value in text: strings as they are (with
		// a ' before what a spreadsheet would run as a formula), numbers
		// and flags as JSON writes them, null as empty.
		for r, rec := range recs {
			for i, c := range sec.columns {
				want := ""
				switch v := rec[c.name].(type) {
				case nil:
				case string:
					// The file has CRLF for a line break in a cell too (the
					// golden file shows it); encoding/csv reads it as \n.
					want = EscapeFormula(v)
				default:
					if c.kind == kindJSON {
						want = string(mustJSON(t, v))
					} else {
						want = fmt.Sprint(v)
					}
				}
				if c.kind == kindJSON {
					var a, b any
					json.Unmarshal([]byte(rows[r+1][i]), &a)
					json.Unmarshal([]byte(want), &b)
					if fmt.Sprint(a) != fmt.Sprint(b) {
						t.Errorf("%s.csv row %d %s: %q, want %q", sec.name, r+1, c.name, rows[r+1][i], want)
					}
					continue
				}
				if rows[r+1][i] != want {
					t.Errorf("%s.csv row %d %s: %q, want %q", sec.name, r+1, c.name, rows[r+1][i], want)
				}
			}
		}
	}
}

// A phone number starts with +, which a spreadsheet reads as a formula:
// the cell starts with a ' unless the export is raw. Every line ends with
// CRLF either way.
func TestExportCSVFormulaCells(t *testing.T) {
	s := newStore(t)
	exportSample(t, s)
	for _, tt := range []struct {
		opt   CSVOptions
		phone string
	}{{CSVOptions{}, ",'+44 20 7946 0000,"}, {CSVOptions{Raw: true}, ",+44 20 7946 0000,"}} {
		dir := t.TempDir()
		if err := s.ExportCSV(context.Background(), dir, ExportFilter{}, tt.opt); err != nil {
			t.Fatalf("ExportCSV: %v", err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "people.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), tt.phone) {
			t.Errorf("%+v: people.csv has no %s:\n%s", tt.opt, tt.phone, b)
		}
		if n, crlf := strings.Count(string(b), "\n"), strings.Count(string(b), "\r\n"); n != 4 || crlf != n {
			t.Errorf("%+v: people.csv has %d line ends, %d of them CRLF; want 4, all CRLF", tt.opt, n, crlf)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExportFilters(t *testing.T) {
	s := newStore(t)
	exportSample(t, s)
	since := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		filter ExportFilter
		want   map[string][]int
	}{
		{"person", ExportFilter{PersonID: 1}, map[string][]int{
			"people": {1}, "calls": {1, 2}, "plans": {1}, "rulers": {1, 2}, "change_talk": {1}, "tally": {1, 2},
			"measures": {1}, "follow_ups": {1, 2}, "safety_events": {2, 3}}},
		{"since", ExportFilter{Since: since}, map[string][]int{
			"people": {1, 2, 3}, "calls": {2, 3}, "plans": nil, "rulers": {2}, "change_talk": nil, "tally": {2},
			"measures": {1}, "follow_ups": {2}, "safety_events": {1}}},
		{"person and since", ExportFilter{PersonID: 3, Since: since}, map[string][]int{
			"people": {3}, "calls": nil, "plans": nil, "rulers": nil, "change_talk": nil, "tally": nil,
			"measures": nil, "follow_ups": nil, "safety_events": nil}},
		{"nobody", ExportFilter{PersonID: 99}, map[string][]int{
			"people": nil, "calls": nil, "plans": nil, "rulers": nil, "change_talk": nil, "tally": nil,
			"measures": nil, "follow_ups": nil, "safety_events": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := decodeExport(t, exportJSON(t, s, tt.filter))
			for name, want := range tt.want {
				if got := ids(doc.Records[name]); !slices.Equal(got, want) {
					t.Errorf("%s: ids %v, want %v", name, got, want)
				}
			}
			dir := t.TempDir()
			if err := s.ExportCSV(context.Background(), dir, tt.filter, CSVOptions{}); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(filepath.Join(dir, "calls.csv"))
			rows, _ := csv.NewReader(bytes.NewReader(b)).ReadAll()
			if len(rows)-1 != len(tt.want["calls"]) {
				t.Errorf("calls.csv: %d rows, want %d", len(rows)-1, len(tt.want["calls"]))
			}
		})
	}
}

func TestExportCSVRefusesNonEmptyDir(t *testing.T) {
	s := newStore(t)
	exportSample(t, s)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("mine"), 0o600)
	if err := s.ExportCSV(context.Background(), dir, ExportFilter{}, CSVOptions{}); err == nil {
		t.Fatal("export into a folder with a file in it succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("folder now has %d entries", len(entries))
	}
	if err := s.ExportCSV(context.Background(), filepath.Join(dir, "missing"), ExportFilter{}, CSVOptions{}); err == nil {
		t.Fatal("export into a missing folder succeeded")
	}
}

func TestExportErrorsNameNoNotes(t *testing.T) {
	s := newStore(t)
	exportSample(t, s)
	err := s.ExportJSON(context.Background(), failingWriter{}, ExportFilter{}, t0)
	if err == nil {
		t.Fatal("a failing writer did not fail the export")
	}
	for _, secret := range []string{"not today", "Zoë", "Ann"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error names %q: %v", secret, err)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrShortWrite }

// manyCalls adds n calls with notes to one person in one transaction.
func manyCalls(t testing.TB, s *Store, n int) {
	t.Helper()
	if _, err := s.rw.Exec(`INSERT INTO people (id, name, created_at, updated_at) VALUES (1, 'P', 'x', 'x')`); err != nil {
		t.Fatal(err)
	}
	note := strings.Repeat("Talked about walking, \"sleep\" and meals.\n", 10)
	_, err := s.rw.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO calls (person_id, started_at, ended_at, outcome, notes, updated_at)
		SELECT 1, '2026-01-01T00:00:' || CASE WHEN i % 60 < 10 THEN '0' ELSE '' END || (i % 60) || 'Z',
			'2026-01-02T00:00:00Z', 'reached', ? || i, '2026-01-02T00:00:00Z' FROM n`,
		n, note)
	if err != nil {
		t.Fatal(err)
	}
}

// countingWriter counts the bytes written to it.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func TestExportStreams(t *testing.T) {
	s := newStore(t)
	const calls = 4000
	manyCalls(t, s, calls)

	var w countingWriter
	var total int64
	if err := s.ExportJSON(context.Background(), &w, ExportFilter{}, t0); err != nil {
		t.Fatal(err)
	}
	total = w.n
	if total < calls*400 {
		t.Fatalf("export wrote %d bytes for %d calls", total, calls)
	}

	// Memory: what the export allocates and keeps is flat, not the size
	// of the export. HeapInuse after a GC mid-run would be best; the live
	// heap after the run plus total bytes allocated per row is checked.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	peak := uint64(0)
	pw := &peakWriter{every: 512 * 1024, peak: &peak}
	if err := s.ExportJSON(context.Background(), pw, ExportFilter{}, t0); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if pw.n < 3 {
		t.Fatalf("writer saw only %d chunks: the export is not streamed", pw.n)
	}
	if grew := int64(peak) - int64(before.HeapInuse); grew > total/2 {
		t.Errorf("heap in use grew by %d bytes during a %d-byte export", grew, total)
	}
	t.Logf("%d bytes exported; heap in use grew at most %d KiB; %d bytes allocated per call",
		total, (int64(peak)-int64(before.HeapInuse))/1024, (after.TotalAlloc-before.TotalAlloc)/calls)
}

// peakWriter reads HeapInuse (after a GC) every so many bytes written.
type peakWriter struct {
	every, since int
	n            int
	peak         *uint64
}

func (p *peakWriter) Write(b []byte) (int, error) {
	p.since += len(b)
	if p.since >= p.every {
		p.since = 0
		p.n++
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		*p.peak = max(*p.peak, m.HeapInuse)
	}
	return len(b), nil
}

func BenchmarkExportJSON(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "export.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const calls = 5000
	manyCalls(b, s, calls)
	b.ResetTimer()
	for b.Loop() {
		if err := s.ExportJSON(context.Background(), io.Discard, ExportFilter{}, t0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(calls+1)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
