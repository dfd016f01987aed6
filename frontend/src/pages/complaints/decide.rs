//! Deciding a complaint: the outcome, what is granted and the reasons, with
//! what the decision would give back shown as it is typed; then a confirmation that says what
//! confirming does — correction notes and a credit issued, the answer sent — since none of it
//! can be taken back. Above the four-eyes amount the decision waits for a second person, who
//! approves it or sends it back.

use std::time::Duration;

use leptos::prelude::*;
use okno_api_types::Permission;
use okno_api_types::complaints::{
    CompensationPreview, CompensationPreviewQuery, Complaint, ComplaintOutcome, ComplaintProposal,
    DecideComplaint, Jurisdiction, ReviewProposal,
};
use okno_domain::format;

use super::parts::{ServerRefusal, money};
use crate::api::{self, Failure};
use crate::components::forms::{
    AmountField, Field, Select, TextArea, checked, error_of, focus_first_invalid,
};
use crate::components::latest::Latest;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::session::{Session, use_session};
use crate::time;

/// The reasons an answer starts from, per outcome, in the interface language.
pub fn reasoning_template(locale: Locale, outcome: ComplaintOutcome) -> String {
    match outcome {
        ComplaintOutcome::Accepted => td_string!(locale, complaints.template_accepted),
        ComplaintOutcome::PartlyAccepted => td_string!(locale, complaints.template_partly),
        ComplaintOutcome::Rejected => td_string!(locale, complaints.template_rejected),
        ComplaintOutcome::TimeBarred => td_string!(locale, complaints.template_time_barred),
        ComplaintOutcome::DeemedAccepted => "",
    }
    .to_owned()
}

/// The customer's ways to appeal under the complaint's law, as the answer prints them (in the
/// customer's language) after the reasons of anything not wholly granted: shown to the decider,
/// not typed into the reasons, so the answer says it once.
pub fn appeal_text(
    locale: Locale,
    outcome: ComplaintOutcome,
    jurisdiction: Jurisdiction,
) -> Option<&'static str> {
    match outcome {
        ComplaintOutcome::PartlyAccepted
        | ComplaintOutcome::Rejected
        | ComplaintOutcome::TimeBarred => Some(match jurisdiction {
            Jurisdiction::Pl => td_string!(locale, complaints.appeal_pl),
            Jurisdiction::Ru => td_string!(locale, complaints.appeal_ru),
        }),
        ComplaintOutcome::Accepted | ComplaintOutcome::DeemedAccepted => None,
    }
}

/// The outcomes a person may choose: a time-barred claim is answered, not granted;
/// one made in time is not answered as time-barred; deemed acceptance is the clock's.
pub fn offered_outcomes(time_barred: bool) -> Vec<ComplaintOutcome> {
    if time_barred {
        vec![ComplaintOutcome::TimeBarred, ComplaintOutcome::Rejected]
    } else {
        vec![
            ComplaintOutcome::Accepted,
            ComplaintOutcome::PartlyAccepted,
            ComplaintOutcome::Rejected,
        ]
    }
}

/// What confirming does, in words, with the amounts: what goes back to the customer (the
/// correction notes against which invoices, the credit) and that the answer is sent.
fn effect_text(
    locale: Locale,
    outcome: ComplaintOutcome,
    granted: i64,
    preview: Option<&CompensationPreview>,
    approving: bool,
    currency: &str,
) -> String {
    let name = labels::complaint_outcome(locale, outcome);
    let amount = |minor: i64| money(minor, currency, locale);
    if granted <= 0 {
        return if outcome == ComplaintOutcome::Accepted {
            td_string!(locale, complaints.confirm_accept_nothing, outcome = name).to_string()
        } else {
            td_string!(locale, complaints.confirm_nothing, outcome = name).to_string()
        };
    }
    match preview {
        Some(p) if p.needs_approval && !approving => td_string!(
            locale,
            complaints.confirm_proposal,
            outcome = name,
            amount = amount(p.total_minor)
        )
        .to_string(),
        Some(p) => {
            let notes = if p.notes.is_empty() {
                td_string!(locale, complaints.confirm_no_notes).to_owned()
            } else {
                p.notes
                    .iter()
                    .map(|n| format!("{} ({})", n.number, amount(n.gross_minor.abs())))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            td_string!(
                locale,
                complaints.confirm_grant,
                outcome = name,
                amount = amount(p.total_minor),
                notes = notes,
                credit = amount(p.credited_minor)
            )
            .to_string()
        }
        None => td_string!(
            locale,
            complaints.confirm_grant_plain,
            outcome = name,
            amount = amount(granted)
        )
        .to_string(),
    }
}

/// The preview of granting `granted` (after a pause in typing), kept in `preview`; none for
/// nothing granted.
fn watch_preview(
    session: Session,
    id: i64,
    granted: Signal<Option<i64>>,
    preview: RwSignal<Option<Result<CompensationPreview, Failure>>>,
) {
    let latest = Latest::new();
    Effect::new(move |_| {
        let minor = granted.get().filter(|m| *m > 0);
        preview.set(None);
        let Some(minor) = minor else {
            return;
        };
        let query = CompensationPreviewQuery {
            granted_minor: minor,
        };
        latest.spawn(
            async move {
                gloo_timers::future::sleep(Duration::from_millis(250)).await;
                api::call(session, async |client| {
                    client.compensation_preview(id, &query).await
                })
                .await
            },
            move |result| preview.set(Some(result)),
        );
    });
}

/// What a grant would give back: per invoice the lines a correction note lowers (net before →
/// after), the credit on the account, and whether a second person must approve it.
#[component]
pub fn PreviewView(
    preview: RwSignal<Option<Result<CompensationPreview, Failure>>>,
    currency: String,
    /// An approval of a proposal does not need another approval.
    #[prop(optional)]
    approving: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let currency = currency.clone();
        preview.get().map(|result| match result {
            Err(failure) => view! { <ServerRefusal failure /> }.into_any(),
            Ok(p) => {
                let amount = {
                    let currency = currency.clone();
                    move |minor: i64| money(minor, &currency, i18n.get_locale())
                };
                let (credited, total) = (p.credited_minor, p.total_minor);
                let (a1, a2) = (amount.clone(), amount.clone());
                view! {
                    <div class="preview" data-testid="compensation-preview" aria-live="polite">
                        <h3>{tr(|l| td_string!(l, complaints.preview_title))}</h3>
                        {p.notes.into_iter().map(|note| {
                            let amount = amount.clone();
                            let gross = note.gross_minor;
                            let a = amount.clone();
                            view! {
                                <div data-testid="preview-note">
                                    <p>
                                        <strong>{move || t_string!(i18n, complaints.preview_note, number = note.number.clone()).to_string()}</strong>
                                        " " {move || a(gross)}
                                    </p>
                                        <table class="table table-compact">
                                            <thead>
                                                <tr>
                                                    <th>{tr(|l| td_string!(l, invoices.description))}</th>
                                                    <th class="num">{tr(|l| td_string!(l, complaints.net_before_after))}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {note.lines.into_iter().map(|line| {
                                                    let amount = amount.clone();
                                                    view! {
                                                        <tr data-testid="preview-line">
                                                            <td>{line.description.clone()}</td>
                                                            <td class="num">{move || format!("{} → {}", amount(line.net_before_minor), amount(line.net_after_minor))}</td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                </div>
                            }
                        }).collect_view()}
                        <dl class="facts">
                            <dt>{tr(|l| td_string!(l, complaints.credited))}</dt>
                            <dd data-testid="preview-credit">{move || a1(credited)}</dd>
                            <dt>{tr(|l| td_string!(l, complaints.given_back))}</dt>
                            <dd data-testid="preview-total"><strong>{move || a2(total)}</strong></dd>
                        </dl>
                        {(p.needs_approval && !approving).then(|| view! {
                            <p class="warning" data-testid="needs-approval">{tr(|l| td_string!(l, complaints.needs_approval))}</p>
                        })}
                    </div>
                }
                .into_any()
            }
        })
    }
}

#[component]
pub fn DecisionForm(
    complaint: Complaint,
    #[prop(into)] on_change: Callback<Complaint>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let id = complaint.summary.id;
    let claimed = complaint.summary.amount_claimed_minor;
    let currency = complaint.summary.currency.clone();
    let jurisdiction = complaint.jurisdiction;
    let outcomes = offered_outcomes(complaint.summary.deadlines.time_barred);
    let outcome = RwSignal::new(String::new());
    let reasoning = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let amount = AmountField::new(failure, "granted_minor");
    let outcome_missing = RwSignal::new(false);
    let reasoning_missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let chosen = Memo::new(move |_| outcome.get().parse::<ComplaintOutcome>().ok());

    // The reasons start from the outcome's template, until the decider writes their own.
    let template = StoredValue::new(String::new());
    Effect::new(move |_| {
        let text = chosen
            .get()
            .map(|o| reasoning_template(i18n.get_locale(), o))
            .unwrap_or_default();
        let typed = reasoning.get_untracked();
        if typed.trim().is_empty() || typed == template.get_value() {
            reasoning.set(text.clone());
        }
        template.set_value(text);
    });

    // What is granted as the form stands: the claim for an acceptance, the amount typed for a
    // partial one, nothing for a rejection; `None` while that cannot be told.
    let granted = Signal::derive(move || match chosen.get()? {
        ComplaintOutcome::Accepted => Some(claimed.unwrap_or(0)),
        ComplaintOutcome::PartlyAccepted => {
            format::parse_money(&amount.text.get()).filter(|m| *m > 0)
        }
        _ => Some(0),
    });
    let preview = RwSignal::new(None::<Result<CompensationPreview, Failure>>);
    watch_preview(session, id, granted, preview);

    // Confirming is asked once more, with its effect; what was confirmed is kept, so a change
    // made since asks again rather than deciding what was not shown.
    let shown = move || (outcome.get(), granted.get(), reasoning.get());
    let confirmed = RwSignal::new(None::<(String, Option<i64>, String)>);
    let confirming = Memo::new(move |_| confirmed.with(|c| c.as_ref() == Some(&shown())));
    let effect = {
        let currency = currency.clone();
        move || {
            let locale = i18n.get_locale();
            chosen.get().map(|o| {
                preview.with(|p| {
                    let loaded = p.as_ref().and_then(|r| r.as_ref().ok());
                    effect_text(
                        locale,
                        o,
                        granted.get().unwrap_or(0),
                        loaded,
                        false,
                        &currency,
                    )
                })
            })
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let picked = chosen.get_untracked();
        outcome_missing.set(picked.is_none());
        let Some(picked) = picked else {
            focus_first_invalid(form);
            return;
        };
        let granted_minor = if picked == ComplaintOutcome::PartlyAccepted {
            let Some(minor) = amount.read(form) else {
                return;
            };
            Some(minor)
        } else {
            None
        };
        let needs_reasons = matches!(
            picked,
            ComplaintOutcome::PartlyAccepted | ComplaintOutcome::Rejected
        );
        reasoning_missing.set(needs_reasons && reasoning.get_untracked().trim().is_empty());
        if reasoning_missing.get_untracked() {
            focus_first_invalid(form);
            return;
        }
        if !confirming.get_untracked() {
            confirmed.set(Some(untrack(shown)));
            return;
        }
        let request = DecideComplaint {
            outcome: picked,
            granted_minor,
            reasoning: reasoning.get_untracked(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.decide_complaint(id, &request).await
            })
            .await;
            busy.set(false);
            confirmed.set(None);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(updated) => {
                    failure.set(None);
                    if updated.proposal.is_some() {
                        toasts.success(td_string!(locale, complaints.proposed));
                    } else {
                        toasts.success(td_string!(locale, complaints.decided));
                    }
                    on_change.run(updated);
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };

    let outcome_options = {
        let outcomes = outcomes.clone();
        Signal::derive(move || {
            let locale = i18n.get_locale();
            std::iter::once((
                String::new(),
                td_string!(locale, complaints.choose_outcome).to_owned(),
            ))
            .chain(outcomes.iter().map(|o| {
                (
                    o.as_str().to_owned(),
                    labels::complaint_outcome(locale, *o).to_owned(),
                )
            }))
            .collect()
        })
    };
    let outcome_error = checked(
        move || outcome_missing.get(),
        |l| td_string!(l, complaints.choose_outcome_error),
        error_of(failure, "outcome"),
    );
    let reasoning_error = checked(
        move || reasoning_missing.get(),
        |l| td_string!(l, field_error.required),
        error_of(failure, "reasoning"),
    );
    let claimed_text = {
        let currency = currency.clone();
        move || {
            let locale = i18n.get_locale();
            match claimed {
                Some(minor) => td_string!(
                    locale,
                    complaints.accept_grants,
                    amount = money(minor, &currency, locale)
                )
                .to_string(),
                None => td_string!(locale, complaints.accept_grants_nothing).to_owned(),
            }
        }
    };
    let partly = move || chosen.get() == Some(ComplaintOutcome::PartlyAccepted);
    let hint_currency = currency.clone();
    view! {
        <form class="panel form" node_ref=form on:submit=submit novalidate data-testid="decision-form">
            <h2>{tr(|l| td_string!(l, complaints.decide))}</h2>
            {complaint.summary.deadlines.time_barred.then(|| view! {
                <p class="warning" data-testid="time-barred-note">{tr(|l| td_string!(l, complaints.time_barred_hint))}</p>
            })}
            <div class="grid-2">
                <Select label=label(|l| td_string!(l, complaints.outcome)) value=outcome name="outcome" options=outcome_options error=outcome_error />
                <Show when=partly fallback=move || {
                    let text = claimed_text.clone();
                    view! {
                        <Show when=move || chosen.get() == Some(ComplaintOutcome::Accepted)>
                            <p class="field-hint field-aside" data-testid="accept-grants">{text.clone()}</p>
                        </Show>
                    }
                }>
                    <Field
                        label=label(|l| td_string!(l, complaints.granted_amount))
                        value=amount.text
                        error=amount.error
                        name="granted"
                        required=true
                        placeholder=Signal::derive(|| "61,49".to_owned())
                        hint=Signal::derive({
                            let currency = hint_currency.clone();
                            move || claimed.map(|m| t_string!(i18n, complaints.claimed_was, amount = money(m, &currency, i18n.get_locale())).to_string()).unwrap_or_default()
                        })
                    />
                </Show>
            </div>
            <TextArea label=label(|l| td_string!(l, complaints.reasoning)) value=reasoning name="reasoning" rows=8 error=reasoning_error />
            {move || chosen.get().and_then(|o| appeal_text(i18n.get_locale(), o, jurisdiction)).map(|text| view! {
                <p class="field-hint" data-testid="appeal-hint">{text}</p>
            })}
            <PreviewView preview currency=currency.clone() />
            <Show when=move || confirming.get()>
                <p class="warning" role="alert" data-testid="decision-effect">{effect.clone()}</p>
            </Show>
            <div class="form-actions">
                <Show when=move || confirming.get()>
                    <button type="button" class="button-quiet" on:click=move |_| confirmed.set(None)>{tr(|l| td_string!(l, common.cancel))}</button>
                </Show>
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="decide">
                    {move || if confirming.get() { t_string!(i18n, complaints.confirm_decision) } else { t_string!(i18n, complaints.decide) }}
                </button>
            </div>
        </form>
    }
}

/// A decision waiting for a second person: what was proposed, by whom; approve it (after a
/// confirmation of what that issues and sends) or send it back with a note.
#[component]
pub fn ProposalReview(
    complaint: Complaint,
    proposal: ComplaintProposal,
    #[prop(into)] on_change: Callback<Complaint>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let id = complaint.summary.id;
    let currency = complaint.summary.currency.clone();
    let may_review = session.has(Permission::ComplaintsDecide);
    let (outcome, granted) = (proposal.outcome, proposal.granted_minor);
    let proposed_at = proposal.proposed_at;
    // `Some(true)`: approving, `Some(false)`: sending back; asked before it is done.
    let step = RwSignal::new(None::<bool>);
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let refused = RwSignal::new(None::<Failure>);
    let failure = RwSignal::new(None::<Failure>);
    let preview = RwSignal::new(None::<Result<CompensationPreview, Failure>>);
    let wanted = Signal::derive(move || (step.get() == Some(true)).then_some(granted));
    watch_preview(session, id, wanted, preview);
    let review = move |approve: bool| {
        let request = ReviewProposal {
            approve,
            note: note.get_untracked(),
        };
        busy.set(true);
        refused.set(None);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.review_complaint_decision(id, &request).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(updated) => {
                    step.set(None);
                    if approve {
                        toasts.success(td_string!(locale, complaints.decided));
                    } else {
                        toasts.success(td_string!(locale, complaints.sent_back));
                    }
                    on_change.run(updated);
                }
                Err(error) if error.has_field_errors() => {
                    toasts.form_failure(locale, failure, error);
                }
                Err(error) => refused.set(Some(error)),
            }
        });
    };
    let effect = {
        let currency = currency.clone();
        move || {
            let locale = i18n.get_locale();
            preview.with(|p| {
                let loaded = p.as_ref().and_then(|r| r.as_ref().ok());
                effect_text(locale, outcome, granted, loaded, true, &currency)
            })
        }
    };
    let c = currency.clone();
    view! {
        <div class="panel" data-testid="proposal">
            <h2>{tr(|l| td_string!(l, complaints.proposal_title))}</h2>
            <dl class="facts">
                <dt>{tr(|l| td_string!(l, complaints.outcome))}</dt>
                <dd><strong>{move || labels::complaint_outcome(i18n.get_locale(), outcome)}</strong></dd>
                <dt>{tr(|l| td_string!(l, complaints.granted))}</dt>
                <dd data-testid="proposal-granted">{move || money(granted, &c, i18n.get_locale())}</dd>
                <dt>{tr(|l| td_string!(l, complaints.proposed_by))}</dt>
                <dd>{proposal.proposed_by.clone()} " · " {move || time::date_time(proposed_at, i18n.get_locale())}</dd>
            </dl>
            {(!proposal.reasoning.trim().is_empty()).then(|| view! {
                <h3>{tr(|l| td_string!(l, complaints.reasoning))}</h3>
                <p class="prewrap">{proposal.reasoning.clone()}</p>
            })}
            {may_review.then(|| view! {
                <div class="row">
                    <button type="button" class="button-primary" data-testid="approve-proposal" aria-expanded=move || (step.get() == Some(true)).to_string() on:click=move |_| { refused.set(None); step.set(Some(true)); }>
                        {tr(|l| td_string!(l, complaints.approve))}
                    </button>
                    <button type="button" class="button" data-testid="send-back" aria-expanded=move || (step.get() == Some(false)).to_string() on:click=move |_| { refused.set(None); step.set(Some(false)); }>
                        {tr(|l| td_string!(l, complaints.send_back))}
                    </button>
                </div>
                {move || match step.get() {
                    Some(true) => view! {
                        <form class="form action-form" data-testid="approve-form" on:submit=move |ev| { ev.prevent_default(); review(true); }>
                            <PreviewView preview currency=currency.clone() approving=true />
                            <p class="warning" role="alert" data-testid="approve-effect">{effect.clone()}</p>
                            {move || refused.get().map(|failure| view! { <ServerRefusal failure /> })}
                            <div class="form-actions">
                                <button type="button" class="button-quiet" on:click=move |_| step.set(None)>{tr(|l| td_string!(l, common.cancel))}</button>
                                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="confirm-approve">{tr(|l| td_string!(l, complaints.confirm_approve))}</button>
                            </div>
                        </form>
                    }
                    .into_any(),
                    Some(false) => view! {
                        <form class="form action-form" data-testid="send-back-form" novalidate on:submit=move |ev| { ev.prevent_default(); review(false); }>
                            <TextArea label=label(|l| td_string!(l, complaints.send_back_note)) value=note name="note" error=error_of(failure, "note") />
                            {move || refused.get().map(|failure| view! { <ServerRefusal failure /> })}
                            <div class="form-actions">
                                <button type="button" class="button-quiet" on:click=move |_| step.set(None)>{tr(|l| td_string!(l, common.cancel))}</button>
                                <button type="submit" class="button" disabled=move || busy.get() data-testid="confirm-send-back">{tr(|l| td_string!(l, complaints.send_back))}</button>
                            </div>
                        </form>
                    }
                    .into_any(),
                    None => ().into_any(),
                }}
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    #[wasm_bindgen_test]
    fn a_rejection_under_polish_law_tells_the_ways_to_appeal_once() {
        let text = appeal_text(Locale::pl, ComplaintOutcome::Rejected, Jurisdiction::Pl).unwrap();
        assert!(text.contains("Prezesa UKE"), "{text}");
        assert!(text.contains("sądem powszechnym"), "{text}");
        let english =
            appeal_text(Locale::en, ComplaintOutcome::Rejected, Jurisdiction::Pl).unwrap();
        assert!(english.contains("President of UKE"), "{english}");
        assert_eq!(
            appeal_text(Locale::pl, ComplaintOutcome::Accepted, Jurisdiction::Pl),
            None
        );
        // The answer prints the ways to appeal itself: the reasons do not repeat them.
        let reasons = reasoning_template(Locale::pl, ComplaintOutcome::Rejected);
        assert!(!reasons.contains("UKE"), "{reasons}");
    }

    #[wasm_bindgen_test]
    fn a_time_barred_claim_is_answered_not_granted() {
        assert_eq!(
            offered_outcomes(true),
            [ComplaintOutcome::TimeBarred, ComplaintOutcome::Rejected]
        );
        assert!(!offered_outcomes(false).contains(&ComplaintOutcome::TimeBarred));
    }

    #[wasm_bindgen_test]
    fn the_confirmation_says_what_goes_back_and_that_the_answer_is_sent() {
        let preview = CompensationPreview {
            notes: vec![okno_api_types::complaints::PreviewNote {
                invoice_id: 6,
                number: "FV/2026/11/000006".into(),
                lines: vec![],
                gross_minor: -1000,
            }],
            credited_minor: 0,
            total_minor: 1000,
            needs_approval: false,
        };
        let text = effect_text(
            Locale::en,
            ComplaintOutcome::PartlyAccepted,
            1000,
            Some(&preview),
            false,
            "PLN",
        );
        assert!(text.contains("FV/2026/11/000006"), "{text}");
        assert!(text.contains("10.00"), "{text}");
        assert!(text.contains("answer"), "{text}");
    }
}
