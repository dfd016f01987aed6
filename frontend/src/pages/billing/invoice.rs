//! `/invoices/:id`: an invoice or correction note as issued — lines, VAT totals, parties,
//! payment details — with its PDF (and a duplicate), its correction notes, and the form to
//! issue one.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use okno_api_types::Permission;
use okno_api_types::billing::{Invoice, InvoiceKind, InvoiceParty, LineCorrection, NewCorrection};
use okno_api_types::payments::PaymentStatus;
use okno_domain::format;

use crate::api::{self, Failure};
use crate::components::download::open_pdf;
use crate::components::forms::{Checkbox, TextArea, error_at, error_of};
use crate::components::latest::Latest;
use crate::components::status::Loaded;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::session::use_session;
use crate::time::{self, language};

#[component]
pub fn InvoicePage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let invoice = RwSignal::new(None::<Result<Invoice, Failure>>);
    let latest = Latest::new();
    Effect::new(move |_| {
        let Some(id) = id.get() else {
            return;
        };
        invoice.set(None);
        latest.spawn(
            api::call(session, async move |client| client.invoice(id).await),
            move |result| invoice.set(Some(result)),
        );
    });
    view! {
        <Loaded value=move || invoice.get() let:invoice>
            <InvoiceView invoice=invoice />
        </Loaded>
    }
}

fn rate(bp: i32) -> String {
    format!("{} %", bp / 100)
}

#[component]
fn InvoiceView(invoice: Invoice, #[prop(optional)] cabinet: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let correcting = RwSignal::new(false);
    let money = {
        let currency = invoice.currency.clone();
        move |minor: i64| format::money(minor, &currency, language(i18n.get_locale_untracked()))
    };
    let download = {
        let url = invoice.pdf_url.clone();
        let number = invoice.number.clone();
        move |duplicate: bool| {
            let url = if duplicate {
                format!("{url}?duplicate=true")
            } else {
                url.clone()
            };
            let name = format!(
                "{}{}.pdf",
                number.replace('/', "-"),
                if duplicate { "-duplicate" } else { "" }
            );
            leptos::task::spawn_local(async move {
                if let Err(failure) = open_pdf(session, url, name).await {
                    toasts.failure(i18n.get_locale_untracked(), &failure);
                }
            });
        }
    };
    let download_duplicate = download.clone();
    let correction = invoice.kind == InvoiceKind::Correction;
    let title = if correction {
        labels::invoice_kind(i18n.get_locale_untracked(), InvoiceKind::Correction)
    } else {
        labels::invoice_kind(i18n.get_locale_untracked(), InvoiceKind::Invoice)
    };
    let can_correct = !cabinet && !correction && session.has(Permission::InvoicesCorrect);
    let lines = invoice.lines.clone();
    let totals = invoice.vat_totals.clone();
    let for_correction = invoice.clone();
    let day = move |d: chrono::NaiveDate| time::day(d, i18n.get_locale());
    let (issue, sale, due) = (invoice.issue_date, invoice.sale_date, invoice.due_date);
    let period = invoice.period_start.zip(invoice.period_end);
    view! {
        <section class="page" data-testid="invoice">
            <div class="card-head">
                <div>
                    <h1 data-testid="invoice-number">{format!("{title} {}", invoice.number)}</h1>
                    <p class="card-facts">
                        {
                            let buyer = invoice.buyer.name.clone();
                            (!cabinet).then(|| view! { <A href=format!("/customers/{}", invoice.customer_id)>{buyer}</A> })
                        }
                        {invoice.corrects.clone().map(|c| view! {
                            <span>{tr(|l| td_string!(l, invoices.corrects))} " " <A href=if cabinet { String::from("/cabinet") } else { format!("/invoices/{}", c.id) }>{c.number}</A></span>
                        })}
                        {(!cabinet && !correction).then(|| view! { <StillToPay to_pay=invoice.to_pay_minor status=invoice.payment_status currency=invoice.currency.clone() /> })}
                    </p>
                </div>
                <div class="row">
                    <button class="button" data-testid="invoice-pdf" on:click=move |_| download(false)>{tr(|l| td_string!(l, documents.open))}</button>
                    <button class="button" data-testid="invoice-duplicate" on:click=move |_| download_duplicate(true)>{tr(|l| td_string!(l, invoices.duplicate))}</button>
                    <Show when=move || can_correct>
                        <button class="button" data-testid="correct" on:click=move |_| correcting.update(|c| *c = !*c)>{tr(|l| td_string!(l, invoices.correct))}</button>
                    </Show>
                </div>
            </div>
            {invoice.correction_reason.clone().map(|r| view! { <p class="warning"><strong>{tr(|l| td_string!(l, invoices.reason))} ": "</strong>{r}</p> })}
            <Show when=move || correcting.get()>
                <CorrectionForm invoice=for_correction.clone() />
            </Show>
            <div class="card-grid">
                <div class="card-main">
                    <div class="panel">
                        <h2>{tr(|l| td_string!(l, invoices.lines))}</h2>
                        <div class="table-wrap">
                            <table class="table table-compact" data-testid="invoice-lines">
                                <thead>
                                    <tr>
                                        <th>"#"</th>
                                        <th>{tr(|l| td_string!(l, invoices.description))}</th>
                                        {correction.then(|| view! {
                                            <th class="num hide-narrow">{tr(|l| td_string!(l, invoices.before))}</th>
                                            <th class="num hide-narrow">{tr(|l| td_string!(l, invoices.after))}</th>
                                        })}
                                        <th class="num">{tr(|l| td_string!(l, invoices.net))}</th>
                                        <th class="num hide-narrow">{tr(|l| td_string!(l, invoices.vat))}</th>
                                        <th class="num">{tr(|l| td_string!(l, invoices.gross))}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {lines
                                        .into_iter()
                                        .map(|line| {
                                            let money = money.clone();
                                            view! {
                                                <tr data-testid="invoice-line">
                                                    <td>{line.position}</td>
                                                    <td>{line.description.clone()}</td>
                                                    {correction.then(|| view! {
                                                        <td class="num nowrap hide-narrow">{money(line.net_before_minor.unwrap_or(0))}</td>
                                                        <td class="num nowrap hide-narrow">{money(line.net_after_minor.unwrap_or(0))}</td>
                                                    })}
                                                    <td class="num nowrap">{money(line.net_minor)}</td>
                                                    <td class="num nowrap hide-narrow">{format!("{} · {}", rate(line.vat_rate_bp), money(line.vat_minor))}</td>
                                                    <td class="num nowrap">{money(line.gross_minor)}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <table class="table table-compact totals">
                            <thead>
                                <tr>
                                    <th>{tr(|l| td_string!(l, invoices.vat_rate))}</th>
                                    <th class="num">{tr(|l| td_string!(l, invoices.net))}</th>
                                    <th class="num">{tr(|l| td_string!(l, invoices.vat))}</th>
                                    <th class="num">{tr(|l| td_string!(l, invoices.gross))}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {totals
                                    .into_iter()
                                    .map(|t| {
                                        let money = money.clone();
                                        view! {
                                            <tr>
                                                <td>{tr(|l| td_string!(l, invoices.vat))} " " {rate(t.vat_rate_bp)}</td>
                                                <td class="num nowrap">{money(t.net_minor)}</td>
                                                <td class="num nowrap">{money(t.vat_minor)}</td>
                                                <td class="num nowrap">{money(t.gross_minor)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                        <p class="grand-total" data-testid="invoice-total">
                            {move || if invoice.gross_minor >= 0 { t_string!(i18n, invoices.to_pay) } else { t_string!(i18n, invoices.to_refund) }}
                            " "
                            <strong>{money(invoice.gross_minor.abs())}</strong>
                        </p>
                    </div>
                </div>
                <aside class="card-side">
                    <div class="panel">
                        <dl class="facts">
                            <dt>{tr(|l| td_string!(l, invoices.issued))}</dt>
                            <dd>{move || day(issue)}</dd>
                            <dt>{tr(|l| td_string!(l, invoices.sale_date))}</dt>
                            <dd>{move || day(sale)}</dd>
                            {period.map(|(from, to)| view! { <dt>{tr(|l| td_string!(l, billing.period))}</dt><dd>{move || format!("{} – {}", day(from), day(to))}</dd> })}
                            <dt>{tr(|l| td_string!(l, invoices.due))}</dt>
                            <dd>{move || day(due)}</dd>
                        </dl>
                    </div>
                    <PartyPanel heading=tr(|l| td_string!(l, invoices.seller)) party=invoice.seller.clone() />
                    <PartyPanel heading=tr(|l| td_string!(l, invoices.buyer)) party=invoice.buyer.clone() />
                    {(invoice.gross_minor > 0).then(|| view! {
                        <div class="panel" data-testid="payment">
                            <h2>{tr(|l| td_string!(l, invoices.payment))}</h2>
                            <dl class="facts">
                                <dt>{tr(|l| td_string!(l, invoices.account))}</dt>
                                <dd class="mono">{invoice.seller.bank_account.clone().unwrap_or_default()}</dd>
                                <dt>{tr(|l| td_string!(l, invoices.title_of_transfer))}</dt>
                                <dd>{invoice.payment_title.clone()}</dd>
                            </dl>
                        </div>
                    })}
                    {(!invoice.corrections.is_empty()).then(|| view! {
                        <div class="panel">
                            <h2>{tr(|l| td_string!(l, invoices.corrections))}</h2>
                            <ul class="plain">
                                {invoice.corrections.clone().into_iter().map(|c| view! { <li><A href=format!("/invoices/{}", c.id)>{c.number}</A></li> }).collect_view()}
                            </ul>
                        </div>
                    })}
                </aside>
            </div>
        </section>
    }
}

#[component]
fn PartyPanel(
    heading: impl Fn() -> &'static str + Send + Sync + 'static,
    party: InvoiceParty,
) -> impl IntoView {
    view! {
        <div class="panel">
            <h2>{heading}</h2>
            <p><strong>{party.name.clone()}</strong><br />{party.address.clone()}</p>
            {party.tax_id.clone().map(|t| view! { <p class="muted small">"NIP " {t}</p> })}
            {party.account_number.clone().map(|a| view! { <p class="muted small mono">{a}</p> })}
        </div>
    }
}

/// What of an invoice is still to pay, as payments were put toward it; past the due
/// date, overdue.
#[component]
fn StillToPay(to_pay: i64, status: PaymentStatus, currency: String) -> impl IntoView {
    let i18n = use_i18n();
    let overdue = status == PaymentStatus::Overdue;
    let text = move || {
        let amount = format::money(to_pay, &currency, language(i18n.get_locale()));
        if to_pay <= 0 {
            t_string!(i18n, invoices.settled).to_string()
        } else if overdue {
            t_string!(i18n, invoices.overdue_to_pay, amount = amount).to_string()
        } else {
            t_string!(i18n, invoices.left_to_pay, amount = amount).to_string()
        }
    };
    view! {
        <span class="chip" class:overdue=overdue data-testid="still-to-pay">{text}</span>
    }
}

/// For each line, its net amount after the correction; or the whole invoice to zero.
#[component]
fn CorrectionForm(invoice: Invoice) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let reason = RwSignal::new(String::new());
    let cancel = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let lang = language(i18n.get_locale_untracked());
    let inputs: Vec<(i64, String, i64, RwSignal<String>)> = invoice
        .lines
        .iter()
        .map(|l| {
            (
                l.id,
                l.description.clone(),
                l.net_minor,
                RwSignal::new(format::money_input(l.net_minor, lang)),
            )
        })
        .collect();
    let rates: Vec<i32> = invoice.lines.iter().map(|l| l.vat_rate_bp).collect();
    let inputs = StoredValue::new(inputs);
    let bad = RwSignal::new(Vec::<usize>::new());
    let id = invoice.id;
    let currency = invoice.currency.clone();
    let number = invoice.number.clone();
    let currency_for_effect = invoice.currency.clone();
    // A note cannot be taken back: the form says what it will do, then asks once more. What
    // was confirmed is kept, so a change made since (however quickly) asks again rather than
    // issuing what was not shown.
    let confirmed = RwSignal::new(None::<(Option<i64>, String, bool)>);
    let balance = RwSignal::new(None::<i64>);
    let customer_id = invoice.customer_id;
    leptos::task::spawn_local(async move {
        let query = okno_api_types::billing::AccountQuery::default();
        if let Ok(account) = api::call(session, async |client| {
            client.customer_account(customer_id, &query).await
        })
        .await
        {
            balance.set(Some(account.balance_minor));
        }
    });
    // The gross the note adds to the invoice: each line's new gross less its old; all of it
    // back when the invoice is cancelled. `None` while an amount does not read.
    let effect = Signal::derive(move || {
        let gross = |net: i64, rate: i32| net.saturating_add(okno_domain::money::vat(net, rate));
        inputs.with_value(|inputs| {
            inputs
                .iter()
                .zip(&rates)
                .try_fold(0_i64, |sum, ((_, _, before, value), rate)| {
                    let after = if cancel.get() {
                        0
                    } else {
                        format::parse_money(&value.get())?
                    };
                    Some(sum.saturating_add(gross(after, *rate) - gross(*before, *rate)))
                })
        })
    });
    let shown = move || (effect.get(), reason.get(), cancel.get());
    let confirming = Memo::new(move |_| confirmed.with(|c| c.as_ref() == Some(&shown())));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !confirming.get_untracked() {
            if effect.get_untracked().is_some() || cancel.get_untracked() {
                confirmed.set(Some(untrack(shown)));
            } else {
                bad.set(inputs.with_value(|inputs| {
                    inputs
                        .iter()
                        .enumerate()
                        .filter(|(_, (_, _, _, v))| {
                            format::parse_money(&v.get_untracked()).is_none()
                        })
                        .map(|(index, _)| index)
                        .collect()
                }));
            }
            return;
        }
        let mut lines = Vec::new();
        let mut wrong = Vec::new();
        inputs.with_value(|inputs| {
            for (index, (line_id, _, before, value)) in inputs.iter().enumerate() {
                match format::parse_money(&value.get_untracked()) {
                    Some(after) if after != *before => lines.push(LineCorrection {
                        line_id: *line_id,
                        net_after_minor: after,
                    }),
                    Some(_) => {}
                    None => wrong.push(index),
                }
            }
        });
        bad.set(wrong.clone());
        if !wrong.is_empty() && !cancel.get_untracked() {
            return;
        }
        let request = if cancel.get_untracked() {
            NewCorrection {
                reason: reason.get_untracked(),
                lines: vec![],
                cancel: true,
            }
        } else {
            NewCorrection {
                reason: reason.get_untracked(),
                lines,
                cancel: false,
            }
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.correct_invoice(id, &request).await
            })
            .await;
            busy.set(false);
            confirmed.set(None);
            match result {
                Ok(note) => {
                    toasts.success(td_string!(
                        i18n.get_locale_untracked(),
                        invoices.corrected,
                        number = note.number.clone()
                    ));
                    // Not when the page was left meanwhile.
                    navigate.try_with_value(|n| {
                        n(&format!("/invoices/{}", note.id), Default::default())
                    });
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    view! {
        <form class="panel form action-form" on:submit=submit novalidate data-testid="correction-form">
            <h2>{tr(|l| td_string!(l, invoices.new_correction))}</h2>
            <p class="muted">{tr(|l| td_string!(l, invoices.correction_hint))}</p>
            {move || error_of(failure, "lines").get().map(|e| view! { <p class="field-error">{e}</p> })}
            <Show when=move || !cancel.get()>
                <table class="table table-compact">
                    <thead>
                        <tr>
                            <th>{tr(|l| td_string!(l, invoices.description))}</th>
                            <th class="num">{tr(|l| td_string!(l, invoices.before))}</th>
                            <th class="num">{tr(|l| td_string!(l, invoices.after))}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {inputs
                            .get_value()
                            .into_iter()
                            .enumerate()
                            .map(|(index, (_, description, before, value))| {
                                let currency = currency.clone();
                                let error = error_at(failure, format!("lines[{index}].net_after_minor"));
                                view! {
                                    <tr>
                                        <td>{description}</td>
                                        <td class="num nowrap">{move || format::money(before, &currency, language(i18n.get_locale()))}</td>
                                        <td class="num">
                                            <input
                                                class="amount"
                                                name=format!("line-{index}")
                                                aria-label=move || t_string!(i18n, invoices.after)
                                                aria-invalid=move || bad.with(|b| b.contains(&index)).then_some("true")
                                                prop:value=move || value.get()
                                                on:input=move |ev| value.set(event_target_value(&ev))
                                            />
                                            {move || bad.with(|b| b.contains(&index)).then(|| view! { <p class="field-error">{t_string!(i18n, price_list.invalid_amount)}</p> })}
                                            {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </Show>
            <Checkbox label=label(|l| td_string!(l, invoices.cancel_all)) checked=cancel name="cancel" />
            <TextArea label=label(|l| td_string!(l, invoices.reason)) value=reason name="reason" required=true error=error_of(failure, "reason") />
            <Show when=move || confirming.get()>
                <p class="warning" role="alert" data-testid="correction-effect">
                    {
                        let (currency, number) = (currency_for_effect.clone(), number.clone());
                        move || {
                            let lang = language(i18n.get_locale());
                            let change = effect.get().unwrap_or(0);
                            let note = format::money(change, &currency, lang);
                            match balance.get() {
                                // The note's gross moves the balance the other way: a lower
                                // invoice is money back.
                                Some(now) => t_string!(i18n, invoices.correction_effect_balance, amount = note, number = number.clone(), balance = format::money(now.saturating_sub(change), &currency, lang)).to_string(),
                                None => t_string!(i18n, invoices.correction_effect, amount = note, number = number.clone()).to_string(),
                            }
                        }
                    }
                </p>
            </Show>
            <div class="form-actions">
                <Show when=move || confirming.get()>
                    <button type="button" class="button-quiet" on:click=move |_| confirmed.set(None)>{tr(|l| td_string!(l, common.cancel))}</button>
                </Show>
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="issue-correction">
                    {move || if confirming.get() { t_string!(i18n, invoices.confirm_correction).to_string() } else { t_string!(i18n, invoices.issue_correction).to_string() }}
                </button>
            </div>
        </form>
    }
}
