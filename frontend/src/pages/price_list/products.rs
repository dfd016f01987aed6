//! The products for sale: a price and a VAT rate each.

use leptos::prelude::*;
use okno_api_types::Permission;
use okno_api_types::tariffs::{NewProduct, Product};
use okno_domain::format;

use super::{vat, vat_options};
use crate::api::{self, Failure};
use crate::components::forms::{Field, Select, checked, error_of};
use crate::components::status::{FormFailure, LoadedList};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{label, tr};
use crate::session::use_session;
use crate::time::language;

/// The products for sale, and the form for a new one.
#[component]
pub fn Products(
    products: RwSignal<Option<Result<Vec<Product>, Failure>>>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let vat_rate = RwSignal::new("2300".to_owned());
    let failure = RwSignal::new(None::<Failure>);
    let bad_price = RwSignal::new(false);
    let adding = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(price_minor) = format::parse_money(&price.get_untracked()).filter(|p| *p >= 0)
        else {
            bad_price.set(true);
            return;
        };
        bad_price.set(false);
        let product = NewProduct {
            code: code.get_untracked(),
            name: name.get_untracked(),
            price_minor,
            currency: None,
            vat_rate_bp: vat_rate.get_untracked().parse().unwrap_or(2300),
        };
        leptos::task::spawn_local(async move {
            match api::call(session, async |client| {
                client.create_product(&product).await
            })
            .await
            {
                Ok(_) => {
                    toasts.success(td_string!(
                        i18n.get_locale_untracked(),
                        price_list.published
                    ));
                    failure.set(None);
                    code.set(String::new());
                    name.set(String::new());
                    price.set(String::new());
                    adding.set(false);
                    on_saved.run(());
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let price_error = checked(
        move || bad_price.get(),
        |l| td_string!(l, price_list.invalid_amount),
        error_of(failure, "price_minor"),
    );
    view! {
        <div class="panel">
            <div class="panel-head">
                <h2>{tr(|l| td_string!(l, price_list.products))}</h2>
                <Show when=move || session.has(Permission::PriceListManage)>
                    <button class="button-small" on:click=move |_| adding.update(|a| *a = !*a)>{tr(|l| td_string!(l, price_list.new_product))}</button>
                </Show>
            </div>
            <Show when=move || adding.get()>
                <form class="form form-wide" on:submit=submit novalidate data-testid="product-form">
                    <div class="grid-3">
                        <Field label=label(|l| td_string!(l, price_list.code)) value=code required=true error=error_of(failure, "code") />
                        <Field label=label(|l| td_string!(l, price_list.name)) value=name required=true error=error_of(failure, "name") />
                        <Field label=label(|l| td_string!(l, price_list.price_net)) value=price required=true error=price_error />
                        <Select label=label(|l| td_string!(l, price_list.vat)) value=vat_rate options=vat_options() />
                    </div>
                    <FormFailure failure />
                    <div class="form-actions">
                        <button type="submit" class="button-primary">{tr(|l| td_string!(l, common.save))}</button>
                    </div>
                </form>
            </Show>
            <LoadedList value=move || products.get() empty=|l| td_string!(l, price_list.no_products) let:list>
                <table class="table table-compact" data-testid="products">
                    <thead>
                        <tr>
                            <th>{tr(|l| td_string!(l, price_list.name))}</th>
                            <th>{tr(|l| td_string!(l, price_list.price_net))}</th>
                            <th>{tr(|l| td_string!(l, price_list.vat))}</th>
                            <th>{tr(|l| td_string!(l, price_list.price_gross))}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list
                            .into_iter()
                            .map(|p| {
                                let gross = p.price_minor + okno_domain::money::vat(p.price_minor, p.vat_rate_bp);
                                let currency = p.currency.clone();
                                let currency2 = p.currency.clone();
                                view! {
                                    <tr>
                                        <td>{p.name.clone()} <span class="muted mono small">" " {p.code.clone()}</span></td>
                                        <td class="nowrap">{move || format::money(p.price_minor, &currency, language(i18n.get_locale()))}</td>
                                        <td>{vat(p.vat_rate_bp)}</td>
                                        <td class="nowrap">{move || format::money(gross, &currency2, language(i18n.get_locale()))}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </LoadedList>
        </div>
    }
}
