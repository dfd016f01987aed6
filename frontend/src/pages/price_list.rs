//! `/price-list`: tariffs with the version in force and the next one, and products for sale
//! . Everyone on the staff reads it; admins and managers publish new versions,
//! new tariffs and products, which every sales point sees at once.

use chrono::NaiveDate;
use leptos::prelude::*;
use okno_api_types::tariffs::{
    FeeKind, NewProduct, NewTariff, NewTariffVersion, OneOffFee, Product, ServiceKind, Tariff,
    TariffPatch, TariffVersion, UsageRate, UsageUnit,
};
use okno_api_types::{Language, Permission};
use okno_domain::calendar::first_of_next_month;
use okno_domain::format;
use okno_domain::money::VAT_RATES_BP;

use crate::api::{self, Failure};
use crate::components::forms::{Checkbox, Field, Select, error_of};
use crate::components::status::{Empty, FailureNote, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::*;
use crate::labels;
use crate::labels::tr;
use crate::pages::contracts::today;
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
        unit_name(unit)
    )
}

fn unit_name(unit: UsageUnit) -> &'static str {
    match unit {
        UsageUnit::Gb => "GB",
        UsageUnit::Minute => "min",
        UsageUnit::Sms => "SMS",
        UsageUnit::Kwh => "kWh",
        UsageUnit::M3 => "m³",
    }
}

fn vat(rate_bp: i32) -> String {
    format!("{} %", rate_bp / 100)
}

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
                unit_name(r.unit),
                td_string!(locale, price_list.free)
            )
        } else {
            price
        }
    }));
    parts.join(" · ")
}

#[component]
pub fn PriceList() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let tariffs = RwSignal::new(None::<Result<Vec<Tariff>, Failure>>);
    let products = RwSignal::new(None::<Result<Vec<Product>, Failure>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            tariffs.set(Some(
                api::call(session, |client| async move { client.tariffs().await }).await,
            ));
            products.set(Some(
                api::call(session, |client| async move { client.products().await }).await,
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
                {move || match tariffs.get() {
                    None => view! { <Loading /> }.into_any(),
                    Some(Err(f)) => view! { <FailureNote failure=f /> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <Empty text=Signal::derive(move || t_string!(i18n, price_list.no_tariffs).to_owned()) /> }.into_any(),
                    Some(Ok(list)) => view! {
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
                    }
                    .into_any(),
                }}
            </div>
            <Products products=products on_saved=Callback::new(move |()| reload()) />
        </section>
    }
}

#[component]
fn TariffRow(
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
            match api::call(session, |client| {
                let patch = patch.clone();
                async move { client.update_tariff(id, &patch).await }
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

/// The form for a new version of `tariff`, or for a new tariff with its first version. A new
/// version keeps the current one's one-off fees and usage rates unless changed here.
#[component]
fn VersionForm(
    tariff: Option<Tariff>,
    #[prop(into)] on_saved: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let lang = language(i18n.get_locale_untracked());
    let base = tariff
        .as_ref()
        .and_then(|t| t.upcoming.clone().or_else(|| t.current.clone()));
    let fee_of = |kind: FeeKind| {
        base.as_ref()
            .and_then(|v| v.one_off_fees.iter().find(|f| f.kind == kind))
            .map(|f| format::money_input(f.amount_minor, lang))
            .unwrap_or_default()
    };
    let rate = base.as_ref().and_then(|v| v.usage_rates.first().cloned());
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(ServiceKind::Internet.as_str().to_owned());
    let effective_from = RwSignal::new(first_of_next_month(today()).to_string());
    let monthly_fee = RwSignal::new(
        base.as_ref()
            .map(|v| format::money_input(v.monthly_fee_minor, lang))
            .unwrap_or_default(),
    );
    let vat_rate = RwSignal::new(base.as_ref().map_or(2300, |v| v.vat_rate_bp).to_string());
    let prepaid = RwSignal::new(base.as_ref().is_some_and(|v| v.prepaid));
    let installation = RwSignal::new(fee_of(FeeKind::Installation));
    let activation = RwSignal::new(fee_of(FeeKind::Activation));
    let unit = RwSignal::new(
        rate.as_ref()
            .map(|r| r.unit.as_str().to_owned())
            .unwrap_or_default(),
    );
    let unit_price_text = RwSignal::new(
        rate.as_ref()
            .map(|r| format::unit_price(r.price_e4, lang))
            .unwrap_or_default(),
    );
    let free = RwSignal::new(
        rate.as_ref()
            .filter(|r| r.free_allowance_milli > 0)
            .map(|r| (r.free_allowance_milli / 1000).to_string())
            .unwrap_or_default(),
    );
    let failure = RwSignal::new(None::<Failure>);
    let local = RwSignal::new(Vec::<&'static str>::new());
    let busy = RwSignal::new(false);
    let other_fees: Vec<OneOffFee> = base
        .as_ref()
        .map(|v| {
            v.one_off_fees
                .iter()
                .filter(|f| f.kind == FeeKind::Other)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let extra_rates: Vec<UsageRate> = base
        .as_ref()
        .map(|v| v.usage_rates.iter().skip(1).cloned().collect())
        .unwrap_or_default();
    let tiers = rate.as_ref().map(|r| r.tiers.clone()).unwrap_or_default();
    let tariff_id = tariff.as_ref().map(|t| t.id);
    let title = tariff.as_ref().map(|t| t.name.clone());

    let invalid = move |field: &'static str| local.with(|l| l.contains(&field));
    let error = move |field: &'static str| {
        let server = error_of(failure, field);
        Signal::derive(move || {
            if invalid(field) {
                Some(t_string!(i18n, price_list.invalid_amount).to_owned())
            } else {
                server.get()
            }
        })
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut wrong = Vec::new();
        let money =
            |field: &'static str, text: String, wrong: &mut Vec<&'static str>| -> Option<i64> {
                if text.trim().is_empty() {
                    return None;
                }
                let parsed = format::parse_money(&text).filter(|m| *m >= 0);
                if parsed.is_none() {
                    wrong.push(field);
                }
                parsed
            };
        let fee = money(
            "version.monthly_fee_minor",
            monthly_fee.get_untracked(),
            &mut wrong,
        );
        if fee.is_none() && !wrong.contains(&"version.monthly_fee_minor") {
            wrong.push("version.monthly_fee_minor");
        }
        let mut fees = Vec::new();
        let locale = i18n.get_locale_untracked();
        if let Some(amount) = money(
            "version.installation",
            installation.get_untracked(),
            &mut wrong,
        ) {
            fees.push(OneOffFee {
                kind: FeeKind::Installation,
                name: td_string!(locale, price_list.installation_fee).to_owned(),
                amount_minor: amount,
            });
        }
        if let Some(amount) = money("version.activation", activation.get_untracked(), &mut wrong) {
            fees.push(OneOffFee {
                kind: FeeKind::Activation,
                name: td_string!(locale, price_list.activation_fee).to_owned(),
                amount_minor: amount,
            });
        }
        fees.extend(other_fees.iter().cloned());
        let mut rates = Vec::new();
        if let Ok(unit) = unit.get_untracked().parse::<UsageUnit>() {
            match format::parse_unit_price(&unit_price_text.get_untracked()) {
                Some(price_e4) => rates.push(UsageRate {
                    unit,
                    price_e4,
                    free_allowance_milli: free
                        .get_untracked()
                        .trim()
                        .parse::<i64>()
                        .map_or(0, |n| n.saturating_mul(1000)),
                    tiers: tiers.clone(),
                }),
                None => wrong.push("version.unit_price"),
            }
        }
        rates.extend(extra_rates.iter().cloned());
        local.set(wrong.clone());
        if !wrong.is_empty() {
            return;
        }
        let version = NewTariffVersion {
            effective_from: effective_from
                .get_untracked()
                .parse::<NaiveDate>()
                .unwrap_or_else(|_| today()),
            monthly_fee_minor: fee.unwrap_or(0),
            currency: None,
            vat_rate_bp: vat_rate.get_untracked().parse().unwrap_or(2300),
            prepaid: prepaid.get_untracked(),
            one_off_fees: fees,
            usage_rates: rates,
        };
        let new_tariff = NewTariff {
            code: code.get_untracked(),
            name: name.get_untracked(),
            service_kind: kind
                .get_untracked()
                .parse()
                .unwrap_or(ServiceKind::Internet),
            description: None,
            version: version.clone(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = match tariff_id {
                Some(id) => api::call(session, |client| {
                    let version = version.clone();
                    async move {
                        client
                            .publish_tariff_version(id, &version)
                            .await
                            .map(|_| ())
                    }
                })
                .await
                .map_err(|f| prefix_fields(f, "version.")),
                None => {
                    api::call(session, |client| {
                        let tariff = new_tariff.clone();
                        async move { client.create_tariff(&tariff).await.map(|_| ()) }
                    })
                    .await
                }
            };
            busy.set(false);
            let locale = i18n.get_locale_untracked();
            match result {
                Ok(()) => {
                    toasts.success(td_string!(locale, price_list.published));
                    on_saved.run(());
                }
                Err(error) => {
                    if error.problem().is_none_or(|p| p.errors.is_empty()) {
                        toasts.failure(locale, &error);
                    }
                    failure.set(Some(error));
                }
            }
        });
    };

    let label = move |key: fn(Locale) -> &'static str| {
        Signal::derive(move || key(i18n.get_locale()).to_owned())
    };
    let is_new = tariff_id.is_none();
    view! {
        <form class="panel form form-wide" on:submit=submit novalidate data-testid="version-form">
            <h2>
                {move || match &title {
                    Some(name) => t_string!(i18n, price_list.new_version_of, name = name.clone()),
                    None => t_string!(i18n, price_list.new_tariff).to_owned(),
                }}
            </h2>
            <Show when=move || is_new>
                <div class="grid-3">
                    <Field label=label(|l| td_string!(l, price_list.code)) value=code name="code" required=true error=error_of(failure, "code") />
                    <Field label=label(|l| td_string!(l, price_list.name)) value=name name="name" required=true error=error_of(failure, "name") />
                    <Select
                        label=label(|l| td_string!(l, price_list.service_kind))
                        value=kind
                        name="service_kind"
                        options=Signal::derive(move || {
                            let l = i18n.get_locale();
                            ServiceKind::all().map(|k| (k.as_str().to_owned(), labels::service_kind(l, k).to_owned())).collect()
                        })
                    />
                </div>
            </Show>
            <div class="grid-3">
                <Field label=label(|l| td_string!(l, price_list.effective_from)) value=effective_from name="effective_from" input_type="date" error=error("version.effective_from") />
                <Field label=label(|l| td_string!(l, price_list.monthly_fee_net)) value=monthly_fee name="monthly_fee" required=true error=error("version.monthly_fee_minor") />
                <Select
                    label=label(|l| td_string!(l, price_list.vat))
                    value=vat_rate
                    name="vat_rate"
                    error=error("version.vat_rate_bp")
                    options=Signal::derive(move || VAT_RATES_BP.iter().map(|r| (r.to_string(), vat(*r))).collect())
                />
                <Field label=label(|l| td_string!(l, price_list.installation_fee)) value=installation name="installation" error=error("version.installation") />
                <Field label=label(|l| td_string!(l, price_list.activation_fee)) value=activation name="activation" error=error("version.activation") />
                <Select
                    label=label(|l| td_string!(l, price_list.usage_unit))
                    value=unit
                    name="unit"
                    options=Signal::derive(move || {
                        std::iter::once((String::new(), td_string!(i18n.get_locale(), price_list.no_usage).to_owned()))
                            .chain(UsageUnit::all().map(|u| (u.as_str().to_owned(), unit_name(u).to_owned())))
                            .collect()
                    })
                />
                <Show when=move || !unit.with(String::is_empty)>
                    <Field label=label(|l| td_string!(l, price_list.unit_price)) value=unit_price_text name="unit_price" error=error("version.unit_price") />
                    <Field label=label(|l| td_string!(l, price_list.free_units)) value=free name="free_units" input_type="number" />
                </Show>
            </div>
            <Checkbox label=label(|l| td_string!(l, price_list.prepaid_hint)) checked=prepaid name="prepaid" />
            <div class="form-actions">
                <button type="button" class="button-quiet" on:click=move |_| on_cancel.run(())>{tr(|l| td_string!(l, common.cancel))}</button>
                <button type="submit" class="button-primary" disabled=move || busy.get() data-testid="save-version">{tr(|l| td_string!(l, price_list.publish))}</button>
            </div>
        </form>
    }
}

/// The server names a version's fields from the version itself; the form shows them under
/// the `version.` prefix it shares with a new tariff.
fn prefix_fields(failure: Failure, prefix: &str) -> Failure {
    match failure {
        Failure::Refused(mut problem) => {
            for error in &mut problem.errors {
                error.field = format!("{prefix}{}", error.field);
            }
            Failure::Refused(problem)
        }
        other => other,
    }
}

#[component]
fn Products(
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
            match api::call(session, |client| {
                let product = product.clone();
                async move { client.create_product(&product).await }
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
    let label = move |key: fn(Locale) -> &'static str| {
        Signal::derive(move || key(i18n.get_locale()).to_owned())
    };
    let price_error = {
        let server = error_of(failure, "price_minor");
        Signal::derive(move || {
            if bad_price.get() {
                Some(t_string!(i18n, price_list.invalid_amount).to_owned())
            } else {
                server.get()
            }
        })
    };
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
                        <Select
                            label=label(|l| td_string!(l, price_list.vat))
                            value=vat_rate
                            options=Signal::derive(move || VAT_RATES_BP.iter().map(|r| (r.to_string(), vat(*r))).collect())
                        />
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button-primary">{tr(|l| td_string!(l, common.save))}</button>
                    </div>
                </form>
            </Show>
            {move || match products.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(f)) => view! { <FailureNote failure=f /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <Empty text=Signal::derive(move || t_string!(i18n, price_list.no_products).to_owned()) /> }.into_any(),
                Some(Ok(list)) => view! {
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
                }
                .into_any(),
            }}
        </div>
    }
}
