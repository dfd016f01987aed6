//! `/admin/sales-points`: the head office and its points.

use leptos::prelude::*;
use okno_api_types::reference::{NewSalesPoint, SalesPointKind};

use crate::api::{self, Failure};
use crate::components::forms::{Field, Select, error_of};
use crate::components::status::{FormFailure, Loaded};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{label, tr};
use crate::session::use_session;

#[component]
pub fn SalesPoints() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let version = RwSignal::new(0_u32);
    let points = LocalResource::new(move || {
        version.track();
        async move { api::call(session, async |client| client.sales_points().await).await }
    });
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let point = NewSalesPoint {
            code: code.get_untracked(),
            name: name.get_untracked(),
            kind: SalesPointKind::SalesPoint,
            parent_id: parent.get_untracked().parse().ok(),
            address: address.get_untracked(),
            phone: Some(phone.get_untracked()).filter(|p| !p.trim().is_empty()),
        };
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| {
                client.create_sales_point(&point).await
            })
            .await
            {
                Ok(_) => {
                    failure.set(None);
                    code.set(String::new());
                    name.set(String::new());
                    address.set(String::new());
                    phone.set(String::new());
                    toasts.success(td_string!(i18n.get_locale_untracked(), admin.point_created));
                    version.update(|v| *v += 1);
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let head_offices = Signal::derive(move || {
        points
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.kind == SalesPointKind::HeadOffice)
            .map(|p| (p.id.to_string(), p.name))
            .collect::<Vec<_>>()
    });
    Effect::new(move |_| {
        if parent.get_untracked().is_empty()
            && let Some((id, _)) = head_offices.get().first()
        {
            parent.set(id.clone());
        }
    });

    view! {
        <section class="page">
            <div class="page-head"><h1>{tr(|l| td_string!(l, admin.sales_points))}</h1></div>
            <details class="panel">
                <summary>{tr(|l| td_string!(l, admin.new_point))}</summary>
                <form class="form grid-3" on:submit=submit novalidate>
                    <Field label=label(|l| td_string!(l, admin.code)) value=code name="code" required=true error=error_of(failure, "code") />
                    <Field label=label(|l| td_string!(l, admin.name)) value=name name="name" required=true error=error_of(failure, "name") />
                    <Select label=label(|l| td_string!(l, admin.head_office)) value=parent options=head_offices error=error_of(failure, "parent_id") />
                    <Field label=label(|l| td_string!(l, customers.address)) value=address name="address" required=true error=error_of(failure, "address") />
                    <Field label=label(|l| td_string!(l, customers.phone)) value=phone name="phone" error=error_of(failure, "phone") />
                    <FormFailure failure />
                    <div class="form-actions"><button class="button-primary" type="submit">{tr(|l| td_string!(l, common.create))}</button></div>
                </form>
            </details>
            <Loaded value=move || points.get() let:list>
                        <div class="table-wrap">
                            <table class="table">
                                <thead><tr>
                                    <th>{tr(|l| td_string!(l, admin.code))}</th>
                                    <th>{tr(|l| td_string!(l, admin.name))}</th>
                                    <th>{tr(|l| td_string!(l, customers.address))}</th>
                                    <th>{tr(|l| td_string!(l, customers.phone))}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|p| view! {
                                        <tr>
                                            <td class="mono">{p.code}</td>
                                            <td>{p.name}{(p.kind == SalesPointKind::HeadOffice).then(|| view! { <span class="chip">{tr(|l| td_string!(l, admin.head_office))}</span> })}</td>
                                            <td>{p.address}</td>
                                            <td class="nowrap">{p.phone}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
            </Loaded>
        </section>
    }
}
