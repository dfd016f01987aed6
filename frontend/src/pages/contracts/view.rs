//! `/contracts/:id`: one contract: its state and dates, the lifecycle buttons, its services
//! with their tariff history, pauses, issued documents and the history of changes.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use okno_api_types::Permission;
use okno_api_types::contracts::{
    Contract, ContractEvent, ContractStatus, Document, RetentionContact,
};

use super::ContractStatusBadge;
use super::actions::ContractActions;
use super::documents::DocumentList;
use crate::api::{self, Failure};
use crate::components::latest::Latest;
use crate::components::status::{FailureNote, Loaded, LoadedList, Loading};
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::session::use_session;
use crate::time;

#[component]
pub fn ContractPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let contract = RwSignal::new(None::<Result<Contract, Failure>>);
    // Documents and history change with every action; they reload when this moves.
    let changes = RwSignal::new(0_u32);

    let latest = Latest::new();
    Effect::new(move |_| {
        let Some(id) = id.get() else {
            return;
        };
        contract.set(None);
        latest.spawn(
            api::call(session, async move |client| client.contract(id).await),
            move |result| contract.set(Some(result)),
        );
    });

    let on_change = Callback::new(move |updated: Contract| {
        contract.set(Some(Ok(updated)));
        changes.update(|c| *c += 1);
    });

    move || {
        match (id.get(), contract.get()) {
        (None, _) => view! { <p class="failure">{tr(|l| td_string!(l, error.not_found))}</p> }.into_any(),
        (_, None) => view! { <Loading /> }.into_any(),
        (_, Some(Err(failure))) => view! { <FailureNote failure=failure /> }.into_any(),
        (Some(id), Some(Ok(c))) => view! {
            <section class="page" data-testid="contract-page">
                <ContractHead contract=c.clone() />
                <div class="card-grid">
                    <div class="card-main">
                        <ContractActions contract=c.clone() on_change=on_change />
                        <Services contract=c.clone() />
                        <Suspensions contract=c.clone() />
                        <Events contract_id=id changes=changes />
                    </div>
                    <aside class="card-side">
                        <ContractFacts contract=c.clone() />
                        <ContractDocuments contract_id=id changes=changes />
                        <Show when=move || session.has(Permission::RetentionManage) && c.end_date.is_some()>
                            <RetentionHistory contract_id=id />
                        </Show>
                    </aside>
                </div>
            </section>
        }
        .into_any(),
    }
    }
}

#[component]
fn ContractHead(contract: Contract) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let rejected = (contract.status == ContractStatus::Draft)
        .then(|| contract.rejection_reason.clone())
        .flatten();
    view! {
        <div class="card-head">
            <div>
                <h1 data-testid="contract-number">{t!(i18n, contract.title, number = contract.number.clone())}</h1>
                <p class="card-facts">
                    <ContractStatusBadge status=contract.status ends_on=contract.ends_on />
                    <A href=format!("/customers/{}", contract.customer_id)>{contract.customer_name.clone()}</A>
                    <span class="chip">{move || labels::channel(i18n.get_locale(), contract.channel)}</span>
                </p>
            </div>
        </div>
        {(contract.status == ContractStatus::Draft).then(|| view! {
            <PrintDraft id=contract.id number=contract.number.clone() />
            <Show when=move || session.has(Permission::ContractsWrite)>
                <p><A href=format!("/contracts/{}/edit", contract.id) attr:class="button" attr:data-testid="edit-draft">{tr(|l| td_string!(l, contract.edit_draft))}</A></p>
            </Show>
        })}
        {rejected.map(|reason| view! {
            <p class="warning" data-testid="rejection-reason">
                <strong>{tr(|l| td_string!(l, contract.rejected))} ": "</strong>{reason}
            </p>
        })}
    }
}

/// A draft printed for the customer to read and sign, marked as a draft.
#[component]
fn PrintDraft(id: i64, number: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = crate::components::toast::use_toasts();
    let busy = RwSignal::new(false);
    let file_name = format!("draft-{}.pdf", number.replace(['/', '\\', ' '], "-"));
    let print = move |_| {
        let file_name = file_name.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let url = format!("/api/v1/contracts/{id}/draft-pdf");
            if let Err(failure) =
                crate::components::download::open_pdf(session, url, file_name).await
            {
                toasts.failure(i18n.get_locale_untracked(), &failure);
            }
            busy.set(false);
        });
    };
    view! {
        <p class="row">
            <button type="button" class="button" data-testid="print-draft" disabled=move || busy.get() on:click=print>
                {tr(|l| td_string!(l, contract.print_draft))}
            </button>
            <span class="muted">{tr(|l| td_string!(l, contract.print_draft_hint))}</span>
        </p>
    }
}

/// A `dt`/`dd` pair shown only when the value is there.
fn fact(
    label: impl Fn() -> String + Send + Sync + 'static,
    value: Option<String>,
) -> impl IntoView {
    value.map(|value| view! { <dt>{label}</dt><dd>{value}</dd> })
}

#[component]
fn ContractFacts(contract: Contract) -> impl IntoView {
    let i18n = use_i18n();
    let day =
        move |d: Option<chrono::NaiveDate>| move || d.map(|d| time::day(d, i18n.get_locale()));
    let c = contract;
    view! {
        <div class="panel">
            <h2>{tr(|l| td_string!(l, contract.details))}</h2>
            <dl class="facts" data-testid="contract-facts">
                <dt>{tr(|l| td_string!(l, contracts.start_date))}</dt>
                <dd>{day(Some(c.start_date))}</dd>
                <dt>{tr(|l| td_string!(l, contract.end))}</dt>
                <dd>{move || c.end_date.map_or_else(|| t_string!(i18n, contracts.term_indefinite).to_owned(), |d| time::day(d, i18n.get_locale()))}</dd>
                {c.signed_on.map(|_| view! { <dt>{tr(|l| td_string!(l, contract.signed_on))}</dt><dd>{day(c.signed_on)}</dd> })}
                {fact(move || t_string!(i18n, contract.approved).to_owned(), c.approved_at.map(|at| {
                    format!("{} · {}", time::date_time(at, i18n.get_locale_untracked()), c.approved_by.clone().unwrap_or_default())
                }))}
                {c.activated_on.map(|_| view! { <dt>{tr(|l| td_string!(l, contract.activated_on))}</dt><dd>{day(c.activated_on)}</dd> })}
                {c.terminated_on.map(|_| if c.status.is_in_force() {
                    // A notice: the contract runs until then.
                    view! { <dt>{tr(|l| td_string!(l, contract.notice_last_day))}</dt><dd data-testid="termination-notice">{day(c.terminated_on)}</dd> }.into_any()
                } else {
                    view! { <dt>{tr(|l| td_string!(l, contract.terminated_on))}</dt><dd>{day(c.terminated_on)}</dd> }.into_any()
                })}
                {fact(move || t_string!(i18n, contract.termination_reason).to_owned(), c.termination_reason.clone())}
                {c.withdrawn_at.map(|at| view! { <dt>{tr(|l| td_string!(l, contract.withdrawn_at))}</dt><dd>{move || time::date_time(at, i18n.get_locale())}</dd> })}
                {c.terms_changed_on.map(|_| view! { <dt>{tr(|l| td_string!(l, contract.terms_changed_on))}</dt><dd>{day(c.terms_changed_on)}</dd> })}
                {c.withdrawal_deadline.map(|_| view! {
                    <dt>{tr(|l| td_string!(l, contract.withdrawal_deadline))}</dt>
                    <dd data-testid="withdrawal-deadline">{day(c.withdrawal_deadline)}</dd>
                })}
                <dt>{tr(|l| td_string!(l, contract.created))}</dt>
                <dd>{move || format!("{} · {}", time::date_time(c.created_at, i18n.get_locale()), c.created_by)}</dd>
            </dl>
        </div>
    }
}

#[component]
fn Services(contract: Contract) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="panel" data-testid="contract-services">
            <h2>{tr(|l| td_string!(l, contract.services))}</h2>
            {contract
                .subscriptions
                .into_iter()
                .map(|s| {
                    let meter = s.meter_number.clone();
                    view! {
                        <div class="service">
                            <p class="service-address">
                                <strong>{s.service_address.one_line()}</strong>
                                {meter.map(|m| view! { <span class="chip">{move || t_string!(i18n, contracts.meter)} ": " {m.clone()}</span> })}
                            </p>
                            <table class="table table-compact">
                                <thead>
                                    <tr>
                                        <th>{tr(|l| td_string!(l, contracts.tariff))}</th>
                                        <th>{tr(|l| td_string!(l, contract.from))}</th>
                                        <th class="hide-narrow">{tr(|l| td_string!(l, contract.recorded_by))}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {s.tariffs
                                        .into_iter()
                                        .map(|t| {
                                            let early = t.early;
                                            view! {
                                                <tr data-testid="tariff-history-row">
                                                    <td>{t.tariff_name} " " <span class="muted mono small">{t.tariff_code}</span></td>
                                                    <td class="nowrap">
                                                        {move || time::day(t.effective_from, i18n.get_locale())}
                                                        {early.then(|| view! { " " <span class="chip" title=move || t_string!(i18n, contract.early_hint)>{tr(|l| td_string!(l, contract.early))}</span> })}
                                                    </td>
                                                    <td class="hide-narrow muted">{t.recorded_by}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn Suspensions(contract: Contract) -> impl IntoView {
    let i18n = use_i18n();
    if contract.suspensions.is_empty() {
        return ().into_any();
    }
    view! {
        <div class="panel" data-testid="contract-suspensions">
            <h2>{tr(|l| td_string!(l, contract.suspensions))}</h2>
            <ul class="history">
                {contract
                    .suspensions
                    .into_iter()
                    .map(|s| {
                        let note = s.note.clone();
                        view! {
                            <li>
                                <strong>{move || labels::suspension_reason(i18n.get_locale(), s.reason)}</strong>
                                ": "
                                {move || {
                                    let l = i18n.get_locale();
                                    let from = time::day(s.from_date, l);
                                    match (s.resumed_on, s.until_date) {
                                        (Some(resumed), _) => td_string!(l, contract.paused_resumed, from = from, resumed = time::day(resumed, l)),
                                        (None, Some(until)) => td_string!(l, contract.paused_until, from = from, until = time::day(until, l)),
                                        (None, None) => td_string!(l, contract.paused_since, from = from),
                                    }
                                }}
                                {note.map(|n| view! { <span class="muted">" — " {n}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
    .into_any()
}

#[component]
fn Events(contract_id: i64, changes: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let events = RwSignal::new(None::<Result<Vec<ContractEvent>, Failure>>);
    let latest = Latest::new();
    Effect::new(move |_| {
        changes.track();
        latest.spawn(
            api::call(session, async move |client| {
                client.contract_events(contract_id).await
            }),
            move |result| events.set(Some(result)),
        );
    });
    view! {
        <div class="panel">
            <h2>{tr(|l| td_string!(l, contract.history))}</h2>
            <Loaded value=move || events.get() let:list>
                    <ol class="timeline" data-testid="contract-events">
                        {list
                            .into_iter()
                            .rev()
                            .map(|e| {
                                let detail = e.detail.clone();
                                view! {
                                    <li class="timeline-entry">
                                        <time class="timeline-time">{move || time::date_time(e.occurred_at, i18n.get_locale())}</time>
                                        <div class="timeline-body">
                                            <p class="timeline-title">
                                                {move || labels::contract_event(i18n.get_locale(), &e.action)}
                                            </p>
                                            {detail.map(|d| view! { <p class="timeline-text">{d}</p> })}
                                            <p class="timeline-by muted small">{e.recorded_by.clone()}</p>
                                        </div>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
            </Loaded>
        </div>
    }
}

#[component]
fn ContractDocuments(contract_id: i64, changes: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let documents = RwSignal::new(None::<Result<Vec<Document>, Failure>>);
    let latest = Latest::new();
    Effect::new(move |_| {
        changes.track();
        latest.spawn(
            api::call(session, async move |client| {
                client.contract_documents(contract_id).await
            }),
            move |result| documents.set(Some(result)),
        );
    });
    view! { <DocumentList documents=documents /> }
}

#[component]
fn RetentionHistory(contract_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let contacts = RwSignal::new(None::<Result<Vec<RetentionContact>, Failure>>);
    leptos::task::spawn_local(async move {
        contacts.set(Some(
            api::call(session, async |client| {
                client.retention_contacts(contract_id).await
            })
            .await,
        ));
    });
    view! {
        <div class="panel">
            <h2>{tr(|l| td_string!(l, retention.contacts))}</h2>
            <LoadedList value=move || contacts.get() empty=|l| td_string!(l, retention.no_contacts) quiet=true let:list>
                    <ul class="history">
                        {list
                            .into_iter()
                            .map(|c| {
                                let note = c.note.clone();
                                view! {
                                    <li>
                                        <strong>{move || labels::retention_outcome(i18n.get_locale(), c.outcome)}</strong>
                                        " · "
                                        {move || labels::channel(i18n.get_locale(), c.channel)}
                                        " · "
                                        {move || time::date_time(c.recorded_at, i18n.get_locale())}
                                        " · "
                                        {c.recorded_by.clone()}
                                        {note.map(|n| view! { <span class="muted">" — " {n}</span> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
            </LoadedList>
        </div>
    }
}
