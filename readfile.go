package main

import (
	"io"
	"os"
)

// readAtMost reads the file at path, but no more than limit+1 bytes: enough
// for the caller to tell that the file is over its limit without holding a
// file of any size in memory.
func readAtMost(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, int64(limit)+1))
}
