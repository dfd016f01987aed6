//! A tariff's row in the price list: the version in force, the next one, and the buttons
//! that publish a new version or withdraw the tariff from sale.

use leptos::prelude::*;
use okno_api_types::tariffs::{Tariff, TariffPatch, TariffVersion, UsageUnit};
use okno_api_types::{Language, Permission};
use okno_domain::format;

use super::vat;
use crate::api;
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels::{self, tr};
use crate::session::use_session;
use crate::time::{self, language};

/// `0,8123 zł/kWh`, or `0.8123 PLN/kWh` in English, as money is written.
fn unit_price(price_e4: i64, currency: &str, unit: UsageUnit, language: Language) -> String {
    let symbol = if currency == "PLN" && language != Language::En {
        "zł"
    } else {
        currency
    };
    format!(
        "{} {symbol}/{}",
        format::unit_price(price_e4, language),
        labels::unit(unit)
    )
}

/// The one-off fees and usage prices of a version, on one line.
fn version_summary(version: &TariffVersion, locale: Locale) -> String {
    let lang = language(locale);
    let mut parts: Vec<String> = version
        .one_off_fees
        .iter()
        .map(|f| {
            format!(
                "{}: {}",
                f.name,
                format::money(f.amount_minor, &version.currency, lang)
            )
        })
        .collect();
    parts.extend(version.usage_rates.iter().map(|r| {
        let price = match r.tiers.first() {
            Some(first) => unit_price(first.price_e4, &version.currency, r.unit, lang),
            None => unit_price(r.price_e4, &version.currency, r.unit, lang),
        };
        if r.free_allowance_milli > 0 {
            format!(
                "{price} ({} {} {})",
                r.free_allowance_milli / 1000,
                labels::unit(r.unit),
                td_string!(locale, price_list.free)
            )
        } else {
            price
        }
    }));
    parts.join(" · ")
}

#[component]
pub fn TariffRow(
    tariff: Tariff,
    publishing: RwSignal<Option<Tariff>>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let current = tariff.current.clone();
    let upcoming = tariff.upcoming.clone();
    let active = tariff.active;
    let id = tariff.id;
    let toggle = move |_| {
        leptos::task::spawn_local(async move {
            let patch = TariffPatch {
                name: None,
                active: Some(!active),
            };
            match api::call(session, async |client| {
                client.update_tariff(id, &patch).await
            })
            .await
            {
                Ok(_) => on_saved.run(()),
                Err(failure) => toasts.failure(i18n.get_locale_untracked(), &failure),
            }
        });
    };
    let row = tariff.clone();
    view! {
        <tr data-testid="tariff-row" class:inactive=!active>
            <td>
                <strong>{tariff.name.clone()}</strong>
                <span class="muted mono small">" " {tariff.code.clone()}</span>
                <br />
                <span class="muted small">
                    {move || labels::service_kind(i18n.get_locale(), tariff.service_kind)}
                    {(!active).then(|| view! { " · " {move || t_string!(i18n, price_list.withdrawn)} })}
                </span>
            </td>
            <td class="nowrap">
                {
                    let current = current.clone();
                    move || current.as_ref().map(|v| {
                        let l = i18n.get_locale();
                        let prepaid = if v.prepaid { format!(" · {}", td_string!(l, price_list.prepaid)) } else { String::new() };
                        format!("{}{prepaid}", format::money(v.monthly_fee_minor, &v.currency, language(l)))
                    })
                }
                {current.as_ref().map(|v| {
                    let from = v.effective_from;
                    view! { <br /><span class="muted small">{move || t_string!(i18n, price_list.since, date = time::day(from, i18n.get_locale()))}</span> }
                })}
            </td>
            <td class="hide-narrow nowrap">{current.as_ref().map(|v| vat(v.vat_rate_bp))}</td>
            <td class="hide-narrow small">
                {
                    let current = current.clone();
                    move || current.as_ref().map(|v| version_summary(v, i18n.get_locale()))
                }
            </td>
            <td class="nowrap" data-testid="upcoming">
                {move || upcoming.as_ref().map(|v| {
                    let l = i18n.get_locale();
                    format!("{} {}", format::money(v.monthly_fee_minor, &v.currency, language(l)), td_string!(l, price_list.starting, date = time::day(v.effective_from, l)))
                })}
            </td>
            <Show when=move || session.has(Permission::PriceListManage)>
                <td class="row-end">
                    <button class="button-small" data-testid="publish-version" on:click={
                        let row = row.clone();
                        move |_| publishing.set(Some(row.clone()))
                    }>
                        {tr(|l| td_string!(l, price_list.new_version))}
                    </button>
                    <button class="button-small button-quiet" on:click=toggle>
                        {move || if active { t_string!(i18n, price_list.withdraw) } else { t_string!(i18n, price_list.restore) }}
                    </button>
                </td>
            </Show>
        </tr>
    }
}
