package coaching

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Readings are what a person tracks at home and tells the coach in a call:
// blood pressure, glucose, weight, steps, sleep, a mood or pain score, and
// any measure the organisation adds in the settings file. Each is stored
// in its kind's canonical unit, with what the coach typed beside it.

// ReadingKind names a kind of reading ("bp", "weight", or a custom
// kind's name as the settings file gives it, in lower case).
type ReadingKind string

// The built-in kinds.
const (
	ReadingBP      ReadingKind = "bp"
	ReadingGlucose ReadingKind = "glucose"
	ReadingWeight  ReadingKind = "weight"
	ReadingSteps   ReadingKind = "steps"
	ReadingSleep   ReadingKind = "sleep"
	ReadingMood    ReadingKind = "mood"
	ReadingPain    ReadingKind = "pain"
)

// Conversion factors to the canonical units.
const (
	// GlucoseMgPerMmol is mg/dL per mmol/L of glucose: its molar mass,
	// 180.16 g/mol, over 10 (mg/dL is mg per 100 mL). The factor
	// docs/coaching.md, "Readings", cites; labs round it to 18.
	GlucoseMgPerMmol = 18.016
	// KgPerLb is the international avoirdupois pound, exactly 0.45359237 kg
	// by definition (the 1959 international yard and pound agreement).
	KgPerLb = 0.45359237
)

// ReadingUnit is a unit the coach may type a reading in, and how to turn
// it into the kind's canonical unit.
type ReadingUnit struct {
	Name    string   // as shown: "mg/dL"
	Aliases []string // as typed, lower case, without spaces: "mg/dl", "mgdl"
	// ToCanonical multiplies a value in this unit into the canonical
	// unit (1 for the canonical unit itself).
	ToCanonical float64
}

// ReadingType is one kind of reading: its names, units, ranges and codes.
// The ranges are in the canonical unit: outside Min..Max a value is
// refused; outside PlausibleMin..PlausibleMax it is possible but unusual,
// and the coach is asked once to confirm it.
type ReadingType struct {
	Kind    ReadingKind
	Label   string   // "blood pressure"
	Names   []string // what the coach may type before the value, lower case
	Unit    string   // the canonical unit, as shown: "mmHg", "kg"
	UCUM    string   // the canonical unit in UCUM, "" when it has no UCUM form
	Units   []ReadingUnit
	Integer bool // whole numbers only (steps, scores)
	// Decimals is how many places the value is shown with.
	Decimals                   int
	Min, Max                   float64
	PlausibleMin, PlausibleMax float64
	// Pair: two values, "132/84" (blood pressure: systolic, diastolic).
	// Min2..PlausibleMax2 bound the second value.
	Pair                         bool
	Min2, Max2                   float64
	PlausibleMin2, PlausibleMax2 float64
	// Code is the LOINC code when LOINC is true, else a local code; Code1
	// and Code2 code a pair's two values (LOINC systolic and diastolic).
	Code         string
	LOINC        bool
	Code1, Code2 string
	// Category is the FHIR R4 Observation category: vital-signs,
	// laboratory, activity or survey (docs/coaching.md, "Readings").
	Category string
	Custom   bool // from the settings file
}

// Reading is one value a person reports.
type Reading struct {
	ID, PersonID, CallID int64
	Kind                 ReadingKind
	Value                float64 // in the kind's canonical unit
	Value2               float64 // a pair's second value (diastolic); 0 otherwise
	Unit                 string  // the canonical unit
	Entered              string  // as typed, with its unit: "180 lb"
	TakenAt              time.Time
	RecordedAt           time.Time
	Coach                string // the name of the coach who recorded it; set by storage
}

// BuiltinReadings are the kinds every installation has. The LOINC codes
// are listed with their sources in docs/coaching.md, "Codes".
func BuiltinReadings() []ReadingType {
	return []ReadingType{
		{
			Kind: ReadingBP, Label: "blood pressure", Names: []string{"bp", "blood pressure"},
			Unit: "mmHg", UCUM: "mm[Hg]", Units: []ReadingUnit{{Name: "mmHg", Aliases: []string{"mmhg"}, ToCanonical: 1}},
			Integer: true, Pair: true,
			Min: 50, Max: 300, PlausibleMin: 80, PlausibleMax: 220,
			Min2: 20, Max2: 200, PlausibleMin2: 40, PlausibleMax2: 130,
			Code: "85354-9", LOINC: true, Code1: "8480-6", Code2: "8462-4", Category: "vital-signs",
		},
		{
			Kind: ReadingGlucose, Label: "blood glucose", Names: []string{"glucose", "blood glucose", "sugar", "blood sugar", "bg"},
			Unit: "mmol/L", UCUM: "mmol/L", Decimals: 1,
			Units: []ReadingUnit{
				{Name: "mmol/L", Aliases: []string{"mmol/l", "mmol"}, ToCanonical: 1},
				{Name: "mg/dL", Aliases: []string{"mg/dl", "mgdl", "mg"}, ToCanonical: 1 / GlucoseMgPerMmol},
			},
			Min: 0.5, Max: 60, PlausibleMin: 2.5, PlausibleMax: 30,
			Code: "15074-8", LOINC: true, Category: "laboratory",
		},
		{
			Kind: ReadingWeight, Label: "weight", Names: []string{"weight", "wt"},
			Unit: "kg", UCUM: "kg", Decimals: 1,
			Units: []ReadingUnit{
				{Name: "kg", Aliases: []string{"kg", "kgs", "kilo", "kilos"}, ToCanonical: 1},
				{Name: "lb", Aliases: []string{"lb", "lbs", "pound", "pounds"}, ToCanonical: KgPerLb},
			},
			Min: 20, Max: 400, PlausibleMin: 35, PlausibleMax: 170,
			Code: "29463-7", LOINC: true, Category: "vital-signs",
		},
		{
			Kind: ReadingSteps, Label: "steps", Names: []string{"steps"},
			Unit: "steps/day", UCUM: "/d", Units: []ReadingUnit{{Name: "steps/day", Aliases: []string{"steps", "steps/day", "/d"}, ToCanonical: 1}},
			Integer: true, Min: 0, Max: 100000, PlausibleMin: 0, PlausibleMax: 40000,
			Code: "41950-7", LOINC: true, Category: "activity",
		},
		{
			Kind: ReadingSleep, Label: "sleep", Names: []string{"sleep"},
			Unit: "h", UCUM: "h", Decimals: 1,
			Units: []ReadingUnit{{Name: "h", Aliases: []string{"h", "hr", "hrs", "hour", "hours"}, ToCanonical: 1}},
			Min:   0, Max: 24, PlausibleMin: 2, PlausibleMax: 14,
			Code: "93832-4", LOINC: true, Category: "activity",
		},
		{
			Kind: ReadingMood, Label: "mood", Names: []string{"mood"},
			Unit: "/10", UCUM: "{score}", Units: []ReadingUnit{{Name: "/10", Aliases: []string{"/10"}, ToCanonical: 1}},
			Integer: true, Min: 0, Max: 10, PlausibleMin: 0, PlausibleMax: 10,
			Code: "reading-mood", Category: "survey",
		},
		{
			Kind: ReadingPain, Label: "pain", Names: []string{"pain"},
			Unit: "/10", UCUM: "{score}", Units: []ReadingUnit{{Name: "/10", Aliases: []string{"/10"}, ToCanonical: 1}},
			Integer: true, Min: 0, Max: 10, PlausibleMin: 0, PlausibleMax: 10,
			Code: "72514-3", LOINC: true, Category: "survey",
		},
	}
}

// CustomReading is a measure the organisation adds in the settings file.
type CustomReading struct {
	Name     string // "peak flow"; lower-cased to be the kind
	Unit     string // "L/min", shown and stored as given
	Min, Max float64
}

// Custom is the ReadingType for an organisation's own measure: one value
// in one unit, refused outside its range, never asked about, coded
// locally (LOINC has no code the registry can know for it), category
// survey (what the person reports).
func (c CustomReading) Custom() ReadingType {
	name := strings.ToLower(strings.Join(strings.Fields(c.Name), " "))
	return ReadingType{
		Kind: ReadingKind(name), Label: name, Names: []string{name},
		Unit: c.Unit, Units: []ReadingUnit{{Name: c.Unit, Aliases: []string{unitKey(c.Unit)}, ToCanonical: 1}},
		Decimals: 1, Min: c.Min, Max: c.Max, PlausibleMin: c.Min, PlausibleMax: c.Max,
		Code: "reading-" + strings.ReplaceAll(name, " ", "-"), Category: "survey", Custom: true,
	}
}

// ReadingRegistry is the kinds an installation knows: the built-in ones
// and the settings file's.
type ReadingRegistry struct {
	types []ReadingType
	names []nameOf // every name, longest first, for the parser
}

type nameOf struct {
	name string
	t    int
}

// NewReadingRegistry makes the registry from the settings file's custom
// kinds. A custom kind whose name is already a kind's name is left out
// (the settings file refuses it, with its line).
func NewReadingRegistry(custom []CustomReading) ReadingRegistry {
	r := ReadingRegistry{types: BuiltinReadings()}
	for _, c := range custom {
		t := c.Custom()
		if _, taken := r.Type(t.Kind); taken || r.nameTaken(t.Label) {
			continue
		}
		r.types = append(r.types, t)
	}
	for i, t := range r.types {
		for _, n := range t.Names {
			r.names = append(r.names, nameOf{n, i})
		}
	}
	sort.SliceStable(r.names, func(i, j int) bool { return len(r.names[i].name) > len(r.names[j].name) })
	return r
}

func (r ReadingRegistry) nameTaken(name string) bool {
	for _, t := range r.types {
		for _, n := range t.Names {
			if n == name {
				return true
			}
		}
	}
	return false
}

// ReadingNameTaken reports whether name (any case) is already a built-in
// reading's name, so a custom kind may not use it.
func ReadingNameTaken(name string) bool {
	return NewReadingRegistry(nil).nameTaken(strings.ToLower(strings.Join(strings.Fields(name), " ")))
}

// Types lists the kinds, built-in first.
func (r ReadingRegistry) Types() []ReadingType { return r.types }

// Type finds a kind. A kind no longer in the settings file is not found;
// its stored readings still carry their unit.
func (r ReadingRegistry) Type(k ReadingKind) (ReadingType, bool) {
	for _, t := range r.types {
		if t.Kind == k {
			return t, true
		}
	}
	return ReadingType{}, false
}

// ErrReadingRefused is wrapped by a reading outside its kind's range, or
// one the parser cannot read; the message says what to type.
var ErrReadingRefused = errors.New("reading refused")

// UnusualReadingError is a reading that is possible but unusual: entered
// again, it is kept (ParseReading with keepUnusual).
type UnusualReadingError struct{ Msg string }

func (e *UnusualReadingError) Error() string { return e.Msg }

func refuseReading(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrReadingRefused, fmt.Sprintf(format, args...))
}

// RefusalText is the part of a parser error to show the coach.
func RefusalText(err error) string {
	return strings.TrimPrefix(err.Error(), ErrReadingRefused.Error()+": ")
}

// ParseReading reads what the coach typed: a kind's name, the value
// ("132/84" for a pair) and optionally a unit, e.g. "bp 132/84",
// "glucose 130 mg/dl", "weight 180 lb", "peak flow 420". The result is in
// the canonical unit, with Entered set; its times and ids are left for
// the caller. A value outside the range is refused (ErrReadingRefused,
// giving the range in the unit typed); an unusual one returns an
// *UnusualReadingError unless keepUnusual, which the coach's entering the
// same text again sets.
func (r ReadingRegistry) ParseReading(text string, keepUnusual bool) (Reading, error) {
	s := strings.ToLower(strings.Join(strings.Fields(text), " "))
	if s == "" {
		return Reading{}, refuseReading("type what they tracked and the value, e.g. bp 132/84 or weight 82 kg")
	}
	t, rest, ok := r.kindOf(s)
	if !ok {
		return Reading{}, refuseReading("%q is not a kind of reading; use %s", firstWord(s), r.kindList())
	}
	num, unitText := splitNumber(rest)
	if num == "" {
		return Reading{}, refuseReading("type a value after %s, e.g. %s", t.Names[0], example(t))
	}
	if t.Integer {
		num = strings.ReplaceAll(num, ",", "") // "6,500 steps"
	} else {
		num = strings.ReplaceAll(num, ",", ".") // "7,2"
	}
	if i := strings.IndexByte(num, '/'); i >= 0 && !t.Pair { // "7/10": the score's unit
		num, unitText = num[:i], strings.TrimSpace(num[i:]+" "+unitText)
	}
	u, ok := t.unit(unitText)
	if !ok {
		return Reading{}, refuseReading("%s is in %s, not %q", t.Label, t.unitList(), unitText)
	}
	rd := Reading{Kind: t.Kind, Unit: t.Unit, Entered: num + " " + u.Name}
	if t.Pair {
		a, b, found := strings.Cut(num, "/")
		v1, err1 := t.number(a)
		v2, err2 := t.number(b)
		if !found || err1 != nil || err2 != nil {
			return Reading{}, refuseReading("type %s as two whole numbers, e.g. %s", t.Label, example(t))
		}
		if err := t.check(v1, t.Min, t.Max, u, "systolic"); err != nil {
			return Reading{}, err
		}
		if err := t.check(v2, t.Min2, t.Max2, u, "diastolic"); err != nil {
			return Reading{}, err
		}
		if v1 <= v2 {
			return Reading{}, refuseReading("the first number (systolic) must be higher than the second (diastolic): %s", num)
		}
		rd.Value, rd.Value2 = v1, v2
		if !keepUnusual && (outside(v1, t.PlausibleMin, t.PlausibleMax) || outside(v2, t.PlausibleMin2, t.PlausibleMax2)) {
			return rd, &UnusualReadingError{fmt.Sprintf("%s %s %s is unusual; enter again to keep it", t.Label, num, u.Name)}
		}
		return rd, nil
	}
	v, err := t.number(num)
	if err != nil {
		return Reading{}, err
	}
	if err := t.check(v*u.ToCanonical, t.Min, t.Max, u, ""); err != nil {
		if t.Kind == ReadingGlucose && u.ToCanonical == 1 && v*(1/GlucoseMgPerMmol) >= t.Min && v*(1/GlucoseMgPerMmol) <= t.Max {
			return Reading{}, fmt.Errorf("%w; if it was in mg/dL, type glucose %s mg/dl", err, num)
		}
		return Reading{}, err
	}
	rd.Value = v * u.ToCanonical
	if !keepUnusual && outside(rd.Value, t.PlausibleMin, t.PlausibleMax) {
		return rd, &UnusualReadingError{fmt.Sprintf("%s %s %s is unusual; enter again to keep it", t.Label, num, u.Name)}
	}
	return rd, nil
}

// kindOf finds the kind whose name s starts with, the longest first, and
// returns the rest.
func (r ReadingRegistry) kindOf(s string) (ReadingType, string, bool) {
	for _, n := range r.names {
		rest, ok := strings.CutPrefix(s, n.name)
		if !ok {
			continue
		}
		if rest == "" || rest[0] == ' ' || rest[0] == ':' || rest[0] == '=' || isDigit(rest[0]) {
			rest = strings.TrimLeft(rest, " :=")
			return r.types[n.t], rest, true
		}
	}
	return ReadingType{}, "", false
}

func (r ReadingRegistry) kindList() string {
	var names []string
	for _, t := range r.types {
		names = append(names, t.Names[0])
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i > 0 {
		return s[:i]
	}
	return s
}

// splitNumber splits "180lb", "180 lb" or "132/84 mmhg" into the number
// and the unit.
func splitNumber(s string) (num, unit string) {
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) && r != '.' && r != '/' && r != ',' })
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

func unitKey(u string) string { return strings.ToLower(strings.ReplaceAll(u, " ", "")) }

// unit finds the unit typed; "" is the canonical unit.
func (t ReadingType) unit(typed string) (ReadingUnit, bool) {
	if typed == "" {
		return t.Units[0], true
	}
	k := unitKey(typed)
	for _, u := range t.Units {
		for _, a := range u.Aliases {
			if a == k {
				return u, true
			}
		}
	}
	return ReadingUnit{}, false
}

func (t ReadingType) unitList() string {
	var names []string
	for _, u := range t.Units {
		names = append(names, u.Name)
	}
	return strings.Join(names, " or ")
}

// number reads one value: a whole number for an integer kind, else a
// decimal.
func (t ReadingType) number(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64) // only digits and points reach here
	if err != nil {
		return 0, refuseReading("%q is not a number", s)
	}
	if t.Integer && v != math.Trunc(v) {
		return 0, refuseReading("%s is a whole number, not %s", t.Label, s)
	}
	return v, nil
}

// check refuses v (canonical) outside min..max, giving the range in the
// unit typed.
func (t ReadingType) check(v, min, max float64, u ReadingUnit, part string) error {
	if !outside(v, min, max) {
		return nil
	}
	what := t.Label
	if part != "" {
		what = part + " " + t.Label
	}
	dec := t.Decimals
	if u.ToCanonical != 1 {
		dec = 0
	}
	unit := " " + u.Name
	if strings.HasPrefix(u.Name, "/") { // a score: "from 0 to 10"
		unit = ""
	}
	return refuseReading("%s must be from %s to %s%s", what,
		formatNumber(min/u.ToCanonical, dec, true), formatNumber(max/u.ToCanonical, dec, false), unit)
}

func outside(v, min, max float64) bool { return v < min || v > max }

// formatNumber shows v with up to dec places, rounded inwards (ceil for a
// lower bound, floor for an upper) so a range shown is within the range
// held. The nudge keeps float noise (0.3*10) from moving a whole bound.
func formatNumber(v float64, dec int, ceil bool) string {
	p := math.Pow(10, float64(dec))
	if ceil {
		v = math.Ceil(v*p-1e-6) / p
	} else {
		v = math.Floor(v*p+1e-6) / p
	}
	if v == 0 {
		v = 0 // not "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func example(t ReadingType) string {
	switch {
	case t.Pair:
		return t.Names[0] + " 132/84"
	case t.Integer:
		return fmt.Sprintf("%s %s", t.Names[0], strconv.FormatFloat(math.Round((t.PlausibleMin+t.PlausibleMax)/2), 'f', -1, 64))
	}
	return fmt.Sprintf("%s %s", t.Names[0], strconv.FormatFloat(math.Round((t.PlausibleMin+t.PlausibleMax)/2*10)/10, 'f', -1, 64))
}

// Show is the reading as the coach reads it back: "blood pressure 132/84
// mmHg", "weight 81.6 kg", "mood 7/10".
func (t ReadingType) Show(r Reading) string {
	return t.Label + " " + t.ShowValue(r)
}

// ShowValue is the value and unit alone: "132/84 mmHg", "81.6 kg".
func (t ReadingType) ShowValue(r Reading) string {
	v := strconv.FormatFloat(r.Value, 'f', t.Decimals, 64)
	if t.Decimals > 0 {
		v = strings.TrimSuffix(strings.TrimRight(v, "0"), ".")
	}
	switch {
	case t.Pair:
		return fmt.Sprintf("%s/%s %s", v, strconv.FormatFloat(r.Value2, 'f', 0, 64), t.Unit)
	case strings.HasPrefix(t.Unit, "/"):
		return v + t.Unit
	}
	return v + " " + t.Unit
}

// Change is how a reading moved from first to last, signed, in the kind's
// unit: "−4/−4 mmHg", "+1.2 kg", "+2" for a score out of 10, "no change".
func (t ReadingType) Change(first, last Reading) string {
	signed := func(d float64, dec int) string {
		p := math.Pow(10, float64(dec))
		d = math.Round(d*p) / p
		v := strconv.FormatFloat(math.Abs(d), 'f', dec, 64)
		switch {
		case d > 0:
			return "+" + v
		case d < 0:
			return "−" + v
		}
		return "0"
	}
	d1 := signed(last.Value-first.Value, t.Decimals)
	v := d1
	if t.Pair {
		d2 := signed(last.Value2-first.Value2, 0)
		if d1 == "0" && d2 == "0" {
			return "no change"
		}
		v += "/" + d2
	} else if d1 == "0" {
		return "no change"
	}
	if strings.HasPrefix(t.Unit, "/") {
		return v
	}
	return v + " " + t.Unit
}
