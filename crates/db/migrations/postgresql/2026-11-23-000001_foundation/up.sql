-- Foundation: sales points, staff and sign-in, customers with consents and contacts, audit.
-- Types shared with SQLite: BIGINT ids, TEXT, BOOLEAN, DATE, TIMESTAMP (UTC).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Counters handed out inside the caller's transaction, so a rolled-back number is never lost.
CREATE TABLE number_sequences (
    name TEXT PRIMARY KEY,
    next_value BIGINT NOT NULL
);

CREATE TABLE sales_points (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id BIGINT REFERENCES sales_points (id),
    address TEXT NOT NULL,
    phone TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT sales_points_code_key UNIQUE (code)
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    sales_point_id BIGINT REFERENCES sales_points (id),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username)
);

CREATE TABLE customers (
    id BIGSERIAL PRIMARY KEY,
    account_number TEXT NOT NULL,
    kind TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    organisation_name TEXT,
    display_name TEXT NOT NULL,
    tax_id_scheme TEXT,
    tax_id TEXT,
    segment TEXT NOT NULL,
    preferred_language TEXT NOT NULL,
    status TEXT NOT NULL,
    sales_point_id BIGINT REFERENCES sales_points (id),
    -- Value objects always read and written with the customer: JSON arrays.
    emails TEXT NOT NULL,
    phones TEXT NOT NULL,
    addresses TEXT NOT NULL,
    notes TEXT,
    -- Folded text of everything a customer is found by (okno_domain::search).
    search_text TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    CONSTRAINT customers_account_number_key UNIQUE (account_number)
);
CREATE INDEX customers_search_trgm ON customers USING gin (search_text gin_trgm_ops);
CREATE INDEX customers_tax_id ON customers (tax_id);
CREATE INDEX customers_sales_point ON customers (sales_point_id);

CREATE TABLE cabinet_accounts (
    customer_id BIGINT PRIMARY KEY REFERENCES customers (id),
    password_hash TEXT,
    activation_code_hash TEXT,
    activation_expires_at TIMESTAMP,
    activated_at TIMESTAMP,
    password_changed_at TIMESTAMP,
    active BOOLEAN NOT NULL
);

CREATE TABLE auth_sessions (
    id BIGSERIAL PRIMARY KEY,
    principal_kind TEXT NOT NULL,
    principal_id BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revoked_reason TEXT,
    user_agent TEXT
);
CREATE INDEX auth_sessions_principal ON auth_sessions (principal_kind, principal_id);

CREATE TABLE refresh_tokens (
    id BIGSERIAL PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES auth_sessions (id),
    token_hash TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    spent_at TIMESTAMP,
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash)
);

CREATE TABLE login_throttles (
    login TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

CREATE TABLE api_keys (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP,
    CONSTRAINT api_keys_prefix_key UNIQUE (prefix)
);

CREATE TABLE topics (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_pl TEXT,
    name_ru TEXT,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT topics_code_key UNIQUE (code)
);

CREATE TABLE consents (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    purpose TEXT NOT NULL,
    granted_at TIMESTAMP NOT NULL,
    granted_channel TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    granted_by_user_id BIGINT REFERENCES users (id),
    withdrawn_at TIMESTAMP,
    withdrawn_channel TEXT,
    withdrawn_by TEXT,
    withdrawn_by_user_id BIGINT REFERENCES users (id),
    note TEXT
);
CREATE INDEX consents_customer ON consents (customer_id);
-- R-02: at most one consent in force per purpose.
CREATE UNIQUE INDEX consents_one_in_force ON consents (customer_id, purpose) WHERE withdrawn_at IS NULL;

CREATE TABLE interactions (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    occurred_at TIMESTAMP NOT NULL,
    channel TEXT NOT NULL,
    direction TEXT NOT NULL,
    topic_id BIGINT REFERENCES topics (id),
    summary TEXT NOT NULL,
    outcome TEXT,
    settled_in_contact BOOLEAN NOT NULL,
    department TEXT,
    duration_seconds INTEGER,
    handled_by TEXT NOT NULL,
    handled_by_user_id BIGINT REFERENCES users (id),
    sales_point_id BIGINT REFERENCES sales_points (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX interactions_customer_time ON interactions (customer_id, occurred_at);
CREATE INDEX interactions_user_time ON interactions (handled_by_user_id, occurred_at);

CREATE TABLE disclosures (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    recipient TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    data_scope TEXT NOT NULL,
    protocol_reference TEXT NOT NULL,
    disclosed_at TIMESTAMP NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_by_user_id BIGINT REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX disclosures_customer ON disclosures (customer_id);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    customer_id BIGINT,
    detail TEXT,
    request_id TEXT
);
CREATE INDEX audit_log_customer ON audit_log (customer_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor_kind, actor_id, id);
CREATE INDEX audit_log_time ON audit_log (occurred_at);
