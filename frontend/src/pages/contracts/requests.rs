//! `/requests`: what subscribers asked for in the cabinet (a tariff change, a pause); staff
//! accept one, which carries it out as a contract action, or decline it with an answer.

use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::Permission;
use okno_api_types::contracts::{
    ContractRequest, RequestDecision, RequestKind, RequestQuery, RequestStatus,
};
use okno_api_types::tariffs::Tariff;

use crate::api::{self, Failure};
use crate::components::latest::Latest;
use crate::components::status::LoadedList;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::session::use_session;
use crate::time;

#[component]
pub fn Requests() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let status = RwSignal::new(RequestStatus::Pending.as_str().to_owned());
    let requests = RwSignal::new(None::<Result<Vec<ContractRequest>, Failure>>);
    let tariffs = RwSignal::new(Vec::<Tariff>::new());
    leptos::task::spawn_local(async move {
        if let Ok(list) = api::call(session, async |client| client.tariffs().await).await {
            tariffs.set(list);
        }
    });
    let latest = Latest::new();
    let reload = move || {
        let query = RequestQuery {
            status: status.get_untracked().parse().ok(),
            customer_id: None,
        };
        latest.spawn(
            api::call(session, async move |client| {
                client.contract_requests(&query).await
            }),
            move |result| requests.set(Some(result)),
        );
    };
    Effect::new(move |_| {
        status.track();
        reload();
    });

    view! {
        <section class="page" data-testid="requests">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, requests.title))}</h1>
                    <p class="muted">{tr(|l| td_string!(l, requests.lead))}</p>
                </div>
            </div>
            <div class="toggles" role="group">
                {move || {
                    let l = i18n.get_locale();
                    std::iter::once((String::new(), td_string!(l, common.all).to_owned()))
                        .chain(RequestStatus::all().map(|s| (s.as_str().to_owned(), labels::request_status(l, s).to_owned())))
                        .map(|(value, text)| {
                            let chosen = value.clone();
                            let pressed = value.clone();
                            view! {
                                <button
                                    class="lang"
                                    class:lang-active=move || status.get() == value
                                    aria-pressed=move || (status.get() == pressed).to_string()
                                    on:click=move |_| status.set(chosen.clone())
                                >
                                    {text}
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <LoadedList value=move || requests.get() empty=|l| td_string!(l, requests.empty) let:list>
                    <ul class="request-list">
                        {list
                            .into_iter()
                            .map(|r| view! { <RequestRow request=r tariffs=tariffs on_decided=Callback::new(move |()| reload()) /> })
                            .collect_view()}
                    </ul>
            </LoadedList>
        </section>
    }
}

/// What the subscriber asked for, in words.
pub fn request_summary(locale: Locale, request: &ContractRequest, tariffs: &[Tariff]) -> String {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| time::day(d, locale)).unwrap_or_default();
    match request.kind {
        RequestKind::TariffChange => {
            let tariff = request
                .tariff_id
                .and_then(|id| tariffs.iter().find(|t| t.id == id))
                .map(|t| t.name.clone())
                .unwrap_or_default();
            match request.from_date {
                Some(_) => td_string!(
                    locale,
                    requests.tariff_change_from,
                    tariff = tariff,
                    date = day(request.from_date)
                ),
                None => td_string!(locale, requests.tariff_change, tariff = tariff),
            }
        }
        RequestKind::Suspension => match request.until_date {
            Some(_) => td_string!(
                locale,
                requests.pause_until,
                from = day(request.from_date),
                until = day(request.until_date)
            ),
            None => td_string!(locale, requests.pause_from, from = day(request.from_date)),
        },
    }
}

#[component]
fn RequestRow(
    request: ContractRequest,
    tariffs: RwSignal<Vec<Tariff>>,
    #[prop(into)] on_decided: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let response = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let id = request.id;
    let pending = request.status == RequestStatus::Pending;
    let decide = move |accept: bool| {
        let text = response.get_untracked();
        let decision = RequestDecision {
            accept,
            response: (!text.trim().is_empty()).then(|| text.trim().to_owned()),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.decide_request(id, &decision).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(_) => {
                    toasts.success(if accept {
                        td_string!(locale, requests.accepted)
                    } else {
                        td_string!(locale, requests.declined)
                    });
                    on_decided.run(());
                }
                Err(failure) => toasts.failure(locale, &failure),
            }
        });
    };
    let summary = {
        let request = request.clone();
        move || tariffs.with(|t| request_summary(i18n.get_locale(), &request, t))
    };
    let note = request.note.clone();
    let answer = request.response.clone();
    let status = request.status;
    view! {
        <li class="panel request" data-testid="request">
            <div class="request-head">
                <div>
                    <p>
                        <strong>{move || labels::request_kind(i18n.get_locale(), request.kind)}</strong>
                        " · "
                        <A href=format!("/customers/{}", request.customer_id)>{request.customer_name.clone()}</A>
                        " · "
                        <A href=format!("/contracts/{}", request.contract_id)>{request.contract_number.clone()}</A>
                    </p>
                    <p>{summary}</p>
                    {note.map(|n| view! { <p class="muted">"„" {n} "”"</p> })}
                    <p class="muted small">{move || time::date_time(request.created_at, i18n.get_locale())}</p>
                </div>
                <span class="badge" class:badge-prospect=pending class:badge-active=status == RequestStatus::Accepted class:badge-closed=status == RequestStatus::Declined>
                    {move || labels::request_status(i18n.get_locale(), status)}
                </span>
            </div>
            {(!pending).then(|| view! {
                <p class="muted small">{request.handled_by.clone()} {answer.clone().map(|a| format!(": {a}"))}</p>
            })}
            <Show when=move || pending && session.has(Permission::ContractsWrite)>
                <div class="request-decide">
                    <input
                        type="text"
                        aria-label=move || t_string!(i18n, requests.response)
                        placeholder=move || t_string!(i18n, requests.response)
                        prop:value=move || response.get()
                        on:input=move |ev| response.set(event_target_value(&ev))
                    />
                    <button class="button-small" disabled=move || busy.get() on:click=move |_| decide(false) data-testid="decline-request">
                        {tr(|l| td_string!(l, requests.decline))}
                    </button>
                    <button class="button-small button-primary" disabled=move || busy.get() on:click=move |_| decide(true) data-testid="accept-request">
                        {tr(|l| td_string!(l, requests.accept))}
                    </button>
                </div>
            </Show>
        </li>
    }
}
