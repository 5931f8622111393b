package coaching

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestGlucoseAndWeightFactors(t *testing.T) {
	// 180.16 g/mol over 10; a pound is exactly 0.45359237 kg.
	if GlucoseMgPerMmol != 18.016 || KgPerLb != 0.45359237 {
		t.Fatalf("factors %v %v", GlucoseMgPerMmol, KgPerLb)
	}
}

func TestParseReading(t *testing.T) {
	reg := NewReadingRegistry([]CustomReading{{Name: "Peak  Flow", Unit: "L/min", Min: 50, Max: 900}})
	tests := []struct {
		in             string
		kind           ReadingKind
		value, value2  float64
		entered, shown string
	}{
		{"bp 132/84", ReadingBP, 132, 84, "132/84 mmHg", "blood pressure 132/84 mmHg"},
		{"BP 132/84 mmHg", ReadingBP, 132, 84, "132/84 mmHg", "blood pressure 132/84 mmHg"},
		{"blood pressure: 140/90", ReadingBP, 140, 90, "140/90 mmHg", "blood pressure 140/90 mmHg"},
		{"glucose 7.2", ReadingGlucose, 7.2, 0, "7.2 mmol/L", "blood glucose 7.2 mmol/L"},
		{"glucose 7,2", ReadingGlucose, 7.2, 0, "7.2 mmol/L", "blood glucose 7.2 mmol/L"},
		{"glucose 130 mg/dl", ReadingGlucose, 130 / 18.016, 0, "130 mg/dL", "blood glucose 7.2 mmol/L"},
		{"sugar 180.16mg/dL", ReadingGlucose, 10, 0, "180.16 mg/dL", "blood glucose 10 mmol/L"},
		{"weight 82.5", ReadingWeight, 82.5, 0, "82.5 kg", "weight 82.5 kg"},
		{"weight 82 kg", ReadingWeight, 82, 0, "82 kg", "weight 82 kg"},
		{"weight 180 lb", ReadingWeight, 180 * 0.45359237, 0, "180 lb", "weight 81.6 kg"},
		{"wt 200lbs", ReadingWeight, 200 * 0.45359237, 0, "200 lb", "weight 90.7 kg"},
		{"steps 6500", ReadingSteps, 6500, 0, "6500 steps/day", "steps 6500 steps/day"},
		{"steps 6,500", ReadingSteps, 6500, 0, "6500 steps/day", "steps 6500 steps/day"},
		{"steps 0", ReadingSteps, 0, 0, "0 steps/day", "steps 0 steps/day"},
		{"sleep 6.5", ReadingSleep, 6.5, 0, "6.5 h", "sleep 6.5 h"},
		{"sleep 7 hours", ReadingSleep, 7, 0, "7 h", "sleep 7 h"},
		{"mood 7", ReadingMood, 7, 0, "7 /10", "mood 7/10"},
		{"mood 0", ReadingMood, 0, 0, "0 /10", "mood 0/10"},
		{"pain 10", ReadingPain, 10, 0, "10 /10", "pain 10/10"},
		{"pain 3/10", ReadingPain, 3, 0, "3 /10", "pain 3/10"},
		{"peak flow 420", "peak flow", 420, 0, "420 L/min", "peak flow 420 L/min"},
		{"peak flow 420 l/min", "peak flow", 420, 0, "420 L/min", "peak flow 420 L/min"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := reg.ParseReading(tt.in, false)
			if err != nil {
				t.Fatalf("ParseReading(%q): %v", tt.in, err)
			}
			if r.Kind != tt.kind || math.Abs(r.Value-tt.value) > 1e-9 || r.Value2 != tt.value2 || r.Entered != tt.entered {
				t.Errorf("ParseReading(%q) = %+v, want %s %v/%v %q", tt.in, r, tt.kind, tt.value, tt.value2, tt.entered)
			}
			typ, _ := reg.Type(r.Kind)
			if r.Unit != typ.Unit {
				t.Errorf("unit %q, want the canonical %q", r.Unit, typ.Unit)
			}
			if got := typ.Show(r); got != tt.shown {
				t.Errorf("Show = %q, want %q", got, tt.shown)
			}
		})
	}
}

func TestParseReadingRefused(t *testing.T) {
	reg := NewReadingRegistry([]CustomReading{{Name: "peak flow", Unit: "L/min", Min: 50, Max: 900}})
	tests := []struct{ in, want string }{
		{"", "type what they tracked"},
		{"temperature 37", `"temperature" is not a kind of reading`},
		{"bp", "type a value after bp"},
		{"bp 132", "two whole numbers"},
		{"bp 132/84.5", "two whole numbers"},
		{"bp 84/132", "must be higher than the second"},
		{"bp 120/120", "must be higher than the second"},
		{"bp 320/90", "systolic blood pressure must be from 50 to 300 mmHg"},
		{"bp 120/10", "diastolic blood pressure must be from 20 to 200 mmHg"},
		{"glucose 0.4", "blood glucose must be from 0.5 to 60 mmol/L"},
		{"glucose 130", "if it was in mg/dL, type glucose 130 mg/dl"},
		{"glucose 5 mg/dl", "blood glucose must be from 10 to 1080 mg/dL"},
		{"glucose 2000 mg/dl", "from 10 to 1080 mg/dL"},
		{"glucose 7 mmhg", `blood glucose is in mmol/L or mg/dL, not "mmhg"`},
		{"weight 19.9", "weight must be from 20 to 400 kg"},
		{"weight 900 lb", "weight must be from 45 to 881 lb"},
		{"weight 40 lb", "from 45 to 881 lb"},
		{"weight 8o", `weight is in kg or lb, not "o"`},
		{"steps -5", "type a value after steps"},
		{"steps 100001", "steps must be from 0 to 100000 steps/day"},
		{"steps 65.5", "steps is a whole number"},
		{"sleep 25", "sleep must be from 0 to 24 h"},
		{"mood 11", "mood must be from 0 to 10"},
		{"mood 7.5", "mood is a whole number"},
		{"pain -1", "type a value after pain"},
		{"weight 1e2", `not "e2"`}, {"weight 1..2", `"1..2" is not a number`},
		{"peak flow 20", "peak flow must be from 50 to 900 L/min"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := reg.ParseReading(tt.in, true)
			if !errors.Is(err, ErrReadingRefused) {
				t.Fatalf("ParseReading(%q) = %v, want refused", tt.in, err)
			}
			if got := RefusalText(err); !strings.Contains(got, tt.want) {
				t.Errorf("ParseReading(%q): %q, want it to say %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseReadingUnusual(t *testing.T) {
	reg := NewReadingRegistry(nil)
	tests := []struct{ in, want string }{
		{"weight 180", "weight 180 kg is unusual; enter again to keep it"},
		{"weight 30", "weight 30 kg is unusual"},
		{"bp 230/90", "blood pressure 230/90 mmHg is unusual"},
		{"bp 120/35", "blood pressure 120/35 mmHg is unusual"},
		{"glucose 2", "blood glucose 2 mmol/L is unusual"},
		{"glucose 600 mg/dl", "blood glucose 600 mg/dL is unusual"},
		{"steps 45000", "steps 45000 steps/day is unusual"},
		{"sleep 1", "sleep 1 h is unusual"},
		{"sleep 15", "sleep 15 h is unusual"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := reg.ParseReading(tt.in, false)
			var u *UnusualReadingError
			if !errors.As(err, &u) || u.Msg != tt.want && !strings.HasPrefix(u.Msg, tt.want) {
				t.Fatalf("ParseReading(%q) = %v, want unusual %q", tt.in, err, tt.want)
			}
			r, err := reg.ParseReading(tt.in, true)
			if err != nil || r.Kind == "" {
				t.Fatalf("ParseReading(%q, keep) = %+v, %v; want it kept", tt.in, r, err)
			}
		})
	}
	// The edges of the plausible range are not unusual.
	for _, in := range []string{"weight 35", "weight 170", "bp 220/130", "bp 80/40", "glucose 2.5", "glucose 30", "sleep 2", "sleep 14", "steps 40000"} {
		if _, err := reg.ParseReading(in, false); err != nil {
			t.Errorf("ParseReading(%q) = %v, want no question", in, err)
		}
	}
}

func TestReadingRegistry(t *testing.T) {
	reg := NewReadingRegistry([]CustomReading{
		{Name: "Peak flow", Unit: "L/min", Min: 50, Max: 900},
		{Name: "weight", Unit: "st", Min: 1, Max: 50}, // a built-in's name: left out
		{Name: "peak flow", Unit: "L/s", Min: 1, Max: 9},
	})
	if n := len(reg.Types()); n != len(BuiltinReadings())+1 {
		t.Fatalf("%d kinds, want the built-ins and peak flow", n)
	}
	pf, ok := reg.Type("peak flow")
	if !ok || pf.Unit != "L/min" || !pf.Custom || pf.LOINC || pf.Code != "reading-peak-flow" {
		t.Errorf("peak flow = %+v", pf)
	}
	if w, _ := reg.Type(ReadingWeight); w.Unit != "kg" {
		t.Errorf("weight's unit %q", w.Unit)
	}
	if !ReadingNameTaken("Blood  Pressure") || !ReadingNameTaken("BP") || ReadingNameTaken("peak flow") {
		t.Error("ReadingNameTaken")
	}
	codes := map[ReadingKind]string{ReadingBP: "85354-9", ReadingWeight: "29463-7", ReadingSteps: "41950-7", ReadingGlucose: "15074-8", ReadingSleep: "93832-4", ReadingPain: "72514-3"}
	for k, code := range codes {
		if typ, _ := reg.Type(k); !typ.LOINC || typ.Code != code {
			t.Errorf("%s: code %q LOINC %v, want LOINC %s", k, typ.Code, typ.LOINC, code)
		}
	}
	if bp, _ := reg.Type(ReadingBP); bp.Code1 != "8480-6" || bp.Code2 != "8462-4" {
		t.Errorf("bp components %q %q", bp.Code1, bp.Code2)
	}
	if mood, _ := reg.Type(ReadingMood); mood.LOINC {
		t.Error("mood has no LOINC code")
	}
}

func TestReadingChange(t *testing.T) {
	types := map[ReadingKind]ReadingType{}
	for _, rt := range BuiltinReadings() {
		types[rt.Kind] = rt
	}
	for _, c := range []struct {
		kind                ReadingKind
		v1, v2, last, last2 float64
		want                string
	}{
		{ReadingBP, 132, 84, 128, 80, "−4/−4 mmHg"},
		{ReadingBP, 128, 80, 130, 79, "+2/−1 mmHg"},
		{ReadingBP, 128, 80, 130, 80, "+2/0 mmHg"},
		{ReadingBP, 128, 80, 128, 80, "no change"},
		{ReadingWeight, 81.6, 0, 80.4, 0, "−1.2 kg"},
		{ReadingWeight, 81.6, 0, 81.62, 0, "no change"}, // below what is shown
		{ReadingGlucose, 6, 0, 7.25, 0, "+1.3 mmol/L"},
		{ReadingSteps, 0, 0, 4500, 0, "+4500 steps/day"},
		{ReadingMood, 5, 0, 7, 0, "+2"},
		{ReadingPain, 10, 0, 0, 0, "−10"},
	} {
		got := types[c.kind].Change(Reading{Value: c.v1, Value2: c.v2}, Reading{Value: c.last, Value2: c.last2})
		if got != c.want {
			t.Errorf("%s %v/%v → %v/%v: %q, want %q", c.kind, c.v1, c.v2, c.last, c.last2, got, c.want)
		}
	}
}
