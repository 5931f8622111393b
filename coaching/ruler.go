package coaching

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// RulerKind says what a 0-10 ruler measured.
type RulerKind string

// The rulers a coach can take during a call.
const (
	RulerImportance RulerKind = "importance"
	RulerConfidence RulerKind = "confidence"
)

// ConfidenceThreshold is the score at or above which a plan is likely
// enough to be carried out; below it the plan is made easier first
// (docs/coaching.md, "Self-management support" and "Brief Action
// Planning").
const ConfidenceThreshold = 7

// ConfidentEnough reports whether a confidence score clears the threshold.
func ConfidentEnough(score int) bool { return score >= ConfidenceThreshold }

// Ruler is one 0-10 scaling question and what the person said about it.
type Ruler struct {
	ID       int64
	CallID   int64
	Kind     RulerKind
	Score    int
	About    string // what the ruler was about ("walking after lunch")
	FollowUp string // the person's answer to "why N and not lower?"
	At       time.Time
}

// ParseScore reads a typed ruler score: a whole number from 0 to 10.
func ParseScore(s string) (int, error) {
	s = strings.TrimSpace(s)
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 10 {
		return 0, fmt.Errorf("%q is not a score: type a whole number from 0 to 10", s)
	}
	return n, nil
}

// LowerAnchor is the lower number to ask about after a score of n: "why a
// 6 and not a 3?" asks the person to say what is already in favour of
// change. It is about half the score, so the gap is felt, and there is
// none for 0. ok is false for 0 and for scores out of range.
func LowerAnchor(n int) (lower int, ok bool) {
	if n <= 0 || n > 10 {
		return 0, false
	}
	return n / 2, true
}

// FollowUpQuestion is what to ask after a ruler score, in plain words.
// Asking why the score is not lower evokes change talk; asking why it is
// not higher evokes the case against change, so it is never suggested. At
// 0 there is no lower number: ask what would bring it to 1
// (docs/coaching.md, "Motivational interviewing").
func FollowUpQuestion(kind RulerKind, n int) string {
	what := "important"
	if kind == RulerConfidence {
		what = "confident"
	}
	if lower, ok := LowerAnchor(n); ok {
		return fmt.Sprintf("Why %s %d and not %s %d?", article(n), n, article(lower), lower)
	}
	if n == 0 {
		return fmt.Sprintf("What would need to happen for you to feel even a little more %s, say a 1?", what)
	}
	return ""
}

// NextStepQuestion is the second follow-up: what would move the score up.
func NextStepQuestion(n int) string {
	if n >= 10 {
		return "What will help you keep it at a 10?"
	}
	return fmt.Sprintf("What would help you move from %s %d to %s %d?", article(n), n, article(n+1), n+1)
}

// article is the English article before a spoken number: "an 8", "a 6".
func article(n int) string {
	if n == 8 || n == 11 || n == 18 {
		return "an"
	}
	return "a"
}
