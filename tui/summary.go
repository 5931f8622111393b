package tui

import (
	"callcoach/coaching"

	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"callcoach/storage"
)

// summaryKeys is the summary screen's key map: Update matches these very
// bindings and the help draws them; those that cannot act now are off.
type summaryKeys struct {
	Copy, Write, Done, Up, Down, Cancel, Confirm, Next key.Binding
	Edit                                               textinput.KeyMap // the file name's own keys
}

func newSummaryKeys() summaryKeys {
	return summaryKeys{
		Copy:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy to clipboard")),
		Write:   key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "write to a file")),
		Done:    key.NewBinding(key.WithKeys("esc", "enter", "q"), key.WithHelp("enter/esc", "done")),
		Up:      key.NewBinding(key.WithKeys("up", "k", "pgup"), key.WithHelp("↑/pgup", "scroll up")),
		Down:    key.NewBinding(key.WithKeys("down", "j", "pgdown", " "), key.WithHelp("↓/pgdn", "scroll down")),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "write")),
		Next:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "call the next in the queue")),
		Edit:    editKeys(),
	}
}

// syncKeys switches on what can act now.
func (m *summaryScreen) syncKeys() {
	k := &m.keys
	for _, b := range []*key.Binding{&k.Copy, &k.Write, &k.Done} {
		b.SetEnabled(!m.naming)
	}
	k.Next.SetEnabled(!m.naming && m.next != nil)
	k.Up.SetEnabled(!m.naming && !m.view.AtTop())
	k.Down.SetEnabled(!m.naming && !m.view.AtBottom())
	k.Cancel.SetEnabled(m.naming)
	k.Confirm.SetEnabled(m.naming)
	for _, b := range editBindings(&k.Edit) {
		b.SetEnabled(m.naming)
	}
}

type summaryWrittenMsg struct {
	path string
	err  error
}

// summaryScreen shows the summary of the call just ended; it is already
// saved with the call. The coach can copy it for their organisation's
// record system, to the clipboard or a file.
type summaryScreen struct {
	c       *Common
	keys    summaryKeys
	callID  int64
	text    string
	view    viewport.Model
	naming  bool // typing a file name
	closing bool // done: the person screen is coming back
	// personID is whose call it was; next, once read, is who comes next
	// in the Now view after them (nil: nobody, or not read).
	personID int64
	next     *storage.QueueRow
	path     textinput.Model
	width    int
	height   int
}

func newSummaryScreen(c *Common, callID int64, text string) *summaryScreen {
	ti := newAskInput(c, "file to write", 1000)
	ti.Blur()
	m := &summaryScreen{c: c, keys: newSummaryKeys(), callID: callID, text: text, view: viewport.New(0, 0), path: ti}
	m.path.KeyMap = m.keys.Edit
	m.syncKeys()
	return m
}

// offerNext makes the screen offer the next person in the Now view after
// personID's call.
func (m *summaryScreen) offerNext(personID int64) *summaryScreen {
	m.personID = personID
	return m
}

type nextInQueueReadMsg struct{ row *storage.QueueRow }

// Init reads who is next in the Now view, leaving out whose call it was.
func (m *summaryScreen) Init() tea.Cmd {
	if m.personID == 0 {
		return nil
	}
	c, who := m.c, m.personID
	return func() tea.Msg {
		rows, err := c.Store.NowQueue(c.Ctx, coaching.NewCoachDay(c.Now(), c.Local), c.Local, 2)
		if err != nil {
			return nil // no offer; the summary is what matters here
		}
		for _, r := range rows {
			if r.PersonID != who {
				return nextInQueueReadMsg{&r}
			}
		}
		return nextInQueueReadMsg{}
	}
}
func (m *summaryScreen) Typing() bool { return m.naming }

// Changing: done was pressed; keys wait for the screen below.
func (m *summaryScreen) Changing() bool { return m.closing }

func (m *summaryScreen) SetSize(w, h int) {
	m.width, m.height = w, h
	m.view.Width, m.view.Height = w, max(h-3, 1)
	m.view.SetContent(hangingWrap(safeBlock(m.text), max(w, 1)))
	m.path.Width = max(w-20-inputSlack, 1)
	m.syncKeys()
}

// hangingWrap wraps each line of text to width, carrying on under the
// line's own text: the rest of a long item lines up under the item, not
// at the margin, so the summary's lists still read as lists.
func hangingWrap(text string, width int) string {
	lines := strings.Split(text, "\n")
	out := make([]string, 0, len(lines))
	for _, line := range lines {
		if ansi.StringWidth(line) <= width {
			out = append(out, line)
			continue
		}
		hang := len(line) - len(strings.TrimLeft(line, " "))
		if strings.HasPrefix(line[hang:], "- ") {
			hang += 2
		}
		if hang > width/2 {
			hang = 0
		}
		for i, part := range strings.Split(ansi.Wrap(line[hang:], width-hang, ""), "\n") {
			lead := line[:hang]
			if i > 0 {
				lead = strings.Repeat(" ", hang)
			}
			out = append(out, lead+strings.TrimRight(part, " "))
		}
	}
	return strings.Join(out, "\n")
}

func (m *summaryScreen) ShortHelp() []key.Binding {
	if m.naming {
		return []key.Binding{m.keys.Confirm, m.keys.Cancel}
	}
	return []key.Binding{m.keys.Done, m.keys.Next, m.keys.Copy, m.keys.Write, m.keys.Down}
}

func (m *summaryScreen) FullHelp() [][]key.Binding {
	var edit []key.Binding
	for _, b := range editBindings(&m.keys.Edit) {
		edit = append(edit, *b)
	}
	return [][]key.Binding{{m.keys.Done, m.keys.Next, m.keys.Copy, m.keys.Write, m.keys.Confirm, m.keys.Cancel}, {m.keys.Up, m.keys.Down}, edit}
}

// defaultSummaryPath suggests a file in the home folder named by the date
// and the call's number, not the person's name: a file name is seen by
// whoever lists the folder, backs it up or syncs it.
func (m *summaryScreen) defaultSummaryPath() string {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return filepath.Join(home, fmt.Sprintf("call-summary-%s-%d.txt", m.c.Now().In(m.c.Local).Format("2006-01-02-1504"), m.callID))
}

func (m *summaryScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	s, cmd := m.route(msg)
	m.syncKeys()
	return s, cmd
}

func (m *summaryScreen) route(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case nextInQueueReadMsg:
		m.next = msg.row
		return m, nil
	case summaryWrittenMsg:
		if msg.err != nil {
			return m, showErr("Not written: " + msg.err.Error())
		}
		return m, func() tea.Msg { return infoMsg{"Written to " + msg.path + " (readable only by you)."} }
	case tea.KeyMsg:
		if m.naming {
			switch {
			case key.Matches(msg, m.keys.Cancel):
				m.naming = false
				m.path.Blur()
				return m, nil
			case key.Matches(msg, m.keys.Confirm):
				m.naming = false
				m.path.Blur()
				return m, writeSummary(strings.TrimSpace(m.path.Value()), m.text)
			}
			var cmd tea.Cmd
			m.path, cmd = updateInput(m.path, msg)
			return m, cmd
		}
		switch {
		case key.Matches(msg, m.keys.Done):
			m.closing = true
			return m, pop
		case key.Matches(msg, m.keys.Next):
			m.closing = true
			next := newPersonScreen(m.c, m.next.PersonID, true)
			return m, func() tea.Msg { return nextInQueueMsg{next} }
		case key.Matches(msg, m.keys.Copy):
			copyFn, text := m.c.Copy, m.text
			return m, func() tea.Msg {
				if err := copyFn(text); err != nil {
					return summaryWrittenMsg{err: fmt.Errorf("could not reach the clipboard: %w", err)}
				}
				return infoMsg{"Sent to the clipboard (if your terminal lets programs set it; tmux needs set-clipboard on)."}
			}
		case key.Matches(msg, m.keys.Write):
			m.naming = true
			m.path.SetValue(m.defaultSummaryPath())
			m.path.CursorEnd()
			return m, m.path.Focus()
		case key.Matches(msg, m.keys.Up):
			m.view.HalfPageUp()
		case key.Matches(msg, m.keys.Down):
			m.view.HalfPageDown()
		}
	}
	return m, nil
}

// writeSummary writes the text to path, readable only by the user, through
// a temporary file so a failure leaves nothing half-written.
func writeSummary(path, text string) tea.Cmd {
	return func() tea.Msg {
		if path == "" {
			return summaryWrittenMsg{err: fmt.Errorf("no file name given")}
		}
		if strings.HasPrefix(path, "~/") {
			if home, err := os.UserHomeDir(); err == nil {
				path = filepath.Join(home, path[2:])
			}
		}
		if _, err := os.Stat(path); err == nil {
			return summaryWrittenMsg{err: fmt.Errorf("%s already exists; choose another name", path)}
		}
		storage.RemoveLeftovers(filepath.Dir(path), time.Now()) // best effort: the summary is what matters
		tmp, err := os.CreateTemp(filepath.Dir(path), storage.TempPattern("summary"))
		if err != nil {
			return summaryWrittenMsg{err: err}
		}
		_, werr := tmp.WriteString(text)
		cerr := tmp.Close()
		if err := firstErr(werr, cerr, os.Chmod(tmp.Name(), 0o600), os.Rename(tmp.Name(), path)); err != nil {
			os.Remove(tmp.Name())
			return summaryWrittenMsg{err: err}
		}
		return summaryWrittenMsg{path: path}
	}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// CopySequence is the OSC 52 escape sequence that asks the terminal to put
// text on the clipboard.
func CopySequence(text string) string {
	return "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\x07"
}

func (m *summaryScreen) View() string {
	st := m.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Call summary") + st.Subtle.Render("  saved with the call; shown on the person's page"))
	b.WriteString("\n")
	switch {
	case m.naming:
		b.WriteString(st.Focused.Render("Write to: ") + m.path.View())
	case m.next != nil:
		r := m.next
		b.WriteString(clipLine(st.Focused.Render("Next in the queue: ")+oneLine(r.Name)+st.Subtle.Render(fmt.Sprintf(" (%s, %s) · ",
			tierWords(r.Tier), windowWords(r.Window.State(m.c.Now()))))+st.Key.Render("n")+" calls them · "+st.Key.Render("enter")+" back", m.width))
	default:
		b.WriteString(st.Separator.Render(strings.Repeat("─", max(m.width, 0))))
	}
	b.WriteString("\n")
	b.WriteString(m.view.View())
	return b.String()
}
