//! The tables, written by hand because one schema serves two backends: the migrations under
//! `migrations/postgresql` and `migrations/sqlite` must agree with it (a test checks both).

diesel::table! {
    number_sequences (name) {
        name -> Text,
        next_value -> BigInt,
    }
}

diesel::table! {
    sales_points (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        kind -> Text,
        parent_id -> Nullable<BigInt>,
        address -> Text,
        phone -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        display_name -> Text,
        role -> Text,
        sales_point_id -> Nullable<BigInt>,
        password_hash -> Text,
        active -> Bool,
        created_at -> Timestamp,
        password_changed_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    customers (id) {
        id -> BigInt,
        account_number -> Text,
        kind -> Text,
        first_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        organisation_name -> Nullable<Text>,
        display_name -> Text,
        tax_id_scheme -> Nullable<Text>,
        tax_id -> Nullable<Text>,
        segment -> Text,
        preferred_language -> Text,
        status -> Text,
        sales_point_id -> Nullable<BigInt>,
        emails -> Text,
        phones -> Text,
        addresses -> Text,
        notes -> Nullable<Text>,
        search_text -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    cabinet_accounts (customer_id) {
        customer_id -> BigInt,
        password_hash -> Nullable<Text>,
        activation_code_hash -> Nullable<Text>,
        activation_expires_at -> Nullable<Timestamp>,
        activated_at -> Nullable<Timestamp>,
        password_changed_at -> Nullable<Timestamp>,
        active -> Bool,
    }
}

diesel::table! {
    auth_sessions (id) {
        id -> BigInt,
        principal_kind -> Text,
        principal_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        session_id -> BigInt,
        token_hash -> Text,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
        spent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_throttles (login) {
        login -> Text,
        failures -> Integer,
        last_failure_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> BigInt,
        name -> Text,
        prefix -> Text,
        secret_hash -> Text,
        scopes -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    topics (id) {
        id -> BigInt,
        code -> Text,
        name_en -> Text,
        name_pl -> Nullable<Text>,
        name_ru -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consents (id) {
        id -> BigInt,
        customer_id -> BigInt,
        purpose -> Text,
        granted_at -> Timestamp,
        granted_channel -> Text,
        granted_by -> Text,
        granted_by_user_id -> Nullable<BigInt>,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawn_channel -> Nullable<Text>,
        withdrawn_by -> Nullable<Text>,
        withdrawn_by_user_id -> Nullable<BigInt>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    interactions (id) {
        id -> BigInt,
        customer_id -> BigInt,
        occurred_at -> Timestamp,
        channel -> Text,
        direction -> Text,
        topic_id -> Nullable<BigInt>,
        summary -> Text,
        outcome -> Nullable<Text>,
        settled_in_contact -> Bool,
        department -> Nullable<Text>,
        duration_seconds -> Nullable<Integer>,
        handled_by -> Text,
        handled_by_user_id -> Nullable<BigInt>,
        sales_point_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    disclosures (id) {
        id -> BigInt,
        customer_id -> BigInt,
        recipient -> Text,
        legal_basis -> Text,
        data_scope -> Text,
        protocol_reference -> Text,
        disclosed_at -> Timestamp,
        recorded_by -> Text,
        recorded_by_user_id -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<BigInt>,
        actor_name -> Text,
        action -> Text,
        customer_id -> Nullable<BigInt>,
        detail -> Nullable<Text>,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    tariffs (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        service_kind -> Text,
        description -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tariff_versions (id) {
        id -> BigInt,
        tariff_id -> BigInt,
        version_no -> Integer,
        effective_from -> Date,
        monthly_fee_minor -> BigInt,
        currency -> Text,
        vat_rate_bp -> Integer,
        prepaid -> Bool,
        one_off_fees -> Text,
        usage_rates -> Text,
        published_by -> Text,
        published_at -> Timestamp,
    }
}

diesel::table! {
    products (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        price_minor -> BigInt,
        currency -> Text,
        vat_rate_bp -> Integer,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    contracts (id) {
        id -> BigInt,
        number -> Text,
        customer_id -> BigInt,
        sales_point_id -> Nullable<BigInt>,
        channel -> Text,
        status -> Text,
        start_date -> Date,
        end_date -> Nullable<Date>,
        signed_on -> Nullable<Date>,
        approved_at -> Nullable<Timestamp>,
        approved_by -> Nullable<Text>,
        activated_on -> Nullable<Date>,
        terminated_on -> Nullable<Date>,
        termination_reason -> Nullable<Text>,
        withdrawn_at -> Nullable<Timestamp>,
        rejection_reason -> Nullable<Text>,
        terms_changed_on -> Nullable<Date>,
        created_by -> Text,
        created_by_user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> BigInt,
        contract_id -> BigInt,
        customer_id -> BigInt,
        service_address -> Text,
        meter_number -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    subscription_tariffs (id) {
        id -> BigInt,
        subscription_id -> BigInt,
        tariff_id -> BigInt,
        effective_from -> Date,
        early -> Bool,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    contract_suspensions (id) {
        id -> BigInt,
        contract_id -> BigInt,
        reason -> Text,
        from_date -> Date,
        until_date -> Nullable<Date>,
        resumed_on -> Nullable<Date>,
        note -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    contract_events (id) {
        id -> BigInt,
        contract_id -> BigInt,
        customer_id -> BigInt,
        occurred_at -> Timestamp,
        action -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        detail -> Nullable<Text>,
        recorded_by -> Text,
        recorded_by_user_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    customer_benefits (id) {
        id -> BigInt,
        customer_id -> BigInt,
        name -> Text,
        kind -> Text,
        percent_bp -> Nullable<Integer>,
        amount_minor -> Nullable<BigInt>,
        currency -> Nullable<Text>,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        document_reference -> Text,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    documents (id) {
        id -> BigInt,
        customer_id -> BigInt,
        contract_id -> Nullable<BigInt>,
        kind -> Text,
        title -> Text,
        language -> Text,
        issued_at -> Timestamp,
        issued_by -> Text,
        content -> Binary,
        complaint_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    retention_contacts (id) {
        id -> BigInt,
        contract_id -> BigInt,
        channel -> Text,
        outcome -> Text,
        note -> Nullable<Text>,
        recorded_by -> Text,
        recorded_by_user_id -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    contract_requests (id) {
        id -> BigInt,
        customer_id -> BigInt,
        contract_id -> BigInt,
        subscription_id -> Nullable<BigInt>,
        kind -> Text,
        tariff_id -> Nullable<BigInt>,
        from_date -> Nullable<Date>,
        until_date -> Nullable<Date>,
        note -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        handled_by -> Nullable<Text>,
        handled_at -> Nullable<Timestamp>,
        response -> Nullable<Text>,
    }
}

diesel::table! {
    usage_events (id) {
        id -> BigInt,
        external_id -> Text,
        customer_id -> BigInt,
        subscription_id -> BigInt,
        unit -> Text,
        quantity_milli -> BigInt,
        occurred_at -> Timestamp,
        occurred_on -> Date,
        period -> Text,
        source -> Text,
        recorded_at -> Timestamp,
        invoice_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    meters (id) {
        id -> BigInt,
        customer_id -> BigInt,
        subscription_id -> BigInt,
        number -> Text,
        unit -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    meter_readings (id) {
        id -> BigInt,
        meter_id -> BigInt,
        customer_id -> BigInt,
        value_milli -> BigInt,
        read_at -> Timestamp,
        replacement -> Bool,
        consumption_milli -> BigInt,
        usage_event_id -> Nullable<BigInt>,
        channel -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    billing_runs (id) {
        id -> BigInt,
        period -> Text,
        status -> Text,
        issue_date -> Date,
        started_at -> Timestamp,
        started_by -> Text,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    billing_run_items (id) {
        id -> BigInt,
        run_id -> BigInt,
        customer_id -> BigInt,
        status -> Text,
        worker -> Nullable<Text>,
        claimed_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    invoices (id) {
        id -> BigInt,
        number -> Text,
        kind -> Text,
        series -> Text,
        customer_id -> BigInt,
        period -> Nullable<Text>,
        billing_run_id -> Nullable<BigInt>,
        corrects_invoice_id -> Nullable<BigInt>,
        correction_reason -> Nullable<Text>,
        issue_date -> Date,
        sale_date -> Date,
        period_start -> Nullable<Date>,
        period_end -> Nullable<Date>,
        due_date -> Date,
        currency -> Text,
        net_minor -> BigInt,
        vat_minor -> BigInt,
        gross_minor -> BigInt,
        language -> Text,
        seller -> Text,
        buyer -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invoice_lines (id) {
        id -> BigInt,
        invoice_id -> BigInt,
        customer_id -> BigInt,
        position -> Integer,
        kind -> Text,
        description -> Text,
        subscription_id -> Nullable<BigInt>,
        tariff_version_id -> Nullable<BigInt>,
        first_day -> Nullable<Date>,
        last_day -> Nullable<Date>,
        days -> Nullable<Integer>,
        month_days -> Nullable<Integer>,
        unit -> Nullable<Text>,
        quantity_milli -> Nullable<BigInt>,
        net_minor -> BigInt,
        vat_rate_bp -> Integer,
        vat_minor -> BigInt,
        gross_minor -> BigInt,
        corrects_line_id -> Nullable<BigInt>,
        net_before_minor -> Nullable<BigInt>,
        net_after_minor -> Nullable<BigInt>,
    }
}

diesel::table! {
    account_entries (id) {
        id -> BigInt,
        customer_id -> BigInt,
        kind -> Text,
        booked_at -> Timestamp,
        booked_on -> Date,
        amount_minor -> BigInt,
        currency -> Text,
        invoice_id -> Nullable<BigInt>,
        subscription_id -> Nullable<BigInt>,
        description -> Text,
        dedupe_key -> Nullable<Text>,
        payment_id -> Nullable<BigInt>,
        open_minor -> BigInt,
    }
}

diesel::table! {
    payments (id) {
        id -> BigInt,
        customer_id -> BigInt,
        amount_minor -> BigInt,
        currency -> Text,
        method -> Text,
        payer_reference -> Nullable<Text>,
        external_reference -> Nullable<Text>,
        idempotency_key -> Nullable<Text>,
        request_digest -> Nullable<Text>,
        response -> Nullable<Text>,
        received_at -> Timestamp,
        registered_by -> Text,
        created_at -> Timestamp,
        reversed_at -> Nullable<Timestamp>,
        reversed_by -> Nullable<Text>,
        reversal_reason -> Nullable<Text>,
        till_id -> Nullable<BigInt>,
        invoice_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    payment_imports (id) {
        id -> BigInt,
        file_name -> Text,
        format -> Text,
        digest -> Text,
        bank -> Nullable<Text>,
        imported_by -> Text,
        imported_at -> Timestamp,
        registered -> Integer,
        unmatched -> Integer,
        duplicates -> Integer,
        debits_skipped -> Integer,
    }
}

diesel::table! {
    payment_import_lines (id) {
        id -> BigInt,
        import_id -> BigInt,
        line -> Integer,
        reference -> Text,
        booked_on -> Date,
        amount_minor -> BigInt,
        currency -> Text,
        title -> Text,
        payer_name -> Nullable<Text>,
        payer_account -> Nullable<Text>,
        outcome -> Text,
        reason -> Nullable<Text>,
        payment_id -> Nullable<BigInt>,
        matched_by -> Nullable<Text>,
    }
}

diesel::table! {
    bank_csv_mappings (bank) {
        bank -> Text,
        mapping -> Text,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    prepaid_card_batches (id) {
        id -> BigInt,
        cards -> Integer,
        value_minor -> BigInt,
        currency -> Text,
        valid_until -> Date,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    prepaid_cards (id) {
        id -> BigInt,
        batch_id -> BigInt,
        serial -> Text,
        code_hash -> Text,
        redeemed_at -> Nullable<Timestamp>,
        payment_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    tills (id) {
        id -> BigInt,
        sales_point_id -> BigInt,
        cashier_id -> BigInt,
        currency -> Text,
        opened_at -> Timestamp,
        float_minor -> BigInt,
        closed_at -> Nullable<Timestamp>,
        closed_by -> Nullable<Text>,
        counted_minor -> Nullable<BigInt>,
        expected_minor -> Nullable<BigInt>,
        difference_minor -> Nullable<BigInt>,
        closing_note -> Nullable<Text>,
    }
}

diesel::table! {
    allocations (id) {
        id -> BigInt,
        customer_id -> BigInt,
        credit_entry_id -> BigInt,
        debit_entry_id -> BigInt,
        amount_minor -> BigInt,
        created_at -> Timestamp,
        released_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(users -> sales_points (sales_point_id));
diesel::joinable!(consents -> customers (customer_id));
diesel::joinable!(interactions -> customers (customer_id));
diesel::joinable!(interactions -> topics (topic_id));
diesel::joinable!(disclosures -> customers (customer_id));
diesel::joinable!(refresh_tokens -> auth_sessions (session_id));
diesel::joinable!(cabinet_accounts -> customers (customer_id));
diesel::joinable!(tariff_versions -> tariffs (tariff_id));
diesel::joinable!(contracts -> customers (customer_id));
diesel::joinable!(subscriptions -> contracts (contract_id));
diesel::joinable!(subscription_tariffs -> subscriptions (subscription_id));
diesel::joinable!(subscription_tariffs -> tariffs (tariff_id));
diesel::joinable!(contract_suspensions -> contracts (contract_id));
diesel::joinable!(contract_events -> contracts (contract_id));
diesel::joinable!(retention_contacts -> contracts (contract_id));
diesel::joinable!(contract_requests -> customers (customer_id));
diesel::joinable!(contract_requests -> contracts (contract_id));
diesel::joinable!(contract_events -> customers (customer_id));
diesel::joinable!(usage_events -> subscriptions (subscription_id));
diesel::joinable!(meters -> subscriptions (subscription_id));
diesel::joinable!(meter_readings -> meters (meter_id));
diesel::joinable!(billing_run_items -> billing_runs (run_id));
diesel::joinable!(invoices -> customers (customer_id));
diesel::joinable!(invoice_lines -> invoices (invoice_id));
diesel::joinable!(account_entries -> customers (customer_id));
diesel::joinable!(account_entries -> payments (payment_id));
diesel::table! {
    online_checkouts (id) {
        id -> BigInt,
        customer_id -> BigInt,
        purpose -> Text,
        invoice_id -> Nullable<BigInt>,
        amount_minor -> BigInt,
        currency -> Text,
        gateway -> Text,
        session_id -> Nullable<Text>,
        checkout_url -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        payment_id -> Nullable<BigInt>,
        failure -> Nullable<Text>,
    }
}

diesel::table! {
    gateway_events (id) {
        id -> BigInt,
        gateway -> Text,
        event_id -> Text,
        event_type -> Text,
        received_at -> Timestamp,
        checkout_id -> Nullable<BigInt>,
        outcome -> Text,
    }
}

diesel::table! {
    messages (id) {
        id -> BigInt,
        customer_id -> BigInt,
        event -> Text,
        channel -> Text,
        language -> Text,
        recipient -> Nullable<Text>,
        subject -> Nullable<Text>,
        body -> Text,
        status -> Text,
        suppressed_reason -> Nullable<Text>,
        consent_needed -> Nullable<Text>,
        invoice_id -> Nullable<BigInt>,
        dedup_key -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_at -> Nullable<Timestamp>,
        provider_id -> Nullable<Text>,
        last_error -> Nullable<Text>,
        redacted_body -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        document_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    message_templates (event, channel, language) {
        event -> Text,
        channel -> Text,
        language -> Text,
        subject -> Nullable<Text>,
        body -> Text,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::table! {
    email_bounces (address) {
        address -> Text,
        reason -> Text,
        message_id -> Nullable<BigInt>,
        bounced_at -> Timestamp,
    }
}

diesel::table! {
    notification_preferences (customer_id, event, channel) {
        customer_id -> BigInt,
        event -> Text,
        channel -> Text,
        enabled -> Bool,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::joinable!(payments -> customers (customer_id));
diesel::joinable!(payments -> tills (till_id));
diesel::joinable!(online_checkouts -> customers (customer_id));
diesel::joinable!(online_checkouts -> invoices (invoice_id));
diesel::joinable!(gateway_events -> online_checkouts (checkout_id));
diesel::joinable!(messages -> customers (customer_id));
diesel::joinable!(messages -> invoices (invoice_id));
diesel::joinable!(notification_preferences -> customers (customer_id));
diesel::joinable!(email_bounces -> messages (message_id));
diesel::joinable!(prepaid_cards -> prepaid_card_batches (batch_id));
diesel::joinable!(prepaid_cards -> payments (payment_id));
diesel::joinable!(payment_import_lines -> payment_imports (import_id));
diesel::joinable!(payment_import_lines -> payments (payment_id));
diesel::joinable!(tills -> sales_points (sales_point_id));
diesel::joinable!(tills -> users (cashier_id));

diesel::table! {
    complaints (id) {
        id -> BigInt,
        number -> Text,
        customer_id -> BigInt,
        channel -> Text,
        received_at -> Timestamp,
        received_on -> Date,
        subject -> Text,
        claim -> Text,
        concerns_from -> Nullable<Date>,
        concerns_until -> Nullable<Date>,
        amount_claimed_minor -> Nullable<BigInt>,
        currency -> Text,
        refund_demanded -> Bool,
        topic_id -> Nullable<BigInt>,
        language -> Text,
        jurisdiction -> Text,
        acknowledge_by -> Date,
        decide_by -> Date,
        claim_until -> Nullable<Date>,
        time_barred -> Bool,
        repeat_of -> Nullable<BigInt>,
        status -> Text,
        acknowledged_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        granted_minor -> Nullable<BigInt>,
        reasoning -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Text>,
        approved_by -> Nullable<Text>,
        credited_minor -> Nullable<BigInt>,
        registered_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    complaint_proposals (complaint_id) {
        complaint_id -> BigInt,
        outcome -> Text,
        granted_minor -> BigInt,
        reasoning -> Text,
        proposed_by -> Text,
        proposed_by_user_id -> Nullable<BigInt>,
        proposed_at -> Timestamp,
    }
}

diesel::table! {
    complaint_invoices (complaint_id, invoice_id) {
        complaint_id -> BigInt,
        invoice_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    complaint_events (id) {
        id -> BigInt,
        complaint_id -> BigInt,
        kind -> Text,
        note -> Nullable<Text>,
        invoice_id -> Nullable<BigInt>,
        document_id -> Nullable<BigInt>,
        recorded_by -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    preventive_measures (id) {
        id -> BigInt,
        topic_id -> BigInt,
        description -> Text,
        owner -> Text,
        due_on -> Date,
        done_on -> Nullable<Date>,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    calendar_days (jurisdiction, day) {
        jurisdiction -> Text,
        day -> Date,
        kind -> Text,
        name -> Text,
    }
}

diesel::joinable!(complaints -> customers (customer_id));
diesel::joinable!(complaints -> topics (topic_id));
diesel::joinable!(complaint_proposals -> complaints (complaint_id));
diesel::joinable!(complaint_invoices -> complaints (complaint_id));
diesel::joinable!(complaint_invoices -> invoices (invoice_id));
diesel::joinable!(complaint_events -> complaints (complaint_id));
diesel::joinable!(preventive_measures -> topics (topic_id));

diesel::allow_tables_to_appear_in_same_query!(
    departments,
    sla_policies,
    opening_hours,
    incidents,
    diagnostic_scripts,
    diagnostic_script_versions,
    tickets,
    ticket_events,
    ticket_attachments,
    script_runs,
    technician_slots,
    visits,
    kb_articles,
    complaints,
    complaint_invoices,
    complaint_proposals,
    complaint_events,
    preventive_measures,
    calendar_days,
    number_sequences,
    message_templates,
    email_bounces,
    sales_points,
    users,
    customers,
    cabinet_accounts,
    auth_sessions,
    refresh_tokens,
    login_throttles,
    api_keys,
    topics,
    consents,
    interactions,
    disclosures,
    audit_log,
    tariffs,
    tariff_versions,
    products,
    contracts,
    subscriptions,
    subscription_tariffs,
    contract_suspensions,
    contract_events,
    customer_benefits,
    documents,
    retention_contacts,
    contract_requests,
    usage_events,
    meters,
    meter_readings,
    billing_runs,
    billing_run_items,
    invoices,
    invoice_lines,
    account_entries,
    payments,
    allocations,
    tills,
    payment_imports,
    payment_import_lines,
    bank_csv_mappings,
    prepaid_card_batches,
    prepaid_cards,
    online_checkouts,
    gateway_events,
    messages,
    notification_preferences,
);

// Technical problems (R-50..R-53, R-60). `kb_articles.search` (PostgreSQL) and
// `kb_articles_fts` (SQLite) are read only by the full-text queries in `knowledge.rs`.

diesel::table! {
    departments (code) {
        code -> Text,
        name_en -> Text,
        name_pl -> Nullable<Text>,
        name_ru -> Nullable<Text>,
        active -> Bool,
        position -> Integer,
    }
}

diesel::table! {
    sla_policies (priority) {
        priority -> Text,
        first_response_minutes -> Integer,
        next_update_minutes -> Integer,
        resolution_minutes -> Integer,
        around_the_clock -> Bool,
    }
}

diesel::table! {
    opening_hours (weekday) {
        weekday -> Integer,
        opens -> Nullable<Text>,
        closes -> Nullable<Text>,
    }
}

diesel::table! {
    incidents (id) {
        id -> BigInt,
        number -> Text,
        category -> Text,
        scope -> Text,
        area_key -> Text,
        area -> Text,
        status -> Text,
        detected -> Bool,
        detected_at -> Timestamp,
        opened_at -> Nullable<Timestamp>,
        opened_by -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        resolved_by -> Nullable<Text>,
        resolution_note -> Nullable<Text>,
    }
}

diesel::table! {
    diagnostic_scripts (id) {
        id -> BigInt,
        name -> Text,
        category -> Nullable<Text>,
        active -> Bool,
        current_version -> Integer,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::table! {
    diagnostic_script_versions (id) {
        id -> BigInt,
        script_id -> BigInt,
        version -> Integer,
        body -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tickets (id) {
        id -> BigInt,
        number -> Text,
        customer_id -> BigInt,
        subscription_id -> Nullable<BigInt>,
        category -> Text,
        priority -> Text,
        department -> Text,
        assignee_id -> Nullable<BigInt>,
        status -> Text,
        title -> Text,
        description -> Text,
        source -> Text,
        service_address -> Nullable<Text>,
        area_building -> Nullable<Text>,
        area_street -> Nullable<Text>,
        area_postcode -> Nullable<Text>,
        network_node -> Nullable<Text>,
        incident_id -> Nullable<BigInt>,
        interaction_id -> Nullable<BigInt>,
        opened_by -> Text,
        opened_by_user_id -> Nullable<BigInt>,
        opened_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    ticket_events (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        kind -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        department -> Nullable<Text>,
        assignee_id -> Nullable<BigInt>,
        body -> Nullable<Text>,
        visible_to_customer -> Bool,
        by_customer -> Bool,
        recorded_by -> Text,
        user_id -> Nullable<BigInt>,
        at -> Timestamp,
    }
}

diesel::table! {
    ticket_attachments (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        content -> Binary,
        visible_to_customer -> Bool,
        uploaded_by -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    script_runs (id) {
        id -> BigInt,
        script_version_id -> BigInt,
        customer_id -> BigInt,
        interaction_id -> Nullable<BigInt>,
        ticket_id -> Nullable<BigInt>,
        path -> Text,
        current_node -> Nullable<Text>,
        outcome -> Nullable<Text>,
        started_by -> Text,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    technician_slots (id) {
        id -> BigInt,
        technician_id -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    visits (id) {
        id -> BigInt,
        slot_id -> BigInt,
        ticket_id -> BigInt,
        customer_id -> BigInt,
        status -> Text,
        note -> Nullable<Text>,
        outcome -> Nullable<Text>,
        outcome_note -> Nullable<Text>,
        booked_by -> Text,
        booked_at -> Timestamp,
        reported_by -> Nullable<Text>,
        reported_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    kb_articles (id) {
        id -> BigInt,
        title -> Text,
        body -> Text,
        language -> Text,
        topic_id -> Nullable<BigInt>,
        public -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::joinable!(tickets -> customers (customer_id));
diesel::joinable!(tickets -> incidents (incident_id));
diesel::joinable!(tickets -> departments (department));
diesel::joinable!(ticket_events -> tickets (ticket_id));
diesel::joinable!(ticket_attachments -> tickets (ticket_id));
diesel::joinable!(diagnostic_script_versions -> diagnostic_scripts (script_id));
diesel::joinable!(script_runs -> diagnostic_script_versions (script_version_id));
diesel::joinable!(technician_slots -> users (technician_id));
diesel::joinable!(visits -> technician_slots (slot_id));
diesel::joinable!(visits -> tickets (ticket_id));
diesel::joinable!(kb_articles -> topics (topic_id));
