//! What the console and the cabinet both show of a complaint: its status, the days left to
//! answer it (in colour and in words), its deadlines, the decision with what it gave back,
//! and its documents.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::complaints::{
    Compensation, ComplaintDeadlines, ComplaintDecision, ComplaintDocument, ComplaintOutcome,
    ComplaintStatus,
};
use okno_domain::format;

use crate::api::Failure;
use crate::components::download::open_pdf;
use crate::components::status::FailureNote;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, CountForm, count_form, tr};
use crate::session::use_session;
use crate::time::{self, language};

/// An amount in the interface language: `61,49 zł`.
pub fn money(minor: i64, currency: &str, locale: Locale) -> String {
    format::money(minor, currency, language(locale))
}

/// The days left to answer, in words: `3 days left`, `due today`, `overdue by 2 days`.
pub fn days_left_text(locale: Locale, days: i64) -> String {
    let n = days.abs();
    let text = match (days.signum(), count_form(locale, n)) {
        (0, _) => return td_string!(locale, complaints.due_today).to_owned(),
        (1, CountForm::One) => td_string!(locale, complaints.left_one, n = n),
        (1, CountForm::Few) => td_string!(locale, complaints.left_few, n = n),
        (1, CountForm::Many) => td_string!(locale, complaints.left_many, n = n),
        (_, CountForm::One) => td_string!(locale, complaints.overdue_one, n = n),
        (_, CountForm::Few) => td_string!(locale, complaints.overdue_few, n = n),
        (_, CountForm::Many) => td_string!(locale, complaints.overdue_many, n = n),
    };
    text.to_string()
}

/// How urgent an answer is: overdue (red), due within a day (amber), or not yet (neutral).
pub fn urgency(days: i64) -> &'static str {
    match days {
        d if d < 0 => "overdue",
        0 | 1 => "near",
        _ => "later",
    }
}

/// The days left to answer as a coloured badge that says them too; nothing once decided.
#[component]
pub fn DaysLeft(deadlines: ComplaintDeadlines) -> impl IntoView {
    let i18n = use_i18n();
    deadlines.days_left.map(|days| {
        let class = match urgency(days) {
            "overdue" => "badge badge-overdue",
            "near" => "badge badge-suspended",
            _ => "badge",
        };
        view! {
            <span class=class data-testid="days-left" data-urgency=urgency(days)>
                {move || days_left_text(i18n.get_locale(), days)}
            </span>
        }
    })
}

/// The decide-by day with the days left beside it.
#[component]
pub fn DecideBy(deadlines: ComplaintDeadlines) -> impl IntoView {
    let i18n = use_i18n();
    let day = deadlines.decide_by;
    view! {
        <span class="nowrap" data-testid="decide-by">{move || time::day(day, i18n.get_locale())}</span>
        " "
        <DaysLeft deadlines />
    }
}

#[component]
pub fn ComplaintStatusBadge(
    status: ComplaintStatus,
    outcome: Option<ComplaintOutcome>,
) -> impl IntoView {
    let i18n = use_i18n();
    let class = match status {
        ComplaintStatus::Registered | ComplaintStatus::Acknowledged => "badge badge-prospect",
        ComplaintStatus::AwaitingApproval => "badge badge-suspended",
        ComplaintStatus::Decided => "badge badge-closed",
    };
    view! {
        <span class=class data-testid="complaint-status">{move || labels::complaint_status(i18n.get_locale(), status)}</span>
        {outcome.map(|o| view! {
            " "
            <span class="chip" data-testid="complaint-outcome">{move || labels::complaint_outcome(i18n.get_locale(), o)}</span>
        })}
    }
}

/// A customer's second complaint on one topic within 90 days.
#[component]
pub fn RepeatBadge() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="badge badge-repeat" data-testid="repeat" title=move || t_string!(i18n, complaints.repeat_hint)>
            {tr(|l| td_string!(l, complaints.repeat))}
        </span>
    }
}

/// The deadlines of a complaint.
#[component]
pub fn DeadlinesPanel(
    deadlines: ComplaintDeadlines,
    acknowledged_at: Option<DateTime<Utc>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let day = move |d: chrono::NaiveDate| move || time::day(d, i18n.get_locale());
    let d = deadlines.clone();
    let time_barred = d.time_barred;
    view! {
        <div class="panel" data-testid="complaint-deadlines">
            <h2>{tr(|l| td_string!(l, complaints.deadlines))}</h2>
            <dl class="facts">
                <dt>{tr(|l| td_string!(l, complaints.acknowledge_by))}</dt>
                <dd>
                    {day(d.acknowledge_by)}
                    {acknowledged_at.map(|at| view! {
                        <br />
                        <span class="muted small">{move || t_string!(i18n, complaints.acknowledged_on, date = time::date(at, i18n.get_locale())).to_string()}</span>
                    })}
                </dd>
                <dt>{tr(|l| td_string!(l, complaints.decide_by))}</dt>
                <dd>{day(d.decide_by)}</dd>
                {d.days_left.map(|_| view! {
                    <dt>{tr(|l| td_string!(l, complaints.days_left))}</dt>
                    <dd><DaysLeft deadlines=deadlines.clone() /></dd>
                })}
                {d.claim_until.map(|until| view! {
                    <dt>{tr(|l| td_string!(l, complaints.claim_until))}</dt>
                    <dd>{day(until)}</dd>
                })}
                <dt>{tr(|l| td_string!(l, complaints.time_barred))}</dt>
                <dd data-testid="time-barred">
                    {move || if time_barred { t_string!(i18n, complaints.time_barred_yes) } else { t_string!(i18n, complaints.time_barred_no) }}
                </dd>
            </dl>
        </div>
    }
}

/// How a complaint was decided and what the decision gave back. The console links
/// the correction notes to their invoices; the cabinet names them.
#[component]
pub fn DecisionPanel(
    decision: ComplaintDecision,
    compensation: Option<Compensation>,
    currency: String,
    #[prop(optional)] invoice_links: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = decision.outcome;
    let granted = decision.granted_minor;
    let decided_at = decision.decided_at;
    let reasoning = (!decision.reasoning.trim().is_empty()).then(|| decision.reasoning.clone());
    let by = match &decision.approved_by {
        Some(second) => format!("{} / {second}", decision.decided_by),
        None => decision.decided_by.clone(),
    };
    let system = decision.decided_by == "system";
    let c = currency.clone();
    view! {
        <div class="panel" data-testid="complaint-decision">
            <h2>{tr(|l| td_string!(l, complaints.decision))}</h2>
            <dl class="facts">
                <dt>{tr(|l| td_string!(l, complaints.outcome))}</dt>
                <dd data-testid="decision-outcome"><strong>{move || labels::complaint_outcome(i18n.get_locale(), outcome)}</strong></dd>
                <dt>{tr(|l| td_string!(l, complaints.granted))}</dt>
                <dd data-testid="decision-granted">{move || money(granted, &c, i18n.get_locale())}</dd>
                <dt>{tr(|l| td_string!(l, complaints.decided_at))}</dt>
                <dd>
                    {move || time::date_time(decided_at, i18n.get_locale())}
                    " · "
                    {if system { view! { <span>{tr(|l| td_string!(l, complaints.by_system))}</span> }.into_any() } else { by.clone().into_any() }}
                </dd>
            </dl>
            {reasoning.map(|r| view! {
                <h3>{tr(|l| td_string!(l, complaints.reasoning))}</h3>
                <p class="prewrap" data-testid="decision-reasoning">{r}</p>
            })}
            {compensation.map(|c| view! { <CompensationView compensation=c currency=currency.clone() invoice_links /> })}
        </div>
    }
}

#[component]
fn CompensationView(
    compensation: Compensation,
    currency: String,
    invoice_links: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let (credited, total) = (compensation.credited_minor, compensation.total_minor);
    let (c1, c2) = (currency.clone(), currency.clone());
    view! {
        <h3>{tr(|l| td_string!(l, complaints.compensation))}</h3>
        <div data-testid="compensation">
            {(!compensation.correction_notes.is_empty()).then(|| view! {
                <ul class="plain">
                    {compensation.correction_notes.into_iter().map(|note| {
                        let currency = currency.clone();
                        let gross = note.gross_minor;
                        let link = |id: i64, number: String| if invoice_links {
                            view! { <A href=format!("/invoices/{id}") attr:class="mono">{number}</A> }.into_any()
                        } else {
                            view! { <span class="mono">{number}</span> }.into_any()
                        };
                        view! {
                            <li data-testid="correction-note" class="wrap-anywhere">
                                {tr(|l| td_string!(l, complaints.correction_note))} " "
                                {link(note.invoice_id, note.number.clone())}
                                " → "
                                {link(note.corrects_invoice_id, note.corrects_number.clone())}
                                ": "
                                <strong class="nowrap">{move || money(gross, &currency, i18n.get_locale())}</strong>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <dl class="facts">
                {(credited > 0).then(|| view! {
                    <dt>{tr(|l| td_string!(l, complaints.credited))}</dt>
                    <dd data-testid="credited">{move || money(credited, &c1, i18n.get_locale())}</dd>
                })}
                <dt>{tr(|l| td_string!(l, complaints.given_back))}</dt>
                <dd data-testid="given-back"><strong>{move || money(total, &c2, i18n.get_locale())}</strong></dd>
            </dl>
        </div>
    }
}

/// The acknowledgement and the answer as sent, each with its PDF; one that no e-mail could
/// carry is to be printed and posted.
#[component]
pub fn ComplaintDocuments(documents: Vec<ComplaintDocument>) -> impl IntoView {
    view! {
        <div class="panel" data-testid="documents">
            <h2>{tr(|l| td_string!(l, documents.title))}</h2>
            {if documents.is_empty() {
                view! { <p class="muted">{tr(|l| td_string!(l, documents.none))}</p> }.into_any()
            } else {
                view! {
                    <ul class="documents">
                        {documents.into_iter().map(|d| view! { <DocumentRow document=d /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </div>
    }
}

#[component]
fn DocumentRow(document: ComplaintDocument) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let ComplaintDocument { document, to_print } = document;
    let url = document.pdf_url.clone();
    let file_name = format!("{}.pdf", document.title.replace(['/', '\\', ' '], "-"));
    let open = move |_| {
        let (url, file_name) = (url.clone(), file_name.clone());
        busy.set(true);
        leptos::task::spawn_local(async move {
            if let Err(failure) = open_pdf(session, url, file_name).await {
                toasts.failure(i18n.get_locale_untracked(), &failure);
            }
            busy.set(false);
        });
    };
    let (kind, issued_at) = (document.kind, document.issued_at);
    view! {
        <li class="document" data-testid="document" data-kind=kind.as_str()>
            <div>
                <p class="document-title">{document.title.clone()}</p>
                <p class="muted small">
                    {move || labels::document_kind(i18n.get_locale(), kind)}
                    " · "
                    {move || time::date(issued_at, i18n.get_locale())}
                    " · "
                    {document.language.as_str().to_uppercase()}
                </p>
                {to_print.then(|| view! {
                    <p><span class="badge badge-suspended" data-testid="to-print">{tr(|l| td_string!(l, complaints.to_print))}</span></p>
                })}
            </div>
            <button class="button-small" disabled=move || busy.get() on:click=open data-testid="open-pdf">
                {tr(|l| td_string!(l, documents.open))}
            </button>
        </li>
    }
}

/// Why the server refused: its own words for a refusal of this record (a proposer approving
/// their own decision, a complaint decided meanwhile), else the failure in the interface
/// language.
#[component]
pub fn ServerRefusal(failure: Failure) -> impl IntoView {
    let detail = failure
        .problem()
        .filter(|p| matches!(p.status, 403 | 409))
        .and_then(|p| p.detail.clone());
    match detail {
        Some(detail) => {
            view! { <p class="failure" role="alert" data-testid="refused">{detail}</p> }.into_any()
        }
        None => view! { <FailureNote failure /> }.into_any(),
    }
}
