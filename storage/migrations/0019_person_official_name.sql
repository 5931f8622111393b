-- Schema v19: a person's name split into given and family names, as the
-- coach entered them, for records sent to other systems (FHIR's
-- HumanName). The free-text name stays the one the coach uses; these are
-- never guessed from it. Empty when not given.

ALTER TABLE people ADD COLUMN given_names TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN family_name TEXT NOT NULL DEFAULT '';
