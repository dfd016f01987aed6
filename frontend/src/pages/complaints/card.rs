//! The customer's complaints on the card: each with its state, the days left to answer it and
//! whether it is a repeat; a new one is registered from here.

use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::Permission;
use okno_api_types::complaints::{ComplaintQuery, ComplaintSummary};

use super::register::ComplaintTable;
use crate::api::{self, Failure};
use crate::components::status::LoadedList;
use crate::i18n::*;
use crate::labels::tr;
use crate::session::use_session;

/// How many of the customer's complaints the card shows; the register has them all.
const SHOWN: u32 = 20;

#[component]
pub fn CustomerComplaints(customer_id: i64) -> impl IntoView {
    let session = use_session();
    let complaints = RwSignal::new(None::<Result<Vec<ComplaintSummary>, Failure>>);
    leptos::task::spawn_local(async move {
        let query = ComplaintQuery {
            customer_id: Some(customer_id),
            limit: Some(SHOWN),
            ..ComplaintQuery::default()
        };
        complaints.set(Some(
            api::call(session, async |client| client.complaints(&query).await)
                .await
                .map(|page| page.items),
        ));
    });
    view! {
        <div class="panel" data-testid="customer-complaints">
            <div class="panel-head">
                <h2>{tr(|l| td_string!(l, complaints.title))}</h2>
                <Show when=move || session.has(Permission::ComplaintsRegister)>
                    <A href=format!("/customers/{customer_id}/complaints/new") attr:class="button-small button-primary" attr:data-testid="new-complaint">
                        {tr(|l| td_string!(l, complaints.new_complaint))}
                    </A>
                </Show>
            </div>
            <LoadedList value=move || complaints.get() empty=|l| td_string!(l, complaints.none_for_customer) let:list>
                <ComplaintTable complaints=Signal::derive(move || list.clone()) without_customer=true />
                <p class="small">
                    <A href=format!("/complaints?customer_id={customer_id}")>{tr(|l| td_string!(l, complaints.all_of_customer))}</A>
                </p>
            </LoadedList>
        </div>
    }
}
