//! `/payments`: payments, newest first, filtered by method and the days received; a payment
//! registered in error is reversed here, after the form says what that does.

use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::Permission;
use okno_api_types::payments::{NewPaymentReversal, Payment, PaymentMethod, PaymentQuery};
use okno_domain::format;

use crate::api::{self, Failure};
use crate::components::filter::EnumFilter;
use crate::components::forms::{Field, error_of};
use crate::components::paging::Pages;
use crate::components::status::{Empty, FailureNote, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::use_session;
use crate::time::{self, language};

const PAGE: u32 = 50;

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let method = RwSignal::new(String::new());
    let received_from = RwSignal::new(String::new());
    let received_to = RwSignal::new(String::new());
    // The payment whose reversal is being asked for.
    let reversing = RwSignal::new(None::<Payment>);
    let pages = Pages::<Payment>::new();
    let Pages {
        items,
        next,
        failure,
        loading,
        ..
    } = pages;
    let load = move |cursor: Option<String>| {
        let query = PaymentQuery {
            method: method.get_untracked().parse().ok(),
            received_from: received_from.get_untracked().parse().ok(),
            received_to: received_to.get_untracked().parse().ok(),
            limit: Some(PAGE),
            cursor: cursor.clone(),
            ..Default::default()
        };
        pages.load(
            cursor,
            api::call(session, async move |client| client.payments(&query).await),
        );
    };
    Effect::new(move |_| {
        method.track();
        received_from.track();
        received_to.track();
        load(None);
    });
    let can_reverse = session.has(Permission::PaymentsReverse);
    view! {
        <section class="page" data-testid="payments">
            <div class="page-head"><h1>{tr(|l| td_string!(l, payments.title))}</h1></div>
            <div class="filters">
                <EnumFilter label=|l| td_string!(l, payments.method) value=method values=PaymentMethod::all() name_of=labels::payment_method name="method" />
                <label class="filter">
                    <span>{tr(|l| td_string!(l, payments.received_from))}</span>
                    <input type="date" name="received_from" prop:value=move || received_from.get() on:change=move |ev| received_from.set(event_target_value(&ev)) />
                </label>
                <label class="filter">
                    <span>{tr(|l| td_string!(l, payments.received_to))}</span>
                    <input type="date" name="received_to" prop:value=move || received_to.get() on:change=move |ev| received_to.set(event_target_value(&ev)) />
                </label>
            </div>
            {move || failure.get().map(|f| view! { <FailureNote failure=f /> })}
            {move || reversing.get().map(|p| view! { <ReverseForm payment=p on_done=Callback::new(move |()| { reversing.set(None); load(None); }) on_cancel=Callback::new(move |()| reversing.set(None)) /> })}
            <Show
                when=move || !items.with(Vec::is_empty)
                fallback=move || view! {
                    <Show when=move || !loading.get() fallback=|| view! { <Loading /> }>
                        <Empty text=|l| td_string!(l, payments.none) />
                    </Show>
                }
            >
                <div class="table-wrap">
                    <table class="table" data-testid="payment-table">
                        <thead>
                            <tr>
                                <th>{tr(|l| td_string!(l, payments.received))}</th>
                                <th>{tr(|l| td_string!(l, payments.customer))}</th>
                                <th class="hide-narrow">{tr(|l| td_string!(l, payments.method))}</th>
                                <th class="num">{tr(|l| td_string!(l, payments.amount))}</th>
                                <th></th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || items.get() key=|p| (p.id, p.reversal.is_some()) let:payment>
                                {
                                    let received = payment.received_at;
                                    let method = payment.method;
                                    let reversed = payment.reversal.is_some();
                                    let shown = payment.clone();
                                    view! {
                                        <tr data-testid="payment-row" class:muted=reversed>
                                            <td class="nowrap">{move || time::date_time(received, i18n.get_locale())}</td>
                                            <td><A href=format!("/customers/{}", payment.customer_id)>{payment.account_number.clone()}</A></td>
                                            <td class="hide-narrow">{move || labels::payment_method(i18n.get_locale(), method)}</td>
                                            <td class="num nowrap">{move || format::money(payment.amount_minor, &payment.currency, language(i18n.get_locale()))}</td>
                                            <td>
                                                {reversed.then(|| view! { <span class="chip">{tr(|l| td_string!(l, payments.reversed))}</span> })}
                                                {(can_reverse && !reversed).then(|| view! {
                                                    <button class="button-small" data-testid="reverse" on:click=move |_| reversing.set(Some(shown.clone()))>{tr(|l| td_string!(l, payments.reverse))}</button>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }
                            </For>
                        </tbody>
                    </table>
                </div>
                <Show when=move || next.with(Option::is_some)>
                    <button class="button" disabled=move || loading.get() on:click=move |_| load(next.get_untracked())>{tr(|l| td_string!(l, common.more))}</button>
                </Show>
            </Show>
        </section>
    }
}

/// Reversal states its effect and asks for the reason before it is done.
#[component]
fn ReverseForm(
    payment: Payment,
    #[prop(into)] on_done: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let reason = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let id = payment.id;
    let amount = move || {
        format::money(
            payment.amount_minor,
            &payment.currency,
            language(i18n.get_locale()),
        )
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = NewPaymentReversal {
            reason: reason.get_untracked(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.reverse_payment(id, &request).await
            })
            .await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(td_string!(
                        i18n.get_locale_untracked(),
                        payments.reversed_done
                    ));
                    on_done.run(());
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    view! {
        <form class="form action-form panel" on:submit=submit data-testid="reverse-form" novalidate>
            <p><strong>{move || t_string!(i18n, payments.reverse_confirm, amount = amount())}</strong></p>
            <Field label=Signal::derive(move || t_string!(i18n, payments.reverse_reason).to_owned()) value=reason error=error_of(failure, "reason") name="reason" required=true />
            <div class="row">
                <button type="button" class="button-quiet" on:click=move |_| on_cancel.run(())>{tr(|l| td_string!(l, common.cancel))}</button>
                <button type="submit" class="button button-danger" disabled=move || busy.get() data-testid="confirm-reverse">{tr(|l| td_string!(l, payments.reverse))}</button>
            </div>
        </form>
    }
}
