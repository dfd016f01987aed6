//! What the customer card shows of technical problems: a banner at its very top when a known
//! outage covers one of the customer's service addresses (the operator sees it before asking
//! anything), and the customer's open tickets with the ways to open a new one and to diagnose
//! the fault with a script.

use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::Permission;
use okno_api_types::tickets::{CustomerOutage, IncidentStatus, TicketQuery, TicketSummary};

use super::parts::{TicketTable, load_departments};
use crate::api::{self, Failure};
use crate::components::status::LoadedList;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::use_session;
use crate::time;

/// Known outages at the customer's addresses, first on the card.
#[component]
pub fn OutageBanner(customer_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let outages = RwSignal::new(Vec::<CustomerOutage>::new());
    if session.has(Permission::TicketsRead) {
        leptos::task::spawn_local(async move {
            if let Ok(list) = api::call(session, async |client| {
                client.customer_outages(customer_id).await
            })
            .await
            {
                outages.set(list);
            }
        });
    }
    move || {
        let list = outages.get();
        (!list.is_empty()).then(|| view! {
            <div class="outage-banner" role="alert" data-testid="outage-banner">
                <p class="outage-title">
                    <span class="outage-mark" aria-hidden="true">"!"</span>
                    {tr(|l| td_string!(l, tickets.outage_banner))}
                </p>
                <ul class="plain">
                    {list.into_iter().map(|o| {
                        let (category, status, since) = (o.category, o.status, o.since);
                        view! {
                            <li data-testid="outage" data-incident=o.incident_id>
                                <A href=format!("/incidents/{}", o.incident_id) attr:class="mono">{o.number.clone()}</A>
                                " · "
                                <strong>{move || labels::ticket_category(i18n.get_locale(), category)}</strong>
                                " · " <span class="wrap-anywhere">{o.area.clone()}</span>
                                " · "
                                {move || t_string!(i18n, tickets.outage_since, at = time::date_time(since, i18n.get_locale())).to_string()}
                                " "
                                <span class="badge">{move || labels::incident_status(i18n.get_locale(), status)}</span>
                                <br />
                                <span class="small">{move || if status == IncidentStatus::Open { t_string!(i18n, tickets.outage_say_open) } else { t_string!(i18n, tickets.outage_say_proposed) }}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        })
    }
}

/// The customer's open tickets, a new one, and the diagnosis.
#[component]
pub fn CustomerTickets(customer_id: i64) -> impl IntoView {
    let session = use_session();
    let tickets = RwSignal::new(None::<Result<Vec<TicketSummary>, Failure>>);
    let departments = load_departments();
    leptos::task::spawn_local(async move {
        let query = TicketQuery {
            customer_id: Some(customer_id),
            limit: Some(20),
            ..TicketQuery::default()
        };
        tickets.set(Some(
            api::call(session, async |client| client.tickets(&query).await)
                .await
                .map(|list| list.items),
        ));
    });
    view! {
        <div class="panel" data-testid="customer-tickets">
            <div class="panel-head">
                <h2>{tr(|l| td_string!(l, tickets.title))}</h2>
                <Show when=move || session.has(Permission::TicketsWrite)>
                    <div class="row">
                        <A href=format!("/customers/{customer_id}/diagnose") attr:class="button-small button-primary" attr:data-testid="diagnose">
                            {tr(|l| td_string!(l, runner.diagnose))}
                        </A>
                        <A href=format!("/customers/{customer_id}/tickets/new") attr:class="button-small" attr:data-testid="new-ticket">
                            {tr(|l| td_string!(l, tickets.new_ticket))}
                        </A>
                    </div>
                </Show>
            </div>
            <LoadedList value=move || tickets.get() empty=|l| td_string!(l, tickets.none_open_for_customer) let:list>
                <TicketTable tickets=Signal::derive(move || list.clone()) departments without_customer=true />
            </LoadedList>
            <p class="small">
                <A href=format!("/tickets?customer_id={customer_id}&open=false")>{tr(|l| td_string!(l, tickets.closed_of_customer))}</A>
            </p>
        </div>
    }
}
