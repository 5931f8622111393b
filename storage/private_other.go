//go:build !unix

package storage

// makePrivate does nothing where files have no Unix modes: such systems
// keep a user's files private by their folder's access lists.
func makePrivate(string) []string { return nil }
