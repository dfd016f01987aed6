//! What a customer complains of and claims: the fields the console's form (from the customer
//! card) and the cabinet's share — subject, description, the period complained of, the
//! invoices it is about, the amount claimed and a demand for a refund.

use chrono::NaiveDate;
use leptos::prelude::*;
use okno_api_types::billing::InvoiceSummary;
use okno_domain::format;

use super::parts::money;
use crate::api::Failure;
use crate::components::forms::{Checkbox, Field, TextArea, checked, error_of};
use crate::components::status::Loaded;
use crate::i18n::*;
use crate::labels::{self, label, tr};

/// How many invoices a complaint may name (the API's limit).
pub const MAX_INVOICES: usize = 12;

/// The claim as typed.
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    pub subject: RwSignal<String>,
    pub description: RwSignal<String>,
    pub concerns_from: RwSignal<String>,
    pub concerns_until: RwSignal<String>,
    /// The invoices picked, in the order picked: compensation corrects them in this order.
    pub invoices: RwSignal<Vec<i64>>,
    pub amount: RwSignal<String>,
    pub refund_demanded: RwSignal<bool>,
    amount_unreadable: RwSignal<bool>,
}

impl Claim {
    pub fn new() -> Self {
        Self {
            subject: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            concerns_from: RwSignal::new(String::new()),
            concerns_until: RwSignal::new(String::new()),
            invoices: RwSignal::new(Vec::new()),
            amount: RwSignal::new(String::new()),
            refund_demanded: RwSignal::new(false),
            amount_unreadable: RwSignal::new(false),
        }
    }

    /// The amount claimed in minor units: none when left blank; `Err` (and the field marked)
    /// when it does not read as an amount above zero.
    pub fn amount_minor(&self) -> Result<Option<i64>, ()> {
        let text = self.amount.get_untracked();
        if text.trim().is_empty() {
            self.amount_unreadable.set(false);
            return Ok(None);
        }
        let minor = format::parse_money(&text).filter(|m| *m > 0);
        self.amount_unreadable.set(minor.is_none());
        minor.map(Some).ok_or(())
    }

    pub fn day(value: RwSignal<String>) -> Option<NaiveDate> {
        value.get_untracked().parse().ok()
    }
}

/// The server's error for the invoices named, whichever of them it is about.
fn invoices_error(failure: RwSignal<Option<Failure>>) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        failure.with(|f| {
            f.as_ref()
                .and_then(Failure::problem)
                .and_then(|p| p.errors.iter().find(|e| e.field.starts_with("invoice_ids")))
                .map(|e| labels::field_error(i18n.get_locale(), e))
        })
    })
}

#[component]
pub fn ClaimFields(
    claim: Claim,
    failure: RwSignal<Option<Failure>>,
    /// The customer's invoices to pick from, newest first.
    invoices: Signal<Option<Result<Vec<InvoiceSummary>, Failure>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let unreadable = claim.amount_unreadable;
    let amount_error = checked(
        move || unreadable.get(),
        |l| td_string!(l, payments.amount_invalid),
        error_of(failure, "amount_claimed_minor"),
    );
    let invoice_error = invoices_error(failure);
    view! {
        <Field label=label(|l| td_string!(l, complaints.subject)) value=claim.subject name="subject" required=true error=error_of(failure, "subject") />
        <TextArea label=label(|l| td_string!(l, complaints.description)) value=claim.description name="description" required=true rows=5 error=error_of(failure, "description") />
        <div class="grid-2">
            <Field label=label(|l| td_string!(l, complaints.concerns_from)) value=claim.concerns_from name="concerns_from" input_type="date" error=error_of(failure, "concerns_from") />
            <Field
                label=label(|l| td_string!(l, complaints.concerns_until))
                value=claim.concerns_until
                name="concerns_until"
                input_type="date"
                hint=label(|l| td_string!(l, complaints.concerns_until_hint))
                error=error_of(failure, "concerns_until")
            />
        </div>
        <fieldset class="invoice-pick" data-testid="invoice-pick">
            <legend>{tr(|l| td_string!(l, complaints.invoices))}</legend>
            <p class="field-hint">{tr(|l| td_string!(l, complaints.invoices_hint))}</p>
            <Loaded value=move || invoices.get() let:list>
                {if list.is_empty() {
                    view! { <p class="muted">{tr(|l| td_string!(l, invoices.none))}</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain invoice-choices">
                            {list.into_iter().enumerate().map(|(index, invoice)| {
                                let id = invoice.id;
                                let period = invoice.period.clone().and_then(|p| p.parse().ok());
                                let (gross, currency) = (invoice.gross_minor, invoice.currency.clone());
                                let picked = move || claim.invoices.with(|ids| ids.contains(&id));
                                let full = move || claim.invoices.with(|ids| ids.len() >= MAX_INVOICES);
                                view! {
                                    <li>
                                        <label class="checkbox">
                                            <input
                                                type="checkbox"
                                                name="invoice"
                                                value=id
                                                data-number=invoice.number.clone()
                                                aria-invalid=move || (index == 0 && invoice_error.with(Option::is_some)).then_some("true")
                                                disabled=move || full() && !picked()
                                                prop:checked=picked
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    claim.invoices.update(|ids| {
                                                        ids.retain(|i| *i != id);
                                                        if on {
                                                            ids.push(id);
                                                        }
                                                    });
                                                }
                                            />
                                            <span>
                                                <span class="mono">{invoice.number.clone()}</span>
                                                <span class="muted">
                                                    {move || period.map(|p| format!(" · {}", labels::month(i18n.get_locale(), p)))}
                                                    {move || format!(" · {}", money(gross, &currency, i18n.get_locale()))}
                                                </span>
                                            </span>
                                        </label>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </Loaded>
            {move || invoice_error.get().map(|e| view! { <p class="field-error">{e}</p> })}
        </fieldset>
        <div class="grid-2">
            <Field
                label=label(|l| td_string!(l, complaints.amount_claimed))
                value=claim.amount
                name="amount_claimed"
                placeholder=Signal::derive(|| "61,49".to_owned())
                hint=label(|l| td_string!(l, complaints.amount_claimed_hint))
                error=amount_error
            />
            <div class="field field-check">
                <Checkbox label=label(|l| td_string!(l, complaints.refund_demanded)) checked=claim.refund_demanded name="refund_demanded" />
            </div>
        </div>
    }
}
