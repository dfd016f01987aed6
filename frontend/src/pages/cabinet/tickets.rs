//! Faults in the cabinet: `/cabinet/tickets` lists the subscriber's tickets;
//! `/cabinet/tickets/new` reports one (what kind, what happens, which service);
//! `/cabinet/tickets/:id` shows one with its public history, takes a comment or a photo, and
//! books a technician's free slot. `/cabinet/faq` answers common questions, signed in or not.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use okno_api_types::ErrorCode;
use okno_api_types::tickets::{
    CabinetComment, CabinetTicket, CabinetVisit, FaqQuery, FreeSlot, MyTicket, TicketCategory,
    VisitStatus,
};

use crate::api::{self, Failure};
use crate::components::forms::{
    ErrorSummary, Field, FormErrors, Select, TextArea, checked, error_of, focus_first_invalid,
};
use crate::components::latest::Latest;
use crate::components::status::{FailureNote, LoadedList, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::pages::tickets::{AttachForm, Attachments, TicketStatusBadge, slot_hours, slots_by_day};
use crate::session::use_session;
use crate::time::{self, language};

/// On the cabinet's home page: the way to report a fault, follow it, and the FAQ.
#[component]
pub fn TicketsLink() -> impl IntoView {
    view! {
        <div class="panel" data-testid="tickets-link">
            <div class="panel-head">
                <h2>{tr(|l| td_string!(l, my_tickets.title))}</h2>
                <div class="row">
                    <A href="/cabinet/tickets/new" attr:class="button-small button-primary" attr:data-testid="report-fault-link">{tr(|l| td_string!(l, my_tickets.report))}</A>
                    <A href="/cabinet/tickets" attr:class="button-small" attr:data-testid="my-tickets-link">{tr(|l| td_string!(l, my_tickets.mine))}</A>
                </div>
            </div>
            <p class="muted small">
                {tr(|l| td_string!(l, my_tickets.lead))} " "
                <A href="/cabinet/faq" attr:data-testid="faq-link">{tr(|l| td_string!(l, faq.title))}</A>
            </p>
        </div>
    }
}

#[component]
pub fn MyTickets() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let tickets = LocalResource::new(move || async move {
        api::call(session, async |client| client.my_tickets().await).await
    });
    view! {
        <section class="page" data-testid="my-tickets">
            <p class="small"><A href="/cabinet">{tr(|l| td_string!(l, complaints.back_to_cabinet))}</A></p>
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, my_tickets.mine))}</h1>
                    <p class="lead">{tr(|l| td_string!(l, my_tickets.lead))}</p>
                </div>
                <A href="/cabinet/tickets/new" attr:class="button-primary" attr:data-testid="report-fault">{tr(|l| td_string!(l, my_tickets.report))}</A>
            </div>
            <div class="panel">
                <LoadedList value=move || tickets.get() empty=|l| td_string!(l, my_tickets.none) let:list>
                    <ul class="documents">
                        {list.into_iter().map(|t: MyTicket| {
                            let (opened, category) = (t.opened_at, t.category);
                            view! {
                                <li class="document" data-testid="my-ticket">
                                    <div class="wrap-anywhere">
                                        <p class="document-title">
                                            <A href=format!("/cabinet/tickets/{}", t.id) attr:class="mono" attr:data-testid="my-ticket-number">{t.number.clone()}</A>
                                            " · " {t.title.clone()}
                                        </p>
                                        <p class="muted small">
                                            {move || labels::ticket_category(i18n.get_locale(), category)} " · "
                                            {move || t_string!(i18n, my_tickets.reported_on, date = time::date(opened, i18n.get_locale())).to_string()}
                                        </p>
                                        <p class="small">
                                            <TicketStatusBadge status=t.status />
                                            {t.outage.is_some().then(|| view! { " " <span class="badge badge-overdue">{tr(|l| td_string!(l, my_tickets.known_outage))}</span> })}
                                        </p>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </LoadedList>
            </div>
        </section>
    }
}

#[component]
pub fn ReportFault() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    provide_context(FormErrors::default());
    let category = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let subscription = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let (category_missing, title_missing, description_missing) = (
        RwSignal::new(false),
        RwSignal::new(false),
        RwSignal::new(false),
    );
    let subscriptions = LocalResource::new(move || async move {
        api::call(session, async |client| client.my_contracts().await)
            .await
            .map(|contracts| {
                contracts
                    .into_iter()
                    .flat_map(|c| {
                        let number = c.number.clone();
                        c.subscriptions.into_iter().map(move |s| {
                            (
                                s.id.to_string(),
                                format!("{} · {}", s.service_address.one_line(), number),
                            )
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    // One service: it is the one.
    Effect::new(move |_| {
        if let Some(list) = subscriptions.get()
            && let [(only, _)] = list.as_slice()
            && subscription.get_untracked().is_empty()
        {
            subscription.set(only.clone());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let picked = category.get_untracked().parse::<TicketCategory>().ok();
        category_missing.set(picked.is_none());
        title_missing.set(title.get_untracked().trim().is_empty());
        description_missing.set(description.get_untracked().trim().is_empty());
        let Some(picked) = picked
            .filter(|_| !title_missing.get_untracked() && !description_missing.get_untracked())
        else {
            focus_first_invalid(form);
            return;
        };
        let ticket = CabinetTicket {
            category: picked,
            title: title.get_untracked().trim().to_owned(),
            description: description.get_untracked().trim().to_owned(),
            subscription_id: subscription.get_untracked().parse().ok(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.report_my_fault(&ticket).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(reported) => {
                    failure.set(None);
                    let text = if reported.outage.is_some() {
                        td_string!(
                            locale,
                            my_tickets.reported_outage,
                            number = reported.number.clone()
                        )
                        .to_string()
                    } else {
                        td_string!(
                            locale,
                            my_tickets.reported,
                            number = reported.number.clone()
                        )
                        .to_string()
                    };
                    toasts.success(text);
                    navigate.try_with_value(|n| n("/cabinet/tickets", Default::default()));
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    let category_options = Signal::derive(move || {
        let l = i18n.get_locale();
        std::iter::once((
            String::new(),
            t_string!(i18n, my_tickets.choose_category).to_owned(),
        ))
        .chain(TicketCategory::all().map(|c| {
            (
                c.as_str().to_owned(),
                labels::ticket_category(l, c).to_owned(),
            )
        }))
        .collect::<Vec<_>>()
    });
    let subscription_options = Signal::derive(move || {
        std::iter::once((
            String::new(),
            t_string!(i18n, my_tickets.no_service).to_owned(),
        ))
        .chain(subscriptions.get().unwrap_or_default())
        .collect::<Vec<_>>()
    });
    let required = |l: Locale| td_string!(l, field_error.required);
    view! {
        <section class="page" data-testid="report-fault-page">
            <p class="small"><A href="/cabinet/tickets">{tr(|l| td_string!(l, my_tickets.back_to_mine))}</A></p>
            <h1>{tr(|l| td_string!(l, my_tickets.report))}</h1>
            <form class="panel form" node_ref=form on:submit=submit novalidate data-testid="fault-form">
                <ErrorSummary />
                <p class="muted small">
                    {tr(|l| td_string!(l, my_tickets.report_hint))} " "
                    <A href="/cabinet/faq">{tr(|l| td_string!(l, faq.title))}</A>
                </p>
                <Select label=label(|l| td_string!(l, my_tickets.category)) value=category options=category_options name="category" error=checked(move || category_missing.get(), |l| td_string!(l, my_tickets.category_error), error_of(failure, "category")) />
                <Field label=label(|l| td_string!(l, my_tickets.title_field)) value=title name="title" required=true error=checked(move || title_missing.get(), required, error_of(failure, "title")) />
                <TextArea label=label(|l| td_string!(l, my_tickets.description)) value=description name="description" required=true rows=5 error=checked(move || description_missing.get(), required, error_of(failure, "description")) />
                <Select label=label(|l| td_string!(l, my_tickets.service)) value=subscription options=subscription_options name="subscription_id" error=error_of(failure, "subscription_id") />
                <div class="form-actions">
                    <A href="/cabinet/tickets" attr:class="button-quiet">{tr(|l| td_string!(l, common.cancel))}</A>
                    <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="send-fault">{tr(|l| td_string!(l, my_tickets.send))}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
pub fn MyTicketPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let ticket = RwSignal::new(None::<Result<MyTicket, Failure>>);
    let latest = Latest::new();
    let reload = move || {
        let Some(id) = id.get_untracked() else { return };
        latest.spawn(
            api::call(session, async move |client| client.my_ticket(id).await),
            move |r| ticket.set(Some(r)),
        );
    };
    Effect::new(move |_| {
        if id.get().is_some() {
            ticket.set(None);
            reload();
        }
    });
    let on_change = Callback::new(move |updated: Option<MyTicket>| match updated {
        Some(t) => ticket.set(Some(Ok(t))),
        None => reload(),
    });
    move || match (id.get(), ticket.get()) {
        (None, _) => {
            view! { <p class="failure">{tr(|l| td_string!(l, error.not_found))}</p> }.into_any()
        }
        (_, None) => view! { <Loading /> }.into_any(),
        (_, Some(Err(failure))) => view! { <FailureNote failure /> }.into_any(),
        (Some(_), Some(Ok(t))) => view! { <MyTicketView ticket=t on_change /> }.into_any(),
    }
}

#[component]
fn MyTicketView(ticket: MyTicket, on_change: Callback<Option<MyTicket>>) -> impl IntoView {
    let i18n = use_i18n();
    let number = ticket.number.clone();
    let (opened, category) = (ticket.opened_at, ticket.category);
    let open = ticket.status.is_open();
    let booked = ticket
        .visits
        .iter()
        .any(|v| v.status == VisitStatus::Booked);
    let id = ticket.id;
    view! {
        <section class="page" data-testid="my-ticket-page">
            <p class="small"><A href="/cabinet/tickets">{tr(|l| td_string!(l, my_tickets.back_to_mine))}</A></p>
            <div class="page-head">
                <div>
                    <h1 data-testid="ticket-number">{move || t_string!(i18n, tickets.ticket_title, number = number.clone()).to_string()}</h1>
                    <p class="lead wrap-anywhere">{ticket.title.clone()}</p>
                    <p class="card-facts">
                        <TicketStatusBadge status=ticket.status />
                        <span class="chip">{move || labels::ticket_category(i18n.get_locale(), category)}</span>
                        <span class="muted small">{move || t_string!(i18n, my_tickets.reported_on, date = time::date(opened, i18n.get_locale())).to_string()}</span>
                    </p>
                </div>
            </div>
            {ticket.outage.clone().map(|o| {
                let since = o.since;
                view! {
                    <div class="outage-banner" role="status" data-testid="my-outage">
                        <p class="outage-title">{tr(|l| td_string!(l, my_tickets.outage_title))}</p>
                        <p class="small">{o.area.clone()} " · " {move || t_string!(i18n, tickets.outage_since, at = time::date_time(since, i18n.get_locale())).to_string()}</p>
                        <p class="small">{tr(|l| td_string!(l, my_tickets.outage_text))}</p>
                    </div>
                }
            })}
            <div class="panel">
                <h2>{tr(|l| td_string!(l, my_tickets.description))}</h2>
                <p class="prewrap" data-testid="my-ticket-description">{ticket.description.clone()}</p>
            </div>
            <div class="panel" data-testid="my-visits">
                <h2>{tr(|l| td_string!(l, my_tickets.visits))}</h2>
                {if ticket.visits.is_empty() {
                    view! { <p class="muted small">{tr(|l| td_string!(l, my_tickets.no_visits))}</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain">
                            {ticket.visits.clone().into_iter().map(|v| {
                                let (starts, ends, status) = (v.starts_at, v.ends_at, v.status);
                                view! {
                                    <li data-testid="my-visit" data-status=status.as_str()>
                                        <strong>{move || time::date(starts, i18n.get_locale())} " " {slot_hours(starts, ends)}</strong>
                                        " " <span class="badge">{move || labels::visit_status(i18n.get_locale(), status)}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {(open && !booked).then(|| view! { <BookMyVisit id on_change /> })}
            </div>
            <div class="panel">
                <h2>{tr(|l| td_string!(l, my_tickets.history))}</h2>
                <ol class="timeline" data-testid="my-ticket-events">
                    {ticket.events.clone().into_iter().rev().map(|e| {
                        let (at, kind, to, by_customer) = (e.at, e.kind, e.to_status, e.by_customer);
                        view! {
                            <li class="timeline-entry" data-testid="my-ticket-event" data-kind=kind.as_str()>
                                <time class="timeline-time">{move || time::date_time(at, i18n.get_locale())}</time>
                                <div class="timeline-body">
                                    <p class="timeline-title">
                                        {move || labels::ticket_event(i18n.get_locale(), kind)}
                                        {to.map(|s| view! { <span class="chip">{move || labels::ticket_status(i18n.get_locale(), s)}</span> })}
                                    </p>
                                    {e.body.clone().map(|b| view! { <p class="timeline-text wrap-anywhere">{b}</p> })}
                                    <p class="timeline-by muted small">{move || if by_customer { t_string!(i18n, my_tickets.by_you) } else { t_string!(i18n, my_tickets.by_us) }}</p>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </div>
            {open.then(|| view! { <MyComment id on_change /> })}
            <div class="panel">
                <h2>{tr(|l| td_string!(l, tickets.attachments))}</h2>
                <Attachments ticket_id=id attachments=ticket.attachments.clone() cabinet=true />
                {open.then(|| view! { <AttachForm id cabinet=true on_change=Callback::new(move |()| on_change.run(None)) /> })}
            </div>
        </section>
    }
}

#[component]
fn MyComment(id: i64, on_change: Callback<Option<MyTicket>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let body = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        missing.set(body.get_untracked().trim().is_empty());
        if missing.get_untracked() {
            focus_first_invalid(form);
            return;
        }
        let comment = CabinetComment {
            body: body.get_untracked().trim().to_owned(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.comment_my_ticket(id, &comment).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(ticket) => {
                    failure.set(None);
                    body.set(String::new());
                    toasts.success(td_string!(locale, my_tickets.commented));
                    on_change.run(Some(ticket));
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    view! {
        <form class="panel form" node_ref=form on:submit=submit novalidate data-testid="my-comment-form">
            <h2>{tr(|l| td_string!(l, my_tickets.add_comment))}</h2>
            <TextArea label=label(|l| td_string!(l, my_tickets.comment)) value=body name="body" required=true error=checked(move || missing.get(), |l| td_string!(l, field_error.required), error_of(failure, "body")) />
            <div class="form-actions">
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="send-comment">{tr(|l| td_string!(l, my_tickets.send_comment))}</button>
            </div>
        </form>
    }
}

/// The free slots offered to subscribers, by day; one is booked for the ticket. A slot taken
/// a moment earlier by someone else is said so, and the slots are shown again.
#[component]
fn BookMyVisit(id: i64, on_change: Callback<Option<MyTicket>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let open = RwSignal::new(false);
    let slots = RwSignal::new(None::<Result<Vec<FreeSlot>, Failure>>);
    let chosen = RwSignal::new(None::<i64>);
    let missing = RwSignal::new(false);
    let taken = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let load = move || {
        leptos::task::spawn_local(async move {
            slots.set(Some(
                api::call(session, async |client| client.my_visit_slots().await).await,
            ));
        });
    };
    let book = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(slot_id) = chosen.get_untracked() else {
            missing.set(true);
            return;
        };
        missing.set(false);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.book_my_visit(id, &CabinetVisit { slot_id }).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(_) => {
                    toasts.success(td_string!(locale, my_tickets.visit_booked));
                    on_change.run(None);
                }
                Err(error) if error.code() == Some(ErrorCode::SlotTaken) => {
                    taken.set(true);
                    chosen.set(None);
                    load();
                }
                Err(error) => toasts.failure(locale, &error),
            }
        });
    };
    view! {
        <div data-testid="book-my-visit">
            <button type="button" class="button" aria-expanded=move || open.get().to_string() data-testid="open-my-booking" on:click=move |_| {
                let now = !open.get_untracked();
                open.set(now);
                if now { taken.set(false); load(); }
            }>
                {tr(|l| td_string!(l, my_tickets.book_technician))}
            </button>
            <Show when=move || open.get()>
                <form class="form action-form" on:submit=book novalidate data-testid="my-booking-form">
                    <Show when=move || taken.get()>
                        <p class="warning" role="alert" data-testid="slot-taken">{tr(|l| td_string!(l, tickets.slot_taken))}</p>
                    </Show>
                    {move || match slots.get() {
                        None => view! { <Loading /> }.into_any(),
                        Some(Err(failure)) => view! { <FailureNote failure /> }.into_any(),
                        Some(Ok(list)) if list.is_empty() => view! { <p class="muted" data-testid="no-slots">{tr(|l| td_string!(l, my_tickets.no_slots))}</p> }.into_any(),
                        Some(Ok(list)) => {
                            let days = slots_by_day(&list, |s: &FreeSlot| s.starts_at);
                            view! {
                                <fieldset class="slot-choice" class:field-invalid=move || missing.get() data-testid="slot-choice">
                                    <legend>{tr(|l| td_string!(l, my_tickets.choose_time))}</legend>
                                    <Show when=move || missing.get()>
                                        <p class="field-error" role="alert">{tr(|l| td_string!(l, tickets.slot_required))}</p>
                                    </Show>
                                    {days.into_iter().map(|(day, slots)| view! {
                                        <div class="slot-day">
                                            <p class="slot-day-name">{move || time::day(day, i18n.get_locale())}</p>
                                            <div class="slot-options">
                                                {slots.into_iter().map(|s| {
                                                    let slot_id = s.slot_id;
                                                    view! {
                                                        <label class="slot-option" data-testid="slot-option" data-slot=slot_id>
                                                            <input type="radio" name="slot" value=slot_id prop:checked=move || chosen.get() == Some(slot_id) on:change=move |_| { missing.set(false); chosen.set(Some(slot_id)); } />
                                                            <span class="nowrap">{slot_hours(s.starts_at, s.ends_at)}</span>
                                                        </label>
                                                    }
                                                }).collect_view()}
                                            </div>
                                        </div>
                                    }).collect_view()}
                                </fieldset>
                            }.into_any()
                        }
                    }}
                    <p class="field-hint">{tr(|l| td_string!(l, my_tickets.booking_hint))}</p>
                    <div class="form-actions">
                        <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="book-slot">{tr(|l| td_string!(l, my_tickets.book))}</button>
                    </div>
                </form>
            </Show>
        </div>
    }
}

/// The FAQ: the public articles in the interface language, searched.
#[component]
pub fn Faq() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let q = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Result<Vec<okno_api_types::tickets::Article>, Failure>>);
    let latest = Latest::new();
    Effect::new(move |_| {
        let query = FaqQuery {
            q: Some(q.get().trim().to_owned()).filter(|q| !q.is_empty()),
            language: Some(language(i18n.get_locale())),
        };
        latest.spawn(
            api::call(session, async move |client| client.faq(&query).await),
            move |result| found.set(Some(result)),
        );
    });
    let search_error = Signal::derive(move || {
        found.with(|f| match f {
            Some(Err(failure)) => {
                crate::components::forms::field_error(i18n.get_locale(), Some(failure), "q")
            }
            _ => None,
        })
    });
    let signed_in = session.kind() == Some(okno_api_types::auth::PrincipalKind::Subscriber);
    view! {
        <section class="page faq" data-testid="faq">
            <p class="small">
                {if signed_in {
                    view! { <A href="/cabinet">{tr(|l| td_string!(l, complaints.back_to_cabinet))}</A> }.into_any()
                } else {
                    view! { <A href="/cabinet/login">{tr(|l| td_string!(l, faq.sign_in))}</A> }.into_any()
                }}
            </p>
            <h1>{tr(|l| td_string!(l, faq.title))}</h1>
            <p class="lead">{tr(|l| td_string!(l, faq.lead))}</p>
            <form class="faq-search" role="search" on:submit=move |ev| { ev.prevent_default(); q.set(typed.get_untracked()); }>
                <label for="faq-q" class="sr-only">{tr(|l| td_string!(l, faq.search))}</label>
                <input id="faq-q" type="search" name="q" placeholder=move || t_string!(i18n, faq.search_placeholder) aria-invalid=move || search_error.with(Option::is_some).then_some("true") prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
                <button type="submit" class="button-primary" data-testid="faq-search">{tr(|l| td_string!(l, faq.search))}</button>
            </form>
            {move || search_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            {move || match found.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(failure)) if !failure.has_field_errors() => view! { <FailureNote failure /> }.into_any(),
                Some(Err(_)) => ().into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty">{tr(|l| td_string!(l, faq.none))}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <div class="faq-list" data-testid="faq-articles">
                        {list.into_iter().map(|a| view! {
                            <details class="panel faq-item" data-testid="faq-article">
                                <summary>{a.title.clone()}</summary>
                                <p class="prewrap">{a.body.clone()}</p>
                            </details>
                        }).collect_view()}
                    </div>
                }.into_any(),
            }}
            {signed_in.then(|| view! {
                <p class="small"><A href="/cabinet/tickets/new">{tr(|l| td_string!(l, faq.still_broken))}</A></p>
            })}
        </section>
    }
}
