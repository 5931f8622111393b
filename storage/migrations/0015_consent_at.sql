-- Schema v15: when verbal consent was recorded, to the second. A coach
-- asks at the start of a call and records it with one key; consent_date
-- keeps the day, as before, and consent_at the moment (NULL when consent
-- was recorded another way: the profile form, an import).

ALTER TABLE people ADD COLUMN consent_at TEXT;
