package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"callcoach/coaching"
	"callcoach/internal/sealed"
	"callcoach/storage"
)

const importUsage = `Usage: callcoach import FILE.csv [--dry-run] [--db PATH]

Adds the people in a CSV file to your caseload. The first line names the
columns, in any order:

  name            required: the person's full name, as the coach will see it
  given_names     their given name(s) as your organisation's records hold them,
                  e.g. Ann Marie; optional, sent in FHIR exports
  family_name     their family name as those records hold it; optional.
                  Nothing is guessed from name: leave these empty if unsure
  preferred_name  what they like to be called
  phone           digits, spaces and + ( ) - . only
  conditions      long-term conditions, separated by ; or , (quote the field if it has commas)
  time_zone       e.g. Europe/London or America/Chicago
  consent         yes/no, true/false, 1/0, or empty for no
  consent_date    YYYY-MM-DD; needs consent yes
  call_times      when they like to be called, in their words
  communication_needs
                  e.g. hard of hearing: speak slowly
  status          active, paused or closed (default active)
  identifier      their number in your organisation's records (an MRN, an NHS number)
  identifier_system
                  the URI of that numbering, e.g. https://fhir.nhs.uk/Id/nhs-number;
                  needed with an identifier

For example:
  name,phone,conditions,time_zone,consent,consent_date
  Ann Smith,+44 20 7946 0000,"diabetes; hypertension",Europe/London,yes,2026-01-15

The people.csv of a CSV export (callcoach export --format csv) imports as
it is: its id, created_at, updated_at and consent_at columns are ignored (people get
new numbers). A cell that starts with ' and then = + - @, a tab or a
carriage return loses the ' (an export writes '+44 20 7946 0000 so that a
spreadsheet does not read the number as a formula).

Someone already on the caseload (same name, ignoring case, and same phone
digits) is skipped, so importing a file twice adds nobody the second time.
If any line has a problem, every problem is listed and nobody is added: fix
the file and run the import again. --dry-run checks the file and says what
would be added, without changing anything.

A JSON export (callcoach export --format json) is imported whole, every
record with its original id, and only into a new, empty database file:
  callcoach import --format json export.json --db new.db
A FILE ending in .json is read as JSON without --format. Text that holds a
character a terminal would obey rather than show (ESC, other control
characters, direction overrides) is refused, naming the line of the file,
and nothing is imported.

An encrypted export (an age file, from export --encrypt or --to) is
read as it is: locked with a passphrase, it asks for it at the terminal (or
reads one line from standard input); locked to an age public key, it needs
the secret key's file with --identity. FILE.json.age counts as .json.

Options:
  --db PATH      the database file (default %s)
  --dry-run      check the file and report, but add nobody (CSV only)
  --format F     csv or json (default: json if FILE ends in .json or .json.age, else csv)
  --identity KEYFILE
                 an age identity file, for a file encrypted to its public key; repeatable
`

// maxImportLine is the longest line accepted: far more than any real row,
// and it keeps a damaged file from being read into memory whole.
const maxImportLine = 64 << 10

var importColumns = []string{"name", "preferred_name", "phone", "conditions", "time_zone", "consent", "consent_date",
	"call_times", "communication_needs", "status", "identifier", "identifier_system", "given_names", "family_name"}

// exportOnlyColumns are written by callcoach export and ignored here, so an
// exported people.csv imports as it is.
var exportOnlyColumns = []string{"id", "created_at", "updated_at", "consent_at"}

// importRow is one good line of the file.
type importRow struct {
	line   int
	person coaching.Person
}

func runImport(args []string, ask passphraseSource, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("callcoach import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "", "the database file to use")
	dryRun := fs.Bool("dry-run", false, "check the file and report, but add nobody")
	format := fs.String("format", "", "csv or json")
	var identities stringList
	fs.Var(&identities, "identity", "an age identity file, for a file encrypted to its public key; repeatable")
	fs.Usage = func() { fmt.Fprintf(stderr, importUsage, defaultPath("callcoach.db")) }
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if len(positional) != 1 {
		fmt.Fprintln(stderr, "callcoach: import needs one CSV FILE")
		fs.Usage()
		return 2
	}
	path := commandDB(*dbPath)
	keys := unsealKeys(ask, positional[0], identities)
	switch {
	case *format == "json", *format == "" && strings.HasSuffix(strings.TrimSuffix(strings.ToLower(positional[0]), ".age"), ".json"):
		if *dryRun {
			fmt.Fprintln(stderr, "callcoach: --dry-run is for CSV files only")
			return 2
		}
		return runImportJSON(positional[0], keys, path, stdout, stderr)
	case *format != "" && *format != "csv":
		fmt.Fprintf(stderr, "callcoach: unknown --format %q; use csv or json\n", *format)
		return 2
	}

	f, err := openImport(positional[0], keys)
	if err != nil {
		fmt.Fprintf(stderr, "callcoach: %v\nNobody was added.\n", err)
		return 1
	}
	defer f.Close()
	now := time.Now()
	rows, problems, err := readPeopleCSV(f, now)
	if damage := f.damage(); damage != nil {
		fmt.Fprintf(stderr, "callcoach: %v\nNobody was added.\n", damage)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "callcoach: %s: %v\nNobody was added; fix the file and run the import again.\n", positional[0], err)
		return 1
	}
	for _, p := range problems {
		for _, one := range strings.Split(p, "\n") { // a line's problems, one each
			fmt.Fprintf(stderr, "%s: %s\n", positional[0], one)
		}
	}
	if len(problems) > 0 && !*dryRun {
		fmt.Fprintf(stderr, "%d %s with problems; nobody was added. Fix %s and run the import again.\n",
			len(problems), plural(len(problems), "line", "lines"), plural(len(problems), "it", "them"))
		return 1
	}

	ctx := context.Background()
	people := make([]coaching.Person, len(rows))
	for i, r := range rows {
		people[i] = r.person
	}
	if *dryRun {
		already, ok := alreadyOnCaseload(ctx, path, people, stderr)
		if !ok {
			return 1
		}
		skipped := 0
		for i, r := range rows {
			verb := "would add"
			if already[i] {
				verb, skipped = "already on the caseload:", skipped+1
			}
			fmt.Fprintf(stdout, "line %d: %s %s\n", r.line, verb, r.person.Name)
		}
		fmt.Fprintf(stdout, "Dry run: %d would be imported, %d %s already on the caseload", len(rows)-skipped, skipped, plural(skipped, "is", "are"))
		if len(problems) > 0 {
			fmt.Fprintf(stdout, ", %d %s problems", len(problems), plural(len(problems), "line has", "lines have"))
		}
		fmt.Fprintln(stdout, ". Nothing was changed.")
		if len(problems) > 0 {
			return 1
		}
		return 0
	}
	store, ok := openStore(ctx, path, stderr)
	if !ok {
		return 1
	}
	defer store.Close()
	added, skipped, err := store.ImportPeople(ctx, people, now)
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err, "- nobody was added.")
		return 1
	}
	fmt.Fprintf(stdout, "Imported %d %s (%d already on the caseload).\n", added, plural(added, "person", "people"), skipped)
	return 0
}

// runImportJSON imports a JSON export at file into the database at path,
// which must have nobody in it.
func runImportJSON(file string, keys sealed.Keys, path string, stdout, stderr io.Writer) int {
	f, err := openImport(file, keys)
	if err != nil {
		fmt.Fprintf(stderr, "callcoach: %v\nNothing was imported.\n", err)
		return 1
	}
	defer f.Close()
	ctx := context.Background()
	store, ok := openStore(ctx, path, stderr)
	if !ok {
		return 1
	}
	defer store.Close()
	// An encrypted file is decrypted as it is read, chunk by checked
	// chunk, so a large export is never held whole; the import is one
	// transaction, so damage found late still leaves nothing imported.
	c, err := store.ImportJSON(ctx, f, time.Now())
	if damage := f.damage(); damage != nil {
		fmt.Fprintf(stderr, "callcoach: %v\nNothing was imported.\n", damage)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "callcoach: %s: %v\nNothing was imported.\n", file, err)
		return 1
	}
	count := func(n int, one, many string) string { return fmt.Sprintf("%d %s", n, plural(n, one, many)) }
	fmt.Fprintf(stdout, "Imported %s, %s, %s, %s, %s, %s, %s, %s, %s, %s from %s.\n",
		count(c.People, "person", "people"), count(c.Calls, "call", "calls"), count(c.Plans, "plan", "plans"),
		count(c.Rulers, "ruler", "rulers"), count(c.ChangeTalk, "change talk quote", "change talk quotes"),
		count(c.Tally, "tally mark", "tally marks"), count(c.Measures, "measure", "measures"), count(c.Readings, "reading", "readings"),
		count(c.FollowUps, "follow-up", "follow-ups"), count(c.SafetyEvents, "safety event", "safety events"), file)
	return 0
}

// importFile is a file to import: as it is, or decrypted as it is read.
type importFile struct {
	io.ReadCloser
	damage func() error
}

// openImport opens file for import, decrypting it if it is an age file.
func openImport(file string, keys sealed.Keys) (importFile, error) {
	isSealed, err := sealed.IsSealed(file)
	if err != nil {
		return importFile{}, err
	}
	if isSealed {
		r, err := sealed.Open(file, keys)
		if err != nil {
			return importFile{}, err
		}
		return importFile{r, r.Damage}, nil
	}
	f, err := os.Open(file)
	return importFile{f, func() error { return nil }}, err
}

// readPeopleCSV reads the file: the good rows, and a problem for each bad
// row (by line). An error means the file as a whole cannot be read (bad
// header, bad quoting, an overlong line, unreadable).
func readPeopleCSV(r io.Reader, now time.Time) ([]importRow, []string, error) {
	r, err := skipBOM(r)
	if err != nil {
		return nil, nil, err
	}
	lr := &lineLimitReader{r: r, max: maxImportLine, line: 1}
	cr := csv.NewReader(lr)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errors.New("the file is empty; the first line must name the columns, e.g. name,phone")
		}
		return nil, nil, readError(err, lr)
	}
	cols, err := importHeader(header)
	if err != nil {
		return nil, nil, fmt.Errorf("line 1: %w", err)
	}
	var rows []importRow
	var problems []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, problems, nil
		}
		if err != nil {
			return nil, nil, readError(err, lr)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		p, err := importPerson(rec, cols, len(header), now)
		if err != nil {
			var each []string
			for _, one := range strings.Split(err.Error(), "\n") {
				each = append(each, fmt.Sprintf("line %d: %s", line, one))
			}
			problems = append(problems, strings.Join(each, "\n"))
			continue
		}
		rows = append(rows, importRow{line: line, person: p})
	}
}

// skipBOM drops the byte-order mark many spreadsheets put at the start of
// a UTF-8 file. It must go before the CSV reader sees it: a quoted header
// cell after it would otherwise read as a stray quote.
func skipBOM(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	b, err := br.Peek(3)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	return br, nil
}

// importHeader maps each column to its field name, refusing unknown,
// repeated or missing ones.
func importHeader(header []string) ([]string, error) {
	cols := make([]string, len(header))
	seen := map[string]bool{}
	var unknown []string
	for i, h := range header {
		if !utf8.ValidString(h) {
			return nil, errors.New("the column names are not valid UTF-8; save the file as UTF-8")
		}
		h = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(h)), " ", "_")
		switch {
		case contains(exportOnlyColumns, h):
			continue // cols[i] stays empty: the column is not read
		case !contains(importColumns, h):
			unknown = append(unknown, fmt.Sprintf("%q", header[i]))
		case seen[h]:
			return nil, fmt.Errorf("the column %q appears twice", h)
		}
		seen[h], cols[i] = true, h
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("unknown %s %s; the columns are %s", plural(len(unknown), "column", "columns"),
			strings.Join(unknown, ", "), strings.Join(importColumns, ", "))
	}
	if !seen["name"] {
		return nil, fmt.Errorf("there is no name column; the first line must name the columns, e.g. name,phone (the columns are %s)",
			strings.Join(importColumns, ", "))
	}
	return cols, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// importPerson turns one record into a normalized person.
func importPerson(rec, cols []string, want int, now time.Time) (coaching.Person, error) {
	if len(rec) != want {
		return coaching.Person{}, fmt.Errorf("%d fields, but the header has %d columns (quote a field that has commas in it)", len(rec), want)
	}
	var p coaching.Person
	var consent string
	for i, v := range rec {
		if cols[i] == "" {
			continue // a column only an export has
		}
		if !utf8.ValidString(v) {
			return coaching.Person{}, fmt.Errorf("the %s column is not valid UTF-8 text; save the file as UTF-8", cols[i])
		}
		v = storage.UnescapeFormula(v)
		switch cols[i] {
		case "name":
			p.Name = v
		case "preferred_name":
			p.PreferredName = v
		case "phone":
			p.Phone = v
		case "conditions":
			p.Conditions = []string{v}
		case "time_zone":
			p.TimeZone = v
		case "consent":
			consent = v
		case "consent_date":
			p.ConsentDate = v
		case "call_times":
			p.CallTimes = v
		case "communication_needs":
			p.CommunicationNeeds = v
		case "status":
			p.Status = coaching.Status(strings.ToLower(strings.TrimSpace(v)))
		case "identifier":
			p.Identifier = v
		case "identifier_system":
			p.IdentifierSystem = v
		case "given_names":
			p.GivenNames = v
		case "family_name":
			p.FamilyName = v
		}
	}
	var problems []string
	badConsent := false
	switch strings.ToLower(strings.TrimSpace(consent)) {
	case "yes", "true", "1", "y":
		p.Consent = true
	case "no", "false", "0", "n", "":
	default:
		problems = append(problems, fmt.Sprintf("consent %q should be yes or no", strings.TrimSpace(consent)))
		badConsent = true
	}
	if d, err := coaching.ParseConsentDate(p.ConsentDate, now); err != nil {
		problems = append(problems, importProblem(err))
		p.ConsentDate = "" // checked: not checked again below
	} else {
		p.ConsentDate = d
	}
	for _, err := range p.Problems(time.LoadLocation) {
		var fe *coaching.FieldError
		if badConsent && errors.As(err, &fe) && fe.Field == "consent date" {
			continue // says nothing new after a bad consent value
		}
		problems = append(problems, importProblem(err))
	}
	if len(problems) > 0 {
		return coaching.Person{}, errors.New(strings.Join(problems, "\n")) // one a line
	}
	return p, nil
}

// importProblem words one problem of a line.
func importProblem(err error) string {
	var fe *coaching.FieldError
	if errors.As(err, &fe) {
		if strings.HasPrefix(fe.Msg, "a ") {
			return fe.Msg
		}
		return fe.Field + " " + fe.Msg
	}
	return err.Error()
}

// readError words a failure to read the file for the coach.
func readError(err error, lr *lineLimitReader) error {
	var pe *csv.ParseError
	switch {
	case errors.Is(err, errLineTooLong):
		return fmt.Errorf("line %d is longer than %d KB; is this the right file?", lr.line, lr.max>>10)
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote), errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Errorf("line %d: a quote is out of place (%v); put quotes around a whole field and double any quote inside it", pe.Line, pe.Err)
	case errors.As(err, &pe):
		return fmt.Errorf("line %d: %v", pe.Line, pe.Err)
	}
	return err
}

var errLineTooLong = errors.New("line too long")

// lineLimitReader passes r through, failing as soon as one line grows
// past max bytes, so an enormous line is refused without being held whole.
type lineLimitReader struct {
	r    io.Reader
	max  int
	cur  int // bytes of the current line so far
	line int // the current line's number
}

func (l *lineLimitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i, b := range p[:n] {
		if b == '\n' {
			l.line++
			l.cur = 0
			continue
		}
		if l.cur++; l.cur > l.max {
			return i, errLineTooLong
		}
	}
	return n, err
}

// alreadyOnCaseload reports, for a dry run, which people the file at path
// already holds, without creating or changing it: no file holds nobody,
// and an existing one is opened read-only (or, if it must be brought up
// to date first, as usual).
func alreadyOnCaseload(ctx context.Context, path string, people []coaching.Person, stderr io.Writer) ([]bool, bool) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return make([]bool, len(people)), true
	}
	store, err := storage.OpenReadOnly(ctx, path)
	if err != nil {
		var ok bool
		if store, ok = openStore(ctx, path, stderr); !ok {
			return nil, false
		}
	}
	defer store.Close()
	already, err := store.AlreadyOnCaseload(ctx, people)
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return nil, false
	}
	return already, true
}
