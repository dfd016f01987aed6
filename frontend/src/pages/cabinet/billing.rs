//! The subscriber's money in the cabinet: balance, the day prepaid services run out,
//! and invoices of any month with their PDFs.

use leptos::prelude::*;
use okno_api_types::billing::{Account, AccountQuery, InvoiceKind, InvoiceSummary, MyInvoiceQuery};
use okno_api_types::payments::PaymentStatus;
use okno_domain::format;

use super::online::{PayInvoiceOnline, TopUpOnline};
use crate::api::{self, Failure};
use crate::components::download::open_pdf;
use crate::components::paging::Pages;
use crate::components::status::{Empty, FailureNote, Loaded};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::pages::billing::AccountSummary;
use crate::pages::payments::RedeemCard;
use crate::session::use_session;
use crate::time::{self, language};

/// The subscriber's account with its latest entries, loaded once for the page and again
/// after a prepaid card pays onto it.
pub fn load_my_account() -> RwSignal<Option<Result<Account, Failure>>> {
    let session = use_session();
    let account = RwSignal::new(None::<Result<Account, Failure>>);
    reload_my_account(session, account);
    account
}

fn reload_my_account(
    session: crate::session::Session,
    account: RwSignal<Option<Result<Account, Failure>>>,
) {
    leptos::task::spawn_local(async move {
        let query = AccountQuery {
            limit: Some(5),
            cursor: None,
        };
        account.set(Some(
            api::call(session, async |client| client.my_account(&query).await).await,
        ));
    });
}

#[component]
pub fn MyAccount(account: RwSignal<Option<Result<Account, Failure>>>) -> impl IntoView {
    let session = use_session();
    view! {
        <div class="panel" data-testid="my-account">
            <h2>{tr(|l| td_string!(l, account.title))}</h2>
            <Loaded value=move || account.get() let:a>
                <AccountSummary account=a />
            </Loaded>
            <TopUpOnline />
            <RedeemCard on_redeemed=Callback::new(move |()| reload_my_account(session, account)) />
        </div>
    }
}

/// The subscriber's invoices, each with what is still to pay of it.
#[component]
pub fn MyInvoices() -> impl IntoView {
    let session = use_session();
    let pages = Pages::<InvoiceSummary>::new();
    let Pages {
        items,
        next,
        failure,
        loading,
        ..
    } = pages;
    let load = move |cursor: Option<String>| {
        let query = MyInvoiceQuery {
            limit: Some(12),
            cursor: cursor.clone(),
            ..MyInvoiceQuery::default()
        };
        pages.load(
            cursor,
            api::call(session, async move |client| {
                client.my_invoices(&query).await
            }),
        );
    };
    load(None);
    view! {
        <div class="panel" data-testid="my-invoices">
            <h2>{tr(|l| td_string!(l, invoices.mine))}</h2>
            {move || failure.get().map(|f| view! { <FailureNote failure=f /> })}
            <Show when=move || !loading.get() && items.with(Vec::is_empty)>
                <Empty text=|l| td_string!(l, invoices.none) />
            </Show>
            <ul class="documents">
                {move || {
                    items
                        .get()
                        .into_iter()
                        .map(|invoice| view! { <MyInvoice invoice=invoice /> })
                        .collect_view()
                }}
            </ul>
            <Show when=move || next.with(Option::is_some)>
                <button class="button" disabled=move || loading.get() on:click=move |_| load(next.get_untracked())>{tr(|l| td_string!(l, common.more))}</button>
            </Show>
        </div>
    }
}

/// An invoice of the subscriber's, with what of it is still to pay: marked overdue after its
/// due date.
#[component]
fn MyInvoice(invoice: InvoiceSummary) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let url = format!("/api/v1/me/invoices/{}/pdf", invoice.id);
    let file_name = format!("{}.pdf", invoice.number.replace('/', "-"));
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
    let (due, kind) = (invoice.due_date, invoice.kind);
    let period = invoice.period.clone().and_then(|p| p.parse().ok());
    let currency_left = invoice.currency.clone();
    view! {
        <li class="document" data-testid="my-invoice">
            <div>
                <p class="document-title">
                    {move || labels::invoice_kind(i18n.get_locale(), kind)} " " <span class="mono">{invoice.number.clone()}</span>
                </p>
                <p class="muted small">
                    {move || period.map(|p| format!("{} · ", labels::month(i18n.get_locale(), p)))}
                    <strong>{move || format::money(invoice.gross_minor, &invoice.currency, language(i18n.get_locale()))}</strong>
                    {move || (kind == InvoiceKind::Invoice).then(|| format!(" · {}", t_string!(i18n, invoices.due_on, date = time::day(due, i18n.get_locale()))))}
                </p>
                {
                    let currency = currency_left.clone();
                    let overdue = invoice.payment_status == PaymentStatus::Overdue;
                    let to_pay = invoice.to_pay_minor;
                    (to_pay > 0 && kind == InvoiceKind::Invoice).then_some(to_pay).map(|left| view! {
                        <p class="small" class:overdue=overdue data-testid="to-pay">
                            {move || {
                                let amount = format::money(left, &currency, language(i18n.get_locale()));
                                if overdue {
                                    t_string!(i18n, invoices.overdue_to_pay, amount = amount).to_string()
                                } else {
                                    t_string!(i18n, invoices.left_to_pay, amount = amount).to_string()
                                }
                            }}
                        </p>
                    })
                }
            </div>
            <div class="document-actions">
                {(invoice.to_pay_minor > 0 && kind == InvoiceKind::Invoice).then(|| view! { <PayInvoiceOnline invoice_id=invoice.id /> })}
                <button class="button-small" disabled=move || busy.get() on:click=open data-testid="my-invoice-pdf">{tr(|l| td_string!(l, documents.open))}</button>
            </div>
        </li>
    }
}

/// The subscriber's payments, newest first, each with its receipt.
#[component]
pub fn MyPayments() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let payments = RwSignal::new(
        None::<Result<okno_api_types::Page<okno_api_types::payments::Payment>, Failure>>,
    );
    leptos::task::spawn_local(async move {
        let query = okno_api_types::PageQuery {
            limit: Some(12),
            cursor: None,
        };
        payments.set(Some(
            api::call(session, async |client| client.my_payments(&query).await).await,
        ));
    });
    view! {
        <div class="panel" data-testid="my-payments">
            <h2>{tr(|l| td_string!(l, payments.mine))}</h2>
            {move || match payments.get() {
                None => ().into_any(),
                Some(Err(f)) => view! { <FailureNote failure=f /> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <Empty text=|l| td_string!(l, payments.none) /> }.into_any(),
                Some(Ok(page)) => view! {
                    <ul class="documents">
                        {page.items.into_iter().map(|p| {
                            let (received, method, amount, currency) = (p.received_at, p.method, p.amount_minor, p.currency.clone());
                            let (url, name) = (p.receipt_url.clone(), format!("KP-{}.pdf", p.id));
                            let open = move |_| {
                                let (url, name) = (url.clone(), name.clone());
                                leptos::task::spawn_local(async move {
                                    if let Err(failure) = open_pdf(session, url, name).await {
                                        toasts.failure(i18n.get_locale_untracked(), &failure);
                                    }
                                });
                            };
                            view! {
                                <li class="document" data-testid="my-payment">
                                    <div>
                                        <p class="document-title"><strong>{move || format::money(amount, &currency, language(i18n.get_locale()))}</strong></p>
                                        <p class="muted small">{move || time::date_time(received, i18n.get_locale())} " · " {move || labels::payment_method(i18n.get_locale(), method)}</p>
                                    </div>
                                    <button class="button-small" on:click=open data-testid="my-receipt">{tr(|l| td_string!(l, payments.receipt))}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </div>
    }
}
