-- R-30..R-32: payments, registered once each, and what pays what on the customer account.

-- R-33: a cashier's till, opened with a float and closed with the cash counted; the
-- difference is kept. One open till per cashier: the partial unique index decides.
CREATE TABLE tills (
    id INTEGER PRIMARY KEY,
    sales_point_id BIGINT NOT NULL REFERENCES sales_points (id),
    cashier_id BIGINT NOT NULL REFERENCES users (id),
    currency TEXT NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    float_minor BIGINT NOT NULL CHECK (float_minor >= 0),
    closed_at TIMESTAMP,
    closed_by TEXT,
    counted_minor BIGINT,
    expected_minor BIGINT,
    difference_minor BIGINT,
    closing_note TEXT
);
CREATE UNIQUE INDEX tills_one_open_per_cashier ON tills (cashier_id) WHERE closed_at IS NULL;
CREATE INDEX tills_sales_point ON tills (sales_point_id, id);

-- A payment is never changed or deleted; a reversal is recorded on it and booked as the
-- opposite entry. The unique constraints decide what is a repeat, not a read before the
-- write: the same Idempotency-Key (R-31), or the same bank or gateway reference of a method.
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    method TEXT NOT NULL,
    payer_reference TEXT,
    external_reference TEXT,
    idempotency_key TEXT,
    -- A digest of the request that used the key, and the answer given: the same key and
    -- request get the same answer again; the same key with another request is refused.
    request_digest TEXT,
    response TEXT,
    received_at TIMESTAMP NOT NULL,
    registered_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    reversed_at TIMESTAMP,
    reversed_by TEXT,
    reversal_reason TEXT,
    -- Cash and card taken at a sales point go into the cashier's open till.
    till_id BIGINT REFERENCES tills (id),
    CONSTRAINT payments_idempotency_key UNIQUE (idempotency_key),
    CONSTRAINT payments_external_reference UNIQUE (method, external_reference)
);
CREATE INDEX payments_customer ON payments (customer_id, id);
CREATE INDEX payments_received ON payments (received_at, id);
CREATE INDEX payments_till ON payments (till_id);

-- Each entry knows how much of it is not yet matched: of a debit (an invoice), what is still
-- to pay; of a credit (a payment, a credit note), what is still free to pay with.
ALTER TABLE account_entries ADD COLUMN payment_id BIGINT REFERENCES payments (id);
ALTER TABLE account_entries ADD COLUMN open_minor BIGINT NOT NULL DEFAULT 0;
UPDATE account_entries SET open_minor = ABS(amount_minor);
CREATE INDEX account_entries_open ON account_entries (customer_id, id) WHERE open_minor <> 0;
CREATE INDEX account_entries_payment ON account_entries (payment_id);

-- What pays what: a part of a credit entry put toward a debit entry. Released, not deleted,
-- when a reversal takes the credit back.
CREATE TABLE allocations (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    credit_entry_id BIGINT NOT NULL REFERENCES account_entries (id),
    debit_entry_id BIGINT NOT NULL REFERENCES account_entries (id),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    created_at TIMESTAMP NOT NULL,
    released_at TIMESTAMP
);
CREATE INDEX allocations_credit ON allocations (credit_entry_id);
CREATE INDEX allocations_debit ON allocations (debit_entry_id);

-- Bank statements imported (camt.053, MT940, CSV): a file once (its digest), each credit line
-- once across files (its bank reference), with what became of it.
CREATE TABLE payment_imports (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    format TEXT NOT NULL,
    digest TEXT NOT NULL,
    bank TEXT,
    imported_by TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    registered INTEGER NOT NULL,
    unmatched INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    debits_skipped INTEGER NOT NULL,
    CONSTRAINT payment_imports_digest UNIQUE (digest)
);

CREATE TABLE payment_import_lines (
    id INTEGER PRIMARY KEY,
    import_id BIGINT NOT NULL REFERENCES payment_imports (id),
    line INTEGER NOT NULL,
    reference TEXT NOT NULL,
    booked_on DATE NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    title TEXT NOT NULL,
    payer_name TEXT,
    payer_account TEXT,
    -- registered, unmatched (waiting for staff), assigned (by staff), duplicate (skipped)
    outcome TEXT NOT NULL,
    reason TEXT,
    payment_id BIGINT REFERENCES payments (id),
    -- How the customer was found: account_number, invoice_number, or by whom it was assigned.
    matched_by TEXT
);
CREATE INDEX payment_import_lines_import ON payment_import_lines (import_id, line);
CREATE INDEX payment_import_lines_outcome ON payment_import_lines (outcome, id);
-- The bank's reference of an entry is taken once; a later file's copy is a duplicate.
CREATE UNIQUE INDEX payment_import_lines_reference ON payment_import_lines (reference)
    WHERE outcome <> 'duplicate';

-- How each bank's CSV export is read: which column holds what.
CREATE TABLE bank_csv_mappings (
    bank TEXT PRIMARY KEY,
    mapping TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Prepaid express-payment cards (R-30, seed 001): made in batches, their codes shown once
-- for printing and kept hashed; a card is redeemed once, as a payment of its value.
CREATE TABLE prepaid_card_batches (
    id INTEGER PRIMARY KEY,
    cards INTEGER NOT NULL CHECK (cards > 0),
    value_minor BIGINT NOT NULL CHECK (value_minor > 0),
    currency TEXT NOT NULL,
    valid_until DATE NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE prepaid_cards (
    id INTEGER PRIMARY KEY,
    batch_id BIGINT NOT NULL REFERENCES prepaid_card_batches (id),
    -- Printed on the card, not secret: the batch and the card's number in it.
    serial TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    redeemed_at TIMESTAMP,
    payment_id BIGINT REFERENCES payments (id),
    CONSTRAINT prepaid_cards_serial UNIQUE (serial),
    CONSTRAINT prepaid_cards_code_hash UNIQUE (code_hash)
);
CREATE INDEX prepaid_cards_batch ON prepaid_cards (batch_id);
