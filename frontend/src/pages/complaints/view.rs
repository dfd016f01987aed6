//! `/complaints/:id`: one complaint: what is claimed and by whom, its deadlines, its history
//! and documents; receipt confirmed with a button, the decision made (or a proposed one
//! approved) here, and once decided, the decision with what it gave back.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use okno_api_types::Permission;
use okno_api_types::complaints::{
    Complaint, ComplaintChannel, ComplaintEvent, ComplaintOutcome, ComplaintStatus,
};

use super::decide::{DecisionForm, ProposalReview};
use super::parts::{
    ComplaintDocuments, ComplaintStatusBadge, DeadlinesPanel, DecisionPanel, RepeatBadge,
    ServerRefusal, money,
};
use super::register::{load_topics, topic_name};
use crate::api::{self, Failure};
use crate::components::latest::Latest;
use crate::components::status::{FailureNote, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::use_session;
use crate::time;

#[component]
pub fn ComplaintPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let complaint = RwSignal::new(None::<Result<Complaint, Failure>>);
    let latest = Latest::new();
    Effect::new(move |_| {
        let Some(id) = id.get() else {
            return;
        };
        complaint.set(None);
        latest.spawn(
            api::call(session, async move |client| client.complaint(id).await),
            move |result| complaint.set(Some(result)),
        );
    });
    let on_change = Callback::new(move |updated: Complaint| complaint.set(Some(Ok(updated))));
    move || match (id.get(), complaint.get()) {
        (None, _) => {
            view! { <p class="failure">{tr(|l| td_string!(l, error.not_found))}</p> }.into_any()
        }
        (_, None) => view! { <Loading /> }.into_any(),
        (_, Some(Err(failure))) => view! { <FailureNote failure /> }.into_any(),
        (Some(_), Some(Ok(c))) => view! { <ComplaintView complaint=c on_change /> }.into_any(),
    }
}

#[component]
fn ComplaintView(complaint: Complaint, on_change: Callback<Complaint>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let s = complaint.summary.clone();
    let undecided = matches!(
        s.status,
        ComplaintStatus::Registered | ComplaintStatus::Acknowledged
    );
    let may_acknowledge = complaint.acknowledged_at.is_none()
        && s.status != ComplaintStatus::Decided
        && session.has(Permission::ComplaintsRegister);
    let may_decide = undecided && session.has(Permission::ComplaintsDecide);
    let proposal = complaint
        .proposal
        .clone()
        .filter(|_| s.status == ComplaintStatus::AwaitingApproval);
    let decision = complaint.decision.clone();
    let channel = s.channel;
    let number = s.number.clone();
    view! {
        <section class="page" data-testid="complaint-page">
            <div class="card-head">
                <div>
                    <h1 data-testid="complaint-number">{move || t_string!(i18n, complaints.complaint_title, number = number.clone()).to_string()}</h1>
                    <p class="card-facts">
                        <ComplaintStatusBadge status=s.status outcome=s.outcome />
                        <A href=format!("/customers/{}", s.customer_id) attr:data-testid="complaint-customer">{s.customer_name.clone()}</A>
                        <span class="chip">{move || labels::complaint_channel(i18n.get_locale(), channel)}</span>
                        {s.repeat.then(|| view! { <RepeatBadge /> })}
                        {complaint.repeat_of.clone().map(|earlier| view! {
                            <span class="small">
                                {tr(|l| td_string!(l, complaints.repeat_of))} " "
                                <A href=format!("/complaints/{}", earlier.id)>{earlier.number.clone()}</A>
                                " (" {move || time::date(earlier.received_at, i18n.get_locale())} ")"
                            </span>
                        })}
                    </p>
                </div>
            </div>
            <div class="card-grid">
                <div class="card-main">
                    {may_acknowledge.then(|| view! { <Acknowledge id=s.id on_change /> })}
                    {proposal.map(|p| view! { <ProposalReview complaint=complaint.clone() proposal=p on_change /> })}
                    {may_decide.then(|| view! { <DecisionForm complaint=complaint.clone() on_change /> })}
                    {decision.map(|d| view! {
                        <DecisionPanel
                            decision=d
                            compensation=complaint.compensation.clone()
                            currency=s.currency.clone()
                            invoice_links=session.has(Permission::InvoicesRead)
                        />
                    })}
                    <ClaimPanel complaint=complaint.clone() />
                    <Events events=complaint.events.clone() currency=s.currency.clone() />
                </div>
                <aside class="card-side">
                    <ComplaintFacts complaint=complaint.clone() />
                    <DeadlinesPanel deadlines=s.deadlines.clone() acknowledged_at=complaint.acknowledged_at />
                    <ComplaintDocuments documents=complaint.documents.clone() />
                </aside>
            </div>
        </section>
    }
}

/// Confirming the receipt issues the confirmation and sends it to the customer: the
/// button says so and asks once more.
#[component]
fn Acknowledge(id: i64, on_change: Callback<Complaint>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let asking = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let refused = RwSignal::new(None::<Failure>);
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.acknowledge_complaint(id).await
            })
            .await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    toasts.success(td_string!(
                        i18n.get_locale_untracked(),
                        complaints.acknowledged
                    ));
                    on_change.run(updated);
                }
                Err(failure) => refused.set(Some(failure)),
            }
        });
    };
    view! {
        <div class="panel" data-testid="acknowledge">
            <div class="panel-head">
                <h2>{tr(|l| td_string!(l, complaints.not_acknowledged))}</h2>
                <button type="button" class="button-primary" data-testid="acknowledge-receipt" aria-expanded=move || asking.get().to_string() on:click=move |_| asking.update(|a| *a = !*a)>
                    {tr(|l| td_string!(l, complaints.acknowledge))}
                </button>
            </div>
            <Show when=move || asking.get()>
                <form class="form action-form" on:submit=confirm data-testid="acknowledge-form">
                    <p class="warning" role="alert">{tr(|l| td_string!(l, complaints.acknowledge_effect))}</p>
                    {move || refused.get().map(|failure| view! { <ServerRefusal failure /> })}
                    <div class="form-actions">
                        <button type="button" class="button-quiet" on:click=move |_| asking.set(false)>{tr(|l| td_string!(l, common.cancel))}</button>
                        <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="confirm-acknowledge">{tr(|l| td_string!(l, complaints.confirm_acknowledge))}</button>
                    </div>
                </form>
            </Show>
        </div>
    }
}

/// What the customer complains of and claims.
#[component]
pub fn ClaimPanel(complaint: Complaint, #[prop(optional)] cabinet: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let s = &complaint.summary;
    let currency = s.currency.clone();
    let claimed_currency = s.currency.clone();
    let claimed = s.amount_claimed_minor;
    let period = match (complaint.concerns_from, complaint.concerns_until) {
        (None, None) => None,
        (from, until) => Some((from, until)),
    };
    let refund = complaint.refund_demanded;
    let links = !cabinet && session.has(Permission::InvoicesRead);
    view! {
        <div class="panel" data-testid="claim">
            <h2>{tr(|l| td_string!(l, complaints.claim))}</h2>
            <p><strong data-testid="complaint-subject">{s.subject.clone()}</strong></p>
            <p class="prewrap" data-testid="complaint-description">{complaint.description.clone()}</p>
            <dl class="facts">
                {period.map(|(from, until)| view! {
                    <dt>{tr(|l| td_string!(l, complaints.concerns))}</dt>
                    <dd>{move || {
                        let l = i18n.get_locale();
                        let day = |d: Option<chrono::NaiveDate>| d.map(|d| time::day(d, l)).unwrap_or_else(|| "…".to_owned());
                        format!("{} – {}", day(from), day(until))
                    }}</dd>
                })}
                {(!complaint.invoices.is_empty()).then(|| {
                    let currency = currency.clone();
                    view! {
                        <dt>{tr(|l| td_string!(l, complaints.invoices))}</dt>
                        <dd>
                            <ul class="plain" data-testid="complaint-invoices">
                                {complaint.invoices.clone().into_iter().map(|invoice| {
                                    let currency = currency.clone();
                                    let gross = invoice.gross_minor;
                                    view! {
                                        <li>
                                            {if links {
                                                view! { <A href=format!("/invoices/{}", invoice.invoice_id) attr:class="mono">{invoice.number.clone()}</A> }.into_any()
                                            } else {
                                                view! { <span class="mono">{invoice.number.clone()}</span> }.into_any()
                                            }}
                                            <span class="muted">" · " {move || money(gross, &currency, i18n.get_locale())}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </dd>
                    }
                })}
                <dt>{tr(|l| td_string!(l, complaints.amount_claimed))}</dt>
                <dd data-testid="amount-claimed">{move || claimed.map_or_else(|| t_string!(i18n, complaints.no_amount).to_owned(), |m| money(m, &claimed_currency, i18n.get_locale()))}</dd>
                {refund.then(|| view! {
                    <dt>{tr(|l| td_string!(l, complaints.refund))}</dt>
                    <dd>{tr(|l| td_string!(l, complaints.refund_demanded))}</dd>
                })}
            </dl>
        </div>
    }
}

#[component]
fn ComplaintFacts(complaint: Complaint) -> impl IntoView {
    let i18n = use_i18n();
    let topics = load_topics();
    let s = complaint.summary.clone();
    let (received, channel, jurisdiction) = (s.received_at, s.channel, complaint.jurisdiction);
    let topic = s.topic_id;
    view! {
        <div class="panel">
            <h2>{tr(|l| td_string!(l, complaints.details))}</h2>
            <dl class="facts" data-testid="complaint-facts">
                <dt>{tr(|l| td_string!(l, complaints.received_at))}</dt>
                <dd>{move || time::date_time(received, i18n.get_locale())}</dd>
                <dt>{tr(|l| td_string!(l, complaints.channel))}</dt>
                <dd>{move || labels::complaint_channel(i18n.get_locale(), channel)}</dd>
                {topic.map(|id| view! {
                    <dt>{tr(|l| td_string!(l, complaints.topic))}</dt>
                    <dd>{move || topics.get().and_then(|list| topic_name(&list, id, i18n.get_locale())).unwrap_or_default()}</dd>
                })}
                <dt>{tr(|l| td_string!(l, complaints.law))}</dt>
                <dd>{move || labels::jurisdiction(i18n.get_locale(), jurisdiction)}</dd>
                <dt>{tr(|l| td_string!(l, complaints.registered_by))}</dt>
                <dd>{complaint.registered_by.clone()}</dd>
            </dl>
        </div>
    }
}

/// A step's note in the interface language where it is one of the API's values (a channel,
/// an outcome, `outcome: granted`), else as written.
fn event_note(locale: Locale, note: &str, currency: &str) -> String {
    if let Ok(channel) = note.parse::<ComplaintChannel>() {
        return labels::complaint_channel(locale, channel).to_owned();
    }
    if let Ok(outcome) = note.parse::<ComplaintOutcome>() {
        return labels::complaint_outcome(locale, outcome).to_owned();
    }
    if let Some((outcome, granted)) = note.split_once(": ")
        && let (Ok(outcome), Ok(granted)) =
            (outcome.parse::<ComplaintOutcome>(), granted.parse::<i64>())
    {
        return format!(
            "{}: {}",
            labels::complaint_outcome(locale, outcome),
            money(granted, currency, locale)
        );
    }
    note.to_owned()
}

/// The complaint's history, newest first.
#[component]
fn Events(events: Vec<ComplaintEvent>, currency: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let links = session.has(Permission::InvoicesRead);
    view! {
        <div class="panel">
            <h2>{tr(|l| td_string!(l, complaints.history))}</h2>
            <ol class="timeline" data-testid="complaint-events">
                {events.into_iter().rev().map(|e| {
                    let kind = e.kind.clone();
                    let currency = currency.clone();
                    let note = e.note.clone().map(|note| {
                        let text = move || event_note(i18n.get_locale(), &note, &currency);
                        match e.invoice_id.filter(|_| links) {
                            Some(id) => view! { <p class="timeline-text"><A href=format!("/invoices/{id}")>{text}</A></p> }.into_any(),
                            None => view! { <p class="timeline-text">{text}</p> }.into_any(),
                        }
                    });
                    view! {
                        <li class="timeline-entry" data-testid="complaint-event" data-kind=e.kind.clone()>
                            <time class="timeline-time">{move || time::date_time(e.at, i18n.get_locale())}</time>
                            <div class="timeline-body">
                                <p class="timeline-title">{move || labels::complaint_event(i18n.get_locale(), &kind)}</p>
                                {note}
                                <p class="timeline-by muted small">{e.recorded_by.clone()}</p>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </div>
    }
}
