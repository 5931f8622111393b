-- Schema v14: the Now view's header counts the calls made today, across
-- everyone; calls_person_started orders them by person first, so counting
-- a day's calls from it would read every call. This index reads only the
-- day's, and holds their outcomes, so counting them reads no call rows.

CREATE INDEX calls_started ON calls (started_at, outcome);
