// Package prompts is callcoach's library of prompt cards: for each stage of
// a call and each role (coach or peer volunteer), what the stage is for,
// what to ask, example wordings, what to listen for and, for peers, when to
// hand over to a professional. The defaults are embedded; an organisation
// can override any part of them with a file of the same shape, which the
// caller reads and passes in as bytes.
package prompts

import (
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"callcoach/coaching"
)

//go:embed default.yaml
var defaultYAML string

// Card is what the screen shows for one stage and role.
type Card struct {
	Goal      string
	Ask       string
	Examples  []string
	ListenFor string
	HandOver  string // when and how to hand over; set on peer cards
	Local     string // an organisation's own addition; empty in the defaults
}

// IsZero reports whether the card has nothing to show. A Card holds a
// slice, so it cannot be compared with ==.
func (c Card) IsZero() bool {
	return c.Goal == "" && c.Ask == "" && len(c.Examples) == 0 && c.ListenFor == "" && c.HandOver == "" && c.Local == ""
}

// Library holds a card for every stage and role. It is never changed after
// it is built, so it is safe to share.
type Library struct {
	cards map[cardKey]Card
}

type cardKey struct {
	stage coaching.Stage
	role  coaching.Role
}

// defaultLibrary parses the embedded file once. A test proves the file is
// valid, so a failure here is a build mistake, not a user's.
var defaultLibrary = sync.OnceValue(func() *Library {
	patches, problems := parse("default.yaml", []byte(defaultYAML), true)
	if len(problems) > 0 {
		panic(fmt.Sprintf("prompts: the embedded default.yaml is invalid: %v", problems))
	}
	l := &Library{cards: make(map[cardKey]Card, len(patches))}
	for k, p := range patches {
		l.cards[k] = p.apply(Card{})
	}
	return l
})

// Default is the library of built-in cards.
func Default() *Library { return defaultLibrary() }

// DefaultYAML is the embedded default file as it is, comments included, for
// an organisation to copy and edit.
func DefaultYAML() []byte { return []byte(defaultYAML) }

// Card is the card for a stage and role; an unknown stage or role gives the
// zero Card.
func (l *Library) Card(stage coaching.Stage, role coaching.Role) Card {
	if l == nil {
		return Card{}
	}
	c, ok := l.cards[cardKey{stage, role}]
	if !ok {
		return Card{}
	}
	c.Examples = slices.Clone(c.Examples) // the library is shared: callers get their own slice
	return c
}

// Check validates an organisation's override file. name is used only in
// the problems' messages.
func Check(name string, data []byte) []Problem {
	_, problems := parse(name, data, false)
	return problems
}

// Load merges an organisation's override file onto the defaults. If the
// file has any problem, Load returns the defaults alone with the problems,
// so a broken file never stops a call.
func Load(name string, data []byte) (*Library, []Problem) {
	patches, problems := parse(name, data, false)
	def := Default()
	if len(problems) > 0 {
		return def, problems
	}
	l := &Library{cards: maps.Clone(def.cards)}
	for k, p := range patches {
		l.cards[k] = p.apply(l.cards[k])
	}
	return l, nil
}

// patch is one role card as a file gives it: only the fields it sets.
type patch struct {
	text     map[string]string // goal, ask, listen_for, hand_over, local
	examples []string          // nil when not given
}

func (p patch) apply(c Card) Card {
	for field, v := range p.text {
		switch field {
		case fieldGoal:
			c.Goal = v
		case fieldAsk:
			c.Ask = v
		case fieldListenFor:
			c.ListenFor = v
		case fieldHandOver:
			c.HandOver = v
		case fieldLocal:
			c.Local = v
		}
	}
	if p.examples != nil {
		c.Examples = p.examples
	}
	return c
}

// PlanPlaceholder in an example wording stands for the person's own plan,
// as said aloud ("walk after lunch, 20 minutes, 3 days a week"), so a card
// never reads as if an example were their plan.
const PlanPlaceholder = "[their plan]"

// WithPlan fills the person's plan into an example that names it, and
// reports whether the example can be shown: one that names the plan is
// left out when there is none.
func WithPlan(example, plan string) (string, bool) {
	if !strings.Contains(example, PlanPlaceholder) {
		return example, true
	}
	if plan == "" {
		return "", false
	}
	return strings.ReplaceAll(example, PlanPlaceholder, plan), true
}
