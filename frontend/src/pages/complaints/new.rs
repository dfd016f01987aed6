//! `/customers/:id/complaints/new`: a complaint received by any channel, registered from the
//! customer's card: the channel and when it came, what is claimed, the invoices it is
//! about (the customer's own), the topic, and whether its receipt is confirmed at once.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use okno_api_types::billing::{InvoiceKind, InvoiceQuery, InvoiceSummary};
use okno_api_types::complaints::{ComplaintChannel, NewComplaint};
use okno_api_types::customers::Customer;

use super::claim::{Claim, ClaimFields};
use super::register::load_topics;
use crate::api::{self, Failure};
use crate::components::forms::{
    Checkbox, ErrorSummary, Field, FormErrors, Select, enum_options, error_of,
};
use crate::components::status::Loaded;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::session::use_session;
use crate::time::language;

/// The channels staff register a complaint from; the cabinet and the API file their own.
const STAFF_CHANNELS: [ComplaintChannel; 5] = [
    ComplaintChannel::Phone,
    ComplaintChannel::Email,
    ComplaintChannel::Letter,
    ComplaintChannel::Fax,
    ComplaintChannel::InPerson,
];

/// A `datetime-local` input's value for a UTC instant, in the browser's time zone.
fn local_input(at: DateTime<Utc>) -> String {
    crate::time::local(at).format("%Y-%m-%dT%H:%M").to_string()
}

/// The instant a `datetime-local` value (the browser's time zone) stands for.
fn from_local_input(value: &str) -> Option<DateTime<Utc>> {
    if value.trim().is_empty() {
        return None;
    }
    let millis = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value)).get_time();
    if millis.is_nan() {
        return None;
    }
    DateTime::from_timestamp_millis(millis as i64)
}

/// The customer's invoices to pick from, newest first.
pub fn customer_invoices(
    customer_id: i64,
) -> RwSignal<Option<Result<Vec<InvoiceSummary>, Failure>>> {
    let session = use_session();
    let invoices = RwSignal::new(None::<Result<Vec<InvoiceSummary>, Failure>>);
    leptos::task::spawn_local(async move {
        let query = InvoiceQuery {
            customer_id: Some(customer_id),
            kind: Some(InvoiceKind::Invoice),
            limit: Some(24),
            ..InvoiceQuery::default()
        };
        invoices.set(Some(
            api::call(session, async |client| client.invoices(&query).await)
                .await
                .map(|page| page.items),
        ));
    });
    invoices
}

#[component]
pub fn NewComplaint() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let params = use_params_map();
    let customer_id = params
        .with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()))
        .unwrap_or(0);
    provide_context(FormErrors::default());
    let customer = RwSignal::new(None::<Result<Customer, Failure>>);
    leptos::task::spawn_local(async move {
        customer.set(Some(
            api::call(session, async |client| client.customer(customer_id).await).await,
        ));
    });
    let invoices = customer_invoices(customer_id);
    let topics = load_topics();
    let channel = RwSignal::new(ComplaintChannel::Phone.as_str().to_owned());
    // Now, unless the complaint came earlier (a letter opened today arrived before).
    let now = local_input(Utc::now());
    let received = RwSignal::new(now.clone());
    let topic = RwSignal::new(String::new());
    let acknowledge = RwSignal::new(false);
    let claim = Claim::new();
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let in_person = move || channel.get() == ComplaintChannel::InPerson.as_str();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(amount) = claim.amount_minor() else {
            crate::components::forms::focus_first_invalid(form);
            return;
        };
        let typed = received.get_untracked();
        let complaint = NewComplaint {
            customer_id,
            channel: channel
                .get_untracked()
                .parse()
                .unwrap_or(ComplaintChannel::Phone),
            // Untouched, it is "now" as the server sees it.
            received_at: if typed == now {
                None
            } else {
                from_local_input(&typed)
            },
            subject: claim.subject.get_untracked(),
            description: claim.description.get_untracked(),
            concerns_from: Claim::day(claim.concerns_from),
            concerns_until: Claim::day(claim.concerns_until),
            invoice_ids: claim.invoices.get_untracked(),
            amount_claimed_minor: amount,
            refund_demanded: claim.refund_demanded.get_untracked(),
            topic_id: topic.get_untracked().parse().ok(),
            acknowledge_now: acknowledge.get_untracked(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.register_complaint(&complaint).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(registered) => {
                    failure.set(None);
                    toasts.success(td_string!(
                        locale,
                        complaints.registered,
                        number = registered.summary.number.clone()
                    ));
                    navigate.try_with_value(|n| {
                        n(
                            &format!("/complaints/{}", registered.summary.id),
                            Default::default(),
                        )
                    });
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    let topic_options = Signal::derive(move || {
        let locale = language(i18n.get_locale());
        std::iter::once((String::new(), t_string!(i18n, contact.no_topic).to_owned()))
            .chain(
                topics
                    .get()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|t| t.active)
                    .map(|t| (t.id.to_string(), t.name.get(locale).to_owned())),
            )
            .collect()
    });

    view! {
        <section class="page" data-testid="new-complaint">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, complaints.new_title))}</h1>
                    <Loaded value=move || customer.get() let:c>
                        <p class="lead" data-testid="complaint-customer">
                            {tr(|l| td_string!(l, complaints.customer))} ": "
                            <A href=format!("/customers/{}", c.id)>{c.display_name.clone()}</A>
                            " · " <span class="mono">{c.account_number.clone()}</span>
                        </p>
                    </Loaded>
                </div>
            </div>
            <form class="panel form form-wide" node_ref=form on:submit=submit novalidate data-testid="complaint-form">
                <ErrorSummary />
                <div class="grid-3">
                    <Select label=label(|l| td_string!(l, complaints.channel)) value=channel name="channel" options=enum_options(STAFF_CHANNELS, labels::complaint_channel) error=error_of(failure, "channel") />
                    <Field label=label(|l| td_string!(l, complaints.received_at)) value=received name="received_at" input_type="datetime-local" required=true error=error_of(failure, "received_at") />
                    <Select label=label(|l| td_string!(l, complaints.topic)) value=topic name="topic_id" options=topic_options error=error_of(failure, "topic_id") />
                </div>
                <ClaimFields claim failure invoices=invoices.into() />
                <div class="field">
                    <Show
                        when=in_person
                        fallback=move || view! { <Checkbox label=label(|l| td_string!(l, complaints.acknowledge_now)) checked=acknowledge name="acknowledge_now" /> }
                    >
                        <p class="field-hint" data-testid="acknowledged-in-person">{tr(|l| td_string!(l, complaints.in_person_acknowledged))}</p>
                    </Show>
                    <p class="field-hint">{tr(|l| td_string!(l, complaints.acknowledge_hint))}</p>
                </div>
                <div class="form-actions">
                    <A href=format!("/customers/{customer_id}") attr:class="button-quiet">{tr(|l| td_string!(l, common.cancel))}</A>
                    <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="register-complaint">
                        {tr(|l| td_string!(l, complaints.register))}
                    </button>
                </div>
            </form>
        </section>
    }
}
