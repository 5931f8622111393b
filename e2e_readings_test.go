package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEndToEndReadings: in a call, alt+d records a blood pressure and the
// settings file's own peak flow; an out-of-range value is refused on the
// screen first. Both are in the file and in the FHIR export.
func TestEndToEndReadings(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "readings.db")
	config := filepath.Join(dir, "config")
	if err := os.MkdirAll(filepath.Join(config, "callcoach"), 0o700); err != nil {
		t.Fatal(err)
	}
	settings := "readings:\n  - name: peak flow\n    unit: L/min\n    min: 50\n    max: 900\n"
	if err := os.WriteFile(filepath.Join(config, "callcoach", "config.yaml"), []byte(settings), 0o600); err != nil {
		t.Fatal(err)
	}
	noScreenLock(t, config)
	env := []string{"XDG_CONFIG_HOME=" + config, "TERM=xterm-256color", "NO_COLOR=1"}
	socket := fmt.Sprintf("callcoach-e2e-readings-%d", os.Getpid())

	s := startTmuxRecordingExit(t, socket, "readings", env, bin, "--db", db)
	addAndCall(s, "Rosa Delgado")
	s.keys("M-d")
	s.waitFor("Reading: what they tracked and its value")
	s.typeText("bp 140/400")
	s.keys("Enter")
	s.waitFor("diastolic blood pressure must be from 20 to 200 mmHg")
	s.keys("C-u")
	s.typeText("bp 140/90")
	s.keys("Enter")
	s.waitFor("Saved: blood pressure 140/90 mmHg")
	s.keys("M-d")
	s.waitFor("Reading: what they tracked")
	s.typeText("peak flow 420")
	s.keys("Enter")
	s.waitFor("Saved: peak flow 420 L/min")
	waitForDB(t, db, "SELECT count(*) FROM readings", "2")
	s.keys("Escape")
	s.waitFor("End call: r reached")
	s.keys("r")
	s.waitFor("Call summary")
	s.keys("Enter")
	s.waitFor("Calls (1)")
	// On the person page's progress charts: the reading, first to latest.
	s.keys("g")
	s.waitFor("Progress 1/")
	s.waitFor("Blood pressure (mmHg)")
	s.waitFor("140/90 mmHg")
	s.keys("Right")
	s.waitFor("Peak flow")
	s.waitFor("420 L/min")
	s.keys("g")
	s.waitFor("Calls (1)")
	s.keys("Escape")
	s.waitFor("Caseload")
	s.keys("q")
	if code := s.waitExit(); code != "0" {
		t.Fatalf("exit %s: %s", code, s.errors())
	}

	rows := sqlite(t, db, "SELECT kind || '|' || value || '|' || ifnull(value2, '-') || '|' || unit || '|' || entered_value || '|' || (call_id IS NOT NULL) || '|' || (taken_at = (SELECT started_at FROM calls)) FROM readings ORDER BY id")
	if want := "bp|140.0|90.0|mmHg|140/90 mmHg|1|1\npeak flow|420.0|-|L/min|420 L/min|1|1"; rows != want {
		t.Errorf("readings in the file:\n%s\nwant\n%s", rows, want)
	}
	if got := sqlite(t, db, "SELECT group_concat(detail) FROM audit WHERE action = 'reading-recorded'"); got != "bp,peak flow" {
		t.Errorf("audit details %q", got)
	}
	out, code := runBinary(t, env, "export", "--format", "fhir", "--db", db)
	if code != 0 {
		t.Fatalf("export: %d %s", code, out)
	}
	for _, want := range []string{`"code":"85354-9"`, `"code":"8480-6"`, `"code":"8462-4"`, `"value":140,`, `"value":90,`, `"code":"mm[Hg]"`,
		`"code":"reading-peak-flow"`, `"value":420,"unit":"L/min"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the FHIR export has no %s:\n%s", want, out)
		}
	}
}
