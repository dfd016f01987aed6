-- Online payments (R-30): what a subscriber set out to pay at the payment gateway, and the
-- gateway's notifications about it, each taken once.

-- The server decides what is paid for and how much; the gateway's session id links its
-- notifications back. A payment is registered only from a signed notification.
CREATE TABLE online_checkouts (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    purpose TEXT NOT NULL,
    invoice_id BIGINT REFERENCES invoices (id),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    gateway TEXT NOT NULL,
    session_id TEXT,
    checkout_url TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    payment_id BIGINT REFERENCES payments (id),
    failure TEXT,
    CONSTRAINT online_checkouts_session UNIQUE (gateway, session_id)
);
CREATE INDEX online_checkouts_customer ON online_checkouts (customer_id, id);

-- A gateway delivers a notification at least once, sometimes twice at the same moment: the
-- unique event id decides which delivery acts, the others are answered as replays.
CREATE TABLE gateway_events (
    id BIGSERIAL PRIMARY KEY,
    gateway TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    checkout_id BIGINT REFERENCES online_checkouts (id),
    outcome TEXT NOT NULL,
    CONSTRAINT gateway_events_once UNIQUE (gateway, event_id)
);

-- The invoice a payer says a payment is for (an online payment of an invoice, a transfer
-- titled with its number): it is paid first, the rest of the payment oldest first (R-32).
ALTER TABLE payments ADD COLUMN invoice_id BIGINT REFERENCES invoices (id);
