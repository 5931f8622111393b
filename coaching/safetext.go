package coaching

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text that came from the keyboard, a file or the database ends up on a
// terminal, and a terminal obeys some characters instead of showing them:
// ESC starts a command (set the clipboard, change the window title, clear
// the screen), the C1 controls do the same in one byte on some terminals,
// and the bidirectional overrides make text display in another order than
// it is stored. These rules say which characters must never reach a
// terminal as they are; docs/security.md explains the choice.

// UnsafeRune reports whether r is a character a terminal may obey rather
// than show: the C0 controls (0x00-0x1F), DEL (0x7F), the C1 controls
// (0x80-0x9F), and the bidirectional embeddings, overrides and isolates
// (U+202A-U+202E, U+2066-U+2069). Newline and tab are C0 controls too;
// callers that keep multi-line text allow them with SafeMultiline.
func UnsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7F, r >= 0x80 && r <= 0x9F:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// InvisibleRune reports whether r takes no room on screen and shows
// nothing: zero-width spaces and joiners, the word joiner, the byte order
// mark, the soft hyphen and the directional marks. They are harmless to a
// terminal but can hide what text really says (two names that look the
// same), so screens drop them when drawing; stored text keeps them.
func InvisibleRune(r rune) bool {
	switch r {
	case 0x00AD, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF:
		return true
	}
	return false
}

// FirstUnsafe finds the first character of s that must not reach a
// terminal, allowing newlines and tabs when multiline is set (notes,
// summaries), and returns its byte offset, or -1 if there is none.
// Invalid UTF-8 counts as unsafe (r is utf8.RuneError).
func FirstUnsafe(s string, multiline bool) (offset int, r rune) {
	for i, c := range s {
		if c == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i, c
			}
		}
		if multiline && (c == '\n' || c == '\t') {
			continue
		}
		if UnsafeRune(c) {
			return i, c
		}
	}
	return -1, 0
}

// DescribeRune names a character for a message, without printing it:
// "ESC (U+001B)", "U+202E (a right-to-left override)".
func DescribeRune(r rune) string {
	switch {
	case r == 0x1B:
		return "ESC (U+001B)"
	case r == '\r':
		return "a carriage return (U+000D)"
	case r == '\n':
		return "a line break (U+000A)"
	case r == '\t':
		return "a tab (U+0009)"
	case r == 0x7F:
		return "DEL (U+007F)"
	case r == utf8.RuneError:
		return "bytes that are not UTF-8 text"
	case r < 0x20:
		return fmt.Sprintf("a control character (U+%04X)", r)
	case r >= 0x80 && r <= 0x9F:
		return fmt.Sprintf("a C1 control character (U+%04X)", r)
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return fmt.Sprintf("U+%04X (a right-to-left or left-to-right override)", r)
	}
	return fmt.Sprintf("U+%04X", r)
}

// StripUnsafe removes what must not reach a terminal (UnsafeRune, keeping
// newlines and tabs when multiline) and invalid UTF-8, for text that is
// made to be read outside callcoach: a call summary copied or written to a
// file stays plain text.
func StripUnsafe(s string, multiline bool) string {
	if off, _ := FirstUnsafe(s, multiline); off < 0 {
		return s
	}
	s = strings.ToValidUTF8(s, "")
	return strings.Map(func(r rune) rune {
		if multiline && (r == '\n' || r == '\t') {
			return r
		}
		if UnsafeRune(r) {
			return -1
		}
		return r
	}, s)
}
