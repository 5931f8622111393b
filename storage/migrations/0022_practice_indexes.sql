-- Schema v22: indexes for the practice report (storage/practice.go), which
-- counts a year of calls, marks, plans and follow-ups week by week. Each
-- lets its query seek a week's rows instead of reading the table:
-- tally marks still standing, by call and kind, without the mark rows;
-- plans by the time they were made; follow-ups by the time they were due
-- (follow_ups_open_due holds only the open ones).

CREATE INDEX tally_marks_standing ON tally_marks (call_id, undone_at, kind);
CREATE INDEX action_plans_created ON action_plans (created_at);
CREATE INDEX follow_ups_due ON follow_ups (due_at);
