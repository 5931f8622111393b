package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
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

// A settings file far too large to be one is refused with the limit, after
// reading no more than the limit: the defaults are used and the prompt
// cards beside it still load.
func TestLoadSettingsTooLarge(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	f, err := os.Create(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("role: peer\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(60 << 20); err != nil { // 60 MB, mostly a hole: quick to make
		t.Fatal(err)
	}
	f.Close()
	local := "version: 1\nstages:\n  - id: engage\n    coach:\n      local: Call the duty nurse on extension 2201.\n"
	if err := os.WriteFile(filepath.Join(dir, "prompts.yaml"), []byte(local), 0o600); err != nil {
		t.Fatal(err)
	}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cfg, lib, warn := loadSettings(cfgPath, "")
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("reading a 60 MB settings file allocated %d MB", grew>>20)
	}
	if cfg.Role != coaching.RoleCoach || cfg.CallTarget != 20*time.Minute {
		t.Errorf("settings from a file too large: %+v", cfg)
	}
	if len(warn) != 1 || !strings.Contains(warn[0], "config.yaml: the file is larger than 256 KB") || !strings.Contains(warn[0], "default settings") {
		t.Fatalf("warnings: %q", warn)
	}
	if got := lib.Card(coaching.StageEngage, coaching.RoleCoach).Local; !strings.Contains(got, "2201") {
		t.Errorf("the prompt cards beside the settings were not used: %q", got)
	}
}

func TestPromptsCheckTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prompts.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(60 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	out, _, code := runMain(t, "prompts", "check", path)
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("checking a 60 MB prompts file allocated %d MB", grew>>20)
	}
	if code != 1 || !strings.Contains(out, "the file is larger than 2,097,152 bytes") {
		t.Fatalf("check: %d %q", code, out)
	}
}
