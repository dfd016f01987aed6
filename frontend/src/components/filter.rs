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

/// The query string of the filters that are set (`?status=failed&event=…`), empty for none.
pub fn query_string(filters: &[(&str, String)]) -> String {
    let set: Vec<String> = filters
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", js_sys::encode_uri_component(value)))
        .collect();
    if set.is_empty() {
        String::new()
    } else {
        format!("?{}", set.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::query_string;

    #[wasm_bindgen_test]
    fn only_the_filters_set_go_into_the_address() {
        assert_eq!(query_string(&[("status", String::new())]), "");
        assert_eq!(
            query_string(&[
                ("status", "failed".into()),
                ("event", String::new()),
                ("channel", "sms".into()),
            ]),
            "?status=failed&channel=sms"
        );
    }

    #[wasm_bindgen_test]
    fn a_value_is_encoded_for_the_address() {
        assert_eq!(query_string(&[("q", "a&b c".into())]), "?q=a%26b%20c");
    }
}
