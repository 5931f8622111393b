package tui

import (
	"context"
	"errors"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callcoach/coaching"
	"callcoach/coaching/config"
	"callcoach/coaching/prompts"
	"callcoach/coaching/summary"
	"callcoach/storage"
)

// Common is what every screen shares: the store, the styles, the clock and
// the size of the area the screen may draw in. Screens hold a pointer to it
// so the root can update the size once for all of them.
type Common struct {
	Ctx    context.Context
	Store  *storage.Store
	Styles Styles
	// Now is the clock; tests replace it.
	Now func() time.Time
	// After delivers msg after d. Tests replace it so that timers fire only
	// when the test says so.
	After func(d time.Duration, msg tea.Msg) tea.Cmd
	// Local is the coach's own time zone, for showing times.
	Local *time.Location
	// Prompts holds the prompt cards for each stage and role; nil for the
	// built-in ones.
	Prompts *prompts.Library
	// Role is who makes calls with this copy of callcoach.
	Role coaching.Role
	// CallTarget is how long a call should last; 0 for no target.
	CallTarget time.Duration
	// Retry proposes when to try someone again after an attempt; while
	// it is the zero rule (no settings applied), retryRule gives the
	// default one, which is not worked out before the first frame.
	Retry coaching.RetryRule
	// Copy puts text on the clipboard (OSC 52 to the terminal).
	Copy func(text string) error
	// Safety is the organisation's safety protocol (steps and contacts).
	Safety config.Safety
	// Readings are the organisation's own kinds of reading, beside the
	// built-in ones.
	Readings []coaching.CustomReading
	// TargetWeeks is the weeks in care after which the registry flags
	// someone not on track; 0: coaching.DefaultTargetWeeks.
	TargetWeeks int
	// Summary writes the summary of a call that ends: the organisation's
	// template, or nil for the built-in one.
	Summary *summary.Template
	// Warnings are problems found at start (a broken settings or prompts
	// file); the first is shown when the app opens.
	Warnings []string
	// Login is who this program logs in as on a team database (a coach,
	// a supervisor, the owner); the zero Login on a file. Read at start,
	// before the first screen reads anything (startCmd).
	Login storage.Login
	// changes brings what other coaches write to a team database
	// (storage.Store.Changes); nil on a file.
	changes <-chan storage.Change

	// Drawn is closed once the first frame is on the screen: the App
	// reads nothing before it (see App.Init). Nil: nothing to wait for.
	Drawn <-chan struct{}
	// Settings reads the settings file, the prompt cards and the summary
	// template. The App calls it once the first frame is up, off the UI
	// goroutine, and puts what it says in place of the defaults above;
	// keys typed meanwhile wait for it. Nil: the fields stay as they are.
	Settings func() Settings
	// Lock is the screen lock's file and how it starts (lock.go).
	Lock ScreenLock
	// Background, when set, asks the terminal for its background colour
	// once the program starts; the colours follow its answer.
	Background *BackgroundQuery

	renderer *lipgloss.Renderer
}

// Settings are what the settings file, the prompt cards and the summary
// template say, with the warnings for what of them could not be used.
type Settings struct {
	Role       coaching.Role
	CallTarget time.Duration
	Retry      coaching.RetryRule
	Safety     config.Safety
	Readings   []coaching.CustomReading
	// TargetWeeks: see Common; 0 leaves it as it is.
	TargetWeeks int
	Prompts     *prompts.Library
	Summary     *summary.Template
	// LockAfter is the screen lock's idle time (0: only on the key);
	// LockAfterSet says the settings file gave it.
	LockAfter    time.Duration
	LockAfterSet bool
	Warnings     []string
}

// retryRule is the rule that proposes retries: the settings', else the
// default.
func (c *Common) retryRule() coaching.RetryRule {
	if !c.Retry.Hours.Understood() {
		return coaching.DefaultRetryRule()
	}
	return c.Retry
}

// apply puts the settings in place of the defaults.
func (c *Common) apply(s Settings) {
	c.Role, c.CallTarget, c.Safety, c.Prompts, c.Summary = s.Role, s.CallTarget, s.Safety, s.Prompts, s.Summary
	c.Readings = s.Readings
	if s.TargetWeeks > 0 {
		c.TargetWeeks = s.TargetWeeks
	}
	if s.Retry.Hours.Understood() { // a rule from the settings file, not Settings{} left empty
		c.Retry = s.Retry
	}
	c.Lock.After, c.Lock.AfterSet = s.LockAfter, s.LockAfterSet
	c.Warnings = append(c.Warnings, s.Warnings...)
}

// targetWeeks is the registry's weeks, the default when not set.
func (c *Common) targetWeeks() int {
	if c.TargetWeeks > 0 {
		return c.TargetWeeks
	}
	return coaching.DefaultTargetWeeks
}

// NewCommon builds the shared state for a real program.
func NewCommon(ctx context.Context, store *storage.Store, r *lipgloss.Renderer) *Common {
	return &Common{
		Ctx:    ctx,
		Store:  store,
		Styles: NewStyles(r),
		Now:    time.Now,
		After: func(d time.Duration, msg tea.Msg) tea.Cmd {
			return tea.Tick(d, func(time.Time) tea.Msg { return msg })
		},
		Local:      time.Local,
		Role:       coaching.RoleCoach,
		CallTarget: 20 * time.Minute,
		Copy: func(text string) error {
			_, err := os.Stdout.WriteString(CopySequence(text))
			return err
		},
		renderer: r,
	}
}

// errMsg reports a failure the coach should see. The text is shown as is,
// so it must be a sentence that says what happened and what to do.
type errMsg struct{ text string }

// infoMsg is a calm, passing notice (for example "Saved.").
type infoMsg struct{ text string }

// pushMsg puts a screen on top of the stack.
type pushMsg struct{ s screen }

// popMsg removes the top screen and tells the one below it to refresh.
type popMsg struct{}

// nextInQueueMsg closes every screen above the caseload and opens s: the
// next person in the Now view, after a call ends.
type nextInQueueMsg struct{ s screen }

// replaceMsg swaps a screen for another where it is in the stack (a form
// that became the
// person it created, say).
type replaceMsg struct{ old, s screen }

func push(s screen) tea.Cmd         { return func() tea.Msg { return pushMsg{s} } }
func pop() tea.Msg                  { return popMsg{} }
func replace(old, s screen) tea.Cmd { return func() tea.Msg { return replaceMsg{old, s} } }

func showErr(text string) tea.Cmd { return func() tea.Msg { return errMsg{text} } }

// record adds an entry to the audit trail off the UI goroutine, for an
// action that writes nothing else (docs/security.md, "Audit trail"). A
// file opened to read only records nothing.
func (c *Common) record(action coaching.AuditAction, person int64) tea.Cmd {
	store, ctx, now := c.Store, c.Ctx, c.Now()
	if store == nil || store.ReadOnly() != nil {
		return nil
	}
	return func() tea.Msg {
		err := store.Audit(ctx, action, person, "", now)
		switch {
		case err == nil, errors.Is(err, storage.ErrDamaged), errors.Is(err, storage.ErrReadOnly), errors.Is(err, storage.ErrFileGone):
			// A file that takes no writes says so in its banner already.
			return nil
		}
		return errMsg{text: "The audit trail could not record this: " + storage.Explain(err)}
	}
}
