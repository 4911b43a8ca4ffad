-- One row per periodic job (issue 17). On PostgreSQL an instance runs a job while it holds
-- the job's row (`SELECT … FOR UPDATE SKIP LOCKED` in a transaction that lasts the job);
-- another instance that finds the row held skips the job for that pass. On SQLite the
-- table exists for the same schema, and the file's write lock already orders the jobs.
CREATE TABLE job_claims (
    job TEXT PRIMARY KEY
);
INSERT INTO job_claims (job) VALUES
    ('lapse-offers'), ('overdue-no-shows'), ('conditional-releases'), ('reminders'), ('retention');
