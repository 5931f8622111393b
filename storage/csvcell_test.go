package storage

import "testing"

func TestEscapeFormula(t *testing.T) {
	tests := []struct{ in, out string }{
		{"", ""},
		{"Ann", "Ann"},
		{"=HYPERLINK(\"https://example.com\",\"Ann\")", "'=HYPERLINK(\"https://example.com\",\"Ann\")"},
		{"+44 20 7946 0000", "'+44 20 7946 0000"},
		{"-", "'-"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'Tis", "'Tis"},
		{"'", "'"},
		{"''", "''"},
		{"'=x", "''=x"},
		{"''+x", "'''+x"},
		{"a=b", "a=b"},
		{" =x", " =x"},
		{"\n=x", "\n=x"},
		{"Zoë", "Zoë"},
	}
	for _, tt := range tests {
		if got := EscapeFormula(tt.in); got != tt.out {
			t.Errorf("EscapeFormula(%q) = %q, want %q", tt.in, got, tt.out)
		}
		if got := UnescapeFormula(tt.out); got != tt.in {
			t.Errorf("UnescapeFormula(%q) = %q, want %q", tt.out, got, tt.in)
		}
	}
}

// A cell typed into a spreadsheet with a ' to keep it text, or written by
// another program the same way, is read without the '.
func TestUnescapeFormula(t *testing.T) {
	tests := []struct{ in, out string }{
		{"'+44 20 7946 0000", "+44 20 7946 0000"},
		{"'-", "-"},
		{"'Tis", "'Tis"},
		{"'", "'"},
		{"''", "''"},
		{"+44", "+44"},
	}
	for _, tt := range tests {
		if got := UnescapeFormula(tt.in); got != tt.out {
			t.Errorf("UnescapeFormula(%q) = %q, want %q", tt.in, got, tt.out)
		}
	}
}
