//! What the ticket screens share: the SLA written out ("due in 1 h 20 min", "overdue by
//! 35 min") and coloured by its flag, status and priority badges, the departments and staff
//! by name, the ticket table, a script's path as walked, attachments, and reading a file to
//! attach.

use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::Permission;
use okno_api_types::tickets::{
    Attachment, DepartmentEntry, PathStep, ScriptCheck, SlaClockState, SlaClockView, SlaFlag,
    TicketPriority, TicketSla, TicketStatus, TicketSummary,
};
use okno_api_types::users::{User, UserQuery};

use crate::api;
use crate::components::download::save_bytes;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::use_session;
use crate::time::{self, language};

/// The departments tickets go to, in their order; empty when they cannot be read.
pub fn load_departments() -> LocalResource<Vec<DepartmentEntry>> {
    let session = use_session();
    LocalResource::new(move || async move {
        let mut list = api::call(session, async |client| client.departments().await)
            .await
            .unwrap_or_default();
        list.sort_by_key(|d| d.position);
        list
    })
}

/// A department's name in the interface language, by its code (the code itself for one this
/// list does not know).
pub fn department_name(departments: &[DepartmentEntry], code: &str, locale: Locale) -> String {
    departments.iter().find(|d| d.code == code).map_or_else(
        || code.to_owned(),
        |d| d.name.get(language(locale)).to_owned(),
    )
}

/// The active departments as select options (code, name).
pub fn department_options(
    departments: LocalResource<Vec<DepartmentEntry>>,
    except: Option<String>,
) -> Signal<Vec<(String, String)>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        let locale = language(i18n.get_locale());
        departments
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|d| d.active && Some(&d.code) != except.as_ref())
            .map(|d| (d.code.clone(), d.name.get(locale).to_owned()))
            .collect()
    })
}

/// The staff users one may assign a ticket to; only for those who may list users (the others
/// assign to themselves).
pub fn load_staff() -> LocalResource<Vec<User>> {
    let session = use_session();
    LocalResource::new(move || async move {
        if !session.has(Permission::UsersRead) {
            return Vec::new();
        }
        let query = UserQuery {
            active: Some(true),
            limit: Some(500),
            ..UserQuery::default()
        };
        api::call(session, async |client| client.users(&query).await)
            .await
            .map(|page| page.items)
            .unwrap_or_default()
    })
}

/// A span of counted minutes, in words: `1 h 20 min`, `35 min`, `3 h`.
pub fn duration_text(locale: Locale, minutes: i64) -> String {
    let minutes = minutes.abs();
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => td_string!(locale, tickets.minutes, m = m).to_string(),
        (h, 0) => td_string!(locale, tickets.hours, h = h).to_string(),
        (h, m) => td_string!(locale, tickets.hours_minutes, h = h, m = m).to_string(),
    }
}

/// The time a clock has left, in words: `due in 1 h 20 min`, `overdue by 35 min`.
pub fn left_text(locale: Locale, left_minutes: i64) -> String {
    let time = duration_text(locale, left_minutes);
    if left_minutes < 0 {
        td_string!(locale, tickets.overdue_by, time = time).to_string()
    } else {
        td_string!(locale, tickets.due_in, time = time).to_string()
    }
}

/// The three SLA clocks of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    FirstResponse,
    NextUpdate,
    Resolution,
}

pub fn clock_name(locale: Locale, clock: Clock) -> &'static str {
    match clock {
        Clock::FirstResponse => td_string!(locale, tickets.first_response),
        Clock::NextUpdate => td_string!(locale, tickets.next_update),
        Clock::Resolution => td_string!(locale, tickets.resolution),
    }
}

pub fn clocks(sla: &TicketSla) -> Vec<(Clock, &SlaClockView)> {
    [
        Some((Clock::FirstResponse, &sla.first_response)),
        sla.next_update.as_ref().map(|c| (Clock::NextUpdate, c)),
        Some((Clock::Resolution, &sla.resolution)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The clock a queue's row speaks of: of those counting or breached, the one with the least
/// time left — the one that makes the row's colour.
pub fn headline(sla: &TicketSla) -> Option<(Clock, &SlaClockView)> {
    clocks(sla)
        .into_iter()
        .filter(|(_, c)| matches!(c.state, SlaClockState::Running | SlaClockState::Breached))
        .min_by_key(|(_, c)| c.left_minutes)
}

/// A ticket's SLA in words: `Resolution: due in 1 h 20 min`, `First response: overdue by
/// 35 min`, paused while waiting for the customer, or met.
pub fn sla_text(locale: Locale, sla: &TicketSla) -> String {
    match sla.flag {
        SlaFlag::Paused => td_string!(locale, tickets.sla_paused).to_owned(),
        SlaFlag::Met => td_string!(locale, tickets.sla_met).to_owned(),
        SlaFlag::Ok | SlaFlag::Near | SlaFlag::Breached => match headline(sla) {
            Some((clock, view)) => format!(
                "{}: {}",
                clock_name(locale, clock),
                left_text(locale, view.left_minutes)
            ),
            None => labels::sla_flag(locale, sla.flag).to_owned(),
        },
    }
}

/// The SLA as a badge coloured by its flag, saying the time left.
#[component]
pub fn SlaBadge(sla: TicketSla) -> impl IntoView {
    let i18n = use_i18n();
    let flag = sla.flag;
    view! {
        <span class=format!("sla sla-{}", flag.as_str()) data-testid="sla" data-flag=flag.as_str()>
            <span class="sr-only">{move || labels::sla_flag(i18n.get_locale(), flag)} ": "</span>
            {move || sla_text(i18n.get_locale(), &sla)}
        </span>
    }
}

#[component]
pub fn TicketStatusBadge(status: TicketStatus) -> impl IntoView {
    let i18n = use_i18n();
    let class = match status {
        TicketStatus::New | TicketStatus::Reopened => "badge badge-prospect",
        TicketStatus::InProgress => "badge badge-active",
        TicketStatus::WaitingForCustomer | TicketStatus::WaitingForVisit => "badge badge-suspended",
        TicketStatus::Resolved | TicketStatus::Closed => "badge badge-closed",
    };
    view! {
        <span class=class data-testid="ticket-status" data-status=status.as_str()>
            {move || labels::ticket_status(i18n.get_locale(), status)}
        </span>
    }
}

#[component]
pub fn PriorityChip(priority: TicketPriority) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("chip priority-{}", priority.as_str()) data-testid="priority">
            {move || labels::ticket_priority(i18n.get_locale(), priority)}
        </span>
    }
}

/// Tickets as a table, in the order given (a queue's SLA order): number and title, customer,
/// status, priority and category, department, assignee, and the SLA in colour and words.
#[component]
pub fn TicketTable(
    #[prop(into)] tickets: Signal<Vec<TicketSummary>>,
    departments: LocalResource<Vec<DepartmentEntry>>,
    #[prop(optional)] without_customer: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="ticket-table">
                <thead>
                    <tr>
                        <th>{tr(|l| td_string!(l, tickets.ticket))}</th>
                        {(!without_customer).then(|| view! { <th>{tr(|l| td_string!(l, tickets.customer))}</th> })}
                        <th>{tr(|l| td_string!(l, tickets.status))}</th>
                        <th class="hide-narrow">{tr(|l| td_string!(l, tickets.department))}</th>
                        <th>{tr(|l| td_string!(l, tickets.sla))}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || tickets.get() key=|t| (t.id, t.status, t.sla.flag, t.sla.first_response.left_minutes, t.sla.resolution.left_minutes) let:t>
                        {
                            let flag = t.sla.flag;
                            let (category, priority, opened) = (t.category, t.priority, t.opened_at);
                            let department = t.department.clone();
                            view! {
                                <tr class=format!("sla-row sla-row-{}", flag.as_str()) data-testid="ticket-row" data-id=t.id data-flag=flag.as_str()>
                                    <td>
                                        <A href=format!("/tickets/{}", t.id) attr:class="mono" attr:data-testid="ticket-number">{t.number.clone()}</A>
                                        <div class="wrap-anywhere">{t.title.clone()}</div>
                                        <div class="muted small">
                                            {move || labels::ticket_category(i18n.get_locale(), category)}
                                            " · "
                                            {move || time::date_time(opened, i18n.get_locale())}
                                        </div>
                                    </td>
                                    {(!without_customer).then(|| view! {
                                        <td class="wrap-anywhere">
                                            <A href=format!("/customers/{}", t.customer_id)>{t.customer_name.clone()}</A>
                                            {t.service_address.clone().map(|a| view! { <div class="muted small hide-narrow">{a}</div> })}
                                        </td>
                                    })}
                                    <td>
                                        <TicketStatusBadge status=t.status />
                                        " "
                                        <PriorityChip priority />
                                        {t.incident_id.map(|id| view! {
                                            " " <A href=format!("/incidents/{id}") attr:class="chip chip-outage" attr:data-testid="incident-chip">{tr(|l| td_string!(l, tickets.outage))}</A>
                                        })}
                                    </td>
                                    <td class="hide-narrow">
                                        {move || departments.get().map(|list| department_name(&list, &department, i18n.get_locale()))}
                                        {t.assignee_name.clone().map(|a| view! { <div class="muted small">{a}</div> })}
                                    </td>
                                    <td><SlaBadge sla=t.sla.clone() /></td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// A step's answer in the interface language: yes and no of a check, done at an instruction;
/// an answer's own words otherwise.
fn answer_text(locale: Locale, step: &PathStep) -> Option<String> {
    let answer = step.answer.as_deref()?;
    Some(match (step.automatic, answer) {
        (true, "yes") => td_string!(locale, runner.yes).to_owned(),
        (true, "no") => td_string!(locale, runner.no).to_owned(),
        (false, "done") => td_string!(locale, runner.done).to_owned(),
        _ => answer.to_owned(),
    })
}

/// The path of a script walk: each question or instruction with the answer given, and the
/// checks the system made by itself, with their times.
#[component]
pub fn ScriptPath(path: Vec<PathStep>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="script-path" data-testid="script-path">
            {path.into_iter().map(|step| {
                let at = step.at;
                let automatic = step.automatic;
                let prompt = step.prompt.clone();
                let check = step.prompt.parse::<ScriptCheck>().ok().filter(|_| automatic);
                let answer = {
                    let step = step.clone();
                    move || answer_text(i18n.get_locale(), &step)
                };
                view! {
                    <li class="script-step" class:script-step-auto=automatic data-testid="path-step" data-automatic=automatic.to_string()>
                        <time class="muted small">{move || time::date_time(at, i18n.get_locale())}</time>
                        <p class="script-prompt">
                            {automatic.then(|| view! { <span class="badge badge-check">{tr(|l| td_string!(l, runner.automatic))}</span> " " })}
                            {move || match check {
                                Some(check) => labels::script_check(i18n.get_locale(), check).to_owned(),
                                None => prompt.clone(),
                            }}
                        </p>
                        <p class="script-answer"><span aria-hidden="true">"→ "</span><strong>{answer}</strong></p>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// A file's size for people: `840 B`, `12 KB`, `1.0 MB`.
pub fn size_text(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{} KB", (b + 512) / 1024),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// A ticket's attachments; each opens (staff through the ticket, a subscriber through their
/// own ticket).
#[component]
pub fn Attachments(
    ticket_id: i64,
    attachments: Vec<Attachment>,
    #[prop(optional)] cabinet: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    if attachments.is_empty() {
        return view! { <p class="muted small" data-testid="no-attachments">{tr(|l| td_string!(l, tickets.no_attachments))}</p> }.into_any();
    }
    view! {
        <ul class="documents" data-testid="attachments">
            {attachments.into_iter().map(|a| {
                let (id, at, size) = (a.id, a.at, a.size_bytes);
                let (name, mime) = (a.file_name.clone(), a.content_type.clone());
                let open = move |_| {
                    let (name, mime) = (name.clone(), mime.clone());
                    leptos::task::spawn_local(async move {
                        let bytes = api::call(session, async |client| {
                            if cabinet {
                                client.my_attachment(ticket_id, id).await
                            } else {
                                client.ticket_attachment(ticket_id, id).await
                            }
                        })
                        .await;
                        if let Err(failure) = bytes.and_then(|b| save_bytes(&b, &mime, &name)) {
                            toasts.failure(i18n.get_locale_untracked(), &failure);
                        }
                    });
                };
                view! {
                    <li class="document" data-testid="attachment">
                        <div class="wrap-anywhere">
                            <p class="document-title">{a.file_name.clone()}</p>
                            <p class="muted small">
                                {size_text(size)} " · " {a.uploaded_by.clone()} " · "
                                {move || time::date_time(at, i18n.get_locale())}
                                {(!cabinet).then(|| view! {
                                    " · "
                                    {move || if a.visible_to_customer { t_string!(i18n, tickets.visible) } else { t_string!(i18n, tickets.internal) }}
                                })}
                            </p>
                        </div>
                        <button type="button" class="button-small" on:click=open data-testid="open-attachment">{tr(|l| td_string!(l, documents.open))}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A file chosen to attach: its name, type and bytes.
pub struct ChosenFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What a ticket takes: photos of a modem's lights, a speed test, a PDF, a text.
pub const ACCEPTED_FILES: &str = "image/png,image/jpeg,application/pdf,text/plain";

/// The file chosen in `input`, read.
pub async fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<ChosenFile> {
    let file = input.files()?.get(0)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    Some(ChosenFile {
        name: file.name(),
        content_type: file.type_(),
        bytes: js_sys::Uint8Array::new(&buffer).to_vec(),
    })
}

/// Whether `file` can go to the server: at most 1 MiB, of a type a ticket takes; the reason
/// in words when it cannot.
pub fn file_refusal(locale: Locale, file: &ChosenFile) -> Option<&'static str> {
    if file.bytes.len() > okno_domain::tickets::ATTACHMENT_MAX_BYTES {
        Some(td_string!(locale, tickets.file_too_big))
    } else if !ACCEPTED_FILES.split(',').any(|t| t == file.content_type) {
        Some(td_string!(locale, tickets.file_type))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    fn clock(left: i64, state: SlaClockState) -> SlaClockView {
        SlaClockView {
            target_minutes: 240,
            used_minutes: 240 - left,
            left_minutes: left,
            state,
            near: false,
            due_at: None,
        }
    }

    #[wasm_bindgen_test]
    fn time_left_is_written_out() {
        assert_eq!(left_text(Locale::en, 80), "due in 1 h 20 min");
        assert_eq!(left_text(Locale::en, -35), "overdue by 35 min");
        assert_eq!(left_text(Locale::en, 120), "due in 2 h");
        assert_eq!(left_text(Locale::pl, -80), "po terminie o 1 godz. 20 min");
        assert_eq!(left_text(Locale::ru, 80), "осталось 1 ч 20 мин");
    }

    #[wasm_bindgen_test]
    fn the_row_speaks_of_the_clock_with_least_time_left() {
        let sla = TicketSla {
            flag: SlaFlag::Breached,
            first_response: clock(-35, SlaClockState::Breached),
            next_update: None,
            resolution: clock(200, SlaClockState::Running),
            late_updates: 0,
        };
        assert_eq!(
            sla_text(Locale::en, &sla),
            "First response: overdue by 35 min"
        );
        let paused = TicketSla {
            flag: SlaFlag::Paused,
            first_response: clock(10, SlaClockState::Met),
            next_update: None,
            resolution: clock(200, SlaClockState::Paused),
            late_updates: 0,
        };
        assert_eq!(
            sla_text(Locale::en, &paused),
            "Paused: waiting for the customer"
        );
    }
}
