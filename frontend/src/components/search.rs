//! The search box in the header: type-ahead over `/customers?q=`, debounced, with the previous
//! request aborted as soon as the text changes, and keyboard navigation of the results.

use futures_util::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use okno_api_types::customers::{CustomerQuery, CustomerSummary};

use crate::api::{self, Failure};
use crate::components::status::StatusBadge;
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::session::use_session;

const DEBOUNCE_MS: u64 = 250;
const SUGGESTIONS: u32 = 8;

#[component]
pub fn SearchBox() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let text = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Result<Vec<CustomerSummary>, Failure>>);
    let highlighted = RwSignal::new(None::<usize>);
    let open = RwSignal::new(false);
    let in_flight = StoredValue::new(None::<AbortHandle>);

    let search = move |query: String| {
        if let Some(previous) = in_flight.get_value() {
            previous.abort();
        }
        if query.trim().chars().count() < 2 {
            results.set(None);
            open.set(false);
            return;
        }
        let (handle, registration) = AbortHandle::new_pair();
        in_flight.set_value(Some(handle));
        let request = async move {
            gloo_timers::future::sleep(std::time::Duration::from_millis(DEBOUNCE_MS)).await;
            let query = CustomerQuery {
                q: Some(query),
                limit: Some(SUGGESTIONS),
                ..Default::default()
            };
            let found = api::call(session, async |client| client.customers(&query).await).await;
            results.set(Some(found.map(|page| page.items)));
            highlighted.set(None);
            open.set(true);
        };
        leptos::task::spawn_local(async move {
            let _ = Abortable::new(request, registration).await;
        });
    };

    let navigate = StoredValue::new_local(navigate);
    let open_customer = move |id: i64| {
        open.set(false);
        text.set(String::new());
        results.set(None);
        navigate.with_value(|navigate| navigate(&format!("/customers/{id}"), Default::default()));
    };

    let on_keydown = {
        move |ev: web_sys::KeyboardEvent| {
            let count =
                results.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, Vec::len));
            match ev.key().as_str() {
                "ArrowDown" if count > 0 => {
                    ev.prevent_default();
                    open.set(true);
                    highlighted.update(|h| *h = Some(h.map_or(0, |i| (i + 1).min(count - 1))));
                }
                "ArrowUp" if count > 0 => {
                    ev.prevent_default();
                    highlighted.update(|h| *h = h.and_then(|i| i.checked_sub(1)));
                }
                "Enter" => {
                    ev.prevent_default();
                    let chosen = highlighted.get_untracked().and_then(|i| {
                        results.with_untracked(|r| {
                            r.as_ref()
                                .and_then(|r| r.as_ref().ok())
                                .and_then(|r| r.get(i))
                                .map(|c| c.id)
                        })
                    });
                    match chosen {
                        Some(id) => open_customer(id),
                        None => {
                            let query = text.get_untracked();
                            if query.trim().chars().count() >= 2 {
                                open.set(false);
                                let target = format!(
                                    "/customers?q={}",
                                    js_sys::encode_uri_component(&query)
                                );
                                navigate
                                    .with_value(|navigate| navigate(&target, Default::default()));
                            }
                        }
                    }
                }
                "Escape" => open.set(false),
                _ => {}
            }
        }
    };

    view! {
        <div class="search" role="search">
            <input
                type="search"
                class="search-input"
                data-testid="search"
                autocomplete="off"
                role="combobox"
                aria-expanded=move || open.get().to_string()
                aria-controls="search-results"
                aria-autocomplete="list"
                // A screen reader reads the suggestion the arrows are on, while focus stays here.
                aria-activedescendant=move || {
                    highlighted
                        .get()
                        .filter(|_| open.get())
                        .map(|index| format!("search-result-{index}"))
                }
                aria-label=move || t_string!(i18n, nav.search_label)
                placeholder=move || t_string!(i18n, nav.search_placeholder)
                prop:value=move || text.get()
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    text.set(value.clone());
                    search(value);
                }
                on:keydown=on_keydown
                on:focus=move |_| open.set(results.with(Option::is_some))
                on:blur=move |_| {
                    set_timeout(move || open.set(false), std::time::Duration::from_millis(150));
                }
            />
            <Show when=move || open.get()>
                <ul class="search-results" id="search-results" role="listbox">
                    {move || match results.get() {
                        None => ().into_any(),
                        Some(Err(failure)) => {
                            view! { <li class="search-empty">{labels::failure(i18n.get_locale(), &failure)}</li> }.into_any()
                        }
                        Some(Ok(found)) if found.is_empty() => {
                            view! { <li class="search-empty">{tr(|l| td_string!(l, search.nothing_found))}</li> }.into_any()
                        }
                        Some(Ok(found)) => {
                            found
                                .into_iter()
                                .enumerate()
                                .map(|(index, customer)| {
                                    let id = customer.id;
                                    view! {
                                        <li
                                            role="option"
                                            id=format!("search-result-{index}")
                                            class="search-result"
                                            data-testid="search-result"
                                            class:search-result-active=move || highlighted.get() == Some(index)
                                            aria-selected=move || (highlighted.get() == Some(index)).to_string()
                                            on:mousedown=move |ev| {
                                                ev.prevent_default();
                                                open_customer(id);
                                            }
                                        >
                                            <span class="search-result-main">
                                                <strong>{customer.display_name.clone()}</strong>
                                                <span class="mono">{customer.account_number.clone()}</span>
                                                <StatusBadge status=customer.status />
                                            </span>
                                            <span class="search-result-sub">
                                                {[customer.address.clone(), customer.phone.as_deref().map(okno_domain::customers::shown_phone)]
                                                    .into_iter()
                                                    .flatten()
                                                    .collect::<Vec<_>>()
                                                    .join(" · ")}
                                            </span>
                                        </li>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }
                    }}
                </ul>
            </Show>
        </div>
    }
}
