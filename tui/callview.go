package tui

import (
	"fmt"
	"strings"

	"callcoach/coaching"
)

// The workspace layout at 80x24: a header line; the stage list beside the
// prompt card; a prompt line (questions, warnings, or a rule); the notes;
// the MI tally. As the window shrinks, panels give way in this order: the
// stage list (its place goes to a line in the card), then most of the
// card, then the card, then the tally. The notes always keep some rows.
// Everything is laid out in Update (relayout); View only puts the pieces
// together.
const (
	stageListWidth = 20
	cardFullHeight = 9 // as tall as the stage list: one row per stage
	cardSmall      = 4
)

type callLayout struct {
	stages bool // the stage list beside the card
	cardH  int  // 0 hides the card
	tally  bool
	notesH int
}

// callFrame is the workspace laid out for drawing.
type callFrame struct {
	l        callLayout
	prompt   []string // the lines between the card and the notes
	top      string   // the stage list and card, redrawn only when what they show changes
	topKey   topKey
	notesW   int // the notes' width: all of it, or what the context panel beside them leaves
	contextW int // the context panel's width beside the notes; 0 when it is not there
	contextH int // how many of its lines show
}

func layoutFor(w, h, promptLines int) callLayout {
	l := callLayout{stages: w >= 60, tally: h >= 8}
	switch {
	case h >= 30:
		// Tall windows give the card room for its examples and what to
		// listen for; the notes keep at least half.
		l.cardH = min(max(h/2-3, cardFullHeight), 16)
	case h >= 20:
		l.cardH = cardFullHeight
	case h >= 12:
		l.cardH = cardSmall
		l.stages = false
	default:
		l.stages = false
	}
	used := 1 + l.cardH + promptLines
	if l.tally {
		used++
	}
	l.notesH = max(h-used, 1)
	return l
}

// relayout lays the workspace out after anything changed: the question's
// width, the prompt area, the notes' size, and the card if what it shows
// changed.
func (m *callScreen) relayout() {
	m.sizeAsk()
	f := &m.frame
	f.prompt = m.promptLines()
	f.l = layoutFor(m.width, m.height, len(f.prompt))
	if m.docked {
		// A form is docked: the notes keep their last lines, full width.
		f.l.notesH = dockNotesRows
		if m.notes.ed.Width() != m.width || m.notes.ed.Height() != dockNotesRows {
			m.notes.ed.SetSize(m.width, dockNotesRows)
		}
		return
	}
	if m.wholeCard {
		f.l = m.wholeCardLayout(f.l, len(f.prompt))
	}
	f.notesW, f.contextW, f.contextH = m.width, 0, 0
	switch {
	case m.contextBeside():
		f.contextW = contextWidth(m.width)
		f.notesW = max(m.width-f.contextW-1, 1)
		f.contextH = f.l.notesH
		m.drawContext(f.contextW)
	case m.context.shown && f.l.cardH > 0:
		f.contextH = f.l.cardH
		m.drawContext(m.width)
	}
	if m.notes.ed.Width() != f.notesW || m.notes.ed.Height() != f.l.notesH {
		m.notes.ed.SetSize(f.notesW, f.l.notesH)
	}
	switch {
	case f.contextH > 0 && f.contextW == 0:
		f.top, f.topKey = strings.Join(m.contextView(m.width, f.l.cardH), "\n"), topKey{}
	case f.l.cardH > 0:
		k := m.topKeyNow(f.l)
		if k != f.topKey || f.top == "" {
			f.topKey, f.top = k, m.drawTop(f.l)
		}
	}
	if m.cardScrolls() {
		n := len(m.cardLines(m.width, true))
		m.cardTop = max(min(m.cardTop, n-(f.l.cardH-1)), 0)
		m.keys.ContextUp.SetEnabled(m.cardTop > 0)
		m.keys.ContextDown.SetEnabled(m.cardTop < n-(f.l.cardH-1))
		return
	}
	scrolls := f.contextH > 0 && len(m.context.lines) > f.contextH
	m.keys.ContextUp.SetEnabled(scrolls && m.context.top > 0)
	m.keys.ContextDown.SetEnabled(scrolls && m.context.top < len(m.context.lines)-f.contextH)
}

// cardScrolls: the card is shown whole (alt+x) and still does not fit, so
// alt+↑/↓ scroll it rather than the context panel.
func (m *callScreen) cardScrolls() bool {
	f := &m.frame
	return m.wholeCard && !m.docked && f.l.cardH >= 2 && (f.contextH == 0 || f.contextW > 0) &&
		len(m.cardLines(m.width, true)) > f.l.cardH
}

// scrollCard moves the whole card's lines by d, within them.
func (m *callScreen) scrollCard(d int) {
	n := len(m.cardLines(m.width, true))
	m.cardTop = max(min(m.cardTop+d, n-(m.frame.l.cardH-1)), 0)
}

// helpArea puts the help overlay over the card and the prompt line, so
// the header (timer) above and the notes and tally below stay in view.
func (m *callScreen) helpArea() (first, height int) {
	return 1, m.frame.l.cardH + len(m.frame.prompt)
}

// minNotesRows is how much of the notes stays in view when the card is
// shown whole.
const minNotesRows = 3

// wholeCardLayout gives the card the whole width and the rows it needs,
// leaving the header, the prompt line, the tally and minNotesRows of the
// notes.
func (m *callScreen) wholeCardLayout(l callLayout, prompt int) callLayout {
	used := 1 + prompt + minNotesRows
	if l.tally {
		used++
	}
	need := len(m.cardLines(m.width, true))
	l.stages = false
	l.cardH = max(min(need, m.height-used), 0)
	l.notesH = max(m.height-used-l.cardH+minNotesRows, 1)
	return l
}

func (m *callScreen) View() string {
	f := &m.frame
	var b strings.Builder
	b.WriteString(m.headerView(f.l))
	if f.l.cardH > 0 {
		b.WriteString("\n")
		b.WriteString(f.top)
	}
	for _, line := range f.prompt {
		b.WriteString("\n")
		b.WriteString(clipLine(line, m.width))
	}
	b.WriteString("\n")
	if f.contextW > 0 {
		// The context panel beside the notes, row by row.
		sep := m.c.Styles.Separator.Render("│")
		panel := m.contextView(f.contextW, f.l.notesH)
		for i, line := range strings.Split(m.notes.ed.View(), "\n") {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(line + sep)
			if i < len(panel) {
				b.WriteString(panel[i])
			}
		}
	} else {
		b.WriteString(m.notes.ed.View())
	}
	if f.l.tally {
		b.WriteString("\n")
		b.WriteString(clipLine(m.tallyView(), m.width))
	}
	return b.String()
}

// promptLines is the area between the card and the notes: a question the
// workspace is asking, a warning, the last action, or a plain rule.
func (m *callScreen) promptLines() []string {
	st := m.c.Styles
	switch {
	case !m.writable():
		return m.leaseLines()
	case m.ending:
		lines := outcomeLines()
		for i := range lines {
			lines[i] = st.Warn.Render(lines[i])
		}
		return lines
	case m.leader:
		return []string{st.Warn.Render(m.keys.leaderHint())}
	case m.ask.open():
		return m.askView()
	case m.endErr != "":
		return []string{st.Error.Render(m.endErr)}
	case m.notes.err != "":
		return []string{st.Error.Render(m.notes.err)}
	case m.writeErr != "":
		return []string{st.Error.Render(m.writeErr)}
	case m.notes.ed.Overflowed():
		return []string{st.Warn.Render(fmt.Sprintf("These notes have reached the %d KB limit; the rest of that paste was not added.", coaching.MaxNotesLen/1024))}
	case m.note != "":
		return []string{st.Info.Render(m.note)}
	case m.flag != nil:
		return []string{st.Warn.Render("SAFETY FLAG from " + m.flag.RaisedAt.In(m.c.Local).Format("Mon 2 Jan") +
			": ask how they are since; alt+k clears it")}
	case !m.person.Consent:
		return []string{st.Warn.Render("NO CONSENT RECORDED: ask first if they agree to coaching and to notes being kept; alt+g records a yes")}
	}
	return []string{st.Separator.Render(strings.Repeat("─", max(m.width, 0)))}
}
