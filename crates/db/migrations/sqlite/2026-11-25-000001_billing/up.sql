-- Billing (R-20..R-28): usage and meter readings, billing runs shared by workers, invoices
-- and correction notes with their lines, and the customer account. Tables carry customer_id
-- so that a distributed PostgreSQL can shard them by customer.

-- R-22: usage from network and call records, idempotent by external_id.
CREATE TABLE usage_events (
    id INTEGER PRIMARY KEY,
    external_id TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
    unit TEXT NOT NULL,
    quantity_milli BIGINT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    -- The local day and month of occurred_at, for rating and for the billing run.
    occurred_on DATE NOT NULL,
    period TEXT NOT NULL,
    source TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    CONSTRAINT usage_events_external_key UNIQUE (external_id)
);
CREATE INDEX usage_events_customer_period ON usage_events (customer_id, period);
CREATE INDEX usage_events_subscription ON usage_events (subscription_id, occurred_on);

CREATE TABLE meters (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
    number TEXT NOT NULL,
    unit TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX meters_subscription ON meters (subscription_id);
CREATE INDEX meters_customer ON meters (customer_id);

-- A reading lower than the one before is a meter replacement, flagged as such.
CREATE TABLE meter_readings (
    id INTEGER PRIMARY KEY,
    meter_id BIGINT NOT NULL REFERENCES meters (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    value_milli BIGINT NOT NULL,
    read_at TIMESTAMP NOT NULL,
    replacement BOOLEAN NOT NULL,
    consumption_milli BIGINT NOT NULL,
    usage_event_id BIGINT REFERENCES usage_events (id),
    channel TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX meter_readings_meter ON meter_readings (meter_id, read_at, id);

CREATE TABLE billing_runs (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    status TEXT NOT NULL,
    issue_date DATE NOT NULL,
    started_at TIMESTAMP NOT NULL,
    started_by TEXT NOT NULL,
    finished_at TIMESTAMP,
    CONSTRAINT billing_runs_period_key UNIQUE (period)
);

-- The work of a run, a customer each, claimed by workers through the database. An invoiced
-- customer's invoice is the one of the period (invoices_customer_period_key).
CREATE TABLE billing_run_items (
    id INTEGER PRIMARY KEY,
    run_id BIGINT NOT NULL REFERENCES billing_runs (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    status TEXT NOT NULL,
    worker TEXT,
    claimed_at TIMESTAMP,
    finished_at TIMESTAMP,
    error TEXT,
    CONSTRAINT billing_run_items_customer_key UNIQUE (run_id, customer_id)
);
CREATE INDEX billing_run_items_status ON billing_run_items (run_id, status, id);

-- R-24..R-27: issued invoices and correction notes, never changed once issued. Seller and
-- buyer are frozen at issue, as JSON.
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    series TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    -- A customer's invoice for a period exists once; corrections have no period.
    period TEXT,
    billing_run_id BIGINT REFERENCES billing_runs (id),
    corrects_invoice_id BIGINT REFERENCES invoices (id),
    correction_reason TEXT,
    issue_date DATE NOT NULL,
    sale_date DATE NOT NULL,
    period_start DATE,
    period_end DATE,
    due_date DATE NOT NULL,
    currency TEXT NOT NULL,
    net_minor BIGINT NOT NULL,
    vat_minor BIGINT NOT NULL,
    gross_minor BIGINT NOT NULL,
    language TEXT NOT NULL,
    seller TEXT NOT NULL,
    buyer TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT invoices_number_key UNIQUE (number),
    CONSTRAINT invoices_customer_period_key UNIQUE (customer_id, period)
);
CREATE INDEX invoices_period ON invoices (period, id);
CREATE INDEX invoices_issue_date ON invoices (issue_date, id);
CREATE INDEX invoices_corrects ON invoices (corrects_invoice_id);

CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    subscription_id BIGINT,
    tariff_version_id BIGINT,
    first_day DATE,
    last_day DATE,
    days INTEGER,
    month_days INTEGER,
    unit TEXT,
    quantity_milli BIGINT,
    net_minor BIGINT NOT NULL,
    vat_rate_bp INTEGER NOT NULL,
    vat_minor BIGINT NOT NULL,
    gross_minor BIGINT NOT NULL,
    -- Correction notes: the line corrected and its net amount before and after.
    corrects_line_id BIGINT REFERENCES invoice_lines (id),
    net_before_minor BIGINT,
    net_after_minor BIGINT
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id, position);

-- The customer account: what the customer owes (negative) and pays (positive).
CREATE TABLE account_entries (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL,
    booked_at TIMESTAMP NOT NULL,
    booked_on DATE NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    invoice_id BIGINT REFERENCES invoices (id),
    subscription_id BIGINT REFERENCES subscriptions (id),
    description TEXT NOT NULL,
    -- Entries made by jobs carry a key so that running a job twice books nothing twice.
    dedupe_key TEXT,
    CONSTRAINT account_entries_dedupe_key UNIQUE (dedupe_key)
);
CREATE INDEX account_entries_customer ON account_entries (customer_id, id);
CREATE INDEX account_entries_invoice ON account_entries (invoice_id);
