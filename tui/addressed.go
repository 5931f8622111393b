package tui

// A message that answers one screen's own command (a save, a load, a
// timer) is addressed to that screen, and reaches it even when another
// screen covers it: a call's notes go on being saved under a form, and a
// measure saved while the safety panel is open says so when the panel
// closes, instead of staying on "Saving…".

// addressed is a message for one screen of the stack.
type addressed interface {
	addressedTo(s screen) bool
}

// route finds the screen msg is for, from the top down.
func (a App) addressee(msg addressed) int {
	for i := len(a.stack) - 1; i >= 0; i-- {
		if msg.addressedTo(a.stack[i]) {
			return i
		}
	}
	return -1
}

func isCall(s screen, id int64) bool {
	c, ok := s.(*callScreen)
	return ok && c.call.ID == id
}

func (m timerTickMsg) addressedTo(s screen) bool     { return isCall(s, m.callID) }
func (m saveDueMsg) addressedTo(s screen) bool       { return isCall(s, m.callID) }
func (m notesSavedMsg) addressedTo(s screen) bool    { return isCall(s, m.callID) }
func (m callWriteErr) addressedTo(s screen) bool     { return isCall(s, m.callID) }
func (m callLoadedMsg) addressedTo(s screen) bool    { return isCall(s, m.callID) }
func (m planLoadedMsg) addressedTo(s screen) bool    { return isCall(s, m.callID) }
func (m tallyMsg) addressedTo(s screen) bool         { return isCall(s, m.callID) }
func (m callLostMsg) addressedTo(s screen) bool      { return isCall(s, m.callID) }
func (m holderCheckMsg) addressedTo(s screen) bool   { return isCall(s, m.callID) }
func (m rescuedMsg) addressedTo(s screen) bool       { return isCall(s, m.callID) }
func (m viewerRefreshMsg) addressedTo(s screen) bool { return isCall(s, m.call.ID) }
func (m callEndedMsg) addressedTo(s screen) bool     { return isCall(s, m.callID) }
func (m callDiscardedMsg) addressedTo(s screen) bool { return isCall(s, m.callID) }
func (m callContextMsg) addressedTo(s screen) bool   { return isCall(s, m.callID) }

func (m measureSavedMsg) addressedTo(s screen) bool   { return s == screen(m.screen) }
func (m searchResultMsg) addressedTo(s screen) bool   { return s == screen(m.screen) }
func (m safetyRaisedMsg) addressedTo(s screen) bool   { return s == screen(m.panel) }
func (m safetyRecordedMsg) addressedTo(s screen) bool { return s == screen(m.panel) }

// drafting is a screen that keeps a draft as the coach types.
type drafting interface {
	drafts(w *draftWriter) bool
}

func (m draftDueMsg) addressedTo(s screen) bool    { return ownsDraft(s, m.w) }
func (m draftSavedMsg) addressedTo(s screen) bool  { return ownsDraft(s, m.w) }
func (m draftLoadedMsg) addressedTo(s screen) bool { return ownsDraft(s, m.w) }

func ownsDraft(s screen, w *draftWriter) bool {
	d, ok := s.(drafting)
	return ok && d.drafts(w)
}

func (f *form) drafts(w *draftWriter) bool          { return f.draft == w }
func (m *measureScreen) drafts(w *draftWriter) bool { return m.draft == w }
