//! The screens, by area.

pub mod admin;
pub mod billing;
pub mod cabinet;
pub mod complaints;
pub mod contracts;
pub mod customers;
pub mod knowledge;
pub mod login;
pub mod notifications;
pub mod payments;
pub mod price_list;
pub mod retention;
pub mod tickets;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::labels::tr;

/// A path the app has no page for; `home` is where its link leads: the app's own start.
#[component]
pub fn NotFound(home: &'static str) -> impl IntoView {
    view! {
        <div class="public">
            <main class="public-card">
                <h1>{tr(|l| td_string!(l, error.page_not_found))}</h1>
                <A href=home>{tr(|l| td_string!(l, common.home))}</A>
            </main>
        </div>
    }
}
