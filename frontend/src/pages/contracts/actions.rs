//! The lifecycle buttons of a contract view. Each opens a small inline form for what the
//! action needs (a reason, a date, a tariff) and only the actions that the contract's state
//! and the user's permissions allow are offered.

use chrono::NaiveDate;
use leptos::prelude::*;
use okno_api_types::contracts::{
    Contract, ContractAction, ContractStatus, SuspensionReason, TariffChangeRequest,
    TermsChangeRequest, TransitionRequest,
};
use okno_api_types::tariffs::Tariff;
use okno_api_types::{Channel, Permission};
use okno_domain::calendar::first_of_next_month;
use okno_domain::contracts::notice_to_withdraw;

use crate::api::{self, Failure};
use crate::components::forms::{Checkbox, Field, Select, TextArea, enum_options, error_of};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::{label, tr};
use crate::session::{Session, use_session};

/// What the open inline form does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Lifecycle(ContractAction),
    TariffChange,
    TermsChange,
}

impl Step {
    fn test_id(self) -> String {
        match self {
            Self::Lifecycle(action) => format!("action-{action}"),
            Self::TariffChange => "action-tariff-change".into(),
            Self::TermsChange => "action-terms-change".into(),
        }
    }
}

/// The steps `contract` allows to someone holding the session's permissions, in the order
/// the buttons show.
fn offered(contract: &Contract, session: Session) -> Vec<Step> {
    let write = session.has(Permission::ContractsWrite);
    let approve = session.has(Permission::ContractsApprove);
    let status = contract.status;
    let mut steps: Vec<Step> = [
        ContractAction::Sign,
        ContractAction::Approve,
        ContractAction::Reject,
        ContractAction::Suspend,
        ContractAction::Resume,
        ContractAction::Withdraw,
        ContractAction::CancelTermination,
        ContractAction::Terminate,
        ContractAction::Cancel,
    ]
    .into_iter()
    .filter(|action| status.after(*action).is_ok())
    .filter(|action| match action {
        ContractAction::Approve | ContractAction::Reject => approve,
        ContractAction::Withdraw => write && contract.withdrawal_deadline.is_some(),
        ContractAction::CancelTermination => {
            write && notice_to_withdraw(status, contract.terminated_on, super::today()).is_ok()
        }
        _ => write,
    })
    .map(Step::Lifecycle)
    .collect();
    let running = matches!(
        status,
        ContractStatus::Approved | ContractStatus::Active | ContractStatus::Suspended
    );
    if write && running {
        steps.push(Step::TariffChange);
        steps.push(Step::TermsChange);
    }
    steps
}

fn step_label(locale: Locale, step: Step) -> String {
    match step {
        Step::Lifecycle(action) => labels::contract_action(locale, action).to_owned(),
        Step::TariffChange => td_string!(locale, actions.change_tariff).to_owned(),
        Step::TermsChange => td_string!(locale, actions.change_terms).to_owned(),
    }
}

/// The form's fields, shared by all steps; each step reads the ones it needs.
#[derive(Debug, Clone, Copy)]
struct Inputs {
    reason: RwSignal<String>,
    date: RwSignal<String>,
    until: RwSignal<String>,
    suspension_reason: RwSignal<String>,
    channel: RwSignal<String>,
    subscription: RwSignal<String>,
    tariff: RwSignal<String>,
    early: RwSignal<bool>,
    description: RwSignal<String>,
}

impl Inputs {
    fn new() -> Self {
        Self {
            reason: RwSignal::new(String::new()),
            date: RwSignal::new(String::new()),
            until: RwSignal::new(String::new()),
            suspension_reason: RwSignal::new(SuspensionReason::CustomerRequest.as_str().to_owned()),
            channel: RwSignal::new(Channel::Phone.as_str().to_owned()),
            subscription: RwSignal::new(String::new()),
            tariff: RwSignal::new(String::new()),
            early: RwSignal::new(false),
            description: RwSignal::new(String::new()),
        }
    }

    /// Fills in what each step suggests: today for most dates, the first of next month for a
    /// tariff change.
    fn prepare(&self, step: Step, contract: &Contract, today: NaiveDate) {
        self.reason.set(String::new());
        self.until.set(String::new());
        self.description.set(String::new());
        self.early.set(false);
        self.tariff.set(String::new());
        let date = match step {
            Step::TariffChange | Step::TermsChange => first_of_next_month(today),
            _ => today,
        };
        self.date.set(date.to_string());
        self.subscription.set(
            contract
                .subscriptions
                .first()
                .map(|s| s.id.to_string())
                .unwrap_or_default(),
        );
    }

    fn date(signal: RwSignal<String>) -> Option<NaiveDate> {
        signal.get_untracked().parse().ok()
    }

    fn text(signal: RwSignal<String>) -> Option<String> {
        let text = signal.get_untracked();
        (!text.trim().is_empty()).then(|| text.trim().to_owned())
    }

    fn transition(&self, action: ContractAction, version: i64) -> TransitionRequest {
        let mut request = TransitionRequest {
            version: Some(version),
            ..TransitionRequest::default()
        };
        match action {
            ContractAction::Reject | ContractAction::CancelTermination | ContractAction::Cancel => {
                request.reason = Self::text(self.reason)
            }
            ContractAction::Terminate => {
                request.reason = Self::text(self.reason);
                request.date = Self::date(self.date);
            }
            ContractAction::Suspend => {
                request.reason = Self::text(self.reason);
                request.date = Self::date(self.date);
                request.until = Self::date(self.until);
                request.suspension_reason = self.suspension_reason.get_untracked().parse().ok();
            }
            ContractAction::Resume => request.date = Self::date(self.date),
            ContractAction::Withdraw => request.channel = self.channel.get_untracked().parse().ok(),
            ContractAction::Sign | ContractAction::Approve | ContractAction::Activate => {}
        }
        request
    }

    fn tariff_change(&self) -> TariffChangeRequest {
        TariffChangeRequest {
            subscription_id: self.subscription.get_untracked().parse().unwrap_or(0),
            tariff_id: self.tariff.get_untracked().parse().unwrap_or(0),
            effective_from: Self::date(self.date),
            early: self.early.get_untracked(),
        }
    }

    fn terms_change(&self) -> TermsChangeRequest {
        TermsChangeRequest {
            description: self.description.get_untracked(),
            effective_from: Self::date(self.date).unwrap_or_else(super::today),
        }
    }
}

async fn perform(
    session: Session,
    step: Step,
    id: i64,
    version: i64,
    inputs: Inputs,
) -> Result<Contract, Failure> {
    match step {
        Step::Lifecycle(action) => {
            let request = inputs.transition(action, version);
            api::call(session, async |client| {
                client.contract_action(id, action, &request).await
            })
            .await
        }
        Step::TariffChange => {
            let request = inputs.tariff_change();
            api::call(session, async |client| {
                client.change_tariff(id, &request).await
            })
            .await
        }
        Step::TermsChange => {
            let request = inputs.terms_change();
            api::call(session, async |client| {
                client.change_terms(id, &request).await
            })
            .await
        }
    }
}

#[component]
pub fn ContractActions(
    contract: Contract,
    #[prop(into)] on_change: Callback<Contract>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let steps = offered(&contract, session);
    let open = RwSignal::new(None::<Step>);
    let inputs = Inputs::new();
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let id = contract.id;
    let version = contract.version;
    let tariffs = RwSignal::new(Vec::<Tariff>::new());
    let contract = StoredValue::new(contract);

    let choose = move |step: Step| {
        failure.set(None);
        if open.get_untracked() == Some(step) {
            open.set(None);
            return;
        }
        contract.with_value(|c| inputs.prepare(step, c, super::today()));
        open.set(Some(step));
        if step == Step::TariffChange && tariffs.with_untracked(Vec::is_empty) {
            leptos::task::spawn_local(async move {
                if let Ok(list) = api::call(session, async |client| client.tariffs().await).await {
                    tariffs.set(
                        list.into_iter()
                            .filter(|t| t.active && t.current.is_some())
                            .collect(),
                    );
                }
            });
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(step) = open.get_untracked() else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = perform(session, step, id, version, inputs).await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(updated) => {
                    toasts.success(td_string!(locale, actions.done));
                    open.set(None);
                    on_change.run(updated);
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };

    if steps.is_empty() {
        return ().into_any();
    }
    let deadline = contract.with_value(|c| c.withdrawal_deadline);
    let notice_ends = contract.with_value(|c| c.terminated_on);
    view! {
        <div class="panel" data-testid="contract-actions">
            <h2>{tr(|l| td_string!(l, actions.title))}</h2>
            <div class="row">
                {steps
                    .iter()
                    .map(|step| {
                        let step = *step;
                        let danger = matches!(step, Step::Lifecycle(ContractAction::Terminate | ContractAction::Withdraw | ContractAction::Reject | ContractAction::Cancel));
                        let primary = matches!(step, Step::Lifecycle(ContractAction::Sign | ContractAction::Approve));
                        view! {
                            <button
                                type="button"
                                class=if primary { "button-primary" } else { "button" }
                                class:button-danger=danger
                                aria-expanded=move || (open.get() == Some(step)).to_string()
                                data-testid=step.test_id()
                                on:click=move |_| choose(step)
                            >
                                {move || step_label(i18n.get_locale(), step)}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            {move || {
                open.get()
                    .map(|step| {
                        let fields = match step {
                            Step::Lifecycle(ContractAction::Sign) => view! { <p class="muted">{tr(|l| td_string!(l, actions.sign_hint))}</p> }.into_any(),
                            Step::Lifecycle(ContractAction::Approve) => view! { <p class="muted">{tr(|l| td_string!(l, actions.approve_hint))}</p> }.into_any(),
                            Step::Lifecycle(ContractAction::Reject) => view! {
                                <p class="muted">{tr(|l| td_string!(l, actions.reject_hint))}</p>
                                <TextArea label=label(|l| td_string!(l, actions.reason)) value=inputs.reason name="reason" required=true error=error_of(failure, "reason") />
                            }
                            .into_any(),
                            Step::Lifecycle(ContractAction::Suspend) => view! {
                                <div class="grid-3">
                                    <Select label=label(|l| td_string!(l, actions.suspension_reason)) value=inputs.suspension_reason name="suspension_reason" options=enum_options(SuspensionReason::all(), labels::suspension_reason) />
                                    <Field label=label(|l| td_string!(l, actions.pause_from)) value=inputs.date name="date" input_type="date" error=error_of(failure, "date") />
                                    <Field label=label(|l| td_string!(l, actions.pause_until)) value=inputs.until name="until" input_type="date" error=error_of(failure, "until") />
                                </div>
                                <TextArea label=label(|l| td_string!(l, actions.note)) value=inputs.reason name="reason" error=error_of(failure, "reason") />
                            }
                            .into_any(),
                            Step::Lifecycle(ContractAction::Resume) => view! {
                                <Field label=label(|l| td_string!(l, actions.resume_from)) value=inputs.date name="date" input_type="date" error=error_of(failure, "date") />
                            }
                            .into_any(),
                            Step::Lifecycle(ContractAction::Terminate) => view! {
                                <p class="muted">{tr(|l| td_string!(l, actions.terminate_hint))}</p>
                                <Field label=label(|l| td_string!(l, actions.last_day)) value=inputs.date name="date" input_type="date" error=error_of(failure, "date") />
                                <TextArea label=label(|l| td_string!(l, actions.reason)) value=inputs.reason name="reason" required=true error=error_of(failure, "reason") />
                            }
                            .into_any(),
                            Step::Lifecycle(ContractAction::Withdraw) => view! {
                                <p class="muted">
                                    {move || deadline.map(|d| t_string!(i18n, actions.withdraw_hint, date = crate::time::day(d, i18n.get_locale())))}
                                </p>
                                <Select label=label(|l| td_string!(l, actions.statement_channel)) value=inputs.channel name="channel" options=enum_options(Channel::all(), labels::channel) />
                            }
                            .into_any(),
                            Step::Lifecycle(ContractAction::CancelTermination) => view! {
                                <p class="muted">
                                    {move || notice_ends.map(|d| t_string!(i18n, actions.cancel_termination_hint, date = crate::time::day(d, i18n.get_locale())))}
                                </p>
                                <TextArea label=label(|l| td_string!(l, actions.note)) value=inputs.reason name="reason" error=error_of(failure, "reason") />
                            }
                            .into_any(),
                            Step::Lifecycle(ContractAction::Cancel) => view! {
                                <p class="muted">{tr(|l| td_string!(l, actions.cancel_hint))}</p>
                                <TextArea label=label(|l| td_string!(l, actions.reason)) value=inputs.reason name="reason" error=error_of(failure, "reason") />
                            }
                            .into_any(),
                            Step::Lifecycle(ContractAction::Activate) => ().into_any(),
                            Step::TariffChange => view! {
                                <div class="grid-3">
                                    <Select
                                        label=label(|l| td_string!(l, actions.service))
                                        value=inputs.subscription
                                        name="subscription_id"
                                        error=error_of(failure, "subscription_id")
                                        options=Signal::derive(move || {
                                            contract.try_with_value(|c| {
                                                c.subscriptions
                                                    .iter()
                                                    .map(|s| {
                                                        let tariff = s.tariffs.last().map(|t| t.tariff_name.clone()).unwrap_or_default();
                                                        (s.id.to_string(), format!("{tariff} · {}", s.service_address.one_line()))
                                                    })
                                                    .collect()
                                            })
                                            .unwrap_or_default()
                                        })
                                    />
                                    <Select
                                        label=label(|l| td_string!(l, actions.new_tariff))
                                        value=inputs.tariff
                                        name="tariff_id"
                                        error=error_of(failure, "tariff_id")
                                        options=Signal::derive(move || {
                                            let l = i18n.get_locale();
                                            std::iter::once((String::new(), td_string!(l, contracts.choose_tariff).to_owned()))
                                                .chain(tariffs.get().into_iter().map(|t| (t.id.to_string(), format!("{} · {}", t.name, labels::service_kind(l, t.service_kind)))))
                                                .collect()
                                        })
                                    />
                                    <Field label=label(|l| td_string!(l, actions.effective_from)) value=inputs.date name="effective_from" input_type="date" error=error_of(failure, "effective_from") />
                                </div>
                                <Checkbox label=label(|l| td_string!(l, actions.early)) checked=inputs.early name="early" />
                            }
                            .into_any(),
                            Step::TermsChange => view! {
                                <TextArea label=label(|l| td_string!(l, actions.terms_description)) value=inputs.description name="description" required=true error=error_of(failure, "description") />
                                <Field label=label(|l| td_string!(l, actions.effective_from)) value=inputs.date name="effective_from" input_type="date" error=error_of(failure, "effective_from") />
                                <p class="muted">{tr(|l| td_string!(l, actions.terms_hint))}</p>
                            }
                            .into_any(),
                        };
                        view! {
                            <form class="form action-form" on:submit=submit novalidate data-testid="action-form">
                                <h3>{move || step_label(i18n.get_locale(), step)}</h3>
                                {fields}
                                <div class="form-actions">
                                    <button type="button" class="button-quiet" on:click=move |_| open.set(None)>{tr(|l| td_string!(l, common.cancel))}</button>
                                    <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="confirm-action">
                                        {tr(|l| td_string!(l, actions.confirm))}
                                    </button>
                                </div>
                            </form>
                        }
                    })
            }}
        </div>
    }
    .into_any()
}
