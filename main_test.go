package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/coaching/prompts"
)

func runMain(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestPromptsCommands(t *testing.T) {
	dir := t.TempDir()
	out, _, code := runMain(t, "prompts", "dump")
	if code != 0 || !strings.Contains(out, "version: 1") {
		t.Fatalf("dump: %d %q", code, out[:min(len(out), 80)])
	}
	dumped := filepath.Join(dir, "p.yaml")
	if err := os.WriteFile(dumped, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, _, code := runMain(t, "prompts", "check", dumped); code != 0 || !strings.Contains(out, "no problems found") {
		t.Fatalf("check of the dump: %d %q", code, out)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("version: 1\nstages:\n  - id: engage\n    coach:\n      gaol: typo\n"), 0o600)
	out, _, code = runMain(t, "prompts", "check", bad)
	if code != 1 || !strings.Contains(out, bad+":5: unknown field \"gaol\"") || !strings.Contains(out, "1 problem") {
		t.Fatalf("check of a bad file: %d %q", code, out)
	}
	if _, errOut, code := runMain(t, "prompts", "check", filepath.Join(dir, "missing.yaml")); code != 1 || !strings.Contains(errOut, "no such file") {
		t.Fatalf("check of a missing file: %d %q", code, errOut)
	}
	if _, _, code := runMain(t, "prompts", "frobnicate"); code != 2 {
		t.Fatalf("prompts frobnicate: %d", code)
	}
	if out, _, code := runMain(t, "config", "example"); code != 0 || !strings.Contains(out, "role: coach") {
		t.Fatalf("config example: %d %q", code, out)
	}
}

func TestLoadSettings(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	local := "version: 1\nstages:\n  - id: engage\n    coach:\n      local: Call the duty nurse on extension 2201.\n"

	// No files at all: defaults, no warnings.
	cfg, lib, warn := loadSettings(cfgPath, "")
	if cfg.Role != coaching.RoleCoach || cfg.CallTarget != 20*time.Minute || len(warn) != 1 {
		// An explicit config path that does not exist is worth a warning.
		t.Fatalf("missing explicit config: %+v %v", cfg, warn)
	}
	if lib.Card(coaching.StageEngage, coaching.RoleCoach).Ask == "" {
		t.Fatal("no default cards")
	}

	// Settings with a relative prompts file beside them.
	write(cfgPath, "role: peer\ncall_minutes: 15\nprompts: org.yaml\n")
	write(filepath.Join(dir, "org.yaml"), local)
	cfg, lib, warn = loadSettings(cfgPath, "")
	if cfg.Role != coaching.RolePeer || cfg.CallTarget != 15*time.Minute || len(warn) != 0 {
		t.Fatalf("settings: %+v %v", cfg, warn)
	}
	if got := lib.Card(coaching.StageEngage, coaching.RoleCoach).Local; !strings.Contains(got, "2201") {
		t.Fatalf("organisation card not used: %q", got)
	}

	// prompts.yaml beside the settings is used without being named.
	write(cfgPath, "role: coach\n")
	write(filepath.Join(dir, "prompts.yaml"), local)
	_, lib, warn = loadSettings(cfgPath, "")
	if len(warn) != 0 || lib.Card(coaching.StageEngage, coaching.RoleCoach).Local == "" {
		t.Fatalf("prompts.yaml beside the settings not used: %v", warn)
	}

	// A broken prompts file: the built-in cards and a warning naming the line.
	broken := filepath.Join(dir, "broken.yaml")
	write(broken, "version: 1\nstages:\n  - id: closing\n")
	_, lib, warn = loadSettings(cfgPath, broken)
	if len(warn) != 1 || !strings.Contains(warn[0], "broken.yaml:3") || !strings.Contains(warn[0], "using the built-in cards") {
		t.Fatalf("broken prompts: %v", warn)
	}
	if lib.Card(coaching.StageEngage, coaching.RoleCoach).Ask != prompts.Default().Card(coaching.StageEngage, coaching.RoleCoach).Ask {
		t.Fatal("broken prompts file not replaced by the defaults")
	}

	// A broken settings file: the defaults for what is wrong, a warning.
	write(cfgPath, "role: nurse\ncall_minutes: 25\n")
	cfg, _, warn = loadSettings(cfgPath, "")
	if cfg.Role != coaching.RoleCoach || cfg.CallTarget != 25*time.Minute || len(warn) != 1 || !strings.Contains(warn[0], "config.yaml:1") {
		t.Fatalf("broken settings: %+v %v", cfg, warn)
	}
}

func TestBadRoleFlag(t *testing.T) {
	_, errOut, code := runMain(t, "--role", "nurse", "--db", filepath.Join(t.TempDir(), "x.db"))
	if code != 2 || !strings.Contains(errOut, `unknown role "nurse"`) {
		t.Fatalf("%d %q", code, errOut)
	}
}
