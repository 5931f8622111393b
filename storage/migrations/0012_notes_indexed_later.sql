-- Schema v12: saving notes no longer re-indexes them. The trigger that took
-- a call's notes out of search_text and put the whole text back in on every
-- save (every 0.7 s while a coach types: milliseconds for a long note, and
-- growing with it) now only marks the call in notes_unindexed, in the same
-- transaction as the save, so a crash cannot lose the mark.
-- Store.IndexNotes brings the marked calls' index rows up to date and
-- clears their marks, in one transaction, away from typing: when saves
-- pause, when search opens over the call, when the call ends, when the
-- program closes, and when the file is next opened (storage/notesindex.go).
-- A call with no mark has exactly its notes in the index.
--
-- A rebuild of the calls table (as in 0009) must make this trigger again.

CREATE TABLE notes_unindexed (
    call_id INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE
);

DROP TRIGGER search_calls_update;
CREATE TRIGGER search_calls_mark_unindexed AFTER UPDATE OF notes ON calls
    WHEN new.notes IS NOT old.notes BEGIN
    INSERT OR IGNORE INTO notes_unindexed (call_id) VALUES (new.id);
END;
