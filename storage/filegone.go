package storage

import (
	"errors"
	"fmt"
	"os"
)

// ErrFileGone is wrapped by a *FileGoneError: the database file was
// replaced or removed while this program had it open.
var ErrFileGone = errors.New("the database file was replaced or removed")

// FileGoneError says that the file this Store opened is no longer at its
// path (removed, or another file put there, as a restore does). Writing on
// would go into a file nobody will open again, so every write is refused.
type FileGoneError struct {
	Path    string
	Removed bool // no file at the path at all; otherwise another file is there
}

func (e *FileGoneError) Error() string {
	if e.Removed {
		return fmt.Sprintf("the database file %s was removed while callcoach had it open, so nothing more can be saved to it", e.Path)
	}
	return fmt.Sprintf("the database file %s was replaced (by a restore?) while callcoach had it open, so nothing more is saved here", e.Path)
}

func (e *FileGoneError) Unwrap() error { return ErrFileGone }

// CheckFile reports, as a *FileGoneError, if the database file was replaced
// or removed since it was opened. Once gone it stays gone for this Store.
func (s *Store) CheckFile() error {
	if g := s.gone.Load(); g != nil {
		return g
	}
	if s.file == nil {
		return nil
	}
	fi, err := os.Stat(s.path)
	var g *FileGoneError
	switch {
	case errors.Is(err, os.ErrNotExist):
		g = &FileGoneError{Path: s.path, Removed: true}
	case err != nil:
		return nil // cannot look (a permission change): the write itself will say
	case !os.SameFile(fi, s.file):
		g = &FileGoneError{Path: s.path}
	default:
		return nil
	}
	s.gone.CompareAndSwap(nil, g)
	return s.gone.Load()
}
