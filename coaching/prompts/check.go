package prompts

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"callcoach/coaching"
	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a prompts file, at a line of it.
type Problem struct {
	File string
	Line int // 0 when the problem is not at one line
	Msg  string
}

// String is "FILE:LINE: msg", or "FILE: msg" without a line.
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// MaxFileBytes bounds a prompts file: far above any real one and, with
// the bound on lines, it keeps Check quick. A caller reads at most
// MaxFileBytes+1 bytes of the file, so that Check and Load see when it is over.
const MaxFileBytes = 2 << 20

// The limits a file is held to.
const (
	maxTextChars   = 2000  // one text: a card is read mid-call
	maxLines       = 10000 // the built-in file has about 200
	maxProblems    = 50    // enough to work through; a garbage file gives no flood
	minExamples    = 1
	maxExamples    = 5
	minDefExamples = 2 // the built-in cards offer a choice but stay short
	maxDefExamples = 3
)

// The fields of a card, in the order they are listed in messages.
const (
	fieldGoal      = "goal"
	fieldAsk       = "ask"
	fieldExamples  = "examples"
	fieldListenFor = "listen_for"
	fieldHandOver  = "hand_over"
	fieldLocal     = "local"
)

var cardFields = []string{fieldGoal, fieldAsk, fieldExamples, fieldListenFor, fieldHandOver, fieldLocal}

// checker walks a parsed file, collecting problems and the cards it sets.
type checker struct {
	file     string
	defaults bool // the built-in file: every card complete, no local text
	problems []Problem
	patches  map[cardKey]patch
}

// parse validates a prompts file and returns the cards it sets. With
// defaults it applies the stricter rules of the built-in file.
func parse(name string, data []byte, defaults bool) (map[cardKey]patch, []Problem) {
	c := &checker{file: name, defaults: defaults, patches: map[cardKey]patch{}}
	if root := c.read(data); root != nil {
		c.root(root)
	}
	return c.patches, c.problems
}

func (c *checker) add(line int, format string, args ...any) {
	switch {
	case len(c.problems) < maxProblems:
		c.problems = append(c.problems, Problem{c.file, line, fmt.Sprintf(format, args...)})
	case len(c.problems) == maxProblems:
		c.problems = append(c.problems, Problem{c.file, 0, "there are more problems than shown here; fix these and check the file again"})
	}
}

// read checks the raw bytes and parses them, returning the top node or nil
// when there is nothing more to check.
func (c *checker) read(data []byte) *yaml.Node {
	if len(bytes.TrimSpace(data)) == 0 {
		c.add(0, `the file is empty; it needs at least "version: 1"`)
		return nil
	}
	if len(data) > MaxFileBytes {
		c.add(0, "the file is larger than %s bytes, the most a prompts file may be; a whole set of cards fits in a few thousand", thousands(MaxFileBytes))
		return nil
	}
	if lines := bytes.Count(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) + 1; lines > maxLines {
		c.add(0, "the file has %s lines, more than the %s a prompts file may have; the built-in one has about 200", thousands(lines), thousands(maxLines))
		return nil
	}
	if !utf8.Valid(data) {
		c.add(0, "the file is not UTF-8 text (the first bad byte is on line %d); save it as UTF-8 in your editor and check it again", badUTF8Line(data))
		return nil
	}
	if c.rawControls(data) {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			c.add(0, `the file has only comments in it; it needs at least "version: 1"`)
		} else {
			c.syntax(err, data)
		}
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		c.add(next.Line, `a second document starts here (after "---"); keep everything in one, with a single "version: 1" at the top`)
	case !errors.Is(err, io.EOF):
		c.syntax(err, data)
	}
	if len(doc.Content) == 0 || doc.Content[0].ShortTag() == "!!null" {
		c.add(doc.Line, `the file has no settings in it; it needs at least "version: 1"`)
		return nil
	}
	return doc.Content[0]
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// rawControls reports lines holding a character a terminal would obey
// (coaching.UnsafeRune) other than tab, newline and carriage return
// (Windows line ends). The YAML reader refuses most of them without saying
// where, and lets the bidirectional overrides through, so they are found
// first, comments included.
func (c *checker) rawControls(data []byte) bool {
	found := false
	line, reported := 1, 0
	for s := string(data); s != ""; {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		switch {
		case r == '\n':
			line++
		case r == '\t' || r == '\r':
		case coaching.UnsafeRune(r) && reported != line:
			c.add(line, "this line has %s in it, which a terminal would act on instead of showing; delete it (retyping the line is the surest way)", coaching.DescribeRune(r))
			found, reported = true, line
		}
	}
	return found
}

func badUTF8Line(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[n:]
	}
	return line
}

// yamlLine is the YAML reader's "line N" error; compiled when first
// needed, not at start.
var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) })

// syntax turns the YAML reader's error into a problem at its line.
func (c *checker) syntax(err error, data []byte) {
	msg := err.Error()
	line := 0
	if m := yamlLine().FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	// The reader often names the line before a tab used for indenting.
	for _, l := range []int{line, line + 1} {
		if line > 0 && tabIndented(data, l) {
			c.add(l, "this line is indented with a tab; indent with spaces instead")
			return
		}
	}
	c.add(line, "the file cannot be read as YAML (%s); check the indentation, colons and quotes here and on the line before", msg)
}

func tabIndented(data []byte, line int) bool {
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return false
		}
		data = data[j+1:]
	}
	l := bytes.TrimLeft(data, " ")
	return len(l) > 0 && l[0] == '\t'
}

// field is a key and its value in a YAML mapping.
type field struct{ key, value *yaml.Node }

// mapping reads the keys of a mapping, reporting keys given twice and keys
// not in allowed (with unknown's message).
func (c *checker) mapping(n *yaml.Node, where string, allowed []string, unknown func(key string) string) map[string]field {
	out := map[string]field{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			c.add(k.Line, "a name was expected here %s, followed by a colon", where)
			continue
		}
		if prev, ok := out[k.Value]; ok {
			c.add(k.Line, "%q is given twice %s (first on line %d); keep one", k.Value, where, prev.key.Line)
			continue
		}
		if !slices.Contains(allowed, k.Value) {
			c.add(k.Line, "%s", unknown(k.Value))
			continue
		}
		out[k.Value] = field{k, v}
	}
	return out
}

func stageList() string {
	names := make([]string, len(coaching.DefaultFlow))
	for i, s := range coaching.DefaultFlow {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// alias reports a YAML alias (*name): it is refused because it would let
// one line stand for a whole copied card, hiding what a card says.
func (c *checker) alias(n *yaml.Node, what string) bool {
	if n.Kind != yaml.AliasNode {
		return false
	}
	c.add(n.Line, "%s uses *%s to copy text from elsewhere; write the text out in full here", what, n.Value)
	return true
}

func (c *checker) root(root *yaml.Node) {
	if c.alias(root, "the file") {
		return
	}
	if root.Kind != yaml.MappingNode {
		c.add(root.Line, `the file should start with "version: 1" and then "stages:"`)
		return
	}
	top := c.mapping(root, "at the top of the file", []string{"version", "stages"}, func(k string) string {
		return fmt.Sprintf(`unknown setting %q at the top of the file; only "version" and "stages" go there`, k)
	})
	if v, ok := top["version"]; !ok {
		c.add(root.Line, `"version: 1" is missing; add it at the top of the file`)
	} else if v.value.Kind != yaml.ScalarNode || strings.TrimSpace(v.value.Value) != "1" {
		c.add(v.key.Line, `the version should be 1 (write "version: 1"); this callcoach reads version 1 files`)
	}
	st, ok := top["stages"]
	if !ok {
		if c.defaults {
			c.add(root.Line, `"stages:" is missing; the built-in file lists every stage`)
		}
		return
	}
	if c.alias(st.value, "stages") {
		return
	}
	if st.value.Kind != yaml.SequenceNode {
		c.add(st.key.Line, `"stages:" should be followed by a list, one entry per stage, each starting with "- id:"`)
		return
	}
	seen := map[coaching.Stage]int{}
	for _, item := range st.value.Content {
		if len(c.problems) > maxProblems {
			return // the list is already cut; the rest would not be shown
		}
		c.stage(item, seen)
	}
	if c.defaults {
		for _, s := range coaching.DefaultFlow {
			if _, ok := seen[s]; !ok {
				c.add(st.key.Line, "stage %s is missing; the built-in file needs every stage: %s", s, stageList())
			}
		}
	}
}

func (c *checker) stage(item *yaml.Node, seen map[coaching.Stage]int) {
	if c.alias(item, "this stage") {
		return
	}
	if item.Kind != yaml.MappingNode {
		c.add(item.Line, `each stage should start with "- id:" and the stage's name, followed by its coach and peer cards`)
		return
	}
	where := fmt.Sprintf("in the stage on line %d", item.Line)
	f := c.mapping(item, where, []string{"id", "coach", "peer"}, func(k string) string {
		return fmt.Sprintf("unknown role %q %s; a stage has an id and cards for coach and peer only", k, where)
	})
	var stage coaching.Stage
	label := fmt.Sprintf("the stage on line %d", item.Line)
	id, ok := f["id"]
	switch {
	case !ok:
		c.add(item.Line, `this stage has no id; start it with "- id:" and one of the stages: %s`, stageList())
	case id.value.Kind != yaml.ScalarNode || strings.TrimSpace(id.value.Value) == "":
		c.add(id.key.Line, "the stage id should be one of: %s", stageList())
	default:
		name := strings.TrimSpace(id.value.Value)
		if _, err := coaching.ParseStage(name); err != nil {
			c.add(id.value.Line, "unknown stage %q; the stages are %s", name, stageList())
			break
		}
		stage = coaching.Stage(name)
		if first, dup := seen[stage]; dup {
			c.add(id.value.Line, "stage %s is listed twice (first on line %d); put its cards together in one entry", stage, first)
			stage = ""
			break
		}
		seen[stage] = id.value.Line
		label = "stage " + string(stage)
	}
	for _, role := range []coaching.Role{coaching.RoleCoach, coaching.RolePeer} {
		card, ok := f[string(role)]
		if !ok {
			if c.defaults && stage != "" {
				c.add(item.Line, "%s has no %s card; the built-in file needs both coach and peer cards", label, role)
			}
			continue
		}
		p, ok := c.card(card, role, fmt.Sprintf("the %s card of %s", role, label))
		if ok && stage != "" {
			c.patches[cardKey{stage, role}] = p
		}
	}
}

func (c *checker) card(f field, role coaching.Role, label string) (patch, bool) {
	n := f.value
	if c.alias(n, label) {
		return patch{}, false
	}
	if n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!null" || strings.TrimSpace(n.Value) == "") {
		c.add(f.key.Line, "%s is empty; put its fields (goal:, ask:, ...) on the lines below, indented, or remove %q", label, f.key.Value+":")
		return patch{}, false
	}
	if n.Kind != yaml.MappingNode {
		c.add(n.Line, "%s should be a set of fields (goal:, ask:, ...) on the lines below %q, indented", label, f.key.Value+":")
		return patch{}, false
	}
	fields := c.mapping(n, "in "+label, cardFields, func(k string) string {
		return fmt.Sprintf("unknown field %q in %s; the fields are %s", k, label, strings.Join(cardFields, ", "))
	})
	p := patch{text: map[string]string{}}
	for _, name := range cardFields {
		fv, ok := fields[name]
		if !ok {
			continue
		}
		if name == fieldExamples {
			p.examples = c.examples(fv, label)
			continue
		}
		if t, ok := c.text(fv.value, fmt.Sprintf("the %s of %s", name, label)); ok {
			p.text[name] = t
		}
	}
	if c.defaults {
		need := []string{fieldGoal, fieldAsk, fieldExamples, fieldListenFor}
		if role == coaching.RolePeer {
			need = append(need, fieldHandOver)
		}
		for _, name := range need {
			if _, ok := fields[name]; !ok {
				c.add(f.key.Line, "%s has no %s; the built-in cards need every field", label, name)
			}
		}
		if l, ok := fields[fieldLocal]; ok {
			c.add(l.key.Line, "local is for an organisation's own file, not the built-in one; move it there")
		}
	}
	return p, true
}

func (c *checker) examples(f field, label string) []string {
	n := f.value
	what := "the examples of " + label
	if c.alias(n, what) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		c.add(n.Line, `%s should be a list: one example per line, each starting with "- "`, what)
		return nil
	}
	lo, hi := minExamples, maxExamples
	if c.defaults {
		lo, hi = minDefExamples, maxDefExamples
	}
	if len(n.Content) < lo || len(n.Content) > hi {
		c.add(f.key.Line, "%s has %s examples; give between %d and %d", label, thousands(len(n.Content)), lo, hi)
	}
	out := make([]string, 0, len(n.Content))
	for i, item := range n.Content {
		if t, ok := c.text(item, fmt.Sprintf("example %d of %s", i+1, label)); ok {
			out = append(out, t)
		}
	}
	return out
}

// text checks one text and returns it without surrounding space.
func (c *checker) text(n *yaml.Node, what string) (string, bool) {
	if c.alias(n, what) {
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		c.add(n.Line, "%s should be text, not %s", what, kindName(n.Kind))
		return "", false
	}
	t := strings.TrimSpace(n.Value)
	if n.ShortTag() == "!!null" || t == "" {
		if c.defaults {
			c.add(n.Line, "%s is empty; write the text", what)
		} else {
			c.add(n.Line, "%s is empty; write the text, or delete the line to keep the built-in one", what)
		}
		return "", false
	}
	if chars := utf8.RuneCountInString(t); chars > maxTextChars {
		c.add(n.Line, "%s is %s characters long; the limit is %s, and a sentence or two is best on a card read mid-call", what, thousands(chars), thousands(maxTextChars))
		return "", false
	}
	// An escape in a quoted text ("\e", "\u202e") gets past rawControls.
	if i, r := coaching.FirstUnsafe(t, true); i >= 0 {
		c.add(n.Line, "%s has %s in it, which a terminal would act on instead of showing; remove it", what, coaching.DescribeRune(r))
		return "", false
	}
	return t, true
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return `a list (lines starting with "- ")`
	case yaml.MappingNode:
		return "a set of fields"
	}
	return "something else"
}
