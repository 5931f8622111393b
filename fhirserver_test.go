package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/coaching/measures"
	"callcoach/storage"
)

// A transaction Bundle from callcoach export goes to a real FHIR server:
// Medplum's router over its in-memory repository, run by
// testdata/fhirserver/post-twice.mjs, which posts it twice. CI installs
// node and the packages (npm ci in that folder); elsewhere, without them,
// the test is skipped, but under CI it fails.

// fhirServerSummary is what post-twice.mjs prints.
type fhirServerSummary struct {
	Entries int `json:"entries"`
	Invalid []struct {
		Resource string   `json:"resource"`
		Issues   []string `json:"issues"`
	} `json:"invalid"`
	Posts []struct {
		Status  int            `json:"status"`
		Outcome string         `json:"outcome"`
		Entries []string       `json:"entries"`
		Counts  map[string]int `json:"counts"`
	} `json:"posts"`
	Dangling []string `json:"dangling"`
	Changed  struct {
		VersionID   []string `json:"versionId"`
		LastUpdated []string `json:"lastUpdated"`
		Content     []string `json:"content"`
		Added       []string `json:"added"`
		Removed     []string `json:"removed"`
	} `json:"changed"`
}

// postTwice runs post-twice.mjs on the Bundle in file.
func postTwice(t *testing.T, file string) fhirServerSummary {
	t.Helper()
	node := needTool(t, "node")
	dir := filepath.Join("testdata", "fhirserver")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@medplum", "fhir-router")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the FHIR server's packages are needed for this test and CI must install them (npm ci in %s)", dir)
		}
		t.Skipf("the FHIR server's packages are not installed: run npm ci in %s", dir)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "post-twice.mjs", abs)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("post-twice.mjs: %v\n%.2000s", err, stderr.String())
	}
	var sum fhirServerSummary
	if err := json.Unmarshal(out, &sum); err != nil {
		t.Fatalf("post-twice.mjs printed no summary: %v\n%.2000s", err, out)
	}
	if len(sum.Posts) != 2 {
		t.Fatalf("%d posts in the summary, want 2", len(sum.Posts))
	}
	return sum
}

// fhirServerCaseload makes the demo caseload and adds what the demo lacks
// and the export maps: measures (one with a declined item), a ruler, and
// safety events (one recorded, one opened by mistake).
func fhirServerCaseload(t *testing.T, db string) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return now.Add(time.Duration(min) * time.Minute) }
	s, err := storage.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Seed(ctx, coaching.SampleCaseload(now)); err != nil {
		t.Fatal(err)
	}
	call, err := s.StartCall(ctx, 1, coaching.RoleCoach, at(1))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := s.RaiseSafety(ctx, storage.SafetyEvent{PersonID: 1, CallID: call.ID, Trigger: string(measures.TriggerPHQ9Item9)}, at(5))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []storage.MeasureRecord{
		{Instrument: string(measures.PHQ2), Answers: []int{1, 2}, Complete: true, Scored: true, Total: 3, Band: "positive", Closing: 1},
		{Instrument: string(measures.PHQ9), Answers: []int{1, 2, 1, 2, 1, 1, 1, 1, 1}, Complete: true, Scored: true, Total: 11,
			Band: "moderate", Closing: -1, SafetyEventID: ev},
		{Instrument: string(measures.SEMCD6), Answers: []int{7, -1, 6, 7, 8, 9}, Closing: -1},
	} {
		m.PersonID, m.CallID = 1, call.ID
		if _, err := s.SaveMeasure(ctx, m, at(6)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordSafety(ctx, ev, []string{string(measures.ActionAskedDirectly), string(measures.ActionSupervisor)}, "no plan", at(8)); err != nil {
		t.Fatal(err)
	}
	mistake, err := s.RaiseSafety(ctx, storage.SafetyEvent{PersonID: 1, CallID: call.ID, Trigger: string(measures.TriggerCoach)}, at(9))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordSafety(ctx, mistake, []string{string(measures.ActionOpenedByMistake)}, "", at(9)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveRuler(ctx, coaching.Ruler{CallID: call.ID, Kind: coaching.RulerImportance, Score: 7, About: "walking", At: at(10)}, at(10)); err != nil {
		t.Fatal(err)
	}
	if err := s.EndCall(ctx, call.ID, coaching.OutcomeReached, at(20)); err != nil {
		t.Fatal(err)
	}
}

// TestFHIRServerTakesTransactionTwice: the server takes every entry, and
// a second post of the same Bundle leaves it as the first did.
func TestFHIRServerTakesTransactionTwice(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	fhirServerCaseload(t, db)
	// One person's records: Medplum refuses a transaction of more than 50
	// updates as a whole, and the whole demo caseload is more.
	file := filepath.Join(dir, "bundle.json")
	if _, errOut, code := runMain(t, "export", "--format", "fhir", "--bundle", "transaction", "--person", "1", "--out", file, "--db", db); code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Entry []struct {
			Resource struct {
				ResourceType string `json:"resourceType"`
			} `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(b, &bundle); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, e := range bundle.Entry {
		want[e.Resource.ResourceType]++
	}
	for _, rt := range []string{"Patient", "Encounter", "Goal", "CarePlan", "Observation", "QuestionnaireResponse", "Questionnaire", "Flag", "RiskAssessment"} {
		if want[rt] == 0 {
			t.Fatalf("the fixture exports no %s: %v", rt, want)
		}
	}

	sum := postTwice(t, file)
	t.Logf("%d entries; on the server after each post: %v, %v", sum.Entries, sum.Posts[0].Counts, sum.Posts[1].Counts)
	for _, inv := range sum.Invalid {
		t.Errorf("%s on the server breaks the R4 StructureDefinitions: %v", inv.Resource, inv.Issues)
	}
	for i, p := range sum.Posts {
		if p.Status != 200 || len(p.Entries) != len(bundle.Entry) {
			t.Fatalf("post %d: %d %s, %d entry responses for %d entries", i+1, p.Status, p.Outcome, len(p.Entries), len(bundle.Entry))
		}
		for j, st := range p.Entries {
			if !strings.HasPrefix(st, "2") {
				t.Errorf("post %d: entry %d (%s) answered %q", i+1, j, bundle.Entry[j].Resource.ResourceType, st)
			}
		}
		if !maps.Equal(p.Counts, want) {
			t.Errorf("post %d: the server holds %v, the Bundle has %v", i+1, p.Counts, want)
		}
	}
	if len(sum.Dangling) > 0 {
		t.Errorf("references that name nothing on the server: %v", sum.Dangling)
	}
	if c := sum.Changed; len(c.Content)+len(c.Added)+len(c.Removed) > 0 {
		t.Errorf("the second post changed what the server holds: content %v, added %v, removed %v", c.Content, c.Added, c.Removed)
	}
	// FHIR lets a server make a new version on an update that changes
	// nothing, and the in-memory repository does: only content counts.
	if n := len(sum.Changed.VersionID); n > 0 {
		t.Logf("the server made a new version of %d of %d resources on the second post, their content unchanged", n, sum.Entries)
	}
}

// TestFHIRServerReportsBrokenBundle: the same checks find a reference to
// nothing, a reference to a resource of the wrong type, and a resource
// that lacks what R4 requires.
func TestFHIRServerReportsBrokenBundle(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "callcoach.db")
	exportCaseload(t, db, "Ann", "Bea", "Cy")
	out, errOut, code := runMain(t, "export", "--format", "fhir", "--bundle", "transaction", "--db", db)
	if code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	var bundle map[string]any
	if err := json.Unmarshal([]byte(out), &bundle); err != nil {
		t.Fatal(err)
	}
	var encounters []map[string]any
	for _, e := range bundle["entry"].([]any) {
		if res := e.(map[string]any)["resource"].(map[string]any); res["resourceType"] == "Encounter" {
			encounters = append(encounters, res)
		}
	}
	if len(encounters) != 3 {
		t.Fatalf("%d encounters, want 3", len(encounters))
	}
	const nowhere = "urn:uuid:00000000-0000-5000-8000-000000000000"
	encounters[0]["subject"] = map[string]any{"reference": nowhere}
	delete(encounters[1], "status")
	encounters[2]["subject"] = map[string]any{"reference": "urn:uuid:" + encounters[1]["id"].(string)}
	b, err := json.Marshal(bundle)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := postTwice(t, file)
	if len(sum.Dangling) != 1 || !strings.HasSuffix(sum.Dangling[0], "-> "+nowhere) {
		t.Errorf("the reference to nothing was not reported: %v", sum.Dangling)
	}
	got := fmt.Sprint(sum.Invalid)
	if !strings.Contains(got, "error Encounter.status: Missing required property") {
		t.Errorf("the encounter without a status was not reported: %s", got)
	}
	if !strings.Contains(got, `Encounter.subject: Invalid reference: got "Encounter"`) {
		t.Errorf("the encounter whose subject is an encounter was not reported: %s", got)
	}
}
