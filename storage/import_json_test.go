package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/coaching/measures"
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
	want := ImportCounts{People: 3, Calls: 4, Plans: 1, Rulers: 2, ChangeTalk: 1, Tally: 2, Measures: 2, Readings: 3, FollowUps: 2, SafetyEvents: 3}
	if counts != want {
		t.Errorf("counts %+v, want %+v", counts, want)
	}
	second := exportJSON(t, dst, ExportFilter{})
	if !bytes.Equal(first, second) {
		t.Fatalf("the export after an import differs:\nfirst  %s\nsecond %s", first, second)
	}

	// What the export leaves out is derived as the app derives it.
	finder := `SELECT group_concat(p.id) FROM people_search s JOIN people p ON p.name_key = s.rowid WHERE people_search MATCH '79460'`
	if dst.pg {
		// The finder's trigram index is on people itself, and serves LIKE.
		finder = `SELECT string_agg(id::text, ',') FROM people WHERE phone_digits LIKE '%79460%'`
	}
	for _, q := range []struct{ query, want string }{
		{`SELECT phone_digits FROM people WHERE id = 1`, "442079460000"},
		{`SELECT given_names || '|' || family_name FROM people WHERE id = 1`, "Ann Marie|O'Neil"},
		{`SELECT given_names || '|' || family_name FROM people WHERE id = 3`, "|الحسن"},
		{`SELECT coalesce(next_due_at, '') FROM people WHERE id = 1`, "2026-12-05T10:00:00Z"},
		{`SELECT coalesce(next_due_at, '') FROM people WHERE id = 2`, ""},
		{finder, "1"},
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

// A record may name one later in its own section: the follow-up a later
// one replaced. Foreign keys are checked at the commit, so it imports.
func TestImportJSONForwardReference(t *testing.T) {
	src := newStore(t)
	exportSample(t, src)
	old := `"created_at":"2026-11-01T10:20:00Z","replaced_by":null}`
	doc := strings.Replace(string(exportJSON(t, src, ExportFilter{})), old, `"created_at":"2026-11-01T10:20:00Z","replaced_by":2}`, 1)
	if !strings.Contains(doc, `"replaced_by":2}`) {
		t.Fatalf("%s is not in the document", old)
	}
	s := newStore(t)
	if _, err := importJSON(t, s, []byte(doc)); err != nil {
		t.Fatalf("ImportJSON: %v", err)
	}
	if got := string(exportJSON(t, s, ExportFilter{})); got != doc {
		t.Fatalf("the export after the import:\n%s\nwant\n%s", got, doc)
	}
}

// After an import, every kind of record added next takes the id after the
// largest imported: the import wrote its ids itself, and on PostgreSQL an
// identity does not move for those.
func TestImportJSONThenAdd(t *testing.T) {
	src := newStore(t)
	exportSample(t, src)
	s := newStore(t)
	if _, err := importJSON(t, s, exportJSON(t, src, ExportFilter{})); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pid := createPerson(t, s, coaching.Person{Name: "Bea"})
	call, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0)
	if err != nil {
		t.Fatal(err)
	}
	plan := mustSavePlan(t, s, walkPlan(pid, call.ID), t0)
	ruler, err := s.SaveRuler(ctx, coaching.Ruler{CallID: call.ID, Kind: coaching.RulerConfidence, Score: 6}, t0)
	if err != nil {
		t.Fatal(err)
	}
	talk, err := s.AddChangeTalk(ctx, coaching.ChangeTalk{CallID: call.ID, Kind: coaching.TalkDesire, Quote: "I want to"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddTallyMark(ctx, call.ID, coaching.TallyOpenQuestion, t0); err != nil {
		t.Fatal(err)
	}
	measure, err := s.SaveMeasure(ctx, MeasureRecord{PersonID: pid, CallID: call.ID, Instrument: string(measures.PHQ2),
		Answers: []int{0, 0}, Complete: true, Scored: true, Closing: -1}, t0)
	if err != nil {
		t.Fatal(err)
	}
	followUp, err := s.AddFollowUp(ctx, coaching.FollowUp{PersonID: pid, Due: t0.Add(time.Hour)}, t0)
	if err != nil {
		t.Fatal(err)
	}
	event, err := s.RaiseSafety(ctx, SafetyEvent{PersonID: pid, CallID: call.ID, Trigger: string(measures.TriggerCoach)}, t0)
	if err != nil {
		t.Fatal(err)
	}
	reading, err := s.AddReading(ctx, coaching.Reading{PersonID: pid, CallID: call.ID, Kind: coaching.ReadingMood,
		Value: 7, Unit: "/10", Entered: "7 /10"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	var tally int64
	if err := s.rw.QueryRow(`SELECT max(id) FROM tally_marks`).Scan(&tally); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		what    string
		got, to int64
	}{
		{"person", pid, 4}, {"call", call.ID, 5}, {"plan", plan, 2}, {"ruler", ruler, 3}, {"change talk", talk, 2},
		{"tally mark", tally, 3}, {"measure", measure, 3}, {"follow-up", followUp, 3}, {"safety event", event, 4},
		{"reading", reading, 4},
	} {
		if tt.got != tt.to {
			t.Errorf("the %s added after the import is %d, want %d", tt.what, tt.got, tt.to)
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
		{"newer version", strings.Replace(doc, `"version":6`, `"version":7`, 1), "version 7, newer"},
		{"a reading without its value", strings.Replace(doc, `"value":132,`, `"value":null,`, 1), "readings record 1 (id 1): value is missing"},
		{"a reading with text for its value", strings.Replace(doc, `"value":132,`, `"value":"132",`, 1), `value: "132" is not a number`},
		{"other format", strings.Replace(doc, `"callcoach-export"`, `"something-else"`, 1), `the format is "something-else"`},
		{"unknown top key", strings.Replace(doc, `"exported_at"`, `"colour":"red","exported_at"`, 1), `unknown key "colour"`},
		{"unknown record key", strings.Replace(doc, `"summary":"Plan: walk"`, `"summary":"Plan: walk","mood":"good"`, 1),
			`calls record 1 (id 1): unknown key "mood"`},
		{"unknown nested key", strings.Replace(doc, `"position":2,`, `"position":2,"colour":"red",`, 1), `unknown key "colour"`},
		{"missing key", strings.Replace(doc, `"summary":"Plan: walk",`, ``, 1), `the key "summary" is missing`},
		{"wrong type", strings.Replace(doc, `"days_per_week":4`, `"days_per_week":"four"`, 1), `days_per_week: "four" is not a whole number`},
		{"truncated", doc[:len(doc)/2], "ends early, at byte"},
		{"bad JSON", strings.Replace(doc, `"calls":[`, `"calls":[}`, 1), "line 6: the file is not valid JSON there (invalid character '}'"},
		{"trailing data", doc + "{}", "more after the end"},
		{"not an export", `[1,2]`, "expected a JSON object"},
		{"missing call", strings.Replace(doc, `{"id":4,"person_id":3,`, `{"id":5,"person_id":3,`, 1), "not in the file"},
		{"missing replacement", strings.Replace(doc, `"created_at":"2026-11-01T10:20:00Z","replaced_by":null}`,
			`"created_at":"2026-11-01T10:20:00Z","replaced_by":99}`, 1), "not in the file"},
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

// olderExport turns a version 5 export into what version v wrote: no
// readings; before version 4 no given or family names; before version 3 no call stages, drafts, consent
// times, replacements or identifiers either; before version 2 no review
// reasons.
func olderExport(doc string, v int) string {
	drops := []string{coachKey}
	if v < 5 {
		drops = append(drops, `,\n"readings":\[[^\]]*\]`)
	}
	if v < 4 {
		drops = append(drops, `,"given_names":"[^"]*"`, `,"family_name":"[^"]*"`)
	}
	if v < 3 {
		drops = append(drops, `,"consent_at":(null|"[^"]*")`, `,"replaced_by":(null|[0-9]+)`, `\n"call_stages":\[[^\]]*\],`,
			`,\n"drafts":\[[^\]]*\]`, `,"identifier":"[^"]*"`, `,"identifier_system":"[^"]*"`)
	}
	for _, drop := range drops {
		doc = regexp.MustCompile(drop).ReplaceAllString(doc, "")
	}
	if v < 2 {
		doc = regexp.MustCompile(`,"review_reason":"(\\.|[^"\\])*"`).ReplaceAllString(doc, "")
	}
	return strings.Replace(doc, `"version":6`, fmt.Sprintf(`"version":%d`, v), 1)
}

// coachKey matches the coach's name on a record (version 6).
const coachKey = `,"coach":"(\\.|[^"\\])*"`

// TestImportJSONOlderVersions: an export written before version 6 has no
// coach's names; before version 5 no readings; before version 4 no given or family names; before version 3 (or 2) no call stages, consent
// times and replacements (nor review reasons). It imports, those empty,
// and exports again as version 6 with nothing else changed.
func TestImportJSONOlderVersions(t *testing.T) {
	src := newStore(t)
	exportSample(t, src)
	doc := string(exportJSON(t, src, ExportFilter{}))
	if !strings.Contains(doc, `"given_names":"Ann Marie","family_name":"O'Neil"`) {
		t.Fatalf("the sample has no given and family names:\n%s", doc)
	}
	if !strings.Contains(doc, `"entered_value":"180 lb"`) {
		t.Fatalf("the sample has no readings:\n%s", doc)
	}
	if !strings.Contains(doc, `"coach":"Jo \"JJ\" O'Hara, \u003cpeer\u003e"`) {
		t.Fatalf("the sample has no coach's names:\n%s", doc)
	}
	for _, v := range []int{1, 2, 3, 4, 5} {
		old := olderExport(doc, v)
		if strings.Contains(old, `"coach":`) || strings.Contains(old, "readings") != (v == 5) || strings.Contains(old, "given_names") != (v >= 4) || strings.Contains(old, "family_name") != (v >= 4) ||
			strings.Contains(old, "call_stages") != (v >= 3) || strings.Contains(old, "drafts") != (v >= 3) ||
			strings.Contains(old, "consent_at") != (v >= 3) || strings.Contains(old, "replaced_by") != (v >= 3) ||
			strings.Contains(old, "review_reason") != (v >= 2) || !strings.Contains(old, fmt.Sprintf(`"version":%d`, v)) {
			t.Fatalf("not a version %d document:\n%s", v, old)
		}
		dst := newStore(t)
		if _, err := importJSON(t, dst, []byte(old)); err != nil {
			t.Fatalf("ImportJSON of version %d: %v", v, err)
		}
		want := regexp.MustCompile(coachKey).ReplaceAllString(doc, `,"coach":""`)
		if v < 5 {
			want = regexp.MustCompile(`"readings":\[[^\]]*\]`).ReplaceAllString(want, `"readings":[]`)
		}
		if v < 4 {
			want = regexp.MustCompile(`"given_names":"[^"]*","family_name":"[^"]*"`).ReplaceAllString(want, `"given_names":"","family_name":""`)
		}
		if v < 3 {
			want = regexp.MustCompile(`"call_stages":\[[^\]]*\]`).ReplaceAllString(want, `"call_stages":[]`)
			want = regexp.MustCompile(`"drafts":\[[^\]]*\]`).ReplaceAllString(want, `"drafts":[]`)
			want = regexp.MustCompile(`"identifier":"[^"]*","identifier_system":"[^"]*"`).ReplaceAllString(want, `"identifier":"","identifier_system":""`)
		}
		if v < 2 {
			want = regexp.MustCompile(`,"review_reason":"(\\.|[^"\\])*"`).ReplaceAllString(want, `,"review_reason":""`)
		}
		if got := string(exportJSON(t, dst, ExportFilter{})); got != want {
			t.Fatalf("the export after importing version %d:\n%s\nwant\n%s", v, got, want)
		}
	}
	// Version 4 needs the given and family names.
	v4 := regexp.MustCompile(`,"family_name":"[^"]*"`).ReplaceAllString(olderExport(doc, 4), "")
	if _, err := importJSON(t, newStore(t), []byte(v4)); err == nil || !strings.Contains(err.Error(), `the key "family_name" is missing`) {
		t.Fatalf("a version 4 document without family_name: %v", err)
	}
	// Version 2 needs the review reason.
	v2 := regexp.MustCompile(`,"review_reason":"(\\.|[^"\\])*"`).ReplaceAllString(olderExport(doc, 2), "")
	if _, err := importJSON(t, newStore(t), []byte(v2)); err == nil || !strings.Contains(err.Error(), `the key "review_reason" is missing`) {
		t.Fatalf("a version 2 document without review_reason: %v", err)
	}
	// And an export and an import and an export again are the same.
	dst := newStore(t)
	if _, err := importJSON(t, dst, []byte(doc)); err != nil {
		t.Fatal(err)
	}
	if got := string(exportJSON(t, dst, ExportFilter{})); got != doc {
		t.Fatalf("export, import, export differ:\n%s\nwant\n%s", got, doc)
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

// Text that would command a terminal (OSC 52 sets the clipboard, OSC 0 the
// window title, ESC [2J clears the screen; C1 controls; bidirectional
// overrides) is refused wherever it is, naming the line of the file, the
// record and the field, and nothing is imported. Notes and other free
// text may hold line breaks and tabs; a person's fields may not.
func TestImportJSONRefusesUnsafeText(t *testing.T) {
	src := newStore(t)
	exportSample(t, src)
	doc := string(exportJSON(t, src, ExportFilter{}))
	var indented bytes.Buffer
	if err := json.Indent(&indented, []byte(doc), "", "  "); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		doc, old, new string
		want          string // after "line N: "
	}{
		{"OSC 52 in a name", doc, `"name":"Zoë 🌻 Brown"`, `"name":"Zoë \u001b]52;c;aGVsbG8=\u0007Brown"`,
			"people record 2 (id 2): the name field has ESC (U+001B) in it"},
		{"a raw override in a preferred name", doc, `"preferred_name":"Ann"`, "\"preferred_name\":\"Ann\u202e\"",
			"people record 1 (id 1): the preferred_name field has U+202E (a right-to-left or left-to-right override) in it"},
		{"a title in a family name", doc, `"family_name":"O'Neil"`, `"family_name":"O'Neil\u001b]0;x\u0007"`,
			"people record 1 (id 1): the family_name field has ESC (U+001B) in it"},
		{"a tab in given names", doc, `"given_names":"Ann Marie"`, `"given_names":"Ann\tMarie"`,
			"people record 1 (id 1): the given_names field has a tab (U+0009) in it"},
		{"a line break in a phone", doc, `"phone":"+44 20 7946 0000"`, `"phone":"+44 20\n7946 0000"`,
			"people record 1 (id 1): the phone field has a line break (U+000A) in it"},
		{"a screen clear in a note", doc, `"notes":"First call, went well."`, `"notes":"First call\u001b[2J, went well."`,
			"calls record 1 (id 1): the notes field has ESC (U+001B) in it"},
		{"a C1 control in a summary", doc, `"summary":"Plan: walk"`, `"summary":"Plan: \u009b2J walk"`,
			"calls record 1 (id 1): the summary field has a C1 control character (U+009B) in it"},
		{"a carriage return in a note", doc, `"notes":"First call, went well."`, `"notes":"First call,\r\nwent well."`,
			"calls record 1 (id 1): the notes field has a carriage return (U+000D) in it"},
		{"a title in a barrier", doc, `"barrier":"rain"`, `"barrier":"rain\u001b]0;owned\u0007"`,
			"plans record 1 (id 1): barriers 1: the barrier field has ESC (U+001B) in it"},
		{"an isolate in a review", doc, `"helped":"a friend came"`, `"helped":"a friend\u2066 came"`,
			"plans record 1 (id 1): reviews 1: the helped field has U+2066"},
		{"DEL in a quote", doc, `"quote":"I want to keep up with him, really."`, `"quote":"I want\u007f to"`,
			"change_talk record 1 (id 1): the quote field has DEL (U+007F) in it"},
		{"an override in a pretty-printed file", indented.String(), `"reason": "check, again"`, `"reason": "check\u202e, again"`,
			"follow_ups record 2 (id 2): the reason field has U+202E"},
		{"a raw ESC in a name", doc, `"name":"Zoë 🌻 Brown"`, "\"name\":\"Zoë \x1b]52;c;aGVsbG8=\x07Brown\"",
			"the file is not valid JSON there (invalid character '\\x1b' in string literal)"},
		{"a raw ESC, pretty-printed", indented.String(), `"phone": "+44 20 7946 0000"`, "\"phone\": \"+44\x1b[2J\"",
			"the file is not valid JSON there (invalid character '\\x1b' in string literal)"},
		{"a screen clear in a review, pretty-printed", indented.String(), `"got_in_way": "rain"`, `"got_in_way": "rain\u001b[2J"`,
			"plans record 1 (id 1): reviews 1: the got_in_way field has ESC (U+001B) in it"},
		{"a title in a safety note, pretty-printed", indented.String(), `"trigger": "coach"`, `"trigger": "coach\u001b]0;x\u0007"`,
			"safety_events record 1 (id 1): the trigger field has ESC (U+001B) in it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := strings.Index(tt.doc, tt.old)
			if i < 0 {
				t.Fatalf("%s is not in the document", tt.old)
			}
			line := 1 + strings.Count(tt.doc[:i], "\n")
			s := newStore(t)
			_, err := importJSON(t, s, []byte(strings.Replace(tt.doc, tt.old, tt.new, 1)))
			want := fmt.Sprintf("import: line %d: %s", line, tt.want)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("got %v, want an error with %q", err, want)
			}
			for _, table := range []string{"people", "calls", "action_plans", "plan_barriers", "plan_reviews", "change_talk", "follow_ups", "safety_events"} {
				if n := importRows(t, s, table); n != 0 {
					t.Errorf("%s has %d rows after a refused import", table, n)
				}
			}
		})
	}

	// Line breaks and tabs in free text are kept.
	s := newStore(t)
	multi := strings.Replace(doc, `"notes":"First call, went well."`, `"notes":"First call,\n\twent well."`, 1)
	multi = strings.Replace(multi, `"barrier":"rain"`, `"barrier":"rain,\nor wind"`, 1)
	if _, err := importJSON(t, s, []byte(multi)); err != nil {
		t.Fatalf("notes with a line break and a tab: %v", err)
	}
	var notes string
	if err := s.rw.QueryRow(`SELECT notes FROM calls WHERE id = 1`).Scan(&notes); err != nil || notes != "First call,\n\twent well." {
		t.Fatalf("notes = %q, %v", notes, err)
	}
}
