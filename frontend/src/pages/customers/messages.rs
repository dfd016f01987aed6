//! The messages sent to a customer, on the card: what went by which channel, and why
//! a message did not go.

use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::notifications::{Message, MessageQuery};

use crate::api::{self, Failure};
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::pages::notifications::{shown_error, status_badge};
use crate::session::use_session;
use crate::time;

/// How many of the latest messages the card shows.
const SHOWN: u32 = 10;

#[component]
pub fn MessagesPanel(customer_id: i64) -> impl IntoView {
    let session = use_session();
    let messages = RwSignal::new(None::<Result<Vec<Message>, Failure>>);
    leptos::task::spawn_local(async move {
        let query = MessageQuery {
            customer_id: Some(customer_id),
            limit: Some(SHOWN),
            ..Default::default()
        };
        let loaded = api::call(session, async move |client| client.messages(&query).await).await;
        messages.set(Some(loaded.map(|page| page.items)));
    });
    view! {
        <div class="panel" data-testid="messages">
            <h2>{tr(|l| td_string!(l, messages.title))}</h2>
            <Loaded value=move || messages.get() quiet=true let:list>
                {if list.is_empty() {
                    view! { <p class="muted">{tr(|l| td_string!(l, messages.none))}</p> }.into_any()
                } else {
                    view! {
                        <ul class="messages">
                            {list.into_iter().map(|m| view! { <MessageRow message=m /> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </Loaded>
            <p class="small">
                <A href=format!("/messages?customer_id={customer_id}") attr:data-testid="all-messages">{tr(|l| td_string!(l, outbox.all_messages))}</A>
            </p>
        </div>
    }
}

#[component]
fn MessageRow(message: Message) -> impl IntoView {
    let i18n = use_i18n();
    let badge = status_badge(message.status);
    let what = message
        .subject
        .clone()
        .unwrap_or_else(|| message.body.chars().take(80).collect());
    let (event, channel, status, created) = (
        message.event,
        message.channel,
        message.status,
        message.created_at,
    );
    let reason = message.suppressed_reason;
    let error = shown_error(&message);
    let address = message.recipient.clone();
    view! {
        <li class="message" data-testid="message" data-status=status.as_str()>
            <div class="message-head">
                <strong>{move || labels::message_event(i18n.get_locale(), event)}</strong>
                " · "
                {move || labels::message_channel(i18n.get_locale(), channel)}
                " "
                <span class=badge>{move || labels::message_status(i18n.get_locale(), status)}</span>
            </div>
            <div class="muted">
                {move || time::date_time(created, i18n.get_locale())}
                {address.map(|a| view! { " · " {move || t_string!(i18n, messages.to, address = a.clone()).to_string()} })}
            </div>
            <div class="message-what">{what}</div>
            {reason.map(|r| view! {
                <div class="muted" data-testid="message-reason">
                    {move || t_string!(i18n, messages.why, reason = labels::suppression(i18n.get_locale(), r)).to_string()}
                </div>
            })}
            {error.map(|e| view! {
                <div class="muted">{move || t_string!(i18n, messages.error, error = e.clone()).to_string()}</div>
            })}
        </li>
    }
}
