//! `/admin/api-keys`: credentials for integrations. The secret is shown once, right after it
//! is created.

use leptos::prelude::*;
use okno_api_types::Permission;
use okno_api_types::api_keys::{CreatedApiKey, NewApiKey};
use okno_domain::access::integration_grantable;

use crate::api::{self, Failure};
use crate::components::forms::{Field, error_of};
use crate::components::status::{FormFailure, Loaded};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::{label, tr};
use crate::session::use_session;
use crate::time;

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
    let created = RwSignal::new(None::<CreatedApiKey>);
    let failure = RwSignal::new(None::<Failure>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let key = NewApiKey {
            name: name.get_untracked(),
            scopes: scopes.get_untracked(),
            expires_at: None,
        };
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| client.create_api_key(&key).await).await {
                Ok(key) => {
                    failure.set(None);
                    name.set(String::new());
                    created.set(Some(key));
                    version.update(|v| *v += 1);
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let revoke = move |id: i64| {
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| client.revoke_api_key(id).await).await {
                Ok(()) => {
                    toasts.success(td_string!(i18n.get_locale_untracked(), admin.key_revoked));
                    version.update(|v| *v += 1);
                }
                Err(failure) => toasts.failure(i18n.get_locale_untracked(), &failure),
            }
        });
    };

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
                <form class="form" on:submit=submit novalidate>
                    <Field label=label(|l| td_string!(l, admin.name)) value=name name="name" required=true error=error_of(failure, "name") />
                    <fieldset class="scopes">
                        <legend>{tr(|l| td_string!(l, admin.scopes))}</legend>
                        {Permission::all()
                            .filter(|p| integration_grantable(*p))
                            .map(|p| view! {
                                <label class="checkbox">
                                    <input
                                        type="checkbox"
                                        value=p.as_str()
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
                    {move || error_of(failure, "scopes").get().map(|e| view! { <p class="field-error">{e}</p> })}
                    <FormFailure failure />
                    <div class="form-actions"><button class="button-primary" type="submit">{tr(|l| td_string!(l, common.create))}</button></div>
                </form>
            </details>
            <Loaded value=move || keys.get() let:list>
                        <div class="table-wrap">
                            <table class="table">
                                <thead><tr>
                                    <th>{tr(|l| td_string!(l, admin.name))}</th>
                                    <th>{tr(|l| td_string!(l, admin.prefix))}</th>
                                    <th>{tr(|l| td_string!(l, admin.scopes))}</th>
                                    <th>{tr(|l| td_string!(l, admin.last_used))}</th>
                                    <th></th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|key| {
                                        let id = key.id;
                                        let revoked = key.revoked_at.is_some();
                                        let scopes = key.scopes.clone();
                                        let last_used = key.last_used_at;
                                        view! {
                                            <tr class:inactive=revoked>
                                                <td>{key.name}</td>
                                                <td class="mono">{key.prefix}"…"</td>
                                                <td>{move || scopes.iter().map(|p| labels::permission(i18n.get_locale(), *p)).collect::<Vec<_>>().join(", ")}</td>
                                                <td>{move || last_used.map(|t| time::date_time(t, i18n.get_locale())).unwrap_or_default()}</td>
                                                <td>
                                                    {if revoked {
                                                        view! { <span class="badge badge-closed">{tr(|l| td_string!(l, admin.revoked))}</span> }.into_any()
                                                    } else {
                                                        view! { <button class="button-small button-danger" on:click=move |_| revoke(id)>{tr(|l| td_string!(l, admin.revoke))}</button> }.into_any()
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
