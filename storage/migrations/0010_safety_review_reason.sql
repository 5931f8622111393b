-- Schema v10: why an earlier safety flag was cleared. The coach says it in
-- a few words when a later call reviews the event (Store.ReviewSafety);
-- events reviewed before this version, and those closed as opened by
-- mistake (reviewed the moment they were recorded), have none.

ALTER TABLE safety_events ADD COLUMN review_reason TEXT NOT NULL DEFAULT ''
    CHECK (review_reason = '' OR reviewed_at IS NOT NULL);
