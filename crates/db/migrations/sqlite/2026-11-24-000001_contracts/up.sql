-- The price list, contracts with their subscriptions and lifecycle, benefits, documents,
-- retention contacts and the subscribers' requests (R-05, R-10..R-16).

CREATE TABLE tariffs (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    service_kind TEXT NOT NULL,
    description TEXT,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT tariffs_code_key UNIQUE (code)
);

-- Versions are immutable once published; billing reads the one in force on each day.
CREATE TABLE tariff_versions (
    id INTEGER PRIMARY KEY,
    tariff_id BIGINT NOT NULL REFERENCES tariffs (id),
    version_no INTEGER NOT NULL,
    effective_from DATE NOT NULL,
    monthly_fee_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    vat_rate_bp INTEGER NOT NULL,
    prepaid BOOLEAN NOT NULL,
    one_off_fees TEXT NOT NULL,
    usage_rates TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    CONSTRAINT tariff_versions_number_key UNIQUE (tariff_id, version_no),
    CONSTRAINT tariff_versions_date_key UNIQUE (tariff_id, effective_from)
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    price_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    vat_rate_bp INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT products_code_key UNIQUE (code)
);

CREATE TABLE contracts (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    sales_point_id BIGINT REFERENCES sales_points (id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    signed_on DATE,
    approved_at TIMESTAMP,
    approved_by TEXT,
    activated_on DATE,
    terminated_on DATE,
    termination_reason TEXT,
    withdrawn_at TIMESTAMP,
    rejection_reason TEXT,
    terms_changed_on DATE,
    created_by TEXT NOT NULL,
    created_by_user_id BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    CONSTRAINT contracts_number_key UNIQUE (number)
);
CREATE INDEX contracts_customer ON contracts (customer_id);
CREATE INDEX contracts_status_point ON contracts (status, sales_point_id);
CREATE INDEX contracts_end_date ON contracts (end_date);

CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    service_address TEXT NOT NULL,
    meter_number TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX subscriptions_contract ON subscriptions (contract_id);
CREATE INDEX subscriptions_customer ON subscriptions (customer_id);

-- R-12: the history of a subscription's tariffs; each row holds from its date to the next.
CREATE TABLE subscription_tariffs (
    id INTEGER PRIMARY KEY,
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id),
    tariff_id BIGINT NOT NULL REFERENCES tariffs (id),
    effective_from DATE NOT NULL,
    early BOOLEAN NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    CONSTRAINT subscription_tariffs_date_key UNIQUE (subscription_id, effective_from)
);

CREATE TABLE contract_suspensions (
    id INTEGER PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    reason TEXT NOT NULL,
    from_date DATE NOT NULL,
    until_date DATE,
    resumed_on DATE,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX contract_suspensions_contract ON contract_suspensions (contract_id);

CREATE TABLE contract_events (
    id INTEGER PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    occurred_at TIMESTAMP NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    detail TEXT,
    recorded_by TEXT NOT NULL,
    recorded_by_user_id BIGINT REFERENCES users (id)
);
CREATE INDEX contract_events_contract ON contract_events (contract_id, id);
CREATE INDEX contract_events_customer ON contract_events (customer_id, occurred_at);

CREATE TABLE customer_benefits (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    percent_bp INTEGER,
    amount_minor BIGINT,
    currency TEXT,
    valid_from DATE NOT NULL,
    valid_to DATE,
    document_reference TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX customer_benefits_customer ON customer_benefits (customer_id);

-- R-16, R-27: every issued document is kept as issued and can be printed again.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    contract_id BIGINT REFERENCES contracts (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    issued_by TEXT NOT NULL,
    content BLOB NOT NULL
);
CREATE INDEX documents_customer ON documents (customer_id, issued_at);
CREATE INDEX documents_contract ON documents (contract_id);

CREATE TABLE retention_contacts (
    id INTEGER PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    channel TEXT NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_by_user_id BIGINT REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX retention_contacts_contract ON retention_contacts (contract_id);

-- Subscribers' requests from the cabinet, handled by staff.
CREATE TABLE contract_requests (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    subscription_id BIGINT REFERENCES subscriptions (id),
    kind TEXT NOT NULL,
    tariff_id BIGINT REFERENCES tariffs (id),
    from_date DATE,
    until_date DATE,
    note TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    handled_by TEXT,
    handled_at TIMESTAMP,
    response TEXT
);
CREATE INDEX contract_requests_status ON contract_requests (status, created_at);
CREATE INDEX contract_requests_customer ON contract_requests (customer_id);
