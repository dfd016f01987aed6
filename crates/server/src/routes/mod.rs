//! The HTTP routes, a module per feature. Each handler declares its permission twice on
//! purpose: as its `Authorized<perm::…>` extractor, which enforces it, and as the
//! `x-okno-permission` extension of its OpenAPI operation, which documents it; the role-matrix
//! test calls every operation of the spec with every role and fails if the two disagree.

pub mod api_keys;
pub mod audit_log;
pub mod auth;
pub mod benefits;
pub mod billing;
pub mod cabinet;
pub mod complaints;
pub mod consents;
pub mod contracts;
pub mod customers;
pub mod disclosures;
pub mod documents;
pub mod health;
pub mod interactions;
pub mod knowledge;
pub mod ledger;
pub mod notifications;
pub mod online_payments;
pub mod payments;
pub mod reference;
pub mod requests;
pub mod retention;
pub mod tariffs;
pub mod tickets;
pub mod usage;
pub mod users;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`.
pub fn api(cfg: &mut ServiceConfig<'_>) {
    cfg.service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(auth::me)
        .service(auth::change_password)
        .service(users::list_users)
        .service(users::create_user)
        .service(users::get_user)
        .service(users::update_user)
        .service(api_keys::list_api_keys)
        .service(api_keys::create_api_key)
        .service(api_keys::revoke_api_key)
        .service(reference::list_sales_points)
        .service(reference::create_sales_point)
        .service(reference::get_sales_point)
        .service(reference::list_topics)
        .service(reference::create_topic)
        .service(reference::update_topic)
        .service(customers::list_customers)
        .service(customers::create_customer)
        .service(customers::customer_duplicates)
        .service(customers::get_customer)
        .service(customers::update_customer)
        .service(consents::list_consents)
        .service(consents::grant_consent)
        .service(consents::withdraw_consent)
        .service(interactions::list_interactions)
        .service(interactions::create_interaction)
        .service(interactions::customer_timeline)
        .service(disclosures::list_disclosures)
        .service(disclosures::create_disclosure)
        .service(cabinet::issue_activation)
        .service(cabinet::activate)
        .service(cabinet::request_password_reset)
        .service(cabinet::my_profile)
        .service(cabinet::update_my_profile)
        .service(cabinet::my_consents)
        .service(cabinet::grant_my_consent)
        .service(cabinet::withdraw_my_consent)
        .service(cabinet::my_interactions)
        .service(audit_log::audit_log)
        .service(ledger::ledger_check)
        .service(billing::start_billing_run)
        .service(billing::list_billing_runs)
        .service(billing::get_billing_run)
        .service(billing::list_invoices)
        .service(billing::get_invoice)
        .service(billing::invoice_pdf_file)
        .service(billing::correct_invoice)
        .service(billing::customer_account)
        .service(billing::my_invoices)
        .service(billing::my_invoice)
        .service(billing::my_invoice_pdf)
        .service(billing::my_account)
        .service(payments::register_payment)
        .service(payments::list_payments)
        .service(payments::get_payment)
        .service(payments::reverse_payment)
        .service(payments::payment_receipt)
        .service(payments::open_till)
        .service(payments::current_till)
        .service(payments::close_till)
        .service(payments::list_tills)
        .service(payments::get_till)
        .service(payments::import_statement)
        .service(payments::list_imports)
        .service(payments::get_import)
        .service(payments::list_import_lines)
        .service(payments::assign_import_line)
        .service(payments::list_csv_mappings)
        .service(payments::save_csv_mapping)
        .service(payments::create_card_batch)
        .service(payments::list_card_batches)
        .service(payments::redeem_card)
        .service(payments::redeem_my_card)
        .service(payments::my_payments)
        .service(payments::my_payment_receipt)
        .service(notifications::list_messages)
        .service(notifications::customer_preferences)
        .service(notifications::set_customer_preference)
        .service(notifications::my_preferences)
        .service(notifications::set_my_preference)
        .service(notifications::resend_message)
        .service(notifications::list_bounces)
        .service(notifications::report_bounce)
        .service(notifications::clear_bounce)
        .service(notifications::list_templates)
        .service(notifications::preview_template)
        .service(notifications::save_template)
        .service(notifications::revert_template)
        .service(online_payments::start_my_online_payment)
        .service(online_payments::my_online_payments)
        .service(online_payments::my_online_payment)
        .service(online_payments::stripe_webhook)
        .service(usage::post_usage)
        .service(usage::list_meters)
        .service(usage::post_meter)
        .service(usage::list_readings)
        .service(usage::post_reading)
        .service(usage::my_meters)
        .service(usage::my_reading)
        .service(tariffs::list_tariffs)
        .service(tariffs::tariffs_on_sale)
        .service(tariffs::create_tariff)
        .service(tariffs::get_tariff)
        .service(tariffs::update_tariff)
        .service(tariffs::tariff_versions)
        .service(tariffs::publish_version)
        .service(tariffs::list_products)
        .service(tariffs::create_product)
        .service(contracts::list_contracts)
        .service(contracts::create_contract)
        .service(contracts::get_contract)
        .service(contracts::update_contract)
        .service(contracts::sign_contract)
        .service(contracts::approve_contract)
        .service(contracts::reject_contract)
        .service(contracts::suspend_contract)
        .service(contracts::resume_contract)
        .service(contracts::terminate_contract)
        .service(contracts::withdraw_contract)
        .service(contracts::cancel_termination)
        .service(contracts::cancel_contract)
        .service(contracts::draft_pdf)
        .service(contracts::tariff_change)
        .service(contracts::terms_change)
        .service(contracts::contract_events)
        .service(documents::contract_documents)
        .service(documents::customer_documents)
        .service(documents::document_pdf)
        .service(documents::my_documents)
        .service(documents::my_document_pdf)
        .service(retention::worklist)
        .service(retention::retention_contacts)
        .service(retention::record_retention_contact)
        .service(requests::list_requests)
        .service(requests::decide_request)
        .service(requests::my_contracts)
        .service(requests::my_requests)
        .service(requests::create_my_request)
        .service(benefits::list_benefits)
        .service(benefits::create_benefit)
        .service(benefits::update_benefit)
        .service(complaints::list_complaints)
        .service(complaints::register_complaint)
        .service(complaints::get_complaint)
        .service(complaints::acknowledge_complaint)
        .service(complaints::decide_complaint)
        .service(complaints::review_decision)
        .service(complaints::compensation_preview)
        .service(complaints::export_complaints)
        .service(complaints::complaint_monitoring)
        .service(complaints::list_measures)
        .service(complaints::add_measure)
        .service(complaints::mark_measure)
        .service(complaints::complaint_profile)
        .service(complaints::calendar_days)
        .service(complaints::load_calendar_year)
        .service(complaints::my_complaints)
        .service(complaints::file_my_complaint)
        .service(complaints::my_complaint)
        .configure(tickets::routes)
        .configure(knowledge::routes);
}

/// Health and metrics, outside `/api/v1`.
pub fn infrastructure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(health::metrics);
}
