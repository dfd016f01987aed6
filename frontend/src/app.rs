//! The app: context (session, toasts, language), routes and the guards that keep each area to
//! the principals it is for.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;
use okno_api_types::Permission;
use okno_api_types::auth::PrincipalKind;

use crate::components::layout::{CabinetShell, PublicShell, StaffShell};
use crate::components::toast::{ToastRegion, Toasts};
use crate::i18n::*;
use crate::labels::tr;
use crate::pages;
use crate::session::{Session, use_session};
use crate::time::locale;

#[component]
pub fn App() -> impl IntoView {
    let session = Session::load();
    provide_context(session);
    provide_context(Toasts::new());
    session.keep_fresh();
    view! {
        <I18nContextProvider>
            <LanguagePreference />
            <Router>
                <Routes fallback=|| view! { <pages::NotFound /> }>
                    <Route path=path!("/") view=pages::Home />
                    <Route path=path!("/login") view=|| view! { <PublicShell><pages::login::StaffLogin /></PublicShell> } />
                    <Route path=path!("/cabinet/login") view=|| view! { <PublicShell><pages::login::SubscriberLogin /></PublicShell> } />
                    <Route path=path!("/cabinet/activate") view=|| view! { <PublicShell><pages::cabinet::Activate /></PublicShell> } />
                    <ParentRoute path=path!("/cabinet") view=SubscriberArea>
                        <Route path=path!("") view=pages::cabinet::CabinetHome />
                    </ParentRoute>
                    <ParentRoute path=path!("") view=StaffArea>
                        <Route path=path!("/customers") view=pages::customers::CustomersPage />
                        <Route path=path!("/customers/new") view=|| view! { <Allowed permission=Permission::CustomersWrite><pages::customers::CustomerForm /></Allowed> } />
                        <Route path=path!("/customers/:id") view=pages::customers::CustomerCard />
                        <Route path=path!("/customers/:id/edit") view=|| view! { <Allowed permission=Permission::CustomersWrite><pages::customers::CustomerForm /></Allowed> } />
                        <Route path=path!("/customers/:id/contracts/new") view=|| view! { <Allowed permission=Permission::ContractsWrite><pages::contracts::NewContractWizard /></Allowed> } />
                        <Route path=path!("/contracts") view=|| view! { <Allowed permission=Permission::ContractsRead><pages::contracts::ContractsPage /></Allowed> } />
                        <Route path=path!("/contracts/approvals") view=|| view! { <Allowed permission=Permission::ContractsApprove><pages::contracts::Approvals /></Allowed> } />
                        <Route path=path!("/contracts/:contract/edit") view=|| view! { <Allowed permission=Permission::ContractsWrite><pages::contracts::NewContractWizard /></Allowed> } />
                        <Route path=path!("/contracts/:id") view=|| view! { <Allowed permission=Permission::ContractsRead><pages::contracts::ContractPage /></Allowed> } />
                        <Route path=path!("/requests") view=|| view! { <Allowed permission=Permission::ContractsRead><pages::contracts::Requests /></Allowed> } />
                        <Route path=path!("/retention") view=|| view! { <Allowed permission=Permission::RetentionManage><pages::retention::Retention /></Allowed> } />
                        <Route path=path!("/price-list") view=|| view! { <Allowed permission=Permission::ReferenceRead><pages::price_list::PriceList /></Allowed> } />
                        <Route path=path!("/billing") view=|| view! { <Allowed permission=Permission::BillingRun><pages::billing::BillingRuns /></Allowed> } />
                        <Route path=path!("/invoices") view=|| view! { <Allowed permission=Permission::InvoicesRead><pages::billing::InvoicesPage /></Allowed> } />
                        <Route path=path!("/invoices/:id") view=|| view! { <Allowed permission=Permission::InvoicesRead><pages::billing::InvoicePage /></Allowed> } />
                        <Route path=path!("/admin/users") view=|| view! { <Allowed permission=Permission::UsersRead><pages::admin::Users /></Allowed> } />
                        <Route path=path!("/admin/sales-points") view=|| view! { <Allowed permission=Permission::SalesPointsManage><pages::admin::SalesPoints /></Allowed> } />
                        <Route path=path!("/admin/topics") view=|| view! { <Allowed permission=Permission::TopicsManage><pages::admin::Topics /></Allowed> } />
                        <Route path=path!("/admin/api-keys") view=|| view! { <Allowed permission=Permission::ApiKeysManage><pages::admin::ApiKeys /></Allowed> } />
                        <Route path=path!("/admin/audit") view=|| view! { <Allowed permission=Permission::AuditRead><pages::admin::AuditLog /></Allowed> } />
                    </ParentRoute>
                </Routes>
            </Router>
            <ToastRegion />
        </I18nContextProvider>
    }
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

/// Staff only: others are sent to sign in, subscribers to their cabinet.
#[component]
fn StaffArea() -> impl IntoView {
    let session = use_session();
    // Memoised: renewing the token replaces the session but not its kind, and must not
    // rebuild the pages under it (open forms would lose what was typed).
    let kind = Memo::new(move |_| session.kind());
    move || match kind.get() {
        None => view! { <Redirect path="/login" /> }.into_any(),
        Some(PrincipalKind::Subscriber) => view! { <Redirect path="/cabinet" /> }.into_any(),
        Some(_) => view! {
            <StaffShell>
                <leptos_router::components::Outlet />
            </StaffShell>
        }
        .into_any(),
    }
}

#[component]
fn SubscriberArea() -> impl IntoView {
    let session = use_session();
    // Memoised: renewing the token replaces the session but not its kind, and must not
    // rebuild the pages under it (open forms would lose what was typed).
    let kind = Memo::new(move |_| session.kind());
    move || match kind.get() {
        Some(PrincipalKind::Subscriber) => view! {
            <CabinetShell>
                <leptos_router::components::Outlet />
            </CabinetShell>
        }
        .into_any(),
        Some(_) => view! { <Redirect path="/customers" /> }.into_any(),
        None => view! { <Redirect path="/cabinet/login" /> }.into_any(),
    }
}

/// Shows the page only to principals holding `permission`.
#[component]
fn Allowed(permission: Permission, children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let allowed = Memo::new(move |_| session.has(permission));
    move || {
        if allowed.get() {
            children().into_any()
        } else {
            view! {
                <section class="page" data-testid="not-allowed">
                    <h1>{tr(|l| td_string!(l, nav.not_allowed))}</h1>
                    <p class="failure">{tr(|l| td_string!(l, error.forbidden))}</p>
                </section>
            }
            .into_any()
        }
    }
}
