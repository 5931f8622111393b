package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
)

// The call workspace's keys are declared once, here. The chords are a
// table: Update finds the chord by its letter (alt+letter, or ctrl+g then
// the letter, for terminals whose Alt key sends nothing), and the help
// line, the full help and the ctrl+g hint are all made from the same
// table, so what is shown is what works.

// chordAction is something the coach can do from the notes with one chord.
type chordAction int

const (
	actNextStage chordAction = iota + 1
	actPrevStage
	actJump // with a stage number
	actTally
	actUndoTally
	actImportance
	actConfidence
	actChangeTalk
	actPlan
	actReview
	actFollowUp
	actSafety
	actMeasure
	actSafetyReviewed
	actWholeCard
	actContext
	actConsent
	actReading
)

// chordGroup gathers chords under one entry of the help line.
type chordGroup int

const (
	groupSafety chordGroup = iota
	groupStages
	groupPlan
	groupRulers
	groupTalk
	groupTally
	groupOther
	groupJump
)

// groupLabels are the help line's words for each group, in its order.
var groupLabels = []struct {
	group chordGroup
	label string
}{
	{groupSafety, "SAFETY"}, {groupStages, "stage"}, {groupTally, "tally"}, {groupPlan, "plan, review, follow-up"},
	{groupRulers, "rulers"}, {groupTalk, "change talk"},
}

// chord is one alt+letter binding and what it does.
type chord struct {
	letter string
	act    chordAction
	group  chordGroup
	tally  coaching.TallyKind
	stage  int  // 1-9 for actJump
	asks   bool // opens a question or a form, so not while another is open
	help   string
}

// binding is the chord as a key binding, for matching and for help.
func (c chord) binding() key.Binding {
	return key.NewBinding(key.WithKeys("alt+"+c.letter), key.WithHelp("alt+"+c.letter, c.help))
}

// callChords is the table of chords.
func callChords() []chord {
	c := []chord{
		{letter: "h", act: actSafety, group: groupSafety, help: "SAFETY: open the safety steps now"},
		{letter: "n", act: actNextStage, group: groupStages, help: "next stage"},
		{letter: "p", act: actPrevStage, group: groupStages, help: "previous stage"},
		{letter: "l", act: actPlan, group: groupPlan, asks: true, help: "write the action plan"},
		{letter: "v", act: actReview, group: groupPlan, asks: true, help: "review the last plan: how did it go?"},
		{letter: "f", act: actFollowUp, group: groupPlan, asks: true, help: "set the next contact"},
		{letter: "i", act: actImportance, group: groupRulers, asks: true, help: "importance ruler 0-10"},
		{letter: "c", act: actConfidence, group: groupRulers, asks: true, help: "confidence ruler 0-10"},
		{letter: "t", act: actChangeTalk, group: groupTalk, asks: true, help: "mark change talk (quote)"},
		{letter: "o", act: actTally, group: groupTally, tally: coaching.TallyOpenQuestion, help: "tally: open question"},
		{letter: "q", act: actTally, group: groupTally, tally: coaching.TallyClosedQuestion, help: "tally: closed question"},
		{letter: "r", act: actTally, group: groupTally, tally: coaching.TallySimpleReflection, help: "tally: simple reflection"},
		{letter: "e", act: actTally, group: groupTally, tally: coaching.TallyComplexReflect, help: "tally: complex reflection"},
		{letter: "a", act: actTally, group: groupTally, tally: coaching.TallyAffirmation, help: "tally: affirmation"},
		{letter: "s", act: actTally, group: groupTally, tally: coaching.TallySummary, help: "tally: summary"},
		{letter: "m", act: actTally, group: groupTally, tally: coaching.TallyMIInconsistent, help: "tally: MI-inconsistent move"},
		{letter: "z", act: actUndoTally, group: groupOther, help: "undo the last tally mark"},
		{letter: "w", act: actMeasure, group: groupOther, asks: true, help: "give a measure (SEMCD-6, PHQ, GAD)"},
		{letter: "d", act: actReading, group: groupOther, asks: true, help: "record a reading they tracked (bp, weight, ...)"},
		{letter: "k", act: actSafetyReviewed, group: groupOther, asks: true, help: "clear an earlier safety flag, saying why"},
		{letter: "x", act: actWholeCard, group: groupOther, help: "the whole prompt card (again: back)"},
		{letter: "b", act: actContext, group: groupOther, help: "last time and now: the context panel (again: hide)"},
		{letter: "g", act: actConsent, group: groupOther, help: "record their verbal consent, given now"},
	}
	for n := 1; n <= len(coaching.DefaultFlow); n++ {
		s, _ := coaching.StageAt(n)
		c = append(c, chord{letter: fmt.Sprint(n), act: actJump, group: groupJump, stage: n, help: "go to " + s.Title()})
	}
	return c
}

// chordLetter returns the letter of an alt chord ("alt+n" -> "n").
func chordLetter(msg tea.KeyMsg) (string, bool) {
	if !msg.Alt || msg.Type != tea.KeyRunes || len(msg.Runes) != 1 {
		return "", false
	}
	return string(msg.Runes[0]), true
}

// plainLetter returns the key pressed as a single character, without Alt.
func plainLetter(msg tea.KeyMsg) (string, bool) {
	if msg.Alt || msg.Type != tea.KeyRunes || len(msg.Runes) != 1 {
		return "", false
	}
	return string(msg.Runes[0]), true
}

// callKeys is every key the workspace answers to.
type callKeys struct {
	chords       map[string]chord
	table        []chord
	End          key.Binding // esc: end the call (then an outcome)
	KeepGoing    key.Binding // esc while choosing the outcome
	Outcomes     []key.Binding
	Discard      key.Binding // the call was opened by mistake
	Leader       key.Binding // ctrl+g, then a chord's letter
	LeaderCancel key.Binding
	AskSave      key.Binding // enter in an inline question
	AskSkip      key.Binding // esc in a question that follows an answer
	AskCancel    key.Binding // esc in a question that starts something
	// For a call shown to read only, or no longer written here.
	Leave, TakeOver, CopyNotes key.Binding
	// The context panel scrolls while the notes keep the keyboard.
	ContextUp, ContextDown key.Binding
}

func newCallKeys() callKeys {
	k := callKeys{
		chords:       map[string]chord{},
		table:        callChords(),
		End:          key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "end call")),
		KeepGoing:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the call")),
		Leader:       key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g then key", "same as alt+key (if alt does nothing)")),
		LeaderCancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel ctrl+g")),
		AskSave:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		AskSkip:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "skip")),
		AskCancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Leave:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		TakeOver:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "take the call over")),
		CopyNotes:    key.NewBinding(key.WithKeys("alt+y"), key.WithHelp("alt+y", "copy the notes")),
		ContextUp:    key.NewBinding(key.WithKeys("alt+up"), key.WithHelp("alt+↑", "context panel or whole card: back")),
		ContextDown:  key.NewBinding(key.WithKeys("alt+down"), key.WithHelp("alt+↓", "context panel or whole card: more")),
	}
	for _, o := range coaching.OutcomeChoices {
		k.Outcomes = append(k.Outcomes, key.NewBinding(key.WithKeys(o.Key), key.WithHelp(o.Key, o.Label)))
	}
	m := coaching.MistakeChoice
	k.Discard = key.NewBinding(key.WithKeys(m.Key), key.WithHelp(m.Key, m.Label+": removed if nothing was noted, else kept and marked"))
	for _, c := range k.table {
		k.chords[c.letter] = c
	}
	return k
}

// groupBinding is one entry of the help line for a group of chords:
// "alt+o/q/r tally".
func (k callKeys) groupBinding(g chordGroup, label string) key.Binding {
	var keys, letters []string
	for _, c := range k.table {
		if c.group == g {
			keys = append(keys, "alt+"+c.letter)
			letters = append(letters, c.letter)
		}
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp("alt+"+strings.Join(letters, "/"), label))
}

// lineHelp is the help line in a call: end, then the chord groups.
func (k callKeys) lineHelp() []key.Binding {
	out := []key.Binding{k.End}
	for _, g := range groupLabels {
		out = append(out, k.groupBinding(g.group, g.label))
	}
	return out
}

// chordHelp groups the chords for the full help: stages, tally, the rest.
func (k callKeys) chordHelp() [][]key.Binding {
	var stages, tally, other []key.Binding
	for _, c := range k.table {
		switch c.group {
		case groupJump:
			if c.stage == 1 {
				var keys []string
				for n := 1; n <= len(coaching.DefaultFlow); n++ {
					keys = append(keys, fmt.Sprintf("alt+%d", n))
				}
				stages = append(stages, key.NewBinding(key.WithKeys(keys...), key.WithHelp(fmt.Sprintf("alt+1…%d", len(coaching.DefaultFlow)), "go to that stage")))
			}
		case groupStages:
			stages = append(stages, c.binding())
		case groupTally:
			tally = append(tally, c.binding())
		default:
			if c.act == actUndoTally {
				tally = append(tally, c.binding())
				continue
			}
			other = append(other, c.binding())
		}
	}
	return [][]key.Binding{stages, tally, append(other, k.Leader)}
}

// leaderHint is the line shown after ctrl+g: the letters that work now.
func (k callKeys) leaderHint() string {
	var letters []string
	jump := false
	for _, c := range k.table {
		if c.group == groupJump {
			if !jump {
				letters = append(letters, fmt.Sprintf("1-%d", len(coaching.DefaultFlow)))
				jump = true
			}
			continue
		}
		letters = append(letters, c.letter)
	}
	return "ctrl+g: now press the key (" + strings.Join(letters, ", ") + "); esc cancels"
}

// cardKey is the chord that shows the whole prompt card.
func (k callKeys) cardKey() string {
	for _, c := range k.table {
		if c.act == actWholeCard {
			return "alt+" + c.letter
		}
	}
	return ""
}

// leaderKeys are the chords as plain keys, for after ctrl+g.
func (k callKeys) leaderKeys() []key.Binding {
	var out []key.Binding
	var digits []string
	for _, c := range k.table {
		if c.group == groupJump {
			digits = append(digits, c.letter)
			continue
		}
		out = append(out, key.NewBinding(key.WithKeys(c.letter), key.WithHelp(c.letter, c.help)))
	}
	return append(out, key.NewBinding(key.WithKeys(digits...), key.WithHelp("1-"+digits[len(digits)-1], "go to that stage")))
}

// whileAsking are the chords that work while a question is open: those
// that do not ask one of their own.
func (k callKeys) whileAsking() []key.Binding {
	var out []key.Binding
	for _, c := range k.table {
		if !c.asks && c.group != groupJump {
			out = append(out, c.binding())
		}
	}
	return out
}
