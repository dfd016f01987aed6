//! The customer's history on the card, newest first, a page at a time.

use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::interactions::{TimelineEntry, TimelineEvent, TimelineQuery};
use okno_api_types::reference::Topic;

use crate::api;
use crate::components::paging::Pages;
use crate::components::status::{ContactOutcome, Empty, FailureNote};
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::session::use_session;
use crate::time::{self, language};

const PAGE: u32 = 20;

#[component]
pub fn Timeline(
    customer_id: i64,
    #[prop(into)] topics: Signal<Vec<Topic>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let pages = Pages::<TimelineEntry>::new();
    let Pages {
        items: entries,
        next,
        failure,
        loading,
        ..
    } = pages;

    let load = move |cursor: Option<String>| {
        let query = TimelineQuery {
            limit: Some(PAGE),
            cursor: cursor.clone(),
        };
        pages.load(
            cursor,
            api::call(session, async move |client| {
                client.timeline(customer_id, &query).await
            }),
        );
    };
    Effect::new(move |_| {
        version.track();
        load(None);
    });

    let topic_name = move |id: Option<i64>| {
        let locale = language(i18n.get_locale());
        id.and_then(|id| {
            topics.with(|t| {
                t.iter()
                    .find(|t| t.id == id)
                    .map(|t| t.name.get(locale).to_owned())
            })
        })
    };

    view! {
        <div class="panel">
            <h2>{tr(|l| td_string!(l, timeline.title))}</h2>
            {move || failure.get().map(|f| view! { <FailureNote failure=f /> })}
            <Show when=move || !loading.get() && entries.with(Vec::is_empty)>
                <Empty text=|l| td_string!(l, timeline.empty) />
            </Show>
            <ol class="timeline" data-testid="timeline">
                <For each=move || entries.get() key=|e| format!("{}{:?}", e.at, e.event) let:entry>
                    <li class="timeline-entry">
                        <time class="timeline-time">{move || time::date_time(entry.at, i18n.get_locale())}</time>
                        {render_event(entry.event.clone(), topic_name)}
                    </li>
                </For>
            </ol>
            <Show when=move || next.with(Option::is_some)>
                <button class="button" disabled=move || loading.get() on:click=move |_| load(next.get_untracked())>{tr(|l| td_string!(l, common.more))}</button>
            </Show>
        </div>
    }
}

fn render_event(
    event: TimelineEvent,
    topic_name: impl Fn(Option<i64>) -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    match event {
        TimelineEvent::Interaction { interaction } => {
            let topic_id = interaction.topic_id;
            let settled = interaction.settled_in_contact;
            let department = interaction.department;
            view! {
                <div class="timeline-body" data-testid="timeline-interaction">
                    <p class="timeline-title">
                        <span class=format!("icon icon-{}", interaction.channel.as_str()) aria-hidden="true"></span>
                        {move || labels::channel(i18n.get_locale(), interaction.channel)}
                        " · "
                        {move || labels::direction(i18n.get_locale(), interaction.direction)}
                        {move || topic_name(topic_id).map(|t| view! { <span class="chip">{t}</span> })}
                        <ContactOutcome settled department />
                    </p>
                    <p class="timeline-text">{interaction.summary.clone()}</p>
                    {interaction.outcome.clone().map(|o| view! { <p class="timeline-text muted">{o}</p> })}
                    <p class="timeline-by muted small">{interaction.handled_by.clone()}</p>
                </div>
            }
            .into_any()
        }
        TimelineEvent::ConsentGranted { purpose, channel, by, .. } => view! {
            <div class="timeline-body">
                <p class="timeline-title">
                    {move || t_string!(i18n, timeline.consent_granted, purpose = labels::purpose(i18n.get_locale(), purpose))}
                </p>
                <p class="muted small">{move || labels::channel(i18n.get_locale(), channel)} " · " {by.clone()}</p>
            </div>
        }
        .into_any(),
        TimelineEvent::ConsentWithdrawn { purpose, channel, by, .. } => view! {
            <div class="timeline-body">
                <p class="timeline-title">
                    {move || t_string!(i18n, timeline.consent_withdrawn, purpose = labels::purpose(i18n.get_locale(), purpose))}
                </p>
                <p class="muted small">{move || labels::channel(i18n.get_locale(), channel)} " · " {by.clone()}</p>
            </div>
        }
        .into_any(),
        TimelineEvent::Disclosure { recipient, .. } => view! {
            <div class="timeline-body">
                <p class="timeline-title">{move || t_string!(i18n, timeline.disclosure, recipient = recipient.clone())}</p>
            </div>
        }
        .into_any(),
        TimelineEvent::Contract { contract_id, number, action, detail, by, .. } => view! {
            <div class="timeline-body" data-testid="timeline-contract">
                <p class="timeline-title">
                    {move || labels::contract_event(i18n.get_locale(), &action)}
                    " · "
                    <A href=format!("/contracts/{contract_id}")>{number}</A>
                </p>
                {detail.map(|d| view! { <p class="timeline-text">{d}</p> })}
                <p class="muted small">{by}</p>
            </div>
        }
        .into_any(),
        TimelineEvent::Invoice { invoice_id, number, invoice_kind, gross_minor, currency, .. } => view! {
            <div class="timeline-body" data-testid="timeline-invoice">
                <p class="timeline-title">
                    {move || labels::invoice_kind(i18n.get_locale(), invoice_kind)}
                    " "
                    <A href=format!("/invoices/{invoice_id}")>{number}</A>
                    " · "
                    {move || okno_domain::format::money(gross_minor, &currency, language(i18n.get_locale()))}
                </p>
            </div>
        }
        .into_any(),
        TimelineEvent::Message { event, channel, status, suppressed_reason, subject, .. } => view! {
            <div class="timeline-body" data-testid="timeline-message">
                <p class="timeline-title">
                    <span class=format!("icon icon-{}", channel.as_str()) aria-hidden="true"></span>
                    {move || labels::message_event(i18n.get_locale(), event)}
                    " · "
                    {move || labels::message_channel(i18n.get_locale(), channel)}
                    " · "
                    <span class=crate::pages::notifications::status_badge(status)>{move || labels::message_status(i18n.get_locale(), status)}</span>
                </p>
                {subject.map(|s| view! { <p class="timeline-text">{s}</p> })}
                {suppressed_reason.map(|reason| view! { <p class="muted small">{move || labels::suppression(i18n.get_locale(), reason)}</p> })}
            </div>
        }
        .into_any(),
        TimelineEvent::CustomerCreated { by } => view! {
            <div class="timeline-body">
                <p class="timeline-title">{tr(|l| td_string!(l, timeline.created))}</p>
                <p class="muted small">{by}</p>
            </div>
        }
        .into_any(),
    }
}
