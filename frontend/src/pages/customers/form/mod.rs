//! `/customers/new` and `/customers/:id/edit`: the customer form, with the server's per-field
//! errors shown at their fields, and a clear message with the fresh data when someone else
//! changed the customer in the meantime.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use okno_api_types::customers::{Customer, PossibleDuplicate};
use okno_api_types::reference::SalesPoint;
use okno_api_types::{
    AddressKind, CustomerKind, CustomerStatus, ErrorCode, Language, Segment, TaxIdScheme,
};

use crate::api::{self, Failure};
use crate::components::forms::{
    ErrorSummary, Field, FormErrors, Select, TextArea, enum_options, error_of, field_error,
    focus_first_invalid_field,
};
use crate::components::status::Loading;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::{label, tr};
use crate::session::use_session;

mod state;

use self::state::{AddressRow, ContactRow, FormState, List, Row};

#[component]
pub fn CustomerForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    let params = use_params_map();
    let editing = params.with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let form = FormState::new();
    provide_context(FormErrors::default());
    let failure = RwSignal::new(None::<Failure>);
    let conflict = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let ready = RwSignal::new(editing.is_none());
    let sales_points = LocalResource::new(move || async move {
        api::call(session, async |client| client.sales_points().await)
            .await
            .unwrap_or_default()
    });

    if let Some(id) = editing {
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| client.customer(id).await).await {
                Ok(customer) => {
                    form.fill(&customer);
                    ready.set(true);
                }
                Err(error) => toasts.failure(i18n.get_locale_untracked(), &error),
            }
        });
    }

    // Likely duplicates of a new customer, shown before it is registered.
    let duplicates = RwSignal::new(Vec::<PossibleDuplicate>::new());
    // `anyway`: the user saw the likely duplicates and registers the customer all the same
    // (the server notes them in the audit log).
    let save = move |anyway: bool| {
        busy.set(true);
        conflict.set(false);
        let sent = form.rows_sent();
        leptos::task::spawn_local(async move {
            let result = match editing {
                Some(id) => {
                    let patch = form.patch();
                    api::call(session, async |client| {
                        client.update_customer(id, &patch).await
                    })
                    .await
                }
                None if anyway => {
                    let new = form.new_customer();
                    api::call(session, async |client| client.create_customer(&new).await).await
                }
                None => {
                    let new = form.new_customer();
                    let found = api::call(session, async |client| {
                        client.customer_duplicates(&new).await
                    })
                    .await;
                    match found {
                        Ok(found) if !found.is_empty() => {
                            busy.set(false);
                            form.answered(sent);
                            failure.set(None);
                            duplicates.set(found);
                            return;
                        }
                        Ok(_) => {
                            api::call(session, async |client| {
                                client.create_customer_checking_duplicates(&new).await
                            })
                            .await
                        }
                        Err(error) => Err(error),
                    }
                }
            };
            busy.set(false);
            duplicates.set(Vec::new());
            form.answered(sent);
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
                    } else if !error.has_field_errors() {
                        toasts.failure(i18n.get_locale_untracked(), &error);
                    }
                    let at_fields = error.has_field_errors();
                    failure.set(Some(error));
                    if at_fields {
                        focus_first_invalid_field();
                    }
                }
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save(false);
    };
    let is_person = move || form.kind.get() == CustomerKind::Person.as_str();

    view! {
        <section class="page">
            <div class="page-head">
                <h1>{move || if editing.is_some() { t_string!(i18n, customer_form.edit_title) } else { t_string!(i18n, customer_form.new_title) }}</h1>
            </div>
            <Show when=move || ready.get() fallback=|| view! { <Loading /> }>
                <form class="form form-wide" on:submit=submit novalidate data-testid="customer-form">
                    <ErrorSummary />
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
                        <Select label=label(|l| td_string!(l, customers.tax_id_scheme)) value=form.tax_scheme name="tax_scheme" options=enum_options(TaxIdScheme::all(), labels::tax_scheme) />
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
                        <Select label=label(|l| td_string!(l, customers.language)) value=form.language name="language" options=enum_options(Language::all(), labels::language) />
                        <Show when=move || editing.is_some()>
                            <Select label=label(|l| td_string!(l, customers.status)) value=form.status name="status" options=enum_options(CustomerStatus::all(), labels::status) />
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

                    <ContactList title=label(|l| td_string!(l, customers.phones)) rows=form.phones list=List::Phones form failure value_label=label(|l| td_string!(l, customers.phone)) input_type="tel" />
                    <ContactList title=label(|l| td_string!(l, customers.emails)) rows=form.emails list=List::Emails form failure value_label=label(|l| td_string!(l, customers.email)) input_type="email" />
                    <AddressList form failure />
                    <TextArea label=label(|l| td_string!(l, customers.notes)) value=form.notes name="notes" error=error_of(failure, "notes") />
                    <Show when=move || duplicates.with(|d| !d.is_empty())>
                        <div class="warning duplicates" role="alert" data-testid="duplicates">
                            <h2>{tr(|l| td_string!(l, customer_form.duplicates_title))}</h2>
                            <ul>
                                {move || duplicates.get().into_iter().map(|d| {
                                    let reasons = d.reasons.clone();
                                    let who = [Some(d.customer.account_number.clone()), d.customer.address.clone(), d.customer.phone.as_deref().map(okno_domain::customers::shown_phone)]
                                        .into_iter()
                                        .flatten()
                                        .collect::<Vec<_>>()
                                        .join(" · ");
                                    view! {
                                        <li data-testid="duplicate">
                                            <strong>{d.customer.display_name.clone()}</strong> " · " {who} " — "
                                            {move || reasons.iter().map(|r| labels::duplicate_reason(i18n.get_locale(), *r)).collect::<Vec<_>>().join(", ")}
                                            " "
                                            <A href=format!("/customers/{}", d.customer.id) attr:class="button-small" attr:data-testid="open-duplicate">{tr(|l| td_string!(l, customer_form.open_duplicate))}</A>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <button type="button" class="button" data-testid="create-anyway" disabled=move || busy.get() on:click=move |_| save(true)>
                                {tr(|l| td_string!(l, customer_form.create_anyway))}
                            </button>
                        </div>
                    </Show>
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

/// The server's error for `field` of a row, found by where the row stood in the last
/// request: blank rows are not sent, so that is not always its place on the screen.
fn row_error(
    form: FormState,
    failure: RwSignal<Option<Failure>>,
    list: List,
    key: u32,
    field: &'static str,
) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        let path = form.row_field(list, key, field)?;
        failure.with(|f| field_error(i18n.get_locale(), f.as_ref(), &path))
    })
}

/// The rows of one of the form's lists, each with a button that removes it, and a button
/// that adds one.
#[component]
fn Rows<R, V>(
    #[prop(into)] title: Signal<String>,
    rows: RwSignal<Vec<R>>,
    new_row: fn() -> R,
    /// Of each row's box.
    class: &'static str,
    children: impl Fn(R) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    R: Row,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    // Shared by the rows; `For` clones its view function.
    let children = std::sync::Arc::new(children);
    view! {
        <fieldset class="list-field">
            <legend>{title}</legend>
            <For each=move || rows.get() key=|r| r.key() let:row>
                <div class=class>
                    {children(row)}
                    <button
                        type="button"
                        class="button-quiet"
                        aria-label=move || t_string!(i18n, common.remove)
                        on:click=move |_| rows.update(|v| v.retain(|r| r.key() != row.key()))
                    >
                        "×"
                    </button>
                </div>
            </For>
            <button type="button" class="link" on:click=move |_| rows.update(|v| v.push(new_row()))>
                {tr(|l| td_string!(l, common.add))}
            </button>
        </fieldset>
    }
}

#[component]
fn ContactList(
    #[prop(into)] title: Signal<String>,
    rows: RwSignal<Vec<ContactRow>>,
    /// Which of the form's lists `rows` is.
    list: List,
    form: FormState,
    failure: RwSignal<Option<Failure>>,
    #[prop(into)] value_label: Signal<String>,
    input_type: &'static str,
) -> impl IntoView {
    view! {
        <Rows title rows new_row=|| ContactRow::new(String::new(), None) class="list-row" let:row>
            <Field label=value_label value=row.value input_type=input_type error=row_error(form, failure, list, row.key, "value") />
            <Field label=label(|l| td_string!(l, customers.label)) value=row.label />
        </Rows>
    }
}

#[component]
fn AddressList(form: FormState, failure: RwSignal<Option<Failure>>) -> impl IntoView {
    view! {
        <Rows title=label(|l| td_string!(l, customers.addresses)) rows=form.addresses new_row=|| AddressRow::new(None) class="address-row" let:row>
            {
                let error = move |field: &'static str| row_error(form, failure, List::Addresses, row.key, field);
                view! {
                    <Select label=label(|l| td_string!(l, customers.address_kind)) value=row.kind options=enum_options(AddressKind::all(), labels::address_kind) />
                    <Field label=label(|l| td_string!(l, customers.street)) value=row.street error=error("street") />
                    <Field label=label(|l| td_string!(l, customers.building)) value=row.building error=error("building") />
                    <Field label=label(|l| td_string!(l, customers.apartment)) value=row.apartment error=error("apartment") />
                    <Field label=label(|l| td_string!(l, customers.postal_code)) value=row.postal_code error=error("postal_code") />
                    <Field label=label(|l| td_string!(l, customers.city)) value=row.city error=error("city") />
                    <Field label=label(|l| td_string!(l, customers.country)) value=row.country error=error("country") />
                }
            }
        </Rows>
    }
}
