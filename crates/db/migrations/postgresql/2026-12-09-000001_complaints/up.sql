-- Complaints (R-40..R-46): registered from any channel, with the deadlines of the
-- jurisdiction's law fixed when received, decided by a person (a second one above the
-- four-eyes amount) or, once the decide-by day has passed, deemed accepted by the clock.

CREATE TABLE complaints (
    id BIGSERIAL PRIMARY KEY,
    -- Gapless per year (`RK/2026/000001`), from `number_sequences`.
    number TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    channel TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    -- The day received in the operator's time zone: where the deadlines count from.
    received_on DATE NOT NULL,
    subject TEXT NOT NULL,
    claim TEXT NOT NULL,
    concerns_from DATE,
    concerns_until DATE,
    amount_claimed_minor BIGINT,
    currency TEXT NOT NULL,
    refund_demanded BOOLEAN NOT NULL DEFAULT FALSE,
    topic_id BIGINT REFERENCES topics (id),
    language TEXT NOT NULL,
    -- The clock as it stood when received: a later change of the profile or the calendar
    -- does not move a running deadline.
    jurisdiction TEXT NOT NULL,
    acknowledge_by DATE NOT NULL,
    decide_by DATE NOT NULL,
    claim_until DATE,
    time_barred BOOLEAN NOT NULL,
    repeat_of BIGINT REFERENCES complaints (id),
    status TEXT NOT NULL,
    acknowledged_at TIMESTAMP,
    outcome TEXT,
    granted_minor BIGINT,
    reasoning TEXT,
    decided_at TIMESTAMP,
    decided_by TEXT,
    approved_by TEXT,
    -- What the compensation gave back on the account without a correction note.
    credited_minor BIGINT,
    registered_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT complaints_number UNIQUE (number)
);
CREATE INDEX complaints_customer ON complaints (customer_id, received_on);
CREATE INDEX complaints_open_by_deadline ON complaints (status, decide_by);
CREATE INDEX complaints_topic ON complaints (topic_id, received_on);

-- A decision waiting for a second person's approval (four eyes); gone once approved or
-- sent back.
CREATE TABLE complaint_proposals (
    complaint_id BIGINT PRIMARY KEY REFERENCES complaints (id),
    outcome TEXT NOT NULL,
    granted_minor BIGINT NOT NULL,
    reasoning TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_by_user_id BIGINT,
    proposed_at TIMESTAMP NOT NULL
);

-- The invoices a complaint is about; compensation corrects them in this order.
CREATE TABLE complaint_invoices (
    complaint_id BIGINT NOT NULL REFERENCES complaints (id),
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (complaint_id, invoice_id)
);

-- What happened to a complaint, in order: its timeline.
CREATE TABLE complaint_events (
    id BIGSERIAL PRIMARY KEY,
    complaint_id BIGINT NOT NULL REFERENCES complaints (id),
    kind TEXT NOT NULL,
    note TEXT,
    invoice_id BIGINT REFERENCES invoices (id),
    document_id BIGINT REFERENCES documents (id),
    recorded_by TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX complaint_events_of ON complaint_events (complaint_id, id);

-- Preventive measures against a topic that keeps coming back (R-46, seed 003).
CREATE TABLE preventive_measures (
    id BIGSERIAL PRIMARY KEY,
    topic_id BIGINT NOT NULL REFERENCES topics (id),
    description TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on DATE NOT NULL,
    done_on DATE,
    recorded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Days off and moved working days per jurisdiction, loaded by administrators; Polish
-- statutory holidays are also known to the code.
CREATE TABLE calendar_days (
    jurisdiction TEXT NOT NULL,
    day DATE NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (jurisdiction, day)
);

-- A complaint's acknowledgement and answer are documents of the customer.
ALTER TABLE documents ADD COLUMN complaint_id BIGINT REFERENCES complaints (id);
-- A message may carry a stored document (the complaint answer) as its attachment.
ALTER TABLE messages ADD COLUMN document_id BIGINT REFERENCES documents (id);
