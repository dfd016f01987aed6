//! What staff do with a ticket: change its status (to the ones its state allows, with a note
//! the customer may see; closing, which is final, asks once more), route it to another
//! department with a reason, assign it, comment (internal or visible to the customer), attach
//! a file, and book a technician's free slot.

use std::collections::BTreeMap;

use base64::Engine;
use leptos::prelude::*;
use okno_api_types::ErrorCode;
use okno_api_types::tickets::{
    BookVisit as BookVisitRequest, DepartmentEntry, NewAttachment, NewTicketComment, SlotQuery,
    TechnicianSlot, Ticket, TicketAssignment, TicketRouting, TicketStatus, TicketStatusChange,
};
use okno_api_types::users::User;
use wasm_bindgen::JsCast;

use super::parts::{ACCEPTED_FILES, chosen_file, department_options, file_refusal};
use crate::api::{self, Failure};
use crate::components::forms::{
    Checkbox, FormErrors, Select, TextArea, checked, error_of, focus_first_invalid,
};
use crate::components::status::FormFailure;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::session::use_session;
use crate::time;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Status,
    Route,
    Assign,
}

/// The buttons for a ticket's status, routing and assignment, and the form of the one chosen.
#[component]
pub fn TicketActions(
    id: i64,
    status: TicketStatus,
    department: String,
    assignee: Option<i64>,
    departments: LocalResource<Vec<DepartmentEntry>>,
    staff: LocalResource<Vec<User>>,
    on_change: Callback<Option<Ticket>>,
) -> impl IntoView {
    let chosen = RwSignal::new(None::<Action>);
    let open = status.is_open();
    let button = move |action: Action, text: fn(Locale) -> &'static str, testid: &'static str| {
        view! {
            <button
                type="button"
                class="button"
                class:button-active=move || chosen.get() == Some(action)
                aria-expanded=move || (chosen.get() == Some(action)).to_string()
                data-testid=testid
                on:click=move |_| chosen.update(|c| *c = if *c == Some(action) { None } else { Some(action) })
            >
                {tr(text)}
            </button>
        }
    };
    let done = Callback::new(move |ticket: Option<Ticket>| {
        chosen.set(None);
        on_change.run(ticket);
    });
    view! {
        <div class="row">
            {(!status.next().is_empty()).then(|| button(Action::Status, |l| td_string!(l, tickets.change_status), "change-status"))}
            {open.then(|| button(Action::Route, |l| td_string!(l, tickets.route), "route"))}
            {open.then(|| button(Action::Assign, |l| td_string!(l, tickets.assign), "assign"))}
        </div>
        {status.next().is_empty().then(|| view! { <p class="muted small">{tr(|l| td_string!(l, tickets.closed_final))}</p> })}
        {move || match chosen.get() {
            Some(Action::Status) => view! { <StatusForm id status on_change=done /> }.into_any(),
            Some(Action::Route) => view! { <RouteForm id department=department.clone() departments on_change=done /> }.into_any(),
            Some(Action::Assign) => view! { <AssignForm id assignee staff on_change=done /> }.into_any(),
            None => ().into_any(),
        }}
    }
}

/// A new status among those the current one allows, with an optional note.
#[component]
fn StatusForm(id: i64, status: TicketStatus, on_change: Callback<Option<Ticket>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    provide_context(FormErrors::default());
    let next = status.next();
    let chosen = RwSignal::new(
        next.first()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
    );
    let note = RwSignal::new(String::new());
    let visible = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    // Closing is final: it is asked once more, with its effect.
    let confirming = RwSignal::new(false);
    let closing = move || chosen.get() == TicketStatus::Closed.as_str();
    Effect::new(move |_| {
        chosen.track();
        confirming.set(false);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(to) = chosen.get_untracked().parse::<TicketStatus>() else {
            return;
        };
        if to == TicketStatus::Closed && !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        let text = note.get_untracked();
        let change = TicketStatusChange {
            status: to,
            note: Some(text.trim().to_owned()).filter(|n| !n.is_empty()),
            visible_to_customer: visible.get_untracked(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.change_ticket_status(id, &change).await
            })
            .await;
            busy.set(false);
            confirming.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(ticket) => {
                    toasts.success(
                        td_string!(
                            locale,
                            tickets.status_changed,
                            status = labels::ticket_status(locale, to)
                        )
                        .to_string(),
                    );
                    on_change.run(Some(ticket));
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    let options = Signal::derive(move || {
        let l = i18n.get_locale();
        next.iter()
            .map(|s| {
                (
                    s.as_str().to_owned(),
                    labels::ticket_status(l, *s).to_owned(),
                )
            })
            .collect::<Vec<_>>()
    });
    view! {
        <form class="form action-form" on:submit=submit novalidate data-testid="status-form">
            <div class="grid-2">
                <Select label=label(|l| td_string!(l, tickets.new_status)) value=chosen options name="status" error=error_of(failure, "status") />
            </div>
            <TextArea label=label(|l| td_string!(l, tickets.status_note)) value=note name="note" error=error_of(failure, "note") />
            <Checkbox label=label(|l| td_string!(l, tickets.note_visible)) checked=visible name="visible_to_customer" />
            <Show when=move || confirming.get() && closing()>
                <p class="warning" role="alert" data-testid="close-effect">{tr(|l| td_string!(l, tickets.close_effect))}</p>
            </Show>
            <FormFailure failure />
            <div class="form-actions">
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-status">
                    {move || if confirming.get() { t_string!(i18n, tickets.confirm_close) } else { t_string!(i18n, tickets.save_status) }}
                </button>
            </div>
        </form>
    }
}

/// Another department, with the reason written on the history.
#[component]
fn RouteForm(
    id: i64,
    department: String,
    departments: LocalResource<Vec<DepartmentEntry>>,
    on_change: Callback<Option<Ticket>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    provide_context(FormErrors::default());
    let options = department_options(departments, Some(department));
    let target = RwSignal::new(String::new());
    // The first department offered, once they are read.
    Effect::new(move |_| {
        if target.get_untracked().is_empty()
            && let Some((code, _)) = options.get().first()
        {
            target.set(code.clone());
        }
    });
    let reason = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let reason_missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked();
        reason_missing.set(text.trim().is_empty());
        if reason_missing.get_untracked() {
            focus_first_invalid(form);
            return;
        }
        let routing = TicketRouting {
            department: target.get_untracked(),
            reason: text.trim().to_owned(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.route_ticket(id, &routing).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(ticket) => {
                    toasts.success(td_string!(locale, tickets.routed));
                    on_change.run(Some(ticket));
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    view! {
        <form class="form action-form" node_ref=form on:submit=submit novalidate data-testid="route-form">
            <div class="grid-2">
                <Select label=label(|l| td_string!(l, tickets.route_to)) value=target options name="department" error=error_of(failure, "department") />
            </div>
            <TextArea
                label=label(|l| td_string!(l, tickets.route_reason))
                value=reason
                name="reason"
                required=true
                error=checked(move || reason_missing.get(), |l| td_string!(l, field_error.required), error_of(failure, "reason"))
            />
            <p class="field-hint">{tr(|l| td_string!(l, tickets.route_hint))}</p>
            <FormFailure failure />
            <div class="form-actions">
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-route">{tr(|l| td_string!(l, tickets.route))}</button>
            </div>
        </form>
    }
}

/// Someone to work the ticket: any active staff member for those who may list them, else
/// oneself; or nobody.
#[component]
fn AssignForm(
    id: i64,
    assignee: Option<i64>,
    staff: LocalResource<Vec<User>>,
    on_change: Callback<Option<Ticket>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let me = session.me();
    let chosen = RwSignal::new(
        assignee
            .or(me.as_ref().map(|m| m.id))
            .map(|id| id.to_string())
            .unwrap_or_default(),
    );
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let options = Signal::derive(move || {
        let mut options = vec![(
            String::new(),
            t_string!(i18n, tickets.unassigned).to_owned(),
        )];
        let list = staff.get().unwrap_or_default();
        if let Some(me) = &me
            && !list.iter().any(|u| u.id == me.id)
        {
            options.push((
                me.id.to_string(),
                t_string!(i18n, tickets.me, name = me.display_name.clone()).to_string(),
            ));
        }
        options.extend(list.into_iter().map(|u| {
            let role = labels::role(i18n.get_locale(), u.role);
            (u.id.to_string(), format!("{} ({role})", u.display_name))
        }));
        options
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let assignment = TicketAssignment {
            assignee_id: chosen.get_untracked().parse().ok(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.assign_ticket(id, &assignment).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(ticket) => {
                    toasts.success(td_string!(locale, tickets.assigned));
                    on_change.run(Some(ticket));
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    view! {
        <form class="form action-form" on:submit=submit novalidate data-testid="assign-form">
            <div class="grid-2">
                <Select label=label(|l| td_string!(l, tickets.assignee)) value=chosen options name="assignee_id" error=error_of(failure, "assignee_id") />
            </div>
            <FormFailure failure />
            <div class="form-actions">
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-assign">{tr(|l| td_string!(l, tickets.assign))}</button>
            </div>
        </form>
    }
}

/// A comment: internal (staff only) or visible to the customer, who is then told.
#[component]
pub fn CommentForm(id: i64, on_change: Callback<Option<Ticket>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let body = RwSignal::new(String::new());
    let visible = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = body.get_untracked();
        missing.set(text.trim().is_empty());
        if missing.get_untracked() {
            focus_first_invalid(form);
            return;
        }
        let comment = NewTicketComment {
            body: text.trim().to_owned(),
            visible_to_customer: visible.get_untracked(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.comment_ticket(id, &comment).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(ticket) => {
                    failure.set(None);
                    body.set(String::new());
                    toasts.success(if comment.visible_to_customer {
                        td_string!(locale, tickets.commented_visible)
                    } else {
                        td_string!(locale, tickets.commented)
                    });
                    on_change.run(Some(ticket));
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    let choice = move |value: bool, text: fn(Locale) -> &'static str| {
        view! {
            <label>
                <input type="radio" name="visibility" value=if value { "visible" } else { "internal" } prop:checked=move || visible.get() == value on:change=move |_| visible.set(value) />
                {tr(text)}
            </label>
        }
    };
    view! {
        <form class="panel form" node_ref=form on:submit=submit novalidate data-testid="comment-form">
            <h2>{tr(|l| td_string!(l, tickets.comment))}</h2>
            <TextArea
                label=label(|l| td_string!(l, tickets.comment_body))
                value=body
                name="body"
                required=true
                error=checked(move || missing.get(), |l| td_string!(l, field_error.required), error_of(failure, "body"))
            />
            <fieldset class="segmented-set">
                <legend>{tr(|l| td_string!(l, tickets.who_sees))}</legend>
                <div class="segmented">
                    {choice(false, |l| td_string!(l, tickets.internal_choice))}
                    {choice(true, |l| td_string!(l, tickets.visible_choice))}
                </div>
            </fieldset>
            <Show when=move || visible.get()>
                <p class="field-hint" data-testid="visible-hint">{tr(|l| td_string!(l, tickets.visible_hint))}</p>
            </Show>
            <FormFailure failure />
            <div class="form-actions">
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-comment">{tr(|l| td_string!(l, tickets.add_comment))}</button>
            </div>
        </form>
    }
}

/// A file chosen here and sent as the ticket's attachment (a subscriber's, in the cabinet,
/// always visible to them).
#[component]
pub fn AttachForm(
    id: i64,
    #[prop(into)] on_change: Callback<()>,
    #[prop(optional)] cabinet: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let visible = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let refused = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let server_error = error_of(failure, "content_base64");
    let error = Signal::derive(move || {
        refused
            .get()
            .map(str::to_owned)
            .or_else(|| server_error.get())
            .or_else(|| error_of(failure, "file_name").get())
            .or_else(|| error_of(failure, "content_type").get())
    });
    let field_id = if cabinet {
        "attach-file-cabinet"
    } else {
        "attach-file"
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(element) = input.get_untracked() else {
            return;
        };
        let element: web_sys::HtmlInputElement = element.unchecked_into();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let locale = i18n.get_locale_untracked();
            let Some(file) = chosen_file(&element).await else {
                busy.set(false);
                refused.set(Some(td_string!(locale, tickets.choose_file)));
                let _ = element.focus();
                return;
            };
            if let Some(reason) = file_refusal(locale, &file) {
                busy.set(false);
                refused.set(Some(reason));
                let _ = element.focus();
                return;
            }
            refused.set(None);
            let attachment = NewAttachment {
                file_name: file.name,
                content_type: file.content_type,
                content_base64: base64::engine::general_purpose::STANDARD.encode(file.bytes),
                visible_to_customer: cabinet || visible.get_untracked(),
            };
            let result = api::call(session, async |client| {
                if cabinet {
                    client.attach_to_my_ticket(id, &attachment).await
                } else {
                    client.attach_to_ticket(id, &attachment).await
                }
            })
            .await;
            busy.set(false);
            match result {
                Ok(_) => {
                    failure.set(None);
                    element.set_value("");
                    toasts.success(td_string!(locale, tickets.attached));
                    on_change.run(());
                }
                Err(error) => {
                    let at_field = error.has_field_errors();
                    toasts.form_failure(locale, failure, error);
                    if at_field {
                        let _ = element.focus();
                    }
                }
            }
        });
    };
    view! {
        <form class="form attach-form" on:submit=submit novalidate data-testid="attach-form">
            <div class="field" class:field-invalid=move || error.with(Option::is_some)>
                <label for=field_id>{move || if cabinet { t_string!(i18n, tickets.attach_photo) } else { t_string!(i18n, tickets.attach_file) }}</label>
                <input
                    id=field_id
                    name="file"
                    type="file"
                    accept=ACCEPTED_FILES
                    node_ref=input
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=format!("{field_id}-hint")
                    on:change=move |_| refused.set(None)
                />
                <p class="field-hint" id=format!("{field_id}-hint")>{tr(|l| td_string!(l, tickets.file_hint))}</p>
                <Show when=move || error.with(Option::is_some)>
                    <p class="field-error" data-testid="file-error">{move || error.get()}</p>
                </Show>
            </div>
            {(!cabinet).then(|| view! { <Checkbox label=label(|l| td_string!(l, tickets.file_visible)) checked=visible name="file_visible" /> })}
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || busy.get() data-testid="save-attachment">{tr(|l| td_string!(l, tickets.attach))}</button>
            </div>
        </form>
    }
}

/// Free slots by local day, in time order.
pub fn slots_by_day<T: Clone>(
    slots: &[T],
    starts: impl Fn(&T) -> chrono::DateTime<chrono::Utc>,
) -> Vec<(chrono::NaiveDate, Vec<T>)> {
    let mut days: BTreeMap<chrono::NaiveDate, Vec<T>> = BTreeMap::new();
    for slot in slots {
        days.entry(time::local(starts(slot)).date())
            .or_default()
            .push(slot.clone());
    }
    for list in days.values_mut() {
        list.sort_by_key(|s| starts(s));
    }
    days.into_iter().collect()
}

/// `09:00–10:00`, local.
pub fn slot_hours(
    starts: chrono::DateTime<chrono::Utc>,
    ends: chrono::DateTime<chrono::Utc>,
) -> String {
    format!(
        "{}–{}",
        time::local(starts).format("%H:%M"),
        time::local(ends).format("%H:%M")
    )
}

/// Books a technician's free slot for the ticket. A slot someone else took a moment earlier
/// is refused by the server (`slot_taken`): the form says so and shows the free slots again.
#[component]
pub fn BookVisit(id: i64, on_change: Callback<Option<Ticket>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let open = RwSignal::new(false);
    let slots = RwSignal::new(None::<Result<Vec<TechnicianSlot>, Failure>>);
    let chosen = RwSignal::new(None::<i64>);
    let note = RwSignal::new(String::new());
    let taken = RwSignal::new(false);
    let missing = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let load = move || {
        leptos::task::spawn_local(async move {
            let query = SlotQuery {
                free: Some(true),
                ..SlotQuery::default()
            };
            let result = api::call(session, async |client| {
                client.technician_slots(&query).await
            })
            .await;
            slots.set(Some(result));
        });
    };
    let book = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(slot_id) = chosen.get_untracked() else {
            missing.set(true);
            request_animation_frame(|| {
                if let Ok(Some(first)) =
                    document().query_selector("[data-testid=slot-choice] input")
                    && let Ok(first) = first.dyn_into::<web_sys::HtmlElement>()
                {
                    let _ = first.focus();
                }
            });
            return;
        };
        missing.set(false);
        let text = note.get_untracked();
        let booking = BookVisitRequest {
            slot_id,
            note: Some(text.trim().to_owned()).filter(|n| !n.is_empty()),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.book_visit(id, &booking).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(_) => {
                    toasts.success(td_string!(locale, tickets.visit_booked));
                    open.set(false);
                    on_change.run(None);
                }
                Err(error) if error.code() == Some(ErrorCode::SlotTaken) => {
                    taken.set(true);
                    chosen.set(None);
                    load();
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    view! {
        <div data-testid="book-visit">
            <button type="button" class="button" aria-expanded=move || open.get().to_string() data-testid="open-booking" on:click=move |_| {
                let now = !open.get_untracked();
                open.set(now);
                if now { taken.set(false); load(); }
            }>
                {tr(|l| td_string!(l, tickets.book_visit))}
            </button>
            <Show when=move || open.get()>
                <form class="form action-form" on:submit=book novalidate data-testid="booking-form">
                    <Show when=move || taken.get()>
                        <p class="warning" role="alert" data-testid="slot-taken">{tr(|l| td_string!(l, tickets.slot_taken))}</p>
                    </Show>
                    <SlotChoice slots chosen missing />
                    <TextArea label=label(|l| td_string!(l, tickets.visit_note)) value=note name="visit_note" error=error_of(failure, "note") />
                    <FormFailure failure />
                    <div class="form-actions">
                        <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-booking">{tr(|l| td_string!(l, tickets.book))}</button>
                    </div>
                </form>
            </Show>
        </div>
    }
}

/// The free slots as radio buttons by day, each with the technician.
#[component]
fn SlotChoice(
    slots: RwSignal<Option<Result<Vec<TechnicianSlot>, Failure>>>,
    chosen: RwSignal<Option<i64>>,
    missing: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        match slots.get() {
        None => view! { <crate::components::status::Loading /> }.into_any(),
        Some(Err(failure)) => view! { <crate::components::status::FailureNote failure /> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="muted" data-testid="no-slots">{tr(|l| td_string!(l, tickets.no_free_slots))}</p> }.into_any()
        }
        Some(Ok(list)) => {
            let days = slots_by_day(&list, |s: &TechnicianSlot| s.starts_at);
            view! {
                <fieldset class="slot-choice" class:field-invalid=move || missing.get() data-testid="slot-choice">
                    <legend>{tr(|l| td_string!(l, tickets.choose_slot))}</legend>
                    <Show when=move || missing.get()>
                        <p class="field-error">{tr(|l| td_string!(l, tickets.slot_required))}</p>
                    </Show>
                    {days.into_iter().map(|(day, slots)| view! {
                        <div class="slot-day">
                            <p class="slot-day-name">{move || time::day(day, i18n.get_locale())}</p>
                            <div class="slot-options">
                                {slots.into_iter().map(|s| {
                                    let id = s.id;
                                    view! {
                                        <label class="slot-option" data-testid="slot-option" data-slot=id>
                                            <input type="radio" name="slot" value=id prop:checked=move || chosen.get() == Some(id) on:change=move |_| { missing.set(false); chosen.set(Some(id)); } />
                                            <span class="nowrap">{slot_hours(s.starts_at, s.ends_at)}</span>
                                            <span class="muted small">{s.technician_name.clone()}</span>
                                        </label>
                                    }
                                }).collect_view()}
                            </div>
                        </div>
                    }).collect_view()}
                </fieldset>
            }
            .into_any()
        }
    }
    }
}
