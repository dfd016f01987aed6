//! `/customers/:id/contracts/new`: the contract wizard from the customer card: services (a
//! tariff at a service address), channel, start and term. Creates a draft to be signed.
//! `/contracts/:contract/edit` opens a draft in it again to change it.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use okno_api_types::contracts::{Contract, ContractPatch, NewContract, NewSubscription};
use okno_api_types::customers::{Address, Customer};
use okno_api_types::tariffs::{ServiceKind, Tariff};
use okno_api_types::{AddressKind, Channel};
use okno_domain::format;

use crate::api::{self, Failure};
use crate::components::forms::{Field, Select, enum_options, error_at, error_of};
use crate::components::status::Loaded;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::{label, tr};
use crate::pages::customers::blank_address;
use crate::session::use_session;
use crate::time::language;

#[derive(Debug, Clone, Copy)]
struct ServiceRow {
    key: u32,
    tariff: RwSignal<String>,
    street: RwSignal<String>,
    building: RwSignal<String>,
    apartment: RwSignal<String>,
    postal_code: RwSignal<String>,
    city: RwSignal<String>,
    meter: RwSignal<String>,
}

static NEXT_KEY: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

impl ServiceRow {
    fn new(address: Option<&Address>) -> Self {
        let a = address
            .cloned()
            .unwrap_or_else(|| blank_address(AddressKind::Service));
        Self {
            key: NEXT_KEY.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            tariff: RwSignal::new(String::new()),
            street: RwSignal::new(a.street),
            building: RwSignal::new(a.building),
            apartment: RwSignal::new(a.apartment.unwrap_or_default()),
            postal_code: RwSignal::new(a.postal_code),
            city: RwSignal::new(a.city),
            meter: RwSignal::new(String::new()),
        }
    }

    /// A service of a draft, as it stands.
    fn of(subscription: &okno_api_types::contracts::Subscription) -> Self {
        let row = Self::new(Some(&subscription.service_address));
        row.tariff.set(
            subscription
                .tariffs
                .last()
                .map(|t| t.tariff_id.to_string())
                .unwrap_or_default(),
        );
        row.meter
            .set(subscription.meter_number.clone().unwrap_or_default());
        row
    }

    fn to_api(self) -> NewSubscription {
        let meter = self.meter.get_untracked();
        let apartment = self.apartment.get_untracked();
        NewSubscription {
            tariff_id: self.tariff.get_untracked().parse().unwrap_or(0),
            service_address: Address {
                kind: AddressKind::Service,
                street: self.street.get_untracked(),
                building: self.building.get_untracked(),
                apartment: (!apartment.trim().is_empty()).then_some(apartment),
                postal_code: self.postal_code.get_untracked(),
                city: self.city.get_untracked(),
                country: "PL".into(),
            },
            meter_number: (!meter.trim().is_empty()).then_some(meter),
        }
    }
}

#[component]
pub fn NewContractWizard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let params = use_params_map();
    // Editing a draft (`/contracts/:contract/edit`), or a new one for a customer.
    let editing =
        params.with_untracked(|p| p.get("contract").and_then(|id| id.parse::<i64>().ok()));
    let customer_id = params
        .with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()))
        .unwrap_or(0);
    let customer_id = RwSignal::new(customer_id);
    let draft = RwSignal::new(None::<Contract>);
    let customer = RwSignal::new(None::<Result<Customer, Failure>>);
    let tariffs = RwSignal::new(Vec::<Tariff>::new());
    let rows = RwSignal::new(Vec::<ServiceRow>::new());
    let channel = RwSignal::new(Channel::Visit.as_str().to_owned());
    let start = RwSignal::new(super::today().to_string());
    let term = RwSignal::new("24".to_owned());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let tried = RwSignal::new(false);

    leptos::task::spawn_local(async move {
        if let Some(id) = editing {
            match api::call(session, async |client| client.contract(id).await).await {
                Ok(contract) => {
                    customer_id.set(contract.customer_id);
                    channel.set(contract.channel.as_str().to_owned());
                    start.set(contract.start_date.to_string());
                    let months = [24, 12]
                        .into_iter()
                        .find(|m| {
                            contract.end_date.is_some()
                                && okno_domain::calendar::term_end(contract.start_date, *m)
                                    == contract.end_date
                        })
                        .unwrap_or(0);
                    term.set(months.to_string());
                    draft.set(Some(contract));
                }
                Err(error) => {
                    customer.set(Some(Err(error)));
                    return;
                }
            }
        }
        let id = customer_id.get_untracked();
        let loaded = api::call(session, async |client| client.customer(id).await).await;
        if let Some(contract) = draft.get_untracked() {
            rows.set(contract.subscriptions.iter().map(ServiceRow::of).collect());
        } else if let Ok(c) = &loaded {
            let residence = c
                .addresses
                .iter()
                .find(|a| a.kind == AddressKind::Residence)
                .or_else(|| c.addresses.first());
            rows.set(vec![ServiceRow::new(residence)]);
        }
        customer.set(Some(loaded));
        if let Ok(list) = api::call(session, async |client| client.tariffs().await).await {
            tariffs.set(
                list.into_iter()
                    .filter(|t| t.active && t.current.is_some())
                    .collect(),
            );
        }
    });

    let monthly_total = move || {
        let chosen: Vec<i64> = rows.with(|rows| {
            rows.iter()
                .filter_map(|r| r.tariff.get().parse::<i64>().ok())
                .collect()
        });
        tariffs.with(|list| {
            chosen
                .iter()
                .filter_map(|id| {
                    list.iter()
                        .find(|t| t.id == *id)
                        .and_then(|t| t.current.as_ref())
                        .map(|v| v.monthly_fee_minor)
                })
                .sum::<i64>()
        })
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let start_date = start
            .get_untracked()
            .parse::<NaiveDate>()
            .unwrap_or_else(|_| super::today());
        let months: u32 = term.get_untracked().parse().unwrap_or(0);
        let input = NewContract {
            customer_id: customer_id.get_untracked(),
            sales_point_id: None,
            channel: channel.get_untracked().parse().unwrap_or(Channel::Visit),
            start_date,
            end_date: if months == 0 {
                None
            } else {
                okno_domain::calendar::term_end(start_date, months)
            },
            subscriptions: rows
                .get_untracked()
                .into_iter()
                .map(ServiceRow::to_api)
                .collect(),
        };
        tried.set(true);
        busy.set(true);
        let patch = draft.get_untracked().map(|d| ContractPatch {
            version: d.version,
            channel: Some(input.channel),
            start_date: Some(input.start_date),
            end_date: Some(input.end_date),
            subscriptions: Some(input.subscriptions.clone()),
        });
        leptos::task::spawn_local(async move {
            let result = match (editing, patch) {
                (Some(id), Some(patch)) => {
                    api::call(session, async |client| {
                        client.update_contract(id, &patch).await
                    })
                    .await
                }
                _ => api::call(session, async |client| client.create_contract(&input).await).await,
            };
            busy.set(false);
            match result {
                Ok(contract) => {
                    let locale = i18n.get_locale_untracked();
                    toasts.success(if editing.is_some() {
                        td_string!(locale, contracts.draft_saved)
                    } else {
                        td_string!(locale, contracts.draft_created)
                    });
                    // Not when the page was left meanwhile.
                    navigate.try_with_value(|n| {
                        n(&format!("/contracts/{}", contract.id), Default::default())
                    });
                }
                Err(error) => toasts.form_failure(i18n.get_locale_untracked(), failure, error),
            }
        });
    };
    view! {
        <section class="page">
            <Loaded value=move || customer.get() let:c>
                    <div class="page-head">
                        <div>
                            <h1>{move || if editing.is_some() { t_string!(i18n, contracts.edit_title) } else { t_string!(i18n, contracts.new_title) }}</h1>
                            <p class="card-facts">
                                <A href=format!("/customers/{}", c.id)>{c.display_name.clone()}</A>
                                <span class="mono">{c.account_number.clone()}</span>
                            </p>
                        </div>
                    </div>
            </Loaded>
            <form class="form form-wide" on:submit=submit novalidate data-testid="contract-wizard">
                // A draft's fields are filled in when it has come: changed before, they would
                // be overwritten by what it said.
                <fieldset class="fieldset-plain" disabled=move || editing.is_some() && draft.with(Option::is_none)>
                <div class="panel">
                    <h2>{tr(|l| td_string!(l, contracts.step_terms))}</h2>
                    <div class="grid-3">
                        <Select label=label(|l| td_string!(l, contracts.channel)) value=channel name="channel" options=enum_options([Channel::Visit, Channel::Phone, Channel::Web], labels::channel) />
                        <Field label=label(|l| td_string!(l, contracts.start_date)) value=start name="start_date" input_type="date" error=error_of(failure, "start_date") />
                        <Select
                            label=label(|l| td_string!(l, contracts.term))
                            value=term
                            name="term"
                            error=error_of(failure, "end_date")
                            options=Signal::derive(move || {
                                let l = i18n.get_locale();
                                vec![
                                    ("24".to_owned(), td_string!(l, contracts.term_24).to_owned()),
                                    ("12".to_owned(), td_string!(l, contracts.term_12).to_owned()),
                                    ("0".to_owned(), td_string!(l, contracts.term_indefinite).to_owned()),
                                ]
                            })
                        />
                    </div>
                </div>
                <div class="panel">
                    <h2>{tr(|l| td_string!(l, contracts.step_services))}</h2>
                    {move || error_of(failure, "subscriptions").get().map(|e| view! { <p class="field-error">{e}</p> })}
                    <For each=move || rows.get() key=|r| r.key let:row>
                        {
                            let index = move || rows.with(|v| v.iter().position(|r| r.key == row.key).unwrap_or(0));
                            let error = move |name: &'static str| Signal::derive(move || error_at(failure, format!("subscriptions[{}].{name}", index())).get());
                            let metered = move || {
                                let id = row.tariff.get().parse::<i64>().ok();
                                tariffs.with(|list| list.iter().find(|t| Some(t.id) == id).is_some_and(|t| matches!(t.service_kind, ServiceKind::Electricity | ServiceKind::Gas | ServiceKind::Water)))
                            };
                            view! {
                                <div class="service-row" data-testid="service-row">
                                    <Select
                                        label=label(|l| td_string!(l, contracts.tariff))
                                        value=row.tariff
                                        name="tariff"
                                        error=Signal::derive(move || {
                                            // Nothing chosen reads better as "required" than as the server's "does not exist".
                                            if tried.get() && row.tariff.with(String::is_empty) {
                                                Some(td_string!(i18n.get_locale(), field_error.required).to_owned())
                                            } else {
                                                error("tariff_id").get()
                                            }
                                        })
                                        options=Signal::derive(move || {
                                            let l = i18n.get_locale();
                                            std::iter::once((String::new(), td_string!(l, contracts.choose_tariff).to_owned()))
                                                .chain(tariffs.get().into_iter().map(|t| {
                                                    let price = t.current.as_ref().map(|v| format::money(v.monthly_fee_minor, &v.currency, language(l))).unwrap_or_default();
                                                    (t.id.to_string(), format!("{} · {} · {price}", t.name, labels::service_kind(l, t.service_kind)))
                                                }))
                                                .collect()
                                        })
                                    />
                                    <div class="grid-3">
                                        <Field label=label(|l| td_string!(l, customers.street)) value=row.street name="street" error=Signal::derive(move || error("service_address.street").get()) />
                                        <Field label=label(|l| td_string!(l, customers.building)) value=row.building name="building" error=Signal::derive(move || error("service_address.building").get()) />
                                        <Field label=label(|l| td_string!(l, customers.apartment)) value=row.apartment name="apartment" />
                                        <Field label=label(|l| td_string!(l, customers.postal_code)) value=row.postal_code name="postal_code" error=Signal::derive(move || error("service_address.postal_code").get()) />
                                        <Field label=label(|l| td_string!(l, customers.city)) value=row.city name="city" error=Signal::derive(move || error("service_address.city").get()) />
                                        <Show when=metered>
                                            <Field label=label(|l| td_string!(l, contracts.meter)) value=row.meter name="meter" error=Signal::derive(move || error("meter_number").get()) />
                                        </Show>
                                    </div>
                                    <button type="button" class="link" on:click=move |_| rows.update(|v| v.retain(|r| r.key != row.key))>{tr(|l| td_string!(l, common.remove))}</button>
                                </div>
                            }
                        }
                    </For>
                    <button
                        type="button"
                        class="link"
                        on:click=move |_| {
                            let first = rows.with_untracked(|v| v.first().copied());
                            let copy = ServiceRow::new(None);
                            if let Some(first) = first {
                                copy.street.set(first.street.get_untracked());
                                copy.building.set(first.building.get_untracked());
                                copy.apartment.set(first.apartment.get_untracked());
                                copy.postal_code.set(first.postal_code.get_untracked());
                                copy.city.set(first.city.get_untracked());
                            }
                            rows.update(|v| v.push(copy));
                        }
                    >
                        {tr(|l| td_string!(l, contracts.add_service))}
                    </button>
                </div>
                <div class="form-actions">
                    <span class="total" data-testid="monthly-total">
                        {tr(|l| td_string!(l, contracts.monthly_total))} ": "
                        <strong>{move || format::money(monthly_total(), "PLN", language(i18n.get_locale()))}</strong>
                        " " {tr(|l| td_string!(l, contracts.net))}
                    </span>
                    <button class="button-primary" type="submit" disabled=move || busy.get() data-testid="create-contract">
                        {tr(|l| td_string!(l, contracts.create_draft))}
                    </button>
                </div>
                </fieldset>
            </form>
        </section>
    }
}
