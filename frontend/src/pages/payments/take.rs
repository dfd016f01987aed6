//! Taking a payment on the customer card: the amount, how it was paid and a
//! note; registered once however often the button is pressed or the network fails, and
//! answered with what it paid and its receipt.

use leptos::prelude::*;
use okno_api_types::Permission;
use okno_api_types::payments::{NewPayment, Payment, PaymentMethod};
use okno_domain::format;

use crate::api::{self, Failure};
use crate::components::download::open_pdf;
use crate::components::forms::{AmountField, Field, Select, enum_options, error_of};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::use_session;
use crate::time::language;

/// A fresh `Idempotency-Key`: the time and a random part, unique per payment taken.
fn new_key() -> String {
    let random = js_sys::Math::random().to_bits();
    format!("okno-{}-{random:x}", js_sys::Date::now().to_bits())
}

/// The methods a staff member takes at a desk: cash and card at a till, transfers seen on
/// a statement otherwise.
fn desk_methods(at_till: bool) -> Vec<PaymentMethod> {
    if at_till {
        vec![
            PaymentMethod::Cash,
            PaymentMethod::Card,
            PaymentMethod::Transfer,
        ]
    } else {
        vec![PaymentMethod::Transfer, PaymentMethod::Card]
    }
}

#[component]
pub fn TakePayment(
    customer_id: i64,
    currency: String,
    /// Called once a payment is registered, to show the account again.
    #[prop(into)]
    on_taken: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let at_till = session.has(Permission::TillOperate);
    let method = RwSignal::new(
        desk_methods(at_till)
            .first()
            .map(|m| m.as_str().to_owned())
            .unwrap_or_default(),
    );
    let reference = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let amount = AmountField::new(failure, "amount_minor");
    let busy = RwSignal::new(false);
    let taken = RwSignal::new(None::<Payment>);
    // The key goes with what was sent: the same payment sent again (a lost answer, a second
    // press) keeps its key and is registered once; a changed one gets a new key.
    let sent = StoredValue::new(None::<(NewPayment, String)>);
    let form = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(minor) = amount.read(form) else {
            return;
        };
        let payment = NewPayment {
            customer_id: Some(customer_id),
            account_number: None,
            amount_minor: minor,
            currency: currency.clone(),
            method: method
                .get_untracked()
                .parse()
                .unwrap_or(PaymentMethod::Transfer),
            payer_reference: Some(reference.get_untracked()).filter(|r| !r.trim().is_empty()),
            external_reference: None,
            invoice_id: None,
            received_at: None,
        };
        let key = sent
            .get_value()
            .filter(|(before, _)| *before == payment)
            .map_or_else(new_key, |(_, key)| key);
        sent.set_value(Some((payment.clone(), key.clone())));
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.register_payment(&payment, Some(&key)).await
            })
            .await;
            busy.set(false);
            match result {
                Ok(registered) => {
                    failure.set(None);
                    sent.set_value(None);
                    amount.text.set(String::new());
                    reference.set(String::new());
                    let locale = i18n.get_locale_untracked();
                    toasts.success(td_string!(
                        locale,
                        payments.registered,
                        amount = format::money(
                            registered.amount_minor,
                            &registered.currency,
                            language(locale)
                        )
                    ));
                    taken.set(Some(registered));
                    on_taken.run(());
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    view! {
        <form class="form take-payment" node_ref=form on:submit=submit data-testid="take-payment" novalidate>
            <h3>{tr(|l| td_string!(l, payments.take))}</h3>
            <div class="row">
                <Field label=Signal::derive(move || t_string!(i18n, payments.amount).to_owned()) value=amount.text error=amount.error name="amount" input_type="text" required=true placeholder=Signal::derive(|| "61,49".to_owned()) />
                <Select label=Signal::derive(move || t_string!(i18n, payments.method).to_owned()) value=method options=enum_options(desk_methods(at_till), labels::payment_method) name="method" />
            </div>
            <Field label=Signal::derive(move || t_string!(i18n, payments.reference).to_owned()) value=reference error=error_of(failure, "payer_reference") name="reference" />
            <button type="submit" class="button" disabled=move || busy.get() data-testid="register-payment">{tr(|l| td_string!(l, payments.register))}</button>
            {move || taken.get().map(|p| view! { <PaymentOutcome payment=p /> })}
        </form>
    }
}

/// What a payment paid, what is left of it, and its receipt.
#[component]
pub fn PaymentOutcome(payment: Payment) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let currency = payment.currency.clone();
    let money = move |minor: i64| format::money(minor, &currency, language(i18n.get_locale()));
    let money_credit = money.clone();
    let credit = payment.credit_minor;
    let receipt_url = payment.receipt_url.clone();
    let file_name = format!("KP-{}.pdf", payment.id);
    let open = move |_| {
        let (url, name) = (receipt_url.clone(), file_name.clone());
        leptos::task::spawn_local(async move {
            if let Err(failure) = open_pdf(session, url, name).await {
                toasts.failure(i18n.get_locale_untracked(), &failure);
            }
        });
    };
    view! {
        <div class="outcome" data-testid="payment-outcome">
            <p><strong>{tr(|l| td_string!(l, payments.settled))}</strong></p>
            <ul>
                {payment
                    .allocations
                    .into_iter()
                    .map(|a| {
                        let money = money.clone();
                        view! {
                            <li data-testid="allocation">
                                {a.invoice.map_or_else(|| t_string!(i18n, payments.earlier_debt).to_owned(), |i| i.number)}
                                ": "
                                {move || money(a.amount_minor)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {(credit > 0).then(|| view! { <p data-testid="credit-left">{move || t_string!(i18n, payments.credit_left, amount = money_credit(credit))}</p> })}
            <button type="button" class="button-small" on:click=open data-testid="receipt">{tr(|l| td_string!(l, payments.receipt))}</button>
        </div>
    }
}

/// A prepaid card's code typed in: its value paid onto the customer's account (staff, with
/// `customer_id`) or onto the subscriber's own (the cabinet, without).
#[component]
pub fn RedeemCard(
    #[prop(optional)] customer_id: Option<i64>,
    #[prop(into)] on_redeemed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let code = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| match customer_id {
                Some(customer_id) => {
                    let redemption = okno_api_types::payments::CardRedemption {
                        code: typed.clone(),
                        customer_id,
                    };
                    client.redeem_card(&redemption).await
                }
                None => {
                    let redemption = okno_api_types::payments::MyCardRedemption {
                        code: typed.clone(),
                    };
                    client.redeem_my_card(&redemption).await
                }
            })
            .await;
            busy.set(false);
            match result {
                Ok(payment) => {
                    failure.set(None);
                    code.set(String::new());
                    let locale = i18n.get_locale_untracked();
                    toasts.success(td_string!(
                        locale,
                        cards.redeemed_done,
                        amount = format::money(
                            payment.amount_minor,
                            &payment.currency,
                            language(locale)
                        )
                    ));
                    on_redeemed.run(());
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    view! {
        <form class="form redeem-card" on:submit=submit data-testid="redeem-card" novalidate>
            <h3>{tr(|l| td_string!(l, cards.redeem))}</h3>
            <div class="row">
                <Field label=Signal::derive(move || t_string!(i18n, cards.code).to_owned()) value=code error=error_of(failure, "code") name="code" autocomplete="off" placeholder=Signal::derive(|| "1234 5678 9012 3456".to_owned()) />
                <button type="submit" class="button-small" disabled=move || busy.get() data-testid="redeem-button">{tr(|l| td_string!(l, cards.redeem_button))}</button>
            </div>
        </form>
    }
}
