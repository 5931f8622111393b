package storage

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// ExportFormat and ExportVersion name what an export document is, so an
// importer can tell it apart from other JSON and refuse a newer version.
// Version 2 added safety_events.review_reason; version 3 added
// people.consent_at, identifier and identifier_system,
// follow_ups.replaced_by, and the call_stages and drafts sections;
// version 4 added people.given_names and family_name; version 5 the
// readings section; version 6 the coach's name on calls, plans, measures
// and readings. An older document still imports, without them (records
// without a coach's name are credited as an upgraded file's are: see
// Store.creditUnnamed).
const (
	ExportFormat  = "callcoach-export"
	ExportVersion = 6
)

// ExportFilter limits an export. A zero PersonID means everyone; a zero
// Since means all time. Since limits the records that happen at a time
// (calls, plans, rulers, measures, ...); people are limited only by PersonID.
type ExportFilter struct {
	PersonID int64
	Since    time.Time
}

// columnKind is how a column's value is written: SQLite gives no types
// that tell a flag from a number, or JSON text from plain text.
type columnKind int

const (
	kindText columnKind = iota
	kindInt
	kindReal
	kindBool
	kindJSON // JSON text built by the query (nested lists such as a plan's barriers)
)

type exportColumn struct {
	name string
	kind columnKind
	// since is the export version that added the column; a document of
	// an older version leaves it out, and the import stores its zero:
	// NULL where null is set (a time or a link that may be missing),
	// else "" for text and NULL for the rest.
	since int
	null  bool
}

// exportSection is one record type: a key in the JSON document and a CSV
// file. Its query takes ?1 the person id (0: all) and ?2 the since time
// (empty: all), and selects the columns in order. pgQuery is PostgreSQL's
// where its SQL differs (JSON lists: json_agg, not json_group_array).
type exportSection struct {
	name    string
	columns []exportColumn
	query   string
	pgQuery string
}

func cols(kinds map[columnKind][]string, order ...string) []exportColumn {
	kindOf := map[string]columnKind{}
	for k, names := range kinds {
		for _, n := range names {
			kindOf[n] = k
		}
	}
	out := make([]exportColumn, len(order))
	for i, n := range order {
		out[i] = exportColumn{name: n, kind: kindOf[n], since: 1}
	}
	return out
}

// absent is what a column left out of an older document holds: empty
// text, or null.
func (c exportColumn) absent() any {
	if c.kind == kindText && !c.null {
		return ""
	}
	return nil
}

// addedNullIn marks the named columns as added in export version v, NULL
// where a document of an older version leaves them out.
func addedNullIn(v int, columns []exportColumn, names ...string) []exportColumn {
	columns = addedIn(v, columns, names...)
	for i, c := range columns {
		if slices.Contains(names, c.name) {
			columns[i].null = true
		}
	}
	return columns
}

// addedIn marks the named columns as added in export version v.
func addedIn(v int, columns []exportColumn, names ...string) []exportColumn {
	for i, c := range columns {
		if slices.Contains(names, c.name) {
			columns[i].since = v
		}
	}
	return columns
}

var exportSections = []exportSection{
	{
		name: "people",
		columns: addedIn(4, addedIn(3, addedNullIn(3, cols(map[columnKind][]string{kindInt: {"id"}, kindBool: {"consent"}},
			"id", "name", "preferred_name", "phone", "time_zone", "conditions", "call_times",
			"communication_needs", "consent", "consent_date", "status", "created_at", "updated_at", "consent_at",
			"identifier", "identifier_system", "given_names", "family_name"), "consent_at"), "identifier", "identifier_system"),
			"given_names", "family_name"),
		query: `SELECT id, name, preferred_name, phone, time_zone, conditions, call_times,
			communication_needs, consent, consent_date, status, created_at, updated_at, consent_at,
			identifier, identifier_system, given_names, family_name
			FROM people WHERE (?1 = 0 OR id = ?1) AND ?2 = ?2 ORDER BY id`,
	},
	{
		name: "calls",
		columns: addedIn(6, cols(map[columnKind][]string{kindInt: {"id", "person_id"}},
			"id", "person_id", "role", "started_at", "ended_at", "outcome", "notes", "summary", "updated_at", "coach"), "coach"),
		query: `SELECT c.id, c.person_id, c.role, c.started_at, c.ended_at, c.outcome, n.notes, c.summary, n.updated_at, c.coach
			FROM calls c JOIN call_notes n ON n.call_id = c.id
			WHERE (?1 = 0 OR c.person_id = ?1) AND (?2 = '' OR c.started_at >= ?2) ORDER BY c.id`,
	},
	{
		// The stages each call went through, in order (version 3).
		name:    "call_stages",
		columns: cols(map[columnKind][]string{kindInt: {"call_id"}}, "call_id", "stage", "entered_at"),
		query: `SELECT s.call_id, s.stage, s.entered_at FROM call_stages s JOIN calls c ON c.id = s.call_id
			WHERE (?1 = 0 OR c.person_id = ?1) AND (?2 = '' OR c.started_at >= ?2) ORDER BY s.call_id, s.id`,
	},
	{
		name: "plans",
		columns: addedIn(6, cols(map[columnKind][]string{
			kindInt:  {"id", "person_id", "call_id", "days_per_week", "confidence", "replaces"},
			kindJSON: {"barriers", "confidence_scores", "reviews"},
		},
			"id", "person_id", "call_id", "behaviour", "what", "how_much", "when", "where", "backup",
			"commitment", "days_per_week", "start_date", "review_date", "confidence", "status", "replaces",
			"created_at", "updated_at", "coach", "barriers", "confidence_scores", "reviews"), "coach"),
		query: `SELECT p.id, p.person_id, p.call_id, p.behaviour, p.what, p.how_much, p.when_text, p.where_text,
			p.backup, p.commitment, p.days_per_week, p.start_date, p.review_date, p.confidence, p.status,
			p.replaces, p.created_at, p.updated_at, p.coach,
			(SELECT json_group_array(json_object('position', position, 'barrier', barrier, 'solution', solution)
				ORDER BY position, id) FROM plan_barriers WHERE plan_id = p.id),
			(SELECT json_group_array(json_object('score', score, 'scored_at', scored_at)
				ORDER BY scored_at, id) FROM confidence_scores WHERE plan_id = p.id),
			(SELECT json_group_array(json_object('call_id', call_id, 'outcome', outcome, 'helped', helped,
				'got_in_way', got_in_way, 'reviewed_at', reviewed_at) ORDER BY reviewed_at, id)
				FROM plan_reviews WHERE plan_id = p.id)
			FROM action_plans p WHERE (?1 = 0 OR p.person_id = ?1) AND (?2 = '' OR p.created_at >= ?2)
			ORDER BY p.id`,
		pgQuery: `SELECT p.id, p.person_id, p.call_id, p.behaviour, p.what, p.how_much, p.when_text, p.where_text,
			p.backup, p.commitment, p.days_per_week, p.start_date, p.review_date, p.confidence, p.status,
			p.replaces, p.created_at, p.updated_at, p.coach,
			(SELECT ` + pgJSONList(`json_build_object('position', position, 'barrier', barrier, 'solution', solution)
				ORDER BY position, id`) + ` FROM plan_barriers WHERE plan_id = p.id),
			(SELECT ` + pgJSONList(`json_build_object('score', score, 'scored_at', scored_at)
				ORDER BY scored_at, id`) + ` FROM confidence_scores WHERE plan_id = p.id),
			(SELECT ` + pgJSONList(`json_build_object('call_id', call_id, 'outcome', outcome, 'helped', helped,
				'got_in_way', got_in_way, 'reviewed_at', reviewed_at) ORDER BY reviewed_at, id`) + `
				FROM plan_reviews WHERE plan_id = p.id)
			FROM action_plans p WHERE (?1 = 0 OR p.person_id = ?1) AND (?2 = '' OR p.created_at >= ?2)
			ORDER BY p.id`,
	},
	{
		name: "rulers",
		columns: cols(map[columnKind][]string{kindInt: {"id", "call_id", "person_id", "score"}},
			"id", "call_id", "person_id", "kind", "score", "about", "follow_up", "asked_at", "updated_at"),
		query: `SELECT r.id, r.call_id, c.person_id, r.kind, r.score, r.about, r.follow_up, r.asked_at, r.updated_at
			FROM rulers r JOIN calls c ON c.id = r.call_id
			WHERE (?1 = 0 OR c.person_id = ?1) AND (?2 = '' OR r.asked_at >= ?2) ORDER BY r.id`,
	},
	{
		name: "change_talk",
		columns: cols(map[columnKind][]string{kindInt: {"id", "call_id", "person_id"}},
			"id", "call_id", "person_id", "kind", "quote", "said_at"),
		query: `SELECT t.id, t.call_id, c.person_id, t.kind, t.quote, t.said_at
			FROM change_talk t JOIN calls c ON c.id = t.call_id
			WHERE (?1 = 0 OR c.person_id = ?1) AND (?2 = '' OR t.said_at >= ?2) ORDER BY t.id`,
	},
	{
		name: "tally",
		columns: cols(map[columnKind][]string{kindInt: {"id", "call_id", "person_id"}},
			"id", "call_id", "person_id", "kind", "marked_at", "undone_at"),
		query: `SELECT m.id, m.call_id, c.person_id, m.kind, m.marked_at, m.undone_at
			FROM tally_marks m JOIN calls c ON c.id = m.call_id
			WHERE (?1 = 0 OR c.person_id = ?1) AND (?2 = '' OR m.marked_at >= ?2) ORDER BY m.id`,
	},
	{
		name: "measures",
		columns: addedIn(6, cols(map[columnKind][]string{
			kindInt:  {"id", "person_id", "call_id", "closing"},
			kindBool: {"complete", "scored"},
			kindReal: {"total"},
			kindJSON: {"items"},
		},
			"id", "person_id", "call_id", "instrument", "given_at", "complete", "scored", "total", "band",
			"closing", "coach", "items"), "coach"),
		query: `SELECT m.id, m.person_id, m.call_id, m.instrument, m.given_at, m.complete, m.scored, m.total,
			m.band, m.closing, m.coach,
			(SELECT json_group_array(json_object('item', item, 'answer', answer) ORDER BY item)
				FROM measure_items WHERE measure_id = m.id)
			FROM measures m WHERE (?1 = 0 OR m.person_id = ?1) AND (?2 = '' OR m.given_at >= ?2) ORDER BY m.id`,
		pgQuery: `SELECT m.id, m.person_id, m.call_id, m.instrument, m.given_at, m.complete, m.scored, m.total,
			m.band, m.closing, m.coach,
			(SELECT ` + pgJSONList(`json_build_object('item', item, 'answer', answer) ORDER BY item`) + `
				FROM measure_items WHERE measure_id = m.id)
			FROM measures m WHERE (?1 = 0 OR m.person_id = ?1) AND (?2 = '' OR m.given_at >= ?2) ORDER BY m.id`,
	},
	{
		name: "follow_ups",
		columns: addedIn(3, cols(map[columnKind][]string{kindInt: {"id", "person_id", "plan_id", "made_call_id", "done_call_id", "replaced_by"}},
			"id", "person_id", "plan_id", "due_at", "reason", "made_call_id", "done_call_id", "done_at", "created_at", "replaced_by"), "replaced_by"),
		query: `SELECT id, person_id, plan_id, due_at, reason, made_call_id, done_call_id, done_at, created_at, replaced_by
			FROM follow_ups WHERE (?1 = 0 OR person_id = ?1) AND (?2 = '' OR created_at >= ?2) ORDER BY id`,
	},
	{
		name: "safety_events",
		columns: addedIn(2, cols(map[columnKind][]string{kindInt: {"id", "person_id", "call_id", "measure_id", "reviewed_call_id"}},
			"id", "person_id", "call_id", "measure_id", "trigger", "raised_at", "actions", "note",
			"recorded_at", "reviewed_at", "reviewed_call_id", "review_reason"), "review_reason"),
		query: `SELECT id, person_id, call_id, measure_id, trigger, raised_at, actions, note,
			recorded_at, reviewed_at, reviewed_call_id, review_reason
			FROM safety_events WHERE (?1 = 0 OR person_id = ?1) AND (?2 = '' OR raised_at >= ?2) ORDER BY id`,
	},
	{
		// Forms typed but not saved (version 3): the body is the form's
		// fields as JSON text. A person's are their profile's and their
		// plan's ("person:12", "plan:12").
		name:    "drafts",
		columns: cols(nil, "key", "body", "updated_at"),
		query: `SELECT key, body, updated_at FROM drafts
			WHERE (?1 = 0 OR key IN ('person:' || ?1, 'plan:' || ?1)) AND (?2 = '' OR updated_at >= ?2) ORDER BY key`,
	},
	{
		// Readings the person tracked (version 5): value and value2 in
		// the canonical unit; entered_value as the coach typed it.
		name: "readings",
		columns: addedIn(6, addedIn(5, cols(map[columnKind][]string{kindInt: {"id", "person_id", "call_id"}, kindReal: {"value", "value2"}},
			"id", "person_id", "call_id", "kind", "value", "value2", "unit", "entered_value", "taken_at", "recorded_at", "coach"),
			"id", "person_id", "call_id", "kind", "value", "value2", "unit", "entered_value", "taken_at", "recorded_at"), "coach"),
		query: `SELECT id, person_id, call_id, kind, value, value2, unit, entered_value, taken_at, recorded_at, coach
			FROM readings WHERE (?1 = 0 OR person_id = ?1) AND (?2 = '' OR taken_at >= ?2) ORDER BY id`,
	},
}

// pgJSONList is PostgreSQL's SQL for what SQLite's
// json_group_array(agg) gives: the JSON list as text, [] where there are
// no rows (json_agg gives NULL). json_build_object keeps its keys in the
// order given, as SQLite's json_object does.
func pgJSONList(agg string) string {
	return "coalesce(json_agg(" + agg + "), '[]')::text"
}

// eachRow runs the section's query (PostgreSQL's where pg) in tx and calls
// fn with every row's values, one row at a time: nothing holds more than
// the current row. vals is reused between rows.
func (sec exportSection) eachRow(ctx context.Context, tx *sql.Tx, pg bool, f ExportFilter, fn func(vals []any) error) error {
	since := ""
	if !f.Since.IsZero() {
		since = formatTime(f.Since)
	}
	query := sec.query
	if pg && sec.pgQuery != "" {
		query = sec.pgQuery
	}
	rows, err := tx.QueryContext(ctx, query, f.PersonID, since)
	if err != nil {
		return fmt.Errorf("export %s: %w", sec.name, err)
	}
	defer rows.Close()
	vals := make([]any, len(sec.columns))
	ptrs := make([]any, len(sec.columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var compact bytes.Buffer
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("export %s: %w", sec.name, err)
		}
		if pg {
			if err := compactJSONLists(sec.columns, vals, &compact); err != nil {
				return fmt.Errorf("export %s: %w", sec.name, err)
			}
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export %s: %w", sec.name, err)
	}
	return nil
}

// compactJSONLists writes the JSON lists in vals as SQLite's json_object
// writes them, with no space after : and , (PostgreSQL's json_agg and
// json_build_object put one there), so a CSV export is the same on both.
func compactJSONLists(columns []exportColumn, vals []any, buf *bytes.Buffer) error {
	for i, c := range columns {
		s, ok := vals[i].(string)
		if c.kind != kindJSON || !ok {
			continue
		}
		buf.Reset()
		if err := json.Compact(buf, []byte(s)); err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
		vals[i] = buf.String()
	}
	return nil
}

// exportBufferSize is how much of an export is gathered before it is
// written: a few large writes rather than many small ones, and the same
// however large the caseload.
const exportBufferSize = 256 << 10

// ExportJSON writes every record matching f to w as one JSON document,
// read in one snapshot and written row by row as it is read.
func (s *Store) ExportJSON(ctx context.Context, w io.Writer, f ExportFilter, now time.Time) error {
	bw := bufio.NewWriterSize(w, exportBufferSize)
	err := s.read(ctx, func(tx *sql.Tx) error {
		fmt.Fprintf(bw, "{\"format\":%q,\"version\":%d,\"exported_at\":%q", ExportFormat, ExportVersion, formatTime(now))
		for _, sec := range exportSections {
			fmt.Fprintf(bw, ",\n%q:[", sec.name)
			enc := newJSONRecordEncoder(sec.columns)
			prefix := "\n"
			err := sec.eachRow(ctx, tx, s.pg, f, func(vals []any) error {
				rec, err := enc.record(prefix, vals)
				if err != nil {
					return fmt.Errorf("export %s: %w", sec.name, err)
				}
				prefix = ",\n"
				_, err = bw.Write(rec)
				return err
			})
			if err != nil {
				return err
			}
			bw.WriteString("]")
		}
		_, err := bw.WriteString("}\n")
		return err
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// csvValue is v as a CSV cell: NULL is empty, flags are true or false.
func csvValue(kind columnKind, v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case int64:
		if kind == kindBool {
			return strconv.FormatBool(v != 0)
		}
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case []byte:
		return string(v)
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// ExportCSVFiles are the files ExportCSV writes, one per record type.
func ExportCSVFiles() []string {
	names := make([]string, len(exportSections))
	for i, sec := range exportSections {
		names[i] = sec.name + ".csv"
	}
	return names
}

// CSVOptions says how ExportCSV writes cells.
type CSVOptions struct {
	// Raw writes text cells as they are stored. Without it, a text cell a
	// spreadsheet would run as a formula starts with a ' (EscapeFormula).
	Raw bool
}

// ExportCSV writes every record matching f into dir, which must exist and
// be empty: one file per record type (ExportCSVFiles) with a header row,
// read in one snapshot and written row by row. Files are made 0600. Lines
// end with CRLF, as RFC 4180 says; so does a line break inside a cell.
func (s *Store) ExportCSV(ctx context.Context, dir string, f ExportFilter, opt CSVOptions) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("export to %s: %w", dir, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("export to %s: the folder is not empty", dir)
	}
	return s.read(ctx, func(tx *sql.Tx) error {
		for _, sec := range exportSections {
			if err := writeCSVSection(ctx, tx, s.pg, filepath.Join(dir, sec.name+".csv"), sec, f, opt); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeCSVSection(ctx context.Context, tx *sql.Tx, pg bool, path string, sec exportSection, f ExportFilter, opt CSVOptions) (err error) {
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("export %s: %w", sec.name, err)
	}
	defer func() {
		if cerr := file.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("export %s: %w", sec.name, cerr)
		}
	}()
	cw := csv.NewWriter(file)
	cw.UseCRLF = true
	record := make([]string, len(sec.columns))
	for i, c := range sec.columns {
		record[i] = c.name
	}
	if err := cw.Write(record); err != nil {
		return fmt.Errorf("export %s: %w", sec.name, err)
	}
	err = sec.eachRow(ctx, tx, pg, f, func(vals []any) error {
		for i, c := range sec.columns {
			record[i] = csvValue(c.kind, vals[i])
			if c.kind == kindText && !opt.Raw {
				record[i] = EscapeFormula(record[i])
			}
		}
		return cw.Write(record)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export %s: %w", sec.name, err)
	}
	return file.Sync()
}
