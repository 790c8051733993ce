-- The reconciler asks every 5 s which installations' desired state is not applied yet
-- (app_unapplied_installations: observed_version < desired_version, oldest change first). No plain
-- index answers a comparison of two columns, so that was a scan of every installation (35 ms at
-- 100k). A partial index holds only the installations that are behind, in the order asked: the
-- question now reads as many entries as it returns, whatever the fleet's size.
CREATE INDEX "installations_unapplied_updated_at_idx" ON "installations"("updated_at") WHERE "observed_version" < "desired_version";
