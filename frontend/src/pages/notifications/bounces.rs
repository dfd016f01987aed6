//! The e-mail addresses the mail server refused for good: e-mails to them are not sent
//! until someone clears the address, after a confirmation that says so.

use leptos::prelude::*;
use okno_api_types::Permission;
use okno_api_types::notifications::{EmailBounce, EmailBounceQuery};

use crate::api;
use crate::components::status::LoadedList;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::tr;
use crate::session::use_session;
use crate::time;

/// How many of the latest bounces are listed.
const SHOWN: u32 = 100;

#[component]
pub fn Bounces() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let version = RwSignal::new(0_u32);
    let bounces = LocalResource::new(move || {
        version.track();
        async move {
            let query = EmailBounceQuery { limit: Some(SHOWN) };
            api::call(session, async |client| client.email_bounces(&query).await).await
        }
    });
    // The address whose flag waits for confirmation to be cleared.
    let clearing = RwSignal::new(None::<String>);
    let may_clear = session.has(Permission::MessagesManage);
    view! {
        <div class="panel" data-testid="bounces">
            <h2>{tr(|l| td_string!(l, outbox.bounces))}</h2>
            <p class="muted small">{tr(|l| td_string!(l, outbox.bounces_lead))}</p>
            {move || clearing.get().map(|address| view! {
                <ClearConfirm
                    address
                    on_done=Callback::new(move |()| {
                        clearing.set(None);
                        version.update(|v| *v += 1);
                    })
                    on_cancel=Callback::new(move |()| clearing.set(None))
                />
            })}
            <LoadedList value=move || bounces.get() empty=|l| td_string!(l, outbox.bounces_none) let:list>
                <ul class="documents">
                    {list
                        .into_iter()
                        .map(|bounce: EmailBounce| {
                            let at = bounce.bounced_at;
                            let address = bounce.address.clone();
                            view! {
                                <li class="document" data-testid="bounce">
                                    <div class="wrap-anywhere">
                                        <p class="document-title">{bounce.address.clone()}</p>
                                        <p class="muted small">
                                            {tr(|l| td_string!(l, outbox.bounced_at))} " " {move || time::date_time(at, i18n.get_locale())}
                                            " · " {tr(|l| td_string!(l, outbox.reason))} ": " {bounce.reason.clone()}
                                        </p>
                                    </div>
                                    {may_clear.then(|| view! {
                                        <button
                                            class="button-small"
                                            data-testid="clear-bounce"
                                            on:click=move |_| clearing.set(Some(address.clone()))
                                        >
                                            {tr(|l| td_string!(l, outbox.clear))}
                                        </button>
                                    })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </LoadedList>
        </div>
    }
}

#[component]
fn ClearConfirm(
    address: String,
    #[prop(into)] on_done: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let keep = NodeRef::<leptos::html::Button>::new();
    let asked = address.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let address = address.clone();
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.clear_email_bounce(&address).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(()) => {
                    toasts
                        .success(td_string!(locale, outbox.cleared, address = address).to_string());
                    on_done.run(());
                }
                Err(failure) => toasts.failure(locale, &failure),
            }
        });
    };
    Effect::new(move || {
        if let Some(button) = keep.get() {
            let _ = button.focus();
        }
    });
    view! {
        <form class="form action-form" id="clear-confirm" on:submit=submit role="group" aria-labelledby="clear-question" data-testid="clear-confirm">
            <p id="clear-question"><strong>{move || t_string!(i18n, outbox.clear_confirm, address = asked.clone()).to_string()}</strong></p>
            <div class="form-actions">
                <button type="button" class="button-quiet" node_ref=keep on:click=move |_| on_cancel.run(())>{tr(|l| td_string!(l, common.cancel))}</button>
                <button type="submit" class="button" disabled=move || busy.get() data-testid="confirm-clear">{tr(|l| td_string!(l, outbox.clear))}</button>
            </div>
        </form>
    }
}
