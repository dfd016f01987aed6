//! `/contracts/approvals`: the manager's queue: contracts signed at their sales point
//! and waiting for approval, oldest first, to be approved the same day.

use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::contracts::{
    Contract, ContractAction, ContractQuery, ContractStatus, TransitionRequest,
};

use crate::api::{self, Failure};
use crate::components::status::LoadedList;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::tr;
use crate::session::use_session;
use crate::time;

#[component]
pub fn Approvals() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let queue = RwSignal::new(None::<Result<Vec<Contract>, Failure>>);
    let reload = move || {
        let sales_point_id = session.me().and_then(|m| m.sales_point_id);
        leptos::task::spawn_local(async move {
            let query = ContractQuery {
                status: Some(ContractStatus::Signed),
                sales_point_id,
                limit: Some(200),
                ..ContractQuery::default()
            };
            let result = api::call(session, async |client| client.contracts(&query).await)
                .await
                .map(|page| {
                    let mut items = page.items;
                    items.sort_by_key(|c| (c.signed_on, c.id));
                    items
                });
            queue.set(Some(result));
        });
    };
    reload();

    // Approving starts the service: the row asks first, saying when.
    let confirming = RwSignal::new(None::<i64>);
    let approve = move |contract: Contract| {
        confirming.set(None);
        leptos::task::spawn_local(async move {
            let request = TransitionRequest {
                version: Some(contract.version),
                ..TransitionRequest::default()
            };
            let result = api::call(session, async |client| {
                client
                    .contract_action(contract.id, ContractAction::Approve, &request)
                    .await
            })
            .await;
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(done) => {
                    toasts.success(td_string!(locale, approvals.approved, number = done.number))
                }
                Err(failure) => toasts.failure(locale, &failure),
            }
            reload();
        });
    };

    view! {
        <section class="page" data-testid="approvals">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, approvals.title))}</h1>
                    <p class="muted">{tr(|l| td_string!(l, approvals.lead))}</p>
                </div>
            </div>
            <LoadedList value=move || queue.get() empty=|l| td_string!(l, approvals.empty) let:list>
                    <div class="table-wrap">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th>{tr(|l| td_string!(l, contracts.number))}</th>
                                    <th>{tr(|l| td_string!(l, customers.name))}</th>
                                    <th class="hide-narrow">{tr(|l| td_string!(l, contracts.services))}</th>
                                    <th>{tr(|l| td_string!(l, contract.signed_on))}</th>
                                    <th class="hide-narrow">{tr(|l| td_string!(l, contract.created))}</th>
                                    <th><span class="sr-only">{tr(|l| td_string!(l, approvals.actions))}</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|c| {
                                        let tariffs = super::current_tariffs(&c, super::today());
                                        let signed = c.signed_on;
                                        let late = signed.is_some_and(|d| d < super::today());
                                        let row = c.clone();
                                        let id = c.id;
                                        let starts = c.start_date.max(super::today());
                                        view! {
                                            <tr data-testid="approval-row">
                                                <td class="mono nowrap"><A href=format!("/contracts/{}", c.id)>{c.number.clone()}</A></td>
                                                <td><A href=format!("/customers/{}", c.customer_id)>{c.customer_name.clone()}</A></td>
                                                <td class="hide-narrow">{tariffs}</td>
                                                <td class="nowrap" class:overdue=late>{move || signed.map(|d| time::day(d, i18n.get_locale()))}</td>
                                                <td class="hide-narrow muted">{c.created_by.clone()}</td>
                                                <td class="row-end">
                                                    <Show
                                                        when=move || confirming.get() == Some(id)
                                                        fallback=move || view! {
                                                            <A href=format!("/contracts/{id}") attr:class="button-small">{tr(|l| td_string!(l, approvals.review))}</A>
                                                            <button class="button-small button-primary" data-testid="approve" on:click=move |_| confirming.set(Some(id))>
                                                                {tr(|l| td_string!(l, contract_action.approve))}
                                                            </button>
                                                        }
                                                    >
                                                        {
                                                            let row = row.clone();
                                                            view! {
                                                                <span class="muted" data-testid="approve-effect">
                                                                    {move || t_string!(i18n, approvals.confirm, date = time::day(starts, i18n.get_locale()))}
                                                                </span>
                                                                <button class="button-small" on:click=move |_| confirming.set(None)>{tr(|l| td_string!(l, common.cancel))}</button>
                                                                <button class="button-small button-primary" data-testid="confirm-approve" on:click=move |_| approve(row.clone())>
                                                                    {tr(|l| td_string!(l, approvals.confirm_button))}
                                                                </button>
                                                            }
                                                        }
                                                    </Show>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
            </LoadedList>
        </section>
    }
}
