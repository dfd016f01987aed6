//! A new ticket for a customer: from the card (`/customers/:id/tickets/new`) or at the
//! end of a script walk, prefilled from its outcome (category, priority, department) and
//! carrying the walk, so the ticket keeps the path that led to it.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use okno_api_types::Permission;
use okno_api_types::contracts::ContractQuery;
use okno_api_types::customers::Customer;
use okno_api_types::tickets::{NewTicket, TicketCategory, TicketPriority};

use super::parts::{department_options, load_departments};
use crate::api::{self, Failure};
use crate::components::forms::{
    ErrorSummary, Field, FormErrors, Select, TextArea, checked, enum_options, error_of,
    focus_first_invalid,
};
use crate::components::status::Loaded;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, label, tr};
use crate::session::use_session;

/// What a new ticket's form starts with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prefill {
    pub category: Option<TicketCategory>,
    pub priority: Option<TicketPriority>,
    pub department: Option<String>,
    pub title: String,
    pub description: String,
    pub script_run_id: Option<i64>,
}

/// The department new tickets go to when nothing says otherwise.
pub const FIRST_LINE: &str = "technical_support";

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let customer_id = params
        .with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()))
        .unwrap_or(0);
    let customer = RwSignal::new(None::<Result<Customer, Failure>>);
    leptos::task::spawn_local(async move {
        customer.set(Some(
            api::call(session, async |client| client.customer(customer_id).await).await,
        ));
    });
    view! {
        <section class="page" data-testid="new-ticket">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, tickets.new_title))}</h1>
                    <Loaded value=move || customer.get() let:c>
                        <p class="lead" data-testid="ticket-form-customer">
                            {tr(|l| td_string!(l, tickets.customer))} ": "
                            <A href=format!("/customers/{}", c.id)>{c.display_name.clone()}</A>
                            " · " <span class="mono">{c.account_number.clone()}</span>
                        </p>
                    </Loaded>
                </div>
            </div>
            <TicketForm customer_id prefill=Prefill::default() />
        </section>
    }
}

/// The form of a new ticket; saved, the ticket opens.
#[component]
pub fn TicketForm(customer_id: i64, prefill: Prefill) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    provide_context(FormErrors::default());
    let departments = load_departments();
    let category = RwSignal::new(
        prefill
            .category
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default(),
    );
    let priority = RwSignal::new(
        prefill
            .priority
            .unwrap_or(TicketPriority::Normal)
            .as_str()
            .to_owned(),
    );
    let department = RwSignal::new(prefill.department.clone().unwrap_or_default());
    let title = RwSignal::new(prefill.title.clone());
    let description = RwSignal::new(prefill.description.clone());
    let subscription = RwSignal::new(String::new());
    let node = RwSignal::new(String::new());
    let script_run_id = prefill.script_run_id;
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let (category_missing, title_missing, description_missing) = (
        RwSignal::new(false),
        RwSignal::new(false),
        RwSignal::new(false),
    );

    let department_choices = department_options(departments, None);
    // The first line unless the outcome or the user chose otherwise, once the departments are read.
    Effect::new(move |_| {
        let options = department_choices.get();
        if department.get_untracked().is_empty() {
            let first = options
                .iter()
                .find(|(code, _)| code == FIRST_LINE)
                .or(options.first())
                .map(|(code, _)| code.clone());
            if let Some(code) = first {
                department.set(code);
            }
        }
    });
    // The customer's subscriptions: the one concerned places the fault at its address.
    let subscriptions = LocalResource::new(move || async move {
        if !session.has(Permission::ContractsRead) {
            return Vec::new();
        }
        let query = ContractQuery {
            customer_id: Some(customer_id),
            limit: Some(50),
            ..ContractQuery::default()
        };
        api::call(session, async |client| client.contracts(&query).await)
            .await
            .map(|page| {
                page.items
                    .into_iter()
                    .flat_map(|c| {
                        let number = c.number.clone();
                        c.subscriptions.into_iter().map(move |s| {
                            (
                                s.id.to_string(),
                                format!("{} · {}", number, s.service_address.one_line()),
                            )
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    // One service: it is the one concerned, unless the user says otherwise.
    Effect::new(move |_| {
        if let Some(list) = subscriptions.get()
            && let [(only, _)] = list.as_slice()
            && subscription.get_untracked().is_empty()
        {
            subscription.set(only.clone());
        }
    });
    let subscription_options = Signal::derive(move || {
        std::iter::once((
            String::new(),
            t_string!(i18n, tickets.no_subscription).to_owned(),
        ))
        .chain(subscriptions.get().unwrap_or_default())
        .collect::<Vec<_>>()
    });
    let category_options = Signal::derive(move || {
        let locale = i18n.get_locale();
        std::iter::once((
            String::new(),
            t_string!(i18n, tickets.choose_category).to_owned(),
        ))
        .chain(TicketCategory::all().map(|c| {
            (
                c.as_str().to_owned(),
                labels::ticket_category(locale, c).to_owned(),
            )
        }))
        .collect::<Vec<_>>()
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let picked = category.get_untracked().parse::<TicketCategory>().ok();
        category_missing.set(picked.is_none());
        title_missing.set(title.get_untracked().trim().is_empty());
        description_missing.set(description.get_untracked().trim().is_empty());
        let Some(picked) = picked
            .filter(|_| !title_missing.get_untracked() && !description_missing.get_untracked())
        else {
            focus_first_invalid(form);
            return;
        };
        let ticket = NewTicket {
            customer_id,
            category: picked,
            priority: priority.get_untracked().parse().ok(),
            department: Some(department.get_untracked()).filter(|d| !d.is_empty()),
            title: title.get_untracked().trim().to_owned(),
            description: description.get_untracked().trim().to_owned(),
            subscription_id: subscription.get_untracked().parse().ok(),
            network_node: Some(node.get_untracked().trim().to_owned()).filter(|n| !n.is_empty()),
            interaction_id: None,
            script_run_id,
            assignee_id: None,
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| client.open_ticket(&ticket).await).await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(opened) => {
                    failure.set(None);
                    toasts.success(
                        td_string!(
                            locale,
                            tickets.opened_toast,
                            number = opened.summary.number.clone()
                        )
                        .to_string(),
                    );
                    navigate.try_with_value(|n| {
                        n(
                            &format!("/tickets/{}", opened.summary.id),
                            Default::default(),
                        )
                    });
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    let required = |l: Locale| td_string!(l, field_error.required);
    view! {
        <form class="panel form form-wide" node_ref=form on:submit=submit novalidate data-testid="ticket-form">
            <ErrorSummary />
            {script_run_id.map(|_| view! { <p class="field-hint" data-testid="from-script">{tr(|l| td_string!(l, tickets.prefilled_from_script))}</p> })}
            <div class="grid-3">
                <Select label=label(|l| td_string!(l, tickets.category)) value=category options=category_options name="category" error=checked(move || category_missing.get(), |l| td_string!(l, tickets.choose_category_error), error_of(failure, "category")) />
                <Select label=label(|l| td_string!(l, tickets.priority)) value=priority options=enum_options(TicketPriority::all(), labels::ticket_priority) name="priority" error=error_of(failure, "priority") />
                <Select label=label(|l| td_string!(l, tickets.department)) value=department options=department_choices name="department" error=error_of(failure, "department") />
            </div>
            <Field label=label(|l| td_string!(l, tickets.title_field)) value=title name="title" required=true error=checked(move || title_missing.get(), required, error_of(failure, "title")) />
            <TextArea label=label(|l| td_string!(l, tickets.description)) value=description name="description" required=true rows=6 error=checked(move || description_missing.get(), required, error_of(failure, "description")) />
            <div class="grid-2">
                <Select label=label(|l| td_string!(l, tickets.subscription)) value=subscription options=subscription_options name="subscription_id" error=error_of(failure, "subscription_id") />
                <Field label=label(|l| td_string!(l, tickets.network_node)) value=node name="network_node" error=error_of(failure, "network_node") hint=label(|l| td_string!(l, tickets.network_node_hint)) />
            </div>
            <div class="form-actions">
                <A href=format!("/customers/{customer_id}") attr:class="button-quiet">{tr(|l| td_string!(l, common.cancel))}</A>
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="open-ticket">{tr(|l| td_string!(l, tickets.open_ticket))}</button>
            </div>
        </form>
    }
}
