//! Labelled form fields with their error underneath, and helpers to read the server's field
//! errors.

use leptos::prelude::*;

use okno_domain::format;

use crate::api::Failure;
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;

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

/// A money amount that must be more than zero, typed as the interface language writes it
/// (`61,49`): what was typed and the field's error — "not an amount" once [`Self::read`]
/// failed, else the server's error for `field`.
#[derive(Clone, Copy)]
pub struct AmountField {
    pub text: RwSignal<String>,
    unreadable: RwSignal<bool>,
    pub error: Signal<Option<String>>,
}

impl AmountField {
    pub fn new(failure: RwSignal<Option<Failure>>, field: &'static str) -> Self {
        let unreadable = RwSignal::new(false);
        Self {
            text: RwSignal::new(String::new()),
            unreadable,
            error: checked(
                move || unreadable.get(),
                |l| td_string!(l, payments.amount_invalid),
                error_of(failure, field),
            ),
        }
    }

    /// The amount in minor units; none when it does not read as more than zero, with the
    /// field marked and the focus on the first invalid field of `form`.
    pub fn read(self, form: NodeRef<leptos::html::Form>) -> Option<i64> {
        let minor = format::parse_money(&self.text.get_untracked()).filter(|m| *m > 0);
        self.unreadable.set(minor.is_none());
        if minor.is_none() {
            focus_first_invalid(form);
        }
        minor
    }
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

/// What a field marked invalid matches (`aria-invalid="true"`, as [`Field`], [`TextArea`] and
/// [`Select`] mark a field with an error).
const INVALID: &str = "[aria-invalid='true']";

/// Moves the focus to `element`, scrolled into view, if it is one that takes it.
fn focus_on(element: Option<web_sys::Element>) {
    use wasm_bindgen::JsCast;
    if let Some(field) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        field.scroll_into_view();
        let _ = field.focus();
    }
}

/// After a failed save, moves the focus to the first field of `form` marked invalid, once
/// the view shows the errors.
pub fn focus_first_invalid(form: NodeRef<leptos::html::Form>) {
    request_animation_frame(move || {
        focus_on(
            form.get_untracked()
                .and_then(|form| form.query_selector(INVALID).ok().flatten()),
        );
    });
}

/// After a failed save, the focus goes to the first field of the page marked invalid, for
/// forms that do not hold a reference to themselves.
pub fn focus_first_invalid_field() {
    request_animation_frame(move || {
        focus_on(
            document()
                .query_selector(&format!("form {INVALID}"))
                .ok()
                .flatten(),
        );
    });
}

/// The fields of a form that show an error, in the order they were drawn, for its
/// [`ErrorSummary`]. A form provides it (`provide_context(FormErrors::default())`); each
/// [`Field`], [`TextArea`] and [`Select`] inside registers itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormErrors {
    fields: RwSignal<Vec<ShownError>>,
}

#[derive(Debug, Clone)]
struct ShownError {
    id: String,
    label: Signal<String>,
    error: Signal<Option<String>>,
}

impl FormErrors {
    fn register(id: &str, label: Signal<String>, error: Signal<Option<String>>) {
        let Some(errors) = use_context::<Self>() else {
            return;
        };
        let id = id.to_owned();
        errors.fields.update(|f| {
            f.push(ShownError {
                id: id.clone(),
                label,
                error,
            })
        });
        on_cleanup(move || {
            let _ = errors.fields.try_update(|f| f.retain(|e| e.id != id));
        });
    }
}

/// A form's errors at its top, each a link to its field (the GOV.UK error summary): after a
/// failed save the user sees at once what to fix, wherever the fields are.
#[component]
pub fn ErrorSummary() -> impl IntoView {
    let errors = expect_context::<FormErrors>();
    let shown = move || {
        errors.fields.with(|fields| {
            fields
                .iter()
                .filter_map(|f| f.error.get().map(|e| (f.id.clone(), f.label.get(), e)))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !shown().is_empty()>
            <div class="error-summary" role="alert" data-testid="error-summary">
                <h2>{tr(|l| td_string!(l, forms.problem))}</h2>
                <ul>
                    {move || {
                        shown()
                            .into_iter()
                            .map(|(id, label, error)| {
                                let target = id.clone();
                                view! {
                                    <li>
                                        <a href=format!("#{id}") on:click=move |ev| {
                                            ev.prevent_default();
                                            focus_by_id(&target);
                                        }>{format!("{label}: {error}")}</a>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}

fn focus_by_id(id: &str) {
    focus_on(document().get_element_by_id(id));
}

/// `error` until the user changes the field: a server's verdict on the old value is not
/// one on the new (a tariff chosen after "Required." is not "Does not exist."). The next
/// answer shows again.
fn until_edited(error: Signal<Option<String>>) -> (Signal<Option<String>>, RwSignal<bool>) {
    let edited = RwSignal::new(false);
    Effect::new(move |_| {
        error.track();
        edited.set(false);
    });
    let shown = Signal::derive(move || if edited.get() { None } else { error.get() });
    (shown, edited)
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
    /// The cursor starts here (the first field of a sign-in form).
    #[prop(optional)]
    autofocus: bool,
) -> impl IntoView {
    let id = field_id(name.unwrap_or("field"));
    let (error, edited) = until_edited(error);
    FormErrors::register(&id, label, error);
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
                autofocus=autofocus
                placeholder=move || placeholder.map(|p| p.get())
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| {
                    edited.set(true);
                    value.set(event_target_value(&ev));
                }
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
    /// Lines shown before it scrolls; 3 when not given.
    #[prop(optional)]
    rows: Option<u32>,
) -> impl IntoView {
    let id = field_id(name.unwrap_or("text"));
    let (error, edited) = until_edited(error);
    FormErrors::register(&id, label, error);
    let error_id = format!("{id}-error");
    let described = {
        let error_id = error_id.clone();
        move || error.with(Option::is_some).then(|| error_id.clone())
    };
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}{required.then_some(view! { <span class="required">" *"</span> })}</label>
            <textarea
                id=id
                name=name
                rows=rows.unwrap_or(3)
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| {
                    edited.set(true);
                    value.set(event_target_value(&ev));
                }
            ></textarea>
            <Show when=move || error.with(Option::is_some)>
                <p class="field-error" id=error_id.clone()>{move || error.get()}</p>
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
    let (error, edited) = until_edited(error);
    FormErrors::register(&id, label, error);
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                on:change=move |ev| {
                    edited.set(true);
                    value.set(event_target_value(&ev));
                }
                prop:value=move || value.get()
            >
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
