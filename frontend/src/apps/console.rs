//! The operator console, served at `/`: its routes and the guards that keep it to staff, and
//! each page to the permissions it needs.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;
use okno_api_types::Permission;
use okno_api_types::auth::PrincipalKind;

use super::{Frame, LeaveFor, by_principal_kind};
use crate::components::layout::{PublicShell, StaffShell};
use crate::i18n::*;
use crate::labels::tr;
use crate::pages;
use crate::session::use_session;

#[component]
pub fn ConsoleApp() -> impl IntoView {
    view! {
        <Frame>
            <Router>
                <Routes fallback=|| view! { <pages::NotFound home="/" /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/login") view=|| view! { <PublicShell><pages::login::StaffLogin /></PublicShell> } />
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
                        <Route path=path!("/customers/:id/complaints/new") view=|| view! { <Allowed permission=Permission::ComplaintsRegister><pages::complaints::NewComplaint /></Allowed> } />
                        <Route path=path!("/complaints") view=|| view! { <Allowed permission=Permission::ComplaintsRead><pages::complaints::ComplaintsPage /></Allowed> } />
                        <Route path=path!("/complaints/monitoring") view=|| view! { <Allowed permission=Permission::ComplaintsRead><pages::complaints::ComplaintMonitoringPage /></Allowed> } />
                        <Route path=path!("/complaints/:id") view=|| view! { <Allowed permission=Permission::ComplaintsRead><pages::complaints::ComplaintPage /></Allowed> } />
                        <Route path=path!("/customers/:id/tickets/new") view=|| view! { <Allowed permission=Permission::TicketsWrite><pages::tickets::NewTicketPage /></Allowed> } />
                        <Route path=path!("/customers/:id/diagnose") view=|| view! { <Allowed permission=Permission::TicketsWrite><pages::tickets::ScriptRunner /></Allowed> } />
                        <Route path=path!("/tickets") view=|| view! { <Allowed permission=Permission::TicketsRead><pages::tickets::TicketsPage /></Allowed> } />
                        <Route path=path!("/tickets/settings") view=|| view! { <Allowed permission=Permission::TicketSettingsManage><pages::tickets::TicketSettingsPage /></Allowed> } />
                        <Route path=path!("/tickets/:id") view=|| view! { <Allowed permission=Permission::TicketsRead><pages::tickets::TicketPage /></Allowed> } />
                        <Route path=path!("/incidents") view=|| view! { <Allowed permission=Permission::TicketsRead><pages::tickets::IncidentsPage /></Allowed> } />
                        <Route path=path!("/incidents/:id") view=|| view! { <Allowed permission=Permission::TicketsRead><pages::tickets::IncidentPage /></Allowed> } />
                        <Route path=path!("/visits") view=|| view! { <Allowed permission=Permission::TicketsRead><pages::tickets::VisitsPage /></Allowed> } />
                        <Route path=path!("/scripts") view=|| view! { <Allowed permission=Permission::TicketsRead><pages::tickets::ScriptsPage /></Allowed> } />
                        <Route path=path!("/scripts/new") view=|| view! { <Allowed permission=Permission::TicketSettingsManage><pages::tickets::ScriptPage /></Allowed> } />
                        <Route path=path!("/scripts/:id") view=|| view! { <Allowed permission=Permission::TicketsRead><pages::tickets::ScriptPage /></Allowed> } />
                        <Route path=path!("/kb") view=|| view! { <Allowed permission=Permission::TicketsRead><pages::knowledge::KnowledgePage /></Allowed> } />
                        <Route path=path!("/kb/new") view=|| view! { <Allowed permission=Permission::KnowledgeManage><pages::knowledge::ArticleEditorPage /></Allowed> } />
                        <Route path=path!("/kb/:id") view=|| view! { <Allowed permission=Permission::TicketsRead><pages::knowledge::ArticlePage /></Allowed> } />
                        <Route path=path!("/kb/:id/edit") view=|| view! { <Allowed permission=Permission::KnowledgeManage><pages::knowledge::ArticleEditorPage /></Allowed> } />
                        <Route path=path!("/messages") view=|| view! { <Allowed permission=Permission::CustomersRead><pages::notifications::OutboxPage /></Allowed> } />
                        <Route path=path!("/retention") view=|| view! { <Allowed permission=Permission::RetentionManage><pages::retention::Retention /></Allowed> } />
                        <Route path=path!("/price-list") view=|| view! { <Allowed permission=Permission::ReferenceRead><pages::price_list::PriceList /></Allowed> } />
                        <Route path=path!("/billing") view=|| view! { <Allowed permission=Permission::BillingRun><pages::billing::BillingRuns /></Allowed> } />
                        <Route path=path!("/invoices") view=|| view! { <Allowed permission=Permission::InvoicesRead><pages::billing::InvoicesPage /></Allowed> } />
                        <Route path=path!("/invoices/:id") view=|| view! { <Allowed permission=Permission::InvoicesRead><pages::billing::InvoicePage /></Allowed> } />
                        <Route path=path!("/payments") view=|| view! { <Allowed permission=Permission::PaymentsRead><pages::payments::PaymentsPage /></Allowed> } />
                        <Route path=path!("/payment-imports") view=|| view! { <Allowed permission=Permission::PaymentsImport><pages::payments::PaymentImports /></Allowed> } />
                        <Route path=path!("/prepaid-cards") view=|| view! { <Allowed permission=Permission::PrepaidCardsManage><pages::payments::PrepaidCards /></Allowed> } />
                        <Route path=path!("/till") view=|| view! { <Allowed permission=Permission::TillOperate><pages::payments::TillDesk /></Allowed> } />
                        <Route path=path!("/tills") view=|| view! { <Allowed permission=Permission::TillsRead><pages::payments::TillsPage /></Allowed> } />
                        <Route path=path!("/admin/users") view=|| view! { <Allowed permission=Permission::UsersRead><pages::admin::Users /></Allowed> } />
                        <Route path=path!("/admin/sales-points") view=|| view! { <Allowed permission=Permission::SalesPointsManage><pages::admin::SalesPoints /></Allowed> } />
                        <Route path=path!("/admin/topics") view=|| view! { <Allowed permission=Permission::TopicsManage><pages::admin::Topics /></Allowed> } />
                        <Route path=path!("/admin/api-keys") view=|| view! { <Allowed permission=Permission::ApiKeysManage><pages::admin::ApiKeys /></Allowed> } />
                        <Route path=path!("/admin/message-templates") view=|| view! { <Allowed permission=Permission::TemplatesManage><pages::notifications::MessageTemplates /></Allowed> } />
                        <Route path=path!("/admin/audit") view=|| view! { <Allowed permission=Permission::AuditRead><pages::admin::AuditLog /></Allowed> } />
                    </ParentRoute>
                </Routes>
            </Router>
        </Frame>
    }
}

/// `/`: staff to where their work starts, others to sign in; subscribers to their cabinet.
#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    move || match session.kind() {
        None => view! { <Redirect path="/login" /> }.into_any(),
        Some(PrincipalKind::Subscriber) => view! { <LeaveFor path="/cabinet" /> }.into_any(),
        Some(_) => view! { <Redirect path=landing_page(&session) /> }.into_any(),
    }
}

/// Where a member of staff starts: a retention agent at the worklist, everyone else
/// at the customers.
fn landing_page(session: &crate::session::Session) -> &'static str {
    match session.me().map(|me| me.role) {
        Some(okno_api_types::Role::Retention) => "/retention",
        _ => "/customers",
    }
}

/// Staff only: others are sent to sign in, subscribers to their cabinet.
#[component]
fn StaffArea() -> impl IntoView {
    by_principal_kind(|kind| match kind {
        None => view! { <Redirect path="/login" /> }.into_any(),
        Some(PrincipalKind::Subscriber) => view! { <LeaveFor path="/cabinet" /> }.into_any(),
        Some(_) => view! {
            <StaffShell>
                <leptos_router::components::Outlet />
            </StaffShell>
        }
        .into_any(),
    })
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
