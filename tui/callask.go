package tui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// An inline question is asked in a line above the notes, without leaving
// the call: a ruler's score and the reason for it, a change-talk quote and
// its kind, a plan review, the next contact, which measure to give. Each
// step of such a flow is one small type (askStep); the ask component runs
// whichever step is current, and a step's answer says which comes next.

// askStep is one question.
type askStep interface {
	// question is the words before the answer.
	question() string
	// input says how a typed answer is taken (placeholder, longest); ok
	// is false for a step answered with one key (keyed).
	input() (placeholder string, limit int, ok bool)
	// answer takes the typed text (on enter) or the key pressed, and
	// returns the step that follows (nil when the flow is done), the
	// writes it starts, and, if the answer is refused, why (the step then
	// stays).
	answer(w *callScreen, a string) (next askStep, cmd tea.Cmd, problem string)
	// skip answers esc. A step that follows an answer already given
	// (skippable) keeps that answer; others cancel the flow.
	skip(w *callScreen) (next askStep, cmd tea.Cmd)
	skippable() bool
}

// askKeyed is a step answered with one key: its keys, for the help.
type askKeyed interface {
	keys() []key.Binding
}

// askLines is what a step shows above its question line: choices, a
// preview of what was typed.
type askLines interface {
	lines(w *callScreen, typed string) []string
}

// ask is the component: the current step and its text input.
type ask struct {
	step  askStep
	in    textinput.Model
	typed bool // the step takes typed text
	err   string
}

func (a *ask) open() bool { return a.step != nil }

func (a *ask) close() { *a = ask{} }

// start shows step, with a fresh input if it takes typed text. A nil step
// closes the question.
func (a *ask) start(c *Common, step askStep) {
	*a = ask{step: step}
	if step == nil {
		return
	}
	if ph, limit, ok := step.input(); ok {
		a.in, a.typed = newAskInput(c, ph, limit), true
	}
}

func newAskInput(c *Common, placeholder string, limit int) textinput.Model {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = placeholder
	ti.PlaceholderStyle = c.Styles.Subtle
	ti.Cursor.Style = c.Styles.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.CharLimit = limit
	ti.KeyMap = editKeys()
	ti.Focus()
	return ti
}

// value is what was typed so far.
func (a *ask) value() string {
	if !a.typed {
		return ""
	}
	return a.in.Value()
}

// update takes a key while the question is open: enter answers a typed
// step, esc skips or cancels, a plain key answers a keyed step, anything
// else edits the typed answer.
func (m *callScreen) updateAsk(msg tea.KeyMsg) tea.Cmd {
	a := &m.ask
	var next askStep
	var cmd tea.Cmd
	switch {
	case key.Matches(msg, m.keys.AskCancel):
		next, cmd = a.step.skip(m)
	case a.typed && key.Matches(msg, m.keys.AskSave):
		return m.answerAsk(a.in.Value())
	case !a.typed:
		if letter, ok := plainLetter(msg); ok {
			return m.answerAsk(letter)
		}
		return nil
	default:
		a.err = ""
		var icmd tea.Cmd
		a.in, icmd = updateInput(a.in, msg)
		return icmd
	}
	a.start(m.c, next)
	return cmd
}

// answerAsk gives the current step its answer and moves on.
func (m *callScreen) answerAsk(answer string) tea.Cmd {
	a := &m.ask
	next, cmd, problem := a.step.answer(m, answer)
	if problem != "" {
		a.err = problem // the step stays, with what was typed
		return cmd
	}
	a.start(m.c, next)
	return cmd
}

// askHelp is the help line while a question is open.
func (m *callScreen) askHelp() []key.Binding {
	esc := m.keys.AskCancel
	if m.ask.step.skippable() {
		esc = m.keys.AskSkip
	}
	if m.ask.typed {
		return []key.Binding{m.keys.AskSave, esc}
	}
	return []key.Binding{esc}
}

// askView is the question's lines: a passing note and a refusal above it,
// the step's own lines, then the question and its input. The input's
// width is set in layout, not here.
func (m *callScreen) askView() []string {
	st := m.c.Styles
	a := &m.ask
	var lines []string
	if m.note != "" {
		lines = append(lines, st.Info.Render(m.note))
	}
	if a.err != "" {
		lines = append(lines, st.Error.Render(a.err))
	}
	if l, ok := a.step.(askLines); ok {
		lines = append(lines, l.lines(m, a.value())...)
	}
	if !a.typed {
		return lines
	}
	return append(lines, m.askQuestion()+a.in.View())
}

// askQuestion is the question as drawn before a typed answer.
func (m *callScreen) askQuestion() string {
	return m.c.Styles.Focused.Render(m.ask.step.question()) + " "
}

// sizeAsk gives the typed answer the width the question leaves.
func (m *callScreen) sizeAsk() {
	if m.ask.typed {
		m.ask.in.Width = max(m.width-lipgloss.Width(m.askQuestion())-inputSlack, 1)
	}
}
