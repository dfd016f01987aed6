//! The frame of every page: header with navigation by role, the search box, the language
//! switcher and the user menu.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use okno_api_types::Permission;
use okno_api_types::auth::PrincipalKind;

use crate::components::search::SearchBox;
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::session::use_session;

#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let choices = [
        (Locale::en, "EN", "English"),
        (Locale::pl, "PL", "Polski"),
        (Locale::ru, "RU", "Русский"),
    ];
    view! {
        <div class="languages" role="group" aria-label=move || t_string!(i18n, nav.language)>
            {choices
                .into_iter()
                .map(|(locale, short, full)| {
                    view! {
                        <button
                            class="lang"
                            class:lang-active=move || i18n.get_locale() == locale
                            aria-pressed=move || (i18n.get_locale() == locale).to_string()
                            title=full
                            data-testid=format!("lang-{short}")
                            on:click=move |_| {
                                // Chosen here: signing in does not switch to the language on record.
                                if let Ok(Some(storage)) = window().local_storage() {
                                    let _ = storage.set_item(crate::apps::LANGUAGE_CHOSEN_KEY, "1");
                                }
                                i18n.set_locale(locale)
                            }
                        >
                            {short}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let logout = move |_| {
        let navigate = navigate.clone();
        let subscriber = session.kind() == Some(PrincipalKind::Subscriber);
        leptos::task::spawn_local(async move {
            let _ = session.client().logout().await;
            session.sign_out();
            navigate(
                if subscriber {
                    "/cabinet/login"
                } else {
                    "/login"
                },
                Default::default(),
            );
        });
    };
    view! {
        <div class="user">
            {move || {
                session
                    .me()
                    .map(|me| {
                        view! {
                            <span class="user-name">{me.display_name.clone()}</span>
                            <span class="user-role">{move || labels::role(i18n.get_locale(), me.role)}</span>
                        }
                    })
            }}
            <button class="button-quiet" data-testid="logout" on:click=logout>
                {tr(|l| td_string!(l, nav.logout))}
            </button>
        </div>
    }
}

/// The staff navigation. On a phone it folds behind a Menu button, which following a link
/// folds again.
#[component]
fn StaffNav(open: RwSignal<bool>) -> impl IntoView {
    let session = use_session();
    let admin = move || {
        [
            Permission::UsersRead,
            Permission::SalesPointsManage,
            Permission::ApiKeysManage,
            Permission::AuditRead,
            Permission::TopicsManage,
            Permission::TemplatesManage,
            Permission::TicketSettingsManage,
        ]
        .into_iter()
        .any(|p| session.has(p))
    };
    view! {
        <nav class="nav" class:nav-open=move || open.get() id="staff-nav" aria-label="main" on:click=move |ev| {
            use wasm_bindgen::JsCast;
            let on_link = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|e| e.closest("a").ok().flatten().is_some());
            if on_link {
                open.set(false);
            }
        }>
            <A href="/customers" exact=true>{tr(|l| td_string!(l, nav.customers))}</A>
            <Show when=move || session.has(Permission::CustomersWrite)>
                <A href="/customers/new">{tr(|l| td_string!(l, nav.new_customer))}</A>
            </Show>
            <Show when=move || session.has(Permission::ContractsRead)>
                <A href="/contracts" exact=true>{tr(|l| td_string!(l, nav.contracts))}</A>
            </Show>
            <Show when=move || session.has(Permission::ContractsApprove)>
                <A href="/contracts/approvals">{tr(|l| td_string!(l, nav.approvals))}</A>
            </Show>
            <Show when=move || session.has(Permission::ContractsWrite)>
                <A href="/requests">{tr(|l| td_string!(l, nav.requests))}</A>
            </Show>
            <Show when=move || session.has(Permission::ComplaintsRead)>
                <A href="/complaints">{tr(|l| td_string!(l, nav.complaints))}</A>
            </Show>
            <Show when=move || session.has(Permission::TicketsRead)>
                <A href="/tickets">{tr(|l| td_string!(l, nav.tickets))}</A>
                <A href="/incidents">{tr(|l| td_string!(l, nav.incidents))}</A>
                <A href="/visits">{tr(|l| td_string!(l, nav.visits))}</A>
                <A href="/kb">{tr(|l| td_string!(l, nav.knowledge))}</A>
            </Show>
            <Show when=move || session.has(Permission::CustomersRead)>
                <A href="/messages">{tr(|l| td_string!(l, nav.messages))}</A>
            </Show>
            <Show when=move || session.has(Permission::RetentionManage)>
                <A href="/retention">{tr(|l| td_string!(l, nav.retention))}</A>
            </Show>
            <Show when=move || session.has(Permission::ReferenceRead)>
                <A href="/price-list">{tr(|l| td_string!(l, nav.price_list))}</A>
            </Show>
            <Show when=move || session.has(Permission::InvoicesRead)>
                <A href="/invoices">{tr(|l| td_string!(l, nav.invoices))}</A>
            </Show>
            <Show when=move || session.has(Permission::TillOperate)>
                <A href="/till">{tr(|l| td_string!(l, nav.till))}</A>
            </Show>
            <Show when=move || session.has(Permission::PaymentsRead)>
                <A href="/payments">{tr(|l| td_string!(l, nav.payments))}</A>
            </Show>
            <Show when=move || session.has(Permission::PaymentsImport)>
                <A href="/payment-imports">{tr(|l| td_string!(l, nav.imports))}</A>
            </Show>
            <Show when=move || session.has(Permission::PrepaidCardsManage)>
                <A href="/prepaid-cards">{tr(|l| td_string!(l, nav.cards))}</A>
            </Show>
            <Show when=move || session.has(Permission::TillsRead)>
                <A href="/tills">{tr(|l| td_string!(l, nav.tills))}</A>
            </Show>
            <Show when=move || session.has(Permission::BillingRun)>
                <A href="/billing">{tr(|l| td_string!(l, nav.billing))}</A>
            </Show>
            <Show when=admin>
                <details class="menu" data-testid="admin-menu">
                    <summary>{tr(|l| td_string!(l, nav.admin))}</summary>
                    <div class="menu-items">
                        <Show when=move || session.has(Permission::UsersRead)>
                            <A href="/admin/users">{tr(|l| td_string!(l, nav.users))}</A>
                        </Show>
                        <Show when=move || session.has(Permission::SalesPointsManage)>
                            <A href="/admin/sales-points">{tr(|l| td_string!(l, nav.sales_points))}</A>
                        </Show>
                        <Show when=move || session.has(Permission::TopicsManage)>
                            <A href="/admin/topics">{tr(|l| td_string!(l, nav.topics))}</A>
                        </Show>
                        <Show when=move || session.has(Permission::TicketSettingsManage)>
                            <A href="/scripts">{tr(|l| td_string!(l, nav.scripts))}</A>
                            <A href="/tickets/settings">{tr(|l| td_string!(l, nav.ticket_settings))}</A>
                        </Show>
                        <Show when=move || session.has(Permission::TemplatesManage)>
                            <A href="/admin/message-templates">{tr(|l| td_string!(l, nav.message_templates))}</A>
                        </Show>
                        <Show when=move || session.has(Permission::ApiKeysManage)>
                            <A href="/admin/api-keys">{tr(|l| td_string!(l, nav.api_keys))}</A>
                        </Show>
                        <Show when=move || session.has(Permission::AuditRead)>
                            <A href="/admin/audit">{tr(|l| td_string!(l, nav.audit))}</A>
                        </Show>
                    </div>
                </details>
            </Show>
        </nav>
    }
}

/// The page frame for staff: the search box always at hand, and the navigation on a row of
/// its own, since how many links it has depends on the role.
#[component]
pub fn StaffShell(children: Children) -> impl IntoView {
    let menu_open = RwSignal::new(false);
    view! {
        <header class="header header-staff">
            <div class="header-top">
                <A href="/customers" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    "Okno"
                </A>
                <button
                    type="button"
                    class="button-quiet nav-toggle"
                    aria-controls="staff-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    data-testid="nav-toggle"
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                >
                    {tr(|l| td_string!(l, nav.menu))}
                </button>
                <SearchBox />
                <LanguageSwitcher />
                <UserMenu />
            </div>
            <StaffNav open=menu_open />
        </header>
        <main class="main">{children()}</main>
    }
}

/// The page frame of the cabinet.
#[component]
pub fn CabinetShell(children: Children) -> impl IntoView {
    view! {
        <header class="header header-cabinet">
            <A href="/cabinet" attr:class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                "Okno"
            </A>
            <span class="header-title">{tr(|l| td_string!(l, cabinet.title))}</span>
            <LanguageSwitcher />
            <UserMenu />
        </header>
        <main class="main main-narrow">{children()}</main>
    }
}

/// The frame of the sign-in pages.
#[component]
pub fn PublicShell(
    children: Children,
    /// A page to read (the FAQ) rather than a form to fill.
    #[prop(optional)]
    wide: bool,
) -> impl IntoView {
    view! {
        <div class="public" class:public-wide=wide>
            <header class="public-top">
                <span class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    "Okno"
                </span>
                <LanguageSwitcher />
            </header>
            <main class="public-card">{children()}</main>
        </div>
    }
}
