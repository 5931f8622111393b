package measures

import (
	"math"
	"strconv"
	"strings"
)

// SparklineLen is how many of the latest totals a sparkline shows.
const SparklineLen = 8

// sparkGlyphs run from nothing to a full block: index 0 is the bottom of
// the chart, index 8 its top.
var sparkGlyphs = []rune(" ▁▂▃▄▅▆▇█")

// Sparkline draws the latest totals (up to SparklineLen) as block glyphs
// scaled over r (an instrument's Chart), followed by the numbers, so it
// reads without colour: "▂▄▆ 5 → 9 → 14". Totals outside r are drawn at
// the nearer end, and any total above r.Min gets at least the lowest bar.
// When r.Max is not above r.Min, the top is the largest total shown. No
// totals give "".
func Sparkline(totals []float64, r Range) string {
	if len(totals) > SparklineLen {
		totals = totals[len(totals)-SparklineLen:]
	}
	if len(totals) == 0 {
		return ""
	}
	if r.Max <= r.Min {
		for _, v := range totals {
			r.Max = max(r.Max, v)
		}
	}
	top := len(sparkGlyphs) - 1
	var bars strings.Builder
	nums := make([]string, len(totals))
	for i, v := range totals {
		level := 0
		if v > r.Min && r.Max > r.Min {
			ratio := min(1, (v-r.Min)/(r.Max-r.Min)) // before the conversion, which cannot take infinity
			level = max(1, int(math.Round(ratio*float64(top))))
		}
		bars.WriteRune(sparkGlyphs[level])
		nums[i] = formatNumber(v)
	}
	return bars.String() + " " + strings.Join(nums, " → ")
}

// Change says how the last total differs from the first, to 1 decimal:
// "+9 since the first", "−3 since the first" (a true minus sign), or "no
// change since the first". It says nothing of better or worse: on the
// SEMCD-6 higher is better, on the PHQ and GAD it is worse.
func Change(first, last float64) string {
	d := math.Round((last-first)*10) / 10
	switch {
	case d > 0:
		return "+" + formatNumber(d) + " since the first"
	case d < 0:
		return "−" + formatNumber(-d) + " since the first"
	}
	return "no change since the first"
}

// formatNumber shows a total as a whole number when it is one ("14") and
// to 1 decimal otherwise ("6.3").
func formatNumber(v float64) string {
	v = math.Round(v*10) / 10
	if v == 0 {
		return "0" // not "-0"
	}
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}
