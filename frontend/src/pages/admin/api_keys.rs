//! `/admin/api-keys`: credentials for integrations. The secret is shown once, right after it
//! is created; a key may be given a day from which it is refused.

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use okno_api_types::Permission;
use okno_api_types::api_keys::{ApiKey, CreatedApiKey, NewApiKey};
use okno_domain::access::integration_grantable;

use crate::api::{self, Failure};
use crate::components::forms::{Field, checked, error_of, focus_first_invalid};
use crate::components::status::{FormFailure, Loaded};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::{label, tr};
use crate::session::use_session;
use crate::time;

/// The `expires_at` of a key whose "expires on" input holds `date` (yyyy-mm-dd, as a date
/// input gives it): the start of that day, UTC; none when the input is empty. `Err` when it
/// holds something that is not a date.
fn expiry(date: &str) -> Result<Option<DateTime<Utc>>, chrono::ParseError> {
    let date = date.trim();
    if date.is_empty() {
        return Ok(None);
    }
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d")?;
    Ok(day.and_hms_opt(0, 0, 0).map(|start| start.and_utc()))
}

/// Whether the date input `name` of `form` holds a date the browser could not read (typed in
/// part): its value is then empty, as if no date had been given.
fn half_typed(form: NodeRef<leptos::html::Form>, name: &str) -> bool {
    use wasm_bindgen::JsCast;

    form.get_untracked()
        .and_then(|form| {
            form.query_selector(&format!("input[name='{name}']"))
                .ok()
                .flatten()
        })
        .and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|input| input.validity().bad_input())
}

/// Whether `key` is refused for having expired by `now`.
fn expired(key: &ApiKey, now: DateTime<Utc>) -> bool {
    key.expires_at.is_some_and(|at| at <= now)
}

#[component]
pub fn ApiKeys() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let version = RwSignal::new(0_u32);
    let keys = LocalResource::new(move || {
        version.track();
        async move { api::call(session, async |client| client.api_keys().await).await }
    });
    let name = RwSignal::new(String::new());
    let scopes = RwSignal::new(vec![Permission::CustomersRead]);
    let expires_on = RwSignal::new(String::new());
    // The "expires on" input holds something that is not a date; checked before sending.
    let bad_date = RwSignal::new(false);
    let created = RwSignal::new(None::<CreatedApiKey>);
    let failure = RwSignal::new(None::<Failure>);
    let form = NodeRef::<leptos::html::Form>::new();
    // The key whose revocation waits for confirmation: its id and name.
    let confirming = RwSignal::new(None::<(i64, String)>);
    let revoking = RwSignal::new(false);
    let keep = NodeRef::<leptos::html::Button>::new();

    let expiry_error = checked(
        move || bad_date.get(),
        |l| td_string!(l, admin.invalid_date),
        error_of(failure, "expires_at"),
    );
    let scopes_error = error_of(failure, "scopes");

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let read = expiry(&expires_on.get_untracked());
        let Some(expires_at) = read.ok().filter(|_| !half_typed(form, "expires_at")) else {
            bad_date.set(true);
            focus_first_invalid(form);
            return;
        };
        bad_date.set(false);
        let key = NewApiKey {
            name: name.get_untracked(),
            scopes: scopes.get_untracked(),
            expires_at,
        };
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| client.create_api_key(&key).await).await {
                Ok(key) => {
                    failure.set(None);
                    name.set(String::new());
                    expires_on.set(String::new());
                    created.set(Some(key));
                    version.update(|v| *v += 1);
                }
                Err(error) => {
                    failure.set(Some(error));
                    focus_first_invalid(form);
                }
            }
        });
    };
    let revoke = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((id, _)) = confirming.get_untracked() else {
            return;
        };
        revoking.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| client.revoke_api_key(id).await).await;
            revoking.set(false);
            confirming.set(None);
            match result {
                Ok(()) => {
                    toasts.success(td_string!(i18n.get_locale_untracked(), admin.key_revoked));
                    version.update(|v| *v += 1);
                }
                Err(failure) => toasts.failure(i18n.get_locale_untracked(), &failure),
            }
        });
    };
    // The confirmation opens with the focus on the way out of it.
    Effect::new(move || {
        if let Some(button) = keep.get() {
            let _ = button.focus();
        }
    });

    view! {
        <section class="page">
            <div class="page-head"><h1>{tr(|l| td_string!(l, admin.api_keys))}</h1></div>
            {move || created.get().map(|key| view! {
                <div class="secret secret-big" data-testid="api-key-secret">
                    <p><strong>{tr(|l| td_string!(l, admin.secret_once))}</strong></p>
                    <code class="mono secret-value">{key.secret.clone()}</code>
                    <button class="button-small" on:click=move |_| created.set(None)>{tr(|l| td_string!(l, admin.secret_stored))}</button>
                </div>
            })}
            <details class="panel" open>
                <summary>{tr(|l| td_string!(l, admin.new_key))}</summary>
                <form class="form" on:submit=submit node_ref=form novalidate>
                    <Field label=label(|l| td_string!(l, admin.name)) value=name name="name" required=true error=error_of(failure, "name") />
                    <fieldset class="scopes" aria-describedby=move || scopes_error.with(Option::is_some).then_some("api-key-scopes-error")>
                        <legend>{tr(|l| td_string!(l, admin.scopes))}</legend>
                        {Permission::all()
                            .filter(|p| integration_grantable(*p))
                            .map(|p| view! {
                                <label class="checkbox">
                                    <input
                                        type="checkbox"
                                        value=p.as_str()
                                        aria-invalid=move || scopes_error.with(Option::is_some).then_some("true")
                                        prop:checked=move || scopes.with(|s| s.contains(&p))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            scopes.update(|s| if on { s.push(p) } else { s.retain(|x| *x != p) });
                                        }
                                    />
                                    <span>{move || labels::permission(i18n.get_locale(), p)}</span>
                                </label>
                            })
                            .collect_view()}
                    </fieldset>
                    {move || scopes_error.get().map(|e| view! { <p class="field-error" id="api-key-scopes-error">{e}</p> })}
                    <Field
                        label=label(|l| td_string!(l, admin.expires_on))
                        value=expires_on
                        name="expires_at"
                        input_type="date"
                        hint=label(|l| td_string!(l, admin.expires_hint))
                        error=expiry_error
                    />
                    <FormFailure failure />
                    <div class="form-actions"><button class="button-primary" type="submit">{tr(|l| td_string!(l, common.create))}</button></div>
                </form>
            </details>
            {move || confirming.get().map(|(_, key_name)| view! {
                <form class="form action-form" id="revoke-confirm" on:submit=revoke role="group" aria-labelledby="revoke-question" data-testid="revoke-confirm">
                    <p id="revoke-question"><strong>{move || t_string!(i18n, admin.revoke_confirm, name = key_name.clone())}</strong></p>
                    <div class="form-actions">
                        <button type="button" class="button-quiet" node_ref=keep on:click=move |_| confirming.set(None)>{tr(|l| td_string!(l, common.cancel))}</button>
                        <button type="submit" class="button button-danger" disabled=move || revoking.get() data-testid="confirm-revoke">{tr(|l| td_string!(l, admin.revoke))}</button>
                    </div>
                </form>
            })}
            <Loaded value=move || keys.get() let:list>
                        <div class="table-wrap">
                            <table class="table" data-testid="api-keys">
                                <thead><tr>
                                    <th>{tr(|l| td_string!(l, admin.name))}</th>
                                    <th class="hide-narrow">{tr(|l| td_string!(l, admin.prefix))}</th>
                                    <th class="hide-narrow">{tr(|l| td_string!(l, admin.scopes))}</th>
                                    <th class="hide-narrow">{tr(|l| td_string!(l, admin.last_used))}</th>
                                    <th>{tr(|l| td_string!(l, admin.expires))}</th>
                                    <th></th>
                                </tr></thead>
                                <tbody>
                                    {let now = Utc::now();
                                    list.into_iter().map(|key| {
                                        let id = key.id;
                                        let revoked = key.revoked_at.is_some();
                                        let expired = expired(&key, now);
                                        let scopes = key.scopes.clone();
                                        let last_used = key.last_used_at;
                                        let expires_at = key.expires_at;
                                        let asked = key.name.clone();
                                        view! {
                                            <tr class:inactive=revoked || expired>
                                                <td>{key.name}</td>
                                                <td class="mono nowrap hide-narrow">{key.prefix}"…"</td>
                                                <td class="hide-narrow">{move || scopes.iter().map(|p| labels::permission(i18n.get_locale(), *p)).collect::<Vec<_>>().join(", ")}</td>
                                                <td class="hide-narrow">{move || last_used.map(|t| time::date_time(t, i18n.get_locale())).unwrap_or_default()}</td>
                                                <td>
                                                    <span class="nowrap">
                                                        {move || match expires_at {
                                                            Some(at) => time::date(at, i18n.get_locale()),
                                                            None => t_string!(i18n, admin.never).to_owned(),
                                                        }}
                                                    </span>
                                                    {expired.then(|| view! { " " <span class="badge badge-closed" data-testid="api-key-expired">{tr(|l| td_string!(l, admin.expired))}</span> })}
                                                </td>
                                                <td>
                                                    {if revoked {
                                                        view! { <span class="badge badge-closed">{tr(|l| td_string!(l, admin.revoked))}</span> }.into_any()
                                                    } else {
                                                        view! {
                                                            <button
                                                                class="button-small button-danger"
                                                                aria-expanded=move || confirming.with(|c| c.as_ref().is_some_and(|(open, _)| *open == id)).to_string()
                                                                aria-controls="revoke-confirm"
                                                                on:click=move |_| confirming.set(Some((id, asked.clone())))
                                                            >
                                                                {tr(|l| td_string!(l, admin.revoke))}
                                                            </button>
                                                        }.into_any()
                                                    }}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
            </Loaded>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use chrono::{SecondsFormat, TimeZone};
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    #[wasm_bindgen_test]
    fn a_day_expires_the_key_at_its_start_utc() {
        let at = expiry("2027-03-31").expect("a date").expect("an expiry");
        assert_eq!(
            Utc.with_ymd_and_hms(2027, 3, 31, 0, 0, 0).single(),
            Some(at)
        );
        assert_eq!(
            at.to_rfc3339_opts(SecondsFormat::Secs, true),
            "2027-03-31T00:00:00Z"
        );
    }

    #[wasm_bindgen_test]
    fn an_empty_input_is_a_key_that_does_not_expire() {
        assert_eq!(expiry(""), Ok(None));
        assert_eq!(expiry("  "), Ok(None));
    }

    #[wasm_bindgen_test]
    fn what_is_not_a_day_is_refused() {
        assert!(expiry("31.03.2027").is_err());
        assert!(expiry("2027-02-30").is_err());
        assert!(expiry("tomorrow").is_err());
    }
}
