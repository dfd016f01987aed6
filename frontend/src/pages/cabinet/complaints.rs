//! The subscriber's complaints in the cabinet: `/cabinet/complaints` lists them with
//! the day each is answered by; `/cabinet/complaints/new` files one (received now, its receipt
//! confirmed at once); `/cabinet/complaints/:id` shows one with its deadlines, the answer
//! and the documents.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use okno_api_types::billing::{InvoiceKind, InvoiceSummary, MyInvoiceQuery};
use okno_api_types::complaints::{CabinetComplaint, Complaint, ComplaintSummary};

use crate::api::{self, Failure};
use crate::components::forms::{ErrorSummary, FormErrors, focus_first_invalid};
use crate::components::latest::Latest;
use crate::components::status::{FailureNote, LoadedList, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::tr;
use crate::pages::complaints::{
    Claim, ClaimFields, ClaimPanel, ComplaintDocuments, ComplaintStatusBadge, DeadlinesPanel,
    DecideBy, DecisionPanel,
};
use crate::session::use_session;
use crate::time;

/// On the cabinet's home page: the way to the complaints.
#[component]
pub fn ComplaintsLink() -> impl IntoView {
    view! {
        <div class="panel" data-testid="complaints-link">
            <div class="panel-head">
                <h2>{tr(|l| td_string!(l, complaints.title))}</h2>
                <A href="/cabinet/complaints" attr:class="button-small" attr:data-testid="my-complaints-link">{tr(|l| td_string!(l, complaints.mine))}</A>
            </div>
            <p class="muted small">{tr(|l| td_string!(l, complaints.cabinet_lead))}</p>
        </div>
    }
}

#[component]
pub fn MyComplaints() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let complaints = LocalResource::new(move || async move {
        api::call(session, async |client| client.my_complaints().await).await
    });
    view! {
        <section class="page" data-testid="my-complaints">
            <p class="small"><A href="/cabinet">{tr(|l| td_string!(l, complaints.back_to_cabinet))}</A></p>
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, complaints.mine))}</h1>
                    <p class="lead">{tr(|l| td_string!(l, complaints.cabinet_lead))}</p>
                </div>
                <A href="/cabinet/complaints/new" attr:class="button-primary" attr:data-testid="file-complaint">{tr(|l| td_string!(l, complaints.file))}</A>
            </div>
            <div class="panel">
                <LoadedList value=move || complaints.get() empty=|l| td_string!(l, complaints.none_mine) let:list>
                    <ul class="documents">
                        {list.into_iter().map(|c: ComplaintSummary| {
                            let received = c.received_at;
                            view! {
                                <li class="document" data-testid="my-complaint">
                                    <div>
                                        <p class="document-title">
                                            <A href=format!("/cabinet/complaints/{}", c.id) attr:class="mono" attr:data-testid="my-complaint-number">{c.number.clone()}</A>
                                            " · " {c.subject.clone()}
                                        </p>
                                        <p class="muted small">
                                            {move || t_string!(i18n, complaints.filed_on, date = time::date(received, i18n.get_locale())).to_string()}
                                        </p>
                                        <p class="small">
                                            <ComplaintStatusBadge status=c.status outcome=c.outcome />
                                            {c.deadlines.days_left.is_some().then(|| view! {
                                                " " {tr(|l| td_string!(l, complaints.answer_by))} " "
                                                <DecideBy deadlines=c.deadlines.clone() />
                                            })}
                                        </p>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </LoadedList>
            </div>
        </section>
    }
}

#[component]
pub fn FileComplaint() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let navigate = StoredValue::new_local(use_navigate());
    provide_context(FormErrors::default());
    let claim = Claim::new();
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let invoices = RwSignal::new(None::<Result<Vec<InvoiceSummary>, Failure>>);
    leptos::task::spawn_local(async move {
        let query = MyInvoiceQuery {
            limit: Some(24),
            ..MyInvoiceQuery::default()
        };
        invoices.set(Some(
            api::call(session, async |client| client.my_invoices(&query).await)
                .await
                .map(|page| {
                    page.items
                        .into_iter()
                        .filter(|i| i.kind == InvoiceKind::Invoice)
                        .collect()
                }),
        ));
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(amount) = claim.amount_minor() else {
            focus_first_invalid(form);
            return;
        };
        let complaint = CabinetComplaint {
            subject: claim.subject.get_untracked(),
            description: claim.description.get_untracked(),
            concerns_from: Claim::day(claim.concerns_from),
            concerns_until: Claim::day(claim.concerns_until),
            invoice_ids: claim.invoices.get_untracked(),
            amount_claimed_minor: amount,
            refund_demanded: claim.refund_demanded.get_untracked(),
            topic_id: None,
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::call(session, async |client| {
                client.file_my_complaint(&complaint).await
            })
            .await;
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(filed) => {
                    failure.set(None);
                    toasts.success(td_string!(
                        locale,
                        complaints.filed,
                        number = filed.summary.number.clone(),
                        date = time::day(filed.summary.deadlines.decide_by, locale)
                    ));
                    navigate.try_with_value(|n| n("/cabinet/complaints", Default::default()));
                }
                Err(error) => toasts.form_failure(locale, failure, error),
            }
        });
    };
    view! {
        <section class="page" data-testid="file-complaint-page">
            <p class="small"><A href="/cabinet/complaints">{tr(|l| td_string!(l, complaints.back_to_mine))}</A></p>
            <h1>{tr(|l| td_string!(l, complaints.file))}</h1>
            <form class="panel form" node_ref=form on:submit=submit novalidate data-testid="my-complaint-form">
                <ErrorSummary />
                <p class="muted small">{tr(|l| td_string!(l, complaints.file_hint))}</p>
                <ClaimFields claim failure invoices=invoices.into() />
                <div class="form-actions">
                    <A href="/cabinet/complaints" attr:class="button-quiet">{tr(|l| td_string!(l, common.cancel))}</A>
                    <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="send-complaint">{tr(|l| td_string!(l, complaints.send))}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
pub fn MyComplaintPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let complaint = RwSignal::new(None::<Result<Complaint, Failure>>);
    let latest = Latest::new();
    Effect::new(move |_| {
        let Some(id) = id.get() else {
            return;
        };
        complaint.set(None);
        latest.spawn(
            api::call(session, async move |client| client.my_complaint(id).await),
            move |result| complaint.set(Some(result)),
        );
    });
    move || match (id.get(), complaint.get()) {
        (None, _) => {
            view! { <p class="failure">{tr(|l| td_string!(l, error.not_found))}</p> }.into_any()
        }
        (_, None) => view! { <Loading /> }.into_any(),
        (_, Some(Err(failure))) => view! { <FailureNote failure /> }.into_any(),
        (Some(_), Some(Ok(c))) => view! { <MyComplaint complaint=c /> }.into_any(),
    }
}

#[component]
fn MyComplaint(complaint: Complaint) -> impl IntoView {
    let i18n = use_i18n();
    let s = complaint.summary.clone();
    let number = s.number.clone();
    let received = s.received_at;
    view! {
        <section class="page" data-testid="my-complaint-page">
            <p class="small"><A href="/cabinet/complaints">{tr(|l| td_string!(l, complaints.back_to_mine))}</A></p>
            <div class="page-head">
                <div>
                    <h1 data-testid="complaint-number">{move || t_string!(i18n, complaints.complaint_title, number = number.clone()).to_string()}</h1>
                    <p class="card-facts">
                        <ComplaintStatusBadge status=s.status outcome=s.outcome />
                        <span class="muted">{move || t_string!(i18n, complaints.filed_on, date = time::date(received, i18n.get_locale())).to_string()}</span>
                    </p>
                </div>
            </div>
            {complaint.decision.clone().map(|d| view! {
                <DecisionPanel decision=d compensation=complaint.compensation.clone() currency=s.currency.clone() />
            })}
            <DeadlinesPanel deadlines=s.deadlines.clone() acknowledged_at=complaint.acknowledged_at />
            <ClaimPanel complaint=complaint.clone() cabinet=true />
            <ComplaintDocuments documents=complaint.documents.clone() />
        </section>
    }
}
