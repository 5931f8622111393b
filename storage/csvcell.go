package storage

import "strings"

// A spreadsheet (Excel, LibreOffice, Google Sheets) opening a CSV file runs
// a cell that starts with = + - @, a tab or a carriage return as a
// formula: a name such as =HYPERLINK(...) becomes a live link. As OWASP
// advises, an export starts such a cell with a ' so it is read as text,
// and an import takes that ' away again. The two are exact inverses:
//
//   - EscapeFormula: a cell that starts with any number of ' and then one
//     of those characters gets one more ' in front;
//   - UnescapeFormula: a cell that starts with one or more ' and then one
//     of those characters loses one '.
//
// So "+44 20 7946 0000" is written '+44 20 7946 0000 and read back as it
// was, "'=x" is written ''=x and read back as '=x, and a ' before anything
// else ("'Tis") is written and read as it is.

// formulaStart reports whether s, after any leading ', starts with a
// character a spreadsheet reads as the start of a formula.
func formulaStart(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0
}

// EscapeFormula is s as a CSV cell a spreadsheet will not run as a formula.
func EscapeFormula(s string) string {
	if formulaStart(s) {
		return "'" + s
	}
	return s
}

// UnescapeFormula undoes EscapeFormula.
func UnescapeFormula(s string) string {
	if strings.HasPrefix(s, "'") && formulaStart(s) {
		return s[1:]
	}
	return s
}
