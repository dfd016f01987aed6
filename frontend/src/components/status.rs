//! Loading, empty and error states, and small badges.

use std::sync::Arc;

use leptos::prelude::*;
use okno_api_types::{CustomerStatus, Department};

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
pub fn Empty(text: fn(Locale) -> &'static str) -> impl IntoView {
    view! { <p class="empty">{tr(text)}</p> }
}

#[component]
pub fn FailureNote(failure: Failure) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="failure" role="alert">{move || labels::failure(i18n.get_locale(), &failure)}</p> }
}

/// Why a form's last save failed, when no field shows it: the server could not be reached,
/// refused (not allowed, a conflict) or failed. Field errors show at their fields instead.
#[component]
pub fn FormFailure(failure: RwSignal<Option<Failure>>) -> impl IntoView {
    move || {
        failure
            .get()
            .filter(|f| !f.has_field_errors())
            .map(|failure| view! { <FailureNote failure /> })
    }
}

/// What a view waits for: [`Loading`] until it comes (nothing when `quiet`), the failure if
/// the call failed, else `children` with it. `value` is `move || resource.get()` for a
/// resource, or a signal's `get` for an answer kept in a signal. The view is inside a
/// `Suspense`, so a resource it reads holds it at loading until the resource is there.
#[component]
pub fn Loaded<T, C, V>(
    value: impl Fn() -> Option<Result<T, Failure>> + Send + Sync + 'static,
    children: C,
    #[prop(optional)] quiet: bool,
) -> impl IntoView
where
    T: 'static,
    C: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    suspended(
        quiet,
        Arc::new(move || match value() {
            None => waiting(quiet),
            Some(Err(failure)) => view! { <FailureNote failure /> }.into_any(),
            Some(Ok(value)) => children(value).into_any(),
        }),
    )
}

/// [`Loaded`] for a list: `empty`'s text when it has nothing.
#[component]
pub fn LoadedList<T, C, V>(
    value: impl Fn() -> Option<Result<Vec<T>, Failure>> + Send + Sync + 'static,
    empty: fn(Locale) -> &'static str,
    children: C,
    #[prop(optional)] quiet: bool,
) -> impl IntoView
where
    T: 'static,
    C: Fn(Vec<T>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Loaded value quiet let:list>
            {if list.is_empty() { view! { <Empty text=empty /> }.into_any() } else { children(list).into_any() }}
        </Loaded>
    }
}

fn waiting(quiet: bool) -> AnyView {
    if quiet {
        ().into_any()
    } else {
        view! { <Loading /> }.into_any()
    }
}

/// The one `Suspense` of every [`Loaded`]: not generic, so its code is in the app once.
fn suspended(quiet: bool, content: Arc<dyn Fn() -> AnyView + Send + Sync>) -> AnyView {
    view! { <Suspense fallback=move || waiting(quiet)>{move || content()}</Suspense> }.into_any()
}

#[component]
pub fn StatusBadge(status: CustomerStatus) -> impl IntoView {
    let i18n = use_i18n();
    let class = format!("badge badge-{}", status.as_str());
    view! { <span class=class>{move || labels::status(i18n.get_locale(), status)}</span> }
}

/// How a contact ended: settled in it, passed on to a department, or still open.
#[component]
pub fn ContactOutcome(settled: bool, department: Option<Department>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="badge" class:badge-active=settled class:badge-suspended=!settled>
            {move || if settled { t_string!(i18n, timeline.settled).to_owned() } else {
                match department {
                    Some(d) => format!("{} → {}", t_string!(i18n, timeline.routed), labels::department(i18n.get_locale(), d)),
                    None => t_string!(i18n, timeline.open).to_owned(),
                }
            }}
        </span>
    }
}
