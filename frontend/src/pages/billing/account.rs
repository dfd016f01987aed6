//! The account on the customer card: the balance, prepaid services with the day the balance
//! runs out, the latest entries, and the way to all the customer's invoices.

use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::Permission;
use okno_api_types::billing::{Account, AccountQuery};
use okno_domain::format;

use crate::api::{self, Failure};
use crate::components::status::{Empty, Loaded};
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::pages::payments::{RedeemCard, TakePayment};
use crate::session::use_session;
use crate::time::{self, language};

/// The balance, the prepaid services and the latest entries; `invoice_link` makes the
/// invoices of the entries links (staff) and `customer_id` the link to all invoices.
#[component]
pub fn AccountSummary(account: Account, #[prop(optional)] staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let currency = account.currency.clone();
    let balance = account.balance_minor;
    let money = move |minor: i64| format::money(minor, &currency, language(i18n.get_locale()));
    let money_entries = money.clone();
    view! {
        <p class="balance" class:overdue=balance < 0 data-testid="balance">
            {move || if balance < 0 { t_string!(i18n, account.owes) } else { t_string!(i18n, account.credit) }}
            " "
            <strong>{move || money(balance.abs())}</strong>
        </p>
        {account.pay_to.clone().map(|iban| view! {
            <p class="small" data-testid="pay-to">
                {tr(|l| td_string!(l, account.pay_to))} " " <span class="mono">{iban}</span>
            </p>
        })}
        {account
            .prepaid
            .into_iter()
            .map(|p| view! {
                <p class="prepaid" data-testid="prepaid">
                    <strong>{p.tariff_name.clone()}</strong>
                    ": "
                    {move || match p.covered_until {
                        Some(day) => t_string!(i18n, account.covered_until, date = time::day(day, i18n.get_locale())),
                        None => t_string!(i18n, account.not_covered).to_owned(),
                    }}
                </p>
            })
            .collect_view()}
        {if account.entries.is_empty() {
            view! { <Empty text=|l| td_string!(l, account.no_entries) /> }.into_any()
        } else {
            view! {
                <table class="table table-compact" data-testid="entries">
                    <tbody>
                        {account
                            .entries
                            .into_iter()
                            .map(|e| {
                                let money = money_entries.clone();
                                let money_after = money_entries.clone();
                                let booked = e.booked_on;
                                view! {
                                    <tr>
                                        // The day above the text, not beside it: two columns fit a phone.
                                        <td>
                                            <span class="muted small">{move || time::day(booked, i18n.get_locale())}</span>
                                            <br />
                                            {move || labels::entry_kind(i18n.get_locale(), e.kind)}
                                            " "
                                            {e.invoice.clone().map(|inv| if staff {
                                                view! { <A href=format!("/invoices/{}", inv.id)>{inv.number}</A> }.into_any()
                                            } else {
                                                view! { <span>{inv.number}</span> }.into_any()
                                            })}
                                        </td>
                                        // One convention wherever a customer's money is shown: what
                                        // they owe positive (an invoice), a credit negative and
                                        // marked (a payment, a correction note that lowers a bill).
                                        <td class="num nowrap" class:credit={e.amount_minor > 0}>
                                            {money(-e.amount_minor)}
                                            <br />
                                            <span class="muted small" data-testid="balance-after">{money_after(-e.balance_after_minor)}</span>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }}
    }
}

#[component]
pub fn AccountPanel(customer_id: i64) -> impl IntoView {
    let session = use_session();
    let account = RwSignal::new(None::<Result<Account, Failure>>);
    let version = RwSignal::new(0_u32);
    Effect::new(move |_| {
        version.track();
        leptos::task::spawn_local(async move {
            let query = AccountQuery {
                limit: Some(8),
                cursor: None,
            };
            account.set(Some(
                api::call(session, async |client| {
                    client.customer_account(customer_id, &query).await
                })
                .await,
            ));
        });
    });
    let currency = move || {
        account.with(|a| match a {
            Some(Ok(a)) => a.currency.clone(),
            _ => "PLN".to_owned(),
        })
    };
    view! {
        <div class="panel" data-testid="account">
            <div class="panel-head">
                <h2>{tr(|l| td_string!(l, account.title))}</h2>
                <A href=format!("/invoices?customer_id={customer_id}") attr:class="button-small">{tr(|l| td_string!(l, account.all_invoices))}</A>
            </div>
            <Loaded value=move || account.get() let:a>
                <AccountSummary account=a staff=true />
            </Loaded>
            <Show when=move || session.has(Permission::PaymentsRegister)>
                <TakePayment customer_id=customer_id currency=untrack(currency) on_taken=Callback::new(move |()| version.update(|v| *v += 1)) />
                <RedeemCard customer_id=customer_id on_redeemed=Callback::new(move |()| version.update(|v| *v += 1)) />
            </Show>
        </div>
    }
}
