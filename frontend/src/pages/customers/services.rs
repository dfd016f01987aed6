//! The customer's contracts, documents and statutory benefits on the card: what they have,
//! what they were given on paper, and what discounts billing applies.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use okno_api_types::Permission;
use okno_api_types::contracts::{
    Benefit, BenefitKind, BenefitPatch, Contract, ContractQuery, Document, NewBenefit,
};
use okno_domain::format;

use crate::api::{self, Failure};
use crate::components::forms::{Field, Select, checked, enum_options, error_of};
use crate::components::status::LoadedList;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::{label, tr};
use crate::pages::contracts::{ContractTable, DocumentList, today};
use crate::session::use_session;
use crate::time::{self, language};

#[component]
pub fn CustomerContracts(customer_id: i64) -> impl IntoView {
    let session = use_session();
    let contracts = RwSignal::new(None::<Result<Vec<Contract>, Failure>>);
    leptos::task::spawn_local(async move {
        let query = ContractQuery {
            customer_id: Some(customer_id),
            limit: Some(100),
            ..ContractQuery::default()
        };
        contracts.set(Some(
            api::call(session, async |client| client.contracts(&query).await)
                .await
                .map(|page| page.items),
        ));
    });
    view! {
        <div class="panel" data-testid="customer-contracts">
            <div class="panel-head">
                <h2>{tr(|l| td_string!(l, contracts.title))}</h2>
                <Show when=move || session.has(Permission::ContractsWrite)>
                    <A href=format!("/customers/{customer_id}/contracts/new") attr:class="button-small button-primary" attr:data-testid="new-contract">
                        {tr(|l| td_string!(l, contracts.new_contract))}
                    </A>
                </Show>
            </div>
            <LoadedList value=move || contracts.get() empty=|l| td_string!(l, contracts.none) let:list>
                <ContractTable contracts=Signal::derive(move || list.clone()) without_customer=true />
            </LoadedList>
        </div>
    }
}

#[component]
pub fn CustomerDocuments(customer_id: i64) -> impl IntoView {
    let session = use_session();
    let documents = RwSignal::new(None::<Result<Vec<Document>, Failure>>);
    leptos::task::spawn_local(async move {
        documents.set(Some(
            api::call(session, async |client| {
                client.customer_documents(customer_id).await
            })
            .await,
        ));
    });
    view! { <DocumentList documents=documents /> }
}

fn benefit_amount(benefit: &Benefit, locale: Locale) -> String {
    match (benefit.kind, benefit.percent_bp, benefit.amount_minor) {
        (BenefitKind::Percent, Some(bp), _) => {
            let number = format::money_input(i64::from(bp), language(locale));
            format!(
                "{} %",
                number.trim_end_matches('0').trim_end_matches([',', '.'])
            )
        }
        (BenefitKind::Fixed, _, Some(minor)) => format::money(
            minor,
            benefit.currency.as_deref().unwrap_or("PLN"),
            language(locale),
        ),
        _ => String::new(),
    }
}

#[component]
pub fn CustomerBenefits(customer_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let benefits = RwSignal::new(None::<Result<Vec<Benefit>, Failure>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            benefits.set(Some(
                api::call(session, async |client| client.benefits(customer_id).await).await,
            ));
        });
    };
    reload();
    let adding = RwSignal::new(false);
    let end = move |benefit_id: i64| {
        leptos::task::spawn_local(async move {
            let patch = BenefitPatch {
                valid_to: Some(Some(today())),
            };
            match api::call(session, async |client| {
                client.update_benefit(customer_id, benefit_id, &patch).await
            })
            .await
            {
                Ok(_) => reload(),
                Err(failure) => toasts.failure(i18n.get_locale_untracked(), &failure),
            }
        });
    };
    view! {
        <div class="panel" data-testid="benefits">
            <div class="panel-head">
                <h2>{tr(|l| td_string!(l, benefits.title))}</h2>
                <Show when=move || session.has(Permission::BenefitsManage)>
                    <button class="button-small" data-testid="add-benefit" on:click=move |_| adding.update(|a| *a = !*a)>{tr(|l| td_string!(l, common.add))}</button>
                </Show>
            </div>
            <Show when=move || adding.get()>
                <BenefitForm customer_id=customer_id on_saved=Callback::new(move |()| { adding.set(false); reload(); }) />
            </Show>
            <LoadedList value=move || benefits.get() empty=|l| td_string!(l, benefits.none) quiet=true let:list>
                    <ul class="history">
                        {list
                            .into_iter()
                            .map(|b| {
                                let id = b.id;
                                let open_ended = b.valid_to.is_none_or(|to| to >= today());
                                let current = b.current;
                                let amount = b.clone();
                                view! {
                                    <li data-testid="benefit" class:muted=!current>
                                        <strong>{b.name.clone()}</strong>
                                        " · "
                                        {move || benefit_amount(&amount, i18n.get_locale())}
                                        <br />
                                        <span class="small">
                                            {move || {
                                                let l = i18n.get_locale();
                                                let from = time::day(b.valid_from, l);
                                                match b.valid_to {
                                                    Some(to) => format!("{from} – {}", time::day(to, l)),
                                                    None => td_string!(l, benefits.since, date = from),
                                                }
                                            }}
                                            " · " {b.document_reference.clone()}
                                        </span>
                                        <Show when=move || open_ended && session.has(Permission::BenefitsManage)>
                                            " " <button class="link" on:click=move |_| end(id)>{tr(|l| td_string!(l, benefits.end_today))}</button>
                                        </Show>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
            </LoadedList>
        </div>
    }
}

#[component]
fn BenefitForm(customer_id: i64, #[prop(into)] on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(BenefitKind::Percent.as_str().to_owned());
    let amount = RwSignal::new(String::new());
    let valid_from = RwSignal::new(today().to_string());
    let valid_to = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let bad_amount = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let kind_value: BenefitKind = kind.get_untracked().parse().unwrap_or(BenefitKind::Percent);
        // Percentages are typed like amounts (`50` or `12,5`) and kept in basis points.
        let Some(value) = format::parse_money(&amount.get_untracked()).filter(|v| *v > 0) else {
            bad_amount.set(true);
            return;
        };
        bad_amount.set(false);
        let benefit = NewBenefit {
            name: name.get_untracked(),
            kind: kind_value,
            percent_bp: (kind_value == BenefitKind::Percent)
                .then(|| i32::try_from(value).unwrap_or(i32::MAX)),
            amount_minor: (kind_value == BenefitKind::Fixed).then_some(value),
            valid_from: valid_from
                .get_untracked()
                .parse::<NaiveDate>()
                .unwrap_or_else(|_| today()),
            valid_to: valid_to.get_untracked().parse::<NaiveDate>().ok(),
            document_reference: reference.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| {
                client.create_benefit(customer_id, &benefit).await
            })
            .await
            {
                Ok(_) => {
                    toasts.success(td_string!(i18n.get_locale_untracked(), benefits.saved));
                    on_saved.run(());
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    let amount_error = {
        let percent = error_of(failure, "percent_bp");
        let fixed = error_of(failure, "amount_minor");
        checked(
            move || bad_amount.get(),
            |l| td_string!(l, price_list.invalid_amount),
            Signal::derive(move || percent.get().or_else(|| fixed.get())),
        )
    };
    view! {
        <form class="form" on:submit=submit novalidate data-testid="benefit-form">
            <Field label=label(|l| td_string!(l, benefits.name)) value=name name="name" required=true error=error_of(failure, "name") />
            <div class="grid-2">
                <Select label=label(|l| td_string!(l, benefits.kind)) value=kind name="kind" options=enum_options(BenefitKind::all(), labels::benefit_kind) />
                <Field label=label(|l| td_string!(l, benefits.amount)) value=amount name="amount" required=true error=amount_error />
                <Field label=label(|l| td_string!(l, benefits.valid_from)) value=valid_from name="valid_from" input_type="date" error=error_of(failure, "valid_from") />
                <Field label=label(|l| td_string!(l, benefits.valid_to)) value=valid_to name="valid_to" input_type="date" error=error_of(failure, "valid_to") />
            </div>
            <Field label=label(|l| td_string!(l, benefits.document)) value=reference name="document_reference" required=true error=error_of(failure, "document_reference") />
            <div class="form-actions">
                <button type="submit" class="button-primary">{tr(|l| td_string!(l, common.save))}</button>
            </div>
        </form>
    }
}
