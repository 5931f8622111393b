package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// The JSON export is written by hand, a row at a time into one reused
// buffer, because encoding/json (reflection, a Marshal and an allocation
// per value, a second pass to compact each record) cost more than reading
// the rows. It writes exactly the bytes encoding/json wrote before it: the
// golden files, the export -> import -> export round trip and
// TestJSONEncoderMatchesEncodingJSON (with its fuzz test) hold it to them.

// jsonRecordEncoder writes one section's rows as JSON objects, keys in
// column order. Its buffers are reused from row to row, so a record costs
// no allocation of its own.
type jsonRecordEncoder struct {
	columns []exportColumn
	keys    []string // `{"id":`, then `,"name":` and so on
	buf     []byte
	compact bytes.Buffer // a JSON column's text, compacted
}

func newJSONRecordEncoder(columns []exportColumn) *jsonRecordEncoder {
	e := &jsonRecordEncoder{columns: columns, keys: make([]string, len(columns))}
	for i, c := range columns {
		sep := ","
		if i == 0 {
			sep = "{"
		}
		e.keys[i] = sep + strconv.Quote(c.name) + ":"
	}
	return e
}

// record returns the row vals as a JSON object after prefix. The bytes are
// the encoder's own and are good until the next call.
func (e *jsonRecordEncoder) record(prefix string, vals []any) ([]byte, error) {
	b := append(e.buf[:0], prefix...)
	var err error
	for i, c := range e.columns {
		b = append(b, e.keys[i]...)
		if b, err = e.appendValue(b, c.kind, vals[i]); err != nil {
			e.buf = b
			return nil, fmt.Errorf("column %s: %w", c.name, err)
		}
	}
	b = append(b, '}')
	e.buf = b
	return b, nil
}

// appendValue appends v, a value of a column of kind, as the export writes
// it: NULL as null, a flag as true or false, JSON text (built by the query)
// as it is, anything else as encoding/json's Marshal writes it.
func (e *jsonRecordEncoder) appendValue(b []byte, kind columnKind, v any) ([]byte, error) {
	if v == nil {
		return append(b, "null"...), nil
	}
	switch kind {
	case kindBool:
		n, ok := v.(int64)
		if !ok {
			return b, fmt.Errorf("not a flag: %T", v)
		}
		return strconv.AppendBool(b, n != 0), nil
	case kindJSON:
		// encoding/json compacted a record (this text included) after
		// writing it: whitespace outside strings went, nothing else changed.
		s, ok := v.(string)
		e.compact.Reset()
		if !ok || json.Compact(&e.compact, []byte(s)) != nil {
			return b, fmt.Errorf("not JSON text: %T", v)
		}
		return append(b, e.compact.Bytes()...), nil
	case kindText:
		if raw, ok := v.([]byte); ok {
			return appendJSONString(b, string(raw)), nil
		}
	}
	return appendJSON(b, v)
}

// appendJSON appends v as encoding/json's Marshal writes it: by hand for
// the types SQLite gives (text, integers, reals), through Marshal for any
// other, and for the values Marshal refuses (an infinite real), so the
// error is its own.
func appendJSON(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case string:
		return appendJSONString(b, v), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case float64:
		if !math.IsInf(v, 0) && !math.IsNaN(v) {
			return appendJSONFloat(b, v), nil
		}
	}
	out, err := json.Marshal(v)
	if err != nil {
		return b, err
	}
	return append(b, out...), nil
}

// appendJSONFloat appends f (finite) as encoding/json writes a float64:
// like ES6's Number to String, %f between 1e-6 and 1e21, otherwise %e
// with an exponent of at least one digit (1e-7, not 1e-07).
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// jsonPlain are the ASCII bytes a JSON string holds as they are, as
// encoding/json's Marshal decides (its htmlSafeSet): not the controls,
// the quote, the backslash, nor <, > and &, which it writes as \u003c,
// \u003e and \u0026 so the text is safe inside HTML.
var jsonPlain = func() (plain [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		plain[c] = true
	}
	for _, c := range `"\<>&` {
		plain[c] = false
	}
	return plain
}()

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string exactly as encoding/json's
// Marshal writes it: \b \f \n \r \t \" \\ by name, other controls and
// <, > and & as \u00XX, U+2028 and U+2029 as \u2028 and \u2029, each
// byte of invalid UTF-8 as \ufffd, and everything else as it is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonPlain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
