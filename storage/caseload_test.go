package storage

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

// smallCaseload stores a few people chosen to tell filters apart and
// returns their ids by a short key.
func smallCaseload(t *testing.T, s *Store) map[string]int64 {
	t.Helper()
	people := []struct {
		key string
		p   coaching.Person
	}{
		// Inserted out of name order, so the sort is the query's doing.
		{"zed", coaching.Person{Name: "Zed 100% Effort"}},
		{"sam2", coaching.Person{Name: "Sam Lee", Phone: "07700 900123"}},
		{"alice", coaching.Person{Name: "alice jones", PreferredName: "Al", Phone: "020 7946 0002", Conditions: []string{"type 2 diabetes", "hypertension"}}},
		{"adam", coaching.Person{Name: "Adam Smith", Phone: "+44 20 7946 0001", Conditions: []string{"COPD"}}},
		{"annx", coaching.Person{Name: "AnnXLee"}},
		{"bob", coaching.Person{Name: "Bob Brown", PreferredName: "Bobby", Phone: "0161 496 0003", Conditions: []string{"asthma"}}},
		{"ann_", coaching.Person{Name: "Ann_Lee"}},
		{"dee", coaching.Person{Name: `Dee \ Dee`}},
		{"elodie", coaching.Person{Name: "Élodie Martin", Conditions: []string{"chronic pain"}}},
		{"mariam", coaching.Person{Name: "مريم الحسن", PreferredName: "مريم"}},
		{"sam3", coaching.Person{Name: "sam lee", Status: coaching.StatusClosed}},
	}
	ids := map[string]int64{}
	for _, p := range people {
		ids[p.key] = createPerson(t, s, p.p)
	}
	return ids
}

// byName is smallCaseload's people in the order Caseload lists them:
// ASCII case folded, then id; non-ASCII letters sort after Z.
var byName = []string{"adam", "alice", "ann_", "annx", "bob", "dee", "sam2", "sam3", "zed", "elodie", "mariam"}

func keysOf(t *testing.T, ids map[string]int64, rows []CaseloadRow) []string {
	t.Helper()
	byID := map[int64]string{}
	for k, id := range ids {
		byID[id] = k
	}
	var out []string
	for _, r := range rows {
		out = append(out, byID[r.ID])
	}
	return out
}

func TestCaseloadFilter(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ids := smallCaseload(t, s)
	tests := []struct {
		name, filter string
		want         []string
	}{
		{"empty", "", byName},
		{"only spaces", "   ", byName},
		{"name, other case", "ALICE", []string{"alice"}},
		{"name, surrounding space", "  bob  ", []string{"bob"}},
		{"name, middle", "lee", []string{"ann_", "annx", "sam2", "sam3"}},
		{"preferred name", "bobby", []string{"bob"}},
		{"condition", "Diabetes", []string{"alice"}},
		{"condition, short", "copd", []string{"adam"}},
		{"phone with spaces", "020 7946", []string{"alice"}},
		{"phone as digits", "0207946", []string{"alice"}},
		{"phone as typed elsewhere", "(020) 7946-0002", []string{"alice"}},
		{"phone, shared digits", "7946", []string{"adam", "alice"}},
		{"phone, international", "+44 20", []string{"adam"}},
		{"underscore is literal", "n_L", []string{"ann_"}},
		{"percent then text", "% eff", []string{"zed"}},
		{"backslash is literal", `\ D`, []string{"dee"}},
		{"quote is literal", `"Dee`, nil},
		{"FTS syntax is literal", "Lee OR", nil},
		{"digits in a name", "100%", []string{"zed"}},
		{"non-ASCII, same case", "Élodie", []string{"elodie"}},
		{"non-ASCII, other case", "éLODIE", []string{"elodie"}},
		{"one letter: start of name", "a", []string{"adam", "alice", "ann_", "annx"}},
		{"two letters: start of name, any case", "SA", []string{"sam2", "sam3"}},
		{"two letters: not inside a name", "ee", nil},
		{"short percent is literal", "%", nil},
		{"short underscore is literal", "_", nil},
		{"short backslash is literal", `\`, nil},
		{"short non-ASCII", "مر", []string{"mariam"}},
		{"right to left", "مريم", []string{"mariam"}},
		{"no match", "zzz", nil},
		{"digits, no match", "999999", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.Caseload(ctx, CaseloadQuery{Filter: tt.filter})
			if err != nil {
				t.Fatal(err)
			}
			if got := keysOf(t, ids, rows); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Caseload(%q) = %v, want %v", tt.filter, got, tt.want)
			}
			n, err := s.CountCaseload(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(tt.want) {
				t.Errorf("CountCaseload(%q) = %d, want %d", tt.filter, n, len(tt.want))
			}
		})
	}
}

func TestCaseloadRowFields(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	id := createPerson(t, s, coaching.Person{Name: "Bob Brown", PreferredName: "Bobby", Phone: "0161 496 0003",
		Conditions: []string{"asthma", "COPD"}, Status: coaching.StatusPaused})
	rows, err := s.Caseload(ctx, CaseloadQuery{})
	if err != nil {
		t.Fatal(err)
	}
	want := []CaseloadRow{{ID: id, Name: "Bob Brown", PreferredName: "Bobby", Phone: "0161 496 0003",
		Conditions: []string{"asthma", "COPD"}, Status: coaching.StatusPaused, LastConfidence: coaching.NoScore}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got  %+v\nwant %+v", rows, want)
	}
}

func TestCaseloadCallColumns(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	type call struct {
		start   time.Duration // after t0
		outcome coaching.Outcome
	}
	tests := []struct {
		name  string
		calls []call
		want  CaseloadRow
	}{
		{"never called", nil, CaseloadRow{}},
		{"two ended calls", []call{{0, coaching.OutcomeReached}, {time.Hour, coaching.OutcomeVoicemail}},
			CaseloadRow{LastCallAt: t0.Add(time.Hour), LastOutcome: coaching.OutcomeVoicemail, Calls: 2}},
		{"newest unfinished", []call{{0, coaching.OutcomeReached}, {time.Hour, coaching.OutcomeNone}},
			CaseloadRow{LastCallAt: t0.Add(time.Hour), LastOutcome: coaching.OutcomeNone, OpenCall: true, Calls: 2}},
		{"older unfinished", []call{{0, coaching.OutcomeNone}, {time.Hour, coaching.OutcomeDeclined}},
			CaseloadRow{LastCallAt: t0.Add(time.Hour), LastOutcome: coaching.OutcomeDeclined, OpenCall: true, Calls: 2}},
		{"started out of order", []call{{2 * time.Hour, coaching.OutcomeNoAnswer}, {time.Hour, coaching.OutcomeReached}},
			CaseloadRow{LastCallAt: t0.Add(2 * time.Hour), LastOutcome: coaching.OutcomeNoAnswer, Calls: 2}},
		{"same second: the later call is newer", []call{{0, coaching.OutcomeReached}, {0, coaching.OutcomeNoAnswer}},
			CaseloadRow{LastCallAt: t0, LastOutcome: coaching.OutcomeNoAnswer, Calls: 2}},
		{"five calls", []call{{0, "reached"}, {1, "reached"}, {2 * time.Hour, "rescheduled"}, {3, "reached"}, {4, "reached"}},
			CaseloadRow{LastCallAt: t0.Add(2 * time.Hour), LastOutcome: coaching.OutcomeRescheduled, Calls: 5}},
	}
	for _, tt := range tests {
		pid := createPerson(t, s, coaching.Person{Name: tt.name})
		for _, c := range tt.calls {
			started, err := s.StartCall(ctx, pid, coaching.RoleCoach, t0.Add(c.start))
			if err != nil {
				t.Fatal(err)
			}
			if c.outcome != coaching.OutcomeNone {
				if err := s.EndCall(ctx, started.ID, c.outcome, t0.Add(c.start+time.Minute)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.Caseload(ctx, CaseloadQuery{Filter: tt.name})
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 {
				t.Fatalf("%d rows for %q", len(rows), tt.name)
			}
			r := rows[0]
			got := CaseloadRow{LastCallAt: r.LastCallAt, LastOutcome: r.LastOutcome, OpenCall: r.OpenCall, Calls: r.Calls}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestCaseloadPaging(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	ids := smallCaseload(t, s)

	var all []string
	for offset := 0; offset < len(byName); offset += 3 {
		rows, err := s.Caseload(ctx, CaseloadQuery{Offset: offset, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if want := min(3, len(byName)-offset); len(rows) != want {
			t.Errorf("page at %d has %d rows, want %d", offset, len(rows), want)
		}
		all = append(all, keysOf(t, ids, rows)...)
	}
	if !reflect.DeepEqual(all, byName) {
		t.Errorf("pages together = %v, want %v", all, byName)
	}

	for _, tt := range []struct {
		q    CaseloadQuery
		want []string
	}{
		{CaseloadQuery{Offset: len(byName)}, nil},
		{CaseloadQuery{Offset: 1000}, nil},
		{CaseloadQuery{Offset: -5, Limit: 2}, byName[:2]},
		{CaseloadQuery{Filter: "lee", Offset: 1, Limit: 2}, []string{"annx", "sam2"}},
	} {
		rows, err := s.Caseload(ctx, tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := keysOf(t, ids, rows); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%+v: got %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestCaseloadLimits(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	seedCaseload(t, s, 600, 7)
	if n, err := s.CountCaseload(ctx, ""); err != nil || n != 600 {
		t.Fatalf("count = %d, %v; want 600", n, err)
	}
	for _, tt := range []struct{ limit, want int }{
		{0, DefaultCaseloadLimit},
		{-1, DefaultCaseloadLimit},
		{10, 10},
		{MaxCaseloadLimit, MaxCaseloadLimit},
		{MaxCaseloadLimit + 1, MaxCaseloadLimit},
		{100_000, MaxCaseloadLimit},
	} {
		rows, err := s.Caseload(ctx, CaseloadQuery{Limit: tt.limit})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != tt.want {
			t.Errorf("limit %d: %d rows, want %d", tt.limit, len(rows), tt.want)
		}
	}
	// A full page is in order: case-insensitive name, then id.
	rows, err := s.Caseload(ctx, CaseloadQuery{Limit: MaxCaseloadLimit})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(rows); i++ {
		a, b := strings.ToLower(rows[i-1].Name), strings.ToLower(rows[i].Name)
		if a > b || a == b && rows[i-1].ID > rows[i].ID {
			t.Fatalf("rows %d and %d out of order: %q (%d), %q (%d)", i-1, i, rows[i-1].Name, rows[i-1].ID, rows[i].Name, rows[i].ID)
		}
	}
}

// TestCaseloadQueryPlan guards the promise that a page does not cost the
// whole caseload: with no filter or a short one, people are walked in
// people_name order (no sort); a longer filter is looked up in the trigram
// index and only its matches are read and sorted; calls are only ever
// searched by index, never scanned.
func TestCaseloadQueryPlan(t *testing.T) {
	s := newStore(t)
	seedCaseload(t, s, 200, 3)
	for _, filter := range []string{"", "an", "ann", "020"} {
		where, args, err := caseloadWhere(CaseloadQuery{Filter: filter})
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, 30, 0)
		rows, err := s.ro.Query("EXPLAIN QUERY PLAN "+caseloadSQL(where, SectionAll), args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		page := -1
		walksIndex, usesSearch := false, false
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
			switch {
			case detail == "CO-ROUTINE page" || detail == "MATERIALIZE page":
				page = id
			case parent == page && strings.HasPrefix(detail, "USE TEMP B-TREE") && len(filter) < 3:
				t.Errorf("filter %q: the page sorts every person", filter)
			case parent == page && strings.Contains(detail, "USING INDEX people_name"):
				walksIndex = true
			case strings.HasPrefix(detail, "SCAN people_search VIRTUAL TABLE INDEX"):
				usesSearch = true
			case detail == "SCAN p":
				t.Errorf("filter %q: every person scanned", filter)
			case strings.HasPrefix(detail, "SCAN c") || strings.HasPrefix(detail, "SCAN calls"):
				t.Errorf("filter %q: calls scanned: %s", filter, detail)
			}
		}
		rows.Close()
		if len(filter) < 3 && !walksIndex {
			t.Errorf("filter %q: page not read through people_name; plan:\n%s", filter, strings.Join(plan, "\n"))
		}
		if len(filter) >= 3 && !usesSearch {
			t.Errorf("filter %q: trigram index not used; plan:\n%s", filter, strings.Join(plan, "\n"))
		}
	}
}

// TestCaseloadSearchFollowsEdits checks the triggers keep the trigram index
// in step with people: an edited name is found by its new words only.
func TestCaseloadSearchFollowsEdits(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	id := createPerson(t, s, coaching.Person{Name: "Margaret Okafor", Conditions: []string{"COPD"}})
	p, err := s.GetPerson(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	p.Name, p.Conditions = "Maggie Brown", []string{"asthma"}
	if err := s.UpdatePerson(ctx, p, time.Now()); err != nil {
		t.Fatal(err)
	}
	for filter, want := range map[string]int{"okafor": 0, "copd": 0, "brown": 1, "asthma": 1, "Mag": 1} {
		if n, err := s.CountCaseload(ctx, filter); err != nil || n != want {
			t.Errorf("CountCaseload(%q) = %d, %v; want %d", filter, n, err, want)
		}
	}
	if _, err := s.rw.Exec("DELETE FROM people WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountCaseload(ctx, "brown"); err != nil || n != 0 {
		t.Errorf("after delete: CountCaseload = %d, %v", n, err)
	}
	if _, err := s.rw.Exec("INSERT INTO people_search(people_search) VALUES ('integrity-check')"); err != nil {
		t.Errorf("search index integrity: %v", err)
	}
}

func TestDueSection(t *testing.T) {
	tests := []struct {
		d    coaching.DueState
		want Section
	}{
		{coaching.Overdue, SectionOverdue},
		{coaching.DueToday, SectionDueToday},
		{coaching.Upcoming, SectionUpcoming},
	}
	for _, tc := range tests {
		if got := DueSection(tc.d); got != tc.want {
			t.Errorf("DueSection(%v) = %v, want %v", tc.d, got, tc.want)
		}
	}
}
