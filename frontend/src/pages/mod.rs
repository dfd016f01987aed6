//! The screens, by area.

pub mod admin;
pub mod billing;
pub mod cabinet;
pub mod contracts;
pub mod customers;
pub mod login;
pub mod price_list;
pub mod retention;

use leptos::prelude::*;
use leptos_router::components::{A, Redirect};
use okno_api_types::auth::PrincipalKind;

use crate::i18n::*;
use crate::labels::tr;
use crate::session::use_session;

/// `/`: each principal to their area.
#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    move || match session.kind() {
        None => view! { <Redirect path="/login" /> },
        Some(PrincipalKind::Subscriber) => view! { <Redirect path="/cabinet" /> },
        Some(_) => view! { <Redirect path=landing_page(&session) /> },
    }
}

/// Where a member of staff starts: a retention agent at the worklist, everyone else
/// at the customers.
pub fn landing_page(session: &crate::session::Session) -> &'static str {
    match session.me().map(|me| me.role) {
        Some(okno_api_types::Role::Retention) => "/retention",
        _ => "/customers",
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <div class="public">
            <main class="public-card">
                <h1>{tr(|l| td_string!(l, error.page_not_found))}</h1>
                <A href="/">{tr(|l| td_string!(l, common.home))}</A>
            </main>
        </div>
    }
}
