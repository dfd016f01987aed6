//! Consents on the card: what is in force, granting and withdrawing with the channel,
//! and the history.

use leptos::prelude::*;
use okno_api_types::customers::{Consent, GrantConsent, WithdrawConsent};
use okno_api_types::{Channel, ConsentPurpose, Permission};

use crate::api::{self, Failure};
use crate::components::status::Loaded;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::session::use_session;
use crate::time;

#[component]
pub fn ConsentsPanel(customer_id: i64, #[prop(into)] on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let consents = RwSignal::new(None::<Result<Vec<Consent>, Failure>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            consents.set(Some(
                api::call(session, async |client| client.consents(customer_id).await).await,
            ));
        });
    };
    reload();
    let show_history = RwSignal::new(false);

    view! {
        <div class="panel" data-testid="consents">
            <h2>{tr(|l| td_string!(l, consents.title))}</h2>
            <Loaded value=move || consents.get() quiet=true let:list>
                {
                    let history = list.clone();
                    view! {
                        <ul class="consents">
                            {ConsentPurpose::all()
                                .map(|purpose| {
                                    let current = list.iter().find(|c| c.purpose == purpose && c.active).cloned();
                                    view! {
                                        <ConsentRow
                                            customer_id
                                            purpose
                                            current
                                            on_change=Callback::new(move |()| {
                                                reload();
                                                on_change.run(());
                                            })
                                        />
                                    }
                                })
                                .collect_view()}
                        </ul>
                        <Show when=move || !history.is_empty()>
                            <button class="link" on:click=move |_| show_history.update(|s| *s = !*s)>
                                {move || if show_history.get() { t_string!(i18n, consents.hide_history) } else { t_string!(i18n, consents.show_history) }}
                            </button>
                        </Show>
                        <Show when=move || show_history.get()>
                            <ul class="history">
                                {list
                                    .iter()
                                    .map(|c| {
                                        let c = c.clone();
                                        view! {
                                            <li>
                                                <strong>{move || labels::purpose(i18n.get_locale(), c.purpose)}</strong>
                                                ": "
                                                {move || {
                                                    let locale = i18n.get_locale();
                                                    let granted = td_string!(
                                                        locale, consents.granted_line,
                                                        date = time::date_time(c.granted_at, locale),
                                                        channel = labels::channel(locale, c.granted_channel),
                                                        by = c.granted_by.clone()
                                                    );
                                                    match (c.withdrawn_at, c.withdrawn_channel) {
                                                        (Some(at), Some(channel)) => format!(
                                                            "{granted}; {}",
                                                            td_string!(
                                                                locale, consents.withdrawn_line,
                                                                date = time::date_time(at, locale),
                                                                channel = labels::channel(locale, channel),
                                                                by = c.withdrawn_by.clone().unwrap_or_default()
                                                            )
                                                        ),
                                                        _ => granted,
                                                    }
                                                }}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </Show>
                    }
                }
            </Loaded>
        </div>
    }
}

fn channel_from(text: &str) -> Channel {
    text.parse().unwrap_or(Channel::Phone)
}

#[component]
fn ConsentRow(
    customer_id: i64,
    purpose: ConsentPurpose,
    current: Option<Consent>,
    #[prop(into)] on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let channel = RwSignal::new(Channel::Phone.as_str().to_owned());
    let busy = RwSignal::new(false);
    let active = current.is_some();
    let consent_id = current.as_ref().map(|c| c.id);
    let since = current.as_ref().map(|c| c.granted_at);

    let act = move |_| {
        let chosen = channel_from(&channel.get_untracked());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = match consent_id {
                Some(consent_id) => {
                    api::call(session, async |client| {
                        client
                            .withdraw_consent(
                                customer_id,
                                consent_id,
                                &WithdrawConsent {
                                    channel: chosen,
                                    note: None,
                                },
                            )
                            .await
                    })
                    .await
                }
                None => {
                    api::call(session, async |client| {
                        client
                            .grant_consent(
                                customer_id,
                                &GrantConsent {
                                    purpose,
                                    channel: chosen,
                                    note: None,
                                },
                            )
                            .await
                    })
                    .await
                }
            };
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(_) => {
                    toasts.success(if active {
                        td_string!(locale, consents.withdrawn)
                    } else {
                        td_string!(locale, consents.granted)
                    });
                    on_change.run(());
                }
                Err(failure) => toasts.failure(locale, &failure),
            }
        });
    };

    view! {
        <li class="consent" data-testid=format!("consent-{}", purpose.as_str())>
            <div class="consent-state">
                <span class="consent-name">{move || labels::purpose(i18n.get_locale(), purpose)}</span>
                <span class="badge" class:badge-active=active class:badge-closed=!active data-testid="consent-state">
                    {move || if active { t_string!(i18n, consents.in_force) } else { t_string!(i18n, consents.not_given) }}
                </span>
                {since.map(|at| view! { <span class="muted small">{move || time::date(at, i18n.get_locale())}</span> })}
            </div>
            <Show when=move || session.has(Permission::ConsentsManage)>
                <div class="consent-action">
                    <select
                        aria-label=move || t_string!(i18n, consents.channel)
                        on:change=move |ev| channel.set(event_target_value(&ev))
                    >
                        {move || {
                            let locale = i18n.get_locale();
                            Channel::all()
                                .map(|c| view! { <option value=c.as_str()>{labels::channel(locale, c)}</option> })
                                .collect_view()
                        }}
                    </select>
                    <button class="button-small" class:button-danger=active disabled=move || busy.get() on:click=act>
                        {move || if active { t_string!(i18n, consents.withdraw) } else { t_string!(i18n, consents.grant) }}
                    </button>
                </div>
            </Show>
        </li>
    }
}
