//! Signing in: staff with a username, subscribers with their account number.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use okno_api_types::ErrorCode;
use okno_api_types::auth::{LoginRequest, Realm};

use crate::api::Failure;
use crate::components::forms::Field;
use crate::i18n::*;
use crate::labels;
use crate::labels::{label, tr};
use crate::session::use_session;

#[component]
fn LoginForm(realm: Realm) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let navigate = navigate.clone();
        let request = LoginRequest {
            username: username.get_untracked(),
            password: password.get_untracked(),
            realm,
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match session.anonymous().login(&request).await {
                Ok(pair) => {
                    failure.set(None);
                    session.sign_in(pair);
                    // The landing page depends on the role, which `/auth/me` tells.
                    navigate(
                        if realm == Realm::Subscriber {
                            "/cabinet"
                        } else {
                            "/"
                        },
                        Default::default(),
                    );
                }
                Err(error) => failure.set(Some(error.into())),
            }
            busy.set(false);
        });
    };

    let message = move || {
        failure.with(|f| {
            f.as_ref().map(|f| match f.code() {
                Some(ErrorCode::ValidationFailed) => t_string!(i18n, login.fill_in).to_owned(),
                // The field says "Account number", so does the message.
                Some(ErrorCode::InvalidCredentials) if realm == Realm::Subscriber => {
                    t_string!(i18n, login.wrong_account_or_password).to_owned()
                }
                _ => labels::failure(i18n.get_locale(), f),
            })
        })
    };
    let (username_label, username_complete) = match realm {
        Realm::Staff => (label(|l| td_string!(l, login.username)), "username"),
        Realm::Subscriber => (label(|l| td_string!(l, login.account_number)), "username"),
    };

    view! {
        <form class="form" on:submit=submit novalidate data-testid="login-form">
            <Field label=username_label value=username name="username" autocomplete=username_complete required=true autofocus=true />
            <Field
                label=label(|l| td_string!(l, login.password))
                value=password
                name="password"
                input_type="password"
                autocomplete="current-password"
                required=true
            />
            <Show when=move || failure.with(Option::is_some)>
                <p class="failure" role="alert">{message}</p>
            </Show>
            <button class="button-primary" type="submit" disabled=move || busy.get()>
                {tr(|l| td_string!(l, login.submit))}
            </button>
        </form>
    }
}

#[component]
pub fn StaffLogin() -> impl IntoView {
    view! {
        <h1>{tr(|l| td_string!(l, login.staff_title))}</h1>
        <p class="lead">{tr(|l| td_string!(l, login.staff_lead))}</p>
        <LoginForm realm=Realm::Staff />
        <p class="aside">
            // The cabinet is an app of its own: a full page load, not a route of this one.
            <a href="/cabinet/login" rel="external">{tr(|l| td_string!(l, login.to_cabinet))}</a>
        </p>
    }
}

#[component]
pub fn SubscriberLogin() -> impl IntoView {
    view! {
        <h1>{tr(|l| td_string!(l, login.cabinet_title))}</h1>
        <p class="lead">{tr(|l| td_string!(l, login.cabinet_lead))}</p>
        <LoginForm realm=Realm::Subscriber />
        <p class="aside">
            <A href="/cabinet/forgot" attr:data-testid="forgot-password">{tr(|l| td_string!(l, login.forgot))}</A>
            " · "
            <A href="/cabinet/activate">{tr(|l| td_string!(l, login.to_activation))}</A>
            " · "
            <A href="/cabinet/faq" attr:data-testid="faq-link">{tr(|l| td_string!(l, faq.title))}</A>
            " · "
            <a href="/login" rel="external">{tr(|l| td_string!(l, login.to_staff))}</a>
        </p>
    }
}
