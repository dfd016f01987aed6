//! The subscriber's services in the cabinet: contracts with their tariffs, requests to change
//! tariff or pause a service (handled by staff as contract actions), and issued documents.

use chrono::NaiveDate;
use leptos::prelude::*;
use okno_api_types::contracts::{
    Contract, ContractRequest, ContractStatus, Document, NewContractRequest, RequestKind,
    RequestStatus,
};
use okno_api_types::tariffs::Tariff;
use okno_domain::calendar::first_of_next_month;
use okno_domain::format;

use crate::api::{self, Failure};
use crate::components::forms::{Field, Select, TextArea, error_of};
use crate::components::status::LoadedList;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::{label, tr};
use crate::pages::contracts::{ContractStatusBadge, DocumentList, request_summary, today};
use crate::session::use_session;
use crate::time::{self, language};

#[component]
pub fn MyServices() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let contracts = RwSignal::new(None::<Result<Vec<Contract>, Failure>>);
    let requests = RwSignal::new(Vec::<ContractRequest>::new());
    let tariffs = RwSignal::new(Vec::<Tariff>::new());
    let reload_requests = move || {
        leptos::task::spawn_local(async move {
            if let Ok(list) = api::call(session, async |client| client.my_requests().await).await {
                requests.set(list);
            }
        });
    };
    // Tariffs first: the services show their prices.
    leptos::task::spawn_local(async move {
        if let Ok(list) = api::call(session, async |client| client.my_tariffs().await).await {
            tariffs.set(list);
        }
        contracts.set(Some(
            api::call(session, async |client| client.my_contracts().await).await,
        ));
    });
    reload_requests();

    view! {
        <div class="panel" data-testid="my-services">
            <h2>{tr(|l| td_string!(l, cabinet.services))}</h2>
            <LoadedList value=move || contracts.get() empty=|l| td_string!(l, cabinet.no_services) let:list>
                {list
                    .into_iter()
                    .map(|c| view! { <MyContract contract=c tariffs=tariffs on_request=Callback::new(move |()| reload_requests()) /> })
                    .collect_view()}
            </LoadedList>
            <Show when=move || !requests.with(Vec::is_empty)>
                <h3>{tr(|l| td_string!(l, cabinet.requests))}</h3>
                <ul class="history" data-testid="my-requests">
                    {move || {
                        requests
                            .get()
                            .into_iter()
                            .map(|r| {
                                let status = r.status;
                                let response = r.response.clone();
                                let summary = {
                                    let r = r.clone();
                                    move || tariffs.with(|t| request_summary(i18n.get_locale(), &r, t))
                                };
                                view! {
                                    <li>
                                        <strong>{move || labels::request_kind(i18n.get_locale(), r.kind)}</strong>
                                        " · " {r.contract_number.clone()} " · " {summary} " "
                                        <span class="badge" class:badge-prospect=status == RequestStatus::Pending class:badge-active=status == RequestStatus::Accepted class:badge-closed=status == RequestStatus::Declined>
                                            {move || labels::request_status(i18n.get_locale(), status)}
                                        </span>
                                        {response.map(|text| view! { <br /><span class="muted">{text}</span> })}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </div>
    }
}

#[component]
fn MyContract(
    contract: Contract,
    tariffs: RwSignal<Vec<Tariff>>,
    #[prop(into)] on_request: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let today = today();
    let asking = RwSignal::new(None::<RequestKind>);
    let running = matches!(
        contract.status,
        ContractStatus::Active | ContractStatus::Approved
    );
    let (start, end) = (contract.start_date, contract.end_date);
    let for_form = contract.clone();
    view! {
        <div class="service" data-testid="my-contract">
            <p class="service-address">
                <strong>{contract.number.clone()}</strong>
                " "
                <ContractStatusBadge status=contract.status ends_on=contract.ends_on />
                <span class="muted small">
                    " "
                    {move || {
                        let l = i18n.get_locale();
                        match end {
                            Some(end) => format!("{} – {}", time::day(start, l), time::day(end, l)),
                            None => td_string!(l, cabinet.since, date = time::day(start, l)),
                        }
                    }}
                </span>
            </p>
            <ul class="plain">
                {contract
                    .subscriptions
                    .iter()
                    .map(|s| {
                        let now = s.tariffs.iter().rev().find(|t| t.effective_from <= today).or_else(|| s.tariffs.first()).cloned();
                        let next = s.tariffs.iter().find(|t| t.effective_from > today).cloned();
                        let price = now.as_ref().and_then(|n| tariffs.with_untracked(|list| list.iter().find(|t| t.id == n.tariff_id).and_then(|t| t.current.clone())));
                        view! {
                            <li data-testid="my-service">
                                <strong>{now.map(|t| t.tariff_name)}</strong>
                                {price.map(|v| view! { " · " {move || format::money(v.monthly_fee_minor + okno_domain::money::vat(v.monthly_fee_minor, v.vat_rate_bp), &v.currency, language(i18n.get_locale()))} {move || t_string!(i18n, cabinet.per_month)} })}
                                <br />
                                <span class="muted small">{s.service_address.one_line()}</span>
                                {next.map(|n| view! {
                                    <br />
                                    <span class="small">{move || t_string!(i18n, cabinet.next_tariff, tariff = n.tariff_name.clone(), date = time::day(n.effective_from, i18n.get_locale()))}</span>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <Show when=move || running>
                <div class="row">
                    <button class="button-small" data-testid="ask-tariff-change" on:click=move |_| asking.set(Some(RequestKind::TariffChange))>{tr(|l| td_string!(l, cabinet.ask_tariff_change))}</button>
                    <button class="button-small" data-testid="ask-suspension" on:click=move |_| asking.set(Some(RequestKind::Suspension))>{tr(|l| td_string!(l, cabinet.ask_pause))}</button>
                </div>
            </Show>
            {move || asking.get().map(|kind| view! {
                <RequestForm
                    contract=for_form.clone()
                    kind=kind
                    tariffs=tariffs
                    on_done=Callback::new(move |sent: bool| {
                        asking.set(None);
                        if sent {
                            on_request.run(());
                        }
                    })
                />
            })}
        </div>
    }
}

#[component]
fn RequestForm(
    contract: Contract,
    kind: RequestKind,
    tariffs: RwSignal<Vec<Tariff>>,
    #[prop(into)] on_done: Callback<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let subscription = RwSignal::new(
        contract
            .subscriptions
            .first()
            .map(|s| s.id.to_string())
            .unwrap_or_default(),
    );
    let tariff = RwSignal::new(String::new());
    let from = RwSignal::new(match kind {
        RequestKind::TariffChange => first_of_next_month(today()).to_string(),
        RequestKind::Suspension => today().to_string(),
    });
    let until = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let contract_id = contract.id;
    let services: Vec<(String, String)> = contract
        .subscriptions
        .iter()
        .map(|s| {
            (
                s.id.to_string(),
                format!(
                    "{} · {}",
                    s.tariffs
                        .last()
                        .map(|t| t.tariff_name.clone())
                        .unwrap_or_default(),
                    s.service_address.one_line()
                ),
            )
        })
        .collect();
    let several = services.len() > 1;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = note.get_untracked();
        let request = NewContractRequest {
            kind,
            contract_id,
            subscription_id: (kind == RequestKind::TariffChange)
                .then(|| subscription.get_untracked().parse().ok())
                .flatten(),
            tariff_id: (kind == RequestKind::TariffChange)
                .then(|| tariff.get_untracked().parse().ok())
                .flatten(),
            from_date: from.get_untracked().parse::<NaiveDate>().ok(),
            until_date: until.get_untracked().parse::<NaiveDate>().ok(),
            note: (!text.trim().is_empty()).then(|| text.trim().to_owned()),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.create_my_request(&request).await
            })
            .await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(td_string!(
                        i18n.get_locale_untracked(),
                        cabinet.request_sent
                    ));
                    on_done.run(true);
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    view! {
        <form class="form action-form" on:submit=submit novalidate data-testid="request-form">
            <h3>{move || labels::request_kind(i18n.get_locale(), kind)}</h3>
            {match kind {
                RequestKind::TariffChange => view! {
                    <Show when=move || several>
                        <Select label=label(|l| td_string!(l, actions.service)) value=subscription name="subscription_id" options=services.clone() error=error_of(failure, "subscription_id") />
                    </Show>
                    <Select
                        label=label(|l| td_string!(l, actions.new_tariff))
                        value=tariff
                        name="tariff_id"
                        error=error_of(failure, "tariff_id")
                        options=Signal::derive(move || {
                            let l = i18n.get_locale();
                            std::iter::once((String::new(), td_string!(l, contracts.choose_tariff).to_owned()))
                                .chain(tariffs.get().into_iter().map(|t| {
                                    let price = t.current.as_ref().map(|v| format::money(v.monthly_fee_minor + okno_domain::money::vat(v.monthly_fee_minor, v.vat_rate_bp), &v.currency, language(l))).unwrap_or_default();
                                    (t.id.to_string(), format!("{} · {price}", t.name))
                                }))
                                .collect()
                        })
                    />
                    <Field label=label(|l| td_string!(l, cabinet.wished_from)) value=from name="from_date" input_type="date" error=error_of(failure, "from_date") />
                }
                .into_any(),
                RequestKind::Suspension => view! {
                    <div class="grid-2">
                        <Field label=label(|l| td_string!(l, actions.pause_from)) value=from name="from_date" input_type="date" error=error_of(failure, "from_date") />
                        <Field label=label(|l| td_string!(l, actions.pause_until)) value=until name="until_date" input_type="date" error=error_of(failure, "until_date") />
                    </div>
                }
                .into_any(),
            }}
            <TextArea label=label(|l| td_string!(l, actions.note)) value=note name="note" />
            <div class="form-actions">
                <button type="button" class="button-quiet" on:click=move |_| on_done.run(false)>{tr(|l| td_string!(l, common.cancel))}</button>
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="send-request">{tr(|l| td_string!(l, cabinet.send_request))}</button>
            </div>
        </form>
    }
}

#[component]
pub fn MyDocuments() -> impl IntoView {
    let session = use_session();
    let documents = RwSignal::new(None::<Result<Vec<Document>, Failure>>);
    leptos::task::spawn_local(async move {
        documents.set(Some(
            api::call(session, async |client| client.my_documents().await).await,
        ));
    });
    view! { <DocumentList documents=documents /> }
}
