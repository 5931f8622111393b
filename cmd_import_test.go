package main

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"callcoach/coaching"
	_ "callcoach/storage" // registers the sqlite driver
)

func writeCSV(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// countPeople counts the people in the database at path (0 if there is none).
func countPeople(t *testing.T, path string) int {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return 0
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM people").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

const goodCSV = "\ufeffName,phone,Conditions,time zone,consent,consent_date,preferred_name\n" +
	"Ann Smith,+44 20 7946 0000,\"diabetes; hypertension\",Europe/London,yes,2026-01-15,Annie\n" +
	"Bo Lee,,,,no,,\n" +
	"\n" +
	"Cy Park,(555) 010-2000,\"asthma, COPD\",America/Chicago,,,\n"

func TestImportGoodFileTwice(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	file := writeCSV(t, goodCSV)
	out, errOut, code := runMain(t, "import", file, "--db", db)
	if code != 0 || out != "Imported 3 people (0 already on the caseload).\n" {
		t.Fatalf("first import: %d %q %q", code, out, errOut)
	}
	out, errOut, code = runMain(t, "import", "--db", db, file)
	if code != 0 || out != "Imported 0 people (3 already on the caseload).\n" {
		t.Fatalf("second import: %d %q %q", code, out, errOut)
	}
	if n := countPeople(t, db); n != 3 {
		t.Fatalf("%d people, want 3", n)
	}
}

func TestImportDryRun(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	first := writeCSV(t, "name,phone\nAnn Smith,0123\n")
	if _, errOut, code := runMain(t, "import", first, "--db", db); code != 0 {
		t.Fatalf("import: %d %q", code, errOut)
	}
	file := writeCSV(t, "name,phone\nann smith,01-23\nBo Lee,\n")
	out, errOut, code := runMain(t, "import", file, "--dry-run", "--db", db)
	want := "line 2: already on the caseload: ann smith\nline 3: would add Bo Lee\n" +
		"Dry run: 1 would be imported, 1 is already on the caseload. Nothing was changed.\n"
	if code != 0 || out != want {
		t.Fatalf("dry run: %d %q %q", code, out, errOut)
	}
	if n := countPeople(t, db); n != 1 {
		t.Fatalf("%d people after a dry run, want 1", n)
	}
}

// TestImportDryRunCreatesNoFile: a dry run against a file that does not
// exist yet says everyone would be added, and leaves no file (nor its
// folder) behind; against an existing file it changes no byte of it.
func TestImportDryRunCreatesNoFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not-yet")
	db := filepath.Join(dir, "c.db")
	file := writeCSV(t, "name,phone\nAnn Smith,0123\n")
	out, errOut, code := runMain(t, "import", file, "--dry-run", "--db", db)
	if code != 0 || !strings.Contains(out, "line 2: would add Ann Smith") {
		t.Fatalf("dry run: %d %q %q", code, out, errOut)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a dry run left %s behind (%v)", dir, err)
	}
	if _, errOut, code := runMain(t, "import", file, "--db", db); code != 0 {
		t.Fatalf("import: %d %q", code, errOut)
	}
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runMain(t, "import", file, "--dry-run", "--db", db); code != 0 {
		t.Fatalf("dry run: %d %q", code, errOut)
	}
	if after, err := os.ReadFile(db); err != nil || !bytes.Equal(before, after) {
		t.Fatalf("a dry run changed the file (%v)", err)
	}
}

func TestImportBadRowsAddNobody(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	file := writeCSV(t, "name,phone,time_zone,consent\n"+
		"Ann Smith,0123,Europe/London,yes\n"+
		",0123,,\n"+
		"Bo Lee,call me,,\n"+
		"Cy Park,0123,,maybe\n"+
		"Di Ross,0123,,no\n"+
		"Ed Fox,0123,Mars/Base,no\n"+
		"Flo Nunn,0123\n")
	out, errOut, code := runMain(t, "import", file, "--db", db)
	for _, want := range []string{
		"line 3: a name is needed",
		"line 4: phone should have only digits",
		`line 5: consent "maybe" should be yes or no`,
		`line 7: time zone "Mars/Base" is not a known time zone`,
		"line 8: 2 fields, but the header has 4 columns",
		"5 lines with problems; nobody was added",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("missing %q in:\n%s", want, errOut)
		}
	}
	if code != 1 || out != "" || countPeople(t, db) != 0 {
		t.Fatalf("code %d, out %q, people %d", code, out, countPeople(t, db))
	}
	out, _, code = runMain(t, "import", file, "--db", db, "--dry-run")
	if code != 1 || !strings.Contains(out, "Dry run: 2 would be imported, 0 are already on the caseload, 5 lines have problems. Nothing was changed.") {
		t.Fatalf("dry run with problems: %d %q", code, out)
	}
	if n := countPeople(t, db); n != 0 {
		t.Fatalf("%d people after refused imports", n)
	}
}

// TestImportReportsEveryProblemOfALine: a line with several problems
// names them all in one run, so the file is fixed in one go.
func TestImportReportsEveryProblemOfALine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	file := writeCSV(t, "name,phone,time_zone,consent,consent_date,status\n"+
		",call me,Mars/Base,no,2026-01-15,gone\n")
	_, errOut, code := runMain(t, "import", file, "--db", db)
	want := "people.csv: line 2: a name is needed (anything the coach will recognise)\n" +
		"people.csv: line 2: phone should have only digits, spaces and + ( ) - ., e.g. +44 20 7946 0000\n" +
		"people.csv: line 2: time zone \"Mars/Base\" is not a known time zone; use a name like Europe/London or America/Chicago\n" +
		"people.csv: line 2: status must be active, paused or closed\n" +
		"people.csv: line 2: a consent date needs consent set to yes\n" +
		"1 line with problems; nobody was added."
	errOut = strings.ReplaceAll(errOut, filepath.Dir(file)+string(filepath.Separator), "")
	if code != 1 || !strings.Contains(errOut, want) {
		t.Fatalf("code %d, stderr:\n%s\nwant the line:\n%s", code, errOut, want)
	}
}

func TestImportRefusesUnreadableFiles(t *testing.T) {
	huge := "name\n" + "Ann\n" + strings.Repeat("x", 1<<20) + "\n"
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "the file is empty"},
		{"unknown columns", "name,phone,email,Postcode\n", `line 1: unknown columns "email", "Postcode"; the columns are name,`},
		{"no name", "phone\n0123\n", "line 1: there is no name column"},
		{"repeated column", "name,phone,Phone\n", `line 1: the column "phone" appears twice`},
		{"bad quoting", "name,phone\nAnn,0123\n\"Bo \"Lee\",0123\n", "line 3: a quote is out of place"},
		{"unterminated quote", "name,phone\nAnn,0123\n\"Bo Lee,0123\n", "line 3: a quote is out of place"},
		{"huge line", huge, "line 3 is longer than 64 KB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "c.db")
			out, errOut, code := runMain(t, "import", writeCSV(t, tt.text), "--db", db)
			if code != 1 || out != "" || !strings.Contains(errOut, tt.want) || !strings.Contains(errOut, "Nobody was added") {
				t.Fatalf("code %d, out %q, err %q; want %q", code, out, errOut, tt.want)
			}
			if n := countPeople(t, db); n != 0 {
				t.Fatalf("%d people", n)
			}
		})
	}
}

func TestImportInvalidUTF8(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	out, errOut, code := runMain(t, "import", writeCSV(t, "name,phone\nAnn,0123\nB\xffo,0123\n"), "--db", db)
	if code != 1 || out != "" || !strings.Contains(errOut, "line 3: the name column is not valid UTF-8") || countPeople(t, db) != 0 {
		t.Fatalf("code %d, out %q, err %q", code, out, errOut)
	}
}

func TestImportUsage(t *testing.T) {
	if _, errOut, code := runMain(t, "import", "--help"); code != 0 || !strings.Contains(errOut, "consent_date") {
		t.Fatalf("help: %d %q", code, errOut)
	}
	if _, errOut, code := runMain(t, "import"); code != 2 || !strings.Contains(errOut, "needs one CSV FILE") {
		t.Fatalf("no file: %d %q", code, errOut)
	}
	if _, errOut, code := runMain(t, "import", filepath.Join(t.TempDir(), "missing.csv")); code != 1 || !strings.Contains(errOut, "no such file") {
		t.Fatalf("missing file: %d %q", code, errOut)
	}
}

// TestDemoPeople lives here beside the other runMain tests of made-up
// caseloads: demo --people builds a file and exits without opening the TUI.
func TestDemoPeople(t *testing.T) {
	db := filepath.Join(t.TempDir(), "big.db")
	out, errOut, code := runMain(t, "demo", "--people", "30", "--calls-per-person", "2", "--db", db)
	if code != 0 || !strings.Contains(out, "Made up 30 people with 2 calls each") {
		t.Fatalf("demo --people: %d %q %q", code, out, errOut)
	}
	if n := countPeople(t, db); n != 30 {
		t.Fatalf("%d people, want 30", n)
	}
	if _, errOut, code := runMain(t, "demo", "--people", "5", "--db", db); code != 1 || !strings.Contains(errOut, "add --reset") {
		t.Fatalf("over an existing file: %d %q", code, errOut)
	}
	if _, errOut, code := runMain(t, "demo", "--people", "5", "--reset", "--db", db); code != 0 || countPeople(t, db) != 5 {
		t.Fatalf("--reset: %d %q", code, errOut)
	}
}

func TestImportJSONExport(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src.db"), filepath.Join(dir, "dst.db")
	exportCaseload(t, src, "Ann Smith", "Bo Lee")
	file := filepath.Join(dir, "caseload.export")
	if _, errOut, code := runMain(t, "export", "--format", "json", "--out", file, "--db", src); code != 0 {
		t.Fatalf("export: %d %q", code, errOut)
	}
	out, errOut, code := runMain(t, "import", "--format", "json", file, "--db", dst)
	want := "Imported 2 people, 2 calls, 0 plans, 0 rulers, 0 change talk quotes, 0 tally marks, 0 measures, 0 readings, " +
		"0 follow-ups, 0 safety events from " + file + ".\n"
	if code != 0 || out != want {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	// Without the exported_at line, the two exports are the same document.
	export := func(db string) string {
		out, errOut, code := runMain(t, "export", "--format", "json", "--db", db)
		if code != 0 {
			t.Fatalf("export %s: %d %q", db, code, errOut)
		}
		_, rest, _ := strings.Cut(out, "\n")
		return rest
	}
	if a, b := export(src), export(dst); a != b {
		t.Fatalf("the imported database exports differently:\n%s\n%s", a, b)
	}

	// A second import into the same file is refused, and adds nobody;
	// a name ending in .json is read as JSON without --format.
	named := filepath.Join(dir, "caseload.json")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(named, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runMain(t, "import", named, "--db", dst)
	if code != 1 || out != "" || !strings.Contains(errOut, "the database already has people; import a JSON export only into a new, empty file") {
		t.Fatalf("second import: %d %q %q", code, out, errOut)
	}
	if n := countPeople(t, dst); n != 2 {
		t.Fatalf("%d people after a refused import, want 2", n)
	}
	if _, errOut, code := runMain(t, "import", "--format", "xml", file, "--db", dst); code != 2 || !strings.Contains(errOut, "use csv or json") {
		t.Fatalf("unknown format: %d %q", code, errOut)
	}
}

// Many exporters (Excel's "CSV UTF-8", Google Sheets, LibreOffice) start the
// file with a byte-order mark and quote every header cell.
func TestImportBOMAndQuotedHeader(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	file := writeCSV(t, "\ufeff\"name\",\"phone\"\r\n\"Ann Smith\",\"+44 20 7946 0000\"\r\n")
	out, errOut, code := runMain(t, "import", file, "--db", db)
	if code != 0 || out != "Imported 1 person (0 already on the caseload).\n" {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
}

// A name in a CSV file that carries terminal commands (an OSC 52 clipboard
// write, a window title, a right-to-left override) is stored cleaned: the
// controls become spaces and the override is dropped, so nothing stored
// can command the terminal it is shown on.
func TestImportCleansTerminalCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	file := writeCSV(t, "name,preferred_name,conditions\n"+
		"\"Ann\x1b]52;c;aGVsbG8=\x07 Smith\",\"\x1b]0;pwned\x07Annie\",\"asthma\x1b[2J\"\n"+
		"Bo \u202eeeL\u202c,\u009b2JBo,\n")
	if out, errOut, code := runMain(t, "import", file, "--db", db); code != 0 || out != "Imported 2 people (0 already on the caseload).\n" {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	rows, err := sqldb.Query("SELECT name, preferred_name, conditions FROM people ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var name, preferred, conditions string
		if err := rows.Scan(&name, &preferred, &conditions); err != nil {
			t.Fatal(err)
		}
		got = append(got, name, preferred, conditions)
	}
	want := []string{"Ann ]52;c;aGVsbG8=  Smith", "]0;pwned Annie", "asthma [2J", "Bo eeL", "2JBo", ""}
	if !slices.Equal(got, want) {
		t.Fatalf("stored %q, want %q", got, want)
	}
	for _, s := range got {
		if i, r := coaching.FirstUnsafe(s, false); i >= 0 {
			t.Errorf("%q still has %s", s, coaching.DescribeRune(r))
		}
	}
}

// The given_names and family_name columns are optional; what they hold
// is stored as it is (cleaned as the name is), the name is not split, and
// a value too long is a problem of its line, with the others.
func TestImportGivenAndFamilyNames(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	long := strings.Repeat("x", coaching.MaxNameLen+1)
	bad := writeCSV(t, "name,given_names,family_name\n"+
		"Ann O'Neil,Ann Marie,O'Neil\n"+
		"Bo Lee,,"+long+"\n"+
		"Cy Park,"+long+",Park\n")
	_, errOut, code := runMain(t, "import", bad, "--db", db)
	for _, want := range []string{
		"line 3: family name is 201 characters; at most 200 fit",
		"line 4: given names is 201 characters; at most 200 fit",
		"2 lines with problems; nobody was added",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("missing %q in:\n%s", want, errOut)
		}
	}
	if code != 1 || countPeople(t, db) != 0 {
		t.Fatalf("code %d, people %d", code, countPeople(t, db))
	}

	good := writeCSV(t, "family_name,name,given_names\n"+
		"O'Neil,\"Ann O'Neil, \"\"Annie\"\"\",\"  Ann  Marie \"\n"+
		"الحسن,مريم الحسن,\n"+
		",Bo Lee,\n")
	if out, errOut, code := runMain(t, "import", good, "--db", db); code != 0 || out != "Imported 3 people (0 already on the caseload).\n" {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	rows, err := sqldb.Query("SELECT name, given_names, family_name FROM people ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var name, given, family string
		if err := rows.Scan(&name, &given, &family); err != nil {
			t.Fatal(err)
		}
		got = append(got, name+"|"+given+"|"+family)
	}
	want := []string{`Ann O'Neil, "Annie"|Ann  Marie|O'Neil`, "مريم الحسن||الحسن", "Bo Lee||"}
	if !slices.Equal(got, want) {
		t.Fatalf("stored %q, want %q", got, want)
	}
}
