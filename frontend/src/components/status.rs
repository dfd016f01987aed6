//! Loading, empty and error states, and small badges.

use leptos::prelude::*;
use okno_api_types::CustomerStatus;

use crate::api::Failure;
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="loading" aria-busy="true">
            <span class="spinner"></span>
            {tr(|l| td_string!(l, common.loading))}
        </div>
    }
}

#[component]
pub fn Empty(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! { <p class="empty">{text}</p> }
}

#[component]
pub fn FailureNote(failure: Failure) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="failure" role="alert">{move || labels::failure(i18n.get_locale(), &failure)}</p> }
}

#[component]
pub fn StatusBadge(status: CustomerStatus) -> impl IntoView {
    let i18n = use_i18n();
    let class = format!("badge badge-{}", status.as_str());
    view! { <span class=class>{move || labels::status(i18n.get_locale(), status)}</span> }
}
