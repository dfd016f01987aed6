//! `/admin/audit`: who read or changed whose personal data, filtered by customer,
//! staff user, action and time.

use chrono::{NaiveDate, TimeZone, Utc};
use leptos::prelude::*;
use okno_api_types::audit::{AuditEntry, AuditQuery};
use okno_api_types::users::UserQuery;

use crate::api;
use crate::components::paging::Pages;
use crate::components::status::{Empty, FailureNote};
use crate::i18n::*;
use crate::labels::{label, tr};
use crate::session::use_session;
use crate::time;

fn day(text: &str) -> Option<chrono::DateTime<Utc>> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|d| Utc.from_local_datetime(&d).single())
}

#[component]
pub fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let customer = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let pages = Pages::<AuditEntry>::new();
    let Pages {
        items: entries,
        next,
        failure,
        loading,
        ..
    } = pages;
    let users = LocalResource::new(move || async move {
        api::call(session, async |client| {
            client
                .users(&UserQuery {
                    limit: Some(500),
                    ..Default::default()
                })
                .await
        })
        .await
        .map(|p| p.items)
        .unwrap_or_default()
    });

    let load = move |cursor: Option<String>| {
        let query = AuditQuery {
            customer_id: customer.get_untracked().trim().parse().ok(),
            user_id: user.get_untracked().parse().ok(),
            action: Some(action.get_untracked()).filter(|a| !a.trim().is_empty()),
            from: day(&from.get_untracked()),
            to: day(&to.get_untracked()).map(|d| d + chrono::Duration::days(1)),
            limit: Some(50),
            cursor: cursor.clone(),
        };
        pages.load(
            cursor,
            api::call(session, async move |client| client.audit_log(&query).await),
        );
    };
    load(None);

    let input = move |label: Signal<String>, value: RwSignal<String>, kind: &'static str| {
        view! {
            <label class="filter">
                <span>{label}</span>
                <input type=kind prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };

    view! {
        <section class="page">
            <div class="page-head"><h1>{tr(|l| td_string!(l, admin.audit))}</h1></div>
            <form class="filters" on:submit=move |ev| { ev.prevent_default(); load(None); }>
                {input(label(|l| td_string!(l, admin.customer_id)), customer, "number")}
                <label class="filter">
                    <span>{tr(|l| td_string!(l, admin.user))}</span>
                    <select on:change=move |ev| user.set(event_target_value(&ev))>
                        <option value="">{tr(|l| td_string!(l, common.all))}</option>
                        {move || users.get().unwrap_or_default().into_iter().map(|u| view! { <option value=u.id.to_string()>{u.username}</option> }).collect_view()}
                    </select>
                </label>
                {input(label(|l| td_string!(l, admin.action)), action, "text")}
                {input(label(|l| td_string!(l, admin.from)), from, "date")}
                {input(label(|l| td_string!(l, admin.to)), to, "date")}
                <button class="button-primary" type="submit">{tr(|l| td_string!(l, admin.filter))}</button>
            </form>
            {move || failure.get().map(|f| view! { <FailureNote failure=f /> })}
            <Show when=move || !loading.get() && entries.with(Vec::is_empty)>
                <Empty text=|l| td_string!(l, admin.no_entries) />
            </Show>
            <Show when=move || !entries.with(Vec::is_empty)>
                <div class="table-wrap">
                    <table class="table" data-testid="audit">
                        <thead><tr>
                            <th>{tr(|l| td_string!(l, admin.when))}</th>
                            <th>{tr(|l| td_string!(l, admin.who))}</th>
                            <th>{tr(|l| td_string!(l, admin.action))}</th>
                            <th>{tr(|l| td_string!(l, admin.customer_id))}</th>
                            <th>{tr(|l| td_string!(l, admin.detail))}</th>
                        </tr></thead>
                        <tbody>
                            <For each=move || entries.get() key=|e| e.id let:entry>
                                <tr>
                                    <td class="nowrap">{move || time::date_time(entry.occurred_at, i18n.get_locale())}</td>
                                    <td>{entry.actor_name.clone()}<span class="muted small">" (" {entry.actor_kind.clone()} ")"</span></td>
                                    <td class="mono">{entry.action.clone()}</td>
                                    <td>{entry.customer_id.map(|id| view! { <a href=format!("/customers/{id}")>{id}</a> })}</td>
                                    <td>{entry.detail.clone()}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
            <Show when=move || next.with(Option::is_some)>
                <button class="button" disabled=move || loading.get() on:click=move |_| load(next.get_untracked())>{tr(|l| td_string!(l, common.more))}</button>
            </Show>
        </section>
    }
}
