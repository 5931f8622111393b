package tui

import (
	"errors"
	"strings"

	"callcoach/coaching"
	"callcoach/storage"
)

// fieldsView draws the sections in at most avail lines, keeping the
// focused field in view on short terminals.
func (f *form) fieldsView(avail int) string {
	st := f.c.Styles
	type row struct {
		text    string
		focused bool
	}
	var rows []row
	for _, s := range f.sections {
		for i, fl := range s.fields {
			focused := fl == f.focused()
			if i == 0 && s.heading != "" {
				rows = append(rows, row{st.Header.Render(s.heading), focused})
			}
			marker, label := "  ", st.Label.Render(padRight(fl.label, labelWidth))
			if focused {
				marker, label = st.Focused.Render("> "), st.Focused.Render(padRight(fl.label, labelWidth))
			}
			rows = append(rows, row{marker + label + " " + fl.view(focused, st, f.width-labelWidth-3), focused})
		}
	}
	avail = max(avail, 1)
	first := 0
	if len(rows) > avail {
		focusRow := 0
		for i, r := range rows {
			if r.focused {
				focusRow = i // the field's own row, after its heading
			}
		}
		first = min(max(focusRow-avail/2, 0), len(rows)-avail)
	}
	var lines []string
	for _, r := range rows[first:min(first+avail, len(rows))] {
		lines = append(lines, r.text)
	}
	return strings.Join(lines, "\n")
}

// statusView is the form's own line: the discard question, a draft
// problem, or that a draft was restored.
func (f *form) statusView() string {
	st := f.c.Styles
	switch {
	case f.confirming:
		return st.Warn.Render("Discard what you typed? y discards it, n goes back to the form.")
	case f.draftErr != "":
		return st.Error.Render(oneLine(f.draftErr))
	case f.closing:
		return st.Subtle.Render("Keeping a draft…")
	case f.restored != "":
		return st.Info.Render("Restored what you typed (" + f.restored + "), not saved yet. " + f.restoreHint)
	}
	return ""
}

// errorText words an error for the coach: a field's name and what is wrong.
func errorText(err error) string {
	var fe *coaching.FieldError
	if errors.As(err, &fe) {
		return fieldTitle(fe.Field) + " " + fe.Msg
	}
	return storage.Explain(err)
}

func fieldTitle(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
