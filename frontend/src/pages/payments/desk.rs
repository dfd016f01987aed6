//! The cashier's desk: open the till with a float, see what it holds, the payments
//! taken into it with their receipts, and close it with the cash counted; and the till
//! reports a manager reads.

use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::payments::{NewTill, Payment, PaymentQuery, Till, TillClosing, TillQuery};
use okno_api_types::{ErrorCode, Page};
use okno_domain::format;

use crate::api::{self, Failure};
use crate::components::forms::{Field, checked, error_of, focus_first_invalid};
use crate::components::status::{Empty, FailureNote, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::use_session;
use crate::time::{self, language};

use super::take::PaymentOutcome;

/// What a count differs from what was expected, in words: balanced, short or over.
fn difference_text(locale: Locale, difference: i64, currency: &str) -> String {
    let amount = format::money(difference.abs(), currency, language(locale));
    match difference.signum() {
        0 => td_string!(locale, till.balanced).to_owned(),
        -1 => td_string!(locale, till.short, amount = amount).to_string(),
        _ => td_string!(locale, till.over, amount = amount).to_string(),
    }
}

#[component]
pub fn TillDesk() -> impl IntoView {
    let session = use_session();
    let version = RwSignal::new(0_u32);
    // `Some(None)`: no till of the cashier's is open.
    let till = RwSignal::new(None::<Result<Option<Till>, Failure>>);
    Effect::new(move |_| {
        version.track();
        leptos::task::spawn_local(async move {
            let current = api::call(session, async |client| client.current_till().await).await;
            till.set(Some(match current {
                Ok(t) => Ok(Some(t)),
                Err(f)
                    if f.problem()
                        .is_some_and(|p| p.code == ErrorCode::TillNotFound) =>
                {
                    Ok(None)
                }
                Err(f) => Err(f),
            }));
        });
    });
    let reload = Callback::new(move |()| version.update(|v| *v += 1));
    view! {
        <section class="page" data-testid="till-desk">
            <div class="page-head">
                <h1>{tr(|l| td_string!(l, till.title))}</h1>
            </div>
            <p class="muted">{tr(|l| td_string!(l, till.find_hint))}</p>
            {move || match till.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(f)) => view! { <FailureNote failure=f /> }.into_any(),
                Some(Ok(None)) => view! { <OpenTill on_opened=reload /> }.into_any(),
                Some(Ok(Some(t))) => view! { <OpenTillView till=t on_closed=reload /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn OpenTill(#[prop(into)] on_opened: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let float = RwSignal::new(String::from("0,00"));
    let bad = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let form = NodeRef::<leptos::html::Form>::new();
    let error = checked(
        move || bad.get(),
        |l| td_string!(l, payments.amount_invalid),
        error_of(failure, "float_minor"),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(minor) = format::parse_money(&float.get_untracked()).filter(|m| *m >= 0) else {
            bad.set(true);
            focus_first_invalid(form);
            return;
        };
        bad.set(false);
        let request = NewTill {
            float_minor: minor,
            currency: None,
        };
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| client.open_till(&request).await).await {
                Ok(_) => {
                    toasts.success(td_string!(i18n.get_locale_untracked(), till.opened_done));
                    on_opened.run(());
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    view! {
        <form class="form panel" node_ref=form on:submit=submit data-testid="open-till" novalidate>
            <p>{tr(|l| td_string!(l, till.closed_none))}</p>
            <Field label=Signal::derive(move || t_string!(i18n, till.float).to_owned()) value=float error=error name="float" required=true />
            <button type="submit" class="button" data-testid="open-till-button">{tr(|l| td_string!(l, till.open))}</button>
        </form>
    }
}

/// The open till: its figures, the payments taken and the closing.
#[component]
fn OpenTillView(till: Till, #[prop(into)] on_closed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let payments = RwSignal::new(None::<Result<Page<Payment>, Failure>>);
    let till_id = till.id;
    leptos::task::spawn_local(async move {
        let query = PaymentQuery {
            till_id: Some(till_id),
            limit: Some(100),
            ..Default::default()
        };
        payments.set(Some(
            api::call(session, async |client| client.payments(&query).await).await,
        ));
    });
    let currency = till.currency.clone();
    view! {
        <TillFigures till=till.clone() />
        <div class="panel" data-testid="till-payments">
            <h2>{tr(|l| td_string!(l, till.payments))}</h2>
            {move || match payments.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(f)) => view! { <FailureNote failure=f /> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <Empty text=|l| td_string!(l, payments.none) /> }.into_any(),
                Some(Ok(page)) => view! {
                    <ul class="documents">
                        {page.items.into_iter().map(|p| {
                            let (method, customer, amount, currency) = (p.method, p.customer_id, p.amount_minor, p.currency.clone());
                            let account_number = p.account_number.clone();
                            view! {
                                <li class="document" data-testid="till-payment">
                                    <div>
                                        <p class="document-title">
                                            <A href=format!("/customers/{customer}")>{account_number}</A>
                                            " · " {move || labels::payment_method(i18n.get_locale(), method)}
                                            " · " <strong>{move || format::money(amount, &currency, language(i18n.get_locale()))}</strong>
                                        </p>
                                        <PaymentOutcome payment=p />
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </div>
        <CloseTill till_id=till.id expected=till.expected_cash_minor currency=currency on_closed=on_closed />
    }
}

/// A figure's name in the interface language.
type Label = fn(Locale) -> &'static str;

#[component]
fn TillFigures(till: Till) -> impl IntoView {
    let i18n = use_i18n();
    let currency = till.currency.clone();
    let money = move |minor: i64| format::money(minor, &currency, language(i18n.get_locale()));
    let opened = till.opened_at;
    let rows: Vec<(Label, i64, &'static str)> = vec![
        (|l| td_string!(l, till.float), till.float_minor, "float"),
        (|l| td_string!(l, till.cash), till.cash_minor, "cash"),
        (|l| td_string!(l, till.card), till.card_minor, "card"),
        (
            |l| td_string!(l, till.expected),
            till.expected_cash_minor,
            "expected",
        ),
    ];
    view! {
        <div class="panel" data-testid="till">
            <h2>{till.sales_point_name.clone()} " · " {till.cashier_name.clone()}</h2>
            <p class="muted small">{tr(|l| td_string!(l, till.opened))} " " {move || time::date_time(opened, i18n.get_locale())}</p>
            <dl class="facts">
                {rows.into_iter().map(|(label, amount, id)| {
                    let money = money.clone();
                    view! {
                        <dt>{move || label(i18n.get_locale())}</dt>
                        <dd class="num" data-testid=format!("till-{id}")>{move || money(amount)}</dd>
                    }
                }).collect_view()}
            </dl>
        </div>
    }
}

/// Closing states what the count means before it is done: a closed till is final.
#[component]
fn CloseTill(
    till_id: i64,
    expected: i64,
    currency: String,
    #[prop(into)] on_closed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let counted = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let bad = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    // The count the closing was confirmed for; a count changed since asks again.
    let confirmed = RwSignal::new(None::<i64>);
    let form = NodeRef::<leptos::html::Form>::new();
    let error = checked(
        move || bad.get(),
        |l| td_string!(l, payments.amount_invalid),
        error_of(failure, "counted_minor"),
    );
    let read = move || format::parse_money(&counted.get()).filter(|m| *m >= 0);
    let question = {
        let currency = currency.clone();
        move || {
            let locale = i18n.get_locale();
            let count = read()?;
            let money = |m: i64| format::money(m, &currency, language(locale));
            Some(
                td_string!(
                    locale,
                    till.close_confirm,
                    counted = money(count),
                    expected = money(expected),
                    difference = difference_text(locale, count.saturating_sub(expected), &currency)
                )
                .to_string(),
            )
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(count) = format::parse_money(&counted.get_untracked()).filter(|m| *m >= 0) else {
            bad.set(true);
            focus_first_invalid(form);
            return;
        };
        bad.set(false);
        if confirmed.get_untracked() != Some(count) {
            confirmed.set(Some(count));
            return;
        }
        let closing = TillClosing {
            counted_minor: count,
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.close_till(till_id, &closing).await
            })
            .await;
            busy.set(false);
            confirmed.set(None);
            match result {
                Ok(_) => {
                    toasts.success(td_string!(i18n.get_locale_untracked(), till.closed_done));
                    on_closed.run(());
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    let confirming = move || confirmed.get().is_some() && confirmed.get() == read();
    view! {
        <form class="form panel" node_ref=form on:submit=submit data-testid="close-till" novalidate>
            <h2>{tr(|l| td_string!(l, till.close))}</h2>
            <Field label=Signal::derive(move || t_string!(i18n, till.counted).to_owned()) value=counted error=error name="counted" required=true />
            <Field label=Signal::derive(move || t_string!(i18n, till.note).to_owned()) value=note error=error_of(failure, "note") name="note" />
            <Show when=confirming>
                <p class="confirm" role="alert" data-testid="close-question"><strong>{question.clone()}</strong></p>
            </Show>
            <div class="row">
                <Show when=confirming>
                    <button type="button" class="button-quiet" on:click=move |_| confirmed.set(None)>{tr(|l| td_string!(l, common.cancel))}</button>
                </Show>
                <button type="submit" class="button" class:button-danger=confirming disabled=move || busy.get() data-testid="close-till-button">
                    {move || if confirming() { t_string!(i18n, actions.confirm) } else { t_string!(i18n, till.close) }}
                </button>
            </div>
        </form>
    }
}

/// The till reports: each till with its figures and, once closed, the difference.
#[component]
pub fn TillsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let tills = RwSignal::new(None::<Result<Page<Till>, Failure>>);
    leptos::task::spawn_local(async move {
        let query = TillQuery {
            limit: Some(100),
            ..Default::default()
        };
        tills.set(Some(
            api::call(session, async |client| client.tills(&query).await).await,
        ));
    });
    view! {
        <section class="page" data-testid="tills">
            <div class="page-head"><h1>{tr(|l| td_string!(l, till.reports))}</h1></div>
            {move || match tills.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(f)) => view! { <FailureNote failure=f /> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <Empty text=|l| td_string!(l, till.none) /> }.into_any(),
                Some(Ok(page)) => view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="till-table">
                            <thead>
                                <tr>
                                    <th>{tr(|l| td_string!(l, till.opened))}</th>
                                    <th>{tr(|l| td_string!(l, till.cashier))}</th>
                                    <th class="hide-narrow">{tr(|l| td_string!(l, till.sales_point))}</th>
                                    <th class="num hide-narrow">{tr(|l| td_string!(l, till.cash))}</th>
                                    <th class="num hide-narrow">{tr(|l| td_string!(l, till.card))}</th>
                                    <th class="num">{tr(|l| td_string!(l, till.expected))}</th>
                                    <th class="num">{tr(|l| td_string!(l, till.difference))}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {page.items.into_iter().map(|t| {
                                    let currency = t.currency.clone();
                                    let money = move |m: i64| format::money(m, &currency, language(i18n.get_locale()));
                                    let (m1, m2, m3) = (money.clone(), money.clone(), money.clone());
                                    let (opened, cash, card, expected, difference) = (t.opened_at, t.cash_minor, t.card_minor, t.expected_cash_minor, t.difference_minor);
                                    let currency = t.currency.clone();
                                    view! {
                                        <tr data-testid="till-row">
                                            <td class="nowrap">{move || time::date_time(opened, i18n.get_locale())}</td>
                                            <td>{t.cashier_name.clone()}</td>
                                            <td class="hide-narrow">{t.sales_point_name.clone()}</td>
                                            <td class="num nowrap hide-narrow">{move || m1(cash)}</td>
                                            <td class="num nowrap hide-narrow">{move || m2(card)}</td>
                                            <td class="num nowrap">{move || m3(expected)}</td>
                                            <td class="num nowrap" class:overdue={difference.is_some_and(|d| d < 0)} data-testid="till-difference">
                                                {move || difference.map_or_else(|| t_string!(i18n, till.still_open).to_owned(), |d| difference_text(i18n.get_locale(), d, &currency))}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
