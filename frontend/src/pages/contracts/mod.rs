//! Contracts in the console: the wizard from the customer card, the contract with its
//! lifecycle buttons, the manager's approval queue and the subscribers' requests.

mod actions;
mod approvals;
mod documents;
mod list;
mod requests;
mod view;
mod wizard;

pub use approvals::Approvals;
pub use documents::DocumentList;
pub use list::{ContractTable, ContractsPage};
pub use requests::{Requests, request_summary};
pub use view::ContractPage;
pub use wizard::NewContractWizard;

use leptos::prelude::*;
use okno_api_types::contracts::{Contract, ContractStatus};

use crate::i18n::*;
use crate::labels;

/// A contract's status, with the last day of service beside it while a notice of termination
/// or a fixed term runs (`ends_on`).
#[component]
pub fn ContractStatusBadge(
    status: ContractStatus,
    ends_on: Option<chrono::NaiveDate>,
) -> impl IntoView {
    let i18n = use_i18n();
    let class = match status {
        ContractStatus::Active => "badge badge-active",
        ContractStatus::Draft | ContractStatus::Signed | ContractStatus::Approved => {
            "badge badge-prospect"
        }
        ContractStatus::Suspended => "badge badge-suspended",
        ContractStatus::Terminated | ContractStatus::Withdrawn | ContractStatus::Cancelled => {
            "badge badge-closed"
        }
    };
    let until = ends_on.filter(|_| status.is_in_force());
    view! {
        <span class=class data-testid="contract-status">{move || labels::contract_status(i18n.get_locale(), status)}</span>
        {until.map(|day| view! {
            " "
            <span class="muted" data-testid="contract-ends-on">
                {move || t_string!(i18n, contracts.ends_on, date = crate::time::day(day, i18n.get_locale()))}
            </span>
        })}
    }
}

/// The tariffs a contract's services are on today, for lists.
pub fn current_tariffs(contract: &Contract, today: chrono::NaiveDate) -> String {
    contract
        .subscriptions
        .iter()
        .filter_map(|s| {
            s.tariffs
                .iter()
                .rev()
                .find(|t| t.effective_from <= today)
                .or_else(|| s.tariffs.first())
        })
        .map(|t| t.tariff_name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Today in the browser's time zone.
pub fn today() -> chrono::NaiveDate {
    crate::time::local(chrono::Utc::now()).date()
}
