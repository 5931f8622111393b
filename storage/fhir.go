package storage

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"callcoach/coaching/measures"

	"callcoach/coaching"
)

// FHIR R4 export. The mapping follows docs/coaching.md, "Exchange (FHIR R4)":
//
//	person       -> Patient
//	call         -> Encounter (class VR, virtual)
//	action plan  -> Goal, plus one CarePlan per person with plans
//	ruler        -> Observation (category survey, local code)
//	plan score   -> Observation (the confidence ruler's code), focus the Goal
//	measure      -> QuestionnaireResponse, and an Observation for its total
//	                (the registry's LOINC code where it has one) derived from it
//	reading      -> Observation (coaching.BuiltinReadings: LOINC code, FHIR
//	                category and UCUM unit; blood pressure a panel with a
//	                systolic and a diastolic component)
//
// Action plan status -> Goal.lifecycleStatus / Goal.achievementStatus /
// CarePlan.activity.detail.status (R4 value sets goal-status,
// goal-achievement, care-plan-activity-status):
//
//	active      -> active    / (none)        / in-progress
//	done        -> completed / achieved      / completed
//	partly_done -> completed / not-achieved  / completed  (and a note: partly done)
//	not_done    -> completed / not-achieved  / completed
//	revised     -> cancelled / (none)        / cancelled  (replaced by a newer plan)
//	dropped     -> cancelled / not-achieved  / stopped
//
// Call -> Encounter.status: finished when it has ended, else in-progress.
// Measure -> QuestionnaireResponse.status: completed or in-progress;
// its total Observation is final when complete, else preliminary.
//
// The coach's name, where a record has one, is a Reference with only a
// display (there are no Practitioner resources): Encounter.participant,
// and the measure's QuestionnaireResponse.author and total's
// Observation.performer. A reading has none: the person took it.

// Measure totals are coded with the registry's TotalLOINC (coaching/measures);
// where it has none (GAD-2, SEMCD-6), and for the rulers, which have no
// verified LOINC code, a local code in fhirLocalSystem is used.

const (
	fhirLOINCSystem    = "http://loinc.org"
	fhirLocalSystem    = "urn:callcoach:code"
	fhirQuestionnaire  = "urn:callcoach:questionnaire:"
	fhirActCodeSystem  = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	fhirCategorySystem = "http://terminology.hl7.org/CodeSystem/observation-category"
	fhirAchieveSystem  = "http://terminology.hl7.org/CodeSystem/goal-achievement"
	fhirUCUMSystem     = "http://unitsofmeasure.org"
)

// fhirNamespace is the root of the name-based UUIDs (RFC 4122's URL
// namespace). Each file's records are named in a namespace of their own,
// made from the file's installation id (fhirNamespaceOf): a record's id is
// the UUID v5 of "callcoach:<kind>/<row id>" in it. Patients carry their
// number as an identifier whose system names the installation too:
// urn:callcoach:installation:<uuid>:person.
var fhirNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// fhirNamespaceOf is the UUID v5 namespace of one file's records: the
// name-based UUID of its installation id in fhirNamespace.
func fhirNamespaceOf(install string) [16]byte {
	h := sha1.New()
	h.Write(fhirNamespace[:])
	h.Write([]byte("callcoach:installation/" + install))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	return u
}

// newBundleID is a random UUID (version 4) for one export's Bundle: no two
// exports share one, even in the same second. Tests replace it.
var newBundleID = func() (string, error) {
	var u [16]byte
	if _, err := rand.Read(u[:]); err != nil {
		return "", err
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return formatUUID(u), nil
}

// fhirID is a deterministic UUID v5 for one row of one kind.
func fhirID(ns [16]byte, kind string, id int64) string {
	return uuidV5(ns, "callcoach:"+kind+"/"+strconv.FormatInt(id, 10))
}

// uuidV5 is the name-based (SHA-1) UUID of name in namespace ns.
func uuidV5(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return formatUUID(u)
}

// formatUUID writes u as 8-4-4-4-12 hex digits.
func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// fhirRef is a Reference: to a resource in the bundle, or only a name
// (the coach's: callcoach keeps no Practitioner records).
type fhirRef struct {
	Reference string `json:"reference,omitempty"`
	Display   string `json:"display,omitempty"`
}

// fhirCoach is the coach who made a record, by name only; nil when the
// record has no coach's name.
func fhirCoach(name any) *fhirRef {
	if s := fhirStr(name); s != "" {
		return &fhirRef{Display: s}
	}
	return nil
}

// fhirParticipant is an Encounter's participant: the coach who called.
type fhirParticipant struct {
	Individual *fhirRef `json:"individual"`
}

type fhirCoding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

type fhirConcept struct {
	Coding []fhirCoding `json:"coding,omitempty"`
	Text   string       `json:"text,omitempty"`
}

type fhirText struct {
	Text string `json:"text"`
}

type fhirPeriod struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// fhirHumanName is a Patient's name: the text the coach uses, and the
// family and given names when the coach entered them (the name is official
// then: the organisation's records hold it so).
type fhirHumanName struct {
	Use    string   `json:"use,omitempty"`
	Text   string   `json:"text,omitempty"`
	Family string   `json:"family,omitempty"`
	Given  []string `json:"given,omitempty"`
}

type fhirPatient struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
	Identifier   []struct {
		System string `json:"system"`
		Value  string `json:"value"`
	} `json:"identifier"`
	Active  bool            `json:"active"`
	Name    []fhirHumanName `json:"name,omitempty"`
	Telecom []struct {
		System string `json:"system"`
		Value  string `json:"value"`
	} `json:"telecom,omitempty"`
}

type fhirEncounter struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id"`
	Status       string            `json:"status"`
	Class        fhirCoding        `json:"class"`
	Type         []fhirConcept     `json:"type,omitempty"`
	Subject      *fhirRef          `json:"subject"`
	Participant  []fhirParticipant `json:"participant,omitempty"`
	Period       *fhirPeriod       `json:"period,omitempty"`
}

type fhirGoalTarget struct {
	Measure      fhirText `json:"measure"`
	DetailString string   `json:"detailString,omitempty"`
	DueDate      string   `json:"dueDate,omitempty"`
}

type fhirGoal struct {
	ResourceType      string           `json:"resourceType"`
	ID                string           `json:"id"`
	LifecycleStatus   string           `json:"lifecycleStatus"`
	AchievementStatus *fhirConcept     `json:"achievementStatus,omitempty"`
	Description       fhirText         `json:"description"`
	Subject           *fhirRef         `json:"subject"`
	StartDate         string           `json:"startDate,omitempty"`
	Target            []fhirGoalTarget `json:"target,omitempty"`
	Note              []fhirText       `json:"note,omitempty"`
}

type fhirActivity struct {
	Detail struct {
		Status          string    `json:"status"`
		Description     string    `json:"description,omitempty"`
		ScheduledString string    `json:"scheduledString,omitempty"`
		Goal            []fhirRef `json:"goal,omitempty"`
	} `json:"detail"`
}

type fhirCarePlan struct {
	ResourceType string         `json:"resourceType"`
	ID           string         `json:"id"`
	Status       string         `json:"status"`
	Intent       string         `json:"intent"`
	Title        string         `json:"title,omitempty"`
	Subject      *fhirRef       `json:"subject"`
	Goal         []fhirRef      `json:"goal,omitempty"`
	Activity     []fhirActivity `json:"activity,omitempty"`
}

type fhirQuantity struct {
	Value  float64 `json:"value"`
	Unit   string  `json:"unit,omitempty"`
	System string  `json:"system,omitempty"`
	Code   string  `json:"code,omitempty"`
}

type fhirObservation struct {
	ResourceType      string        `json:"resourceType"`
	ID                string        `json:"id"`
	Status            string        `json:"status"`
	Category          []fhirConcept `json:"category"`
	Code              fhirConcept   `json:"code"`
	Subject           *fhirRef      `json:"subject"`
	Focus             []fhirRef     `json:"focus,omitempty"`
	Encounter         *fhirRef      `json:"encounter,omitempty"`
	EffectiveDateTime string        `json:"effectiveDateTime,omitempty"`
	Performer         []fhirRef     `json:"performer,omitempty"`
	ValueInteger      *int64        `json:"valueInteger,omitempty"`
	ValueQuantity     *fhirQuantity `json:"valueQuantity,omitempty"`
	Interpretation    []fhirText    `json:"interpretation,omitempty"`
	Note              []fhirText    `json:"note,omitempty"`
	DerivedFrom       []fhirRef     `json:"derivedFrom,omitempty"`
	Component         []fhirObsPart `json:"component,omitempty"`
}

// fhirObsPart is an Observation's component: a blood pressure's systolic
// or diastolic value.
type fhirObsPart struct {
	Code          fhirConcept   `json:"code"`
	ValueQuantity *fhirQuantity `json:"valueQuantity"`
}

// fhirAnswer is one answer: coded where the instrument's answers have
// codes (the registry's LOINC answer codes, or local ones for the closing
// question), else the number given (the SEMCD-6's 1-10).
type fhirAnswer struct {
	ValueCoding  *fhirCoding `json:"valueCoding,omitempty"`
	ValueInteger *int64      `json:"valueInteger,omitempty"`
}

type fhirQRItem struct {
	Extension []fhirExtension `json:"extension,omitempty"`
	LinkID    string          `json:"linkId"`
	Text      string          `json:"text,omitempty"`
	Answer    []fhirAnswer    `json:"answer,omitempty"`
}

// fhirExtension is an extension with one value: a code, a reference or a
// decimal.
type fhirExtension struct {
	URL            string   `json:"url"`
	ValueCode      string   `json:"valueCode,omitempty"`
	ValueReference *fhirRef `json:"valueReference,omitempty"`
	ValueDecimal   *float64 `json:"valueDecimal,omitempty"`
}

// fhirDeclined says an item has no answer because the person chose not to
// give one: FHIR's data-absent-reason extension, code asked-declined.
var fhirDeclined = []fhirExtension{{URL: "http://hl7.org/fhir/StructureDefinition/data-absent-reason", ValueCode: "asked-declined"}}

type fhirQR struct {
	ResourceType  string       `json:"resourceType"`
	ID            string       `json:"id"`
	Questionnaire string       `json:"questionnaire"`
	Status        string       `json:"status"`
	Subject       *fhirRef     `json:"subject"`
	Encounter     *fhirRef     `json:"encounter,omitempty"`
	Authored      string       `json:"authored,omitempty"`
	Author        *fhirRef     `json:"author,omitempty"`
	Item          []fhirQRItem `json:"item,omitempty"`
}

// fhirSection is a query for the FHIR export, run with exportSection's
// eachRow: ?1 the person id (0: all), ?2 the since time (empty: all). The
// last column of the ruler and measure queries tells whether the row's
// call is itself in the export, so an Encounter reference resolves within
// the bundle.
func fhirSection(name string, n int, query string) exportSection {
	return exportSection{name: name, columns: make([]exportColumn, n), query: query}
}

// withPG is sec with PostgreSQL's query, where its SQL differs.
func (sec exportSection) withPG(query string) exportSection {
	sec.pgQuery = query
	return sec
}

var (
	fhirPeople = fhirSection("people", 8,
		`SELECT id, name, phone, status, identifier, identifier_system, given_names, family_name FROM people
			WHERE (?1 = 0 OR id = ?1) AND ?2 = ?2 ORDER BY id`)
	fhirCalls = fhirSection("calls", 6,
		`SELECT id, person_id, started_at, ended_at, outcome, coach FROM calls
			WHERE (?1 = 0 OR person_id = ?1) AND (?2 = '' OR started_at >= ?2) ORDER BY id`)
	// Plans come grouped by person so each person's CarePlan follows their Goals.
	fhirPlans = fhirSection("plans", 10,
		`SELECT id, person_id, what, how_much, when_text, where_text, days_per_week, start_date,
			review_date, status
			FROM action_plans WHERE (?1 = 0 OR person_id = ?1) AND (?2 = '' OR created_at >= ?2)
			ORDER BY person_id, id`)
	// A plan's confidence scores, given in the plan form (or a review):
	// the last column says whether the plan's Goal is in the export.
	fhirPlanScores = fhirSection("plan scores", 6,
		`SELECT s.id, p.person_id, s.plan_id, s.score, s.scored_at, (?2 = '' OR p.created_at >= ?2)
			FROM confidence_scores s JOIN action_plans p ON p.id = s.plan_id
			WHERE (?1 = 0 OR p.person_id = ?1) AND (?2 = '' OR s.scored_at >= ?2) ORDER BY s.id`)
	// Safety events, with whether their call and their measure are in
	// the export (references must resolve).
	fhirSafety = fhirSection("safety events", 13,
		`SELECT e.id, e.person_id, e.call_id, e.measure_id, e.trigger, e.raised_at, e.actions, e.note,
			e.recorded_at, e.reviewed_at, e.review_reason,
			(SELECT ?2 = '' OR c.started_at >= ?2 FROM calls c WHERE c.id = e.call_id),
			(SELECT ?2 = '' OR m.given_at >= ?2 FROM measures m WHERE m.id = e.measure_id)
			FROM safety_events e
			WHERE (?1 = 0 OR e.person_id = ?1) AND (?2 = '' OR e.raised_at >= ?2) ORDER BY e.id`)
	fhirRulers = fhirSection("rulers", 8,
		`SELECT r.id, r.call_id, c.person_id, r.kind, r.score, r.about, r.asked_at,
			(?2 = '' OR c.started_at >= ?2)
			FROM rulers r JOIN calls c ON c.id = r.call_id
			WHERE (?1 = 0 OR c.person_id = ?1) AND (?2 = '' OR r.asked_at >= ?2) ORDER BY r.id`)
	fhirMeasures = fhirSection("measures", 13,
		`SELECT m.id, m.person_id, m.call_id, m.instrument, m.given_at, m.complete, m.scored, m.total,
			m.band, m.closing,
			(SELECT json_group_array(json_object('item', item, 'answer', answer) ORDER BY item)
				FROM measure_items WHERE measure_id = m.id),
			(m.call_id IS NOT NULL AND (?2 = '' OR EXISTS
				(SELECT 1 FROM calls c WHERE c.id = m.call_id AND c.started_at >= ?2))),
			m.coach
			FROM measures m WHERE (?1 = 0 OR m.person_id = ?1) AND (?2 = '' OR m.given_at >= ?2) ORDER BY m.id`).
		withPG(`SELECT m.id, m.person_id, m.call_id, m.instrument, m.given_at, m.complete, m.scored, m.total,
			m.band, m.closing,
			(SELECT ` + pgJSONList(`json_build_object('item', item, 'answer', answer) ORDER BY item`) + `
				FROM measure_items WHERE measure_id = m.id),
			(m.call_id IS NOT NULL AND (?2 = '' OR EXISTS
				(SELECT 1 FROM calls c WHERE c.id = m.call_id AND c.started_at >= ?2))),
			m.coach
			FROM measures m WHERE (?1 = 0 OR m.person_id = ?1) AND (?2 = '' OR m.given_at >= ?2) ORDER BY m.id`)
	// Readings, with whether their call is in the export.
	fhirReadings = fhirSection("readings", 10,
		`SELECT r.id, r.person_id, r.call_id, r.kind, r.value, r.value2, r.unit, r.entered_value, r.taken_at,
			(r.call_id IS NOT NULL AND (?2 = '' OR EXISTS
				(SELECT 1 FROM calls c WHERE c.id = r.call_id AND c.started_at >= ?2)))
			FROM readings r WHERE (?1 = 0 OR r.person_id = ?1) AND (?2 = '' OR r.taken_at >= ?2) ORDER BY r.id`)
)

func fhirStr(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// fhirInt is v as a number. A test such as "is the call in the export"
// is 0 or 1 on SQLite and a boolean on PostgreSQL.
func fhirInt(v any) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	case float64:
		return int64(v), true
	}
	return 0, false
}

// fhirWriter writes bundle entries one at a time.
type fhirWriter struct {
	bw    *bufio.Writer
	buf   bytes.Buffer
	enc   *json.Encoder
	first bool
	// ns names this file's records: the UUID v5 namespace made from its
	// installation id, so two caseloads never share an id.
	ns     [16]byte
	system string // the identifier system of this file's person numbers
	// carePlanKind names the CarePlans: with --since a CarePlan holds only
	// the plans since then, so it is a different resource from the full
	// one, with an id of its own ("careplan-since-2026-11-01").
	carePlanKind string
	transaction  bool            // a transaction Bundle: each entry with its request
	pg           bool            // the Store is on PostgreSQL: sections run its queries
	used         map[string]bool // the instruments the measures used: their Questionnaires follow
}

// id is the record's FHIR id: a UUID v5 of its kind and row number in
// this file's namespace, the same in every export.
func (w *fhirWriter) id(kind string, id int64) string { return fhirID(w.ns, kind, id) }

func (w *fhirWriter) url(kind string, id int64) string { return "urn:uuid:" + w.id(kind, id) }

// idOf is the id of a record named by a string (an instrument's
// Questionnaire), as id is for numbered rows.
func (w *fhirWriter) idOf(kind, name string) string { return uuidV5(w.ns, "callcoach:"+kind+"/"+name) }

func (w *fhirWriter) ref(kind string, id int64) *fhirRef { return &fhirRef{Reference: w.url(kind, id)} }

func (w *fhirWriter) entry(fullURL string, resource any) error {
	w.buf.Reset()
	if err := w.enc.Encode(resource); err != nil {
		return fmt.Errorf("export fhir: %w", err)
	}
	if !w.first {
		w.bw.WriteByte(',')
	}
	w.first = false
	fmt.Fprintf(w.bw, "\n{\"fullUrl\":%q,\"resource\":", fullURL)
	w.bw.Write(bytes.TrimSuffix(w.buf.Bytes(), []byte("\n")))
	if w.transaction {
		// PUT on the record's own id: a server creates it the first time
		// and finds it unchanged the next, so posting twice changes nothing.
		rt, _, _ := bytes.Cut(bytes.TrimPrefix(w.buf.Bytes(), []byte(`{"resourceType":"`)), []byte(`"`))
		fmt.Fprintf(w.bw, ",\"request\":{\"method\":\"PUT\",\"url\":%q}", string(rt)+"/"+strings.TrimPrefix(fullURL, "urn:uuid:"))
	}
	_, err := w.bw.WriteString("}")
	return err
}

// ExportFHIR writes every record matching f to w as one FHIR R4 Bundle of
// type collection, read in one snapshot and written entry by entry. Entry
// fullUrls are urn:uuid name-based UUIDs of the row ids in this file's
// namespace, so the same database always gives the same records, two
// databases never share one, and references use them. The Bundle's own id
// is new at every export.
func (s *Store) ExportFHIR(ctx context.Context, w io.Writer, f ExportFilter, now time.Time) error {
	return s.ExportFHIRBundle(ctx, w, f, now, false)
}

// ExportFHIRBundle is ExportFHIR; with transaction the Bundle is of type
// transaction, each entry a PUT of its resource at its own id
// (Type/uuid), for a FHIR server to take as it is: posting it twice
// leaves the server as the first post did.
func (s *Store) ExportFHIRBundle(ctx context.Context, w io.Writer, f ExportFilter, now time.Time, transaction bool) error {
	fw := &fhirWriter{bw: bufio.NewWriter(w), first: true, transaction: transaction, pg: s.pg, used: map[string]bool{}}
	fw.enc = json.NewEncoder(&fw.buf)
	fw.enc.SetEscapeHTML(false)
	install, err := s.InstallationID(ctx)
	if err != nil {
		return fmt.Errorf("export fhir: %w", err)
	}
	fw.ns = fhirNamespaceOf(install)
	fw.carePlanKind = "careplan"
	if !f.Since.IsZero() {
		fw.carePlanKind = "careplan-since-" + f.Since.UTC().Format(time.DateOnly)
	}
	fw.system = "urn:callcoach:installation:" + install + ":person"
	bundle, err := newBundleID()
	if err != nil {
		return fmt.Errorf("export fhir: %w", err)
	}
	err = s.read(ctx, func(tx *sql.Tx) error {
		kind := "collection"
		if transaction {
			kind = "transaction"
		}
		fmt.Fprintf(fw.bw, "{\"resourceType\":\"Bundle\",\"id\":%q,\"type\":%q,\"timestamp\":%q,\"entry\":[",
			bundle, kind, formatTime(now))
		for _, step := range []func(context.Context, *sql.Tx, ExportFilter, *fhirWriter) error{
			fhirWritePatients, fhirWriteEncounters, fhirWritePlans, fhirWritePlanScores, fhirWriteRulers, fhirWriteMeasures,
			fhirWriteReadings, fhirWriteSafety, fhirWriteQuestionnaires,
		} {
			if err := step(ctx, tx, f, fw); err != nil {
				return err
			}
		}
		_, err := fw.bw.WriteString("]}\n")
		return err
	})
	if err != nil {
		return err
	}
	return fw.bw.Flush()
}

func fhirWritePatients(ctx context.Context, tx *sql.Tx, f ExportFilter, fw *fhirWriter) error {
	return fhirPeople.eachRow(ctx, tx, fw.pg, f, func(v []any) error {
		id, _ := fhirInt(v[0])
		p := fhirPatient{ResourceType: "Patient", ID: fw.id("person", id), Active: fhirStr(v[3]) != "closed"}
		p.Identifier = append(p.Identifier, struct {
			System string `json:"system"`
			Value  string `json:"value"`
		}{fw.system, strconv.FormatInt(id, 10)})
		// The organisation's own number, first: it is the one a receiving
		// system matches on.
		if value, system := fhirStr(v[4]), fhirStr(v[5]); value != "" && system != "" {
			p.Identifier = append([]struct {
				System string `json:"system"`
				Value  string `json:"value"`
			}{{system, value}}, p.Identifier...)
		}
		// Family and given names only as the coach entered them: the
		// name is never split. FHIR holds each given name apart.
		name := fhirHumanName{Text: fhirStr(v[1]), Family: fhirStr(v[7]), Given: coaching.GivenNameList(fhirStr(v[6]))}
		if name.Family != "" || len(name.Given) > 0 {
			name.Use = "official"
		}
		if name.Text != "" || name.Use != "" {
			p.Name = []fhirHumanName{name}
		}
		if phone := fhirStr(v[2]); phone != "" {
			p.Telecom = append(p.Telecom, struct {
				System string `json:"system"`
				Value  string `json:"value"`
			}{"phone", phone})
		}
		return fw.entry(fw.url("person", id), p)
	})
}

func fhirWriteEncounters(ctx context.Context, tx *sql.Tx, f ExportFilter, fw *fhirWriter) error {
	return fhirCalls.eachRow(ctx, tx, fw.pg, f, func(v []any) error {
		id, _ := fhirInt(v[0])
		person, _ := fhirInt(v[1])
		e := fhirEncounter{
			ResourceType: "Encounter", ID: fw.id("call", id), Status: "in-progress",
			Class:   fhirCoding{fhirActCodeSystem, "VR", "virtual"},
			Subject: fw.ref("person", person),
			Period:  &fhirPeriod{Start: fhirStr(v[2]), End: fhirStr(v[3])},
		}
		if coach := fhirCoach(v[5]); coach != nil {
			e.Participant = []fhirParticipant{{Individual: coach}}
		}
		if v[3] != nil {
			e.Status = "finished"
		}
		// A call that did not reach them never began as an encounter: R4
		// calls that "cancelled" (it ended before it began). What
		// happened is its type, in a local code.
		if outcome := fhirStr(v[4]); outcome != "" && outcome != "reached" {
			e.Status = "cancelled"
			label := coaching.Outcome(outcome).Label()
			e.Type = []fhirConcept{{Coding: []fhirCoding{{fhirLocalSystem, "call-attempt-" + strings.ReplaceAll(outcome, "_", "-"), "Call attempt: " + label}},
				Text: "Call attempt: " + label}}
		}
		return fw.entry(fw.url("call", id), e)
	})
}

// fhirPlanStatus maps an action plan's status; see the table at the top.
func fhirPlanStatus(status string) (lifecycle, achievement, activity string) {
	switch status {
	case "active":
		return "active", "", "in-progress"
	case "done":
		return "completed", "achieved", "completed"
	case "partly_done": // closed, so not "in-progress": the target was not met (the Goal's note says partly)
		return "completed", "not-achieved", "completed"
	case "not_done":
		return "completed", "not-achieved", "completed"
	case "revised":
		return "cancelled", "", "cancelled"
	case "dropped":
		return "cancelled", "not-achieved", "stopped"
	}
	return "proposed", "", "unknown"
}

func fhirWritePlans(ctx context.Context, tx *sql.Tx, f ExportFilter, fw *fhirWriter) error {
	// One person's plans at a time: their Goals as read, then the CarePlan.
	var (
		person int64
		cp     *fhirCarePlan
	)
	flush := func() error {
		if cp == nil {
			return nil
		}
		err := fw.entry(fw.url(fw.carePlanKind, person), cp)
		cp = nil
		return err
	}
	err := fhirPlans.eachRow(ctx, tx, fw.pg, f, func(v []any) error {
		id, _ := fhirInt(v[0])
		pid, _ := fhirInt(v[1])
		if cp != nil && pid != person {
			if err := flush(); err != nil {
				return err
			}
		}
		if cp == nil {
			person = pid
			cp = &fhirCarePlan{ResourceType: "CarePlan", ID: fw.id(fw.carePlanKind, pid), Status: "completed",
				Intent: "plan", Title: "Action plans", Subject: fw.ref("person", pid)}
		}
		what, howMuch, when, where := fhirStr(v[2]), fhirStr(v[3]), fhirStr(v[4]), fhirStr(v[5])
		days, hasDays := fhirInt(v[6])
		lifecycle, achievement, activity := fhirPlanStatus(fhirStr(v[9]))
		desc := what
		for _, part := range []string{howMuch, when, where} {
			if part != "" {
				desc += ", " + part
			}
		}
		schedule := ""
		if hasDays {
			schedule = fmt.Sprintf("%d days a week", days)
			desc += ", " + schedule
		}
		if when != "" {
			if schedule != "" {
				schedule += ", "
			}
			schedule += when
		}
		g := fhirGoal{
			ResourceType: "Goal", ID: fw.id("plan", id), LifecycleStatus: lifecycle,
			Description: fhirText{desc}, Subject: fw.ref("person", pid), StartDate: fhirStr(v[7]),
		}
		if achievement != "" {
			g.AchievementStatus = &fhirConcept{Coding: []fhirCoding{{System: fhirAchieveSystem, Code: achievement}}}
		}
		if fhirStr(v[9]) == "partly_done" {
			g.Note = []fhirText{{"Partly done: some of it happened, not all the plan set out."}}
		}
		target := fhirGoalTarget{Measure: fhirText{"Days a week doing: " + what}, DueDate: fhirStr(v[8])}
		if hasDays {
			target.DetailString = fmt.Sprintf("%d days a week", days)
		}
		g.Target = []fhirGoalTarget{target}
		if err := fw.entry(fw.url("plan", id), g); err != nil {
			return err
		}
		if lifecycle == "active" {
			cp.Status = "active"
		}
		ref := fhirRef{Reference: fw.url("plan", id)}
		cp.Goal = append(cp.Goal, ref)
		var a fhirActivity
		a.Detail.Status = activity
		a.Detail.Description = desc
		a.Detail.ScheduledString = schedule
		a.Detail.Goal = []fhirRef{ref}
		cp.Activity = append(cp.Activity, a)
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// fhirCategoryDisplay is R4's display for the observation-category codes
// the readings use.
var fhirCategoryDisplay = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"vital-signs": "Vital Signs", "laboratory": "Laboratory", "activity": "Activity", "survey": "Survey",
	}
})

// fhirWriteReadings writes each reading as an Observation: its kind's
// LOINC code, or a local one (mood, the organisation's own kinds); its
// value in the kind's canonical unit, in UCUM where the unit has a UCUM
// form; a blood pressure as the panel with its two components. A kind
// that is not built in is the settings file's: coded locally from its
// name, category survey, its unit as stored.
func fhirWriteReadings(ctx context.Context, tx *sql.Tx, f ExportFilter, fw *fhirWriter) error {
	builtin := map[coaching.ReadingKind]coaching.ReadingType{}
	for _, t := range coaching.BuiltinReadings() {
		builtin[t.Kind] = t
	}
	return fhirReadings.eachRow(ctx, tx, fw.pg, f, func(v []any) error {
		id, _ := fhirInt(v[0])
		person, _ := fhirInt(v[1])
		call, _ := fhirInt(v[2])
		kind, unit, entered := coaching.ReadingKind(fhirStr(v[3])), fhirStr(v[6]), fhirStr(v[7])
		value, _ := v[4].(float64)
		t, ok := builtin[kind]
		if !ok {
			t = coaching.CustomReading{Name: string(kind), Unit: unit}.Custom()
		}
		quantity := func(x float64) *fhirQuantity {
			q := &fhirQuantity{Value: x, Unit: unit}
			if t.UCUM != "" && unit == t.Unit {
				q.System, q.Code = fhirUCUMSystem, t.UCUM
			}
			return q
		}
		coding := func(code string) fhirCoding {
			if t.LOINC {
				return fhirCoding{System: fhirLOINCSystem, Code: code}
			}
			return fhirCoding{System: fhirLocalSystem, Code: code, Display: t.Label}
		}
		o := fhirObservation{
			ResourceType: "Observation", ID: fw.id("reading", id), Status: "final",
			Category: []fhirConcept{{Coding: []fhirCoding{{System: fhirCategorySystem, Code: t.Category, Display: fhirCategoryDisplay()[t.Category]}}}},
			Code:     fhirConcept{Coding: []fhirCoding{coding(t.Code)}, Text: t.Label},
			Subject:  fw.ref("person", person), EffectiveDateTime: fhirStr(v[8]),
		}
		if t.Pair {
			value2, _ := v[5].(float64)
			o.Component = []fhirObsPart{
				{Code: fhirConcept{Coding: []fhirCoding{coding(t.Code1)}, Text: "systolic"}, ValueQuantity: quantity(value)},
				{Code: fhirConcept{Coding: []fhirCoding{coding(t.Code2)}, Text: "diastolic"}, ValueQuantity: quantity(value2)},
			}
		} else {
			o.ValueQuantity = quantity(value)
		}
		if in, _ := fhirInt(v[9]); in != 0 {
			o.Encounter = fw.ref("call", call)
		}
		if !strings.HasSuffix(entered, " "+unit) {
			o.Note = []fhirText{{"As reported: " + entered}}
		}
		return fw.entry(fw.url("reading", id), o)
	})
}

func fhirSurvey() []fhirConcept {
	return []fhirConcept{{Coding: []fhirCoding{{System: fhirCategorySystem, Code: "survey", Display: "Survey"}}}}
}

// fhirWritePlanScores writes each confidence score a plan was given as an
// Observation (the same local code as the in-call confidence ruler) whose
// focus is the plan's Goal when that is in the export.
func fhirWritePlanScores(ctx context.Context, tx *sql.Tx, f ExportFilter, fw *fhirWriter) error {
	return fhirPlanScores.eachRow(ctx, tx, fw.pg, f, func(v []any) error {
		id, _ := fhirInt(v[0])
		person, _ := fhirInt(v[1])
		plan, _ := fhirInt(v[2])
		score, _ := fhirInt(v[3])
		const display = "Confidence ruler"
		o := fhirObservation{
			ResourceType: "Observation", ID: fw.id("plan-score", id), Status: "final", Category: fhirSurvey(),
			Code: fhirConcept{Coding: []fhirCoding{{System: fhirLocalSystem, Code: "confidence-ruler", Display: display}},
				Text: display},
			Subject: fw.ref("person", person), EffectiveDateTime: fhirStr(v[4]), ValueInteger: &score,
			Note: []fhirText{{"Confidence in the action plan, scored when it was written or reviewed"}},
		}
		if in, _ := fhirInt(v[5]); in != 0 {
			o.Focus = []fhirRef{*fw.ref("plan", plan)}
		}
		return fw.entry(fw.url("plan-score", id), o)
	})
}

func fhirWriteRulers(ctx context.Context, tx *sql.Tx, f ExportFilter, fw *fhirWriter) error {
	return fhirRulers.eachRow(ctx, tx, fw.pg, f, func(v []any) error {
		id, _ := fhirInt(v[0])
		call, _ := fhirInt(v[1])
		person, _ := fhirInt(v[2])
		kind := fhirStr(v[3])
		score, _ := fhirInt(v[4])
		display := "Importance ruler"
		if kind == "confidence" {
			display = "Confidence ruler"
		}
		o := fhirObservation{
			ResourceType: "Observation", ID: fw.id("ruler", id), Status: "final", Category: fhirSurvey(),
			Code: fhirConcept{Coding: []fhirCoding{{System: fhirLocalSystem, Code: kind + "-ruler", Display: display}},
				Text: display},
			Subject: fw.ref("person", person), EffectiveDateTime: fhirStr(v[6]), ValueInteger: &score,
		}
		if in, _ := fhirInt(v[7]); in != 0 {
			o.Encounter = fw.ref("call", call)
		}
		if about := fhirStr(v[5]); about != "" {
			o.Note = []fhirText{{"About: " + about}}
		}
		return fw.entry(fw.url("ruler", id), o)
	})
}

func fhirWriteMeasures(ctx context.Context, tx *sql.Tx, f ExportFilter, fw *fhirWriter) error {
	registry := map[string]measures.Instrument{}
	for _, inst := range measures.All() {
		registry[string(inst.ID)] = inst
	}
	var items []struct {
		Item   int64 `json:"item"`
		Answer int64 `json:"answer"`
	}
	return fhirMeasures.eachRow(ctx, tx, fw.pg, f, func(v []any) error {
		id, _ := fhirInt(v[0])
		person, _ := fhirInt(v[1])
		instrument := fhirStr(v[3])
		complete, _ := fhirInt(v[5])
		inExport, _ := fhirInt(v[11])
		var enc *fhirRef
		if call, ok := fhirInt(v[2]); ok && inExport != 0 {
			enc = fw.ref("call", call)
		}
		qr := fhirQR{
			ResourceType: "QuestionnaireResponse", ID: fw.id("measure", id),
			Questionnaire: fhirQuestionnaire + instrument, Status: "in-progress", // the Questionnaire's url

			Subject: fw.ref("person", person), Encounter: enc, Authored: fhirStr(v[4]), Author: fhirCoach(v[12]),
		}
		if complete != 0 {
			qr.Status = "completed"
		}
		items = items[:0]
		if err := json.Unmarshal([]byte(fhirStr(v[10])), &items); err != nil {
			return fmt.Errorf("export fhir measure %d: %w", id, err)
		}
		inst, known := registry[instrument]
		if known {
			fw.used[instrument] = true
		}
		for _, it := range items {
			item := fhirQRItem{LinkID: strconv.FormatInt(it.Item, 10)}
			if known && inst.Free && int(it.Item) >= 1 && int(it.Item) <= len(inst.Items) {
				item.Text = inst.Items[it.Item-1].Text
			}
			if it.Answer >= 0 {
				item.Answer = []fhirAnswer{fhirAnswerOf(inst.Options, instrument, it.Answer)}
			} else { // -1 is declined: no answer, and why
				item.Extension = fhirDeclined
			}
			qr.Item = append(qr.Item, item)
		}
		// The closing question, where the instrument has one (and so does
		// its Questionnaire).
		if closing, ok := fhirInt(v[9]); ok && (!known || inst.Closing != "") {
			item := fhirQRItem{LinkID: "closing", Text: inst.Closing,
				Answer: []fhirAnswer{fhirAnswerOf(fhirClosingOptions(inst), instrument, closing)}}
			qr.Item = append(qr.Item, item)
		}
		if err := fw.entry(fw.url("measure", id), qr); err != nil {
			return err
		}
		if scored, _ := fhirInt(v[6]); scored == 0 || v[7] == nil {
			return nil
		}
		name := inst.Name
		if !known {
			name = instrument
		}
		code := fhirConcept{Text: name + " total score"}
		if inst.TotalLOINC != "" {
			code.Coding = []fhirCoding{{System: fhirLOINCSystem, Code: inst.TotalLOINC, Display: name + " total score"}}
		} else {
			code.Coding = []fhirCoding{{System: fhirLocalSystem, Code: instrument + "-total", Display: name + " total score"}}
		}
		o := fhirObservation{
			ResourceType: "Observation", ID: fw.id("measure-total", id), Status: "preliminary",
			Category: fhirSurvey(), Code: code, Subject: fw.ref("person", person), Encounter: enc,
			EffectiveDateTime: fhirStr(v[4]), DerivedFrom: []fhirRef{{Reference: fw.url("measure", id)}},
		}
		if coach := fhirCoach(v[12]); coach != nil {
			o.Performer = []fhirRef{*coach}
		}
		if complete != 0 {
			o.Status = "final"
		}
		var total float64
		switch t := v[7].(type) {
		case float64:
			total = t
		case int64:
			total = float64(t)
		}
		if known && inst.Scoring.Method == measures.Mean {
			// A mean of the items (the SEMCD-6's) need not be whole.
			o.ValueQuantity = &fhirQuantity{Value: total, Unit: "{score}", System: "http://unitsofmeasure.org", Code: "{score}"}
		} else {
			n := int64(total)
			o.ValueInteger = &n
		}
		if band := fhirStr(v[8]); band != "" {
			o.Interpretation = []fhirText{{band}}
		}
		return fw.entry(fw.url("measure-total", id), o)
	})
}

// A safety event is two resources (R4):
//   - a Flag, the warning a receiving team should see while it stands:
//     active until reviewed at a later call, then inactive, its period from
//     raised to reviewed; a panel opened by mistake is entered-in-error.
//     Flag has no place for what was done, nor for its evidence, so
//   - a RiskAssessment holds them: its basis is the measure that raised it
//     (the PHQ-9's QuestionnaireResponse, when that is exported), its
//     mitigation what the coach did, its note their note and why the flag
//     was cleared. The Flag points to it with the flag-detail extension.
type fhirFlag struct {
	ResourceType string          `json:"resourceType"`
	ID           string          `json:"id"`
	Extension    []fhirExtension `json:"extension,omitempty"`
	Status       string          `json:"status"`
	Category     []fhirConcept   `json:"category"`
	Code         fhirConcept     `json:"code"`
	Subject      *fhirRef        `json:"subject"`
	Period       *fhirPeriod     `json:"period,omitempty"`
	Encounter    *fhirRef        `json:"encounter,omitempty"`
}

type fhirRiskAssessment struct {
	ResourceType       string      `json:"resourceType"`
	ID                 string      `json:"id"`
	Status             string      `json:"status"`
	Code               fhirConcept `json:"code"`
	Subject            *fhirRef    `json:"subject"`
	Encounter          *fhirRef    `json:"encounter,omitempty"`
	OccurrenceDateTime string      `json:"occurrenceDateTime"`
	Basis              []fhirRef   `json:"basis,omitempty"`
	Mitigation         string      `json:"mitigation,omitempty"`
	Note               []fhirText  `json:"note,omitempty"`
}

func fhirWriteSafety(ctx context.Context, tx *sql.Tx, f ExportFilter, fw *fhirWriter) error {
	return fhirSafety.eachRow(ctx, tx, fw.pg, f, func(v []any) error {
		id, _ := fhirInt(v[0])
		person, _ := fhirInt(v[1])
		call, _ := fhirInt(v[2])
		measure, _ := fhirInt(v[3])
		actions := strings.Split(fhirStr(v[6]), ",")
		what := "Risk of harm raised by the coach"
		if fhirStr(v[4]) == "phq9_item9" {
			what = "Risk of harm: PHQ-9 item 9 answered above 0"
		}
		code := fhirConcept{Coding: []fhirCoding{{fhirLocalSystem, "safety-concern", "Safety concern (risk of harm)"}}, Text: what}
		flag := fhirFlag{ResourceType: "Flag", ID: fw.id("safety-flag", id), Status: "active",
			Category: []fhirConcept{{Coding: []fhirCoding{{"http://terminology.hl7.org/CodeSystem/flag-category", "safety", "Safety"}}}},
			Code:     code, Subject: fw.ref("person", person),
			Period:    &fhirPeriod{Start: fhirStr(v[5]), End: fhirStr(v[9])},
			Extension: []fhirExtension{{URL: "http://hl7.org/fhir/StructureDefinition/flag-detail", ValueReference: fw.ref("safety", id)}}}
		switch {
		case len(actions) == 1 && actions[0] == string(measures.ActionOpenedByMistake):
			flag.Status = "entered-in-error"
		case v[9] != nil:
			flag.Status = "inactive"
		}
		risk := fhirRiskAssessment{ResourceType: "RiskAssessment", ID: fw.id("safety", id), Status: "final",
			Code: code, Subject: fw.ref("person", person), OccurrenceDateTime: fhirStr(v[5])}
		if v[8] == nil {
			risk.Status = "preliminary" // the panel was still open: nothing recorded yet
		}
		if flag.Status == "entered-in-error" {
			risk.Status = "entered-in-error"
		}
		if in, _ := fhirInt(v[11]); in != 0 && call != 0 {
			flag.Encounter, risk.Encounter = fw.ref("call", call), fw.ref("call", call)
		}
		if in, _ := fhirInt(v[12]); in != 0 && measure != 0 {
			risk.Basis = []fhirRef{*fw.ref("measure", measure)}
		}
		var done []string
		for _, a := range actions {
			if a != "" {
				done = append(done, strings.ReplaceAll(a, "_", " "))
			}
		}
		if len(done) > 0 {
			risk.Mitigation = "Done: " + strings.Join(done, "; ")
		}
		if note := fhirStr(v[7]); note != "" {
			risk.Note = append(risk.Note, fhirText{note})
		}
		if why := fhirStr(v[10]); why != "" {
			risk.Note = append(risk.Note, fhirText{"Flag cleared: " + why})
		}
		if err := fw.entry(fw.url("safety-flag", id), flag); err != nil {
			return err
		}
		return fw.entry(fw.url("safety", id), risk)
	})
}

// fhirClosingOptions are the closing question's answers ("how difficult"),
// coded locally: the registry has no verified LOINC codes for them.
func fhirClosingOptions(inst measures.Instrument) []measures.Option {
	out := make([]measures.Option, len(inst.ClosingOptions))
	for i, o := range inst.ClosingOptions {
		out[i] = o
		out[i].LOINC = ""
	}
	return out
}

// fhirAnswerCoding is the coding of answer value v among options: the
// LOINC answer code where the registry has one, else a local code
// ("<instrument>-answer-<v>"); nil where the options have no labels to
// code (a number scale).
func fhirAnswerCoding(options []measures.Option, instrument string, v int64) *fhirCoding {
	if numberScale(options) {
		return nil // a number on a scale: the number is the answer
	}
	for _, o := range options {
		if int64(o.Value) != v {
			continue
		}
		if o.LOINC != "" {
			return &fhirCoding{System: fhirLOINCSystem, Code: o.LOINC, Display: o.Label}
		}
		return &fhirCoding{System: fhirLocalSystem, Code: fmt.Sprintf("%s-answer-%d", instrument, v), Display: o.Label}
	}
	return nil
}

// numberScale reports whether the answers are a scale of numbers (the
// SEMCD-6's 1-10, only the ends with words): each label starts with its
// value, and none has a code.
func numberScale(options []measures.Option) bool {
	for _, o := range options {
		if o.LOINC != "" || !strings.HasPrefix(o.Label, strconv.Itoa(o.Value)) {
			return false
		}
	}
	return len(options) > 0
}

func fhirAnswerOf(options []measures.Option, instrument string, v int64) fhirAnswer {
	if c := fhirAnswerCoding(options, instrument, v); c != nil {
		return fhirAnswer{ValueCoding: c}
	}
	return fhirAnswer{ValueInteger: &v}
}

// A Questionnaire for each instrument the export's measures used, so each
// QuestionnaireResponse's questionnaire (its url) is in the Bundle: items
// with their text where the instrument may be reproduced, their LOINC
// codes where the registry has them (coaching/measures), and the answers
// with their codes and scores (the ordinalValue extension).
type fhirQuestionnaireRes struct {
	ResourceType string             `json:"resourceType"`
	ID           string             `json:"id"`
	URL          string             `json:"url"`
	Name         string             `json:"name"`
	Title        string             `json:"title"`
	Status       string             `json:"status"`
	Code         []fhirCoding       `json:"code,omitempty"`
	Item         []fhirQuestionItem `json:"item"`
}

type fhirQuestionItem struct {
	LinkID       string              `json:"linkId"`
	Code         []fhirCoding        `json:"code,omitempty"`
	Text         string              `json:"text,omitempty"`
	Type         string              `json:"type"`
	AnswerOption []fhirAnswerOptionQ `json:"answerOption,omitempty"`
}

type fhirAnswerOptionQ struct {
	ValueCoding  *fhirOrdinalCoding `json:"valueCoding,omitempty"`
	ValueInteger *int64             `json:"valueInteger,omitempty"`
}

type fhirOrdinalCoding struct {
	Extension []fhirExtension `json:"extension"`
	fhirCoding
}

func fhirWriteQuestionnaires(_ context.Context, _ *sql.Tx, _ ExportFilter, fw *fhirWriter) error {
	for _, inst := range measures.All() {
		id := string(inst.ID)
		if !fw.used[id] {
			continue
		}
		q := fhirQuestionnaireRes{ResourceType: "Questionnaire", ID: fw.idOf("questionnaire", id),
			URL: fhirQuestionnaire + id, Name: strings.ReplaceAll(inst.Name, "-", ""), Title: inst.Title, Status: "active"}
		if inst.PanelLOINC != "" {
			q.Code = []fhirCoding{{System: fhirLOINCSystem, Code: inst.PanelLOINC, Display: inst.Name}}
		}
		options := func(opts []measures.Option) (out []fhirAnswerOptionQ, kind string) {
			kind = "choice"
			for _, o := range opts {
				v := int64(o.Value)
				c := fhirAnswerCoding(opts, id, v)
				if c == nil {
					kind = "integer"
					out = append(out, fhirAnswerOptionQ{ValueInteger: &v})
					continue
				}
				ordinal := float64(o.Value)
				out = append(out, fhirAnswerOptionQ{ValueCoding: &fhirOrdinalCoding{
					Extension:  []fhirExtension{{URL: "http://hl7.org/fhir/StructureDefinition/ordinalValue", ValueDecimal: &ordinal}},
					fhirCoding: *c}})
			}
			return out, kind
		}
		for _, it := range inst.Items {
			item := fhirQuestionItem{LinkID: strconv.Itoa(it.Number)}
			if inst.Free {
				item.Text = it.Text
			}
			if it.LOINC != "" {
				item.Code = []fhirCoding{{System: fhirLOINCSystem, Code: it.LOINC}}
			}
			item.AnswerOption, item.Type = options(inst.Options)
			q.Item = append(q.Item, item)
		}
		if inst.Closing != "" {
			item := fhirQuestionItem{LinkID: "closing", Text: inst.Closing}
			item.AnswerOption, item.Type = options(fhirClosingOptions(inst))
			q.Item = append(q.Item, item)
		}
		if err := fw.entry("urn:uuid:"+q.ID, q); err != nil {
			return err
		}
	}
	return nil
}
