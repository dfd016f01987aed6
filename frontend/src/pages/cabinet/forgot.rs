//! `/cabinet/forgot`: a subscriber who forgot the password gives the account number or the
//! e-mail address on record and gets a one-time code by the channels on record. The answer
//! is the same whether or not an account was found; the code is then entered on the
//! activation page.

use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::notifications::PasswordResetRequest;

use crate::api::Failure;
use crate::components::forms::{Field, error_of, focus_first_invalid};
use crate::components::status::FailureNote;
use crate::i18n::*;
use crate::labels::{label, tr};
use crate::session::use_session;

/// The activation page, with the account number filled in when that is what was typed.
fn activation_link(login: &str) -> String {
    let login = login.trim();
    if !login.is_empty() && login.chars().all(|c| c.is_ascii_digit() || c == ' ') {
        format!("/cabinet/activate?account={}", login.replace(' ', ""))
    } else {
        "/cabinet/activate".to_owned()
    }
}

#[component]
pub fn ForgotPassword() -> impl IntoView {
    let session = use_session();
    let login = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    // The login the code was asked for, once the server took the request.
    let asked = RwSignal::new(None::<String>);
    let form = NodeRef::<leptos::html::Form>::new();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = PasswordResetRequest {
            login: login.get_untracked(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = session.anonymous().request_password_reset(&request).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    failure.set(None);
                    asked.set(Some(request.login));
                }
                Err(error) => {
                    let error = Failure::from(error);
                    let at_fields = error.has_field_errors();
                    failure.set(Some(error));
                    if at_fields {
                        focus_first_invalid(form);
                    }
                }
            }
        });
    };

    view! {
        <h1>{tr(|l| td_string!(l, forgot.title))}</h1>
        {move || match asked.get() {
            Some(login) => view! {
                <p class="secret" role="status" data-testid="reset-sent">{tr(|l| td_string!(l, forgot.sent))}</p>
                <p><A href=activation_link(&login) attr:class="button-primary button-wrap" attr:data-testid="to-activation">{tr(|l| td_string!(l, forgot.enter_code))}</A></p>
            }
            .into_any(),
            None => view! {
                <p class="lead">{tr(|l| td_string!(l, forgot.lead))}</p>
                <form class="form" on:submit=submit node_ref=form novalidate data-testid="forgot-form">
                    <Field label=label(|l| td_string!(l, forgot.login)) value=login name="login" autocomplete="username" required=true autofocus=true error=error_of(failure, "login") />
                    <Refusal failure />
                    <button class="button-primary" type="submit" disabled=move || busy.get()>{tr(|l| td_string!(l, forgot.submit))}</button>
                </form>
            }
            .into_any(),
        }}
        <p class="aside"><A href="/cabinet/login">{tr(|l| td_string!(l, forgot.back))}</A></p>
    }
}

/// Why the request was not taken, when no field is to blame: too many requests from this
/// connection (429) in words of its own, else the failure as the app says it.
#[component]
fn Refusal(failure: RwSignal<Option<Failure>>) -> impl IntoView {
    move || {
        failure.get().filter(|f| !f.has_field_errors()).map(|f| {
            if f.problem().is_some_and(|p| p.status == 429) {
                view! { <p class="failure" role="alert" data-testid="too-many">{tr(|l| td_string!(l, forgot.too_many))}</p> }.into_any()
            } else {
                view! { <FailureNote failure=f /> }.into_any()
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::activation_link;

    #[wasm_bindgen_test]
    fn an_account_number_typed_is_filled_in_on_the_activation_page() {
        assert_eq!(
            activation_link(" 100 000 017 "),
            "/cabinet/activate?account=100000017"
        );
    }

    #[wasm_bindgen_test]
    fn an_e_mail_address_is_not() {
        assert_eq!(
            activation_link("anna.kowalska@example.pl"),
            "/cabinet/activate"
        );
        assert_eq!(activation_link(""), "/cabinet/activate");
    }
}
