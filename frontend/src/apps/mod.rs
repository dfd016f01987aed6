//! The two apps — the operator console and the subscriber cabinet — and what both stand on:
//! the session, toasts and language, and the way from one app to the other (a full page
//! load, since each is its own download).

pub mod cabinet;
pub mod console;

use leptos::prelude::*;
use okno_api_types::auth::PrincipalKind;

use crate::components::toast::{ToastRegion, Toasts};
use crate::i18n::*;
use crate::session::{Session, use_session};
use crate::time::locale;

/// The context every screen of either app relies on, around the app's router.
#[component]
fn Frame(children: Children) -> impl IntoView {
    let session = Session::load();
    provide_context(session);
    provide_context(Toasts::new());
    session.keep_fresh();
    view! {
        <I18nContextProvider>
            <LanguagePreference />
            {children()}
            <ToastRegion />
        </I18nContextProvider>
    }
}

/// An area of an app, drawn by `area` for the kind of principal signed in (none when signed
/// out). The kind is memoised: renewing the token replaces the session but not its kind, and
/// must not rebuild the pages under it (open forms would lose what was typed).
fn by_principal_kind(
    area: impl Fn(Option<PrincipalKind>) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let kind = Memo::new(move |_| session.kind());
    move || area(kind.get())
}

/// Sends the browser to a page of the other app (`/cabinet/…` from the console, anything else
/// from the cabinet) as soon as it is shown: the router knows only its own app's pages, so
/// this is a full page load.
#[component]
fn LeaveFor(path: &'static str) -> impl IntoView {
    Effect::new(move |_| {
        let _ = window().location().replace(path);
    });
}

const LANGUAGE_KEY: &str = "okno.language";
/// Set once someone picks a language with the switcher on this browser.
pub const LANGUAGE_CHOSEN_KEY: &str = "okno.language.chosen";

/// The interface language: the one chosen last on this browser (else the browser's own), and
/// a subscriber's preferred language when they sign in.
#[component]
fn LanguagePreference() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let storage = window().local_storage().ok().flatten();
    let remembered = storage
        .as_ref()
        .and_then(|s| s.get_item(LANGUAGE_KEY).ok().flatten())
        .and_then(|code| code.parse::<okno_api_types::Language>().ok());
    // The provider settles its initial language in an effect of its own; this one runs after
    // it, so the remembered choice wins, and from then on every choice is remembered.
    let restored = StoredValue::new(false);
    Effect::new(move |_| {
        let current = i18n.get_locale();
        if !restored.get_value() {
            restored.set_value(true);
            if let Some(language) = remembered
                && locale(language) != current
            {
                i18n.set_locale(locale(language));
                return;
            }
        }
        if let Some(storage) = &storage {
            let _ = storage.set_item(LANGUAGE_KEY, crate::time::language(current).as_str());
        }
    });
    Effect::new(move |previous: Option<Option<i64>>| {
        let me = session.me();
        let id = me.as_ref().map(|m| m.id);
        let chosen_here = window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(LANGUAGE_CHOSEN_KEY).ok().flatten())
            .is_some();
        if previous.flatten() != id
            && !chosen_here
            && let Some(language) = me.and_then(|m| m.preferred_language)
        {
            i18n.set_locale(locale(language));
        }
        id
    });
}
