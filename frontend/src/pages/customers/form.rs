//! `/customers/new` and `/customers/:id/edit`: the customer form, with the server's per-field
//! errors shown at their fields, and a clear message with the fresh data when someone else
//! changed the customer in the meantime.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use okno_api_types::customers::{
    Address, Customer, CustomerPatch, EmailEntry, NewCustomer, PhoneEntry, TaxIdInput,
};
use okno_api_types::reference::SalesPoint;
use okno_api_types::{
    AddressKind, CustomerKind, CustomerStatus, ErrorCode, Language, Segment, TaxIdScheme,
};

use crate::api::{self, Failure};
use crate::components::forms::{Field, Select, TextArea, error_at, error_of};
use crate::components::status::Loading;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::session::use_session;

static NEXT_KEY: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

fn key() -> u32 {
    NEXT_KEY.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn text(value: Option<String>) -> RwSignal<String> {
    RwSignal::new(value.unwrap_or_default())
}

fn optional(signal: RwSignal<String>) -> Option<String> {
    let value = signal.get_untracked();
    (!value.trim().is_empty()).then_some(value)
}

#[derive(Debug, Clone, Copy)]
struct ContactRow {
    key: u32,
    value: RwSignal<String>,
    label: RwSignal<String>,
}

impl ContactRow {
    fn new(value: String, label: Option<String>) -> Self {
        Self {
            key: key(),
            value: RwSignal::new(value),
            label: text(label),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct AddressRow {
    key: u32,
    kind: RwSignal<String>,
    street: RwSignal<String>,
    building: RwSignal<String>,
    apartment: RwSignal<String>,
    postal_code: RwSignal<String>,
    city: RwSignal<String>,
    country: RwSignal<String>,
}

impl AddressRow {
    fn new(address: Option<Address>) -> Self {
        let a = address.unwrap_or(Address {
            kind: AddressKind::Residence,
            street: String::new(),
            building: String::new(),
            apartment: None,
            postal_code: String::new(),
            city: String::new(),
            country: "PL".into(),
        });
        Self {
            key: key(),
            kind: RwSignal::new(a.kind.as_str().to_owned()),
            street: RwSignal::new(a.street),
            building: RwSignal::new(a.building),
            apartment: text(a.apartment),
            postal_code: RwSignal::new(a.postal_code),
            city: RwSignal::new(a.city),
            country: RwSignal::new(a.country),
        }
    }

    fn to_api(self) -> Address {
        Address {
            kind: self
                .kind
                .get_untracked()
                .parse()
                .unwrap_or(AddressKind::Residence),
            street: self.street.get_untracked(),
            building: self.building.get_untracked(),
            apartment: optional(self.apartment),
            postal_code: self.postal_code.get_untracked(),
            city: self.city.get_untracked(),
            country: self.country.get_untracked(),
        }
    }
}

/// Every input of the form.
#[derive(Debug, Clone, Copy)]
struct FormState {
    kind: RwSignal<String>,
    first_name: RwSignal<String>,
    last_name: RwSignal<String>,
    organisation_name: RwSignal<String>,
    tax_scheme: RwSignal<String>,
    tax_value: RwSignal<String>,
    segment: RwSignal<String>,
    language: RwSignal<String>,
    status: RwSignal<String>,
    sales_point: RwSignal<String>,
    notes: RwSignal<String>,
    phones: RwSignal<Vec<ContactRow>>,
    emails: RwSignal<Vec<ContactRow>>,
    addresses: RwSignal<Vec<AddressRow>>,
    version: RwSignal<i64>,
}

impl FormState {
    fn new() -> Self {
        Self {
            kind: RwSignal::new(CustomerKind::Person.as_str().into()),
            first_name: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            organisation_name: RwSignal::new(String::new()),
            tax_scheme: RwSignal::new(TaxIdScheme::PlNip.as_str().into()),
            tax_value: RwSignal::new(String::new()),
            segment: RwSignal::new(String::new()),
            language: RwSignal::new(Language::Pl.as_str().into()),
            status: RwSignal::new(CustomerStatus::Prospect.as_str().into()),
            sales_point: RwSignal::new(String::new()),
            notes: RwSignal::new(String::new()),
            phones: RwSignal::new(vec![ContactRow::new(String::new(), None)]),
            emails: RwSignal::new(vec![ContactRow::new(String::new(), None)]),
            addresses: RwSignal::new(vec![AddressRow::new(None)]),
            version: RwSignal::new(0),
        }
    }

    fn fill(&self, c: &Customer) {
        self.kind.set(c.kind.as_str().into());
        self.first_name
            .set(c.first_name.clone().unwrap_or_default());
        self.last_name.set(c.last_name.clone().unwrap_or_default());
        self.organisation_name
            .set(c.organisation_name.clone().unwrap_or_default());
        self.tax_scheme.set(
            c.tax_id
                .as_ref()
                .map_or(TaxIdScheme::PlNip, |t| t.scheme)
                .as_str()
                .into(),
        );
        self.tax_value.set(
            c.tax_id
                .as_ref()
                .map(|t| t.formatted.clone())
                .unwrap_or_default(),
        );
        self.segment.set(c.segment.as_str().into());
        self.language.set(c.preferred_language.as_str().into());
        self.status.set(c.status.as_str().into());
        self.sales_point.set(
            c.sales_point_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
        );
        self.notes.set(c.notes.clone().unwrap_or_default());
        self.phones.set(
            c.phones
                .iter()
                .map(|p| ContactRow::new(p.value.clone(), p.label.clone()))
                .collect(),
        );
        self.emails.set(
            c.emails
                .iter()
                .map(|e| ContactRow::new(e.value.clone(), e.label.clone()))
                .collect(),
        );
        self.addresses.set(
            c.addresses
                .iter()
                .cloned()
                .map(|a| AddressRow::new(Some(a)))
                .collect(),
        );
        self.version.set(c.version);
    }

    fn kind(&self) -> CustomerKind {
        self.kind
            .get_untracked()
            .parse()
            .unwrap_or(CustomerKind::Person)
    }

    fn tax_id(&self) -> Option<TaxIdInput> {
        optional(self.tax_value).map(|value| TaxIdInput {
            scheme: self.tax_scheme.get_untracked().parse().ok(),
            value,
        })
    }

    fn phones(&self) -> Vec<PhoneEntry> {
        self.phones
            .get_untracked()
            .into_iter()
            .filter(|r| !r.value.get_untracked().trim().is_empty())
            .map(|r| PhoneEntry {
                value: r.value.get_untracked(),
                label: optional(r.label),
            })
            .collect()
    }

    fn emails(&self) -> Vec<EmailEntry> {
        self.emails
            .get_untracked()
            .into_iter()
            .filter(|r| !r.value.get_untracked().trim().is_empty())
            .map(|r| EmailEntry {
                value: r.value.get_untracked(),
                label: optional(r.label),
            })
            .collect()
    }

    fn addresses(&self) -> Vec<Address> {
        self.addresses
            .get_untracked()
            .into_iter()
            .filter(|r| {
                !(r.street.get_untracked().trim().is_empty()
                    && r.city.get_untracked().trim().is_empty())
            })
            .map(AddressRow::to_api)
            .collect()
    }

    fn new_customer(&self) -> NewCustomer {
        let person = self.kind() == CustomerKind::Person;
        NewCustomer {
            kind: self.kind(),
            first_name: if person {
                optional(self.first_name)
            } else {
                None
            },
            last_name: if person {
                optional(self.last_name)
            } else {
                None
            },
            organisation_name: if person {
                None
            } else {
                optional(self.organisation_name)
            },
            tax_id: self.tax_id(),
            segment: self.segment.get_untracked().parse().ok(),
            preferred_language: self.language.get_untracked().parse().ok(),
            sales_point_id: self.sales_point.get_untracked().parse().ok(),
            emails: self.emails(),
            phones: self.phones(),
            addresses: self.addresses(),
            notes: optional(self.notes),
        }
    }

    fn patch(&self) -> CustomerPatch {
        let new = self.new_customer();
        CustomerPatch {
            version: self.version.get_untracked(),
            first_name: Some(new.first_name),
            last_name: Some(new.last_name),
            organisation_name: Some(new.organisation_name),
            tax_id: Some(new.tax_id),
            segment: new.segment,
            preferred_language: new.preferred_language,
            status: self.status.get_untracked().parse().ok(),
            sales_point_id: Some(new.sales_point_id),
            emails: Some(new.emails),
            phones: Some(new.phones),
            addresses: Some(new.addresses),
            notes: Some(new.notes),
        }
    }
}

#[component]
pub fn CustomerForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let params = use_params_map();
    let editing = params.with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let form = FormState::new();
    let failure = RwSignal::new(None::<Failure>);
    let conflict = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let ready = RwSignal::new(editing.is_none());
    let sales_points = LocalResource::new(move || async move {
        api::call(session, |client| async move { client.sales_points().await })
            .await
            .unwrap_or_default()
    });

    if let Some(id) = editing {
        leptos::task::spawn_local(async move {
            match api::call(session, |client| async move { client.customer(id).await }).await {
                Ok(customer) => {
                    form.fill(&customer);
                    ready.set(true);
                }
                Err(error) => toasts.failure(i18n.get_locale_untracked(), &error),
            }
        });
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        conflict.set(false);
        leptos::task::spawn_local(async move {
            let result = match editing {
                Some(id) => {
                    let patch = form.patch();
                    api::call(session, |client| {
                        let patch = patch.clone();
                        async move { client.update_customer(id, &patch).await }
                    })
                    .await
                }
                None => {
                    let new = form.new_customer();
                    api::call(session, |client| {
                        let new = new.clone();
                        async move { client.create_customer(&new).await }
                    })
                    .await
                }
            };
            busy.set(false);
            match result {
                Ok(customer) => {
                    failure.set(None);
                    toasts.success(td_string!(i18n.get_locale_untracked(), customer_form.saved));
                    // Not when the page was left meanwhile.
                    navigate.try_with_value(|navigate| {
                        navigate(&format!("/customers/{}", customer.id), Default::default())
                    });
                }
                Err(error) => {
                    if error.code() == Some(ErrorCode::VersionConflict) {
                        let fresh = error
                            .problem()
                            .and_then(|p| p.current.clone())
                            .and_then(|c| serde_json::from_value::<Customer>(c).ok());
                        if let Some(fresh) = fresh {
                            form.fill(&fresh);
                        }
                        conflict.set(true);
                    } else if error.problem().is_none_or(|p| p.errors.is_empty()) {
                        toasts.failure(i18n.get_locale_untracked(), &error);
                    }
                    failure.set(Some(error));
                }
            }
        });
    };

    let label = move |key: fn(Locale) -> &'static str| {
        Signal::derive(move || key(i18n.get_locale()).to_owned())
    };
    let is_person = move || form.kind.get() == CustomerKind::Person.as_str();

    view! {
        <section class="page">
            <div class="page-head">
                <h1>{move || if editing.is_some() { t_string!(i18n, customer_form.edit_title) } else { t_string!(i18n, customer_form.new_title) }}</h1>
            </div>
            <Show when=move || ready.get() fallback=|| view! { <Loading /> }>
                <form class="form form-wide" on:submit=submit novalidate data-testid="customer-form">
                    <Show when=move || conflict.get()>
                        <p class="warning" role="alert" data-testid="version-conflict">{tr(|l| td_string!(l, customer_form.conflict))}</p>
                    </Show>
                    <fieldset class="segmented">
                        <legend>{tr(|l| td_string!(l, customers.kind))}</legend>
                        {CustomerKind::all()
                            .map(|k| {
                                view! {
                                    <label>
                                        <input
                                            type="radio"
                                            name="kind"
                                            value=k.as_str()
                                            prop:checked=move || form.kind.get() == k.as_str()
                                            on:change=move |_| form.kind.set(k.as_str().into())
                                        />
                                        <span>{move || labels::kind(i18n.get_locale(), k)}</span>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    <div class="grid-2">
                        <Show
                            when=is_person
                            fallback=move || view! {
                                <Field label=label(|l| td_string!(l, customers.organisation_name)) value=form.organisation_name name="organisation_name" required=true error=error_of(failure, "organisation_name") />
                            }
                        >
                            <Field label=label(|l| td_string!(l, customers.first_name)) value=form.first_name name="first_name" required=true error=error_of(failure, "first_name") />
                            <Field label=label(|l| td_string!(l, customers.last_name)) value=form.last_name name="last_name" required=true error=error_of(failure, "last_name") />
                        </Show>
                    </div>
                    <div class="grid-3">
                        <Select
                            label=label(|l| td_string!(l, customers.tax_id_scheme))
                            value=form.tax_scheme
                            name="tax_scheme"
                            options=Signal::derive(move || {
                                let l = i18n.get_locale();
                                vec![
                                    ("pl_nip".to_owned(), td_string!(l, customers.scheme_pl_nip).to_owned()),
                                    ("ru_inn".to_owned(), td_string!(l, customers.scheme_ru_inn).to_owned()),
                                    ("other".to_owned(), td_string!(l, customers.scheme_other).to_owned()),
                                ]
                            })
                        />
                        <Field
                            label=label(|l| td_string!(l, customers.tax_id))
                            value=form.tax_value
                            name="tax_id"
                            required=!is_person()
                            error=Signal::derive(move || error_of(failure, "tax_id.value").get().or_else(|| error_of(failure, "tax_id").get()))
                        />
                        <Select
                            label=label(|l| td_string!(l, customers.segment))
                            value=form.segment
                            name="segment"
                            options=Signal::derive(move || {
                                let l = i18n.get_locale();
                                std::iter::once((String::new(), td_string!(l, customer_form.by_kind).to_owned()))
                                    .chain(Segment::all().map(|s| (s.as_str().to_owned(), labels::segment(l, s).to_owned())))
                                    .collect()
                            })
                        />
                        <Select
                            label=label(|l| td_string!(l, customers.language))
                            value=form.language
                            name="language"
                            options=Signal::derive(move || {
                                let l = i18n.get_locale();
                                Language::all().map(|x| (x.as_str().to_owned(), labels::language(l, x).to_owned())).collect()
                            })
                        />
                        <Show when=move || editing.is_some()>
                            <Select
                                label=label(|l| td_string!(l, customers.status))
                                value=form.status
                                name="status"
                                options=Signal::derive(move || {
                                    let l = i18n.get_locale();
                                    CustomerStatus::all().map(|s| (s.as_str().to_owned(), labels::status(l, s).to_owned())).collect()
                                })
                            />
                        </Show>
                        <Select
                            label=label(|l| td_string!(l, customers.sales_point))
                            value=form.sales_point
                            name="sales_point"
                            error=error_of(failure, "sales_point_id")
                            options=Signal::derive(move || {
                                let points: Vec<SalesPoint> = sales_points.get().unwrap_or_default();
                                std::iter::once((String::new(), t_string!(i18n, customer_form.my_point).to_owned()))
                                    .chain(points.into_iter().map(|p| (p.id.to_string(), format!("{} · {}", p.code, p.name))))
                                    .collect()
                            })
                        />
                    </div>

                    <ContactList
                        title=label(|l| td_string!(l, customers.phones))
                        rows=form.phones
                        field="phones"
                        failure
                        value_label=label(|l| td_string!(l, customers.phone))
                        input_type="tel"
                    />
                    <ContactList
                        title=label(|l| td_string!(l, customers.emails))
                        rows=form.emails
                        field="emails"
                        failure
                        value_label=label(|l| td_string!(l, customers.email))
                        input_type="email"
                    />
                    <AddressList rows=form.addresses failure />
                    <TextArea label=label(|l| td_string!(l, customers.notes)) value=form.notes name="notes" error=error_of(failure, "notes") />
                    <div class="form-actions">
                        <button class="button-primary" type="submit" disabled=move || busy.get() data-testid="save-customer">
                            {tr(|l| td_string!(l, common.save))}
                        </button>
                    </div>
                </form>
            </Show>
        </section>
    }
}

#[component]
fn ContactList(
    #[prop(into)] title: Signal<String>,
    rows: RwSignal<Vec<ContactRow>>,
    field: &'static str,
    failure: RwSignal<Option<Failure>>,
    #[prop(into)] value_label: Signal<String>,
    input_type: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="list-field">
            <legend>{title}</legend>
            <For each=move || rows.get() key=|r| r.key let:row>
                {
                    let index = move || rows.with(|v| v.iter().position(|r| r.key == row.key).unwrap_or(0));
                    let error = Signal::derive(move || error_at(failure, format!("{field}[{}].value", index())).get());
                    view! {
                        <div class="list-row">
                            <Field label=value_label value=row.value input_type=input_type error=error />
                            <Field label=Signal::derive(move || t_string!(i18n, customers.label).to_owned()) value=row.label />
                            <button
                                type="button"
                                class="button-quiet"
                                aria-label=move || t_string!(i18n, common.remove)
                                on:click=move |_| rows.update(|v| v.retain(|r| r.key != row.key))
                            >
                                "×"
                            </button>
                        </div>
                    }
                }
            </For>
            <button type="button" class="link" on:click=move |_| rows.update(|v| v.push(ContactRow::new(String::new(), None)))>
                {tr(|l| td_string!(l, common.add))}
            </button>
        </fieldset>
    }
}

#[component]
fn AddressList(
    rows: RwSignal<Vec<AddressRow>>,
    failure: RwSignal<Option<Failure>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = move |key: fn(Locale) -> &'static str| {
        Signal::derive(move || key(i18n.get_locale()).to_owned())
    };
    view! {
        <fieldset class="list-field">
            <legend>{tr(|l| td_string!(l, customers.addresses))}</legend>
            <For each=move || rows.get() key=|r| r.key let:row>
                {
                    let index = move || rows.with(|v| v.iter().position(|r| r.key == row.key).unwrap_or(0));
                    let error = move |name: &'static str| Signal::derive(move || error_at(failure, format!("addresses[{}].{name}", index())).get());
                    view! {
                        <div class="address-row">
                            <Select
                                label=label(|l| td_string!(l, customers.address_kind))
                                value=row.kind
                                options=Signal::derive(move || {
                                    let l = i18n.get_locale();
                                    AddressKind::all().map(|k| (k.as_str().to_owned(), labels::address_kind(l, k).to_owned())).collect()
                                })
                            />
                            <Field label=label(|l| td_string!(l, customers.street)) value=row.street error=error("street") />
                            <Field label=label(|l| td_string!(l, customers.building)) value=row.building error=error("building") />
                            <Field label=label(|l| td_string!(l, customers.apartment)) value=row.apartment error=error("apartment") />
                            <Field label=label(|l| td_string!(l, customers.postal_code)) value=row.postal_code error=error("postal_code") />
                            <Field label=label(|l| td_string!(l, customers.city)) value=row.city error=error("city") />
                            <Field label=label(|l| td_string!(l, customers.country)) value=row.country error=error("country") />
                            <button
                                type="button"
                                class="button-quiet"
                                aria-label=move || t_string!(i18n, common.remove)
                                on:click=move |_| rows.update(|v| v.retain(|r| r.key != row.key))
                            >
                                "×"
                            </button>
                        </div>
                    }
                }
            </For>
            <button type="button" class="link" on:click=move |_| rows.update(|v| v.push(AddressRow::new(None)))>
                {tr(|l| td_string!(l, common.add))}
            </button>
        </fieldset>
    }
}
