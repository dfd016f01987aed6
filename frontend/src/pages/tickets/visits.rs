//! `/visits`: the technicians' day plans. A day and a technician chosen (kept in the
//! address), each technician's slots in time order, free or booked with the visit: its
//! ticket, customer and address, how it went; a booked visit is reported (resolved, routed to
//! a department, nobody let the technician in) or cancelled. Those who publish slots add a
//! day's worth at once: from, to and the length of a slot.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use okno_api_types::tickets::{
    NewSlots, SlotQuery, SlotTimes, TechnicianSlot, Visit, VisitOutcome, VisitQuery, VisitReport,
    VisitStatus,
};
use okno_api_types::users::UserQuery;
use okno_api_types::{Permission, Role};

use super::actions::slot_hours;
use super::parts::{department_options, load_departments};
use crate::api::{self, Failure};
use crate::components::filter::query_string;
use crate::components::forms::{
    ErrorSummary, Field, FormErrors, Select, TextArea, checked, enum_options, error_of,
    focus_first_invalid,
};
use crate::components::latest::Latest;
use crate::components::status::{FailureNote, FormFailure, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::pages::contracts::today;
use crate::session::use_session;
use crate::time;

/// The instant a local day and time stand for, in the browser's time zone.
pub fn local_instant(day: NaiveDate, at: NaiveTime) -> Option<DateTime<Utc>> {
    use chrono::{Datelike, Timelike};
    let date = js_sys::Date::new_with_year_month_day_hr_min(
        u32::try_from(day.year()).ok()?,
        i32::try_from(day.month0()).ok()?,
        i32::try_from(day.day()).ok()?,
        i32::try_from(at.hour()).ok()?,
        i32::try_from(at.minute()).ok()?,
    );
    let millis = date.get_time();
    if millis.is_nan() {
        return None;
    }
    DateTime::from_timestamp_millis(millis as i64)
}

/// The slots from `from` to `to` on `day`, each `minutes` long (the last one whole).
pub fn slot_times(day: NaiveDate, from: NaiveTime, to: NaiveTime, minutes: i64) -> Vec<SlotTimes> {
    let mut slots = Vec::new();
    if minutes <= 0 {
        return slots;
    }
    let mut start = from;
    while start < to {
        let (end, wrapped) = start.overflowing_add_signed(Duration::minutes(minutes));
        if wrapped != 0 || end > to {
            break;
        }
        if let (Some(starts_at), Some(ends_at)) =
            (local_instant(day, start), local_instant(day, end))
        {
            slots.push(SlotTimes { starts_at, ends_at });
        }
        start = end;
        if slots.len() >= okno_domain::tickets::SLOTS_PER_REQUEST {
            break;
        }
    }
    slots
}

/// The technicians one may choose: every active one for those who may list users, else the
/// ones with slots on the day shown, and oneself when one is a technician.
fn technicians(
    users: &[okno_api_types::users::User],
    slots: &[TechnicianSlot],
    me: Option<&okno_api_types::auth::Me>,
) -> Vec<(i64, String)> {
    let mut list: Vec<(i64, String)> = users
        .iter()
        .filter(|u| u.role == Role::Technician)
        .map(|u| (u.id, u.display_name.clone()))
        .collect();
    for slot in slots {
        if !list.iter().any(|(id, _)| *id == slot.technician_id) {
            list.push((slot.technician_id, slot.technician_name.clone()));
        }
    }
    if let Some(me) = me.filter(|m| m.role == Role::Technician)
        && !list.iter().any(|(id, _)| *id == me.id)
    {
        list.push((me.id, me.display_name.clone()));
    }
    list.sort_by(|a, b| a.1.cmp(&b.1));
    list
}

#[component]
pub fn VisitsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query_map = use_query_map();
    let navigate = use_navigate();
    let from_url = |name: &'static str| {
        query_map
            .with_untracked(|q| q.get(name))
            .unwrap_or_default()
    };
    let me = session.me();
    let day = RwSignal::new(
        from_url("day")
            .parse::<NaiveDate>()
            .unwrap_or_else(|_| today())
            .to_string(),
    );
    let default_technician = me
        .as_ref()
        .filter(|m| m.role == Role::Technician)
        .map(|m| m.id.to_string())
        .unwrap_or_default();
    let technician = RwSignal::new({
        let t = from_url("technician_id");
        if t.is_empty() { default_technician } else { t }
    });
    let users = LocalResource::new(move || async move {
        if !session.has(Permission::UsersRead) {
            return Vec::new();
        }
        let query = UserQuery {
            role: Some(Role::Technician),
            active: Some(true),
            limit: Some(200),
            ..UserQuery::default()
        };
        api::call(session, async |client| client.users(&query).await)
            .await
            .map(|p| p.items)
            .unwrap_or_default()
    });
    let plan = RwSignal::new(None::<Result<(Vec<TechnicianSlot>, Vec<Visit>), Failure>>);
    let latest = Latest::new();
    let version = RwSignal::new(0_u32);
    Effect::new(move |_| {
        version.track();
        let search = query_string(&[("day", day.get()), ("technician_id", technician.get())]);
        if window().location().search().unwrap_or_default() != search {
            navigate(
                &format!("/visits{search}"),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
        let Ok(chosen_day) = day.get_untracked().parse::<NaiveDate>() else {
            return;
        };
        let technician_id = technician.get_untracked().parse::<i64>().ok();
        let slot_query = SlotQuery {
            from: Some(chosen_day),
            to: Some(chosen_day),
            technician_id,
            free: None,
        };
        let visit_query = VisitQuery {
            technician_id,
            day: Some(chosen_day),
        };
        latest.spawn(
            async move {
                let slots = api::call(session, async |client| {
                    client.technician_slots(&slot_query).await
                })
                .await?;
                let visits =
                    api::call(session, async |client| client.visits(&visit_query).await).await?;
                Ok((slots, visits))
            },
            move |result| plan.set(Some(result)),
        );
    });
    let known = Signal::derive({
        let me = me.clone();
        move || {
            let slots = plan
                .with(|p| {
                    p.as_ref()
                        .and_then(|r| r.as_ref().ok())
                        .map(|(s, _)| s.clone())
                })
                .unwrap_or_default();
            technicians(&users.get().unwrap_or_default(), &slots, me.as_ref())
        }
    });
    let shift_day = move |days: i64| {
        if let Ok(d) = day.get_untracked().parse::<NaiveDate>() {
            day.set((d + Duration::days(days)).to_string());
        }
    };
    let on_change = Callback::new(move |_: Visit| version.update(|v| *v += 1));

    view! {
        <section class="page" data-testid="visits">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, visits.title))}</h1>
                    <p class="lead">{tr(|l| td_string!(l, visits.lead))}</p>
                </div>
            </div>
            <div class="filters">
                <button type="button" class="button-small" data-testid="previous-day" on:click=move |_| shift_day(-1)>
                    <span aria-hidden="true">"‹ "</span>{tr(|l| td_string!(l, visits.previous_day))}
                </button>
                <label class="filter">
                    <span>{tr(|l| td_string!(l, visits.day))}</span>
                    <input type="date" name="day" prop:value=move || day.get() on:change=move |ev| day.set(event_target_value(&ev)) />
                </label>
                <button type="button" class="button-small" data-testid="next-day" on:click=move |_| shift_day(1)>
                    {tr(|l| td_string!(l, visits.next_day))}<span aria-hidden="true">" ›"</span>
                </button>
                <label class="filter">
                    <span>{tr(|l| td_string!(l, visits.technician))}</span>
                    <select name="technician_id" on:change=move |ev| technician.set(event_target_value(&ev)) prop:value=move || technician.get()>
                        <option value="">{tr(|l| td_string!(l, visits.all_technicians))}</option>
                        {move || known.get().into_iter().map(|(id, name)| {
                            let value = id.to_string();
                            let selected = technician.with_untracked(|t| *t == value);
                            view! { <option value=value selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            {move || match plan.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(failure)) => view! { <FailureNote failure /> }.into_any(),
                Some(Ok((slots, visits))) => view! { <DayPlan slots visits on_change /> }.into_any(),
            }}
            <Show when=move || session.has(Permission::VisitsManage)>
                <AddSlots technicians=known default_technician=technician on_added=Callback::new(move |()| version.update(|v| *v += 1)) />
            </Show>
            <p class="muted small">{move || t_string!(i18n, visits.times_local)}</p>
        </section>
    }
}

/// A day's slots per technician, free or with the visit booked in them.
#[component]
fn DayPlan(
    slots: Vec<TechnicianSlot>,
    visits: Vec<Visit>,
    on_change: Callback<Visit>,
) -> impl IntoView {
    let i18n = use_i18n();
    let mut by_technician: Vec<(i64, String, Vec<TechnicianSlot>)> = Vec::new();
    for slot in slots {
        match by_technician
            .iter_mut()
            .find(|(id, _, _)| *id == slot.technician_id)
        {
            Some((_, _, list)) => list.push(slot),
            None => {
                by_technician.push((slot.technician_id, slot.technician_name.clone(), vec![slot]))
            }
        }
    }
    by_technician.sort_by(|a, b| a.1.cmp(&b.1));
    // Visits whose slot is not listed (cancelled ones free their slot).
    let unslotted: Vec<Visit> = visits
        .iter()
        .filter(|v| v.status == VisitStatus::Cancelled)
        .cloned()
        .collect();
    if by_technician.is_empty() && unslotted.is_empty() {
        return view! { <p class="empty" data-testid="no-plan">{tr(|l| td_string!(l, visits.none))}</p> }.into_any();
    }
    view! {
        <div class="day-plan" data-testid="day-plan">
            {by_technician.into_iter().map(|(id, name, mut slots)| {
                slots.sort_by_key(|s| s.starts_at);
                let booked = slots.iter().filter(|s| s.visit_id.is_some()).count();
                let total = slots.len();
                view! {
                    <div class="panel" data-testid="technician-plan" data-technician=id>
                        <div class="panel-head">
                            <h2>{name.clone()}</h2>
                            <span class="muted small">{move || t_string!(i18n, visits.booked_of, booked = booked, total = total).to_string()}</span>
                        </div>
                        <ol class="slots">
                            {slots.into_iter().map(|slot| {
                                let visit = slot.visit_id.and_then(|vid| visits.iter().find(|v| v.id == vid).cloned());
                                let hours = slot_hours(slot.starts_at, slot.ends_at);
                                let free = slot.visit_id.is_none();
                                view! {
                                    <li class="slot" class:slot-free=free data-testid="plan-slot" data-free=free.to_string()>
                                        <span class="slot-hours mono">{hours}</span>
                                        <div class="slot-body">
                                            {match visit {
                                                Some(v) => view! { <VisitSummary visit=v on_change show_ticket=true /> }.into_any(),
                                                None if free => view! { <span class="badge badge-active">{tr(|l| td_string!(l, visits.free))}</span> }.into_any(),
                                                None => view! { <span class="badge">{tr(|l| td_string!(l, visits.booked))}</span> }.into_any(),
                                            }}
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    </div>
                }
            }).collect_view()}
            {(!unslotted.is_empty()).then(|| view! {
                <div class="panel">
                    <h2>{tr(|l| td_string!(l, visits.cancelled))}</h2>
                    <ul class="plain">
                        {unslotted.into_iter().map(|v| view! { <li><VisitSummary visit=v on_change show_ticket=true /></li> }).collect_view()}
                    </ul>
                </div>
            })}
        </div>
    }
    .into_any()
}

/// One visit: when, who, its state and how it went; a booked one may be reported by those
/// who report visits, and cancelled by those who book them.
#[component]
pub fn VisitSummary(
    visit: Visit,
    #[prop(into)] on_change: Callback<Visit>,
    #[prop(optional)] show_ticket: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let status = visit.status;
    let (starts, ends) = (visit.starts_at, visit.ends_at);
    let booked = status == VisitStatus::Booked;
    let outcome = visit.outcome;
    let id = visit.id;
    let step = RwSignal::new(None::<bool>);
    view! {
        <div class="visit" data-testid="visit" data-status=status.as_str()>
            <p class="visit-head">
                {(!show_ticket).then(|| view! {
                    <span class="nowrap">{move || time::date(starts, i18n.get_locale())} " " {slot_hours(starts, ends)}</span>
                    " · " {visit.technician_name.clone()} " "
                })}
                {show_ticket.then(|| view! {
                    <A href=format!("/tickets/{}", visit.ticket_id) attr:class="mono" attr:data-testid="visit-ticket">{visit.ticket_number.clone()}</A>
                    " · "
                    <A href=format!("/customers/{}", visit.customer_id)>{visit.customer_name.clone()}</A>
                    " "
                })}
                <span class=match status {
                    VisitStatus::Booked => "badge badge-prospect",
                    VisitStatus::Done => "badge badge-active",
                    VisitStatus::NoAccess => "badge badge-suspended",
                    VisitStatus::Cancelled => "badge badge-closed",
                } data-testid="visit-status">{move || labels::visit_status(i18n.get_locale(), status)}</span>
                {outcome.map(|o| view! { " " <span class="chip" data-testid="visit-outcome">{move || labels::visit_outcome(i18n.get_locale(), o)}</span> })}
            </p>
            {visit.address.clone().filter(|_| show_ticket).map(|a| view! { <p class="muted small wrap-anywhere">{a}</p> })}
            {visit.note.clone().map(|n| view! { <p class="small prewrap">{n}</p> })}
            {visit.outcome_note.clone().map(|n| view! { <p class="small prewrap" data-testid="visit-outcome-note">{n}</p> })}
            <p class="muted small">{move || t_string!(i18n, visits.booked_by, name = visit.booked_by.clone(), at = time::date_time(visit.booked_at, i18n.get_locale())).to_string()}</p>
            {booked.then(|| view! {
                <div class="row">
                    <Show when=move || session.has(Permission::VisitsManage)>
                        <button type="button" class="button-small" aria-expanded=move || (step.get() == Some(true)).to_string() data-testid="report-visit" on:click=move |_| step.update(|s| *s = if *s == Some(true) { None } else { Some(true) })>
                            {tr(|l| td_string!(l, visits.report))}
                        </button>
                    </Show>
                    <Show when=move || session.has(Permission::TicketsWrite)>
                        <button type="button" class="button-small button-danger" aria-expanded=move || (step.get() == Some(false)).to_string() data-testid="cancel-visit" on:click=move |_| step.update(|s| *s = if *s == Some(false) { None } else { Some(false) })>
                            {tr(|l| td_string!(l, visits.cancel))}
                        </button>
                    </Show>
                </div>
                {move || match step.get() {
                    Some(true) => view! { <ReportForm id on_change /> }.into_any(),
                    Some(false) => view! { <CancelVisit id on_change on_back=Callback::new(move |()| step.set(None)) /> }.into_any(),
                    None => ().into_any(),
                }}
            })}
        </div>
    }
}

/// What the visit did; the effect on the ticket is said beside the choice.
#[component]
fn ReportForm(id: i64, on_change: Callback<Visit>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    provide_context(FormErrors::default());
    let departments = load_departments();
    let outcome = RwSignal::new(VisitOutcome::Resolved.as_str().to_owned());
    let note = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let options = department_options(departments, None);
    Effect::new(move |_| {
        if department.get_untracked().is_empty()
            && let Some((code, _)) = options.get().first()
        {
            department.set(code.clone());
        }
    });
    let failure = RwSignal::new(None::<Failure>);
    let note_missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let chosen = move || {
        outcome
            .get()
            .parse::<VisitOutcome>()
            .unwrap_or(VisitOutcome::Resolved)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = note.get_untracked();
        note_missing.set(text.trim().is_empty());
        if note_missing.get_untracked() {
            focus_first_invalid(form);
            return;
        }
        let picked = untrack(chosen);
        let report = VisitReport {
            outcome: picked,
            note: text.trim().to_owned(),
            department: (picked == VisitOutcome::Routed).then(|| department.get_untracked()),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.report_visit(id, &report).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(visit) => {
                    toasts.success(td_string!(locale, visits.reported));
                    on_change.run(visit);
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    view! {
        <form class="form action-form" node_ref=form on:submit=submit novalidate data-testid="report-form">
            <ErrorSummary />
            <div class="grid-2">
                <Select label=label(|l| td_string!(l, visits.outcome)) value=outcome options=enum_options(VisitOutcome::all(), labels::visit_outcome) name="outcome" error=error_of(failure, "outcome") />
                <Show when=move || chosen() == VisitOutcome::Routed>
                    <Select label=label(|l| td_string!(l, visits.route_to)) value=department options name="department" error=error_of(failure, "department") />
                </Show>
            </div>
            <p class="field-hint" data-testid="report-effect">{move || match chosen() {
                VisitOutcome::Resolved => t_string!(i18n, visits.effect_resolved),
                VisitOutcome::Routed => t_string!(i18n, visits.effect_routed),
                VisitOutcome::NoAccess => t_string!(i18n, visits.effect_no_access),
            }}</p>
            <TextArea
                label=label(|l| td_string!(l, visits.report_note))
                value=note
                name="note"
                required=true
                error=checked(move || note_missing.get(), |l| td_string!(l, field_error.required), error_of(failure, "note"))
            />
            <FormFailure failure />
            <div class="form-actions">
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-report">{tr(|l| td_string!(l, visits.save_report))}</button>
            </div>
        </form>
    }
}

/// Cancelling a visit, after saying what that does.
#[component]
fn CancelVisit(id: i64, on_change: Callback<Visit>, on_back: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| client.cancel_visit(id).await).await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(visit) => {
                    toasts.success(td_string!(locale, visits.cancelled_done));
                    on_change.run(visit);
                }
                Err(failure) => toasts.failure(locale, &failure),
            }
        });
    };
    view! {
        <form class="form action-form" on:submit=submit data-testid="cancel-visit-form">
            <p class="warning" role="alert">{tr(|l| td_string!(l, visits.cancel_effect))}</p>
            <div class="form-actions">
                <button type="button" class="button-quiet" on:click=move |_| on_back.run(())>{tr(|l| td_string!(l, common.cancel))}</button>
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="confirm-cancel-visit">{tr(|l| td_string!(l, visits.confirm_cancel))}</button>
            </div>
        </form>
    }
}

/// A day of a technician's slots: from, to and how long each is; the slots it makes are
/// listed before they are added.
#[component]
fn AddSlots(
    technicians: Signal<Vec<(i64, String)>>,
    default_technician: RwSignal<String>,
    on_added: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    provide_context(FormErrors::default());
    let open = RwSignal::new(false);
    let technician = RwSignal::new(default_technician.get_untracked());
    let tomorrow = (today() + Duration::days(1)).to_string();
    let day = RwSignal::new(tomorrow);
    let from = RwSignal::new("09:00".to_owned());
    let to = RwSignal::new("17:00".to_owned());
    let length = RwSignal::new("60".to_owned());
    let failure = RwSignal::new(None::<Failure>);
    let technician_missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let planned = Memo::new(move |_| {
        let day = day.get().parse::<NaiveDate>().ok();
        let from = NaiveTime::parse_from_str(&from.get(), "%H:%M").ok();
        let to = NaiveTime::parse_from_str(&to.get(), "%H:%M").ok();
        let minutes = length.get().parse::<i64>().ok();
        match (day, from, to, minutes) {
            (Some(day), Some(from), Some(to), Some(minutes)) => slot_times(day, from, to, minutes),
            _ => Vec::new(),
        }
    });
    let nothing_planned = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let technician_id = technician.get_untracked().parse::<i64>().ok();
        technician_missing.set(technician_id.is_none());
        let slots = planned.get_untracked();
        nothing_planned.set(slots.is_empty());
        let Some(technician_id) = technician_id.filter(|_| !slots.is_empty()) else {
            focus_first_invalid(form);
            return;
        };
        let request = NewSlots {
            technician_id,
            slots,
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.add_technician_slots(&request).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(added) => {
                    failure.set(None);
                    toasts.success(
                        td_string!(locale, visits.slots_added, n = added.len()).to_string(),
                    );
                    on_added.run(());
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    let technician_options = Signal::derive(move || {
        std::iter::once((
            String::new(),
            t_string!(i18n, visits.choose_technician).to_owned(),
        ))
        .chain(
            technicians
                .get()
                .into_iter()
                .map(|(id, name)| (id.to_string(), name)),
        )
        .collect::<Vec<_>>()
    });
    let lengths = Signal::derive(move || {
        [30, 60, 90, 120, 240]
            .into_iter()
            .map(|m| {
                (
                    m.to_string(),
                    t_string!(i18n, tickets.minutes, m = m).to_string(),
                )
            })
            .collect::<Vec<_>>()
    });
    // A slot the server refuses is named by its place in the list: shown with its hours.
    let slot_errors = Signal::derive(move || {
        let locale = i18n.get_locale();
        let slots = planned.get();
        failure.with(|f| {
            f.as_ref()
                .and_then(|f| f.problem())
                .map(|p| {
                    p.errors
                        .iter()
                        .filter_map(|e| {
                            let rest = e.field.strip_prefix("slots[")?;
                            let index: usize = rest.split(']').next()?.parse().ok()?;
                            let hours = slots
                                .get(index)
                                .map(|s| slot_hours(s.starts_at, s.ends_at))
                                .unwrap_or_default();
                            Some(format!("{hours}: {}", labels::field_error(locale, e)))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <div class="panel" data-testid="add-slots">
            <div class="panel-head">
                <h2>{tr(|l| td_string!(l, visits.add_slots))}</h2>
                <button type="button" class="button-small" aria-expanded=move || open.get().to_string() data-testid="open-add-slots" on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { t_string!(i18n, common.cancel) } else { t_string!(i18n, visits.add_slots_button) }}
                </button>
            </div>
            <Show when=move || open.get()>
                <form class="form" node_ref=form on:submit=submit novalidate data-testid="slots-form">
                    <ErrorSummary />
                    <div class="grid-3">
                        <Select label=label(|l| td_string!(l, visits.technician)) value=technician options=technician_options name="technician" error=checked(move || technician_missing.get(), |l| td_string!(l, field_error.required), error_of(failure, "technician_id")) />
                        <Field label=label(|l| td_string!(l, visits.day)) value=day name="slot_day" input_type="date" required=true />
                        <Select label=label(|l| td_string!(l, visits.slot_length)) value=length options=lengths name="slot_length" />
                        <Field label=label(|l| td_string!(l, visits.from)) value=from name="from" input_type="time" required=true />
                        <Field label=label(|l| td_string!(l, visits.to)) value=to name="to" input_type="time" required=true error=checked(move || nothing_planned.get(), |l| td_string!(l, visits.no_slots_planned), Signal::derive(|| None)) />
                    </div>
                    <p class="field-hint" data-testid="planned-slots">
                        {move || {
                            let slots = planned.get();
                            let hours: Vec<String> = slots.iter().map(|s| slot_hours(s.starts_at, s.ends_at)).collect();
                            t_string!(i18n, visits.planned, n = slots.len(), list = hours.join(", ")).to_string()
                        }}
                    </p>
                    <Show when=move || !slot_errors.with(Vec::is_empty)>
                        <ul class="failure" role="alert" data-testid="slot-errors">
                            {move || slot_errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                        </ul>
                    </Show>
                    <FormFailure failure />
                    <div class="form-actions">
                        <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-slots">{tr(|l| td_string!(l, visits.add))}</button>
                    </div>
                </form>
            </Show>
        </div>
    }
}
