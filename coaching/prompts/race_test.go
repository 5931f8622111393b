//go:build race

package prompts

// raceDetector slows parsing several times over; timing tests allow for it.
const raceDetector = true
