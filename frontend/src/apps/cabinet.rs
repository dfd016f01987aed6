//! The subscriber cabinet, served at `/cabinet`: signing in, activation and the subscriber's
//! own pages.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;
use okno_api_types::auth::PrincipalKind;

use super::{Frame, LeaveFor, by_principal_kind};
use crate::components::layout::{CabinetShell, PublicShell};
use crate::pages;

#[component]
pub fn CabinetApp() -> impl IntoView {
    view! {
        <Frame>
            <Router>
                <Routes fallback=|| view! { <pages::NotFound home="/cabinet" /> }>
                    <Route path=path!("/cabinet/login") view=|| view! { <PublicShell><pages::login::SubscriberLogin /></PublicShell> } />
                    <Route path=path!("/cabinet/forgot") view=|| view! { <PublicShell><pages::cabinet::ForgotPassword /></PublicShell> } />
                    <Route path=path!("/cabinet/activate") view=|| view! { <PublicShell><pages::cabinet::Activate /></PublicShell> } />
                    <Route path=path!("/cabinet/faq") view=FaqArea />
                    <ParentRoute path=path!("/cabinet") view=SubscriberArea>
                        <Route path=path!("") view=pages::cabinet::CabinetHome />
                        <Route path=path!("online-payments/:id") view=pages::cabinet::OnlinePaymentReturn />
                        <Route path=path!("complaints") view=pages::cabinet::MyComplaints />
                        <Route path=path!("complaints/new") view=pages::cabinet::FileComplaint />
                        <Route path=path!("complaints/:id") view=pages::cabinet::MyComplaintPage />
                        <Route path=path!("tickets") view=pages::cabinet::MyTickets />
                        <Route path=path!("tickets/new") view=pages::cabinet::ReportFault />
                        <Route path=path!("tickets/:id") view=pages::cabinet::MyTicketPage />
                    </ParentRoute>
                </Routes>
            </Router>
        </Frame>
    }
}

/// The FAQ is open to anyone: in the cabinet's frame for a subscriber, the public one else.
#[component]
fn FaqArea() -> impl IntoView {
    by_principal_kind(|kind| match kind {
        Some(PrincipalKind::Subscriber) => {
            view! { <CabinetShell><pages::cabinet::Faq /></CabinetShell> }.into_any()
        }
        _ => view! { <PublicShell wide=true><pages::cabinet::Faq /></PublicShell> }.into_any(),
    })
}

/// Subscribers only: others are sent to sign in, staff to the console.
#[component]
fn SubscriberArea() -> impl IntoView {
    by_principal_kind(|kind| match kind {
        Some(PrincipalKind::Subscriber) => view! {
            <CabinetShell>
                <leptos_router::components::Outlet />
            </CabinetShell>
        }
        .into_any(),
        Some(_) => view! { <LeaveFor path="/customers" /> }.into_any(),
        None => view! { <Redirect path="/cabinet/login" /> }.into_any(),
    })
}
