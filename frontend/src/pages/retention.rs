//! `/retention`: the retention agent's worklist: contracts of their sales point ending
//! soon that nobody has called about yet. Recording the call or e-mail and its outcome takes
//! the contract off the list.

use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::Channel;
use okno_api_types::contracts::{
    NewRetentionContact, RetentionItem, RetentionOutcome, RetentionQuery,
};

use crate::api::{self, Failure};
use crate::components::latest::Latest;
use crate::components::status::LoadedList;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::pages::contracts::current_tariffs;
use crate::session::use_session;
use crate::time;

const WINDOWS: [u32; 3] = [30, 60, 90];

#[component]
pub fn Retention() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let days = RwSignal::new(30_u32);
    let items = RwSignal::new(None::<Result<Vec<RetentionItem>, Failure>>);
    let latest = Latest::new();
    let reload = move || {
        let query = RetentionQuery {
            days: Some(days.get_untracked()),
            sales_point_id: None,
        };
        latest.spawn(
            api::call(session, async move |client| {
                client.retention_worklist(&query).await
            }),
            move |result| items.set(Some(result)),
        );
    };
    Effect::new(move |_| {
        days.track();
        reload();
    });

    view! {
        <section class="page" data-testid="retention">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, retention.title))}</h1>
                    <p class="muted">{tr(|l| td_string!(l, retention.lead))}</p>
                </div>
                <div class="toggles" role="group" aria-label=move || t_string!(i18n, retention.window)>
                    {WINDOWS
                        .into_iter()
                        .map(|n| view! {
                            <button class="lang" class:lang-active=move || days.get() == n aria-pressed=move || (days.get() == n).to_string() on:click=move |_| days.set(n)>
                                {move || t_string!(i18n, retention.days, n = n)}
                            </button>
                        })
                        .collect_view()}
                </div>
            </div>
            <LoadedList value=move || items.get() empty=|l| td_string!(l, retention.empty) let:list>
                {
                    let count = list.len();
                    view! {
                        <p class="muted" data-testid="retention-count">{move || t_string!(i18n, retention.count, n = count)}</p>
                        <ul class="request-list">
                            {list.into_iter().map(|item| view! { <WorkItem item=item on_recorded=Callback::new(move |()| reload()) /> }).collect_view()}
                        </ul>
                    }
                }
            </LoadedList>
        </section>
    }
}

#[component]
fn WorkItem(item: RetentionItem, #[prop(into)] on_recorded: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let channel = RwSignal::new(
        if item.phone.is_some() {
            Channel::Phone
        } else {
            Channel::Email
        }
        .as_str()
        .to_owned(),
    );
    let outcome = RwSignal::new(RetentionOutcome::OfferSent.as_str().to_owned());
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let contract = item.contract;
    let contract_id = contract.id;
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = note.get_untracked();
        let contact = NewRetentionContact {
            channel: channel.get_untracked().parse().unwrap_or(Channel::Phone),
            outcome: outcome
                .get_untracked()
                .parse()
                .unwrap_or(RetentionOutcome::OfferSent),
            note: (!text.trim().is_empty()).then(|| text.trim().to_owned()),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.record_retention_contact(contract_id, &contact).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(_) => {
                    toasts.success(td_string!(locale, retention.recorded));
                    on_recorded.run(());
                }
                Err(failure) => toasts.failure(locale, &failure),
            }
        });
    };
    let tariffs = current_tariffs(&contract, crate::pages::contracts::today());
    let end = contract.ends_on;
    let days_left = item.days_left;
    let phone = item.phone.clone();
    let email = item.email.clone();
    view! {
        <li class="panel request" data-testid="retention-item">
            <div class="request-head">
                <div>
                    <p>
                        <A href=format!("/customers/{}", contract.customer_id)><strong>{contract.customer_name.clone()}</strong></A>
                        " · "
                        <A href=format!("/contracts/{}", contract.id)>{contract.number.clone()}</A>
                    </p>
                    <p>{tariffs}</p>
                    <p class="muted small">
                        {phone.map(|p| view! { <a href=format!("tel:{}", p.replace(' ', ""))>{p.clone()}</a> " " })}
                        {email.map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> })}
                    </p>
                </div>
                <div class="request-when">
                    <strong class:overdue=days_left <= 7>{move || t_string!(i18n, retention.days_left, n = days_left)}</strong>
                    <p class="muted small">{move || end.map(|d| t_string!(i18n, retention.ends, date = time::day(d, i18n.get_locale())))}</p>
                </div>
            </div>
            <form class="request-decide" on:submit=record>
                <select aria-label=move || t_string!(i18n, contact.channel) on:change=move |ev| channel.set(event_target_value(&ev)) prop:value=move || channel.get()>
                    {move || {
                        let l = i18n.get_locale();
                        [Channel::Phone, Channel::Email, Channel::Sms, Channel::Visit]
                            .into_iter()
                            .map(|c| view! { <option value=c.as_str() selected=channel.get_untracked() == c.as_str()>{labels::channel(l, c)}</option> })
                            .collect_view()
                    }}
                </select>
                <select aria-label=move || t_string!(i18n, retention.outcome) on:change=move |ev| outcome.set(event_target_value(&ev)) prop:value=move || outcome.get() data-testid="retention-outcome">
                    {move || {
                        let l = i18n.get_locale();
                        RetentionOutcome::all()
                            .map(|o| view! { <option value=o.as_str() selected=outcome.get_untracked() == o.as_str()>{labels::retention_outcome(l, o)}</option> })
                            .collect_view()
                    }}
                </select>
                <input
                    type="text"
                    aria-label=move || t_string!(i18n, retention.note)
                    placeholder=move || t_string!(i18n, retention.note)
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                />
                <button class="button-small button-primary" type="submit" disabled=move || busy.get() data-testid="record-retention">
                    {tr(|l| td_string!(l, retention.record))}
                </button>
            </form>
        </li>
    }
}
