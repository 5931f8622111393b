package summary

import (
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"time"
	"unicode/utf8"

	"callcoach/coaching"
	"callcoach/coaching/prompts"
)

//go:embed default.tmpl
var defaultText string

// DefaultText is the built-in template, as `callcoach summary example`
// prints it.
func DefaultText() string { return defaultText }

// MaxFileBytes bounds a template file: a real one is a few kilobytes. A
// caller reads at most MaxFileBytes+1 bytes of the file, so that Parse
// sees when it is over.
const MaxFileBytes = 256 << 10

// The bounds a template is held to, so that no template, however written,
// can keep a call from ending: it cannot call itself, nor nest loops deep,
// nor write more than a summary may hold.
const (
	maxNodes      = 20000 // parts of the template, counted as executed once, through every template it calls
	maxRangeDepth = 2     // a range in a range: plans and their barriers; no deeper
	maxOutput     = coaching.MaxNotesLen
	maxWidth      = 200 // the widest a printf width or precision may be
	maxIndent     = 12
	name          = "summary" // the template's name inside text/template; messages use the file's
)

// Template is a summary template, ready to write summaries. The zero value
// and nil are the built-in one.
type Template struct {
	file string // where it came from, for messages; "" for the built-in one
	t    *template.Template
}

// builtin is the built-in template, parsed once; a test holds it to
// every rule a file is held to.
var builtin = sync.OnceValue(func() *Template {
	t, probs := Parse("default.tmpl", []byte(defaultText))
	if len(probs) > 0 {
		panic("the built-in summary template: " + probs[0].String())
	}
	t.file = ""
	return t
})

// Default is the built-in template.
func Default() *Template { return builtin() }

// File is the file the template came from; "" for the built-in one.
func (t *Template) File() string {
	if t == nil {
		return ""
	}
	return t.file
}

// funcs are the helpers a template may call. They replace text/template's
// printf with one that refuses a width that would fill memory.
var funcs = template.FuncMap{
	"datetime": func(t time.Time) string { return format(t, "Mon 2 Jan 2006 15:04 MST") },
	"date":     func(t time.Time) string { return format(t, "Mon 2 Jan 2006") },
	"clock":    func(t time.Time) string { return format(t, "15:04") },
	"quote":    func(s string) string { return `"` + s + `"` },
	"join":     strings.Join,
	"indent":   indent,
	"printf":   printf,
}

func format(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(layout)
}

// indent puts n spaces before every line of s but the first, so text that
// runs over several lines stays under the item it belongs to.
func indent(n int, s string) (string, error) {
	if n < 0 || n > maxIndent {
		return "", fmt.Errorf("indent takes 0 to %d spaces, not %d", maxIndent, n)
	}
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n)), nil
}

// verbWidth finds a printf verb's width and precision; compiled when
// first needed, not at start.
var verbWidth = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`%[-+# 0]*(?:\[\d+\])?(\*|\d+)?(?:\.(?:\[\d+\])?(\*|\d+))?`)
})

func printf(f string, args ...any) (string, error) {
	for _, m := range verbWidth().FindAllStringSubmatch(f, -1) {
		for _, w := range m[1:] {
			if n, err := strconv.Atoi(w); w == "*" || err == nil && n > maxWidth {
				return "", fmt.Errorf("printf widths go up to %d, and are written in the format, not given with *", maxWidth)
			}
		}
	}
	return fmt.Sprintf(f, args...), nil
}

// Parse reads a summary template. Problems come with the file name and
// line; a template with any problem is nil, and the built-in one is used
// instead. Beyond text/template's own rules, a template may not hold a
// character a terminal would obey, call itself, range over a number, nest
// ranges more than two deep, or grow past a bound through the templates
// it calls: so a template cannot keep a call from ending.
func Parse(file string, data []byte) (*Template, []prompts.Problem) {
	pr := &problems{file: file}
	switch {
	case len(data) > MaxFileBytes:
		pr.add(0, "the file is larger than %d KB, the most a summary template may be; one is a few kilobytes, so check this is the right file", MaxFileBytes>>10)
		return nil, pr.list
	case !utf8.Valid(data):
		pr.add(0, "the file is not UTF-8 text; save it as UTF-8 and try again")
		return nil, pr.list
	}
	for i, line := range strings.Split(string(data), "\n") {
		if off, r := coaching.FirstUnsafe(strings.TrimSuffix(line, "\r"), false); off >= 0 {
			pr.add(i+1, "this line has %s in it, which a terminal would act on instead of showing; delete it (retyping the line is the surest way)", coaching.DescribeRune(r))
		}
	}
	if len(pr.list) > 0 {
		return nil, pr.list
	}
	t, err := template.New(name).Funcs(funcs).Parse(string(data))
	if err != nil {
		pr.addErr(err)
		return nil, pr.list
	}
	w := walker{pr: pr, set: t, stack: map[string]bool{name: true}}
	w.list(t.Tree.Root, 0)
	if len(pr.list) > 0 {
		return nil, pr.list
	}
	return &Template{file: file, t: t}, nil
}

// Execute writes the summary of r with the template. The text is cleaned
// of anything a terminal would obey. An error says what went wrong and
// where in the template, as "FILE:LINE: ...".
func (t *Template) Execute(r coaching.CallRecord, at Times) (text string, err error) {
	if t == nil || t.t == nil {
		t = builtin()
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: the template stopped: %v", t.where(), p)
		}
	}()
	var b limitedBuilder
	if err := t.t.Execute(&b, NewData(r, at)); err != nil {
		pr := &problems{file: t.where()}
		pr.addErr(err)
		return "", errors.New(pr.list[0].String())
	}
	text = coaching.StripUnsafe(b.String(), true)
	if strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("%s: the template wrote nothing", t.where())
	}
	return text, nil
}

// Write is the summary of r: with the template, or, if it fails, with the
// built-in one and a warning for the coach saying why. A summary is
// always written: should the built-in one fail too (notes that nearly
// fill what a summary may hold), the notes are the summary.
func (t *Template) Write(r coaching.CallRecord, at Times) (text, warning string) {
	text, err := t.Execute(r, at)
	if err == nil {
		return text, ""
	}
	if t.File() != "" {
		if text, berr := builtin().Execute(r, at); berr == nil {
			return text, fmt.Sprintf("Your summary template failed (%s); this summary uses the built-in one. Run: callcoach summary check %s",
				err, t.file)
		}
	}
	return coaching.StripUnsafe(r.Call.Notes, true), fmt.Sprintf("The summary could not be written (%s), so it holds the notes alone.", err)
}

func (t *Template) where() string {
	if t.file == "" {
		return "the built-in template"
	}
	return t.file
}

// Check parses a template and writes the summary of two sample calls with
// it, one with every part of a record and one with nothing in it, so that
// a field misspelt or a list indexed past its end shows before a real call
// meets it. now places the samples in time.
func Check(file string, data []byte, now time.Time) []prompts.Problem {
	t, probs := Parse(file, data)
	if len(probs) > 0 {
		return probs
	}
	seen := map[string]bool{}
	for _, rec := range []coaching.CallRecord{Sample(now), Bare(now)} {
		if _, err := t.Execute(rec, Times{Now: now, Coach: time.UTC, Person: time.UTC}); err != nil && !seen[err.Error()] {
			seen[err.Error()] = true
			probs = append(probs, problemOf(file, err.Error()))
		}
	}
	return probs
}

// problemOf turns "FILE:LINE: msg" back into a problem.
func problemOf(file, msg string) prompts.Problem {
	rest := strings.TrimPrefix(msg, file+":")
	if i := strings.Index(rest, ": "); i > 0 {
		if line, err := strconv.Atoi(rest[:i]); err == nil {
			return prompts.Problem{File: file, Line: line, Msg: rest[i+2:]}
		}
	}
	return prompts.Problem{File: file, Msg: strings.TrimPrefix(msg, file+": ")}
}

// problems collects what is wrong with a template file.
type problems struct {
	file string
	list []prompts.Problem
}

func (p *problems) add(line int, format string, args ...any) {
	p.list = append(p.list, prompts.Problem{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// templateErr matches text/template's messages: "template: NAME:LINE: msg"
// from the parser, "template: NAME:LINE:COL: executing "NAME" at <.X>:
// msg" from execution. Compiled when first needed, not at start.
var templateErr = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^template: ` + name + `:(\d+)(?::\d+)?: (?:executing "[^"]*" )?(.*)$`)
})

// addErr adds text/template's error, by line when it gives one.
func (p *problems) addErr(err error) {
	var tooLong errTooLong
	if errors.As(err, &tooLong) {
		p.add(0, "%s", err)
		return
	}
	msg := err.Error()
	if m := templateErr().FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		p.add(line, "%s", m[2])
		return
	}
	p.add(0, "%s", strings.TrimPrefix(msg, "template: "+name+": "))
}

// walker holds a parsed template to the bounds above.
type walker struct {
	pr    *problems
	set   *template.Template
	stack map[string]bool // the templates being walked, to find one calling itself
	nodes int
}

func (w *walker) line(n parse.Node) int {
	loc, _ := w.set.Tree.ErrorContext(n)
	parts := strings.Split(loc, ":")
	if len(parts) >= 2 {
		if line, err := strconv.Atoi(parts[1]); err == nil {
			return line
		}
	}
	return 0
}

func (w *walker) list(l *parse.ListNode, depth int) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		w.node(n, depth)
	}
}

func (w *walker) node(n parse.Node, depth int) {
	if w.nodes++; w.nodes == maxNodes+1 {
		w.pr.add(w.line(n), "the template grows past %d parts through the templates it calls; write it more simply", maxNodes)
	}
	if w.nodes > maxNodes {
		return
	}
	switch n := n.(type) {
	case *parse.IfNode:
		w.list(n.List, depth)
		w.list(n.ElseList, depth)
	case *parse.WithNode:
		w.list(n.List, depth)
		w.list(n.ElseList, depth)
	case *parse.RangeNode:
		if cmds := n.Pipe.Cmds; len(cmds) == 1 && len(cmds[0].Args) == 1 && cmds[0].Args[0].Type() == parse.NodeNumber {
			w.pr.add(w.line(n), "range over a number repeats its text that many times; range over a list, such as .Rulers")
			return
		}
		if depth+1 > maxRangeDepth {
			w.pr.add(w.line(n), "a range inside a range inside a range is too deep for a summary; take one out")
			return
		}
		w.list(n.List, depth+1)
		w.list(n.ElseList, depth)
	case *parse.TemplateNode:
		called := w.set.Lookup(n.Name)
		switch {
		case called == nil || called.Tree == nil:
			w.pr.add(w.line(n), "there is no template called %q; define it with {{define %q}}...{{end}}", n.Name, n.Name)
		case w.stack[n.Name]:
			w.pr.add(w.line(n), "the template %q calls itself, so it would never end", n.Name)
		default:
			w.stack[n.Name] = true
			w.list(called.Tree.Root, depth)
			delete(w.stack, n.Name)
		}
	}
}

// errTooLong stops a template writing more than a summary may hold.
type errTooLong struct{}

func (errTooLong) Error() string {
	return fmt.Sprintf("the template wrote more than %d MB, more than a summary may hold", maxOutput>>20)
}

type limitedBuilder struct{ strings.Builder }

func (b *limitedBuilder) Write(p []byte) (int, error) {
	if b.Len()+len(p) > maxOutput {
		return 0, errTooLong{}
	}
	return b.Builder.Write(p)
}
