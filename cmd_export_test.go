package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/storage"
)

// exportCaseload makes a database at path with the named people, each with
// one call, and returns their ids.
func exportCaseload(t *testing.T, path string, names ...string) []int64 {
	t.Helper()
	ctx := context.Background()
	s, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []int64
	for _, name := range names {
		p := coaching.Person{Name: name}
		if err := p.Normalize(time.LoadLocation); err != nil {
			t.Fatal(err)
		}
		id, err := s.CreatePerson(ctx, p, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.StartCall(ctx, id, coaching.RoleCoach, time.Now()); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

type exportedDoc struct {
	Format  string           `json:"format"`
	Version int              `json:"version"`
	People  []map[string]any `json:"people"`
	Calls   []map[string]any `json:"calls"`
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestExportJSONCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	ids := exportCaseload(t, db, "Ann", "Bea")

	out, errOut, code := runMain(t, "export", "--format", "json", "--db", db)
	var doc exportedDoc
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil {
		t.Fatalf("json to stdout: %d %q %q", code, out, errOut)
	}
	if doc.Format != "callcoach-export" || doc.Version != storage.ExportVersion || len(doc.People) != 2 || len(doc.Calls) != 2 {
		t.Fatalf("document: %+v", doc)
	}

	file := filepath.Join(dir, "ann.json")
	_, errOut, code = runMain(t, "export", "--format=json", "--person", "1", "--out", file, "--db", db)
	if code != 0 || !strings.Contains(errOut, "Exported to "+file) {
		t.Fatalf("json to a file: %d %q", code, errOut)
	}
	b, _ := os.ReadFile(file)
	doc = exportedDoc{}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.People) != 1 || doc.People[0]["id"] != float64(ids[0]) {
		t.Fatalf("--person: %v %+v", err, doc)
	}
	if info, _ := os.Stat(file); info.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", info.Mode().Perm())
	}

	// A second export to the same file is refused and changes nothing.
	_, errOut, code = runMain(t, "export", "--format", "json", "--out", file, "--db", db)
	if code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("existing file: %d %q", code, errOut)
	}
	if again, _ := os.ReadFile(file); string(again) != string(b) {
		t.Fatal("the existing file changed")
	}

	// --since tomorrow leaves the people but no calls.
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	out, _, code = runMain(t, "export", "--format", "json", "--since", tomorrow, "--db", db)
	doc = exportedDoc{}
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || len(doc.People) != 2 || len(doc.Calls) != 0 {
		t.Fatalf("--since: %d %+v", code, doc)
	}
	if got := entries(t, dir); !slices.Equal(got, []string{"ann.json", "callcoach.db", "callcoach.db-shm", "callcoach.db-wal"}) &&
		!slices.Equal(got, []string{"ann.json", "callcoach.db"}) {
		t.Errorf("left behind: %v", got)
	}
}

func TestExportFHIRCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	exportCaseload(t, db, "Ann", "Bea")

	type bundle struct {
		ResourceType string `json:"resourceType"`
		Type         string `json:"type"`
		Entry        []struct {
			FullURL  string         `json:"fullUrl"`
			Resource map[string]any `json:"resource"`
		} `json:"entry"`
	}
	count := func(b bundle, rt string) int {
		n := 0
		for _, e := range b.Entry {
			if e.Resource["resourceType"] == rt {
				n++
			}
		}
		return n
	}
	out, errOut, code := runMain(t, "export", "--format", "fhir", "--db", db)
	var doc bundle
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil {
		t.Fatalf("fhir to stdout: %d %q %q", code, out, errOut)
	}
	if doc.ResourceType != "Bundle" || doc.Type != "collection" || count(doc, "Patient") != 2 || count(doc, "Encounter") != 2 {
		t.Fatalf("bundle: %+v", doc)
	}

	file := filepath.Join(dir, "ann.fhir.json")
	_, errOut, code = runMain(t, "export", "--format", "fhir", "--person", "1", "--out", file, "--db", db)
	if code != 0 || !strings.Contains(errOut, "Exported to "+file) {
		t.Fatalf("fhir to a file: %d %q", code, errOut)
	}
	b, _ := os.ReadFile(file)
	doc = bundle{}
	if err := json.Unmarshal(b, &doc); err != nil || count(doc, "Patient") != 1 || count(doc, "Encounter") != 1 {
		t.Fatalf("--person: %v %+v", err, doc)
	}
	_, errOut, code = runMain(t, "export", "--format", "fhir", "--out", file, "--db", db)
	if code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("existing file: %d %q", code, errOut)
	}
}

func TestExportCSVCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	exportCaseload(t, db, "Ann, \"Annie\"", "Bea")
	out := filepath.Join(dir, "csv")

	_, errOut, code := runMain(t, "export", "--format", "csv", "--out", out, "--db", db)
	if code != 0 {
		t.Fatalf("csv: %d %q", code, errOut)
	}
	if got, want := entries(t, out), slices.Sorted(slices.Values(storage.ExportCSVFiles())); !slices.Equal(got, want) {
		t.Fatalf("files %v, want %v", got, want)
	}
	if info, _ := os.Stat(out); info.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v, want 0700", info.Mode().Perm())
	}
	people, _ := os.ReadFile(filepath.Join(out, "people.csv"))
	if !strings.Contains(string(people), `"Ann, ""Annie"""`) {
		t.Errorf("people.csv: %s", people)
	}

	// The folder exists now: a second export is refused.
	_, errOut, code = runMain(t, "export", "--format", "csv", "--out", out, "--db", db)
	if code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("existing folder: %d %q", code, errOut)
	}
}

func TestExportCommandRefuses(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	exportCaseload(t, db, "Ann")
	// A path under a plain file cannot be written, even by root.
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		says     string
		wantPath string // must not exist afterwards
	}{
		{"unknown format", []string{"--format", "xml"}, 2, `unknown export format "xml"`, ""},
		{"no format", nil, 2, "--format csv, json, fhir or ics", ""},
		{"ics since", []string{"--format", "ics", "--since", "2026-11-01"}, 2, "--since is not for --format ics", ""},
		{"unwritable fhir", []string{"--format", "fhir", "--out", filepath.Join(plain, "x.json")}, 1, "cannot export to", filepath.Join(plain, "x.json")},
		{"csv without out", []string{"--format", "csv"}, 2, "--out DIR", ""},
		{"bad date", []string{"--format", "json", "--since", "1/11/2026"}, 2, "YYYY-MM-DD", ""},
		{"bad person", []string{"--format", "json", "--person", "Ann"}, 2, "person's number", ""},
		{"unknown person", []string{"--format", "fhir", "--person", "999"}, 1, "no person number 999", ""},
		{"bundle for json", []string{"--format", "json", "--bundle", "transaction"}, 2, "--bundle is collection or transaction, for --format fhir only", ""},
		{"unknown bundle", []string{"--format", "fhir", "--bundle", "batch"}, 2, "--bundle is collection or transaction", ""},
		{"no database", []string{"--format", "json", "--db", filepath.Join(dir, "none.db")}, 1, "no database", ""},
		{"unwritable csv", []string{"--format", "csv", "--out", filepath.Join(plain, "csv")}, 1, "cannot export to", filepath.Join(plain, "csv")},
		{"unwritable json", []string{"--format", "json", "--out", filepath.Join(plain, "x.json")}, 1, "cannot export to", filepath.Join(plain, "x.json")},
		{"missing folder", []string{"--format", "json", "--out", filepath.Join(dir, "no", "x.json")}, 1, "nothing was written", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"export"}, tt.args...)
			if !slices.Contains(tt.args, "--db") {
				args = append(args, "--db", db)
			}
			out, errOut, code := runMain(t, args...)
			if code != tt.code || !strings.Contains(errOut, tt.says) || out != "" {
				t.Fatalf("%v: %d %q %q", tt.args, code, out, errOut)
			}
			if tt.wantPath != "" {
				if _, err := os.Lstat(tt.wantPath); err == nil {
					t.Errorf("%s was made", tt.wantPath)
				}
			}
		})
	}
	if got := entries(t, dir); !slices.Equal(got, []string{"callcoach.db", "plain"}) &&
		!slices.Equal(got, []string{"callcoach.db", "callcoach.db-shm", "callcoach.db-wal", "plain"}) {
		t.Errorf("left behind: %v", got)
	}
}

// formulaPeople are people whose fields a spreadsheet would run as
// formulas, or that look like the escape for one.
var formulaPeople = []coaching.Person{
	{Name: `=HYPERLINK("https://example.com/x","Ann")`, Phone: "+44 20 7946 0000", Conditions: []string{"-", "COPD"}},
	{Name: "'=not a formula", PreferredName: "'Bo", Phone: "(555) 010-2000", CallTimes: "-", Status: coaching.StatusPaused},
	{Name: "@Cy", CommunicationNeeds: "=1+1", Consent: true, ConsentDate: "2026-01-15"},
	{Name: "-Di", PreferredName: "+Di", TimeZone: "Europe/London", GivenNames: "Di Ann", FamilyName: "-Ross"},
}

// peopleRecords is the people of the database at db as a JSON export
// gives them, without the times they were added and changed.
func peopleRecords(t *testing.T, db string) []map[string]any {
	t.Helper()
	out, errOut, code := runMain(t, "export", "--format", "json", "--db", db)
	var doc exportedDoc
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil {
		t.Fatalf("export %s: %d %q", db, code, errOut)
	}
	for _, p := range doc.People {
		delete(p, "created_at")
		delete(p, "updated_at")
	}
	return doc.People
}

func TestExportCSVFormulasRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	ctx := context.Background()
	s, err := storage.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range formulaPeople {
		if err := p.Normalize(time.LoadLocation); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreatePerson(ctx, p, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	out := filepath.Join(dir, "csv")
	if _, errOut, code := runMain(t, "export", "--format", "csv", "--out", out, "--db", db); code != 0 {
		t.Fatalf("export: %d %q", code, errOut)
	}
	people, _ := os.ReadFile(filepath.Join(out, "people.csv"))
	for _, want := range []string{`,"'=HYPERLINK(""https://example.com/x"",""Ann"")",`, ",'+44 20 7946 0000,", `,"'-, COPD",`,
		",''=not a formula,'Bo,", ",'@Cy,", ",'=1+1,", ",'-Di,'+Di,", ",Di Ann,'-Ross\r\n"} {
		if !strings.Contains(string(people), want) {
			t.Errorf("people.csv lacks %s:\n%s", want, people)
		}
	}
	for _, line := range strings.SplitAfter(string(people), "\n") {
		if line != "" && !strings.HasSuffix(line, "\r\n") {
			t.Errorf("line without CRLF: %q", line)
		}
	}

	// Imported into a new database, every field comes back as it was.
	fresh := filepath.Join(dir, "fresh.db")
	if out, errOut, code := runMain(t, "import", filepath.Join(out, "people.csv"), "--db", fresh); code != 0 || out != "Imported 4 people (0 already on the caseload).\n" {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	if a, b := peopleRecords(t, db), peopleRecords(t, fresh); !reflect.DeepEqual(a, b) {
		t.Errorf("people differ after export and import:\n%v\n%v", a, b)
	}

	// --raw writes the cells as they are stored.
	raw := filepath.Join(dir, "raw")
	if _, errOut, code := runMain(t, "export", "--format", "csv", "--raw", "--out", raw, "--db", db); code != 0 {
		t.Fatalf("export --raw: %d %q", code, errOut)
	}
	people, _ = os.ReadFile(filepath.Join(raw, "people.csv"))
	for _, want := range []string{`,"=HYPERLINK(""https://example.com/x"",""Ann"")",`, ",+44 20 7946 0000,", ",'=not a formula,'Bo,", ",@Cy,"} {
		if !strings.Contains(string(people), want) {
			t.Errorf("raw people.csv lacks %s:\n%s", want, people)
		}
	}
	if _, errOut, code := runMain(t, "export", "--format", "json", "--raw", "--db", db); code != 2 || !strings.Contains(errOut, "--raw") {
		t.Errorf("--raw with json: %d %q", code, errOut)
	}
}

// TestExportClearsLeftoversOfKilledExports: the hidden working file of an
// export whose process died is removed by the next export into that
// folder; one of a process still running is not.
func TestExportClearsLeftoversOfKilledExports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	exportCaseload(t, db, "Ann")
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Skipf("cannot start a process: %v", err)
	}
	p.Wait()
	dead := filepath.Join(dir, fmt.Sprintf(".callcoach-export-p%d-123.json", p.Pid))
	running := filepath.Join(dir, fmt.Sprintf(".callcoach-export-p%d-456.json", os.Getppid()))
	for _, f := range []string{dead, running} {
		if err := os.WriteFile(f, []byte("half a document"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, errOut, code := runMain(t, "export", "--format", "json", "--out", filepath.Join(dir, "out.json"), "--db", db); code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	if _, err := os.Stat(dead); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a killed export's leftover is still there: %v", err)
	}
	if _, err := os.Stat(running); err != nil {
		t.Errorf("a running process's working file was removed: %v", err)
	}
}

// TestExportCSVToAFolderNamedWithASlash: --out records/ is the folder
// records, as a shell's completion writes it.
func TestExportCSVToAFolderNamedWithASlash(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	exportCaseload(t, db, "Ann")
	out := filepath.Join(dir, "records") + string(filepath.Separator)
	if _, errOut, code := runMain(t, "export", "--format", "csv", "--out", out, "--db", db); code != 0 {
		t.Fatalf("export to %s: %d %s", out, code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "records", "people.csv")); err != nil {
		t.Fatal(err)
	}
}
