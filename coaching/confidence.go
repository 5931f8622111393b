package coaching

// NewConfidenceScore reports whether score, just given for a plan being
// written, is a new score to keep: the first one, one that differs from the
// last, or the same one given again after the plan changed (a rescoring, as
// Brief Action Planning asks after problem-solving). The same score given
// again with nothing changed is the one already kept.
func NewConfidenceScore(kept []int, score int, planChangedSince bool) bool {
	if len(kept) == 0 || planChangedSince {
		return true
	}
	return kept[len(kept)-1] != score
}
