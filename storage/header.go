package storage

import (
	"bytes"
	"encoding/binary"
	"os"
)

// SQLite's lock bytes (os_unix.c): readers hold a read lock on the shared
// range; a connection in exclusive locking mode, or one closing the file
// with its last checkpoint, holds a write lock on it.
const (
	pendingByte = 0x40000000
	sharedFirst = pendingByte + 2
	sharedSize  = 510
)

// currentByHeader reports whether the file at path is plainly a callcoach
// file at this build's schema version by its first 112 bytes alone (the
// SQLite header and the start of page 1; sqlite.org/fileformat2.html):
// a sound header in WAL mode, callcoach's application id and this version,
// page 1 a table b-tree page, the file as long as the header says, no
// -wal frames or -journal beside it and no program holding it locked
// against readers. Opening such a file then reads nothing more: SQLite is
// not started and the schema not parsed before the first frame. Any
// doubt, and inspectVersion looks through SQLite and says what is wrong.
func currentByHeader(path string) bool {
	if walHasFrames(path) || exists(path+"-journal") {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var h [112]byte
	if _, err := f.ReadAt(h[:], 0); err != nil {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	be := binary.BigEndian
	pageSize := int64(be.Uint16(h[16:]))
	if pageSize == 1 {
		pageSize = 65536
	}
	pages := int64(be.Uint32(h[28:]))
	switch {
	case !bytes.Equal(h[:16], sqliteMagic),
		pageSize < 512 || pageSize&(pageSize-1) != 0,
		h[18] != 2 || h[19] != 2, // WAL
		h[21] != 64 || h[22] != 32 || h[23] != 32,
		be.Uint32(h[24:]) != be.Uint32(h[92:]), // the page count is up to date
		pages == 0 || pages*pageSize != fi.Size(),
		be.Uint32(h[68:]) != applicationID,
		be.Uint32(h[60:]) != uint32(SchemaVersion()),
		h[100] != 0x0d && h[100] != 0x05: // a leaf or interior table page
		return false
	}
	return !lockedAgainstReaders(f)
}
