-- Schema v18: the organisation's own number for a person (a medical
-- record number, an NHS number, ...) with the URI of its system, so the
-- records callcoach exports meet the ones the organisation keeps. Empty
-- when not given.

ALTER TABLE people ADD COLUMN identifier TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN identifier_system TEXT NOT NULL DEFAULT '';
