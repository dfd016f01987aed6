//! Filters above a list.

use leptos::prelude::*;

use super::forms::enum_options;
use crate::i18n::*;
use crate::labels::tr;

/// A filter on one of an enum's values, "All" first. `value` holds the chosen value's wire
/// name, empty for all, ready to `parse().ok()` into the query.
#[component]
pub fn EnumFilter<E>(
    label: fn(Locale) -> &'static str,
    value: RwSignal<String>,
    values: impl IntoIterator<Item = E>,
    /// The name of a value in the interface language (`labels::status`, ...).
    name_of: fn(Locale, E) -> &'static str,
    #[prop(optional)] name: Option<&'static str>,
) -> impl IntoView
where
    E: Copy + Into<&'static str> + Send + Sync + 'static,
{
    let options = enum_options(values, name_of);
    view! {
        <label class="filter">
            <span>{tr(label)}</span>
            <select name=name on:change=move |ev| value.set(event_target_value(&ev)) prop:value=move || value.get()>
                <option value="">{tr(|l| td_string!(l, common.all))}</option>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(option, text)| {
                            let selected = value.with_untracked(|v| *v == option);
                            view! { <option value=option selected=selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}
