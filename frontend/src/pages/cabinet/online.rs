//! Paying online from the cabinet: an invoice or a top-up opens the payment gateway's
//! page; the page the gateway sends the subscriber back to waits for the gateway's own word
//! that the money arrived, which is what registers the payment.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use okno_api_types::online_payments::{
    CheckoutPurpose, CheckoutStatus, NewOnlinePayment, OnlinePayment, OnlinePayments,
};
use okno_domain::format;

use crate::api::{self, Failure};
use crate::components::forms::{AmountField, Field};
use crate::components::status::Loaded;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::tr;
use crate::session::{Session, use_session};
use crate::time::language;

/// How often the return page asks whether the gateway has confirmed, and for how long.
const POLL_MILLISECONDS: u32 = 1_500;
const POLL_TIMES: u32 = 40;

/// What the cabinet knows of online payments: loaded once per page, shared by the invoices
/// and the account panels.
#[derive(Clone, Copy)]
pub struct OnlineOffer(RwSignal<Option<OnlinePayments>>);

impl OnlineOffer {
    pub fn provide() -> Self {
        let session = use_session();
        let offer = Self(RwSignal::new(None));
        leptos::task::spawn_local(async move {
            if let Ok(loaded) =
                api::call(session, async |client| client.my_online_payments().await).await
            {
                offer.0.set(Some(loaded));
            }
        });
        provide_context(offer);
        offer
    }

    fn available() -> Signal<bool> {
        let offer = use_context::<Self>();
        Signal::derive(move || {
            offer.is_some_and(|o| o.0.with(|o| o.as_ref().is_some_and(|o| o.available)))
        })
    }
}

/// Opens the gateway's page for `request`; the subscriber leaves the cabinet for it.
async fn start(session: Session, request: NewOnlinePayment) -> Result<OnlinePayment, Failure> {
    let started = api::call(session, async move |client| {
        client.start_my_online_payment(&request).await
    })
    .await?;
    if let Some(url) = &started.checkout_url {
        let _ = window().location().assign(url);
    }
    Ok(started)
}

/// "Pay online" beside an invoice with something still to pay.
#[component]
pub fn PayInvoiceOnline(invoice_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let available = OnlineOffer::available();
    let pay = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            if let Err(failure) = start(session, NewOnlinePayment::Invoice { invoice_id }).await {
                toasts.failure(i18n.get_locale_untracked(), &failure);
                busy.set(false);
            }
        });
    };
    view! {
        <Show when=move || available.get()>
            <button class="button-small" disabled=move || busy.get() on:click=pay data-testid="pay-online">
                {move || if busy.get() { t_string!(i18n, online.opening).to_owned() } else { t_string!(i18n, online.pay_invoice).to_owned() }}
            </button>
        </Show>
    }
}

/// A top-up of the account at the gateway, within the operator's bounds.
#[component]
pub fn TopUpOnline() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let available = OnlineOffer::available();
    let failure = RwSignal::new(None::<Failure>);
    let amount = AmountField::new(failure, "amount_minor");
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(minor) = amount.read(form) else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            if let Err(error) = start(
                session,
                NewOnlinePayment::TopUp {
                    amount_minor: minor,
                },
            )
            .await
            {
                busy.set(false);
                toasts.form_failure(i18n.get_locale_untracked(), failure, error);
            }
        });
    };
    view! {
        <Show when=move || available.get()>
            <form class="form top-up" node_ref=form on:submit=submit data-testid="top-up" novalidate>
                <h3>{tr(|l| td_string!(l, online.top_up_title))}</h3>
                <div class="row">
                    <Field label=Signal::derive(move || t_string!(i18n, payments.amount).to_owned()) value=amount.text error=amount.error name="amount_minor" autocomplete="off" placeholder=Signal::derive(|| "100,00".to_owned()) hint=Signal::derive(move || t_string!(i18n, online.top_up_hint).to_owned()) />
                    <button type="submit" class="button-small" disabled=move || busy.get() data-testid="top-up-button">{tr(|l| td_string!(l, online.top_up))}</button>
                </div>
            </form>
        </Show>
    }
}

/// `/cabinet/online-payments/:id`: where the gateway sends the subscriber back. It shows what
/// the server knows, asking again while the gateway's confirmation is on its way.
#[component]
pub fn OnlinePaymentReturn() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let payment = RwSignal::new(None::<Result<OnlinePayment, Failure>>);
    let gave_up = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        let Some(id) = id else {
            return;
        };
        for _ in 0..POLL_TIMES {
            let loaded = api::call(session, async move |client| {
                client.my_online_payment(id).await
            })
            .await;
            let waiting = matches!(&loaded, Ok(p) if p.status == CheckoutStatus::Open);
            payment.set(Some(loaded));
            if !waiting {
                return;
            }
            gloo_timers::future::TimeoutFuture::new(POLL_MILLISECONDS).await;
        }
        gave_up.set(true);
    });
    view! {
        <section class="page" data-testid="online-payment">
            <div class="panel">
                <h1>{tr(|l| td_string!(l, online.title))}</h1>
                <Loaded value=move || payment.get() let:p>
                    <OnlinePaymentState payment=p gave_up=gave_up />
                </Loaded>
                {id.is_none().then(|| view! { <p>{tr(|l| td_string!(l, online.unknown))}</p> })}
                <p><a class="button" href="/cabinet" data-testid="back-to-cabinet">{tr(|l| td_string!(l, online.back))}</a></p>
            </div>
        </section>
    }
}

#[component]
fn OnlinePaymentState(payment: OnlinePayment, gave_up: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let amount = {
        let currency = payment.currency.clone();
        Signal::derive(move || {
            format::money(payment.amount_minor, &currency, language(i18n.get_locale()))
        })
    };
    let what = {
        let number = payment.invoice.as_ref().map(|i| i.number.clone());
        move || match (payment.purpose, number.clone()) {
            (CheckoutPurpose::Invoice, Some(number)) => {
                t_string!(i18n, online.for_invoice, number = number).to_string()
            }
            _ => t_string!(i18n, online.for_top_up).to_string(),
        }
    };
    let status = payment.status;
    view! {
        <p class="document-title">{what} " · " <strong>{amount}</strong></p>
        <p role="status" aria-live="polite" data-testid="online-status" data-status=status.as_str()>
            {move || match status {
                CheckoutStatus::Paid => t_string!(i18n, online.paid, amount = amount.get()).to_string(),
                CheckoutStatus::Open if gave_up.get() => t_string!(i18n, online.still_waiting).to_string(),
                CheckoutStatus::Open => t_string!(i18n, online.waiting).to_string(),
                CheckoutStatus::Expired => t_string!(i18n, online.expired).to_string(),
                CheckoutStatus::Failed => t_string!(i18n, online.failed).to_string(),
            }}
        </p>
    }
}
