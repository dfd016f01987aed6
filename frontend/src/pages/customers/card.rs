//! `/customers/:id`: the one-window customer card. Identity and contacts, consents, the
//! timeline, and the form to log this contact, all on one screen: the operator never leaves
//! the card to do the common things.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use okno_api_types::customers::Customer;
use okno_api_types::{CustomerKind, Permission};

use super::consents::ConsentsPanel;
use super::contact_log::LogContact;
use super::messages::MessagesPanel;
use super::services::{CustomerBenefits, CustomerContracts, CustomerDocuments};
use super::timeline::Timeline;
use crate::api::{self, Failure};
use crate::components::latest::Latest;
use crate::components::status::{FailureNote, Loading, StatusBadge};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::pages::billing::{AccountPanel, MetersPanel};
use crate::pages::complaints::CustomerComplaints;
use crate::pages::notifications::{NotificationPreferences, Whose};
use crate::pages::tickets::{CustomerTickets, OutageBanner};
use crate::session::use_session;

/// Why the console opens a card, for the audit log.
const ACCESS_PURPOSE: &str = "customer card (console)";

#[component]
pub fn CustomerCard() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let customer = RwSignal::new(None::<Result<Customer, Failure>>);
    let timeline_version = RwSignal::new(0_u32);
    let topics = LocalResource::new(move || async move {
        api::call(session, async |client| client.topics().await)
            .await
            .unwrap_or_default()
    });

    // Opening another card while this one loads: the answer for the first must not land
    // on the second.
    let latest = Latest::new();
    Effect::new(move |_| {
        let Some(id) = id.get() else {
            return;
        };
        customer.set(None);
        latest.spawn(
            api::call(session, async move |client| {
                client.with_purpose(ACCESS_PURPOSE).customer(id).await
            }),
            move |result| customer.set(Some(result)),
        );
    });

    // A known outage at the customer's address shows first, while the card still loads: the
    // operator knows it before asking anything.
    let banner = move || id.get().map(|id| view! { <OutageBanner customer_id=id /> });
    let card = move || match (id.get(), customer.get()) {
        (None, _) => {
            view! { <p class="failure">{tr(|l| td_string!(l, error.not_found))}</p> }.into_any()
        }
        (_, None) => view! { <Loading /> }.into_any(),
        (_, Some(Err(failure))) => view! { <FailureNote failure=failure /> }.into_any(),
        (Some(id), Some(Ok(card))) => {
            let topics = Signal::derive(move || topics.get().unwrap_or_default());
            view! {
                <section class="page card" data-testid="customer-card">
                    <CardHeader card=card.clone() />
                    <div class="card-grid">
                        <div class="card-main">
                            <Show when=move || session.has(Permission::InteractionsWrite)>
                                <LogContact customer_id=id topics=topics on_logged=move || timeline_version.update(|v| *v += 1) />
                            </Show>
                            <Show when=move || session.has(Permission::ContractsRead)>
                                <CustomerContracts customer_id=id />
                            </Show>
                            <Show when=move || session.has(Permission::TicketsRead)>
                                <CustomerTickets customer_id=id />
                            </Show>
                            <Show when=move || session.has(Permission::ComplaintsRead)>
                                <CustomerComplaints customer_id=id />
                            </Show>
                            <Timeline customer_id=id topics=topics version=timeline_version />
                        </div>
                        <aside class="card-side">
                            <ContactData card=card.clone() />
                            <ConsentsPanel customer_id=id on_change=move || timeline_version.update(|v| *v += 1) />
                            <MessagesPanel customer_id=id />
                            <NotificationPreferences whose=Whose::Customer(id) can_change=session.has(Permission::CustomersWrite) />
                            <Show when=move || session.has(Permission::InvoicesRead)>
                                <AccountPanel customer_id=id />
                            </Show>
                            <Show when=move || session.has(Permission::ContractsRead)>
                                <MetersPanel customer_id=id can_record=session.has(Permission::MeterReadingsWrite) />
                            </Show>
                            <CustomerBenefits customer_id=id />
                            <Show when=move || session.has(Permission::ContractsRead)>
                                <CustomerDocuments customer_id=id />
                            </Show>
                            <Show when=move || session.has(Permission::CabinetAccessIssue)>
                                <CabinetAccess customer_id=id active=card.cabinet_active />
                            </Show>
                        </aside>
                    </div>
                </section>
            }
            .into_any()
        }
    };
    view! { {banner} {card} }
}

#[component]
fn CardHeader(card: Customer) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let edit = format!("/customers/{}/edit", card.id);
    let tax_id = card.tax_id.clone().map(|t| t.formatted);
    view! {
        <div class="card-head">
            <div>
                <h1 data-testid="customer-name">{card.display_name.clone()}</h1>
                <p class="card-facts">
                    <span class="mono" title=move || t_string!(i18n, customers.account_number)>{card.account_number.clone()}</span>
                    <StatusBadge status=card.status />
                    <span class="chip">{move || labels::segment(i18n.get_locale(), card.segment)}</span>
                    <span class="chip">{move || labels::kind(i18n.get_locale(), card.kind)}</span>
                    <span class="chip" title=move || t_string!(i18n, customers.language)>
                        {move || labels::language(i18n.get_locale(), card.preferred_language)}
                    </span>
                    {tax_id.map(|t| view! { <span class="chip">{move || t_string!(i18n, customers.tax_id)} ": " {t.clone()}</span> })}
                </p>
            </div>
            <Show when=move || session.has(Permission::CustomersWrite)>
                <A href=edit.clone() attr:class="button" attr:data-testid="edit-customer">
                    {tr(|l| td_string!(l, common.edit))}
                </A>
            </Show>
        </div>
    }
}

#[component]
fn ContactData(card: Customer) -> impl IntoView {
    let i18n = use_i18n();
    let notes = card.notes.clone();
    view! {
        <div class="panel">
            <h2>{tr(|l| td_string!(l, customers.contact_data))}</h2>
            <dl class="facts">
                {card
                    .phones
                    .iter()
                    .map(|p| {
                        let href = format!("tel:{}", p.value.replace(' ', ""));
                        view! {
                            <dt>
                                {move || t_string!(i18n, customers.phone)}
                                {
                                    let shown = p.label.clone();
                                    move || shown.as_deref().map(|l| format!(" ({})", labels::phone_label(i18n.get_locale(), l)))
                                }
                            </dt>
                            <dd><a href=href>{okno_domain::customers::shown_phone(&p.value)}</a></dd>
                        }
                    })
                    .collect_view()}
                {card
                    .emails
                    .iter()
                    .map(|e| {
                        let href = format!("mailto:{}", e.value);
                        view! {
                            <dt>{move || t_string!(i18n, customers.email)}</dt>
                            <dd><a href=href>{e.value.clone()}</a></dd>
                        }
                    })
                    .collect_view()}
                {card
                    .addresses
                    .iter()
                    .map(|a| {
                        let kind = a.kind;
                        view! {
                            <dt>{move || labels::address_kind(i18n.get_locale(), kind)}</dt>
                            <dd>{a.one_line()}</dd>
                        }
                    })
                    .collect_view()}
                {(card.kind == CustomerKind::Organisation)
                    .then(|| view! {
                        <dt>{move || t_string!(i18n, customers.organisation_name)}</dt>
                        <dd>{card.organisation_name.clone()}</dd>
                    })}
            </dl>
            {notes.map(|n| view! { <p class="notes"><strong>{tr(|l| td_string!(l, customers.notes))} ": "</strong>{n}</p> })}
        </div>
    }
}

#[component]
fn CabinetAccess(customer_id: i64, active: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let code = RwSignal::new(None::<okno_api_types::cabinet::ActivationCode>);
    let issue = move |_| {
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| {
                client.issue_activation(customer_id).await
            })
            .await
            {
                Ok(issued) => code.set(Some(issued)),
                Err(failure) => toasts.failure(i18n.get_locale_untracked(), &failure),
            }
        });
    };
    view! {
        <div class="panel">
            <h2>{tr(|l| td_string!(l, cabinet.access))}</h2>
            <p class="muted">
                {move || if active { t_string!(i18n, cabinet.active) } else { t_string!(i18n, cabinet.inactive) }}
            </p>
            <button class="button" data-testid="issue-activation" on:click=issue>
                {move || if active { t_string!(i18n, cabinet.reset_code) } else { t_string!(i18n, cabinet.issue_code) }}
            </button>
            {move || {
                code.get()
                    .map(|issued| {
                        let expires = crate::time::date(issued.expires_at, i18n.get_locale());
                        view! {
                            <div class="secret" data-testid="activation-code">
                                <span class="mono secret-value">{issued.code.clone()}</span>
                                <span class="muted">{t!(i18n, cabinet.code_expires, date = expires)}</span>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
