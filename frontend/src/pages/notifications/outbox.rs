//! `/messages`: the outbox, newest first, filtered by status, message and channel (and
//! a customer, from the card's link), the filters kept in the URL. A failed message is sent
//! again after a confirmation that says what that does; below, the addresses that bounce.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use okno_api_types::Permission;
use okno_api_types::notifications::{
    Message, MessageChannel, MessageQuery, MessageStatus, NotificationEvent,
};
use okno_domain::notifications::secret_variables;

use super::bounces::Bounces;
use crate::api::{self, Failure};
use crate::components::filter::{EnumFilter, query_string};
use crate::components::paging::Pages;
use crate::components::status::{Empty, FailureNote, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::use_session;
use crate::time;

const PAGE: u32 = 50;

/// The badge of a message's status.
pub fn status_badge(status: MessageStatus) -> &'static str {
    match status {
        MessageStatus::Sent => "badge badge-active",
        MessageStatus::Failed => "badge badge-suspended",
        MessageStatus::Suppressed => "badge badge-closed",
        MessageStatus::Pending | MessageStatus::Sending => "badge badge-prospect",
    }
}

/// The error a message shows: its last one, unless it went in the end.
pub fn shown_error(message: &Message) -> Option<String> {
    message
        .last_error
        .clone()
        .filter(|_| message.status != MessageStatus::Sent)
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let session = use_session();
    let query_map = use_query_map();
    let navigate = use_navigate();
    let from_url = |name: &'static str| {
        query_map
            .with_untracked(|q| q.get(name))
            .unwrap_or_default()
    };
    let status = RwSignal::new(from_url("status"));
    let event = RwSignal::new(from_url("event"));
    let channel = RwSignal::new(from_url("channel"));
    let customer_id = RwSignal::new(from_url("customer_id").parse::<i64>().ok());
    // The failed message whose sending again waits for confirmation.
    let resending = RwSignal::new(None::<Message>);
    let pages = Pages::<Message>::new();
    let Pages {
        items,
        next,
        failure,
        loading,
        ..
    } = pages;

    let load = move |cursor: Option<String>| {
        let query = MessageQuery {
            customer_id: customer_id.get_untracked(),
            status: status.get_untracked().parse().ok(),
            event: event.get_untracked().parse().ok(),
            channel: channel.get_untracked().parse().ok(),
            limit: Some(PAGE),
            cursor: cursor.clone(),
        };
        pages.load(
            cursor,
            api::call(session, async move |client| client.messages(&query).await),
        );
    };
    // Each change of a filter reloads the list and writes the filters into the URL, so a
    // reload or a link shows the same list.
    Effect::new(move |_| {
        let search = query_string(&[
            ("status", status.get()),
            ("event", event.get()),
            ("channel", channel.get()),
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
                &format!("/messages{search}"),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
        load(None);
    });
    let done = Callback::new(move |()| {
        resending.set(None);
        load(None);
    });

    view! {
        <section class="page" data-testid="outbox">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, outbox.title))}</h1>
                    <p class="lead">{tr(|l| td_string!(l, outbox.lead))}</p>
                </div>
            </div>
            <div class="filters">
                <EnumFilter label=|l| td_string!(l, outbox.status) value=status values=MessageStatus::all() name_of=labels::message_status name="status" />
                <EnumFilter label=|l| td_string!(l, outbox.event) value=event values=NotificationEvent::all() name_of=labels::message_event name="event" />
                <EnumFilter label=|l| td_string!(l, outbox.channel) value=channel values=MessageChannel::all() name_of=labels::message_channel name="channel" />
                <CustomerFilter customer_id />
            </div>
            {move || failure.get().map(|f| view! { <FailureNote failure=f /> })}
            {move || resending.get().map(|message| view! {
                <ResendConfirm message on_done=done on_cancel=Callback::new(move |()| resending.set(None)) />
            })}
            <Show
                when=move || !items.with(Vec::is_empty)
                fallback=move || view! {
                    <Show when=move || !loading.get() fallback=|| view! { <Loading /> }>
                        <Empty text=|l| td_string!(l, outbox.none) />
                    </Show>
                }
            >
                <div class="table-wrap">
                    <table class="table" data-testid="outbox-table">
                        <thead>
                            <tr>
                                <th>{tr(|l| td_string!(l, outbox.event))}</th>
                                <th>{tr(|l| td_string!(l, outbox.customer))}</th>
                                <th class="hide-narrow">{tr(|l| td_string!(l, outbox.recipient))}</th>
                                <th>{tr(|l| td_string!(l, outbox.status))}</th>
                                <th class="num hide-narrow">{tr(|l| td_string!(l, outbox.attempts))}</th>
                                <th></th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || items.get() key=|m| (m.id, m.status, m.attempts) let:message>
                                <MessageRow message resending />
                            </For>
                        </tbody>
                    </table>
                </div>
                <Show when=move || next.with(Option::is_some)>
                    <button class="button" disabled=move || loading.get() on:click=move |_| load(next.get_untracked())>{tr(|l| td_string!(l, common.more))}</button>
                </Show>
            </Show>
            <Bounces />
        </section>
    }
}

/// The customer the list is narrowed to (from the card's link), with the way back to all.
#[component]
fn CustomerFilter(customer_id: RwSignal<Option<i64>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        customer_id.get().map(|id| {
            view! {
                <p class="filter-chip" data-testid="customer-filter">
                    <A href=format!("/customers/{id}")>{move || t_string!(i18n, outbox.customer_all, id = id).to_string()}</A>
                    " "
                    <button type="button" class="button-small" on:click=move |_| customer_id.set(None)>
                        {tr(|l| td_string!(l, outbox.show_all))}
                    </button>
                </p>
            }
        })
    }
}

#[component]
fn MessageRow(message: Message, resending: RwSignal<Option<Message>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (event, channel, status, created) = (
        message.event,
        message.channel,
        message.status,
        message.created_at,
    );
    let reason = message.suppressed_reason;
    let error = shown_error(&message);
    let failed = status == MessageStatus::Failed;
    // A one-time code is not kept, so such a message cannot go again: a new code is issued.
    let carried_code = !secret_variables(event).is_empty();
    let may_resend = failed && session.has(Permission::MessagesManage);
    let customer = message.customer_id;
    let recipient = message.recipient.clone();
    let asked = message.clone();
    view! {
        <tr data-testid="outbox-row" data-status=status.as_str() data-id=message.id>
            <td>
                {move || labels::message_event(i18n.get_locale(), event)}
                <div class="muted small">
                    {move || labels::message_channel(i18n.get_locale(), channel)}
                    " · "
                    <span class="nowrap">{move || time::date_time(created, i18n.get_locale())}</span>
                </div>
            </td>
            <td><A href=format!("/customers/{customer}")>{format!("#{customer}")}</A></td>
            <td class="hide-narrow wrap-anywhere">
                {match recipient {
                    Some(address) => address.into_any(),
                    None => view! { <span class="muted">{tr(|l| td_string!(l, outbox.no_address))}</span> }.into_any(),
                }}
            </td>
            <td>
                <span class=status_badge(status)>{move || labels::message_status(i18n.get_locale(), status)}</span>
                {reason.map(|r| view! {
                    <div class="muted small" data-testid="outbox-reason">{move || labels::suppression(i18n.get_locale(), r)}</div>
                })}
                {error.map(|e| view! { <div class="muted small wrap-anywhere" data-testid="outbox-error">{e}</div> })}
            </td>
            <td class="num hide-narrow">{message.attempts}</td>
            <td>
                {(may_resend && !carried_code).then(|| view! {
                    <button
                        class="button-small"
                        data-testid="resend"
                        on:click=move |_| resending.set(Some(asked.clone()))
                    >
                        {tr(|l| td_string!(l, outbox.resend))}
                    </button>
                })}
                {(may_resend && carried_code).then(|| view! {
                    <span class="muted small">{tr(|l| td_string!(l, outbox.code_message))}</span>
                })}
            </td>
        </tr>
    }
}

/// Sending again says what it does first; a refusal (the message is no longer failed, or
/// carried a code) shows the server's reason here.
#[component]
fn ResendConfirm(
    message: Message,
    #[prop(into)] on_done: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let refused = RwSignal::new(None::<Failure>);
    let keep = NodeRef::<leptos::html::Button>::new();
    let id = message.id;
    let event = message.event;
    let address = message.recipient.clone();
    let question = move || {
        let locale = i18n.get_locale();
        let address = address
            .clone()
            .unwrap_or_else(|| td_string!(locale, outbox.no_address).to_owned());
        td_string!(
            locale,
            outbox.resend_confirm,
            event = labels::message_event(locale, event),
            address = address
        )
        .to_string()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| client.resend_message(id).await).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(td_string!(i18n.get_locale_untracked(), outbox.resent));
                    on_done.run(());
                }
                Err(failure) => refused.set(Some(failure)),
            }
        });
    };
    // The confirmation opens with the focus on the way out of it.
    Effect::new(move || {
        if let Some(button) = keep.get() {
            button.scroll_into_view();
            let _ = button.focus();
        }
    });
    view! {
        <form class="form action-form" id="resend-confirm" on:submit=submit role="group" aria-labelledby="resend-question" data-testid="resend-confirm">
            <p id="resend-question"><strong>{question}</strong></p>
            {move || refused.get().map(|failure| view! { <Refusal failure /> })}
            <div class="form-actions">
                <button type="button" class="button-quiet" node_ref=keep on:click=move |_| on_cancel.run(())>{tr(|l| td_string!(l, common.cancel))}</button>
                <button type="submit" class="button" disabled=move || busy.get() || refused.with(Option::is_some) data-testid="confirm-resend">
                    {tr(|l| td_string!(l, outbox.resend))}
                </button>
            </div>
        </form>
    }
}

/// Why the server would not send a message again: its own words for a conflict, else the
/// failure in the interface language.
#[component]
fn Refusal(failure: Failure) -> impl IntoView {
    let i18n = use_i18n();
    let detail = failure
        .problem()
        .filter(|p| p.status == 409)
        .and_then(|p| p.detail.clone());
    match detail {
        Some(detail) => view! {
            <p class="failure" role="alert" data-testid="resend-refused">
                {move || t_string!(i18n, outbox.resend_refused, detail = detail.clone()).to_string()}
            </p>
        }
        .into_any(),
        None => view! { <FailureNote failure /> }.into_any(),
    }
}
