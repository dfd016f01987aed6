//! `/tickets/:id`: one ticket. Its header (number, customer, category, priority, department,
//! assignee, status, service address, the outage it is part of), the three SLA clocks, the
//! history (status changes, routing with its reason, assignment, comments internal or
//! visible, visits), the script path that led to it, attachments and visits; and what staff
//! do with it: change its status, route it, assign it, comment, attach a file, book a visit.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use okno_api_types::Permission;
use okno_api_types::tickets::{
    AreaScope, DepartmentEntry, NewIncident, Ticket, TicketEvent, TicketEventKind, TicketSla,
    Visit, VisitStatus,
};
use okno_api_types::users::User;

use super::actions::{AttachForm, BookVisit, CommentForm, TicketActions};
use super::parts::{
    Attachments, PriorityChip, ScriptPath, SlaBadge, TicketStatusBadge, clock_name, clocks,
    department_name, duration_text, left_text, load_departments, load_staff,
};
use crate::api::{self, Failure};
use crate::components::forms::{Select, enum_options};
use crate::components::latest::Latest;
use crate::components::status::{FailureNote, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::session::use_session;
use crate::time;

#[component]
pub fn TicketPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let ticket = RwSignal::new(None::<Result<Ticket, Failure>>);
    let latest = Latest::new();
    let reload = move || {
        let Some(id) = id.get_untracked() else {
            return;
        };
        latest.spawn(
            api::call(session, async move |client| client.ticket(id).await),
            move |result| ticket.set(Some(result)),
        );
    };
    Effect::new(move |_| {
        if id.get().is_some() {
            ticket.set(None);
            reload();
        }
    });
    let departments = load_departments();
    let staff = load_staff();
    let on_change = Callback::new(move |updated: Option<Ticket>| match updated {
        Some(t) => ticket.set(Some(Ok(t))),
        None => reload(),
    });
    move || match (id.get(), ticket.get()) {
        (None, _) => {
            view! { <p class="failure">{tr(|l| td_string!(l, error.not_found))}</p> }.into_any()
        }
        (_, None) => view! { <Loading /> }.into_any(),
        (_, Some(Err(failure))) => view! { <FailureNote failure /> }.into_any(),
        (Some(_), Some(Ok(t))) => {
            view! { <TicketView ticket=t departments staff on_change /> }.into_any()
        }
    }
}

#[component]
fn TicketView(
    ticket: Ticket,
    departments: LocalResource<Vec<DepartmentEntry>>,
    staff: LocalResource<Vec<User>>,
    on_change: Callback<Option<Ticket>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let s = ticket.summary.clone();
    let may_write = session.has(Permission::TicketsWrite);
    let open = s.status.is_open();
    let number = s.number.clone();
    let (category, opened, source) = (s.category, s.opened_at, s.source);
    let department = s.department.clone();
    let booked = ticket
        .visits
        .iter()
        .any(|v| v.status == VisitStatus::Booked);
    view! {
        <section class="page" data-testid="ticket-page">
            <div class="card-head">
                <div>
                    <h1 data-testid="ticket-number">{move || t_string!(i18n, tickets.ticket_title, number = number.clone()).to_string()}</h1>
                    <p class="lead wrap-anywhere" data-testid="ticket-title">{s.title.clone()}</p>
                    <p class="card-facts">
                        <TicketStatusBadge status=s.status />
                        <PriorityChip priority=s.priority />
                        <span class="chip">{move || labels::ticket_category(i18n.get_locale(), category)}</span>
                        <SlaBadge sla=s.sla.clone() />
                        {s.incident_id.map(|id| view! {
                            <A href=format!("/incidents/{id}") attr:class="chip chip-outage" attr:data-testid="ticket-incident">{tr(|l| td_string!(l, tickets.part_of_outage))}</A>
                        })}
                    </p>
                </div>
            </div>
            <div class="card-grid">
                <div class="card-main">
                    {(may_write).then(|| view! {
                        <div class="panel" data-testid="ticket-actions">
                            <h2>{tr(|l| td_string!(l, tickets.actions))}</h2>
                            <TicketActions id=s.id status=s.status department=department.clone() assignee=s.assignee_id departments staff on_change />
                        </div>
                        <CommentForm id=s.id on_change />
                    })}
                    <div class="panel">
                        <h2>{tr(|l| td_string!(l, tickets.description))}</h2>
                        <p class="prewrap" data-testid="ticket-description">{ticket.description.clone()}</p>
                    </div>
                    <History events=ticket.events.clone() departments staff />
                    {ticket.script_run.clone().map(|run| {
                        let (name, version) = (run.script_name.clone(), run.version);
                        view! {
                            <div class="panel" data-testid="ticket-script">
                                <h2>{tr(|l| td_string!(l, tickets.script_walked))}</h2>
                                <p class="muted small">{move || t_string!(i18n, runner.script_version, name = name.clone(), version = version).to_string()}</p>
                                <ScriptPath path=run.path.clone() />
                            </div>
                        }
                    })}
                </div>
                <aside class="card-side">
                    <div class="panel">
                        <h2>{tr(|l| td_string!(l, tickets.details))}</h2>
                        <dl class="facts" data-testid="ticket-facts">
                            <dt>{tr(|l| td_string!(l, tickets.customer))}</dt>
                            <dd><A href=format!("/customers/{}", s.customer_id) attr:data-testid="ticket-customer">{s.customer_name.clone()}</A></dd>
                            {s.service_address.clone().map(|a| view! {
                                <dt>{tr(|l| td_string!(l, tickets.service_address))}</dt>
                                <dd data-testid="ticket-address">{a}</dd>
                            })}
                            <dt>{tr(|l| td_string!(l, tickets.department))}</dt>
                            <dd data-testid="ticket-department">{move || departments.get().map(|list| department_name(&list, &department, i18n.get_locale()))}</dd>
                            <dt>{tr(|l| td_string!(l, tickets.assignee))}</dt>
                            <dd data-testid="ticket-assignee">{match s.assignee_name.clone() {
                                Some(name) => name.into_any(),
                                None => view! { <span class="muted">{tr(|l| td_string!(l, tickets.unassigned))}</span> }.into_any(),
                            }}</dd>
                            <dt>{tr(|l| td_string!(l, tickets.opened))}</dt>
                            <dd>{move || time::date_time(opened, i18n.get_locale())} " · " {move || labels::ticket_source(i18n.get_locale(), source)}</dd>
                            {s.resolved_at.map(|at| view! {
                                <dt>{tr(|l| td_string!(l, tickets.resolved))}</dt>
                                <dd>{move || time::date_time(at, i18n.get_locale())}</dd>
                            })}
                            {ticket.network_node.clone().map(|node| view! {
                                <dt>{tr(|l| td_string!(l, tickets.network_node))}</dt>
                                <dd class="mono">{node}</dd>
                            })}
                        </dl>
                    </div>
                    <SlaClocks sla=s.sla.clone() />
                    {(open && s.incident_id.is_none() && session.has(Permission::IncidentsManage)).then(|| view! { <DeclareOutage ticket_id=s.id /> })}
                    <div class="panel">
                        <h2>{tr(|l| td_string!(l, tickets.attachments))}</h2>
                        <Attachments ticket_id=s.id attachments=ticket.attachments.clone() />
                        {(may_write && open).then(|| view! { <AttachForm id=s.id on_change=Callback::new(move |()| on_change.run(None)) /> })}
                    </div>
                    <div class="panel" data-testid="ticket-visits">
                        <h2>{tr(|l| td_string!(l, tickets.visits))}</h2>
                        <VisitList visits=ticket.visits.clone() on_change />
                        {(may_write && open && !booked).then(|| view! { <BookVisit id=s.id on_change /> })}
                    </div>
                </aside>
            </div>
        </section>
    }
}

/// The three clocks: each one's target, what it used, and what is left (or by how much it is
/// overdue), with when a running clock is due.
#[component]
pub fn SlaClocks(sla: TicketSla) -> impl IntoView {
    let i18n = use_i18n();
    let late = sla.late_updates;
    let rows: Vec<_> = clocks(&sla)
        .into_iter()
        .map(|(clock, view)| (clock, view.clone()))
        .collect();
    view! {
        <div class="panel" data-testid="sla-clocks">
            <h2>{tr(|l| td_string!(l, tickets.sla))}</h2>
            <ul class="clocks">
                {rows.into_iter().map(|(clock, c)| {
                    let state = c.state;
                    let class = match state {
                        okno_api_types::tickets::SlaClockState::Breached => "clock clock-breached",
                        okno_api_types::tickets::SlaClockState::Running if c.near => "clock clock-near",
                        okno_api_types::tickets::SlaClockState::Running => "clock clock-ok",
                        _ => "clock",
                    };
                    let (target, used, left, due) = (c.target_minutes, c.used_minutes, c.left_minutes, c.due_at);
                    let counting = matches!(state, okno_api_types::tickets::SlaClockState::Running | okno_api_types::tickets::SlaClockState::Breached);
                    view! {
                        <li class=class data-testid="sla-clock" data-state=state.as_str()>
                            <p class="clock-name">
                                <strong>{move || clock_name(i18n.get_locale(), clock)}</strong>
                                " "
                                <span class="badge">{move || labels::sla_clock_state(i18n.get_locale(), state)}</span>
                            </p>
                            {counting.then(|| view! { <p class="clock-left" data-testid="clock-left">{move || left_text(i18n.get_locale(), left)}</p> })}
                            <p class="muted small">
                                {move || t_string!(i18n, tickets.clock_used, used = duration_text(i18n.get_locale(), used), target = duration_text(i18n.get_locale(), i64::from(target))).to_string()}
                                {due.map(|at| view! { <br />{move || t_string!(i18n, tickets.clock_due_at, at = time::date_time(at, i18n.get_locale())).to_string()}})}
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(late > 0).then(|| view! { <p class="muted small">{move || t_string!(i18n, tickets.late_updates, n = late).to_string()}</p> })}
            <p class="muted small">{tr(|l| td_string!(l, tickets.clock_hint))}</p>
        </div>
    }
}

/// The ticket's history, newest first.
#[component]
fn History(
    events: Vec<TicketEvent>,
    departments: LocalResource<Vec<DepartmentEntry>>,
    staff: LocalResource<Vec<User>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="panel">
            <h2>{tr(|l| td_string!(l, tickets.history))}</h2>
            <ol class="timeline" data-testid="ticket-events">
                {events.into_iter().rev().map(|e| {
                    let kind = e.kind;
                    let at = e.at;
                    let change = e.to_status.map(|to| {
                        let from = e.from_status;
                        move || {
                            let l = i18n.get_locale();
                            match from {
                                Some(from) => format!("{} → {}", labels::ticket_status(l, from), labels::ticket_status(l, to)),
                                None => labels::ticket_status(l, to).to_owned(),
                            }
                        }
                    });
                    let department = e.department.clone().map(|code| {
                        move || departments.get().map(|list| format!("→ {}", department_name(&list, &code, i18n.get_locale())))
                    });
                    let assignee = (kind == TicketEventKind::Assigned).then(|| {
                        let id = e.assignee_id;
                        move || match id {
                            None => t_string!(i18n, tickets.unassigned).to_owned(),
                            Some(id) => staff
                                .get()
                                .and_then(|list| list.into_iter().find(|u| u.id == id).map(|u| u.display_name))
                                .unwrap_or_else(|| format!("#{id}")),
                        }
                    });
                    let shown = e.visible_to_customer;
                    let marked = matches!(kind, TicketEventKind::Comment | TicketEventKind::StatusChanged | TicketEventKind::Attachment) || e.body.is_some();
                    view! {
                        <li class="timeline-entry" class:timeline-internal=marked && !shown data-testid="ticket-event" data-kind=kind.as_str() data-visible=shown.to_string()>
                            <time class="timeline-time">{move || time::date_time(at, i18n.get_locale())}</time>
                            <div class="timeline-body">
                                <p class="timeline-title">
                                    {move || labels::ticket_event(i18n.get_locale(), kind)}
                                    {change.map(|c| view! { <span class="chip">{c}</span> })}
                                    {department.map(|d| view! { <span class="chip">{d}</span> })}
                                    {assignee.map(|a| view! { <span class="chip">"→ " {a}</span> })}
                                    {marked.then(|| view! {
                                        <span class=if shown { "badge badge-visible" } else { "badge badge-internal" } data-testid="event-visibility">
                                            {move || if shown { t_string!(i18n, tickets.visible) } else { t_string!(i18n, tickets.internal) }}
                                        </span>
                                    })}
                                </p>
                                {e.body.clone().map(|body| view! { <p class="timeline-text wrap-anywhere" data-testid="event-body">{body}</p> })}
                                <p class="timeline-by muted small">{e.by.clone()}</p>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </div>
    }
}

/// The ticket's visits: when, who, and how each went; a booked one may be cancelled.
#[component]
fn VisitList(visits: Vec<Visit>, on_change: Callback<Option<Ticket>>) -> impl IntoView {
    if visits.is_empty() {
        return view! { <p class="muted small">{tr(|l| td_string!(l, tickets.no_visits))}</p> }
            .into_any();
    }
    view! {
        <ul class="plain" data-testid="visit-list">
            {visits.into_iter().map(|v| view! { <li><super::visits::VisitSummary visit=v on_change=Callback::new(move |_| on_change.run(None)) /></li> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Declares a known outage around the ticket's address, for the faults no cluster revealed
/// yet (one caller, but the node is down).
#[component]
fn DeclareOutage(ticket_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let open = RwSignal::new(false);
    let scope = RwSignal::new(AreaScope::Building.as_str().to_owned());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let incident = NewIncident {
            ticket_id,
            scope: scope.get_untracked().parse().ok(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.declare_incident(&incident).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(detail) => {
                    toasts.success(td_string!(locale, incidents.declared_toast));
                    navigate.try_with_value(|n| {
                        n(
                            &format!("/incidents/{}", detail.incident.id),
                            Default::default(),
                        )
                    });
                }
                Err(failure) => toasts.failure(locale, &failure),
            }
        });
    };
    view! {
        <div class="panel" data-testid="declare-outage">
            <div class="panel-head">
                <h2>{tr(|l| td_string!(l, incidents.declare_title))}</h2>
                <button type="button" class="button-small" aria-expanded=move || open.get().to_string() data-testid="open-declare" on:click=move |_| open.update(|o| *o = !*o)>
                    {tr(|l| td_string!(l, incidents.declare))}
                </button>
            </div>
            <Show when=move || open.get()>
                <form class="form" on:submit=submit data-testid="declare-form">
                    <Select label=label(|l| td_string!(l, incidents.scope)) value=scope options=enum_options(AreaScope::all(), labels::area_scope) name="scope" />
                    <p class="warning" role="alert">{tr(|l| td_string!(l, incidents.declare_effect))}</p>
                    <div class="form-actions">
                        <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="confirm-declare">{tr(|l| td_string!(l, incidents.declare))}</button>
                    </div>
                </form>
            </Show>
        </div>
    }
}
