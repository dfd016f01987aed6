//! `/price-list`: tariffs with the version in force and the next one, and products for sale
//! . Everyone on the staff reads it; admins and managers publish new versions,
//! new tariffs and products, which every sales point sees at once.

mod products;
mod tariffs;
mod version_form;

use leptos::prelude::*;
use okno_api_types::Permission;
use okno_api_types::tariffs::{Product, Tariff};
use okno_domain::money::VAT_RATES_BP;

use self::products::Products;
use self::tariffs::TariffRow;
use self::version_form::VersionForm;
use crate::api::{self, Failure};
use crate::components::status::LoadedList;
use crate::i18n::*;
use crate::labels::tr;
use crate::session::use_session;

#[component]
pub fn PriceList() -> impl IntoView {
    let session = use_session();
    let tariffs = RwSignal::new(None::<Result<Vec<Tariff>, Failure>>);
    let products = RwSignal::new(None::<Result<Vec<Product>, Failure>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            tariffs.set(Some(
                api::call(session, async |client| client.tariffs().await).await,
            ));
            products.set(Some(
                api::call(session, async |client| client.products().await).await,
            ));
        });
    };
    reload();
    let manage = move || session.has(Permission::PriceListManage);
    let publishing = RwSignal::new(None::<Tariff>);
    let creating = RwSignal::new(false);
    let on_saved = Callback::new(move |()| {
        publishing.set(None);
        creating.set(false);
        reload();
    });

    view! {
        <section class="page" data-testid="price-list">
            <div class="page-head">
                <div>
                    <h1>{tr(|l| td_string!(l, price_list.title))}</h1>
                    <p class="muted">{tr(|l| td_string!(l, price_list.lead))}</p>
                </div>
                <Show when=manage>
                    <button class="button-primary" data-testid="new-tariff" on:click=move |_| { publishing.set(None); creating.update(|c| *c = !*c); }>
                        {tr(|l| td_string!(l, price_list.new_tariff))}
                    </button>
                </Show>
            </div>
            <Show when=move || creating.get()>
                <VersionForm tariff=None on_saved=on_saved on_cancel=Callback::new(move |()| creating.set(false)) />
            </Show>
            {move || publishing.get().map(|t| view! { <VersionForm tariff=Some(t) on_saved=on_saved on_cancel=Callback::new(move |()| publishing.set(None)) /> })}
            <div class="panel">
                <h2>{tr(|l| td_string!(l, price_list.tariffs))}</h2>
                <LoadedList value=move || tariffs.get() empty=|l| td_string!(l, price_list.no_tariffs) let:list>
                    <div class="table-wrap">
                        <table class="table" data-testid="tariffs">
                            <thead>
                                <tr>
                                    <th>{tr(|l| td_string!(l, price_list.tariff))}</th>
                                    <th>{tr(|l| td_string!(l, price_list.monthly_fee))}</th>
                                    <th class="hide-narrow">{tr(|l| td_string!(l, price_list.vat))}</th>
                                    <th class="hide-narrow">{tr(|l| td_string!(l, price_list.other_prices))}</th>
                                    <th>{tr(|l| td_string!(l, price_list.next_version))}</th>
                                    <Show when=manage><th></th></Show>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|t| view! { <TariffRow tariff=t publishing=publishing on_saved=on_saved /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </LoadedList>
            </div>
            <Products products=products on_saved=Callback::new(move |()| reload()) />
        </section>
    }
}

/// `23 %`.
fn vat(rate_bp: i32) -> String {
    format!("{} %", rate_bp / 100)
}

/// The VAT rates to choose from, by their basis points.
fn vat_options() -> Vec<(String, String)> {
    VAT_RATES_BP
        .iter()
        .map(|r| (r.to_string(), vat(*r)))
        .collect()
}
