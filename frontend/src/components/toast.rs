//! Short messages in a corner: errors stay until dismissed or replaced, successes fade.

use leptos::prelude::*;

use crate::api::Failure;
use crate::i18n::*;
use crate::labels;

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    id: u64,
    text: String,
    error: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next: StoredValue<u64>,
}

impl Toasts {
    pub fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        }
    }

    fn push(&self, text: String, error: bool) {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.items.update(|items| {
            items.retain(|t| t.text != text);
            items.push(Toast { id, text, error });
            if items.len() > 4 {
                items.remove(0);
            }
        });
        let items = self.items;
        let after = if error { 9000 } else { 4000 };
        set_timeout(
            move || items.update(|items| items.retain(|t| t.id != id)),
            std::time::Duration::from_millis(after),
        );
    }

    pub fn success(&self, text: impl Into<String>) {
        self.push(text.into(), false);
    }

    pub fn error(&self, text: impl Into<String>) {
        self.push(text.into(), true);
    }

    /// Shows what went wrong with a call, in the interface language.
    pub fn failure(&self, locale: Locale, failure: &Failure) {
        self.error(labels::failure(locale, failure));
    }

    /// A form's save failed: the failure goes to the form, which shows the server's field
    /// errors at their fields, and to a toast when it names no field (offline, refused, a
    /// conflict).
    /// A failed save: a problem without field errors as a toast; field errors at their
    /// fields, with the focus moved to the first.
    pub fn form_failure(&self, locale: Locale, form: RwSignal<Option<Failure>>, failure: Failure) {
        let at_fields = failure.has_field_errors();
        if !at_fields {
            self.failure(locale, &failure);
        }
        form.set(Some(failure));
        if at_fields {
            crate::components::forms::focus_first_invalid_field();
        }
    }
}

pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    let i18n = use_i18n();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || toasts.items.get() key=|t| t.id let:toast>
                <div class="toast" class:toast-error=toast.error data-testid="toast">
                    <span>{toast.text.clone()}</span>
                    <button
                        class="toast-close"
                        aria-label=move || t_string!(i18n, common.close)
                        on:click=move |_| toasts.items.update(|items| items.retain(|t| t.id != toast.id))
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}
