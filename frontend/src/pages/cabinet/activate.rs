//! `/cabinet/activate`: the account number, a one-time code and a password — the first
//! activation with the code the operator gave, or a new password with the code a reset sent.
//! The e-mailed link (`?account=…&code=…`) fills in the first two.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use okno_api_types::cabinet::ActivateRequest;

use crate::api::Failure;
use crate::components::forms::{Field, error_of};
use crate::components::status::FormFailure;
use crate::i18n::*;
use crate::labels::{label, tr};
use crate::session::use_session;

#[component]
pub fn Activate() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let from_link = |name: &str| query.with_untracked(|q| q.get(name)).unwrap_or_default();
    let account_number = RwSignal::new(from_link("account"));
    let code = RwSignal::new(from_link("code"));
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let mismatch = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if password.get_untracked() != repeat.get_untracked() {
            mismatch.set(true);
            return;
        }
        mismatch.set(false);
        let navigate = navigate.clone();
        let request = ActivateRequest {
            account_number: account_number.get_untracked(),
            activation_code: code.get_untracked(),
            password: password.get_untracked(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match session.anonymous().activate_cabinet(&request).await {
                Ok(pair) => {
                    session.sign_in(pair);
                    navigate("/cabinet", Default::default());
                }
                Err(error) => failure.set(Some(error.into())),
            }
            busy.set(false);
        });
    };

    view! {
        <h1>{tr(|l| td_string!(l, activate.title))}</h1>
        <p class="lead">{tr(|l| td_string!(l, activate.lead))}</p>
        <form class="form" on:submit=submit novalidate data-testid="activate-form">
            <Field label=label(|l| td_string!(l, login.account_number)) value=account_number name="account_number" autocomplete="username" required=true error=error_of(failure, "account_number") />
            <Field label=label(|l| td_string!(l, activate.code)) value=code name="activation_code" autocomplete="one-time-code" required=true error=error_of(failure, "activation_code") />
            <Field label=label(|l| td_string!(l, activate.password)) value=password name="password" input_type="password" autocomplete="new-password" required=true error=error_of(failure, "password") />
            <Field
                label=label(|l| td_string!(l, activate.repeat))
                value=repeat
                name="repeat"
                input_type="password"
                autocomplete="new-password"
                required=true
                error=Signal::derive(move || mismatch.get().then(|| t_string!(i18n, activate.mismatch).to_owned()))
            />
            <FormFailure failure />
            <button class="button-primary" type="submit" disabled=move || busy.get()>{tr(|l| td_string!(l, activate.submit))}</button>
        </form>
        <p class="aside">
            <A href="/cabinet/forgot">{tr(|l| td_string!(l, activate.new_code))}</A>
            " · "
            <A href="/cabinet/login">{tr(|l| td_string!(l, activate.have_password))}</A>
        </p>
    }
}
