-- Schema v16: a person has one next contact. Setting another may replace
-- the open one: it is then closed without a call, at that moment, and
-- says which follow-up took its place. done_at without done_call_id was
-- already "closed without a call"; replaced_by says why.

ALTER TABLE follow_ups ADD COLUMN replaced_by INTEGER REFERENCES follow_ups (id) ON DELETE SET NULL;
