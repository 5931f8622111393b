//go:build !unix

package storage

import "os"

// canWrite tries to open path for writing, which changes nothing; a
// folder is taken as writable.
func canWrite(path string) error {
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	return f.Close()
}
