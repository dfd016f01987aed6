//! Incidents: `/incidents` lists outages found in clusters of faults (or declared),
//! with their state, area and how many tickets they gather; `/incidents/:id` shows one with
//! its tickets and the customers at its address, and lets those who manage outages confirm,
//! dismiss or resolve it, each after a confirmation saying what it does (resolving resolves
//! every linked ticket and tells the affected customers).

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use okno_api_types::Permission;
use okno_api_types::tickets::{
    Incident, IncidentDetail, IncidentQuery, IncidentStatus, ResolveIncident,
};

use super::parts::{TicketTable, load_departments};
use crate::api::{self, Failure};
use crate::components::filter::{EnumFilter, query_string};
use crate::components::forms::{FormErrors, TextArea, checked, error_of, focus_first_invalid};
use crate::components::latest::Latest;
use crate::components::status::{FailureNote, LoadedList, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::pages::complaints::ServerRefusal;
use crate::session::use_session;
use crate::time;

#[component]
pub fn IncidentStatusBadge(status: IncidentStatus) -> impl IntoView {
    let i18n = use_i18n();
    let class = match status {
        IncidentStatus::Proposed => "badge badge-suspended",
        IncidentStatus::Open => "badge badge-overdue",
        IncidentStatus::Resolved => "badge badge-active",
        IncidentStatus::Dismissed => "badge badge-closed",
    };
    view! { <span class=class data-testid="incident-status" data-status=status.as_str()>{move || labels::incident_status(i18n.get_locale(), status)}</span> }
}

#[component]
pub fn IncidentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query_map = use_query_map();
    let navigate = use_navigate();
    let status = RwSignal::new(
        query_map
            .with_untracked(|q| q.get("status"))
            .unwrap_or_default(),
    );
    let all =
        RwSignal::new(query_map.with_untracked(|q| q.get("active")).as_deref() == Some("false"));
    let list = RwSignal::new(None::<Result<Vec<Incident>, Failure>>);
    let latest = Latest::new();
    Effect::new(move |_| {
        let search = query_string(&[
            ("status", status.get()),
            (
                "active",
                if all.get() {
                    "false".into()
                } else {
                    String::new()
                },
            ),
        ]);
        if window().location().search().unwrap_or_default() != search {
            navigate(
                &format!("/incidents{search}"),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
        let chosen = status.get_untracked().parse::<IncidentStatus>().ok();
        let query = IncidentQuery {
            status: chosen,
            // Only the active ones unless a status or everything is asked for.
            active: (chosen.is_none() && !all.get_untracked()).then_some(true),
        };
        latest.spawn(
            api::call(session, async move |client| client.incidents(&query).await),
            move |result| list.set(Some(result)),
        );
    });
    view! {
        <section class="page" data-testid="incidents">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, incidents.title))}</h1>
                    <p class="lead">{tr(|l| td_string!(l, incidents.lead))}</p>
                </div>
            </div>
            <div class="filters">
                <EnumFilter label=|l| td_string!(l, incidents.status) value=status values=IncidentStatus::all() name_of=labels::incident_status name="status" />
                <label class="checkbox filter-check">
                    <input type="checkbox" name="all" prop:checked=move || all.get() on:change=move |ev| all.set(event_target_checked(&ev)) />
                    <span>{tr(|l| td_string!(l, incidents.include_closed))}</span>
                </label>
            </div>
            <LoadedList value=move || list.get() empty=|l| td_string!(l, incidents.none) let:items>
                <div class="table-wrap">
                    <table class="table" data-testid="incident-table">
                        <thead>
                            <tr>
                                <th>{tr(|l| td_string!(l, incidents.number))}</th>
                                <th>{tr(|l| td_string!(l, incidents.area))}</th>
                                <th>{tr(|l| td_string!(l, incidents.status))}</th>
                                <th class="num">{tr(|l| td_string!(l, incidents.tickets))}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {items.into_iter().map(|i| {
                                let (category, scope, detected, count) = (i.category, i.scope, i.detected_at, i.ticket_count);
                                view! {
                                    <tr data-testid="incident-row" data-id=i.id>
                                        <td class="nowrap">
                                            <A href=format!("/incidents/{}", i.id) attr:class="mono">{i.number.clone()}</A>
                                            <div class="muted small">{move || labels::ticket_category(i18n.get_locale(), category)}</div>
                                        </td>
                                        <td class="wrap-anywhere">
                                            {i.area.clone()}
                                            <div class="muted small">
                                                {move || labels::area_scope(i18n.get_locale(), scope)} " · "
                                                {move || time::date_time(detected, i18n.get_locale())}
                                            </div>
                                        </td>
                                        <td><IncidentStatusBadge status=i.status /></td>
                                        <td class="num" data-testid="incident-count">{count}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </LoadedList>
        </section>
    }
}

#[component]
pub fn IncidentPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let detail = RwSignal::new(None::<Result<IncidentDetail, Failure>>);
    let latest = Latest::new();
    Effect::new(move |_| {
        let Some(id) = id.get() else { return };
        detail.set(None);
        latest.spawn(
            api::call(session, async move |client| client.incident(id).await),
            move |result| detail.set(Some(result)),
        );
    });
    let on_change = Callback::new(move |updated: IncidentDetail| detail.set(Some(Ok(updated))));
    move || match (id.get(), detail.get()) {
        (None, _) => {
            view! { <p class="failure">{tr(|l| td_string!(l, error.not_found))}</p> }.into_any()
        }
        (_, None) => view! { <Loading /> }.into_any(),
        (_, Some(Err(failure))) => view! { <FailureNote failure /> }.into_any(),
        (Some(_), Some(Ok(d))) => view! { <IncidentView detail=d on_change /> }.into_any(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Confirm,
    Dismiss,
    Resolve,
}

#[component]
fn IncidentView(detail: IncidentDetail, on_change: Callback<IncidentDetail>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let departments = load_departments();
    let i = detail.incident.clone();
    let status = i.status;
    let may_manage = session.has(Permission::IncidentsManage) && status.is_active();
    let number = i.number.clone();
    let (category, scope, detected_at) = (i.category, i.scope, i.detected_at);
    let tickets = detail.tickets.clone();
    let open_tickets = tickets.iter().filter(|t| t.status.is_open()).count();
    let affected = detail.affected.clone();
    let told = affected.len();
    let reported = affected.iter().filter(|a| a.reported).count();
    let step = RwSignal::new(None::<Step>);
    let button = move |which: Step,
                       text: fn(Locale) -> &'static str,
                       testid: &'static str,
                       primary: bool| {
        view! {
            <button
                type="button"
                class=if primary { "button-primary" } else { "button" }
                aria-expanded=move || (step.get() == Some(which)).to_string()
                data-testid=testid
                on:click=move |_| step.update(|s| *s = if *s == Some(which) { None } else { Some(which) })
            >
                {tr(text)}
            </button>
        }
    };
    view! {
        <section class="page" data-testid="incident-page">
            <div class="card-head">
                <div>
                    <h1 data-testid="incident-number">{move || t_string!(i18n, incidents.incident_title, number = number.clone()).to_string()}</h1>
                    <p class="lead wrap-anywhere" data-testid="incident-area">{i.area.clone()}</p>
                    <p class="card-facts">
                        <IncidentStatusBadge status />
                        <span class="chip">{move || labels::ticket_category(i18n.get_locale(), category)}</span>
                        <span class="chip">{move || labels::area_scope(i18n.get_locale(), scope)}</span>
                        <span class="muted small">{move || if i.detected { t_string!(i18n, incidents.detected) } else { t_string!(i18n, incidents.declared) }} " " {move || time::date_time(detected_at, i18n.get_locale())}</span>
                    </p>
                </div>
            </div>
            <div class="card-grid">
                <div class="card-main">
                    {may_manage.then(|| view! {
                        <div class="panel" data-testid="incident-actions">
                            <h2>{tr(|l| td_string!(l, incidents.actions))}</h2>
                            <div class="row">
                                {(status == IncidentStatus::Proposed).then(|| button(Step::Confirm, |l| td_string!(l, incidents.confirm), "confirm-incident", true))}
                                {button(Step::Resolve, |l| td_string!(l, incidents.resolve), "resolve-incident", status == IncidentStatus::Open)}
                                {button(Step::Dismiss, |l| td_string!(l, incidents.dismiss), "dismiss-incident", false)}
                            </div>
                            {move || step.get().map(|which| view! {
                                <IncidentAction id=i.id which open_tickets told on_change on_back=Callback::new(move |()| step.set(None)) />
                            })}
                        </div>
                    })}
                    {i.resolution_note.clone().map(|note| view! {
                        <div class="panel">
                            <h2>{tr(|l| td_string!(l, incidents.resolution))}</h2>
                            {i.resolved_at.map(|at| view! { <p class="muted small">{move || time::date_time(at, i18n.get_locale())}</p> })}
                            <p class="prewrap" data-testid="resolution-note">{note}</p>
                        </div>
                    })}
                    <div class="panel" data-testid="incident-tickets">
                        <h2>{move || t_string!(i18n, incidents.linked_tickets, n = tickets.len()).to_string()}</h2>
                        {if detail.tickets.is_empty() {
                            view! { <p class="muted">{tr(|l| td_string!(l, incidents.no_tickets))}</p> }.into_any()
                        } else {
                            let list = detail.tickets.clone();
                            view! { <TicketTable tickets=Signal::derive(move || list.clone()) departments /> }.into_any()
                        }}
                    </div>
                </div>
                <aside class="card-side">
                    <div class="panel" data-testid="affected-customers">
                        <h2>{tr(|l| td_string!(l, incidents.affected))}</h2>
                        <p class="muted small">{move || t_string!(i18n, incidents.affected_count, n = told, reported = reported).to_string()}</p>
                        <ul class="plain">
                            {affected.into_iter().map(|a| view! {
                                <li data-testid="affected" data-reported=a.reported.to_string()>
                                    <A href=format!("/customers/{}", a.customer_id)>{a.name.clone()}</A>
                                    " "
                                    {if a.reported {
                                        view! { <span class="badge badge-prospect">{tr(|l| td_string!(l, incidents.reported))}</span> }.into_any()
                                    } else {
                                        view! { <span class="badge">{tr(|l| td_string!(l, incidents.not_reported))}</span> }.into_any()
                                    }}
                                    <div class="muted small wrap-anywhere">{a.service_address.clone()}</div>
                                </li>
                            }).collect_view()}
                        </ul>
                    </div>
                </aside>
            </div>
        </section>
    }
}

/// Confirming, dismissing or resolving, after saying what it does.
#[component]
fn IncidentAction(
    id: i64,
    which: Step,
    open_tickets: usize,
    told: usize,
    on_change: Callback<IncidentDetail>,
    on_back: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    provide_context(FormErrors::default());
    let note = RwSignal::new(String::new());
    let note_missing = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let refused = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if which == Step::Resolve {
            note_missing.set(note.get_untracked().trim().is_empty());
            if note_missing.get_untracked() {
                focus_first_invalid(form);
                return;
            }
        }
        let resolution = ResolveIncident {
            note: note.get_untracked().trim().to_owned(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| match which {
                Step::Confirm => client.confirm_incident(id).await,
                Step::Dismiss => client.dismiss_incident(id).await,
                Step::Resolve => client.resolve_incident(id, &resolution).await,
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(detail) => {
                    toasts.success(match which {
                        Step::Confirm => td_string!(locale, incidents.confirmed),
                        Step::Dismiss => td_string!(locale, incidents.dismissed),
                        Step::Resolve => td_string!(locale, incidents.resolved),
                    });
                    on_change.run(detail);
                }
                Err(error) if error.has_field_errors() => {
                    toasts.form_failure(locale, failure, error)
                }
                Err(error) => refused.set(Some(error)),
            }
        });
    };
    let effect = move || {
        let l = i18n.get_locale();
        match which {
            Step::Confirm => td_string!(l, incidents.confirm_effect).to_string(),
            Step::Dismiss => td_string!(l, incidents.dismiss_effect).to_string(),
            Step::Resolve => td_string!(
                l,
                incidents.resolve_effect,
                tickets = open_tickets,
                customers = told
            )
            .to_string(),
        }
    };
    view! {
        <form class="form action-form" node_ref=form on:submit=submit novalidate data-testid="incident-action-form">
            {(which == Step::Resolve).then(|| view! {
                <TextArea
                    label=label(|l| td_string!(l, incidents.resolution_note))
                    value=note
                    name="note"
                    required=true
                    error=checked(move || note_missing.get(), |l| td_string!(l, field_error.required), error_of(failure, "note"))
                />
            })}
            <p class="warning" role="alert" data-testid="incident-effect">{effect}</p>
            {move || refused.get().map(|failure| view! { <ServerRefusal failure /> })}
            <div class="form-actions">
                <button type="button" class="button-quiet" on:click=move |_| on_back.run(())>{tr(|l| td_string!(l, common.cancel))}</button>
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="confirm-incident-action">
                    {move || match which {
                        Step::Confirm => t_string!(i18n, incidents.confirm_confirm),
                        Step::Dismiss => t_string!(i18n, incidents.confirm_dismiss),
                        Step::Resolve => t_string!(i18n, incidents.confirm_resolve),
                    }}
                </button>
            </div>
        </form>
    }
}
