package measures

import (
	"math"
	"strconv"
	"strings"
)

// SparklineLen is how many of the latest totals a sparkline shows.
const SparklineLen = 8

// sparkGlyphs run from nothing to a full block: index 0 is a total of 0,
// index 8 the top of the scale.
var sparkGlyphs = []rune(" ▁▂▃▄▅▆▇█")

// Sparkline draws the latest totals (up to SparklineLen) as block glyphs
// scaled 0..scale, followed by the numbers, so it reads without colour:
// "▂▄▆ 5 → 9 → 14". Totals outside 0..scale are drawn at the nearer end,
// and any total above 0 gets at least the lowest bar. A scale of 0 or less
// is taken from the largest total shown. No totals give "".
func Sparkline(totals []float64, scale float64) string {
	if len(totals) > SparklineLen {
		totals = totals[len(totals)-SparklineLen:]
	}
	if len(totals) == 0 {
		return ""
	}
	if scale <= 0 {
		for _, v := range totals {
			scale = max(scale, v)
		}
	}
	top := len(sparkGlyphs) - 1
	var bars strings.Builder
	nums := make([]string, len(totals))
	for i, v := range totals {
		level := 0
		if v > 0 && scale > 0 {
			ratio := min(1, v/scale) // before the conversion, which cannot take infinity
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
