-- Schema v2: drafts of forms, so that what a coach types into a form
-- survives a closed terminal or a crash before it is saved.

CREATE TABLE drafts (
    key        TEXT PRIMARY KEY,  -- what the draft is of: 'person:new', 'person:12', ...
    body       TEXT NOT NULL,     -- JSON object: field name -> text as typed
    updated_at TEXT NOT NULL
);
