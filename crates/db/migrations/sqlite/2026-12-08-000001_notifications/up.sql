-- Notifications (R-61): the outbox, written in the same transaction as the change that
-- causes a message, and the customers' choices of what they are told by which channel.

-- One row per message and channel, rendered when the event happened in the customer's
-- language. `dedup_key` names the event (`invoice_issued:42:email`): an event handled
-- twice (a retried batch, a repeated request) writes its message once.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    event TEXT NOT NULL,
    channel TEXT NOT NULL,
    language TEXT NOT NULL,
    recipient TEXT,
    subject TEXT,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    suppressed_reason TEXT,
    -- The consent the message needs: withdrawing it suppresses the message while pending.
    consent_needed TEXT,
    invoice_id BIGINT REFERENCES invoices (id),
    dedup_key TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_by TEXT,
    claimed_at TIMESTAMP,
    provider_id TEXT,
    last_error TEXT,
    -- The body with its secrets (a one-time code) hidden: what staff read, and what stays
    -- stored once the message is delivered or given up. Absent when it holds no secret.
    redacted_body TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    CONSTRAINT messages_once UNIQUE (dedup_key)
);
CREATE INDEX messages_customer ON messages (customer_id, id);
CREATE INDEX messages_due ON messages (status, next_attempt_at);

-- What a customer chose for an event and channel; no row: the event's default.
CREATE TABLE notification_preferences (
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    event TEXT NOT NULL,
    channel TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (customer_id, event, channel)
);

-- An administrator's wording of an event's message by a channel in a language; no row: the
-- template Okno ships. Saved only when it renders with the event's variables alone.
CREATE TABLE message_templates (
    event TEXT NOT NULL,
    channel TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (event, channel, language)
);

-- E-mail addresses the mail server refused for good (no such mailbox): e-mails to them are
-- suppressed until staff clear the flag. Kept by address, lower case, so a customer's new
-- address is not flagged.
CREATE TABLE email_bounces (
    address TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    message_id BIGINT REFERENCES messages (id),
    bounced_at TIMESTAMP NOT NULL
);
