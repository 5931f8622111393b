package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The JSON export was written by encoding/json: each row a json.Marshaler
// whose values went through json.Marshal, encoded with HTML escaping off
// (which compacts the record and leaves the values as Marshal wrote them).
// viaEncodingJSON does just that, for the hand-written encoder to match
// byte for byte.
func viaEncodingJSON(columns []exportColumn, vals []any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(marshalerRecord{columns, vals}); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

type marshalerRecord struct {
	columns []exportColumn
	vals    []any
}

func (r marshalerRecord) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range r.columns {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(c.name))
		b.WriteByte(':')
		v := r.vals[i]
		switch {
		case v == nil:
			b.WriteString("null")
			continue
		case c.kind == kindBool:
			n, ok := v.(int64)
			if !ok {
				return nil, fmt.Errorf("not a flag: %T", v)
			}
			b.WriteString(strconv.FormatBool(n != 0))
			continue
		case c.kind == kindJSON:
			s, ok := v.(string)
			if !ok || !json.Valid([]byte(s)) {
				return nil, fmt.Errorf("not JSON text: %T", v)
			}
			b.WriteString(s)
			continue
		case c.kind == kindText:
			if raw, ok := v.([]byte); ok {
				v = string(raw)
			}
		}
		out, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		b.Write(out)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// awkwardStrings are what a JSON encoder can get wrong: every control
// character, quotes and backslashes, what encoding/json escapes for HTML,
// the line and paragraph separators, invalid UTF-8 in every position,
// the longest runes, and long text.
var awkwardStrings = func() []string {
	s := []string{
		"", "plain", `"quoted"`, `back\slash`, `\"`, `"\`, "<b>&amp;</b>", "a<b", ">", "&&",
		"\u2028", "\u2029", "line\u2028para\u2029end", "\u2027\u202a\u202f",
		"\xff", "a\xffb", "\xe2\x80", "\xe2\x80\xa8\xe2\x80", "\xc3", "\xc3\x28", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xf0\x9f\x99", "🙂", "Zoë 🌻 Brown", "مريم الحسن", "\U0010ffff", "\ufffd", "\ufeff\u200b",
		"\x7f", "\u0080\u009b", "\x1b]52;c;aGk=\x07", "tab\tnew\nline\r\n",
		exportNote,
		strings.Repeat("Talked about walking, \"sleep\" & <meals>.\n", 25_000),
		strings.Repeat("é\u2028\xff", 10_000),
	}
	var controls strings.Builder
	for c := range 0x20 {
		controls.WriteByte(byte(c))
		s = append(s, string(rune(c)), "x"+string(rune(c))+"y")
	}
	return append(s, controls.String())
}()

func TestJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range awkwardStrings {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("%.40q:\n got %.80s\nwant %.80s", s, got, want)
		}
	}
}

// recordColumns are one column of each kind.
var recordColumns = []exportColumn{
	{name: "id", kind: kindInt}, {name: "note", kind: kindText}, {name: "total", kind: kindReal},
	{name: "consent", kind: kindBool}, {name: "items", kind: kindJSON},
}

func TestJSONRecordMatchesEncodingJSON(t *testing.T) {
	rows := [][]any{
		{int64(1), "Ann", 6.5, int64(1), `[{"item":1,"answer":7}]`},
		{nil, nil, nil, nil, nil},
		{int64(math.MinInt64), []byte("as a blob <&>\xff"), 2.0, int64(0), `[]`},
		{int64(math.MaxInt64), "", math.Copysign(0, -1), int64(-3), ` [ {"a" : "b c", "d":[1, 2]} ]` + "\n"},
		{[]byte{0, 1, 2, 0xff}, int64(7), 1e-7, int64(2), `{"s":"<\u2028>"}`},
		{"text in a number column", 3.25, 1e21, int64(1), `"x"`},
		{0.1, "x", 1e20, int64(1), `null`},
		{int64(0), "x", 5e-324, int64(1), `[1e-7,2E+30]`},
		{int64(0), "x", math.MaxFloat64, int64(1), `[]`},
		{int64(0), "x", 123456789.123456789, int64(1), `[]`},
		{int64(0), "x", -1e-6, int64(1), `[]`},
		{int64(0), "x", 1e-6, int64(1), `[]`},
		{int64(0), "x", 999999999999999999999.0, int64(1), `[]`},
	}
	for _, s := range awkwardStrings {
		rows = append(rows, []any{int64(1), s, 1.5, int64(1), `["` + strings.ReplaceAll(s, `"`, "") + `"]`})
	}
	enc := newJSONRecordEncoder(recordColumns)
	for _, row := range rows {
		want, wantErr := viaEncodingJSON(recordColumns, row)
		got, err := enc.record("", row)
		if (err != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
			t.Errorf("%.80q:\n got %.100s (%v)\nwant %.100s (%v)", row, got, err, want, wantErr)
		}
	}
}

// peopleRow is a row of the people section with every text column s
// (names, given and family names included), id and consent n.
func peopleRow(s string, n int64) []any {
	cols := exportSections[0].columns
	row := make([]any, len(cols))
	for i, c := range cols {
		switch c.kind {
		case kindInt, kindBool:
			row[i] = n
		default:
			row[i] = s
		}
	}
	return row
}

// The people section as exported (version 4: given and family names
// last) is written as encoding/json wrote it, whatever the names hold.
func TestJSONPeopleRecordMatchesEncodingJSON(t *testing.T) {
	cols := exportSections[0].columns
	if n := len(cols); cols[n-2].name != "given_names" || cols[n-1].name != "family_name" {
		t.Fatalf("people columns end %s, %s", cols[n-2].name, cols[n-1].name)
	}
	enc := newJSONRecordEncoder(cols)
	for _, s := range slices.Concat(awkwardStrings, []string{"O'Neil", "Ann Marie", "الحسن", "van der Berg", " Mary  Jane "}) {
		row := peopleRow(s, 1)
		want, wantErr := viaEncodingJSON(cols, row)
		got, err := enc.record("", row)
		if err != nil || wantErr != nil || !bytes.Equal(got, want) {
			t.Errorf("%.40q:\n got %.100s (%v)\nwant %.100s (%v)", s, got, err, want, wantErr)
		}
	}
}

// readingsColumns are the readings section's columns (version 5; the
// coach's name, version 6).
func readingsColumns(t testing.TB) []exportColumn {
	i := slices.IndexFunc(exportSections, func(sec exportSection) bool { return sec.name == "readings" })
	if i < 0 {
		t.Fatal("no readings section")
	}
	return exportSections[i].columns
}

// readingsRow is a row of the readings section: text s, values x and y
// (y may be nil: no second value), ids n; text s is the coach's name too.
func readingsRow(s string, n int64, x float64, y any) []any {
	return []any{n, n, nil, s, x, y, s, s, s, s, s}
}

// The readings section (version 5: reals, a null second value, a missing
// call) is written as encoding/json would write it.
func TestJSONReadingsRecordMatchesEncodingJSON(t *testing.T) {
	cols := readingsColumns(t)
	enc := newJSONRecordEncoder(cols)
	for _, x := range []float64{132, 81.6466266, 180 * 0.45359237, 130 / 18.016, 0, 1e-7, 1e21, 6.5} {
		for _, y := range []any{nil, 84.0, x} {
			for _, s := range []string{"bp", "peak flow", "180 lb", "L/min", "<&>", "\u2028", `Jo "JJ" O'Hara, <peer>`} {
				row := readingsRow(s, 3, x, y)
				want, wantErr := viaEncodingJSON(cols, row)
				got, err := enc.record("", row)
				if err != nil || wantErr != nil || !bytes.Equal(got, want) {
					t.Errorf("%v:\n got %s (%v)\nwant %s (%v)", row, got, err, want, wantErr)
				}
			}
		}
	}
}

// What encoding/json refused, the hand-written encoder refuses too.
func TestJSONRecordRefusesWhatEncodingJSONRefused(t *testing.T) {
	rows := [][]any{
		{int64(1), "x", math.Inf(1), int64(1), `[]`},
		{int64(1), "x", math.Inf(-1), int64(1), `[]`},
		{int64(1), "x", math.NaN(), int64(1), `[]`},
		{int64(1), "x", 1.0, "yes", `[]`},
		{int64(1), "x", 1.0, 1.0, `[]`},
		{int64(1), "x", 1.0, int64(1), `[1,`},
		{int64(1), "x", 1.0, int64(1), `[] []`},
		{int64(1), "x", 1.0, int64(1), ``},
		{int64(1), "x", 1.0, int64(1), int64(3)},
		{int64(1), "x", 1.0, int64(1), []byte(`[]`)},
	}
	enc := newJSONRecordEncoder(recordColumns)
	for _, row := range rows {
		if _, err := viaEncodingJSON(recordColumns, row); err == nil {
			t.Fatalf("%q: encoding/json took it", row)
		}
		if got, err := enc.record("", row); err == nil {
			t.Errorf("%q: written as %s", row, got)
		}
	}
}

// The prefix comes first, and a record written after a longer one holds
// nothing of it.
func TestJSONRecordReusesItsBuffer(t *testing.T) {
	enc := newJSONRecordEncoder(recordColumns[:2])
	long, err := enc.record(",\n", []any{int64(1), strings.Repeat("x", 1000)})
	if err != nil || !strings.HasPrefix(string(long), ",\n{\"id\":1,") {
		t.Fatalf("%.20q, %v", long, err)
	}
	short, err := enc.record("\n", []any{int64(2), "y"})
	if err != nil || string(short) != "\n{\"id\":2,\"note\":\"y\"}" {
		t.Fatalf("%q, %v", short, err)
	}
	if allocs := testing.AllocsPerRun(100, func() { enc.record(",\n", []any{int64(3), exportNote}) }); allocs > 0 {
		t.Errorf("%v allocations a record", allocs)
	}
}

// FuzzJSONRecord: whatever text, numbers and JSON text a row holds, the
// hand-written record is encoding/json's, or both refuse it.
//
//	go test ./storage -run '^$' -fuzz FuzzJSONRecord -fuzztime 5m
func FuzzJSONRecord(f *testing.F) {
	for _, s := range awkwardStrings {
		if len(s) < 100 { // the long ones would slow every run down
			f.Add(s, int64(len(s)), 6.5, `["`+s+`"]`)
		}
	}
	f.Add("", int64(0), 1e-7, ` [ 1 , {"a" : null} ] `)
	f.Add("", int64(-1), 1e21, `{"\u2028":"<&>"}`)
	f.Fuzz(func(t *testing.T, s string, n int64, x float64, js string) {
		if got, want := appendJSONString(nil, s), mustJSON(t, s); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
		}
		enc := newJSONRecordEncoder(recordColumns)
		for _, row := range [][]any{
			{n, s, x, n, js},
			{s, []byte(s), n, n, js},
			{x, s, s, n, nil},
		} {
			want, wantErr := viaEncodingJSON(recordColumns, row)
			got, err := enc.record("", row)
			if (err != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
				t.Fatalf("%q:\n got %s (%v)\nwant %s (%v)", row, got, err, want, wantErr)
			}
		}
		readings := readingsColumns(t)
		for _, row := range [][]any{readingsRow(s, n, x, nil), readingsRow(s, n, x, x)} {
			want, wantErr := viaEncodingJSON(readings, row)
			got, err := newJSONRecordEncoder(readings).record("", row)
			if (err != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
				t.Fatalf("readings %q:\n got %s (%v)\nwant %s (%v)", row, got, err, want, wantErr)
			}
		}
		people := exportSections[0].columns
		row := peopleRow(s, n)
		want, wantErr := viaEncodingJSON(people, row)
		got, err := newJSONRecordEncoder(people).record("", row)
		if (err != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("people %q:\n got %s (%v)\nwant %s (%v)", s, got, err, want, wantErr)
		}
	})
}
