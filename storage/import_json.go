package storage

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"callcoach/coaching"
)

// ImportCounts is how many records of each kind ImportJSON added. Lists
// inside a record (a plan's barriers, a measure's items) are not counted.
type ImportCounts struct {
	People, Calls, Plans, Rulers, ChangeTalk, Tally, Measures, Readings, FollowUps, SafetyEvents int
}

// ErrImportNotEmpty is returned by ImportJSON when the database already
// has people in it.
var ErrImportNotEmpty = errors.New("the database already has people; import a JSON export only into a new, empty file")

// The lists nested in a record, by the record's column that holds them.
var importNested = sync.OnceValue(func() map[string][]exportColumn {
	return map[string][]exportColumn{
		"barriers":          {{name: "position", kind: kindInt, since: 1}, {name: "barrier", kind: kindText, since: 1}, {name: "solution", kind: kindText, since: 1}},
		"confidence_scores": {{name: "score", kind: kindInt, since: 1}, {name: "scored_at", kind: kindText, since: 1}},
		"reviews": {{name: "call_id", kind: kindInt, since: 1}, {name: "outcome", kind: kindText, since: 1}, {name: "helped", kind: kindText, since: 1},
			{name: "got_in_way", kind: kindText, since: 1}, {name: "reviewed_at", kind: kindText, since: 1}},
		"items": {{name: "item", kind: kindInt, since: 1}, {name: "answer", kind: kindInt, since: 1}},
	}
})

// freeText are the fields written during calls and plans, which may hold
// line breaks and tabs; every other text (a person's profile, codes,
// times) is a single line. Keys are section (or nested list) and column.
var freeText = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"calls.notes": true, "calls.summary": true,
		"plans.what": true, "plans.how_much": true, "plans.when": true, "plans.where": true,
		"plans.backup": true, "plans.commitment": true,
		"barriers.barrier": true, "barriers.solution": true, "reviews.helped": true, "reviews.got_in_way": true,
		"rulers.about": true, "rulers.follow_up": true, "change_talk.quote": true,
		"follow_ups.reason": true, "safety_events.note": true, "drafts.body": true,
	}
})

// unsafeText is a text field holding a character a terminal would obey
// rather than show (coaching.FirstUnsafe): it would reach the screen.
type unsafeText struct {
	path []string // the field in its record: a column, or a list, an index (from 0) and a column
	r    rune
}

func (e *unsafeText) Error() string {
	return fmt.Sprintf("the %s field has %s in it, a character a terminal would act on instead of showing; remove it from the file and import again",
		e.path[len(e.path)-1], coaching.DescribeRune(e.r))
}

// importStmtText is the statements, prepared once per import.
var importStmtText = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"people": `INSERT INTO people (id, name, preferred_name, phone, phone_digits, time_zone, conditions, call_times,
		communication_needs, consent, consent_date, status, created_at, updated_at, consent_at, identifier, identifier_system,
		given_names, family_name)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"calls": `INSERT INTO calls (id, person_id, role, started_at, ended_at, outcome, notes, summary, updated_at, coach)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"plans": `INSERT INTO action_plans (id, person_id, call_id, behaviour, what, how_much, when_text, where_text,
		backup, commitment, days_per_week, start_date, review_date, confidence, status, replaces, created_at, updated_at, coach)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"barriers":          `INSERT INTO plan_barriers (plan_id, position, barrier, solution) VALUES (?, ?, ?, ?)`,
		"confidence_scores": `INSERT INTO confidence_scores (plan_id, score, scored_at) VALUES (?, ?, ?)`,
		"reviews": `INSERT INTO plan_reviews (plan_id, call_id, outcome, helped, got_in_way, reviewed_at)
		VALUES (?, ?, ?, ?, ?, ?)`,
		"rulers": `INSERT INTO rulers (id, call_id, kind, score, about, follow_up, asked_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		"change_talk": `INSERT INTO change_talk (id, call_id, kind, quote, said_at) VALUES (?, ?, ?, ?, ?)`,
		"tally":       `INSERT INTO tally_marks (id, call_id, kind, marked_at, undone_at) VALUES (?, ?, ?, ?, ?)`,
		"measures": `INSERT INTO measures (id, person_id, call_id, instrument, given_at, complete, scored, total, band, closing, coach)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"items": `INSERT INTO measure_items (measure_id, item, answer) VALUES (?, ?, ?)`,
		"follow_ups": `INSERT INTO follow_ups (id, person_id, plan_id, due_at, reason, made_call_id, done_call_id, done_at, created_at, replaced_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"call_stages": `INSERT INTO call_stages (call_id, stage, entered_at) VALUES (?, ?, ?)`,
		"drafts":      `INSERT INTO drafts (key, body, updated_at) VALUES (?, ?, ?)`,
		"readings": `INSERT INTO readings (id, person_id, call_id, kind, value, value2, unit, entered_value, taken_at, recorded_at, coach)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"safety_events": `INSERT INTO safety_events (id, person_id, call_id, measure_id, trigger, raised_at, actions, note,
		recorded_at, reviewed_at, reviewed_call_id, review_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"call_person": `SELECT person_id FROM calls WHERE id = ?`,
	}
})

// jsonImport is one import under way: the document, the transaction and
// its prepared statements.
type jsonImport struct {
	ctx    context.Context
	dec    *json.Decoder
	lines  *lineCounter // the decoder's input, for line numbers
	tx     *sql.Tx
	stmts  map[string]*sql.Stmt
	counts ImportCounts
	// version is the document's: columns added after it are left out.
	version int
}

// ImportJSON reads a document written by ExportJSON from r and adds every
// record in it, with its original id, in one transaction: all or nothing.
// It imports only into a database with no people (ErrImportNotEmpty
// otherwise). The document is read one record at a time. Columns an
// export leaves out are derived: phone digits from the phone, each
// person's next due time by the follow-up triggers, the search indexes by
// theirs. Records keep their own times; now is when the import runs.
func (s *Store) ImportJSON(ctx context.Context, r io.Reader, now time.Time) (ImportCounts, error) {
	var counts ImportCounts
	err := s.write(ctx, func(tx *sql.Tx) error {
		var has bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM people)`).Scan(&has); err != nil {
			return err
		}
		if has {
			return ErrImportNotEmpty
		}
		// A plan may name a later plan it replaces, or a record a call
		// further on: foreign keys are checked once, at the commit.
		deferKeys := `PRAGMA defer_foreign_keys = ON`
		if s.pg {
			// The baseline makes DEFERRABLE the references a record can make
			// to one later in its own section (a plan's replaces, a
			// follow-up's replaced_by); every other points back to an
			// earlier section, and is checked as the record goes in.
			deferKeys = `SET CONSTRAINTS ALL DEFERRED`
		}
		if _, err := tx.ExecContext(ctx, deferKeys); err != nil {
			return err
		}
		lines := &lineCounter{r: r}
		imp := &jsonImport{ctx: ctx, dec: json.NewDecoder(lines), lines: lines, tx: tx, stmts: map[string]*sql.Stmt{}}
		defer func() {
			for _, st := range imp.stmts {
				st.Close()
			}
		}()
		for name, q := range importStmtText() {
			st, err := tx.PrepareContext(ctx, q)
			if err != nil {
				return fmt.Errorf("import: %w", err)
			}
			imp.stmts[name] = st
		}
		if err := imp.document(); err != nil {
			return err
		}
		if s.pg {
			if err := identitiesPastIDs(ctx, tx, importedIDTables); err != nil {
				return fmt.Errorf("import: %w", err)
			}
		}
		counts = imp.counts
		return s.audit(ctx, tx, coaching.AuditImported, 0, fmt.Sprintf("json export: %d people, %d calls", counts.People, counts.Calls), now)
	})
	if err != nil {
		if isForeignKeyViolation(err) {
			err = fmt.Errorf("import: a record refers to a person, call, plan or measure that is not in the file (%w)", err)
		}
		return ImportCounts{}, err
	}
	return counts, nil
}

// importedIDTables are the tables ImportJSON writes ids into itself.
var importedIDTables = []string{"people", "calls", "action_plans", "rulers", "change_talk", "tally_marks",
	"measures", "follow_ups", "safety_events", "readings"}

// identitiesPastIDs moves each table's id identity past the largest id in
// it. PostgreSQL's identity does not move when a row is inserted with its
// own id, as SQLite's next rowid does, so the next row added would take
// an id already used.
func identitiesPastIDs(ctx context.Context, tx *sql.Tx, tables []string) error {
	for _, t := range tables {
		// setval(..., NULL) of an empty table does nothing.
		if _, err := tx.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence(?, 'id'), max(id)) FROM "+t, t); err != nil {
			return fmt.Errorf("the next id of %s: %w", t, err)
		}
	}
	return nil
}

// syntax words a failure to read the document, with the line it is on.
func (imp *jsonImport) syntax(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("import: line %d: the file is not valid JSON there (%v); a callcoach export is: was it changed?",
			imp.lines.line(imp.syntaxOffset()), se)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("import: the file ends early, at byte %d; is it the whole export?", imp.dec.InputOffset())
	}
	return fmt.Errorf("import: line %d: %w", imp.lines.line(imp.dec.InputOffset()), err)
}

// syntaxOffset is where the decoder's last syntax error is in the file.
// The error's own offset counts only the bytes scanned as values, not the
// delimiters between them, so what the decoder holds from where it
// stopped is scanned again.
func (imp *jsonImport) syntaxOffset() int64 {
	at := imp.dec.InputOffset()
	rest, _ := io.ReadAll(imp.dec.Buffered())
	var v json.RawMessage
	var se *json.SyntaxError
	if err := json.Unmarshal(rest, &v); errors.As(err, &se) && se.Offset > 0 {
		return at + se.Offset - 1
	}
	return at
}

func (imp *jsonImport) delim(want json.Delim, what string) error {
	tok, err := imp.dec.Token()
	if err != nil {
		return imp.syntax(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("import: line %d: expected %s", imp.lines.line(imp.dec.InputOffset()), what)
	}
	return nil
}

// document reads the whole document: format and version first, then the
// sections in the order an export writes them, then nothing more.
func (imp *jsonImport) document() error {
	if err := imp.delim('{', "a JSON object; is this a callcoach JSON export?"); err != nil {
		return err
	}
	var haveFormat, haveVersion bool
	next := 0 // the first section that may still come
	for imp.dec.More() {
		tok, err := imp.dec.Token()
		if err != nil {
			return imp.syntax(err)
		}
		key, _ := tok.(string)
		switch key {
		case "format":
			var f string
			if err := imp.dec.Decode(&f); err != nil {
				return imp.syntax(err)
			}
			if f != ExportFormat {
				return fmt.Errorf("import: the format is %q, not %q; is this a callcoach JSON export?", f, ExportFormat)
			}
			haveFormat = true
			continue
		case "version":
			var v json.Number
			if err := imp.dec.Decode(&v); err != nil {
				return imp.syntax(err)
			}
			n, err := v.Int64()
			if err != nil || n < 1 {
				return fmt.Errorf("import: the version %q is not a version number", v)
			}
			if n > ExportVersion {
				return fmt.Errorf("import: the export is version %d, newer than this callcoach reads (%d); update callcoach", n, ExportVersion)
			}
			haveVersion, imp.version = true, int(n)
			continue
		case "exported_at":
			var at string
			if err := imp.dec.Decode(&at); err != nil {
				return imp.syntax(err)
			}
			continue
		}
		i := slices.IndexFunc(exportSections, func(sec exportSection) bool { return sec.name == key })
		if i < 0 {
			return fmt.Errorf("import: unknown key %q in the document", key)
		}
		if !haveFormat || !haveVersion {
			return fmt.Errorf("import: %q comes before the format and version; is this a callcoach JSON export?", key)
		}
		if i < next {
			return fmt.Errorf("import: %q is repeated or out of order; the sections must come in the order an export writes them", key)
		}
		next = i + 1
		if err := imp.section(exportSections[i]); err != nil {
			return err
		}
	}
	if err := imp.delim('}', "the end of the document"); err != nil {
		return err
	}
	if !haveFormat || !haveVersion {
		return errors.New("import: the document has no format and version; is this a callcoach JSON export?")
	}
	if _, err := imp.dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("import: there is more after the end of the document, at byte %d", imp.dec.InputOffset())
	}
	return nil
}

// section reads one section's array, inserting each record as it is read.
func (imp *jsonImport) section(sec exportSection) error {
	if err := imp.delim('[', fmt.Sprintf("a list of %s", sec.name)); err != nil {
		return err
	}
	for n := 1; imp.dec.More(); n++ {
		var raw json.RawMessage
		if err := imp.dec.Decode(&raw); err != nil {
			return imp.syntax(err)
		}
		end := imp.dec.InputOffset()
		start := end - int64(len(raw))
		var obj map[string]json.RawMessage
		err := json.Unmarshal(raw, &obj)
		if err != nil {
			err = errors.New("the record is not a JSON object")
		} else if vals, verr := recordValues(sec.name, obj, sec.columns, imp.version); verr != nil {
			err = verr
		} else {
			err = imp.insert(sec.name, sec.columns, vals)
		}
		if err != nil {
			id := "no id"
			if v, ok := obj["id"]; ok {
				id = "id " + string(v)
			}
			line := imp.lines.line(start)
			var ue *unsafeText
			if errors.As(err, &ue) {
				if off, ok := stringEnd(raw, ue.path); ok {
					line = imp.lines.line(start + off - 1)
				}
			}
			return fmt.Errorf("import: line %d: %s record %d (%s): %w", line, sec.name, n, id, err)
		}
		imp.lines.line(end) // forget the line breaks before it
	}
	return imp.delim(']', fmt.Sprintf("the end of the list of %s", sec.name))
}

// recordValues is obj's values in columns' order, refusing unknown and
// missing keys, values of the wrong type, and text that would command a
// terminal (an *unsafeText). list names the record's section or nested
// list. A list column's value is its raw JSON, read by insert. A column
// added after the document's version is left out of it, and takes its
// absent value.
func recordValues(list string, obj map[string]json.RawMessage, columns []exportColumn, version int) ([]any, error) {
	if obj == nil {
		return nil, errors.New("the record is not a JSON object")
	}
	for k := range obj {
		if !slices.ContainsFunc(columns, func(c exportColumn) bool { return c.name == k }) {
			return nil, fmt.Errorf("unknown key %q", k)
		}
	}
	vals := make([]any, len(columns))
	for i, c := range columns {
		raw, ok := obj[c.name]
		switch {
		case !ok && c.since > version:
			vals[i] = c.absent()
			continue
		case !ok:
			return nil, fmt.Errorf("the key %q is missing", c.name)
		}
		v, err := columnValue(c.kind, raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		if s, ok := v.(string); ok {
			if at, r := coaching.FirstUnsafe(s, freeText()[list+"."+c.name]); at >= 0 {
				return nil, &unsafeText{path: []string{c.name}, r: r}
			}
		}
		vals[i] = v
	}
	return vals, nil
}

func columnValue(kind columnKind, raw json.RawMessage) (any, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	var err error
	switch kind {
	case kindInt:
		var n int64
		if err = json.Unmarshal(raw, &n); err == nil {
			return n, nil
		}
		return nil, fmt.Errorf("%s is not a whole number", raw)
	case kindReal:
		var f float64
		if err = json.Unmarshal(raw, &f); err == nil {
			return f, nil
		}
		return nil, fmt.Errorf("%s is not a number", raw)
	case kindBool:
		var b bool
		if err = json.Unmarshal(raw, &b); err == nil {
			if b {
				return int64(1), nil
			}
			return int64(0), nil
		}
		return nil, fmt.Errorf("%s is not true or false", raw)
	case kindJSON:
		return raw, nil
	default:
		var s string
		if err = json.Unmarshal(raw, &s); err == nil {
			return s, nil
		}
		return nil, fmt.Errorf("%s is not text", raw)
	}
}

// insert adds one record of the section named sec, and the lists in it.
func (imp *jsonImport) insert(sec string, columns []exportColumn, vals []any) error {
	col := func(name string) any {
		return vals[slices.IndexFunc(columns, func(c exportColumn) bool { return c.name == name })]
	}
	exec := func(stmt string, args ...any) error {
		_, err := imp.stmts[stmt].ExecContext(imp.ctx, args...)
		return err
	}
	// Rulers, change talk and tally marks carry their call's person: it
	// must be that call's, or the next export would differ.
	checkPerson := func() error {
		var pid int64
		err := imp.stmts["call_person"].QueryRowContext(imp.ctx, col("call_id")).Scan(&pid)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("call %v is not in the file", col("call_id"))
		}
		if err != nil {
			return err
		}
		if p, ok := col("person_id").(int64); !ok || p != pid {
			return fmt.Errorf("person_id %v is not call %v's person (%d)", col("person_id"), col("call_id"), pid)
		}
		return nil
	}
	var err error
	switch sec {
	case "people":
		phone, _ := col("phone").(string)
		args := slices.Concat(vals[:4], []any{coaching.PhoneDigits(phone)}, vals[4:])
		if err = exec("people", args...); err == nil {
			imp.counts.People++
		}
	case "calls":
		if err = exec("calls", vals...); err == nil {
			imp.counts.Calls++
		}
	case "plans":
		n := len(columns) - 3 // the three lists come last
		if err = exec("plans", vals[:n]...); err != nil {
			return err
		}
		for _, list := range []string{"barriers", "confidence_scores", "reviews"} {
			if err = imp.nested(list, col(list), col("id")); err != nil {
				return err
			}
		}
		imp.counts.Plans++
	case "rulers":
		if err = checkPerson(); err != nil {
			return err
		}
		args := slices.Concat(vals[:2], vals[3:])
		if err = exec("rulers", args...); err == nil {
			imp.counts.Rulers++
		}
	case "change_talk":
		if err = checkPerson(); err != nil {
			return err
		}
		if err = exec("change_talk", slices.Concat(vals[:2], vals[3:])...); err == nil {
			imp.counts.ChangeTalk++
		}
	case "tally":
		if err = checkPerson(); err != nil {
			return err
		}
		if err = exec("tally", slices.Concat(vals[:2], vals[3:])...); err == nil {
			imp.counts.Tally++
		}
	case "measures":
		n := len(columns) - 1 // items come last
		if err = exec("measures", vals[:n]...); err != nil {
			return err
		}
		if err = imp.nested("items", col("items"), col("id")); err != nil {
			return err
		}
		imp.counts.Measures++
	case "call_stages":
		err = exec("call_stages", vals...)
	case "drafts":
		err = exec("drafts", vals...)
	case "readings":
		if v, ok := col("value").(float64); !ok || math.IsNaN(v) {
			return errors.New("value is missing")
		}
		if err = exec("readings", vals...); err == nil {
			imp.counts.Readings++
		}
	case "follow_ups":
		if err = exec("follow_ups", vals...); err == nil {
			imp.counts.FollowUps++
		}
	case "safety_events":
		if err = exec("safety_events", vals...); err == nil {
			imp.counts.SafetyEvents++
		}
	default:
		return fmt.Errorf("no importer for %s", sec)
	}
	return err
}

// nested inserts the list named list (raw JSON, or nil for null: none)
// under the record with id parent.
func (imp *jsonImport) nested(list string, raw, parent any) error {
	if raw == nil {
		return nil
	}
	var objs []map[string]json.RawMessage
	if err := json.Unmarshal(raw.(json.RawMessage), &objs); err != nil {
		return fmt.Errorf("%s: not a list of objects: %v", list, err)
	}
	columns := importNested()[list]
	for i, obj := range objs {
		vals, err := recordValues(list, obj, columns, imp.version)
		if err != nil {
			var ue *unsafeText
			if errors.As(err, &ue) {
				ue.path = append([]string{list, strconv.Itoa(i)}, ue.path...)
			}
			return fmt.Errorf("%s %d: %w", list, i+1, err)
		}
		if _, err := imp.stmts[list].ExecContext(imp.ctx, append([]any{parent}, vals...)...); err != nil {
			return fmt.Errorf("%s %d: %w", list, i+1, err)
		}
	}
	return nil
}

// stringEnd finds the string at path in the JSON object raw (a key, or a
// list's key, an index from 0 and a key) and returns the offset just after
// it. A JSON string holds no raw line break, so its last byte is on the
// line it starts on.
func stringEnd(raw []byte, path []string) (int64, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	type level struct {
		object  bool
		key     string // in an object: the key of the value being read
		index   int    // in a list: the index of the value being read
		wantKey bool
	}
	var stack []*level
	at := func() []string { // the path of the value being read
		p := make([]string, 0, len(stack))
		for _, l := range stack {
			if l.object {
				p = append(p, l.key)
			} else {
				p = append(p, strconv.Itoa(l.index))
			}
		}
		return p
	}
	done := func() { // a value has been read
		if len(stack) == 0 {
			return
		}
		if top := stack[len(stack)-1]; top.object {
			top.wantKey = true
		} else {
			top.index++
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return 0, false
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, &level{object: t == '{', wantKey: t == '{'})
			default:
				if len(stack) == 0 {
					return 0, false
				}
				stack = stack[:len(stack)-1]
				done()
			}
		case string:
			if len(stack) == 0 {
				return 0, false
			}
			if top := stack[len(stack)-1]; top.object && top.wantKey {
				top.key, top.wantKey = t, false
				continue
			}
			if slices.Equal(at(), path) {
				return dec.InputOffset(), true
			}
			done()
		default:
			done()
		}
	}
}

// lineCounter passes its reader through and keeps the offsets of the line
// breaks, so that an offset in what the JSON decoder read can be named by
// line. It forgets the breaks before each offset asked about: it holds
// only those in the decoder's read-ahead, however long the file.
type lineCounter struct {
	r      io.Reader
	read   int64   // bytes passed through
	breaks []int64 // offsets of the line breaks not yet forgotten
	before int     // line breaks forgotten
}

func (l *lineCounter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\n')
		if j < 0 {
			break
		}
		l.breaks = append(l.breaks, l.read+int64(i+j))
		i += j + 1
	}
	l.read += int64(n)
	return n, err
}

// line is the line (from 1) that the byte at offset off is on. Each call
// must ask about an offset no earlier than the one before.
func (l *lineCounter) line(off int64) int {
	i := 0
	for i < len(l.breaks) && l.breaks[i] < off {
		i++
	}
	l.before += i
	l.breaks = l.breaks[i:]
	return l.before + 1
}
