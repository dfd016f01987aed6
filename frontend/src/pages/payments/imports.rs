//! `/payment-imports`: a bank statement imported (camt.053, MT940, or CSV by the bank's
//! saved mapping), each line and what became of it, and the queue of transfers no customer
//! could be told from, which staff assign here.

use base64::Engine;
use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::Page;
use okno_api_types::payments::{
    ImportLine, ImportLineQuery, ImportOutcome, LineAssignment, NewPaymentImport, PaymentImport,
};
use okno_domain::format;
use wasm_bindgen::JsCast;

use crate::api::{self, Failure};
use crate::components::forms::{Field, error_of};
use crate::components::status::{Empty, FailureNote, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::{Session, use_session};
use crate::time::{self, language};

/// The bytes of the file chosen in `input`, with its name.
async fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<(String, Vec<u8>)> {
    let file = input.files()?.get(0)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Some((file.name(), bytes))
}

#[component]
pub fn PaymentImports() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let bank = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<PaymentImport>);
    let version = RwSignal::new(0_u32);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(input) = file_input.get_untracked() else {
            return;
        };
        let input: web_sys::HtmlInputElement = input.unchecked_into();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let Some((file_name, bytes)) = chosen_file(&input).await else {
                busy.set(false);
                toasts
                    .error(td_string!(i18n.get_locale_untracked(), imports.choose_file).to_owned());
                return;
            };
            let request = NewPaymentImport {
                file_name,
                content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
                bank: Some(bank.get_untracked()).filter(|b| !b.trim().is_empty()),
            };
            let answer = api::call(session, async |client| {
                client.import_statement(&request).await
            })
            .await;
            busy.set(false);
            match answer {
                Ok(import) => {
                    failure.set(None);
                    toasts.success(td_string!(
                        i18n.get_locale_untracked(),
                        imports.done,
                        registered = import.registered,
                        unmatched = import.unmatched,
                        duplicates = import.duplicates
                    ));
                    result.set(Some(import));
                    version.update(|v| *v += 1);
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    let file_error = error_of(failure, "content_base64");
    view! {
        <section class="page" data-testid="payment-imports">
            <div class="page-head"><h1>{tr(|l| td_string!(l, imports.title))}</h1></div>
            <form class="form panel" on:submit=submit data-testid="import-form" novalidate>
                <div class="field" class:field-invalid=move || file_error.with(Option::is_some)>
                    <label for="statement-file">{tr(|l| td_string!(l, imports.file))}</label>
                    <input id="statement-file" name="file" type="file" accept=".xml,.sta,.mt940,.txt,.csv" node_ref=file_input aria-invalid=move || file_error.with(Option::is_some).then_some("true") />
                    <p class="field-hint">{tr(|l| td_string!(l, imports.file_hint))}</p>
                    <Show when=move || file_error.with(Option::is_some)>
                        <p class="field-error">{move || file_error.get()}</p>
                    </Show>
                </div>
                <Field label=Signal::derive(move || t_string!(i18n, imports.bank).to_owned()) value=bank error=error_of(failure, "bank") name="bank" />
                <button type="submit" class="button" disabled=move || busy.get() data-testid="import-button">{tr(|l| td_string!(l, imports.import))}</button>
            </form>
            {move || result.get().map(|import| view! {
                <div class="panel" data-testid="import-result">
                    <h2>{import.file_name.clone()}</h2>
                    <LinesTable lines=import.lines />
                </div>
            })}
            <UnmatchedQueue session=session version=version />
        </section>
    }
}

#[component]
fn LinesTable(lines: Vec<ImportLine>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="import-lines">
                <thead>
                    <tr>
                        <th>{tr(|l| td_string!(l, imports.booked))}</th>
                        <th>{tr(|l| td_string!(l, imports.line_title))}</th>
                        <th class="num">{tr(|l| td_string!(l, payments.amount))}</th>
                        <th>{tr(|l| td_string!(l, imports.outcome))}</th>
                    </tr>
                </thead>
                <tbody>
                    {lines.into_iter().map(|line| {
                        let (booked, outcome, amount, currency) = (line.booked_on, line.outcome, line.amount_minor, line.currency.clone());
                        view! {
                            <tr data-testid="import-line">
                                <td class="nowrap">{move || time::day(booked, i18n.get_locale())}</td>
                                <td>
                                    {line.title.clone()}
                                    {line.payer_name.clone().map(|p| view! { <br /><span class="muted small">{p}</span> })}
                                </td>
                                <td class="num nowrap">{move || format::money(amount, &currency, language(i18n.get_locale()))}</td>
                                <td>
                                    <span class="chip" class:overdue={outcome == ImportOutcome::Unmatched}>{move || labels::import_outcome(i18n.get_locale(), outcome)}</span>
                                    {line.customer_id.map(|c| view! { " " <A href=format!("/customers/{c}")>{tr(|l| td_string!(l, imports.open_customer))}</A> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Transfers no customer could be told from, each assigned by the account number typed.
#[component]
fn UnmatchedQueue(session: Session, version: RwSignal<u32>) -> impl IntoView {
    let queue = RwSignal::new(None::<Result<Page<ImportLine>, Failure>>);
    Effect::new(move |_| {
        version.track();
        leptos::task::spawn_local(async move {
            let query = ImportLineQuery {
                outcome: Some(ImportOutcome::Unmatched),
                limit: Some(100),
                cursor: None,
            };
            queue.set(Some(
                api::call(session, async |client| client.import_lines(&query).await).await,
            ));
        });
    });
    view! {
        <div class="panel" data-testid="unmatched">
            <h2>{tr(|l| td_string!(l, imports.unmatched))}</h2>
            {move || match queue.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(f)) => view! { <FailureNote failure=f /> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <Empty text=|l| td_string!(l, imports.none_unmatched) /> }.into_any(),
                Some(Ok(page)) => page.items.into_iter().map(|line| view! { <UnmatchedLine line=line version=version /> }).collect_view().into_any(),
            }}
        </div>
    }
}

#[component]
fn UnmatchedLine(line: ImportLine, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let account = RwSignal::new(String::new());
    let not_found = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let id = line.id;
    let (amount, currency, booked) = (line.amount_minor, line.currency.clone(), line.booked_on);
    let assign = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let digits: String = account
            .get_untracked()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        leptos::task::spawn_local(async move {
            let Some(customer) = api::customer_with_account(session, digits).await else {
                not_found.set(true);
                return;
            };
            not_found.set(false);
            let assignment = LineAssignment {
                customer_id: customer.id,
            };
            match api::call(session, async |client| {
                client.assign_import_line(id, &assignment).await
            })
            .await
            {
                Ok(_) => {
                    toasts.success(td_string!(
                        i18n.get_locale_untracked(),
                        imports.assigned,
                        name = customer.display_name.clone()
                    ));
                    version.update(|v| *v += 1);
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    let error = Signal::derive(move || {
        if not_found.get() {
            Some(t_string!(i18n, imports.no_such_account).to_owned())
        } else {
            error_of(failure, "customer_id").get()
        }
    });
    view! {
        <form class="form document" on:submit=assign data-testid="unmatched-line" novalidate>
            <p>
                <strong>{move || format::money(amount, &currency, language(i18n.get_locale()))}</strong>
                " · " {move || time::day(booked, i18n.get_locale())}
                " · " {line.title.clone()}
                {line.payer_name.clone().map(|p| view! { " · " <span class="muted">{p}</span> })}
            </p>
            {line.reason.clone().map(|r| view! { <p class="muted small">{r}</p> })}
            <div class="row">
                <Field label=Signal::derive(move || t_string!(i18n, imports.account_number).to_owned()) value=account error=error name="account" />
                <button type="submit" class="button-small" data-testid="assign">{tr(|l| td_string!(l, imports.assign))}</button>
            </div>
        </form>
    }
}
