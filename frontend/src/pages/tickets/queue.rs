//! `/tickets`: the queues. A tab per department, the tickets in the SLA order
//! the server gives (the most urgent first), each row coloured by its SLA flag and saying the
//! time left; how many are breached and near; filters kept in the address.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use okno_api_types::Permission;
use okno_api_types::tickets::{
    SlaFlag, TicketCategory, TicketList, TicketPriority, TicketQuery, TicketStatus,
};

use super::parts::{TicketTable, load_departments};
use crate::api::{self, Failure};
use crate::components::filter::{EnumFilter, query_string};
use crate::components::latest::Latest;
use crate::components::status::{Empty, FailureNote, Loading};
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::use_session;
use crate::time::language;

/// The most a queue shows at once; the counts cover all.
const SHOWN: u32 = 200;

#[component]
pub fn TicketsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query_map = use_query_map();
    let navigate = use_navigate();
    let from_url = |name: &'static str| {
        query_map
            .with_untracked(|q| q.get(name))
            .unwrap_or_default()
    };
    let department = RwSignal::new(from_url("department"));
    let status = RwSignal::new(from_url("status"));
    let closed = RwSignal::new(from_url("open") == "false");
    let category = RwSignal::new(from_url("category"));
    let priority = RwSignal::new(from_url("priority"));
    let flag = RwSignal::new(from_url("flag"));
    let number = RwSignal::new(from_url("number"));
    let assignee = RwSignal::new(from_url("assignee_id").parse::<i64>().ok());
    let customer_id = RwSignal::new(from_url("customer_id").parse::<i64>().ok());
    let incident_id = RwSignal::new(from_url("incident_id").parse::<i64>().ok());
    let departments = load_departments();
    let list = RwSignal::new(None::<Result<TicketList, Failure>>);
    let latest = Latest::new();
    let me = session.me().map(|m| m.id);

    Effect::new(move |_| {
        let id = |s: RwSignal<Option<i64>>| s.get().map(|v| v.to_string()).unwrap_or_default();
        let search = query_string(&[
            ("department", department.get()),
            ("status", status.get()),
            (
                "open",
                if closed.get() {
                    "false".into()
                } else {
                    String::new()
                },
            ),
            ("category", category.get()),
            ("priority", priority.get()),
            ("flag", flag.get()),
            ("number", number.get().trim().to_owned()),
            ("assignee_id", id(assignee)),
            ("customer_id", id(customer_id)),
            ("incident_id", id(incident_id)),
        ]);
        if window().location().search().unwrap_or_default() != search {
            navigate(
                &format!("/tickets{search}"),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
        let chosen_status = status.get_untracked().parse::<TicketStatus>().ok();
        let query = TicketQuery {
            department: Some(department.get_untracked()).filter(|d| !d.is_empty()),
            status: chosen_status,
            // A status asked for is found whether open or not; else open ones unless the
            // resolved and closed are asked for.
            open: match chosen_status {
                Some(s) => Some(s.is_open()),
                None => closed.get_untracked().then_some(false),
            },
            assignee_id: assignee.get_untracked(),
            customer_id: customer_id.get_untracked(),
            category: category.get_untracked().parse().ok(),
            priority: priority.get_untracked().parse().ok(),
            flag: flag.get_untracked().parse().ok(),
            incident_id: incident_id.get_untracked(),
            number: Some(number.get_untracked().trim().to_owned()).filter(|n| !n.is_empty()),
            limit: Some(SHOWN),
        };
        latest.spawn(
            api::call(session, async move |client| client.tickets(&query).await),
            move |result| list.set(Some(result)),
        );
    });

    let tab = move |code: String, name: Signal<String>| {
        let (chosen, pressed) = (code.clone(), code.clone());
        view! {
            <button
                type="button"
                class="lang"
                class:lang-active=move || department.get() == code
                aria-pressed=move || (department.get() == pressed).to_string()
                data-testid="department-tab"
                data-code=chosen.clone()
                on:click=move |_| department.set(chosen.clone())
            >
                {name}
            </button>
        }
    };
    let chip = move |signal: RwSignal<Option<i64>>,
                     text: fn(Locale, i64) -> String,
                     href: fn(i64) -> String,
                     testid: &'static str| {
        move || {
            signal.get().map(|id| view! {
            <p class="filter-chip" data-testid=testid>
                <A href=href(id)>{move || text(i18n.get_locale(), id)}</A>
                " "
                <button type="button" class="button-small" on:click=move |_| signal.set(None)>{tr(|l| td_string!(l, tickets.clear_filter))}</button>
            </p>
        })
        }
    };

    view! {
        <section class="page" data-testid="tickets">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, tickets.title))}</h1>
                    <p class="lead">{tr(|l| td_string!(l, tickets.lead))}</p>
                </div>
                <Show when=move || session.has(Permission::TicketSettingsManage)>
                    <A href="/tickets/settings" attr:class="button" attr:data-testid="ticket-settings-link">{tr(|l| td_string!(l, tickets.settings))}</A>
                </Show>
            </div>
            <div class="toggles tabs" role="group" aria-label=move || t_string!(i18n, tickets.department) data-testid="department-tabs">
                {tab(String::new(), Signal::derive(move || t_string!(i18n, tickets.all_departments).to_owned()))}
                {move || {
                    let locale = language(i18n.get_locale());
                    departments
                        .get()
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|d| d.active)
                        .map(|d| {
                            let name = d.name.get(locale).to_owned();
                            tab(d.code.clone(), Signal::derive(move || name.clone()))
                        })
                        .collect_view()
                }}
            </div>
            <div class="filters">
                <EnumFilter label=|l| td_string!(l, tickets.status) value=status values=TicketStatus::all() name_of=labels::ticket_status name="status" />
                <EnumFilter label=|l| td_string!(l, tickets.flag) value=flag values=SlaFlag::all() name_of=labels::sla_flag name="flag" />
                <EnumFilter label=|l| td_string!(l, tickets.priority) value=priority values=TicketPriority::all() name_of=labels::ticket_priority name="priority" />
                <EnumFilter label=|l| td_string!(l, tickets.category) value=category values=TicketCategory::all() name_of=labels::ticket_category name="category" />
                <label class="filter">
                    <span>{tr(|l| td_string!(l, tickets.number))}</span>
                    <input type="search" name="number" placeholder="TK/2026/000001" prop:value=move || number.get() on:change=move |ev| number.set(event_target_value(&ev)) />
                </label>
                <label class="checkbox filter-check">
                    <input type="checkbox" name="closed" prop:checked=move || closed.get() on:change=move |ev| closed.set(event_target_checked(&ev)) />
                    <span>{tr(|l| td_string!(l, tickets.closed_only))}</span>
                </label>
                {me.map(|me| view! {
                    <label class="checkbox filter-check">
                        <input type="checkbox" name="mine" prop:checked=move || assignee.get() == Some(me) on:change=move |ev| assignee.set(event_target_checked(&ev).then_some(me)) />
                        <span>{tr(|l| td_string!(l, tickets.mine))}</span>
                    </label>
                })}
                {chip(customer_id, |l, id| td_string!(l, tickets.customer_only, id = id).to_string(), |id| format!("/customers/{id}"), "customer-filter")}
                {chip(incident_id, |l, id| td_string!(l, tickets.incident_only, id = id).to_string(), |id| format!("/incidents/{id}"), "incident-filter")}
            </div>
            {move || match list.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(failure)) => view! { <FailureNote failure /> }.into_any(),
                Some(Ok(queue)) => {
                    let (total, breached, near) = (queue.total, queue.breached, queue.near);
                    let shown = queue.items.len();
                    view! {
                        <ul class="tiles queue-counts" data-testid="queue-counts">
                            <li><span class="tile"><span class="tile-count" data-testid="count-total">{total}</span><span class="tile-label">{tr(|l| td_string!(l, tickets.count_total))}</span></span></li>
                            <li><button type="button" class="tile tile-bad" data-testid="count-breached" on:click=move |_| flag.set(SlaFlag::Breached.as_str().to_owned())><span class="tile-count">{breached}</span><span class="tile-label">{tr(|l| td_string!(l, tickets.count_breached))}</span></button></li>
                            <li><button type="button" class="tile tile-warn" data-testid="count-near" on:click=move |_| flag.set(SlaFlag::Near.as_str().to_owned())><span class="tile-count">{near}</span><span class="tile-label">{tr(|l| td_string!(l, tickets.count_near))}</span></button></li>
                        </ul>
                        {if queue.items.is_empty() {
                            view! { <Empty text=|l| td_string!(l, tickets.none) /> }.into_any()
                        } else {
                            let items = queue.items;
                            view! {
                                <TicketTable tickets=Signal::derive(move || items.clone()) departments />
                                {(i64::try_from(shown).unwrap_or(i64::MAX) < total).then(|| view! {
                                    <p class="muted small">{move || t_string!(i18n, tickets.shown_of, shown = shown, total = total).to_string()}</p>
                                })}
                            }
                            .into_any()
                        }}
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
