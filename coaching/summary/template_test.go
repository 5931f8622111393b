package summary

import (
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
	"callcoach/coaching/measures"
)

var now = time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)

func TestTheBuiltInTemplatePassesItsOwnCheck(t *testing.T) {
	if probs := Check("default.tmpl", []byte(DefaultText()), now); len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	// Every section of the sample is written, and nil is the built-in one.
	var none *Template
	text, err := none.Execute(Sample(now), Times{Now: now, Coach: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range headings {
		if !strings.Contains(text, h) {
			t.Errorf("the sample lacks %q:\n%s", h, text)
		}
	}
	if coaching.NotADiagnosis != measures.NotADiagnosis {
		t.Errorf("coaching says %q, measures %q", coaching.NotADiagnosis, measures.NotADiagnosis)
	}
}

func TestAnOrganisationsTemplate(t *testing.T) {
	src := "{{.Name}} | {{date .Started}} {{clock .Started}} | {{.Outcome}}\n" +
		"{{range .Measures}}{{.Name}}={{.Result}};{{end}}\n" +
		"{{range .Plans}}{{.Area}} {{.Trail}}{{end}}\n" +
		"{{printf \"%-8s|\" .Role}}\n" +
		"{{.Notes}}{{\"\\x1b[2J\"}}\n"
	tmpl, probs := Parse("org.tmpl", []byte(src))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	rec := Sample(now)
	rec.Call.Notes = "she said \x1b]52;c;aGk=\x07hi"
	got, err := tmpl.Execute(rec, Times{Now: now, Coach: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	want := "Margaret Okafor | Mon 23 Nov 2026 14:00 | reached\n" +
		"PHQ-9=11 of 27, moderate;SEMCD-6=mean 6.5 of 10;GAD-7=not scored (unfinished);\n" +
		"physical activity 6 → 8\n" +
		"coach   |\n" +
		"she said ]52;c;aGk=hi[2J\n"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	if text, warning := tmpl.Write(rec, Times{Now: now, Coach: time.UTC}); text != got || warning != "" {
		t.Errorf("Write: %q %q", text, warning)
	}
}

// A template's problems are found when it is read, or when it is tried
// on the sample calls, and named by line.
func TestCheckNamesTheLine(t *testing.T) {
	tests := []struct {
		name, src string
		want      string
	}{
		{"unknown function", "Call\n{{.Name}}\n{{shout .Name}}\n", "x.tmpl:3: function \"shout\" not defined"},
		{"an end without a start", "Call\n{{end}}\n", "x.tmpl:2: unexpected {{end}}"},
		{"unknown field", "Call\n\n{{range .Rulers}}{{.Scroe}}{{end}}\n", "x.tmpl:3: at <.Scroe>: can't evaluate field Scroe in type summary.Ruler"},
		{"index past the end on a bare call", "{{(index .Plans 0).What}}\n", "x.tmpl:1: at <index .Plans 0>: error calling index"},
		{"range over a number", "ok\n{{range 1000000000}}x{{end}}\n", "x.tmpl:2: range over a number"},
		{"ranges too deep", "{{range .Plans}}\n{{range .Barriers}}\n{{range $.Stages}}{{end}}{{end}}{{end}}\n", "x.tmpl:3: a range inside a range inside a range"},
		{"too deep through a template", "{{define \"b\"}}{{range .Barriers}}{{range $.Stages}}{{end}}{{end}}{{end}}{{range .Plans}}{{template \"b\" .}}{{end}}\n",
			"x.tmpl:1: a range inside a range inside a range"},
		{"recursion", "{{define \"a\"}}\n{{template \"a\" .}}{{end}}x{{template \"a\" .}}\n", "x.tmpl:2: the template \"a\" calls itself"},
		{"no such template", "x\n{{template \"nope\" .}}\n", "x.tmpl:2: there is no template called \"nope\""},
		{"escape in the file", "Call\n{{.Name}}\x1b[2J\n", "x.tmpl:2: this line has ESC"},
		{"a width to fill memory", "{{printf \"%900000000d\" 1}}\n", "x.tmpl:1: at <printf \"%900000000d\" 1>: error calling printf: printf widths go up to 200"},
		{"a width given as an argument", "{{printf \"%*d\" 900000000 1}}\n", "x.tmpl:1: at <printf \"%*d\" 900000000 1>: error calling printf"},
		{"writes nothing", "{{/* nothing */}}\n", "x.tmpl: the template wrote nothing"},
		{"not UTF-8", "Call \xff\n", "x.tmpl: the file is not UTF-8 text"},
		{"too large", strings.Repeat("x", MaxFileBytes+1), "x.tmpl: the file is larger than 256 KB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			probs := Check("x.tmpl", []byte(tc.src), now)
			if len(probs) == 0 {
				t.Fatalf("no problem found; want %q", tc.want)
			}
			if got := probs[0].String(); !strings.HasPrefix(got, tc.want) {
				t.Errorf("got %q\nwant %q...", got, tc.want)
			}
			if tmpl, probs := Parse("x.tmpl", []byte(tc.src)); len(probs) > 0 && tmpl != nil {
				t.Error("a template with problems is used")
			}
		})
	}
}

// A template that fails on a real call never stops the summary: the
// built-in one writes it, and the coach is told why.
func TestABrokenTemplateFallsBackToTheBuiltIn(t *testing.T) {
	at := Times{Now: now, Coach: time.UTC}
	for _, tc := range []struct {
		name, src string
		rec       coaching.CallRecord
		want      string
	}{
		{"a list indexed past its end", "{{.Name}}\n{{(index .Rulers 3).Kind}}\n", Sample(now), "org.tmpl:2: at <index .Rulers 3>: error calling index"},
		{"too much written", "{{.Notes}}{{.Notes}}{{.Notes}}", func() coaching.CallRecord {
			r := Sample(now)
			r.Call.Notes = strings.Repeat("n", coaching.MaxNotesLen/2)
			return r
		}(), "org.tmpl: the template wrote more than 1 MB"},
		{"nothing written", "{{with .Plans}}{{.}}{{end}}", Bare(now), "org.tmpl: the template wrote nothing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, probs := Parse("org.tmpl", []byte(tc.src))
			if len(probs) > 0 {
				t.Fatal(probs)
			}
			text, warning := tmpl.Write(tc.rec, at)
			builtin, err := Default().Execute(tc.rec, at)
			if err != nil {
				t.Fatal(err)
			}
			if text != builtin {
				t.Errorf("fell back to\n%s\nnot the built-in summary", text)
			}
			if !strings.Contains(warning, tc.want) || !strings.Contains(warning, "uses the built-in one") ||
				!strings.Contains(warning, "callcoach summary check org.tmpl") {
				t.Errorf("warning %q", warning)
			}
		})
	}
}

// Notes that nearly fill what a summary may hold leave no room for the
// rest: the notes alone are the summary, and the coach is told.
func TestNotesTooLongForASummary(t *testing.T) {
	r := Bare(now)
	r.Call.Notes = strings.Repeat("n", coaching.MaxNotesLen)
	for _, tmpl := range []*Template{nil, mustParse(t, "{{.Notes}}{{.Name}}")} {
		text, warning := tmpl.Write(r, Times{Now: now, Coach: time.UTC})
		if text != r.Call.Notes || !strings.Contains(warning, "wrote more than 1 MB") || !strings.Contains(warning, "holds the notes alone") {
			t.Errorf("%d bytes, warning %q", len(text), warning)
		}
	}
}

func mustParse(t *testing.T, src string) *Template {
	t.Helper()
	tmpl, probs := Parse("org.tmpl", []byte(src))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return tmpl
}
