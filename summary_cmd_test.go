package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"callcoach/coaching/config"
	"callcoach/coaching/summary"
)

func TestSummaryCommands(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	out, _, code := runMain(t, "summary", "example")
	if code != 0 || out != summary.DefaultText() || !strings.Contains(out, "Call with {{.Person}}") {
		t.Fatalf("example: %d %q", code, out[:min(len(out), 80)])
	}
	example := write("example.tmpl", out)
	if out, _, code := runMain(t, "summary", "check", example); code != 0 || !strings.Contains(out, example+": no problems found") ||
		!strings.Contains(out, "Call with Maggie (Margaret Okafor)") || !strings.Contains(out, "Action plan") {
		t.Fatalf("check of the example: %d %q", code, out)
	}

	for _, tc := range []struct{ name, text, want string }{
		{"field", "Call with {{.Person}}\n\n{{range .Rulers}}{{.Scroe}}{{end}}\n", ":3: at <.Scroe>: can't evaluate field Scroe in type summary.Ruler"},
		{"syntax", "Call\n{{if .Plans}}\n{{end}}\n{{end}}\n", ":4: unexpected {{end}}"},
		{"escape", "Call\n\x1b]52;c;aGk=\x07{{.Name}}\n", ":2: this line has ESC (U+001B) in it"},
	} {
		bad := write(tc.name+".tmpl", tc.text)
		out, _, code := runMain(t, "summary", "check", bad)
		if code != 1 || !strings.Contains(out, bad+tc.want) || !strings.Contains(out, "1 problem;") || !strings.Contains(out, "built-in summary") {
			t.Errorf("check of %s: %d %q", tc.name, code, out)
		}
	}
	if _, errOut, code := runMain(t, "summary", "check", filepath.Join(dir, "missing.tmpl")); code != 1 || !strings.Contains(errOut, "no such file") {
		t.Fatalf("check of a missing file: %d %q", code, errOut)
	}
	for _, args := range [][]string{{"summary"}, {"summary", "frobnicate"}, {"summary", "check"}} {
		if _, _, code := runMain(t, args...); code != 2 {
			t.Errorf("%v: %d", args, code)
		}
	}
}

func TestSummaryCheckTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.tmpl")
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
	out, _, code := runMain(t, "summary", "check", path)
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("checking a 60 MB template allocated %d MB", grew>>20)
	}
	if code != 1 || !strings.Contains(out, "the file is larger than 256 KB") {
		t.Fatalf("check: %d %q", code, out)
	}
}

// The template is found as the prompt cards are: the flag, else the
// settings, else summary.tmpl beside the settings file.
func TestLoadSummaryTemplate(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	write := func(name, text string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	writes := func(tmpl *summary.Template) string {
		t.Helper()
		text, warning := tmpl.Write(summary.Bare(time.Now()), summary.Times{Now: time.Now(), Coach: time.UTC})
		if warning != "" {
			t.Fatal(warning)
		}
		return text
	}

	// None anywhere: the built-in one, quietly.
	if tmpl, warn := loadSummaryTemplate(cfgPath, "", config.Default()); tmpl != nil || len(warn) != 0 {
		t.Fatalf("no template: %v %v", tmpl, warn)
	}
	write("summary.tmpl", "beside: {{.Name}}\n")
	tmpl, warn := loadSummaryTemplate(cfgPath, "", config.Default())
	if len(warn) != 0 || writes(tmpl) != "beside: Ann\n" {
		t.Fatalf("summary.tmpl beside the settings: %v", warn)
	}
	write("org.tmpl", "named: {{.Name}}\n")
	cfg := config.Default()
	cfg.SummaryTemplatePath = "org.tmpl"
	if tmpl, warn = loadSummaryTemplate(cfgPath, "", cfg); len(warn) != 0 || writes(tmpl) != "named: Ann\n" {
		t.Fatalf("named in the settings: %v", warn)
	}
	flag := write("flag.tmpl", "flag: {{.Name}}\n")
	if tmpl, warn = loadSummaryTemplate(cfgPath, flag, cfg); len(warn) != 0 || writes(tmpl) != "flag: Ann\n" {
		t.Fatalf("named by the flag: %v", warn)
	}

	broken := write("broken.tmpl", "ok\n{{.Name}\n")
	tmpl, warn = loadSummaryTemplate(cfgPath, broken, cfg)
	if tmpl != nil || len(warn) != 1 || !strings.Contains(warn[0], "broken.tmpl:2:") || !strings.Contains(warn[0], "callcoach summary check "+broken) {
		t.Fatalf("broken: %v %v", tmpl, warn)
	}
	tmpl, warn = loadSummaryTemplate(cfgPath, filepath.Join(dir, "gone.tmpl"), cfg)
	if tmpl != nil || len(warn) != 1 || !strings.Contains(warn[0], "Summary template not read") {
		t.Fatalf("missing: %v %v", tmpl, warn)
	}
}
