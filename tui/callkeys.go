package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
)

// chordAction is something the coach can do from the notes editor with one
// chord: alt+letter, or the leader key (ctrl+g) then the letter, for
// terminals whose Alt key sends nothing.
type chordAction int

const (
	actNone chordAction = iota
	actNextStage
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
)

// chord is one alt+letter binding and what it does.
type chord struct {
	letter string
	act    chordAction
	tally  coaching.TallyKind
	stage  int // 1-9 for actJump
	help   string
}

// callChords is the workspace key map. Letters follow the map:
// n/p stages, 1-9 jump, o q r e a s m tally, z undo, i c rulers, t talk.
func callChords() []chord {
	c := []chord{
		{letter: "n", act: actNextStage, help: "next stage"},
		{letter: "p", act: actPrevStage, help: "previous stage"},
		{letter: "o", act: actTally, tally: coaching.TallyOpenQuestion, help: "tally: open question"},
		{letter: "q", act: actTally, tally: coaching.TallyClosedQuestion, help: "tally: closed question"},
		{letter: "r", act: actTally, tally: coaching.TallySimpleReflection, help: "tally: simple reflection"},
		{letter: "e", act: actTally, tally: coaching.TallyComplexReflect, help: "tally: complex reflection"},
		{letter: "a", act: actTally, tally: coaching.TallyAffirmation, help: "tally: affirmation"},
		{letter: "s", act: actTally, tally: coaching.TallySummary, help: "tally: summary"},
		{letter: "m", act: actTally, tally: coaching.TallyMIInconsistent, help: "tally: MI-inconsistent move"},
		{letter: "z", act: actUndoTally, help: "undo the last tally mark"},
		{letter: "i", act: actImportance, help: "importance ruler 0-10"},
		{letter: "c", act: actConfidence, help: "confidence ruler 0-10"},
		{letter: "t", act: actChangeTalk, help: "mark change talk (quote)"},
		{letter: "l", act: actPlan, help: "write the action plan"},
		{letter: "v", act: actReview, help: "review the last plan: how did it go?"},
		{letter: "f", act: actFollowUp, help: "set the next contact"},
		{letter: "h", act: actSafety, help: "SAFETY: open the safety steps now"},
		{letter: "w", act: actMeasure, help: "give a measure (SEMCD-6, PHQ, GAD)"},
		{letter: "k", act: actSafetyReviewed, help: "mark an earlier safety flag reviewed"},
	}
	for n := 1; n <= len(coaching.DefaultFlow); n++ {
		s, _ := coaching.StageAt(n)
		c = append(c, chord{letter: fmt.Sprint(n), act: actJump, stage: n, help: "go to " + s.Title()})
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

// plainLetter returns the key pressed after the leader.
func plainLetter(msg tea.KeyMsg) (string, bool) {
	if msg.Alt || msg.Type != tea.KeyRunes || len(msg.Runes) != 1 {
		return "", false
	}
	return string(msg.Runes[0]), true
}

type callKeys struct {
	End, KeepGoing, Leader, LeaderCancel key.Binding
	// For a call shown to read only, or no longer written here.
	Leave, TakeOver, CopyNotes key.Binding
	Outcomes                   []key.Binding
	chords                     map[string]chord
	// For the help line and the full help.
	Stages, Tally, Undo, Rulers, Talk, Plan, Safety key.Binding
	all                                             []key.Binding
}

func newCallKeys() callKeys {
	k := callKeys{
		End:          key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "end call")),
		KeepGoing:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the call")),
		Leader:       key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g then key", "same as alt+key (if alt does nothing)")),
		LeaderCancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel ctrl+g")),
		Leave:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		TakeOver:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "take the call over")),
		CopyNotes:    key.NewBinding(key.WithKeys("alt+y"), key.WithHelp("alt+y", "copy the notes")),
		Stages:       key.NewBinding(key.WithKeys("alt+n", "alt+p"), key.WithHelp("alt+n/p", "stage")),
		Tally:        key.NewBinding(key.WithKeys("alt+o", "alt+q", "alt+r", "alt+e", "alt+a", "alt+s", "alt+m"), key.WithHelp("alt+o/q/r/e/a/s/m", "tally")),
		Undo:         key.NewBinding(key.WithKeys("alt+z"), key.WithHelp("alt+z", "undo")),
		Rulers:       key.NewBinding(key.WithKeys("alt+i", "alt+c"), key.WithHelp("alt+i/c", "rulers")),
		Talk:         key.NewBinding(key.WithKeys("alt+t"), key.WithHelp("alt+t", "change talk")),
		Safety:       key.NewBinding(key.WithKeys("alt+h"), key.WithHelp("alt+h", "SAFETY")),
		Plan:         key.NewBinding(key.WithKeys("alt+l", "alt+v", "alt+f"), key.WithHelp("alt+l/v/f", "plan, review, follow-up")),
		chords:       map[string]chord{},
	}
	for _, o := range coaching.OutcomeChoices {
		k.Outcomes = append(k.Outcomes, key.NewBinding(key.WithKeys(o.Key), key.WithHelp(o.Key, o.Label)))
	}
	for _, c := range callChords() {
		k.chords[c.letter] = c
		k.all = append(k.all, key.NewBinding(key.WithKeys("alt+"+c.letter), key.WithHelp("alt+"+c.letter, c.help)))
	}
	return k
}

// chordHelp groups the chords for the full help: stages, tally, rulers.
func (k callKeys) chordHelp() [][]key.Binding {
	var stages, tally, other []key.Binding
	for i, c := range callChords() {
		switch c.act {
		case actJump:
			if c.stage == 1 {
				stages = append(stages, key.NewBinding(key.WithKeys("alt+1"), key.WithHelp("alt+1…9", "go to stage 1…9")))
			}
		case actNextStage, actPrevStage:
			stages = append(stages, k.all[i])
		case actTally, actUndoTally:
			tally = append(tally, k.all[i])
		default:
			other = append(other, k.all[i])
		}
	}
	return [][]key.Binding{stages, tally, append(other, k.Leader)}
}
