package main

import (
	"archive/tar"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"callcoach/coaching"
	"callcoach/internal/sealed"
	"callcoach/storage"
)

const exportUsage = `Usage:
  callcoach export --format csv --out DIR [--raw] [--person ID] [--since YYYY-MM-DD] [--db PATH]
  callcoach export --format json [--out FILE] [--person ID] [--since YYYY-MM-DD] [--db PATH]
  callcoach export --format fhir [--bundle collection|transaction] [--out FILE] [--person ID] [--since YYYY-MM-DD] [--db PATH]
  callcoach export --format ics [--out FILE] [--names] [--person ID] [--db PATH]
JSON, FHIR and ICS also take --encrypt (a passphrase) or --to AGE-KEY (repeatable).

CSV writes one file per record type into DIR, which must not exist yet.
A text cell that starts with = + - @, a tab or a carriage return (which a
spreadsheet would run as a formula) is written with a ' in front, as in
'+44 20 7946 0000; callcoach import takes it off again. --raw writes every
cell as it is stored, for programs that are not spreadsheets.
JSON writes one document to FILE, which must not exist yet, or to the screen.
FHIR writes one FHIR R4 Bundle (type collection) the same way: Patient,
Encounter per call, Goal per action plan, CarePlan, Observation per ruler
and measure total, QuestionnaireResponse per measure, Flag and RiskAssessment
per safety event. --bundle transaction makes it a transaction Bundle for a
FHIR server: each resource PUT at its own id, so posting it twice changes
nothing the second time.
ICS writes the open follow-ups as an iCalendar file for your own calendar:
one event each, in UTC, with a UID that stays the same, so importing a newer
file updates the events (follow-ups closed in the last 30 days come as
cancelled events). Calendars sync to outside services, so an event names
only the person's initials; --names puts their name and the reason in.
--encrypt writes an age file locked with a passphrase (asked for twice at
the terminal, or read as one line from standard input); --to age1...
locks it to an age public key instead, once for each key. callcoach
import (and age itself) read it. CSV with --encrypt or --to is one
encrypted tar file of the CSV files, since an age file holds one file:
--out FILE, then "age -d FILE | tar x" opens it; its plain files are made
in a private folder beside the database, never beside FILE.
`

// runExport writes the caseload, or part of it, as CSV files or one JSON
// document. Whatever goes to a file is written aside and renamed into
// place at the end, so a failed export leaves nothing half-written.
func runExport(args []string, ask passphraseSource, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, exportUsage) }
	format := fs.String("format", "", "csv, json, fhir or ics")
	out := fs.String("out", "", "the folder (csv) or file (json, fhir, ics) to write")
	person := fs.String("person", "", "only this person's records")
	since := fs.String("since", "", "only records at or after this date (YYYY-MM-DD, UTC)")
	dbPath := fs.String("db", "", "the database file to export")
	raw := fs.Bool("raw", false, "csv only: write cells as stored, without the ' that stops a spreadsheet running a formula")
	names := fs.Bool("names", false, "ics only: put names and reasons in the events (the default is initials only)")
	bundle := fs.String("bundle", "collection", "fhir only: collection (an archive) or transaction (for a FHIR server)")
	var sealing sealFlags
	sealing.register(fs)
	if code, ok := parseCommand(fs, args, stderr); !ok {
		return code
	}
	if err := sealing.check(); err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 2
	}

	var filter storage.ExportFilter
	if *person != "" {
		id, err := strconv.ParseInt(*person, 10, 64)
		if err != nil || id <= 0 {
			fmt.Fprintf(stderr, "callcoach: --person wants a person's number, such as 12, not %q.\n", *person)
			return 2
		}
		filter.PersonID = id
	}
	if *since != "" {
		t, err := time.Parse(time.DateOnly, *since)
		if err != nil {
			fmt.Fprintf(stderr, "callcoach: --since wants a date as YYYY-MM-DD, such as 2026-11-01, not %q.\n", *since)
			return 2
		}
		filter.Since = t
	}
	switch *format {
	case "csv":
		if *out == "" {
			fmt.Fprintln(stderr, "callcoach: a CSV export is a folder of files: name it with --out DIR.")
			return 2
		}
	case "json", "fhir", "ics":
		if *raw {
			fmt.Fprintln(stderr, "callcoach: --raw is for --format csv only; JSON and FHIR are never read as formulas.")
			return 2
		}
	case "":
		fmt.Fprintln(stderr, "callcoach: say which format with --format csv, json, fhir or ics.")
		fs.Usage()
		return 2
	default:
		fmt.Fprintf(stderr, "callcoach: unknown export format %q; use --format csv, json, fhir or ics.\n", *format)
		return 2
	}
	if *format == "ics" && *since != "" {
		fmt.Fprintln(stderr, "callcoach: --since is not for --format ics: the calendar gets every open follow-up.")
		return 2
	}
	if *bundle != "collection" && (*format != "fhir" || *bundle != "transaction") {
		fmt.Fprintln(stderr, "callcoach: --bundle is collection or transaction, for --format fhir only.")
		return 2
	}
	if f, ok := stdout.(*os.File); ok && sealing.on() && *out == "" && isTerminal(f) {
		fmt.Fprintln(stderr, "callcoach: an encrypted export is not text to read on the screen; name a file with --out, or send it to a file with >.")
		return 2
	}
	if *names && *format != "ics" {
		fmt.Fprintln(stderr, "callcoach: --names is for --format ics only; the other formats always hold names.")
		return 2
	}
	if *out != "" {
		*out = filepath.Clean(*out) // "records/" is the folder records
		if _, err := os.Lstat(*out); err == nil {
			fmt.Fprintf(stderr, "callcoach: %s already exists; export will not overwrite it. Name a new path with --out.\n", *out)
			return 1
		} else if !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(stderr, "callcoach: cannot export to %s: %v\n", *out, err)
			return 1
		}
	}

	path := commandDB(*dbPath)
	ctx := context.Background()
	store, ok := openExisting(ctx, path, "export", stderr)
	if !ok {
		return 1
	}
	defer store.Close()
	// Records made before the file had coaches' names are credited before
	// they are read, so an export after an upgrade names the coach. This
	// write waits for the file's page check; only export needs it: any
	// other command's first write credits them.
	_ = store.CreditRecords(ctx)
	if filter.PersonID != 0 {
		if _, err := store.GetPerson(ctx, filter.PersonID); errors.Is(err, storage.ErrNotFound) {
			fmt.Fprintf(stderr, "callcoach: there is no person number %d in %s; nothing was exported.\n", filter.PersonID, path)
			return 1
		} else if err != nil {
			fmt.Fprintln(stderr, "callcoach:", err)
			return 1
		}
	}

	write := store.ExportJSON
	switch *format {
	case "fhir":
		write = func(ctx context.Context, w io.Writer, f storage.ExportFilter, now time.Time) error {
			return store.ExportFHIRBundle(ctx, w, f, now, *bundle == "transaction")
		}
	case "ics":
		write = func(ctx context.Context, w io.Writer, f storage.ExportFilter, now time.Time) error {
			return writeICS(ctx, store, w, f, now, *names)
		}
	}
	var seal storage.Seal
	if sealing.on() {
		what := *out
		if what == "" {
			what = "the export"
		}
		rs, err := sealing.recipients(ask, what)
		if err != nil {
			fmt.Fprintf(stderr, "callcoach: %v; nothing was exported.\n", err)
			return 1
		}
		seal = func(w io.Writer) (io.WriteCloser, error) { return sealed.NewWriter(w, rs) }
	}
	var err error
	switch {
	case *format == "csv" && seal != nil:
		err = exportCSVSealed(ctx, store, *out, filter, storage.CSVOptions{Raw: *raw}, seal)
	case *format == "csv":
		err = exportCSVDir(ctx, store, *out, filter, storage.CSVOptions{Raw: *raw})
	case *out != "":
		err = exportJSONFile(ctx, sealWrite(write, seal), *out, filter)
	default:
		err = sealWrite(write, seal)(ctx, stdout, filter, time.Now())
	}
	if err != nil && *out == "" {
		fmt.Fprintf(stderr, "callcoach: export failed part way; what was printed is incomplete: %v\n", err)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "callcoach: export failed, nothing was written: %v\n", err)
		return 1
	}
	if *out != "" {
		fmt.Fprintf(stderr, "Exported to %s.\n", *out)
	}
	recordAudit(ctx, store, coaching.AuditExported, filter.PersonID, exportDetail(*format, *bundle, filter, *out, seal != nil), stderr)
	// A calendar file is made to leave, names initials only unless asked,
	// and a calendar cannot read an encrypted one: no reminder for it.
	if seal == nil && *format != "ics" {
		note := stdoutNote(stdout)
		if *out != "" {
			note = plainCopyNote(*out, store.Path())
		}
		if note != "" {
			fmt.Fprintln(stderr, note)
		}
	}
	return 0
}

// exportWriter writes a document (JSON, FHIR or ICS) to w.
type exportWriter func(context.Context, io.Writer, storage.ExportFilter, time.Time) error

// sealWrite is write encrypting what it writes with seal, if there is one.
func sealWrite(write exportWriter, seal storage.Seal) exportWriter {
	if seal == nil {
		return write
	}
	return func(ctx context.Context, w io.Writer, f storage.ExportFilter, now time.Time) error {
		sw, err := seal(w)
		if err != nil {
			return err
		}
		return errors.Join(write(ctx, sw, f, now), sw.Close())
	}
}

// exportCSVDir writes the CSV files into a new folder beside dir, then
// renames it to dir.
func exportCSVDir(ctx context.Context, store *storage.Store, dir string, f storage.ExportFilter, opt storage.CSVOptions) error {
	storage.RemoveLeftovers(filepath.Dir(dir), time.Now()) // of exports killed earlier; best effort
	tmp, err := os.MkdirTemp(filepath.Dir(dir), storage.TempPattern("export"))
	if err != nil {
		return err
	}
	if err := store.ExportCSV(ctx, tmp, f, opt); err != nil {
		return errors.Join(err, os.RemoveAll(tmp))
	}
	if err := os.Rename(tmp, dir); err != nil {
		return errors.Join(err, os.RemoveAll(tmp))
	}
	return nil
}

// exportCSVSealed writes the CSV files as one tar, encrypted with seal, to
// the new file out: an age file holds one file. The plain files are made
// in a private folder beside the database (where the plain data already
// is), never beside out, which may be a stick or a shared folder, and
// are removed once the tar is written.
func exportCSVSealed(ctx context.Context, store *storage.Store, out string, f storage.ExportFilter, opt storage.CSVOptions, seal storage.Seal) error {
	plain, err := os.MkdirTemp(filepath.Dir(store.Path()), storage.TempPattern("export"))
	if err != nil {
		return err
	}
	defer os.RemoveAll(plain)
	if err := store.ExportCSV(ctx, plain, f, opt); err != nil {
		return err
	}
	folder := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(out), ".age"), ".tar")
	tarIt := func(_ context.Context, w io.Writer, _ storage.ExportFilter, now time.Time) error {
		return writeTar(w, plain, folder, now)
	}
	return exportJSONFile(ctx, sealWrite(tarIt, seal), out, f)
}

// writeTar writes the files of dir (no subfolders) to w as a tar, under
// folder/, each readable by its owner only.
func writeTar(w io.Writer, dir, folder string, now time.Time) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(w)
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: folder + "/", Mode: 0o700, ModTime: now}); err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := tarFile(tw, filepath.Join(dir, e.Name()), folder+"/"+e.Name(), now); err != nil {
			return err
		}
	}
	return tw.Close()
}

func tarFile(tw *tar.Writer, path, name string, now time.Time) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o600, Size: fi.Size(), ModTime: now}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// exportJSONFile writes the document (JSON or FHIR, by write) to a new
// file beside path, then links it to path, which fails rather than replace
// a file made meanwhile.
func exportJSONFile(ctx context.Context, write exportWriter, path string, f storage.ExportFilter) error {
	storage.RemoveLeftovers(filepath.Dir(path), time.Now()) // of exports killed earlier; best effort
	tmp, err := os.CreateTemp(filepath.Dir(path), storage.TempPattern("export")+".json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = write(ctx, tmp, f, time.Now())
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Link(tmp.Name(), path)
}

// exportDetail is what the audit trail says of an export: its format,
// what it covered and where it went; never what it held.
func exportDetail(format, bundle string, f storage.ExportFilter, out string, encrypted bool) string {
	d := format
	if format == "fhir" {
		d += " " + bundle
	}
	if !f.Since.IsZero() {
		d += " since " + f.Since.Format(time.DateOnly)
	}
	if out == "" {
		out = "standard output"
	}
	d += " to " + out
	if encrypted {
		d += ", encrypted"
	}
	return d
}
