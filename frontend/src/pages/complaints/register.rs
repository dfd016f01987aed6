//! `/complaints`: the complaint register, the undecided first by the day they must be
//! answered, each with its days left in colour and in words; filtered by state, due day,
//! topic, the days received and the number, the filters kept in the URL; a page at a time;
//! the register as CSV.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use okno_api_types::complaints::{
    ComplaintExportQuery, ComplaintQuery, ComplaintStatus, ComplaintSummary, DueFilter,
};
use okno_api_types::reference::Topic;

use super::parts::{ComplaintStatusBadge, DecideBy, RepeatBadge, money};
use crate::api;
use crate::components::download::save_bytes;
use crate::components::filter::{EnumFilter, query_string};
use crate::components::paging::Pages;
use crate::components::status::{Empty, FailureNote, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::use_session;
use crate::time::{self, language};

const PAGE: u32 = 50;

/// The topics of the classification, for filters and forms; empty when they cannot be read.
pub fn load_topics() -> LocalResource<Vec<Topic>> {
    let session = use_session();
    LocalResource::new(move || async move {
        api::call(session, async |client| client.topics().await)
            .await
            .unwrap_or_default()
    })
}

/// A topic's name in the interface language, by its id.
pub fn topic_name(topics: &[Topic], id: i64, locale: Locale) -> Option<String> {
    topics
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.name.get(language(locale)).to_owned())
}

#[component]
pub fn ComplaintsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let query_map = use_query_map();
    let navigate = use_navigate();
    let from_url = |name: &'static str| {
        query_map
            .with_untracked(|q| q.get(name))
            .unwrap_or_default()
    };
    let open = RwSignal::new(from_url("open") == "true");
    let status = RwSignal::new(from_url("status"));
    let due = RwSignal::new(from_url("due"));
    let topic = RwSignal::new(from_url("topic_id"));
    let from = RwSignal::new(from_url("from"));
    let to = RwSignal::new(from_url("to"));
    let number = RwSignal::new(from_url("number"));
    let customer_id = RwSignal::new(from_url("customer_id").parse::<i64>().ok());
    let topics = load_topics();
    let pages = Pages::<ComplaintSummary>::new();
    let Pages {
        items,
        next,
        failure,
        loading,
        ..
    } = pages;

    let load = move |cursor: Option<String>| {
        let query = ComplaintQuery {
            customer_id: customer_id.get_untracked(),
            status: status.get_untracked().parse().ok(),
            open: open.get_untracked().then_some(true),
            due: due.get_untracked().parse().ok(),
            topic_id: topic.get_untracked().parse().ok(),
            from: from.get_untracked().parse().ok(),
            to: to.get_untracked().parse().ok(),
            number: Some(number.get_untracked().trim().to_owned()).filter(|n| !n.is_empty()),
            limit: Some(PAGE),
            cursor: cursor.clone(),
        };
        pages.load(
            cursor,
            api::call(session, async move |client| client.complaints(&query).await),
        );
    };
    // Each change of a filter reloads the list and writes the filters into the URL, so a
    // reload or a link (from the monitoring's counts) shows the same list.
    Effect::new(move |_| {
        let search = query_string(&[
            (
                "open",
                if open.get() {
                    "true".into()
                } else {
                    String::new()
                },
            ),
            ("status", status.get()),
            ("due", due.get()),
            ("topic_id", topic.get()),
            ("from", from.get()),
            ("to", to.get()),
            ("number", number.get().trim().to_owned()),
            (
                "customer_id",
                customer_id
                    .get()
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            ),
        ]);
        if window().location().search().unwrap_or_default() != search {
            navigate(
                &format!("/complaints{search}"),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
        load(None);
    });

    let exporting = RwSignal::new(false);
    let export = move |_| {
        let query = ComplaintExportQuery {
            from: from.get_untracked().parse().ok(),
            to: to.get_untracked().parse().ok(),
        };
        exporting.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.export_complaints(&query).await
            })
            .await;
            exporting.set(false);
            let saved = result.and_then(|csv| {
                save_bytes(csv.as_bytes(), "text/csv;charset=utf-8", "complaints.csv")
            });
            if let Err(failure) = saved {
                toasts.failure(i18n.get_locale_untracked(), &failure);
            }
        });
    };
    let topic_options = move || {
        let locale = language(i18n.get_locale());
        topics
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.id.to_string(), t.name.get(locale).to_owned()))
            .collect::<Vec<_>>()
    };

    view! {
        <section class="page" data-testid="complaints">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, complaints.title))}</h1>
                    <p class="lead">{tr(|l| td_string!(l, complaints.lead))}</p>
                </div>
                <div class="row">
                    <A href="/complaints/monitoring" attr:class="button" attr:data-testid="monitoring-link">{tr(|l| td_string!(l, complaints.monitoring))}</A>
                    <button type="button" class="button" data-testid="export-csv" disabled=move || exporting.get() on:click=export>
                        {tr(|l| td_string!(l, complaints.export_csv))}
                    </button>
                </div>
            </div>
            <div class="filters">
                <label class="checkbox filter-check">
                    <input type="checkbox" name="open" prop:checked=move || open.get() on:change=move |ev| open.set(event_target_checked(&ev)) />
                    <span>{tr(|l| td_string!(l, complaints.open_only))}</span>
                </label>
                <EnumFilter label=|l| td_string!(l, complaints.status) value=status values=ComplaintStatus::all() name_of=labels::complaint_status name="status" />
                <EnumFilter label=|l| td_string!(l, complaints.due) value=due values=DueFilter::all() name_of=labels::due_filter name="due" />
                <label class="filter">
                    <span>{tr(|l| td_string!(l, complaints.topic))}</span>
                    <select name="topic_id" on:change=move |ev| topic.set(event_target_value(&ev)) prop:value=move || topic.get()>
                        <option value="">{tr(|l| td_string!(l, common.all))}</option>
                        {move || topic_options()
                            .into_iter()
                            .map(|(id, name)| {
                                let selected = topic.with_untracked(|t| *t == id);
                                view! { <option value=id selected=selected>{name}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="filter">
                    <span>{tr(|l| td_string!(l, complaints.received_from))}</span>
                    <input type="date" name="from" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev)) />
                </label>
                <label class="filter">
                    <span>{tr(|l| td_string!(l, complaints.received_to))}</span>
                    <input type="date" name="to" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev)) />
                </label>
                <label class="filter">
                    <span>{tr(|l| td_string!(l, complaints.number))}</span>
                    <input type="search" name="number" placeholder="RK/2026/000001" prop:value=move || number.get() on:change=move |ev| number.set(event_target_value(&ev)) />
                </label>
                {move || customer_id.get().map(|id| view! {
                    <p class="filter-chip" data-testid="customer-filter">
                        <A href=format!("/customers/{id}")>{move || t_string!(i18n, complaints.customer_only, id = id).to_string()}</A>
                        " "
                        <button type="button" class="button-small" on:click=move |_| customer_id.set(None)>
                            {tr(|l| td_string!(l, complaints.all_customers))}
                        </button>
                    </p>
                })}
            </div>
            {move || failure.get().map(|f| view! { <FailureNote failure=f /> })}
            <Show
                when=move || !items.with(Vec::is_empty)
                fallback=move || view! {
                    <Show when=move || !loading.get() fallback=|| view! { <Loading /> }>
                        <Empty text=|l| td_string!(l, complaints.none) />
                    </Show>
                }
            >
                <ComplaintTable complaints=Signal::derive(move || items.get()) />
                <Show when=move || next.with(Option::is_some)>
                    <button class="button" disabled=move || loading.get() on:click=move |_| load(next.get_untracked())>{tr(|l| td_string!(l, common.more))}</button>
                </Show>
            </Show>
        </section>
    }
}

/// Complaints as a table: number (and whether it is a repeat), customer, subject, state,
/// the day to answer by with the days left, the amount claimed.
#[component]
pub fn ComplaintTable(
    #[prop(into)] complaints: Signal<Vec<ComplaintSummary>>,
    #[prop(optional)] without_customer: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="complaint-table">
                <thead>
                    <tr>
                        <th>{tr(|l| td_string!(l, complaints.number))}</th>
                        {(!without_customer).then(|| view! { <th>{tr(|l| td_string!(l, complaints.customer))}</th> })}
                        <th class="hide-narrow">{tr(|l| td_string!(l, complaints.subject))}</th>
                        <th>{tr(|l| td_string!(l, complaints.status))}</th>
                        <th>{tr(|l| td_string!(l, complaints.decide_by))}</th>
                        <th class="num hide-narrow">{tr(|l| td_string!(l, complaints.claimed))}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || complaints.get() key=|c| (c.id, c.status, c.deadlines.days_left) let:c>
                        {
                            let received = c.received_at;
                            let currency = c.currency.clone();
                            let claimed = c.amount_claimed_minor;
                            view! {
                                <tr data-testid="complaint-row" data-id=c.id>
                                    <td class="nowrap">
                                        <A href=format!("/complaints/{}", c.id) attr:class="mono">{c.number.clone()}</A>
                                        {c.repeat.then(|| view! { " " <RepeatBadge /> })}
                                        <div class="muted small">
                                            {move || time::date(received, i18n.get_locale())}
                                            " · "
                                            {move || labels::complaint_channel(i18n.get_locale(), c.channel)}
                                        </div>
                                    </td>
                                    {(!without_customer).then(|| view! { <td><A href=format!("/customers/{}", c.customer_id)>{c.customer_name.clone()}</A></td> })}
                                    <td class="hide-narrow wrap-anywhere">{c.subject.clone()}</td>
                                    <td><ComplaintStatusBadge status=c.status outcome=c.outcome /></td>
                                    <td><DecideBy deadlines=c.deadlines.clone() /></td>
                                    <td class="num nowrap hide-narrow">{move || claimed.map(|m| money(m, &currency, i18n.get_locale()))}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
    }
}
