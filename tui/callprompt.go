package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"callcoach/coaching"
)

// askStep is where an inline question in the workspace is.
type askStep int

const (
	askNone          askStep = iota
	askScore                 // "Importance, 0 to 10:"
	askWhy                   // "Why a 6 and not a 3?"
	askQuote                 // the person's words, from the notes line or typed
	askTalkKind              // which kind of change talk
	askReviewOutcome         // how did the plan go: done, partly, not done
	askHelped                // what helped
	askGotInWay              // what got in the way
	askReviewNext            // continue, revise, or a new plan
	askFollowWhen            // when to talk next
	askFollowReason          // what for
	askMeasure               // which measure to give
)

// ask is a question the workspace asks in a line above the notes, without
// leaving the call: a ruler score and its follow-up, or a change-talk quote
// and its kind. While it is open, keys go to it, not to the notes.
type ask struct {
	step   askStep
	review coaching.PlanReview
	due    time.Time
	kind   coaching.RulerKind
	score  int
	ruler  *rulerRef
	quote  string
	input  textinput.Model
	err    string
}

// rulerRef carries a ruler's database id from its insert to later updates.
// Both run through the call's serial writer, so the id is set before any
// update reads it.
type rulerRef struct {
	id    int64
	ruler coaching.Ruler
}

func newAskInput(c *Common, placeholder string, limit int) textinput.Model {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = placeholder
	ti.PlaceholderStyle = c.Styles.Subtle
	ti.Cursor.Style = c.Styles.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.CharLimit = limit
	ti.Focus()
	return ti
}

func (a *ask) open() bool { return a.step != askNone }

func (a *ask) close() { *a = ask{} }

// skippable reports whether esc skips the question and keeps what was
// answered before it (see callScreen.skipAsk), rather than cancelling.
func (a *ask) skippable() bool {
	switch a.step {
	case askWhy, askHelped, askGotInWay, askFollowReason:
		return true
	}
	return false
}

// question is the words shown before the input.
func (a *ask) question() string {
	switch a.step {
	case askScore:
		return "How " + rulerAdjective(a.kind) + ", 0 to 10?"
	case askWhy:
		return coaching.FollowUpQuestion(a.kind, a.score)
	case askQuote:
		return "Their words:"
	case askTalkKind:
		return "Which kind?"
	case askHelped:
		return "What helped?"
	case askGotInWay:
		return "What got in the way?"
	case askFollowWhen:
		return "Next contact, their time:"
	case askFollowReason:
		return "What for?"
	}
	return ""
}

func rulerAdjective(k coaching.RulerKind) string {
	if k == coaching.RulerConfidence {
		return "confident"
	}
	return "important"
}

// talkKeys lists the change-talk kinds with their keys, on two lines: the
// preparing kinds (desire, ability, reasons, need), then the mobilising
// ones and sustain talk.
func talkKeys(mobilising bool) string {
	var parts []string
	for _, c := range coaching.TalkChoices {
		m := c.Kind == coaching.TalkCommitment || c.Kind == coaching.TalkActivation || c.Kind == coaching.TalkSteps || c.Kind == coaching.TalkSustain
		if m == mobilising {
			parts = append(parts, c.Key+" "+c.Label)
		}
	}
	if mobilising {
		return "  Mobilising: " + strings.Join(parts, " · ")
	}
	return "  Preparing:  " + strings.Join(parts, " · ")
}

func (a *ask) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	a.input, cmd = a.input.Update(msg)
	return cmd
}
