//! Labelled form fields with their error underneath, and helpers to read the server's field
//! errors.

use leptos::prelude::*;

use crate::api::Failure;
use crate::i18n::*;
use crate::labels;

/// The translated error the server reported for `field`, if any.
pub fn field_error(locale: Locale, failure: Option<&Failure>, field: &str) -> Option<String> {
    let problem = failure?.problem()?;
    problem
        .field_error(field)
        .map(|e| labels::field_error(locale, e))
}

/// A field's error: `text` while `wrong` holds (a value checked before it is sent, such as an
/// amount that does not read), else the server's `error`.
pub fn checked(
    wrong: impl Fn() -> bool + Send + Sync + 'static,
    text: fn(Locale) -> &'static str,
    error: Signal<Option<String>>,
) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        if wrong() {
            Some(text(i18n.get_locale()).to_owned())
        } else {
            error.get()
        }
    })
}

/// A reactive field error, for a `Field`'s `error` prop.
pub fn error_of(failure: RwSignal<Option<Failure>>, field: &'static str) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || failure.with(|f| field_error(i18n.get_locale(), f.as_ref(), field)))
}

/// Like [`error_of`] for a field whose path is computed (`phones[2].value`).
pub fn error_at(failure: RwSignal<Option<Failure>>, field: String) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || failure.with(|f| field_error(i18n.get_locale(), f.as_ref(), &field)))
}

/// The options of a [`Select`] (or a filter) over an enum's values: its wire name and its
/// name in the interface language.
pub fn enum_options<E>(
    values: impl IntoIterator<Item = E>,
    name_of: fn(Locale, E) -> &'static str,
) -> Signal<Vec<(String, String)>>
where
    E: Copy + Into<&'static str> + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let values: Vec<E> = values.into_iter().collect();
    Signal::derive(move || {
        let locale = i18n.get_locale();
        values
            .iter()
            .map(|v| {
                (
                    Into::<&'static str>::into(*v).to_owned(),
                    name_of(locale, *v).to_owned(),
                )
            })
            .collect()
    })
}

/// After a failed save, moves the focus to the first field of `form` marked invalid
/// (`aria-invalid="true"`, as [`Field`] and [`TextArea`] mark a field with an error), once
/// the view shows the errors.
pub fn focus_first_invalid(form: NodeRef<leptos::html::Form>) {
    use wasm_bindgen::JsCast;

    request_animation_frame(move || {
        let Some(form) = form.get_untracked() else {
            return;
        };
        if let Ok(Some(field)) = form.query_selector("[aria-invalid='true']")
            && let Ok(field) = field.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = field.focus();
        }
    });
}

static NEXT_ID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

fn field_id(name: &str) -> String {
    let n = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("f-{name}-{n}")
}

/// A text input with its label and error.
#[component]
pub fn Field(
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] placeholder: Option<Signal<String>>,
    /// A line under the input saying what it takes, read out with it.
    #[prop(into, optional)]
    hint: Option<Signal<String>>,
) -> impl IntoView {
    let id = field_id(name.unwrap_or("field"));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let error_id = error_id.clone();
        let hint_id = hint.is_some().then(|| hint_id.clone());
        move || {
            let error = error.with(Option::is_some).then(|| error_id.clone());
            let ids: Vec<String> = hint_id.iter().cloned().chain(error).collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}{required.then_some(view! { <span class="required">" *"</span> })}</label>
            <input
                id=id
                name=name
                type=input_type.unwrap_or("text")
                autocomplete=autocomplete
                placeholder=move || placeholder.map(|p| p.get())
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            <Show when=move || error.with(Option::is_some)>
                <p class="field-error" id=error_id.clone()>{move || error.get()}</p>
            </Show>
        </div>
    }
}

/// A multi-line input with its label and error.
#[component]
pub fn TextArea(
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = field_id(name.unwrap_or("text"));
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}{required.then_some(view! { <span class="required">" *"</span> })}</label>
            <textarea
                id=id
                name=name
                rows="3"
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            <Show when=move || error.with(Option::is_some)>
                <p class="field-error">{move || error.get()}</p>
            </Show>
        </div>
    }
}

/// A select over `options` given as (value, label) pairs.
#[component]
pub fn Select(
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(optional)] name: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(name.unwrap_or("select"));
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <select id=id name=name on:change=move |ev| value.set(event_target_value(&ev)) prop:value=move || value.get()>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(option, text)| {
                            let selected = value.try_with_untracked(|v| *v == option).unwrap_or(false);
                            view! { <option value=option selected=selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <Show when=move || error.with(Option::is_some)>
                <p class="field-error">{move || error.get()}</p>
            </Show>
        </div>
    }
}

/// A checkbox with its label.
#[component]
pub fn Checkbox(
    #[prop(into)] label: Signal<String>,
    checked: RwSignal<bool>,
    #[prop(optional)] name: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label class="checkbox">
            <input
                type="checkbox"
                name=name
                prop:checked=move || checked.get()
                on:change=move |ev| checked.set(event_target_checked(&ev))
            />
            <span>{label}</span>
        </label>
    }
}
