-- Anonymous requests that send mail (sign-up, forgotten password), counted per target
-- address and per client address so nobody can flood a mailbox or the outbox.
CREATE TABLE mail_requests (
    id      INTEGER PRIMARY KEY,
    target  TEXT NOT NULL,
    client  TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX mail_requests_target ON mail_requests (target, at);
CREATE INDEX mail_requests_client ON mail_requests (client, at);
