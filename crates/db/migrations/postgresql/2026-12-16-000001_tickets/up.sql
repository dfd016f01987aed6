-- Technical problems (R-50..R-53, R-60): departments, SLA targets and opening hours, tickets
-- with their history and attachments, diagnostic scripts in versions and the walks taken,
-- incidents found in clusters of faults, technicians' slots and visits, the knowledge base.

-- The departments tickets are routed to (seed 001); admins add, rename and retire them.
CREATE TABLE departments (
    code TEXT PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_pl TEXT,
    name_ru TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL
);
INSERT INTO departments (code, name_en, name_pl, name_ru, active, position) VALUES
    ('call_centre', 'First line', 'Pierwsza linia', 'Первая линия', TRUE, 10),
    ('subscriber_service', 'Subscriber service', 'Obsługa abonenta', 'Абонентский отдел', TRUE, 20),
    ('technical_support', 'Technical support', 'Wsparcie techniczne', 'Техническая поддержка', TRUE, 30),
    ('automation', 'Automation', 'Automatyka', 'Автоматизация', TRUE, 40),
    ('finance', 'Finance', 'Finanse', 'Финансовый отдел', TRUE, 50),
    ('technical', 'Technical department', 'Dział techniczny', 'Технический отдел', TRUE, 60),
    ('development', 'Development', 'Rozwój', 'Отдел развития', TRUE, 70);

-- SLA targets per priority, in minutes on the business calendar (or around the clock).
CREATE TABLE sla_policies (
    priority TEXT PRIMARY KEY,
    first_response_minutes INTEGER NOT NULL,
    next_update_minutes INTEGER NOT NULL,
    resolution_minutes INTEGER NOT NULL,
    around_the_clock BOOLEAN NOT NULL
);
INSERT INTO sla_policies VALUES
    ('low', 480, 1440, 4800, FALSE),
    ('normal', 240, 600, 1800, FALSE),
    ('high', 60, 240, 600, FALSE),
    ('critical', 15, 60, 240, TRUE);

-- When the office works, per weekday (1 = Monday), local time `HH:MM`; closed when NULL.
CREATE TABLE opening_hours (
    weekday INTEGER PRIMARY KEY,
    opens TEXT,
    closes TEXT
);
INSERT INTO opening_hours VALUES
    (1, '08:00', '18:00'), (2, '08:00', '18:00'), (3, '08:00', '18:00'),
    (4, '08:00', '18:00'), (5, '08:00', '18:00'), (6, NULL, NULL), (7, NULL, NULL);

-- Outages (R-52). At most one proposed or open incident per category and area: two servers
-- detecting the same burst at once make one.
CREATE TABLE incidents (
    id BIGSERIAL PRIMARY KEY,
    number TEXT NOT NULL,
    category TEXT NOT NULL,
    scope TEXT NOT NULL,
    area_key TEXT NOT NULL,
    area TEXT NOT NULL,
    status TEXT NOT NULL,
    detected BOOLEAN NOT NULL,
    detected_at TIMESTAMP NOT NULL,
    opened_at TIMESTAMP,
    opened_by TEXT,
    resolved_at TIMESTAMP,
    resolved_by TEXT,
    resolution_note TEXT,
    CONSTRAINT incidents_number UNIQUE (number)
);
CREATE UNIQUE INDEX incidents_one_active ON incidents (category, scope, area_key)
    WHERE status IN ('proposed', 'open');

CREATE TABLE diagnostic_scripts (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT,
    active BOOLEAN NOT NULL,
    current_version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL
);

-- Every saved version of a script, never changed: a walk points at the one it followed.
CREATE TABLE diagnostic_script_versions (
    id BIGSERIAL PRIMARY KEY,
    script_id BIGINT NOT NULL REFERENCES diagnostic_scripts (id),
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT diagnostic_script_versions_number UNIQUE (script_id, version)
);

CREATE TABLE tickets (
    id BIGSERIAL PRIMARY KEY,
    -- Gapless per year (`TK/2026/000001`), from `number_sequences`.
    number TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    subscription_id BIGINT REFERENCES subscriptions (id),
    category TEXT NOT NULL,
    priority TEXT NOT NULL,
    department TEXT NOT NULL REFERENCES departments (code),
    assignee_id BIGINT REFERENCES users (id),
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    source TEXT NOT NULL,
    -- Where the fault is: the service address on one line and its keys per area scope.
    service_address TEXT,
    area_building TEXT,
    area_street TEXT,
    area_postcode TEXT,
    network_node TEXT,
    incident_id BIGINT REFERENCES incidents (id),
    interaction_id BIGINT REFERENCES interactions (id),
    opened_by TEXT NOT NULL,
    opened_by_user_id BIGINT REFERENCES users (id),
    opened_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    closed_at TIMESTAMP,
    CONSTRAINT tickets_number UNIQUE (number)
);
CREATE INDEX tickets_queue ON tickets (department, status);
CREATE INDEX tickets_customer ON tickets (customer_id, opened_at);
CREATE INDEX tickets_open_by_building ON tickets (status, area_building);
CREATE INDEX tickets_incident ON tickets (incident_id);

-- A ticket's history, in order: the SLA clocks are computed from it.
CREATE TABLE ticket_events (
    id BIGSERIAL PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    kind TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    department TEXT,
    assignee_id BIGINT,
    body TEXT,
    visible_to_customer BOOLEAN NOT NULL,
    by_customer BOOLEAN NOT NULL,
    recorded_by TEXT NOT NULL,
    user_id BIGINT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX ticket_events_of ON ticket_events (ticket_id, id);

CREATE TABLE ticket_attachments (
    id BIGSERIAL PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content BYTEA NOT NULL,
    visible_to_customer BOOLEAN NOT NULL,
    uploaded_by TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX ticket_attachments_of ON ticket_attachments (ticket_id);

-- A walk of a script with a customer (R-51): the version followed and the path taken.
CREATE TABLE script_runs (
    id BIGSERIAL PRIMARY KEY,
    script_version_id BIGINT NOT NULL REFERENCES diagnostic_script_versions (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    interaction_id BIGINT REFERENCES interactions (id),
    ticket_id BIGINT REFERENCES tickets (id),
    -- JSON: the steps taken, each with its prompt, answer and time.
    path TEXT NOT NULL,
    current_node TEXT,
    -- JSON: the leaf reached.
    outcome TEXT,
    started_by TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX script_runs_customer ON script_runs (customer_id, started_at);

-- Technicians' working slots (R-53, seed 004).
CREATE TABLE technician_slots (
    id BIGSERIAL PRIMARY KEY,
    technician_id BIGINT NOT NULL REFERENCES users (id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT technician_slots_start UNIQUE (technician_id, starts_at)
);
CREATE INDEX technician_slots_time ON technician_slots (starts_at);

-- A slot holds one visit that is not cancelled: two bookings at once make one.
CREATE TABLE visits (
    id BIGSERIAL PRIMARY KEY,
    slot_id BIGINT NOT NULL REFERENCES technician_slots (id),
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    status TEXT NOT NULL,
    note TEXT,
    outcome TEXT,
    outcome_note TEXT,
    booked_by TEXT NOT NULL,
    booked_at TIMESTAMP NOT NULL,
    reported_by TEXT,
    reported_at TIMESTAMP
);
CREATE UNIQUE INDEX visits_one_per_slot ON visits (slot_id) WHERE status <> 'cancelled';
CREATE INDEX visits_ticket ON visits (ticket_id);

-- The knowledge base (R-60): public articles are the cabinet's FAQ.
CREATE TABLE kb_articles (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    language TEXT NOT NULL,
    topic_id BIGINT REFERENCES topics (id),
    public BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    -- Full text in the article's language: Russian and English stemmed, Polish (which
    -- PostgreSQL has no stemmer for) as simple words matched by prefix.
    search tsvector GENERATED ALWAYS AS (
        to_tsvector(
            CASE language
                WHEN 'ru' THEN 'russian'::regconfig
                WHEN 'en' THEN 'english'::regconfig
                ELSE 'simple'::regconfig
            END,
            title || ' ' || body
        )
    ) STORED
);
CREATE INDEX kb_articles_search ON kb_articles USING GIN (search);
CREATE INDEX kb_articles_topic ON kb_articles (topic_id);
