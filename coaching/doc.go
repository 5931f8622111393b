// Package coaching is callcoach's domain: the people a coach supports, the
// calls made to them and the rules that govern both. It knows nothing of
// screens or SQL, and it never reads the clock: callers pass the time in.
package coaching
