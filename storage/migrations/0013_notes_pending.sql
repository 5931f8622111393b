-- Schema v13: a notes save writes what changed, not the whole note.
-- Rewriting a call's row on every save (every 0.7 s while a coach types)
-- costs more the longer the note: a 500-line note spills over a dozen
-- pages, each written again. Now a save writes one small row here: the
-- notes as typed are calls.notes with the bytes between the first `head`
-- and the last `tail` replaced by `mid` (what the coach changed since the
-- notes were last folded in), at revision `rev`, saved at `saved_at`.
-- The row is folded into calls (notes, notes_rev, updated_at) and deleted
-- in one transaction away from typing, when the search index catches up
-- (storage/notesindex.go): once saves pause for 2 s, at most 5 s after the
-- first save however steadily the coach types, when the call ends, when
-- the program closes, and at the next open after a crash.
--
-- So calls.notes may be a few seconds behind the typing; the view
-- call_notes never is (its updated_at is the later of the row's and the
-- save's). Anything that reads the notes (callcoach itself, a
-- report, the sqlite3 command line) reads them from call_notes.
-- Offsets are in bytes: substr on a BLOB counts bytes, and || joins the
-- bytes back into the text they were cut from. substr of an empty BLOB is
-- NULL, hence the coalesce.

CREATE TABLE notes_pending (
    call_id INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    head INTEGER NOT NULL CHECK (head >= 0),
    mid TEXT NOT NULL,
    tail INTEGER NOT NULL CHECK (tail >= 0),
    rev INTEGER NOT NULL,
    saved_at TEXT NOT NULL
);

CREATE VIEW call_notes (call_id, notes, notes_rev, updated_at) AS
SELECT c.id,
       CASE WHEN p.call_id IS NULL THEN c.notes
            ELSE CAST(coalesce(substr(CAST(c.notes AS BLOB), 1, p.head), '') || p.mid ||
                      coalesce(substr(CAST(c.notes AS BLOB), length(CAST(c.notes AS BLOB)) - p.tail + 1), '') AS TEXT)
       END,
       coalesce(p.rev, c.notes_rev),
       max(c.updated_at, coalesce(p.saved_at, c.updated_at))
FROM calls c LEFT JOIN notes_pending p ON p.call_id = c.id;
