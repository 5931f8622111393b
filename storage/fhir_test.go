package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

func exportFHIR(t *testing.T, s *Store, f ExportFilter) []byte {
	t.Helper()
	random := newBundleID
	newBundleID = func() (string, error) { return "6d1c5a0e-0c1d-4f2a-9b3c-000000000000", nil } // the golden file's
	defer func() { newBundleID = random }()
	var buf bytes.Buffer
	if err := s.ExportFHIR(context.Background(), &buf, f, t0); err != nil {
		t.Fatalf("ExportFHIR: %v", err)
	}
	return buf.Bytes()
}

// The R4 value sets the export uses.
var fhirValueSets = map[string]map[string][]string{
	"Encounter":             {"status": {"planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled", "entered-in-error", "unknown"}},
	"Goal":                  {"lifecycleStatus": {"proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled", "entered-in-error", "rejected"}},
	"CarePlan":              {"status": {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}, "intent": {"proposal", "plan", "order", "option"}},
	"Observation":           {"status": {"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"}},
	"QuestionnaireResponse": {"status": {"in-progress", "completed", "amended", "entered-in-error", "stopped"}},
	"Flag":                  {"status": {"active", "inactive", "entered-in-error"}},
	"Questionnaire":         {"status": {"draft", "active", "retired", "unknown"}},
	"RiskAssessment":        {"status": {"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"}},
}

var fhirRequired = map[string][]string{
	"Patient":               {"identifier"},
	"Encounter":             {"status", "class", "subject"},
	"Goal":                  {"lifecycleStatus", "description", "subject"},
	"CarePlan":              {"status", "intent", "subject"},
	"Observation":           {"status", "code", "subject"},
	"QuestionnaireResponse": {"status", "subject"},
	"Flag":                  {"status", "code", "subject"},
	"Questionnaire":         {"status", "url", "item"},
	"RiskAssessment":        {"status", "subject"},
}

var activityStatuses = []string{"not-started", "scheduled", "in-progress", "on-hold", "completed", "cancelled", "stopped", "unknown", "entered-in-error"}
var achievementCodes = []string{"in-progress", "improving", "worsening", "no-change", "achieved", "sustaining", "not-achieved", "no-progress", "not-attainable"}

// validateFHIR checks the bundle's structure and returns its resources by type.
func validateFHIR(t *testing.T, b []byte) map[string][]map[string]any {
	t.Helper()
	var bundle map[string]any
	if err := json.Unmarshal(b, &bundle); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if bundle["resourceType"] != "Bundle" || bundle["type"] != "collection" || bundle["timestamp"] == nil {
		t.Fatalf("bundle header: %v %v %v", bundle["resourceType"], bundle["type"], bundle["timestamp"])
	}
	entries, _ := bundle["entry"].([]any)
	urls := map[string]bool{}
	byType := map[string][]map[string]any{}
	for i, e := range entries {
		entry := e.(map[string]any)
		url, _ := entry["fullUrl"].(string)
		res, _ := entry["resource"].(map[string]any)
		rt, _ := res["resourceType"].(string)
		if rt == "" || (url == "" && res["id"] == nil) {
			t.Errorf("entry %d: no resourceType or id/fullUrl", i)
		}
		if !strings.HasPrefix(url, "urn:uuid:") || len(url) != len("urn:uuid:")+36 || url[len("urn:uuid:")+14] != '5' {
			t.Errorf("entry %d: fullUrl %q is not a urn:uuid v5", i, url)
		}
		if urls[url] {
			t.Errorf("entry %d: duplicate fullUrl %s", i, url)
		}
		urls[url] = true
		req, ok := fhirRequired[rt]
		if !ok {
			t.Errorf("entry %d: unexpected resourceType %q", i, rt)
		}
		for _, field := range req {
			if v, ok := res[field]; !ok || v == "" || v == nil {
				t.Errorf("%s %d: missing %s", rt, i, field)
			}
		}
		for field, set := range fhirValueSets[rt] {
			if v, _ := res[field].(string); !slices.Contains(set, v) {
				t.Errorf("%s %d: %s %q is not in the R4 value set", rt, i, field, v)
			}
		}
		byType[rt] = append(byType[rt], res)
	}
	// Every reference anywhere resolves to an entry.
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "reference" && !urls[s] {
					t.Errorf("reference %s does not resolve in the bundle", s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(bundle)
	for _, g := range byType["Goal"] {
		if a, ok := g["achievementStatus"].(map[string]any); ok {
			code := a["coding"].([]any)[0].(map[string]any)["code"].(string)
			if !slices.Contains(achievementCodes, code) {
				t.Errorf("Goal achievementStatus %q", code)
			}
		}
	}
	for _, cp := range byType["CarePlan"] {
		for _, a := range cp["activity"].([]any) {
			st := a.(map[string]any)["detail"].(map[string]any)["status"].(string)
			if !slices.Contains(activityStatuses, st) {
				t.Errorf("CarePlan activity status %q", st)
			}
		}
	}
	for _, e := range byType["Encounter"] {
		class := e["class"].(map[string]any)
		if class["code"] != "VR" || class["system"] != fhirActCodeSystem {
			t.Errorf("Encounter class %v", class)
		}
	}
	return byType
}

func loincCodes(obs []map[string]any) []string {
	var out []string
	for _, o := range obs {
		for _, c := range o["code"].(map[string]any)["coding"].([]any) {
			c := c.(map[string]any)
			if c["system"] == fhirLOINCSystem {
				out = append(out, c["code"].(string))
			}
		}
	}
	return out
}

func TestExportFHIRGolden(t *testing.T) {
	s := newStore(t)
	exportSample(t, s)
	got := exportFHIR(t, s, ExportFilter{})
	golden(t, "fhir.json", got)

	byType := validateFHIR(t, got)
	want := map[string]int{"Patient": 3, "Encounter": 4, "Goal": 1, "CarePlan": 1, "Observation": 9, "QuestionnaireResponse": 2, // Observations: 2 rulers, 2 plan scores, 2 totals, 3 readings
		"Flag": 3, "RiskAssessment": 3, "Questionnaire": 2}
	for rt, n := range want {
		if len(byType[rt]) != n {
			t.Errorf("%s: %d resources, want %d", rt, len(byType[rt]), n)
		}
	}
	if codes := loincCodes(byType["Observation"]); !slices.Equal(codes, []string{"55758-7", "85354-9", "29463-7"}) {
		t.Errorf("LOINC codes %v, want the PHQ-2 total 55758-7, blood pressure 85354-9 and body weight 29463-7", codes)
	}
	checkFHIRReadings(t, byType["Observation"][6:])
	// Names: the official name where the coach entered its parts (one
	// given name each), only the text where not; never a split of it.
	var names []string
	for _, p := range byType["Patient"] {
		b, _ := json.Marshal(p["name"])
		names = append(names, string(b))
	}
	if want := []string{
		`[{"family":"O'Neil","given":["Ann","Marie"],"text":"Ann O'Neil, \"Annie\"","use":"official"}]`,
		`[{"text":"Zoë 🌻 Brown"}]`,
		`[{"family":"الحسن","text":"مريم الحسن","use":"official"}]`,
	}; !slices.Equal(names, want) {
		t.Errorf("Patient names:\n%s\nwant\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	// The SEMCD-6 with a declined item: in progress, item 2 has no answer.
	var semcd map[string]any
	for _, qr := range byType["QuestionnaireResponse"] {
		if qr["questionnaire"] == "urn:callcoach:questionnaire:semcd6" {
			semcd = qr
		}
	}
	if semcd == nil || semcd["status"] != "in-progress" {
		t.Fatalf("semcd6 response: %v", semcd)
	}
	item2 := semcd["item"].([]any)[1].(map[string]any)
	if item2["linkId"] != "2" || item2["answer"] != nil {
		t.Errorf("declined item: %v", item2)
	}
	if ext, _ := item2["extension"].([]any); len(ext) != 1 || ext[0].(map[string]any)["valueCode"] != "asked-declined" ||
		ext[0].(map[string]any)["url"] != "http://hl7.org/fhir/StructureDefinition/data-absent-reason" {
		t.Errorf("the declined item says no data-absent reason: %v", item2)
	}
	if g := byType["Goal"][0]; g["lifecycleStatus"] != "active" || g["target"].([]any)[0].(map[string]any)["dueDate"] != "2026-11-21" {
		t.Errorf("goal: %v", g)
	}

	// The plan form's confidence scores (6, then 7) are Observations on
	// the plan's Goal.
	var planScores []any
	for _, o := range byType["Observation"] {
		if focus, ok := o["focus"].([]any); ok && len(focus) == 1 {
			planScores = append(planScores, o["valueInteger"])
		}
	}
	if fmt.Sprint(planScores) != "[6 7]" {
		t.Errorf("the plan's confidence scores as Observations: %v, want [6 7]", planScores)
	}

	// The safety events: one standing (active), one reviewed (inactive,
	// with why it was cleared), one opened by mistake (entered in error);
	// what was done is the assessment's mitigation.
	var flags []string
	for _, f := range byType["Flag"] {
		flags = append(flags, f["status"].(string))
	}
	if fmt.Sprint(flags) != "[active inactive entered-in-error]" {
		t.Errorf("flag statuses %v", flags)
	}
	if r := byType["RiskAssessment"][1]; !strings.Contains(r["mitigation"].(string), "asked directly") ||
		!strings.Contains(fmt.Sprint(r["note"]), "Flag cleared: =asked again") {
		t.Errorf("the reviewed event's assessment: %v", r)
	}

	// Each response's questionnaire is in the Bundle; its answers are
	// coded (PHQ-2: LOINC answer codes) or the number given (SEMCD-6).
	urls := map[string]map[string]any{}
	for _, q := range byType["Questionnaire"] {
		urls[q["url"].(string)] = q
	}
	for _, qr := range byType["QuestionnaireResponse"] {
		q := urls[qr["questionnaire"].(string)]
		if q == nil {
			t.Errorf("the questionnaire %v is not in the Bundle", qr["questionnaire"])
			continue
		}
		links := map[any]bool{}
		for _, it := range q["item"].([]any) {
			links[it.(map[string]any)["linkId"]] = true
		}
		for _, it := range qr["item"].([]any) {
			if id := it.(map[string]any)["linkId"]; !links[id] {
				t.Errorf("%v: item %v is not in its questionnaire", qr["questionnaire"], id)
			}
		}
	}
	phq2 := urls["urn:callcoach:questionnaire:phq2"]
	item1 := phq2["item"].([]any)[0].(map[string]any)
	if item1["code"].([]any)[0].(map[string]any)["code"] != "44250-9" || item1["text"] != "Little interest or pleasure in doing things" {
		t.Errorf("the PHQ-2's first item: %v", item1)
	}
	for _, qr := range byType["QuestionnaireResponse"] {
		if qr["questionnaire"] != "urn:callcoach:questionnaire:phq2" {
			continue
		}
		a := qr["item"].([]any)[0].(map[string]any)["answer"].([]any)[0].(map[string]any)["valueCoding"].(map[string]any)
		if a["code"] != "LA6569-3" || a["display"] != "Several days" {
			t.Errorf("the PHQ-2's first answer: %v", a)
		}
	}

	// The call that did not reach them is no finished encounter.
	statuses := map[string]int{}
	for _, e := range byType["Encounter"] {
		statuses[e["status"].(string)]++
		if e["status"] == "cancelled" {
			code := e["type"].([]any)[0].(map[string]any)["coding"].([]any)[0].(map[string]any)["code"]
			if code != "call-attempt-no-answer" {
				t.Errorf("the unanswered call's type: %v", code)
			}
		}
	}
	if statuses["finished"] != 2 || statuses["cancelled"] != 1 || statuses["in-progress"] != 1 {
		t.Errorf("encounter statuses %v: want 2 finished (reached), 1 cancelled (no answer), 1 in progress", statuses)
	}

	// Same database, same document (but for the Bundle's own id).
	if again := exportFHIR(t, s, ExportFilter{}); !bytes.Equal(again, got) {
		t.Error("a second export differs")
	}
}

// TestFHIRIdentityIsThisFiles: two exports never share a Bundle id; two
// files made apart give the same rows different ids and identifier
// systems; the same file gives a record the same id every time.
func TestFHIRIdentityIsThisFiles(t *testing.T) {
	ctx := context.Background()
	ids := func(s *Store) (bundle string, resources map[string]bool, systems map[string]bool) {
		var buf bytes.Buffer
		if err := s.ExportFHIR(ctx, &buf, ExportFilter{}, t0); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			ID    string `json:"id"`
			Entry []struct {
				Resource struct {
					ID         string `json:"id"`
					Identifier []struct {
						System string `json:"system"`
					} `json:"identifier"`
				} `json:"resource"`
			} `json:"entry"`
		}
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		resources, systems = map[string]bool{}, map[string]bool{}
		for _, e := range doc.Entry {
			resources[e.Resource.ID] = true
			for _, i := range e.Resource.Identifier {
				systems[i.System] = true
			}
		}
		return doc.ID, resources, systems
	}
	a, b := newStore(t), newStore(t)
	for _, s := range []*Store{a, b} {
		exportSample(t, s)
		var uuid [16]byte
		if _, err := rand.Read(uuid[:]); err != nil {
			t.Fatal(err)
		}
		if _, err := s.rw.Exec("UPDATE installation SET uuid = ?", hex.EncodeToString(uuid[:])); err != nil {
			t.Fatal(err)
		}
	}
	bundle1, resA, sysA := ids(a)
	bundle2, resA2, _ := ids(a)
	_, resB, sysB := ids(b)
	if bundle1 == bundle2 || bundle1 == "" {
		t.Fatalf("two exports share the Bundle id %q", bundle1)
	}
	if len(resA) < 10 || len(resA) != len(resA2) {
		t.Fatalf("%d and %d resources", len(resA), len(resA2))
	}
	for id := range resA {
		if !resA2[id] {
			t.Fatalf("%s is not in the second export of the same file", id)
		}
		if resB[id] {
			t.Fatalf("%s is in the exports of two files made apart", id)
		}
	}
	for sys := range sysA {
		if strings.HasPrefix(sys, "urn:callcoach:") && sysB[sys] { // the organisation's own is shared, rightly
			t.Fatalf("the identifier system %s is in both files' exports", sys)
		}
	}
}

func TestExportFHIRPHQ9AndFilters(t *testing.T) {
	s := newStore(t)
	exportSample(t, s)
	for _, q := range []string{
		`INSERT INTO measures (id, person_id, call_id, instrument, given_at, complete, scored, total, band) VALUES
			(3, 1, 1, 'phq9', '2026-11-01T10:18:00Z', 1, 1, 11, 'moderate')`,
		`INSERT INTO measure_items (measure_id, item, answer) VALUES (3, 1, 2), (3, 2, 2), (3, 3, 1), (3, 4, 1),
			(3, 5, 1), (3, 6, 1), (3, 7, 1), (3, 8, 2), (3, 9, 0)`,
		`UPDATE action_plans SET status = 'partly_done'`,
	} {
		if _, err := s.rw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	byType := validateFHIR(t, exportFHIR(t, s, ExportFilter{}))
	if codes := loincCodes(byType["Observation"]); !slices.Contains(codes, "44261-6") {
		t.Errorf("no PHQ-9 total 44261-6 in %v", codes)
	}
	g := byType["Goal"][0]
	// Closed, so its achievement is a closed one too; the note says partly.
	if g["lifecycleStatus"] != "completed" || g["achievementStatus"].(map[string]any)["coding"].([]any)[0].(map[string]any)["code"] != "not-achieved" ||
		!strings.Contains(fmt.Sprint(g["note"]), "Partly done") {
		t.Errorf("partly done goal: %v", g)
	}
	if byType["CarePlan"][0]["status"] != "completed" {
		t.Errorf("care plan with no active plan: %v", byType["CarePlan"][0]["status"])
	}

	// --since after the first call: rulers and measures from older calls
	// lose their encounter, so every reference still resolves.
	byType = validateFHIR(t, exportFHIR(t, s, ExportFilter{Since: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}))
	if len(byType["Patient"]) != 3 || len(byType["Encounter"]) != 2 || len(byType["Goal"]) != 0 {
		t.Errorf("since: %d patients, %d encounters, %d goals", len(byType["Patient"]), len(byType["Encounter"]), len(byType["Goal"]))
	}
	byType = validateFHIR(t, exportFHIR(t, s, ExportFilter{PersonID: 3}))
	if len(byType["Patient"]) != 1 || len(byType["Encounter"]) != 1 || len(byType["QuestionnaireResponse"]) != 1 {
		t.Errorf("person 3: %v", byType)
	}

	// A CarePlan cut by --since holds fewer goals than the whole one: it
	// never takes the whole one's id, which a receiver would overwrite.
	full := validateFHIR(t, exportFHIR(t, s, ExportFilter{}))["CarePlan"][0]["id"]
	since := validateFHIR(t, exportFHIR(t, s, ExportFilter{Since: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}))["CarePlan"]
	if len(since) != 1 || since[0]["id"] == full {
		t.Errorf("the CarePlan since 1 Nov has the whole CarePlan's id %v", full)
	}
}

func TestExportFHIRStreams(t *testing.T) {
	s := newStore(t)
	const calls = 4000
	manyCalls(t, s, calls)
	var w countingWriter
	if err := s.ExportFHIR(context.Background(), &w, ExportFilter{}, t0); err != nil {
		t.Fatal(err)
	}
	total := w.n
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	peak := uint64(0)
	pw := &peakWriter{every: 128 * 1024, peak: &peak}
	if err := s.ExportFHIR(context.Background(), pw, ExportFilter{}, t0); err != nil {
		t.Fatal(err)
	}
	if pw.n < 3 {
		t.Fatalf("writer saw only %d chunks of %d bytes: the export is not streamed", pw.n, total)
	}
	if grew := int64(peak) - int64(before.HeapInuse); grew > total/2 {
		t.Errorf("heap in use grew by %d bytes during a %d-byte export", grew, total)
	}
}

func TestExportFHIRWriteError(t *testing.T) {
	s := newStore(t)
	exportSample(t, s)
	if err := s.ExportFHIR(context.Background(), failingWriter{}, ExportFilter{}, t0); err == nil {
		t.Fatal("no error from a failing writer")
	}
}

// TestFHIRTransactionBundle: every entry of a transaction Bundle is a PUT
// of its resource at its own id, so a server that takes it twice ends as
// after the first; its references are the entries' fullUrls.
func TestFHIRTransactionBundle(t *testing.T) {
	s := newStore(t)
	exportSample(t, s)
	var buf bytes.Buffer
	if err := s.ExportFHIRBundle(context.Background(), &buf, ExportFilter{}, t0, true); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Type  string `json:"type"`
		Entry []struct {
			FullURL  string         `json:"fullUrl"`
			Resource map[string]any `json:"resource"`
			Request  struct {
				Method string `json:"method"`
				URL    string `json:"url"`
			} `json:"request"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Type != "transaction" || len(doc.Entry) < 10 {
		t.Fatalf("type %q, %d entries", doc.Type, len(doc.Entry))
	}
	urls := map[string]bool{}
	for _, e := range doc.Entry {
		urls[e.FullURL] = true
	}
	for i, e := range doc.Entry {
		want := e.Resource["resourceType"].(string) + "/" + e.Resource["id"].(string)
		if e.Request.Method != "PUT" || e.Request.URL != want || e.FullURL != "urn:uuid:"+e.Resource["id"].(string) {
			t.Fatalf("entry %d: %s %s (fullUrl %s), want PUT %s", i, e.Request.Method, e.Request.URL, e.FullURL, want)
		}
	}
	for _, ref := range regexp.MustCompile(`"reference":"([^"]+)"`).FindAllStringSubmatch(buf.String(), -1) {
		if !urls[ref[1]] {
			t.Fatalf("reference %s is not an entry's fullUrl", ref[1])
		}
	}
}

// checkFHIRReadings holds the sample's three readings' Observations: a
// blood pressure panel with its components in mm[Hg], in its call; a
// weight typed in lb, in kg with what was typed as a note; the settings
// file's peak flow, coded locally, outside a call.
func checkFHIRReadings(t *testing.T, obs []map[string]any) {
	t.Helper()
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	if len(obs) != 3 {
		t.Fatalf("%d reading Observations", len(obs))
	}
	bp, weight, peak := obs[0], obs[1], obs[2]
	for _, c := range []struct{ got, want string }{
		{js(bp["category"]), `[{"coding":[{"code":"vital-signs","display":"Vital Signs","system":"http://terminology.hl7.org/CodeSystem/observation-category"}]}]`},
		{js(bp["component"]), `[{"code":{"coding":[{"code":"8480-6","system":"http://loinc.org"}],"text":"systolic"},"valueQuantity":{"code":"mm[Hg]","system":"http://unitsofmeasure.org","unit":"mmHg","value":132}},` +
			`{"code":{"coding":[{"code":"8462-4","system":"http://loinc.org"}],"text":"diastolic"},"valueQuantity":{"code":"mm[Hg]","system":"http://unitsofmeasure.org","unit":"mmHg","value":84}}]`},
		{js(bp["valueQuantity"]), `null`},
		{js(bp["effectiveDateTime"]), `"2026-11-20T08:00:00Z"`},
		{js(weight["valueQuantity"]), `{"code":"kg","system":"http://unitsofmeasure.org","unit":"kg","value":81.6466266}`},
		{js(weight["note"]), `[{"text":"As reported: 180 lb"}]`},
		{js(peak["code"]), `{"coding":[{"code":"reading-peak-flow","display":"peak flow","system":"urn:callcoach:code"}],"text":"peak flow"}`},
		{js(peak["category"].([]any)[0].(map[string]any)["coding"].([]any)[0].(map[string]any)["code"]), `"survey"`},
		{js(peak["valueQuantity"]), `{"unit":"L/min","value":420}`},
		{js(peak["encounter"]), `null`},
	} {
		if c.got != c.want {
			t.Errorf("got %s\nwant %s", c.got, c.want)
		}
	}
	if bp["encounter"] == nil || js(bp["encounter"]) != js(weight["encounter"]) {
		t.Errorf("the readings in call 2 have no encounter: %v, %v", bp["encounter"], weight["encounter"])
	}
}

// Every built-in kind of reading is an Observation with its registry's
// code, category and UCUM unit, and the Bundle passes the R4 schema.
func TestFHIRReadingsEveryKind(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	pid, call := personWithCall(t, s, "Ann")
	reg := coaching.NewReadingRegistry(nil)
	inputs := []string{"bp 140/90", "glucose 130 mg/dl", "weight 82.5", "steps 6500", "sleep 6.5", "mood 7", "pain 3"}
	for _, in := range inputs {
		r, err := reg.ParseReading(in, false)
		if err != nil {
			t.Fatal(err)
		}
		r.PersonID, r.CallID = pid, call
		if _, err := s.AddReading(ctx, r, t0); err != nil {
			t.Fatal(err)
		}
	}
	doc := exportFHIR(t, s, ExportFilter{})
	if errs := schemaErrors(t, doc); len(errs) > 0 {
		t.Errorf("R4 schema errors:\n%s", strings.Join(errs, "\n"))
	}
	if errs := referenceErrors(t, doc); len(errs) > 0 {
		t.Errorf("references:\n%s", strings.Join(errs, "\n"))
	}
	obs := validateFHIR(t, doc)["Observation"]
	if len(obs) != len(inputs) {
		t.Fatalf("%d Observations, want %d", len(obs), len(inputs))
	}
	for i, typ := range coaching.BuiltinReadings() {
		o := obs[i]
		coding := o["code"].(map[string]any)["coding"].([]any)[0].(map[string]any)
		system := fhirLOINCSystem
		if !typ.LOINC {
			system = fhirLocalSystem
		}
		category := o["category"].([]any)[0].(map[string]any)["coding"].([]any)[0].(map[string]any)["code"]
		if coding["code"] != typ.Code || coding["system"] != system || category != typ.Category || o["encounter"] == nil {
			t.Errorf("%s: code %v, category %v, encounter %v", typ.Kind, coding, category, o["encounter"])
		}
		q, _ := o["valueQuantity"].(map[string]any)
		if typ.Pair {
			q = o["component"].([]any)[1].(map[string]any)["valueQuantity"].(map[string]any)
		}
		if q["code"] != typ.UCUM || q["system"] != fhirUCUMSystem || q["unit"] != typ.Unit {
			t.Errorf("%s: quantity %v, want UCUM %s", typ.Kind, q, typ.UCUM)
		}
	}
	if g := obs[1]["valueQuantity"].(map[string]any)["value"].(float64); math.Abs(g-130/18.016) > 1e-12 {
		t.Errorf("glucose %v mmol/L", g)
	}
}
