-- Schema v25: a coach's own caseload, and the team's on a key (issue 18,
-- point 2). A coach may read their own people and the team's pool
-- (assigned_to NULL); a session that sets callcoach.scope to 'mine'
-- reads only their own, everywhere (the caseload, the Now view, search,
-- counts), since what belongs to a person follows the person's policy.
-- The setting only narrows what the policy already allows: whatever a
-- coach sets, they see no other coach's people. callcoach sets it on its
-- reading connections (storage/scope.go); its writes see the pool
-- whatever the view, so a person in view can be handed over.
ALTER POLICY coach ON people
    USING (assigned_to = current_user
           OR (assigned_to IS NULL AND coalesce(current_setting('callcoach.scope', true), '') <> 'mine'));
ALTER POLICY coach ON caseload_counts_by_coach
    USING (assigned_to = current_user
           OR (assigned_to IS NULL AND coalesce(current_setting('callcoach.scope', true), '') <> 'mine'));

-- A hand-over's note is typed in a form whose draft is kept as "handover:N"
-- (N the person's id), like the person's and plan's forms: erasing the
-- person takes every coach's such drafts too.
CREATE OR REPLACE FUNCTION people_erase_drafts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM drafts WHERE key IN ('person:' || OLD.id, 'plan:' || OLD.id, 'handover:' || OLD.id);
    RETURN NULL;
END $$;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION people_erase_drafts() SECURITY DEFINER SET search_path = %I, pg_temp', current_schema());
END $$;
REVOKE EXECUTE ON FUNCTION people_erase_drafts() FROM PUBLIC;
