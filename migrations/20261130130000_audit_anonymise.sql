-- The audit log stays append-only, with one exception the GDPR requires: a row may lose
-- its person (actor and detail blanked), keeping the event, when a person's data is erased
-- or an unconfirmed sign-up expires.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
          AND NEW.subject = OLD.subject AND NEW.actor_id IS NULL AND NEW.detail = '')
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (a row may only lose its person)'); END;
